"""build_graph, cancer/miRNA filters, predicted sites and node-name resolution."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from mirscope.errors import EmptyResultError, InputError, UnknownNameError
from mirscope.network import (
    add_predicted_sites,
    build_graph,
    cancer_subgraph,
    graph_cancers,
    resolve_node,
)

from .conftest import BC, HCC, MIR


def test_nodes_are_typed_and_labelled(graph: nx.MultiDiGraph) -> None:
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.nodes[MIR]["type"] == "mirna"
    assert graph.nodes[MIR]["label"] == "miR-124-3p"
    assert graph.nodes["circHIPK3"]["type"] == "circrna"
    assert graph.nodes["DSCAM-AS1"]["type"] == "lncrna"
    assert graph.nodes["NF-kB"]["type"] == "pathway"
    assert graph.nodes["proliferation"]["type"] == "phenotype"
    assert graph.nodes["chemotherapy"]["type"] == "therapy"
    assert graph.nodes[MIR]["cancers"] == [BC, HCC]


def test_one_edge_per_subject_object_relation(graph: nx.MultiDiGraph) -> None:
    d = graph.edges["circHIPK3", MIR, "sponges"]
    assert d["relation"] == "sponges"
    assert d["sign"] == -1
    assert d["evidence_count"] == 2
    assert d["refs"] == [109, 115]
    assert d["cancers"] == [HCC]
    assert d["ids"] == ["h1", "h4"]
    assert d["pan_cancer"] is False
    assert d["predicted"] is False
    stat3 = graph.edges[MIR, "STAT3", "targets"]
    assert stat3["refs"] == [64, 70]
    assert stat3["evidence_count"] == 2
    assert graph.edges["TRAF6", "NF-kB", "member_of_pathway"]["pan_cancer"] is True


def test_majority_sign_and_conflict_flag(graph: nx.MultiDiGraph) -> None:
    # proliferation: HCC -1, breast -1, +1, -1 -> majority -1, records disagree
    d = graph.edges[MIR, "proliferation", "affects_phenotype"]
    assert d["sign"] == -1
    assert d["conflicting"] is True
    assert d["evidence_count"] == 4


def test_clinical_findings_are_node_attributes_not_edges(graph: nx.MultiDiGraph) -> None:
    assert HCC not in graph
    clinical = graph.nodes[MIR]["clinical"]
    assert [c["relation"] for c in clinical] == ["prognostic"]
    assert clinical[0]["refs"] == [204]


def test_non_cancer_records_excluded_unless_asked(relations: list) -> None:
    assert "ADAM17" not in build_graph(relations)
    assert "ADAM17" in build_graph(relations, include_non_cancer=True)


def test_cancer_filter_keeps_pan_cancer_mechanisms(relations: list) -> None:
    G = build_graph(relations, cancer="HCC")
    assert G.graph["cancer"] == HCC
    assert "STAT3" not in G and "NEAT1" not in G
    assert G.has_edge("TRAF6", "NF-kB")  # pan-cancer membership kept
    assert graph_cancers(G) == [HCC]


def test_general_mirna_statements_stay_pan_cancer(relations: list) -> None:
    assert build_graph(relations).has_edge(MIR, "Notch")
    assert "Notch" not in build_graph(relations, cancer="HCC")
    assert "Notch" not in cancer_subgraph(build_graph(relations), "HCC")


def test_cancer_without_data_is_reported(relations: list) -> None:
    with pytest.raises(
        EmptyResultError, match=r"no regulatory relation for cancer 'glioma'.*breast cancer"
    ):
        build_graph(relations, cancer="glioma")


def test_cancer_with_clinical_findings_only(relations: list) -> None:
    from mirscope.kb.model import Relation

    clin = Relation(
        id="o1",
        subject=MIR,
        subject_type="mirna",
        relation="prognostic",
        object="osteosarcoma",
        object_type="cancer",
        cancer="osteosarcoma",
    )
    with pytest.raises(EmptyResultError, match=r"1 clinical finding\(s\) only") as info:
        build_graph([*relations, clin], cancer="osteosarcoma")
    assert "osteosarcoma" not in str(info.value).split("regulatory data:")[1]


def test_unknown_cancer_has_suggestions(relations: list) -> None:
    with pytest.raises(UnknownNameError, match="breast"):
        build_graph(relations, cancer="breast cancr")


def test_mirna_filter_drops_unconnected_parts(relations: list) -> None:
    G = build_graph(relations, mirna="miR-124")
    assert G.graph["mirna"] == MIR
    assert "hsa-miR-3188" not in G
    assert {"circHIPK3", "NEAT1", "AQP3", "NF-kB", "proliferation"} <= set(G.nodes)


def test_cancer_subgraph_reaggregates_evidence(graph: nx.MultiDiGraph) -> None:
    H = cancer_subgraph(graph, "breast")
    d = H.edges[MIR, "proliferation", "affects_phenotype"]
    assert d["evidence_count"] == 3
    assert d["refs"] == [26, 62, 63]
    assert "AQP3" not in H
    with pytest.raises(EmptyResultError, match="cancers in this network"):
        cancer_subgraph(graph, "glioma")


def test_predicted_sites_are_marked(graph: nx.MultiDiGraph) -> None:
    sites = pd.DataFrame(
        {
            "mirna": [MIR, MIR, MIR],
            "gene": ["VIM", "VIM", "AQP3"],
            "site_type": ["8mer", "6mer", "7mer-m8"],
        }
    )
    add_predicted_sites(graph, sites)
    new = graph.edges[MIR, "VIM", "targets"]
    assert new["predicted"] is True
    assert new["n_sites"] == 2
    assert new["site_types"] == ["6mer", "8mer"]
    curated = graph.edges[MIR, "AQP3", "targets"]
    assert curated["predicted"] is False
    assert curated["n_sites"] == 1


def test_build_graph_with_predicted_sites(relations: list) -> None:
    sites = pd.DataFrame({"mirna": ["miR-124-3p"], "target": ["SP1"]})
    G = build_graph(relations, predicted_sites=sites)
    assert G.edges[MIR, "SP1", "targets"]["predicted"] is True


def test_site_scan_output_becomes_predicted_edges(relations: list) -> None:
    from mirscope.sites.scan import scan

    utr = "AAAAGUGCCUUAAAAAAAAGUGCCUUAAA"
    sites = scan({"AQP3": utr, "VIM": utr[:17]}, "miR-124", energies=False)
    G = build_graph(relations, cancer="HCC", predicted_sites=sites)
    assert G.edges[MIR, "VIM", "targets"]["predicted"] is True
    assert G.edges[MIR, "VIM", "targets"]["n_sites"] == 1
    assert G.edges[MIR, "AQP3", "targets"]["predicted"] is False
    assert G.edges[MIR, "AQP3", "targets"]["n_sites"] == 2
    # predicted edges survive re-filtering a pan-cancer graph by cancer
    H = cancer_subgraph(build_graph(relations, predicted_sites=sites), "HCC")
    assert H.edges[MIR, "VIM", "targets"]["predicted"] is True
    assert H.edges[MIR, "VIM", "targets"]["n_sites"] == 1


def test_predicted_sites_need_mirna_and_gene_columns(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match="needs a miRNA column"):
        add_predicted_sites(graph, pd.DataFrame({"foo": [1], "gene": ["X"]}))


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("miR-124", MIR),
        ("hsa-miR-124-3p", MIR),
        ("miR-124-3p", MIR),
        ("mir-124", MIR),
        ("circhipk3", "circHIPK3"),
        ("STAT3", "STAT3"),
    ],
)
def test_resolve_node(graph: nx.MultiDiGraph, name: str, node: str) -> None:
    assert resolve_node(graph, name) == node


def test_unknown_node_suggests_graph_names(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownNameError, match="STAT3") as info:
        resolve_node(graph, "STAT9")
    assert "STAT3" in info.value.suggestions


def test_mirtarbase_pmids_on_edges() -> None:
    from mirscope.kb.model import Relation

    rels = [
        Relation(
            id=f"m{i}",
            subject=MIR,
            subject_type="mirna",
            relation="targets",
            object="VIM",
            object_type="gene",
            sign=-1,
            source="mirtarbase",
            numbers={"pmid": pmid},
        )
        for i, pmid in enumerate([222, 111, 222])
    ]
    d = build_graph(rels).edges[MIR, "VIM", "targets"]
    assert d["pmids"] == [111, 222]
    assert d["sources"] == ["mirtarbase"]
    assert d["evidence_count"] == 3


def test_empty_relation_list_is_reported() -> None:
    with pytest.raises(EmptyResultError, match="no regulatory relation"):
        build_graph([])
