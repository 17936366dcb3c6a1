"""`mirscope network` and `mirscope enrich` on the fixture knowledge base."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

import mirscope.kb
from mirscope.cli import app, main
from mirscope.names import normalize_mirna
from mirscope.network import read_graphml

from .conftest import DATA, MIR, make_relations


@pytest.fixture(autouse=True)
def _fixture_kb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mirscope.kb, "load_review_relations", make_relations)
    targets = pd.DataFrame(
        {
            "mirna": [MIR] * 3 + ["hsa-miR-21-5p"] * 2,
            "target": ["TP53", "MYC", "STAT3", "TP53", "EGFR"],
        }
    )

    def load_mirtarbase(path: object = None, *, mirna: str | None = None) -> pd.DataFrame:
        if mirna is None:
            return targets
        return targets[targets["mirna"] == normalize_mirna(mirna).name]

    monkeypatch.setattr(mirscope.kb, "load_mirtarbase", load_mirtarbase)

    def fixture_store(url: str | None = None, *, build: bool = True) -> mirscope.kb.KnowledgeBase:
        kb = mirscope.kb.KnowledgeBase("sqlite://")  # the miRNA networks read the knowledge base
        kb.add_relations(make_relations(), origin="fixture")
        return kb

    monkeypatch.setattr(mirscope.kb, "open_store", fixture_store)


runner = CliRunner()


def test_axes_table_and_json() -> None:
    res = runner.invoke(app, ["network", "axes", "--mirna", "miR-124", "--cancer", "HCC"])
    assert res.exit_code == 0, res.output
    assert "circHIPK3 -| miR-124-3p -| AQP3" in res.output
    res = runner.invoke(app, ["network", "axes", "--cancer", "HCC", "--format", "json"])
    rows = json.loads(res.stdout)
    assert rows[0]["sponge"] == "circHIPK3" and rows[0]["target"] == "AQP3"
    assert rows[0]["refs"] == [109]


def test_paths_hubs_recurrent_reach() -> None:
    res = runner.invoke(app, ["network", "paths", "circHIPK3", "AQP3", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["effect"] == "activation"
    res = runner.invoke(app, ["network", "hubs", "--n", "2", "--format", "json"])
    assert json.loads(res.stdout)[0]["label"] == "miR-124-3p"
    res = runner.invoke(app, ["network", "recurrent", "--format", "json"])
    assert json.loads(res.stdout)[0]["object"] == "proliferation"
    res = runner.invoke(app, ["network", "reach", "--cancer", "breast", "--format", "json"])
    assert {"STAT3", "JAK/STAT"} <= {r["label"] for r in json.loads(res.stdout)}


@pytest.mark.parametrize("fmt", ["graphml", "sif", "cyjs", "gexf"])
def test_export(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"net.{fmt}"
    assert (
        main(
            [
                "network",
                "export",
                "--mirna",
                "miR-124",
                "--cancer",
                "HCC",
                "--format",
                fmt,
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert out.stat().st_size > 0
    if fmt == "graphml":
        G = read_graphml(out)
        assert G.edges["circHIPK3", MIR, "sponges"]["refs"] == [109, 115]
    if fmt == "gexf":
        assert nx.read_gexf(out).number_of_nodes() > 5


def test_style_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "style.json"
    assert main(["network", "style", "-o", str(out)]) == 0
    assert json.loads(out.read_text())[0]["title"] == "mirscope"
    assert main(["network", "show", "--cancer", "HCC"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any(n["data"]["id"] == "circHIPK3" for n in data["elements"]["nodes"])


def test_draw(tmp_path: Path) -> None:
    out = tmp_path / "hcc.png"
    assert main(["network", "draw", "--cancer", "HCC", "-o", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["network", "axes", "--mirna", "miR-12x4"], "Unknown miRNA 'miR-12x4'"),
        (
            ["network", "axes", "--cancer", "glioma"],
            "no relation in 'glioma'; cancers in this network",
        ),
        (["network", "paths", "AQP3", "circHIPK3"], "no directed regulatory path"),
        (["network", "export", "--format", "png", "-o", "x.png"], "format 'png' is not valid"),
        (
            ["network", "draw", "--cancer", "glioma", "-o", "x.png"],
            "no regulatory relation for cancer",
        ),
        (["network", "hubs", "--format", "xml"], "--format 'xml' is not valid"),
    ],
)
def test_network_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_enrich_genes_file_json() -> None:
    res = runner.invoke(
        app,
        [
            "enrich",
            "--genes",
            str(DATA / "genes.txt"),
            "--gmt",
            str(DATA / "small.gmt"),
            "--min-size",
            "1",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["genes"] == ["TP53", "MYC", "STAT3", "EGFR"]
    assert out["table"][0]["gene_set"] == "SET_A"
    assert out["table"][0]["overlap"] == 3


def test_enrich_mirna_with_empirical_null() -> None:
    res = runner.invoke(
        app,
        [
            "enrich",
            "--mirna",
            "miR-124",
            "--gmt",
            str(DATA / "small.gmt"),
            "--min-size",
            "1",
            "--null",
            "empirical",
            "--n-null",
            "200",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["null"] == "empirical" and out["n_null"] == 200
    assert sorted(out["genes"]) == ["MYC", "STAT3", "TP53"]
    assert all(0 < r["p_empirical"] <= 1 for r in out["table"])


def test_enrich_with_site_matched_null_weights(tmp_path: Path) -> None:
    w = tmp_path / "w.tsv"
    w.write_text("gene\tweight\nTP53\t2\nMYC\t1\nSTAT3\t1\nEGFR\t1\nKRAS\t1\nAQP3\t1\n")
    args = ["enrich", "--genes", str(DATA / "genes.txt"), "--gmt", str(DATA / "small.gmt")]
    args += ["--min-size", "1", "--null", "empirical", "--null-weights", str(w)]
    res = runner.invoke(app, [*args, "--n-null", "300", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["null"] == "empirical"
    assert all(r["p_empirical"] is not None for r in out["table"])
    bad = tmp_path / "bad.tsv"
    bad.write_text("gene\tweight\nTP53\tmany\n")
    assert main([*args[:3], "--null", "empirical", "--null-weights", str(bad)]) == 2


def test_enrich_table(tmp_path: Path) -> None:
    res = runner.invoke(
        app,
        [
            "enrich",
            "--genes",
            str(DATA / "genes.txt"),
            "--gmt",
            str(DATA / "small.gmt"),
            "--min-size",
            "1",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "SET_A" in res.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["enrich", "--gmt", "x.gmt"], "exactly one of --genes FILE or --mirna NAME"),
        (["enrich", "--mirna", "miR-124", "--null", "perm"], "--null 'perm' is not valid"),
        (["enrich", "--mirna", "miR-124", "--format", "xml"], "--format 'xml' is not valid"),
        (["enrich", "--genes", "missing.txt"], "gene list 'missing.txt' does not exist"),
        (
            ["enrich", "--mirna", "miR-124", "--gmt", str(DATA / "malformed.gmt")],
            "malformed.gmt, line 3",
        ),
        (
            ["enrich", "--mirna", "miR-124", "--collection", "kegg"],
            "Unknown gene-set collection 'kegg'",
        ),
        (["enrich", "--mirna", "miR-1307"], "has no strong-evidence miRTarBase target"),
    ],
)
def test_enrich_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err
