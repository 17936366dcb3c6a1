"""ROC: direction, ties, bad input, multi-group designs, DeLong test edge cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from mirscope.clinical import ROCFitter, delong_test, pairwise_roc
from mirscope.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "clinical"


@pytest.fixture
def synth() -> pd.DataFrame:
    return pd.read_csv(DATA / "roc_synth.csv")


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=2, max_size=30),
    st.lists(st.integers(0, 6), min_size=2, max_size=30),
)
def test_auc_equals_sklearn_in_the_chosen_direction(cases: list[int], controls: list[int]) -> None:
    c, k = np.array(cases, float), np.array(controls, float)
    if np.unique(np.r_[c, k]).size < 2:
        return
    r = ROCFitter("<", n_boot=0).fit_arrays(c, k).result_
    y = np.r_[np.ones(c.size), np.zeros(k.size)]
    assert r.auc == pytest.approx(roc_auc_score(y, np.r_[c, k]))
    assert r.auc_ci[0] <= r.auc <= r.auc_ci[1]
    assert 0 <= r.sensitivity <= 1 and 0 <= r.specificity <= 1


def test_auto_direction_flips_for_lower_in_tumour(synth: pd.DataFrame) -> None:
    r = ROCFitter(n_boot=0).fit(synth, marker_col="mir124", label_col="group", positive="tumour",
                                negative="healthy").result_
    assert r.direction == ">"
    assert r.auc > 0.5
    forced = ROCFitter("<", n_boot=0).fit(synth, marker_col="mir124", label_col="group",
                                          positive="tumour", negative="healthy").result_
    assert forced.auc == pytest.approx(1 - r.auc)


def test_other_labels_excluded_and_counted(synth: pd.DataFrame) -> None:
    r = ROCFitter(n_boot=0).fit(synth, marker_col="mir124", label_col="group", positive="tumour",
                                negative="healthy").result_
    assert r.excluded_ == {"other_label": 45}
    assert (r.n_pos, r.n_neg) == (60, 50)


def test_missing_marker_excluded(synth: pd.DataFrame) -> None:
    df = synth.copy()
    df.loc[[0, 1], "mir124"] = np.nan
    df.loc[2, "group"] = None
    r = ROCFitter(n_boot=0).fit(df, marker_col="mir124", label_col="group", positive="tumour",
                                negative="healthy").result_
    assert r.excluded_["missing_marker"] == 2
    assert r.excluded_["missing_label"] == 1
    assert r.n_pos == 57


def test_three_labels_need_negative(synth: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"has 3 labels .* give the negative label"):
        ROCFitter(n_boot=0).fit(synth, marker_col="mir124", label_col="group", positive="tumour")


def test_unknown_positive_label(synth: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="positive label 'cancer' not found in column 'group'; its values are 'benign'"):
        ROCFitter(n_boot=0).fit(synth, marker_col="mir124", label_col="group", positive="cancer")


def test_numeric_labels_match_text_positive() -> None:
    df = pd.DataFrame({"m": [1, 2, 3, 4, 5, 6], "y": [0, 0, 0, 1, 1, 1]})
    r = ROCFitter(n_boot=0).fit(df, marker_col="m", label_col="y", positive="1").result_
    assert r.auc == 1.0
    assert r.cutoff == 3.5


def test_all_values_tied_is_refused() -> None:
    df = pd.DataFrame({"m": [1.0] * 6, "y": [0, 0, 0, 1, 1, 1]})
    with pytest.raises(InputError, match="all 6 marker values are tied"):
        ROCFitter(n_boot=0).fit(df, marker_col="m", label_col="y", positive=1)


def test_non_numeric_marker_is_rejected() -> None:
    df = pd.DataFrame({"m": ["1", "x", "3"], "y": [0, 1, 1]})
    with pytest.raises(InputError, match=r"column 'm' must be numeric but has non-numeric value\(s\) 'x'"):
        ROCFitter(n_boot=0).fit(df, marker_col="m", label_col="y", positive=1)


def test_single_class_is_refused() -> None:
    df = pd.DataFrame({"m": [1.0, 2.0, 3.0], "y": ["t", "t", "t"]})
    with pytest.raises(InputError, match="column 'y' has 1 labels \\('t'\\); give the negative label"):
        ROCFitter(n_boot=0).fit(df, marker_col="m", label_col="y", positive="t")


def test_bad_direction_rejected() -> None:
    with pytest.raises(InputError, match="direction 'up' unknown"):
        ROCFitter("up")  # type: ignore[arg-type]


def test_to_dict_keys_exact(synth: pd.DataFrame) -> None:
    r = ROCFitter(n_boot=50).fit(synth, marker_col="mir21", label_col="group", positive="tumour",
                                 negative="benign").result_
    assert set(r.to_dict()) == {"auc", "auc_ci", "cutoff", "sensitivity", "specificity", "n_pos", "n_neg"}
    lo, hi = r.auc_ci_boot
    assert lo < r.auc < hi


def test_pairwise_multi_group(synth: pd.DataFrame) -> None:
    t = pairwise_roc(synth, marker_col="mir124", label_col="group",
                     pairs=[("tumour", "healthy"), ("tumour", "benign"), ("benign", "healthy")])
    assert t[["positive", "negative"]].values.tolist() == [["tumour", "healthy"], ["tumour", "benign"], ["benign", "healthy"]]
    assert t.loc[0, "n_pos"] == 60 and t.loc[0, "n_neg"] == 50
    assert (t["auc"] > 0.5).all()


def test_pairwise_default_all_pairs(synth: pd.DataFrame) -> None:
    assert len(pairwise_roc(synth, marker_col="mir124", label_col="group")) == 3


def test_delong_identical_markers_refused(synth: pd.DataFrame) -> None:
    df = synth.assign(copy=synth["mir124"])
    with pytest.raises(InputError, match="identical"):
        delong_test(df, "mir124", "copy", label_col="group", positive="tumour", negative="healthy")
