"""Shared test configuration: isolate user directories and use a headless plot backend."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point mirscope's data and cache directories at a per-session temporary folder.

    Tests never read or write the real user data directory.
    """
    base = tmp_path_factory.getbasetemp() / "mirscope-user"
    monkeypatch.setenv("MIRSCOPE_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("MIRSCOPE_CACHE_DIR", str(base / "cache"))


#: The six miRNAs of issue 13's acceptance ("any miRNA"), with best-known targets that are
#: in the shipped data (all must rank in the top 10 of `mirscope kb targets`).
ANY_MIRNA_TARGETS: dict[str, tuple[str, ...]] = {
    "miR-21": ("PTEN", "PDCD4"),
    "miR-34a": ("SIRT1", "BCL2", "MET", "CDK6", "NOTCH1"),
    "miR-155": ("SOCS1", "INPP5D", "TP53INP1"),
    "let-7a": ("KRAS", "NRAS", "HMGA2", "MYC"),
    "miR-200c": ("ZEB1", "ZEB2", "BMI1"),
    "miR-124": ("CDK6", "STAT3"),
}


@pytest.fixture(scope="session")
def fresh_kb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh default knowledge base (review + shipped miRTarBase), built once per session."""
    from mirscope.kb import open_store

    path = tmp_path_factory.mktemp("fresh-kb") / "kb.sqlite"
    open_store(str(path)).close()
    return f"sqlite:///{path}"
