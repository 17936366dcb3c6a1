"""Tests of the curated review dataset (src/mirscope/kb/data/review/*.yaml)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import mirscope.kb
from mirscope import names, schema
from mirscope.kb.model import Relation

DATA = Path(mirscope.kb.__file__).parent / "data"
REVIEW_DIR = DATA / "review"
REVIEW_TEXT = (DATA / "mir124-cancer-review.txt").read_text(encoding="utf-8")
REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools" / "curation"

FIELDS = {
    "id",
    "subject",
    "subject_type",
    "relation",
    "object",
    "object_type",
    "direction",
    "sign",
    "cancer",
    "context",
    "cell_lines",
    "tissue",
    "assays",
    "sample_size",
    "numbers",
    "refs",
    "evidence",
    "evidence_start",
    "evidence_end",
    "flags",
    "note",
}

# Cancer vocabulary agreed with the KB engineer (mirscope.names.normalize_cancer).
CANCERS = {
    "breast cancer",
    "bladder cancer",
    "colorectal cancer",
    "hepatocellular carcinoma",
    "lung cancer",
    "non-small cell lung carcinoma",
    "ovarian cancer",
    "prostate cancer",
    "head and neck squamous cell carcinoma",
    "endometrial cancer",
    "gastric cancer",
    "glioma",
    "glioblastoma",
    "osteosarcoma",
    "esophageal cancer",
    "esophageal squamous cell carcinoma",
    "pancreatic cancer",
    "retinoblastoma",
    "cervical cancer",
    "nasopharyngeal carcinoma",
    "oral squamous cell carcinoma",
    "renal cell carcinoma",
    "melanoma",
    "thyroid cancer",
    "medulloblastoma",
    "cancer",
}


def _load() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(REVIEW_DIR.glob("*.yaml")):
        for rec in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append((path.stem, rec))
    return out


RECORDS = _load()
BY_ID = {rec["id"]: rec for _, rec in RECORDS}


def _find(**criteria: Any) -> list[dict[str, Any]]:
    return [r for _, r in RECORDS if all(r.get(k) == v for k, v in criteria.items())]


def _load_tool(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"curation_{name}", TOOLS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_dataset_is_not_empty() -> None:
    assert len(RECORDS) > 300
    assert {f for f, _ in RECORDS} >= {"hcc", "breast"}


# (a) provenance ------------------------------------------------------------------
@pytest.mark.parametrize("rid", sorted(BY_ID))
def test_evidence_occurs_verbatim_at_offsets(rid: str) -> None:
    rec = BY_ID[rid]
    start, end = rec["evidence_start"], rec["evidence_end"]
    assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end
    assert REVIEW_TEXT[start:end] == rec["evidence"]


# (b) ids ---------------------------------------------------------------------------
def test_ids_unique_and_prefixed_by_file() -> None:
    counts = Counter(rec["id"] for _, rec in RECORDS)
    assert [i for i, n in counts.items() if n > 1] == []
    for stem, rec in RECORDS:
        assert rec["id"].rsplit("-", 1)[0] == stem, rec["id"]


# (c) vocabularies ------------------------------------------------------------------
@pytest.mark.parametrize("rid", sorted(BY_ID))
def test_record_fields_and_vocabularies(rid: str) -> None:
    rec = BY_ID[rid]
    assert set(rec) == FIELDS
    Relation(**rec)  # pydantic validation of types, relation, flags, sign range
    assert rec["relation"] in schema.RELATION_TYPES
    for role in ("subject", "object"):
        etype, name = rec[f"{role}_type"], rec[role]
        assert etype in schema.ENTITY_TYPES
        if etype == "pathway":
            assert name in schema.PATHWAYS
        if etype == "phenotype":
            assert name in schema.PHENOTYPES
        if etype == "cancer":
            assert name in CANCERS
    assert rec["cancer"] is None or rec["cancer"] in CANCERS
    assert set(rec["assays"]) <= set(schema.ASSAYS)
    assert set(rec["flags"]) <= set(schema.CURATION_FLAGS)
    assert all(isinstance(r, int) and 1 <= r <= 253 for r in rec["refs"])
    assert rec["direction"] in schema.DIRECTIONS


@pytest.mark.parametrize("rid", sorted(BY_ID))
def test_relation_conventions(rid: str) -> None:
    rec = BY_ID[rid]
    rel = rec["relation"]
    if rel == "targets":
        assert rec["subject_type"] in {"mirna", "other"}  # other: a family (let-7)
        assert rec["object_type"] in {"gene", "other"}
        assert rec["sign"] == -1
    if rel == "sponges":
        assert rec["subject_type"] in {"lncrna", "circrna"} and rec["object_type"] == "mirna"
        assert rec["sign"] == -1
    if rel == "silences":
        assert rec["object_type"] == "mirna" and rec["sign"] == -1
    if rel in {"expression_change", "prognostic", "diagnostic"}:
        # non-cancer diseases (pulmonary hypertension) are 'other'
        expected_type = "cancer" if rec["context"] == "cancer" else "other"
        assert rec["object_type"] == expected_type and rec["sign"] == 0
    if rel in {"affects_phenotype", "regulates_pathway", "activates", "inhibits", "sensitizes_to"}:
        expected = {"up": 1, "down": -1, "unknown": 0, "none": 0}[rec["direction"]]
        assert rec["sign"] == expected
    if rel == "sensitizes_to":
        assert rec["object_type"] == "therapy"
    if rel == "member_of_pathway":
        assert rec["object_type"] == "pathway"
    if rec["context"] == "non_cancer":
        assert "non_cancer" in rec["flags"] and rec["cancer"] is None
    if "non_cancer" in rec["flags"]:
        assert rec["context"] == "non_cancer"
    if set(rec["flags"]) & {"contradictory", "garbled", "ambiguous"}:
        assert rec["note"], "flagged records explain the flag in a note"


NORMALISERS = {
    "mirna": names.normalize_mirna,
    "gene": names.normalize_gene,
    "lncrna": names.normalize_ncrna,
    "circrna": names.normalize_ncrna,
    "therapy": names.normalize_therapy,
    "pathway": names.normalize_pathway,
    "phenotype": names.normalize_phenotype,
}


@pytest.mark.parametrize("rid", sorted(BY_ID))
def test_names_are_known_to_the_names_module(rid: str) -> None:
    rec = BY_ID[rid]
    for role in ("subject", "object"):
        etype, name = rec[f"{role}_type"], rec[role]
        if etype == "cancer":
            assert names.normalize_cancer(name).name == name  # canonical vocabulary name
        elif etype in NORMALISERS:
            NORMALISERS[etype](name)  # raises UnknownNameError when unknown
    if rec["cancer"] is not None:
        assert names.normalize_cancer(rec["cancer"]).name == rec["cancer"]


# (d) spot checks of key findings ---------------------------------------------------
def test_circhipk3_mir124_aqp3_axis_in_hcc() -> None:
    hcc = "hepatocellular carcinoma"
    assert _find(subject="circHIPK3", relation="sponges", object="miR-124", cancer=hcc)
    aqp3 = _find(subject="miR-124", relation="targets", object="AQP3", cancer=hcc)
    assert aqp3 and all(109 in r["refs"] for r in aqp3)
    assert _find(subject="circHIPK3", relation="activates", object="AQP3", cancer=hcc)


@pytest.mark.parametrize("target", ["BIRC3", "EZH2", "AQP3", "PIK3CA", "TRAF6", "CAV1"])
def test_hcc_targets(target: str) -> None:
    assert _find(
        subject="miR-124", relation="targets", object=target, cancer="hepatocellular carcinoma"
    )


@pytest.mark.parametrize(
    ("subject", "relation", "obj", "cancer"),
    [
        ("miR-124", "targets", "STAT3", "breast cancer"),
        ("miR-124", "targets", "ZEB2", "breast cancer"),
        ("NEAT1", "sponges", "miR-124", "breast cancer"),
        ("miR-124", "sensitizes_to", "doxorubicin", "breast cancer"),
        ("XIST", "sponges", "miR-124", "bladder cancer"),
        ("miR-124", "targets", "UHRF1", "bladder cancer"),
        ("XIST", "sponges", "miR-124", "colorectal cancer"),
        ("miR-124", "targets", "PRRX1", "colorectal cancer"),
        ("miR-124", "targets", "CAPN2", "colorectal cancer"),
        ("lncRNA 1308", "sponges", "miR-124", "non-small cell lung carcinoma"),
        ("miR-124", "sensitizes_to", "cisplatin", "non-small cell lung carcinoma"),
        ("miR-124", "targets", "SPHK1", "ovarian cancer"),
        ("miR-124", "targets", "SPHK1", "head and neck squamous cell carcinoma"),
        ("miR-124", "targets", "JAG1", "gastric cancer"),
        ("miR-124", "targets", "CDK4", "esophageal cancer"),
        ("miR-124", "sensitizes_to", "radiotherapy", "esophageal cancer"),
    ],
)
def test_key_findings(subject: str, relation: str, obj: str, cancer: str) -> None:
    assert _find(subject=subject, relation=relation, object=obj, cancer=cancer)


def test_osteosarcoma_serum_diagnostic_numbers() -> None:
    recs = _find(subject="miR-124", relation="diagnostic", cancer="osteosarcoma")
    assert len(recs) >= 1
    nums = recs[0]["numbers"]
    assert nums["auc"] == pytest.approx(0.846)
    assert nums["specificity"] == pytest.approx(0.860)
    assert nums["sensitivity"] == pytest.approx(0.798)
    assert recs[0]["sample_size"] == 114
    assert "0.846" in recs[0]["evidence"]


def test_axin1_records_flagged_contradictory() -> None:
    recs = [r for _, r in RECORDS if "Axin1" in r["evidence"] and r["cancer"] == "breast cancer"]
    assert len(recs) >= 4
    assert all("contradictory" in r["flags"] for r in recs)
    assert _find(subject="miR-124-3p.1", relation="targets", object="AXIN1")


def test_cav1_hcc_sentence_flagged_garbled() -> None:
    recs = [r for _, r in RECORDS if "can specifically bind caveolin" in r["evidence"]]
    assert len(recs) >= 3
    assert all("garbled" in r["flags"] and r["cancer"] == "hepatocellular carcinoma" for r in recs)
    assert {r["object"] for r in recs} >= {"CAV1", "stemness"}


def test_non_cancer_findings_flagged() -> None:
    recs = [r for _, r in RECORDS if r["context"] == "non_cancer"]
    evid = " ".join(r["evidence"] for r in recs)
    assert "pulmonary hypertension" in evid
    assert "granulosa" in evid


# (d2) audit spot checks: second reading of the review (tools/curation/AUDIT.md) --------
@pytest.mark.parametrize(
    ("subject", "relation", "obj", "cancer", "ref"),
    [
        # ceRNA axes: the lncRNA/circRNA raises the miR-124 target it frees
        ("circHIPK3", "activates", "STAT3", "lung cancer", 130),
        ("circHIPK3", "activates", "SPHK1", "lung cancer", 130),
        ("circHIPK3", "activates", "CDK4", "lung cancer", 130),
        ("circPVT1", "activates", "EZH2", "lung cancer", 133),
        ("circPVT1", "sponges", "miR-124-3p", "lung cancer", 133),
        ("OGFRP1", "sponges", "miR-124", "prostate cancer", 152),
        ("LINC-ROR", "sponges", "miR-124", "endometrial cancer", 192),
        ("DSCAM-AS1", "sponges", "miR-124", "hepatocellular carcinoma", 117),
        # pathway links
        ("miR-124", "regulates_pathway", "mTOR", "hepatocellular carcinoma", 188),
        ("miR-124-3p", "inhibits", "AKT1", "glioma", 218),
        # rescue experiments read as miR-124's own effect (sign checked below)
        ("miR-124", "affects_phenotype", "proliferation", "prostate cancer", 152),
        ("miR-124", "affects_phenotype", "apoptosis", "head and neck squamous cell carcinoma", 161),
        ("miR-124", "inhibits", "MMP9", "bladder cancer", 85),
        ("miR-124", "activates", "CDKN1B", "bladder cancer", 85),
    ],
)
def test_audit_additions(subject: str, relation: str, obj: str, cancer: str, ref: int) -> None:
    recs = _find(subject=subject, relation=relation, object=obj, cancer=cancer)
    assert any(ref in r["refs"] for r in recs), (subject, relation, obj, cancer, ref)


@pytest.mark.parametrize(
    ("cancer", "ref", "phenotype", "sign"),
    [
        ("prostate cancer", 152, "proliferation", -1),  # miR-124 loss counteracts OGFRP1
        ("prostate cancer", 152, "apoptosis", 1),
        ("head and neck squamous cell carcinoma", 161, "proliferation", -1),  # vs PVT1
        ("head and neck squamous cell carcinoma", 161, "apoptosis", 1),
        ("lung cancer", 131, "invasion", -1),  # miR-124 loss reverses MALAT1 knockdown
        ("lung cancer", 131, "migration", -1),
    ],
)
def test_rescue_experiments_have_miR124_sign(
    cancer: str, ref: int, phenotype: str, sign: int
) -> None:
    recs = [
        r
        for r in _find(
            subject="miR-124", relation="affects_phenotype", object=phenotype, cancer=cancer
        )
        if ref in r["refs"]
    ]
    assert recs and {r["sign"] for r in recs} == {sign}


def test_miR124_inhibitor_findings_are_translated_to_miR124_effect() -> None:
    # EdU-positive cells rose from 27.1% to 39.8% with the miR-124 inhibitor (39):
    # miR-124 itself lowers proliferation.
    edu = [r for r in _find(cancer="colorectal cancer") if "27.1%" in r["evidence"]]
    assert edu and all(
        r["subject"] == "miR-124" and r["object"] == "proliferation" and r["sign"] == -1
        for r in edu
    )
    assert edu[0]["numbers"] == {
        "edu_positive_control_pct": 27.1,
        "edu_positive_inhibitor_pct": 39.8,
    }


def test_wound_healing_is_not_an_invasion_assay() -> None:
    for _, r in RECORDS:
        if r["object"] == "invasion" and "wound healing" in r["assays"]:
            pytest.fail(f"{r['id']}: invasion recorded with a wound healing assay")


def test_garbled_cyclin_d1_sentence_keeps_direction_unknown() -> None:
    recs = [r for r in _find(subject="miR-124-3p.1") if r["object"] in {"CCND1", "MYC"}]
    assert {r["object"] for r in recs} == {"CCND1", "MYC"}
    assert all(r["direction"] == "unknown" and r["sign"] == 0 for r in recs)
    assert all({"garbled", "contradictory"} <= set(r["flags"]) for r in recs)


# (e) coverage ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "cancer",
    [
        "breast cancer",
        "bladder cancer",
        "colorectal cancer",
        "hepatocellular carcinoma",
        "lung cancer",
        "non-small cell lung carcinoma",
        "ovarian cancer",
        "prostate cancer",
        "head and neck squamous cell carcinoma",
        "endometrial cancer",
        "gastric cancer",
        "glioma",
        "osteosarcoma",
        "esophageal cancer",
        "pancreatic cancer",
        "retinoblastoma",
    ],
)
def test_every_cancer_context_has_records(cancer: str) -> None:
    assert _find(cancer=cancer)


@pytest.mark.parametrize(
    ("cancer", "minimum"),
    [("hepatocellular carcinoma", 40), ("breast cancer", 40), ("colorectal cancer", 25)],
)
def test_main_cancers_are_curated_in_depth(cancer: str, minimum: int) -> None:
    assert len(_find(cancer=cancer)) >= minimum


def test_every_section_contributes() -> None:
    starts = sorted(r["evidence_start"] for _, r in RECORDS)
    ends = sorted(r["evidence_end"] for _, r in RECORDS)
    headings = (
        "2. miR",
        "3. Regulatory",
        "4. Potential",
        "5. Underlying",
        "6. Future",
        "7. Conclusion",
    )
    bounds = [REVIEW_TEXT.index("\n" + h) for h in headings] + [len(REVIEW_TEXT)]
    for heading, lo, hi in zip(headings, bounds, bounds[1:], strict=False):
        assert any(lo < s < hi for s in starts), heading
    assert ends[-1] <= len(REVIEW_TEXT)


# (f) shipped files are what the sources build -----------------------------------------
def test_shipped_yaml_matches_sources() -> None:
    build = _load_tool("build_review")
    sources = sorted(p.stem for p in build.SOURCE_DIR.glob("*.yaml"))
    assert sources == sorted(p.stem for p in REVIEW_DIR.glob("*.yaml"))
    for name in sources:
        path, text = build.build_one(name)
        assert path.read_text(encoding="utf-8") == text, f"{name}.yaml is stale; rebuild"


# span tool -------------------------------------------------------------------------
def test_find_span_ignores_whitespace_hyphens_and_case() -> None:
    spans = _load_tool("spans")
    start, end = spans.find_span("miR-124 regulated BIRC3 expression in HEPATOCELLULAR carcinoma")
    assert REVIEW_TEXT[start:end].startswith("miR\u2011124 regulated BIRC3 \nexpression")
    assert REVIEW_TEXT[start:end].endswith("carcinoma")


@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=len(REVIEW_TEXT) - 200),
    length=st.integers(min_value=120, max_value=190),
)
def test_find_span_recovers_a_mangled_passage(start: int, length: int) -> None:
    spans = _load_tool("spans")
    passage = REVIEW_TEXT[start : start + length]
    # what a curator types: ASCII hyphens, one line, single spaces, other case
    quote = " ".join(passage.replace("\u2011", "-").split()).upper()
    # the figure-legend credit line occurs three times, so use find_spans
    inside = [(s, e) for s, e in spans.find_spans(quote) if start <= s < e <= start + length]
    assert len(inside) == 1
    s, e = inside[0]
    assert spans.skeleton(REVIEW_TEXT[s:e]).chars == spans.skeleton(passage).chars


def test_find_span_rejects_missing_and_ambiguous_quotes() -> None:
    spans = _load_tool("spans")
    with pytest.raises(spans.SpanError, match="quote not found"):
        spans.find_span("miR-124 cures every cancer")
    with pytest.raises(spans.SpanError, match=r"occurs .* times"):
        spans.find_span("miR-124")


# loader of the KB engineer ---------------------------------------------------------
def _loader() -> Any:
    loader = getattr(mirscope.kb, "load_review_relations", None)
    if loader is None:
        from mirscope.kb.review import load_review_relations as loader
    return loader


def test_loader_loads_every_curated_record() -> None:
    rels = _loader()()
    assert sorted(r.id for r in rels) == sorted(BY_ID)
    assert all(r.source == "review" for r in rels)
    hcc_targets = {
        r.object
        for r in rels
        if r.subject == "hsa-miR-124-3p"
        and r.relation == "targets"
        and r.cancer == "hepatocellular carcinoma"
    }
    assert hcc_targets >= {"BIRC3", "EZH2", "AQP3", "PIK3CA", "TRAF6", "CAV1"}


# build tool rejections ---------------------------------------------------------------
_EV = "miR-124 regulated BIRC3 expression in hepatocellular carcinoma (HCC) cells"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"ev": _EV, "rel": ["miR-124 | pheno- | flying"]}, "not in schema.PHENOTYPES"),
        ({"ev": _EV, "rel": ["miR-124 | cures | BIRC3"]}, "unknown relation 'cures'"),
        ({"ev": _EV, "rel": ["miR-124 | targets | NOTAGENE1"]}, "Unknown gene symbol"),
        ({"ev": _EV, "rel": ["miR-124 targets BIRC3"]}, "is not 'S | R | O'"),
        ({"ev": "miR-124 cures every cancer", "rel": []}, "quote not found"),
        ({"ev": _EV, "cancer": "liver", "rel": ["miR-124 | targets | BIRC3"]}, "cancer 'liver'"),
        ({"ev": _EV, "assays": ["PCR"], "rel": ["miR-124 | targets | BIRC3"]}, "assays"),
    ],
)
def test_build_tool_rejects_bad_source_entries(entry: dict[str, Any], message: str) -> None:
    build = _load_tool("build_review")
    with pytest.raises(build.CurationError, match=message):
        build.expand({"entries": [entry]}, "test-source")


def test_build_tool_expands_shorthands() -> None:
    build = _load_tool("build_review")
    recs = build.expand(
        {
            "cancer": "hepatocellular carcinoma",
            "entries": [
                {
                    "ev": _EV,
                    "refs": [36],
                    "rel": ["miR-124 | targets | BIRC3", "circHIPK3 | sponges | miR-124"],
                }
            ],
        },
        "test-source",
    )
    assert [(r["subject_type"], r["object_type"], r["sign"]) for r in recs] == [
        ("mirna", "gene", -1),
        ("circrna", "mirna", -1),
    ]
    assert REVIEW_TEXT[recs[0]["evidence_start"] : recs[0]["evidence_end"]] == recs[0]["evidence"]
