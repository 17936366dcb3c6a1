"""Schema migrations: revisions, `kb upgrade` of older databases, refusal of newer ones.

What the upgrade tests show: a database at revision 0001 (built by the 0001 migration, or
from the SQLite schema mirscope wrote before migrations existed, kept in
``tests/data/kb/schema-v1-pre-alembic.sql``), filled through its own (reflected) tables with
the curated review and a miRTarBase slice, upgrades in place to the current schema, and
every relation reads back unchanged through the current store.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, insert, inspect, select, text

from mirscope import names
from mirscope.cli import main
from mirscope.errors import InputError, SchemaVersionError
from mirscope.kb import (
    Relation,
    load_mirtarbase,
    load_review_relations,
    open_store,
    upgrade_store,
)
from mirscope.kb.migrate import _scripts, alembic_config, head_revision
from mirscope.kb.mirtarbase import mirtarbase_relations
from mirscope.kb.store import SCHEMA_VERSION, metadata

LEGACY_SQL = Path(__file__).resolve().parents[1] / "data" / "kb" / "schema-v1-pre-alembic.sql"


def _migrate(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
    engine.dispose()


@pytest.fixture(scope="module")
def relations() -> list[Relation]:
    """The curated review and 300 miRTarBase interactions (real data, both sources)."""
    rels = [*load_review_relations(), *mirtarbase_relations(load_mirtarbase().head(300))]
    unique = {r.id: r for r in rels}
    assert len(unique) == len(rels)
    return rels


def _write_v1(url: str, rels: list[Relation]) -> None:
    """Fill a schema-version-1 database through its reflected tables (no current code)."""
    engine = create_engine(url)
    md = MetaData()
    md.reflect(engine)
    t = md.tables
    with engine.begin() as conn:
        import_id = conn.execute(
            insert(t["imports"]).values(
                source="review", origin="test", started_at="2026-01-01T00:00:00+00:00",
                n_records=len(rels), n_written=len(rels),
            )
        ).inserted_primary_key[0]  # fmt: skip
        keys = dict.fromkeys(
            k for r in rels for k in ((r.subject, r.subject_type), (r.object, r.object_type))
        )
        conn.execute(
            insert(t["entities"]),
            [{"name": n, "type": ty, "family": _family(n, ty)} for n, ty in keys],
        )
        ents = {(n, ty): i for i, n, ty in conn.execute(select(t["entities"].c.id, t["entities"].c.name, t["entities"].c.type))}
        rows: list[dict[str, Any]] = []
        for r in rels:
            rec = {c.name: getattr(r, c.name, None) for c in t["relations"].columns}
            rec.update(
                subject_id=ents[(r.subject, r.subject_type)],
                object_id=ents[(r.object, r.object_type)],
                cell_lines=list(r.cell_lines), numbers=dict(r.numbers), flags=list(r.flags),
                import_id=import_id,
            )  # fmt: skip
            rows.append(rec)
        conn.execute(insert(t["relations"]), rows)
        refs = [{"relation_id": r.id, "position": i, "ref": x} for r in rels for i, x in enumerate(r.refs)]
        assays = [{"relation_id": r.id, "position": i, "assay": a} for r in rels for i, a in enumerate(r.assays)]
        conn.execute(insert(t["relation_refs"]), refs)
        conn.execute(insert(t["relation_assays"]), assays)
    engine.dispose()


def _schema_version(url: str) -> tuple[str, str | None]:
    engine = create_engine(url)
    with engine.connect() as conn:
        v = conn.execute(text("SELECT value FROM schema_info WHERE key='schema_version'")).scalar()
        rev = None
        if "alembic_version" in inspect(conn).get_table_names():
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    return str(v), rev


def _family(name: str, entity_type: str) -> str | None:
    m = names.try_normalize_mirna(name) if entity_type == "mirna" else None
    return m.family if m is not None else None


# -- the revisions themselves ---------------------------------------------------------------
def test_revisions_form_one_chain_of_schema_versions() -> None:
    scripts = list(reversed(list(_scripts().walk_revisions())))
    assert [s.revision for s in scripts] == [f"{i:04d}" for i in range(1, len(scripts) + 1)]
    assert [s.module.schema_version for s in scripts] == list(range(1, len(scripts) + 1))
    assert scripts[-1].revision == head_revision()
    assert scripts[-1].module.schema_version == SCHEMA_VERSION


def test_migrations_build_exactly_the_current_tables(db_url: str) -> None:
    """`upgrade head` on an empty database = the tables of the current models."""
    _migrate(db_url, "head")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    assert diff == []
    assert _schema_version(db_url) == (str(SCHEMA_VERSION), head_revision())


def test_new_database_is_stamped_at_head(db_url: str) -> None:
    open_store(db_url, build=False).close()
    assert _schema_version(db_url) == (str(SCHEMA_VERSION), head_revision())


# -- upgrading --------------------------------------------------------------------------------
def test_upgrade_from_first_revision_keeps_every_relation(
    db_url: str, relations: list[Relation]
) -> None:
    _migrate(db_url, "0001")
    _write_v1(db_url, relations)
    assert _schema_version(db_url) == ("1", "0001")
    with pytest.raises(SchemaVersionError, match=r"schema version 1, but this mirscope uses schema version \d+\. Upgrade it in place with `mirscope kb upgrade --db"):
        open_store(db_url, build=False)
    result = upgrade_store(db_url)
    assert (result.status, result.from_version, result.to_version) == ("upgraded", 1, SCHEMA_VERSION)
    assert _schema_version(db_url) == (str(SCHEMA_VERSION), head_revision())
    kb = open_store(db_url, build=False)
    stored = {r.id: r for r in kb.all_relations()}
    assert stored == {r.id: r for r in relations}
    log = kb.import_log()
    assert len(log) == 1 and log[0]["mirscope_version"] is None  # not recorded before v2
    kb.add_relations(relations[:5])  # the upgraded database takes writes
    assert kb.import_log()[-1]["mirscope_version"] is not None
    if db_url.startswith("sqlite"):
        assert result.backup is not None and result.backup.exists()
        assert _schema_version(f"sqlite:///{result.backup}") == ("1", "0001")
    kb.close()
    assert upgrade_store(db_url).status == "current"


def test_upgrade_of_a_database_from_before_migrations(
    tmp_path: Path, relations: list[Relation], capsys: pytest.CaptureFixture[str]
) -> None:
    """The schema mirscope wrote before Alembic (no alembic_version table), via the CLI."""
    path = tmp_path / "legacy.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(LEGACY_SQL.read_text(encoding="utf-8"))
        conn.execute("INSERT INTO schema_info VALUES ('schema_version', '1')")
    _write_v1(f"sqlite:///{path}", relations)
    assert main(["kb", "stats", "--db", str(path)]) == 2
    assert "mirscope kb upgrade" in capsys.readouterr().err
    assert main(["kb", "upgrade", "--db", str(path)]) == 0
    err = capsys.readouterr().err
    assert f"from schema version 1 to {SCHEMA_VERSION}" in err and "previous file is kept as" in err
    assert _schema_version(f"sqlite:///{path}") == (str(SCHEMA_VERSION), head_revision())
    assert main(["kb", "export", "--db", str(path)]) == 0
    exported = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {d["id"]: d for d in exported} == {r.id: r.to_record() for r in relations}
    assert main(["kb", "upgrade", "--db", str(path)]) == 0
    assert "nothing to do" in capsys.readouterr().err


def test_failed_upgrade_changes_nothing(db_url: str, relations: list[Relation]) -> None:
    """One transaction: a revision failing half-way leaves schema and data as they were."""
    _migrate(db_url, "0001")
    _write_v1(db_url, relations[:50])
    engine = create_engine(db_url)
    with engine.begin() as conn:  # someone added a column by hand that 0002 also adds
        conn.execute(text("ALTER TABLE imports ADD COLUMN finished_at VARCHAR(40)"))
    with engine.connect() as conn:
        before = sorted(c["name"] for c in inspect(conn).get_columns("imports"))
    engine.dispose()
    with pytest.raises(InputError, match=r"upgrading .* failed and was rolled back, nothing changed"):
        upgrade_store(db_url, backup=False)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        after = sorted(c["name"] for c in inspect(conn).get_columns("imports"))
        n = conn.execute(select(text("count(*)")).select_from(text("relations"))).scalar()
    engine.dispose()
    assert "mirscope_version" not in after  # added before the failure, rolled back
    assert after == before
    assert n == 50
    assert _schema_version(db_url) == ("1", "0001")


@pytest.mark.parametrize(
    ("sql", "match"),
    [
        (
            "UPDATE alembic_version SET version_num = '0099'",
            r"schema version \d+ \(migration 0099\), but this mirscope reads schema versions up to \d+ \(migration \d{4}\)",
        ),
        (
            "UPDATE schema_info SET value = '99' WHERE key = 'schema_version'",
            r"schema version 99 .*reads schema versions up to \d+",
        ),
    ],
)
def test_newer_database_is_refused_by_open_and_upgrade(db_url: str, sql: str, match: str) -> None:
    open_store(db_url, build=False).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()
    with pytest.raises(SchemaVersionError, match=match):
        open_store(db_url, build=False)
    with pytest.raises(SchemaVersionError, match=match):
        upgrade_store(db_url)


def test_upgrade_of_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "upgrade", "--db", str(tmp_path / "nope.sqlite")]) == 2
    assert "no knowledge base at" in capsys.readouterr().err
    assert not (tmp_path / "nope.sqlite").exists()


def test_upgrade_of_empty_database_creates_the_schema(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        sqlite3.connect(db_url.removeprefix("sqlite:///")).close()  # an empty file
    assert upgrade_store(db_url).status == "created"
    assert _schema_version(db_url) == (str(SCHEMA_VERSION), head_revision())


def test_downgrade_and_upgrade_again_keep_the_data(db_url: str, relations: list[Relation]) -> None:
    """Every revision's downgrade() undoes its upgrade() (to 0001 and back to head)."""
    kb = open_store(db_url, build=False)
    kb.add_relations(relations[:40])
    kb.close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    with engine.connect() as conn:
        cols = {c["name"] for c in inspect(conn).get_columns("imports")}
    engine.dispose()
    assert "mirscope_version" not in cols
    assert _schema_version(db_url) == ("1", "0001")
    assert upgrade_store(db_url, backup=False).status == "upgraded"
    kb = open_store(db_url, build=False)
    assert {r.id: r for r in kb.all_relations()} == {r.id: r for r in relations[:40]}
    kb.close()
