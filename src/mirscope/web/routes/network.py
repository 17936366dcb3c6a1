"""Network endpoints: the evidence network as Cytoscape JSON, GraphML, SIF or a figure.

Mirrors ``mirscope network``. Each response is rendered once per query in a worker
thread and then served from the workbench's cache.

Examples
--------
>>> router.prefix, router.tags
('/api/network', ['network'])
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mirscope.errors import EmptyResultError
from mirscope.report._util import figure_bytes, jsonable
from mirscope.web.dependencies import NameQuery, Workbench, WorkbenchDep, cached_response

__all__ = ["router"]

router = APIRouter(prefix="/api/network", tags=["network"])

SourceFilter = Literal["review", "mirtarbase", "literature", "user"]
NodeType = Literal["mirna", "gene", "lncrna", "circrna", "pathway", "phenotype", "therapy",
                   "cancer", "other"]
Sources = Annotated[list[SourceFilter] | None, Query(
    description="Keep only edges from these evidence sources (repeatable).")]
NodeTypes = Annotated[list[NodeType] | None, Query(
    description="Keep only nodes of these types (repeatable); the miRNA is always kept.")]
MaxNodes = Annotated[int | None, Query(
    ge=2, le=5000, description="Keep at most this many nodes: the best connected ones.")]

#: Most nodes of a miRNA's network in the workbench (ranked; the rest is noted as cut).
WEB_MAX_NODES = 60


def filter_graph(G: Any, *, node_types: list[str] | None, max_nodes: int | None,
                 keep: str | None) -> Any:
    """``G`` restricted to some node types and to the ``max_nodes`` best connected nodes.

    The node ``keep`` (the miRNA in focus) is always kept; ties in degree are broken by name
    so the result does not depend on the graph's order. Nodes left without an edge by the
    filters are dropped (except ``keep``).
    """
    H = G
    if node_types:
        wanted = set(node_types)
        H = H.subgraph([n for n, d in H.nodes(data=True)
                        if d.get("type") in wanted or n == keep]).copy()
    if max_nodes is not None and H.number_of_nodes() > max_nodes:
        ranked = sorted(H.nodes, key=lambda n: (n != keep, -H.degree(n), str(n)))
        H = H.subgraph(ranked[:max_nodes]).copy()
    if node_types or max_nodes is not None:
        H = H.subgraph([n for n in H.nodes if H.degree(n) > 0 or n == keep]).copy()
    return H


def evidence_graph(
    wb: Workbench, mirna: str | None, cancer: str | None, *,
    sources: list[str] | None = None, node_types: list[str] | None = None,
    max_nodes: int | None = None,
) -> Any:
    """The own network of one miRNA (both arms when arm-less; every source), or the whole
    network, in one cancer (or all), filtered."""
    from mirscope import names
    from mirscope.network import build_graph, mirna_network

    c = names.normalize_cancer(cancer).name if cancer else None
    rels = wb.relations()
    if sources:
        rels = [r for r in rels if r.source in set(sources)]
    if mirna:
        G = mirna_network(mirna, relations=rels, cancer=c, max_nodes=max_nodes or WEB_MAX_NODES)
        m = G.graph["mirna"]
        G = filter_graph(G, node_types=node_types, max_nodes=None, keep=m)
    else:
        m = None
        G = build_graph(rels, cancer=c)
        G = filter_graph(G, node_types=node_types, max_nodes=max_nodes, keep=m)
    if G.number_of_nodes() == 0:
        raise EmptyResultError(
            f"No network for mirna={m!r}, cancer={c!r}, sources={sources or 'all'}, "
            f"node types={node_types or 'all'}; try without the cancer or the filters."
        )
    return G


@router.get(
    "",
    responses={200: {"content": {"application/json": {}, "application/xml": {},
                                 "text/plain": {}}}},
)
async def network(
    wb: WorkbenchDep,
    mirna: NameQuery = None,
    cancer: NameQuery = None,
    source: Sources = None,
    node_type: NodeTypes = None,
    max_nodes: MaxNodes = None,
    format: Literal["cyjs", "graphml", "sif"] = "cyjs",
) -> Response:
    """The evidence network (optionally one miRNA's neighbourhood in one cancer).

    ``cyjs``: Cytoscape.js JSON; ``graphml``: GraphML (Cytoscape, Gephi, yEd);
    ``sif``: simple interaction format. Filters: ``source`` (evidence sources of the edges),
    ``node_type`` and ``max_nodes`` (the best connected nodes).
    """
    flt = dict(sources=source, node_types=node_type, max_nodes=max_nodes)

    def render() -> tuple[bytes, str, dict[str, str]]:
        from mirscope import network as net

        G = evidence_graph(wb, mirna, cancer, **flt)
        if format == "cyjs":
            return json.dumps(jsonable(net.to_cytoscape_json(G))).encode(), "application/json", {}
        if format == "graphml":
            with tempfile.TemporaryDirectory(prefix="mirscope-web-") as tmp:
                out = Path(tmp) / "network.graphml"
                net.write_network(G, out, format="graphml")
                text = out.read_bytes()
            return text, "application/xml", {
                "Content-Disposition": 'attachment; filename="mirscope-network.graphml"'}
        return net.to_sif(G).encode(), "text/plain; charset=utf-8", {
            "Content-Disposition": 'attachment; filename="mirscope-network.sif"'}

    key = ("network", mirna, cancer, tuple(source or ()), tuple(node_type or ()), max_nodes,
           format)
    body, media, headers = await cached_response(wb, key, render)
    return Response(body, media_type=media, headers=headers)


@router.get("/figure", responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}})
async def network_figure(
    wb: WorkbenchDep,
    mirna: NameQuery = None,
    cancer: NameQuery = None,
    source: Sources = None,
    node_type: NodeTypes = None,
    max_nodes: MaxNodes = None,
    format: Literal["png", "svg"] = "png",
) -> Response:
    """The network drawn by :func:`mirscope.network.draw_network` (PNG or SVG download)."""
    flt = dict(sources=source, node_types=node_type, max_nodes=max_nodes)

    def render() -> tuple[bytes, str, dict[str, str]]:
        import mirscope.network as net

        fig = net.draw_network(evidence_graph(wb, mirna, cancer, **flt))
        media = "image/png" if format == "png" else "image/svg+xml"
        return figure_bytes(fig, format), media, {
            "Content-Disposition": f'attachment; filename="mirscope-network.{format}"'}

    key = ("network-figure", mirna, cancer, tuple(source or ()), tuple(node_type or ()),
           max_nodes, format)
    body, media, headers = await cached_response(wb, key, render)
    return Response(body, media_type=media, headers=headers)
