"""Atomic output never replaces a device or FIFO with a regular file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from mirscope._files import atomic_write


def test_regular_file_replaced_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "o.txt"
    out.write_text("old")
    with pytest.raises(RuntimeError, match="boom"), atomic_write(out) as fh:
        fh.write("new")
        raise RuntimeError("boom")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["o.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    t = threading.Thread(target=reader)
    t.start()
    with atomic_write(fifo) as fh:
        fh.write("row\n")
    t.join(timeout=10)
    assert got == [b"row\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_dev_null_stays_a_device() -> None:
    with atomic_write("/dev/null") as fh:
        fh.write("discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
