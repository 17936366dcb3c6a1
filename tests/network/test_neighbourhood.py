"""A miRNA's own network from every source (issue 13), on a fresh default knowledge base."""

from __future__ import annotations

import pytest
from tests.conftest import ANY_MIRNA_TARGETS
from typer.testing import CliRunner

from mirscope.cli import app, main
from mirscope.errors import EmptyResultError, InputError
from mirscope.kb import open_store
from mirscope.network import mirna_network, read_graphml

runner = CliRunner()


@pytest.mark.parametrize(("mirna", "known"), list(ANY_MIRNA_TARGETS.items()))
def test_network_is_the_mirnas_own(fresh_kb_url: str, mirna: str, known: tuple[str, ...]) -> None:
    G = mirna_network(mirna, kb=open_store(fresh_kb_url), max_nodes=40)
    assert G.number_of_nodes() <= 40
    centre = G.graph["mirna"]
    assert centre.removeprefix("hsa-").startswith(mirna)
    assert set(known) <= set(G.successors(centre)) | {
        v for m in G.graph["members"] for v in G.successors(m)
    }
    others = [n for n, d in G.nodes(data=True) if d["type"] == "mirna"]
    assert set(others) <= set(G.graph["members"])  # depth 1: no other miRNA
    assert "kept" in G.graph["cut"]["note"]


def test_depth_2_adds_mirnas_sharing_a_regulator(fresh_kb_url: str) -> None:
    kb = open_store(fresh_kb_url)
    G = mirna_network("miR-124", kb=kb, depth=2, max_nodes=500)
    members = set(G.graph["members"])
    others = {n for n, d in G.nodes(data=True) if d["type"] == "mirna"} - members
    assert others  # e.g. a lncRNA that sponges miR-124 and another miRNA
    for o in others:
        regs = set(G.predecessors(o))
        assert any(regs & set(G.predecessors(m)) for m in members), o


def test_min_evidence_and_cut_note(fresh_kb_url: str) -> None:
    kb = open_store(fresh_kb_url)
    full = mirna_network("miR-21", kb=kb, max_nodes=10_000)
    strong = mirna_network("miR-21", kb=kb, max_nodes=10_000, min_evidence=5)
    assert strong.number_of_nodes() < full.number_of_nodes()
    assert {"PTEN", "PDCD4"} <= set(strong)
    assert strong.graph["cut"]["edges_below_min_evidence"] > 0


def test_lung_includes_nsclc_records(fresh_kb_url: str) -> None:
    G = mirna_network("miR-124", kb=open_store(fresh_kb_url), cancer="lung")
    assert "lncRNA 1308" in G and "ADAM15" in G


def test_no_evidence_and_bad_sizes(fresh_kb_url: str) -> None:
    kb = open_store(fresh_kb_url)
    with pytest.raises(EmptyResultError, match="no evidence for miR-6124 yet"):
        mirna_network("miR-6124", kb=kb)
    with pytest.raises(InputError, match="max_nodes must be >= 2, got 1"):
        mirna_network("miR-21", kb=kb, max_nodes=1)
    with pytest.raises(InputError, match="min_evidence must be >= 1, got 0"):
        mirna_network("miR-21", kb=kb, min_evidence=0)


@pytest.mark.parametrize("mirna", list(ANY_MIRNA_TARGETS))
def test_cli_export_holds_the_neighbourhood(fresh_kb_url: str, tmp_path, mirna: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "n.graphml"
    res = runner.invoke(
        app,
        [
            "network",
            "export",
            "-m",
            mirna,
            "-o",
            str(out),
            "--max-nodes",
            "30",
            "--db",
            fresh_kb_url,
        ],
    )
    assert res.exit_code == 0, res.output
    G = read_graphml(out)
    assert G.number_of_nodes() <= 30
    assert ANY_MIRNA_TARGETS[mirna][0] in G


def test_cli_no_evidence_exit_2(fresh_kb_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["network", "export", "-m", "miR-6124", "-o", "never.graphml", "--db", fresh_kb_url]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "no evidence for miR-6124 yet" in err and "spelling" not in err
