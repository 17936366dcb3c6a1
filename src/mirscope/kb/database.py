"""Knowledge-base connections: which database, engines, and the one-writer-at-a-time lock.

Every command that reads or writes the knowledge base resolves its database with
:func:`resolve_db_url`: an explicit ``--db`` value, else the ``MIRSCOPE_DB`` environment
variable, else the SQLite file in :func:`mirscope.paths.user_data_dir`.

Two backends are tested: SQLite (the default, a file) and PostgreSQL through psycopg 3
(``postgresql://user@host/dbname``; a shared lab database). Writers take a database-wide
lock at the start of their transaction, so two imports at the same time give exactly the
result of one after the other; a writer that has to wait says so on the log (stderr in the
CLI) and says how long it waited.

- SQLite: ``BEGIN IMMEDIATE`` (readers keep reading thanks to WAL).
- PostgreSQL: a transaction-level advisory lock (``pg_advisory_xact_lock``), released at
  commit or rollback; readers are never blocked.

Examples
--------
>>> resolve_db_url("postgresql://lab@db.example.org/mirscope")
'postgresql+psycopg://lab@db.example.org/mirscope'
>>> resolve_db_url("kb.sqlite").startswith("sqlite:///") and resolve_db_url("kb.sqlite").endswith("/kb.sqlite")
True
>>> display_url("postgresql+psycopg://lab:secret@db.example.org/mirscope")
'postgresql+psycopg://lab:***@db.example.org/mirscope'
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from mirscope.errors import InputError, MirscopeError, MissingDependencyError

__all__ = [
    "DB_ENV_VAR",
    "DEFAULT_DB_NAME",
    "DatabaseLockError",
    "default_db_url",
    "display_url",
    "make_engine",
    "resolve_db_url",
]

log = logging.getLogger(__name__)

#: Environment variable holding the knowledge-base URL when ``--db`` is not given.
DB_ENV_VAR = "MIRSCOPE_DB"
DEFAULT_DB_NAME = "mirscope-kb.sqlite"
#: Seconds a writer waits for another writer before giving up.
LOCK_TIMEOUT_S = 600.0
#: Key of the PostgreSQL advisory lock that serialises knowledge-base writers ("mirs").
PG_LOCK_KEY = int.from_bytes(b"mirs", "big")
_SUPPORTED = ("sqlite", "postgresql")


class DatabaseLockError(MirscopeError):
    """Another writer held the knowledge base for longer than the lock timeout."""


def default_db_url() -> str:
    """SQLite URL of the default database in :func:`mirscope.paths.user_data_dir`."""
    from mirscope.paths import user_data_dir

    return f"sqlite:///{(user_data_dir() / DEFAULT_DB_NAME).as_posix()}"


def resolve_db_url(db: str | None = None) -> str:
    """The knowledge-base URL a command should use.

    Parameters
    ----------
    db
        ``--db`` as given: a SQLAlchemy URL (``sqlite:///kb.sqlite``,
        ``postgresql://user@host/dbname``) or a plain path to a SQLite file. ``None`` or
        ``""`` falls back to the ``MIRSCOPE_DB`` environment variable, then to the default
        SQLite file (:func:`default_db_url`).

    Returns
    -------
    str
        A SQLAlchemy URL; PostgreSQL URLs use the psycopg 3 driver
        (``postgresql+psycopg://``).

    Raises
    ------
    InputError
        If the URL names a database other than SQLite or PostgreSQL, or does not parse.

    Examples
    --------
    >>> resolve_db_url("sqlite://")
    'sqlite://'
    >>> resolve_db_url("mysql://x@y/z")
    Traceback (most recent call last):
    ...
    mirscope.errors.InputError: unsupported knowledge-base URL 'mysql://x@y/z': mirscope stores its knowledge base in sqlite or postgresql; use sqlite:///path/kb.sqlite, a plain file path, or postgresql://user@host/dbname
    """
    raw = db or os.environ.get(DB_ENV_VAR) or ""
    if not raw.strip():
        return default_db_url()
    raw = raw.strip()
    if "://" not in raw:  # a plain file path means a SQLite file
        return f"sqlite:///{Path(raw).expanduser().resolve().as_posix()}"
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as err:
        raise InputError(
            f"cannot parse the knowledge-base URL {raw!r}: {err}; expected e.g. "
            "postgresql://user@host/dbname or sqlite:///path/kb.sqlite"
        ) from err
    backend = url.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in _SUPPORTED:
        raise InputError(
            f"unsupported knowledge-base URL {raw!r}: mirscope stores its knowledge base in "
            f"{' or '.join(_SUPPORTED)}; use sqlite:///path/kb.sqlite, a plain file path, or "
            "postgresql://user@host/dbname"
        )
    if backend == "postgresql" and "+" not in url.drivername:  # psycopg 3, explicitly
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """``url`` with its password hidden, for messages and logs."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return url
    return url if parsed.password is None else parsed.render_as_string(hide_password=True)


# ---------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------
def make_engine(url: str, *, lock_timeout: float = LOCK_TIMEOUT_S) -> Engine:
    """A SQLAlchemy engine for ``url`` with mirscope's transaction and lock handling.

    SQLite connections run in WAL mode with foreign keys on, and every transaction is begun
    explicitly (``BEGIN``), so DDL takes part in transactions too (a schema upgrade rolls
    back as a whole). A connection with the execution option ``mirscope_write=True`` begins
    with ``BEGIN IMMEDIATE`` (the SQLite write lock).
    """
    backend = make_url(url).get_backend_name()
    try:
        if backend == "sqlite":
            return _sqlite_engine(url, lock_timeout)
        return create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"application_name": "mirscope"},
        )
    except (ModuleNotFoundError, NoSuchModuleError) as err:
        missing = MissingDependencyError(
            f"the PostgreSQL driver psycopg 3 is not installed (needed for {display_url(url)})"
        )
        missing.add_note("install it with: pip install 'mirscope[postgresql]' (psycopg[binary])")
        raise missing from err


def _sqlite_engine(url: str, lock_timeout: float) -> Engine:
    memory = url in ("sqlite://", "sqlite:///:memory:")
    if memory:
        from sqlalchemy.pool import StaticPool

        engine = create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if memory and conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            return  # one shared in-memory connection: nested sessions share its transaction
        if conn.get_execution_options().get("mirscope_write"):
            _sqlite_begin_immediate(conn, url, lock_timeout)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _sqlite_begin_immediate(conn: Connection, url: str, lock_timeout: float) -> None:
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cur = dbapi.cursor()
    try:
        cur.execute("PRAGMA busy_timeout=0")
        try:
            cur.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise
        log.warning(
            "waiting for the write lock on %s: another process is writing to it "
            "(waiting up to %.0f s)",
            display_url(url),
            lock_timeout,
        )
        t0 = time.monotonic()
        cur.execute(f"PRAGMA busy_timeout={int(lock_timeout * 1000)}")
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise DatabaseLockError(
                f"another process has been writing to {display_url(url)} for more than "
                f"{lock_timeout:g} s; try again when it has finished"
            ) from err
        waited = time.monotonic() - t0
        conn.info["mirscope_lock_wait_s"] = waited
        log.warning("got the write lock on %s after waiting %.1f s", display_url(url), waited)
    finally:
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()


def acquire_write_lock(conn: Connection, url: str, *, lock_timeout: float = LOCK_TIMEOUT_S) -> float:
    """Take the knowledge-base write lock for the transaction open on ``conn``.

    SQLite connections got it when their transaction began (``mirscope_write``); on
    PostgreSQL this takes the advisory lock, reporting a wait on the log.

    Returns
    -------
    float
        Seconds spent waiting for another writer (0 when the lock was free).
    """
    if conn.dialect.name == "sqlite":
        return float(conn.info.pop("mirscope_lock_wait_s", 0.0))
    if conn.dialect.name != "postgresql":  # pragma: no cover - refused by resolve_db_url
        return 0.0
    if conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY}).scalar():
        return 0.0
    holder = conn.execute(
        text(
            "SELECT a.pid, a.application_name, a.usename, "
            "EXTRACT(EPOCH FROM now() - a.xact_start) FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            "AND l.granted AND l.classid = 0 AND l.objid = :k AND l.objsubid = 1 LIMIT 1"
        ),
        {"k": PG_LOCK_KEY},
    ).first()
    who = (
        f"session {holder[0]} ({holder[1] or 'unnamed client'}, role {holder[2]}, "
        f"writing for {float(holder[3] or 0):.1f} s)"
        if holder is not None
        else "another session"
    )
    log.warning(
        "waiting for the write lock on %s: %s is writing to it (waiting up to %.0f s)",
        display_url(url),
        who,
        lock_timeout,
    )
    t0 = time.monotonic()
    conn.execute(text(f"SET LOCAL lock_timeout = {int(lock_timeout * 1000)}"))
    try:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
    except OperationalError as err:
        raise DatabaseLockError(
            f"{who} has been writing to {display_url(url)} for more than {lock_timeout:g} s; "
            "try again when it has finished"
        ) from err
    conn.execute(text("SET LOCAL lock_timeout = 0"))
    waited = time.monotonic() - t0
    log.warning("got the write lock on %s after waiting %.1f s", display_url(url), waited)
    return waited
