"""Names for any miRNA (issue 13): legacy suffixes, host genes, arms, no-evidence message."""

from __future__ import annotations

import pytest

from mirscope import names
from mirscope.errors import UnknownNameError


@pytest.mark.parametrize("spelling", ["miR-124xyzzy", "miR-21junk", "miR-21a", "miR-124b"])
def test_unknown_letter_suffixes_are_rejected(spelling: str) -> None:
    with pytest.raises(UnknownNameError, match=rf"Unknown miRNA '{spelling}'"):
        names.normalize_mirna(spelling)
    assert names.try_normalize_mirna(spelling) is None


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("miR-124a", "hsa-miR-124-3p"),
        ("hsa-miR-124a", "hsa-miR-124-3p"),
        ("hsa-mir-124a-2", "hsa-mir-124-2"),
        ("miR-128a", "hsa-miR-128-3p"),
        ("miR-128b", "hsa-miR-128-3p"),
        ("hsa-mir-128b", "hsa-mir-128-2"),
        ("miR-34a", "hsa-miR-34a-5p"),  # a real letter of the current name is kept
        ("miR-200c", "hsa-miR-200c-3p"),
    ],
)
def test_legacy_suffixes_known_to_mirbase(spelling: str, name: str) -> None:
    assert names.normalize_mirna(spelling).name == name


@pytest.mark.parametrize(
    ("host", "family"),
    [("MIR155HG", "miR-155"), ("MIRLET7BHG", "let-7b"), ("MIR99AHG", "miR-99a")],
)
def test_host_genes_are_lncrnas_not_mirnas(host: str, family: str) -> None:
    with pytest.raises(UnknownNameError, match=rf"'{host}' is a miRNA host gene.*'{family}'"):
        names.normalize_mirna(host)
    assert names.try_normalize_mirna(host) is None
    assert names.resolve_entity(host) == (host, "lncrna")
    assert names.normalize_gene(host) == host


def test_precursor_mature_gene_kept_apart() -> None:
    pre = names.normalize_mirna("hsa-mir-34a")
    assert (pre.kind, pre.name, pre.family) == ("precursor", "hsa-mir-34a", "miR-34a")
    assert set(pre.matures) == {"hsa-miR-34a-5p", "hsa-miR-34a-3p"}
    gene = names.normalize_mirna("MIR34A")
    assert (gene.kind, gene.name) == ("gene", "MIR34A")
    mat = names.normalize_mirna("miR-34a-3p")
    assert (mat.kind, mat.name) == ("mature", "hsa-miR-34a-3p")


@pytest.mark.parametrize(
    ("spelling", "members"),
    [
        ("miR-34a", {"hsa-miR-34a-5p", "hsa-miR-34a-3p", "hsa-mir-34a"}),
        ("miR-21", {"hsa-miR-21-5p", "hsa-miR-21-3p", "hsa-mir-21"}),
        ("miR-34a-5p", {"hsa-miR-34a-5p"}),
        ("MIMAT0000255", {"hsa-miR-34a-5p"}),
        ("hsa-mir-34a", {"hsa-mir-34a"}),
    ],
)
def test_arm_less_names_mean_both_arms(spelling: str, members: set[str]) -> None:
    assert set(names.mirna_members(spelling)) == members


def test_no_evidence_message_is_not_a_spelling_hint() -> None:
    msg = names.no_evidence_message("miR-6124")
    assert msg.startswith("no evidence for miR-6124 yet")
    assert "mirscope literature mine --mirna miR-6124" in msg
    assert "spelling" not in msg


# --------------------------------------------------------------------------- cancer hierarchy
@pytest.mark.parametrize(
    ("parent", "children"),
    [
        (
            "lung",
            {
                "non-small cell lung carcinoma",
                "lung adenocarcinoma",
                "lung squamous cell carcinoma",
            },
        ),
        (
            "head and neck",
            {
                "head and neck squamous cell carcinoma",
                "oral squamous cell carcinoma",
                "nasopharyngeal carcinoma",
            },
        ),
        ("glioma", {"glioblastoma"}),
        ("colorectal", {"colon cancer", "rectal cancer"}),
    ],
)
def test_parent_includes_subtypes(parent: str, children: set[str]) -> None:
    subs = names.cancer_subtypes(parent)
    assert subs[0] == names.normalize_cancer(parent).name
    assert children <= set(subs)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("LUAD", "lung adenocarcinoma"),
        ("LUSC", "lung squamous cell carcinoma"),
        ("HNSC", "head and neck squamous cell carcinoma"),
        ("COAD", "colon cancer"),
        ("READ", "rectal cancer"),
        ("COADREAD", "colorectal cancer"),
        ("GBM", "glioblastoma"),
        ("LGG", "glioma"),
        ("SARC", "sarcoma"),
    ],
)
def test_tcga_codes_map_to_nodes(code: str, name: str) -> None:
    assert names.normalize_cancer(code).name == name


def test_is_a_table_matches_vocabulary() -> None:
    """Every shipped DO is_a row names vocabulary nodes with their DOIDs (checked on load)."""
    parents = names._cancer_is_a()
    doids = {c.name: c.doid for c in names.cancer_types()}
    assert set(parents) <= set(doids) and set(parents.values()) <= set(doids)
    assert parents["lung squamous cell carcinoma"] == "non-small cell lung carcinoma"
