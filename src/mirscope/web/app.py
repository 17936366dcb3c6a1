"""The workbench's FastAPI application: a JSON API and a browser UI over the library.

:func:`create_app` only builds the app: it checks the settings, attaches the shared
:class:`~mirscope.web.dependencies.Workbench`, adds the middleware and error handlers
(:mod:`mirscope.web.middleware`) and includes one router per capability
(:mod:`mirscope.web.routes`). :func:`mirscope.web.serve` runs it with uvicorn on
127.0.0.1. The knowledge base is read-only over HTTP unless the app is created with
``allow_edits=True`` and a ``token`` (then ``POST /api/evidence`` needs
``Authorization: Bearer <token>``). Request bodies are limited to
``max_upload_bytes`` (413) and uploaded tables to ``max_rows`` rows (422). Package
errors become 4xx responses whose ``detail`` says what is wrong.

Examples
--------
>>> from fastapi.testclient import TestClient
>>> client = TestClient(create_app())
>>> client.get("/api/health").json()["status"]
'ok'
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from mirscope import __version__
from mirscope.errors import InputError
from mirscope.web.assets import static_dir
from mirscope.web.dependencies import Workbench
from mirscope.web.middleware import (
    BodyLimitMiddleware,
    HostCheckMiddleware,
    TokenMiddleware,
    add_error_handlers,
)
from mirscope.web.routes import ROUTERS

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_MAX_UPLOAD_BYTES", "create_app"]

log = logging.getLogger(__name__)

#: Default limit of a request body (bytes), e.g. an uploaded cohort table.
DEFAULT_MAX_UPLOAD_BYTES = 5_000_000
#: Default limit of the number of rows of an uploaded table.
DEFAULT_MAX_ROWS = 50_000


def create_app(
    *,
    kb_url: str | None = None,
    allow_edits: bool = False,
    token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    allowed_hosts: Sequence[str] | None = None,
    tokens: Mapping[str, str] | None = None,
    require_token: bool = False,
) -> FastAPI:
    """Build the workbench's FastAPI application.

    Parameters
    ----------
    kb_url
        SQLAlchemy URL of the knowledge base (default: the user's default database,
        see :func:`mirscope.kb.open_store`).
    allow_edits
        Accept edits (``POST``/``PUT /api/evidence``). Requires ``token`` or ``tokens``.
    token
        Bearer token that edit requests must send (``Authorization: Bearer <token>``);
        edits made with it are recorded as made by ``"editor"``.
    tokens
        Named tokens, ``{"alice": "<secret>", ...}``: each curator's edits are recorded
        under the name of the token used.
    require_token
        Every ``/api`` call (reads too) needs one of the tokens (401 otherwise);
        :func:`mirscope.web.serve` sets it for a bind that other machines can reach.
    max_upload_bytes
        Largest request body accepted; larger ones get HTTP 413.
    max_rows
        Largest uploaded table (rows) accepted; larger ones get HTTP 422.
    allowed_hosts
        Accepted ``Host`` headers (others get HTTP 400), e.g. ``["127.0.0.1",
        "localhost"]``, which :func:`mirscope.web.serve` sets on a loopback address so a
        web page elsewhere cannot reach the workbench through DNS rebinding. ``None``
        accepts any host. IPv6 literals are matched without brackets (``::1``).

    Returns
    -------
    fastapi.FastAPI
        The application (OpenAPI documentation at ``/docs``, UI at ``/``).

    Raises
    ------
    InputError
        If ``allow_edits`` is set without a token, or a limit is not positive.

    Examples
    --------
    >>> app = create_app(max_rows=1000)
    >>> app.title
    'mirscope workbench'
    """
    named = dict(tokens or {})
    if token is not None:
        named.setdefault("editor", token)
    if (allow_edits or require_token) and not named:
        raise InputError(
            f"{'allow_edits' if allow_edits else 'require_token'}=True needs a token: requests "
            "are then only accepted with 'Authorization: Bearer <token>' (CLI: --token T)."
        )
    for name, secret in named.items():
        if len(secret) < 8:
            raise InputError(
                f"token {name!r} is {len(secret)} characters long; use at least 8 characters."
            )
    if max_upload_bytes <= 0 or max_rows <= 0:
        raise InputError(
            f"max_upload_bytes ({max_upload_bytes}) and max_rows ({max_rows}) must be positive."
        )
    app = FastAPI(
        title="mirscope workbench",
        version=__version__,
        description=(
            "Local JSON API over mirscope: miRNA evidence with provenance, networks, "
            "binding sites, simulation and clinical analyses. Read-only unless started "
            "with --allow-edits and a token."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.state.workbench = Workbench(
        kb_url=kb_url, allow_edits=allow_edits, token=token, tokens=named,
        max_upload_bytes=max_upload_bytes, max_rows=max_rows, require_token=require_token,
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_upload_bytes)
    if require_token:
        app.add_middleware(TokenMiddleware, tokens=named)
    if allowed_hosts is not None:  # added last: runs first
        app.add_middleware(HostCheckMiddleware, allowed_hosts=list(allowed_hosts))
    add_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(static_dir())), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
