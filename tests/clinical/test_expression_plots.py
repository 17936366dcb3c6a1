"""TCGA tables, miR-124 combination, differential expression and the figure functions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats

from mirscope.clinical import (
    CoxFitter,
    DifferentialExpressionFitter,
    ROCFitter,
    SurvivalSplitFitter,
    load_tcga,
    mature_rpm,
    paired_samples,
    plot_forest,
    plot_km,
    plot_paired,
    plot_roc,
    plot_volcano,
    save_figure,
)
from mirscope.errors import InputError, UnknownNameError

DATA = Path(__file__).resolve().parents[1] / "data" / "clinical"


@pytest.fixture(scope="module")
def lihc() -> pd.DataFrame:
    return load_tcga("LIHC", "rpm")


@pytest.mark.parametrize(("cohort", "kind", "rows"), [("LIHC", "clinical", 377), ("STAD", "counts", 477),
                                                      ("HNSC", "rpm", 569), ("GBM", "array", 100),
                                                      ("OV", "rpm", 461)])
def test_load_tcga_shapes(cohort: str, kind: str, rows: int) -> None:
    assert len(load_tcga(cohort, kind)) == rows  # type: ignore[arg-type]


def test_load_tcga_bad_names() -> None:
    with pytest.raises(UnknownNameError, match="Unknown TCGA cohort 'LUSCX'"):
        load_tcga("LUSCX")
    with pytest.raises(InputError, match="GBM is shipped as an array table only"):
        load_tcga("GBM", "rpm")


@pytest.mark.parametrize(("mirna", "precursors"), [
    ("miR-124", ["hsa-mir-124-1", "hsa-mir-124-2", "hsa-mir-124-3"]),
    ("let-7a", ["hsa-let-7a-1", "hsa-let-7a-2", "hsa-let-7a-3"]),
    ("miR-21", ["hsa-mir-21"]),
])
def test_mature_level_is_sum_of_precursors_and_rpm_consistent_with_counts(mirna: str, precursors: list[str]) -> None:
    rpm = load_tcga("STAD", "rpm")
    cnt = load_tcga("STAD", "counts")
    m = mature_rpm(rpm, mirna)
    assert m.iloc[:5].tolist() == pytest.approx(rpm[precursors].iloc[:5].sum(axis=1).tolist())
    mirnas = [c for c in cnt.columns if c.startswith("hsa-")]
    from_counts = mature_rpm(cnt, mirna) / cnt[mirnas].sum(axis=1) * 1e6
    np.testing.assert_allclose(from_counts, m, rtol=1e-10, atol=1e-9)


def test_mature_level_needs_precursor_columns() -> None:
    with pytest.raises(InputError, match="hsa-mir-124-1"):
        mature_rpm(pd.DataFrame({"x": [1]}), "miR-124")


def test_legacy_names_still_work_with_a_warning() -> None:
    import mirscope.clinical as clinical

    with pytest.warns(DeprecationWarning, match="mir124_rpm is deprecated"):
        old = clinical.mir124_rpm
    df = pd.DataFrame({"hsa-mir-124-1": [1.0], "hsa-mir-124-2": [0.5], "hsa-mir-124-3": [0.25]})
    assert old(df).tolist() == mature_rpm(df, "miR-124").tolist() == [1.75]
    with pytest.warns(DeprecationWarning, match="add_mir124"):
        res = DifferentialExpressionFitter().fit(load_tcga("LIHC", "rpm"), add_mir124=True).result_
    assert "hsa-miR-124" in res.table.index


def test_paired_samples_align_patients(lihc: pd.DataFrame) -> None:
    t, n = paired_samples(lihc)
    assert list(t.index) == list(n.index)
    assert len(t) == 49


def test_paired_differential_matches_scipy_for_one_mirna(lihc: pd.DataFrame) -> None:
    res = DifferentialExpressionFitter().fit(lihc, mirnas=["miR-124", "miR-21"]).result_
    assert res.excluded_["other_sample_type"] == 2
    t, n = paired_samples(lihc)
    a, b = np.log2(t["hsa-mir-21"] + 1), np.log2(n["hsa-mir-21"] + 1)
    row = res.row("hsa-mir-21")
    assert row["p"] == pytest.approx(stats.ttest_rel(a, b).pvalue, rel=1e-10)
    assert row["logFC"] == pytest.approx(float((a - b).mean()))
    assert "hsa-miR-124-3p" in res.table.index  # combined row of the three precursors
    assert res.row("miR-21").name == "hsa-mir-21"  # one precursor: its own column
    assert res.table["fdr"].min() < 1e-10


def test_unpaired_rank_design(lihc: pd.DataFrame) -> None:
    res = DifferentialExpressionFitter("unpaired", test="rank").fit(lihc).result_
    assert (res.n_tumour, res.n_normal) == (372, 50)
    assert res.test == "Mann-Whitney U"


def test_unknown_mirna_row(lihc: pd.DataFrame) -> None:
    res = DifferentialExpressionFitter().fit(lihc).result_
    with pytest.raises(UnknownNameError, match="Unknown miRNA column 'hsa-mir-99999'"):
        res.row("hsa-mir-99999")


def test_too_few_pairs_refused(lihc: pd.DataFrame) -> None:
    sub = lihc[lihc["sample_type"] == 1]
    with pytest.raises(InputError, match="too few samples for a paired comparison"):
        DifferentialExpressionFitter().fit(sub)


# --- figures ----------------------------------------------------------------------------
def test_all_figures_render_and_save(tmp_path: Path, lihc: pd.DataFrame) -> None:
    gbm = pd.read_csv(DATA / "surv_tcga_gbm.csv")
    split = SurvivalSplitFitter().fit(gbm, duration_col="time", event_col="status", marker_col="mir124").result_
    roc = ROCFitter(n_boot=0).fit(pd.read_csv(DATA / "roc_tcga_stad.csv"), marker_col="mir21",
                                  label_col="tissue", positive="tumour").result_
    cox = CoxFitter().fit(gbm, duration_col="time", event_col="status", covariates=["mir124", "mir21"]).result_
    de = DifferentialExpressionFitter().fit(lihc).result_
    stad = pd.read_csv(DATA / "roc_tcga_stad.csv")
    figs = {
        "km": plot_km(split, title="GBM"),
        "km_dict": plot_km({"a": split.km_high, "b": split.km_low}, p_value=0.5),
        "roc": plot_roc([roc], n_boot=30),
        "forest": plot_forest(cox),
        "volcano": plot_volcano(de),
        "paired": plot_paired(stad, value_col="mir21", group_col="tissue", pair_col="patient", p_value=1e-5),
    }
    for name, fig in figs.items():
        assert isinstance(fig, Figure)
        png, svg = save_figure(fig, tmp_path / name)
        assert png.stat().st_size > 5_000
        assert svg.read_text().lstrip().startswith("<?xml")
    assert not list(tmp_path.glob(".*tmp*"))


def test_km_risk_table_counts(tmp_path: Path) -> None:
    gbm = pd.read_csv(DATA / "surv_tcga_gbm.csv")
    split = SurvivalSplitFitter().fit(gbm, duration_col="time", event_col="status", marker_col="mir124").result_
    fig = plot_km(split, risk_times=[0, 500, 1000])
    texts = [t.get_text() for t in fig.axes[1].texts]
    d = SurvivalSplitFitter().fit(gbm, duration_col="time", event_col="status", marker_col="mir124").data_
    hi = d[d["high"]]["time"]
    assert texts[:3] == [str(int((hi >= t).sum())) for t in (0, 500, 1000)]


def test_plot_errors() -> None:
    with pytest.raises(InputError, match="needs at least one curve"):
        plot_km({})
    with pytest.raises(InputError, match="volcano plot needs column 'logFC'"):
        plot_volcano(pd.DataFrame({"p": [0.1]}))
    with pytest.raises(InputError, match=r"group\(s\) \['tumour'\] not in column"):
        plot_paired(pd.DataFrame({"v": [1.0], "g": ["normal"], "p": ["a"]}), value_col="v", group_col="g", pair_col="p")
