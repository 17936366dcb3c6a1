"""`mirscope simulate` commands (thin layer over :mod:`mirscope.simulate`).

``mirscope simulate --cancer breast --perturb "miR-124=overexpress" --format json`` runs
a perturbation; subcommands export SBML, validate against the review, check sponge
plausibility and draw dose-response curves, dose grids and time courses. Results go to
stdout; figures and SBML files are written atomically; status goes to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from mirscope.simulate import Model

app = typer.Typer(
    help="Kinetic model of the miRNA's own network: perturb it (mimic, antagomir, knockdown, "
    "knockout, demethylation, activation) for any miRNA, lncRNA or circRNA node, export SBML, "
    "validate against the review.",
    no_args_is_help=True,
)

CancerOpt = Annotated[
    str | None,
    typer.Option("--cancer", "-c", help="Cancer type (breast, HCC...). Default: pan-cancer."),
]
PerturbOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--perturb",
        "-p",
        help="NODE=VERB, repeatable; verbs: overexpress, inhibit, knockdown, knockout, "
        "demethylate, activate.",
    ),
]
DoseOpt = Annotated[
    float | None, typer.Option("--dose", help="Strength of every perturbation (1 = standard).")
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or tsv.")]


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _check_format(fmt: str, allowed: tuple[str, ...] = ("table", "json", "tsv")) -> None:
    from mirscope.errors import InputError

    if fmt not in allowed:
        raise InputError(f"--format {fmt!r} is not valid; use one of {', '.join(allowed)}.")


MirnaOpt = Annotated[
    str | None,
    typer.Option(
        "--mirna",
        "-m",
        help="Build the model from this miRNA's own network (every knowledge-base source). "
        "Default: the miRNA perturbed, else the review's network.",
    ),
]
MaxNodesOpt = Annotated[
    int, typer.Option("--max-nodes", min=2, help="Size limit of the miRNA's network.")
]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Knowledge base URL or SQLite file (default: the user database)."),
]


def _model(
    cancer: str | None,
    sequences: Path | None = None,
    *,
    mirna: str | None = None,
    perturb: list[str] | str | None = None,
    max_nodes: int = 80,
    db: str | None = None,
) -> Model:
    from mirscope.simulate import build_model
    from mirscope.simulate.graph import model_graph
    from mirscope.simulate.perturb import perturbed_mirna

    mirna = mirna or perturbed_mirna(perturb)
    where = "pan-cancer" if cancer is None else cancer
    _err(f"Building the {where} model" + (f" of {mirna}'s network..." if mirna else "..."))
    name = _cancer_name(cancer)
    kb = None
    if mirna is not None:
        from mirscope.kb import open_store

        kb = open_store(db)
    if sequences is None and mirna is None:
        return build_model(name)
    graph = model_graph(name, mirna=mirna, kb=kb, max_nodes=max_nodes)
    if sequences is None:
        return build_model(name, graph=graph, prior=False)
    ncrna = [n for n, d in graph.nodes(data=True) if d.get("type") in ("lncrna", "circrna")]
    seqs = _node_sequences(sequences, list(graph.nodes), examples=ncrna)
    return build_model(name, graph=graph, prior=False, sequences=seqs)


def _cancer_name(cancer: str | None) -> str | None:
    if cancer is None:
        return None
    from mirscope.names import normalize_cancer

    return normalize_cancer(cancer).name


def _node_sequences(
    path: Path, nodes: list[str], *, examples: list[str] | None = None
) -> dict[str, str]:
    """FASTA records keyed by node: the record id, or its part after the last '_'."""
    from mirscope.errors import InputError
    from mirscope.sites import read_fasta

    records = dict(read_fasta(path))
    out: dict[str, str] = {}
    for rid, seq in records.items():
        for cand in (rid, rid.rsplit("_", 1)[-1]):
            if cand in nodes:
                out[cand] = seq
                break
    if not out:
        refused = list(records)
        pool = [n for n in (examples or nodes) if n not in refused and
                all(n != r.rsplit("_", 1)[-1] for r in refused)] or sorted(nodes)
        pool = sorted(pool)
        ex = pool[0]
        raise InputError(
            f"No record of {path} names a node of this network (refused ids: "
            f"{', '.join(refused[:5])}{' ...' if len(refused) > 5 else ''}). Name each record "
            f"after a node, e.g. '>{ex}' or '>ENST..._{ex}'; sponge nodes of this network: "
            f"{', '.join(pool[:15])}{' ...' if len(pool) > 15 else ''}."
        )
    _err(f"Counting binding sites in {len(out)} sequence(s): {', '.join(sorted(out))}")
    return out


SequencesOpt = Annotated[
    Path | None,
    typer.Option(
        "--sequences",
        help="FASTA of binding RNAs (record id = node, or ..._NODE): count their sites "
        "with the site engine instead of the defaults.",
    ),
]


def _emit_table(df: pd.DataFrame, fmt: str, *, title: str) -> None:
    if fmt == "json":
        typer.echo(df.to_json(orient="records", indent=1, force_ascii=False))
        return
    if fmt == "tsv":
        typer.echo(df.to_csv(sep="\t", index=False), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in df.columns:
        table.add_column(str(col), overflow="fold")
    for row in df.itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    Console(width=200).print(table)


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list | tuple):
        return ", ".join(str(x) for x in v)
    return str(v)


def _check_output(path: Path) -> None:
    from mirscope.errors import InputError

    if not path.parent.exists():
        raise InputError(f"Cannot write {path}: folder {path.parent} does not exist.")


def _save_figure(fig: Figure, path: Path) -> None:
    _check_output(path)
    from mirscope._files import atomic_path

    with atomic_path(path, suffix=path.suffix or ".png") as tmp:
        fig.savefig(tmp, dpi=150)
    _err(f"Wrote {path}")


@app.callback(invoke_without_command=True)
def perturb_cmd(
    ctx: typer.Context,
    cancer: CancerOpt = None,
    perturb: PerturbOpt = None,
    dose: DoseOpt = None,
    fmt: FormatOpt = "table",
    show_all: Annotated[
        bool, typer.Option("--all", help="Table: also list nodes with direction 'none'.")
    ] = False,
    sequences: SequencesOpt = None,
    mirna: MirnaOpt = None,
    max_nodes: MaxNodesOpt = 80,
    db: DbOpt = None,
) -> None:
    """Steady-state log2 fold change and direction of every node under the perturbations."""
    if ctx.invoked_subcommand is not None:
        return
    from mirscope.errors import InputError
    from mirscope.simulate import simulate_perturbations

    _check_format(fmt)
    if not perturb:
        raise InputError(
            "Give at least one --perturb NODE=VERB, e.g. --perturb 'miR-124=overexpress', "
            "or a subcommand (export-sbml, validate, sponge, dose-response, dose-grid, "
            "time-course)."
        )
    model = _model(cancer, sequences, mirna=mirna, perturb=perturb, max_nodes=max_nodes, db=db)
    result = simulate_perturbations(model, perturb, dose=dose)
    if fmt == "json":
        typer.echo(result.to_json())
        return
    table = result.table
    if fmt == "table" and not show_all:
        table = table[table["direction"] != "none"]
    _emit_table(
        table,
        fmt,
        title=f"{', '.join(result.perturbations)} in {result.cancer or 'pan-cancer'} "
        f"(dose {result.dose:g}; |log2fc| >= {result.threshold} is up/down)",
    )


@app.command("export-sbml")
def export_sbml_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="SBML file to write (.xml).")],
    cancer: CancerOpt = None,
    sequences: SequencesOpt = None,
    mirna: MirnaOpt = None,
    max_nodes: MaxNodesOpt = 80,
    db: DbOpt = None,
) -> None:
    """Write the calibrated model as SBML (loads in libRoadRunner, COPASI, tellurium)."""
    _check_output(output)
    model = _model(cancer, sequences, mirna=mirna, max_nodes=max_nodes, db=db)
    model.export_sbml(output)
    s = model.summary()
    _err(f"Wrote {output}: {s['species']} species, {s['reactions']} reactions.")


@app.command("validate")
def validate_cmd(
    cancer: Annotated[
        list[str] | None,
        typer.Option("--cancer", "-c", help="Only claims of this cancer (repeatable)."),
    ] = None,
    fmt: FormatOpt = "table",
    show_all: Annotated[
        bool, typer.Option("--all", help="List every row, not only disagreements.")
    ] = False,
    holdout: Annotated[
        bool,
        typer.Option(
            "--holdout/--in-sample",
            help="Rows of the leave-one-edge-out check (default: the direct link between "
            "perturbed node and readout is removed before predicting) or of the in-sample one.",
        ),
    ] = True,
) -> None:
    """Agreement with the review's perturbation outcomes: leave-one-edge-out and in-sample."""
    from mirscope.simulate import validation_summary

    _check_format(fmt)
    cancers = None
    if cancer:
        from mirscope.names import normalize_cancer

        cancers = [normalize_cancer(c).name for c in cancer]
    _err("Building one model per cancer and running every reported perturbation...")
    both = validation_summary(cancers=cancers)
    res = both["holdout_result"] if holdout else both["in_sample_result"]
    ok, tot = res.unflagged_agreement()
    if fmt == "json":
        d = res.to_dict()
        d["summary"] = {k: both[k] for k in ("holdout", "in_sample", "untestable", "text")}
        typer.echo(json.dumps(d, indent=1, default=str))
        return
    rows = res.table if show_all else res.disagreements
    cols = [
        "perturbation",
        "cancer",
        "readout",
        "reported",
        "predicted",
        "log2fc",
        "flags",
        "refs",
        "reason",
    ]
    _emit_table(
        rows[cols] if len(rows) else rows,
        fmt,
        title="Every outcome" if show_all else "Disagreements",
    )
    summary = (
        f"{both['text']} Rows above: {'leave-one-edge-out' if holdout else 'in-sample'} "
        f"(unflagged: {ok}/{tot}); {res.skipped} relations are no perturbation outcome."
    )
    if fmt == "table":
        typer.echo(summary)
    else:
        _err(summary)


@app.command("sponge")
def sponge_cmd(
    sponges: Annotated[
        list[str] | None, typer.Argument(help="Sponges (default: every review sponge).")
    ] = None,
    copies: Annotated[
        float | None, typer.Option("--copies", help="Sponge copies per cell.")
    ] = None,
    sites: Annotated[float | None, typer.Option("--sites", help="Sites for the miRNA per copy.")] = None,
    fasta: Annotated[
        Path | None,
        typer.Option("--fasta", help="FASTA of the sponge; sites counted by the site engine."),
    ] = None,
    mirna_copies: Annotated[
        float | None, typer.Option("--mirna-copies", help="miRNA copies per cell.")
    ] = None,
    target_sites: Annotated[
        float | None, typer.Option("--target-sites", help="Endogenous target-site pool.")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Added sites needed (default 1.5e5).")
    ] = None,
    figure: Annotated[
        Path | None, typer.Option("--figure", help="Write the threshold-curve figure here.")
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Can each sponge plausibly derepress the miRNA's targets (Denzler et al. 2014)?"""
    from mirscope.errors import InputError
    from mirscope.simulate.figures import sponge_threshold_figure
    from mirscope.simulate.sponge import assess_review_sponges

    _check_format(fmt)
    sequences: dict[str, str] = {}
    if fasta is not None:
        if not sponges or len(sponges) != 1:
            raise InputError(
                "--fasta needs exactly one sponge name, e.g. `sponge XIST --fasta XIST.fa`."
            )
        from mirscope.sites import read_fasta

        records = dict(read_fasta(fasta))
        if not records:
            raise InputError(f"{fasta} holds no sequence.")
        sequences[sponges[0]] = next(iter(records.values()))
    if (copies is not None or sites is not None) and (not sponges or len(sponges) != 1):
        raise InputError("--copies/--sites apply to one sponge; name exactly one.")
    kwargs: dict[str, Any] = {
        "mirna_copies": mirna_copies,
        "target_sites": target_sites,
        "threshold": threshold,
    }
    if copies is not None:
        kwargs["copies"] = copies
    if sites is not None:
        kwargs["sites"] = sites
    df = assess_review_sponges(sponges, sequences=sequences, **kwargs)
    if figure is not None:
        _check_output(figure)
        _save_figure(
            sponge_threshold_figure(df, threshold=threshold, target_sites=target_sites), figure
        )
    cols = [
        "sponge",
        "copies",
        "sites",
        "added_sites",
        "ratio",
        "derepression_log2",
        "verdict",
        "reason",
        "source",
        "sites_source",
    ]
    _emit_table(df[cols], fmt, title="Sponge plausibility (Denzler et al. 2014 threshold)")


def _doses(doses: str | None) -> list[float] | None:
    from mirscope.errors import InputError

    if doses is None:
        return None
    try:
        out = [float(x) for x in doses.split(",") if x.strip()]
    except ValueError as err:
        raise InputError(
            f"--doses {doses!r} must be comma-separated numbers, e.g. 0.1,1,10."
        ) from err
    if not out:
        raise InputError("--doses is empty; give e.g. 0.1,1,10.")
    return out


@app.command("dose-response")
def dose_response_cmd(
    perturb: Annotated[str, typer.Option("--perturb", "-p", help="One NODE=VERB perturbation.")],
    cancer: CancerOpt = None,
    readout: Annotated[
        list[str] | None, typer.Option("--readout", "-r", help="Readout node (repeatable).")
    ] = None,
    doses: Annotated[
        str | None, typer.Option("--doses", help="Comma-separated doses (default 0.01-100).")
    ] = None,
    figure: Annotated[Path | None, typer.Option("--figure", help="Write the curve figure.")] = None,
    fmt: FormatOpt = "table",
    mirna: MirnaOpt = None,
    db: DbOpt = None,
) -> None:
    """Steady-state log2 fold change of the readouts over a range of doses."""
    from mirscope.simulate.figures import dose_response_figure
    from mirscope.simulate.perturb import dose_response

    _check_format(fmt)
    if figure is not None:
        _check_output(figure)
    model = _model(cancer, mirna=mirna, perturb=perturb, db=db)
    df = dose_response(model, perturb, doses=_doses(doses), readouts=readout)
    if figure is not None:
        _save_figure(
            dose_response_figure(
                df,
                readouts=[c for c in df.columns if c != "dose"],
                threshold=model.params.direction_threshold,
            ),
            figure,
        )
    _emit_table(df, fmt, title=f"Dose response: {df.attrs['perturbation']}")


@app.command("dose-grid")
def dose_grid_cmd(
    first: Annotated[str, typer.Option("--perturb", "-p", help="First NODE=VERB.")],
    second: Annotated[str, typer.Option("--with", "-w", help="Second NODE=VERB.")],
    readout: Annotated[str, typer.Option("--readout", "-r", help="Readout node.")],
    cancer: CancerOpt = None,
    figure: Annotated[Path | None, typer.Option("--figure", help="Write the heat map.")] = None,
    fmt: FormatOpt = "table",
    mirna: MirnaOpt = None,
    db: DbOpt = None,
) -> None:
    """20 x 20 two-factor dose grid (doses 0.05-20) of one readout."""
    from mirscope.simulate.figures import dose_grid_figure
    from mirscope.simulate.perturb import dose_grid

    _check_format(fmt)
    if figure is not None:
        _check_output(figure)
    model = _model(cancer, mirna=mirna, perturb=[first, second], db=db)
    df = dose_grid(model, first, second, readouts=[readout])
    if figure is not None:
        _save_figure(dose_grid_figure(df, readout=df.columns[-1]), figure)
    _emit_table(df, fmt, title=f"Dose grid: {df.attrs['first']} x {df.attrs['second']}")


@app.command("time-course")
def time_course_cmd(
    perturb: PerturbOpt = None,
    cancer: CancerOpt = None,
    dose: DoseOpt = None,
    readout: Annotated[
        list[str] | None, typer.Option("--readout", "-r", help="Readout node (repeatable).")
    ] = None,
    hours: Annotated[float, typer.Option("--hours", help="Simulated time (h).")] = 240.0,
    figure: Annotated[Path | None, typer.Option("--figure", help="Write the figure.")] = None,
    fmt: FormatOpt = "table",
    mirna: MirnaOpt = None,
    db: DbOpt = None,
) -> None:
    """log2 fold change of the readouts over time after the perturbations start."""
    from mirscope.errors import InputError
    from mirscope.simulate.figures import time_course_figure
    from mirscope.simulate.perturb import resolve_node, time_course

    _check_format(fmt)
    if not perturb:
        raise InputError("Give at least one --perturb NODE=VERB.")
    if figure is not None:
        _check_output(figure)
    model = _model(cancer, mirna=mirna, perturb=perturb, db=db)
    df = time_course(model, perturb, dose=dose, t_end=hours, points=61)
    cols = [resolve_node(model, r) for r in readout] if readout else list(df.columns[1:])
    if figure is not None:
        _save_figure(time_course_figure(df, readouts=cols), figure)
    _emit_table(
        df[["time", *cols]], fmt, title=f"Time course: {', '.join(df.attrs['perturbations'])}"
    )
