"""Figures drawn by the report and the web workbench (presentation only).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"node": ["STAT3", "CDK6"], "type": ["gene", "gene"],
...                   "log2fc": [-2.0, 0.5], "direction": ["down", "up"]})
>>> fig = perturbation_figure(t, title="miR-124=overexpress")
>>> len(fig.axes)
1
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from mirscope.errors import InputError

__all__ = ["perturbation_figure"]

_COLOURS = {"up": "#c0392b", "down": "#2471a3", "none": "#aab7b8"}


def perturbation_figure(
    table: pd.DataFrame, *, title: str = "", top: int = 25, threshold: float | None = None
) -> Figure:
    """Horizontal bars of the steady-state log2 fold changes of the most affected nodes.

    Parameters
    ----------
    table
        :attr:`mirscope.simulate.PerturbationResult.table` (columns ``node``, ``log2fc``,
        ``direction``; ``type`` optional).
    title
        Figure title (e.g. the perturbations).
    top
        Number of nodes shown (largest ``|log2fc|`` first).
    threshold
        Direction threshold drawn as a grey band (``|log2fc|`` below it counts as no change).

    Returns
    -------
    matplotlib.figure.Figure
    """
    missing = [c for c in ("node", "log2fc", "direction") if c not in table.columns]
    if missing:
        raise InputError(f"perturbation table lacks column(s) {missing}; pass result.table.")
    if top < 1:
        raise InputError(f"top must be >= 1, got {top}.")
    t = table.reindex(table["log2fc"].abs().sort_values(ascending=False).index).head(top)
    t = t.iloc[::-1]
    labels = [
        f"{n} ({ty})" if "type" in t.columns and ty else str(n)
        for n, ty in zip(t["node"], t["type"] if "type" in t.columns else [""] * len(t),
                         strict=True)
    ]
    fig = Figure(figsize=(7.0, 0.28 * len(t) + 1.4), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(range(len(t)), t["log2fc"], color=[_COLOURS.get(d, "#aab7b8") for d in t["direction"]])
    ax.set_yticks(range(len(t)), labels, fontsize=8)
    ax.axvline(0, color="0.3", lw=0.8)
    if threshold:
        ax.axvspan(-threshold, threshold, color="0.9", zorder=0)
    ax.set_xlabel("steady-state log2 fold change vs unperturbed model")
    ax.set_title(title or "simulated perturbation", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig
