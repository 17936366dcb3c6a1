"""``/api/health``: liveness of the workbench.

Examples
--------
>>> router.prefix, router.tags
('/api', ['meta'])
"""

from __future__ import annotations

from fastapi import APIRouter

from mirscope import __version__
from mirscope.web.dependencies import WorkbenchDep
from mirscope.web.models import HealthResponse

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/health", response_model=HealthResponse)
async def health(wb: WorkbenchDep) -> HealthResponse:
    """Liveness check (does not touch the knowledge base)."""
    return HealthResponse(status="ok", version=__version__, read_only=wb.read_only)
