"""Relation extraction: field phrasing, lists, ceRNA axes, negation, hedging, bad input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope.errors import FileFormatError, InputError
from mirscope.literature.extract import extract_file, extract_relations, read_documents

M = "hsa-miR-124-3p"


def typed(
    text: str,
    *,
    min_confidence: float = 0.5,
    relations: tuple[str, ...] = ("targets", "sponges"),
) -> set[tuple[str, str, str]]:
    rels = extract_relations(
        {"pmid": "1", "title": "", "abstract": text}, min_confidence=min_confidence
    )
    return {(r.relation, r.mirna, r.partner) for r in rels if r.relation in relations}


@pytest.mark.parametrize(
    ("sentence", "partners"),
    [
        (
            "Luciferase reporter assays confirmed that STAT3 was a direct target of miR-124.",
            {"STAT3"},
        ),
        ("miR-124 directly targeted CDK6 in glioma cells.", {"CDK6"}),
        ("SOX9 was identified as a direct target of miR\u2011124.", {"SOX9"}),
        ("We found binding sites of miR-124 in the 3'UTR of SPHK1.", {"SPHK1"}),
        ("Binding sites of miR\u2011124 in the 3\u2019-UTR of CDK6 were confirmed.", {"CDK6"}),
        ("ROCK2 was a downstream target of microRNA-124.", {"ROCK2"}),
        ("miR-124 negatively regulated EZH2 in HCC cells.", {"EZH2"}),
        ("miR-124 inhibits glioma growth by targeting SOX9 and CDK6.", {"SOX9", "CDK6"}),
        ("miR-124 directly targets PIK3CA, IQGAP1, and SOX9.", {"PIK3CA", "IQGAP1", "SOX9"}),
        (
            "STAT3, CDK6 and ROCK1 were identified as targets of miR-124.",
            {"STAT3", "CDK6", "ROCK1"},
        ),
        (
            "Dual-luciferase assays showed that miR-124 bound directly to the 3'-UTR of CD151.",
            {"CD151"},
        ),
        (
            "The miR-124/PIK3CA axis regulates proliferation. PIK3CA is a target of miR-124.",
            {"PIK3CA"},
        ),
        ("Slug, a known miR-124 target, was upregulated.", {"SNAI2"}),
        (
            "miR-124 functions by targeting multiple oncogenes, including STAT3 and CDK4.",
            {"STAT3", "CDK4"},
        ),
        ("The 3'UTR of ITGB1 contains two binding sites for miR-124.", {"ITGB1"}),
        ("CDK6 and SOX9 were identified as miR-124 targets.", {"CDK6", "SOX9"}),
        (
            "miR-124 mimics significantly reduced the luciferase activity of wild-type STAT3 3'UTR.",
            {"STAT3"},
        ),
        ("miR-124 could interact with the 3'UTR of UHRF1.", {"UHRF1"}),
        ("SOX9, whose 3'UTR contains a miR-124 binding site, was upregulated.", {"SOX9"}),
        (
            "ROCK1 was overexpressed in HCC tissues and was identified as a direct target of miR-124.",
            {"ROCK1"},
        ),
        ("Binding of miR-124 to the 3'UTR of CDK6 was confirmed by luciferase assays.", {"CDK6"}),
        ("EPH receptor A2 (EphA2) is directly targeted by miR-124.", {"EPHA2"}),
        ("Laminin subunit beta-1 (LAMB1) was identified as a direct target of miR-124.", {"LAMB1"}),
        (
            "miR-124 directly targets Rho-associated coiled-coil containing protein kinase 1 (ROCK1).",
            {"ROCK1"},
        ),
        ("Furthermore, we confirmed that CDK6 is directly regulated by miR-124.", {"CDK6"}),
        (
            "miR-124 bound to the wild-type but not the mutant 3'UTR of PDCD6.",
            {"PDCD6"},
        ),
        (
            "Overexpression of miR-124 led to a significant reduction in the luciferase activity "
            "of the reporter containing the wild-type 3'UTR of AEG-1.",
            {"MTDH"},
        ),
    ],
)
def test_targets_language_of_the_field(sentence, partners):
    assert typed(sentence) == {("targets", M, p) for p in partners}


@pytest.mark.parametrize(
    ("sentence", "sponge", "targets"),
    [
        ("LINC00673 acts as a sponge for miR-124 in gastric cancer.", "LINC00673", set()),
        ("lncRNA HOTAIR competitively binds miR-124.", "HOTAIR", set()),
        ("circHIPK3 promoted growth by sponging miR-124.", "circHIPK3", set()),
        ("XIST functions as a competing endogenous RNA (ceRNA) of miR-124.", "XIST", set()),
        ("XIST acted as a ceRNA of miR-124 to upregulate iASPP.", "XIST", {("inhibits", "PPP1R13L")}),
        (
            "The LINC00673/miR-124-3p/SOX9 axis drives progression.",
            "LINC00673",
            {("inhibits", "SOX9")},
        ),
        (
            "SNHG16 upregulated SOX9 expression by sponging miR-124 in HCC.",
            "SNHG16",
            {("inhibits", "SOX9")},
        ),
        (
            "The LINC00673/miR-124-3p/SOX9 axis drives progression. SOX9 is a target of miR-124.",
            "LINC00673",
            {"SOX9"},
        ),
        ("miR-124 was sponged by circPVT1.", "circPVT1", set()),
        (
            "Through sponging miR-124, circHIPK3 upregulated AQP3 expression.",
            "circHIPK3",
            {("inhibits", "AQP3")},
        ),
        ("Circ_0005075 targets miR-124 to promote proliferation.", "hsa_circ_0005075", set()),
        (
            "LncRNA SNHG1 promotes lung cancer growth via the miR-124/NOTCH1 axis.",
            "SNHG1",
            {("inhibits", "NOTCH1")},
        ),
        ("XIST acts as a miR-124 sponge in glioma.", "XIST", set()),
        ("circ_0001946 promotes NSCLC by acting as a miR-124 sponge.", "hsa_circ_0001946", set()),
        ("HOTAIR functions as a molecular sponge to absorb miR-124 in glioma.", "HOTAIR", set()),
        (
            "MALAT1 served as a molecular sponge of miR-124 and thereby increased GRB2 levels.",
            "MALAT1",
            {("inhibits", "GRB2")},
        ),
        (
            "hsa_circ_0000144 promoted growth by acting as a miR-124 sponge to upregulate CDK4.",
            "hsa_circ_0000144",
            {("inhibits", "CDK4")},
        ),
        (
            "Mechanistically, circ-0001946 acts as a ceRNA for miR-124-3p.",
            "hsa_circ_0001946",
            set(),
        ),
        (
            "The lncRNA X-inactive specific transcript (XIST) directly bound miR-124 and thereby "
            "derepressed its target, the transcription factor SOX9.",
            "XIST",
            {"SOX9"},
        ),
    ],
)
def test_sponges_and_cerna(sentence, sponge, targets):
    """The ceRNA's downstream gene is a target only when the abstract calls it one; otherwise
    the miRNA represses it indirectly (``inhibits``), as the real-text guidelines label it."""
    expected = {("sponges", M, sponge)} | {
        ("targets", M, t) if isinstance(t, str) else (t[0], M, t[1]) for t in targets
    }
    assert typed(sentence, relations=("targets", "sponges", "inhibits")) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "miR-124 did not target AKT1.",
        "miR-124 did not bind to the 3'UTR of EZH2 in our reporter assays.",
        "miR-124 bound to the mutant but not the wild-type 3'UTR of EZH2.",
        "EZH2 was not a target of miR-124.",
        "There was no significant binding of miR-124 to the 3'UTR of MYC.",
        "HOTAIR did not act as a sponge of miR-124.",
        "miR-124 expression was negatively correlated with IGF2BP1.",
        "miR-124 inhibited the Rac1/MKK4/JNK/c-Jun pathway.",
        "Overexpression of miR-124 reduced NF-kB activity.",
        "miR-124 inhibited EMT by suppressing TGF-beta1-induced Smad2 phosphorylation.",
        "Although miR-124 was predicted to bind UCA1, no interaction between UCA1 and miR-124 was found.",
    ],
)
def test_negations_and_non_targets(sentence):
    assert typed(sentence, min_confidence=0.0) == set()


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        (
            "LINC00673 was upregulated in gastric cancer. Mechanistically, it acted as a sponge "
            "for miR-124 to upregulate SOX9.",
            {("sponges", M, "LINC00673")},
        ),
        (
            "circHIPK3 was upregulated. This circRNA directly bound miR-124.",
            {("sponges", M, "circHIPK3")},
        ),
        # two ncRNAs: "it" is ambiguous and stays unresolved
        ("HOTAIR and MALAT1 were upregulated. It acted as a sponge for miR-124.", set()),
        (
            "LINC00673 was upregulated in gastric cancer and acted as a sponge for miR-124.",
            {("sponges", M, "LINC00673")},
        ),
        (
            "miR-124 was downregulated in HCC and directly targeted STAT3.",
            {("targets", M, "STAT3")},
        ),
        ("miR-124 was low in HCC. It directly targeted STAT3.", {("targets", M, "STAT3")}),
        ("miR-124 and miR-21 were low. It directly targeted STAT3.", set()),
    ],
)
def test_pronouns_and_subject_ellipsis(abstract, expected):
    assert typed(abstract) == expected


def test_evidence_keeps_the_original_sentence():
    doc = {"pmid": "5", "abstract": "XIST was high. It functioned as a ceRNA of miR-124."}
    (rel,) = [r for r in extract_relations(doc) if r.relation == "sponges"]
    assert (rel.partner, rel.sentence) == ("XIST", "It functioned as a ceRNA of miR-124.")


def test_expression_readouts_are_not_targets_by_default():
    """Verb-only statements are indirect repression (``inhibits``), never targets."""
    s = "miR-124 overexpression decreased N-cadherin and vimentin expression."
    assert typed(s) == set()
    assert typed(s, min_confidence=0.0) == set()
    assert typed(s, relations=("inhibits",)) == {("inhibits", M, "CDH2"), ("inhibits", M, "VIM")}


@pytest.mark.parametrize(
    ("abstract", "found"),
    [
        (
            "TargetScan predicted STAT3 as a potential target of miR-124. "
            "This was confirmed by dual-luciferase reporter assays.",
            True,
        ),
        (
            "TargetScan predicted STAT3 as a potential target of miR-124. "
            "Cell proliferation was confirmed by CCK-8 assays.",
            False,
        ),
        (
            "TargetScan predicted STAT3 as a potential target of miR-124. "
            "However, luciferase reporter assays showed no binding of miR-124 to the STAT3 3'UTR.",
            False,
        ),
    ],
)
def test_next_sentence_can_confirm_a_prediction(abstract, found):
    assert (("targets", M, "STAT3") in typed(abstract)) is found


def test_two_clauses_are_not_a_mirna_list():
    sentence = "EZH2 was shown to be a target of miR-101, and miR-124 targeted the 3'UTR of CDK4."
    assert typed(sentence) == {("targets", M, "CDK4"), ("targets", "hsa-miR-101-3p", "EZH2")}


def test_respectively_pairs_lists():
    rels = extract_relations(
        {
            "pmid": "1",
            "abstract": "miR-124 and miR-21 directly targeted CDK6 and PTEN, respectively.",
        }
    )
    assert {(r.mirna, r.partner) for r in rels if r.relation == "targets"} == {
        (M, "CDK6"),
        ("hsa-miR-21-5p", "PTEN"),
    }


def test_but_not_excludes_list_member():
    assert typed("miR-124 directly regulated CAV1 but not FLOT1.") == {("targets", M, "CAV1")}


@pytest.mark.parametrize(
    "sentence",
    [
        "Whether UHRF1 is a direct target of miR-124 requires further study.",
        "It remains to be determined whether miR-124 directly targets UHRF1.",
        "In silico analysis suggested that UHRF1 might be a target of miR-124.",
    ],
)
def test_hedged_statements_fall_below_threshold(sentence):
    assert typed(sentence) == set()
    assert typed(sentence, min_confidence=0.3) == {("targets", M, "UHRF1")}


def test_hedged_relation_gets_low_confidence():
    s = "Bioinformatics analysis predicted that STAT3 may be a target of miR-124."
    assert typed(s) == set()
    (rel,) = extract_relations({"pmid": "1", "abstract": s}, min_confidence=0.0)
    assert rel.partner == "STAT3" and rel.confidence < 0.5
    confirmed = "TargetScan predicted STAT3 as a target of miR-124, which was confirmed by luciferase assays."
    assert typed(confirmed) == {("targets", M, "STAT3")}


def test_expression_and_prognosis_with_direction():
    doc = {
        "pmid": "9",
        "title": "miR-124 in hepatocellular carcinoma",
        "abstract": "miR-124 was significantly downregulated in HCC tissues. "
        "Low miR-124 expression was associated with poor overall survival.",
    }
    rels = {(r.relation, r.partner, r.direction) for r in extract_relations(doc)}
    assert ("expression_change", "hepatocellular carcinoma", "down") in rels
    assert ("prognostic", "hepatocellular carcinoma", "down") in rels
    up = extract_relations(
        {"pmid": "2", "abstract": "miR-21 was markedly upregulated in glioma tissues."}
    )
    assert [(r.relation, r.mirna, r.direction) for r in up] == [
        ("expression_change", "hsa-miR-21-5p", "up")
    ]


def test_no_prognosis_when_negated():
    doc = {
        "pmid": "3",
        "abstract": "miR-124 levels were not associated with overall survival in glioma.",
    }
    assert [r for r in extract_relations(doc) if r.relation == "prognostic"] == []


def test_default_mirna_resolves_target_without_of_phrase():
    doc = {
        "pmid": "4",
        "title": "miR-124 suppresses glioma.",
        "abstract": "STAT3 was identified as a direct target.",
    }
    assert {(r.relation, r.partner) for r in extract_relations(doc)} >= {("targets", "STAT3")}


def test_output_fields_and_cancer_from_document():
    doc = {
        "pmid": "42",
        "title": "MicroRNA-124 suppresses hepatocellular carcinoma by targeting STAT3.",
        "abstract": "",
    }
    (rel,) = [r for r in extract_relations(doc) if r.relation == "targets"]
    assert rel.to_dict() == {
        "pmid": "42",
        "mirna": M,
        "partner": "STAT3",
        "partner_type": "gene",
        "relation": "targets",
        "cancer": "hepatocellular carcinoma",
        "sentence": doc["title"],
        "confidence": 0.85,
        "direction": "down",
        "sign": -1,
        "subject": M,
        "subject_type": "mirna",
        "object": "STAT3",
        "object_type": "gene",
        "context": "cancer",
        "assays": [],
        "evidence_start": 0,
        "evidence_end": len(doc["title"]),
        "in_title": True,
        "hedged": False,
    }


def test_bad_min_confidence():
    with pytest.raises(InputError, match=r"min_confidence must be within \[0, 1\], got 1.5"):
        extract_relations({"pmid": "1", "title": "x"}, min_confidence=1.5)


def test_document_without_pmid():
    with pytest.raises(InputError, match="document has no 'pmid'"):
        extract_relations({"title": "miR-124 targets STAT3."})


def test_jsonl_bad_lines_need_skip_flag(tmp_path):
    p = tmp_path / "abstracts.jsonl"
    lines = [
        json.dumps({"pmid": "1", "title": "miR-124 directly targets SOX9.", "abstract": ""}),
        '{"pmid": "2", "title": "broken',
        json.dumps({"title": "no pmid"}),
        json.dumps({"pmid": "3", "title": "miR-124 directly targets CDK6."}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        FileFormatError, match=r"abstracts.jsonl, line 2: bad JSONL line .*--skip-bad"
    ):
        extract_file(p)
    q = tmp_path / "nopmid.jsonl"
    q.write_text(lines[0] + "\n\n" + lines[2] + "\n", encoding="utf-8")
    with pytest.raises(
        FileFormatError, match=r"nopmid.jsonl, line 3: bad JSONL line \(missing \"pmid\"\)"
    ):
        list(read_documents(q))
    rels = extract_file(p, skip_bad=True)
    assert [(r.pmid, r.partner) for r in rels] == [("1", "SOX9"), ("3", "CDK6")]


def test_missing_input_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        extract_file(tmp_path / "nope.jsonl")


_WORDS = [
    "miR-124",
    "miR\u2011124-3p",
    "STAT3",
    "SOX9",
    "LINC00673",
    "circHIPK3",
    "targets",
    "sponges",
    "directly",
    "not",
    "may",
    "the",
    "3'UTR",
    "of",
    "by",
    "targeting",
    "axis",
    "/",
    ",",
    "and",
    "was",
    "a",
    "target",
    "in",
    "HCC",
    "(",
    ")",
    "ceRNA",
    "for",
    "acts",
    "as",
    "sponge",
    ".",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=25))
def test_extraction_is_total_and_well_formed(words):
    rels = extract_relations({"pmid": "1", "title": "", "abstract": " ".join(words)})
    for r in rels:
        assert r.relation in ("targets", "sponges", "expression_change", "prognostic")
        assert 0.5 <= r.confidence <= 1.0
        assert r.mirna.startswith("hsa-")
        if r.relation == "targets":
            assert r.partner_type == "gene"
        if r.relation == "sponges":
            assert r.partner_type in ("lncrna", "circrna", "gene")
