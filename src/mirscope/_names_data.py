"""Hand-curated vocabularies behind :mod:`mirscope.names` (private).

Every entry is something the miR-124 review (or common cancer-biology usage) writes that the
shipped HGNC/miRBase tables cannot resolve on their own. Ambiguous aliases are resolved to
the gene the cancer literature means, with the reason in a comment.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Gene aliases missing from HGNC (or ambiguous there). key: as written; value: approved symbol.
# ---------------------------------------------------------------------------
EXTRA_GENE_ALIASES: dict[str, str] = {
    # EMT markers written as protein names
    "E-cadherin": "CDH1",
    "N-cadherin": "CDH2",
    "vimentin": "VIM",
    "fibronectin": "FN1",  # the review's mesenchymal marker (FN1), not the family
    "alpha-catenin": "CTNNA1",
    "beta-catenin": "CTNNB1",
    "phospho-beta-catenin": "CTNNB1",
    "metadherin": "MTDH",
    "IAP2": "BIRC3",  # review: "Another name for BIRC3 is IAP2"; HGNC lists only c-IAP2
    "c-IAP2": "BIRC3",
    "IL-3R": "IL3RA",  # interleukin-3 receptor: the ligand-binding alpha chain
    "IL3R": "IL3RA",
    "TNF-alpha converting enzyme": "ADAM17",
    "Bcl-2": "BCL2",
    "p62": "SQSTM1",  # HGNC: 6 genes; p62 in cancer-drug-resistance papers is SQSTM1
    "p27": "CDKN1B",  # HGNC: DCTN6/IFI27/...; p27 (Kip1) cell-cycle inhibitor
    "p27Kip1": "CDKN1B",
    "p21": "CDKN1A",
    "p16": "CDKN2A",  # HGNC: CDKN2A or H3P10; p16INK4a in methylation studies
    "p16INK4a": "CDKN2A",
    "p65": "RELA",  # NF-kB p65 subunit
    "NF-kB p65": "RELA",
    "IkBa": "NFKBIA",
    "IkappaBalpha": "NFKBIA",
    "nuclear factor of light polypeptide gene enhancer in B-cells inhibitor": "NFKBIA",
    "nuclear factor of kappa light polypeptide gene enhancer in B-cells inhibitor, alpha": "NFKBIA",
    "cyclin D kinase 6": "CDK6",  # review's wording for cyclin-dependent kinase 6
    "cyclin-dependent kinase 4": "CDK4",
    "cyclin-dependent kinase 6": "CDK6",
    "caspase-3": "CASP3",
    "cleaved caspase 3": "CASP3",
    "cytochrome c": "CYCS",
    "PARP": "PARP1",
    "Akt": "AKT1",  # pan-AKT in western blots; AKT1 is the HGNC alias target
    "PI3K": "PIK3CA",  # HGNC alias of PIK3CA; catalytic subunit p110alpha
    "K-RAS": "KRAS",
    "KRAS": "KRAS",
    "Dvl": "DVL1",  # Dishevelled (DVL1/2/3); DVL1 as the family representative
    "Dishevelled": "DVL1",
    "NICD": "NOTCH1",  # Notch intracellular domain, cleaved NOTCH1 in these studies
    "Notch intracellular domain": "NOTCH1",
    "Axin": "AXIN1",
    "GSK3": "GSK3B",  # GSK3 in Wnt destruction-complex context is GSK3B
    "GSK-3beta": "GSK3B",
    "argonaute 2": "AGO2",
    "Ago2": "AGO2",
    "methylguanine methyltransferase": "MGMT",
    "O6-methylguanine-DNA methyltransferase": "MGMT",
    "PKM1": "PKM",  # isoforms of the same gene
    "PKM2": "PKM",
    "pyruvate kinase muscle isoform 1": "PKM",
    "pyruvate kinase muscle isoform 2": "PKM",
    "chemokine ligand 2": "CCL2",
    "monocyte chemotactic protein-1": "CCL2",
    "monocyte chemoattractant protein-1": "CCL2",
    "yes-associated protein 1": "YAP1",
    "YAP": "YAP1",
    "hypoxia-inducible factor-1": "HIF1A",
    "hypoxia-inducible factor-1alpha": "HIF1A",
    "ubiquitin-like with PHD and RING finger domain 1": "UHRF1",
    "DNA-methyltransferase3B": "DNMT3B",
    "DNA methyltransferase 3B": "DNMT3B",
    "programmed cell death protein 6": "PDCD6",
    "a disintegrin and metalloproteinase 15": "ADAM15",
    "high mobility group A2": "HMGA2",
    "integrin beta1": "ITGB1",
    "integrin beta-1": "ITGB1",
    "SATA3": "STAT3",  # typo in the review ("between miR-124 and SATA3")
    "caveolin-1": "CAV1",
    "Rb": "RB1",
    "pRb": "RB1",
    "TNF-alpha": "TNF",
    "TNF receptor associated factor 6": "TRAF6",
    "jagged canonical Notch ligand 1": "JAG1",  # 2024 HGNC name; the 2018 table says "jagged 1"
    "adrenoceptor beta2": "ADRB2",
    "VEGF": "VEGFA",
    "cyclin D1": "CCND1",
    "c-Myc": "MYC",
}

# ---------------------------------------------------------------------------
# lncRNAs and circRNAs named by the review
# ---------------------------------------------------------------------------
#: (canonical name, type, HGNC symbol of the host/locus or None, aliases)
NCRNAS: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("NEAT1", "lncrna", "NEAT1", ("nuclear enriched abundant transcript 1", "NEAT-1")),
    (
        "XIST",
        "lncrna",
        "XIST",
        ("X-inactive specific transcript", "X inactive specific transcript"),
    ),
    (
        "MALAT1",
        "lncrna",
        "MALAT1",
        ("MALAT-1", "metastasis associated lung adenocarcinoma transcript 1"),
    ),
    ("PVT1", "lncrna", "PVT1", ("plasmacytoma variant translocation 1",)),
    (
        "circHIPK3",
        "circrna",
        "HIPK3",
        ("hsa_circ_0000284", "circ-HIPK3", "circular RNA HIPK3", "circRNA HIPK3", "circ_0000284"),
    ),
    (
        "circPVT1",
        "circrna",
        "PVT1",
        (
            "circ-PVT1",
            "circRNA PVT1",
            "circular RNA PVT1",
            "circRNA plasmacytoma variant translocation 1",
            "circular RNA plasmacytoma variant translocation 1",
        ),
    ),
    ("LINC00240", "lncrna", "LINC00240", ("long intergenic non-protein coding RNA 240",)),
    (
        "DSCAM-AS1",
        "lncrna",
        "DSCAM-AS1",
        ("DS cell adhesion molecule-antisense RNA 1", "DSCAM antisense RNA 1"),
    ),
    ("OGFRP1", "lncrna", "OGFRP1", ("opioid growth factor receptor pseudogene 1",)),
    (
        "LINC-ROR",
        "lncrna",
        "LINC-ROR",
        (
            "linc-RoR",
            "lincRNA-RoR",
            "ROR",
            "long intergenic non-protein coding RNA, regulator of reprogramming",
            "intergenic non-protein encoding RNA, regulator of reprogramming",
            "regulator of reprogramming",
        ),
    ),
    ("lncRNA 1308", "lncrna", None, ("lncRNA-1308", "long non-coding RNA 1308", "lnc1308")),
)

# ---------------------------------------------------------------------------
# Cancer types (Disease Ontology). (name, DOID, abbreviations, synonyms)
# ---------------------------------------------------------------------------
CANCERS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("cancer", "DOID:162", (), ("malignancy", "malignant tumor", "tumor", "tumour", "pan-cancer")),
    (
        "breast cancer",
        "DOID:1612",
        ("BC", "BRCA"),
        ("breast", "breast carcinoma", "mammary carcinoma", "breast tumor"),
    ),
    (
        "bladder cancer",
        "DOID:11054",
        ("BCa", "BLCA", "UBC"),
        (
            "bladder",
            "urinary bladder cancer",
            "bladder carcinoma",
            "urothelial carcinoma",
            "urothelial bladder cancer",
            "urothelial cancer",
        ),
    ),
    (
        "colorectal cancer",
        "DOID:9256",
        ("CRC", "COADREAD"),
        ("colorectal", "colorectal carcinoma", "colorectal adenocarcinoma", "bowel cancer"),
    ),
    (
        "colon cancer",
        "DOID:219",
        ("COAD",),
        ("colon", "colon carcinoma", "colon adenocarcinoma", "colonic cancer"),
    ),
    (
        "rectal cancer",
        "DOID:1993",
        ("READ",),
        ("rectum cancer", "rectal carcinoma", "rectal adenocarcinoma", "rectum adenocarcinoma"),
    ),
    (
        "hepatocellular carcinoma",
        "DOID:684",
        ("HCC", "LIHC"),
        (
            "hepatocellular",
            "liver cancer",  # the review: HCC is >90% of primary liver cancer
            "liver",
            "hepatoma",
            "liver hepatocellular carcinoma",
            "primary liver cancer",
            "hepatocellular cancer",
        ),
    ),
    ("lung cancer", "DOID:1324", (), ("lung", "lung carcinoma", "pulmonary cancer")),
    (
        "non-small cell lung carcinoma",
        "DOID:3908",
        ("NSCLC",),
        ("non-small cell lung cancer", "non small cell lung cancer", "non-small-cell lung cancer"),
    ),
    ("small cell lung carcinoma", "DOID:5409", ("SCLC",), ("small cell lung cancer",)),
    ("lung adenocarcinoma", "DOID:3910", ("LUAD",), ()),
    (
        "lung squamous cell carcinoma",
        "DOID:3907",
        ("LUSC",),
        ("squamous cell lung carcinoma", "lung squamous cell cancer", "squamous NSCLC"),
    ),
    (
        "ovarian cancer",
        "DOID:2394",
        ("OC", "OV"),
        ("ovarian", "ovary cancer", "ovarian carcinoma", "epithelial ovarian cancer"),
    ),
    (
        "prostate cancer",
        "DOID:10283",
        ("PCa", "PRAD"),
        ("prostate", "prostate carcinoma", "prostate adenocarcinoma"),
    ),
    (
        "head and neck squamous cell carcinoma",
        "DOID:5520",
        ("HNSCC", "HNSC", "SCCHN"),
        (
            "head and neck squamous cell cancer",
            "squamous cell carcinoma of the head and neck",
            "HCSCC",  # typo for HNSCC in the review
        ),
    ),
    (
        "head and neck cancer",
        "DOID:11934",
        ("HNC",),
        ("head and neck", "head and neck carcinoma", "head and neck tumor", "cancer of the head and neck"),
    ),
    (
        "laryngeal squamous cell carcinoma",
        "DOID:2876",
        ("LSCC",),
        ("laryngeal", "laryngeal cancer", "laryngeal carcinoma", "larynx cancer"),
    ),
    (
        "oral squamous cell carcinoma",
        "DOID:0050866",
        ("OSCC",),
        ("oral", "oral cancer", "oral cavity cancer", "oral carcinoma", "tongue cancer"),
    ),
    (
        "endometrial cancer",
        "DOID:1380",
        ("EC", "UCEC"),
        (
            "endometrial",
            "endometrial carcinoma",
            "carcinoma of the endometrium",
            "uterine corpus endometrial carcinoma",
        ),
    ),
    (
        "gastric cancer",
        "DOID:10534",
        ("GC", "STAD"),
        ("gastric", "stomach cancer", "gastric carcinoma", "gastric adenocarcinoma"),
    ),
    ("glioma", "DOID:3070", ("LGG",), ("gliomas", "brain glioma", "lower grade glioma")),
    (
        "glioblastoma",
        "DOID:3068",
        ("GBM",),
        ("glioblastoma multiforme", "grade IV astrocytoma"),
    ),
    ("osteosarcoma", "DOID:3347", ("OS",), ("osteogenic sarcoma", "bone cancer")),
    (
        "esophageal cancer",
        "DOID:5041",
        ("ESCA",),
        ("esophageal", "oesophageal cancer", "esophageal carcinoma", "oesophageal"),
    ),
    (
        "esophageal squamous cell carcinoma",
        "DOID:3748",
        ("ESCC",),
        ("oesophageal squamous cell carcinoma",),
    ),
    (
        "pancreatic cancer",
        "DOID:1793",
        ("PAAD", "PDAC"),
        (
            "pancreatic",
            "pancreatic carcinoma",
            "pancreatic ductal adenocarcinoma",
            "pancreatic adenocarcinoma",
        ),
    ),
    ("retinoblastoma", "DOID:768", ("RB",), ()),
    ("cervical cancer", "DOID:4362", ("CC", "CESC"), ("cervical", "cervical carcinoma")),
    ("nasopharyngeal carcinoma", "DOID:9261", ("NPC",), ("nasopharyngeal cancer",)),
    (
        "renal cell carcinoma",
        "DOID:4450",
        ("RCC", "KIRC", "KIRP", "KICH"),
        ("kidney cancer", "renal cancer"),
    ),
    ("sarcoma", "DOID:1115", ("SARC",), ("sarcomas", "soft tissue sarcoma")),
    ("melanoma", "DOID:1909", ("SKCM",), ("malignant melanoma", "cutaneous melanoma")),
    ("thyroid cancer", "DOID:1781", ("THCA",), ("thyroid carcinoma",)),
    ("medulloblastoma", "DOID:0050902", ("MB",), ()),
)

# ---------------------------------------------------------------------------
# Pathways (onto schema.PATHWAYS) and phenotypes (onto schema.PHENOTYPES)
# ---------------------------------------------------------------------------
PATHWAY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Wnt/beta-catenin": (
        "Wnt",
        "Wnt/β-catenin",
        "Wnt/b-catenin",
        "canonical Wnt",
        "Wnt-beta-catenin",
        "beta-catenin/Wnt",
    ),
    "PI3K/Akt": ("PI3K/AKT", "PI3K-Akt", "PI3K/Akt/mTOR", "PI3K-AKT-mTOR", "PI3K signaling"),
    "NF-kB": ("NF-κB", "NF-B", "NFkB", "NF-kappaB", "nuclear factor kappa B", "NF-kappa B"),
    "JAK/STAT": ("JAK-STAT", "JAK/STAT3", "JAK-STAT3", "STAT3 signaling", "JAK2/STAT3"),
    "Notch": ("Notch signaling", "Notch1"),
    "MAPK/ERK": ("MAPK", "ERK", "MEK/ERK", "Ras/MAPK", "ERK1/2", "Raf/MEK/ERK"),
    "TGF-beta": ("TGF-β", "TGF", "TGF-beta/Smad", "TGF-β/Smad", "transforming growth factor beta"),
    "Hedgehog": ("Hh", "Sonic hedgehog", "SHH", "Hedgehog/Gli"),
    "mTOR": ("mTORC1", "Akt/mTOR"),
    "EGFR": ("EGFR signaling", "ErbB", "EGF receptor"),
    "p53": ("TP53", "p53 signaling"),
    "HIF-1": (
        "HIF-1α",
        "HIF1",
        "HIF-1alpha",
        "hypoxia-inducible factor-1",
        "hypoxia-inducible factor 1",
    ),
    "Hippo": ("Hippo/YAP", "YAP/TAZ"),
    "sphingosine kinase": ("SphK1/S1P", "sphingosine kinase 1/S1P", "sphingolipid", "ceramide/S1P"),
    "glycolysis": ("aerobic glycolysis", "Warburg effect", "glycolytic"),
    "cell cycle": ("cell-cycle", "G1/S transition", "cell cycle regulation"),
    "androgen receptor": ("AR signaling", "androgen receptor signaling", "AR pathway"),
    "CXCL12/CXCR7": ("CXCL12-CXCR7", "CXCL12/ACKR3"),
}

PHENOTYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "proliferation": ("cell proliferation", "cell growth", "growth", "proliferative ability"),
    "migration": ("cell migration", "motility", "cell motility", "migratory ability"),
    "invasion": ("cell invasion", "invasiveness", "invasive ability"),
    "metastasis": ("tumor spread", "tumour spread", "metastases", "metastatic spread"),
    "EMT": (
        "epithelial-mesenchymal transition",
        "epithelial to mesenchymal transition",
        "epithelial mesenchymal transition",
    ),
    "apoptosis": ("cell death", "apoptotic cell death", "programmed cell death"),
    "cell cycle arrest": (
        "G0/G1 arrest",
        "G1 arrest",
        "G1 phase arrest",
        "G1 phase cell cycle arrest",
    ),
    "angiogenesis": ("tube formation", "vasculogenic mimicry", "neovascularization", "VM"),
    "tumour growth": (
        "tumor growth",
        "tumorigenesis",
        "tumourigenesis",
        "tumorigenicity",
        "xenograft growth",
        "tumor development",
    ),
    "stemness": ("self-renewal", "cancer stem cell", "stem-like properties", "CSC"),
    "autophagy": (),
    "glycolysis": ("aerobic glycolysis", "Warburg effect"),
    "drug resistance": ("chemoresistance", "chemotherapy resistance", "resistance"),
    "radioresistance": ("radiation resistance", "radioresistant"),
    "inflammation": ("inflammatory response", "inflammatory reactions"),
    "differentiation": ("cell differentiation", "cellular differentiation"),
    "survival": ("cell survival",),
    "viability": ("cell viability",),
    "colony formation": ("clonal formation", "colony-forming ability", "clonogenicity"),
    "cell adhesion": ("adhesion", "cell attachment", "attachment"),
    "immune evasion": ("immune escape", "immune tolerance", "natural killer cell tolerance"),
    "macrophage polarization": (
        "TAM polarization",
        "M2 polarization",
        "macrophage M2 polarization",
        "macrophage polarisation",
    ),
    "DNA repair": ("DNA strand-break repair", "DNA damage repair"),
    "DNA methylation": ("hypermethylation", "promoter methylation", "methylation"),
}

#: Therapies: canonical name -> synonyms/abbreviations.
THERAPY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "cisplatin": ("DDP", "cis-platinum", "CDDP", "cis-diamminedichloroplatinum"),
    "carboplatin": ("CBP",),
    "oxaliplatin": ("L-OHP", "oxaliplatin-based chemotherapy"),
    "5-fluorouracil": ("5-FU", "fluorouracil", "5FU"),
    "doxorubicin": ("DOX", "adriamycin", "ADR", "DOX-based chemotherapy"),
    "temozolomide": ("TMZ",),
    "radiotherapy": (
        "radiation",
        "irradiation",
        "ionizing radiation",
        "IR",
        "radiation therapy",
        "X-ray",
    ),
    "cetuximab": (),
    "erlotinib": (),
    "enzalutamide": ("MDV3100",),
    "docetaxel": (),
    "paclitaxel": ("taxol", "PTX"),
    "gemcitabine": ("GEM",),
    "sorafenib": (),
    "tamoxifen": ("TAM",),
    "trastuzumab": ("herceptin",),
    "5-azacytidine": ("azacitidine", "5-aza", "5-azacitidine", "5-aza-2'-deoxycytidine"),
    "androgen deprivation therapy": ("ADT",),
    "immunotherapy": ("immune checkpoint blockade",),
    "chemotherapy": ("chemotherapeutic agents",),
}

#: Dominant-arm overrides (family -> arm) where the lower-accession rule is wrong.
DOMINANT_ARM_OVERRIDES: dict[str, str] = {}

#: Sub-type -> parent type: Disease Ontology is_a links, shipped as data in
#: ``mirscope/data/disease_ontology/cancer_is_a.tsv`` (see its SOURCE.md) and read by
#: :func:`mirscope.names.cancer_subtypes`.

#: Legacy (pre-miRBase-v15) letter-suffixed human miRNA names that miRBase v22 records as
#: previous ids of a current entry: legacy family -> (current family, locus of the precursor
#: the legacy precursor name denoted or None). Only these letter suffixes are stripped;
#: ``miR-21junk`` or ``miR-124xyzzy`` are unknown names.
LEGACY_MIRNA_FAMILIES: dict[str, tuple[str, str | None]] = {
    "124a": ("124", None),  # hsa-miR-124a -> hsa-miR-124-3p; hsa-mir-124a-1/2/3 -> -124-1/2/3
    "128a": ("128", "1"),  # hsa-miR-128a -> hsa-miR-128-3p; hsa-mir-128a -> hsa-mir-128-1
    "128b": ("128", "2"),  # hsa-miR-128b -> hsa-miR-128-3p; hsa-mir-128b -> hsa-mir-128-2
}
