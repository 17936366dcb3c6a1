"""Binding-site endpoints (mirrors ``mirscope sites``).

Examples
--------
>>> router.prefix, router.tags
('/api/sites', ['sites'])
"""

from __future__ import annotations

from fastapi import APIRouter

from mirscope.report._util import jsonable
from mirscope.web.models import ScanRequest, ScanResponse

__all__ = ["router"]

router = APIRouter(prefix="/api/sites", tags=["sites"])


@router.post("/scan", response_model=ScanResponse)
def scan_sites(body: ScanRequest) -> ScanResponse:
    """Predicted miRNA binding sites in one sequence (seed match + duplex energy)."""
    from mirscope import names
    from mirscope.sites import scan

    mirna = names.normalize_mirna(body.mirna).name
    df = scan({body.name: body.sequence}, mirna, circular=body.circular, energies=body.energies)
    return ScanResponse(mirna=mirna, length=len(body.sequence), count=len(df), sites=jsonable(df))
