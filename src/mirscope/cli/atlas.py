"""`mirscope atlas` and `mirscope tcga fetch` (thin layers over :mod:`mirscope.clinical.atlas`
and :mod:`mirscope.clinical.gdc`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="TCGA pan-cancer atlas of a miRNA: tumour vs paired normal, Cox and log-rank survival "
    "in every cohort (shipped, cached or --cohort-dir).",
    no_args_is_help=False,
)
tcga_app = typer.Typer(help="TCGA cohorts: download from the GDC API into the user cache.",
                       no_args_is_help=True)

_FORMATS = ("table", "tsv", "json")
_TABLE_COLS = ["cohort", "n_paired", "log2fc", "wilcoxon_p", "q", "n_survival", "events", "cox_hr",
               "cox_p", "logrank_p", "zero_fraction", "status_paired", "status_survival"]


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [t.strip() for t in text.split(",") if t.strip()]


@app.callback(invoke_without_command=True)
def atlas(
    ctx: typer.Context,
    mirna: Annotated[str | None, typer.Option("--mirna", "-m", help="miRNA (any miRBase spelling; its precursors are summed).")] = None,
    all_mirnas: Annotated[bool, typer.Option("--all", help="Every miRNA x every cohort (needs -o).")] = False,
    cohorts: Annotated[str | None, typer.Option("--cohorts", help="Comma-separated cohorts (default: all).")] = None,
    cohort_dir: Annotated[
        Path | None,
        typer.Option("--cohort-dir", help="Folder of {COHORT}.mirna_rpm.csv.gz, .mirna_counts.csv.gz, "
                     ".clinical.csv.gz (default: the 18 shipped cohorts)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, tsv or json.")] = "table",
    figure: Annotated[Path | None, typer.Option("--figure", help="Write the pan-cancer panel (.png or .svg).")] = None,
    km: Annotated[str | None, typer.Option("--km", help="Cohort for a Kaplan-Meier figure (with --km-figure).")] = None,
    km_figure: Annotated[Path | None, typer.Option("--km-figure", help="KM figure file (.png or .svg).")] = None,
    paired_figure: Annotated[
        Path | None, typer.Option("--paired-figure", help="Paired tumour/normal figure of the --km cohort.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="--all: table file (.parquet, .tsv or .csv).")] = None,
    max_zero_fraction: Annotated[
        float, typer.Option("--max-zero-fraction", help="Report 'not detected' when at least this "
                            "fraction of tumours has 0 reads.")
    ] = 0.5,
) -> None:
    """One miRNA across TCGA cohorts (``--mirna``), or every miRNA (``--all -o FILE``)."""
    if ctx.invoked_subcommand is not None:
        return
    from mirscope.errors import InputError

    if fmt not in _FORMATS:
        raise InputError(f"--format {fmt!r} unknown; use one of {', '.join(_FORMATS)}")
    cl = _split(cohorts)
    if all_mirnas:
        if mirna is not None:
            raise InputError("give either --mirna or --all, not both")
        if output is None:
            raise InputError("--all needs -o FILE (.parquet, .tsv or .csv) for its table")
        _write_all(output, cl, cohort_dir, max_zero_fraction)
        return
    if mirna is None:
        raise InputError("give --mirna NAME (e.g. --mirna miR-21) or --all -o atlas.parquet")
    from mirscope.clinical.atlas import AtlasFitter

    res = AtlasFitter(max_zero_fraction=max_zero_fraction).fit(mirna, cohorts=cl, cohort_dir=cohort_dir).result_
    # validate the figure paths before printing anything
    from mirscope.clinical import atlas_plots as ap

    if (km_figure or paired_figure) and not km:
        raise InputError("--km-figure/--paired-figure need --km COHORT")
    if fmt == "json":
        typer.echo(json.dumps(res.to_dict(), indent=2))
    elif fmt == "tsv":
        typer.echo(res.table.to_csv(sep="\t", index=False), nl=False)
    else:
        typer.echo(f"{res.mirna} = sum of {', '.join(res.precursors)} (log2(RPM+1)); "
                   f"q = BH of wilcoxon_p across cohorts")
        typer.echo(res.table[_TABLE_COLS].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    for c, e in res.excluded_.items():
        if e:
            typer.echo(f"Note: {c} survival excluded " + ", ".join(f"{k}={v}" for k, v in e.items()), err=True)
    if figure is not None:
        ap.save_atlas_figure(ap.plot_atlas_panel(res), figure)
        typer.echo(f"wrote {figure}", err=True)
    if km and km_figure:
        ap.save_atlas_figure(ap.plot_atlas_km(mirna, km, cohort_dir=cohort_dir), km_figure)
        typer.echo(f"wrote {km_figure}", err=True)
    if km and paired_figure:
        ap.save_atlas_figure(ap.plot_atlas_paired(mirna, km, cohort_dir=cohort_dir), paired_figure)
        typer.echo(f"wrote {paired_figure}", err=True)


def _write_all(output: Path, cohorts: list[str] | None, cohort_dir: Path | None, mzf: float) -> None:
    from mirscope._files import atomic_path
    from mirscope.clinical.atlas import atlas_all
    from mirscope.errors import InputError

    suf = output.suffix.lower()
    if suf not in {".parquet", ".tsv", ".csv"}:
        raise InputError(f"-o {str(output)!r}: use a .parquet, .tsv or .csv file name")
    if not output.parent.exists():
        raise InputError(f"folder {str(output.parent)!r} does not exist; create it first")
    tab = atlas_all(cohorts=cohorts, cohort_dir=cohort_dir, max_zero_fraction=mzf, progress=True)
    with atomic_path(output, suffix=suf) as tmp:
        if suf == ".parquet":
            tab.to_parquet(tmp, index=False)
        else:
            tab.to_csv(tmp, sep="\t" if suf == ".tsv" else ",", index=False)
    typer.echo(f"wrote {output}: {tab['mirna'].nunique()} miRNAs x {tab['cohort'].nunique()} cohorts "
               f"({len(tab)} rows)", err=True)


@tcga_app.command("fetch")
def fetch(
    project: Annotated[str, typer.Argument(help="GDC project, e.g. TCGA-UCEC or UCEC.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder (default: the user cache's tcga folder).")
    ] = None,
    offline: Annotated[bool, typer.Option("--offline", help="Use the cache only; no network.")] = False,
) -> None:
    """Download a cohort's miRNA quantification and clinical data into the TCGA layout.

    Files already downloaded are kept (re-running resumes); offline, an existing cached
    cohort is used.
    """
    from mirscope.clinical.gdc import fetch_project

    res = fetch_project(project, out_dir=out, offline=offline, progress=True)
    typer.echo(str(res.folder))
    typer.echo(f"{res.cohort}: {res.n_samples} samples, {res.n_patients} patients "
               f"({res.n_downloaded} files downloaded, {res.n_cached} from cache"
               f"{', offline cache' if res.from_cache else ''})", err=True)
