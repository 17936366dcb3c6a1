"""Fixtures of the report tests: one knowledge base, the default report, a headless chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
    """The shipped review in a temporary SQLite knowledge base."""
    from mirscope.kb import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('reportkb') / 'kb.sqlite'}"
    open_store(url).close()
    return url


@pytest.fixture(scope="session")
def report_path(kb_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default miR-124 report (all sections, shipped data), written once."""
    from mirscope.report import write_report

    return write_report(tmp_path_factory.mktemp("report") / "mir124.html", "miR-124",
                        kb_url=kb_url)


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


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
