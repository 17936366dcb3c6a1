"""A throwaway PostgreSQL server for tests and trials (Debian's ``postgresql`` package).

:class:`PostgresServer` runs ``initdb`` in a temporary folder, starts the server on a Unix
socket only (no TCP port), hands out fresh databases and removes everything when stopped.
As root (CI containers) the server runs as an unprivileged user (``nobody`` unless
``MIRSCOPE_PG_USER`` names another), since PostgreSQL refuses to run as root.

Binaries are looked up in ``MIRSCOPE_PG_BINDIR``, then Debian's
``/usr/lib/postgresql/<version>/bin`` (newest first), then ``PATH``.

Examples
--------
>>> find_bindir() is None or (find_bindir() / "initdb").exists()
True
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from mirscope.errors import MissingDependencyError

__all__ = ["PostgresServer", "find_bindir"]

_INSTALL_HINT = (
    "install Debian's PostgreSQL server (`apt-get install postgresql`; `make test` does it), "
    "or point MIRSCOPE_PG_BINDIR at a folder with initdb and pg_ctl"
)


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or ``None`` when PostgreSQL is missing."""
    env = os.environ.get("MIRSCOPE_PG_BINDIR")
    if env:
        return Path(env) if (Path(env) / "initdb").exists() else None

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", p.parent.parent.name))

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version, reverse=True)
    if debian:
        return debian[0].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PostgresServer:
    """A private PostgreSQL server in a temporary folder, reachable through a Unix socket.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`); :meth:`create_database`
    returns a SQLAlchemy URL of a new, empty database.

    Parameters
    ----------
    run_as
        System user that runs the server when this process is root (default
        ``MIRSCOPE_PG_USER`` or ``nobody``); ignored otherwise.
    """

    _counter = itertools.count(1)

    def __init__(self, *, run_as: str | None = None) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise MissingDependencyError(f"no PostgreSQL server binaries (initdb): {_INSTALL_HINT}")
        self.bindir = bindir
        self.root: Path | None = None
        self._user: str | None = None
        if os.geteuid() == 0:
            self._user = run_as or os.environ.get("MIRSCOPE_PG_USER") or "nobody"
        self.superuser = "postgres"

    # -- life cycle ---------------------------------------------------------------
    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, object] = {}
        if self._user is not None:
            pw = pwd.getpwnam(self._user)
            kwargs = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
        return subprocess.run(  # type: ignore[call-overload,no-any-return]
            list(args),
            check=True,
            capture_output=True,
            text=True,
            cwd=self.root,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
            **kwargs,
        )

    def start(self) -> PostgresServer:
        """Create the cluster and start the server (about 1-2 s)."""
        # a short path: the socket path must stay under ~100 characters
        base = "/tmp" if Path("/tmp").is_dir() else None
        self.root = Path(tempfile.mkdtemp(prefix="mirscope-pg-", dir=base))
        if self._user is not None:
            pw = pwd.getpwnam(self._user)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        data = self.root / "data"
        try:
            self._run(
                str(self.bindir / "initdb"), "-D", str(data), "-U", self.superuser,
                "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
            self._run(
                str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.root / "server.log"),
                "-w", "-t", "60", "-o",
                f"-k {self.root} -c listen_addresses='' -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off",
                "start",
            )  # fmt: skip
        except subprocess.CalledProcessError as err:
            log_file = self.root / "server.log"
            log_text = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            self._cleanup()
            raise MissingDependencyError(
                f"could not start a throwaway PostgreSQL server with {self.bindir}: "
                f"{err.stderr.strip() or err}\n{log_text}"
            ) from err
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop the server and delete its folder (safe to call twice)."""
        if self.root is None:
            return
        with contextlib.suppress(subprocess.CalledProcessError):  # already gone: fine
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate",
                      "-w", "stop")  # fmt: skip
        self._cleanup()

    def _cleanup(self) -> None:
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- databases ----------------------------------------------------------------
    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL (psycopg 3) of database ``dbname`` on this server."""
        if self.root is None:
            raise RuntimeError("the server is not running; call start() first")
        return f"postgresql+psycopg://{self.superuser}@/{dbname}?host={self.root}"

    def create_database(self, *, name: str | None = None, icu_locale: str | None = None) -> str:
        """Create an empty database and return its URL.

        Parameters
        ----------
        name
            Database name (default: ``mirscope_<n>``).
        icu_locale
            Give the database an ICU collation (e.g. ``"en-US"``, as lab servers usually
            have a language collation) instead of the server's ``C.UTF-8``.
        """
        import psycopg

        name = name or f"mirscope_{next(self._counter)}"
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"database name {name!r}: use lowercase letters, digits and _")
        extra = ""
        if icu_locale is not None:
            if not re.fullmatch(r"[A-Za-z0-9_-]+", icu_locale):
                raise ValueError(f"ICU locale {icu_locale!r}: expected e.g. 'en-US'")
            extra = f" LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}'"
        assert self.root is not None
        with psycopg.connect(
            host=str(self.root), user=self.superuser, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0{extra}".encode())
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database (closing its other sessions first)."""
        import psycopg

        assert self.root is not None
        with psycopg.connect(
            host=str(self.root), user=self.superuser, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())
