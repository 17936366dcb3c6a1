"""`mirscope simulate` command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import roadrunner

from mirscope.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["simulate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_acceptance_breast_mimic_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "--cancer", "breast", "--perturb", "miR-124=overexpress", "--format", "json"
    )
    assert code == 0
    d = json.loads(out)
    assert d["cancer"] == "breast cancer"
    assert d["perturbations"] == ["hsa-miR-124-3p=overexpress"]
    r = d["readouts"]
    assert r["STAT3"]["direction"] == "down"
    assert r["ZEB2"]["direction"] == "down"
    assert r["CDH1"]["direction"] == "up"
    assert r["proliferation"]["direction"] == "down"


def test_table_and_multiple_perturbations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "-c",
        "breast",
        "-p",
        "NEAT1=knockdown",
        "-p",
        "miR-124=inhibit",
        "--dose",
        "2",
        "--format",
        "tsv",
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split("\t") == ["node", "type", "baseline", "perturbed", "log2fc", "direction"]
    assert any(line.startswith("STAT3\t") for line in lines)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["-c", "breast", "-p", "miR-124=overexpres"], "Unknown perturbation verb"),
        (["-c", "breast", "-p", "NOTAGENE9=knockdown"], "Unknown network node"),
        (["-c", "breast", "-p", "circPVT1=knockdown"], "not a node of the breast cancer network"),
        (["-c", "breast"], "at least one --perturb"),
        (["-c", "breast", "-p", "miR-124=overexpress", "-f", "xml"], "--format"),
        (["-c", "atlantis", "-p", "miR-124=overexpress"], "Unknown cancer"),
    ],
)
def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], args: list[str], match: str) -> None:
    code, out, err = _run(capsys, *args)
    assert code == 2
    assert out == ""
    assert match in err


def test_export_sbml_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "breast.xml"
    code, _, err = _run(capsys, "export-sbml", "--cancer", "breast", "-o", str(path))
    assert code == 0
    assert "species" in err
    rr = roadrunner.RoadRunner(str(path))
    rr.simulate(0, 100, 2)
    assert max(abs(x) for x in rr.getRatesOfChange()) < 1e-8


def test_export_sbml_to_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "export-sbml", "-c", "breast", "-o", str(tmp_path / "x" / "m.xml"))
    assert code == 2
    assert "does not exist" in err


def test_validate_one_cancer(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "validate", "--cancer", "HCC", "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert d["n_total"] == len(d["rows"]) > 10
    assert 0.0 <= d["agreement"] <= 1.0
    assert all(r["cancer"] == "hepatocellular carcinoma" for r in d["rows"])
    assert d["summary"]["untestable"] >= 0 and d["holdout"] is True  # the headline is hold-out
    code, out, _ = _run(capsys, "validate", "--cancer", "HCC")
    assert "Leave-one-edge-out agreement:" in out and "In-sample" in out


def test_sponge_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fig = tmp_path / "sponge.png"
    code, out, _ = _run(capsys, "sponge", "--figure", str(fig), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["sponge"] for r in rows} >= {"NEAT1", "XIST", "MALAT1", "circHIPK3"}
    assert fig.stat().st_size > 1000
    xist = Path(__file__).resolve().parents[1] / "data" / "sites" / "XIST.fa"
    code, out, _ = _run(capsys, "sponge", "XIST", "--fasta", str(xist), "-f", "json")
    assert code == 0
    assert json.loads(out)[0]["sites"] == 2


def test_dose_response_and_time_course(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fig = tmp_path / "dr.png"
    code, out, _ = _run(
        capsys,
        "dose-response",
        "-c",
        "breast",
        "-p",
        "miR-124=overexpress",
        "-r",
        "STAT3",
        "-r",
        "CDH1",
        "--doses",
        "0.1,1,10",
        "--figure",
        str(fig),
        "-f",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    assert [r["dose"] for r in rows] == [0.1, 1.0, 10.0]
    assert rows[0]["STAT3"] > rows[2]["STAT3"]
    assert fig.exists()
    code, out, _ = _run(
        capsys,
        "time-course",
        "-c",
        "breast",
        "-p",
        "miR-124=overexpress",
        "-r",
        "STAT3",
        "--hours",
        "48",
        "-f",
        "json",
    )
    assert code == 0
    assert json.loads(out)[-1]["time"] == 48.0
    code, _, err = _run(
        capsys, "dose-response", "-c", "breast", "-p", "miR-124=overexpress", "--doses", "a,b"
    )
    assert code == 2
    assert "comma-separated" in err


def test_sequences_set_site_counts(capsys: pytest.CaptureFixture[str]) -> None:
    xist = Path(__file__).resolve().parents[1] / "data" / "sites" / "XIST.fa"
    code, out, err = _run(
        capsys, "-c", "bladder", "-p", "XIST=knockdown", "--sequences", str(xist), "-f", "json"
    )
    assert code == 0
    assert "Counting binding sites in 1 sequence(s): XIST" in err
    d = json.loads(out)
    assert d["cancer"] == "bladder cancer"
    assert d["readouts"]["hsa-miR-124-3p"]["direction"] == "up"
    code, _, err = _run(
        capsys, "-c", "breast", "-p", "miR-124=overexpress", "--sequences", str(xist)
    )
    assert code == 2
    assert "names a node" in err


def test_validate_holdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "validate", "-c", "breast", "--holdout", "-f", "json")
    assert code == 0
    d = json.loads(out)
    assert d["holdout"] is True
    assert all(r["perturbation"].split("=")[0] != r["readout"] for r in d["rows"])
    code, out, _ = _run(capsys, "validate", "-c", "breast", "--in-sample", "-f", "json")
    assert json.loads(out)["holdout"] is False
