"""Vocabularies and column names, defined once for the whole package.

Option sets are ``Literal`` types; their value tuples are derived from them with
``typing.get_args`` so the type and the runtime check can never disagree.
Each capability appends its own section below; never redefine a name that
already exists here.

Examples
--------
>>> "targets" in RELATION_TYPES
True
>>> SITE_TYPES[0]
'8mer'
"""

from __future__ import annotations

from typing import Literal, get_args

# ---------------------------------------------------------------------------
# Knowledge base: entities and relations
# ---------------------------------------------------------------------------
EntityType = Literal[
    "mirna", "gene", "lncrna", "circrna", "pathway", "phenotype", "therapy", "cancer", "other"
]
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)

RelationType = Literal[
    "targets",  # miRNA directly represses an mRNA through its 3'UTR
    "sponges",  # lncRNA/circRNA sequesters the miRNA (ceRNA)
    "silences",  # promoter methylation / other repression of the miRNA itself
    "activates",  # positive regulation (transcriptional, signalling...)
    "inhibits",  # negative regulation that is not direct 3'UTR targeting
    "member_of_pathway",
    "regulates_pathway",  # with sign in `direction`
    "affects_phenotype",  # with sign in `direction`
    "sensitizes_to",  # a therapy
    "expression_change",  # tumour vs normal, with direction and sample size
    "prognostic",
    "diagnostic",  # AUC, sensitivity, specificity where reported
]
RELATION_TYPES: tuple[str, ...] = get_args(RelationType)

Direction = Literal["up", "down", "none", "unknown"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)

#: Sign of a regulatory edge: +1 activation, -1 repression, 0 unsigned/association.
Sign = Literal[-1, 0, 1]

Context = Literal["cancer", "non_cancer"]
CONTEXTS: tuple[str, ...] = get_args(Context)

Source = Literal["review", "mirtarbase", "literature", "user"]
SOURCES: tuple[str, ...] = get_args(Source)

CurationFlag = Literal["contradictory", "garbled", "ambiguous", "non_cancer", "inferred_from_figure"]
CURATION_FLAGS: tuple[str, ...] = get_args(CurationFlag)

#: Canonical assay names; curated records use these spellings.
ASSAYS: tuple[str, ...] = (
    "luciferase reporter",
    "RT-qPCR",
    "western blot",
    "immunohistochemistry",
    "in situ hybridization",
    "microarray",
    "RNA-seq",
    "CCK-8",
    "MTT",
    "colony formation",
    "EdU",
    "Transwell",
    "wound healing",
    "flow cytometry",
    "TUNEL",
    "xenograft",
    "RIP",
    "RNA pull-down",
    "ChIP",
    "methylation-specific PCR",
    "bisulfite sequencing",
    "ELISA",
    "survival analysis",
    "ROC analysis",
    "gain of function",
    "loss of function",
)

#: Canonical pathway names (nodes of type "pathway").
PATHWAYS: tuple[str, ...] = (
    "Wnt/beta-catenin",
    "PI3K/Akt",
    "NF-kB",
    "JAK/STAT",
    "Notch",
    "MAPK/ERK",
    "TGF-beta",
    "Hedgehog",
    "mTOR",
    "EGFR",
    "p53",
    "HIF-1",
    "Hippo",
    "sphingosine kinase",
    "glycolysis",
    "cell cycle",
    "androgen receptor",
    "CXCL12/CXCR7",
)

#: Canonical phenotype names (nodes of type "phenotype").
PHENOTYPES: tuple[str, ...] = (
    "proliferation",
    "migration",
    "invasion",
    "metastasis",
    "EMT",
    "apoptosis",
    "cell cycle arrest",
    "angiogenesis",
    "tumour growth",
    "stemness",
    "autophagy",
    "glycolysis",
    "drug resistance",
    "radioresistance",
    "inflammation",
    "differentiation",
    "survival",
    "viability",
    "colony formation",
    "cell adhesion",
    "immune evasion",
    "macrophage polarization",
    "DNA repair",
    "DNA methylation",
)

# Column names of the tabular export of relations (kb export --format tsv/jsonl)
COL_SUBJECT = "subject"
COL_SUBJECT_TYPE = "subject_type"
COL_RELATION = "relation"
COL_OBJECT = "object"
COL_OBJECT_TYPE = "object_type"
COL_CANCER = "cancer"
COL_REFS = "refs"
COL_EVIDENCE = "evidence"
RELATION_EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    COL_SUBJECT,
    COL_SUBJECT_TYPE,
    COL_RELATION,
    COL_OBJECT,
    COL_OBJECT_TYPE,
    "direction",
    "sign",
    COL_CANCER,
    "context",
    "cell_lines",
    "tissue",
    "assays",
    "sample_size",
    "numbers",
    COL_REFS,
    COL_EVIDENCE,
    "evidence_start",
    "evidence_end",
    "flags",
    "note",
    "source",
)

# ---------------------------------------------------------------------------
# Binding sites
# ---------------------------------------------------------------------------
SiteType = Literal["8mer", "7mer-m8", "7mer-A1", "6mer", "offset-6mer"]
SITE_TYPES: tuple[str, ...] = get_args(SiteType)

# ---------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------
PerturbationVerb = Literal[
    "overexpress", "inhibit", "knockdown", "knockout", "demethylate", "activate"
]
PERTURBATION_VERBS: tuple[str, ...] = get_args(PerturbationVerb)

OutputFormat = Literal["table", "json", "tsv", "jsonl"]

# ---------------------------------------------------------------------------
# Network and pathway enrichment (mirscope.network)
# ---------------------------------------------------------------------------
#: File formats of `mirscope network export` (Cytoscape opens graphml, sif, cyjs; Gephi gexf).
NetworkFormat = Literal["graphml", "sif", "cyjs", "gexf"]
NETWORK_FORMATS: tuple[str, ...] = get_args(NetworkFormat)

#: Relations that are clinical findings (molecule -> cancer), kept as node attributes,
#: never as regulatory edges.
CLINICAL_RELATIONS: tuple[str, ...] = ("expression_change", "prognostic", "diagnostic")

#: Shipped gene-set collections (src/mirscope/data/genesets).
GeneSetCollectionName = Literal["hallmark", "reactome", "wikipathways"]
GENE_SET_COLLECTIONS: tuple[str, ...] = get_args(GeneSetCollectionName)

#: Null models of `mirscope.network.enrich`.
NullModel = Literal["empirical"]
#: How `enrich(..., null="empirical")` draws null gene sets.
NullSampling = Literal["frequency", "mirnas"]
NULL_SAMPLINGS: tuple[str, ...] = get_args(NullSampling)

#: The review's core signalling pathways checked by `pathway_report`.
CORE_PATHWAYS: tuple[str, ...] = ("Wnt/beta-catenin", "PI3K/Akt", "NF-kB", "JAK/STAT", "Notch")

#: Columns of `EnrichmentResult.table`.
ENRICHMENT_COLUMNS: tuple[str, ...] = (
    "gene_set",
    "collection",
    "set_size",
    "overlap",
    "expected",
    "fold_enrichment",
    "p_value",
    "q_value",
    "null_mean",
    "p_empirical",
    "q_empirical",
    "genes",
)

# ---------------------------------------------------------------------------
# Clinical analytics (mirscope.clinical)
# ---------------------------------------------------------------------------
#: Default long-format RT-qPCR columns: one row per well (technical replicate).
QPCR_COLUMNS: tuple[str, ...] = ("sample", "target", "ct", "group", "patient")

#: Marker split rules of `SurvivalSplitFitter` (high = marker > cut).
SurvivalSplit = Literal["median", "mean", "quantile", "optimal", "value"]
SURVIVAL_SPLITS: tuple[str, ...] = get_args(SurvivalSplit)

#: JSON keys printed by `mirscope clinical roc --format json`.
ROC_JSON_KEYS: tuple[str, ...] = (
    "auc", "auc_ci", "cutoff", "sensitivity", "specificity", "n_pos", "n_neg"
)
#: JSON keys printed by `mirscope clinical survival --format json`.
SURVIVAL_JSON_KEYS: tuple[str, ...] = (
    "n_high", "n_low", "logrank_chi2", "logrank_p", "hazard_ratio", "hr_ci", "concordance"
)
#: TCGA sample-type codes used for tumour vs normal.
TCGA_TUMOUR_CODE = 1
TCGA_NORMAL_CODE = 11

# ---------------------------------------------------------------------------
# Binding sites: scan tables (mirscope.sites)
# ---------------------------------------------------------------------------
#: Columns of `mirscope.sites.scan(...)` (1-based inclusive start/end; see docs/sites.md).
SITE_SCAN_COLUMNS: tuple[str, ...] = (
    "transcript", "start", "end", "site_type", "mirna", "dg_duplex", "supp_score", "spans_junction"
)
#: Columns of `mirscope.sites.summarize(...)`: per-transcript counts and sites per kb.
SITE_SUMMARY_COLUMNS: tuple[str, ...] = (
    "transcript", "length", "n_sites", *(f"n_{t}" for t in SITE_TYPES), "sites_per_kb"
)
#: TargetScan 7's names of the site types it reports.
TARGETSCAN_SITE_NAMES: dict[str, str] = {
    "8mer": "8mer-1a", "7mer-m8": "7mer-m8", "7mer-A1": "7mer-1a", "6mer": "6mer"
}

# ---------------------------------------------------------------------------
# Variant effects on miRNA sites (mirscope.variants)
# ---------------------------------------------------------------------------
VariantEffect = Literal["gained", "lost", "changed"]
VARIANT_EFFECTS: tuple[str, ...] = get_args(VariantEffect)
#: Columns of `mirscope variants` site rows. ``ref_start``..``alt_end`` are 1-based inclusive
#: in the transcript feature (e.g. the 3'UTR, 5'->3'); ``genomic_start``/``genomic_end`` span
#: the site on the genome's + strand (see docs/variants.md).
VARIANT_SITE_COLUMNS: tuple[str, ...] = (
    "chrom", "pos", "id", "ref", "alt", "gene", "transcript", "strand", "feature", "mirna",
    "effect", "ref_site_type", "alt_site_type", "ref_start", "ref_end", "alt_start", "alt_end",
    "genomic_start", "genomic_end", "dg_ref", "dg_alt", "ddg", "dcontext",
)
#: Columns of `mirscope variants` rows for variants inside a miRNA precursor (miRBase GFF3).
VARIANT_MIRNA_COLUMNS: tuple[str, ...] = (
    "chrom", "pos", "id", "ref", "alt", "precursor", "mature", "region", "mature_pos",
    "ref_seed", "alt_seed", "seed_changed",
)
