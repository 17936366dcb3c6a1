"""The workbench's routers, one module per capability (mirroring :mod:`mirscope.cli`).

Each module exposes ``router`` (a :class:`fastapi.APIRouter` with its prefix and tags);
:data:`ROUTERS` lists them in the order :func:`mirscope.web.create_app` includes them.
A new capability adds its module here.

Examples
--------
>>> [r.prefix for r in ROUTERS][:3]
['', '/api', '/api']
"""

from __future__ import annotations

from fastapi import APIRouter

from mirscope.web.routes import (
    atlas,
    clinical,
    enrich,
    kb,
    meta,
    network,
    pages,
    report,
    simulate,
    sites,
    targets,
    variants,
)

__all__ = ["ROUTERS"]

#: Every router of the workbench, in inclusion order.
ROUTERS: list[APIRouter] = [
    pages.router,
    meta.router,
    kb.router,
    network.router,
    sites.router,
    simulate.router,
    clinical.router,
    atlas.router,
    variants.router,
    enrich.router,
    report.router,
    targets.router,
]
