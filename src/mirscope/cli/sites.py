"""`mirscope sites` commands (thin layer over :mod:`mirscope.sites`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Literal

import typer

app = typer.Typer(
    help="Binding sites: TargetScan 7 site tables, miRNA sponge scans of (circular) RNAs, "
    "transcriptome-wide scans to Parquet.",
    no_args_is_help=True,
)

ScanFormat = Literal["tsv", "json"]


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from mirscope.sites.io import atomic_write

    with atomic_write(output) as fh:
        fh.write(text)


@app.command("targetscan")
def targetscan_cmd(
    mir_family_file: Path = typer.Argument(..., help="TargetScan miRNA family file (family, seed 2-8, species)."),
    utr_file: Path = typer.Argument(..., help="Aligned UTR file (gene, species id, aligned sequence)."),
    output: Path = typer.Argument(..., help="Output table (TargetScan 7's targetscan_70_output.txt format)."),
) -> None:
    """Find TargetScan 7 sites and their cross-species groups; write TargetScan's table."""
    from mirscope.sites.targetscan import run_targetscan

    n = run_targetscan(mir_family_file, utr_file, output)
    typer.echo(f"{n} sites written to {output}", err=True)


@app.command("scan")
def scan_cmd(
    mirna: str = typer.Option(..., "--mirna", help="miRNA name, e.g. miR-124-3p (miRBase v22)."),
    fasta: Path = typer.Option(..., "--fasta", help="FASTA of transcripts (DNA or RNA)."),
    circular: bool = typer.Option(False, "--circular", help="Sequences are circRNAs: first base follows the last."),
    fmt: str = typer.Option("tsv", "--format", help="Output format: tsv or json."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    mirna_seq: str | None = typer.Option(None, "--mirna-seq", help="Mature sequence to use instead of the name lookup."),
    energies: bool = typer.Option(True, "--energies/--no-energies", help="Duplex energy and 3' pairing score."),
    summary_output: Path | None = typer.Option(
        None, "--summary-output", help="With tsv: also write per-transcript counts and sites/kb here."
    ),
) -> None:
    """Every seed site of one miRNA in the transcripts, with energies and per-transcript counts.

    tsv prints the site table (the per-transcript summary goes to --summary-output
    and a one-line total to stderr); json prints {"mirna", "sites", "summary"}.
    """
    from mirscope.errors import InputError
    from mirscope.sites.io import read_fasta
    from mirscope.sites.scan import scan, summarize

    if fmt not in ("tsv", "json"):
        raise InputError(f"--format {fmt!r} is not supported; use tsv or json")
    seqs = read_fasta(fasta)
    sites = scan(seqs, mirna, circular=circular, energies=energies, mirna_seq=mirna_seq)
    summary = summarize(sites)
    if fmt == "json":
        doc = {
            "mirna": sites.attrs["mirna"],
            "mirna_sequence": sites.attrs["mirna_seq"],
            "circular": circular,
            "sites": json.loads(sites.to_json(orient="records")),
            "summary": json.loads(summary.to_json(orient="records")),
        }
        _emit(json.dumps(doc, indent=2) + "\n", output)
    else:
        _emit(sites.to_csv(sep="\t", index=False), output)
        if summary_output is not None:
            _emit(summary.to_csv(sep="\t", index=False), summary_output)
    typer.echo(
        f"{len(sites)} {sites.attrs['mirna']} sites in {len(summary)} transcripts "
        f"({int((summary['n_sites'] > 0).sum())} with sites)",
        err=True,
    )


@app.command("scan-all")
def scan_all_cmd(
    fasta: Path = typer.Option(..., "--fasta", help="FASTA of transcripts (DNA or RNA)."),
    output: Path = typer.Option(..., "-o", "--output", help="Parquet file (or directory with --dask)."),
    mirnas: Path | None = typer.Option(
        None, "--mirnas", help="miRBase mature FASTA (default: all human matures of miRBase v22)."
    ),
    circular: bool = typer.Option(False, "--circular", help="Sequences are circRNAs."),
    use_dask: bool = typer.Option(False, "--dask", help="Partition the scan with Dask (LocalCluster by default)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://...) or threads/processes; implies --dask."
    ),
    partitions: int = typer.Option(4, "--partitions", help="Transcript partitions for Dask."),
) -> None:
    """Scan every miRNA against every transcript; stream sites to Parquet."""
    from mirscope.sites.io import read_fasta, read_mirbase_mature
    from mirscope.sites.scan import human_matures
    from mirscope.sites.transcriptome import scan_transcriptome, scan_transcriptome_dask

    seqs = read_fasta(fasta)
    mats = read_mirbase_mature(mirnas) if mirnas is not None else human_matures()
    if use_dask or scheduler is not None:
        stats = scan_transcriptome_dask(
            seqs, mats, output, circular=circular, partitions=partitions, scheduler=scheduler
        )
        n = sum(s.n_sites for s in stats)
    else:
        n = scan_transcriptome(seqs, mats, output, circular=circular).n_sites
    typer.echo(f"{n} sites of {len(mats)} miRNAs in {len(seqs)} transcripts written to {output}", err=True)
