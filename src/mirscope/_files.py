"""Atomic file output, shared by every writer in mirscope.

Outputs are written to a temporary file beside the target and renamed over it only when
writing succeeded, so an error never leaves a half-written file. The temporary file gets
the normal permissions of a new file (``0o666`` minus the umask) before the rename, since
:func:`tempfile.mkstemp` creates it ``0o600``.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "o.txt"
>>> with atomic_write(p) as fh:
...     _ = fh.write("ok")
>>> p.read_text()
'ok'
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Literal

__all__ = ["atomic_path", "atomic_write"]


def _is_special(path: Path) -> bool:
    """True when ``path`` exists and is not a regular file (a device, FIFO or socket)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``path`` for a writer that wants a file name.

    On success the file is renamed over ``path``; if the body raises it is removed.
    ``suffix`` lets writers that infer the format from the name (matplotlib) see it.
    The folder of ``path`` must exist (callers decide whether to create it).
    """
    target = Path(path)
    special = _is_special(target)
    # For a device or FIFO the temporary file goes to the system's temp folder, not beside it.
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=suffix, dir=None if special else target.parent
    )
    os.close(fd)
    try:
        yield Path(tmp)
        if special:
            # A device or FIFO (``-o /dev/null``, ``-o /dev/stdout``, a named pipe) is never
            # replaced by a renamed regular file: the finished output is copied into it.
            with open(tmp, "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            Path(tmp).unlink()
        else:
            os.chmod(tmp, _new_file_mode())
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, mode: Literal["w", "wb"] = "w", suffix: str = ".tmp"
) -> Iterator[IO]:  # type: ignore[type-arg]
    """Open a temporary file beside ``path`` (text: UTF-8, newlines untranslated) and
    rename it over ``path`` only when the body succeeds."""
    with atomic_path(path, suffix=suffix) as tmp:
        kwargs = {"encoding": "utf-8", "newline": ""} if mode == "w" else {}
        with open(tmp, mode, **kwargs) as fh:  # type: ignore[call-overload]
            yield fh
