"""Figures of the kinetic model: dose-response, time course, dose grid, sponge threshold.

Every function returns a :class:`matplotlib.figure.Figure` (no pyplot state, safe
headless); save it with ``fig.savefig(path)``.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"dose": [0.1, 1, 10], "STAT3": [-0.1, -1.0, -3.0]})
>>> fig = dose_response_figure(df, readouts=["STAT3"], title="miR-124 mimic")
>>> len(fig.axes)
1
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from mirscope.errors import InputError

__all__ = [
    "dose_grid_figure",
    "dose_response_figure",
    "sponge_threshold_figure",
    "time_course_figure",
]


def _check_cols(df: pd.DataFrame, cols: Sequence[str]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(
            f"Readout(s) {missing} are not in the result; available: {list(df.columns)[:20]}..."
        )


def dose_response_figure(
    df: pd.DataFrame,
    *,
    readouts: Sequence[str],
    title: str | None = None,
    threshold: float = 0.05,
) -> Figure:
    """log2 fold change against dose (log axis) for each readout of a dose_response table."""
    _check_cols(df, ["dose", *readouts])
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for r in readouts:
        ax.plot(df["dose"], df[r], marker="o", ms=3, label=r)
    ax.axhspan(-threshold, threshold, color="0.85", zorder=0, label=f"|log2fc| < {threshold}")
    ax.set_xscale("log")
    ax.set_xlabel("dose (1 = standard strength)")
    ax.set_ylabel("steady-state log2 fold change")
    ax.set_title(title or str(df.attrs.get("perturbation", "dose response")))
    ax.legend(fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    return fig


def time_course_figure(
    df: pd.DataFrame, *, readouts: Sequence[str], title: str | None = None
) -> Figure:
    """log2 fold change over time (hours) for each readout of a time_course table."""
    _check_cols(df, ["time", *readouts])
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for r in readouts:
        ax.plot(df["time"], df[r], label=r)
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel("time after perturbation (h)")
    ax.set_ylabel("log2 fold change")
    perts = df.attrs.get("perturbations")
    ax.set_title(title or (", ".join(perts) if perts else "time course"))
    ax.legend(fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    return fig


def dose_grid_figure(df: pd.DataFrame, *, readout: str, title: str | None = None) -> Figure:
    """Heat map of one readout's log2fc over a two-factor dose grid (from ``dose_grid``)."""
    _check_cols(df, ["dose_first", "dose_second", readout])
    grid = df.pivot(index="dose_second", columns="dose_first", values=readout)
    fig = Figure(figsize=(6.0, 4.8), layout="constrained")
    ax = fig.add_subplot()
    x = grid.columns.to_numpy(dtype=float)
    y = grid.index.to_numpy(dtype=float)
    vmax = float(np.nanmax(np.abs(grid.to_numpy()))) or 1.0
    mesh = ax.pcolormesh(
        x, y, grid.to_numpy(), cmap="RdBu_r", vmin=-vmax, vmax=vmax, shading="nearest"
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(f"dose of {df.attrs.get('first', 'first perturbation')}")
    ax.set_ylabel(f"dose of {df.attrs.get('second', 'second perturbation')}")
    ax.set_title(title or f"{readout}: steady-state log2 fold change")
    fig.colorbar(mesh, ax=ax, label="log2 fold change")
    return fig


def sponge_threshold_figure(
    assessments: pd.DataFrame | None = None,
    *,
    mirna_copies: Sequence[float] = (1e3, 1e4, 1e5, 3e5),
    target_sites: float | None = None,
    threshold: float | None = None,
) -> Figure:
    """Target derepression against added binding sites, with the Denzler threshold.

    Curves for several miRNA copy numbers (equilibrium titration model); vertical line
    at the threshold (1.5e5 sites per cell); each sponge of ``assessments`` (from
    :func:`~mirscope.simulate.sponge.assess_review_sponges`) marked at its added sites.
    """
    from mirscope.simulate.sponge import _defaults, derepression

    d = _defaults()
    thr = d["threshold_sites"] if threshold is None else float(threshold)
    xs = np.logspace(1, 7, 121)
    fig = Figure(figsize=(7.0, 4.6), layout="constrained")
    ax = fig.add_subplot()
    for mt in mirna_copies:
        ys = derepression(xs, mirna_copies=mt, target_sites=target_sites)
        ax.plot(xs, ys, label=f"miR-124 {mt:,.0f} copies/cell")
    ax.axvline(thr, color="k", ls="--", lw=1, label=f"Denzler threshold ~{thr:,.0f} sites")
    ax.axhline(0.1, color="0.6", ls=":", lw=1, label="detectable (0.1 log2)")
    if assessments is not None and len(assessments):
        trans = ax.get_xaxis_transform()  # x in data, y in axes fraction
        ordered = assessments.sort_values("added_sites").reset_index(drop=True)
        for i, row in ordered.iterrows():
            ax.axvline(row["added_sites"], color="0.35", alpha=0.35, lw=1, ls="-.")
            ax.text(
                row["added_sites"],
                0.12 + 0.065 * (int(i) % 11),
                f" {row['sponge']}",
                transform=trans,
                fontsize=7,
                color="0.2",
                ha="left",
                va="center",
            )
    ax.set_xscale("log")
    ax.set_xlabel("added miR-124 binding sites per cell (sponge copies x sites)")
    ax.set_ylabel("target derepression (log2)")
    ax.set_title("Sponge plausibility: derepression vs added sites")
    ax.legend(fontsize=7, loc="center right")
    ax.grid(alpha=0.3)
    return fig
