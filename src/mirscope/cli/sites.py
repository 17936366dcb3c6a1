"""`mirscope sites` commands (thin layer over :mod:`mirscope.sites`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from mirscope.cli._options import DbOption

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
    mir_family_file: Annotated[
        Path, typer.Argument(help="TargetScan miRNA family file (family, seed 2-8, species).")
    ],
    utr_file: Annotated[
        Path, typer.Argument(help="Aligned UTR file (gene, species id, aligned sequence).")
    ],
    output: Annotated[
        Path, typer.Argument(help="Output table (TargetScan 7's targetscan_70_output.txt format).")
    ],
) -> None:
    """Find TargetScan 7 sites and their cross-species groups; write TargetScan's table."""
    from mirscope.sites.targetscan import run_targetscan

    n = run_targetscan(mir_family_file, utr_file, output)
    typer.echo(f"{n} sites written to {output}", err=True)


@app.command("bl-pct")
def bl_pct_cmd(
    mir_family_file: Annotated[Path, typer.Argument(help="TargetScan miRNA family file.")],
    site_table: Annotated[
        Path, typer.Argument(help="Site table from `mirscope sites targetscan`.")
    ],
    bins_file: Annotated[
        Path, typer.Argument(help="UTR conservation bins (gene, median BL, bin 1-10).")
    ],
    output: Annotated[
        Path, typer.Argument(help="Output (TargetScan 7's targetscan_70_output.BL_PCT.txt format).")
    ],
) -> None:
    """Branch-length scores and P_CT of TargetScan sites (TargetScan 7 BL/PCT stage)."""
    from mirscope.sites.conservation import run_bl_pct

    n = run_bl_pct(mir_family_file, site_table, bins_file, output)
    typer.echo(f"{n} sites with branch lengths and P_CT written to {output}", err=True)


@app.command("context")
def context_cmd(
    mir_context_file: Annotated[
        Path, typer.Argument(help="TargetScan miR_for_context_scores file (miRNA, species, sequence).")
    ],
    utr_file: Annotated[Path, typer.Argument(help="Aligned multi-species UTR file.")],
    bl_pct_file: Annotated[Path, typer.Argument(help="Output of `mirscope sites bl-pct`.")],
    orf_file: Annotated[Path, typer.Argument(help="Aligned ORF sequences (TargetScan format).")],
    output: Annotated[
        Path, typer.Argument(help="Output (Targets.BL_PCT.context_scores.txt format).")
    ],
    air: Annotated[
        Path | None, typer.Option("--air", help="3'UTR isoform ratios (All_cell_lines.AIRs.txt).")
    ] = None,
    rnaplfold_dir: Annotated[
        Path | None,
        typer.Option("--rnaplfold-dir", help="Folder of RNAplfold -L 40 -W 80 -u 20 *_lunp files."),
    ] = None,
    accessibility: Annotated[
        str,
        typer.Option(
            "--accessibility",
            help="rnaplfold (read --rnaplfold-dir; exact) or vienna (compute with ViennaRNA).",
        ),
    ] = "rnaplfold",
    offset6mer: Annotated[
        str,
        typer.Option(
            "--offset6mer", help="targetscan (as TargetScan 7 prints) or count (published definition)."
        ),
    ] = "targetscan",
) -> None:
    """Context++ scores of TargetScan sites (TargetScan 7 context++ stage, Agarwal et al. 2015)."""
    from mirscope.sites.context_scores import run_context_scores

    n = run_context_scores(
        mir_context_file, utr_file, output, bl_pct_file=bl_pct_file, orf_file=orf_file,
        air_file=air, rnaplfold_dir=rnaplfold_dir,
        accessibility=accessibility,  # type: ignore[arg-type]
        offset6mer=offset6mer,  # type: ignore[arg-type]
    )
    typer.echo(f"{n} context++ score rows written to {output}", err=True)


@app.command("orf")
def orf_cmd(
    mir_family_file: Annotated[Path, typer.Argument(help="TargetScan miRNA family file.")],
    orf_file: Annotated[
        Path, typer.Argument(help="Aligned ORF file (gene, species id, aligned sequence).")
    ],
    lengths_output: Annotated[Path, typer.Option("--lengths", help="Write ORF lengths here.")],
    counts_output: Annotated[Path, typer.Option("--counts", help="Write ORF 8mer counts here.")],
) -> None:
    """ORF lengths and ORF 8mer site counts (TargetScan 7 context++ inputs)."""
    from mirscope.sites.targetscan import run_orf

    n_orf, n_counts = run_orf(
        mir_family_file, orf_file, lengths_output=lengths_output, counts_output=counts_output
    )
    typer.echo(f"{n_orf} ORF lengths and {n_counts} non-zero 8mer counts written", err=True)


@app.command("scan")
def scan_cmd(
    mirna: Annotated[
        str, typer.Option("--mirna", help="Mature miRNA name (miRBase v22, any spelling).")
    ],
    fasta: Annotated[
        Path | None, typer.Option("--fasta", help="FASTA of transcripts (DNA or RNA).")
    ] = None,
    gene: Annotated[
        list[str] | None,
        typer.Option(
            "--gene",
            help="Scan this gene's 3'UTR (HGNC symbol or Ensembl/RefSeq id; repeatable). "
            "Sequences come from the local cache or Ensembl REST (see `mirscope sequences`).",
        ),
    ] = None,
    genes_from_kb: Annotated[
        bool,
        typer.Option(
            "--genes-from-kb",
            help="Scan the 3'UTRs of the knowledge base's targets of --mirna (in --cancer).",
        ),
    ] = False,
    cancer: Annotated[
        str | None, typer.Option("--cancer", help="With --genes-from-kb: targets in this cancer.")
    ] = None,
    all_transcripts: Annotated[
        bool, typer.Option("--all-transcripts", help="With --gene: every transcript's 3'UTR.")
    ] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="With --gene: use cached sequences only.")
    ] = False,
    circular: Annotated[
        bool,
        typer.Option("--circular", help="Sequences are circRNAs: first base follows the last."),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="Output format: tsv or json.")] = "tsv",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
    mirna_seq: Annotated[
        str | None,
        typer.Option("--mirna-seq", help="Mature sequence to use instead of the name lookup."),
    ] = None,
    energies: Annotated[
        bool, typer.Option("--energies/--no-energies", help="Duplex energy and 3' pairing score.")
    ] = True,
    summary_output: Annotated[
        Path | None,
        typer.Option(
            "--summary-output", help="With tsv: also write per-transcript counts and sites/kb here."
        ),
    ] = None,
    db: DbOption = None,
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
    genes = list(gene or [])
    if genes_from_kb:
        from mirscope.kb import open_store
        from mirscope.sequences import kb_target_genes

        genes += kb_target_genes(mirna, cancer=cancer, kb=open_store(db))
    elif cancer is not None:
        raise InputError("--cancer only applies with --genes-from-kb; add --genes-from-kb or drop --cancer.")
    if (fasta is None) == (not genes):
        raise InputError(
            "Give exactly one sequence source: --fasta FILE, or --gene NAME (repeatable) / "
            "--genes-from-kb [--cancer X]."
        )
    if fasta is not None:
        seqs = read_fasta(fasta)
    else:
        from mirscope.sequences import CacheOnlyTransport, EnsemblClient

        client = (
            EnsemblClient(transport=CacheOnlyTransport(), retries=0) if offline else EnsemblClient()
        )
        seqs = {}
        for g in dict.fromkeys(genes):
            for rec in client.fetch(g, kind="utr3", all_transcripts=all_transcripts):
                seqs[rec.id] = rec.seq
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
    fasta: Annotated[Path, typer.Option("--fasta", help="FASTA of transcripts (DNA or RNA).")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Parquet file (or directory with --dask).")
    ],
    mirnas: Annotated[
        Path | None,
        typer.Option(
            "--mirnas", help="miRBase mature FASTA (default: all human matures of miRBase v22)."
        ),
    ] = None,
    circular: Annotated[bool, typer.Option("--circular", help="Sequences are circRNAs.")] = False,
    use_dask: Annotated[
        bool, typer.Option("--dask", help="Partition the scan with Dask (LocalCluster by default).")
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://...) or threads/processes; implies --dask.",
        ),
    ] = None,
    partitions: Annotated[
        int, typer.Option("--partitions", help="Transcript partitions for Dask.")
    ] = 4,
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
    typer.echo(
        f"{n} sites of {len(mats)} miRNAs in {len(seqs)} transcripts written to {output}", err=True
    )
