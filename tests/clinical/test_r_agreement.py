"""Agreement with R (survival, pROC, maxstat): references from tests/clinical/r/references.R.

The JSON files in tests/data/clinical were written by R; these tests need no R.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mirscope.clinical import (
    CoxFitter,
    ROCFitter,
    SurvivalSplitFitter,
    delong_test,
    kaplan_meier,
    maxstat_cutpoint,
)
from mirscope.clinical._common import clean_survival

DATA = Path(__file__).resolve().parents[1] / "data" / "clinical"
REF_SURV = json.loads((DATA / "ref_survival.json").read_text())
REF_ROC = json.loads((DATA / "ref_roc.json").read_text())

SPLITS = {c["name"]: c for c in REF_SURV["split"]}
COXES = {c["name"]: c for c in REF_SURV["cox"]}
MAXSTATS = {c["name"]: c for c in REF_SURV["maxstat"]}
ROCS = {c["name"]: c for c in REF_ROC["roc"]}
DELONGS = {c["name"]: c for c in REF_ROC["delong"]}


def _as_list(v: object) -> list:
    """jsonlite unboxes length-1 vectors; make them lists again."""
    return list(v) if isinstance(v, list) else [v]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name)


def _fit_split(c: dict) -> SurvivalSplitFitter:
    split = {"median": "median", "mean": "mean", "q75": "quantile", "value": "value"}[c["split"]]
    cutoff = c["cutoff_arg"] if split == "value" else None
    return SurvivalSplitFitter(split, quantile=0.75, cutoff=cutoff).fit(
        _read(c["file"]), duration_col=c["time"], event_col=c["event"], marker_col=c["marker"]
    )


@pytest.mark.parametrize("name", sorted(SPLITS))
def test_split_logrank_and_cox_match_r(name: str) -> None:
    c = SPLITS[name]
    r = _fit_split(c).result_
    assert r.cutoff == pytest.approx(c["cut"], abs=1e-12)
    assert (r.n_high, r.n_low) == (c["n_high"], c["n_low"])
    assert r.n_high + r.n_low == c["n_used"]
    assert r.logrank_chi2 == pytest.approx(c["logrank_chi2"], abs=1e-6)
    assert r.logrank_p == pytest.approx(c["logrank_p"], abs=1e-6)
    assert np.log(r.hazard_ratio) == pytest.approx(c["coef"], abs=1e-6)
    assert r.hr_ci == pytest.approx(tuple(c["hr_ci"]), abs=1e-5)
    assert r.cox_p == pytest.approx(c["cox_p"], abs=1e-6)
    assert r.concordance == pytest.approx(c["concordance"], abs=1e-9)


@pytest.mark.parametrize("name", sorted(SPLITS))
@pytest.mark.parametrize("group", ["km_high", "km_low"])
def test_kaplan_meier_matches_r(name: str, group: str) -> None:
    c = SPLITS[name]
    fitter = _fit_split(c)
    km = getattr(fitter.result_, group).table
    ref = c[group]
    assert km["time"].tolist() == pytest.approx(ref["time"])
    assert km["n_risk"].tolist() == ref["n_risk"]
    assert km["survival"].to_numpy() == pytest.approx(np.array(ref["survival"]), abs=1e-10)
    se = np.array([np.nan if v is None or v == "NA" else v for v in ref["std_err"]], dtype=float)
    np.testing.assert_allclose(km["std_err"].to_numpy(), se, atol=1e-10)
    lo = np.array([np.nan if v is None or v == "NA" else v for v in ref["lower"]], dtype=float)
    np.testing.assert_allclose(km["lower"].to_numpy(), lo, atol=1e-10)
    up = np.array([np.nan if v is None or v == "NA" else v for v in ref["upper"]], dtype=float)
    np.testing.assert_allclose(km["upper"].to_numpy(), up, atol=1e-10)


@pytest.mark.parametrize("name", ["synth_median", "gbm_mir124_median"])
def test_kaplan_meier_loglog_matches_r(name: str) -> None:
    c = SPLITS[name]
    d = _fit_split(c).data_
    hi = d[d["high"]]
    km = kaplan_meier(hi["time"], hi["event"], conf_type="log-log").table
    ref = c["km_high_loglog"]
    lo = np.array([np.nan if v in (None, "NA") else v for v in ref["lower"]], dtype=float)
    up = np.array([np.nan if v in (None, "NA") else v for v in ref["upper"]], dtype=float)
    np.testing.assert_allclose(km["lower"].to_numpy(), lo, atol=1e-10)
    np.testing.assert_allclose(km["upper"].to_numpy(), up, atol=1e-10)


@pytest.mark.parametrize("name", sorted(COXES))
def test_cox_matches_r(name: str) -> None:
    c = COXES[name]
    r = CoxFitter().fit(
        _read(c["file"]), duration_col=c["time"], event_col=c["event"], covariates=_as_list(c["covariates"])
    ).result_
    assert r.n == c["n"]
    assert r.n_events == c["n_events"]
    # R names factor terms like "stageII"; mirscope "stage=II"
    assert [t.replace("=", "") for t in r.summary.index] == _as_list(c["terms"])
    np.testing.assert_allclose(r.summary["coef"].to_numpy(), _as_list(c["coef"]), atol=1e-6, rtol=0)
    np.testing.assert_allclose(r.summary["se"].to_numpy(), _as_list(c["se"]), rtol=1e-5)
    np.testing.assert_allclose(r.summary["p"].to_numpy(), _as_list(c["p"]), atol=1e-6)
    np.testing.assert_allclose(r.summary["hr_lower"].to_numpy(), _as_list(c["hr_lower"]), rtol=1e-5)
    np.testing.assert_allclose(r.summary["hr_upper"].to_numpy(), _as_list(c["hr_upper"]), rtol=1e-5)
    assert r.concordance == pytest.approx(c["concordance"], abs=1e-9)
    assert r.log_likelihood == pytest.approx(c["loglik"][1], abs=1e-6)
    assert r.lr_chi2 == pytest.approx(c["lr_chi2"], abs=1e-6)


@pytest.mark.parametrize("name", sorted(COXES))
def test_ph_test_matches_cox_zph(name: str) -> None:
    c = COXES[name]
    r = CoxFitter().fit(
        _read(c["file"]), duration_col=c["time"], event_col=c["event"], covariates=_as_list(c["covariates"])
    ).result_
    assert list(r.ph_test.index) == [*_as_list(c["covariates"]), "GLOBAL"]
    np.testing.assert_allclose(r.ph_test["test_statistic"].to_numpy(), _as_list(c["zph_chisq"]), atol=1e-6)
    np.testing.assert_allclose(r.ph_test["p"].to_numpy(), _as_list(c["zph_p"]), atol=1e-6)


@pytest.mark.parametrize("name", sorted(MAXSTATS))
def test_maxstat_matches_r(name: str) -> None:
    c = MAXSTATS[name]
    df, _ = clean_survival(_read(c["file"]), c["time"], c["event"], [c["marker"]])
    r = maxstat_cutpoint(df[c["marker"]], df[c["time"]], df[c["event"]])
    assert r.cuts["cut"].tolist() == pytest.approx(c["cuts"])
    np.testing.assert_allclose(r.cuts["statistic"].to_numpy(), c["stats"], atol=1e-8)
    assert r.statistic == pytest.approx(c["statistic"], abs=1e-8)
    assert r.cutpoint == pytest.approx(c["estimate"], abs=1e-12)
    assert r.p_value == pytest.approx(c["p"], abs=1e-8)


def _fit_roc(c: dict, n_boot: int = 0) -> ROCFitter:
    return ROCFitter(n_boot=n_boot).fit(
        _read(c["file"]), marker_col=c["marker"], label_col=c["label"],
        positive=c["positive"], negative=c["negative"],
    )


@pytest.mark.parametrize("name", sorted(ROCS))
def test_roc_matches_proc(name: str) -> None:
    c = ROCS[name]
    r = _fit_roc(c).result_
    assert r.direction == c["direction"]
    assert (r.n_pos, r.n_neg) == (c["n_pos"], c["n_neg"])
    assert r.auc == pytest.approx(c["auc"], abs=1e-4)
    assert r.auc_ci == pytest.approx(tuple(c["auc_ci"]), abs=1e-4)
    assert r.auc_se**2 == pytest.approx(c["auc_var"], rel=1e-8)
    thr = _as_list(c["best_threshold"])
    assert r.cutoff == pytest.approx(thr[0], abs=1e-10)
    assert r.sensitivity == pytest.approx(_as_list(c["best_sensitivity"])[0], abs=1e-12)
    assert r.specificity == pytest.approx(_as_list(c["best_specificity"])[0], abs=1e-12)
    assert [r.cutoff, *r.youden_ties] == pytest.approx(thr, abs=1e-10)
    assert r.sensitivity_ci == pytest.approx(tuple(c["sens_ci"]), abs=1e-8)
    assert r.specificity_ci == pytest.approx(tuple(c["spec_ci"]), abs=1e-8)


@pytest.mark.parametrize("name", sorted(n for n, c in ROCS.items() if c.get("boot_ci")))
def test_roc_bootstrap_ci_close_to_proc(name: str) -> None:
    """Different random streams: the percentile bootstrap CI agrees to Monte-Carlo error."""
    c = ROCS[name]
    r = _fit_roc(c, n_boot=500).result_
    assert r.auc_ci_boot == pytest.approx(tuple(c["boot_ci"]), abs=0.03)
    # pROC::ci.coords(x="best"): proportions on a grid of 1/n, ties broken at random in R
    assert r.sensitivity_ci_boot == pytest.approx(tuple(c["boot_sens_ci"]), abs=0.07)
    assert r.specificity_ci_boot == pytest.approx(tuple(c["boot_spec_ci"]), abs=0.07)


@pytest.mark.parametrize("name", sorted(DELONGS))
def test_delong_paired_test_matches_proc(name: str) -> None:
    c = DELONGS[name]
    r = delong_test(_read(c["file"]), c["marker1"], c["marker2"], label_col=c["label"],
                    positive=c["positive"], negative=c["negative"])
    assert (r.direction1, r.direction2) == (c["direction1"], c["direction2"])
    assert r.auc1 == pytest.approx(c["auc1"], abs=1e-10)
    assert r.auc2 == pytest.approx(c["auc2"], abs=1e-10)
    assert r.test_statistic == pytest.approx(c["z"], abs=1e-6)
    assert r.p_value == pytest.approx(c["p"], abs=1e-6)
