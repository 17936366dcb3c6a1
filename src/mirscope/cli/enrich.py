"""`mirscope enrich`: pathway over-representation of a gene list or a miRNA's targets.

Usage: ``mirscope enrich --genes FILE | --mirna NAME [--gmt FILE] [--null empirical]
[--format table|json]``. Thin layer over :func:`mirscope.network.enrich`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Pathway enrichment (hypergeometric + BH, optional miRNA-specific empirical null).",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _read_gene_list(path: Path) -> list[str]:
    from mirscope.errors import EmptyResultError, InputError

    if not path.is_file():
        raise InputError(
            f"gene list {str(path)!r} does not exist; give a file with one gene symbol per line."
        )
    genes: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            genes.extend(g for g in line.replace(",", " ").replace("\t", " ").split() if g)
    if not genes:
        raise EmptyResultError(f"gene list {str(path)!r} contains no gene symbol.")
    return genes


def _read_weights(path: Path) -> dict[str, float]:
    """Two-column 'gene<TAB>weight' file (an optional header line is skipped)."""
    from mirscope.errors import EmptyResultError, FileFormatError, InputError

    if not path.is_file():
        raise InputError(f"null-weights file {str(path)!r} does not exist.")
    weights: dict[str, float] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise FileFormatError(path, "expected 'gene<TAB>weight'", line=lineno)
        try:
            weights[fields[0].strip()] = float(fields[1])
        except ValueError:
            if lineno == 1:  # header
                continue
            raise FileFormatError(
                path, f"weight {fields[1]!r} is not a number", line=lineno
            ) from None
    if not weights:
        raise EmptyResultError(f"null-weights file {str(path)!r} has no 'gene<TAB>weight' line.")
    return weights


@app.callback(invoke_without_command=True)
def enrich_cmd(
    ctx: typer.Context,
    genes: Annotated[
        Path | None,
        typer.Option(
            "--genes",
            "-g",
            help="File with gene symbols (one per line, or separated by spaces/commas).",
        ),
    ] = None,
    mirna: Annotated[
        str | None,
        typer.Option(
            "--mirna",
            "-m",
            help="Use this miRNA's strong-evidence miRTarBase targets (any spelling).",
        ),
    ] = None,
    gmt: Annotated[
        list[Path] | None,
        typer.Option(
            "--gmt", help="GMT gene-set file(s); default: shipped Hallmark, Reactome, WikiPathways."
        ),
    ] = None,
    collection: Annotated[
        list[str] | None,
        typer.Option(
            "--collection", help="Shipped collection(s): hallmark, reactome, wikipathways."
        ),
    ] = None,
    background: Annotated[
        Path | None, typer.Option("--background", "-b", help="File with the background gene list.")
    ] = None,
    null: Annotated[
        str | None,
        typer.Option("--null", help="'empirical' adds the miRNA-specific empirical null."),
    ] = None,
    n_null: Annotated[int, typer.Option("--n-null", help="Number of null draws.")] = 10_000,
    null_model: Annotated[
        str,
        typer.Option(
            "--null-model",
            help="'frequency' (genes weighted by how many miRNAs target them) or 'mirnas' "
            "(pooled target lists of random other miRNAs).",
        ),
    ] = "frequency",
    null_weights: Annotated[
        Path | None,
        typer.Option(
            "--null-weights",
            help="TSV 'gene<TAB>weight' (e.g. 3'UTR length or site count) for a site/length-"
            "matched null instead of the miRTarBase target frequency.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the null.")] = 0,
    min_size: Annotated[int, typer.Option("--min-size", help="Smallest gene set tested.")] = 10,
    max_size: Annotated[int, typer.Option("--max-size", help="Largest gene set tested.")] = 500,
    top: Annotated[int, typer.Option("--top", help="Rows shown in table format (json: all).")] = 20,
    pathways: Annotated[
        bool,
        typer.Option(
            "--pathways",
            help="Report the core pathways (Wnt, PI3K/Akt, NF-kB, JAK/STAT, Notch) only.",
        ),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Pathway enrichment of --genes FILE or --mirna NAME's validated targets."""
    if ctx.invoked_subcommand is not None:
        return
    from mirscope.errors import EmptyResultError, InputError
    from mirscope.network import enrich, pathway_report

    if fmt not in ("table", "json"):
        raise InputError(f"--format {fmt!r} is not valid; use 'table' or 'json'.")
    if (genes is None) == (mirna is None):
        raise InputError("give exactly one of --genes FILE or --mirna NAME (e.g. --mirna miR-124).")
    if null not in (None, "empirical"):
        raise InputError(f"--null {null!r} is not valid; the only null model is 'empirical'.")
    if genes is not None:
        gene_list = _read_gene_list(genes)
        source = str(genes)
    else:
        from mirscope.kb import load_mirtarbase

        targets = load_mirtarbase(mirna=mirna)
        gene_list = sorted(set(targets["target"]))
        if not gene_list:
            raise EmptyResultError(
                f"{mirna} has no strong-evidence miRTarBase target; give its targets with "
                "--genes FILE (e.g. predicted targets from `mirscope sites`)."
            )
        source = f"{mirna} miRTarBase targets"
    from mirscope.errors import UnknownNameError
    from mirscope.schema import GENE_SET_COLLECTIONS

    bad = [c for c in collection or () if c not in GENE_SET_COLLECTIONS]
    if bad:
        raise UnknownNameError("gene-set collection", bad[0], list(GENE_SET_COLLECTIONS))
    gene_sets: list[str] | list[Path] = (
        list(gmt) if gmt else list(collection or GENE_SET_COLLECTIONS)
    )
    bg = _read_gene_list(background) if background is not None else None
    weights = _read_weights(null_weights) if null_weights is not None else None
    res = enrich(
        gene_list,
        null_weights=weights,
        null_model=null_model,  # type: ignore[arg-type]
        gene_sets=gene_sets,
        background=bg,
        null=null,  # type: ignore[arg-type]
        n_null=n_null,
        seed=seed,
        mirna=mirna,
        min_size=min_size,
        max_size=max_size,
    )
    typer.echo(
        f"{source}: {len(res.genes)} of {len(res.genes) + len(res.unmatched)} genes in the "
        f"background of {res.n_background}; {len(res.table)} gene sets tested.",
        err=True,
    )
    table = pathway_report(res) if pathways else res.table
    if fmt == "json":
        if pathways:
            from mirscope.network.enrichment import _records

            typer.echo(json.dumps(_records(table), indent=1))
        else:
            typer.echo(json.dumps(res.to_records(), indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    cols = [c for c in table.columns if c != "genes"]
    if null is None:
        cols = [
            c
            for c in cols
            if c not in ("null_mean", "p_empirical", "q_empirical", "significant_empirical")
        ]
    t = Table(title=f"Enrichment: {source}")
    for c in cols:
        t.add_column(c, overflow="fold")
    for _, row in table.head(top if not pathways else len(table)).iterrows():
        t.add_row(*[f"{row[c]:.3g}" if isinstance(row[c], float) else str(row[c]) for c in cols])
    Console(width=200).print(t)
