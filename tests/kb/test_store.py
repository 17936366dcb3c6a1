"""The SQLAlchemy store: building, querying, transactions, idempotence, schema versions."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope.errors import InputError, SchemaVersionError, UnknownNameError
from mirscope.kb import KnowledgeBase, Relation, load_review_relations, open_store
from mirscope.kb.store import SCHEMA_VERSION

NBH = "\u2011"


@pytest.fixture(scope="module")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base built once from the curated review (copied by mutating tests)."""
    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    kb = open_store(str(path))
    kb.close()
    return path


@pytest.fixture
def kb(built_db: Path) -> KnowledgeBase:
    return open_store(f"sqlite:///{built_db}", build=False)


@pytest.fixture
def kb_copy(built_db: Path, tmp_path: Path) -> KnowledgeBase:
    dst = tmp_path / "copy.sqlite"
    with sqlite3.connect(built_db) as src_conn, sqlite3.connect(dst) as dst_conn:
        src_conn.backup(dst_conn)
    return open_store(f"sqlite:///{dst}", build=False)


def _rel(i: int, **over: object) -> Relation:
    data: dict[str, object] = {
        "id": f"u-{i:03d}",
        "subject": "hsa-miR-124-3p",
        "subject_type": "mirna",
        "relation": "targets",
        "object": f"GENE{i}",
        "object_type": "gene",
        "direction": "down",
        "sign": -1,
        "refs": (i,),
        "assays": ("RT-qPCR",),
        "evidence": f"sentence {i}",
        "source": "user",
    }
    data.update(over)
    return Relation(**data)  # type: ignore[arg-type]


def test_build_holds_every_review_relation(kb: KnowledgeBase) -> None:
    review = load_review_relations()
    assert kb.stats()["by_source"]["review"] == len(review)
    stored = {r.id: r for r in kb.all_relations()}
    assert all(stored[r.id] == r for r in review)  # round trip, field by field


def test_sqlite_uses_wal(built_db: Path) -> None:
    with sqlite3.connect(built_db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = conn.execute(
            "SELECT value FROM schema_info WHERE key='schema_version'"
        ).fetchone()[0]
    assert int(version) == SCHEMA_VERSION


def test_default_database_lives_in_user_data_dir(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MIRSCOPE_DATA_DIR", str(tmp_path / "udata"))
    kb = open_store()
    assert (tmp_path / "udata" / "mirscope-kb.sqlite").is_file()
    assert kb.stats()["relations"] == len(load_review_relations())
    kb.close()
    again = open_store()  # second use: nothing rebuilt, nothing duplicated
    assert again.stats()["imports"] == 1
    assert again.stats()["relations"] == len(load_review_relations())


def test_acceptance_hcc_targets(kb: KnowledgeBase) -> None:
    hits = kb.query(mirna=f"miR{NBH}124", cancer="HCC", relation="targets")
    targets = {r.object for r in hits}
    # the HCC targets the review names: BIRC3 (36), EZH2 (105), AQP3 (109), PIK3CA (188),
    # TRAF6 (191) and the garbled CAV1 sentence
    assert {"BIRC3", "EZH2", "AQP3", "PIK3CA", "TRAF6"} <= targets
    for r in hits:
        assert r.subject.startswith("hsa-miR-124") and r.cancer == "hepatocellular carcinoma"
        assert r.evidence and r.evidence_start is not None
        assert r.refs or r.flags


@pytest.mark.parametrize(
    "spelling", [f"miR{NBH}124", "miR-124", "microRNA-124", "miR124", "miR-124a", "MiR-124"]
)
def test_query_accepts_any_spelling(kb: KnowledgeBase, spelling: str) -> None:
    assert kb.query(mirna=spelling, cancer="BC") == kb.query(mirna="miR-124", cancer="breast")


def test_explicit_arm_is_exact(kb: KnowledgeBase) -> None:
    fam = kb.query(mirna="miR-124")
    exact = kb.query(mirna="hsa-miR-124-3p")
    assert {r.id for r in exact} <= {r.id for r in fam}
    assert all("hsa-miR-124-3p" in (r.subject, r.object) for r in exact)
    assert kb.query(mirna="MIMAT0000422") == exact


def test_gene_filter_matches_subject_or_object(kb: KnowledgeBase) -> None:
    hits = kb.query(gene="signal transducer and activator of transcription 3")
    assert hits
    assert all("STAT3" in (r.subject, r.object) for r in hits)
    assert any(r.subject == "STAT3" for r in hits) or any(r.object == "STAT3" for r in hits)
    assert kb.query(gene="stat3") == hits


def test_pathway_filter_matches_relations_touching_it(kb: KnowledgeBase) -> None:
    hits = kb.query(pathway="PI3K/AKT signaling pathway")
    assert hits
    assert all("PI3K/Akt" in (r.subject, r.object) for r in hits)


def test_cancer_filter_includes_subtypes(kb: KnowledgeBase) -> None:
    lung = {r.id for r in kb.query(cancer="lung cancer")}
    nsclc = {r.id for r in kb.query(cancer="NSCLC")}
    assert nsclc and nsclc <= lung


def test_query_without_hits_is_empty_and_hints(kb: KnowledgeBase) -> None:
    assert kb.query(gene="STAT3", cancer="HCC", relation="targets") == []
    hints = kb.suggest_filters(gene="STAT3", cancer="HCC", relation="targets")
    gene_hint = next(h for h in hints if h.startswith("--gene:"))
    assert "BIRC3" in gene_hint  # HCC targets exist, STAT3 is just not one of them
    assert any(h.startswith("--cancer:") and "breast cancer" in h for h in hints)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"relation": "target"}, UnknownNameError, r"Unknown relation type 'target'.*targets"),
        ({"source": "pubmed"}, InputError, r"unknown source 'pubmed'; valid sources are review"),
        ({"gene": "STAT33"}, UnknownNameError, r"Unknown gene symbol 'STAT33'"),
        ({"cancer": "brest"}, UnknownNameError, r"Unknown cancer type 'brest'"),
        ({"pathway": "Wnt/beta-cattenin"}, UnknownNameError, r"Unknown pathway"),
    ],
)
def test_bad_query_values(
    kb: KnowledgeBase, kwargs: dict[str, str], error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        kb.query(**kwargs)


def test_add_relations_is_idempotent(kb_copy: KnowledgeBase) -> None:
    before = kb_copy.stats()["relations"]
    rels = [_rel(i) for i in range(5)]
    assert kb_copy.add_relations(rels) == 5
    assert kb_copy.add_relations(rels) == 0
    assert kb_copy.stats()["relations"] == before + 5
    changed = [*rels[:4], _rel(4, refs=(99, 100))]
    assert kb_copy.add_relations(changed) == 1  # updated in place, not duplicated
    assert kb_copy.stats()["relations"] == before + 5
    (r4,) = [r for r in kb_copy.query(source="user") if r.id == "u-004"]
    assert r4.refs == (99, 100)


def test_failing_row_rolls_back_everything(kb_copy: KnowledgeBase) -> None:
    before = kb_copy.all_relations()
    batch = [_rel(i) for i in range(1, 1200)] + [_rel(1, evidence="different")]
    with pytest.raises(InputError, match=r"relation id 'u-001' is given twice"):
        kb_copy.add_relations(batch)
    assert kb_copy.all_relations() == before  # the 1,199 rows before it were rolled back
    assert kb_copy.stats()["imports"] == 1


def test_database_error_rolls_back(kb_copy: KnowledgeBase, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    before = kb_copy.stats()
    original = KnowledgeBase._write_rows
    calls = {"n": 0}

    def flaky(self, s, new, changed, import_id, ent_ids):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch of 500 fails at the database
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return original(self, s, new, changed, import_id, ent_ids)

    monkeypatch.setattr(KnowledgeBase, "_write_rows", flaky)
    with pytest.raises(InputError, match="nothing was written"):
        kb_copy.add_relations([_rel(i) for i in range(800)])
    assert calls["n"] == 2
    monkeypatch.undo()
    assert kb_copy.stats() == before


def test_newer_schema_is_refused(built_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    shutil.copy(built_db, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_info SET value='99' WHERE key='schema_version'")
    with pytest.raises(
        SchemaVersionError, match=rf"schema version 99.*reads schema versions up to {SCHEMA_VERSION}"
    ):
        open_store(str(path))


def test_changed_review_fingerprint_rebuilds(kb_copy: KnowledgeBase) -> None:
    url = kb_copy.url
    kb_copy.add_relations([_rel(1, source="review", id="stale-review-1")])
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE schema_info SET value='old' WHERE key='review_fingerprint'")
    kb_copy.close()
    rebuilt = open_store(url)
    ids = {r.id for r in rebuilt.query(source="review")}
    assert "stale-review-1" not in ids  # review relations are replaced as a whole
    assert ids == {r.id for r in load_review_relations()}


def test_stats(kb: KnowledgeBase) -> None:
    st = kb.stats()
    assert st["relations"] == sum(st["by_source"].values()) == sum(st["by_relation"].values())
    assert st["entities"]["mirna"] >= 1
    assert st["schema_version"] == SCHEMA_VERSION


def test_add_relations_rejects_non_relations(kb_copy: KnowledgeBase) -> None:
    with pytest.raises(InputError, match="needs Relation objects, got dict"):
        kb_copy.add_relations([{"id": "x"}])  # type: ignore[list-item]


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not a database\n" * 100, encoding="utf-8")
    with pytest.raises(InputError, match=r"cannot open the knowledge base .*notes\.txt"):
        open_store(str(path))
    assert path.read_text(encoding="utf-8").startswith("this is not a database")


def test_unknown_schema_version_is_refused(built_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.sqlite"
    shutil.copy(built_db, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_info SET value='beta' WHERE key='schema_version'")
    with pytest.raises(SchemaVersionError, match=r"schema version beta"):
        open_store(str(path), build=False)


@settings(max_examples=40, deadline=None)
@given(idx=st.lists(st.integers(0, 25), max_size=40))
def test_imports_are_idempotent_whatever_the_order(idx: list[int]) -> None:
    kb = open_store("sqlite://", build=False)
    rels = [_rel(i) for i in idx]
    first = kb.add_relations(rels)
    assert first == len(set(idx))
    assert kb.add_relations(list(reversed(rels))) == 0
    stored = kb.all_relations()
    assert sorted(r.id for r in stored) == sorted({f"u-{i:03d}" for i in idx})
    assert {r.id: r for r in stored} == {r.id: r for r in rels}
    kb.close()
