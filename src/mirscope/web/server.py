"""Run the workbench with uvicorn (loopback by default).

Examples
--------
>>> check_bind_host("127.0.0.1")
'127.0.0.1'
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping, Sequence

from mirscope.errors import InputError
from mirscope.web.app import DEFAULT_MAX_ROWS, DEFAULT_MAX_UPLOAD_BYTES, create_app

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "allowed_host_names",
    "check_bind_host",
    "is_loopback",
    "parse_tokens",
    "serve",
]

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


def is_loopback(host: str) -> bool:
    """True if only this machine can reach ``host`` (``localhost``, 127.0.0.0/8, ``::1``).

    ``0.0.0.0`` and ``::`` (every interface) are *not* loopback: other machines reach them.

    Examples
    --------
    >>> [is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "::")]
    [True, True, True, False, False]
    """
    if host == "localhost":
        return True
    return ipaddress.ip_address(host).is_loopback


def allowed_host_names(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The ``Host`` names the workbench answers to when bound to ``host``.

    Always the loopback names (``127.0.0.1``, ``localhost``, ``::1``) and ``host`` itself;
    on a wildcard bind (``0.0.0.0``, ``::``) also this machine's name and addresses; plus
    ``extra`` (``--allow-host``).

    Examples
    --------
    >>> allowed_host_names("::1")
    ['127.0.0.1', 'localhost', '::1']
    """
    names = ["127.0.0.1", "localhost", "::1"]
    if host not in ("0.0.0.0", "::"):
        names.append(host)
    else:
        import socket

        hostname = socket.gethostname()
        names += [hostname, socket.getfqdn()]
        try:
            names += [str(info[4][0]) for info in socket.getaddrinfo(hostname, None)]
        except OSError:  # pragma: no cover - no resolver
            log.debug("cannot resolve %s", hostname)
    names += list(extra)
    return list(dict.fromkeys(n.lower() for n in names))


def parse_tokens(values: Sequence[str]) -> dict[str, str]:
    """Named tokens from ``--token`` values: ``NAME=SECRET`` or a bare ``SECRET`` (``editor``).

    Examples
    --------
    >>> parse_tokens(["alice=secret-of-alice", "0123456789ab"])
    {'alice': 'secret-of-alice', 'editor': '0123456789ab'}
    """
    import re

    out: dict[str, str] = {}
    for v in values:
        m = re.fullmatch(r"([A-Za-z][A-Za-z0-9_.-]{0,39})=(.+)", v)
        name, secret = (m.group(1), m.group(2)) if m else ("editor", v)
        if name in out:
            raise InputError(f"--token name {name!r} is given twice; give each curator one name.")
        out[name] = secret
    return out


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    kb_url: str | None = None,
    allow_edits: bool = False,
    token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    tokens: Mapping[str, str] | None = None,
    allow_hosts: Sequence[str] = (),
) -> None:
    """Serve the workbench until interrupted (Ctrl-C).

    On a loopback address (127.0.0.1, ``::1``, ``localhost``) the workbench answers only to
    loopback ``Host`` names (no DNS rebinding). Any other bind (an interface address,
    ``0.0.0.0``, ``::``) is reachable from the network: it needs a token, and then every
    API call (reads too) must send it.

    Parameters
    ----------
    host, port
        Interface and TCP port (default 127.0.0.1:8124).
    kb_url, allow_edits, token, tokens, max_upload_bytes, max_rows
        Passed to :func:`mirscope.web.create_app`.
    allow_hosts
        More ``Host`` names to answer to (e.g. a DNS name of this machine).

    Raises
    ------
    InputError
        Bad port or host, or a non-loopback bind without a token.
    """
    import uvicorn

    if not 0 < port < 65536:
        raise InputError(f"--port {port} is not a TCP port; use 1-65535 (default {DEFAULT_PORT}).")
    host = check_bind_host(host)
    named = dict(tokens or {})
    if token:
        named.setdefault("editor", token)
    loopback = is_loopback(host)
    if not loopback and not named:
        raise InputError(
            f"--host {host} is reachable from other machines, so every API call must carry a "
            "token: add --token T (at least 8 characters; clients send 'Authorization: Bearer "
            "T'), or bind to 127.0.0.1."
        )
    app = create_app(
        kb_url=kb_url, allow_edits=allow_edits, tokens=named,
        max_upload_bytes=max_upload_bytes, max_rows=max_rows,
        allowed_hosts=allowed_host_names(host, allow_hosts),
        require_token=not loopback,
    )
    log.info("loading the knowledge base and name tables")
    app.state.workbench.warm()
    uvicorn.run(app, host=host, port=port, log_level="warning")
