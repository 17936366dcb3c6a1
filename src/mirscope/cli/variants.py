"""`mirscope variants`: which variants of a VCF make, break or retype miRNA sites."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

#: The demo default when neither --mirna nor --all-mirnas is given.
DEMO_MIRNA = "miR-124-3p"

app = typer.Typer(
    help="Which variants of a VCF gain, lose or change miRNA sites in 3'UTRs (and lncRNAs), "
    "and which fall in miRNA precursors.",
    invoke_without_command=True,
    no_args_is_help=True,
)


@app.callback(invoke_without_command=True)
def variants_cmd(
    vcf: Annotated[Path, typer.Option("--vcf", help="Sorted VCF (.vcf or .vcf.gz), GRCh38 or matching the genome.")],
    gtf: Annotated[Path | None, typer.Option("--gtf", help="GENCODE/Ensembl GTF (needs --genome).")] = None,
    genome: Annotated[Path | None, typer.Option("--genome", help="Genome FASTA (.fa, bgzip or gzip) matching the VCF.")] = None,
    utrs: Annotated[
        Path | None,
        typer.Option("--utrs", help="Instead of --gtf/--genome: FASTA with >TRANSCRIPT|GENE|chr:start-end[,...]:strand headers."),
    ] = None,
    mirna: Annotated[list[str] | None, typer.Option("--mirna", help="miRBase mature miRNA name (repeatable; default: the demo miRNA).")] = None,
    all_mirnas: Annotated[bool, typer.Option("--all-mirnas", help="All 2,656 human mature miRNAs of miRBase v22.")] = False,
    mirnas_file: Annotated[
        Path | None, typer.Option("--mirnas", help="Mature miRNA FASTA to use instead (every record; any names).")
    ] = None,
    feature: Annotated[
        list[str] | None, typer.Option("--feature", help="GTF feature(s) to annotate: utr3 (default), lncrna, transcript."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, tsv or json (a list of objects).")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file (default: stdout).")] = None,
    precursors: Annotated[
        Path | None,
        typer.Option("--precursors", help="Also write variants in miRNA precursors (miRBase GFF3) to this file."),
    ] = None,
    mirna_gff: Annotated[Path | None, typer.Option("--mirna-gff", help="miRBase GFF3 (default: shipped v22, GRCh38).")] = None,
    precursor_flank: Annotated[int, typer.Option("--precursor-flank", help="Also report variants this many nt around a hairpin (pri-miRNA).")] = 0,
    no_energies: Annotated[bool, typer.Option("--no-energies", help="Skip ViennaRNA duplex energies (faster; ddg empty).")] = False,
    skip_malformed: Annotated[bool, typer.Option("--skip-malformed", help="Skip and count malformed VCF lines instead of stopping.")] = False,
    skip_missing_contigs: Annotated[bool, typer.Option("--skip-missing-contigs", help="Skip and count records on contigs the genome lacks.")] = False,
    skip_ref_mismatch: Annotated[bool, typer.Option("--skip-ref-mismatch", help="Skip and count records whose REF differs from the genome.")] = False,
    workers: Annotated[int, typer.Option("--workers", help="Processes.")] = 1,
) -> None:
    """Annotate a VCF: one row per (variant allele, transcript, miRNA, site) gained, lost or changed.

    Positions: ref_start..alt_end are 1-based along the transcript feature (5'->3');
    genomic_start/genomic_end on the genome's + strand. A summary of what was read and
    skipped goes to stderr as JSON.
    """
    from mirscope.errors import InputError
    from mirscope.sites.scan import human_matures, resolve_mirna
    from mirscope.variants import annotate_vcf, features_from_gtf, read_feature_fasta

    if utrs is not None and gtf is not None:
        raise InputError("give either --gtf with --genome, or --utrs (a FASTA with coordinates in its headers), not both")
    if utrs is None and gtf is None and precursors is None:
        raise InputError(
            "give either --gtf with --genome, or --utrs (a FASTA with coordinates in its headers); "
            "or only --precursors FILE to annotate variants in miRNA genes"
        )
    if gtf is not None and genome is None:
        raise InputError("--gtf needs --genome (the genome FASTA the GTF and VCF refer to)")
    if sum([bool(mirna), all_mirnas, mirnas_file is not None]) > 1:
        raise InputError("give one of --mirna, --all-mirnas or --mirnas FILE, not several (--mirna or --all-mirnas, not both)")
    if mirnas_file is not None:
        from mirscope.sites import read_mirbase_mature

        mirnas = read_mirbase_mature(mirnas_file)
    elif all_mirnas:
        mirnas = human_matures()
    else:
        names = mirna or [DEMO_MIRNA]
        mirnas = dict(resolve_mirna(n) for n in names)
    if utrs is not None:
        if feature:
            raise InputError("--feature applies to --gtf; a --utrs FASTA is annotated as given")
        feats = read_feature_fasta(utrs)
        genome_arg = genome
    elif gtf is not None:
        feats = features_from_gtf(gtf, tuple(feature or ["utr3"]))  # type: ignore[arg-type]
        genome_arg = genome
    else:
        feats, genome_arg = [], genome  # precursors only
    if not feats and (gtf is not None or utrs is not None):
        raise InputError("the annotation has no transcript features of the requested kind; check --feature and the GTF")
    to_stdout = output is None
    import tempfile

    tmpdir = tempfile.TemporaryDirectory() if to_stdout else None
    out_path = Path(tmpdir.name) / "out" if tmpdir is not None else output
    try:
        run = annotate_vcf(
            vcf, feats, mirnas, out_path, genome=genome_arg, fmt=fmt,  # type: ignore[arg-type]
            energies=not no_energies, precursor_output=precursors, mirna_gff=mirna_gff,
            precursor_flank=precursor_flank,
            on_malformed="skip" if skip_malformed else "error",
            on_missing_contig="skip" if skip_missing_contigs else "error",
            on_ref_mismatch="skip" if skip_ref_mismatch else "error",
            workers=workers,
        )
        if to_stdout:
            typer.echo(Path(out_path).read_text(), nl=False)  # type: ignore[arg-type]
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()
    summary = run.to_dict()
    if to_stdout:
        summary["output"] = "<stdout>"
    typer.echo(json.dumps(summary), err=True)
