"""`mirscope clinical ...` commands: JSON contracts, formats, errors (exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from mirscope.cli import app, main
from mirscope.clinical import read_table
from mirscope.errors import FileFormatError

DATA = Path(__file__).resolve().parents[1] / "data" / "clinical"
REF_SURV = {c["name"]: c for c in json.loads((DATA / "ref_survival.json").read_text())["split"]}
REF_ROC = {c["name"]: c for c in json.loads((DATA / "ref_roc.json").read_text())["roc"]}
runner = CliRunner()


def _run(args: list[str]) -> tuple[int, str, str]:
    res = runner.invoke(app, args)
    return res.exit_code, res.stdout, res.stderr


def test_survival_json_has_exactly_the_keys_and_r_numbers() -> None:
    ref = REF_SURV["lihc_mir21_median"]
    code, out, err = _run(["clinical", "survival", str(DATA / "surv_tcga_lihc.csv"), "--time", "os_days",
                           "--event", "os_event", "--marker", "mir21", "--split", "median", "--format", "json"])
    assert code == 0, err
    d = json.loads(out)
    assert set(d) == {"n_high", "n_low", "logrank_chi2", "logrank_p", "hazard_ratio", "hr_ci", "concordance"}
    assert d["n_high"] == ref["n_high"] and d["n_low"] == ref["n_low"]
    assert d["logrank_chi2"] == pytest.approx(ref["logrank_chi2"], abs=1e-6)
    assert d["hazard_ratio"] == pytest.approx(ref["hazard_ratio"], rel=1e-6)
    assert d["hr_ci"] == pytest.approx(ref["hr_ci"], rel=1e-5)
    assert d["concordance"] == pytest.approx(ref["concordance"], abs=1e-9)
    assert "missing_time=1, negative_time=1" in err


def test_roc_json_has_exactly_the_keys_and_proc_numbers(tmp_path: Path) -> None:
    ref = REF_ROC["stad_mir124"]
    xlsx = tmp_path / "stad.xlsx"
    pd.read_csv(DATA / "roc_tcga_stad.csv").to_excel(xlsx, index=False)
    code, out, err = _run(["clinical", "roc", str(xlsx), "--marker", "mir124", "--label", "tissue",
                           "--positive", "tumour", "--format", "json"])
    assert code == 0, err
    d = json.loads(out)
    assert set(d) == {"auc", "auc_ci", "cutoff", "sensitivity", "specificity", "n_pos", "n_neg"}
    assert d["auc"] == pytest.approx(ref["auc"], abs=1e-4)
    assert d["auc_ci"] == pytest.approx(ref["auc_ci"], abs=1e-4)
    assert d["cutoff"] == pytest.approx(ref["best_threshold"], abs=1e-10)
    assert (d["n_pos"], d["n_neg"]) == (ref["n_pos"], ref["n_neg"])


def test_roc_numeric_labels_tsv(tmp_path: Path) -> None:
    p = tmp_path / "t.tsv"
    p.write_text("m\ty\n1\t0\n2\t0\n3\t1\n4\t1\n")
    code, out, _ = _run(["clinical", "roc", str(p), "--marker", "m", "--label", "y", "--positive", "1",
                         "--format", "json"])
    assert code == 0
    assert json.loads(out)["auc"] == 1.0


def test_survival_table_format_shows_exclusions_and_flags() -> None:
    code, out, _ = _run(["clinical", "survival", str(DATA / "surv_tcga_lihc.csv"), "--time", "os_days",
                         "--event", "os_event", "--marker", "mir124"])
    assert code == 0
    assert "excluded" in out and "'negative_time': 1" in out
    assert "tied at the cut 0" in out


def test_survival_uncorrected_optimal_warns(tmp_path: Path) -> None:
    with pytest.warns(Warning, match="without correction"):
        code, out, err = _run(["clinical", "survival", str(DATA / "surv_tcga_gbm.csv"), "--time", "time",
                             "--event", "status", "--marker", "mir124", "--split", "optimal",
                               "--uncorrected", "--format", "json"])
    assert code == 0
    assert "UNCORRECTED" in err
    d = json.loads(out)
    assert d["warning"].startswith("UNCORRECTED optimal cut-point")
    assert d["p_corrected"] > d["logrank_p"]


def test_survival_with_plot(tmp_path: Path) -> None:
    code, _, err = _run(["clinical", "survival", str(DATA / "surv_tcga_gbm.csv"), "--time", "time",
                         "--event", "status", "--marker", "mir124", "--plot", str(tmp_path / "km")])
    assert code == 0, err
    assert (tmp_path / "km.png").stat().st_size > 10_000
    assert (tmp_path / "km.svg").exists()


def test_km_by_group_json(tmp_path: Path) -> None:
    code, out, err = _run(["clinical", "km", str(DATA / "surv_synth.csv"), "--time", "time", "--event", "event",
                           "--group", "stage", "--at", "0,300,600", "--format", "json",
                           "--plot", str(tmp_path / "km3")])
    assert code == 0, err
    d = json.loads(out)
    synth = pd.read_csv(DATA / "surv_synth.csv")
    assert d["logrank_df"] == 2
    assert d["groups"]["III"]["n_at_risk"] == [int((synth.loc[synth["stage"] == "III", "time"] >= t).sum())
                                              for t in (0, 300, 600)]
    assert (tmp_path / "km3.png").exists()


def test_cox_json() -> None:
    code, out, err = _run(["clinical", "cox", str(DATA / "surv_lung.csv"), "--time", "time", "--event", "status",
                           "--covariates", "age,sex,ph.ecog", "--format", "json"])
    assert code == 0, err
    d = json.loads(out)
    assert list(d["covariates"]) == ["age", "sex", "ph.ecog"]
    assert d["excluded"] == {"missing_ph.ecog": 1}


def test_cox_univariate_tsv() -> None:
    code, out, _ = _run(["clinical", "cox", str(DATA / "surv_synth.csv"), "--time", "time", "--event", "event",
                         "--covariates", "age,marker", "--univariate", "--format", "tsv"])
    assert code == 0
    assert out.splitlines()[0].startswith("covariate\tcoef")


def test_ddct_json_and_samples_out(tmp_path: Path) -> None:
    out_tsv = tmp_path / "samples.tsv"
    code, out, err = _run(["clinical", "ddct", str(DATA / "qpcr_long.csv"), "--reference", "U6,RNU48",
                           "--samples-out", str(out_tsv), "--format", "json"])
    assert code == 0, err
    d = json.loads(out)
    assert d["design"] == "paired" and d["n_outlier_wells"] == 1
    assert [t["target"] for t in d["targets"]] == ["miR-124", "miR-16", "miR-21"]
    assert len(pd.read_csv(out_tsv, sep="\t")) == 72


def test_ddct_bad_efficiency_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["clinical", "ddct", str(DATA / "qpcr_long.csv"), "--reference", "U6", "--efficiency", "U6:2"])
    assert code == 2
    assert "must look like TARGET=1.95" in capsys.readouterr().err


def test_missing_column_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["clinical", "survival", str(DATA / "surv_synth.csv"), "--time", "days", "--event", "event",
                 "--marker", "marker"])
    assert code == 2
    assert "column(s) 'days' not in the table" in capsys.readouterr().err


def test_bad_format_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["clinical", "roc", str(DATA / "roc_synth.csv"), "--marker", "mir124", "--label", "group",
                 "--positive", "tumour", "--negative", "healthy", "--format", "xml"])
    assert code == 2
    assert "--format 'xml' unknown" in capsys.readouterr().err


def test_roc_compare_and_pairwise() -> None:
    code, out, _ = _run(["clinical", "roc-compare", str(DATA / "roc_asah.csv"), "--marker1", "s100b",
                         "--marker2", "ndka", "--label", "outcome", "--positive", "Poor", "--format", "json"])
    assert code == 0
    assert json.loads(out)["n_pos"] == 41
    code, out, _ = _run(["clinical", "roc-pairwise", str(DATA / "roc_synth.csv"), "--marker", "mir124",
                         "--label", "group", "--pairs", "tumour:healthy,tumour:benign", "--format", "json"])
    assert code == 0
    assert [r["negative"] for r in json.loads(out)] == ["healthy", "benign"]


def test_association_command(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    pd.DataFrame({"g": ["high"] * 20 + ["low"] * 20, "stage": ["I"] * 14 + ["III"] * 6 + ["I"] * 6 + ["III"] * 14}).to_csv(p, index=False)
    code, out, _ = _run(["clinical", "association", str(p), "--group", "g", "--variables", "stage", "--format", "json"])
    assert code == 0
    assert json.loads(out)[0]["test"] == "chi-square (Yates)"


def test_tcga_command_json() -> None:
    code, out, err = _run(["clinical", "tcga", "LIHC", "--format", "json"])
    assert code == 0, err
    d = json.loads(out)
    assert d["design"] == "paired" and d["n_tumour"] == 49
    assert d["mirna"]["name"] == "hsa-miR-124-3p"  # the sum of hsa-mir-124-1/2/3


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("x.json", "{}", "unknown table extension '.json'"),
        ("empty.csv", "", "the file is empty"),
        ("nohead.csv", "a,b\n", "no data rows"),
    ],
)
def test_read_table_errors(tmp_path: Path, name: str, content: str, match: str) -> None:
    p = tmp_path / name
    p.write_text(content)
    with pytest.raises(FileFormatError, match=match):
        read_table(p)


def test_read_table_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="file not found"):
        read_table(tmp_path / "nope.csv")
