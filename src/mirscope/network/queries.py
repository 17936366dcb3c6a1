"""Queries over the regulatory graph: ceRNA axes, reach, recurrence, signed paths, hubs.

All functions take a graph from :func:`mirscope.network.build_graph` and return a
:class:`pandas.DataFrame` (one row per result). Unknown node names raise
:class:`~mirscope.errors.UnknownNameError` with the closest node names; a query that
finds nothing raises :class:`~mirscope.errors.EmptyResultError` saying what to try.

Sign notation in the ``chain``/``text`` columns: ``-|`` repression (sign -1), ``->``
activation (+1), ``--`` unsigned (0).

Examples
--------
>>> from mirscope.kb import Relation
>>> def rel(i, s, st, r, o, ot, sign, refs):
...     return Relation(id=i, subject=s, subject_type=st, relation=r, object=o, object_type=ot,
...                     sign=sign, cancer="hepatocellular carcinoma", refs=refs)
>>> from mirscope.network.graph import build_graph
>>> G = build_graph([
...     rel("a", "circHIPK3", "circrna", "sponges", "hsa-miR-124-3p", "mirna", -1, (109,)),
...     rel("b", "hsa-miR-124-3p", "mirna", "targets", "AQP3", "gene", -1, (109,)),
... ])
>>> cerna_axes(G, "miR-124").loc[0, "chain"]
'circHIPK3 -| miR-124-3p -| AQP3'
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, Literal

import networkx as nx
import pandas as pd

from mirscope.errors import EmptyResultError, InputError
from mirscope.network.graph import (  # example_graph: used by the doctests
    cancer_subgraph,
    example_graph,  # noqa: F401
    graph_cancers,
    resolve_node,
)

__all__ = [
    "AXIS_COLUMNS",
    "MOLECULAR_TYPES",
    "cerna_axes",
    "hubs",
    "reach",
    "recurrent",
    "recurrent_subgraph",
    "signed_paths",
    "signed_shortest_paths",
]

#: Node types counted as molecules (hubs default).
MOLECULAR_TYPES: tuple[str, ...] = ("mirna", "gene", "lncrna", "circrna")

AXIS_COLUMNS: tuple[str, ...] = (
    "sponge",
    "sponge_type",
    "mirna",
    "target",
    "pathways",
    "phenotypes",
    "net_sign",
    "cancers",
    "refs",
    "chain",
)

_ARROW = {-1: "-|", 0: "--", 1: "->"}


def _label(G: nx.MultiDiGraph, n: str) -> str:
    return str(G.nodes[n].get("label", n))


def _compatible(a: dict[str, Any], b: dict[str, Any]) -> list[str] | None:
    """Cancers two edges share (pan-cancer edges fit any cancer); None when incompatible."""
    ca, cb = set(a.get("cancers", [])), set(b.get("cancers", []))
    if ca and cb:
        common = ca & cb
        if common:
            return sorted(common)
        return None
    if ca and b.get("pan_cancer", False):
        return sorted(ca)
    if cb and a.get("pan_cancer", False):
        return sorted(cb)
    if a.get("pan_cancer", False) and b.get("pan_cancer", False):
        return []
    return None


def _maybe_cancer(G: nx.MultiDiGraph, cancer: str | None) -> nx.MultiDiGraph:
    return cancer_subgraph(G, cancer) if cancer is not None else G


def cerna_axes(
    G: nx.MultiDiGraph,
    mirna: str,
    *,
    cancer: str | None = None,
    pairing: Literal["reference", "cancer"] = "reference",
) -> pd.DataFrame:
    """ceRNA axes through a miRNA: sponge -| miRNA -| target -> pathway -> phenotype.

    An axis joins a ``sponges`` edge into the miRNA with a ``targets`` edge out of it.
    With ``pairing="reference"`` (default) the two edges must share a review reference
    (the axis was reported by one study); with ``pairing="cancer"`` sharing a cancer type
    is enough. Each axis is extended with the target's pathways and the phenotypes of the
    target, its pathways and the sponge (same study / cancer). Sponges without a paired
    target are listed too (``target`` empty), as are axes without pathway or phenotype.

    Parameters
    ----------
    G
        Graph from :func:`~mirscope.network.build_graph`.
    mirna
        The miRNA (``miR-124``, ``hsa-miR-124-3p``...).
    cancer
        Restrict to one cancer (e.g. ``"HCC"``).
    pairing
        How sponge and target edges are paired (see above).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AXIS_COLUMNS`; ``pathways``, ``phenotypes``, ``cancers`` and
        ``refs`` are lists.

    Raises
    ------
    EmptyResultError
        The miRNA has no sponge in this (sub)network.

    Examples
    --------
    >>> cerna_axes(example_graph(), "miR-124", cancer="HCC")[["chain", "refs"]].values.tolist()
    [['circHIPK3 -| miR-124-3p -| AQP3', [109]]]
    """
    if pairing not in ("reference", "cancer"):
        raise InputError(f"pairing={pairing!r} is not valid; use 'reference' or 'cancer'.")
    H = _maybe_cancer(G, cancer)
    m = resolve_node(H, mirna)
    sponge_edges = [(u, d) for u, _, k, d in H.in_edges(m, keys=True, data=True) if k == "sponges"]
    target_edges = [
        (v, d)
        for _, v, k, d in H.out_edges(m, keys=True, data=True)
        if k == "targets" and not d.get("predicted", False)
    ]
    if not sponge_edges:
        where = f" in {H.graph.get('cancer')}" if H.graph.get("cancer") else ""
        raise EmptyResultError(
            f"no lncRNA/circRNA sponge of {_label(H, m)}{where} in the knowledge base "
            f"(this network has evidence in: {', '.join(graph_cancers(G)) or 'no cancer'}); "
            f"add sponge evidence with `mirscope literature mine --mirna {_label(H, m)}`."
        )

    def paired(a: dict[str, Any], b: dict[str, Any]) -> tuple[list[str], set[int]] | None:
        """Cancers and references of an axis made of edges a and b (None: not an axis)."""
        common = _compatible(a, b)
        if common is None:
            return None
        if pairing == "cancer":
            return common, _refs_in(a, common) | _refs_in(b, common)
        if not common:  # both pan-cancer
            shared = set(a["refs"]) & set(b["refs"])
            return ([], shared) if shared else None
        cancers, refs = [], set()
        for c in common:
            shared = _refs_in(a, [c]) & _refs_in(b, [c])
            if shared:
                cancers.append(c)
                refs |= shared
        return (cancers, refs) if cancers else None

    rows: list[dict[str, Any]] = []
    for s, sd in sorted(sponge_edges, key=lambda x: x[0]):
        partners = []
        for t, td in sorted(target_edges, key=lambda x: x[0]):
            pair = paired(sd, td)
            if pair is not None:
                partners.append((t, td, *pair))
        if not partners:
            refs = _refs_in(sd, sd["cancers"])
            phenos = _sponge_phenotypes(H, s, sd["cancers"], refs, pairing)
            rows.append(_axis_row(H, s, m, None, sd, None, sd["cancers"], refs, [], phenos))
            continue
        for t, td, cancers, refs in partners:
            pathways, phenos = _downstream(H, t, cancers)
            phenos = sorted(set(phenos) | set(_sponge_phenotypes(H, s, cancers, refs, pairing)))
            rows.append(_axis_row(H, s, m, t, sd, td, cancers, refs, pathways, phenos))
    df = pd.DataFrame(rows, columns=list(AXIS_COLUMNS))
    df["_has_target"] = df["target"].astype(bool)
    df = df.sort_values(["_has_target", "sponge", "target"], ascending=[False, True, True])
    return df.drop(columns="_has_target").reset_index(drop=True)


def _refs_in(d: dict[str, Any], cancers: Sequence[str]) -> set[int]:
    """References of an edge's records in the given cancers (plus pan-cancer records)."""
    records = d.get("records")
    if not records or not cancers:
        return set(d.get("refs", []))
    return {int(r) for rec in records if rec["cancer"] in (*cancers, None) for r in rec["refs"]}


def _fits(d: dict[str, Any], cancers: Sequence[str]) -> bool:
    """The edge has evidence in one of ``cancers`` (pan-cancer edges fit every cancer)."""
    if d.get("pan_cancer", False) or not cancers:
        return True
    return bool(set(d.get("cancers", [])) & set(cancers))


def _sponge_phenotypes(
    H: nx.MultiDiGraph, s: str, cancers: Sequence[str], refs: set[int], pairing: str
) -> list[str]:
    out = set()
    for _, v, d in H.out_edges(s, data=True):
        if H.nodes[v].get("type") != "phenotype" or not _fits(d, cancers):
            continue
        if pairing == "reference" and not (_refs_in(d, cancers) & refs):
            continue
        out.add(_label(H, v))
    return sorted(out)


def _downstream(H: nx.MultiDiGraph, t: str, cancers: Sequence[str]) -> tuple[list[str], list[str]]:
    pathways: set[str] = set()
    phenos: set[str] = set()
    for _, v, d in H.out_edges(t, data=True):
        if not _fits(d, cancers):
            continue
        vt = H.nodes[v].get("type")
        if vt == "pathway":
            pathways.add(v)
        elif vt == "phenotype":
            phenos.add(_label(H, v))
    for p in list(pathways):
        for _, v, d in H.out_edges(p, data=True):
            if H.nodes[v].get("type") == "phenotype" and _fits(d, cancers):
                phenos.add(_label(H, v))
    return sorted(_label(H, p) for p in pathways), sorted(phenos)


def _axis_row(
    H: nx.MultiDiGraph,
    s: str,
    m: str,
    t: str | None,
    sd: dict[str, Any],
    td: dict[str, Any] | None,
    cancers: Sequence[str],
    refs: set[int],
    pathways: list[str],
    phenos: list[str],
) -> dict[str, Any]:
    chain = f"{_label(H, s)} {_ARROW[sd['sign']]} {_label(H, m)}"
    net = sd["sign"]
    if t is not None and td is not None:
        chain += f" {_ARROW[td['sign']]} {_label(H, t)}"
        net *= td["sign"]
    if pathways:
        chain += " -> " + ", ".join(pathways)
    if phenos:
        chain += " -> " + ", ".join(phenos)
    return {
        "sponge": _label(H, s),
        "sponge_type": H.nodes[s].get("type"),
        "mirna": _label(H, m),
        "target": _label(H, t) if t is not None else "",
        "pathways": pathways,
        "phenotypes": phenos,
        "net_sign": int(net) if t is not None else int(sd["sign"]),
        "cancers": list(cancers),
        "refs": sorted(refs),
        "chain": chain,
    }


def reach(G: nx.MultiDiGraph, mirna: str, *, cancer: str | None) -> pd.DataFrame:
    """Everything downstream of a node (usually a miRNA), in one cancer or pan-cancer.

    Parameters
    ----------
    G
        Graph from :func:`~mirscope.network.build_graph`.
    mirna
        Start node.
    cancer
        Cancer type (e.g. ``"HCC"``), or ``None`` for all cancers.

    Returns
    -------
    pandas.DataFrame
        One row per reachable node: ``node``, ``label``, ``type``, ``distance`` (edges),
        ``net_sign`` (product of edge signs along the shortest paths; 0 when shortest paths
        disagree or contain an unsigned edge), ``via`` (predecessor labels on shortest
        paths), ``refs`` (references of the edges on those paths), ``cancers``.

    Raises
    ------
    EmptyResultError
        Nothing is downstream of the node.

    Examples
    --------
    >>> df = reach(example_graph(), "miR-124", cancer="breast")
    >>> df[["label", "distance", "net_sign"]].values.tolist()
    [['STAT3', 1, -1], ['proliferation', 1, -1], ['JAK/STAT', 2, -1]]
    """
    H = _maybe_cancer(G, cancer)
    m = resolve_node(H, mirna)
    dist = nx.single_source_shortest_path_length(H, m)
    signs: dict[str, set[int]] = {m: {1}}
    via: dict[str, set[str]] = {m: set()}
    refs: dict[str, set[int]] = {m: set()}
    for n in sorted(dist, key=lambda x: dist[x]):
        if n == m:
            continue
        signs[n], via[n], refs[n] = set(), set(), set()
        for u, _, d in H.in_edges(n, data=True):
            if dist.get(u) == dist[n] - 1:
                signs[n] |= {s * d["sign"] for s in signs[u]}
                via[n].add(_label(H, u))
                refs[n] |= refs[u] | set(d.get("refs", []))
    rows = [
        {
            "node": n,
            "label": _label(H, n),
            "type": H.nodes[n].get("type"),
            "distance": dist[n],
            "net_sign": next(iter(signs[n])) if len(signs[n]) == 1 else 0,
            "via": sorted(via[n]),
            "refs": sorted(refs[n]),
            "cancers": H.nodes[n].get("cancers", []),
        }
        for n in dist
        if n != m
    ]
    if not rows:
        raise EmptyResultError(f"nothing is downstream of {_label(H, m)} in this network.")
    return (
        pd.DataFrame(rows)
        .sort_values(["distance", "type", "label"], kind="mergesort")
        .reset_index(drop=True)
    )


def recurrent(G: nx.MultiDiGraph, *, min_cancers: int = 2) -> pd.DataFrame:
    """Regulatory edges observed in at least ``min_cancers`` cancer types.

    Returns
    -------
    pandas.DataFrame
        ``subject``, ``relation``, ``object``, ``sign``, ``n_cancers``, ``cancers``,
        ``evidence_count``, ``refs``, sorted by ``n_cancers`` (descending).

    Raises
    ------
    EmptyResultError
        No edge recurs that often.

    Examples
    --------
    >>> recurrent(example_graph())[["subject", "object", "n_cancers"]].values.tolist()
    [['miR-124-3p', 'proliferation', 2]]
    """
    if min_cancers < 1:
        raise InputError(f"min_cancers={min_cancers} must be >= 1.")
    rows = [
        {
            "subject": _label(G, u),
            "relation": k,
            "object": _label(G, v),
            "sign": d["sign"],
            "n_cancers": len(d["cancers"]),
            "cancers": d["cancers"],
            "evidence_count": d["evidence_count"],
            "refs": d["refs"],
        }
        for u, v, k, d in G.edges(keys=True, data=True)
        if len(d.get("cancers", [])) >= min_cancers
    ]
    if not rows:
        best = max((len(d.get("cancers", [])) for *_, d in G.edges(data=True)), default=0)
        raise EmptyResultError(
            f"no relation is observed in {min_cancers} or more cancers (the most is {best}); "
            "lower min_cancers or build the graph without a cancer filter."
        )
    return (
        pd.DataFrame(rows)
        .sort_values(
            ["n_cancers", "evidence_count", "subject", "object"],
            ascending=[False, False, True, True],
            kind="mergesort",
        )
        .reset_index(drop=True)
    )


def recurrent_subgraph(G: nx.MultiDiGraph, *, min_cancers: int = 2) -> nx.MultiDiGraph:
    """The sub-network of edges observed in at least ``min_cancers`` cancer types (a copy).

    Use it for a readable pan-cancer figure of what the review "repeatedly observed".

    Raises
    ------
    EmptyResultError
        No edge recurs that often (see :func:`recurrent`).

    Examples
    --------
    >>> sorted(recurrent_subgraph(example_graph()).nodes)
    ['hsa-miR-124-3p', 'proliferation']
    """
    recurrent(G, min_cancers=min_cancers)  # validates and raises when empty
    H = nx.MultiDiGraph(**G.graph)
    for u, v, k, d in G.edges(keys=True, data=True):
        if len(d.get("cancers", [])) >= min_cancers:
            for n in (u, v):
                if n not in H:
                    H.add_node(n, **G.nodes[n])
            H.add_edge(u, v, key=k, **d)
    H.graph["min_cancers"] = min_cancers
    return H


def signed_shortest_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    cancer: str | None = None,
    max_paths: int = 50,
) -> pd.DataFrame:
    """All shortest directed paths from ``source`` to ``target`` with the sign of the net effect.

    Parallel edges (e.g. ``targets`` and ``inhibits`` between the same pair) give separate
    paths. The net sign is the product of the edge signs: +1 the source activates the
    target, -1 it represses it, 0 an edge on the path is unsigned.

    Returns
    -------
    pandas.DataFrame
        ``path`` (node labels), ``relations``, ``signs``, ``net_sign``, ``effect``
        (``activation``/``repression``/``unsigned``), ``length``, ``refs``, ``text``.

    Raises
    ------
    EmptyResultError
        No directed path exists (the message says in which direction one exists, if any).

    Examples
    --------
    >>> df = signed_shortest_paths(example_graph(), "NEAT1", "JAK/STAT")
    >>> df.loc[0, "text"], df.loc[0, "effect"]
    ('NEAT1 -| miR-124-3p -| STAT3 -> JAK/STAT', 'activation')
    """
    H = _maybe_cancer(G, cancer)
    s = resolve_node(H, source)
    t = resolve_node(H, target)
    if s == t:
        raise InputError(f"source and target are the same node ({_label(H, s)}).")
    try:
        node_paths = list(itertools.islice(nx.all_shortest_paths(H, s, t), max_paths))
    except nx.NetworkXNoPath:
        raise _no_path(H, s, t) from None
    return _path_rows(H, node_paths, max_paths)


def _no_path(H: nx.MultiDiGraph, s: str, t: str) -> EmptyResultError:
    hint = (
        f" A path exists in the other direction ({_label(H, t)} -> {_label(H, s)})."
        if nx.has_path(H, t, s)
        else ""
    )
    return EmptyResultError(
        f"no directed regulatory path from {_label(H, s)} to {_label(H, t)}.{hint}"
    )


def _path_rows(
    H: nx.MultiDiGraph, node_paths: Sequence[Sequence[str]], max_paths: int
) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for nodes in node_paths:
        choices = [list(H[u][v].items()) for u, v in itertools.pairwise(nodes)]
        for combo in itertools.product(*choices):
            signs = [int(d["sign"]) for _, d in combo]
            net = 1
            for x in signs:
                net *= x
            text = _label(H, nodes[0])
            for (_, d), n in zip(combo, nodes[1:], strict=True):
                text += f" {_ARROW[int(d['sign'])]} {_label(H, n)}"
            rows.append(
                {
                    "path": [_label(H, n) for n in nodes],
                    "relations": [k for k, _ in combo],
                    "signs": signs,
                    "net_sign": net,
                    "effect": {1: "activation", -1: "repression", 0: "unsigned"}[net],
                    "length": len(nodes) - 1,
                    "refs": sorted({r for _, d in combo for r in d["refs"]}),
                    "text": text,
                }
            )
            if len(rows) >= max_paths:
                return pd.DataFrame(rows)
    return pd.DataFrame(rows)


def signed_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_length: int = 4,
    cancer: str | None = None,
    max_paths: int = 200,
) -> pd.DataFrame:
    """All simple directed paths up to ``max_length`` edges, shortest first, with net signs.

    Like :func:`signed_shortest_paths` but also lists the longer routes, e.g. the ceRNA
    route ``NEAT1 -| miR-124 -| STAT3 -> proliferation`` next to a direct
    ``NEAT1 -> proliferation`` edge.

    Raises
    ------
    EmptyResultError
        No directed path of at most ``max_length`` edges exists.

    Examples
    --------
    >>> signed_paths(example_graph(), "circHIPK3", "proliferation")["text"].tolist()
    ['circHIPK3 -| miR-124-3p -| proliferation']
    """
    if max_length < 1:
        raise InputError(f"max_length={max_length} must be >= 1.")
    H = _maybe_cancer(G, cancer)
    s = resolve_node(H, source)
    t = resolve_node(H, target)
    if s == t:
        raise InputError(f"source and target are the same node ({_label(H, s)}).")
    paths = sorted(
        {tuple(p) for p in nx.all_simple_paths(H, s, t, cutoff=max_length)},
        key=lambda p: (len(p), [_label(H, n) for n in p]),
    )
    if not paths:
        if nx.has_path(H, s, t):
            raise EmptyResultError(
                f"every path from {_label(H, s)} to {_label(H, t)} is longer than "
                f"{max_length} edges; raise max_length."
            )
        raise _no_path(H, s, t)
    return _path_rows(H, paths, max_paths)


def hubs(
    G: nx.MultiDiGraph, *, n: int = 10, types: Sequence[str] | None = MOLECULAR_TYPES
) -> pd.DataFrame:
    """The most connected nodes.

    Parameters
    ----------
    G
        Graph from :func:`~mirscope.network.build_graph`.
    n
        Number of hubs.
    types
        Node types considered (default: molecules; ``None`` for all types).

    Returns
    -------
    pandas.DataFrame
        ``node``, ``label``, ``type``, ``degree`` (distinct neighbours), ``in_degree``,
        ``out_degree``, ``evidence`` (records on incident edges), ``n_cancers``; sorted by
        degree then evidence.

    Examples
    --------
    >>> hubs(example_graph(), n=2)["label"].tolist()
    ['miR-124-3p', 'STAT3']
    """
    if n < 1:
        raise InputError(f"n={n} must be >= 1.")
    rows = []
    for node, d in G.nodes(data=True):
        if types is not None and d.get("type") not in types:
            continue
        preds, succs = set(G.predecessors(node)), set(G.successors(node))
        evidence = sum(e["evidence_count"] for *_, e in G.in_edges(node, data=True))
        evidence += sum(e["evidence_count"] for *_, e in G.out_edges(node, data=True))
        rows.append(
            {
                "node": node,
                "label": d.get("label", node),
                "type": d.get("type"),
                "degree": len(preds | succs),
                "in_degree": len(preds),
                "out_degree": len(succs),
                "evidence": evidence,
                "n_cancers": len(d.get("cancers", [])),
            }
        )
    if not rows:
        raise EmptyResultError(f"the network has no node of type {list(types or [])}.")
    return (
        pd.DataFrame(rows)
        .sort_values(
            ["degree", "evidence", "label"], ascending=[False, False, True], kind="mergesort"
        )
        .head(n)
        .reset_index(drop=True)
    )
