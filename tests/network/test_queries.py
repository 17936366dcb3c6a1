"""ceRNA axes, reach, recurrence, signed shortest paths and hubs."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope.errors import EmptyResultError, InputError, UnknownNameError
from mirscope.kb.model import Relation
from mirscope.network import (
    build_graph,
    cerna_axes,
    hubs,
    reach,
    recurrent,
    recurrent_subgraph,
    signed_paths,
    signed_shortest_paths,
)

from .conftest import BC, HCC, MIR


def test_hcc_axes_with_references(graph: nx.MultiDiGraph) -> None:
    df = cerna_axes(graph, "miR-124", cancer="HCC")
    assert df.loc[0, "chain"] == "circHIPK3 -| miR-124-3p -| AQP3 -> proliferation"
    assert df.loc[0, "refs"] == [109]
    assert df.loc[0, "cancers"] == [HCC]
    assert df.loc[0, "net_sign"] == 1
    # a sponge without a reported target is still listed
    dscam = df[df["sponge"] == "DSCAM-AS1"].iloc[0]
    assert dscam["target"] == ""
    assert dscam["refs"] == [117]
    assert set(df["sponge"]) == {"circHIPK3", "DSCAM-AS1"}


def test_pan_cancer_axes_need_a_shared_cancer_and_reference(graph: nx.MultiDiGraph) -> None:
    df = cerna_axes(graph, MIR)
    chains = set(df["chain"])
    assert "NEAT1 -| miR-124-3p -| STAT3 -> JAK/STAT" in chains
    # NEAT1 (breast) never pairs with HCC targets, circHIPK3 (ref 109) not with TRAF6 (ref 191)
    assert not any(c.startswith("NEAT1") and "AQP3" in c for c in chains)
    assert not any("TRAF6" in c for c in chains)
    neat1 = df[df["sponge"] == "NEAT1"].iloc[0]
    assert neat1["refs"] == [70]
    assert neat1["pathways"] == ["JAK/STAT"]


def test_cancer_pairing_joins_all_targets_of_the_cancer(graph: nx.MultiDiGraph) -> None:
    df = cerna_axes(graph, MIR, cancer="HCC", pairing="cancer")
    pairs = set(zip(df["sponge"], df["target"], strict=True))
    assert ("circHIPK3", "TRAF6") in pairs
    traf6 = df[(df["sponge"] == "circHIPK3") & (df["target"] == "TRAF6")].iloc[0]
    assert traf6["pathways"] == ["NF-kB"]
    assert traf6["chain"] == "circHIPK3 -| miR-124-3p -| TRAF6 -> NF-kB -> proliferation"


def test_axes_bad_input(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownNameError, match="miR-124"):
        cerna_axes(graph, "miR-12a4")
    with pytest.raises(InputError, match="pairing"):
        cerna_axes(graph, MIR, pairing="study")  # type: ignore[arg-type]
    with pytest.raises(EmptyResultError, match="no lncRNA/circRNA sponge"):
        cerna_axes(graph, "hsa-miR-3188")


def test_reach_in_one_cancer(graph: nx.MultiDiGraph) -> None:
    df = reach(graph, "miR-124", cancer="breast").set_index("label")
    assert df.loc["STAT3", "distance"] == 1
    assert df.loc["STAT3", "net_sign"] == -1
    assert df.loc["JAK/STAT", "distance"] == 2
    assert df.loc["JAK/STAT", "net_sign"] == -1  # -| then ->
    assert df.loc["JAK/STAT", "via"] == ["STAT3"]
    assert df.loc["JAK/STAT", "refs"] == [64, 70]
    assert "AQP3" not in df.index


def test_reach_net_sign_matches_path_products(graph: nx.MultiDiGraph) -> None:
    df = reach(graph, MIR, cancer=None).set_index("node")
    for node, row in df.iterrows():
        products = {_product(graph, p) for p in nx.all_shortest_paths(graph, MIR, node)}
        expected = next(iter(products)) if len(products) == 1 else 0
        assert row["net_sign"] == expected, node


def _product(G: nx.MultiDiGraph, nodes: list[str]) -> int:
    """Net sign of a node path (must be unique over its parallel edges, else 0)."""
    signs = set()
    for combo in itertools.product(*[list(G[u][v].values()) for u, v in itertools.pairwise(nodes)]):
        s = 1
        for d in combo:
            s *= d["sign"]
        signs.add(s)
    return next(iter(signs)) if len(signs) == 1 else 0


def test_recurrent_edges(graph: nx.MultiDiGraph) -> None:
    df = recurrent(graph, min_cancers=2)
    assert list(zip(df["subject"], df["object"], strict=True)) == [("miR-124-3p", "proliferation")]
    assert df.loc[0, "cancers"] == [BC, HCC]
    with pytest.raises(EmptyResultError, match="the most is 2"):
        recurrent(graph, min_cancers=3)
    with pytest.raises(InputError, match="min_cancers"):
        recurrent(graph, min_cancers=0)


def test_recurrent_subgraph(graph: nx.MultiDiGraph) -> None:
    H = recurrent_subgraph(graph, min_cancers=2)
    assert set(H.edges(keys=True)) == {(MIR, "proliferation", "affects_phenotype")}
    assert H.graph["min_cancers"] == 2
    assert H.nodes[MIR] == graph.nodes[MIR]
    with pytest.raises(EmptyResultError, match="lower min_cancers"):
        recurrent_subgraph(graph, min_cancers=3)


def test_signed_paths_net_effect(graph: nx.MultiDiGraph) -> None:
    df = signed_shortest_paths(graph, "circHIPK3", "AQP3")
    assert df.loc[0, "text"] == "circHIPK3 -| miR-124-3p -| AQP3"
    assert df.loc[0, "net_sign"] == 1
    assert df.loc[0, "effect"] == "activation"
    assert df.loc[0, "refs"] == [109, 115]
    df2 = signed_shortest_paths(graph, "NEAT1", "JAK/STAT")
    assert df2.loc[0, "net_sign"] == 1
    assert df2.loc[0, "length"] == 3


def test_all_signed_paths_include_the_cerna_route(graph: nx.MultiDiGraph) -> None:
    df = signed_paths(graph, "NEAT1", "JAK/STAT", max_length=4)
    assert list(df["text"]) == ["NEAT1 -| miR-124-3p -| STAT3 -> JAK/STAT"]
    df = signed_paths(graph, "circHIPK3", "proliferation", max_length=3)
    assert df.loc[0, "text"] == "circHIPK3 -> proliferation"
    assert "circHIPK3 -| miR-124-3p -| proliferation" in set(df["text"])
    assert list(df["length"]) == sorted(df["length"])
    with pytest.raises(EmptyResultError, match="longer than 2 edges"):
        signed_paths(graph, "NEAT1", "JAK/STAT", max_length=2)
    with pytest.raises(InputError, match="max_length=0"):
        signed_paths(graph, "NEAT1", "JAK/STAT", max_length=0)


def test_signed_paths_errors(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(EmptyResultError, match="other direction"):
        signed_shortest_paths(graph, "AQP3", "circHIPK3")
    with pytest.raises(UnknownNameError, match="AQP3"):
        signed_shortest_paths(graph, "circHIPK3", "AQP33")
    with pytest.raises(InputError, match="same node"):
        signed_shortest_paths(graph, "AQP3", "aqp3")


def test_hubs(graph: nx.MultiDiGraph) -> None:
    df = hubs(graph, n=3)
    assert df.loc[0, "node"] == MIR
    assert df.loc[0, "degree"] == len(set(graph.predecessors(MIR)) | set(graph.successors(MIR)))
    assert set(df["type"]) <= {"mirna", "gene", "lncrna", "circrna"}
    assert len(hubs(graph, n=100, types=None)) == graph.number_of_nodes()
    with pytest.raises(InputError, match="n=0"):
        hubs(graph, n=0)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 6), st.sampled_from([-1, 1])),
        min_size=1,
        max_size=15,
    )
)
def test_signed_paths_agree_with_networkx(edges: list[tuple[int, int, int]]) -> None:
    rels = [
        Relation(
            id=f"r{i}",
            subject=f"G{u}",
            subject_type="gene",
            relation="activates" if s > 0 else "inhibits",
            object=f"G{v}",
            object_type="gene",
            sign=s,
            cancer="breast cancer",
        )
        for i, (u, v, s) in enumerate(edges)
        if u != v
    ]
    if not rels:
        return
    G = build_graph(rels)
    src = rels[0].subject
    for tgt in G.nodes:
        if tgt == src:
            continue
        if not nx.has_path(G, src, tgt):
            with pytest.raises(EmptyResultError):
                signed_shortest_paths(G, src, tgt)
            continue
        df = signed_shortest_paths(G, src, tgt, max_paths=1000)
        assert set(df["length"]) == {nx.shortest_path_length(G, src, tgt)}
        for _, row in df.iterrows():
            prod = 1
            for s in row["signs"]:
                prod *= s
            assert prod == row["net_sign"]
