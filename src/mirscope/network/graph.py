"""Build the typed, signed, evidence-weighted regulatory graph from knowledge-base relations.

The graph is a :class:`networkx.MultiDiGraph`:

* **nodes** are keyed by the normalised name (``hsa-miR-124-3p``, ``STAT3``,
  ``circHIPK3``, ``PI3K/Akt``, ``proliferation``...) with attributes ``type`` (an
  :data:`mirscope.schema.EntityType`), ``label`` (display name, ``miR-124-3p``),
  ``cancers`` (sorted cancers of the node's edges) and ``clinical`` (the clinical
  findings about the node - expression change, prognostic, diagnostic - as a list of
  dicts; these are not regulatory edges);
* **edges**: one per (subject, object, relation), key = relation, with ``relation``,
  ``sign`` (+1/-1/0; the majority sign of the records, 0 on a tie), ``evidence_count``
  (number of records), ``weight`` (= evidence_count), ``refs`` (sorted review reference
  numbers), ``cancers`` (sorted cancer names), ``pan_cancer`` (a record had no cancer),
  ``ids`` (relation ids), ``sources``, ``flags`` (curation flags of the records, e.g.
  ``inferred_from_figure``), ``pmids`` (PubMed ids, e.g. of miRTarBase records),
  ``conflicting`` (records disagree on the sign),
  ``predicted`` (from predicted binding sites, not curated) and ``records`` (per-record
  ``{"id", "cancer", "sign", "refs"}``, used to re-filter by cancer).

Examples
--------
>>> from mirscope.kb import Relation
>>> rels = [
...     Relation(id="a", subject="circHIPK3", subject_type="circrna", relation="sponges",
...              object="hsa-miR-124-3p", object_type="mirna", sign=-1,
...              cancer="hepatocellular carcinoma", refs=(109,)),
...     Relation(id="b", subject="hsa-miR-124-3p", subject_type="mirna", relation="targets",
...              object="AQP3", object_type="gene", sign=-1,
...              cancer="hepatocellular carcinoma", refs=(109,)),
... ]
>>> G = build_graph(rels)
>>> G["hsa-miR-124-3p"]["AQP3"]["targets"]["refs"]
[109]
>>> G.nodes["hsa-miR-124-3p"]["label"]
'miR-124-3p'
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import pandas as pd

from mirscope.errors import EmptyResultError, InputError, MirscopeError, UnknownNameError
from mirscope.kb.model import Relation
from mirscope.schema import CLINICAL_RELATIONS

__all__ = [
    "add_predicted_sites",
    "build_graph",
    "cancer_subgraph",
    "example_graph",
    "graph_cancers",
    "mirna_subgraph",
    "node_label",
    "normalise_cancer",
    "resolve_node",
]

log = logging.getLogger(__name__)


def node_label(name: str, node_type: str) -> str:
    """Display label of a node: miRNAs without the species prefix, others unchanged.

    Examples
    --------
    >>> node_label("hsa-miR-124-3p", "mirna")
    'miR-124-3p'
    """
    if node_type == "mirna" and name.startswith("hsa-"):
        return name[4:]
    return name


def normalise_cancer(cancer: str) -> str:
    """Vocabulary name of a cancer type (``HCC`` -> ``hepatocellular carcinoma``).

    Uses :func:`mirscope.names.normalize_cancer`; unknown names raise
    :class:`~mirscope.errors.UnknownNameError` with suggestions.
    """
    from mirscope.names import normalize_cancer

    return normalize_cancer(cancer).name


def _sign_of(signs: Sequence[int]) -> int:
    total = sum(signs)
    return (total > 0) - (total < 0)


def _edge_attrs(records: list[dict[str, Any]], relation: str) -> dict[str, Any]:
    signs = [r["sign"] for r in records]
    refs = sorted({int(x) for r in records for x in r["refs"]})
    cancers = sorted({r["cancer"] for r in records if r["cancer"]})
    nonzero = {s for s in signs if s != 0}
    count = len(records)
    return {
        "relation": relation,
        "sign": _sign_of(signs),
        "evidence_count": count,
        "weight": float(count),
        "refs": refs,
        "cancers": cancers,
        "pan_cancer": any(not r["cancer"] for r in records),
        "ids": sorted(r["id"] for r in records),
        "sources": sorted({r["source"] for r in records}),
        "flags": sorted({f for r in records for f in r.get("flags", [])}),
        "pmids": sorted({int(p) for r in records for p in r.get("pmids", [])}),
        "conflicting": len(nonzero) > 1,
        "predicted": all(r.get("predicted", False) for r in records),
        "records": records,
    }


def _add_node(G: nx.MultiDiGraph, name: str, node_type: str) -> None:
    if name in G:
        if G.nodes[name]["type"] != node_type:
            log.debug(
                "node %r typed %r and %r; keeping %r",
                name,
                G.nodes[name]["type"],
                node_type,
                G.nodes[name]["type"],
            )
        return
    G.add_node(name, type=node_type, label=node_label(name, node_type), cancers=[], clinical=[])


def _graph_from_records(
    edges: dict[tuple[str, str, str], list[dict[str, Any]]],
    node_types: dict[str, str],
    clinical: dict[str, list[dict[str, Any]]],
    graph_attrs: dict[str, Any],
) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(**graph_attrs)
    for (u, v, rel), recs in sorted(edges.items()):
        _add_node(G, u, node_types[u])
        _add_node(G, v, node_types[v])
        G.add_edge(u, v, key=rel, **_edge_attrs(recs, rel))
    for n in G.nodes:
        cancers = {c for _, _, d in G.edges(n, data=True) for c in d["cancers"]}
        cancers |= {c for _, _, d in G.in_edges(n, data=True) for c in d["cancers"]}
        G.nodes[n]["cancers"] = sorted(cancers)
        G.nodes[n]["clinical"] = clinical.get(n, [])
    return G


def _subtypes(cancer: str) -> frozenset[str]:
    """The cancer and its Disease Ontology sub-types (``lung cancer`` -> NSCLC, LUAD...)."""
    from mirscope.names import cancer_subtypes

    return frozenset(cancer_subtypes(cancer))


def _prune_pan_cancer(
    edges: dict[tuple[str, str, str], list[dict[str, Any]]],
    cancer: str,
    node_types: dict[str, str],
) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Keep the cancer's own evidence plus the pan-cancer mechanisms downstream of it.

    * Records of ``cancer`` are always kept.
    * A pan-cancer record (no cancer) is kept when the edge's subject is a node of the
      cancer's network (or reached from one through kept pan-cancer edges) and is not a
      miRNA: e.g. ``TRAF6 -> NF-kB`` or ``NF-kB -> proliferation`` extend an HCC target
      into pathways and phenotypes.
    * General statements about the miRNA itself without a cancer (``miR-124 -| Wnt``
      from the review's overview) are left out of a cancer's network, so that its edges
      and references are evidence from that cancer; they stay in the pan-cancer graph.
    """
    kept: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    pending: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    cancers = _subtypes(cancer)
    for key, recs in edges.items():
        own = [r for r in recs if r["cancer"] in cancers]
        pan = [r for r in recs if r["cancer"] is None]
        if node_types.get(key[0]) == "mirna":  # predicted sites are not general statements
            pan = [r for r in pan if r.get("predicted", False)]
        if own:
            kept[key] = own + pan
        elif pan:
            pending[key] = pan
    nodes = {n for u, v, _ in kept for n in (u, v)}
    changed = True
    while changed:
        changed = False
        for key in list(pending):
            if key[0] in nodes:
                kept[key] = pending.pop(key)
                nodes.add(key[1])
                changed = True
    return kept


def _record(r: Relation) -> dict[str, Any]:
    return {
        "id": r.id,
        "cancer": r.cancer,
        "sign": int(r.sign),
        "refs": [int(x) for x in r.refs],
        "source": r.source,
        "flags": list(r.flags),
        "pmids": r.pmids(),
    }




def _select(r: Relation, cancers: frozenset[str] | None, include_non_cancer: bool) -> bool:
    if r.context == "non_cancer" and not include_non_cancer:
        return False
    if cancers is None:
        return True
    return r.cancer in cancers or (r.cancer is None and r.context == "cancer")


def build_graph(
    relations: Iterable[Relation] | None = None,
    *,
    cancer: str | None = None,
    mirna: str | None = None,
    predicted_sites: pd.DataFrame | None = None,
    include_non_cancer: bool = False,
) -> nx.MultiDiGraph:
    """Build the regulatory graph from knowledge-base relations.

    Parameters
    ----------
    relations
        :class:`~mirscope.kb.Relation` records (default:
        :func:`mirscope.kb.load_review_relations`, the curated review).
    cancer
        Keep only relations of this cancer and its Disease Ontology sub-types (any spelling
        :func:`mirscope.names.normalize_cancer` accepts, e.g. ``"HCC"``; ``"lung"`` includes
        NSCLC, LUAD and LUSC) plus the pan-cancer mechanistic relations (no cancer,
        context ``"cancer"``) downstream of the cancer's nodes (e.g. ``TRAF6 -> NF-kB``
        when TRAF6 is in the cancer's network); general statements about a miRNA without
        a cancer (``miR-124 -| Wnt``) stay in the pan-cancer graph only.
    mirna
        Keep only the part of the graph connected to this miRNA through directed paths:
        the miRNA, everything upstream of it (sponges, silencers) and everything downstream
        (targets, pathways, phenotypes, therapies).
    predicted_sites
        Optional predicted binding sites (e.g. :func:`mirscope.sites.scan` output): a
        DataFrame with a miRNA column (``mirna``) and a gene column (``gene``, ``target``
        or ``transcript``). Each (miRNA, gene) pair becomes a ``targets`` edge with
        ``predicted=True`` and ``n_sites``; pairs that already have a curated ``targets``
        edge only get ``n_sites`` on that edge.
    include_non_cancer
        Also use relations from non-cancer contexts (excluded by default).

    Returns
    -------
    networkx.MultiDiGraph
        See the module docstring for node and edge attributes. ``G.graph`` holds
        ``cancer`` and ``mirna`` (the filters used).

    Raises
    ------
    EmptyResultError
        No relation is left after filtering (the message lists the cancers with data).
    UnknownNameError
        ``cancer`` or ``mirna`` is not a known name.
    """
    if relations is None:
        from mirscope.kb import load_review_relations

        relations = load_review_relations()
    relations = list(relations)
    cancer_name = normalise_cancer(cancer) if cancer is not None else None
    cancer_set = _subtypes(cancer_name) if cancer_name is not None else None

    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    node_types: dict[str, str] = {}
    clinical: dict[str, list[dict[str, Any]]] = defaultdict(list)
    n_specific = 0
    for r in relations:
        if not _select(r, cancer_set, include_non_cancer):
            continue
        if r.relation in CLINICAL_RELATIONS or r.object_type == "cancer":
            clinical[r.subject].append(
                {
                    "relation": r.relation,
                    "cancer": r.cancer or r.object,
                    "direction": r.direction,
                    "refs": [int(x) for x in r.refs],
                    "id": r.id,
                }
            )
            continue
        node_types.setdefault(r.subject, r.subject_type)
        node_types.setdefault(r.object, r.object_type)
        edges[(r.subject, r.object, r.relation)].append(_record(r))
        if cancer_set is not None and r.cancer in cancer_set:
            n_specific += 1

    if cancer_name is not None and n_specific == 0:
        regulatory = [r for r in relations if r.relation not in CLINICAL_RELATIONS]
        known = sorted({r.cancer for r in regulatory if r.cancer and r.object_type != "cancer"})
        n_clin = sum(1 for r in relations if r.cancer in (cancer_set or ()))
        only = (
            f" (it has {n_clin} clinical finding(s) only: expression change, prognostic, "
            "diagnostic; see `mirscope kb`)"
            if n_clin
            else ""
        )
        raise EmptyResultError(
            f"no regulatory relation for cancer {cancer_name!r} in the knowledge base{only}; "
            f"cancers with regulatory data: {', '.join(known) or 'none'}."
        )
    if cancer_name is not None:
        edges = _prune_pan_cancer(edges, cancer_name, node_types)
    G = _graph_from_records(edges, node_types, clinical, {"cancer": cancer_name, "mirna": None})
    if predicted_sites is not None:
        add_predicted_sites(G, predicted_sites)
    if G.number_of_edges() == 0:
        raise EmptyResultError("no regulatory relation left after filtering; relax the filters.")
    if mirna is not None:
        G = mirna_subgraph(G, mirna)
    return G


def _site_columns(df: pd.DataFrame) -> tuple[str, str]:
    mir_col = next((c for c in ("mirna", "miRNA", "mirna_name") if c in df.columns), None)
    gene_col = next(
        (c for c in ("gene", "target", "gene_symbol", "symbol", "transcript") if c in df.columns),
        None,
    )
    if mir_col is None or gene_col is None:
        raise InputError(
            f"predicted_sites needs a miRNA column ('mirna') and a gene column ('gene', "
            f"'target' or 'transcript'); it has {list(df.columns)}."
        )
    return mir_col, gene_col


def _canonical_mirna(name: object) -> str:
    """miRBase name of a miRNA (``miR-124`` -> ``hsa-miR-124-3p``); unknown names unchanged."""
    from mirscope.names import normalize_mirna

    try:
        return normalize_mirna(str(name)).name
    except UnknownNameError:
        return str(name)


def add_predicted_sites(G: nx.MultiDiGraph, sites: pd.DataFrame) -> nx.MultiDiGraph:
    """Add predicted miRNA -> gene ``targets`` edges (``predicted=True``) in place and return G.

    Parameters
    ----------
    G
        A graph from :func:`build_graph`.
    sites
        One row per predicted site, with a miRNA column and a gene column (see
        :func:`build_graph`); an optional ``site_type`` column is summarised per pair.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = add_predicted_sites(G, pd.DataFrame({"mirna": ["hsa-miR-124-3p"] * 2,
    ...                                          "gene": ["VIM", "VIM"]}))
    >>> G["hsa-miR-124-3p"]["VIM"]["targets"]["n_sites"]
    2
    """
    if sites.empty:
        return G
    mir_col, gene_col = _site_columns(sites)
    canonical = {v: _canonical_mirna(v) for v in sites[mir_col].unique()}
    sites = sites.assign(**{mir_col: sites[mir_col].map(canonical)})
    grouped = sites.groupby([mir_col, gene_col], sort=True)
    for (mir, gene), grp in grouped:
        mir, gene = str(mir), str(gene)
        n_sites = len(grp)
        site_types = (
            sorted({str(s) for s in grp["site_type"].dropna()}) if "site_type" in grp else []
        )
        if G.has_edge(mir, gene, key="targets"):
            G.edges[mir, gene, "targets"]["n_sites"] = n_sites
            G.edges[mir, gene, "targets"]["site_types"] = site_types
            continue
        _add_node(G, mir, "mirna")
        _add_node(G, gene, "gene")
        rec = {
            "id": f"predicted:{mir}:{gene}",
            "cancer": None,
            "sign": -1,
            "refs": [],
            "source": "prediction",
            "predicted": True,
        }
        attrs = _edge_attrs([rec], "targets")
        attrs.update(n_sites=n_sites, site_types=site_types, pan_cancer=True)
        G.add_edge(mir, gene, key="targets", **attrs)
    return G


def graph_cancers(G: nx.MultiDiGraph) -> list[str]:
    """Sorted cancer types that occur on the edges of ``G``.

    Examples
    --------
    >>> graph_cancers(example_graph())
    ['breast cancer', 'hepatocellular carcinoma']
    """
    return sorted({c for _, _, d in G.edges(data=True) for c in d.get("cancers", [])})


def cancer_subgraph(G: nx.MultiDiGraph, cancer: str) -> nx.MultiDiGraph:
    """The part of ``G`` supported in one cancer (plus pan-cancer records), re-aggregated.

    Edge attributes (sign, refs, evidence_count...) are recomputed from the records of that
    cancer only. ``cancer`` accepts any spelling :func:`mirscope.names.normalize_cancer` knows.

    Raises
    ------
    EmptyResultError
        No edge of ``G`` has evidence in that cancer (the message lists the cancers of G).

    Examples
    --------
    >>> sorted(cancer_subgraph(example_graph(), "HCC").nodes)
    ['AQP3', 'circHIPK3', 'hsa-miR-124-3p', 'proliferation']
    """
    name = normalise_cancer(cancer)
    subs = _subtypes(name)
    if not subs.intersection(graph_cancers(G)):
        raise EmptyResultError(
            f"the network has no relation in {name!r}; cancers in this network: "
            f"{', '.join(graph_cancers(G)) or 'none'}."
        )
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        recs = [r for r in d.get("records", []) if r["cancer"] is None or r["cancer"] in subs]
        if recs:
            edges[(u, v, k)] = recs
    node_types = {n: G.nodes[n].get("type", "other") for n in G.nodes}
    edges = _prune_pan_cancer(edges, name, node_types)
    clinical = {
        n: [c for c in G.nodes[n].get("clinical", []) if c.get("cancer") in subs] for n in G.nodes
    }
    H = _graph_from_records(edges, node_types, clinical, {**G.graph, "cancer": name})
    # keep site annotations of predicted / curated target edges
    for u, v, k, d in H.edges(keys=True, data=True):
        for extra in ("n_sites", "site_types"):
            if extra in G.edges[u, v, k]:
                d[extra] = G.edges[u, v, k][extra]
    return H


def _suggest(G: nx.MultiDiGraph, name: str) -> list[str]:
    import difflib

    labels: dict[str, str] = {}
    for n, d in G.nodes(data=True):
        labels[str(n).lower()] = n
        labels[str(d.get("label", n)).lower()] = n
    close = difflib.get_close_matches(name.lower(), list(labels), n=5, cutoff=0.5)
    out: list[str] = []
    for c in close:
        if labels[c] not in out:
            out.append(labels[c])
    if len(out) < 5:
        try:
            from mirscope.names import suggest

            for kind in ("mirna", "gene", "ncrna"):
                for s in suggest(name, kind, n=5):
                    node = _lookup(G, str(s))
                    if node is not None and node not in out:
                        out.append(node)
        except MirscopeError:  # suggestions are best effort
            log.debug("mirscope.names.suggest unavailable for %r", name)
    return out[:5]


def _lookup(G: nx.MultiDiGraph, name: str) -> str | None:
    if name in G:
        return name
    low = name.strip().lower()
    for n, d in G.nodes(data=True):
        if str(n).lower() == low or str(d.get("label", "")).lower() == low:
            return n
    # an arm-less miRNA name (miR-124) matches a single arm present in the graph
    arms = [
        n
        for n, d in G.nodes(data=True)
        if d.get("type") == "mirna"
        and str(d.get("label", n)).lower()
        in (
            f"{low}-3p",
            f"{low}-5p",
            f"{low.removeprefix('hsa-')}-3p",
            f"{low.removeprefix('hsa-')}-5p",
        )
    ]
    return arms[0] if len(arms) == 1 else None


def resolve_node(G: nx.MultiDiGraph, name: str) -> str:
    """Find the node of ``G`` a user-given name refers to.

    Tries the exact key, a case-insensitive key or label, then the name normalised by
    :func:`mirscope.names.resolve_entity` (so ``miR-124`` finds ``hsa-miR-124-3p`` and an
    alias finds the HGNC symbol).

    Raises
    ------
    UnknownNameError
        With the closest node names of ``G`` as suggestions.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("hsa-miR-124-3p", type="mirna", label="miR-124-3p")
    >>> resolve_node(G, "miR-124-3p")
    'hsa-miR-124-3p'
    """
    if not isinstance(name, str) or not name.strip():
        raise UnknownNameError("network node", str(name), [], valid=[str(n) for n in G])
    found = _lookup(G, name)
    if found is not None:
        return found
    try:
        from mirscope.names import resolve_entity

        norm, _kind = resolve_entity(name)
        found = _lookup(G, str(norm))
        if found is not None:
            return found
    except MirscopeError:  # unknown to the vocabularies: fall through to graph suggestions
        log.debug("resolve_entity failed for %r", name)
    raise UnknownNameError("network node", name, _suggest(G, name), valid=[str(n) for n in G])


def mirna_subgraph(G: nx.MultiDiGraph, mirna: str) -> nx.MultiDiGraph:
    """The miRNA, its upstream regulators and everything downstream of it (a copy).

    Raises
    ------
    UnknownNameError
        The miRNA is not in the graph.

    Examples
    --------
    >>> mirna_subgraph(example_graph(), "miR-124").number_of_nodes()
    7
    """
    m = resolve_node(G, mirna)
    keep = {m} | nx.descendants(G, m) | nx.ancestors(G, m)
    H = G.subgraph(keep).copy()
    H.graph["mirna"] = m
    if H.number_of_edges() == 0:
        raise EmptyResultError(f"{m!r} has no regulatory relation in this network.")
    return H


def example_graph() -> nx.MultiDiGraph:
    """A small graph of six review statements, for examples and tutorials.

    HCC: circHIPK3 -| miR-124 -| AQP3 (ref 109), miR-124 -| proliferation (ref 104);
    breast cancer: NEAT1 -| miR-124 -| STAT3 (ref 70), STAT3 -> JAK/STAT (pan-cancer),
    miR-124 -| proliferation (ref 26).

    Examples
    --------
    >>> G = example_graph()
    >>> sorted(G.nodes)[:3]
    ['AQP3', 'JAK/STAT', 'NEAT1']
    """
    mir, hcc, bc = "hsa-miR-124-3p", "hepatocellular carcinoma", "breast cancer"
    spec = [
        ("e1", "circHIPK3", "circrna", "sponges", mir, "mirna", -1, hcc, (109,)),
        ("e2", mir, "mirna", "targets", "AQP3", "gene", -1, hcc, (109,)),
        ("e3", mir, "mirna", "affects_phenotype", "proliferation", "phenotype", -1, hcc, (104,)),
        ("e4", "NEAT1", "lncrna", "sponges", mir, "mirna", -1, bc, (70,)),
        ("e5", mir, "mirna", "targets", "STAT3", "gene", -1, bc, (70,)),
        ("e6", "STAT3", "gene", "member_of_pathway", "JAK/STAT", "pathway", 1, None, ()),
        ("e7", mir, "mirna", "affects_phenotype", "proliferation", "phenotype", -1, bc, (26,)),
    ]
    rels = [
        Relation(
            id=i,
            subject=su,
            subject_type=st,
            relation=r,
            object=o,
            object_type=ot,  # type: ignore[arg-type]
            sign=sg,
            cancer=c,
            refs=refs,
        )
        for i, su, st, r, o, ot, sg, c, refs in spec
    ]
    return build_graph(rels)
