"""CLIP evaluation helpers: vectorised best-site typing and ranking metrics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import mannwhitneyu

from mirscope.errors import InputError
from mirscope.sites.evaluate import SITE_RANK, best_site_types, precision_at_recall, roc_auc
from mirscope.sites.seeds import find_sites

CLIP = Path(__file__).resolve().parents[1] / "data" / "sites" / "clip_subset.tsv"


@pytest.fixture(scope="module")
def clip() -> pd.DataFrame:
    df = pd.read_csv(CLIP, sep="\t")
    return pd.DataFrame(
        {
            "mirna": df["mirna_binding_sequence"].str.replace("T", "U"),
            "target": df["binding_sequence"].str.replace("T", "U"),
            "bound": df["label"].eq("positive"),
        }
    )


def _reference(mirna: str, target: str) -> tuple[int, int]:
    best, where = 0, -1
    for s, _e, t in find_sites(target, mirna):
        if SITE_RANK[t] > best:
            best, where = SITE_RANK[t], s
    return best, where


def test_best_site_types_equal_finder_on_clip(clip: pd.DataFrame) -> None:
    rank, start = best_site_types(clip["mirna"], clip["target"])
    ref = [_reference(m, t) for m, t in zip(clip["mirna"], clip["target"], strict=True)]
    assert rank.tolist() == [r for r, _ in ref]
    assert start.tolist() == [s for _, s in ref]
    # in this data set nearly every bound pair has a seed site
    assert (rank[clip["bound"].to_numpy()] > 0).mean() > 0.9


@settings(max_examples=50, deadline=None)
@given(
    mirna=st.text(alphabet="ACGU", min_size=20, max_size=22),
    targets=st.lists(st.text(alphabet="ACGUN", min_size=0, max_size=50), min_size=1, max_size=8),
)
def test_best_site_types_hypothesis(mirna: str, targets: list[str]) -> None:
    rank, start = best_site_types(pd.Series([mirna] * len(targets)), pd.Series(targets))
    assert list(zip(rank.tolist(), start.tolist(), strict=True)) == [_reference(mirna, t) for t in targets]


def test_best_site_types_length_mismatch() -> None:
    with pytest.raises(InputError, match="one miRNA per target"):
        best_site_types(pd.Series(["UAAGGCACGCGGUGAAUGCC"]), pd.Series(["A", "C"]))


def test_roc_auc_matches_mann_whitney() -> None:
    rng = np.random.default_rng(1)
    y = rng.random(300) < 0.3
    score = rng.integers(0, 6, 300).astype(float) + y  # ties included
    u = mannwhitneyu(score[y], score[~y]).statistic
    assert roc_auc(score, y) == pytest.approx(u / (y.sum() * (~y).sum()))
    assert np.isnan(roc_auc(score, np.zeros(300, dtype=bool)))


@pytest.mark.parametrize(
    ("recall", "expected"),
    [(0.25, 1.0), (0.5, 2 / 3), (1.0, 4 / 6)],
)
def test_precision_at_recall(recall: float, expected: float) -> None:
    score = np.array([6.0, 5.0, 4.0, 3.0, 2.0, 1.0])
    y = np.array([True, False, True, True, False, True])
    assert precision_at_recall(score, y, recall) == pytest.approx(expected)
