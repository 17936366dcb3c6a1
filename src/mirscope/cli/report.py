"""`mirscope report`: write the self-contained HTML report (thin layer over :mod:`mirscope.report`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mirscope.cli._options import DB_HELP

app = typer.Typer(
    help="Write one self-contained HTML report on a miRNA (evidence, network, sites, "
    "simulation, enrichment, clinical).",
    no_args_is_help=False,
)


@app.callback(invoke_without_command=True)
def report(
    ctx: typer.Context,
    mirna: Annotated[str, typer.Option("--mirna", "-m", help="miRNA in any spelling (miRBase name, legacy name or MIMAT accession).")] = "miR-124",
    output: Annotated[
        Path, typer.Option("--output", "-o", help="HTML file to write.")
    ] = Path("mirscope-report.html"),
    cancer: Annotated[
        str | None, typer.Option("--cancer", "-c", help="Restrict to one cancer (e.g. HCC).")
    ] = None,
    cohort: Annotated[
        list[Path] | None,
        typer.Option("--cohort", help="Cohort table (CSV/TSV/Excel) for ROC/Kaplan-Meier; repeatable."),
    ] = None,
    fasta: Annotated[
        list[Path] | None,
        typer.Option("--fasta", help="FASTA file of sequences to scan for sites; repeatable."),
    ] = None,
    kb_url: Annotated[
        str | None,
        typer.Option("--db", envvar="MIRSCOPE_DB", help=DB_HELP),
    ] = None,
    kb_alias: Annotated[
        str | None, typer.Option("--kb", hidden=True, help="Deprecated spelling of --db.")
    ] = None,
    vcf: Annotated[
        list[Path] | None,
        typer.Option("--vcf", help="VCF whose variants are checked for sites gained/lost (needs --variant-utrs); repeatable."),
    ] = None,
    variant_utrs: Annotated[
        Path | None,
        typer.Option("--variant-utrs", help="3'UTR FASTA with >TRANSCRIPT|GENE|chr:start-end:strand headers, for --vcf."),
    ] = None,
    online_sequences: Annotated[
        bool,
        typer.Option(
            "--online-sequences",
            help="Fetch reported targets' 3'UTRs from Ensembl when not cached (default: cache only).",
        ),
    ] = False,
    marker_col: Annotated[str | None, typer.Option(help="Cohort marker column.")] = None,
    label_col: Annotated[str | None, typer.Option(help="Cohort diagnosis label column.")] = None,
    positive: Annotated[str | None, typer.Option(help="Positive (case) label value (ROC).")] = None,
    negative: Annotated[
        str | None, typer.Option(help="Negative (control) label value, if the label has more.")
    ] = None,
    duration_col: Annotated[str | None, typer.Option(help="Survival time column.")] = None,
    event_col: Annotated[str | None, typer.Option(help="Survival event column (1 = event).")] = None,
    split: Annotated[str, typer.Option(help="High/low split: median, mean or optimal.")] = "median",
    section: Annotated[
        list[str] | None,
        typer.Option("--section", "-s", help="Only these sections (repeatable): summary, "
                     "evidence, network, cerna, sites, simulation, enrichment, clinical, atlas."),
    ] = None,
) -> None:
    """Write the report and print its path on stdout."""
    if ctx.invoked_subcommand is not None:
        return
    from mirscope.errors import InputError
    from mirscope.report import SECTIONS, CohortColumns, write_report

    kb_url = kb_url or kb_alias
    if split not in ("median", "mean", "optimal"):
        raise InputError(f"--split {split!r} is not valid; use median, mean or optimal.")
    columns = CohortColumns(
        marker=marker_col, label=label_col, positive=positive, negative=negative,
        duration=duration_col,
        event=event_col, split=split,  # type: ignore[arg-type]
    )
    path = write_report(
        output, mirna, cancer=cancer, cohorts=cohort or (), fasta=fasta or (), kb_url=kb_url,
        columns=columns, sections=tuple(section) if section else SECTIONS,  # type: ignore[arg-type]
        online_sequences=online_sequences, vcf=vcf or (), variant_utrs=variant_utrs,
    )
    typer.echo(str(path))
