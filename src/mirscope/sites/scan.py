"""Scan transcripts (mRNAs, lncRNAs, circRNAs) for one miRNA's seed sites.

:func:`scan` is the entry point others call: every site with its type, the
miRNA:target duplex free energy (ViennaRNA ``RNA.duplexfold``) and the
3'-supplementary pairing score; :func:`summarize` gives per-transcript counts
and sites per kb.

Coordinates are 1-based and inclusive in the given sequence. On a circular RNA
(``circular=True``) a site that spans the back-splice junction starts near
the end of the sequence and has ``end > len(sequence)``: ``end`` counts on into
a second copy of the sequence, so its last base is at ``end - len(sequence)``;
such rows have ``spans_junction=True``.

Examples
--------
>>> df = scan({"t1": "AAAGUGCCUUAAA"}, "hsa-miR-124-3p", mirna_seq="UAAGGCACGCGGUGAAUGCC")
>>> df[["transcript", "start", "end", "site_type"]].values.tolist()
[['t1', 4, 11, '8mer']]
"""

from __future__ import annotations

import difflib
import functools
import logging
from collections.abc import Mapping
from importlib import resources

import numpy as np
import pandas as pd

from mirscope.errors import InputError, MissingDependencyError, UnknownNameError
from mirscope.schema import SITE_SCAN_COLUMNS, SITE_SUMMARY_COLUMNS, SITE_TYPES
from mirscope.sites.io import SEED_LENGTH, clean_sequence, read_mirbase_mature
from mirscope.sites.seeds import find_sites

__all__ = [
    "SCAN_COLUMNS",
    "SUMMARY_COLUMNS",
    "duplex_energy",
    "human_matures",
    "resolve_mirna",
    "scan",
    "summarize",
    "supplementary_score",
]

log = logging.getLogger(__name__)

#: Columns of the table :func:`scan` returns (defined in :mod:`mirscope.schema`).
SCAN_COLUMNS: tuple[str, ...] = SITE_SCAN_COLUMNS
#: Columns of the table :func:`summarize` returns.
SUMMARY_COLUMNS: tuple[str, ...] = SITE_SUMMARY_COLUMNS

_WC = {("A", "U"), ("U", "A"), ("G", "C"), ("C", "G")}


@functools.lru_cache(maxsize=1)
def human_matures() -> dict[str, str]:
    """All 2,656 human mature miRNAs of miRBase v22 (name -> RNA), as shipped.

    Examples
    --------
    >>> len(human_matures())
    2656
    """
    ref = resources.files("mirscope.data") / "mirbase" / "hsa_matures_miRBase_v22.fa.gz"
    with resources.as_file(ref) as path:
        return read_mirbase_mature(path)


def resolve_mirna(name: str) -> tuple[str, str]:
    """Resolve a miRNA name to (canonical name, mature RNA sequence).

    Uses :mod:`mirscope.names` when it is installed; otherwise the shipped
    miRBase v22 human matures (exact name, ``hsa-`` prefix added, or an
    arm-less name with a single arm).

    Raises
    ------
    UnknownNameError
        The name is not a miRBase mature miRNA; closest names suggested.

    Examples
    --------
    >>> resolve_mirna("hsa-miR-124-3p")
    ('hsa-miR-124-3p', 'UAAGGCACGCGGUGAAUGCCAA')
    """
    try:
        from mirscope import names  # type: ignore[attr-defined]
    except ImportError:
        names = None
    if names is not None and hasattr(names, "normalize_mirna"):
        canonical = names.normalize_mirna(name).name
        return canonical, names.mature_sequence(canonical).upper().replace("T", "U")
    matures = human_matures()
    key = name.strip().replace("\u2011", "-")
    candidates = [key, f"hsa-{key}"]
    for c in candidates:
        if c in matures:
            return c, matures[c]
    lower = {k.lower(): k for k in matures}
    for c in candidates:
        if c.lower() in lower:
            k = lower[c.lower()]
            return k, matures[k]
        for arm in ("-3p", "-5p"):
            if (c + arm).lower() in lower and (c + ("-5p" if arm == "-3p" else "-3p")).lower() not in lower:
                k = lower[(c + arm).lower()]
                return k, matures[k]
    if f"hsa-{key}-3p".lower() in lower:  # arm-less name of a two-armed miRNA: 3p by convention
        k = lower[f"hsa-{key}-3p".lower()]
        return k, matures[k]
    raise UnknownNameError("miRNA", name, difflib.get_close_matches(f"hsa-{key}", list(matures), n=5))


def duplex_energy(mirna: str, site_region: str) -> float:
    """Free energy (kcal/mol) of the best miRNA:target duplex (ViennaRNA ``duplexfold``).

    Examples
    --------
    >>> duplex_energy("UAAGGCACGCGGUGAAUGCC", "GGCAUUCACCGCGUGCCUUA") < -20
    True
    """
    try:
        import RNA
    except ImportError as err:  # pragma: no cover - ViennaRNA is a core dependency
        raise MissingDependencyError("duplex energies need ViennaRNA: pip install viennarna") from err
    return round(float(RNA.duplexfold(mirna, site_region).energy), 2)


def supplementary_score(mirna: str, upstream: str, *, max_offset: int = 8) -> float:
    """3'-supplementary pairing score (Grimson et al. 2007, as used by TargetScan).

    ``upstream`` is the target sequence 5' of the nucleotide paired with
    miRNA position 8 (read 5'->3', so its last base lies just upstream of the
    seed match). For every offset ``d`` between the miRNA's and the target's
    unpaired loops (``-2 <= d <= max_offset``) the best run of contiguous
    Watson-Crick pairs between miRNA positions 9..end and the target is scored:
    each pair at miRNA 13-16 counts 1, every other pair 0.5, and runs must have
    at least 2 pairs; offsets beyond +-2 nt cost 0.5 per nt. The score is the
    best over offsets (0 if nothing pairs).

    Examples
    --------
    >>> from mirscope.sites.seeds import reverse_complement
    >>> mir = "UAAGGCACGCGGUGAAUGCC"
    >>> full = reverse_complement(mir[8:])  # perfect 3' pairing, no offset
    >>> supplementary_score(mir, full)  # 4 pairs at 13-16 + 8 others x 0.5
    8.0
    """
    m = mirna.upper()
    t = upstream.upper()
    best = 0.0
    for d in range(-2, max_offset + 1):
        penalty = 0.5 * max(0, abs(d) - 2)
        run = 0.0
        run_len = 0
        for k in range(9, len(m) + 1):  # miRNA position (1-based)
            ti = len(t) - (k - 8) - d  # index in upstream of the base facing miRNA k
            if 0 <= ti < len(t) and (m[k - 1], t[ti]) in _WC:
                run += 1.0 if 13 <= k <= 16 else 0.5
                run_len += 1
                if run_len >= 2:
                    best = max(best, run - penalty)
            else:
                run = 0.0
                run_len = 0
    return best


#: Offset from a site's start to the target base facing miRNA position 1.
_A1_OFFSET = {"8mer": 7, "7mer-m8": 7, "7mer-A1": 6, "6mer": 6, "offset-6mer": 7}


def _segment(seq: str, lo: int, hi: int, *, circular: bool) -> str:
    """``seq[lo:hi]``, clipped to the sequence, or read around the circle."""
    if not circular:
        return seq[max(lo, 0) : max(min(hi, len(seq)), 0)]
    n = len(seq)
    return "".join(seq[i % n] for i in range(lo, hi))


def _normalise_sequences(sequences: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(sequences, Mapping):
        raise InputError(
            f"sequences must be a mapping of id -> sequence (e.g. read_fasta(path)), got {type(sequences).__name__}"
        )
    if not sequences:
        raise InputError("no sequences given; pass at least one id -> sequence")
    out: dict[str, str] = {}
    for tid, seq in sequences.items():
        clean = clean_sequence(str(seq), record=str(tid), path="<sequences>", gaps="remove")
        if len(clean) < SEED_LENGTH:
            raise InputError(
                f"sequence {tid!r} is {len(clean)} nt, shorter than a seed match ({SEED_LENGTH} nt)"
            )
        out[str(tid)] = clean
    return out


def scan(
    sequences: Mapping[str, str],
    mirna: str,
    *,
    circular: bool = False,
    energies: bool = True,
    mirna_seq: str | None = None,
) -> pd.DataFrame:
    """Find every canonical seed site of one miRNA in a set of transcripts.

    Parameters
    ----------
    sequences
        Transcript id -> sequence (DNA or RNA, any case; ``N``/IUPAC never
        pair; gaps are removed).
    mirna
        miRNA name (``miR-124-3p``, ``hsa-miR-124-3p``...), resolved to its
        miRBase mature sequence unless ``mirna_seq`` is given.
    circular
        Treat every sequence as a circRNA whose first base follows its last.
    energies
        Compute ``dg_duplex`` (ViennaRNA duplexfold of the miRNA against the
        site region: the site plus ``len(miRNA) + 4`` nt upstream) and
        ``supp_score`` (:func:`supplementary_score`); ``NaN`` when False.
    mirna_seq
        Use this mature sequence instead of looking the name up.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SCAN_COLUMNS`, sorted by transcript (input order) and
        start; 1-based inclusive coordinates (see the module docstring for
        junction-spanning sites).

    Raises
    ------
    InputError
        Empty input, a sequence shorter than a seed, an invalid character.
    UnknownNameError
        ``mirna`` is not a known miRNA.

    Examples
    --------
    >>> scan({"c": "UAGGGUGCCU"}, "x", circular=True, energies=False,
    ...      mirna_seq="UAAGGCACGCGGUGAAUGCC")[["start", "end", "spans_junction"]].values.tolist()
    [[5, 12, True]]
    """
    if mirna_seq is not None:
        name = mirna
        mseq = clean_sequence(mirna_seq, record=mirna, path="<mirna_seq>")
        if len(mseq) < 15 or set(mseq) - set("ACGU"):
            raise InputError(f"miRNA sequence {mirna_seq!r} must be 15+ nt of A/C/G/U/T")
    else:
        name, mseq = resolve_mirna(mirna)
    seqs = _normalise_sequences(sequences)
    rows: list[tuple[object, ...]] = []
    flank = len(mseq) + 4
    for tid, seq in seqs.items():
        n = len(seq)
        for s0, e0, typ in find_sites(seq, mseq, circular=circular):
            dg = supp = float("nan")
            if energies:
                a1 = s0 + _A1_OFFSET[typ]  # target base facing miRNA position 1
                p8 = a1 - 7  # target base facing miRNA position 8
                dg = duplex_energy(mseq, _segment(seq, a1 - flank, a1 + 1, circular=circular))
                supp = supplementary_score(mseq, _segment(seq, p8 - flank, p8, circular=circular))
            rows.append((tid, s0 + 1, e0, typ, name, dg, supp, bool(e0 > n)))
    df = pd.DataFrame(rows, columns=list(SCAN_COLUMNS))
    df["start"] = df["start"].astype("int64")
    df["end"] = df["end"].astype("int64")
    df["dg_duplex"] = df["dg_duplex"].astype("float64")
    df["supp_score"] = df["supp_score"].astype("float64")
    df["spans_junction"] = df["spans_junction"].astype(bool)
    df.attrs["lengths"] = {tid: len(s) for tid, s in seqs.items()}
    df.attrs["mirna"] = name
    df.attrs["mirna_seq"] = mseq
    return df


def summarize(sites: pd.DataFrame, lengths: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Per-transcript site counts (total and per type) and sites per kb.

    Parameters
    ----------
    sites
        A table from :func:`scan`.
    lengths
        Transcript id -> length in nt; defaults to ``sites.attrs["lengths"]``
        (set by :func:`scan`), so transcripts without sites are listed too.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS`, one row per transcript.

    Examples
    --------
    >>> df = scan({"a": "GUGCCUUA" * 3, "b": "CCCCCCCC"}, "m", energies=False,
    ...           mirna_seq="UAAGGCACGCGGUGAAUGCC")
    >>> summarize(df)[["transcript", "n_sites", "sites_per_kb"]].values.tolist()
    [['a', 3, 125.0], ['b', 0, 0.0]]
    """
    lens = dict(lengths if lengths is not None else sites.attrs.get("lengths", {}))
    if not lens:
        raise InputError("transcript lengths unknown; pass lengths={id: length} or a table from scan()")
    missing = set(sites["transcript"]) - set(lens)
    if missing:
        raise InputError(f"no length for transcripts {sorted(missing)[:5]}; add them to lengths")
    counts = pd.crosstab(sites["transcript"], sites["site_type"]) if len(sites) else pd.DataFrame()
    out = pd.DataFrame({"transcript": list(lens), "length": np.array(list(lens.values()), dtype=np.int64)})
    for t in SITE_TYPES:
        col = counts[t] if t in counts else pd.Series(dtype="int64")
        out[f"n_{t}"] = out["transcript"].map(col).fillna(0).astype(np.int64)
    out["n_sites"] = out[[f"n_{t}" for t in SITE_TYPES]].sum(axis=1).astype(np.int64)
    out["sites_per_kb"] = (out["n_sites"] / out["length"] * 1000.0).round(4)
    return out[list(SUMMARY_COLUMNS)]
