"""Sentence splitting and entity mentions (miRNA, gene, ncRNA, cancer) in abstracts.

Rules and dictionaries only: miRNA spellings by pattern, normalised with
:func:`mirscope.names.normalize_mirna`; genes are symbol-like tokens that
:func:`mirscope.names.normalize_gene` accepts and that are not common words or lab
abbreviations; ncRNAs by pattern (``LINC01234``, ``lncRNA X``, ``hsa_circ_0001234``,
``circX``) and :func:`mirscope.names.normalize_ncrna`; cancers by phrase and
abbreviation through :func:`mirscope.names.normalize_cancer`.

Examples
--------
>>> [m.name for m in find_mentions("MicroRNA\u2011124 targets STAT3 in HCC.")]
['hsa-miR-124-3p', 'STAT3', 'hepatocellular carcinoma']
>>> split_sentences("miR-124 is low (P < 0.05). It targets STAT3 et al. in vitro.")
['miR-124 is low (P < 0.05).', 'It targets STAT3 et al. in vitro.']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from mirscope import names
from mirscope.errors import UnknownNameError

__all__ = ["Mention", "MentionKind", "find_mentions", "normalize_text", "split_sentences"]

MentionKind = Literal["mirna", "gene", "lncrna", "circrna", "cancer"]

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")


_CHARS = {
    **_DASHES,
    **dict.fromkeys(map(ord, "\u00a0\u2009\u202f\u2007\u2002\u2003"), " "),
    **dict.fromkeys(map(ord, "\u2032\u2019\u2018\u00b4\u02b9\u02bc"), "'"),
}


def normalize_text(text: str) -> str:
    """Replace Unicode hyphens/dashes and odd spaces by ASCII, keeping every offset."""
    return text.translate(_CHARS)


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------
_ABBREV = re.compile(
    r"(?:\bet al|\be\.g|\bi\.e|\bvs|\bFig|\bFigs|\bapprox|\bca|\bno|\bNo|\bref|\bsp|\bspp|\bcf|\bDr|\bPh\.D)\.$"
)


def split_sentences(text: str) -> list[str]:
    """Split an abstract into sentences (``.``/``?``/``!`` then space and a capital,
    digit or bracket), not after abbreviations such as *et al.*, *e.g.*, *vs.*."""
    text = text.strip()
    if not text:
        return []
    out: list[str] = []
    start = 0
    # a new sentence starts with a capital, digit or bracket, or with a name such as
    # "miR-124", "circHIPK3", "lncRNA" or "p53" (lowercase first letter, then a capital/digit)
    for m in re.finditer(
        r"[.!?](?=\s+(?:[A-Z0-9(\[\"']|[a-z]+[A-Z0-9-])|\[[A-Z][a-z]+\])", text
    ):
        chunk = text[start : m.end()]
        if _ABBREV.search(chunk) or re.search(r"\b[A-Z]\.$", chunk[-3:]):
            continue
        out.append(chunk.strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


# ---------------------------------------------------------------------------
# Mentions
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Mention:
    """An entity mention: character span in the text, kind and normalised name."""

    start: int
    end: int
    text: str
    kind: MentionKind
    name: str


_MIR_RE = re.compile(
    r"(?<![A-Za-z0-9_])(?:(?P<sp>hsa|mmu|rno|ssc|bta)-)?"
    r"(?P<pre>micro-?RNA|miRNA|miR|mir|MIR)[-\s]?(?P<num>\d{1,4})(?P<let>[a-z])?"
    r"(?:-(?P<copy>\d)(?![0-9p]))?(?:-(?P<arm>[35]p))?(?P<star>\*)?(?![A-Za-z0-9_])",
    re.I,
)
_LET_RE = re.compile(
    r"(?<![A-Za-z0-9_])(?:(?:hsa|mmu)-)?let-?7(?P<let>[a-k])?(?:-(?P<copy>\d)(?![0-9p]))?"
    r"(?:-(?P<arm>[35]p))?(?![A-Za-z0-9_])",
    re.I,
)
# "miR-26a, -34a and -145": continuation of a miRNA list with only the number
_MIR_CONT_RE = re.compile(
    r"\s*(?:,|/|\band\b|\bor\b)\s*(?:and\s+|or\s+)?-(?P<num>\d{1,4})(?P<let>[a-z])?(?:-(?P<arm>[35]p))?(?![A-Za-z0-9])"
)


@lru_cache(maxsize=1)
def _arm_overrides() -> dict[str, str]:
    from importlib import resources

    import yaml

    doc = yaml.safe_load(
        resources.files("mirscope.literature").joinpath("rules/aliases.yaml").read_text("utf-8")
    )
    return {str(k): str(v) for k, v in (doc.get("mirna_arms") or {}).items()}


@lru_cache(maxsize=8192)
def _mirna_name(canon: str) -> str | None:
    if canon in _arm_overrides():
        return _arm_overrides()[canon]
    m = names.try_normalize_mirna(canon)
    if m is None:
        return None
    if m.kind != "mature":
        m2 = names.try_normalize_mirna(re.sub(r"-\d$", "", canon))
        return m2.name if m2 is not None and m2.kind == "mature" else m.name
    if re.search(r"-\d-[35]p$", m.name) and not re.search(r"-\d(?:-[35]p)?$|-[35]p$", canon):
        # "miR-24" -> a copy-specific star arm (hsa-miR-24-1-5p); the mature product shared by
        # both copies (hsa-miR-24-3p) is the one the name means
        for arm in ("3p", "5p"):
            alt = names.try_normalize_mirna(f"{canon}-{arm}")
            if alt is not None and alt.kind == "mature" and not re.search(r"-\d-[35]p$", alt.name):
                return alt.name
    return m.name


def _mir_canon(num: str, let: str | None, copy: str | None, arm: str | None) -> str:
    s = f"miR-{num}{(let or '').lower()}"
    if copy:
        s += f"-{copy}"
    if arm:
        s += f"-{arm.lower()}"
    return s


def _find_mirnas(text: str) -> list[Mention]:
    out: list[Mention] = []
    for m in _MIR_RE.finditer(text):
        pre = m.group("pre")
        if pre == "MIR" and not m.group("copy") and m.group(0).isupper():
            pass  # MIR124 (HGNC gene) still names the miRNA locus; keep it
        name = _mirna_name(
            _mir_canon(m.group("num"), m.group("let"), m.group("copy"), m.group("arm"))
        )
        if name is None:
            continue
        out.append(Mention(m.start(), m.end(), m.group(0), "mirna", name))
        pos = m.end()
        while True:
            c = _MIR_CONT_RE.match(text, pos)
            if c is None:
                break
            cname = _mirna_name(_mir_canon(c.group("num"), c.group("let"), None, c.group("arm")))
            if cname is None:
                break
            s = c.start("num") - 1
            out.append(Mention(s, c.end(), text[s : c.end()], "mirna", cname))
            pos = c.end()
    for m in _LET_RE.finditer(text):
        canon = "let-7" + (m.group("let") or "").lower()
        if m.group("copy"):
            canon += f"-{m.group('copy')}"
        if m.group("arm"):
            canon += f"-{m.group('arm').lower()}"
        name = _mirna_name(canon)
        if name is not None:
            out.append(Mention(m.start(), m.end(), m.group(0), "mirna", name))
    return out


_LNC_SHAPE = re.compile(
    r"^(?:LINC\d{4,5}|LINC-[A-Z]+|SNHG\d+|MIR\d+HG|CASC\d+|CCAT\d|PCAT\d+|[A-Z0-9]+-AS\d|"
    r"[A-Z0-9]+-IT\d|[A-Z0-9]+-OT\d?|KCNQ1OT1|HOTAIR|HOTTIP|HOTAIRM1|H19|MEG3|TUG1|UCA1|GAS5|"
    r"DANCR|HULC|CRNDE|NEAT1|MALAT1|XIST|TSIX|PVT1|ANRIL|TINCR|ZFAS1|FTX|NORAD|LUCAT1|FENDRR|"
    r"BANCR|FAL1|MIAT|TUSC7|NKILA|DSCAM-AS1|PANDAR|HNF1A-AS1|LINC-ROR|TP73-AS1|XLOC_\d+|"
    r"SBF2-AS1|NNT-AS1|OIP5-AS1|MNX1-AS1|HCP5|PCGEM1|SChLAP1|DLEU\d|CYTOR|LINC-PINT|MIR31HG)$"
)
_NC_PATTERNS: tuple[tuple[re.Pattern[str], Literal["lncrna", "circrna"]], ...] = (
    (
        re.compile(r"(?<![A-Za-z0-9_])(?:hsa_)?circ(?:RNA)?[_-]\d{5,8}(?![A-Za-z0-9_])", re.I),
        "circrna",
    ),
    (
        re.compile(
            r"(?<![A-Za-z0-9_])(?i:circular RNA|circRNA)[\s_-]+(?P<n>[A-Z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*)"
        ),
        "circrna",
    ),
    (
        re.compile(
            r"(?<![A-Za-z0-9_])[Cc]irc[-_]?(?P<n>[A-Z][A-Z0-9]{1,}[A-Za-z0-9]*)(?![A-Za-z0-9_])"
        ),
        "circrna",
    ),
    (
        re.compile(
            r"(?<![A-Za-z0-9_])(?i:lncRNA|lincRNA|long non-?coding RNA|long intergenic non-?coding RNA)"
            r"(?:\s*\((?i:lncRNA|lincRNA)\))?[\s-]+(?P<n>[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*)"
        ),
        "lncrna",
    ),
    (re.compile(r"(?<![A-Za-z0-9_-])(?:LINC\d{4,5}|LINC-ROR|linc-RoR)(?![A-Za-z0-9_])"), "lncrna"),
)
_GENERIC_HEADS = frozenset(
    [
        "receptor",
        "protein",
        "factor",
        "kinase",
        "domain",
        "subunit",
        "family",
        "member",
        "type",
        "gene",
        "isoform",
        "chain",
        "ligand",
        "enzyme",
        "complex",
        "region",
        "site",
        "finger",
        "box",
    ]
)


def _circ_name(locus: str) -> str:
    try:
        return names.normalize_ncrna(f"circ{locus}").name
    except UnknownNameError:
        return f"circ{locus}"


_NOT_NAMES = {
    "rna",
    "rnas",
    "circrna",
    "circrnas",
    "expression",
    "levels",
    "level",
    "and",
    "in",
    "was",
    "is",
    "that",
    "which",
    "the",
    "a",
    "t-cell",
    "b-cell",
}


@lru_cache(maxsize=1)
def _aliases() -> tuple[re.Pattern[str] | None, dict[str, tuple[str, str]]]:
    """Alias table (``rules/aliases.yaml``): one pattern and surface -> (name, kind)."""
    from importlib import resources

    import yaml

    doc = yaml.safe_load(
        resources.files("mirscope.literature").joinpath("rules/aliases.yaml").read_text("utf-8")
    )
    table: dict[str, tuple[str, str]] = {}
    for k, v in (doc.get("genes") or {}).items():
        table[str(k).lower()] = (str(v), "gene")
    for k, v in (doc.get("ncrna") or {}).items():
        table[str(k).lower()] = (str(v[0]), str(v[1]))
    if not table:
        return None, table
    alt = "|".join(
        re.escape(k).replace(r"\ ", r"\s+") for k in sorted(table, key=len, reverse=True)
    )
    return re.compile(rf"(?<![A-Za-z0-9_-])(?:{alt})(?![A-Za-z0-9_-])", re.I), table


@lru_cache(maxsize=8192)
def _ncrna_name(
    surface: str, typ: Literal["lncrna", "circrna"], core: str | None
) -> tuple[str, str]:
    for cand in (surface, core):
        if not cand:
            continue
        try:
            n = names.normalize_ncrna(cand)
            return n.name, n.type
        except UnknownNameError:
            pass
    if typ == "circrna":
        if core and not re.fullmatch(r"\d+", core):
            # as written without spaces ("circHIPK3", "circ-EPB41"), per the curation guidelines
            m = re.match(r"(?i:circ(?:RNA)?)\s*([-_]?)", surface)
            sep = m.group(1) if m and surface[: m.end()].lower().startswith("circ") else ""
            if re.match(r"(?i)circ(?:ular)?\s*RNA\s", surface):
                sep = ""
            return f"circ{sep}{core.replace('_', '')}", typ
        digits = re.search(r"(\d{5,8})", surface)
        if digits and len(digits.group(1)) == 7:  # circBase id
            return f"hsa_circ_{digits.group(1)}", typ
        return surface, typ  # other catalogues (hsa_circRNA_104348) keep their spelling
    name = core or surface
    sym = _gene_symbol(name)
    if sym and _is_lncrna_gene(sym):
        return sym, typ
    if core and re.match(r"lnc(?:RNA)?-", surface, flags=re.I):
        return f"lncRNA-{core}", typ  # lncRNA-ATB: no HGNC symbol, keep the usual spelling
    return (name.upper() if re.fullmatch(r"[A-Za-z0-9-]+", name) else name), typ


# Words, lab and clinical abbreviations that look like gene symbols/aliases but are not meant so.
_STOP = frozenset(
    [
        "A",
        "AN",
        "AND",
        "ARE",
        "AS",
        "AT",
        "BE",
        "BUT",
        "BY",
        "CAN",
        "DID",
        "DO",
        "FOR",
        "FROM",
        "HAS",
        "HAD",
        "HE",
        "HER",
        "HIS",
        "IF",
        "IN",
        "IS",
        "IT",
        "ITS",
        "MAY",
        "NO",
        "NOR",
        "NOT",
        "OF",
        "ON",
        "ONE",
        "OR",
        "OUR",
        "SHE",
        "SO",
        "THE",
        "THEY",
        "THIS",
        "TO",
        "TWO",
        "US",
        "WAS",
        "WE",
        "WERE",
        "WHICH",
        "WITH",
        "ALL",
        "ANY",
        "ACT",
        "IMPACT",
        "CAT",
        "STAR",
        "CELL",
        "CELLS",
        "TIME",
        "LARGE",
        "GAP",
        "SHE",
        "MET",
        "ATM",
        "PC",
        "GC",
        "EC",
        "OC",
        "CC",
        "BC",
        "OS",
        "HR",
        "CI",
        "RR",
        "OR",
        "SD",
        "SE",
        "SEM",
        "IQR",
        "DNA",
        "RNA",
        "MRNA",
        "CDNA",
        "NCRNA",
        "MIRNA",
        "MIRNAS",
        "LNCRNA",
        "CIRCRNA",
        "CERNA",
        "SIRNA",
        "SHRNA",
        "UTR",
        "CDS",
        "ORF",
        "PCR",
        "QPCR",
        "RT-PCR",
        "RT-QPCR",
        "QRT-PCR",
        "ELISA",
        "WB",
        "IHC",
        "ISH",
        "FISH",
        "CHIP",
        "RIP",
        "TCGA",
        "GEO",
        "GEPIA",
        "KEGG",
        "GO",
        "ROC",
        "AUC",
        "EMT",
        "MET",
        "MTT",
        "CCK-8",
        "CCK8",
        "EDU",
        "TUNEL",
        "FACS",
        "FBS",
        "PBS",
        "DMSO",
        "BSA",
        "II",
        "III",
        "IV",
        "VI",
        "VII",
        "VIII",
        "IX",
        "XI",
        "XII",
        "H&E",
        "NSCLC",
        "SCLC",
        "HCC",
        "CRC",
        "GBM",
        "AML",
        "ALL",
        "CLL",
        "CML",
        "OSCC",
        "ESCC",
        "HNSCC",
        "NPC",
        "PDAC",
        "RCC",
        "TNBC",
        "LUAD",
        "LUSC",
        "PTC",
        "ATC",
        "DLBCL",
        "MM",
        "HL",
        "NHL",
        "PCA",
        "BCA",
        "LSCC",
        "TSCC",
        "CSCC",
        "SCC",
        "ADC",
        "EOC",
        "AC",
        "GC",
        "BC",
        "DFS",
        "PFS",
        "RFS",
        "OS",
        "EFS",
        "MFS",
        "HR",
        "TNM",
        "WHO",
        "FDA",
        "NCBI",
        "NIH",
        "USA",
        "UK",
        "EU",
        "CT",
        "MRI",
        "PET",
        "SNP",
        "SNV",
        "CNV",
        "MUT",
        "WT",
        "KO",
        "KD",
        "OE",
        "NC",
        "VS",
        "CTRL",
        "CON",
        "NS",
        "ID",
        "IDS",
        "UP",
        "DOWN",
        "HIGH",
        "LOW",
        "TOTAL",
        "MEAN",
        "AGE",
        "SEX",
        "MALE",
        "MALES",
        "FEMALE",
        "RATIO",
        "BODY",
        "LIGHT",
        "TYPE",
        "FORM",
        "MAPK",
        "PI3K-AKT",
        "NF-KB",
        "JAK-STAT",
        "TGF",
        "WNT",
        "HIPPO",
        "NOTCH",
        "MTOR",
        "HELA",
        "HEK293",
        "HEK293T",
        "MCF-7",
        "MCF7",
        "A549",
        "H1299",
        "U87",
        "U251",
        "HEPG2",
        "HUH7",
        "SW480",
        "SW620",
        "HCT116",
        "PC3",
        "DU145",
        "LNCAP",
        "K562",
        "HL-60",
        "THP-1",
        "RAW264",
        "SK-OV-3",
        "SKOV3",
        "AGS",
        "MGC-803",
        "BGC-823",
        "SGC-7901",
        "T98G",
        "LN229",
        "ARM",
        "ARMS",
        "FAST",
        "SLOW",
        "PROBE",
        "KIT",
        "SPECIFIC",
        "HIT",
        "HITS",
        "LINK",
        "LINKS",
        "AIM",
        "AIMS",
        "CAPS",
        "CAP",
        "MARK",
        "CANCER",
        "TUMOR",
        "TUMOUR",
        "NORMAL",
        "CONTROL",
        "GENE",
        "GENES",
        "PROTEIN",
        "PROTEINS",
        "TARGET",
        "TARGETS",
        "NF",
        "LARGE",
        "MICE",
        "MOUSE",
        "RAT",
        "RATS",
        "CELL",
        "LIGHT",
        "MASS",
        "CHIP",
        "FACE",
        "FISH",
        "GAS",
        "RAGE",
        "RAY",
        "SKY",
        "SON",
        "TAG",
        "TOP",
        "WAVE",
        "TYPE",
        "HUB",
        "NUDE",
        "AIM",
        "MIR",
        "MIRS",
        "LET",
        "SPSS",
        "GFP",
        "RFP",
        "YFP",
        "LUC",
        "FLAG",
        "HA",
        "MYC-TAG",
        "IGG",
        "IG",
        "PI",
        "ANOVA",
    ]
)
# cell lines and lab terms that happen to be HGNC aliases
_STOP = _STOP | {"HUH7", "HUH-7", "HOS", "AGS", "PC-3", "C4-2", "HE", "H&E", "SI-NC", "SH-NC"}

_TOKEN_RE = re.compile(
    r"(?<![A-Za-z0-9_\-αβγδκ])([A-Za-z0-9αβγδκ][A-Za-z0-9αβγδκ]*(?:-[A-Za-z0-9αβγδκ]+)*)(?![A-Za-z0-9_αβγδκ])"
)
_PHRASE_RE = re.compile(
    r"(?<![A-Za-z0-9])((?:[a-z]+[- ]){1,3}(?:[A-Z]?\d+[A-Za-z]?|[A-Z]\d?|alpha|beta|gamma|[αβγκ]))(?![A-Za-z0-9])"
)
_SUFFIXES = re.compile(
    r"-(?:mediated|induced|dependent|independent|positive|negative|deficient|knockdown|"
    r"silenced|overexpressing|expressing|related|associated|driven|targeting|null|high|low|"
    r"siRNA|shRNA|knockout|binding|3'UTR|UTR|wt|mut)$",
    re.I,
)


@lru_cache(maxsize=8192)
def _is_lncrna_gene(symbol: str) -> bool:
    """Is the HGNC locus type of ``symbol`` a non-coding RNA (lncRNA, antisense...)?"""
    try:
        return names.gene_info(symbol).locus_type.startswith("RNA")
    except UnknownNameError:
        return False


@lru_cache(maxsize=32768)
def _gene_symbol(token: str) -> str | None:
    return names.try_normalize_gene(token)


#: genes whose symbol is an English word: accepted only when written in capitals
_CAPS_ONLY = frozenset(
    [
        "REST",
        "SET",
        "MAX",
        "ATM",
        "CAT",
        "STAR",
        "IMPACT",
        "MET",
        "GAS",
        "BAD",
        "BID",
        "SON",
        "WAS",
        "CAN",
        "ACT",
    ]
)


def _symbol_like(tok: str) -> bool:
    """Does a token look like a gene/protein symbol (not an ordinary word)?"""
    if len(tok) < 2 or tok.upper() in _STOP or tok.isdigit():
        return False
    if tok.upper() in _CAPS_ONLY and not tok.isupper():
        return False
    if re.fullmatch(r"\d+[a-z]*", tok):
        return False
    has_digit = any(c.isdigit() for c in tok)
    upper = sum(c.isupper() for c in tok)
    if tok.isupper() and len(tok) >= 2:
        return True  # STAT3, SOX9, MET, CDK6
    if has_digit and any(c.isalpha() for c in tok):
        return True  # Sox9, Notch1, Bcl-2, p53, PKM2
    if re.fullmatch(r"[A-Za-z]{1,5}-[a-zA-Zαβγκ]{3,}", tok) or any(c in tok for c in "αβγδκ"):
        return True  # E-cadherin, beta-catenin, c-Myc, NF-κB
    if upper >= 2:
        return True  # SphK, IkBa
    if re.fullmatch(r"[A-Z][a-z]{2,5}", tok):
        return True  # Akt, Myc, Slug, Snail, Twist
    return bool(re.fullmatch(r"[a-z]{5,}in", tok))  # vimentin, survivin, fibronectin


def _find_genes(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    out: list[Mention] = []
    for m in _PHRASE_RE.finditer(text):  # cyclin D1, caspase 3, integrin beta1
        e = m.end(1)
        words = m.group(1).split(" ")
        for k in range(len(words) - 1):
            sub = " ".join(words[k:])
            off = e - len(sub)
            if (
                not free(off, e)
                or words[k].lower() in _NOT_NAMES
                or words[k].lower() in _GENERIC_HEADS
            ):
                continue
            sym = _gene_symbol(sub)
            if sym:
                out.append(Mention(off, e, sub, "gene", sym))
                taken.append((off, e))
                break
    for m in _TOKEN_RE.finditer(text):
        s, e = m.span(1)
        tok = m.group(1)
        if not free(s, e):
            continue
        if tok.upper() in _STOP or (tok.upper() in _CAPS_ONLY and not tok.isupper()):
            continue
        cands = [tok]
        stripped = _SUFFIXES.sub("", tok)
        if stripped != tok:
            cands.append(stripped)
        if "-" in tok:
            parts = tok.split("-")
            cands += [
                c
                for c in ("-".join(parts[:i]) for i in range(len(parts) - 1, 0, -1))
                if len(c) >= 3 and (any(ch.isdigit() for ch in c) or c.isupper())
            ]
        for c in cands:
            if not _symbol_like(c):
                continue
            sym = _gene_symbol(c)
            if sym:
                out.append(Mention(s, s + len(c), c, "gene", sym))
                taken.append((s, s + len(c)))
                break
    return out


_CANCER_HEAD = (
    r"(?:cancers?|carcinomas?|adenocarcinomas?|tumou?rs?|neoplasms?|gliomas?|glioblastomas?|"
    r"leuka?emias?|lymphomas?|melanomas?|sarcomas?|osteosarcomas?|neuroblastomas?|"
    r"medulloblastomas?|retinoblastomas?|myelomas?|mesotheliomas?|cholangiocarcinomas?|"
    r"hepatoblastomas?|blastomas?|meningiomas?|astrocytomas?|malignanc(?:y|ies))"
)
_CANCER_RE = re.compile(
    r"(?<![A-Za-z0-9])((?:[A-Za-z][A-Za-z'-]*\s+){0,4}" + _CANCER_HEAD + r")(?![A-Za-z0-9])", re.I
)
_ABBR_RE = re.compile(r"(?<![A-Za-z0-9-])([A-Z][A-Za-z]{1,5})(?![A-Za-z0-9-])")
#: abbreviations safe without a definition in the text (others, like OS or GC, need one)
_SAFE_ABBR = frozenset(
    [
        "HCC",
        "NSCLC",
        "SCLC",
        "CRC",
        "GBM",
        "ESCC",
        "OSCC",
        "HNSCC",
        "NPC",
        "PDAC",
        "RCC",
        "LSCC",
        "LUAD",
        "BLCA",
        "STAD",
        "LIHC",
        "BRCA",
    ]
)


_CANCER_SKIP = frozenset(
    [
        "the",
        "of",
        "in",
        "and",
        "or",
        "with",
        "a",
        "an",
        "to",
        "for",
        "from",
        "by",
        "on",
        "at",
        "as",
        "that",
        "this",
        "these",
        "those",
        "its",
        "their",
        "our",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "other",
        "all",
        "some",
        "many",
        "most",
        "several",
    ]
)


@lru_cache(maxsize=8192)
def _cancer_name(phrase: str) -> str | None:
    try:
        return names.normalize_cancer(phrase).name
    except UnknownNameError:
        return None


def _find_cancers(text: str) -> list[Mention]:
    out: list[Mention] = []
    defined: set[str] = set()
    for m in _CANCER_RE.finditer(text):
        phrase = m.group(1)
        words = phrase.split()
        s_end = m.end(1)
        for k in range(len(words)):
            if words[k].lower() in _CANCER_SKIP:
                continue
            sub = " ".join(words[k:])
            nm = _cancer_name(sub)
            if nm is None and sub.lower().endswith("s"):
                nm = _cancer_name(sub[:-1])
            if nm:
                start = s_end - len(sub)
                out.append(Mention(start, s_end, sub, "cancer", nm))
                ab = re.match(r"\s*\(([A-Za-z]{2,6})\)", text[s_end:])
                if ab:
                    defined.add(ab.group(1))
                break
    taken = [(c.start, c.end) for c in out]
    for m in _ABBR_RE.finditer(text):
        ab = m.group(1)
        if ab not in _SAFE_ABBR and ab not in defined:
            continue
        if any(not (m.end() <= a or m.start() >= b) for a, b in taken):
            continue
        nm = _cancer_name(ab)
        if nm:
            out.append(Mention(m.start(), m.end(), ab, "cancer", nm))
    return out


def _overlaps(a: Mention, taken: Iterable[Mention]) -> bool:
    return any(not (a.end <= b.start or a.start >= b.end) for b in taken)


def find_mentions(text: str) -> list[Mention]:
    """All entity mentions in ``text``, sorted by position, without overlaps.

    Priority on overlap: miRNA > ncRNA > cancer > gene.

    Examples
    --------
    >>> [(m.kind, m.name) for m in find_mentions("LINC00673/miR-124-3p/SOX9 axis")]
    [('lncrna', 'LINC00673'), ('mirna', 'hsa-miR-124-3p'), ('gene', 'SOX9')]
    """
    text = normalize_text(text)
    mentions: list[Mention] = []
    for mm in sorted(_find_mirnas(text), key=lambda m: (m.start, -m.end)):
        if not _overlaps(mm, mentions):
            mentions.append(mm)
    alias_re, alias_table = _aliases()
    if alias_re is not None:
        for m in alias_re.finditer(text):
            key = re.sub(r"\s+", " ", m.group(0).lower())
            name, kind = alias_table[key]
            am = Mention(m.start(), m.end(), m.group(0), kind, name)  # type: ignore[arg-type]
            if not _overlaps(am, mentions):
                mentions.append(am)
    for pat, typ in _NC_PATTERNS:
        for m in pat.finditer(text):
            core = m.groupdict().get("n")
            if core and (core.lower() in _NOT_NAMES or re.fullmatch(r"[a-z]+", core)):
                continue  # "lncRNA profiling", "circRNA expression": not names
            if m.group(0).lower() in ("circrna", "circrnas"):
                continue
            nm, t = _ncrna_name(m.group(0), typ, core)
            s = m.start("n") if core and typ == "lncrna" else m.start()
            mt = Mention(s, m.end(), text[s : m.end()], t, nm)  # type: ignore[arg-type]
            if not _overlaps(mt, mentions):
                mentions.append(mt)
    for m in _TOKEN_RE.finditer(text):  # bare lncRNA symbols: HOTAIR, SNHG16, MALAT1
        tok = m.group(1)
        if tok.lower() in ("circrna", "circrnas"):
            continue
        if _LNC_SHAPE.match(tok) or (tok.startswith("circ") and len(tok) > 5 and tok[4].isupper()):
            try:
                n = names.normalize_ncrna(tok)
                nm, t = n.name, n.type
            except UnknownNameError:
                nm, t = (
                    (_gene_symbol(tok) or tok),
                    ("circrna" if tok.startswith("circ") else "lncrna"),
                )
            mt = Mention(m.start(1), m.end(1), tok, t, nm)  # type: ignore[arg-type]
            if not _overlaps(mt, mentions):
                mentions.append(mt)
    # "circRNA plasmacytoma variant translocation 1 (PVT1)": the circular form of the locus
    for i, mt in enumerate(mentions):
        if mt.kind == "lncrna" and mt.start > 0 and text[mt.start - 1] == "(":
            head = re.split(r"[.;,:]", text[max(0, mt.start - 100) : mt.start])[-1]
            if re.search(r"\bcirc(?:ular\s+)?RNA\b", head, re.I):
                mentions[i] = Mention(mt.start, mt.end, mt.text, "circrna", _circ_name(mt.name))
    for c in _find_cancers(text):
        if not _overlaps(c, mentions):
            mentions.append(c)
    taken = [(m.start, m.end) for m in mentions]
    for g in _find_genes(text, taken):
        if not _overlaps(g, mentions):
            if _is_lncrna_gene(g.name) and not g.name.startswith("MIR"):
                g = Mention(g.start, g.end, g.text, "lncrna", g.name)  # HOTTIP, NORAD, TINCR...
            mentions.append(g)
    return sorted(mentions, key=lambda m: m.start)
