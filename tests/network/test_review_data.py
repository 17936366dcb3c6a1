"""The network on the shipped knowledge base: the review's axes and miR-124's targets."""

from __future__ import annotations

import networkx as nx
import pytest

from mirscope.kb import load_mirtarbase
from mirscope.network import (
    build_graph,
    cerna_axes,
    enrich,
    pathway_report,
    read_graphml,
    write_network,
)


@pytest.fixture(scope="module")
def review_graph() -> nx.MultiDiGraph:
    return build_graph()


def test_hcc_axes_of_the_review(review_graph: nx.MultiDiGraph) -> None:
    df = cerna_axes(review_graph, "miR-124", cancer="HCC")
    axis = df[(df["sponge"] == "circHIPK3") & (df["target"] == "AQP3")]
    assert len(axis) == 1
    row = axis.iloc[0]
    assert row["chain"].startswith("circHIPK3 -| miR-124-3p -| AQP3")
    assert 109 in row["refs"]
    assert row["cancers"] == ["hepatocellular carcinoma"]
    assert "DSCAM-AS1" in set(df["sponge"])


def test_review_graph_exports_to_graphml(review_graph: nx.MultiDiGraph, tmp_path) -> None:
    G = build_graph(cancer="HCC", mirna="miR-124")
    path = tmp_path / "hcc.graphml"
    write_network(G, path, format="graphml")
    back = read_graphml(path)
    assert set(back.edges(keys=True)) == set(G.edges(keys=True))
    assert (
        back.edges["circHIPK3", "hsa-miR-124-3p", "sponges"]["refs"]
        == G.edges["circHIPK3", "hsa-miR-124-3p", "sponges"]["refs"]
    )


def test_mir124_targets_enrichment_with_and_without_the_null() -> None:
    targets = sorted(set(load_mirtarbase(mirna="miR-124")["target"]))
    assert len(targets) == 88
    plain = pathway_report(enrich(targets, mirna="miR-124"))
    corrected = pathway_report(enrich(targets, mirna="miR-124", null="empirical", n_null=2000))
    # the hypergeometric test calls PI3K/Akt, NF-kB and JAK/STAT (BH q < 0.05) ...
    hit = plain.groupby("pathway")["significant"].any()
    assert hit["PI3K/Akt"] and hit["NF-kB"] and hit["JAK/STAT"]
    assert not hit["Notch"]
    # ... none of them survives the miRNA-specific empirical null
    assert not corrected["significant_empirical"].any()
