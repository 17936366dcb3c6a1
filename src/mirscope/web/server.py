"""Run the workbench with uvicorn (loopback by default).

Examples
--------
>>> check_bind_host("127.0.0.1")
'127.0.0.1'
"""

from __future__ import annotations

import ipaddress
import logging

from mirscope.errors import InputError
from mirscope.web.app import DEFAULT_MAX_ROWS, DEFAULT_MAX_UPLOAD_BYTES, create_app

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "check_bind_host", "serve"]

log = logging.getLogger(__name__)

#: The workbench binds to the loopback interface unless told otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8124


def check_bind_host(host: str) -> str:
    """Return ``host`` if it is ``localhost`` or an IP address, else raise.

    Parameters
    ----------
    host
        Interface to bind, e.g. ``127.0.0.1`` (default), ``::1`` or ``0.0.0.0``.

    Raises
    ------
    InputError
        If ``host`` is neither ``localhost`` nor an IP address.
    """
    if host == "localhost":
        return host
    try:
        ip = ipaddress.ip_address(host)
    except ValueError as err:
        raise InputError(
            f"--host {host!r} is not an IP address; use 127.0.0.1 (default, this machine "
            "only), ::1, or an interface address."
        ) from err
    if not ip.is_loopback:
        log.warning(
            "binding to %s: the workbench is reachable from other machines on the network", host
        )
    return host


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    kb_url: str | None = None,
    allow_edits: bool = False,
    token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> None:
    """Serve the workbench until interrupted (Ctrl-C).

    Parameters
    ----------
    host, port
        Interface and TCP port (default 127.0.0.1:8124).
    kb_url, allow_edits, token, max_upload_bytes, max_rows
        Passed to :func:`mirscope.web.create_app`.
    """
    import uvicorn

    if not 0 < port < 65536:
        raise InputError(f"--port {port} is not a TCP port; use 1-65535 (default {DEFAULT_PORT}).")
    host = check_bind_host(host)
    # on loopback, only accept requests addressed to loopback names (no DNS rebinding)
    loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    app = create_app(
        kb_url=kb_url, allow_edits=allow_edits, token=token,
        max_upload_bytes=max_upload_bytes, max_rows=max_rows,
        allowed_hosts=["127.0.0.1", "localhost", host] if loopback and ":" not in host else None,
    )
    log.info("loading the knowledge base and name tables")
    app.state.workbench.warm()
    uvicorn.run(app, host=host, port=port, log_level="warning")
