"""`mirscope clinical` commands (thin layer over :mod:`mirscope.clinical`).

Every command reads a CSV, TSV or Excel table with named columns. ``--format json`` prints
machine-readable JSON on stdout; exclusions and warnings go to stderr (and are listed in the
default ``table`` format), so nothing is dropped silently.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    help="Clinical analytics: RT-qPCR ddCt, TCGA tumour vs normal, diagnostic ROC, survival, Cox.",
    no_args_is_help=True,
)

_FORMATS = ("table", "json", "tsv")


def _check_format(fmt: str) -> str:
    from mirscope.errors import InputError

    if fmt not in _FORMATS:
        raise InputError(f"--format {fmt!r} unknown; use one of {', '.join(_FORMATS)}")
    return fmt


def _emit_json(obj: Any) -> None:
    from mirscope.clinical._common import jsonable

    typer.echo(json.dumps(jsonable(obj), indent=2))


def _notes(excluded: dict[str, int], flags: list[str] | None = None) -> None:
    """Exclusions and flags on stderr (kept out of JSON stdout)."""
    if excluded:
        typer.echo("Note: excluded " + ", ".join(f"{k}={v}" for k, v in excluded.items()), err=True)
    for f in flags or []:
        typer.echo(f"Note: {f}", err=True)


def _emit_kv(d: dict[str, Any]) -> None:
    width = max(len(k) for k in d)
    for k, v in d.items():
        if isinstance(v, float):
            v = f"{v:.6g}"
        elif isinstance(v, list):
            v = "[" + ", ".join(f"{x:.6g}" if isinstance(x, float) else str(x) for x in v) + "]"
        typer.echo(f"{k.ljust(width)}  {v}")


def _split_list(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _save(fig: Any, path: Path | None) -> None:
    if path is None:
        return
    from mirscope.clinical.plots import save_figure

    for p in save_figure(fig, path):
        typer.echo(f"wrote {p}", err=True)


@app.command("roc")
def roc_cmd(
    table: Annotated[Path, typer.Argument(help="CSV/TSV/Excel table, one row per sample.")],
    marker: Annotated[str, typer.Option("--marker", help="Marker column (numeric).")],
    label: Annotated[str, typer.Option("--label", help="Class label column.")],
    positive: Annotated[str, typer.Option("--positive", help="Label value of the positive class (e.g. tumour).")],
    negative: Annotated[str | None, typer.Option("--negative", help="Negative label (needed with >2 labels).")] = None,
    direction: Annotated[str, typer.Option("--direction", help="auto (pROC rule), '<' (high = positive) or '>'.")] = "auto",
    boot: Annotated[int, typer.Option("--boot", help="Bootstrap replicates for the bootstrap AUC CI (0 = skip).")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="table, json or tsv.")] = "table",
    plot: Annotated[Path | None, typer.Option("--plot", help="Write the ROC figure to PATH.png/.svg.")] = None,
) -> None:
    """Diagnostic ROC: AUC with DeLong CI, Youden cut-off, sensitivity and specificity."""
    from mirscope.clinical import ROCFitter, read_table

    fmt = _check_format(fmt)
    df = read_table(table)
    n_boot = 0 if fmt == "json" else boot
    res = ROCFitter(direction, n_boot=n_boot, seed=seed).fit(  # type: ignore[arg-type]
        df, marker_col=marker, label_col=label, positive=positive, negative=negative
    ).result_
    if fmt == "json":
        _notes(res.excluded_)
        _emit_json(res.to_dict())
    elif fmt == "tsv":
        d = res.details()
        typer.echo("\t".join(d))
        typer.echo("\t".join(json.dumps(v) if isinstance(v, list | dict) else str(v) for v in d.values()))
    else:
        _emit_kv(res.details())
    if plot is not None:
        from mirscope.clinical.plots import plot_roc

        _save(plot_roc(res, seed=seed), plot)


@app.command("roc-compare")
def roc_compare_cmd(
    table: Annotated[Path, typer.Argument(help="CSV/TSV/Excel table, one row per sample.")],
    marker1: Annotated[str, typer.Option("--marker1")],
    marker2: Annotated[str, typer.Option("--marker2")],
    label: Annotated[str, typer.Option("--label")],
    positive: Annotated[str, typer.Option("--positive")],
    negative: Annotated[str | None, typer.Option("--negative")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """DeLong test comparing two markers' AUCs on the same samples."""
    from mirscope.clinical import delong_test, read_table

    fmt = _check_format(fmt)
    res = delong_test(read_table(table), marker1, marker2, label_col=label, positive=positive, negative=negative)
    if fmt == "json":
        _notes(res.excluded_)
        _emit_json(res.to_dict())
    else:
        _emit_kv(res.to_dict())


@app.command("roc-pairwise")
def roc_pairwise_cmd(
    table: Annotated[Path, typer.Argument(help="CSV/TSV/Excel table, one row per sample.")],
    marker: Annotated[str, typer.Option("--marker")],
    label: Annotated[str, typer.Option("--label", help="Group column (e.g. tumour/benign/healthy).")],
    pairs: Annotated[str | None, typer.Option("--pairs", help="Comma-separated POS:NEG pairs, e.g. tumour:healthy,tumour:benign (default: all).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or tsv.")] = "table",
) -> None:
    """Multi-group designs: one ROC per (positive, negative) pair of groups."""
    from mirscope.clinical import pairwise_roc, read_table
    from mirscope.errors import InputError

    fmt = _check_format(fmt)
    pr = None
    if pairs:
        pr = []
        for item in _split_list(pairs):
            if item.count(":") != 1:
                raise InputError(f"--pairs item {item!r} must look like POSITIVE:NEGATIVE")
            a, b = item.split(":")
            pr.append((a, b))
    res = pairwise_roc(read_table(table), marker_col=marker, label_col=label, pairs=pr)
    if fmt == "json":
        _emit_json(res.to_dict("records"))
    elif fmt == "tsv":
        typer.echo(res.to_csv(sep="\t", index=False), nl=False)
    else:
        typer.echo(res.to_string(index=False))


@app.command("survival")
def survival_cmd(
    table: Annotated[Path, typer.Argument(help="CSV/TSV/Excel table, one row per patient.")],
    time: Annotated[str, typer.Option("--time", help="Follow-up time column.")],
    event: Annotated[str, typer.Option("--event", help="Event column (1 = event, 0 = censored).")],
    marker: Annotated[str, typer.Option("--marker", help="Marker column to split into high/low.")],
    split: Annotated[str, typer.Option("--split", help="median, mean, quantile, value or optimal.")] = "median",
    quantile: Annotated[float, typer.Option("--quantile", help="For --split quantile.")] = 0.5,
    cutoff: Annotated[float | None, typer.Option("--cutoff", help="For --split value (high = marker > cutoff).")] = None,
    uncorrected: Annotated[bool, typer.Option("--uncorrected", help="With --split optimal: skip the Lausen-Schumacher correction (warned).")] = False,
    min_group: Annotated[int, typer.Option("--min-group", help="Smallest allowed group size.")] = 3,
    fmt: Annotated[str, typer.Option("--format", help="table, json or tsv.")] = "table",
    plot: Annotated[Path | None, typer.Option("--plot", help="Write the Kaplan-Meier figure to PATH.png/.svg.")] = None,
) -> None:
    """High vs low marker survival: Kaplan-Meier, log-rank, Cox hazard ratio (high vs low)."""
    from mirscope.clinical import SurvivalSplitFitter, read_table

    fmt = _check_format(fmt)
    df = read_table(table)
    res = SurvivalSplitFitter(
        split,  # type: ignore[arg-type]
        quantile=quantile,
        cutoff=cutoff,
        correct="none" if uncorrected else "lausen92",
        min_group=min_group,
    ).fit(df, duration_col=time, event_col=event, marker_col=marker).result_
    if fmt == "json":
        _notes(res.excluded_, res.flags)
        _emit_json(res.to_dict())
    elif fmt == "tsv":
        d = res.details()
        typer.echo("\t".join(d))
        typer.echo("\t".join(json.dumps(v) if isinstance(v, list | dict) else str(v) for v in d.values()))
    else:
        _emit_kv(res.details())
    if plot is not None:
        from mirscope.clinical.plots import plot_km

        _save(plot_km(res, title=marker), plot)


@app.command("km")
def km_cmd(
    table: Annotated[Path, typer.Argument(help="CSV/TSV/Excel table, one row per patient.")],
    time: Annotated[str, typer.Option("--time", help="Follow-up time column.")],
    event: Annotated[str, typer.Option("--event", help="Event column (1 = event, 0 = censored).")],
    group: Annotated[str, typer.Option("--group", help="Group column (any labels; 2+ groups).")],
    at: Annotated[str | None, typer.Option("--at", help="Comma-separated times of the risk table (default: 6 ticks).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    plot: Annotated[Path | None, typer.Option("--plot", help="Write the Kaplan-Meier figure to PATH.png/.svg.")] = None,
) -> None:
    """Kaplan-Meier by group with risk table, median survival and the K-group log-rank test."""
    from mirscope.clinical import kaplan_meier, logrank_test, read_table
    from mirscope.clinical._common import clean_survival
    from mirscope.errors import InputError

    fmt = _check_format(fmt)
    df = read_table(table)
    if group not in df.columns:
        raise InputError(f"column {group!r} not in the table; available: {', '.join(map(str, df.columns))}")
    data, excl = clean_survival(df, time, event)
    g = df.loc[data.index, group]
    miss = g.isna()
    excl.add(f"missing_{group}", int(miss.sum()))
    data, g = data[~miss], g[~miss].astype(str)
    lr = logrank_test(data[time], data[event], g)
    kms = {lab: kaplan_meier(data.loc[g == lab, time], data.loc[g == lab, event], label=lab)
           for lab in sorted(g.unique())}
    tmax = float(data[time].max())
    if at:
        try:
            times = [float(v) for v in _split_list(at)]
        except ValueError as err:
            raise InputError(f"--at must be comma-separated numbers, got {at!r}") from err
    else:
        times = [round(tmax * i / 5, 1) for i in range(6)]
    res = {
        "groups": {lab: {"n": int((g == lab).sum()), "events": int(data.loc[g == lab, event].sum()),
                         "median_survival": km.median, "n_at_risk": km.n_at_risk(times)}
                   for lab, km in kms.items()},
        "risk_times": times, "logrank_chi2": lr.test_statistic, "logrank_df": lr.degrees_of_freedom,
        "logrank_p": lr.p_value, "excluded": dict(excl),
    }
    if fmt == "json":
        _notes(dict(excl))
        _emit_json(res)
    else:
        typer.echo(f"log-rank chi2 = {lr.test_statistic:.4f} on {lr.degrees_of_freedom} df, p = {lr.p_value:.4g}; "
                   f"excluded: {dict(excl) or 'none'}")
        typer.echo("group\tn\tevents\tmedian\tat risk at " + ", ".join(f"{t:g}" for t in times))
        for lab, d in res["groups"].items():
            typer.echo(f"{lab}\t{d['n']}\t{d['events']}\t{d['median_survival']:g}\t"
                       + " ".join(str(v) for v in d["n_at_risk"]))
    if plot is not None:
        from mirscope.clinical.plots import plot_km

        _save(plot_km(kms, p_value=lr.p_value, risk_times=times), plot)


@app.command("cox")
def cox_cmd(
    table: Annotated[Path, typer.Argument(help="CSV/TSV/Excel table, one row per patient.")],
    time: Annotated[str, typer.Option("--time")],
    event: Annotated[str, typer.Option("--event")],
    covariates: Annotated[str, typer.Option("--covariates", help="Comma-separated covariate columns (text = factor).")],
    univariate: Annotated[bool, typer.Option("--univariate", help="One model per covariate instead of one joint model.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, json or tsv.")] = "table",
    plot: Annotated[Path | None, typer.Option("--plot", help="Write a forest plot to PATH.png/.svg.")] = None,
) -> None:
    """Cox proportional-hazards model: HR, 95% CI, p, concordance, PH (Schoenfeld) test."""
    from mirscope.clinical import CoxFitter, read_table, univariate_cox

    fmt = _check_format(fmt)
    df = read_table(table)
    cov = _split_list(covariates)
    if univariate:
        res_t = univariate_cox(df, duration_col=time, event_col=event, covariates=cov)
        if fmt == "json":
            _emit_json(res_t.reset_index().to_dict("records"))
        elif fmt == "tsv":
            typer.echo(res_t.to_csv(sep="\t"), nl=False)
        else:
            typer.echo(res_t.to_string())
        if plot is not None:
            from mirscope.clinical.plots import plot_forest

            _save(plot_forest(res_t, title="Univariate Cox"), plot)
        return
    res = CoxFitter().fit(df, duration_col=time, event_col=event, covariates=cov).result_
    if fmt == "json":
        _notes(res.excluded_)
        _emit_json(res.to_dict())
    elif fmt == "tsv":
        tab = res.summary.copy()
        tab["ph_p"] = [res.ph_test["p"].get(str(i).split("=")[0], float("nan")) for i in tab.index]
        typer.echo(tab.to_csv(sep="\t"), nl=False)
    else:
        typer.echo(res.summary.to_string())
        typer.echo("\nProportional-hazards test (Schoenfeld score test, as R's cox.zph):")
        typer.echo(res.ph_test.to_string())
        typer.echo(f"\nn={res.n} events={res.n_events} concordance={res.concordance:.4f} "
                   f"LR chi2={res.lr_chi2:.4f} p={res.lr_p:.4g}")
        if res.excluded_:
            typer.echo(f"excluded: {res.excluded_}")
    if plot is not None:
        from mirscope.clinical.plots import plot_forest

        _save(plot_forest(res), plot)


@app.command("association")
def association_cmd(
    table: Annotated[Path, typer.Argument(help="CSV/TSV/Excel table, one row per patient.")],
    group: Annotated[str, typer.Option("--group", help="Group column (e.g. a miRNA's high/low call).")],
    variables: Annotated[str, typer.Option("--variables", help="Comma-separated clinical columns (stage, N, grade).")],
    fmt: Annotated[str, typer.Option("--format", help="table, json or tsv.")] = "table",
) -> None:
    """Clinicopathological association: chi-square or Fisher exact by expected counts."""
    from mirscope.clinical import association_table, read_table

    fmt = _check_format(fmt)
    res = association_table(read_table(table), group, _split_list(variables))
    if fmt == "json":
        _emit_json(res.reset_index().to_dict("records"))
    elif fmt == "tsv":
        typer.echo(res.drop(columns=["table"]).to_csv(sep="\t"), nl=False)
    else:
        typer.echo(res.drop(columns=["table"]).to_string())


@app.command("ddct")
def ddct_cmd(
    table: Annotated[Path, typer.Argument(help="Long RT-qPCR table: one row per well.")],
    reference: Annotated[str, typer.Option("--reference", help="Reference RNA(s), comma-separated (e.g. U6,RNU48).")],
    case: Annotated[str, typer.Option("--case", help="Case group label.")] = "tumour",
    control: Annotated[str, typer.Option("--control", help="Control (calibrator) group label.")] = "normal",
    design: Annotated[str, typer.Option("--design", help="auto, paired or unpaired.")] = "auto",
    sample_col: Annotated[str, typer.Option("--sample-col")] = "sample",
    target_col: Annotated[str, typer.Option("--target-col")] = "target",
    ct_col: Annotated[str, typer.Option("--ct-col")] = "ct",
    group_col: Annotated[str, typer.Option("--group-col")] = "group",
    patient_col: Annotated[str, typer.Option("--patient-col", help="Pairs case and control samples.")] = "patient",
    efficiency: Annotated[str | None, typer.Option("--efficiency", help="Pfaffl: TARGET=E pairs, e.g. MIRNA=1.93,U6=2.0 (2.0 = 100%).")] = None,
    outlier_rule: Annotated[str, typer.Option("--outlier-rule", help="median (|Ct - median| > threshold), grubbs or none.")] = "median",
    outlier_threshold: Annotated[float, typer.Option("--outlier-threshold")] = 0.5,
    exclude_outliers: Annotated[bool, typer.Option("--exclude-outliers", help="Drop flagged replicate wells.")] = False,
    samples_out: Annotated[Path | None, typer.Option("--samples-out", help="Write per-sample dCt/ddCt/fold change (TSV).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or tsv.")] = "table",
) -> None:
    """RT-qPCR dCt / ddCt / 2^-ddCt (or Pfaffl) with tumour-vs-control tests and BH FDR."""
    from mirscope.clinical import DdCtFitter, read_table
    from mirscope.errors import InputError

    fmt = _check_format(fmt)
    eff: dict[str, float] = {}
    for item in _split_list(efficiency):
        if "=" not in item:
            raise InputError(f"--efficiency item {item!r} must look like TARGET=1.95")
        k, v = item.split("=", 1)
        try:
            eff[k.strip()] = float(v)
        except ValueError as err:
            raise InputError(f"--efficiency value {v!r} for {k!r} is not a number") from err
    res = DdCtFitter(
        _split_list(reference), case=case, control=control, design=design,  # type: ignore[arg-type]
        efficiency=eff or None, outlier_rule=outlier_rule,  # type: ignore[arg-type]
        outlier_threshold=outlier_threshold, exclude_outliers=exclude_outliers,
    ).fit(read_table(table), sample_col=sample_col, target_col=target_col, ct_col=ct_col,
          group_col=group_col, patient_col=patient_col).result_
    if samples_out is not None:
        tmp = samples_out.with_name(f".{samples_out.name}.tmp")
        res.samples.to_csv(tmp, sep="\t", index=False)
        tmp.replace(samples_out)
    if fmt == "json":
        _notes(res.excluded_)
        _emit_json(res.to_dict())
    elif fmt == "tsv":
        typer.echo(res.tests.to_csv(sep="\t"), nl=False)
    else:
        typer.echo(f"method: {res.method}; design: {res.design}; reference: {', '.join(res.reference)}; "
                   f"{res.case} vs {res.control}")
        typer.echo(f"outlier wells flagged: {int(res.wells['outlier'].sum())}; excluded: {res.excluded_ or 'none'}")
        cols = ["n_case", "n_control", "mean_ddct", "fold_change_of_mean", "test", "statistic", "p", "fdr",
                "effect_size", "rank_test", "p_rank", "fdr_rank", "rank_biserial"]
        typer.echo(res.tests[[c for c in cols if c in res.tests.columns]].to_string())


@app.command("tcga")
def tcga_cmd(
    cohort: Annotated[str, typer.Argument(help="A shipped TCGA miRNA-seq cohort (LIHC, BRCA, ... THCA; see `mirscope atlas`).")],
    design: Annotated[str, typer.Option("--design", help="paired (patients with both) or unpaired.")] = "paired",
    test: Annotated[str, typer.Option("--test", help="t (paired/Welch t) or rank (Wilcoxon/Mann-Whitney).")] = "t",
    mirna: Annotated[str, typer.Option("--mirna", help="miRNA to report in detail (precursors summed).")] = "miR-124",
    top: Annotated[int, typer.Option("--top", help="Rows of the top table.")] = 15,
    fmt: Annotated[str, typer.Option("--format", help="table, json or tsv (tsv = full table).")] = "table",
    volcano: Annotated[Path | None, typer.Option("--volcano", help="Write a volcano plot to PATH.png/.svg.")] = None,
) -> None:
    """TCGA tumour vs normal across all miRNA precursors (log2 RPM+1), plus the --mirna row."""
    from mirscope.clinical import DifferentialExpressionFitter, load_tcga

    fmt = _check_format(fmt)
    res = DifferentialExpressionFitter(design, test=test).fit(  # type: ignore[arg-type]
        load_tcga(cohort, "rpm"), mirnas=[mirna]).result_
    if fmt == "json":
        d = res.to_dict()
        row = res.row(mirna)
        d["mirna"] = {"name": row.name, **row.to_dict()}
        _notes(res.excluded_)
        _emit_json(d)
    elif fmt == "tsv":
        typer.echo(res.table.to_csv(sep="\t"), nl=False)
    else:
        typer.echo(f"{cohort.upper()}: {res.design} {res.test}, {res.n_tumour} tumour / {res.n_normal} normal; "
                   f"excluded: {res.excluded_ or 'none'}")
        typer.echo(res.table.head(top).to_string())
        typer.echo(f"\n{mirna}:")
        typer.echo(res.row(mirna).to_string())
    if volcano is not None:
        from mirscope.clinical.plots import plot_volcano

        _save(plot_volcano(res, title=f"TCGA {cohort.upper()}: tumour vs normal ({res.design})"), volcano)


@app.command("tcga-report")
def tcga_report_cmd(
    out: Annotated[Path, typer.Option("--out", help="Folder for clinical.md and figures/.")] = Path("docs"),
    mirna: Annotated[str, typer.Option("--mirna", help="miRNA of the document.")] = "miR-124",
) -> None:
    """Regenerate docs/clinical.md numbers and figures from the shipped TCGA cohorts."""
    from mirscope.clinical.tcga_report import write_report

    path = write_report(out, mirna=mirna)
    typer.echo(f"wrote {path}", err=True)
