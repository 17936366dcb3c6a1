"""Exports for Cytoscape/Gephi, checked by reading them back."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from mirscope.errors import FileFormatError, InputError
from mirscope.network import (
    cytoscape_style,
    from_cytoscape_json,
    read_graphml,
    read_sif,
    to_cytoscape_json,
    write_cytoscape_style,
    write_network,
)

from .conftest import MIR


def _edge_set(G: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(str(u), str(v), str(k)) for u, v, k in G.edges(keys=True)}


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def test_graphml_loads_in_networkx_with_all_attributes(
    graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    path = tmp_path / "net.graphml"
    write_network(graph, path, format="graphml")
    raw = nx.read_graphml(path, force_multigraph=True)
    assert _edge_set(raw) == _edge_set(graph)
    assert set(raw.nodes) == set(graph.nodes)
    node_attrs = {k for _, d in graph.nodes(data=True) for k in d}
    edge_attrs = {k for *_, d in graph.edges(data=True) for k in d}
    assert node_attrs <= {k for _, d in raw.nodes(data=True) for k in d}
    assert edge_attrs <= {k for *_, d in raw.edges(data=True) for k in d}
    # lists are JSON strings in plain GraphML
    assert json.loads(raw.edges["circHIPK3", MIR, "sponges"]["refs"]) == [109, 115]
    assert raw.edges["circHIPK3", MIR, "sponges"]["sign"] == -1


def test_graphml_keys_use_cytoscape_types(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    path = tmp_path / "net.graphml"
    write_network(graph, path, format="graphml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = ET.parse(path).getroot().findall("g:key", ns)
    assert {k.get("attr.name") for k in keys if k.get("for") == "edge"} >= {
        "sign",
        "refs",
        "cancers",
    }
    # the attribute types Cytoscape's GraphML reader understands
    assert {k.get("attr.type") for k in keys} <= {
        "boolean",
        "int",
        "long",
        "float",
        "double",
        "string",
    }


def test_graphml_round_trip_restores_lists(relations: list, tmp_path: Path) -> None:
    from mirscope.network import build_graph

    graph = build_graph(relations, cancer="HCC", mirna="miR-124")
    path = tmp_path / "net.graphml"
    write_network(graph, path, format="graphml")
    back = read_graphml(path)
    for n, d in graph.nodes(data=True):
        assert back.nodes[n] == _clean(d), n
    for u, v, k, d in graph.edges(keys=True, data=True):
        assert back.edges[u, v, k] == _clean(d), (u, v, k)
    assert back.graph == {"cancer": "hepatocellular carcinoma", "mirna": MIR}


def test_cytoscape_json_shape_and_round_trip(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "net.cyjs"
    write_network(graph, path, format="cyjs")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data["elements"]) == {"nodes", "edges"}
    assert len(data["elements"]["nodes"]) == graph.number_of_nodes()
    edge = next(
        e["data"]
        for e in data["elements"]["edges"]
        if e["data"]["key"] == "sponges" and e["data"]["source"] == "circHIPK3"
    )
    assert edge["id"] == f"circHIPK3|sponges|{MIR}"
    assert edge["interaction"] == "sponges"
    assert edge["refs"] == [109, 115]
    node = next(n["data"] for n in data["elements"]["nodes"] if n["data"]["id"] == MIR)
    assert node["type"] == "mirna" and node["label"] == "miR-124-3p"
    # networkx reads it back as is ...
    nxg = nx.cytoscape_graph(data)
    assert _edge_set(nxg) == _edge_set(graph)
    # ... and from_cytoscape_json restores the original attributes
    back = from_cytoscape_json(data)
    for u, v, k, d in graph.edges(keys=True, data=True):
        assert back.edges[u, v, k] == _clean(d)
    for n, d in graph.nodes(data=True):
        assert back.nodes[n] == _clean(d)


def test_to_cytoscape_json_is_json_serialisable(graph: nx.MultiDiGraph) -> None:
    text = json.dumps(to_cytoscape_json(graph))
    assert '"elements"' in text


def test_sif_round_trip(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    graph.add_node("lonely", type="gene", label="lonely")
    path = tmp_path / "net.sif"
    write_network(graph, path, format="sif")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.count("\t") == 2
    back = read_sif(path)
    assert _edge_set(back) == _edge_set(graph)
    assert "lonely" in back


def test_gexf_loads(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "net.gexf"
    write_network(graph, path, format="gexf")
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    attrs = {k for *_, d in back.edges(data=True) for k in d}
    assert {"sign", "refs", "evidence_count"} <= attrs


def test_bad_format_writes_nothing(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "net.xyz"
    with pytest.raises(InputError, match="graphml"):
        write_network(graph, path, format="xyz")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_bad_inputs_to_readers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml><oops", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"bad\.graphml"):
        read_graphml(bad)
    sif = tmp_path / "bad.sif"
    sif.write_text("A\tactivates\tB\nA\tactivates\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="line 2"):
        read_sif(sif)
    with pytest.raises(InputError, match=r"Cytoscape\.js"):
        from_cytoscape_json({"nodes": []})


def test_cytoscape_style_covers_every_type_and_sign(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    selectors = {r["selector"] for r in cytoscape_style()}
    for t in {d["type"] for _, d in graph.nodes(data=True)}:
        assert f"node[type = '{t}']" in selectors
    for sign in (-1, 0, 1):
        assert f"edge[sign = {sign}]" in selectors
    path = tmp_path / "style.json"
    write_cytoscape_style(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc[0]["title"] == "mirscope"
    assert {r["selector"] for r in doc[0]["style"]} == selectors
