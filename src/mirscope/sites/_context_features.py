"""Per-site features of the TargetScan 7 context++ model (Agarwal et al. 2015).

Private helpers of :mod:`mirscope.sites.context_scores`. Positions are 1-based
in the ungapped UTR, as in TargetScan's site tables (``UTR_start``/``UTR_end``).
Site types use TargetScan's names: ``8mer-1a``, ``7mer-m8``, ``7mer-1a``, ``6mer``.

Each definition below was checked against every row of TargetScan 7.0's
``Targets.BL_PCT.context_scores.txt`` for its sample input (see
``docs/sites-context.md``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

SITE_TYPES_TS = ("8mer-1a", "7mer-m8", "7mer-1a", "6mer")
_WATSON_CRICK = frozenset({("A", "U"), ("U", "A"), ("G", "C"), ("C", "G")})
#: Whether the site pairs miRNA nucleotide 8 (its first base is opposite nt 8).
_HAS_M8 = {"8mer-1a": True, "7mer-m8": True, "7mer-1a": False, "6mer": False}
#: Whether the site ends in the A opposite miRNA nucleotide 1.
_HAS_A1 = {"8mer-1a": True, "7mer-m8": False, "7mer-1a": True, "6mer": False}


def pos8_index(start: int, site_type: str) -> int:
    """0-based UTR index of the base opposite miRNA nucleotide 8.

    Examples
    --------
    >>> pos8_index(10, "8mer-1a"), pos8_index(10, "6mer")
    (9, 8)
    """
    return start - 1 if _HAS_M8[site_type] else start - 2


def site8_base(seq: str, start: int, site_type: str) -> str:
    """UTR base used for the site8 features ("U" = none, the reference level).

    For 7mer-1a sites it is the base opposite miRNA nucleotide 8 (just upstream of
    the site). For 6mer sites TargetScan 7.0 reads the base two further upstream
    (1-based position ``start - 3``); this reproduces its output. 8mer and 7mer-m8
    sites have no site8 feature.

    Examples
    --------
    >>> site8_base("ACGUUACCUC", 5, "6mer"), site8_base("ACGUUACCUCA", 5, "7mer-1a")
    ('C', 'U')
    """
    if site_type == "7mer-1a":
        i = start - 2
    elif site_type == "6mer":
        i = start - 4
    else:
        return "U"
    return seq[i] if i >= 0 else "U"


def local_au(seq: str, start: int, end: int, site_type: str, *, flank: int = 30) -> float:
    """AU content of the 30 nt on each side of the site, weighted by inverse distance.

    The k-th base upstream (k = 0 next to the site) has weight ``1/(k+1)`` when the
    site pairs miRNA nt 8 and ``1/(k+2)`` when it does not (the unpaired base opposite
    nt 8 counts as one step); downstream likewise ``1/(k+1)`` without and ``1/(k+2)``
    with the A opposite nt 1. Bases beyond the UTR ends are left out of both sums.

    Examples
    --------
    >>> local_au("AAAAAGUGCCUUAAAAA", 6, 13, "8mer-1a")
    1.0
    """
    up_shift = 1 if _HAS_M8[site_type] else 2
    down_shift = 2 if _HAS_A1[site_type] else 1
    num = 0.0
    tot = 0.0
    n = len(seq)
    for k in range(flank):
        i = start - 2 - k
        if 0 <= i < n:
            w = 1.0 / (k + up_shift)
            tot += w
            if seq[i] in "AU":
                num += w
        j = end + k
        if 0 <= j < n:
            w = 1.0 / (k + down_shift)
            tot += w
            if seq[j] in "AU":
                num += w
    return num / tot if tot else 0.0


def three_prime_score(
    seq: str,
    start: int,
    site_type: str,
    mirna: str,
    *,
    region: int = 15,
    free_offset: int = 2,
) -> float:
    """3'-supplementary pairing score (Grimson et al. 2007), as used by context++.

    The best-scoring run of at least 2 contiguous Watson-Crick pairs between miRNA
    nucleotides 9 onwards and the ``region`` (15) UTR bases upstream of the site,
    in any register: each pair scores 1 at miRNA nucleotides 13-16 and 0.5
    elsewhere, minus 0.5 per nucleotide of offset beyond ``free_offset`` (2) between
    the run's register and the seed's. For 6mer sites the base directly upstream
    (opposite miRNA nucleotide 8) cannot pair, as in TargetScan 7.0. 0 when no run
    exists.

    Examples
    --------
    >>> mir = "UAAGGCACGCGGUGAAUGCC"
    >>> utr = "GGCAUUCACCGCGUGCCUUA"   # perfect complement of miRNA 1-20
    >>> three_prime_score(utr, 13, "8mer-1a", mir)
    8.0
    """
    p8 = pos8_index(start, site_type)
    top = start - 1 if site_type != "6mer" else start - 2  # first excluded 0-based index
    lowest = max(0, start - 1 - region)
    n = len(mirna)
    best = 0.0
    # register offset: 0 = miRNA nt k opposite UTR index p8 - (k - 8)
    for off in range(-(n + region), n + region + 1):
        penalty = 0.5 * max(0, abs(off) - free_offset)
        run = 0.0
        length = 0
        for k in range(9, n + 1):
            u = p8 - (k - 8) - off
            if lowest <= u < top and (mirna[k - 1], seq[u]) in _WATSON_CRICK:
                run += 1.0 if 13 <= k <= 16 else 0.5
                length += 1
                if length >= 2:
                    best = max(best, run - penalty)
            else:
                run = 0.0
                length = 0
    return best


def accessibility_end_index(start: int, site_type: str) -> int:
    """0-based index of the last base of the 14-nt window used for SA.

    The window is centred on the bases opposite miRNA nucleotides 7-8 for 8mer,
    7mer-m8 and 7mer-1a sites; for 6mer sites TargetScan 7.0 places it one base
    downstream (as if the 6mer were a 7mer-m8), which this reproduces.

    Examples
    --------
    >>> accessibility_end_index(100, "8mer-1a"), accessibility_end_index(100, "7mer-1a")
    (106, 105)
    """
    return start + 6 if site_type != "7mer-1a" else start + 5


def isoform_weights(
    regions: Sequence[tuple[int, int, float]] | None,
    utr_length: int,
    reference_length: int | None,
    site_end: int,
) -> list[tuple[float, float]]:
    """(isoform end, weight) pairs of the 3'UTR tandem isoforms containing a site.

    ``regions`` are the AIR rows of the gene (start, end, AIR in percent) in the
    coordinates of the reference species' UTR; for another species their ends are
    scaled by ``utr_length / reference_length`` and rounded to whole nucleotides. As in TargetScan 7.0's output,
    each isoform ending at or after the site is weighted by the AIR of its last
    region. Without AIR data the UTR is one isoform.
    """
    if not regions:
        return [(float(utr_length), 100.0)]
    scale = utr_length / reference_length if reference_length else 1.0
    # TargetScan rounds the scaled isoform ends to whole nucleotides
    ends = [(math.floor(end * scale + 0.5), air) for _s, end, air in regions]
    out = [(float(e), air) for e, air in ends if e >= site_end]
    return out or [(float(utr_length), 100.0)]


def weighted_utr_length(isoforms: Sequence[tuple[float, float]]) -> float:
    """log10 of the weighted mean isoform length (Len_3UTR)."""
    w = sum(v for _e, v in isoforms)
    return math.log10(sum(v * e for e, v in isoforms) / w)


def weighted_min_dist(isoforms: Sequence[tuple[float, float]], start: int, end: int) -> float:
    """log10 of the weighted mean distance to the nearer UTR end (Min_dist)."""
    w = sum(v for _e, v in isoforms)
    total = sum(v * max(1.0, min(start - 1.0, e - end)) for e, v in isoforms)
    return math.log10(total / w)


def offset6mer_count(seq: str, mirna: str, isoforms: Sequence[tuple[float, float]]) -> float:
    """Isoform-weighted number of offset-6mer sites (match to miRNA 3-8) in the UTR."""
    target = mirna[2:8][::-1].translate(str.maketrans("ACGU", "UGCA"))
    hits = [i for i in range(len(seq) - 5) if seq[i : i + 6] == target]
    w = sum(v for _e, v in isoforms)
    return sum(v * sum(1 for i in hits if i + 6 <= e) for e, v in isoforms) / w


def sa_from_unpaired(unpaired: np.ndarray, start: int, site_type: str, *, width: int = 14) -> float | None:
    """log10 probability that the 14-nt SA window is unpaired, from an RNAplfold matrix.

    ``unpaired[i, l-1]`` is the probability that the ``l`` bases ending at 0-based
    index ``i`` are unpaired (RNAplfold ``_lunp`` layout). Near the UTR ends this
    follows TargetScan 7.0's context++ script: a window that would end past the
    3' end ends at the last UTR base instead (still 14 nt); a window that would
    start before the first UTR base has no value (RNAplfold writes ``NA``), and
    neither has a probability of 0; both give ``None``, and TargetScan then counts
    no SA contribution. (Read from the script; no TargetScan output with such a
    site was available to compare.)

    Examples
    --------
    >>> m = np.full((30, 14), 0.5)
    >>> round(sa_from_unpaired(m, 10, "8mer-1a"), 3)
    -0.301
    >>> sa_from_unpaired(m, 3, "8mer-1a") is None   # window would start before the UTR
    True
    """
    n = unpaired.shape[0]
    end = min(accessibility_end_index(start, site_type), n - 1)
    first = end - width + 1
    if first < 0 or unpaired.shape[1] < width:
        return None
    p = float(unpaired[end, width - 1])
    if not p > 0:
        return None
    return math.log10(p)


def air_weighted_score(score: float, air: float) -> float:
    """Context++ score weighted by the fraction of isoforms containing the site.

    ``log2(1 - AIR * (1 - 2**score))``: the predicted log2 fold change of the mRNA
    population when only a fraction ``AIR`` carries the site (Agarwal et al. 2015).

    Examples
    --------
    >>> round(air_weighted_score(-0.05, 0.82942), 4)
    -0.0413
    >>> air_weighted_score(-0.2, 1.0) == -0.2
    True
    """
    return math.log2(1.0 - air * (1.0 - 2.0**score))
