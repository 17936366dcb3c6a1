"""ASGI middleware and exception handlers shared by the whole workbench app.

:class:`BodyLimitMiddleware` refuses request bodies over a byte limit (413) before they
are read; :func:`add_error_handlers` turns the package's exceptions into 4xx responses
whose ``detail`` says what is wrong.

Examples
--------
>>> from fastapi import FastAPI
>>> app = FastAPI()
>>> add_error_handlers(app)
>>> UnknownNameError in app.exception_handlers
True
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

from mirscope.errors import (
    ConvergenceError,
    EmptyResultError,
    InputError,
    MirscopeError,
    MissingDependencyError,
    UnknownNameError,
)

__all__ = [
    "BodyLimitMiddleware",
    "HostCheckMiddleware",
    "TokenMiddleware",
    "add_error_handlers",
    "host_of",
]

ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


async def _send_json(send: Callable[[Any], Awaitable[None]], status: int,
                     content: dict[str, Any], headers: list[tuple[bytes, bytes]] = []) -> None:  # noqa: B006
    body = json.dumps(content).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``max_bytes`` (checks Content-Length, counts bytes)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        return (
            f"Request body too large: the limit is {self.max_bytes} bytes. "
            "Upload a smaller table (fewer rows or columns)."
        )

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    await _send_json(send, 413, {"detail": self._message()},
                                     [(b"connection", b"close")])
                    return
        received = 0

        async def limited_receive() -> Any:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(status_code=413, detail=self._message())
            return message

        await self.app(scope, limited_receive, send)


def host_of(header: str) -> str:
    """The host name of a ``Host`` header, without port; IPv6 without brackets, lower case.

    Examples
    --------
    >>> host_of("[::1]:8124"), host_of("LocalHost:80"), host_of("127.0.0.1")
    ('::1', 'localhost', '127.0.0.1')
    """
    h = header.strip().lower()
    if h.startswith("["):
        end = h.find("]")
        return h[1:end] if end > 0 else h
    if h.count(":") == 1:
        return h.split(":", 1)[0]
    return h  # a bare IPv6 address (no port) or a plain name


class HostCheckMiddleware:
    """Answer 400 unless the ``Host`` header names one of ``allowed_hosts`` (any port).

    Guards a server bound to this machine against DNS rebinding: a web page elsewhere
    cannot reach it through a name that resolves to 127.0.0.1. Handles IPv6 literals
    (``[::1]:8124``), which starlette's ``TrustedHostMiddleware`` does not.
    """

    def __init__(self, app: ASGIApp, *, allowed_hosts: list[str]) -> None:
        self.app = app
        self.allowed = {host_of(h) if h.startswith("[") else h.lower() for h in allowed_hosts}

    async def __call__(self, scope: MutableMapping[str, Any],
                       receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] in ("http", "websocket"):
            header = ""
            for key, value in scope.get("headers", []):
                if key == b"host":
                    header = value.decode("latin-1")
                    break
            if host_of(header) not in self.allowed:
                await _send_json(send, 400, {
                    "detail": f"Invalid Host header {header!r}: this workbench answers only "
                    f"to {sorted(self.allowed)}. Open it by one of those names, or start it "
                    "with --allow-host NAME."})
                return
        await self.app(scope, receive, send)


class TokenMiddleware:
    """Require ``Authorization: Bearer <token>`` (any known token) on every ``/api`` call.

    Used when the workbench listens on a non-loopback interface: then nothing, not even a
    read, is answered without a token. ``tokens`` maps names to secrets.
    """

    def __init__(self, app: ASGIApp, *, tokens: dict[str, str]) -> None:
        self.app = app
        self.tokens = dict(tokens)

    async def __call__(self, scope: MutableMapping[str, Any],
                       receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path.startswith("/api/") or path == "/openapi.json"):
            from mirscope.web.dependencies import token_name

            auth = ""
            for key, value in scope.get("headers", []):
                if key == b"authorization":
                    auth = value.decode("latin-1")
                    break
            scheme, _, given = auth.partition(" ")
            if scheme.lower() != "bearer" or token_name(self.tokens, given.strip()) is None:
                await _send_json(send, 401, {
                    "detail": "This workbench is reachable from the network, so every API call "
                    "needs 'Authorization: Bearer <token>' (the --token it was started with)."},
                    [(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)


def add_error_handlers(app: FastAPI) -> None:
    """Map the package's exceptions to HTTP responses.

    :class:`~mirscope.errors.UnknownNameError` and :class:`~mirscope.errors.EmptyResultError`
    give 404 (the former with ``kind``, ``name`` and ``suggestions``), other
    :class:`~mirscope.errors.InputError` and :class:`~mirscope.errors.ConvergenceError` 422,
    :class:`~mirscope.errors.MissingDependencyError` 501, an edit conflict
    (:class:`~mirscope.kb.edits.EditConflictError`) 409, an edit of a curated record
    (:class:`~mirscope.kb.edits.ProtectedRecordError`) 403, any other package error 400.
    """

    async def unknown(request: Request, err: Exception) -> JSONResponse:
        assert isinstance(err, UnknownNameError)
        return JSONResponse(
            status_code=404,
            content={"detail": str(err), "kind": err.kind, "name": err.name,
                     "suggestions": err.suggestions},
        )

    def status(code: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
        async def handler(request: Request, err: Exception) -> JSONResponse:
            return JSONResponse(status_code=code, content={"detail": str(err)})

        return handler

    from mirscope.kb.edits import EditConflictError, ProtectedRecordError

    app.add_exception_handler(EditConflictError, status(409))
    app.add_exception_handler(ProtectedRecordError, status(403))
    app.add_exception_handler(UnknownNameError, unknown)
    app.add_exception_handler(EmptyResultError, status(404))
    app.add_exception_handler(InputError, status(422))
    app.add_exception_handler(ConvergenceError, status(422))
    app.add_exception_handler(MissingDependencyError, status(501))
    app.add_exception_handler(MirscopeError, status(400))
