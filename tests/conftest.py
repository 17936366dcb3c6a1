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
