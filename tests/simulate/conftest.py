"""Fixtures of the simulation tests: a small constructed network and its model."""

from __future__ import annotations

import networkx as nx
import pytest

from mirscope.simulate import Model, build_model

MIR = "hsa-miR-124-3p"


def _small_graph() -> nx.MultiDiGraph:
    """NEAT1 -| miR-124 -| STAT3 -> JAK/STAT -> proliferation, plus ZEB2 and a silencer."""
    g = nx.MultiDiGraph()
    nodes = [
        ("NEAT1", "lncrna"),
        (MIR, "mirna"),
        ("STAT3", "gene"),
        ("ZEB2", "gene"),
        ("JAK/STAT", "pathway"),
        ("proliferation", "phenotype"),
        ("promoter methylation", "other"),
    ]
    for n, t in nodes:
        g.add_node(n, type=t, label=n)
    edges = [
        ("NEAT1", MIR, "sponges", -1),
        (MIR, "STAT3", "targets", -1),
        (MIR, "ZEB2", "targets", -1),
        ("STAT3", "JAK/STAT", "member_of_pathway", 1),
        ("JAK/STAT", "proliferation", "regulates_pathway", 1),
        ("promoter methylation", MIR, "silences", -1),
    ]
    for u, v, rel, sign in edges:
        g.add_edge(u, v, key=rel, relation=rel, sign=sign, refs=[1], evidence_count=1)
    return g


@pytest.fixture
def small_graph() -> nx.MultiDiGraph:
    """A fresh copy of the small constructed network."""
    return _small_graph()


@pytest.fixture(scope="module")
def small_model() -> Model:
    """The small network plus the prior-knowledge layer (adds CDH1, EMT...)."""
    return build_model(graph=_small_graph(), cancer="test cancer")


@pytest.fixture(scope="module")
def bare_model() -> Model:
    """The small network without the prior-knowledge layer."""
    return build_model(graph=_small_graph(), prior=False)


@pytest.fixture(scope="module")
def breast_model() -> Model:
    """The breast-cancer model from the curated review."""
    return build_model("breast")
