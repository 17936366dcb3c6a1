"""Evaluate seed-site features against labelled binding data (e.g. AGO CLIP).

Used by ``benchmarks/bench_clip.py``: the best site type of many short
(miRNA, target) pairs at once, ROC AUC and precision at a fixed recall.

Examples
--------
>>> import numpy as np
>>> roc_auc(np.array([0.1, 0.9, 0.8, 0.2]), np.array([False, True, True, False]))
1.0
>>> precision_at_recall(np.array([3.0, 2.0, 1.0]), np.array([True, False, True]), 0.5)
1.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from mirscope.errors import InputError

__all__ = ["SITE_RANK", "best_site_types", "precision_at_recall", "roc_auc"]

#: Ordinal rank of site types (higher = stronger); 0 = no site.
SITE_RANK: dict[str, int] = {"8mer": 5, "7mer-m8": 4, "7mer-A1": 3, "6mer": 2, "offset-6mer": 1}


def roc_auc(score: np.ndarray, y: np.ndarray) -> float:
    """ROC AUC by the Mann-Whitney rank formula (ties count one half); NaN with one class."""
    pos = int(y.sum())
    neg = y.size - pos
    if pos == 0 or neg == 0:
        return float("nan")
    r = rankdata(score)
    return float((r[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def precision_at_recall(score: np.ndarray, y: np.ndarray, recall: float) -> float:
    """Precision at the highest score threshold whose recall reaches ``recall`` (ties kept together)."""
    pos = int(y.sum())
    if pos == 0:
        return float("nan")
    thresholds = np.unique(score)[::-1]
    for t in thresholds:
        sel = score >= t
        tp = int((sel & y).sum())
        if tp / pos >= recall:
            return tp / int(sel.sum())
    return float(y.mean())


def best_site_types(mirnas: pd.Series, targets: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Best site of each (miRNA, target) pair, vectorised over all pairs at once.

    Parameters
    ----------
    mirnas, targets
        Equal-length Series of miRNA and target sequences (RNA or DNA).

    Returns
    -------
    rank : numpy.ndarray
        :data:`SITE_RANK` of the best site per pair (0 = no site).
    start : numpy.ndarray
        0-based start of that site (first one on ties), -1 without a site.

    Examples
    --------
    >>> r, s = best_site_types(pd.Series(["UAAGGCACGCGGUGAAUGCC"] * 2),
    ...                        pd.Series(["CCGUGCCUUACC", "CCCCCCCCCCCC"]))
    >>> r.tolist(), s.tolist()
    ([5, 0], [2, -1])
    """
    from mirscope.sites.seeds import encode, seed_codes

    if len(mirnas) != len(targets):
        raise InputError(f"{len(mirnas)} miRNAs but {len(targets)} targets; give one miRNA per target")
    if len(targets) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    width = int(targets.str.len().max())
    if width < 6:
        return np.zeros(len(targets), dtype=np.int64), np.full(len(targets), -1, dtype=np.int64)
    padded = targets.str.pad(width, side="right", fillchar="N")
    codes = encode("".join(padded)).reshape(len(targets), width)
    tab = {m: seed_codes(m) for m in mirnas.unique()}
    sc = np.array([tab[m] for m in mirnas], dtype=np.int64)
    core, off, c8, c2 = (sc[:, i : i + 1] for i in range(4))
    nwin = width - 5
    k = np.zeros((len(targets), nwin), dtype=np.int64)
    bad = np.zeros((len(targets), nwin), dtype=bool)
    for j in range(6):
        k = (k << 2) | (codes[:, j : j + nwin] & 3)
        bad |= codes[:, j : j + nwin] >= 4
    k[bad] = -1
    four = np.full((len(targets), 1), 4, dtype=codes.dtype)
    prev = np.concatenate((four, codes[:, : nwin - 1]), axis=1)
    nxt = np.concatenate((codes[:, 6:], four), axis=1)[:, :nwin]
    m8 = prev == c8
    a1 = nxt == 0
    rank = np.where(k == core, np.where(m8 & a1, 5, np.where(m8, 4, np.where(a1, 3, 2))), 0)
    rank = np.maximum(rank, np.where((k == off) & (nxt != c2), 1, 0))
    best = rank.max(axis=1)
    j = rank.argmax(axis=1)
    start = np.where(best >= 4, j - 1, j)
    return best, np.where(best > 0, start, -1)
