"""The miRNA regulatory network: graph, queries, exports, figures and pathway enrichment.

Network algorithms are plain functions over a :class:`networkx.MultiDiGraph` built by
:func:`build_graph` from the knowledge base (see ``docs/network.md``).

Examples
--------
>>> from mirscope.network import enrich
>>> r = enrich(["G1", "G2"], gene_sets={"S": ["G1", "G2", "G3"]}, min_size=1)
>>> int(r.table.loc[0, "overlap"])
2
"""

from __future__ import annotations

from mirscope.network.draw import NODE_COLOURS, draw_network, layered_layout, save_figure
from mirscope.network.enrichment import (
    PATHWAY_GENE_SETS,
    EnrichmentResult,
    enrich,
    load_gene_sets,
    mirna_target_weights,
    pathway_gene_sets,
    pathway_report,
    read_gmt,
    sample_mirna_null_sets,
    sample_null_sets,
    site_count_weights,
)
from mirscope.network.export import (
    cytoscape_style,
    from_cytoscape_json,
    read_graphml,
    read_sif,
    to_cytoscape_json,
    to_sif,
    write_cytoscape_style,
    write_network,
)
from mirscope.network.graph import (
    add_predicted_sites,
    build_graph,
    cancer_subgraph,
    example_graph,
    graph_cancers,
    mirna_subgraph,
    node_label,
    normalise_cancer,
    resolve_node,
)
from mirscope.network.neighbourhood import edge_evidence, mirna_network, neighbourhood_relations
from mirscope.network.queries import (
    AXIS_COLUMNS,
    MOLECULAR_TYPES,
    cerna_axes,
    hubs,
    reach,
    recurrent,
    recurrent_subgraph,
    signed_paths,
    signed_shortest_paths,
)

__all__ = [
    "AXIS_COLUMNS",
    "MOLECULAR_TYPES",
    "NODE_COLOURS",
    "PATHWAY_GENE_SETS",
    "EnrichmentResult",
    "add_predicted_sites",
    "build_graph",
    "cancer_subgraph",
    "cerna_axes",
    "cytoscape_style",
    "draw_network",
    "edge_evidence",
    "enrich",
    "example_graph",
    "from_cytoscape_json",
    "graph_cancers",
    "hubs",
    "layered_layout",
    "load_gene_sets",
    "mirna_network",
    "mirna_subgraph",
    "mirna_target_weights",
    "neighbourhood_relations",
    "node_label",
    "normalise_cancer",
    "pathway_gene_sets",
    "pathway_report",
    "reach",
    "read_gmt",
    "read_graphml",
    "read_sif",
    "recurrent",
    "recurrent_subgraph",
    "resolve_node",
    "sample_mirna_null_sets",
    "sample_null_sets",
    "save_figure",
    "signed_paths",
    "signed_shortest_paths",
    "site_count_weights",
    "to_cytoscape_json",
    "to_sif",
    "write_cytoscape_style",
    "write_network",
]
