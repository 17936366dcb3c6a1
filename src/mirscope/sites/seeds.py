"""Canonical seed-match site definitions, a vectorised finder and a naive reference.

Definitions (Bartel 2009; TargetScan 7 / Agarwal et al. 2015), with the miRNA
numbered from its 5' end and the target written 5'->3':

========== ====================================================== ==============
type       target sequence                                        span
========== ====================================================== ==============
8mer       match to miRNA 2-8, then an ``A`` opposite miRNA 1     8 nt
7mer-m8    match to miRNA 2-8, next base not ``A``                7 nt
7mer-A1    match to miRNA 2-7, then ``A``; no match to 8          7 nt
6mer       match to miRNA 2-7 only (no match to 8, no ``A`` 1)     6 nt
offset-6mer match to miRNA 3-8, the base opposite 2 does not pair  6 nt
========== ====================================================== ==============

Each place in a target is reported once, as its best type. ``N`` and IUPAC
codes never pair. On a circular RNA the base before the first one is the last
one, so sites spanning the back-splice junction are found.

The vectorised finder works on 2-bit codes (``A=0 C=1 G=2 U=3``, anything else
4) and computes the 6-mer code of every position with numpy; the naive finder
compares slices position by position and is kept as the reference.

Examples
--------
>>> mir124 = "UAAGGCACGCGGUGAAUGCC"
>>> target_pattern(mir124, "8mer")
'GUGCCUUA'
>>> find_sites_naive("CCGUGCCUUACC", mir124)
[(2, 10, '8mer')]
>>> find_sites("CCGUGCCUUACC", mir124)
[(2, 10, '8mer')]
"""

from __future__ import annotations

import numpy as np

from mirscope.errors import InputError
from mirscope.schema import SITE_TYPES, SiteType

__all__ = [
    "SITE_WIDTH",
    "encode",
    "find_sites",
    "find_sites_naive",
    "kmer6_codes",
    "reverse_complement",
    "seed_of",
    "target_pattern",
]

_COMP = str.maketrans("ACGU", "UGCA")
#: Width (nt) of each site type.
SITE_WIDTH: dict[str, int] = {"8mer": 8, "7mer-m8": 7, "7mer-A1": 7, "6mer": 6, "offset-6mer": 6}
#: Index of each site type in :data:`mirscope.schema.SITE_TYPES` (for compact arrays).
SITE_CODE: dict[str, int] = {t: i for i, t in enumerate(SITE_TYPES)}

_LUT = np.full(256, 4, dtype=np.uint8)
for _i, _chars in enumerate(("Aa", "Cc", "Gg", "UuTt")):
    for _c in _chars:
        _LUT[ord(_c)] = _i
_BASE = "ACGU"


def reverse_complement(rna: str) -> str:
    """Reverse complement of an RNA string (``N`` stays ``N``).

    Examples
    --------
    >>> reverse_complement("GAGGUAG")
    'CUACCUC'
    """
    return rna.upper().translate(_COMP)[::-1]


def _check_mirna(mirna: str) -> str:
    m = mirna.upper().replace("T", "U")
    if len(m) < 8 or set(m[:8]) - set(_BASE):
        raise InputError(
            f"miRNA sequence {mirna!r} must be at least 8 nt of A/C/G/U at its 5' end "
            "(positions 1-8 define the seed sites)"
        )
    return m


def seed_of(mirna: str) -> str:
    """The seed, miRNA nucleotides 2-8 (TargetScan's family seed).

    Examples
    --------
    >>> seed_of("UAAGGCACGCGGUGAAUGCC")
    'AAGGCAC'
    """
    return _check_mirna(mirna)[1:8]


def target_pattern(mirna: str, site_type: SiteType) -> str:
    """The target (mRNA) sequence of the seed match of ``site_type`` (without flank rules).

    Examples
    --------
    >>> target_pattern("UAAGGCACGCGGUGAAUGCC", "offset-6mer")
    'GUGCCU'
    """
    m = _check_mirna(mirna)
    if site_type == "8mer":
        return reverse_complement(m[1:8]) + "A"
    if site_type == "7mer-m8":
        return reverse_complement(m[1:8])
    if site_type == "7mer-A1":
        return reverse_complement(m[1:7]) + "A"
    if site_type == "6mer":
        return reverse_complement(m[1:7])
    if site_type == "offset-6mer":
        return reverse_complement(m[2:8])
    raise InputError(f"unknown site type {site_type!r}; valid: {', '.join(SITE_TYPES)}")


def encode(seq: str | bytes) -> np.ndarray:
    """2-bit codes of a sequence as ``uint8`` (A=0, C=1, G=2, U/T=3, other=4).

    Examples
    --------
    >>> encode("ACGUNt").tolist()
    [0, 1, 2, 3, 4, 3]
    """
    raw = seq.encode("ascii", "replace") if isinstance(seq, str) else seq
    return _LUT[np.frombuffer(raw, dtype=np.uint8)]


def kmer6_codes(codes: np.ndarray) -> np.ndarray:
    """6-mer code (0..4095) of the window starting at each position; 4096 if invalid.

    The result has ``len(codes) - 5`` entries (``uint16``); a window is invalid
    when it holds a code >= 4 (``N``, IUPAC, separators).

    Examples
    --------
    >>> kmer6_codes(encode("AAAAAC")).tolist()
    [1]
    """
    n = codes.size - 5
    if n <= 0:
        return np.zeros(0, dtype=np.uint16)
    k = (codes[:n] & 3).astype(np.uint16)
    bad = codes >= 4
    invalid = bad[:n].copy()
    for j in range(1, 6):
        k <<= 2
        k |= codes[j : j + n] & 3
        invalid |= bad[j : j + n]
    k[invalid] = 4096
    return k


def _code_of(kmer: str) -> int:
    c = 0
    for ch in kmer:
        c = (c << 2) | _BASE.index(ch)
    return c


def seed_codes(mirna: str) -> tuple[int, int, int, int]:
    """(core code, offset code, code pairing miRNA 8, code pairing miRNA 2) of a miRNA.

    The core is the target 6-mer matching miRNA 2-7, the offset the 6-mer
    matching miRNA 3-8.
    """
    m = _check_mirna(mirna)
    core = _code_of(reverse_complement(m[1:7]))
    off = _code_of(reverse_complement(m[2:8]))
    c8 = _BASE.index(reverse_complement(m[7]))
    c2 = _BASE.index(reverse_complement(m[1]))
    return core, off, c8, c2


def classify_hits(
    codes: np.ndarray,
    core_pos: np.ndarray,
    off_pos: np.ndarray,
    c8: int,
    c2: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn 6-mer hits into sites: (start, end, type code), 0-based, end exclusive.

    ``core_pos`` are starts of the target 6-mer matching miRNA 2-7 and
    ``off_pos`` of the 6-mer matching miRNA 3-8, both in ``codes``. Types are
    indices into :data:`mirscope.schema.SITE_TYPES`; results are sorted by start.
    """
    L = codes.size
    core_pos = core_pos.astype(np.int64, copy=False)
    off_pos = off_pos.astype(np.int64, copy=False)
    prev = np.where(core_pos > 0, codes[np.maximum(core_pos - 1, 0)], 4)
    nxt_i = core_pos + 6
    nxt = np.where(nxt_i < L, codes[np.minimum(nxt_i, L - 1)], 4)
    m8 = prev == c8
    a1 = nxt == 0
    typ = np.where(
        m8 & a1,
        SITE_CODE["8mer"],
        np.where(m8, SITE_CODE["7mer-m8"], np.where(a1, SITE_CODE["7mer-A1"], SITE_CODE["6mer"])),
    ).astype(np.int8)
    start = core_pos - m8
    end = core_pos + 6 + a1
    o_nxt_i = off_pos + 6
    o_nxt = np.where(o_nxt_i < L, codes[np.minimum(o_nxt_i, L - 1)], 4)
    keep = o_nxt != c2
    o_start = off_pos[keep]
    starts = np.concatenate((start, o_start))
    ends = np.concatenate((end, o_start + 6))
    types = np.concatenate((typ, np.full(o_start.size, SITE_CODE["offset-6mer"], dtype=np.int8)))
    order = np.argsort(starts, kind="stable")
    return starts[order], ends[order], types[order]


def find_sites(
    seq: str, mirna: str, *, circular: bool = False
) -> list[tuple[int, int, str]]:
    """Vectorised site finder for one sequence and one miRNA.

    Parameters
    ----------
    seq
        Target RNA/DNA sequence (any case; ``N``/IUPAC never pair).
    mirna
        Mature miRNA sequence (5'->3').
    circular
        Treat ``seq`` as a circle: its first base follows its last.

    Returns
    -------
    list of (start, end, site_type)
        0-based start, exclusive end; on a circle ``end`` may exceed
        ``len(seq)`` (the site wraps through the junction), ``start < len(seq)``.

    Examples
    --------
    >>> find_sites("UAGGGUGCCU", "UAAGGCACGCGGUGAAUGCC", circular=True)
    [(4, 12, '8mer')]
    """
    core, off, c8, c2 = seed_codes(mirna)
    n = len(seq)
    if circular:
        if n < SITE_WIDTH["8mer"]:
            raise InputError(f"circular sequence of {n} nt is shorter than a site (8 nt)")
        pad = 8
        codes = encode(seq[-pad:] + seq + seq[:pad])
    else:
        pad = 0
        codes = encode(seq)
    k = kmer6_codes(codes)
    starts, ends, types = classify_hits(
        codes, np.flatnonzero(k == core), np.flatnonzero(k == off), c8, c2
    )
    starts = starts - pad
    ends = ends - pad
    keep = (starts >= 0) & (starts < n)
    sites = [
        (int(s), int(e), SITE_TYPES[t])
        for s, e, t in zip(starts[keep], ends[keep], types[keep], strict=True)
    ]
    return sorted(sites, key=_site_key)


def find_sites_naive(
    seq: str, mirna: str, *, circular: bool = False
) -> list[tuple[int, int, str]]:
    """Reference finder: a plain per-position loop over string slices.

    Same contract as :func:`find_sites`; kept slow and simple on purpose so the
    vectorised finder can be checked against it.

    Examples
    --------
    >>> find_sites_naive("AUGCCUUAC", "UAAGGCACGCGGUGAAUGCC")
    [(1, 8, '7mer-A1')]
    """
    m = _check_mirna(mirna)
    s = seq.upper().replace("T", "U")
    n = len(s)
    if circular and n < 8:
        raise InputError(f"circular sequence of {n} nt is shorter than a site (8 nt)")
    core = target_pattern(m, "6mer")  # pairs with miRNA 2-7
    offset = target_pattern(m, "offset-6mer")  # pairs with miRNA 3-8
    pair8 = reverse_complement(m[7])
    pair2 = reverse_complement(m[1])

    def at(i: int) -> str:
        if circular:
            return s[i % n]
        return s[i] if 0 <= i < n else ""

    out: list[tuple[int, int, str]] = []
    for i in range(n):
        window = "".join(at(i + j) for j in range(6))
        if window == core:
            m8 = at(i - 1) == pair8
            a1 = at(i + 6) == "A"
            if m8 and a1:
                site = (i - 1, 8, "8mer")
            elif m8:
                site = (i - 1, 7, "7mer-m8")
            elif a1:
                site = (i, 7, "7mer-A1")
            else:
                site = (i, 6, "6mer")
            start = site[0] % n if circular else site[0]
            out.append((start, start + site[1], site[2]))
        if window == offset and at(i + 6) != pair2:
            out.append((i, i + 6, "offset-6mer"))
    return sorted(out, key=_site_key)


def _site_key(site: tuple[int, int, str]) -> tuple[int, int, int]:
    return site[0], site[1], SITE_CODE[site[2]]


def group_by_seed(mirnas: dict[str, str]) -> dict[str, list[str]]:
    """Group miRNA names by their 5' octamer (positions 1-8 decide all site types).

    Only positions 2-8 matter for pairing, so miRNAs sharing positions 2-8
    share every site.

    Examples
    --------
    >>> group_by_seed({"a": "UAAGGCACGCGG", "b": "AAAGGCACGUUU"})
    {'AAGGCAC': ['a', 'b']}
    """
    out: dict[str, list[str]] = {}
    for name, seq in mirnas.items():
        out.setdefault(seed_of(seq), []).append(name)
    return out
