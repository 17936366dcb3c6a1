"""Perturbation semantics, directions, dose handling and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope.errors import InputError, UnknownNameError
from mirscope.simulate import Model, parse_perturbation, simulate_perturbations
from mirscope.simulate.perturb import dose_grid, dose_response, time_course

MIR = "hsa-miR-124-3p"


@pytest.mark.parametrize(
    ("perturbation", "expected"),
    [
        # mimic: miR-124 up, its targets down, downstream pathway/phenotype down
        (
            "hsa-miR-124-3p=overexpress",
            {
                MIR: "up",
                "STAT3": "down",
                "ZEB2": "down",
                "JAK/STAT": "down",
                "proliferation": "down",
                "CDH1": "up",
            },
        ),
        # antagomir, knockdown and knockout: the reverse
        ("hsa-miR-124-3p=inhibit", {MIR: "down", "STAT3": "up", "proliferation": "up"}),
        ("hsa-miR-124-3p=knockdown", {MIR: "down", "STAT3": "up", "CDH1": "down"}),
        ("hsa-miR-124-3p=knockout", {MIR: "down", "STAT3": "up", "ZEB2": "up"}),
        # sponge knockdown releases miR-124 (ceRNA titration)
        ("NEAT1=knockdown", {"NEAT1": "down", MIR: "up", "STAT3": "down"}),
        ("NEAT1=overexpress", {"NEAT1": "up", MIR: "down", "STAT3": "up"}),
        # demethylation removes the silencing input
        ("hsa-miR-124-3p=demethylate", {MIR: "up", "STAT3": "down"}),
        ("promoter methylation=knockdown", {MIR: "up"}),
        # target-level perturbations act downstream only (and free a little miRNA)
        ("STAT3=knockdown", {"STAT3": "down", "JAK/STAT": "down", "ZEB2": "none"}),
        ("STAT3=overexpress", {"STAT3": "up", "proliferation": "up", MIR: "none"}),
        ("STAT3=inhibit", {"STAT3": "down", "proliferation": "down"}),
        ("JAK/STAT=activate", {"JAK/STAT": "up", "proliferation": "up", "STAT3": "none"}),
        ("JAK/STAT=knockout", {"JAK/STAT": "down", "proliferation": "down"}),
    ],
)
def test_directions(small_model: Model, perturbation: str, expected: dict[str, str]) -> None:
    res = simulate_perturbations(small_model, [perturbation])
    got = {node: res.readouts[node]["direction"] for node in expected}
    assert got == expected


def test_every_node_has_a_readout_and_json_shape(small_model: Model) -> None:
    res = simulate_perturbations(small_model, ["miR-124=overexpress"])
    d = json.loads(res.to_json())
    assert d["cancer"] == "test cancer"
    assert d["perturbations"] == [f"{MIR}=overexpress"]
    assert set(d["readouts"]) == set(small_model.nodes)
    for r in d["readouts"].values():
        assert set(r) == {"log2fc", "direction"}
        assert r["direction"] in ("up", "down", "none")
        assert (abs(r["log2fc"]) >= 0.05) == (r["direction"] != "none")


def test_threshold_is_a_parameter(small_graph) -> None:
    from mirscope.simulate import build_model

    strict = build_model(graph=small_graph, prior=False, direction_threshold=50.0)
    res = simulate_perturbations(strict, ["miR-124=overexpress"])
    assert {r["direction"] for r in res.readouts.values()} == {"none"}


def test_combined_perturbations_compose(small_model: Model) -> None:
    alone = simulate_perturbations(small_model, ["NEAT1=overexpress"]).readouts["STAT3"]
    both = simulate_perturbations(
        small_model, ["NEAT1=overexpress", "miR-124=overexpress"]
    ).readouts["STAT3"]
    assert alone["direction"] == "up"
    assert both["log2fc"] < alone["log2fc"]  # the mimic overrides the sponge


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=0.02, max_value=50.0), st.floats(min_value=1.1, max_value=5.0))
def test_mimic_dose_is_monotone(small_model: Model, dose: float, factor: float) -> None:
    low = simulate_perturbations(small_model, ["miR-124=overexpress"], dose=dose)
    high = simulate_perturbations(small_model, ["miR-124=overexpress"], dose=dose * factor)
    assert high.readouts[MIR]["log2fc"] > low.readouts[MIR]["log2fc"]
    assert high.readouts["STAT3"]["log2fc"] < low.readouts["STAT3"]["log2fc"]


def test_dose_response_and_grid_match_single_runs(small_model: Model) -> None:
    df = dose_response(small_model, "miR-124=overexpress", doses=[0.5, 2.0], readouts=["STAT3"])
    single = simulate_perturbations(small_model, ["miR-124=overexpress"], dose=2.0)
    assert df["STAT3"].iloc[1] == pytest.approx(single.readouts["STAT3"]["log2fc"], abs=1e-5)
    grid = dose_grid(
        small_model,
        "miR-124=overexpress",
        "NEAT1=overexpress",
        doses_first=[0.5, 2.0],
        doses_second=[1.0, 3.0],
        readouts=["STAT3"],
    )
    assert len(grid) == 4
    both = simulate_perturbations(
        small_model, ["miR-124=overexpress", "NEAT1=overexpress"], dose=2.0
    )
    row = grid[(grid.dose_first == 2.0) & (grid.dose_second == 3.0)]
    assert row["STAT3"].iloc[0] > both.readouts["STAT3"]["log2fc"]  # more sponge, more STAT3


def test_warm_started_grid_equals_cold_grid(small_model: Model) -> None:
    kw = {"doses_first": [0.1, 1.0, 10.0], "doses_second": [0.2, 5.0], "readouts": None}
    warm = dose_grid(small_model, "miR-124=overexpress", "NEAT1=overexpress", **kw)
    cold = dose_grid(
        small_model, "miR-124=overexpress", "NEAT1=overexpress", warm_start=False, **kw
    )
    assert list(warm["dose_first"]) == list(cold["dose_first"])
    assert list(warm["dose_second"]) == list(cold["dose_second"])
    for col in small_model.nodes:
        assert np.allclose(warm[col], cold[col], atol=1e-6), col


def test_time_course_approaches_the_steady_state(small_model: Model) -> None:
    tc = time_course(small_model, ["miR-124=overexpress"], t_end=2000.0, points=201)
    assert tc["STAT3"].iloc[0] == pytest.approx(0.0, abs=1e-9)
    ss = simulate_perturbations(small_model, ["miR-124=overexpress"]).readouts["STAT3"]
    assert tc["STAT3"].iloc[-1] == pytest.approx(ss["log2fc"], abs=1e-3)
    assert np.all(np.diff(tc["time"]) > 0)


def test_parameters_are_restored_after_a_run(small_model: Model) -> None:
    before = dict(small_model.baseline_readouts())
    simulate_perturbations(small_model, ["miR-124=knockout", "NEAT1=overexpress"])
    res = simulate_perturbations(small_model, ["STAT3=knockdown"])
    assert res.readouts["ZEB2"]["direction"] == "none"
    assert small_model.baseline_readouts() == before


@pytest.mark.parametrize(
    ("perturbations", "error", "match"),
    [
        (["miR-124=overexpresss"], InputError, "Unknown perturbation verb.*overexpress"),
        (["miR-124"], InputError, "NODE=VERB"),
        (["=knockdown"], InputError, "names no node"),
        (["FOOBAR1=knockdown"], UnknownNameError, "Unknown network node 'FOOBAR1'"),
        (["TP63=knockdown"], InputError, "known name but not a node"),
        (["ZEB2=demethylate"], InputError, "no 'silences' input.*hsa-miR-124-3p"),
        (["NEAT1=knockdown", "NEAT1=knockdown"], InputError, "given twice"),
        ([], InputError, "at least one perturbation"),
    ],
)
def test_bad_perturbations(
    small_model: Model, perturbations: list[str], error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        simulate_perturbations(small_model, perturbations)


@pytest.mark.parametrize("dose", [0.0, -1.0, float("nan"), 1e6])
def test_bad_doses(small_model: Model, dose: float) -> None:
    with pytest.raises(InputError, match=r"[Dd]ose"):
        simulate_perturbations(small_model, ["miR-124=overexpress"], dose=dose)


def test_node_absent_from_the_cancer_network(breast_model: Model) -> None:
    # circPVT1 is a lung-cancer sponge in the review, not part of the breast network
    with pytest.raises(InputError, match=r"not a node of the breast cancer network.*Omit --cancer"):
        simulate_perturbations(breast_model, ["circPVT1=knockdown"])


def test_parse_perturbation_normalises_the_verb() -> None:
    assert parse_perturbation("NEAT1 = KnockDown") == ("NEAT1", "knockdown")


def test_breast_acceptance(breast_model: Model) -> None:
    res = simulate_perturbations(breast_model, ["miR-124=overexpress"])
    r = res.readouts
    assert r["STAT3"]["direction"] == "down"
    assert r["ZEB2"]["direction"] == "down"
    assert r["CDH1"]["direction"] == "up"
    assert r["proliferation"]["direction"] == "down"


def test_runs_from_several_threads_agree(small_model: Model) -> None:
    from concurrent.futures import ThreadPoolExecutor

    perts = ["miR-124=overexpress", "NEAT1=knockdown", "STAT3=inhibit", "miR-124=inhibit"] * 3
    serial = [simulate_perturbations(small_model, [p]).readouts["STAT3"]["log2fc"] for p in perts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(
            pool.map(
                lambda p: simulate_perturbations(small_model, [p]).readouts["STAT3"]["log2fc"],
                perts,
            )
        )
    assert threaded == pytest.approx(serial, abs=1e-9)


def test_cached_model_is_built_once() -> None:
    from mirscope.simulate import cached_model

    assert cached_model("breast") is cached_model("breast cancer")
