"""Identifier normalisation: miRNAs, genes, ncRNAs, cancer types, pathways, phenotypes, therapies.

Every function accepts names as a scientist writes them (any case, Unicode hyphens such as
the non-breaking U+2011 of the seed review, Greek letters) and returns the canonical name:

- miRNAs: miRBase release 22 names and accessions (:func:`normalize_mirna`), keeping the
  mature arm (``hsa-miR-124-3p``), the precursor (``hsa-mir-124-1``), the HGNC gene
  (``MIR124-1``) and the primary transcript (``pri-miR-124``) distinct. Arm-less names map
  to the dominant arm, taken as the arm with the older (lower) MIMAT accession, i.e. the arm
  first cloned as the abundant product (miR-124 -> 3p, miR-21 -> 5p).
- genes: approved HGNC symbols from symbols, aliases, previous symbols and full names
  (:func:`normalize_gene`), plus a small curated table of the protein names the review uses.
- ncRNAs, cancer types (Disease Ontology ids), pathways, phenotypes and therapies: small
  curated vocabularies.

Unknown names raise :class:`mirscope.errors.UnknownNameError` listing the closest known
names. Tables load lazily on first use and are cached.

Examples
--------
>>> normalize_mirna("miR\u2011124").name
'hsa-miR-124-3p'
>>> normalize_mirna("MIR124-2").kind
'gene'
>>> normalize_gene("c-Myc")
'MYC'
>>> normalize_cancer("HCC").doid
'DOID:684'
>>> normalize_ncrna("hsa_circ_0000284").name
'circHIPK3'
>>> normalize_pathway("Wnt/β-catenin signaling pathway")
'Wnt/beta-catenin'
"""

from __future__ import annotations

import difflib
import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Literal, cast

from mirscope.errors import InputError, UnknownNameError
from mirscope.schema import PATHWAYS, PHENOTYPES, EntityType

__all__ = [
    "CancerType",
    "GeneInfo",
    "MirnaKind",
    "MirnaName",
    "NcRNAName",
    "cancer_subtypes",
    "cancer_types",
    "entrez_to_symbol",
    "gene_info",
    "is_arm_less",
    "mature_sequence",
    "mirna_members",
    "no_evidence_message",
    "normalize_cancer",
    "normalize_gene",
    "normalize_mirna",
    "normalize_ncrna",
    "normalize_pathway",
    "normalize_phenotype",
    "normalize_therapy",
    "precursor_sequence",
    "resolve_entity",
    "suggest",
    "therapies",
    "try_normalize_gene",
    "try_normalize_mirna",
]

MirnaKind = Literal["mature", "precursor", "gene", "primary"]
SuggestKind = Literal[
    "mirna", "gene", "ncrna", "lncrna", "circrna", "cancer", "pathway", "phenotype", "therapy"
]

_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad"), "-"
)
_GREEK_WORDS = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "κ": "kappa",
    "ε": "epsilon",
    "ζ": "zeta",
    "θ": "theta",
    "λ": "lambda",
    "μ": "mu",
    "σ": "sigma",
    "ω": "omega",
}


def _clean(name: object) -> str:
    """Normalise Unicode hyphens/spaces and trim; reject non-strings and empty strings."""
    if not isinstance(name, str):
        raise InputError(f"a name must be a string, got {type(name).__name__} {name!r}")
    s = name.translate(_DASHES).replace("\u00a0", " ").replace("\u2009", " ").replace("\u2032", "'")
    s = re.sub(r"\s+", " ", s).strip()
    if not s:
        raise InputError("an empty name was given; give a name such as 'miR-124' or 'STAT3'")
    return s


def _key(name: str) -> str:
    """Loose matching key: casefolded, Greek letters spelled out, only letters and digits."""
    s = _clean(name)
    for g, w in _GREEK_WORDS.items():
        s = s.replace(g, w).replace(g.upper(), w)
    return re.sub(r"[^0-9a-z]", "", s.casefold())


_NON_ALNUM = re.compile(r"[^0-9a-z]")


def _fast_key(ascii_name: str) -> str:
    """:func:`_key` for table entries known to be plain ASCII (no hyphen/Greek variants)."""
    return _NON_ALNUM.sub("", ascii_name.casefold())


def _close(name: str, vocabulary: Iterable[str], n: int) -> list[str]:
    """The ``n`` closest vocabulary entries to ``name`` (difflib ratio on loose keys)."""
    vocab = list(dict.fromkeys(vocabulary))
    keyed: dict[str, str] = {}
    for v in vocab:
        keyed.setdefault(_key(re.sub(r"^hsa-", "", v)) or v.casefold(), v)
    try:
        k = _key(re.sub(r"^hsa-", "", name)) or name.casefold()
    except InputError:
        return []
    hits = difflib.get_close_matches(k, list(keyed), n=n, cutoff=0.5)
    out = [keyed[h] for h in hits]
    if len(out) < n:  # substring matches help for short abbreviations
        out += [v for kk, v in keyed.items() if k and k in kk and v not in out][: n - len(out)]
    return out[:n]


# ---------------------------------------------------------------------------
# Package data
# ---------------------------------------------------------------------------
def _data_text(folder: str, filename: str) -> str:
    ref = resources.files("mirscope").joinpath("data", folder, filename)
    raw = ref.read_bytes()
    if filename.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def _read_fasta_text(text: str) -> dict[str, tuple[str, str]]:
    """name -> (accession, sequence) from a miRBase FASTA text."""
    out: dict[str, tuple[str, str]] = {}
    name = acc = ""
    seq: list[str] = []
    for line in text.splitlines():
        if line.startswith(">"):
            if name:
                out[name] = (acc, "".join(seq))
            parts = line[1:].split()
            name, acc, seq = parts[0], parts[1], []
        elif line.strip():
            seq.append(line.strip())
    if name:
        out[name] = (acc, "".join(seq))
    return out


@dataclass(frozen=True)
class _Mirbase:
    mature: dict[str, tuple[str, str]]
    precursor: dict[str, tuple[str, str]]
    by_accession: dict[str, str]
    mature_lower: dict[str, str]
    precursor_lower: dict[str, str]
    mature_precursors: dict[str, tuple[str, ...]]
    precursor_matures: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _mirbase() -> _Mirbase:
    mature = _read_fasta_text(_data_text("mirbase", "hsa_matures_miRBase_v22.fa.gz"))
    precursor = _read_fasta_text(_data_text("mirbase", "hsa_hairpins_miRBase_v22.fa.gz"))
    acc_to_pre = {acc: n for n, (acc, _) in precursor.items()}
    m2p: dict[str, list[str]] = {}
    p2m: dict[str, list[str]] = {}
    for line in _data_text("mirbase", "hsa_miRBase_v22.gff3.gz").splitlines():
        if line.startswith("#") or "\tmiRNA\t" not in line:
            continue
        attrs = dict(
            kv.split("=", 1) for kv in line.rstrip().split("\t")[8].split(";") if "=" in kv
        )
        mname, parent = attrs.get("Name"), acc_to_pre.get(attrs.get("Derives_from", ""))
        if mname and parent:
            m2p.setdefault(mname, []).append(parent)
            p2m.setdefault(parent, []).append(mname)
    by_acc = {acc: n for n, (acc, _) in mature.items()}
    by_acc.update(acc_to_pre)
    return _Mirbase(
        mature=mature,
        precursor=precursor,
        by_accession=by_acc,
        mature_lower={n.lower(): n for n in mature},
        precursor_lower={n.lower(): n for n in precursor},
        mature_precursors={k: tuple(sorted(set(v))) for k, v in m2p.items()},
        precursor_matures={k: tuple(sorted(set(v))) for k, v in p2m.items()},
    )


# ---------------------------------------------------------------------------
# miRNAs
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MirnaName:
    """A normalised miRNA identifier.

    Attributes
    ----------
    name
        miRBase v22 name (``hsa-miR-124-3p``, ``hsa-mir-124-1``), HGNC gene symbol
        (``MIR124-1``) or primary-transcript name (``pri-hsa-mir-124``).
    accession
        MIMAT (mature) or MI (precursor, gene, primary with a locus) accession; ``None`` for a
        primary transcript of a multi-locus family.
    kind
        ``"mature"``, ``"precursor"``, ``"gene"`` or ``"primary"``.
    family
        Family name without species, locus or arm (``"miR-124"``, ``"let-7a"``).
    precursors
        The precursor hairpins (mature: the ones it derives from; others: the loci).
    matures
        The mature products (precursor, gene, primary).
    """

    name: str
    accession: str | None
    kind: MirnaKind
    family: str
    precursors: tuple[str, ...] = field(default=(), compare=False)
    matures: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return self.name


_MIR_RE = re.compile(
    r"""^(?:(?P<pri>pri|pre)-?\s?)?
    (?:(?P<sp>[a-z]{3})-)?
    (?:(?P<pri2>pri|pre)-)?
    (?P<prefix>microRNA|miRNA|miR|mir|let)
    [-\s]?
    (?P<fam>\d+[a-z]*)
    (?:-(?P<locus>\d+))?
    (?:-(?P<arm>\d[pP]))?
    (?P<iso>\.\d+)?
    (?P<star>\*)?$""",
    re.IGNORECASE | re.VERBOSE,
)
_GENE_RE = re.compile(r"^MIR(?P<let>LET)?(?P<fam>\d+[A-Z]*)(?:-?(?P<locus>\d+))?(?:HG)?$")


def _mirna_vocabulary() -> list[str]:
    mb = _mirbase()
    fams = {re.sub(r"^hsa-", "", re.sub(r"-[35]p$", "", n)) for n in mb.mature}
    return sorted(mb.mature) + sorted(mb.precursor) + sorted(fams)


@lru_cache(maxsize=1)
def _family_index() -> dict[str, tuple[str, ...]]:
    mb = _mirbase()
    out: dict[str, list[str]] = {}
    for x in (*sorted(mb.mature), *sorted(mb.precursor)):
        out.setdefault(_family_of(x), []).append(x)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _mirna_keyed() -> dict[str, str]:
    keyed: dict[str, str] = {}
    for v in _mirna_vocabulary():
        keyed.setdefault(_key(re.sub(r"^hsa-", "", v)), v)
    return keyed


def _mirna_suggestions(name: str, n: int) -> list[str]:
    """Closest miRNA names; members of the same family (if the family exists) first."""
    first: list[str] = []
    m = _MIR_RE.match(_clean(name))
    if m is not None:
        fam = "let-" if m.group("prefix").lower() == "let" else "miR-"
        fam += m.group("fam").lower()
        first = list(_family_index().get(fam, ()))
    keyed = _mirna_keyed()
    try:
        k = _key(re.sub(r"^hsa-", "", name))
    except InputError:
        k = ""
    close = [keyed[h] for h in difflib.get_close_matches(k, list(keyed), n=n, cutoff=0.5)]
    return list(dict.fromkeys([*first, *close]))[:n]


def _unknown_mirna(name: str) -> UnknownNameError:
    return UnknownNameError("miRNA", name, _mirna_suggestions(name, 5))


def _family_of(mirbase_name: str) -> str:
    s = re.sub(r"^hsa-", "", mirbase_name)
    s = re.sub(r"-[35]p$", "", s)
    s = re.sub(r"^mir-", "miR-", s)
    m = re.match(r"^(miR|let)-(\d+[a-z]*)", s)
    return f"{m.group(1)}-{m.group(2)}" if m else s


def _mature(name: str) -> MirnaName:
    mb = _mirbase()
    acc = mb.mature[name][0]
    return MirnaName(
        name, acc, "mature", _family_of(name), precursors=mb.mature_precursors.get(name, ())
    )


def _precursor(name: str, kind: MirnaKind = "precursor", shown: str | None = None) -> MirnaName:
    mb = _mirbase()
    acc = mb.precursor[name][0]
    return MirnaName(
        shown or name,
        acc,
        kind,
        _family_of(name),
        precursors=(name,),
        matures=mb.precursor_matures.get(name, ()),
    )


def _dominant(candidates: list[str], family: str) -> str:
    from mirscope._names_data import DOMINANT_ARM_OVERRIDES

    mb = _mirbase()
    arm = DOMINANT_ARM_OVERRIDES.get(family)
    if arm:
        for c in candidates:
            if c.endswith("-" + arm):
                return c
    return min(candidates, key=lambda c: int(mb.mature[c][0][5:]))


def _resolve_mature(
    head: str, fam: str, locus: str | None, arm: str | None, star: bool
) -> str | None:
    """Mature miRBase name for ``hsa-<head>-<fam>[-locus][-arm]``, or None."""
    mb = _mirbase()
    base = f"hsa-{head}-{fam}"
    stem = f"{base}-{locus}" if locus else base
    if arm:
        return mb.mature_lower.get(f"{stem}-{arm}".lower()) or (
            mb.mature_lower.get(f"{base}-{arm}".lower()) if locus else None
        )
    exact = mb.mature_lower.get(stem.lower())
    if locus or (exact and not star):
        return exact  # an arm-less name with a locus (miR-92a-1) names the locus
    cands = list(_mir_index().arms.get(stem.lower(), ()))
    if not cands:
        return exact
    dom = _dominant(cands, _family_of(base))
    if star:
        others = [c for c in cands if c[-2:] != dom[-2:]]
        return _dominant(others, _family_of(base)) if others else None
    return dom


@dataclass(frozen=True)
class _MirIndex:
    bases: frozenset[str]  # lower-case "hsa-mir-124", "hsa-let-7a" of every name
    loci: dict[str, tuple[str, ...]]  # lower precursor base -> precursors (base or base-N)
    arms: dict[str, tuple[str, ...]]  # lower stem (no arm, no locus) -> matures with an arm


@lru_cache(maxsize=1)
def _mir_index() -> _MirIndex:
    mb = _mirbase()
    bases: set[str] = set()
    loci: dict[str, list[str]] = {}
    arms: dict[str, list[str]] = {}
    for n in mb.precursor:
        base = re.sub(r"-\d+$", "", n).lower()
        loci.setdefault(base, []).append(n)
        bases.add(base)
        bases.add(n.lower())
    for n in mb.mature:
        stem = re.sub(r"-[35]p$", "", n)
        bases.add(stem.lower())
        bases.add(re.sub(r"-\d+$", "", stem).lower())
        if stem != n:
            arms.setdefault(stem.lower(), []).append(n)
            nolocus = re.sub(r"-\d+$", "", stem)
            if nolocus != stem:
                arms.setdefault(nolocus.lower(), []).append(n)
    return _MirIndex(
        frozenset(bases),
        {k: tuple(sorted(v)) for k, v in loci.items()},
        {k: tuple(sorted(set(v))) for k, v in arms.items()},
    )


_HOST_GENE_RE = re.compile(r"^MIR((?:LET)?\d+[A-Z]*(?:-\d+)?)HG$", re.I)


class _HostGeneError(UnknownNameError):
    """A miRNA host gene (``MIR155HG``) was given where a miRNA is expected."""

    def __init__(self, name: str, core: str) -> None:
        core = re.sub(r"-\d+$", "", core.upper())  # MIR124-2HG: locus 2 of miR-124
        fam = f"let-{core[3:].lower()}" if core.startswith("LET") else f"miR-{core.lower()}"
        self.kind, self.name, self.suggestions = "miRNA", name, [fam]
        InputError.__init__(
            self,
            f"{name!r} is a miRNA host gene (a long non-coding RNA gene), not the miRNA "
            f"{fam}: give {fam!r} (or an arm such as '{fam}-5p') for the miRNA, or use "
            f"{name!r} as a gene/lncRNA name.",
        )


def _family_exists(head: str, fam: str) -> bool:
    idx = _mir_index()
    p = f"hsa-{head}-{fam}".lower()
    pp = f"hsa-{'let' if head == 'let' else 'mir'}-{fam}".lower()
    return p in idx.bases or pp in idx.bases


class _MissError(Exception):
    """Internal: a name was not found (suggestions are computed by the public wrapper)."""


def normalize_mirna(name: str) -> MirnaName:
    """Normalise a miRNA identifier to its miRBase v22 name and accession.

    Parameters
    ----------
    name
        Any common spelling: ``miR‑124`` (Unicode hyphens), ``miR-124``, ``miRNA-124``,
        ``microRNA-124``, ``miR124``, ``miR-124a`` (pre-2010 name), ``hsa-miR-124-3p``,
        ``miR-124-3p.1`` (TargetScan isoform), ``MIMAT0000422``, ``hsa-mir-124-1`` and
        ``MI0000443`` (precursors), ``miR-124-1`` (locus), ``MIR124-1`` (HGNC gene),
        ``pri-miR-124`` (primary transcript), ``miR-124*`` (the minor arm), ``let-7a``.

    Returns
    -------
    MirnaName
        Arm-less mature names resolve to the dominant arm.

    Raises
    ------
    UnknownNameError
        If the name is not a human miRBase v22 miRNA (lists the closest names).

    Examples
    --------
    >>> normalize_mirna("microRNA-124").name
    'hsa-miR-124-3p'
    >>> normalize_mirna("MIMAT0000422").family
    'miR-124'
    >>> normalize_mirna("hsa-mir-124-3").accession
    'MI0000445'
    >>> normalize_mirna("pri-miR-124").kind
    'primary'
    """
    try:
        return _mirna_core(name)
    except _MissError:
        raise _unknown_mirna(name) from None


def try_normalize_mirna(name: str) -> MirnaName | None:
    """:func:`normalize_mirna`, or ``None`` for an unknown name (fast, no suggestions)."""
    try:
        return _mirna_core(name)
    except (_MissError, UnknownNameError):
        return None


def is_arm_less(name: str) -> bool:
    """True when ``name`` is a mature miRNA written without an arm (``miR-34a``, ``let-7a``).

    An arm-less name means *both* arms of the miRNA everywhere in mirscope (knowledge-base
    queries, targets, networks, reports, the web): :func:`mirna_members` lists them. An
    explicit arm (``miR-34a-5p``), accession, precursor or gene names just that entity.

    Examples
    --------
    >>> is_arm_less("miR-34a"), is_arm_less("miR-34a-5p"), is_arm_less("hsa-mir-34a")
    (True, False, False)
    """
    m = normalize_mirna(name)
    if m.kind != "mature":
        return False
    s = _clean(name)
    if re.fullmatch(r"MIMAT\d+(?:_\d+)?", s, re.I):
        return False
    return re.search(r"[35]p(\.\d+)?$|\*$", s, re.I) is None


def mirna_members(name: str) -> tuple[str, ...]:
    """The miRBase names a miRNA spelling stands for: both arms for an arm-less name.

    An arm-less mature name (``miR-34a``) gives every mature arm of its family and its
    precursors (``hsa-miR-34a-5p``, ``hsa-miR-34a-3p``, ``hsa-mir-34a``); an explicit arm,
    precursor or gene gives just itself.

    Examples
    --------
    >>> mirna_members("miR-34a")
    ('hsa-miR-34a-3p', 'hsa-miR-34a-5p', 'hsa-mir-34a')
    >>> mirna_members("miR-34a-5p")
    ('hsa-miR-34a-5p',)
    """
    m = normalize_mirna(name)
    if not is_arm_less(name):
        return (m.name,)
    return tuple(sorted(_family_index().get(m.family, (m.name,))))


def no_evidence_message(name: str) -> str:
    """The message for a valid miRNA without any stored evidence (never "check the spelling").

    Examples
    --------
    >>> no_evidence_message("miR-6124")[:36]
    'no evidence for miR-6124 yet: run `m'
    """
    m = normalize_mirna(name)
    shown = m.family if is_arm_less(name) else m.name
    return (
        f"no evidence for {shown} yet: run `mirscope literature mine --mirna {name}` or import "
        "a table (`mirscope kb import-mirtarbase FILE`) and try again"
    )


@lru_cache(maxsize=8192)
def _mirna_core(name: str) -> MirnaName:
    s = _clean(name)
    mb = _mirbase()
    # accessions
    if re.fullmatch(r"MIMAT\d{7}(?:_\d+)?", s, re.I):
        hit = mb.by_accession.get(s.upper().split("_")[0])
        if hit is None:
            raise _MissError
        return _mature(hit)
    if re.fullmatch(r"MI\d{7}", s, re.I):
        hit = mb.by_accession.get(s.upper())
        if hit is None:
            raise _MissError
        return _precursor(hit)
    # host genes (MIR155HG, MIRLET7BHG): lncRNA genes that host a miRNA, not the miRNA
    host = _HOST_GENE_RE.match(s)
    if host is not None:
        raise _HostGeneError(s, host.group(1))
    # HGNC gene symbols (case-sensitive upper-case MIR...)
    g = _GENE_RE.match(s)
    if g and not s.endswith("HG"):
        gene = _gene_symbol_if_exact(s)
        if gene is not None:
            info = gene_info(gene)
            pre = mb.by_accession.get(info.mirbase or "")
            if pre is not None:
                return _precursor(pre, "gene", shown=gene)
    if s in mb.precursor:  # exact miRBase precursor name (hsa-let-7a-2, hsa-mir-21)
        return _precursor(s)
    m = _MIR_RE.match(s)
    if m is None:
        raise _MissError
    sp = (m.group("sp") or "hsa").lower()
    if sp != "hsa":
        raise UnknownNameError(
            "miRNA (only human, hsa-, miRNAs are shipped)",
            name,
            _mirna_suggestions(s[4:], 5),
        )
    prefix = m.group("prefix")
    head = "let" if prefix.lower() == "let" else "miR"
    fam = m.group("fam").lower()
    locus, arm = m.group("locus"), m.group("arm")
    arm = arm.lower() if arm else None
    pri = (m.group("pri") or m.group("pri2") or "").lower()
    star = bool(m.group("star"))
    if not _family_exists(head, fam):
        from mirscope._names_data import LEGACY_MIRNA_FAMILIES

        legacy = LEGACY_MIRNA_FAMILIES.get(fam) if head == "miR" else None
        if legacy is None or not _family_exists(head, legacy[0]):
            raise _MissError  # miR-21junk is not miR-21: only miRBase's legacy names
        fam = legacy[0]  # miR-124a: pre-2010 name of the single miR-124 family
        if legacy[1] is not None and locus is None and (m.group("sp") or pri):
            locus = legacy[1]  # hsa-mir-128b names the precursor hsa-mir-128-2
    pre_head = "let" if head == "let" else "mir"
    pre_base = f"hsa-{pre_head}-{fam}"
    loci = list(_mir_index().loci.get(pre_base.lower(), ()))
    precursor_form = prefix == "mir" and head == "miR" and (m.group("sp") is not None or locus)
    if pri == "pri":
        target = f"{pre_base}-{locus}" if locus else pre_base
        if target in mb.precursor:
            p = _precursor(target)
            return MirnaName(
                f"pri-{target}", p.accession, "primary", p.family, p.precursors, p.matures
            )
        if not locus and loci:
            mats = tuple(sorted({x for lp in loci for x in mb.precursor_matures.get(lp, ())}))
            return MirnaName(
                f"pri-{pre_base}", None, "primary", _family_of(pre_base), tuple(loci), mats
            )
        raise _MissError
    if pri == "pre" or (precursor_form and not arm):
        target = f"{pre_base}-{locus}" if locus else pre_base
        if target in mb.precursor:
            return _precursor(target)
        if not locus and len(loci) > 1:
            raise UnknownNameError("miRNA precursor (give the locus)", name, loci)
        if not locus and len(loci) == 1:
            return _precursor(loci[0])
        raise _MissError
    mat = _resolve_mature(head, fam, locus, arm, star)
    if mat is not None:
        return _mature(mat)
    if locus and not arm:  # miR-124-1: a locus, i.e. the precursor
        target = f"{pre_base}-{locus}"
        if target in mb.precursor:
            return _precursor(target)
    raise _MissError


def mature_sequence(name: str) -> str:
    """Mature miRNA sequence (RNA alphabet, 5'->3') from miRBase v22.

    Examples
    --------
    >>> mature_sequence("miR-124")
    'UAAGGCACGCGGUGAAUGCCAA'
    """
    m = normalize_mirna(name)
    if m.kind != "mature":
        raise InputError(
            f"{name!r} is a miRNA {m.kind} ({m.name}), not a mature miRNA; give a mature arm "
            f"such as {', '.join(m.matures) or 'hsa-miR-124-3p'} or use precursor_sequence()"
        )
    return _mirbase().mature[m.name][1].upper().replace("T", "U")


def precursor_sequence(name: str) -> str:
    """Hairpin (stem-loop) sequence of a precursor or gene (RNA alphabet) from miRBase v22.

    Examples
    --------
    >>> precursor_sequence("hsa-mir-124-1")[:10]
    'AGGCCUCUCU'
    """
    m = normalize_mirna(name)
    if m.kind == "mature" or len(m.precursors) != 1:
        raise InputError(
            f"{name!r} ({m.name}) does not name a single precursor; give one of "
            f"{', '.join(m.precursors) or 'hsa-mir-124-1'}"
        )
    return _mirbase().precursor[m.precursors[0]][1].upper().replace("T", "U")


# ---------------------------------------------------------------------------
# Genes (HGNC)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class GeneInfo:
    """HGNC record of an approved gene symbol (2018-11 complete set, 2024 symbols)."""

    symbol: str
    hgnc_id: str
    name: str
    locus_type: str
    entrez_id: int | None
    ensembl_gene_id: str | None
    mirbase: str | None = None


@dataclass(frozen=True)
class _Hgnc:
    exact: dict[str, tuple[tuple[str, str], ...]]  # upper key -> ((approved, kind), ...)
    loose: dict[str, tuple[str, ...]]  # _key -> approved symbols
    names: dict[str, str]  # _key(full name) -> symbol
    approved: frozenset[str]
    extra: dict[str, str]  # _key -> symbol (curated)


@lru_cache(maxsize=1)
def _hgnc() -> _Hgnc:
    from mirscope._names_data import EXTRA_GENE_ALIASES

    exact: dict[str, list[tuple[str, str]]] = {}
    loose: dict[str, set[str]] = {}
    approved: set[str] = set()
    lines = _data_text("hgnc", "hgnc_lookup.tsv.gz").splitlines()
    for line in lines[1:]:
        key, appr, kind = line.split("\t")
        exact.setdefault(key.upper(), []).append((appr, kind))
        loose.setdefault(_fast_key(key), set()).add(appr)
        if kind == "approved":
            approved.add(appr)
    names: dict[str, str] = {}
    for sym, info in _gene_table().items():
        names.setdefault(_fast_key(info.name), sym)
    return _Hgnc(
        exact={k: tuple(dict.fromkeys(v)) for k, v in exact.items()},
        loose={k: tuple(sorted(v)) for k, v in loose.items()},
        names=names,
        approved=frozenset(approved),
        extra={_key(k): v for k, v in EXTRA_GENE_ALIASES.items()},
    )


@lru_cache(maxsize=1)
def _gene_table() -> dict[str, GeneInfo]:
    out: dict[str, GeneInfo] = {}
    lines = _data_text("hgnc", "hgnc_genes.tsv.gz").splitlines()
    for line in lines[1:]:
        sym, hid, nm, lt, entrez, ens, mirbase = (line.split("\t") + [""] * 7)[:7]
        out[sym] = GeneInfo(
            sym, hid, nm, lt, int(entrez) if entrez else None, ens or None, mirbase or None
        )
    return out


@lru_cache(maxsize=1)
def _entrez_index() -> dict[int, str]:
    return {g.entrez_id: s for s, g in _gene_table().items() if g.entrez_id is not None}


def _pick(cands: tuple[tuple[str, str], ...]) -> tuple[str | None, list[str]]:
    """Choose among (approved, kind) candidates: approved > previous > alias, if unique."""
    for kind in ("approved", "previous", "alias"):
        hits = sorted({a for a, k in cands if k == kind})
        if len(hits) == 1:
            return hits[0], []
        if len(hits) > 1:
            return None, hits
    return None, []


def _gene_symbol_if_exact(symbol: str) -> str | None:
    cands = _hgnc().exact.get(symbol.upper(), ())
    for a, k in cands:
        if k == "approved":
            return a
    return None


def normalize_gene(symbol: str) -> str:
    """Approved HGNC symbol for a gene symbol, alias, previous symbol or name.

    Matching is case-insensitive and tolerant of hyphens, spaces and Greek letters
    (``TNF-α``, ``HIF-1α``, ``MMP-2``); phosphoprotein prefixes (``p-STAT3``) are removed.
    Ambiguous HGNC aliases resolve to the approved symbol itself, then to a unique previous
    symbol, then to a unique alias; a small curated table settles the ones the review uses
    (``p62`` -> SQSTM1, ``p27`` -> CDKN1B, ``Akt`` -> AKT1, ...).

    Raises
    ------
    UnknownNameError
        Unknown or ambiguous symbol (the message lists the candidates/closest symbols).

    Examples
    --------
    >>> normalize_gene("SphK1"), normalize_gene("IL-3R"), normalize_gene("E-cadherin")
    ('SPHK1', 'IL3RA', 'CDH1')
    """
    hit, ambiguous = _gene_core(symbol)
    if hit is not None:
        return hit
    if ambiguous:
        raise UnknownNameError(
            f"gene symbol (ambiguous HGNC alias of {len(ambiguous)} genes)", symbol, ambiguous[:8]
        )
    raise UnknownNameError("gene symbol", symbol, _gene_suggestions(_clean(symbol), 5))


def try_normalize_gene(symbol: str) -> str | None:
    """:func:`normalize_gene`, or ``None`` for an unknown or ambiguous symbol (fast)."""
    return _gene_core(symbol)[0]


@lru_cache(maxsize=16384)
def _gene_core(symbol: str) -> tuple[str | None, tuple[str, ...]]:
    s = _clean(symbol)
    h = _hgnc()
    ambiguous: list[str] = []
    variants = [s]
    stripped = re.sub(r"^(?:p|phospho)-(?=\S)", "", s, flags=re.I)
    if stripped != s:
        variants.append(stripped)
    for v in variants:
        k = _key(v)
        if k in h.extra:
            return h.extra[k], ()
        cands = h.exact.get(v.upper())
        if cands:
            hit, amb = _pick(cands)
            if hit:
                return hit, ()
            ambiguous = ambiguous or amb
        loose = h.loose.get(k, ())
        if len(loose) == 1:
            return loose[0], ()
        if len(loose) > 1:
            appr = [a for a in loose if _key(a) == k and a in h.approved]
            if len(appr) == 1:
                return appr[0], ()
            ambiguous = ambiguous or list(loose)
        if k in h.names:
            return h.names[k], ()
    return None, tuple(ambiguous)


def _gene_suggestions(name: str, n: int) -> list[str]:
    h = _hgnc()
    k = _key(name)
    pool = [a for a in h.approved if a[:1].upper() == name[:1].upper()] or list(h.approved)
    pool += [kk for kk in h.extra if kk[:1] == k[:1]]
    out = []
    for c in _close(name, pool, n * 2):
        out.append(h.extra.get(c, c))
    return list(dict.fromkeys(out))[:n]


def gene_info(symbol: str) -> GeneInfo:
    """HGNC record (id, name, locus type, Entrez and Ensembl ids) for any gene spelling.

    Examples
    --------
    >>> gene_info("STAT3").entrez_id
    6774
    """
    sym = normalize_gene(symbol)
    info = _gene_table().get(sym)
    if info is None:
        raise UnknownNameError("gene with an HGNC 2018 record", symbol, [sym])
    return info


def entrez_to_symbol(entrez_id: int | str) -> str:
    """Approved HGNC symbol of an NCBI Entrez Gene id.

    Examples
    --------
    >>> entrez_to_symbol(6774)
    'STAT3'
    """
    try:
        eid = int(str(entrez_id).strip())
    except ValueError as err:
        raise InputError(f"Entrez id must be an integer, got {entrez_id!r}") from err
    sym = _entrez_index().get(eid)
    if sym is None:
        raise UnknownNameError("Entrez gene id", str(entrez_id), [])
    return sym


def entrez_symbol_map() -> dict[int, str]:
    """All Entrez id -> approved symbol pairs of the shipped HGNC table (a copy)."""
    return dict(_entrez_index())


# ---------------------------------------------------------------------------
# ncRNAs
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class NcRNAName:
    """A lncRNA or circRNA: canonical name, type, HGNC symbol of its locus and aliases."""

    name: str
    type: Literal["lncrna", "circrna"]
    hgnc_symbol: str | None = None
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


@lru_cache(maxsize=1)
def _ncrnas() -> dict[str, NcRNAName]:
    from mirscope._names_data import NCRNAS

    out: dict[str, NcRNAName] = {}
    for nm, typ, sym, aliases in NCRNAS:
        rec = NcRNAName(nm, cast(Literal["lncrna", "circrna"], typ), sym, aliases)
        for a in (nm, *aliases):
            out[_key(a)] = rec
    return out


_NC_PREFIX = re.compile(
    r"^(?:exosomal\s+)?(?:lncRNA|lincRNA|long non-coding RNA|long noncoding RNA|"
    r"long intergenic non-coding RNA)[-\s]+",
    re.I,
)
_CIRC_PREFIX = re.compile(r"^(?:exosomal\s+)?(?:circRNA|circular RNA|circ)[-_\s]*", re.I)


@lru_cache(maxsize=2048)
def normalize_ncrna(name: str) -> NcRNAName:
    """Normalise a lncRNA/circRNA name the review uses.

    ``lncRNA X``/``long non-coding RNA X`` prefixes are dropped; ``circRNA X``,
    ``circular RNA X`` and ``circ-X`` become ``circX``; circBase ids are aliases.

    Examples
    --------
    >>> normalize_ncrna("lncRNA MALAT-1").name
    'MALAT1'
    >>> normalize_ncrna("circRNA PVT1").type
    'circrna'
    """
    s = _clean(name)
    table = _ncrnas()
    tries = [s, _NC_PREFIX.sub("", s)]
    if _CIRC_PREFIX.match(s) and not s.lower().startswith("circ_0"):
        rest = _CIRC_PREFIX.sub("", s)
        tries += ["circ" + rest, "circRNA " + rest]
    for t in tries:
        hit = table.get(_key(t))
        if hit is not None:
            return hit
    vocab = [r.name for r in table.values()] + [a for r in table.values() for a in r.aliases]
    raise UnknownNameError("lncRNA/circRNA", name, _close(s, vocab, 5))


# ---------------------------------------------------------------------------
# Cancer types
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CancerType:
    """A cancer type of the controlled vocabulary, with its Disease Ontology id."""

    name: str
    doid: str
    abbreviations: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    parent: str | None = None

    def __str__(self) -> str:
        return self.name


@lru_cache(maxsize=1)
def _cancer_is_a() -> dict[str, str]:
    """Sub-type -> parent (Disease Ontology is_a links, ``data/disease_ontology``)."""
    from mirscope._names_data import CANCERS

    known = {nm: doid for nm, doid, _a, _s in CANCERS}
    out: dict[str, str] = {}
    lines = _data_text("disease_ontology", "cancer_is_a.tsv").splitlines()
    for line in lines[1:]:
        if not line.strip():
            continue
        child_doid, child, parent_doid, parent = line.split("\t")[:4]
        if known.get(child) != child_doid or known.get(parent) != parent_doid:
            raise InputError(  # a shipped-data consistency check, caught by the tests
                f"cancer_is_a.tsv: {child} ({child_doid}) is_a {parent} ({parent_doid}) does "
                "not match the cancer vocabulary of mirscope._names_data.CANCERS"
            )
        out[child] = parent
    return out


@lru_cache(maxsize=1)
def _cancers() -> tuple[dict[str, CancerType], dict[str, CancerType], list[CancerType]]:
    from mirscope._names_data import CANCERS

    parents = _cancer_is_a()
    by_key: dict[str, CancerType] = {}
    by_abbr: dict[str, CancerType] = {}
    all_: list[CancerType] = []
    for nm, doid, abbrs, syns in CANCERS:
        ct = CancerType(nm, doid, abbrs, syns, parents.get(nm))
        all_.append(ct)
        by_key[_key(doid)] = ct
        for a in (nm, *syns):
            by_key.setdefault(_key(a), ct)
        for a in abbrs:
            by_abbr[a] = ct
            by_key.setdefault(_key(a), ct)
    return by_key, by_abbr, all_


def cancer_types() -> list[CancerType]:
    """The whole cancer vocabulary."""
    return list(_cancers()[2])


def cancer_subtypes(name: str) -> list[str]:
    """The vocabulary name of ``name`` followed by all its sub-types (recursively).

    Examples
    --------
    >>> cancer_subtypes("lung cancer")
    ['lung cancer', 'non-small cell lung carcinoma', 'small cell lung carcinoma', 'lung adenocarcinoma', 'lung squamous cell carcinoma']
    >>> cancer_subtypes("COADREAD")
    ['colorectal cancer', 'colon cancer', 'rectal cancer']
    """
    root = normalize_cancer(name).name
    out = [root]
    for parent in out:
        out += [c.name for c in _cancers()[2] if c.parent == parent and c.name not in out]
    return out


@lru_cache(maxsize=1024)
def normalize_cancer(name: str) -> CancerType:
    """Cancer type from a name, synonym, abbreviation or DOID.

    Abbreviations are matched case-sensitively first (``BCa`` bladder, ``BC`` breast), then
    everything case-insensitively; a trailing "cells"/"tissues"/"patients" is ignored.

    Examples
    --------
    >>> normalize_cancer("breast").name
    'breast cancer'
    >>> normalize_cancer("liver cancer").name
    'hepatocellular carcinoma'
    >>> normalize_cancer("NSCLC").doid
    'DOID:3908'
    """
    s = _clean(name)
    by_key, by_abbr, all_ = _cancers()
    if s in by_abbr:
        return by_abbr[s]
    s2 = re.sub(
        r"\s+(?:cells?|cell lines?|tissues?|patients?|samples?|tumou?rs?)$", "", s, flags=re.I
    )
    for t in (s, s2, re.sub(r"^(?:human|primary)\s+", "", s2, flags=re.I)):
        hit = by_key.get(_key(t))
        if hit is not None:
            return hit
    vocab = [c.name for c in all_] + [a for c in all_ for a in (*c.abbreviations, *c.synonyms)]
    raise UnknownNameError("cancer type", name, _close(s, vocab, 5))


# ---------------------------------------------------------------------------
# Pathways, phenotypes, therapies
# ---------------------------------------------------------------------------
_PATHWAY_SUFFIX = re.compile(
    r"(?:[\s-]+(?:signal(?:l)?ing|pathway|pathways|system|axis|cascade|route|transduction))+$",
    re.I,
)


@lru_cache(maxsize=1)
def _pathway_index() -> dict[str, str]:
    from mirscope._names_data import PATHWAY_SYNONYMS

    idx = {_key(p): p for p in PATHWAYS}
    for canon, syns in PATHWAY_SYNONYMS.items():
        for sy in syns:
            idx.setdefault(_key(sy), canon)
    return idx


@lru_cache(maxsize=1024)
def normalize_pathway(name: str) -> str:
    """Canonical pathway name (one of :data:`mirscope.schema.PATHWAYS`).

    Examples
    --------
    >>> normalize_pathway("PI3K/AKT"), normalize_pathway("NF-κB signaling pathway")
    ('PI3K/Akt', 'NF-kB')
    """
    s = _clean(name)
    idx = _pathway_index()
    base = _PATHWAY_SUFFIX.sub("", s).strip() or s
    for t in (s, base, re.sub(r"^the\s+", "", base, flags=re.I)):
        hit = idx.get(_key(t))
        if hit is not None:
            return hit
    raise UnknownNameError("pathway", name, _close(base, list(PATHWAYS), 5))


@lru_cache(maxsize=1)
def _phenotype_index() -> dict[str, str]:
    from mirscope._names_data import PHENOTYPE_SYNONYMS

    idx = {_key(p): p for p in PHENOTYPES}
    for canon, syns in PHENOTYPE_SYNONYMS.items():
        for sy in syns:
            idx.setdefault(_key(sy), canon)
    idx.setdefault(_key("tumor growth"), "tumour growth")
    return idx


@lru_cache(maxsize=1024)
def normalize_phenotype(name: str) -> str:
    """Canonical phenotype name (one of :data:`mirscope.schema.PHENOTYPES`).

    Examples
    --------
    >>> normalize_phenotype("epithelial‑mesenchymal transition")
    'EMT'
    """
    s = _clean(name)
    idx = _phenotype_index()
    base = re.sub(r"^(?:cell(?:ular)?|cancer cell|tumou?r cell)\s+", "", s, flags=re.I)
    base = re.sub(r"\s+(?:abilit(?:y|ies)|capacit(?:y|ies))$", "", base, flags=re.I)
    for t in (s, base):
        hit = idx.get(_key(t))
        if hit is not None:
            return hit
    raise UnknownNameError("phenotype", name, _close(s, list(PHENOTYPES), 5))


@lru_cache(maxsize=1)
def _therapy_index() -> dict[str, str]:
    from mirscope._names_data import THERAPY_SYNONYMS

    idx: dict[str, str] = {}
    for canon, syns in THERAPY_SYNONYMS.items():
        idx[_key(canon)] = canon
        for sy in syns:
            idx.setdefault(_key(sy), canon)
    return idx


def therapies() -> list[str]:
    """Canonical therapy names of the vocabulary."""
    from mirscope._names_data import THERAPY_SYNONYMS

    return list(THERAPY_SYNONYMS)


@lru_cache(maxsize=1024)
def normalize_therapy(name: str) -> str:
    """Canonical therapy name (drug or treatment modality).

    Examples
    --------
    >>> normalize_therapy("5‑FU"), normalize_therapy("DOX"), normalize_therapy("irradiation")
    ('5-fluorouracil', 'doxorubicin', 'radiotherapy')
    """
    s = _clean(name)
    idx = _therapy_index()
    base = re.sub(r"\s+(?:treatment|therapy|chemotherapy)$", "", s, flags=re.I)
    for t in (s, base):
        hit = idx.get(_key(t))
        if hit is not None:
            return hit
    raise UnknownNameError("therapy", name, _close(s, therapies(), 5))


# ---------------------------------------------------------------------------
# Any entity
# ---------------------------------------------------------------------------
_PATHWAY_WORDS = re.compile(r"(?:signal(?:l)?ing|pathway)", re.I)
#: Pathway names that are also gene names: a bare "p53" is the gene TP53.
_GENE_LIKE_PATHWAYS = frozenset({"p53", "mTOR", "EGFR", "androgen receptor"})


@lru_cache(maxsize=4096)
def resolve_entity(name: str) -> tuple[str, EntityType]:
    """Normalised name and entity type of any name.

    Tried in order: miRNA, lncRNA/circRNA, cancer type, phenotype, therapy, pathway (when the
    name says "pathway"/"signaling" or is a pathway synonym that is no gene name, such as
    ``NF-κB``), gene symbol, pathway.

    Examples
    --------
    >>> resolve_entity("miR‑124")
    ('hsa-miR-124-3p', 'mirna')
    >>> resolve_entity("circHIPK3")
    ('circHIPK3', 'circrna')
    >>> resolve_entity("PI3K/Akt signaling pathway")
    ('PI3K/Akt', 'pathway')
    >>> resolve_entity("MIR155HG")  # a host gene is a lncRNA, not the miRNA
    ('MIR155HG', 'lncrna')
    """
    s = _clean(name)
    if _HOST_GENE_RE.match(s):  # MIR155HG: the lncRNA host gene, not the miRNA
        host = try_normalize_gene(s)
        if host is not None:
            return host, "lncrna"
    attempts: list[tuple[EntityType, object]] = [
        ("mirna", lambda: normalize_mirna(s).name),
        ("ncrna", lambda: normalize_ncrna(s)),
        ("cancer", lambda: normalize_cancer(s).name),
        ("phenotype", lambda: normalize_phenotype(s)),
        ("therapy", lambda: normalize_therapy(s)),
    ]
    pathway_hit = _pathway_index().get(_key(s))
    if _PATHWAY_WORDS.search(s) or (pathway_hit and pathway_hit not in _GENE_LIKE_PATHWAYS):
        attempts.append(("pathway", lambda: normalize_pathway(s)))
    attempts += [("gene", lambda: normalize_gene(s)), ("pathway", lambda: normalize_pathway(s))]
    for kind, fn in attempts:
        try:
            out = fn()  # type: ignore[operator]
        except UnknownNameError:
            continue
        if isinstance(out, NcRNAName):
            return out.name, out.type
        return str(out), kind
    pool = (
        [c.name for c in cancer_types()]
        + list(PATHWAYS)
        + list(PHENOTYPES)
        + therapies()
        + [r.name for r in _ncrnas().values()]
    )
    raise UnknownNameError(
        "entity (miRNA, gene, ncRNA, cancer, pathway, phenotype, therapy)", name, _close(s, pool, 5)
    )


def suggest(name: str, kind: str, n: int = 5) -> list[str]:
    """Up to ``n`` known names of ``kind`` closest to ``name`` (best first).

    Parameters
    ----------
    kind
        ``"mirna"``, ``"gene"``, ``"ncrna"`` (or ``"lncrna"``/``"circrna"``), ``"cancer"``,
        ``"pathway"``, ``"phenotype"`` or ``"therapy"``.

    Examples
    --------
    >>> suggest("breast cancr", "cancer", 1)
    ['breast cancer']
    """
    k = kind.lower()
    if k == "mirna":
        return _mirna_suggestions(name, n)
    if k == "gene":
        return _gene_suggestions(_clean(name), n)
    if k in ("ncrna", "lncrna", "circrna"):
        recs = {r.name: r for r in _ncrnas().values()}
        pool = [nm for nm, r in recs.items() if k == "ncrna" or r.type == k]
        pool += [a for nm in pool for a in recs[nm].aliases]
        hits = _close(name, pool, n * 2)
        return list(dict.fromkeys(normalize_ncrna(h).name for h in hits))[:n]
    if k == "cancer":
        vocab = [a for c in cancer_types() for a in (c.name, *c.synonyms, *c.abbreviations)]
        hits = _close(name, vocab, n * 3)
        return list(dict.fromkeys(normalize_cancer(h).name for h in hits))[:n]
    if k == "pathway":
        from mirscope._names_data import PATHWAY_SYNONYMS

        pool = [*PATHWAYS, *(sy for syns in PATHWAY_SYNONYMS.values() for sy in syns)]
        hits = _close(name, pool, n * 3)
        return list(dict.fromkeys(_pathway_index()[_key(h)] for h in hits))[:n]
    if k == "phenotype":
        return _close(name, list(PHENOTYPES), n)
    if k == "therapy":
        return _close(name, therapies(), n)
    raise InputError(
        f"unknown kind {kind!r}; valid kinds are mirna, gene, ncrna, lncrna, circrna, cancer, "
        "pathway, phenotype, therapy"
    )
