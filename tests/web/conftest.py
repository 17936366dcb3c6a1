"""Fixtures of the web tests: a test client, a live uvicorn server and a headless chromium.

The live server runs the real app with uvicorn in a thread on a free loopback port;
the browser is Debian's chromium (``/usr/bin/chromium``) driven by Playwright.
Screenshots go to ``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # starlette's TestClient warns when it runs on httpx rather than httpx2
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A knowledge base for the web tests: the shipped review in a temporary SQLite file."""
    from mirscope.kb import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('webkb') / 'kb.sqlite'}"
    open_store(url).close()  # builds it from the curated review
    return url


@pytest.fixture(scope="session")
def app(kb_url: str) -> Any:
    from mirscope.web import create_app

    return create_app(kb_url=kb_url, max_upload_bytes=200_000, max_rows=1_000)


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[Any]:
    with TestClient(app) as c:
        yield c


class LiveServer:
    """A uvicorn server running ``app`` in a background thread on 127.0.0.1."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start within 20 s")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="session")
def live_server_class() -> type[LiveServer]:
    """The :class:`LiveServer` class, for tests that serve an app of their own."""
    return LiveServer


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[LiveServer]:
    server = LiveServer(app)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless chromium for one test module (one Playwright instance at a time)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh page; it fails the test on JavaScript errors or a request leaving loopback."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    pg = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "request",
        lambda req: outside.append(req.url)
        if not req.url.startswith((live_server.url, "data:", "blob:", "about:"))
        else None,
    )
    pg.set_default_timeout(30_000)
    try:
        yield pg
    finally:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not outside, f"requests outside the local server: {outside}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
