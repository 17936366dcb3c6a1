"""Network exports that open in Cytoscape (GraphML, SIF, Cytoscape.js JSON) and Gephi (GEXF).

GraphML and GEXF only hold scalar attributes, so list and dict attributes (``refs``,
``cancers``, ``ids``, ``records``, ``clinical``...) are written as **JSON strings**
(``"[109, 115]"``); :func:`read_graphml` decodes them back. Attributes that are ``None``
are left out. The Cytoscape.js JSON keeps lists as JSON arrays; nodes carry ``id``,
``name``, ``label`` and ``type``, edges ``id`` (``source|relation|target``),
``source``, ``target``, ``key``, ``interaction`` (= relation) and the edge attributes,
so Cytoscape's *File > Import > Network from File* and the web UI read it directly.
SIF lines are ``source<TAB>relation<TAB>target`` (isolated nodes on a line of their own).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("A", type="gene", label="A")
>>> G.add_edge("A", "B", key="activates", relation="activates", sign=1, refs=[1, 2])
'activates'
>>> to_sif(G)
'A\\tactivates\\tB\\n'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from mirscope._files import atomic_path
from mirscope.errors import FileFormatError, InputError
from mirscope.schema import NETWORK_FORMATS, NetworkFormat

__all__ = [
    "cytoscape_style",
    "from_cytoscape_json",
    "read_graphml",
    "read_sif",
    "to_cytoscape_json",
    "to_sif",
    "write_cytoscape_style",
    "write_network",
]


def _jsonable(v: Any) -> Any:
    if isinstance(v, tuple | set | frozenset):
        return [_jsonable(x) for x in (sorted(v) if isinstance(v, set | frozenset) else v)]
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if hasattr(v, "item") and callable(v.item):  # numpy scalars
        return v.item()
    return v


def _scalarise(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        if v is None:
            continue
        v = _jsonable(v)
        if isinstance(v, list | dict):
            out[k] = json.dumps(v, ensure_ascii=False, sort_keys=True)
        else:
            out[k] = v
    return out


def _flat_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    H.graph.update(_scalarise(dict(G.graph)))
    for n, d in G.nodes(data=True):
        H.add_node(n, **_scalarise(dict(d)))
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **_scalarise(dict(d)))
    return H


def _decode(v: Any) -> Any:
    if isinstance(v, str) and v[:1] in "[{":
        try:
            return json.loads(v)
        except json.JSONDecodeError:
            return v
    return v


def read_graphml(path: str | Path) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write_network`, decoding JSON-string attributes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph(); G.add_edge("A", "B", key="targets", refs=[3], sign=-1)
    'targets'
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
    >>> write_network(G, p, format="graphml")
    >>> read_graphml(p)["A"]["B"]["targets"]["refs"]
    [3]
    """
    try:
        G = nx.read_graphml(Path(path), force_multigraph=True)
    except (OSError, ValueError, KeyError) as err:  # ElementTree.ParseError is a SyntaxError
        raise FileFormatError(path, f"not a readable GraphML file: {err}") from err
    except SyntaxError as err:
        raise FileFormatError(path, f"not valid XML: {err}") from err
    H = nx.MultiDiGraph()
    H.graph.update(
        {k: _decode(v) for k, v in G.graph.items() if k not in ("node_default", "edge_default")}
    )
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: _decode(v) for k, v in d.items()})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{a: _decode(x) for a, x in d.items()})
    return H


def to_sif(G: nx.MultiDiGraph) -> str:
    """The graph as SIF text: ``source<TAB>relation<TAB>target`` per edge."""
    lines = [f"{u}\t{k}\t{v}" for u, v, k in sorted(G.edges(keys=True))]
    lines += [str(n) for n in sorted(G.nodes) if G.degree(n) == 0]
    return "".join(line + "\n" for line in lines)


def read_sif(path: str | Path) -> nx.MultiDiGraph:
    """Read SIF (tab-separated ``source relation target [target...]``) into a MultiDiGraph.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.sif"
    >>> _ = p.write_text("A\\tinhibits\\tB\\n")
    >>> list(read_sif(p).edges(keys=True))
    [('A', 'B', 'inhibits')]
    """
    G = nx.MultiDiGraph()
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) == 1:
                G.add_node(fields[0])
            elif len(fields) == 2:
                raise FileFormatError(
                    path, "a SIF line needs 'source<TAB>relation<TAB>target'", line=lineno
                )
            else:
                for tgt in fields[2:]:
                    G.add_edge(fields[0], tgt, key=fields[1], relation=fields[1])
    return G


def to_cytoscape_json(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Cytoscape.js JSON: ``{"data": ..., "directed": true, "multigraph": true, "elements": {"nodes": [...], "edges": [...]}}``.

    Readable by :func:`networkx.cytoscape_graph`, Cytoscape desktop and Cytoscape.js.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("A", "B", key="activates", sign=1)
    'activates'
    >>> to_cytoscape_json(G)["elements"]["edges"][0]["data"]["id"]
    'A|activates|B'

    """
    nodes = []
    for n, d in G.nodes(data=True):
        data = {k: _jsonable(v) for k, v in d.items() if v is not None}
        data.update(id=str(n), value=str(n), name=str(n))
        data.setdefault("label", str(n))
        nodes.append({"data": data})
    edges = []
    for u, v, k, d in G.edges(keys=True, data=True):
        data = {a: _jsonable(x) for a, x in d.items() if x is not None}
        data.update(
            id=f"{u}|{k}|{v}",
            source=str(u),
            target=str(v),
            key=k,
            interaction=str(d.get("relation", k)),
        )
        edges.append({"data": data})
    return {
        "data": {k: _jsonable(v) for k, v in G.graph.items() if v is not None},
        "directed": True,
        "multigraph": True,
        "elements": {"nodes": nodes, "edges": edges},
    }


def from_cytoscape_json(data: dict[str, Any]) -> nx.MultiDiGraph:
    """Inverse of :func:`to_cytoscape_json` (helper keys ``id``, ``value``, ``name``, ``interaction`` dropped).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("A", "B", key="activates", sign=1, refs=[4])
    'activates'
    >>> from_cytoscape_json(to_cytoscape_json(G))["A"]["B"]["activates"]
    {'sign': 1, 'refs': [4]}
    """
    try:
        G = nx.cytoscape_graph(data)
    except (KeyError, TypeError, nx.NetworkXError) as err:
        raise InputError(f"not Cytoscape.js JSON with elements.nodes/edges: {err}") from err
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: v for k, v in d.items() if k not in ("id", "value", "name")})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(
            u,
            v,
            key=k,
            **{
                a: x
                for a, x in d.items()
                if a not in ("id", "source", "target", "key", "interaction")
            },
        )
    return H


def _atomic_write(path: Path, writer: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        writer(tmp)


def write_network(G: nx.MultiDiGraph, path: str | Path, *, format: NetworkFormat) -> None:
    """Write the graph to ``path`` atomically (temp file + rename).

    Parameters
    ----------
    G
        The graph.
    path
        Output file.
    format
        ``graphml`` (Cytoscape, yEd, networkx), ``sif`` (Cytoscape), ``cyjs``
        (Cytoscape.js / Cytoscape desktop JSON) or ``gexf`` (Gephi).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph(); G.add_edge("A", "B", key="inhibits", sign=-1)
    'inhibits'
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.sif"
    >>> write_network(G, p, format="sif")
    >>> p.read_text()
    'A\\tinhibits\\tB\\n'
    """
    if format not in NETWORK_FORMATS:
        raise InputError(f"format {format!r} is not valid; use one of {list(NETWORK_FORMATS)}.")
    path = Path(path)
    if format == "graphml":
        flat = _flat_copy(G)
        _atomic_write(path, lambda p: nx.write_graphml(flat, p, named_key_ids=True))
    elif format == "gexf":
        flat = _flat_copy(G)
        for u, v, k, d in flat.edges(keys=True, data=True):
            d.setdefault("label", k)
            d["id"] = f"{u}|{k}|{v}"
        _atomic_write(path, lambda p: nx.write_gexf(flat, p))
    elif format == "sif":
        text = to_sif(G)
        _atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    else:
        text = json.dumps(to_cytoscape_json(G), indent=1, ensure_ascii=False)
        _atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def cytoscape_style() -> list[dict[str, Any]]:
    """Cytoscape.js stylesheet matching the static figures (colour by type, line by sign).

    Nodes are coloured by ``type`` (:data:`mirscope.network.draw.NODE_COLOURS`) and labelled
    with ``label``; activation edges (``sign`` 1) are solid green arrows, repression (-1)
    dashed red bar-headed lines, unsigned (0) dotted grey; width grows with
    ``evidence_count``.

    Examples
    --------
    >>> style = cytoscape_style()
    >>> any(r["selector"] == "node[type = 'mirna']" for r in style)
    True
    """
    from mirscope.network.draw import _EDGE_COLOURS, NODE_COLOURS

    rules: list[dict[str, Any]] = [
        {
            "selector": "node",
            "style": {
                "label": "data(label)",
                "shape": "round-rectangle",
                "text-valign": "center",
                "text-halign": "center",
                "font-size": 10,
                "width": "label",
                "height": 18,
                "padding": "4px",
                "border-width": 1,
                "border-color": "#555555",
            },
        },
        *(
            {"selector": f"node[type = '{t}']", "style": {"background-color": c}}
            for t, c in NODE_COLOURS.items()
        ),
        {
            "selector": "edge",
            "style": {
                "curve-style": "bezier",
                "width": "mapData(evidence_count, 1, 10, 1, 5)",
                "opacity": 0.85,
            },
        },
        {
            "selector": "edge[sign = 1]",
            "style": {
                "line-color": _EDGE_COLOURS[1],
                "line-style": "solid",
                "target-arrow-shape": "triangle",
                "target-arrow-color": _EDGE_COLOURS[1],
            },
        },
        {
            "selector": "edge[sign = -1]",
            "style": {
                "line-color": _EDGE_COLOURS[-1],
                "line-style": "dashed",
                "target-arrow-shape": "tee",
                "target-arrow-color": _EDGE_COLOURS[-1],
            },
        },
        {
            "selector": "edge[sign = 0]",
            "style": {"line-color": _EDGE_COLOURS[0], "line-style": "dotted"},
        },
        {"selector": "edge[?predicted]", "style": {"opacity": 0.4}},
    ]
    return rules


def write_cytoscape_style(path: str | Path) -> None:
    """Write :func:`cytoscape_style` as a style file Cytoscape imports (*File > Import > Styles*).

    The file is the Cytoscape.js style JSON (a list with one style named ``mirscope``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mirscope-style.json"
    >>> write_cytoscape_style(p)
    >>> json.loads(p.read_text())[0]["title"]
    'mirscope'
    """
    doc = [
        {
            "format_version": "1.0",
            "generated_by": "mirscope",
            "target_cytoscapejs_version": "~2.1",
            "title": "mirscope",
            "style": [{"selector": r["selector"], "css": r["style"]} for r in cytoscape_style()],
        }
    ]
    text = json.dumps(doc, indent=1)
    _atomic_write(Path(path), lambda p: p.write_text(text, encoding="utf-8"))
