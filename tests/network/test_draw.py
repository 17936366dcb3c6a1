"""The layered network figure: layers, readable labels, legend, errors."""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import pytest

from mirscope.errors import EmptyResultError, InputError
from mirscope.kb.model import Relation
from mirscope.network import build_graph, draw_network, layered_layout, save_figure

from .conftest import MIR


def test_layers_follow_the_review_layout(graph: nx.MultiDiGraph) -> None:
    _, columns, titles = layered_layout(graph)
    assert titles == [
        "Sponges / regulators",
        "miRNA",
        "Targets",
        "Pathways",
        "Phenotypes / therapies",
    ]
    assert columns["circHIPK3"] == 0 and columns["NEAT1"] == 0
    assert columns[MIR] == 1
    assert columns["AQP3"] == 2
    assert columns["NF-kB"] == 3
    assert columns["proliferation"] == 4
    assert columns["chemotherapy"] == 4


def _node_boxes(fig: plt.Figure, labels: set[str]) -> list:
    fig.canvas.draw()
    ax = fig.axes[0]
    return [t.get_bbox_patch().get_window_extent() for t in ax.texts if t.get_text() in labels]


def _big_graph(n_targets: int) -> nx.MultiDiGraph:
    rels = [
        Relation(
            id="s",
            subject="circHIPK3",
            subject_type="circrna",
            relation="sponges",
            object=MIR,
            object_type="mirna",
            sign=-1,
            cancer="breast cancer",
            refs=(1,),
        )
    ]
    phenos = ["proliferation", "migration", "invasion", "apoptosis", "EMT"]
    for i in range(n_targets):
        rels.append(
            Relation(
                id=f"t{i}",
                subject=MIR,
                subject_type="mirna",
                relation="targets",
                object=f"GENE{i}LONGNAME",
                object_type="gene",
                sign=-1,
                cancer="breast cancer",
                refs=(i,),
            )
        )
        rels.append(
            Relation(
                id=f"p{i}",
                subject=f"GENE{i}LONGNAME",
                subject_type="gene",
                relation="affects_phenotype",
                object=phenos[i % 5],
                object_type="phenotype",
                sign=1,
                cancer="breast cancer",
            )
        )
    return build_graph(rels)


@pytest.mark.parametrize("n_targets", [5, 45])
def test_labels_do_not_overlap(n_targets: int) -> None:
    G = _big_graph(n_targets)
    fig = draw_network(G)
    try:
        labels = {d["label"] for _, d in G.nodes(data=True)}
        boxes = _node_boxes(fig, labels)
        assert len(boxes) == G.number_of_nodes()
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b)
        # every box lies inside the figure
        W, H = fig.canvas.get_width_height()
        for bb in boxes:
            assert bb.x0 >= 0 and bb.y0 >= 0 and bb.x1 <= W and bb.y1 <= H
    finally:
        plt.close(fig)


def test_legend_fits_a_small_figure() -> None:
    fig = draw_network(_big_graph(1))
    try:
        fig.canvas.draw()
        bb = fig.legends[0].get_window_extent()
        W, _ = fig.canvas.get_width_height()
        assert bb.x0 >= 0 and bb.x1 <= W
    finally:
        plt.close(fig)


def test_figure_grows_with_the_node_count() -> None:
    small, big = draw_network(_big_graph(5)), draw_network(_big_graph(45))
    try:
        assert big.get_size_inches()[1] > 2 * small.get_size_inches()[1]
    finally:
        plt.close(small)
        plt.close(big)


def test_legend_title_and_edge_styles(graph: nx.MultiDiGraph) -> None:
    fig = draw_network(graph, title="Test figure")
    try:
        ax = fig.axes[0]
        assert ax.get_title() == "Test figure"
        legend_texts = {t.get_text() for t in fig.legends[0].get_texts()}
        assert {"mirna", "gene", "circrna", "activation (->)", "repression (-|)"} <= legend_texts
        arrows = [t.arrow_patch for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
        assert len(arrows) >= graph.number_of_edges() - 1
        styles = {(a.get_arrowstyle().__class__.__name__, a.get_linestyle()) for a in arrows}
        assert ("CurveFilledB", "-") in styles  # solid arrow for activation
        assert any(
            name == "BracketB" and ls == "--" for name, ls in styles
        )  # dashed bar for repression
    finally:
        plt.close(fig)


def test_draw_into_given_axes(graph: nx.MultiDiGraph) -> None:
    fig, ax = plt.subplots(figsize=(12, 8))
    try:
        assert draw_network(graph, ax=ax) is fig
    finally:
        plt.close(fig)


def test_empty_graph_is_not_drawn() -> None:
    with pytest.raises(EmptyResultError, match="nothing to draw"):
        draw_network(nx.MultiDiGraph())


def test_save_figure(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    fig = draw_network(graph)
    try:
        save_figure(fig, tmp_path / "net.png")
        save_figure(fig, tmp_path / "net.svg")
        assert (tmp_path / "net.png").read_bytes()[:4] == b"\x89PNG"
        assert b"<svg" in (tmp_path / "net.svg").read_bytes()[:500]
        with pytest.raises(InputError, match=r"\.png, \.svg or \.pdf"):
            save_figure(fig, tmp_path / "net.gif")
        assert not (tmp_path / "net.gif").exists()
    finally:
        plt.close(fig)
