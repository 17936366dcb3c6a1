"""The effect reader: every example of its lexicon table, concept mentions, document rules."""

from __future__ import annotations

import pytest

from mirscope.literature.concepts import find_concepts
from mirscope.literature.effects import lexicon, read_effects
from mirscope.literature.extract import extract_relations

EXAMPLES = lexicon()["examples"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:40] for e in EXAMPLES])
def test_lexicon_examples(example) -> None:
    hits = {h for h in read_effects(example["text"]) if h.confidence >= 0.5}
    assert {(h.relation, h.mirna, h.partner, h.sign) for h in hits} == {
        tuple(e) for e in example["expect"]
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cell proliferation, migration and invasion", ["proliferation", "migration", "invasion"]),
        ("the Wnt/β-catenin signaling pathway", ["Wnt/beta-catenin"]),
        ("p-AKT and ERK phosphorylation", ["PI3K/Akt", "MAPK/ERK"]),
        ("STAT3 signalling", ["JAK/STAT"]),
        (
            "resistance to 5-FU and temozolomide (TMZ)",
            ["5-fluorouracil", "temozolomide", "temozolomide"],
        ),
        ("G0/G1 phase arrest and epithelial-mesenchymal transition", ["cell cycle arrest", "EMT"]),
        ("promoter hypermethylation", ["promoter methylation"]),
        ("STAT3 and AKT1 expression", []),  # genes, not pathways, without a pathway word
    ],
)
def test_concepts(text: str, expected: list[str]) -> None:
    assert [m.name for m in find_concepts(text)] == expected


def test_hedged_effect_is_flagged_and_below_threshold() -> None:
    (h,) = read_effects("miR-124 may inhibit proliferation.")
    assert h.hedged and h.confidence < 0.5


def test_a_target_is_not_also_inhibited() -> None:
    doc = {
        "pmid": "1",
        "title": "",
        "abstract": "miR-21 directly targets PTEN in gastric cancer. "
        "miR-21 decreased the expression of PTEN and increased p-AKT.",
    }
    rels = {(r.relation, r.partner) for r in extract_relations(doc)}
    assert ("targets", "PTEN") in rels and ("inhibits", "PTEN") not in rels
    assert ("regulates_pathway", "PI3K/Akt") in rels


def test_cross_sentence_pronoun_effect() -> None:
    doc = {
        "pmid": "1",
        "title": "",
        "abstract": "miR-145 was downregulated in breast cancer tissues. "
        "Functionally, it suppressed cell proliferation and invasion.",
    }
    rels = {(r.relation, r.partner, r.sign) for r in extract_relations(doc)}
    assert ("affects_phenotype", "proliferation", -1) in rels


def test_offsets_point_into_the_abstract() -> None:
    abstract = "Background:  miR-21 is   high.\nKnockdown of miR-21 reduced cell   viability."
    doc = {"pmid": "1", "title": "", "abstract": abstract}
    (r,) = [x for x in extract_relations(doc) if x.relation == "affects_phenotype"]
    assert (
        abstract[r.evidence_start : r.evidence_end]
        == "Knockdown of miR-21 reduced cell   viability."
    )
    assert (r.partner, r.sign, r.direction) == ("viability", 1, "up")
