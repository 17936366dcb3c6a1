"""RT-qPCR: ddCt arithmetic, replicates, outliers, Pfaffl, tests vs R (ref_tests.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mirscope.clinical import DdCtFitter, grubbs_outliers, summarise_replicates
from mirscope.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "clinical"
REF = json.loads((DATA / "ref_tests.json").read_text())


@pytest.fixture
def qpcr() -> pd.DataFrame:
    return pd.read_csv(DATA / "qpcr_long.csv")


@pytest.fixture
def paired(qpcr: pd.DataFrame) -> DdCtFitter:
    return DdCtFitter(["U6", "RNU48"]).fit(qpcr)


@pytest.mark.parametrize("target", sorted(REF["targets"]))
def test_paired_tests_match_r(paired: DdCtFitter, target: str) -> None:
    ref = REF["targets"][target]
    row = paired.result_.tests.loc[target]
    assert paired.result_.design == "paired"
    assert row["mean_ddct"] == pytest.approx(ref["mean_ddct"], abs=1e-10)
    assert row["fold_change_of_mean"] == pytest.approx(ref["fold_change_of_mean"], rel=1e-10)
    assert row["statistic"] == pytest.approx(ref["paired_t"], abs=1e-8)
    assert row["p"] == pytest.approx(ref["paired_t_p"], abs=1e-10)
    assert row["rank_statistic"] == pytest.approx(ref["wilcoxon_v"])
    assert row["p_rank"] == pytest.approx(ref["wilcoxon_p"], abs=1e-10)
    assert row["fdr"] == pytest.approx(REF["bh_paired_t"][target], abs=1e-10)
    s = paired.result_.samples
    tum = s[(s["target"] == target) & (s["group"] == "tumour")].sort_values("patient")
    np.testing.assert_allclose(tum["dct"], ref["dct_tumour"], atol=1e-10)
    np.testing.assert_allclose(tum["fold_change"].mean(), ref["fold_change_mean"], rtol=1e-10)


@pytest.mark.parametrize("target", sorted(REF["targets"]))
def test_unpaired_tests_match_r(qpcr: pd.DataFrame, target: str) -> None:
    ref = REF["targets"][target]
    row = DdCtFitter(["U6", "RNU48"], design="unpaired").fit(qpcr).result_.tests.loc[target]
    assert row["statistic"] == pytest.approx(ref["welch_t"], abs=1e-8)
    assert row["p"] == pytest.approx(ref["welch_p"], abs=1e-10)
    assert row["rank_statistic"] == pytest.approx(ref["mw_w"])
    assert row["p_rank"] == pytest.approx(ref["mw_p"], abs=1e-10)


def test_outlier_replicate_flagged(paired: DdCtFitter) -> None:
    w = paired.result_.wells
    flagged = w[w["outlier"]]
    assert len(flagged) == 1
    assert flagged.iloc[0][["sample", "target"]].tolist() == ["P03-T", "miR-124"]


def test_exclude_outliers_changes_mean_and_is_counted(qpcr: pd.DataFrame) -> None:
    r = DdCtFitter(["U6", "RNU48"], exclude_outliers=True).fit(qpcr).result_
    assert r.excluded_ == {"outlier_replicate": 1}
    rep = r.replicates.set_index(["sample", "target"])
    assert rep.loc[("P03-T", "miR-124"), "n"] == 2


def test_grubbs_rule(qpcr: pd.DataFrame) -> None:
    assert grubbs_outliers([1.0, 1.0]).tolist() == [False, False]
    assert grubbs_outliers([20.0, 20.1, 19.9, 20.05, 20.02]).tolist() == [False] * 5
    wells, summ, _ = summarise_replicates(qpcr, outlier_rule="grubbs")
    flagged = wells[wells["outlier"]]
    assert ("P03-T", "miR-124") in set(zip(flagged["sample"], flagged["target"], strict=True))
    assert summ["n_outliers"].sum() == len(flagged)


def test_pfaffl_with_efficiency_two_equals_livak(qpcr: pd.DataFrame, paired: DdCtFitter) -> None:
    r = DdCtFitter(["U6", "RNU48"], efficiency={"miR-124": 2.0, "U6": 2.0}).fit(qpcr).result_
    assert r.method == "Pfaffl"
    # Livak uses the rounded dCt (1e-10 cycles), Pfaffl the raw Cts
    np.testing.assert_allclose(r.samples["fold_change"], paired.result_.samples["fold_change"], rtol=1e-8)


def test_pfaffl_single_reference_formula() -> None:
    df = pd.DataFrame({
        "sample": ["T", "T", "N", "N"], "group": ["tumour", "tumour", "normal", "normal"],
        "target": ["U6", "miR-124", "U6", "miR-124"], "ct": [20.0, 30.0, 21.0, 28.0],
    })
    r = DdCtFitter(["U6"], efficiency={"miR-124": 1.9, "U6": 1.95}).fit(df, patient_col=None).result_
    t = r.samples[(r.samples["sample"] == "T")].iloc[0]
    assert t["fold_change"] == pytest.approx(1.9 ** (28.0 - 30.0) / 1.95 ** (21.0 - 20.0))


def test_undetermined_ct_excluded_and_counted(qpcr: pd.DataFrame) -> None:
    df = qpcr.astype({"ct": object})
    df.loc[[0, 1], "ct"] = "Undetermined"
    r = DdCtFitter(["U6", "RNU48"]).fit(df).result_
    assert r.excluded_["undetermined_ct"] == 2


def test_garbage_ct_rejected(qpcr: pd.DataFrame) -> None:
    df = qpcr.astype({"ct": object})
    df.loc[5, "ct"] = "abc"
    with pytest.raises(InputError, match=r"column 'ct' must hold Ct numbers \(or 'Undetermined'\); found 'abc'"):
        DdCtFitter(["U6"]).fit(df)


def test_unknown_reference_rejected(qpcr: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="reference RNA\\(s\\) 'GAPDH' not in column 'target'; targets present: RNU48, U6"):
        DdCtFitter(["GAPDH"]).fit(qpcr)


def test_unknown_group_rejected(qpcr: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="group 'cancer' not in column 'group'"):
        DdCtFitter(["U6"], case="cancer").fit(qpcr)


def test_efficiency_as_percent_rejected() -> None:
    with pytest.raises(InputError, match="give the amplification factor"):
        DdCtFitter(["U6"], efficiency={"U6": 95})


def test_missing_column_rejected(qpcr: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"column\(s\) 'Ct' not in the table"):
        DdCtFitter(["U6"]).fit(qpcr, ct_col="Ct")


def test_unpaired_sample_counted(qpcr: pd.DataFrame) -> None:
    df = qpcr[~((qpcr["patient"] == "P01") & (qpcr["group"] == "normal"))]
    r = DdCtFitter(["U6", "RNU48"], design="paired").fit(df).result_
    assert r.excluded_ == {"unpaired_sample": 3}
    assert r.tests["n_pairs"].tolist() == [11, 11, 11]
