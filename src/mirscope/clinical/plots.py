"""Publication figures: Kaplan-Meier with risk table, ROC with CI band, paired plot, forest,
volcano. Every function returns a :class:`matplotlib.figure.Figure` (no pyplot state);
:func:`save_figure` writes PNG (300 dpi) and SVG.

Examples
--------
>>> import pandas as pd
>>> from mirscope.clinical import ROCFitter
>>> df = pd.DataFrame({"m": [0.2, 0.4, 0.5, 0.9, 0.3, 1.3], "y": [0, 0, 0, 1, 1, 1]})
>>> r = ROCFitter(n_boot=0).fit(df, marker_col="m", label_col="y", positive=1).result_
>>> fig = plot_roc(r, n_boot=20)
>>> len(fig.axes)
1
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from mirscope.clinical.roc import ROCResult, _roc_curve
from mirscope.clinical.survival import CoxResult, KaplanMeierResult, SurvivalSplitResult
from mirscope.errors import InputError

__all__ = ["plot_forest", "plot_km", "plot_paired", "plot_roc", "plot_volcano", "save_figure"]

PALETTE = ("#c0392b", "#2471a3", "#229954", "#7d3c98", "#d68910", "#566573")
_RC = {"font.size": 9}


def _fmt_p(p: float) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p = n/a"
    return "p < 0.0001" if p < 1e-4 else f"p = {p:.3g}" if p < 0.001 else f"p = {p:.3f}"


def _style(ax: Any) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=8)


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 300) -> list[Path]:
    """Write ``fig`` as ``<path>.png`` and ``<path>.svg`` (suffix of ``path`` ignored).

    Files are written to a temporary name and renamed, so no partial file is left. SVG output
    is deterministic (fixed element ids, no timestamp).
    """
    base = Path(path)
    base = base.with_suffix("") if base.suffix in {".png", ".svg"} else base
    base.parent.mkdir(parents=True, exist_ok=True)
    out = []
    import matplotlib

    for ext in ("png", "svg"):
        final = base.parent / f"{base.name}.{ext}"
        tmp = base.parent / f".{base.name}.tmp.{ext}"
        # fixed SVG ids and no date: the same figure gives byte-identical files
        with matplotlib.rc_context({"svg.hashsalt": "mirscope"}):
            fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=ext,
                        metadata={"Date": None} if ext == "svg" else None)
        tmp.replace(final)
        out.append(final)
    return out


def _n_at_risk(km: KaplanMeierResult, t: float) -> int:
    return km.n_at_risk([t])[0]


def plot_km(
    curves: SurvivalSplitResult | Mapping[str, KaplanMeierResult],
    *,
    p_value: float | None = None,
    title: str = "",
    xlabel: str = "Time (days)",
    ylabel: str = "Overall survival probability",
    risk_times: Sequence[float] | None = None,
    show_ci: bool = True,
    annotation: str | None = None,
    group_labels: tuple[str, str] = ("high", "low"),
) -> Figure:
    """Kaplan-Meier curves with censoring marks, CI bands, p-value and a risk table.

    Parameters
    ----------
    curves
        A :class:`SurvivalSplitResult` (high vs low, log-rank p and HR annotated) or a mapping
        label -> :class:`KaplanMeierResult`.
    p_value
        p-value to print (default: the split result's ``p_value``).
    risk_times
        Times of the risk-table columns (default: 6 round ticks over the follow-up).
    group_labels
        Names of the high and low groups of a split result (e.g. ``("detected", "not
        detected")``).
    """
    if isinstance(curves, SurvivalSplitResult):
        res = curves
        kms = {
            f"{group_labels[0]} (n={res.n_high})": res.km_high,
            f"{group_labels[1]} (n={res.n_low})": res.km_low,
        }
        if p_value is None:
            p_value = res.p_value
        if annotation is None:
            lab = "Lausen-Schumacher corrected" if res.corrected else (
                "log-rank (UNCORRECTED optimal cut)" if res.split == "optimal" else "log-rank")
            annotation = (
                f"{lab} {_fmt_p(p_value)}\nHR ({group_labels[0]} vs {group_labels[1]}) {res.hazard_ratio:.2f} "
                f"[{res.hr_ci[0]:.2f}, {res.hr_ci[1]:.2f}]"
            )
    else:
        kms = dict(curves)
        if annotation is None and p_value is not None:
            annotation = f"log-rank {_fmt_p(p_value)}"
    if not kms:
        raise InputError("plot_km needs at least one curve")
    tmax = max(float(k.table["time"].max()) for k in kms.values())
    if risk_times is None:
        step = _nice_step(tmax / 5)
        risk_times = list(np.arange(0, tmax + 1e-9, step))
    fig = Figure(figsize=(5.2, 4.6))
    gs = fig.add_gridspec(2, 1, height_ratios=[4, 1.2], hspace=0.28)
    ax = fig.add_subplot(gs[0])
    axr = fig.add_subplot(gs[1], sharex=ax)
    for i, (label, km) in enumerate(kms.items()):
        c = PALETTE[i % len(PALETTE)]
        tab = km.table
        t = np.concatenate([[0.0], tab["time"].to_numpy()])
        s = np.concatenate([[1.0], tab["survival"].to_numpy()])
        ax.step(t, s, where="post", color=c, lw=1.6, label=label)
        if show_ci:
            lo = np.concatenate([[1.0], tab["lower"].to_numpy()])
            hi = np.concatenate([[1.0], tab["upper"].to_numpy()])
            ok = ~(np.isnan(lo) | np.isnan(hi))
            ax.fill_between(t[ok], lo[ok], hi[ok], step="post", color=c, alpha=0.12, lw=0)
        cens = tab[tab["n_censor"] > 0]
        ax.plot(cens["time"], km.survival_at(cens["time"]), "|", color=c, ms=6, mew=1.1)
    ax.set_ylim(0, 1.03)
    ax.set_xlim(0, tmax * 1.02)
    ax.set_ylabel(ylabel)
    ax.set_xticks(risk_times)
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    if annotation:
        ax.text(0.03, 0.05, annotation, transform=ax.transAxes, fontsize=8, va="bottom")
    if title:
        ax.set_title(title, fontsize=10)
    _style(ax)
    # risk table
    labels = list(kms)
    for i, label in enumerate(labels):
        y = len(labels) - 1 - i
        for t in risk_times:
            axr.text(t, y, str(_n_at_risk(kms[label], t)), ha="center", va="center", fontsize=7.5,
                     color=PALETTE[i % len(PALETTE)])
    axr.set_ylim(-0.6, len(labels) - 0.4)
    axr.set_yticks(range(len(labels)))
    axr.set_yticklabels([lab.split(" (")[0] for lab in reversed(labels)], fontsize=8)
    axr.set_xticks(risk_times)
    axr.set_xlabel(xlabel)
    axr.set_title("Number at risk", fontsize=8, loc="left", pad=4)
    for sp in ("top", "right", "left"):
        axr.spines[sp].set_visible(False)
    axr.tick_params(axis="y", length=0, pad=14)
    axr.tick_params(labelsize=8)
    fig.subplots_adjust(left=0.14, right=0.97, top=0.93, bottom=0.11)
    return fig


def _nice_step(x: float) -> float:
    if x <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if x <= m * mag:
            return m * mag
    return 10 * mag


def plot_roc(
    results: ROCResult | Sequence[ROCResult],
    *,
    labels: Sequence[str] | None = None,
    n_boot: int = 500,
    seed: int = 0,
    title: str = "",
    show_cutoff: bool = True,
) -> Figure:
    """ROC curve(s) with a bootstrap 95% confidence band of sensitivity and the Youden point.

    The band is the pointwise percentile interval of sensitivity at 101 specificities over
    ``n_boot`` stratified bootstrap resamples (as ``pROC::ci.se``; curves interpolated
    linearly, as drawn); ``n_boot=0`` omits it.
    """
    rs = [results] if isinstance(results, ROCResult) else list(results)
    if not rs:
        raise InputError("plot_roc needs at least one ROC result")
    labels = list(labels) if labels is not None else [r.marker or f"marker {i + 1}" for i, r in enumerate(rs)]
    fig = Figure(figsize=(4.4, 4.2))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1], [0, 1], ls="--", color="0.6", lw=0.8)
    grid = np.linspace(0, 1, 101)
    rng = np.random.default_rng(seed)
    for i, (r, lab) in enumerate(zip(rs, labels, strict=True)):
        c = PALETTE[i % len(PALETTE)]
        if n_boot > 0 and r.cases.size and r.controls.size:
            se = np.empty((n_boot, grid.size))
            for b in range(n_boot):
                cb = r.cases[rng.integers(0, r.cases.size, r.cases.size)]
                kb = r.controls[rng.integers(0, r.controls.size, r.controls.size)]
                cur = _roc_curve(cb, kb, r.direction)
                se[b] = _sens_at_spec(cur, grid)
            lo, hi = np.quantile(se, [0.025, 0.975], axis=0)
            ax.fill_between(1 - grid, lo, hi, color=c, alpha=0.18, lw=0, step=None)
        cur = r.curve
        ax.plot(1 - cur["specificity"], cur["sensitivity"], color=c, lw=1.6,
                label=f"{lab}: AUC {r.auc:.3f} [{r.auc_ci[0]:.3f}, {r.auc_ci[1]:.3f}]")
        if show_cutoff:
            ax.plot(1 - r.specificity, r.sensitivity, "o", color=c, ms=5, mec="white", mew=0.8)
            ax.annotate(f"cut-off {r.cutoff:.3g}\nSe {r.sensitivity:.2f}, Sp {r.specificity:.2f}",
                        (1 - r.specificity, r.sensitivity), textcoords="offset points",
                        xytext=(8, -22 - 20 * i), fontsize=7, color=c)
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_xlabel("1 − specificity")
    ax.set_ylabel("Sensitivity")
    ax.set_aspect("equal")
    ax.legend(frameon=False, fontsize=7.5, loc="lower right", title="DeLong 95% CI", title_fontsize=7.5)
    if title:
        ax.set_title(title, fontsize=10)
    _style(ax)
    fig.subplots_adjust(left=0.14, right=0.97, top=0.92, bottom=0.12)
    return fig


def _sens_at_spec(curve: pd.DataFrame, grid: np.ndarray) -> np.ndarray:
    """Sensitivity at each specificity of ``grid``, linear between the curve's points (the
    same interpolation as the drawn curve)."""
    fpr = 1 - curve["specificity"].to_numpy()[::-1]
    se = curve["sensitivity"].to_numpy()[::-1]
    return np.interp(1 - grid, fpr, se)


def plot_paired(
    df: pd.DataFrame,
    *,
    value_col: str,
    group_col: str,
    pair_col: str,
    order: tuple[str, str] = ("normal", "tumour"),
    ylabel: str | None = None,
    p_value: float | None = None,
    p_label: str = "paired test",
    title: str = "",
) -> Figure:
    """Paired tumour/normal plot: one line per patient (blue = lower in the second group,
    red = higher, grey = equal) beside box plots of both groups."""
    for c in (value_col, group_col, pair_col):
        if c not in df.columns:
            raise InputError(f"column {c!r} not in the table; available: {list(df.columns)}")
    w = df.pivot_table(index=pair_col, columns=group_col, values=value_col, aggfunc="mean")
    missing = [g for g in order if g not in w.columns]
    if missing:
        raise InputError(f"group(s) {missing} not in column {group_col!r}; present: {list(w.columns)}")
    w = w[list(order)].dropna()
    if w.empty:
        raise InputError("no pair has both groups; nothing to plot")
    fig = Figure(figsize=(3.4, 4.0))
    ax = fig.add_subplot(1, 1, 1)
    a, b = w[order[0]].to_numpy(), w[order[1]].to_numpy()
    for x0, x1 in zip(a, b, strict=True):
        col = PALETTE[1] if x1 < x0 else PALETTE[0] if x1 > x0 else "0.6"
        ax.plot([0, 1], [x0, x1], color=col, alpha=0.45, lw=0.8)
    ax.scatter(np.zeros(a.size), a, s=10, color="0.3", zorder=3)
    ax.scatter(np.ones(b.size), b, s=10, color="0.3", zorder=3)
    bp = ax.boxplot([a, b], positions=[-0.22, 1.22], widths=0.18, showfliers=False, patch_artist=True)
    for patch in bp["boxes"]:
        patch.set_facecolor("0.9")
    ax.set_xticks([0, 1])
    ax.set_xticklabels([f"{order[0]}\n(n={a.size})", f"{order[1]}\n(n={b.size})"])
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylabel(ylabel or value_col)
    n_down = int((b < a).sum())
    n_up = int((b > a).sum())
    txt = f"lower in {order[1]}: {n_down}, higher: {n_up}"
    if p_value is not None:
        txt += f"\n{p_label} {_fmt_p(p_value)}"
    ax.set_title((title + "\n" if title else "") + txt, fontsize=8.5)
    _style(ax)
    fig.subplots_adjust(left=0.2, right=0.97, top=0.85, bottom=0.14)
    return fig


def plot_forest(
    cox: CoxResult | pd.DataFrame,
    *,
    title: str = "",
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """Forest plot of hazard ratios with CIs (log scale) and p-values.

    ``cox`` is a :class:`CoxResult` or a summary table with ``hazard_ratio, hr_lower,
    hr_upper, p`` columns (e.g. :func:`univariate_cox`).
    """
    s = cox.summary if isinstance(cox, CoxResult) else cox
    for c in ("hazard_ratio", "hr_lower", "hr_upper", "p"):
        if c not in s.columns:
            raise InputError(f"forest plot needs column {c!r}; have {list(s.columns)}")
    n = len(s)
    fig = Figure(figsize=(6.0, 0.45 * n + 1.3))
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(n)[::-1]
    names = [(labels or {}).get(str(i), str(i)) for i in s.index]
    ax.errorbar(s["hazard_ratio"], y, xerr=[s["hazard_ratio"] - s["hr_lower"], s["hr_upper"] - s["hazard_ratio"]],
                fmt="s", color="0.15", ms=5, capsize=2.5, lw=1.1)
    ax.axvline(1.0, color="0.5", ls="--", lw=0.8)
    ax.set_xscale("log")
    lo = float(np.nanmin(s["hr_lower"].to_numpy(dtype=float)))
    hi = float(np.nanmax(s["hr_upper"].to_numpy(dtype=float)))
    ticks = [v for v in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 4, 5, 10, 20, 50, 100)
             if lo / 1.5 <= v <= hi * 1.5]
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel("Hazard ratio (95% CI, log scale)")
    for yi, (_, r) in zip(y, s.iterrows(), strict=True):
        ax.text(1.02, yi, f"{r['hazard_ratio']:.2f} [{r['hr_lower']:.2f}, {r['hr_upper']:.2f}]  {_fmt_p(r['p'])}",
                transform=ax.get_yaxis_transform(), va="center", fontsize=7.5)
    if title:
        ax.set_title(title, fontsize=10)
    _style(ax)
    fig.subplots_adjust(left=0.25, right=0.6, top=0.88 if title else 0.95, bottom=0.5 / (0.45 * n + 1.3) + 0.1)
    return fig


def plot_volcano(
    table: pd.DataFrame | Any,
    *,
    fdr: float = 0.05,
    lfc: float = 1.0,
    highlight: Sequence[str] = ("hsa-miR-124",),
    label_top: int = 8,
    title: str = "",
) -> Figure:
    """Volcano plot (logFC vs -log10 p) of a tumour-vs-normal table.

    ``table`` is a :class:`DifferentialResult` or a DataFrame indexed by miRNA with ``logFC``,
    ``p`` and ``fdr`` columns. Points with FDR < ``fdr`` and |logFC| >= ``lfc`` are coloured;
    ``highlight`` names are circled and labelled.
    """
    t = table.table if hasattr(table, "table") else table
    for c in ("logFC", "p", "fdr"):
        if c not in t.columns:
            raise InputError(f"volcano plot needs column {c!r}; have {list(t.columns)}")
    t = t.dropna(subset=["p"])
    y = -np.log10(np.clip(t["p"].to_numpy(dtype=float), 1e-300, 1))
    x = t["logFC"].to_numpy(dtype=float)
    sig = (t["fdr"].to_numpy() < fdr) & (np.abs(x) >= lfc)
    up = sig & (x > 0)
    down = sig & (x < 0)
    fig = Figure(figsize=(5.0, 4.2))
    ax = fig.add_subplot(1, 1, 1)
    ax.scatter(x[~sig], y[~sig], s=6, color="0.7", lw=0, label=f"n.s. ({int((~sig).sum())})")
    ax.scatter(x[up], y[up], s=8, color=PALETTE[0], lw=0, label=f"up ({int(up.sum())})")
    ax.scatter(x[down], y[down], s=8, color=PALETTE[1], lw=0, label=f"down ({int(down.sum())})")
    ax.axvline(-lfc, color="0.6", ls=":", lw=0.8)
    ax.axvline(lfc, color="0.6", ls=":", lw=0.8)
    order = np.argsort(-y)
    names = list(t.index)
    shown = set()
    for j in order[:label_top]:
        if sig[j]:
            ax.annotate(names[j].replace("hsa-", ""), (x[j], y[j]), fontsize=6.5, xytext=(3, 2),
                        textcoords="offset points")
            shown.add(names[j])
    for h in highlight:
        if h in t.index:
            j = names.index(h)
            ax.scatter([x[j]], [y[j]], s=60, facecolors="none", edgecolors="k", lw=1.2)
            if h not in shown:
                ax.annotate(h.replace("hsa-", ""), (x[j], y[j]), fontsize=7.5, fontweight="bold",
                            xytext=(5, 5), textcoords="offset points")
    ax.set_xlabel("log2 fold change (tumour / normal)")
    ax.set_ylabel("−log10 p")
    ax.legend(frameon=False, fontsize=7.5, loc="lower right", title=f"FDR < {fdr}, |logFC| ≥ {lfc}",
              title_fontsize=7.5)
    if title:
        ax.set_title(title, fontsize=10)
    _style(ax)
    fig.subplots_adjust(left=0.13, right=0.97, top=0.9, bottom=0.12)
    return fig
