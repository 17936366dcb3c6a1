"""Validation against the review: claim table rules, agreement, reasons, hold-out."""

from __future__ import annotations

import pytest

from mirscope.kb import Relation, load_review_relations
from mirscope.simulate import build_model, review_claims, validate_against_review
from mirscope.simulate.validate import explain

MIR = "hsa-miR-124-3p"


def _rel(i: int, s: str, st: str, rel: str, o: str, ot: str, sign: int, **kw) -> Relation:
    direction = {1: "up", -1: "down", 0: "unknown"}[sign]
    return Relation(
        id=f"r{i}",
        subject=s,
        subject_type=st,
        relation=rel,
        object=o,
        object_type=ot,
        sign=sign,
        direction=direction,
        cancer=kw.pop("cancer", "breast cancer"),
        refs=kw.pop("refs", (i,)),
        **kw,
    )


RELS = [
    _rel(1, MIR, "mirna", "targets", "STAT3", "gene", -1),
    _rel(2, "NEAT1", "lncrna", "sponges", MIR, "mirna", -1),
    _rel(3, "promoter methylation", "other", "silences", MIR, "mirna", -1),
    _rel(4, "STAT3", "gene", "affects_phenotype", "proliferation", "phenotype", 1),
    _rel(
        5,
        MIR,
        "mirna",
        "affects_phenotype",
        "proliferation",
        "phenotype",
        -1,
        assays=("loss of function",),
    ),
    _rel(6, MIR, "mirna", "expression_change", "breast cancer", "cancer", 0),
    _rel(7, "STAT3", "gene", "member_of_pathway", "JAK/STAT", "pathway", 1),
    _rel(8, "DNMT1", "gene", "silences", MIR, "mirna", -1),
    _rel(9, MIR, "mirna", "targets", "STAT3", "gene", -1, refs=(64,)),
    _rel(
        10,
        "NEAT1",
        "lncrna",
        "affects_phenotype",
        "proliferation",
        "phenotype",
        1,
        assays=("gain of function",),
    ),
    _rel(11, "cisplatin", "therapy", "activates", MIR, "mirna", 1),
    _rel(
        12, MIR, "mirna", "affects_phenotype", "migration", "phenotype", 1, flags=("contradictory",)
    ),
]


def test_claim_rules() -> None:
    df = review_claims(RELS)
    got = {(r.perturbation, r.readout, r.reported) for r in df.itertuples()}
    assert got == {
        (f"{MIR}=overexpress", "STAT3", "down"),
        ("NEAT1=knockdown", MIR, "up"),
        (f"{MIR}=demethylate", MIR, "up"),
        ("STAT3=knockdown", "proliferation", "down"),
        (f"{MIR}=inhibit", "proliferation", "up"),
        ("DNMT1=knockdown", MIR, "up"),
        ("NEAT1=overexpress", "proliferation", "up"),
        ("cisplatin=activate", MIR, "up"),
        (f"{MIR}=overexpress", "migration", "up"),
    }
    # the two STAT3 targeting records are one outcome with both references
    row = df[(df.readout == "STAT3")].iloc[0]
    assert row["refs"] == [1, 64]
    assert row["ids"] == ["r1", "r9"]
    assert df.attrs["skipped"] == 2  # expression_change and member_of_pathway


def test_validation_on_constructed_relations() -> None:
    res = validate_against_review(RELS)
    assert res.n_total == 9
    bad = res.disagreements
    # only the contradictory claim disagrees, and its reason says so
    assert list(bad["readout"]) == ["migration"]
    assert "contradictory" in bad["reason"].iloc[0]
    assert res.n_agree == 8
    assert res.agreement == pytest.approx(8 / 9)
    assert res.unflagged_agreement() == (8, 8)


def test_holdout_needs_an_indirect_path() -> None:
    res = validate_against_review(RELS, holdout=True)
    t = res.table.set_index(["perturbation", "readout"])
    # without the direct edge, miR-124 still reaches proliferation through STAT3
    assert t.loc[(f"{MIR}=inhibit", "proliferation"), "agree"]
    # ... but nothing else links the mimic to STAT3: untestable, counted, not scored
    assert (f"{MIR}=overexpress", "STAT3") not in t.index
    assert res.untestable >= 1
    assert res.n_total + res.untestable <= len(review_claims(RELS))


def test_summary_headline_is_holdout_with_in_sample_beside() -> None:
    from mirscope.simulate import validation_summary

    d = validation_summary(RELS)
    held, ins = d["holdout_result"], d["in_sample_result"]
    assert held.holdout and not ins.holdout
    assert d["holdout"]["n_total"] == held.n_total and d["untestable"] == held.untestable
    assert d["text"].startswith(f"Leave-one-edge-out agreement: {held.n_agree}/{held.n_total}")
    assert f"{held.untestable} untestable" in d["text"]
    assert f"In-sample (the model contains the edges it is checked against): {ins.n_agree}/" in d["text"]


def test_disagreement_reasons_come_from_signed_paths() -> None:
    rels = [
        _rel(1, MIR, "mirna", "targets", "STAT3", "gene", -1),
        _rel(2, MIR, "mirna", "targets", "ZEB2", "gene", -1),
        _rel(3, "STAT3", "gene", "activates", "VEGFA", "gene", 1),
        _rel(4, "ZEB2", "gene", "inhibits", "VEGFA", "gene", -1),
    ]
    model = build_model("breast", relations=rels, prior=False)
    both = explain(model, MIR, "overexpress", "VEGFA", "none", "up", 0.01)
    assert "opposite sign cancel" in both
    one = explain(model, MIR, "overexpress", "STAT3", "down", "up", -1.0)
    assert one.startswith("every path has the opposite sign")
    assert f"{MIR} -| STAT3" in one
    none = explain(model, "VEGFA", "knockdown", "STAT3", "none", "down", 0.0)
    assert none.startswith("no directed path")


def test_review_agreement_breast() -> None:
    res = validate_against_review(cancers=["breast cancer"])
    assert res.n_total >= 30
    ok, tot = res.unflagged_agreement()
    assert ok / tot >= 0.95
    bad = res.disagreements
    assert (bad["reason"].str.len() > 0).all()
    # every breast disagreement is a claim the curators flagged
    assert (bad["flags"].map(len) > 0).all()


@pytest.mark.slow
def test_review_agreement_all_cancers() -> None:
    res = validate_against_review()
    assert res.n_total >= 300
    assert res.agreement >= 0.9
    assert (res.disagreements["reason"].str.len() > 0).all()


def test_review_claims_cover_every_outcome_relation() -> None:
    rels = load_review_relations()
    df = review_claims(rels)
    outcome = [r for r in rels if r.relation in ("sponges", "silences") and r.context == "cancer"]
    outcome += [
        r
        for r in rels
        if r.relation == "targets" and r.subject_type == "mirna" and r.context == "cancer"
    ]
    ids = {i for row in df["ids"] for i in row}
    assert {r.id for r in outcome} <= ids
