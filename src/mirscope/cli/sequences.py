"""`mirscope sequences`: sequences by name (Ensembl REST, cached) or from a local GTF + genome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Get 3'UTR/CDS/cDNA/lncRNA/circRNA sequences by name (Ensembl, cached) or from local files.",
    no_args_is_help=True,
)


@app.command("fetch")
def fetch_cmd(
    names: Annotated[list[str], typer.Argument(help="HGNC symbols, Ensembl or RefSeq ids.")],
    kind: Annotated[str, typer.Option("--kind", "-k", help="utr3, cds, cdna or lncrna.")] = "utr3",
    all_transcripts: Annotated[bool, typer.Option("--all-transcripts", help="Every transcript, not only the canonical one.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="FASTA file (default: stdout).")] = None,
    release: Annotated[int | None, typer.Option("--release", help="Pin an Ensembl release (cache key).")] = None,
) -> None:
    """Fetch sequences from Ensembl REST (each fetched once, then served from the cache)."""
    from mirscope.sequences import EnsemblClient

    client = EnsemblClient(release=release)
    records = [r for n in names for r in client.fetch(n, kind=kind, all_transcripts=all_transcripts)]  # type: ignore[arg-type]
    _emit(records, output)


@app.command("circ")
def circ_cmd(
    names: Annotated[list[str], typer.Argument(help="circRNA names/ids (circHIPK3, hsa_circ_0000284) or chr:start-end[,...]:strand.")],
    assembly: Annotated[str, typer.Option("--assembly", help="Assembly of given coordinates.")] = "GRCh38",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="FASTA file (default: stdout).")] = None,
) -> None:
    """Assemble back-spliced circRNA sequences (scan them with `mirscope sites scan --circular`)."""
    from mirscope.sequences import EnsemblClient, circrna_sequence

    client = EnsemblClient()
    _emit([circrna_sequence(n, client=client, assembly=assembly) for n in names], output)


@app.command("extract")
def extract_cmd(
    gtf: Annotated[Path, typer.Option("--gtf", help="GENCODE/Ensembl GTF (.gtf or .gtf.gz).")],
    genome: Annotated[Path, typer.Option("--genome", help="Genome FASTA (.fa, bgzip or gzip).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output FASTA.")],
    feature: Annotated[str, typer.Option("--feature", help="utr3, cds, transcript or lncrna.")] = "utr3",
    skip_missing_contigs: Annotated[bool, typer.Option("--skip-missing-contigs", help="Skip (and count) transcripts on contigs the genome lacks instead of stopping.")] = False,
) -> None:
    """Extract features from a local GTF + genome FASTA (streaming, with a progress bar)."""
    from mirscope.sequences import extract_features

    rep = extract_features(
        gtf, genome, output, feature=feature,  # type: ignore[arg-type]
        on_missing_contig="skip" if skip_missing_contigs else "error", progress=None,
    )
    typer.echo(json.dumps(rep.to_dict()), err=True)
    typer.echo(str(output))


def _emit(records: list, output: Path | None) -> None:
    from mirscope.sequences import write_fasta_atomic

    if output is None:
        for rec in records:
            typer.echo(f">{rec.id}")
            for i in range(0, len(rec.seq), 60):
                typer.echo(rec.seq[i : i + 60])
    else:
        n = write_fasta_atomic(records, output)
        typer.echo(f"Wrote {n} sequence(s) to {output}", err=True)
