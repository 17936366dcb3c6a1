"""Simulation for any miRNA (issue 13): the model is the chosen miRNA's own network."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.conftest import ANY_MIRNA_TARGETS

from mirscope.cli import main
from mirscope.kb import open_store
from mirscope.simulate import build_model, simulate_perturbations


@pytest.mark.parametrize(("mirna", "known"), list(ANY_MIRNA_TARGETS.items()))
def test_inhibiting_the_mirna_raises_its_best_known_targets(
    fresh_kb_url: str, mirna: str, known: tuple[str, ...]
) -> None:
    model = build_model(mirna=mirna, kb=open_store(fresh_kb_url), max_nodes=25)
    res = simulate_perturbations(model, [f"{mirna}=inhibit"])
    assert all(p.endswith("=inhibit") for p in res.perturbations)
    table = res.table.set_index("node")
    top = [g for g in known if g in table.index]
    assert top, f"no best-known target of {mirna} in its 25-node model"
    assert all(table.loc[g, "direction"] == "up" for g in top), table.loc[top]


def test_mir21_inhibit_cli_raises_pten_and_pdcd4(
    fresh_kb_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["simulate", "--perturb", "miR-21=inhibit", "--db", fresh_kb_url, "--max-nodes", "30",
         "--format", "json"]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    d = json.loads(out)
    assert set(d["perturbations"]) == {"hsa-miR-21-5p=inhibit", "hsa-miR-21-3p=inhibit"}
    assert d["readouts"]["PTEN"]["direction"] == "up"
    assert d["readouts"]["PDCD4"]["direction"] == "up"
    assert "miR-21's network" in err


@pytest.fixture(scope="module")
def hcc_model(fresh_kb_url: str) -> Any:
    return build_model(mirna="miR-124", kb=open_store(fresh_kb_url), cancer="HCC", max_nodes=30)


@pytest.mark.parametrize("verb", ["overexpress", "inhibit", "knockdown", "knockout", "activate"])
def test_every_verb_on_a_mirna_and_an_ncrna(hcc_model: Any, verb: str) -> None:
    res = simulate_perturbations(hcc_model, [f"miR-124-3p={verb}", f"circHIPK3={verb}"])
    assert len(res.perturbations) == 2
    assert set(res.table["node"]) >= {"hsa-miR-124-3p", "circHIPK3"}


def test_lung_includes_nsclc_lncrna_1308_knockdown_lowers_adam15(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["simulate", "--cancer", "lung", "--perturb", "lncRNA 1308=knockdown", "--format", "json"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    d = json.loads(out)
    assert d["cancer"] == "lung cancer"
    assert d["readouts"]["ADAM15"]["direction"] == "down"
