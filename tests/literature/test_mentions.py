"""Mention finding: miRNA spellings, genes (without English false positives), ncRNAs, cancers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope.literature.mentions import find_mentions, normalize_text, split_sentences


def names_of(text: str, kind: str) -> list[str]:
    return [m.name for m in find_mentions(text) if m.kind == kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("miR-124 is low", "hsa-miR-124-3p"),
        ("miR\u2011124 is low", "hsa-miR-124-3p"),
        ("microRNA-124 is low", "hsa-miR-124-3p"),
        ("MicroRNA 124 is low", "hsa-miR-124-3p"),
        ("miR124 is low", "hsa-miR-124-3p"),
        ("miR-124a is low", "hsa-miR-124-3p"),
        ("miR-124-3p is low", "hsa-miR-124-3p"),
        ("miR\u2011124\u20115p is low", "hsa-miR-124-5p"),
        ("hsa-miR-124-3p is low", "hsa-miR-124-3p"),
        ("miRNA-326 is low", "hsa-miR-326"),
        ("the miR-124/PIK3CA axis", "hsa-miR-124-3p"),
        ("let-7b is low", "hsa-let-7b-5p"),
    ],
)
def test_mirna_spellings(text, expected):
    assert names_of(text, "mirna") == [expected]


def test_mirna_continuation_list():
    assert names_of("miR-26a, -34a and -145 were low", "mirna") == [
        "hsa-miR-26a-5p",
        "hsa-miR-34a-5p",
        "hsa-miR-145-5p",
    ]


def test_axis_splits_into_three_entities():
    ms = find_mentions("the LINC00673/miR-124-3p/SOX9 axis")
    assert [(m.kind, m.name) for m in ms] == [
        ("lncrna", "LINC00673"),
        ("mirna", "hsa-miR-124-3p"),
        ("gene", "SOX9"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E-cadherin and vimentin", ["CDH1", "VIM"]),
        ("beta-catenin and cyclin D1", ["CTNNB1", "CCND1"]),
        ("Slug, Bcl-2 and p53", ["SNAI2", "BCL2", "TP53"]),
        ("STAT3-mediated signalling", ["STAT3"]),
        ("iASPP was high", ["PPP1R13L"]),
    ],
)
def test_gene_aliases(text, expected):
    assert names_of(text, "gene") == expected


@pytest.mark.parametrize(
    "text",
    [
        "This Was done For all; Can the data be Set aside? Impact, Max and Star.",
        "The OS and DFS of patients were analysed by RT-qPCR and ELISA in HeLa cells.",
        "Cell viability was measured with CCK-8 and EdU assays (P < 0.05).",
        "In Huh7, AGS, HOS and PC-3 cells, HE staining and ChIP assays showed FISH results.",
        "Set the Rest of the samples aside; Cat scans were normal.",
    ],
)
def test_no_gene_false_positives(text):
    assert names_of(text, "gene") == []


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("lncRNA HOTAIR was high", "lncrna", "HOTAIR"),
        ("LINC00460 was high", "lncrna", "LINC00460"),
        ("SNHG16 was high", "lncrna", "SNHG16"),
        ("circHIPK3 was high", "circrna", "circHIPK3"),
        ("hsa_circ_0000284 was high", "circrna", "circHIPK3"),
        ("circ_0000140 was low", "circrna", "hsa_circ_0000140"),
        ("circRNA ITCH was low", "circrna", "circITCH"),
        ("LncRNA-SNHG16 was high", "lncrna", "SNHG16"),
        ("lncRNA-p21 was high", "lncrna", "lncRNA-p21"),
        ("lncRNA-ATB was high", "lncrna", "lncRNA-ATB"),
        ("HOTTIP was high", "lncrna", "HOTTIP"),
        ("Circular RNA PVT1 was high", "circrna", "circPVT1"),
    ],
)
def test_ncrna_mentions(text, kind, expected):
    assert names_of(text, kind) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in hepatocellular carcinoma (HCC) tissues; HCC cells", ["hepatocellular carcinoma"] * 3),
        ("in non-small cell lung cancer", ["non-small cell lung carcinoma"]),
        ("in human gastric cancer", ["gastric cancer"]),
        ("the OS of patients", []),  # OS is not osteosarcoma unless defined
        ("in osteosarcoma (OS); OS cells", ["osteosarcoma"] * 3),
    ],
)
def test_cancer_mentions(text, expected):
    assert names_of(text, "cancer") == expected


@pytest.mark.parametrize("text", ["LncRNA profiling identified", "circRNA microarray data"])
def test_ncrna_words_are_not_names(text):
    assert [m for m in find_mentions(text) if m.kind in ("lncrna", "circrna")] == []


def test_split_sentences():
    text = (
        "miR-124 is low (P < 0.05). Smith et al. showed it. Fig. 2 is clear. "
        "circHIPK3 binds miR-124. miR-124 targets STAT3."
    )
    assert split_sentences(text) == [
        "miR-124 is low (P < 0.05).",
        "Smith et al. showed it.",
        "Fig. 2 is clear.",
        "circHIPK3 binds miR-124.",
        "miR-124 targets STAT3.",
    ]


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=120))
def test_mentions_never_crash_and_stay_in_bounds(text):
    norm = normalize_text(text)
    assert len(norm) == len(text)
    for m in find_mentions(text):
        assert 0 <= m.start < m.end <= len(text)
        assert norm[m.start : m.end] == m.text
