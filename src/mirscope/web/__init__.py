"""mirscope.web: the local web workbench (FastAPI JSON API + browser UI).

:func:`create_app` builds the FastAPI application (OpenAPI docs at ``/docs``,
browser UI at ``/``); :func:`serve` runs it with uvicorn on 127.0.0.1:8124.
Every browser asset is served from locally installed packages (no CDN).

Examples
--------
>>> from fastapi.testclient import TestClient
>>> TestClient(create_app()).get("/api/health").status_code
200
"""

from __future__ import annotations

from mirscope.web.app import DEFAULT_MAX_ROWS, DEFAULT_MAX_UPLOAD_BYTES, create_app
from mirscope.web.server import DEFAULT_HOST, DEFAULT_PORT, serve

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "DEFAULT_PORT",
    "create_app",
    "serve",
]
