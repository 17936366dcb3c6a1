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
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import Response

from mirscope.errors import EmptyResultError
from mirscope.report._util import figure_bytes, jsonable
from mirscope.web.dependencies import NameQuery, Workbench, WorkbenchDep, cached_response

__all__ = ["router"]

router = APIRouter(prefix="/api/network", tags=["network"])


def evidence_graph(wb: Workbench, mirna: str | None, cancer: str | None) -> Any:
    """The evidence network of one miRNA (or all) in one cancer (or all)."""
    from mirscope import names
    from mirscope.network import build_graph

    m = names.normalize_mirna(mirna).name if mirna else None
    c = names.normalize_cancer(cancer).name if cancer else None
    G = build_graph(wb.relations(), cancer=c, mirna=m)
    if G.number_of_nodes() == 0:
        raise EmptyResultError(
            f"No network for mirna={m!r}, cancer={c!r}; try without the cancer filter."
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
    format: Literal["cyjs", "graphml", "sif"] = "cyjs",
) -> Response:
    """The evidence network (optionally one miRNA's neighbourhood in one cancer).

    ``cyjs``: Cytoscape.js JSON; ``graphml``: GraphML (Cytoscape, Gephi, yEd);
    ``sif``: simple interaction format.
    """

    def render() -> tuple[bytes, str, dict[str, str]]:
        from mirscope import network as net

        G = evidence_graph(wb, mirna, cancer)
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

    body, media, headers = await cached_response(wb, ("network", mirna, cancer, format), render)
    return Response(body, media_type=media, headers=headers)


@router.get("/figure", responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}})
async def network_figure(
    wb: WorkbenchDep,
    mirna: NameQuery = None,
    cancer: NameQuery = None,
    format: Literal["png", "svg"] = "png",
) -> Response:
    """The network drawn by :func:`mirscope.network.draw_network` (PNG or SVG download)."""

    def render() -> tuple[bytes, str, dict[str, str]]:
        from mirscope.network import draw_network

        fig = draw_network(evidence_graph(wb, mirna, cancer))
        media = "image/png" if format == "png" else "image/svg+xml"
        return figure_bytes(fig, format), media, {
            "Content-Disposition": f'attachment; filename="mirscope-network.{format}"'}

    key = ("network-figure", mirna, cancer, format)
    body, media, headers = await cached_response(wb, key, render)
    return Response(body, media_type=media, headers=headers)
