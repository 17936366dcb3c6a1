"""Figures of the pan-cancer atlas: the cohort panel, Kaplan-Meier with risk table, paired plot.

Each function returns a :class:`matplotlib.figure.Figure` (no pyplot state); write PNG and
SVG with :func:`save_atlas_figure` (one file, format from the suffix) or
:func:`mirscope.clinical.save_figure` (both).

Examples
--------
>>> from mirscope.clinical.atlas import AtlasFitter
>>> res = AtlasFitter().fit("miR-21", cohorts=["LIHC", "OV"]).result_
>>> fig = plot_atlas_panel(res)
>>> [ax.get_xlabel() for ax in fig.axes][:2]
['log2 fold change, tumour vs paired normal (95% CI)', 'Cox hazard ratio per log2(RPM+1) (95% CI)']
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from mirscope._files import atomic_path
from mirscope.clinical.atlas import (
    AtlasResult,
    load_cohort,
    paired_levels,
    resolve_precursors,
    survival_levels,
)
from mirscope.clinical.plots import plot_km, plot_paired
from mirscope.clinical.survival import kaplan_meier
from mirscope.errors import InputError

__all__ = ["plot_atlas_km", "plot_atlas_paired", "plot_atlas_panel", "save_atlas_figure"]

_RED, _BLUE, _GREY = "#c0392b", "#2471a3", "0.55"


def _p(p: float) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    return "p<1e-4" if p < 1e-4 else f"p={p:.2g}"


def plot_atlas_panel(result: AtlasResult, *, title: str | None = None) -> Figure:
    """Two forests sharing one cohort axis: log2FC with CI, and Cox HR with CI (log scale).

    Rows that were not tested show their status instead of a point.
    """
    t = result.table
    n = len(t)
    if n == 0:
        raise InputError("the atlas result has no cohort rows; nothing to plot")
    fig = Figure(figsize=(10.0, 0.32 * n + 1.6))
    gs = fig.add_gridspec(1, 2, wspace=0.42)
    ax1 = fig.add_subplot(gs[0])
    ax2 = fig.add_subplot(gs[1], sharey=ax1)
    y = np.arange(n)[::-1]
    for yi, (_, r) in zip(y, t.iterrows(), strict=True):
        if r["status_paired"] == "tested" or not math.isnan(r["log2fc"]):
            col = _RED if r["log2fc"] > 0 else _BLUE
            lo, hi = r["log2fc_lower"], r["log2fc_upper"]
            if not (math.isnan(lo) or math.isnan(hi)):
                ax1.plot([lo, hi], [yi, yi], color=col, lw=1.2)
            ax1.plot(r["log2fc"], yi, "s", color=col, ms=4.5)
            ax1.text(1.0, yi, f" n={int(r['n_paired'])} {_p(r['wilcoxon_p'])}", va="center", fontsize=6.5,
                     transform=ax1.get_yaxis_transform(), color="0.25", clip_on=False)
        else:
            ax1.text(0.02, yi, r["status_paired"], va="center", fontsize=6.5, color=_GREY,
                     transform=ax1.get_yaxis_transform())
        if r["status_survival"] == "tested":
            col = _RED if r["cox_hr"] > 1 else _BLUE
            ax2.plot([r["cox_lower"], r["cox_upper"]], [yi, yi], color=col, lw=1.2)
            ax2.plot(r["cox_hr"], yi, "D", color=col, ms=4)
            ax2.text(1.0, yi, f" {int(r['events'])}/{int(r['n_survival'])} {_p(r['cox_p'])}", va="center",
                     fontsize=6.5, transform=ax2.get_yaxis_transform(), color="0.25", clip_on=False)
        else:
            ax2.text(0.02, yi, r["status_survival"], va="center", fontsize=6.5, color=_GREY,
                     transform=ax2.get_yaxis_transform())
    ax1.axvline(0, color="0.5", ls="--", lw=0.8)
    ax2.axvline(1, color="0.5", ls="--", lw=0.8)
    ax2.set_xscale("log")
    ax1.set_yticks(y)
    ax1.set_yticklabels(list(t["cohort"]))
    ax1.set_ylim(-0.7, n - 0.3)
    ax2.tick_params(axis="y", labelleft=False)
    ax1.set_xlabel("log2 fold change, tumour vs paired normal (95% CI)", fontsize=8)
    ax2.set_xlabel("Cox hazard ratio per log2(RPM+1) (95% CI)", fontsize=8)
    for ax in (ax1, ax2):
        ax.spines["top"].set_visible(False)
        ax.spines["right"].set_visible(False)
        ax.tick_params(labelsize=7.5)
        ax.grid(axis="y", color="0.93", lw=0.6)
        ax.set_axisbelow(True)
    fig.suptitle(title or f"{result.mirna} ({', '.join(result.precursors)}): TCGA pan-cancer atlas",
                 fontsize=9.5)
    fig.subplots_adjust(left=0.07, right=0.85, top=1 - 0.5 / (0.32 * n + 1.6),
                        bottom=0.75 / (0.32 * n + 1.6))
    return fig


def plot_atlas_km(
    mirna: str, cohort: str, *, cohort_dir: str | Path | None = None
) -> Figure:
    """Kaplan-Meier of one cohort split at the median of ``log2(RPM + 1)`` (high = > median),
    with log-rank p and the number-at-risk table.

    Examples
    --------
    >>> fig = plot_atlas_km("miR-21", "LIHC")
    >>> len(fig.axes)
    2
    """
    from mirscope.clinical._atlas_stats import logrank_many

    name, pre = resolve_precursors(mirna)
    co = load_cohort(cohort, cohort_dir=cohort_dir)
    s = survival_levels(co, pre)
    if s.empty or s["os_event"].sum() == 0:
        raise InputError(f"cohort {co.name} has no tumour with an event; no Kaplan-Meier curve to draw")
    high = (s["x"] > s["x"].median()).to_numpy()
    if high.all() or not high.any():
        raise InputError(
            f"{name} has one value for half or more of the {co.name} tumours; the median split "
            "leaves one group empty"
        )
    _, p = logrank_many(s["os_days"].to_numpy(), s["os_event"].to_numpy(), high[:, None])
    kms = {
        f"high (n={int(high.sum())})": kaplan_meier(s["os_days"][high], s["os_event"][high]),
        f"low (n={int((~high).sum())})": kaplan_meier(s["os_days"][~high], s["os_event"][~high]),
    }
    return plot_km(kms, p_value=float(p[0]), title=f"{name} in TCGA-{co.name} (median split)")


def plot_atlas_paired(
    mirna: str, cohort: str, *, cohort_dir: str | Path | None = None
) -> Figure:
    """Paired tumour/normal plot of ``log2(RPM + 1)`` with the paired Wilcoxon p.

    Examples
    --------
    >>> fig = plot_atlas_paired("miR-21", "LIHC")
    >>> len(fig.axes)
    1
    """
    from mirscope.clinical._atlas_stats import wilcoxon_paired_many

    name, pre = resolve_precursors(mirna)
    co = load_cohort(cohort, cohort_dir=cohort_dir)
    pr = paired_levels(co, pre)
    if pr.empty:
        raise InputError(f"cohort {co.name} has no patient with both a tumour and a normal sample")
    _, p = wilcoxon_paired_many((pr["tumour"] - pr["normal"]).to_numpy()[:, None])
    long = pr.melt(id_vars="patient_barcode", var_name="tissue", value_name="x")
    return plot_paired(long, value_col="x", group_col="tissue", pair_col="patient_barcode",
                       order=("normal", "tumour"), ylabel="log2(RPM + 1)", p_value=float(p[0]),
                       p_label="paired Wilcoxon", title=f"{name}, TCGA-{co.name}")


def save_atlas_figure(fig: Figure, path: str | Path, *, dpi: int = 200) -> Path:
    """Write ``fig`` to ``path`` (``.png`` or ``.svg``) atomically."""
    p = Path(path)
    if p.suffix.lower() not in {".png", ".svg"}:
        raise InputError(f"figure file {str(p)!r} must end in .png or .svg")
    if not p.parent.exists():
        raise InputError(f"folder {str(p.parent)!r} does not exist; create it first")
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "mirscope"}), atomic_path(p, suffix=p.suffix) as tmp:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=p.suffix[1:].lower(),
                    metadata={"Date": None} if p.suffix.lower() == ".svg" else None)
    return p
