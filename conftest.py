"""Root pytest configuration: doctests in ``src/mirscope`` get the same isolation as tests.

Point mirscope's data and cache directories at a per-session temporary folder so neither
tests nor doctests read or write the real user directories, and use a headless backend.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _isolated_user_dirs_root(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path_factory.getbasetemp() / "mirscope-user"
    monkeypatch.setenv("MIRSCOPE_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("MIRSCOPE_CACHE_DIR", str(base / "cache"))
    monkeypatch.delenv("MIRSCOPE_DB", raising=False)
