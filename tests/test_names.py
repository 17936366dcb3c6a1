"""Tests of mirscope.names: every spelling of issue 2 item 2, vocabularies and errors."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope import names
from mirscope.errors import InputError, UnknownNameError
from mirscope.schema import PATHWAYS, PHENOTYPES

NBH = "\u2011"  # non-breaking hyphen, as in the seed review


# --------------------------------------------------------------------------- miRNAs
@pytest.mark.parametrize(
    "spelling",
    [
        f"miR{NBH}124",
        "miR-124",
        "miRNA-124",
        "microRNA-124",
        "miR124",
        "miR-124a",
        "hsa-miR-124-3p",
        "miR-124-3p",
        "miR-124-3p.1",
        "MIMAT0000422",
        "hsa-miR-124",
        "mir-124",
        "MiR-124",
        f"miRNA{NBH}124",
        "miR 124",
        "miRNA-124a",
        f"miR{NBH}124{NBH}3p.1",
    ],
)
def test_mature_spellings_map_to_mir124_3p(spelling: str) -> None:
    m = names.normalize_mirna(spelling)
    assert (m.name, m.accession, m.kind, m.family) == (
        "hsa-miR-124-3p",
        "MIMAT0000422",
        "mature",
        "miR-124",
    )
    assert set(m.precursors) == {"hsa-mir-124-1", "hsa-mir-124-2", "hsa-mir-124-3"}


@pytest.mark.parametrize(
    ("spelling", "name", "accession"),
    [
        ("hsa-mir-124-1", "hsa-mir-124-1", "MI0000443"),
        ("hsa-mir-124-2", "hsa-mir-124-2", "MI0000444"),
        ("hsa-mir-124-3", "hsa-mir-124-3", "MI0000445"),
        ("MI0000444", "hsa-mir-124-2", "MI0000444"),
        (f"miR{NBH}124{NBH}1", "hsa-mir-124-1", "MI0000443"),  # the review's locus names
        ("pre-miR-124-3", "hsa-mir-124-3", "MI0000445"),
    ],
)
def test_precursors(spelling: str, name: str, accession: str) -> None:
    m = names.normalize_mirna(spelling)
    assert (m.name, m.accession, m.kind) == (name, accession, "precursor")
    assert set(m.matures) == {"hsa-miR-124-3p", "hsa-miR-124-5p"}


@pytest.mark.parametrize(
    ("spelling", "accession"),
    [("MIR124-1", "MI0000443"), ("MIR124-2", "MI0000444"), ("MIR124-3", "MI0000445")],
)
def test_genes_stay_genes(spelling: str, accession: str) -> None:
    m = names.normalize_mirna(spelling)
    assert (m.name, m.kind, m.accession, m.family) == (spelling, "gene", accession, "miR-124")


def test_primary_transcript_is_its_own_kind() -> None:
    m = names.normalize_mirna(f"pri{NBH}miR{NBH}124")
    assert m.kind == "primary"
    assert m.name == "pri-hsa-mir-124"
    assert m.accession is None  # three loci
    assert len(m.precursors) == 3
    one = names.normalize_mirna("pri-miR-124-2")
    assert (one.kind, one.accession) == ("primary", "MI0000444")


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("miR-124*", "hsa-miR-124-5p"),
        ("miR-124-5p", "hsa-miR-124-5p"),
        ("let-7a", "hsa-let-7a-5p"),
        ("miR-21", "hsa-miR-21-5p"),
        ("miR-200a", "hsa-miR-200a-3p"),
        ("miR-145", "hsa-miR-145-5p"),
        ("miR-448", "hsa-miR-448"),
        ("miR-6126", "hsa-miR-6126"),
        ("miR-3188", "hsa-miR-3188"),
        ("hsa-miR-92a-1-5p", "hsa-miR-92a-1-5p"),
        ("miR-146b", "hsa-miR-146b-5p"),
    ],
)
def test_other_mirnas(spelling: str, expected: str) -> None:
    assert names.normalize_mirna(spelling).name == expected


def test_mature_sequence_matches_mirbase() -> None:
    # miRBase v22 MIMAT0000422, read independently from the shipped FASTA
    text = gzip.decompress(
        resources.files("mirscope")
        .joinpath("data", "mirbase", "hsa_matures_miRBase_v22.fa.gz")
        .read_bytes()
    ).decode()
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if "MIMAT0000422" in line)
    assert names.mature_sequence(f"miR{NBH}124") == lines[i + 1].replace("T", "U")
    assert names.mature_sequence("miR-124") == "UAAGGCACGCGGUGAAUGCCAA"
    assert names.precursor_sequence("MIR124-1").startswith("AGGCC")


def test_mature_sequence_of_precursor_is_rejected() -> None:
    with pytest.raises(InputError, match=r"precursor.*not a mature miRNA"):
        names.mature_sequence("hsa-mir-124-1")


@pytest.mark.parametrize("bad", ["miR-99999", "miR-R124", "hsa-miR-124-7p", "mmu-miR-1"])
def test_unknown_mirna_lists_closest(bad: str) -> None:
    with pytest.raises(UnknownNameError, match=r"Unknown miRNA.*Closest known names") as ei:
        names.normalize_mirna(bad)
    assert ei.value.name == bad


def test_nonsense_mirna() -> None:
    with pytest.raises(UnknownNameError, match=r"Unknown miRNA 'banana'\. No similar name"):
        names.normalize_mirna("banana")


def test_unknown_mirna_suggests_mir124() -> None:
    with pytest.raises(UnknownNameError) as ei:
        names.normalize_mirna("miR-R124")
    assert "miR-124" in ei.value.suggestions


def test_multi_locus_precursor_needs_locus() -> None:
    with pytest.raises(UnknownNameError, match=r"give the locus.*hsa-mir-124-1"):
        names.normalize_mirna("hsa-mir-124")


# --------------------------------------------------------------------------- genes
@pytest.mark.parametrize(
    ("spelling", "symbol"),
    [
        ("SphK1", "SPHK1"),
        ("EphA2", "EPHA2"),
        ("c-Myc", "MYC"),
        (f"c{NBH}Myc", "MYC"),
        ("IL-3R", "IL3RA"),
        (f"IL{NBH}3R", "IL3RA"),
        ("TACE", "ADAM17"),
        ("MCP-1", "CCL2"),
        (f"MCP{NBH}1", "CCL2"),
        ("Bcl-xL", "BCL2L1"),
        (f"Bcl{NBH}xL", "BCL2L1"),
        ("E-cadherin", "CDH1"),
        (f"E{NBH}cadherin", "CDH1"),
        ("N-cadherin", "CDH2"),
        ("vimentin", "VIM"),
        ("IAP2", "BIRC3"),
        ("metadherin", "MTDH"),
        ("stat3", "STAT3"),
        ("TP53", "TP53"),
        ("p53", "TP53"),
        ("TNF-α", "TNF"),
        ("HIF-1α", "HIF1A"),
        ("MMP-2", "MMP2"),
        ("p-STAT3", "STAT3"),
        ("p-IκBα", "NFKBIA"),
        ("β-catenin", "CTNNB1"),
        ("CXCR7", "ACKR3"),  # previous symbol
        ("calpain 2", "CAPN2"),  # full HGNC name
        ("androgen receptor", "AR"),
        ("enhancer of zeste 2 polycomb repressive complex 2 subunit", "EZH2"),
        (f"TNF{NBH}α converting enzyme", "ADAM17"),
        ("p62", "SQSTM1"),
        ("p27", "CDKN1B"),
        ("SATA3", "STAT3"),
    ],
)
def test_gene_spellings(spelling: str, symbol: str) -> None:
    assert names.normalize_gene(spelling) == symbol


def test_gene_info_and_entrez() -> None:
    info = names.gene_info("c-Myc")
    assert (info.symbol, info.entrez_id, info.ensembl_gene_id) == (
        "MYC",
        4609,
        "ENSG00000136997",
    )
    assert info.locus_type == "gene with protein product"
    assert names.entrez_to_symbol("6774") == "STAT3"
    assert names.entrez_to_symbol(406907) == "MIR124-1"


def test_unknown_gene() -> None:
    with pytest.raises(UnknownNameError, match=r"Unknown gene symbol 'STAT33'.*STAT3"):
        names.normalize_gene("STAT33")


def test_ambiguous_gene_alias_lists_candidates() -> None:
    with pytest.raises(UnknownNameError, match=r"ambiguous HGNC alias of \d+ genes"):
        names.normalize_gene("p40")


def test_bad_entrez_id() -> None:
    with pytest.raises(InputError, match="Entrez id must be an integer"):
        names.entrez_to_symbol("abc")
    with pytest.raises(UnknownNameError, match="Entrez gene id"):
        names.entrez_to_symbol(999999999)


# --------------------------------------------------------------------------- ncRNAs
@pytest.mark.parametrize(
    ("spelling", "name", "kind"),
    [
        ("NEAT1", "NEAT1", "lncrna"),
        ("nuclear enriched abundant transcript 1", "NEAT1", "lncrna"),
        ("lncRNA XIST", "XIST", "lncrna"),
        ("X‑inactive specific transcript", "XIST", "lncrna"),
        ("MALAT1", "MALAT1", "lncrna"),
        (f"lncRNA MALAT{NBH}1", "MALAT1", "lncrna"),
        ("PVT1", "PVT1", "lncrna"),
        ("lncRNA PVT1", "PVT1", "lncrna"),
        ("circHIPK3", "circHIPK3", "circrna"),
        ("CircHIPK3", "circHIPK3", "circrna"),
        ("hsa_circ_0000284", "circHIPK3", "circrna"),
        ("circular RNA HIPK3", "circHIPK3", "circrna"),
        ("circPVT1", "circPVT1", "circrna"),
        ("circRNA PVT1", "circPVT1", "circrna"),
        ("exosomal circRNA plasmacytoma variant translocation 1", "circPVT1", "circrna"),
        ("LINC00240", "LINC00240", "lncrna"),
        ("DSCAM-AS1", "DSCAM-AS1", "lncrna"),
        (f"DS cell adhesion molecule{NBH}antisense RNA 1", "DSCAM-AS1", "lncrna"),
        ("OGFRP1", "OGFRP1", "lncrna"),
        ("lncRNA opioid growth factor receptor pseudogene 1", "OGFRP1", "lncrna"),
        ("LINC-ROR", "LINC-ROR", "lncrna"),
        ("linc-RoR", "LINC-ROR", "lncrna"),
        ("intergenic non‑protein encoding RNA, regulator of reprogramming", "LINC-ROR", "lncrna"),
        ("lncRNA 1308", "lncRNA 1308", "lncrna"),
    ],
)
def test_ncrna_spellings(spelling: str, name: str, kind: str) -> None:
    rec = names.normalize_ncrna(spelling)
    assert (rec.name, rec.type) == (name, kind)


def test_circhipk3_aliases() -> None:
    assert "hsa_circ_0000284" in names.normalize_ncrna("circHIPK3").aliases


def test_unknown_ncrna() -> None:
    with pytest.raises(UnknownNameError, match=r"Unknown lncRNA/circRNA 'NEAT2'.*NEAT1"):
        names.normalize_ncrna("NEAT2")


# --------------------------------------------------------------------------- cancers
@pytest.mark.parametrize(
    ("spelling", "name", "doid"),
    [
        ("breast cancer", "breast cancer", "DOID:1612"),
        ("breast", "breast cancer", "DOID:1612"),
        ("BC", "breast cancer", "DOID:1612"),
        ("bladder cancer", "bladder cancer", "DOID:11054"),
        ("urothelial carcinoma", "bladder cancer", "DOID:11054"),
        ("CRC", "colorectal cancer", "DOID:9256"),
        ("colon cancer", "colon cancer", "DOID:219"),  # a sub-type of colorectal (issue 13)
        ("HCC", "hepatocellular carcinoma", "DOID:684"),
        ("liver cancer", "hepatocellular carcinoma", "DOID:684"),
        (f"Hepatocellular carci{NBH}noma".replace(NBH, ""), "hepatocellular carcinoma", "DOID:684"),
        ("lung cancer", "lung cancer", "DOID:1324"),
        ("NSCLC", "non-small cell lung carcinoma", "DOID:3908"),
        (f"non{NBH}small cell lung cancer", "non-small cell lung carcinoma", "DOID:3908"),
        ("SCLC", "small cell lung carcinoma", "DOID:5409"),
        ("ovarian cancer", "ovarian cancer", "DOID:2394"),
        ("OC", "ovarian cancer", "DOID:2394"),
        ("prostate cancer", "prostate cancer", "DOID:10283"),
        ("PCa", "prostate cancer", "DOID:10283"),
        ("HNSCC", "head and neck squamous cell carcinoma", "DOID:5520"),
        ("head and neck cancer", "head and neck cancer", "DOID:11934"),  # parent of HNSCC
        ("laryngeal", "laryngeal squamous cell carcinoma", "DOID:2876"),
        ("oral", "oral squamous cell carcinoma", "DOID:0050866"),
        ("OSCC", "oral squamous cell carcinoma", "DOID:0050866"),
        ("EC", "endometrial cancer", "DOID:1380"),
        ("carcinoma of the endometrium", "endometrial cancer", "DOID:1380"),
        ("GC", "gastric cancer", "DOID:10534"),
        ("glioma", "glioma", "DOID:3070"),
        ("GBM", "glioblastoma", "DOID:3068"),
        ("osteosarcoma", "osteosarcoma", "DOID:3347"),
        ("OS", "osteosarcoma", "DOID:3347"),
        ("esophageal cancer", "esophageal cancer", "DOID:5041"),
        ("ESCC", "esophageal squamous cell carcinoma", "DOID:3748"),
        ("pancreatic cancer", "pancreatic cancer", "DOID:1793"),
        ("retinoblastoma", "retinoblastoma", "DOID:768"),
        ("cervical cancer", "cervical cancer", "DOID:4362"),
        ("NPC", "nasopharyngeal carcinoma", "DOID:9261"),
        ("RCC", "renal cell carcinoma", "DOID:4450"),
        ("melanoma", "melanoma", "DOID:1909"),
        ("thyroid cancer", "thyroid cancer", "DOID:1781"),
        ("medulloblastoma", "medulloblastoma", "DOID:0050902"),
        ("cancer", "cancer", "DOID:162"),
        ("DOID:684", "hepatocellular carcinoma", "DOID:684"),
        ("BC cells", "breast cancer", "DOID:1612"),
        ("HCC tissues", "hepatocellular carcinoma", "DOID:684"),
    ],
)
def test_cancer_vocabulary(spelling: str, name: str, doid: str) -> None:
    ct = names.normalize_cancer(spelling)
    assert (ct.name, ct.doid) == (name, doid)


def test_unknown_cancer() -> None:
    with pytest.raises(
        UnknownNameError, match=r"Unknown cancer type 'breast cancr'.*breast cancer"
    ):
        names.normalize_cancer("breast cancr")


# --------------------------------------------------------------------------- pathways etc.
@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("PI3K/AKT", "PI3K/Akt"),
        ("PI3K/Akt signaling pathway", "PI3K/Akt"),
        (f"Wnt/β{NBH}catenin", "Wnt/beta-catenin"),
        ("Wnt/β-catenin signaling pathway", "Wnt/beta-catenin"),
        ("NF-κB", "NF-kB"),
        (f"NF{NBH}B", "NF-kB"),  # the review's garbled NF-κB
        ("JAK/STAT signaling system", "JAK/STAT"),
        (f"JAK{NBH}STAT3 signaling pathway", "JAK/STAT"),
        ("the Notch signaling pathway", "Notch"),
        ("TGF-β", "TGF-beta"),
        (f"hypoxia{NBH}inducible factor{NBH}1 signaling pathway", "HIF-1"),
    ],
)
def test_pathway_names(spelling: str, canonical: str) -> None:
    assert canonical in PATHWAYS
    assert names.normalize_pathway(spelling) == canonical


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        (f"epithelial{NBH}mesenchymal transition", "EMT"),
        ("EMT", "EMT"),
        ("cell proliferation", "proliferation"),
        ("tumor growth", "tumour growth"),
        ("tumor spread", "metastasis"),
        ("chemoresistance", "drug resistance"),
        ("G0/G1 arrest", "cell cycle arrest"),
        ("tube formation", "angiogenesis"),
        ("self-renewal", "stemness"),
        ("invasive ability", "invasion"),
    ],
)
def test_phenotype_names(spelling: str, canonical: str) -> None:
    assert canonical in PHENOTYPES
    assert names.normalize_phenotype(spelling) == canonical


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("cisplatin", "cisplatin"),
        ("DDP", "cisplatin"),
        ("5-FU", "5-fluorouracil"),
        (f"5{NBH}FU", "5-fluorouracil"),
        ("DOX", "doxorubicin"),
        ("adriamycin", "doxorubicin"),
        ("temozolomide", "temozolomide"),
        ("radiotherapy", "radiotherapy"),
        ("irradiation", "radiotherapy"),
        ("cetuximab", "cetuximab"),
        ("carboplatin", "carboplatin"),
        ("oxaliplatin-based chemotherapy", "oxaliplatin"),
        ("erlotinib", "erlotinib"),
        ("enzalutamide", "enzalutamide"),
        (f"5{NBH}azacytidine", "5-azacytidine"),
    ],
)
def test_therapy_names(spelling: str, canonical: str) -> None:
    assert names.normalize_therapy(spelling) == canonical


@pytest.mark.parametrize(
    ("fn", "bad", "kind"),
    [
        (names.normalize_pathway, "Wnt/beta-cattenin pathway", "pathway"),
        (names.normalize_phenotype, "prolifferation", "phenotype"),
        (names.normalize_therapy, "cisplatine-X", "therapy"),
    ],
)
def test_unknown_vocabulary_names(fn, bad: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownNameError, match=f"Unknown {kind}.*Closest known names"):
        fn(bad)


# --------------------------------------------------------------------------- any entity
@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        (f"miR{NBH}124", ("hsa-miR-124-3p", "mirna")),
        ("STAT3", ("STAT3", "gene")),
        ("E-cadherin", ("CDH1", "gene")),
        ("circHIPK3", ("circHIPK3", "circrna")),
        ("NEAT1", ("NEAT1", "lncrna")),
        ("HCC", ("hepatocellular carcinoma", "cancer")),
        ("PI3K/Akt", ("PI3K/Akt", "pathway")),
        ("NF-κB", ("NF-kB", "pathway")),
        ("EMT", ("EMT", "phenotype")),
        ("cisplatin", ("cisplatin", "therapy")),
        ("p53", ("TP53", "gene")),
    ],
)
def test_resolve_entity(spelling: str, expected: tuple[str, str]) -> None:
    assert names.resolve_entity(spelling) == expected


def test_resolve_entity_unknown() -> None:
    with pytest.raises(UnknownNameError, match="Unknown entity"):
        names.resolve_entity("zzzqqq-nonsense-42")


@pytest.mark.parametrize(
    ("query", "kind", "first"),
    [
        ("breast cancr", "cancer", "breast cancer"),
        ("STAT33", "gene", "STAT3"),
        ("miR-124-9p", "mirna", "hsa-miR-124-5p"),
        ("circHIPK", "circrna", "circHIPK3"),
        ("Wnt", "pathway", "Wnt/beta-catenin"),
    ],
)
def test_suggest(query: str, kind: str, first: str) -> None:
    assert first in names.suggest(query, kind)


def test_suggest_bad_kind() -> None:
    with pytest.raises(InputError, match="unknown kind 'protein'"):
        names.suggest("STAT3", "protein")


@pytest.mark.parametrize("bad", ["", "   ", None, 124])
def test_non_names_rejected(bad: object) -> None:
    with pytest.raises(InputError, match=r"empty name|must be a string"):
        names.normalize_mirna(bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- idempotence
_DASH = st.sampled_from(["-", NBH, "\u2010", "\u2013"])


def _mature_names() -> list[str]:
    return sorted(names._mirbase().mature)


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(_mature_names()), dash=_DASH)
def test_mirna_normalisation_is_idempotent(name: str, dash: str) -> None:
    once = names.normalize_mirna(name.replace("-", dash))
    assert once.name == name
    assert names.normalize_mirna(once.name) == once
    assert names.normalize_mirna(once.accession or "") == once


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(sorted(names._mirbase().precursor)))
def test_precursor_normalisation_is_idempotent(name: str) -> None:
    once = names.normalize_mirna(name)
    assert (once.name, once.kind) == (name, "precursor")
    assert names.normalize_mirna(once.accession or "") == once


@settings(max_examples=200, deadline=None)
@given(
    key=st.sampled_from(sorted(names._hgnc().exact)),
    case=st.sampled_from([str.lower, str.upper, str.title]),
)
def test_gene_normalisation_is_idempotent(key: str, case) -> None:  # type: ignore[no-untyped-def]
    try:
        once = names.normalize_gene(case(key))
    except UnknownNameError:  # ambiguous aliases are refused, consistently
        return
    assert names.normalize_gene(once) == once


_VOCAB = [c.name for c in names.cancer_types()] + [
    a for c in names.cancer_types() for a in (*c.synonyms, *c.abbreviations)
]


@settings(max_examples=100, deadline=None)
@given(name=st.sampled_from(_VOCAB))
def test_cancer_normalisation_is_idempotent(name: str) -> None:
    once = names.normalize_cancer(name)
    assert names.normalize_cancer(once.name) == once
    assert names.normalize_cancer(once.doid) == once


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from(
        [*PATHWAYS, *PHENOTYPES, *names.therapies(), "NF-κB", "Wnt/β-catenin", "EMT", "5-FU"]
    )
)
def test_entity_resolution_is_idempotent(name: str) -> None:
    norm, kind = names.resolve_entity(name)
    assert names.resolve_entity(norm) == (norm, kind)


def test_every_approved_symbol_is_a_fixed_point() -> None:
    # exhaustive: curated aliases must never shadow an approved HGNC symbol
    approved = names._hgnc().approved
    assert len(approved) > 40000
    assert [a for a in approved if names.try_normalize_gene(a) != a] == []


def test_curated_aliases_point_at_approved_symbols() -> None:
    from mirscope._names_data import EXTRA_GENE_ALIASES

    approved = names._hgnc().approved
    assert {v for v in EXTRA_GENE_ALIASES.values() if v not in approved} == set()
