"""The network a kinetic model is generated from: the KB network plus a prior-knowledge layer.

:func:`model_graph` asks :func:`mirscope.network.build_graph` for the network of one
cancer (or the pan-cancer network) and adds the shipped prior-knowledge layer
(``data/prior_edges.yaml``: canonical signalling edges such as ZEB1/ZEB2/SNAI1 -| CDH1,
STAT3 -> JAK/STAT, each with a literature reference). The layer is applied the same
way in every cancer: an edge is added when its source node is already in the network,
until nothing changes.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("hsa-miR-124-3p", type="mirna", label="miR-124")
>>> g.add_node("ZEB2", type="gene", label="ZEB2")
>>> g.add_edge("hsa-miR-124-3p", "ZEB2", key="targets", relation="targets", sign=-1)
'targets'
>>> h = add_prior_layer(g)
>>> h.has_edge("ZEB2", "CDH1")
True
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import networkx as nx
import yaml

__all__ = [
    "EXCLUDED_FLAGS",
    "PriorEdge",
    "add_prior_layer",
    "load_prior_edges",
    "model_graph",
    "model_relations",
]

log = logging.getLogger(__name__)

#: Relation key of the edges added from the prior-knowledge layer.
PRIOR_RELATION = "prior"


@dataclass(frozen=True)
class PriorEdge:
    """One canonical signalling edge of the prior-knowledge layer."""

    source: str
    source_type: str
    target: str
    target_type: str
    sign: int
    ref: str


@cache
def load_prior_edges() -> tuple[PriorEdge, ...]:
    """Read the shipped prior-knowledge layer (``simulate/data/prior_edges.yaml``).

    Examples
    --------
    >>> any(e.source == "ZEB2" and e.target == "CDH1" and e.sign == -1
    ...     for e in load_prior_edges())
    True
    """
    text = (
        resources.files("mirscope.simulate")
        .joinpath("data/prior_edges.yaml")
        .read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    refs: dict[str, str] = data["refs"]
    return tuple(
        PriorEdge(src, stype, tgt, ttype, int(sign), refs[ref])
        for src, stype, tgt, ttype, sign, ref in data["edges"]
    )


def add_prior_layer(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of ``graph`` with the prior-knowledge edges whose source is in it.

    Added edges have key and ``relation`` ``"prior"``, their ``sign`` and ``refs`` (the
    citation text), ``evidence_count`` 0; added nodes get ``prior=True``.
    """
    g = graph.copy()
    edges = load_prior_edges()
    changed = True
    while changed:
        changed = False
        for e in edges:
            if e.source not in g or g.has_edge(e.source, e.target, key=PRIOR_RELATION):
                continue
            if e.target not in g:
                g.add_node(e.target, type=e.target_type, label=e.target, prior=True)
            g.add_edge(
                e.source,
                e.target,
                key=PRIOR_RELATION,
                relation=PRIOR_RELATION,
                sign=e.sign,
                refs=(e.ref,),
                evidence_count=0,
                cancers=(),
                ids=(),
            )
            changed = True
    return g


#: Curation flags whose relations are left out of the model structure (they stay in the
#: validation table): the review contradicts itself there, or the sentence is garbled.
EXCLUDED_FLAGS: tuple[str, ...] = ("contradictory", "garbled")


def model_relations(
    relations: Iterable[Any] | None = None,
    *,
    exclude_flags: Iterable[str] = EXCLUDED_FLAGS,
) -> list[Any]:
    """The relations a model is built from: all but those with an excluded curation flag."""
    if relations is None:
        from mirscope.kb import load_review_relations

        relations = load_review_relations()
    bad = set(exclude_flags)
    return [r for r in relations if not bad.intersection(getattr(r, "flags", ()) or ())]


def model_graph(
    cancer: str | None = None,
    *,
    relations: Iterable[Any] | None = None,
    mirna: str | None = None,
    prior: bool = True,
    exclude_flags: Iterable[str] = EXCLUDED_FLAGS,
    kb: Any = None,
    max_nodes: int = 80,
) -> nx.MultiDiGraph:
    """The network of ``cancer`` (None: pan-cancer) with the prior-knowledge layer.

    Parameters
    ----------
    cancer
        Cancer name (anything :func:`mirscope.names.normalize_cancer` accepts) or None;
        a parent type includes its sub-types (``lung`` includes NSCLC).
    relations
        Relations to build from (default: the curated review, or with ``mirna`` the
        knowledge base).
    mirna
        Build the model from this miRNA's own network
        (:func:`mirscope.network.mirna_network`: its targets, regulators and their
        pathways/phenotypes from every knowledge-base source).
    prior
        Add the prior-knowledge layer.
    exclude_flags
        Leave out relations with these curation flags (default: contradictory, garbled).
    kb
        Knowledge base read for ``mirna`` (default: :func:`mirscope.kb.open_store`).
    max_nodes
        Size limit of the miRNA's network (``mirna`` only).
    """
    from mirscope.network import build_graph

    if mirna is not None:
        from mirscope.network.neighbourhood import mirna_network

        if relations is None:
            if kb is None:
                from mirscope.kb import open_store

                kb = open_store()
            pool = list(kb.query(mirna=mirna))
            for src in ("review", "literature", "user"):
                pool += kb.query(source=src)
            relations = pool
        rels = model_relations(relations, exclude_flags=exclude_flags)
        g = mirna_network(mirna, relations=rels, cancer=cancer, max_nodes=max_nodes)
    else:
        rels = model_relations(relations, exclude_flags=exclude_flags)
        g = build_graph(rels, cancer=cancer)
    return add_prior_layer(g) if prior else g
