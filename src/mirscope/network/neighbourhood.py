"""A miRNA's own network: its neighbourhood in the knowledge base, from every source.

:func:`mirna_network` collects, for one miRNA (both arms when the name has no arm):

* depth 1: its targets and everything else it acts on (phenotypes, pathways, therapies),
  its regulators (sponging lncRNAs/circRNAs, silencers, transcription factors), and the
  pathways and phenotypes of its targets and regulators;
* depth 2: also the regulators' other targets. Other miRNAs appear only here, when they
  share a regulator with the chosen miRNA.

The graph is then cut to a readable size: edges with fewer than ``min_evidence`` distinct
references are dropped, and at most ``max_nodes`` nodes are kept, grown best-first from the
miRNA (a node's priority is the number of distinct references on its edges to nodes
already kept). What was cut is recorded in ``G.graph["cut"]``.

Examples
--------
>>> from mirscope.kb import open_store
>>> G = mirna_network("miR-21", kb=open_store("sqlite://"), max_nodes=10)
>>> G.graph["mirna"], "PTEN" in G, G.number_of_nodes() <= 10
('hsa-miR-21-5p', True, True)
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from mirscope import names
from mirscope.errors import EmptyResultError, InputError
from mirscope.kb.model import Relation

if TYPE_CHECKING:
    from mirscope.kb.store import KnowledgeBase

__all__ = ["edge_evidence", "mirna_network", "neighbourhood_relations"]

log = logging.getLogger(__name__)

#: Node types a target's or regulator's downstream edges may reach at depth 1.
_DOWNSTREAM_TYPES = frozenset({"pathway", "phenotype", "therapy"})


def neighbourhood_relations(
    mirna: str,
    relations: Iterable[Relation],
    *,
    depth: Literal[1, 2] = 1,
) -> list[Relation]:
    """The relations of ``mirna``'s neighbourhood among ``relations`` (see the module doc).

    Examples
    --------
    >>> from mirscope.kb import load_review_relations
    >>> rels = neighbourhood_relations("miR-124", load_review_relations())
    >>> all(r.subject.startswith("hsa-miR-124") or r.object.startswith("hsa-miR-124")
    ...     or r.subject_type != "mirna" for r in rels)
    True
    """
    if depth not in (1, 2):
        raise InputError(f"depth must be 1 or 2, got {depth!r}")
    members = set(names.mirna_members(mirna))
    rels = list(relations)
    own = [r for r in rels if r.subject in members or r.object in members]
    targets = {r.object for r in own if r.subject in members}
    regulators = {r.subject for r in own if r.object in members and r.subject not in members}
    chosen = {r.id: r for r in own}
    hubs = (targets | regulators) - members
    for r in rels:
        if r.id in chosen or r.subject not in hubs or r.subject_type == "mirna":
            continue
        if r.object_type in _DOWNSTREAM_TYPES:
            chosen[r.id] = r  # the pathways and phenotypes of targets and regulators
        elif depth == 2 and r.subject in regulators:
            chosen[r.id] = r  # a regulator's other targets (other miRNAs it sponges too)
    return list(chosen.values())


def edge_evidence(d: dict[str, Any]) -> int:
    """Distinct references of an edge (PubMed ids and review references; else its records).

    Examples
    --------
    >>> edge_evidence({"pmids": [1, 2], "refs": [7], "evidence_count": 5})
    3
    """
    n = len(set(d.get("pmids", ()))) + len(set(d.get("refs", ())))
    return n or int(d.get("evidence_count", 0) or 0)


def _prune(
    G: nx.MultiDiGraph, roots: list[str], *, min_evidence: int, max_nodes: int
) -> nx.MultiDiGraph:
    """Drop weak edges, then keep at most ``max_nodes`` nodes grown best-first from ``roots``."""
    dropped_edges = [
        (u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if edge_evidence(d) < min_evidence
    ]
    H = G.copy()
    H.remove_edges_from(dropped_edges)
    kept = [r for r in roots if r in H]
    kept_set = set(kept)
    priority: dict[str, float] = defaultdict(float)

    def touch(n: str) -> None:
        for _, v, d in H.out_edges(n, data=True):
            if v not in kept_set:
                priority[v] += edge_evidence(d)
        for u, _, d in H.in_edges(n, data=True):
            if u not in kept_set:
                priority[u] += edge_evidence(d)

    for n in kept:
        touch(n)
    while len(kept) < max_nodes and priority:
        best = max(priority, key=lambda n: (priority[n], str(n)))
        del priority[best]
        kept.append(best)
        kept_set.add(best)
        touch(best)
    cut_nodes = [n for n in H.nodes if n not in kept_set]
    out = H.subgraph(kept).copy()
    out.remove_nodes_from([n for n in list(out.nodes) if out.degree(n) == 0 and n not in roots])
    by_type = Counter(G.nodes[n].get("type", "other") for n in cut_nodes)
    out.graph["cut"] = {
        "nodes": len(cut_nodes),
        "edges_below_min_evidence": len(dropped_edges),
        "by_type": dict(sorted(by_type.items())),
        "min_evidence": min_evidence,
        "max_nodes": max_nodes,
        "note": (
            f"kept {out.number_of_nodes()} of {G.number_of_nodes()} nodes "
            f"(max {max_nodes}, best-first by distinct references); left out "
            f"{len(cut_nodes)} node(s)"
            + (
                " (" + ", ".join(f"{n} {t}" for t, n in sorted(by_type.items())) + ")"
                if by_type
                else ""
            )
            + f" and {len(dropped_edges)} edge(s) with fewer than {min_evidence} reference(s)"
        ),
    }
    return out


def mirna_network(
    mirna: str,
    *,
    kb: KnowledgeBase | None = None,
    relations: Iterable[Relation] | None = None,
    cancer: str | None = None,
    depth: Literal[1, 2] = 1,
    min_evidence: int = 1,
    max_nodes: int = 60,
    include_non_cancer: bool = False,
) -> nx.MultiDiGraph:
    """The miRNA's own regulatory network (see the module docstring).

    Parameters
    ----------
    mirna
        Any spelling; an arm-less name (``miR-34a``) means both arms.
    kb
        Knowledge base to read (default: :func:`mirscope.kb.open_store`, every source).
    relations
        Use these relations instead of a knowledge base.
    cancer
        Keep evidence of this cancer and its sub-types (plus pan-cancer mechanisms).
    depth
        1: targets, regulators and their pathways/phenotypes; 2: also the regulators'
        other targets.
    min_evidence
        Drop edges with fewer distinct references (PubMed ids, review references).
    max_nodes
        Keep at most this many nodes, best-first from the miRNA.
    include_non_cancer
        Also use relations from non-cancer contexts.

    Returns
    -------
    networkx.MultiDiGraph
        As :func:`mirscope.network.build_graph`; ``G.graph`` holds ``mirna`` (the dominant
        arm in the graph), ``mirna_query`` (as asked), ``members``, ``cancer``, ``depth``
        and ``cut`` (what the size limits left out, with a one-line ``note``).

    Raises
    ------
    EmptyResultError
        The miRNA has no evidence (the message says how to add some), or none in ``cancer``.
    InputError
        ``min_evidence`` < 1 or ``max_nodes`` < 2.
    """
    from mirscope.network.graph import build_graph

    if min_evidence < 1:
        raise InputError(f"min_evidence must be >= 1, got {min_evidence}")
    if max_nodes < 2:
        raise InputError(f"max_nodes must be >= 2, got {max_nodes}")
    members = names.mirna_members(mirna)
    if relations is None:
        if kb is None:
            from mirscope.kb import open_store

            kb = open_store()
        pool = list(kb.query(mirna=mirna))
        for src in ("review", "literature", "user"):
            pool += kb.query(source=src)
    else:
        pool = list(relations)
    rels = neighbourhood_relations(mirna, pool, depth=depth)
    if not any(r.subject in members or r.object in members for r in rels):
        raise EmptyResultError(names.no_evidence_message(mirna))
    try:
        G = build_graph(rels, cancer=cancer, include_non_cancer=include_non_cancer)
    except EmptyResultError as err:
        if cancer is None:
            raise EmptyResultError(names.no_evidence_message(mirna)) from err
        raise EmptyResultError(
            f"{mirna}'s network: {err} Omit --cancer for all cancers, or add evidence with "
            f"`mirscope literature mine --mirna {mirna}`."
        ) from err
    roots = [m for m in members if m in G]
    if not roots:
        raise EmptyResultError(names.no_evidence_message(mirna))
    H = _prune(
        G, sorted(roots, key=lambda m: -G.degree(m)), min_evidence=min_evidence, max_nodes=max_nodes
    )
    main = max(roots, key=lambda m: (H.degree(m) if m in H else -1, m))
    H.graph.update(
        mirna=main,
        mirna_query=mirna,
        members=[m for m in members if m in H],
        cancer=G.graph.get("cancer"),
        depth=depth,
    )
    log.info("%s network: %s", mirna, H.graph["cut"]["note"])
    return H
