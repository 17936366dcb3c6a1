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
    monkeypatch.delenv("MIRSCOPE_DB", raising=False)  # the user's shared database stays out


# -- PostgreSQL: one throwaway server per test session (tests marked `postgresql`) ----------
@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    """A private PostgreSQL server (initdb in a temp folder, Unix socket), stopped at the end.

    Fails, rather than skips, when Debian's postgresql package is missing: `make test`
    installs it.
    """
    from mirscope.testing.postgres import PostgresServer

    with PostgresServer() as server:
        yield server


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, pg_server) -> str:  # type: ignore[no-untyped-def]
    """URL of a fresh, empty PostgreSQL database (dropped after the test)."""
    if request.node.get_closest_marker("postgresql") is None:
        pytest.fail("tests using pg_url must be marked @pytest.mark.postgresql")
    url = pg_server.create_database()
    yield url
    from sqlalchemy.engine import make_url

    pg_server.drop_database(str(make_url(url).database))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A fresh, empty knowledge-base URL on each tested backend (SQLite file, PostgreSQL)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kb.sqlite'}"
    return str(request.getfixturevalue("pg_url"))
