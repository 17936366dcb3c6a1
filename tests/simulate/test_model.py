"""Model generator: structure, calibration, parameters, site counts, errors."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from mirscope.errors import ConvergenceError, InputError
from mirscope.simulate import Model, ModelParameters, build_model
from mirscope.simulate.graph import add_prior_layer, load_prior_edges

MIR = "hsa-miR-124-3p"


def test_structure_of_small_model(bare_model: Model) -> None:
    kinds = {n: s.kind for n, s in bare_model.nodes.items()}
    assert kinds[MIR] == "mirna"
    assert kinds["STAT3"] == kinds["ZEB2"] == kinds["NEAT1"] == "rna"
    assert kinds["JAK/STAT"] == kinds["proliferation"] == "logic"
    assert bare_model.nodes["NEAT1"].binds == [MIR]
    assert not bare_model.nodes["NEAT1"].is_protein
    assert bare_model.nodes["STAT3"].is_protein
    # M, A, MA + (R, C) x 3 binding RNAs + P x 2 proteins + X x 3 logic nodes
    assert bare_model.summary()["species"] == 3 + 6 + 2 + 3


def test_calibration_puts_signalling_nodes_at_half_activity(small_model: Model) -> None:
    base = small_model.baseline_readouts()
    for name, spec in small_model.nodes.items():
        if spec.kind == "logic":
            assert base[name] == pytest.approx(0.5, abs=1e-7)
    # a miRNA target is partly repressed at baseline
    assert 0.05 < base["STAT3"] < 0.95
    assert 0.0 < base[MIR] < 1.0


def test_baseline_is_a_steady_state(small_model: Model) -> None:
    rr = small_model.roadrunner
    small_model._set_state(small_model._baseline)
    rates = np.asarray(rr.getRatesOfChange())
    assert np.max(np.abs(rates)) < 1e-8
    assert np.all(small_model._baseline >= 0)


def test_prior_layer_connects_zeb2_to_cdh1(small_model: Model) -> None:
    assert "CDH1" in small_model.nodes
    inputs = {(e.source, e.sign) for e in small_model.nodes["CDH1"].inputs}
    assert ("ZEB2", -1) in inputs


def test_prior_layer_only_adds_edges_from_present_nodes() -> None:
    g = nx.MultiDiGraph()
    g.add_node("STAT3", type="gene")
    h = add_prior_layer(g)
    assert h.has_edge("STAT3", "JAK/STAT")
    assert "ZEB1" not in h  # no edge starts from STAT3 to ZEB1
    assert all(e.ref for e in load_prior_edges())


def test_global_and_node_parameters_are_used(small_graph: nx.MultiDiGraph) -> None:
    m = build_model(
        graph=small_graph,
        prior=False,
        mirna_b=10.0,
        node_params={"NEAT1": {"ktx": 8.0, "sites": 3}},
    )
    assert m._param_values["b_hsa_miR_124_3p"] == 10.0
    assert m.nodes["NEAT1"].scale == pytest.approx(8.0 / ModelParameters().lncrna_d)
    assert m.nodes["NEAT1"].sites[MIR] == 3
    assert m._param_values["kon_C_NEAT1__hsa_miR_124_3p"] == pytest.approx(3 * m.params.kon)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"gainz": 1.0}, "Unknown model parameter"),
        ({"gain": -1.0}, "non-negative"),
        ({"node_params": {"NOPE": {"tau": 1.0}}}, "not in the network"),
        ({"node_params": {"STAT3": {"speed": 1.0}}}, "Unknown per-node parameter"),
    ],
)
def test_bad_parameters_are_rejected(
    kwargs: dict, match: str, small_graph: nx.MultiDiGraph
) -> None:
    with pytest.raises(InputError, match=match):
        build_model(graph=small_graph, prior=False, **kwargs)


def test_oscillating_network_raises_convergence_error() -> None:
    g = nx.MultiDiGraph()
    for n in "ABC":
        g.add_node(n, type="gene")
    for u, v in ("AB", "BC", "CA"):
        g.add_edge(u, v, key="inhibits", relation="inhibits", sign=-1)
    build_model(graph=g, prior=False)  # default gain 2, Hill n 2: loop gain < 8, stable
    with pytest.raises(ConvergenceError, match="unstable"):
        build_model(graph=g, prior=False, gain=8, hill_n=4)


def test_site_counts_come_from_the_site_engine(small_graph: nx.MultiDiGraph) -> None:
    # two 8mer sites of miR-124 (seed match GTGCCTTA + A) in a made-up sponge
    site = "GTGCCTTAA"
    seq = "C" * 40 + site + "C" * 40 + site + "C" * 40
    m = build_model(graph=small_graph, prior=False, sequences={"NEAT1": seq})
    assert m.nodes["NEAT1"].sites[MIR] == 2


def test_sequence_for_unknown_node_is_rejected(small_graph: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match="not in the network"):
        build_model(graph=small_graph, prior=False, sequences={"XIST": "ACGU"})


def test_breast_model_from_the_review(breast_model: Model) -> None:
    assert breast_model.cancer == "breast cancer"
    for node in (MIR, "STAT3", "ZEB2", "NEAT1", "CDH1", "proliferation"):
        assert node in breast_model.nodes
    assert breast_model.nodes["STAT3"].kind == "rna"
    assert breast_model.nodes["NEAT1"].binds == sorted(breast_model.nodes["NEAT1"].binds)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mrna_d": 0.0}, "must be > 0"),
        ({"tau": float("inf")}, "non-negative number"),
        ({"node_params": {"STAT3": {"d": 0.0}}}, "must be > 0"),
    ],
)
def test_dividing_parameters_must_be_positive(
    kwargs: dict, match: str, small_graph: nx.MultiDiGraph
) -> None:
    with pytest.raises(InputError, match=match):
        build_model(graph=small_graph, prior=False, **kwargs)
