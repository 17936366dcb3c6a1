"""Curation: candidates stay out of the knowledge base until accepted."""

from __future__ import annotations

import pytest

from mirscope.errors import InputError
from mirscope.kb import open_store
from mirscope.literature.curation import CandidateStore, candidate_id
from mirscope.literature.extract import extract_relations

DOC = {
    "pmid": "31234567",
    "title": "LINC00460 sponges miR-124 to upregulate PDCD6 in osteosarcoma.",
    "abstract": "COL1A1 was identified as a direct target of miR-124 in osteosarcoma cells.",
}


@pytest.fixture
def kb(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'kb.sqlite'}")
    yield store
    store.close()


@pytest.fixture
def cands(tmp_path):
    store = CandidateStore(tmp_path / "cands.sqlite")
    store.add(extract_relations(DOC))
    return store


def _lit(kb):
    return kb.query(source="literature")


def test_nothing_enters_kb_unaccepted(kb, cands):
    assert len(cands.list()) >= 3
    before = len(kb.all_relations())
    assert _lit(kb) == []
    assert kb.query(mirna="miR-124", gene="COL1A1") == []
    assert len(kb.all_relations()) == before
    # adding the same relations again creates no new candidates
    assert cands.add(extract_relations(DOC)) == 0


def test_accept_moves_into_kb_with_provenance(kb, cands):
    c = next(c for c in cands.review(kb) if c.partner == "COL1A1")
    rel = cands.accept(c.id, kb)
    assert rel.source == "literature" and rel.source_id == "PMID:31234567"
    assert (
        rel.evidence == "COL1A1 was identified as a direct target of miR-124 in osteosarcoma cells."
    )
    (stored,) = kb.query(mirna="miR-124", gene="COL1A1", source="literature")
    assert (stored.subject, stored.relation, stored.object, stored.sign) == (
        "hsa-miR-124-3p",
        "targets",
        "COL1A1",
        -1,
    )
    assert cands.get(c.id).status == "accepted"
    assert c.id not in {x.id for x in cands.review(kb)}
    assert [x.id for x in _lit(kb)] == [f"lit-{c.id}"]


def test_accept_sponge_direction(kb, cands):
    c = next(c for c in cands.list() if c.relation == "sponges")
    rel = cands.accept(c.id, kb)
    assert (rel.subject, rel.subject_type, rel.object, rel.object_type) == (
        "LINC00460",
        "lncrna",
        "hsa-miR-124-3p",
        "mirna",
    )


def test_reject_keeps_it_out(kb, cands):
    c = cands.list()[0]
    cands.reject(c.id)
    assert cands.get(c.id).status == "rejected"
    assert _lit(kb) == []
    with pytest.raises(InputError, match=f"candidate {c.id} was rejected"):
        cands.accept(c.id, kb)
    assert _lit(kb) == []


def test_review_hides_relations_already_in_kb(kb, tmp_path):
    store = CandidateStore(tmp_path / "c2.sqlite")
    # miR-124 targets STAT3 is part of the curated review
    assert kb.query(mirna="miR-124", gene="STAT3", relation="targets")
    assert not kb.query(mirna="miR-124", gene="TMEM45A")
    store.add(
        extract_relations({"pmid": "1", "title": "miR-124 directly targets STAT3 and TMEM45A."})
    )
    assert {c.partner for c in store.list()} == {"STAT3", "TMEM45A"}
    assert {c.partner for c in store.review(kb)} == {"TMEM45A"}


def test_unknown_ids_and_states(kb, cands):
    with pytest.raises(InputError, match=r"no candidate with id 'Lnope'\. Pending ids: L"):
        cands.accept("Lnope", kb)
    c = cands.list()[0]
    cands.accept(c.id, kb)
    with pytest.raises(InputError, match=r"was accepted .* remove it there instead"):
        cands.reject(c.id)
    with pytest.raises(InputError, match="unknown status 'done'"):
        cands.list("done")  # type: ignore[arg-type]


def test_candidate_id_is_stable():
    (r,) = [x for x in extract_relations(DOC) if x.partner == "COL1A1"]
    assert (
        candidate_id(r) == candidate_id(r)
        and candidate_id(r).startswith("L")
        and len(candidate_id(r)) == 11
    )
