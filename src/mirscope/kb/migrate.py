"""Schema versions and migrations of the knowledge base (Alembic, shipped in the package).

The schema version is kept twice, consistently: ``schema_info.schema_version`` (an integer,
what older mirscope releases read) and Alembic's ``alembic_version`` table (the revision id,
``0001``, ``0002``...). Every revision module in :mod:`mirscope.kb.migrations` names the
schema version it produces. Databases built before migrations existed have no
``alembic_version`` table; they are schema version 1, revision ``0001``.

:func:`upgrade_store` (``mirscope kb upgrade``) brings an older database to the current
version in place, in one transaction that holds the knowledge-base write lock, after copying
a SQLite file to a backup beside it. A database newer than this mirscope is refused.

Examples
--------
>>> from mirscope.kb.store import SCHEMA_VERSION
>>> revision_for_version(SCHEMA_VERSION) == head_revision()
True
>>> upgrade_store("sqlite://").status  # an empty database gets the current schema
'created'
"""

from __future__ import annotations

import datetime as _dt
import functools
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError

from mirscope.errors import InputError, SchemaVersionError
from mirscope.kb.database import acquire_write_lock, display_url, make_engine, resolve_db_url

__all__ = [
    "DatabaseState",
    "UpgradeResult",
    "alembic_config",
    "database_state",
    "head_revision",
    "revision_for_version",
    "upgrade_store",
]

log = logging.getLogger(__name__)

_MIRSCOPE_TABLES = ("schema_info", "entities", "relations")


def alembic_config(connection: Connection | None = None) -> Any:
    """An Alembic ``Config`` for the shipped migrations (``connection`` runs them).

    Examples
    --------
    >>> alembic_config().get_main_option("script_location")
    'mirscope.kb:migrations'
    """
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "mirscope.kb:migrations")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def _scripts() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


@functools.cache
def _versions() -> dict[str, int]:
    """Revision id -> schema version, for every shipped revision."""
    out: dict[str, int] = {}
    for script in _scripts().walk_revisions():
        v = getattr(script.module, "schema_version", None)
        if not isinstance(v, int):  # pragma: no cover - guarded by a test over all revisions
            raise RuntimeError(f"migration {script.revision} does not set schema_version")
        out[script.revision] = v
    return out


def head_revision() -> str:
    """The newest shipped revision id."""
    return str(_scripts().get_current_head())


def revision_for_version(version: int) -> str:
    """The revision id that produces schema ``version``."""
    for rev, v in _versions().items():
        if v == version:
            return rev
    raise SchemaVersionError(f"no migration produces schema version {version}")


@dataclass(frozen=True)
class DatabaseState:
    """What a database holds: mirscope tables, schema version and Alembic revision."""

    empty: bool
    schema_version: str | None
    revision: str | None

    def version_number(self) -> int:
        """``schema_version`` as an int (legacy databases without the row: 1)."""
        if self.schema_version is None:
            return 1
        try:
            return int(self.schema_version)
        except ValueError:
            return -1


def database_state(conn: Connection) -> DatabaseState:
    """Read the schema version and Alembic revision of the database behind ``conn``."""
    tables = set(inspect(conn).get_table_names())
    if not tables.intersection(_MIRSCOPE_TABLES):
        return DatabaseState(empty=True, schema_version=None, revision=None)
    version = None
    if "schema_info" in tables:
        version = conn.execute(
            text("SELECT value FROM schema_info WHERE key = 'schema_version'")
        ).scalar()
    revision = None
    if "alembic_version" in tables:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return DatabaseState(
        empty=False,
        schema_version=None if version is None else str(version),
        revision=None if revision is None else str(revision),
    )


def check_state(state: DatabaseState, url: str) -> Literal["current", "older"]:
    """Compare a database's versions with this mirscope's.

    Raises
    ------
    SchemaVersionError
        If the database is newer than this mirscope (naming both versions), its schema
        version is not a number, or its two version records disagree.
    """
    from mirscope.kb.store import SCHEMA_VERSION

    found = state.version_number()
    known = _versions()
    newer = found > SCHEMA_VERSION or (
        state.revision is not None and state.revision not in known
    )
    if found < 1 or newer:
        rev = f" (migration {state.revision})" if state.revision else ""
        raise SchemaVersionError(
            f"the knowledge base {display_url(url)} was written by mirscope schema version "
            f"{state.schema_version}{rev}, but this mirscope reads schema versions up to "
            f"{SCHEMA_VERSION} (migration {head_revision()}). Upgrade mirscope "
            "(pip install -U mirscope), or build a database for this version with "
            "`mirscope kb build --db <new database>`."
        )
    if state.revision is not None and known[state.revision] != found:
        raise SchemaVersionError(
            f"the knowledge base {display_url(url)} is inconsistent: schema_info says schema "
            f"version {found} but its migration {state.revision} is schema version "
            f"{known[state.revision]}; restore it from a backup"
        )
    return "current" if found == SCHEMA_VERSION else "older"


def stamp_new(conn: Connection) -> None:
    """Record the head revision in a database whose tables were just created."""
    from alembic.runtime.migration import MigrationContext

    MigrationContext.configure(conn, opts={"transactional_ddl": True}).stamp(
        _scripts(), head_revision()
    )


@dataclass(frozen=True)
class UpgradeResult:
    """What :func:`upgrade_store` did."""

    url: str
    status: Literal["upgraded", "current", "created"]
    from_version: int | None
    to_version: int
    backup: Path | None

    def message(self) -> str:
        """One line for the user."""
        if self.status == "current":
            return f"{self.url} is at schema version {self.to_version} already; nothing to do."
        if self.status == "created":
            return f"{self.url} was empty: created schema version {self.to_version}."
        backup = f"; the previous file is kept as {self.backup}" if self.backup else ""
        return (
            f"Upgraded {self.url} from schema version {self.from_version} to "
            f"{self.to_version}{backup}."
        )


def _sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _backup_sqlite(path: Path, version: int) -> Path:
    """Copy a SQLite database (consistently, WAL included) next to itself."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    dst = path.with_name(f"{path.stem}.schema-v{version}.{stamp}.bak{path.suffix or '.sqlite'}")
    tmp = dst.with_name(dst.name + ".part")
    src = sqlite3.connect(path)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    tmp.replace(dst)
    return dst


def upgrade_store(url: str | None = None, *, backup: bool = True) -> UpgradeResult:
    """Bring a knowledge base to this mirscope's schema version, in place.

    Parameters
    ----------
    url
        The database (``--db``); ``None`` resolves as every command does
        (:func:`mirscope.kb.database.resolve_db_url`).
    backup
        For a SQLite file, first copy it to
        ``<name>.schema-v<old>.<UTC time>.bak.sqlite`` beside it. (A PostgreSQL server is
        backed up with ``pg_dump``; see ``docs/kb-postgresql.md``.)

    Returns
    -------
    UpgradeResult
        Old and new schema versions and the backup file.

    Raises
    ------
    SchemaVersionError
        If the database is newer than this mirscope.
    InputError
        If the database cannot be opened or a migration fails; the transaction is rolled
        back and the database is left as it was.

    Notes
    -----
    All pending revisions run in one transaction holding the knowledge-base write lock, so
    the upgrade either completes or leaves nothing changed (SQLite and PostgreSQL both
    roll back schema changes). A database without mirscope tables gets the current schema.
    """
    from alembic import command

    from mirscope.kb.store import SCHEMA_VERSION, metadata

    url = resolve_db_url(url)
    shown = display_url(url)
    path = _sqlite_path(url)
    if path is not None and not path.exists():
        raise InputError(
            f"no knowledge base at {path}; build one with `mirscope kb build --db {path}`"
        )
    engine = make_engine(url)
    try:
        try:
            with engine.connect() as conn:
                state = database_state(conn)
                conn.rollback()
        except SQLAlchemyError as err:
            raise InputError(f"cannot open the knowledge base {shown}: {err}") from err
        if not state.empty and check_state(state, url) == "current":
            return UpgradeResult(shown, "current", SCHEMA_VERSION, SCHEMA_VERSION, None)
        old = None if state.empty else state.version_number()
        saved: Path | None = None
        try:
            with engine.connect() as conn:
                conn.execution_options(mirscope_write=True)
                with conn.begin():
                    acquire_write_lock(conn, url)
                    state = database_state(conn)  # again, under the lock
                    if state.empty:
                        metadata.create_all(conn)
                        conn.execute(
                            text(
                                "INSERT INTO schema_info (key, value) "
                                "VALUES ('schema_version', :v)"
                            ),
                            {"v": str(SCHEMA_VERSION)},
                        )
                        stamp_new(conn)
                        return UpgradeResult(shown, "created", None, SCHEMA_VERSION, None)
                    if check_state(state, url) == "current":  # someone else upgraded it
                        return UpgradeResult(shown, "current", SCHEMA_VERSION, SCHEMA_VERSION, None)
                    old = state.version_number()
                    if backup and path is not None:
                        # under the write lock: nobody can commit between backup and upgrade
                        saved = _backup_sqlite(path, old)
                        log.info("backed up %s to %s", shown, saved)
                    cfg = alembic_config(conn)
                    if state.revision is None:  # built before migrations existed
                        if state.schema_version is None:
                            conn.execute(
                                text(
                                    "INSERT INTO schema_info (key, value) "
                                    "VALUES ('schema_version', :v)"
                                ),
                                {"v": str(state.version_number())},
                            )
                        command.stamp(cfg, revision_for_version(state.version_number()))
                    command.upgrade(cfg, "head")
                    after = database_state(conn)
                    if check_state(after, url) != "current":  # pragma: no cover - revision bug
                        raise SchemaVersionError(
                            f"the migrations left {shown} at schema version "
                            f"{after.schema_version}, expected {SCHEMA_VERSION}"
                        )
        except SQLAlchemyError as err:
            raise InputError(
                f"upgrading {shown} failed and was rolled back, nothing changed: {err}"
            ) from err
        log.info("upgraded %s from schema version %s to %s", shown, old, SCHEMA_VERSION)
        return UpgradeResult(shown, "upgraded", old, SCHEMA_VERSION, saved)
    finally:
        engine.dispose()
