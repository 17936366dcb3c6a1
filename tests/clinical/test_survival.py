"""Survival: splits, exclusions, bad input, warnings, association tables, Cox edge cases."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope.clinical import (
    CoxFitter,
    SurvivalSplitFitter,
    UncorrectedCutpointWarning,
    association_table,
    concordance_index,
    kaplan_meier,
    lausen_schumacher_p,
    logrank_test,
    maxstat_cutpoint,
    split_marker,
    univariate_cox,
)
from mirscope.errors import ConvergenceError, InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "clinical"


@pytest.fixture
def synth() -> pd.DataFrame:
    return pd.read_csv(DATA / "surv_synth.csv")


@pytest.fixture
def lihc() -> pd.DataFrame:
    return pd.read_csv(DATA / "surv_tcga_lihc.csv")


def test_tcga_missing_and_negative_times_are_excluded_and_counted(lihc: pd.DataFrame) -> None:
    r = SurvivalSplitFitter().fit(lihc, duration_col="os_days", event_col="os_event", marker_col="mir21").result_
    assert r.excluded_ == {"missing_time": 1, "negative_time": 1}
    assert r.n_high + r.n_low == len(lihc) - 2
    assert r.details()["excluded"] == {"missing_time": 1, "negative_time": 1}


def test_exclusions_are_logged(lihc: pd.DataFrame, caplog: pytest.LogCaptureFixture) -> None:
    SurvivalSplitFitter().fit(lihc, duration_col="os_days", event_col="os_event", marker_col="mir21")
    assert "excluded 1 rows: negative time" in caplog.text


def test_missing_marker_is_excluded(synth: pd.DataFrame) -> None:
    df = synth.copy()
    df.loc[[0, 5, 9], "marker"] = np.nan
    r = SurvivalSplitFitter().fit(df, duration_col="time", event_col="event", marker_col="marker").result_
    assert r.excluded_ == {"missing_marker": 3}


def test_median_split_at_zero_is_flagged(lihc: pd.DataFrame) -> None:
    r = SurvivalSplitFitter().fit(lihc, duration_col="os_days", event_col="os_event", marker_col="mir124").result_
    assert r.cutoff == 0.0
    assert r.tied_fraction > 0.8
    assert any("tied at the cut" in f for f in r.flags)


def test_split_too_unbalanced_is_refused(synth: pd.DataFrame) -> None:
    df = synth.copy()
    df["marker"] = 0.0
    df.loc[:1, "marker"] = 1.0
    with pytest.raises(InputError, match=r"gives 2 high and 148 low samples.*Too many tied values"):
        SurvivalSplitFitter().fit(df, duration_col="time", event_col="event", marker_col="marker")


def test_all_values_tied_is_refused(synth: pd.DataFrame) -> None:
    df = synth.assign(marker=2.0)
    with pytest.raises(InputError, match="all 150 usable values are tied"):
        SurvivalSplitFitter().fit(df, duration_col="time", event_col="event", marker_col="marker")


def test_missing_column_is_named(synth: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"column\(s\) 'mir124' not in the table; available columns: 'time'"):
        SurvivalSplitFitter().fit(synth, duration_col="time", event_col="event", marker_col="mir124")


def test_non_numeric_time_is_rejected(synth: pd.DataFrame) -> None:
    df = synth.astype({"time": object})
    df.loc[4, "time"] = "ten"
    with pytest.raises(InputError, match=r"column 'time' must be numeric but has non-numeric value\(s\) 'ten'"):
        SurvivalSplitFitter().fit(df, duration_col="time", event_col="event", marker_col="marker")


def test_event_not_zero_one_is_rejected(synth: pd.DataFrame) -> None:
    df = synth.copy()
    df.loc[3, "event"] = 2
    with pytest.raises(InputError, match=r"must be 0 \(censored\) or 1 \(event\); found 2.0"):
        SurvivalSplitFitter().fit(df, duration_col="time", event_col="event", marker_col="marker")


def test_group_without_events_is_refused(synth: pd.DataFrame) -> None:
    df = synth.copy()
    df.loc[df["marker"] > df["marker"].median(), "event"] = 0
    with pytest.raises(InputError, match="the high group has no events"):
        SurvivalSplitFitter().fit(df, duration_col="time", event_col="event", marker_col="marker")


def test_no_events_at_all_is_refused(synth: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="has no events among the 150 usable rows"):
        SurvivalSplitFitter().fit(synth.assign(event=0), duration_col="time", event_col="event", marker_col="marker")


def test_only_bad_rows_left_is_refused() -> None:
    df = pd.DataFrame({"t": [-1.0, np.nan], "e": [1, 1], "m": [1.0, 2.0]})
    with pytest.raises(InputError, match="no usable rows left after exclusions"):
        SurvivalSplitFitter().fit(df, duration_col="t", event_col="e", marker_col="m")


def test_unknown_split_is_rejected() -> None:
    with pytest.raises(InputError, match="split 'tertile' unknown; use one of median, mean"):
        SurvivalSplitFitter("tertile")  # type: ignore[arg-type]


def test_value_split_needs_cutoff() -> None:
    with pytest.raises(InputError, match=r"split='value' needs cutoff"):
        split_marker([1.0, 2.0], "value")


def test_uncorrected_optimal_warns_and_flags(synth: pd.DataFrame) -> None:
    with pytest.warns(UncorrectedCutpointWarning, match="without correction"):
        r = SurvivalSplitFitter("optimal", correct="none").fit(
            synth, duration_col="time", event_col="event", marker_col="marker").result_
    assert any(f.startswith("UNCORRECTED") for f in r.flags)
    assert r.p_value == r.logrank_p


def test_corrected_optimal_reports_lausen_p(synth: pd.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = SurvivalSplitFitter("optimal").fit(synth, duration_col="time", event_col="event", marker_col="marker").result_
    assert r.maxstat is not None
    assert r.p_value == r.maxstat.p_value
    assert r.p_value > r.logrank_p


def test_quantile_split_sizes(synth: pd.DataFrame) -> None:
    r = SurvivalSplitFitter("quantile", quantile=0.75).fit(
        synth, duration_col="time", event_col="event", marker_col="marker").result_
    assert r.n_high < r.n_low
    assert r.cutoff == pytest.approx(np.quantile(synth["marker"], 0.75))


def test_to_dict_has_exactly_the_cli_keys(synth: pd.DataFrame) -> None:
    r = SurvivalSplitFitter().fit(synth, duration_col="time", event_col="event", marker_col="marker").result_
    assert set(r.to_dict()) == {"n_high", "n_low", "logrank_chi2", "logrank_p", "hazard_ratio", "hr_ci", "concordance"}


def test_logrank_needs_two_groups() -> None:
    with pytest.raises(InputError, match="at least two groups"):
        logrank_test([1, 2], [1, 1], ["a", "a"])


def test_three_group_logrank_has_two_df(synth: pd.DataFrame) -> None:
    r = logrank_test(synth["time"], synth["event"], synth["stage"])
    assert r.degrees_of_freedom == 2
    assert r.summary["observed"].sum() == synth["event"].sum()
    assert r.summary["expected"].sum() == pytest.approx(synth["event"].sum())


def test_kaplan_meier_rejects_negative_times() -> None:
    with pytest.raises(InputError, match="non-negative"):
        kaplan_meier([1, -2], [1, 0])


def test_kaplan_meier_median() -> None:
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1])
    assert km.median == 2.0
    assert km.survival_at([0.5, 1, 2.5]).tolist() == [1.0, 0.75, 0.5]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.booleans(), st.integers(0, 5)), min_size=3, max_size=40))
def test_concordance_of_reversed_risk_is_complement(rows: list[tuple[int, bool, int]]) -> None:
    t = np.array([r[0] for r in rows], dtype=float)
    e = np.array([r[1] for r in rows], dtype=float)
    x = np.array([r[2] for r in rows], dtype=float)
    try:
        c = concordance_index(t, e, x)
    except InputError:
        return
    assert 0.0 <= c <= 1.0
    assert concordance_index(t, e, -x) == pytest.approx(1 - c)


def test_lausen_schumacher_small_statistic_is_one() -> None:
    assert lausen_schumacher_p(0.5) == 1.0
    assert lausen_schumacher_p(4.0) < lausen_schumacher_p(3.0) < 1.0


def test_maxstat_refuses_when_no_admissible_cut() -> None:
    x = np.r_[np.zeros(95), np.ones(5)]
    with pytest.raises(InputError, match="no admissible cut-point"):
        maxstat_cutpoint(x, np.arange(100.0), np.ones(100))


def test_cox_factor_reference_is_first_sorted_level(synth: pd.DataFrame) -> None:
    r = CoxFitter().fit(synth, duration_col="time", event_col="event", covariates=["stage"]).result_
    assert list(r.summary.index) == ["stage=II", "stage=III"]
    assert r.encoded["stage=II"] == "stage: II vs I"


def test_cox_binary_group_without_events_is_refused(synth: pd.DataFrame) -> None:
    df = synth.copy()
    df.loc[df["sex"] == 1, "event"] = 0
    with pytest.raises(InputError, match=r"covariate 'sex': the group sex=1 has no events"):
        CoxFitter().fit(df, duration_col="time", event_col="event", covariates=["sex", "age"])


def test_cox_constant_covariate_is_refused(synth: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="covariate 'k' is constant"):
        CoxFitter().fit(synth.assign(k=1.0), duration_col="time", event_col="event", covariates=["k"])


def test_cox_collinear_covariates_fail_clearly(synth: pd.DataFrame) -> None:
    df = synth.assign(age2=synth["age"] * 2.0)
    with pytest.raises(ConvergenceError, match=r"did not converge|diverged"):
        CoxFitter().fit(df, duration_col="time", event_col="event", covariates=["age", "age2"])


def test_cox_missing_covariates_are_excluded(synth: pd.DataFrame) -> None:
    df = synth.copy()
    df.loc[[1, 2], "age"] = np.nan
    r = CoxFitter().fit(df, duration_col="time", event_col="event", covariates=["age", "marker"]).result_
    assert r.excluded_ == {"missing_age": 2}
    assert r.n == 148
    assert list(r.ph_test.index) == ["age", "marker", "GLOBAL"]


def test_univariate_cox_rows(synth: pd.DataFrame) -> None:
    u = univariate_cox(synth, duration_col="time", event_col="event", covariates=["age", "marker"])
    assert list(u.index) == ["age", "marker"]
    assert (u["n"] == 150).all()


def test_association_chi_square_and_fisher() -> None:
    d = pd.DataFrame({
        "g": ["high"] * 30 + ["low"] * 30,
        "stage": ["I"] * 20 + ["III"] * 10 + ["I"] * 8 + ["III"] * 22,
        "N": ["N0"] * 28 + ["N+"] * 2 + ["N0"] * 26 + ["N+"] * 3 + [None],
    })
    t = association_table(d, "g", ["stage", "N"])
    assert t.loc["stage", "test"] == "chi-square (Yates)"
    assert t.loc["N", "test"] == "Fisher exact"
    assert t.loc["N", "n_excluded"] == 1
    from scipy import stats

    assert t.loc["N", "p"] == pytest.approx(stats.fisher_exact([[2, 28], [3, 26]])[1])


REF_TESTS = __import__("json").loads((DATA / "ref_tests.json").read_text())


@pytest.mark.parametrize("case", REF_TESTS["fisher"], ids=lambda c: str(c["table"]))
def test_fisher_2xk_matches_r(case: dict) -> None:
    from mirscope.clinical.survival import fisher_exact_2xk

    table = np.array(case["table"]).reshape(2, case["ncol"])
    assert fisher_exact_2xk(table) == pytest.approx(case["p"], abs=1e-10)
    groups = np.repeat(["high", "low"], table.sum(axis=1))
    levels = np.concatenate([np.repeat([f"L{j}" for j in range(table.shape[1])], row) for row in table])
    res = association_table(pd.DataFrame({"g": groups, "v": levels}), "g", ["v"])
    assert res.loc["v", "p"] == pytest.approx(case["p"] if res.loc["v", "test"].startswith("Fisher") else case["chisq_p"], abs=1e-10)


def test_association_needs_two_levels() -> None:
    d = pd.DataFrame({"g": ["a", "b", "a"], "v": ["x", "x", "x"]})
    with pytest.raises(InputError, match="need at least two groups and two levels"):
        association_table(d, "g", ["v"])
