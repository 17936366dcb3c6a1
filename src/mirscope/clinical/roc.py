"""Diagnostic ROC analysis: AUC with DeLong and bootstrap CIs, Youden cut-off, DeLong test.

Conventions follow R's ``pROC`` (checked in the tests):

* **Direction** as ``pROC``'s ``direction="auto"``: if the median marker of the negatives
  (controls) is greater than that of the positives (cases), low values indicate the positive
  class (``">"``), otherwise high values do (``"<"``). The AUC is computed in that direction
  (so it is normally >= 0.5). Fix it with ``direction="<"`` or ``">"``.
* **AUC** = Mann-Whitney probability, ties count 1/2; **DeLong** variance from the
  structural components (placements); CI = AUC +- z * SE, clipped to [0, 1].
* **Thresholds** are the midpoints between consecutive distinct marker values (plus -inf and
  +inf); a sample is called positive when marker > threshold (``"<"``) or marker < threshold
  (``">"``). The **Youden** cut-off maximises sensitivity + specificity - 1; among tied
  maxima the one with the highest sensitivity is reported (``pROC``'s first row) and all are
  listed in ``youden_ties``.
* Sensitivity and specificity CIs are exact Clopper-Pearson intervals at the chosen cut-off
  (conditional on the cut) and, with ``n_boot > 0``, stratified percentile-bootstrap
  intervals in which the Youden optimum is re-found in every resample (as ``pROC::ci.coords``
  with ``x="best"``, which also accounts for choosing the cut); the bootstrap AUC CI is the
  stratified percentile bootstrap (``pROC::ci.auc(method="bootstrap")``).

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"m": [1, 2, 3, 4, 2, 3, 4, 5], "y": ["n"] * 4 + ["t"] * 4})
>>> r = ROCFitter(n_boot=0).fit(df, marker_col="m", label_col="y", positive="t").result_
>>> r.auc, r.cutoff
(0.71875, 1.5)
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from mirscope.clinical._common import Exclusions, jsonable, numeric_column, require_columns
from mirscope.errors import InputError

__all__ = [
    "DeLongTestResult",
    "ROCFitter",
    "ROCResult",
    "delong_test",
    "pairwise_roc",
    "roc_auc_delong",
    "roc_curve",
]

log = logging.getLogger(__name__)

Direction = Literal["auto", "<", ">"]


def _auto_direction(cases: np.ndarray, controls: np.ndarray) -> str:
    return ">" if np.median(controls) > np.median(cases) else "<"


def _placements(cases: np.ndarray, controls: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """AUC and DeLong placements (cases scored higher = better), O((m + n) log(m + n)).

    ``v10[i]`` = P(control < case_i) + 1/2 P(control = case_i); ``v01[j]`` likewise for
    control j against the cases.
    """
    sc = np.sort(controls)
    sx = np.sort(cases)
    lt = np.searchsorted(sc, cases, side="left")
    le = np.searchsorted(sc, cases, side="right")
    v10 = (lt + 0.5 * (le - lt)) / controls.size
    gt = cases.size - np.searchsorted(sx, controls, side="right")
    ge = cases.size - np.searchsorted(sx, controls, side="left")
    v01 = (gt + 0.5 * (ge - gt)) / cases.size
    return float(v10.mean()), v10, v01


def roc_auc_delong(
    cases: Sequence[float] | np.ndarray,
    controls: Sequence[float] | np.ndarray,
    *,
    direction: Literal["<", ">"] = "<",
) -> tuple[float, float]:
    """AUC and its DeLong variance for marker values of cases and controls.

    Examples
    --------
    >>> auc, var = roc_auc_delong([2, 3, 4, 5], [1, 2, 3, 4])
    >>> auc
    0.71875
    """
    x = np.asarray(cases, dtype=float)
    y = np.asarray(controls, dtype=float)
    if direction == ">":
        x, y = -x, -y
    auc, v10, v01 = _placements(x, y)
    m, n = x.size, y.size
    var = (np.var(v10, ddof=1) / m if m > 1 else math.nan) + (
        np.var(v01, ddof=1) / n if n > 1 else math.nan
    )
    return auc, float(var)


def _clopper_pearson(k: int, n: int, conf_level: float) -> tuple[float, float]:
    a = 1 - conf_level
    lo = 0.0 if k == 0 else float(stats.beta.ppf(a / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(stats.beta.ppf(1 - a / 2, k + 1, n - k))
    return lo, hi


@dataclass
class ROCResult:
    """A fitted ROC curve with AUC, CIs and the Youden cut-off (see :class:`ROCFitter`)."""

    auc: float
    auc_ci: tuple[float, float]
    auc_se: float
    auc_ci_boot: tuple[float, float] | None
    cutoff: float
    sensitivity: float
    specificity: float
    sensitivity_ci: tuple[float, float]
    specificity_ci: tuple[float, float]
    youden: float
    n_pos: int
    n_neg: int
    direction: str
    positive: str
    negative: str
    curve: pd.DataFrame = field(repr=False)  # threshold, sensitivity, specificity
    youden_ties: list[float] = field(default_factory=list)
    excluded_: dict[str, int] = field(default_factory=dict)
    conf_level: float = 0.95
    marker: str = ""
    sensitivity_ci_boot: tuple[float, float] | None = None
    specificity_ci_boot: tuple[float, float] | None = None
    cases: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    controls: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)

    @property
    def p_value(self) -> float:
        """Two-sided p-value of H0: AUC = 0.5 (DeLong normal approximation)."""
        if not self.auc_se > 0:
            return math.nan
        return float(2 * stats.norm.sf(abs(self.auc - 0.5) / self.auc_se))

    @property
    def test_statistic(self) -> float:
        """z = (AUC - 0.5) / SE_DeLong."""
        return (self.auc - 0.5) / self.auc_se if self.auc_se > 0 else math.nan

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table of the main numbers."""
        return pd.DataFrame([self.details()]).drop(columns=["excluded", "youden_ties"])

    def to_dict(self) -> dict[str, Any]:
        """Exactly the CLI's JSON keys: auc, auc_ci, cutoff, sensitivity, specificity, n_pos,
        n_neg."""
        return jsonable(
            {
                "auc": self.auc,
                "auc_ci": list(self.auc_ci),
                "cutoff": self.cutoff,
                "sensitivity": self.sensitivity,
                "specificity": self.specificity,
                "n_pos": self.n_pos,
                "n_neg": self.n_neg,
            }
        )

    def details(self) -> dict[str, Any]:
        """All numbers: the JSON keys plus CIs, direction, labels, exclusions."""
        d = self.to_dict()
        d.update(
            marker=self.marker,
            positive=self.positive,
            negative=self.negative,
            direction=self.direction,
            auc_se=self.auc_se,
            auc_ci_method="DeLong",
            auc_ci_bootstrap=list(self.auc_ci_boot) if self.auc_ci_boot else None,
            sensitivity_ci=list(self.sensitivity_ci),
            specificity_ci=list(self.specificity_ci),
            sensitivity_ci_bootstrap=list(self.sensitivity_ci_boot) if self.sensitivity_ci_boot else None,
            specificity_ci_bootstrap=list(self.specificity_ci_boot) if self.specificity_ci_boot else None,
            youden=self.youden,
            youden_ties=list(self.youden_ties),
            p_value=self.p_value,
            excluded=dict(self.excluded_),
        )
        return jsonable(d)

    def print_summary(self) -> None:  # pragma: no cover - display helper
        """Print the numbers (notebook use)."""
        for k, v in self.details().items():
            print(f"{k}: {v}")


def _split_labels(
    df: pd.DataFrame, marker_col: str, label_col: str, positive: Any, negative: Any | None
) -> tuple[np.ndarray, np.ndarray, Exclusions, str, str]:
    require_columns(df, [marker_col, label_col])
    x = numeric_column(df, marker_col)
    lab = df[label_col]
    excl = Exclusions()
    m_lab = lab.isna()
    excl.add("missing_label", int(m_lab.sum()))
    m_x = ~m_lab & x.isna()
    excl.add("missing_marker", int(m_x.sum()))
    keep = ~m_lab & ~m_x
    x, lab = x[keep], lab[keep]

    def norm(v: Any) -> str:
        try:
            f = float(v)
            return repr(int(f)) if f.is_integer() else repr(f)
        except (TypeError, ValueError):
            return str(v).strip()

    labn = lab.map(norm)
    levels = sorted(labn.unique())
    pos = norm(positive)
    if pos not in levels:
        raise InputError(
            f"positive label {positive!r} not found in column {label_col!r}; "
            f"its values are {', '.join(map(repr, levels))}"
        )
    if negative is None:
        others = [v for v in levels if v != pos]
        if len(others) != 1:
            raise InputError(
                f"column {label_col!r} has {len(levels)} labels ({', '.join(map(repr, levels))}); "
                "give the negative label (--negative) or use pairwise_roc for multi-group designs"
            )
        neg = others[0]
    else:
        neg = norm(negative)
        if neg not in levels:
            raise InputError(
                f"negative label {negative!r} not found in column {label_col!r}; "
                f"its values are {', '.join(map(repr, levels))}"
            )
        if neg == pos:
            raise InputError("positive and negative labels must differ")
        other = ~labn.isin([pos, neg])
        excl.add("other_label", int(other.sum()))
    cases = x[labn == pos].to_numpy()
    controls = x[labn == neg].to_numpy()
    if cases.size == 0 or controls.size == 0:
        raise InputError(
            f"need both classes: {cases.size} positive ({pos}) and {controls.size} negative "
            f"({neg}) samples with a marker value"
        )
    return cases, controls, excl, pos, neg


class ROCFitter:
    """Empirical ROC curve of one marker for a binary label.

    Parameters
    ----------
    direction
        ``"auto"`` (pROC's rule, default), ``"<"`` (high marker = positive) or ``">"``.
    conf_level
        Level of all confidence intervals.
    n_boot
        Stratified bootstrap replicates for the bootstrap AUC CI (0 = skip).
    seed
        Seed of the bootstrap.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"m": [0.2, 0.4, 0.5, 0.9, 1.1, 1.3], "y": [0, 0, 0, 1, 1, 1]})
    >>> ROCFitter(n_boot=0).fit(df, marker_col="m", label_col="y", positive=1).result_.auc
    1.0
    """

    def __init__(
        self,
        direction: Direction = "auto",
        *,
        conf_level: float = 0.95,
        n_boot: int = 2000,
        seed: int = 0,
    ) -> None:
        if direction not in ("auto", "<", ">"):
            raise InputError(f"direction {direction!r} unknown; use 'auto', '<' or '>'")
        if not 0 < conf_level < 1:
            raise InputError(f"conf_level must be in (0, 1), got {conf_level}")
        self.direction = direction
        self.conf_level = conf_level
        self.n_boot = int(n_boot)
        self.seed = seed

    def fit(
        self,
        df: pd.DataFrame,
        *,
        marker_col: str,
        label_col: str,
        positive: Any,
        negative: Any | None = None,
    ) -> ROCFitter:
        """Fit the ROC curve; rows with a missing label or marker are excluded and counted."""
        cases, controls, excl, pos, neg = _split_labels(df, marker_col, label_col, positive, negative)
        self.result_ = self._fit_arrays(cases, controls, excl=excl, pos=pos, neg=neg, marker=marker_col)
        return self

    def fit_arrays(
        self, cases: Sequence[float] | np.ndarray, controls: Sequence[float] | np.ndarray
    ) -> ROCFitter:
        """Fit from two arrays of marker values (positives, negatives)."""
        c = np.asarray(cases, dtype=float)
        k = np.asarray(controls, dtype=float)
        if np.isnan(c).any() or np.isnan(k).any() or c.size == 0 or k.size == 0:
            raise InputError("cases and controls must be non-empty and free of missing values")
        self.result_ = self._fit_arrays(c, k, excl=Exclusions(), pos="positive", neg="negative", marker="")
        return self

    def _fit_arrays(
        self,
        cases: np.ndarray,
        controls: np.ndarray,
        *,
        excl: Exclusions,
        pos: str,
        neg: str,
        marker: str,
    ) -> ROCResult:
        if np.unique(np.concatenate([cases, controls])).size < 2:
            raise InputError(
                f"all {cases.size + controls.size} marker values are tied; the ROC curve is a "
                "single point (AUC 0.5) and no cut-off exists"
            )
        direction = _auto_direction(cases, controls) if self.direction == "auto" else self.direction
        auc, var = roc_auc_delong(cases, controls, direction=direction)  # type: ignore[arg-type]
        se = math.sqrt(var) if var >= 0 and not math.isnan(var) else math.nan
        z = stats.norm.ppf(1 - (1 - self.conf_level) / 2)
        ci = (max(0.0, auc - z * se), min(1.0, auc + z * se)) if not math.isnan(se) else (math.nan, math.nan)
        curve = _roc_curve(cases, controls, direction)
        j = curve["sensitivity"] + curve["specificity"] - 1
        jmax = float(j.max())
        best = curve[np.isclose(j, jmax, rtol=0, atol=1e-12)]
        row = best.iloc[0]
        tp = round(float(row["sensitivity"]) * cases.size)
        tn = round(float(row["specificity"]) * controls.size)
        boot = self._bootstrap(cases, controls, direction) if self.n_boot > 0 else None
        boot_auc, boot_se, boot_sp = boot if boot is not None else (None, None, None)
        return ROCResult(
            auc=auc,
            auc_ci=ci,
            auc_se=se,
            auc_ci_boot=boot_auc,
            sensitivity_ci_boot=boot_se,
            specificity_ci_boot=boot_sp,
            cutoff=float(row["threshold"]),
            sensitivity=float(row["sensitivity"]),
            specificity=float(row["specificity"]),
            sensitivity_ci=_clopper_pearson(tp, cases.size, self.conf_level),
            specificity_ci=_clopper_pearson(tn, controls.size, self.conf_level),
            youden=jmax,
            n_pos=int(cases.size),
            n_neg=int(controls.size),
            direction=direction,
            positive=pos,
            negative=neg,
            curve=curve,
            youden_ties=[float(v) for v in best["threshold"].iloc[1:]],
            excluded_=dict(excl),
            conf_level=self.conf_level,
            marker=marker,
            cases=cases,
            controls=controls,
        )

    def _bootstrap(
        self, cases: np.ndarray, controls: np.ndarray, direction: str
    ) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
        """Stratified percentile bootstrap of the AUC and of the Youden-optimal sensitivity
        and specificity (the optimum is re-found in every resample, as ``pROC::ci.coords``
        with ``x="best"``)."""
        rng = np.random.default_rng(self.seed)
        m, n = cases.size, controls.size
        aucs = np.empty(self.n_boot)
        se = np.empty(self.n_boot)
        sp = np.empty(self.n_boot)
        for b in range(self.n_boot):
            cb = cases[rng.integers(0, m, m)]
            kb = controls[rng.integers(0, n, n)]
            x, y = (-cb, -kb) if direction == ">" else (cb, kb)
            r = stats.rankdata(np.concatenate([x, y]))
            aucs[b] = (r[:m].sum() - m * (m + 1) / 2) / (m * n)
            cur = _roc_curve(cb, kb, direction)
            k = int(np.argmax((cur["sensitivity"] + cur["specificity"]).to_numpy()))
            se[b] = cur["sensitivity"].iloc[k]
            sp[b] = cur["specificity"].iloc[k]
        a = (1 - self.conf_level) / 2

        def q(v: np.ndarray) -> tuple[float, float]:
            return float(np.quantile(v, a)), float(np.quantile(v, 1 - a))

        return q(aucs), q(se), q(sp)


def roc_curve(cases: np.ndarray, controls: np.ndarray, direction: Literal["<", ">"]) -> pd.DataFrame:
    """Sensitivity and specificity at every threshold (pROC's thresholds), by increasing
    specificity.

    Examples
    --------
    >>> roc_curve(np.array([2.0, 3.0]), np.array([1.0, 2.0]), "<")["sensitivity"].tolist()
    [1.0, 1.0, 0.5, 0.0]
    """
    return _roc_curve(np.asarray(cases, dtype=float), np.asarray(controls, dtype=float), direction)


def _roc_curve(cases: np.ndarray, controls: np.ndarray, direction: str) -> pd.DataFrame:
    """Sensitivity/specificity at every pROC threshold, ordered by increasing specificity."""
    u = np.unique(np.concatenate([cases, controls]))
    thr = np.concatenate([[-np.inf], (u[:-1] + u[1:]) / 2, [np.inf]])
    cs = np.sort(cases)
    ct = np.sort(controls)
    if direction == "<":
        sens = 1 - np.searchsorted(cs, thr, side="right") / cs.size
        spec = np.searchsorted(ct, thr, side="right") / ct.size
    else:
        sens = np.searchsorted(cs, thr, side="left") / cs.size
        spec = 1 - np.searchsorted(ct, thr, side="left") / ct.size
        thr, sens, spec = thr[::-1], sens[::-1], spec[::-1]
    return pd.DataFrame({"threshold": thr, "sensitivity": sens, "specificity": spec})


@dataclass
class DeLongTestResult:
    """DeLong test for two correlated ROC curves (same samples)."""

    auc1: float
    auc2: float
    test_statistic: float
    p_value: float
    diff_ci: tuple[float, float]
    direction1: str
    direction2: str
    n_pos: int
    n_neg: int
    excluded_: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table."""
        return pd.DataFrame([self.to_dict()])

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly numbers."""
        return jsonable(
            {
                "auc1": self.auc1,
                "auc2": self.auc2,
                "z": self.test_statistic,
                "p_value": self.p_value,
                "diff_ci": list(self.diff_ci),
                "direction1": self.direction1,
                "direction2": self.direction2,
                "n_pos": self.n_pos,
                "n_neg": self.n_neg,
                "excluded": dict(self.excluded_),
            }
        )

    def print_summary(self) -> None:  # pragma: no cover - display helper
        """Print the test (notebook use)."""
        print(self.to_dict())


def delong_test(
    df: pd.DataFrame,
    marker1: str,
    marker2: str,
    *,
    label_col: str,
    positive: Any,
    negative: Any | None = None,
    direction: Direction = "auto",
    conf_level: float = 0.95,
) -> DeLongTestResult:
    """DeLong test comparing the AUCs of two markers measured on the same samples.

    Each marker's direction is chosen separately (as ``pROC::roc.test`` on two ``roc``
    objects built with ``direction="auto"``). Rows missing either marker are excluded.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"a": [1, 2, 3, 5, 4, 6, 7, 8], "b": [2, 1, 6, 3, 8, 5, 4, 7],
    ...                   "y": [0, 0, 0, 0, 1, 1, 1, 1]})
    >>> res = delong_test(d, "a", "b", label_col="y", positive=1)
    >>> res.auc1, res.auc2
    (0.9375, 0.875)
    """
    require_columns(df, [marker1, marker2, label_col])
    excl = Exclusions()
    both = numeric_column(df, marker1).notna() & numeric_column(df, marker2).notna()
    excl.add("missing_marker", int((~both & df[label_col].notna()).sum()))
    sub = df[both]
    c1, k1, e1, _, _ = _split_labels(sub, marker1, label_col, positive, negative)
    c2, k2, _, _, _ = _split_labels(sub, marker2, label_col, positive, negative)
    for k, v in e1.items():
        excl[k] = excl.get(k, 0) + v
    d1 = _auto_direction(c1, k1) if direction == "auto" else direction
    d2 = _auto_direction(c2, k2) if direction == "auto" else direction
    s1 = -1.0 if d1 == ">" else 1.0
    s2 = -1.0 if d2 == ">" else 1.0
    a1, v10a, v01a = _placements(s1 * c1, s1 * k1)
    a2, v10b, v01b = _placements(s2 * c2, s2 * k2)
    m, n = c1.size, k1.size
    if m < 2 or n < 2:
        raise InputError(f"the DeLong test needs >= 2 positives and negatives (got {m} and {n})")
    s10 = np.cov(np.vstack([v10a, v10b]))
    s01 = np.cov(np.vstack([v01a, v01b]))
    cov = s10 / m + s01 / n
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    if var <= 0:
        raise InputError("the two ROC curves are identical (zero variance of the AUC difference)")
    z = (a1 - a2) / math.sqrt(var)
    q = stats.norm.ppf(1 - (1 - conf_level) / 2)
    return DeLongTestResult(
        auc1=a1,
        auc2=a2,
        test_statistic=float(z),
        p_value=float(2 * stats.norm.sf(abs(z))),
        diff_ci=(a1 - a2 - q * math.sqrt(var), a1 - a2 + q * math.sqrt(var)),
        direction1=d1,
        direction2=d2,
        n_pos=m,
        n_neg=n,
        excluded_=dict(excl),
    )


def pairwise_roc(
    df: pd.DataFrame,
    *,
    marker_col: str,
    label_col: str,
    pairs: Sequence[tuple[Any, Any]] | None = None,
    direction: Direction = "auto",
    conf_level: float = 0.95,
    n_boot: int = 0,
) -> pd.DataFrame:
    """ROC for every (positive, negative) pair of groups of a multi-group design.

    E.g. tumour vs benign vs healthy gives tumour-vs-benign, tumour-vs-healthy and
    benign-vs-healthy (the first of each pair, in the order given, is the positive class;
    without ``pairs`` all pairs of sorted labels are used).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"m": [5, 6, 7, 3, 4, 5, 1, 2, 3], "g": ["T"] * 3 + ["B"] * 3 + ["H"] * 3})
    >>> pairwise_roc(d, marker_col="m", label_col="g", pairs=[("T", "H"), ("T", "B")])["auc"].round(4).tolist()
    [1.0, 0.9444]
    """
    require_columns(df, [marker_col, label_col])
    if pairs is None:
        labels = sorted(df[label_col].dropna().astype(str).unique())
        pairs = list(itertools.combinations(labels, 2))
    rows = []
    for p, n in pairs:
        sub = df[df[label_col].astype(str).isin([str(p), str(n)])]
        r = ROCFitter(direction, conf_level=conf_level, n_boot=n_boot).fit(
            sub, marker_col=marker_col, label_col=label_col, positive=p, negative=n
        ).result_
        d = r.details()
        rows.append({"positive": str(p), "negative": str(n), **{k: d[k] for k in (
            "auc", "auc_ci", "cutoff", "sensitivity", "specificity", "n_pos", "n_neg",
            "direction", "p_value")}})
    return pd.DataFrame(rows)
