"""Static figures of the regulatory network in the style of the review's Figs 1-3.

Layered layout, left to right: sponges and other upstream regulators | miRNA(s) |
targets | pathways | phenotypes and therapies. Nodes are labelled boxes coloured by type;
edges are solid arrows for activation, dashed bar-headed lines for repression and dotted
lines for unsigned links. Each layer is spread over the full height and ordered by the
barycentre of its neighbours to limit crossings; the figure is sized to the node count so
labels never overlap.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("circHIPK3", type="circrna", label="circHIPK3")
>>> G.add_node("hsa-miR-124-3p", type="mirna", label="miR-124-3p")
>>> _ = G.add_edge("circHIPK3", "hsa-miR-124-3p", key="sponges", sign=-1, evidence_count=1)
>>> fig = draw_network(G)
>>> fig.axes[0].get_title()
'miR-124-3p network: all cancers'
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from mirscope.errors import EmptyResultError, InputError

__all__ = ["NODE_COLOURS", "draw_network", "layered_layout", "save_figure"]

#: Fill colour per node type.
NODE_COLOURS: dict[str, str] = {
    "mirna": "#f1948a",
    "gene": "#aed6f1",
    "lncrna": "#d2b4de",
    "circrna": "#f8c471",
    "pathway": "#a9dfbf",
    "phenotype": "#f9e79f",
    "therapy": "#d5d8dc",
    "cancer": "#f5b7b1",
    "other": "#ffffff",
}
_EDGE_COLOURS = {1: "#1e8449", -1: "#c0392b", 0: "#7f8c8d"}
_LAYER_TITLES = ["Sponges / regulators", "miRNA", "Targets", "Pathways", "Phenotypes"]
_ROW_IN = 0.34  # vertical space per node (inches)
_LEGEND_COLS = 6
_CHAR_IN = 0.075  # width of one label character at 8 pt (inches)


def _layer(G: nx.MultiDiGraph, n: str) -> int:
    t = G.nodes[n].get("type", "other")
    if t == "mirna":
        return 1
    if t in ("lncrna", "circrna"):
        return 0
    if t == "pathway":
        return 3
    if t == "phenotype":
        return 4
    if t == "therapy":  # outcomes, next to the phenotypes (short edges from the miRNA)
        return 4
    # genes: upstream regulators of a miRNA go left of it, everything else is a target
    to_mirna = any(G.nodes[v].get("type") == "mirna" for v in G.successors(n))
    from_mirna = any(G.nodes[u].get("type") == "mirna" for u in G.predecessors(n))
    return 0 if to_mirna and not from_mirna else 2


def layered_layout(
    G: nx.MultiDiGraph,
) -> tuple[dict[str, tuple[float, float]], dict[str, int], list[str]]:
    """Column and vertical slot of every node of the layered figure.

    Returns
    -------
    positions
        node -> (column index, relative height in (0, 1), 1 = top).
    columns
        node -> column index (empty layers removed).
    titles
        Title of each column (``"Sponges / regulators"``, ``"miRNA"``, ``"Targets"``...).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", type="mirna"); G.add_node("T", type="gene")
    >>> _ = G.add_edge("m", "T", key="targets", sign=-1)
    >>> layered_layout(G)[1]
    {'m': 0, 'T': 1}
    """
    layers = {n: _layer(G, n) for n in G.nodes}
    used = sorted(set(layers.values()))
    colmap = {lay: i for i, lay in enumerate(used)}
    cols: dict[int, list[str]] = defaultdict(list)
    for n in sorted(
        G.nodes, key=lambda x: (G.nodes[x].get("type", ""), str(G.nodes[x].get("label", x)).lower())
    ):
        cols[colmap[layers[n]]].append(n)
    U = nx.Graph(G)

    def rel_pos(col: list[str]) -> dict[str, float]:
        k = len(col)
        return {n: (i + 0.5) / k for i, n in enumerate(col)}

    pos: dict[str, float] = {}
    for c in cols.values():
        pos.update(rel_pos(c))
    order = sorted(cols)
    for sweep in range(6):
        seq = order if sweep % 2 == 0 else order[::-1]
        for c in seq:
            bary = {}
            for n in cols[c]:
                nb = [pos[m] for m in U.neighbors(n) if colmap[layers[m]] != c]
                bary[n] = sum(nb) / len(nb) if nb else pos[n]
            cols[c].sort(key=lambda n, b=bary: (b[n], str(n)))
            pos.update(rel_pos(cols[c]))
    positions = {n: (float(colmap[layers[n]]), 1.0 - pos[n]) for n in G.nodes}
    columns = {n: colmap[layers[n]] for n in G.nodes}
    titles = [_LAYER_TITLES[lay] for lay in used]
    if 4 in colmap:
        kinds = {G.nodes[n].get("type") for n in cols[colmap[4]]}
        titles[colmap[4]] = " / ".join(
            t for t, k in (("Phenotypes", "phenotype"), ("therapies", "therapy")) if k in kinds
        ).capitalize()
    return positions, columns, titles


def draw_network(
    G: nx.MultiDiGraph,
    *,
    ax: Any | None = None,
    title: str | None = None,
    font_size: float = 8.0,
) -> Any:
    """Draw the network as a layered figure and return the matplotlib Figure.

    Parameters
    ----------
    G
        Graph from :func:`~mirscope.network.build_graph` (node ``type``/``label``, edge
        ``sign``/``evidence_count``).
    ax
        Axes to draw into (default: a new figure sized to the node count).
    title
        Figure title (default: the miRNA(s) and the cancer of ``G.graph``).
    font_size
        Label font size in points.

    Raises
    ------
    EmptyResultError
        The graph has no node (nothing would be drawn).

    Examples
    --------
    >>> from mirscope.network.graph import example_graph
    >>> draw_network(example_graph(), title="miR-124").axes[0].get_title()
    'miR-124'
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import ArrowStyle, Patch

    if G.number_of_nodes() == 0:
        raise EmptyResultError(
            "the network is empty; nothing to draw (relax the cancer/miRNA filter)."
        )
    if font_size <= 0:
        raise InputError(f"font_size={font_size} must be positive.")
    positions, columns, titles = layered_layout(G)
    n_cols = len(titles)
    max_rows = max(sum(1 for c in columns.values() if c == k) for k in range(n_cols))
    scale = font_size / 8.0
    col_w = [
        max(len(str(G.nodes[n].get("label", n))) for n in G.nodes if columns[n] == c)
        * _CHAR_IN
        * scale
        + 0.9
        for c in range(n_cols)
    ]
    col_w = [max(w, 1.6) for w in col_w]
    x_of = [sum(col_w[:c]) + col_w[c] / 2 for c in range(n_cols)]
    width = sum(col_w)
    height = max(3.0, max_rows * _ROW_IN * scale)

    n_types = len({d.get("type", "other") for _, d in G.nodes(data=True)})
    legend_w = 1.6 * scale * min(n_types + 3, _LEGEND_COLS)  # the legend must fit too
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(width + 0.4, legend_w + 0.4), height + 1.6))
        fig.subplots_adjust(
            left=0.01, right=0.99, top=1 - 0.75 / (height + 1.6), bottom=0.85 / (height + 1.6)
        )
    else:
        fig = ax.figure
    ax.set_xlim(0, width)
    ax.set_ylim(-0.1, height + 0.1)
    ax.axis("off")

    xy = {n: (x_of[columns[n]], positions[n][1] * height) for n in G.nodes}
    texts = {}
    for n, d in G.nodes(data=True):
        t = d.get("type", "other")
        texts[n] = ax.text(
            *xy[n],
            str(d.get("label", n)),
            ha="center",
            va="center",
            fontsize=font_size,
            zorder=3,
            bbox={
                "boxstyle": "round,pad=0.3",
                "fc": NODE_COLOURS.get(t, "#ffffff"),
                "ec": "#555555",
                "lw": 0.6,
            },
        )
    for c in range(n_cols):
        ax.text(
            x_of[c],
            height + 0.05,
            titles[c],
            ha="center",
            va="bottom",
            fontsize=font_size + 1,
            fontweight="bold",
            color="#333333",
        )

    # box extents in data coordinates, to start and end edges on the box borders
    fig.canvas.draw()
    inv = ax.transData.inverted()
    half: dict[str, tuple[float, float]] = {}
    for n, t in texts.items():
        (x0, y0), (x1, y1) = inv.transform(t.get_bbox_patch().get_window_extent().get_points())
        half[n] = (abs(x1 - x0) / 2, abs(y1 - y0) / 2)

    def border(n: str, towards: str) -> tuple[float, float]:
        (cx, cy), (tx, ty) = xy[n], xy[towards]
        dx, dy = tx - cx, ty - cy
        hw, hh = half[n]
        f = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf, 1.0)
        return cx + f * dx, cy + f * dy

    pairs: dict[tuple[str, str], set[int]] = defaultdict(set)
    weight: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, d in G.edges(data=True):
        s = int(d.get("sign", 0))
        pairs[(u, v)].add(s)
        weight[(u, v)] += int(d.get("evidence_count", 1))
    bar = ArrowStyle("-[", widthB=0.45, lengthB=0.0)
    for (u, v), signs in sorted(pairs.items()):
        span = columns[v] - columns[u]
        # backward / same-column edges bow strongly; edges skipping columns bow a little so
        # they do not run straight through the boxes of the columns in between
        base = 0.35 if span <= 0 else (0.2 if span >= 2 else 0.0)
        for i, s in enumerate(sorted(signs)):
            rad = base + 0.12 * i
            style = {1: "-|>", -1: bar, 0: "-"}[s]
            ls = {1: "-", -1: "--", 0: ":"}[s]
            ax.annotate(
                "",
                xy=border(v, u),
                xytext=border(u, v),
                zorder=2,
                arrowprops={
                    "arrowstyle": style,
                    "color": _EDGE_COLOURS[s],
                    "linestyle": ls,
                    "lw": 0.7 + 0.35 * math.log2(max(weight[(u, v)], 1)),
                    "shrinkA": 0,
                    "shrinkB": 1,
                    "connectionstyle": f"arc3,rad={rad}",
                    "alpha": 0.85,
                    "mutation_scale": 11 * scale,
                },
            )
    if title is None:
        mirnas = [
            G.nodes[n].get("label", n) for n, d in G.nodes(data=True) if d.get("type") == "mirna"
        ]
        main = G.graph.get("mirna")
        who = G.nodes[main].get("label", main) if main in G else ", ".join(mirnas[:3])
        title = f"{who} network: {G.graph.get('cancer') or 'all cancers'}"
        if G.graph.get("min_cancers"):
            title += f" (relations observed in >= {G.graph['min_cancers']} cancer types)"
    ax.set_title(title, fontsize=font_size + 4, pad=18)

    types_present = sorted(
        {d.get("type", "other") for _, d in G.nodes(data=True)},
        key=lambda t: list(NODE_COLOURS).index(t) if t in NODE_COLOURS else 99,
    )
    handles: list[Any] = [
        Patch(fc=NODE_COLOURS.get(t, "#fff"), ec="#555555", label=t) for t in types_present
    ]
    handles += [
        Line2D(
            [],
            [],
            color=_EDGE_COLOURS[1],
            ls="solid",
            marker=">",
            markersize=5,
            label="activation (->)",
        ),
        Line2D(
            [],
            [],
            color=_EDGE_COLOURS[-1],
            ls="--",
            marker="|",
            markersize=7,
            label="repression (-|)",
        ),
        Line2D([], [], color=_EDGE_COLOURS[0], ls=":", label="unsigned"),
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=min(len(handles), _LEGEND_COLS),
        fontsize=font_size,
        frameon=False,
    )
    return fig


def save_figure(fig: Any, path: str | Path, *, dpi: int = 150) -> None:
    """Save a figure to PNG/SVG/PDF atomically (temp file + rename); the format follows the suffix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from mirscope.network.graph import example_graph
    >>> fig = draw_network(example_graph())
    >>> save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "net.svg")
    """
    from mirscope._files import atomic_path

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise InputError(f"figure file {str(path)!r} must end in .png, .svg or .pdf.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, suffix=f".{fmt}") as tmp:
        fig.savefig(tmp, dpi=dpi, format=fmt)
