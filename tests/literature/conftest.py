"""Offline fixtures for the literature tests: a transport replaying recorded E-utilities XML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent.parent / "data" / "literature"


class RecordedTransport:
    """Replays recorded ESearch pages and slices the recorded EFetch set by PMID."""

    def __init__(self, *, fail_efetch_after: int | None = None, fail_always: bool = False) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail_efetch_after = fail_efetch_after
        self.fail_always = fail_always
        xml = (DATA / "efetch_mir124.xml").read_text(encoding="utf-8")
        self.articles = {
            re.search(r"<PMID[^>]*>(\d+)</PMID>", a).group(1): a
            for a in re.findall(r"<PubmedArticle>.*?</PubmedArticle>", xml, flags=re.S)
        }

    def esearch(self, **params: Any) -> bytes:
        self.calls.append(("esearch", params))
        if self.fail_always:
            raise OSError("network unreachable")
        page = "esearch_page1.xml" if int(params.get("retstart", 0)) == 0 else "esearch_page2.xml"
        return (DATA / page).read_bytes()

    def efetch(self, **params: Any) -> bytes:
        self.calls.append(("efetch", params))
        n_fetch = sum(1 for c in self.calls if c[0] == "efetch")
        if self.fail_always or (
            self.fail_efetch_after is not None and n_fetch > self.fail_efetch_after
        ):
            raise OSError("HTTP Error 503: Service Unavailable")
        ids = params["id"].split(",")
        body = "\n".join(self.articles[i] for i in ids if i in self.articles)
        return f"<?xml version='1.0'?>\n<PubmedArticleSet>\n{body}\n</PubmedArticleSet>".encode()


@pytest.fixture
def transport() -> RecordedTransport:
    return RecordedTransport()


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def make_transport():
    return RecordedTransport
