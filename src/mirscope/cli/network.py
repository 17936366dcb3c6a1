"""`mirscope network` commands (thin layer over :mod:`mirscope.network`).

Tables go to stdout (``--format table`` with Rich, ``--format json`` as a JSON array of
records); files are written atomically; status messages go to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

app = typer.Typer(
    help="The miRNA's regulatory network (its own neighbourhood in the knowledge base): "
    "ceRNA axes, paths, hubs, exports and figures.",
    no_args_is_help=True,
)

MirnaOpt = Annotated[str, typer.Option("--mirna", "-m", help="miRNA in any spelling; without an arm: both arms.")]
CancerOpt = Annotated[
    str | None,
    typer.Option("--cancer", "-c", help="Cancer type (e.g. HCC, breast). Default: all cancers."),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: table or json.")]


def _check_format(fmt: str) -> None:
    from mirscope.errors import InputError

    if fmt not in ("table", "json"):
        raise InputError(f"--format {fmt!r} is not valid; use 'table' or 'json'.")


def _emit(df: pd.DataFrame, fmt: str, *, title: str) -> None:
    if fmt == "json":
        typer.echo(
            json.dumps(df.to_dict(orient="records"), indent=1, ensure_ascii=False, default=str)
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in df.columns:
        table.add_column(str(col), overflow="fold")
    for row in df.itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    Console(width=200).print(table)


def _cell(v: object) -> str:
    if isinstance(v, list | tuple):
        return ", ".join(str(x) for x in v)
    return str(v)


DepthOpt = Annotated[
    int,
    typer.Option(
        "--depth", min=1, max=2, help="1: targets, regulators and their pathways/phenotypes; "
        "2: also the regulators' other targets (other miRNAs sharing a regulator).",
    ),
]
MinEvidenceOpt = Annotated[
    int, typer.Option("--min-evidence", min=1, help="Drop edges with fewer distinct references.")
]
MaxNodesOpt = Annotated[
    int,
    typer.Option("--max-nodes", min=2, help="Keep at most this many nodes (best-first, ranked)."),
]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Knowledge base URL or SQLite file (default: the user database)."),
]


def _graph(
    mirna: str | None,
    cancer: str | None,
    min_cancers: int = 0,
    *,
    depth: int = 1,
    min_evidence: int = 1,
    max_nodes: int = 60,
    db: str | None = None,
) -> nx.MultiDiGraph:
    from mirscope.network import build_graph, recurrent_subgraph
    from mirscope.network.neighbourhood import mirna_network

    if mirna:
        from mirscope.kb import open_store

        G = mirna_network(
            mirna,
            kb=open_store(db),
            cancer=cancer,
            depth=depth,  # type: ignore[arg-type]
            min_evidence=min_evidence,
            max_nodes=max_nodes,
        )
        if G.graph["cut"]["nodes"] or G.graph["cut"]["edges_below_min_evidence"]:
            typer.echo(f"{G.graph['mirna']}: {G.graph['cut']['note']}.", err=True)
    else:
        G = build_graph(cancer=cancer)
    return recurrent_subgraph(G, min_cancers=min_cancers) if min_cancers > 0 else G


_UNLIMITED = 1_000_000  # queries (axes, reach, paths) use the whole neighbourhood


MinCancersOpt = Annotated[
    int,
    typer.Option(
        "--min-cancers",
        help="Keep only relations observed in at least this many cancer types (0: all).",
    ),
]


@app.command("axes")
def axes(
    mirna: MirnaOpt = "miR-124",
    cancer: CancerOpt = None,
    pairing: Annotated[
        str,
        typer.Option(
            "--pairing", help="Pair sponge and target edges by shared 'reference' or 'cancer'."
        ),
    ] = "reference",
    fmt: FormatOpt = "table",
    depth: DepthOpt = 1,
    min_evidence: MinEvidenceOpt = 1,
    db: DbOpt = None,
) -> None:
    """ceRNA axes: sponge -| miRNA -| target -> pathway -> phenotype, with references."""
    from mirscope.network import cerna_axes

    _check_format(fmt)
    G = _graph(mirna, None, depth=depth, min_evidence=min_evidence, max_nodes=_UNLIMITED, db=db)
    df = cerna_axes(G, G.graph["mirna"], cancer=cancer, pairing=pairing)  # type: ignore[arg-type]
    if fmt == "table":
        df = df[["chain", "net_sign", "cancers", "refs"]]
    _emit(df, fmt, title=f"ceRNA axes of {mirna}" + (f" in {cancer}" if cancer else ""))


@app.command("reach")
def reach_cmd(
    mirna: MirnaOpt = "miR-124",
    cancer: CancerOpt = None,
    fmt: FormatOpt = "table",
    db: DbOpt = None,
) -> None:
    """Everything downstream of a miRNA (in one cancer), with distance and net sign."""
    from mirscope.network import reach

    _check_format(fmt)
    G = _graph(mirna, None, max_nodes=_UNLIMITED, db=db)
    df = reach(G, G.graph["mirna"], cancer=cancer)
    _emit(
        df.drop(columns="node"),
        fmt,
        title=f"Reached from {mirna}" + (f" in {cancer}" if cancer else ""),
    )


@app.command("paths")
def paths(
    source: Annotated[str, typer.Argument(help="Source node (e.g. circHIPK3).")],
    target: Annotated[str, typer.Argument(help="Target node (e.g. proliferation).")],
    cancer: CancerOpt = None,
    max_length: Annotated[
        int,
        typer.Option(
            "--max-length",
            help="List every simple path up to this many edges (0: shortest paths only).",
        ),
    ] = 0,
    max_paths: Annotated[int, typer.Option("--max-paths", help="At most this many paths.")] = 50,
    fmt: FormatOpt = "table",
    mirna: Annotated[
        str, typer.Option("--mirna", "-m", help="Search the network of this miRNA.")
    ] = "miR-124",
    depth: DepthOpt = 2,
    db: DbOpt = None,
) -> None:
    """Signed regulatory paths from SOURCE to TARGET with the net effect (shortest by default)."""
    from mirscope.network import signed_paths, signed_shortest_paths

    _check_format(fmt)
    G = _graph(mirna, None, depth=depth, max_nodes=_UNLIMITED, db=db)
    if max_length > 0:
        df = signed_paths(
            G, source, target, max_length=max_length, cancer=cancer, max_paths=max_paths
        )
    else:
        df = signed_shortest_paths(G, source, target, cancer=cancer, max_paths=max_paths)
    cols = (
        ["text", "relations", "effect", "net_sign", "refs"] if fmt == "table" else list(df.columns)
    )
    _emit(df[cols], fmt, title=f"Signed paths {source} -> {target}")


@app.command("hubs")
def hubs_cmd(
    n: Annotated[int, typer.Option("--n", "-n", help="Number of hubs.")] = 10,
    cancer: CancerOpt = None,
    all_types: Annotated[
        bool, typer.Option("--all-types", help="Include pathways, phenotypes and therapies.")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """The most connected molecules of the network."""
    from mirscope.network import build_graph, hubs

    _check_format(fmt)
    G = build_graph(cancer=cancer)
    df = hubs(G, n=n, types=None) if all_types else hubs(G, n=n)
    _emit(df.drop(columns="node"), fmt, title="Hubs" + (f" in {cancer}" if cancer else ""))


@app.command("recurrent")
def recurrent_cmd(
    min_cancers: Annotated[
        int, typer.Option("--min-cancers", help="Minimum number of cancer types.")
    ] = 2,
    fmt: FormatOpt = "table",
) -> None:
    """Relations observed in several cancer types (the review's recurrent networks)."""
    from mirscope.network import build_graph, recurrent

    _check_format(fmt)
    df = recurrent(build_graph(), min_cancers=min_cancers)
    _emit(df, fmt, title=f"Relations in >= {min_cancers} cancers")


@app.command("export")
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file.")],
    mirna: Annotated[
        str | None,
        typer.Option("--mirna", "-m", help="miRNA whose own network is built ('' for the review)."),
    ] = "miR-124",
    cancer: CancerOpt = None,
    min_cancers: MinCancersOpt = 0,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="graphml, sif, cyjs or gexf.")
    ] = "graphml",
    depth: DepthOpt = 1,
    min_evidence: MinEvidenceOpt = 1,
    max_nodes: MaxNodesOpt = 60,
    db: DbOpt = None,
) -> None:
    """Export the miRNA's own network (in one cancer) for Cytoscape / Gephi."""
    from mirscope.network import write_network

    G = _graph(
        mirna or None,
        cancer,
        min_cancers,
        depth=depth,
        min_evidence=min_evidence,
        max_nodes=max_nodes,
        db=db,
    )
    write_network(G, output, format=fmt)  # type: ignore[arg-type]
    typer.echo(
        f"Wrote {G.number_of_nodes()} nodes and {G.number_of_edges()} edges to {output} ({fmt}).",
        err=True,
    )


@app.command("draw")
def draw(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Figure file (.png, .svg or .pdf).")
    ],
    mirna: Annotated[
        str | None,
        typer.Option("--mirna", "-m", help="miRNA whose own network is built ('' for the review)."),
    ] = "miR-124",
    cancer: CancerOpt = None,
    min_cancers: MinCancersOpt = 0,
    title: Annotated[str | None, typer.Option("--title", help="Figure title.")] = None,
    dpi: Annotated[int, typer.Option("--dpi", help="Resolution of PNG output.")] = 150,
    depth: DepthOpt = 1,
    min_evidence: MinEvidenceOpt = 1,
    max_nodes: MaxNodesOpt = 40,
    db: DbOpt = None,
) -> None:
    """Draw the layered network figure (sponges | miRNA | targets | pathways | phenotypes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mirscope.network import draw_network, save_figure

    G = _graph(
        mirna or None,
        cancer,
        min_cancers,
        depth=depth,
        min_evidence=min_evidence,
        max_nodes=max_nodes,
        db=db,
    )
    fig = draw_network(G, title=title)
    try:
        save_figure(fig, output, dpi=dpi)
    finally:
        plt.close(fig)
    typer.echo(f"Wrote {output} ({G.number_of_nodes()} nodes).", err=True)


@app.command("style")
def style(
    output: Annotated[Path, typer.Option("--output", "-o", help="Style file (.json).")],
) -> None:
    """Write the Cytoscape style of the figures (File > Import > Styles from File)."""
    from mirscope.network import write_cytoscape_style

    write_cytoscape_style(output)
    typer.echo(f"Wrote {output} (Cytoscape style 'mirscope').", err=True)


@app.command("show")
def show(
    mirna: Annotated[
        str | None,
        typer.Option("--mirna", "-m", help="miRNA whose own network is built ('' for the review)."),
    ] = "miR-124",
    cancer: CancerOpt = None,
    min_cancers: MinCancersOpt = 0,
    depth: DepthOpt = 1,
    min_evidence: MinEvidenceOpt = 1,
    max_nodes: MaxNodesOpt = 60,
    db: DbOpt = None,
) -> None:
    """Print the miRNA's own network (in one cancer) as Cytoscape.js JSON on stdout."""
    from mirscope.network import to_cytoscape_json

    G = _graph(
        mirna or None,
        cancer,
        min_cancers,
        depth=depth,
        min_evidence=min_evidence,
        max_nodes=max_nodes,
        db=db,
    )
    typer.echo(
        json.dumps(
            to_cytoscape_json(G),
            indent=1,
            ensure_ascii=False,
        )
    )
