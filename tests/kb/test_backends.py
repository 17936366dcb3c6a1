"""The store on both backends (SQLite file, PostgreSQL server): answers, locks, concurrency.

Tests taking ``db_url`` run once on a SQLite file and once on a fresh database of the
throwaway PostgreSQL server (marker ``postgresql``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mirscope.cli import main
from mirscope.errors import InputError
from mirscope.kb import KnowledgeBase, Relation, open_store, resolve_db_url
from mirscope.kb.database import DatabaseLockError, default_db_url

SRC = Path(__file__).resolve().parents[2] / "src"


def _rel(i: int, **over: object) -> Relation:
    data: dict[str, object] = {
        "id": f"u-{i:04d}",
        "subject": "hsa-miR-124-3p",
        "subject_type": "mirna",
        "relation": "targets",
        "object": f"GENE{i}",
        "object_type": "gene",
        "direction": "down",
        "sign": -1,
        "refs": (i, i + 1),
        "assays": ("luciferase reporter",),
        "evidence": f"sentence {i}",
        "source": "user",
    }
    data.update(over)
    return Relation(**data)  # type: ignore[arg-type]


def _export_lines(kb: KnowledgeBase) -> list[str]:
    return [json.dumps(r.to_record(), ensure_ascii=False) for r in kb.all_relations()]


# -- resolving --db / MIRSCOPE_DB -----------------------------------------------------------
def test_db_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_db_url(None) == default_db_url()
    monkeypatch.setenv("MIRSCOPE_DB", "postgresql://lab@db.example.org/kb")
    assert resolve_db_url(None) == "postgresql+psycopg://lab@db.example.org/kb"
    assert resolve_db_url(str(tmp_path / "x.sqlite")) == f"sqlite:///{tmp_path / 'x.sqlite'}"


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("mysql://u@h/db", r"unsupported knowledge-base URL 'mysql://u@h/db'.*sqlite or postgresql"),
        ("oracle+cx://u@h/db", r"unsupported knowledge-base URL.*postgresql://user@host/dbname"),
        ("postgresql://u@h:notaport/db", r"cannot parse the knowledge-base URL"),
    ],
)
def test_bad_db_urls_are_refused(url: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        resolve_db_url(url)


def test_cli_reads_mirscope_db_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "env.sqlite"
    monkeypatch.setenv("MIRSCOPE_DB", str(path))
    assert main(["kb", "build"]) == 0
    assert str(path) in capsys.readouterr().err
    assert path.exists()
    assert main(["kb", "stats", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["url"] == f"sqlite:///{path}"


def test_cli_bad_db_url_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "stats", "--db", "mysql://u@h/db"]) == 2
    assert "unsupported knowledge-base URL 'mysql://u@h/db'" in capsys.readouterr().err


def test_password_is_hidden_in_messages() -> None:
    with pytest.raises(InputError) as info:
        open_store("postgresql://lab:s3cret@/nodb?host=/nonexistent-socket-dir", build=False)
    assert "s3cret" not in str(info.value)
    assert "lab:***@" in str(info.value)


# -- the same store on both backends -------------------------------------------------------
def test_store_on_each_backend(db_url: str) -> None:
    kb = open_store(db_url)
    hits = kb.query(mirna="miR-124", cancer="HCC", relation="targets")
    assert {"AQP3", "BIRC3", "CAV1"} <= {r.object for r in hits}
    assert kb.add_relations([_rel(i) for i in range(30)]) == 30
    assert kb.add_relations([_rel(i) for i in range(30)]) == 0  # idempotent
    assert kb.add_relations([_rel(3, evidence="changed")]) == 1
    assert [r.evidence for r in kb.query(source="user") if r.id == "u-0003"] == ["changed"]
    before = kb.stats()
    with pytest.raises(InputError, match="given twice with different content"):
        kb.add_relations([_rel(100), _rel(100, evidence="other")])
    assert kb.stats() == before  # nothing of the failed import was written
    log = kb.import_log()
    assert log[-1]["mirscope_version"] and log[-1]["finished_at"] and log[-1]["lock_wait_s"] == 0
    kb.close()


def test_concurrent_first_use_creates_the_schema_once(db_url: str) -> None:
    """Four threads (four engines) open the same empty database at the same time."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def first_use() -> None:
        try:
            barrier.wait()
            KnowledgeBase(db_url).close()
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM schema_info")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def test_concurrent_writers_give_the_sequential_result(db_url: str) -> None:
    """Overlapping imports (shared entities, shared relation ids) = the same imports in turn."""
    batches = [[_rel(i) for i in range(k, k + 400)] for k in (0, 200, 100, 300)]
    kbs = [KnowledgeBase(db_url) for _ in batches]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(batches))

    def write(kb: KnowledgeBase, batch: list[Relation]) -> None:
        try:
            barrier.wait()
            kb.add_relations(batch)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=write, args=(kb, b)) for kb, b in zip(kbs, batches, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    reference = open_store("sqlite://", build=False)
    for b in batches:
        reference.add_relations(b)
    assert _export_lines(kbs[0]) == _export_lines(reference)
    assert sum(row["n_written"] for row in kbs[0].import_log()) == 700  # each id written once
    for kb in kbs:
        kb.close()


def test_lock_wait_is_reported(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    holder = KnowledgeBase(db_url)
    writer = KnowledgeBase(db_url)
    caplog.set_level(logging.WARNING, logger="mirscope.kb.database")
    done = threading.Event()

    def write() -> None:
        writer.add_relations([_rel(1)])
        done.set()

    with holder._writing() as (s, _):
        s.execute(text("SELECT 1"))
        t = threading.Thread(target=write)
        t.start()
        deadline = time.monotonic() + 30
        while "waiting for the write lock" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        assert not done.is_set()  # the writer is blocked, not writing beside us
    t.join(30)
    assert done.is_set()
    assert "waiting for the write lock" in caplog.text
    assert re.search(r"got the write lock on .* after waiting \d+\.\d s", caplog.text)
    assert writer.import_log()[-1]["lock_wait_s"] >= 0.3
    holder.close()
    writer.close()


def test_lock_timeout_names_the_wait(db_url: str) -> None:
    holder = KnowledgeBase(db_url)
    impatient = KnowledgeBase(db_url, lock_timeout=0.5)
    with holder._writing() as (s, _):
        s.execute(text("SELECT 1"))
        with pytest.raises(DatabaseLockError, match=r"for more than 0.5 s; try again"):
            impatient.add_relations([_rel(1)])
    assert impatient.add_relations([_rel(1)]) == 1
    holder.close()
    impatient.close()


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"id": "x" * 129}, r"id is 129 characters long; the knowledge base stores at most 128"),
        ({"object": "G" * 257}, r"object is 257 characters long; .* at most 256\. Shorten it"),
        ({"evidence": "a\x00b"}, r"contains a NUL character"),
        ({"numbers": {"hr": float("nan")}}, r"numbers \['hr'\] hold a non-finite value"),
        ({"assays": ("a" * 129,)}, r"assay 'a+'\.\.\. is 129 characters long"),
    ],
)
def test_unstorable_values_are_refused_on_every_backend(
    db_url: str, over: dict[str, object], match: str
) -> None:
    """What one backend would take and the other refuse is refused by both, up front."""
    kb = open_store(db_url, build=False)
    with pytest.raises(InputError, match=match):
        kb.add_relations([_rel(1), _rel(2, **over)])
    assert kb.all_relations() == []
    kb.close()


# generated imports: both backends against a plain-Python reference (last write wins)
_TEXT = st.text(alphabet="aAbB_zZ-é ß1", min_size=1, max_size=5)
_REL = st.builds(
    lambda i, obj, cancer, ev, refs, assays, num: Relation(
        id=f"h{i}", subject="hsa-miR-124-3p", subject_type="mirna", relation="targets",
        object=obj, object_type="gene", cancer=cancer, evidence=ev, refs=tuple(refs),
        assays=tuple(assays), numbers=num, source="user",
    ),
    st.integers(0, 12),
    _TEXT,
    st.none() | _TEXT,
    st.text(max_size=20).filter(lambda t: "\x00" not in t),
    st.lists(st.integers(1, 300), max_size=3),
    st.lists(_TEXT, max_size=2),
    st.dictionaries(_TEXT, st.integers(-5, 5) | st.floats(allow_nan=False, allow_infinity=False), max_size=2),
)


def _reference_order(rels: dict[str, Relation]) -> list[Relation]:
    return sorted(rels.values(), key=lambda r: (r.source, r.cancer is not None, r.cancer or "", r.id))


@pytest.mark.postgresql
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(_REL, max_size=8), min_size=1, max_size=4))
def test_generated_imports_agree_on_both_backends(pg_server, batches: list[list[Relation]]) -> None:  # type: ignore[no-untyped-def]
    url = pg_server.create_database(icu_locale="en-US")
    pg = KnowledgeBase(url)
    lite = KnowledgeBase("sqlite://")
    reference: dict[str, Relation] = {}
    for batch in batches:
        unique = list({r.id: r for r in batch}.values())  # one content per id per import
        for r in unique:
            reference[r.id] = r
        assert pg.add_relations(unique) == lite.add_relations(unique)
    expected = _reference_order(reference)
    assert lite.all_relations() == expected
    assert pg.all_relations() == expected
    assert pg.stats()["by_cancer"] == lite.stats()["by_cancer"]
    pg.close()
    lite.close()
    pg_server.drop_database(str(make_url(url).database))


# -- identical answers: SQLite vs a PostgreSQL database with a language collation ----------
def _cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mirscope", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def sqlite_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kb build` then `kb import-mirtarbase`, one after the other, on a SQLite file."""
    path = tmp_path_factory.mktemp("ref") / "ref.sqlite"
    assert main(["kb", "build", "--db", str(path)]) == 0
    assert main(["kb", "import-mirtarbase", "--db", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def sqlite_reference(sqlite_built: Path) -> list[str]:
    """The JSON-lines export (`kb export`) of :func:`sqlite_built`."""
    out = sqlite_built.with_suffix(".jsonl")
    assert main(["kb", "export", "--db", str(sqlite_built), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8").splitlines()


@pytest.mark.postgresql
@pytest.mark.slow
def test_two_build_and_import_processes_at_once_on_postgresql(  # type: ignore[no-untyped-def]
    sqlite_reference: list[str], sqlite_built: Path, pg_server
) -> None:
    """The acceptance run: `kb build && kb import-mirtarbase` twice at once, real processes.

    The PostgreSQL database has a language collation (ICU en-US), so equal exports also show
    that ordering does not depend on the server's collation.
    """
    url = pg_server.create_database(icu_locale="en-US")
    engine = create_engine(url)
    with engine.connect() as conn:  # the collation really is not byte order
        assert conn.execute(text("SELECT 'a' < 'B'")).scalar() is True
    engine.dispose()
    env = {**os.environ, "MIRSCOPE_DB": url, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    script = (
        f"{sys.executable} -m mirscope kb build && {sys.executable} -m mirscope kb import-mirtarbase"
    )
    procs = [
        subprocess.Popen(["sh", "-c", script], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    kb = open_store(url, build=False)
    assert _export_lines(kb) == sqlite_reference
    log = kb.import_log()
    assert [row["source"] for row in log].count("review") == 2
    assert sum(row["n_written"] for row in log) == len(sqlite_reference)  # nothing twice
    ref = open_store(str(sqlite_built), build=False)
    skip = {"url", "imports"}  # two processes: each import ran twice (the second wrote nothing)
    assert {k: v for k, v in kb.stats().items() if k not in skip} == {
        k: v for k, v in ref.stats().items() if k not in skip
    }
    kb.close()
    ref.close()


def test_two_first_use_builds_at_once_on_sqlite(tmp_path: Path) -> None:
    """Two `kb build` processes on a new SQLite file: both succeed, no 'already exists'."""
    path = tmp_path / "race.sqlite"
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    procs = [_cli("kb", "build", "--db", str(path), env=env) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "already exists" not in err
    kb = open_store(str(path), build=False)
    reference = open_store("sqlite://")
    assert _export_lines(kb) == _export_lines(reference)
    assert sum(row["n_written"] for row in kb.import_log()) == len(reference.all_relations())
    kb.close()


@pytest.mark.postgresql
def test_cli_messages_never_show_the_password(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_url.replace("postgres@", "postgres:pw-s3cret@")  # the test server trusts anyway
    assert main(["kb", "build", "--db", url]) == 0
    assert main(["kb", "stats", "--db", url, "--format", "json"]) == 0
    out = capsys.readouterr()
    assert "pw-s3cret" not in out.err + out.out
    assert "postgres:***@" in out.err
    assert open_store(url, build=False).url.startswith("postgresql+psycopg://postgres:***@")
