"""Prognosis: Kaplan-Meier, log-rank, marker cut-points (incl. maxstat) and Cox models.

Conventions (the same as R's ``survival`` package, against which the tests check):

* Kaplan-Meier: product-limit estimate with Greenwood variance; confidence intervals on the
  ``log`` scale by default (R's ``survfit`` default ``conf.type="log"``), ``log-log`` optional.
* Log-rank: R's ``survdiff`` (rho = 0) chi-square with K-1 degrees of freedom.
* A marker is split into **high = marker > cut** and **low = marker <= cut**.
* Cox: lifelines ``CoxPHFitter`` with Efron ties (R ``coxph`` default) and tight convergence;
  concordance as R's ``concordance()`` (pairs tied in time with both events are not
  comparable; an event and a censoring at the same time are comparable; ties in the risk
  score count 1/2).
* Proportional-hazards check: :func:`cox_zph`, the score test of R >= 3.0 ``cox.zph``
  (Schoenfeld residuals against g(t) = 1 - KM(t-), Efron ties, one test per term with the
  levels of a factor pooled, plus GLOBAL); checked against R in the tests.
* Optimal cut-point: maximally selected log-rank statistic (``maxstat``) over cut-points whose
  low group holds between ``minprop`` and ``maxprop`` of the samples, with the Lausen &
  Schumacher (1992) approximation of the p-value corrected for the search.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"time": [5, 8, 12, 3, 9, 20, 15, 7], "event": [1, 1, 0, 1, 1, 0, 0, 1],
...                    "mir124": [0.5, 0.3, 2.0, 0.2, 1.5, 0.1, 2.5, 1.4]})
>>> res = SurvivalSplitFitter(split="median").fit(
...     df, duration_col="time", event_col="event", marker_col="mir124").result_
>>> res.n_high, res.n_low
(4, 4)
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd
from scipy import stats

from mirscope.clinical._common import (
    UncorrectedCutpointWarning,
    clean_survival,
    jsonable,
    numeric_column,
    require_columns,
)
from mirscope.errors import ConvergenceError, InputError
from mirscope.schema import SURVIVAL_SPLITS, SurvivalSplit

__all__ = [
    "CoxFitter",
    "CoxResult",
    "KaplanMeierResult",
    "LogRankResult",
    "MaxstatResult",
    "SurvivalSplitFitter",
    "SurvivalSplitResult",
    "association_table",
    "concordance_index",
    "cox_zph",
    "fisher_exact_2xk",
    "kaplan_meier",
    "lausen_schumacher_p",
    "logrank_test",
    "maxstat_cutpoint",
    "split_marker",
    "univariate_cox",
]

log = logging.getLogger(__name__)

SplitMethod = SurvivalSplit
SPLIT_METHODS: tuple[str, ...] = SURVIVAL_SPLITS
ConfType = Literal["log", "log-log", "plain"]


# ---------------------------------------------------------------------------
# Kaplan-Meier
# ---------------------------------------------------------------------------
@dataclass
class KaplanMeierResult:
    """Kaplan-Meier estimate at every distinct time (as R's ``survfit``).

    ``table`` has columns ``time, n_risk, n_event, n_censor, survival, std_err, lower,
    upper``; ``std_err`` is the Greenwood standard error of the survival probability (as
    ``summary(survfit(...))$std.err`` in R).
    """

    table: pd.DataFrame
    conf_level: float
    conf_type: str
    label: str = ""

    def survival_at(self, times: Sequence[float]) -> np.ndarray:
        """Survival probability at ``times`` (right-continuous step function)."""
        t = self.table["time"].to_numpy()
        s = self.table["survival"].to_numpy()
        idx = np.searchsorted(t, np.asarray(times, dtype=float), side="right") - 1
        return np.where(idx >= 0, s[np.clip(idx, 0, None)], 1.0)

    def n_at_risk(self, times: Sequence[float]) -> list[int]:
        """Risk-table counts: number still under observation (time >= t) at each of ``times``."""
        t = self.table["time"].to_numpy()
        n = self.table["n_risk"].to_numpy()
        idx = np.searchsorted(t, np.asarray(times, dtype=float), side="left")
        first = int(n[0]) if n.size else 0
        return [first if i == 0 else (int(n[i]) if i < n.size else 0) for i in idx]

    @property
    def median(self) -> float:
        """Median survival time (first time with S(t) <= 0.5; NaN if never reached)."""
        hit = self.table.loc[self.table["survival"] <= 0.5 + 1e-12, "time"]
        return float(hit.iloc[0]) if len(hit) else math.nan


def kaplan_meier(
    durations: Sequence[float] | np.ndarray,
    events: Sequence[float] | np.ndarray,
    *,
    conf_level: float = 0.95,
    conf_type: ConfType = "log",
    label: str = "",
) -> KaplanMeierResult:
    """Kaplan-Meier product-limit estimate with Greenwood confidence intervals.

    Parameters
    ----------
    durations, events
        Follow-up times (>= 0) and event indicators (1 = event, 0 = censored).
    conf_level
        Confidence level of the pointwise interval.
    conf_type
        ``"log"`` (R default), ``"log-log"`` or ``"plain"``.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 2, 3], [1, 1, 0, 1])
    >>> km.table["survival"].round(4).tolist()
    [0.75, 0.5, 0.0]
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=float)
    if t.shape != e.shape or t.size == 0:
        raise InputError("durations and events must be non-empty and of equal length")
    if np.isnan(t).any() or (t < 0).any():
        raise InputError("durations must be non-negative numbers without missing values")
    if not np.isin(e, [0.0, 1.0]).all():
        raise InputError("events must be 0 (censored) or 1 (event)")
    if conf_type not in get_args(ConfType):
        raise InputError(f"conf_type {conf_type!r} unknown; use one of {get_args(ConfType)}")
    times = np.unique(t)
    n_risk = np.array([(t >= u).sum() for u in times], dtype=float)
    n_event = np.array([e[t == u].sum() for u in times], dtype=float)
    n_cens = np.array([(t == u).sum() for u in times], dtype=float) - n_event
    surv = np.cumprod(1.0 - n_event / n_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        inc = np.where(n_event > 0, n_event / (n_risk * (n_risk - n_event)), 0.0)
        se = np.sqrt(np.cumsum(inc))
        z = stats.norm.ppf(1 - (1 - conf_level) / 2)
        if conf_type == "log":
            lo, hi = surv * np.exp(-z * se), np.minimum(surv * np.exp(z * se), 1.0)
        elif conf_type == "log-log":
            ll = np.log(-np.log(surv))
            lo = np.exp(-np.exp(ll - z * se / np.log(surv)))
            hi = np.exp(-np.exp(ll + z * se / np.log(surv)))
        else:
            lo, hi = np.maximum(surv - z * se * surv, 0.0), np.minimum(surv + z * se * surv, 1.0)
    bad = ~np.isfinite(se) | (surv <= 0)
    lo = np.where(bad, np.nan, lo)
    hi = np.where(bad, np.nan, hi)
    se = np.where(np.isfinite(se), se, np.nan)
    if conf_type == "log-log":
        zero_se = se == 0
        lo = np.where(zero_se, np.nan, lo)
        hi = np.where(zero_se, np.nan, hi)
    tab = pd.DataFrame(
        {
            "time": times,
            "n_risk": n_risk.astype(int),
            "n_event": n_event.astype(int),
            "n_censor": n_cens.astype(int),
            "survival": surv,
            "std_err": se * surv,
            "lower": lo,
            "upper": hi,
        }
    )
    return KaplanMeierResult(tab, conf_level, conf_type, label)


def risk_table(
    durations: np.ndarray, times: Sequence[float]
) -> list[int]:
    """Number at risk (time >= t) at each of ``times``."""
    d = np.asarray(durations, dtype=float)
    return [int((d >= t).sum()) for t in times]


# ---------------------------------------------------------------------------
# Log-rank
# ---------------------------------------------------------------------------
@dataclass
class LogRankResult:
    """K-group log-rank test (R ``survdiff``, rho = 0)."""

    test_statistic: float
    p_value: float
    degrees_of_freedom: int
    summary: pd.DataFrame  # per group: n, observed, expected

    def print_summary(self) -> None:  # pragma: no cover - display helper
        """Print the test to stdout (notebook use)."""
        print(self.summary.to_string())
        print(f"chi2 = {self.test_statistic:.4f} on {self.degrees_of_freedom} df, p = {self.p_value:.4g}")


def logrank_test(
    durations: Sequence[float] | np.ndarray,
    events: Sequence[float] | np.ndarray,
    groups: Sequence[Any] | np.ndarray,
) -> LogRankResult:
    """Log-rank test of equal survival across groups (R's ``survdiff``).

    Examples
    --------
    >>> r = logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1], ["a", "a", "a", "b", "b", "b"])
    >>> round(r.test_statistic, 4)
    5.0517
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=float)
    g = np.asarray(groups)
    levels = list(pd.unique(pd.Series(g).sort_values()))
    if len(levels) < 2:
        raise InputError(f"the log-rank test needs at least two groups; found {levels}")
    k = len(levels)
    gi = np.array([levels.index(x) for x in g])
    times = np.unique(t[e == 1])
    obs = np.zeros(k)
    exp = np.zeros(k)
    var = np.zeros((k, k))
    for u in times:
        at_risk = t >= u
        n = at_risk.sum()
        nk = np.bincount(gi[at_risk], minlength=k).astype(float)
        died = (t == u) & (e == 1)
        d = died.sum()
        dk = np.bincount(gi[died], minlength=k).astype(float)
        obs += dk
        exp += d * nk / n
        if n > 1:
            f = d * (n - d) / (n * n * (n - 1))
            var += f * (np.diag(nk * n) - np.outer(nk, nk))
    diff = (obs - exp)[:-1]
    v = var[:-1, :-1]
    try:
        chi2 = float(diff @ np.linalg.solve(v, diff))
    except np.linalg.LinAlgError as err:
        raise InputError(
            "the log-rank variance is singular (a group has no one at risk at any event time)"
        ) from err
    df = k - 1
    summ = pd.DataFrame(
        {
            "group": levels,
            "n": np.bincount(gi, minlength=k),
            "observed": obs,
            "expected": exp,
        }
    ).set_index("group")
    return LogRankResult(chi2, float(stats.chi2.sf(chi2, df)), df, summ)


# ---------------------------------------------------------------------------
# Concordance
# ---------------------------------------------------------------------------
def concordance_index(
    durations: Sequence[float] | np.ndarray,
    events: Sequence[float] | np.ndarray,
    risk: Sequence[float] | np.ndarray,
) -> float:
    """Harrell's C as R's ``concordance()`` for a Cox model (higher risk = shorter survival).

    A pair is comparable when the shorter time is an event, or when the times are equal and
    exactly one is an event (the event counts as earlier). Ties in ``risk`` count 1/2.

    Examples
    --------
    >>> concordance_index([1, 2, 3], [1, 1, 0], [3, 2, 1])
    1.0
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=float)
    r = np.asarray(risk, dtype=float)
    conc = 0.0
    disc = 0.0
    tied = 0.0
    for i in np.flatnonzero(e == 1):
        comp = (t > t[i]) | ((t == t[i]) & (e == 0))
        rr = r[comp]
        conc += float((r[i] > rr).sum())
        disc += float((r[i] < rr).sum())
        tied += float((r[i] == rr).sum())
    total = conc + disc + tied
    if total == 0:
        raise InputError("no comparable pairs: concordance is undefined (are there any events?)")
    return (conc + 0.5 * tied) / total


# ---------------------------------------------------------------------------
# Cut-points
# ---------------------------------------------------------------------------
def lausen_schumacher_p(statistic: float, *, minprop: float = 0.1, maxprop: float = 0.9) -> float:
    """Lausen & Schumacher (1992) approximate p-value of a maximally selected statistic.

    ``p = 4 phi(b)/b + phi(b) (b - 1/b) log(maxprop (1 - minprop) / ((1 - maxprop) minprop))``,
    clipped to [0, 1] (1 when ``b < 1``), where ``b`` is the maximal standardized statistic.

    Examples
    --------
    >>> round(lausen_schumacher_p(3.0), 4)
    0.0578
    """
    b = float(statistic)
    if b < 1:
        return 1.0
    db = stats.norm.pdf(b)
    p = 4 * db / b + db * (b - 1 / b) * math.log(maxprop * (1 - minprop) / ((1 - maxprop) * minprop))
    return float(min(max(p, 0.0), 1.0))


def _logrank_scores(t: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Log-rank scores of Hothorn & Lausen (2003), as ``exactRankTests::cscores.Surv``.

    ``a_i = e_i - sum_{j: t_j <= t_i} e_j / (N - r_j + 1)`` with ``r_j = #{k: t_k <= t_j}``.
    """
    n = t.size
    r = np.searchsorted(np.sort(t), t, side="right")  # max rank with ties
    fact = e / (n - r + 1)
    order = np.argsort(t, kind="stable")
    cum = np.cumsum(fact[order])
    return e - cum[r - 1]


@dataclass
class MaxstatResult:
    """Maximally selected log-rank statistic: the cut, its statistic and p-values."""

    cutpoint: float
    statistic: float
    p_value: float  # Lausen-Schumacher corrected
    p_value_uncorrected: float
    minprop: float
    maxprop: float
    cuts: pd.DataFrame = field(repr=False)  # cut, n_low, statistic


def maxstat_cutpoint(
    marker: Sequence[float] | np.ndarray,
    durations: Sequence[float] | np.ndarray,
    events: Sequence[float] | np.ndarray,
    *,
    minprop: float = 0.1,
    maxprop: float = 0.9,
) -> MaxstatResult:
    """Optimal cut-point by the maximally selected log-rank statistic.

    Candidate cuts are the distinct marker values ``c`` whose low group (marker <= c) holds
    ``m`` samples with ``max(1, floor(n minprop)) <= m <= floor(n maxprop)`` (as R's
    ``maxstat``). For each, the standardized linear
    statistic of log-rank scores in the low group (permutation mean and variance) is
    computed; the largest absolute value is the statistic, with the Lausen & Schumacher
    (1992) corrected p-value and, for comparison only, the naive (uncorrected) normal p-value.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=60); t = rng.exponential(np.exp(-x)); e = np.ones(60)
    >>> res = maxstat_cutpoint(x, t, e)
    >>> res.p_value >= res.p_value_uncorrected
    True
    """
    x = np.asarray(marker, dtype=float)
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=float)
    if not 0 < minprop < maxprop < 1:
        raise InputError(f"need 0 < minprop < maxprop < 1; got minprop={minprop}, maxprop={maxprop}")
    n = x.size
    a = _logrank_scores(t, e)
    abar = a.mean()
    ssq = ((a - abar) ** 2).sum()
    ux = np.unique(x)
    lo_m, hi_m = max(1, math.floor(n * minprop)), math.floor(n * maxprop)
    rows = []
    for c in ux[:-1]:
        low = x <= c
        m = int(low.sum())
        if m < lo_m or m > hi_m:
            continue
        s = a[low].sum()
        ex = m * abar
        v = m * (n - m) / (n * (n - 1)) * ssq
        if v <= 0:
            continue
        rows.append((float(c), m, abs(s - ex) / math.sqrt(v)))
    if not rows:
        raise InputError(
            f"no admissible cut-point: the marker has {ux.size} distinct value(s) and no cut "
            f"leaves between {minprop:.0%} and {maxprop:.0%} of samples in the low group "
            "(too many tied values); use split='value' with an explicit cut-off"
        )
    cuts = pd.DataFrame(rows, columns=["cut", "n_low", "statistic"])
    best = cuts.iloc[int(np.argmax(cuts["statistic"].to_numpy()))]
    stat = float(best["statistic"])
    return MaxstatResult(
        cutpoint=float(best["cut"]),
        statistic=stat,
        p_value=lausen_schumacher_p(stat, minprop=minprop, maxprop=maxprop),
        p_value_uncorrected=float(2 * stats.norm.sf(stat)),
        minprop=minprop,
        maxprop=maxprop,
        cuts=cuts,
    )


def split_marker(
    marker: Sequence[float] | np.ndarray,
    split: SplitMethod = "median",
    *,
    quantile: float = 0.5,
    cutoff: float | None = None,
) -> tuple[float, np.ndarray]:
    """Cut value and boolean "high" mask (marker > cut) for a non-optimal split.

    ``split``: ``"median"``, ``"mean"``, ``"quantile"`` (R type-7 quantile ``quantile``) or
    ``"value"`` (``cutoff``). For ``"optimal"`` use :func:`maxstat_cutpoint`.

    Examples
    --------
    >>> split_marker([1, 2, 3, 4], "median")
    (2.5, array([False, False,  True,  True]))
    """
    x = np.asarray(marker, dtype=float)
    if split == "median":
        cut = float(np.median(x))
    elif split == "mean":
        cut = float(np.mean(x))
    elif split == "quantile":
        if not 0 < quantile < 1:
            raise InputError(f"quantile must be strictly between 0 and 1, got {quantile}")
        cut = float(np.quantile(x, quantile))
    elif split == "value":
        if cutoff is None:
            raise InputError("split='value' needs cutoff=<number> (e.g. --cutoff 0)")
        cut = float(cutoff)
    else:
        raise InputError(f"split {split!r} unknown here; use one of {SPLIT_METHODS}")
    return cut, x > cut


# ---------------------------------------------------------------------------
# Survival by marker split
# ---------------------------------------------------------------------------
@dataclass
class SurvivalSplitResult:
    """High vs low marker survival comparison (see :class:`SurvivalSplitFitter`)."""

    split: str
    cutoff: float
    n_high: int
    n_low: int
    events_high: int
    events_low: int
    logrank_chi2: float
    logrank_p: float
    hazard_ratio: float
    hr_ci: tuple[float, float]
    cox_p: float
    concordance: float
    km_high: KaplanMeierResult
    km_low: KaplanMeierResult
    excluded_: dict[str, int]
    flags: list[str]
    marker: str = ""
    maxstat: MaxstatResult | None = None
    tied_fraction: float = 0.0
    corrected: bool = False

    @property
    def p_value(self) -> float:
        """Log-rank p-value; for a corrected optimal cut the Lausen-Schumacher p-value."""
        return self.maxstat.p_value if self.maxstat is not None and self.corrected else self.logrank_p

    @property
    def test_statistic(self) -> float:
        """Log-rank chi-square."""
        return self.logrank_chi2

    @property
    def summary(self) -> pd.DataFrame:
        """One row per group: n, events, median survival."""
        return pd.DataFrame(
            {
                "n": [self.n_high, self.n_low],
                "events": [self.events_high, self.events_low],
                "median_survival": [self.km_high.median, self.km_low.median],
            },
            index=pd.Index(["high", "low"], name="group"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON keys: n_high, n_low, logrank_chi2, logrank_p, hazard_ratio, hr_ci,
        concordance.

        Only for ``split="optimal"`` (whose naive ``logrank_p`` is not valid) three more keys
        are added: ``cutoff``, ``p_corrected`` (Lausen-Schumacher) and, for an uncorrected
        request, ``warning``.
        """
        d: dict[str, Any] = {
            "n_high": self.n_high,
            "n_low": self.n_low,
            "logrank_chi2": self.logrank_chi2,
            "logrank_p": self.logrank_p,
            "hazard_ratio": self.hazard_ratio,
            "hr_ci": list(self.hr_ci),
            "concordance": self.concordance,
        }
        if self.maxstat is not None:
            d["cutoff"] = self.cutoff
            d["p_corrected"] = self.maxstat.p_value
            if not self.corrected:
                d["warning"] = next((f for f in self.flags if f.startswith("UNCORRECTED")), "UNCORRECTED")
        return jsonable(d)

    def details(self) -> dict[str, Any]:
        """Everything: the JSON keys plus cut-off, events, exclusions, flags, maxstat."""
        d = self.to_dict()
        d.update(
            marker=self.marker,
            split=self.split,
            cutoff=self.cutoff,
            p_value=self.p_value,
            events_high=self.events_high,
            events_low=self.events_low,
            cox_p=self.cox_p,
            median_survival_high=self.km_high.median,
            median_survival_low=self.km_low.median,
            tied_fraction=self.tied_fraction,
            excluded=dict(self.excluded_),
            flags=list(self.flags),
        )
        if self.maxstat is not None:
            d.update(
                maxstat_statistic=self.maxstat.statistic,
                maxstat_p_corrected=self.maxstat.p_value,
                maxstat_p_uncorrected=self.maxstat.p_value_uncorrected,
            )
        return jsonable(d)

    def print_summary(self) -> None:  # pragma: no cover - display helper
        """Print the comparison (notebook use)."""
        for k, v in self.details().items():
            print(f"{k}: {v}")


class SurvivalSplitFitter:
    """Split a marker into high/low groups and compare survival (KM, log-rank, Cox HR).

    Parameters
    ----------
    split
        ``"median"`` (default), ``"mean"``, ``"quantile"``, ``"value"`` or ``"optimal"``
        (maximally selected log-rank statistic).
    quantile
        For ``split="quantile"``: high = marker > this quantile (R type 7).
    cutoff
        For ``split="value"``: high = marker > cutoff (``cutoff=0`` gives detected vs not).
    correct
        For ``split="optimal"``: ``"lausen92"`` (default) reports the Lausen-Schumacher
        corrected p-value as ``p_value``; ``"none"`` keeps the naive log-rank p, issues an
        :class:`UncorrectedCutpointWarning` and flags the result.
    minprop, maxprop
        Range of the low-group fraction searched by ``"optimal"``.
    min_group
        Smallest allowed group size; smaller groups raise :class:`InputError`.
    conf_level
        Level of the hazard-ratio and KM confidence intervals.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"t": [5, 8, 12, 3, 9, 20, 15, 7], "e": [1, 1, 0, 1, 1, 0, 0, 1],
    ...                    "m": [0.5, 0.3, 2.0, 0.2, 1.5, 0.1, 2.5, 1.4]})
    >>> f = SurvivalSplitFitter(split="median", min_group=2)
    >>> bool(f.fit(df, duration_col="t", event_col="e", marker_col="m").result_.hazard_ratio < 1)
    True
    """

    def __init__(
        self,
        split: SplitMethod = "median",
        *,
        quantile: float = 0.5,
        cutoff: float | None = None,
        correct: Literal["lausen92", "none"] = "lausen92",
        minprop: float = 0.1,
        maxprop: float = 0.9,
        min_group: int = 3,
        conf_level: float = 0.95,
    ) -> None:
        if split not in SPLIT_METHODS:
            raise InputError(f"split {split!r} unknown; use one of {', '.join(SPLIT_METHODS)}")
        if correct not in ("lausen92", "none"):
            raise InputError(f"correct {correct!r} unknown; use 'lausen92' or 'none'")
        self.split = split
        self.quantile = quantile
        self.cutoff = cutoff
        self.correct = correct
        self.minprop = minprop
        self.maxprop = maxprop
        self.min_group = min_group
        self.conf_level = conf_level

    def fit(
        self,
        df: pd.DataFrame,
        *,
        duration_col: str,
        event_col: str,
        marker_col: str,
    ) -> SurvivalSplitFitter:
        """Fit on ``df``; the result is in ``self.result_``.

        Rows with missing/negative time, missing event or missing marker are excluded and
        counted in ``result_.excluded_``.
        """
        require_columns(df, [duration_col, event_col, marker_col])
        numeric_column(df, marker_col)
        data, excl = clean_survival(df, duration_col, event_col, [marker_col])
        t = data[duration_col].to_numpy()
        e = data[event_col].to_numpy()
        x = data[marker_col].to_numpy()
        flags: list[str] = []
        if np.unique(x).size < 2:
            raise InputError(
                f"marker {marker_col!r}: all {x.size} usable values are tied ({x[0]:g}); "
                "no high/low split is possible"
            )
        if e.sum() == 0:
            raise InputError(f"event column {event_col!r} has no events among the {e.size} usable rows")
        ms: MaxstatResult | None = None
        if self.split == "optimal":
            ms = maxstat_cutpoint(x, t, e, minprop=self.minprop, maxprop=self.maxprop)
            cut = ms.cutpoint
            high = x > cut
            if self.correct == "none":
                msg = (
                    f"optimal cut-point {cut:g} chosen from the data without correction: the "
                    f"naive log-rank p-value is too small; the Lausen-Schumacher corrected "
                    f"p-value is {ms.p_value:.3g}"
                )
                warnings.warn(msg, UncorrectedCutpointWarning, stacklevel=2)
                flags.append("UNCORRECTED optimal cut-point: " + msg)
            else:
                flags.append(
                    f"optimal cut-point {cut:g} by maximally selected log-rank statistic "
                    f"{ms.statistic:.4f}; Lausen-Schumacher corrected p = {ms.p_value:.4g} "
                    "(use it, not logrank_p, for inference)"
                )
        else:
            cut, high = split_marker(x, self.split, quantile=self.quantile, cutoff=self.cutoff)
        tied = float(np.mean(x == cut)) if np.any(x == cut) else 0.0
        n_high, n_low = int(high.sum()), int((~high).sum())
        if min(n_high, n_low) < self.min_group:
            why = (
                "Too many tied values for this split: use split='value' with cutoff=0 "
                "(detected vs not) or another marker"
                if tied >= 0.2
                else "Too few samples: use more data or lower min_group"
            )
            raise InputError(
                f"split {self.split!r} at {cut:g} gives {n_high} high and {n_low} low samples "
                f"(minimum {self.min_group}); {tied:.0%} of values equal the cut"
                f" ({np.mean(x == x.min()):.0%} equal the minimum {x.min():g}). {why}"
            )
        if tied >= 0.2:
            flags.append(
                f"{tied:.0%} of marker values are tied at the cut {cut:g}; they all fall in the "
                "low group (high = marker > cut), so the groups are unbalanced"
            )
        ev_h, ev_l = int(e[high].sum()), int(e[~high].sum())
        if ev_h == 0 or ev_l == 0:
            raise InputError(
                f"the {'high' if ev_h == 0 else 'low'} group has no events "
                f"(events high={ev_h}, low={ev_l}); the hazard ratio is not estimable"
            )
        lr = logrank_test(t, e, np.where(high, "high", "low"))
        cox_df = pd.DataFrame({"time": t, "event": e, "high": high.astype(float)})
        cres = CoxFitter(conf_level=self.conf_level).fit(
            cox_df, duration_col="time", event_col="event", covariates=["high"]
        ).result_
        row = cres.summary.loc["high"]
        self.result_ = SurvivalSplitResult(
            split=self.split,
            cutoff=cut,
            n_high=n_high,
            n_low=n_low,
            events_high=ev_h,
            events_low=ev_l,
            logrank_chi2=lr.test_statistic,
            logrank_p=lr.p_value,
            hazard_ratio=float(row["hazard_ratio"]),
            hr_ci=(float(row["hr_lower"]), float(row["hr_upper"])),
            cox_p=float(row["p"]),
            concordance=cres.concordance,
            km_high=kaplan_meier(t[high], e[high], conf_level=self.conf_level, label="high"),
            km_low=kaplan_meier(t[~high], e[~high], conf_level=self.conf_level, label="low"),
            excluded_=dict(excl),
            flags=flags,
            marker=marker_col,
            maxstat=ms,
            tied_fraction=tied,
            corrected=ms is not None and self.correct == "lausen92",
        )
        self.data_ = pd.DataFrame({"time": t, "event": e, "marker": x, "high": high})
        return self


# ---------------------------------------------------------------------------
# Cox proportional hazards
# ---------------------------------------------------------------------------
@dataclass
class CoxResult:
    """A fitted Cox model: per-covariate summary, concordance, likelihood-ratio test, PH test."""

    summary: pd.DataFrame  # index covariate; coef, se, z, p, hazard_ratio, hr_lower, hr_upper
    concordance: float
    log_likelihood: float
    lr_chi2: float
    lr_p: float
    n: int
    n_events: int
    ph_test: pd.DataFrame  # index term (factor levels pooled) + GLOBAL; test_statistic, df, p
    excluded_: dict[str, int]
    conf_level: float = 0.95
    encoded: dict[str, str] = field(default_factory=dict)

    @property
    def test_statistic(self) -> float:
        """Likelihood-ratio chi-square of the whole model."""
        return self.lr_chi2

    @property
    def p_value(self) -> float:
        """Likelihood-ratio p-value of the whole model."""
        return self.lr_p

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary (used by ``mirscope clinical cox --format json``)."""
        cov = {
            name: {
                "coef": r["coef"],
                "se": r["se"],
                "z": r["z"],
                "p": r["p"],
                "hazard_ratio": r["hazard_ratio"],
                "hr_ci": [r["hr_lower"], r["hr_upper"]],
                "ph_p": self.ph_test["p"].get(str(name).split("=")[0], float("nan")),
            }
            for name, r in self.summary.iterrows()
        }
        return jsonable(
            {
                "n": self.n,
                "n_events": self.n_events,
                "covariates": cov,
                "concordance": self.concordance,
                "log_likelihood": self.log_likelihood,
                "lr_chi2": self.lr_chi2,
                "lr_p": self.lr_p,
                "ph_global_p": self.ph_test["p"].get("GLOBAL", float("nan")),
                "excluded": dict(self.excluded_),
            }
        )

    def print_summary(self) -> None:  # pragma: no cover - display helper
        """Print the model (notebook use)."""
        print(self.summary.to_string())
        print(f"n={self.n}, events={self.n_events}, concordance={self.concordance:.4f}")


def cox_zph(
    durations: np.ndarray,
    events: np.ndarray,
    X: np.ndarray,
    *,
    beta: np.ndarray,
    terms: dict[str, list[int]],
) -> pd.DataFrame:
    """Proportional-hazards score test of a fitted Cox model, as R's ``cox.zph`` (survival >= 3).

    For each term (columns ``terms[name]`` of ``X``) the score test of adding
    ``x * g(t)`` with ``g(t) = 1 - KM(t-)`` (left-continuous Kaplan-Meier of all subjects)
    at the fitted ``beta`` (Efron ties); ``GLOBAL`` tests all terms together.

    Returns
    -------
    DataFrame indexed by term (+ ``GLOBAL``) with ``test_statistic``, ``df``, ``p``.

    Examples
    --------
    >>> t = np.array([1., 2, 3, 4, 5, 6, 7, 8]); e = np.array([1., 1, 0, 1, 1, 0, 1, 1])
    >>> X = np.array([[0.], [1], [0], [1], [0], [1], [1], [0]])
    >>> int(cox_zph(t, e, X, beta=np.array([0.1]), terms={"x": [0]}).loc["x", "df"])
    1
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=float)
    X = np.asarray(X, dtype=float)
    p = X.shape[1]
    km = kaplan_meier(t, e).table
    idx = np.searchsorted(km["time"].to_numpy(), t, side="left")
    g_all = 1 - np.r_[1.0, km["survival"].to_numpy()][idx]
    g_all = g_all - g_all[e == 1].mean()
    w = np.exp(X @ beta)
    U = np.zeros(p)
    Ibb = np.zeros((p, p))
    Ibt = np.zeros((p, p))
    Itt = np.zeros((p, p))
    for u in np.unique(t[e == 1]):
        R = t >= u
        D = (t == u) & (e == 1)
        d = int(D.sum())
        g = float(g_all[D][0])
        wr, xr, wd, xd = w[R], X[R], w[D], X[D]
        s0r, s1r, s2r = wr.sum(), wr @ xr, (xr * wr[:, None]).T @ xr
        s0d, s1d, s2d = wd.sum(), wd @ xd, (xd * wd[:, None]).T @ xd
        V = np.zeros((p, p))
        msum = np.zeros(p)
        for k in range(d):  # Efron: the tied deaths leave the risk set in d equal steps
            f = k / d
            s0 = s0r - f * s0d
            m = (s1r - f * s1d) / s0
            msum += m
            V += (s2r - f * s2d) / s0 - np.outer(m, m)
        U += g * (xd.sum(axis=0) - msum)
        Ibb += V
        Ibt += g * V
        Itt += g * g * V
    info = np.block([[Ibb, Ibt], [Ibt.T, Itt]])
    rows = []
    for name, jj in [*terms.items(), ("GLOBAL", list(range(p)))]:
        kk = list(range(p)) + [p + j for j in jj]
        uu = np.r_[np.zeros(p), U[jj]]
        stat = float(np.linalg.solve(info[np.ix_(kk, kk)], uu) @ uu)
        rows.append((name, stat, len(jj), float(stats.chi2.sf(stat, len(jj)))))
    return pd.DataFrame(rows, columns=["term", "test_statistic", "df", "p"]).set_index("term")


def _encode_covariates(
    df: pd.DataFrame, covariates: Sequence[str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Numeric covariates pass through; text/categorical ones become 0/1 dummies against the
    first level in sorted order (as R's default factor coding)."""
    out = {}
    encoded: dict[str, str] = {}
    for c in covariates:
        s = df[c]
        conv = pd.to_numeric(s, errors="coerce")
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) or conv.notna().sum() == s.notna().sum():
            out[c] = conv.astype(float)
            continue
        text = s.notna() & conv.isna()
        if conv.notna().sum() >= text.sum() and s[text].astype(str).nunique() <= 5:
            # a numeric column with a few text cells is a data error, not a factor
            bad = s[text].astype(str)
            rows = ", ".join(str(i) for i in bad.index[:5])
            raise InputError(
                f"covariate {c!r} is numeric but has text value(s) "
                f"{sorted(bad.unique())} in {int(text.sum())} row(s) (index {rows}); "
                "replace them with numbers, or leave the cell empty for a missing value."
            )
        levels = sorted(s.dropna().astype(str).unique())
        if len(levels) < 2:
            raise InputError(f"covariate {c!r} has fewer than two levels ({levels}); drop it")
        for lev in levels[1:]:
            name = f"{c}={lev}"
            out[name] = np.where(s.isna(), np.nan, (s.astype(str) == lev).astype(float))
            encoded[name] = f"{c}: {lev} vs {levels[0]}"
    return pd.DataFrame(out, index=df.index), encoded


class CoxFitter:
    """Cox proportional-hazards model (lifelines, Efron ties, R-level convergence).

    Parameters
    ----------
    conf_level
        Level of the hazard-ratio intervals (Wald, as R's ``summary.coxph``).

    The proportional-hazards check (``result_.ph_test``) is :func:`cox_zph` (R's ``cox.zph``,
    KM transform): one row per covariate (factor levels pooled) plus ``GLOBAL``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"t": [5, 8, 12, 3, 9, 20, 15, 7, 4, 11],
    ...                    "e": [1, 1, 0, 1, 1, 0, 0, 1, 1, 1],
    ...                    "x": [0.5, 0.3, 2.0, 0.2, 1.5, 1.0, 2.5, 1.4, 0.9, 1.2]})
    >>> r = CoxFitter().fit(df, duration_col="t", event_col="e", covariates=["x"]).result_
    >>> round(float(r.summary.loc["x", "coef"]), 4)
    -1.6727
    """

    def __init__(self, *, conf_level: float = 0.95) -> None:
        self.conf_level = conf_level

    def fit(
        self,
        df: pd.DataFrame,
        *,
        duration_col: str,
        event_col: str,
        covariates: Sequence[str] | None = None,
    ) -> CoxFitter:
        """Fit the model; missing covariate values exclude the row (counted in ``excluded_``)."""
        from lifelines import CoxPHFitter
        from lifelines.exceptions import ConvergenceError as LLConvergenceError

        if covariates is None:
            covariates = [c for c in df.columns if c not in (duration_col, event_col)]
        covariates = list(covariates)
        if not covariates:
            raise InputError("no covariates given; pass covariates=['a', 'b']")
        require_columns(df, [duration_col, event_col, *covariates])
        X, encoded = _encode_covariates(df, covariates)
        base = pd.concat([df[[duration_col, event_col]], X], axis=1)
        data, excl = clean_survival(base, duration_col, event_col, list(X.columns))
        if data[event_col].sum() == 0:
            raise InputError(f"event column {event_col!r} has no events among the {len(data)} usable rows")
        for c in X.columns:
            vals = np.unique(data[c])
            if vals.size < 2:
                raise InputError(f"covariate {c!r} is constant ({vals[0]:g}) in the usable rows; drop it")
            if vals.size == 2:
                for v in vals:
                    if data.loc[data[c] == v, event_col].sum() == 0:
                        raise InputError(
                            f"covariate {c!r}: the group {c}={v:g} has no events; its hazard "
                            "ratio is not estimable (infinite). Merge groups or drop the covariate"
                        )
        data = data.rename(columns={duration_col: "__T", event_col: "__E"})
        cph = CoxPHFitter(alpha=1 - self.conf_level)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cph.fit(
                    data,
                    duration_col="__T",
                    event_col="__E",
                    fit_options={"precision": 1e-12, "r_precision": 1e-14, "step_size": 0.95, "max_steps": 500},
                )
        except (LLConvergenceError, np.linalg.LinAlgError) as err:
            raise ConvergenceError(
                f"the Cox model did not converge ({err}); check for collinear covariates or a "
                "covariate that perfectly separates events"
            ) from err
        s = cph.summary
        z = stats.norm.ppf(1 - (1 - self.conf_level) / 2)
        coef = s["coef"].astype(float)
        se = s["se(coef)"].astype(float)
        if (coef.abs() > 20).any() or not np.isfinite(se).all():
            raise ConvergenceError(
                "the Cox model diverged (|coef| > 20): a covariate (nearly) separates events; "
                "merge groups or drop it"
            )
        summary = pd.DataFrame(
            {
                "coef": coef,
                "se": se,
                "z": coef / se,
                "p": 2 * stats.norm.sf(np.abs(coef / se)),
                "hazard_ratio": np.exp(coef),
                "hr_lower": np.exp(coef - z * se),
                "hr_upper": np.exp(coef + z * se),
            }
        )
        summary.index = pd.Index([str(i) for i in summary.index], name="covariate")
        risk = data[list(X.columns)].to_numpy() @ coef.to_numpy()
        conc = concordance_index(data["__T"].to_numpy(), data["__E"].to_numpy(), risk)
        ll0 = _null_loglik(data["__T"].to_numpy(), data["__E"].to_numpy())
        lr = 2 * (cph.log_likelihood_ - ll0)
        cols = list(X.columns)
        terms: dict[str, list[int]] = {}
        for j, col in enumerate(cols):
            base = next((c for c in covariates if col == c or col.startswith(f"{c}=")), col)
            terms.setdefault(base, []).append(j)
        try:
            ph_df = cox_zph(data["__T"].to_numpy(), data["__E"].to_numpy(), data[cols].to_numpy(),
                            beta=coef.to_numpy(), terms=terms)
        except np.linalg.LinAlgError as err:  # the check is advisory; the fit stands
            log.warning("proportional-hazards test failed: %s", err)
            ph_df = pd.DataFrame(columns=["test_statistic", "df", "p"], dtype=float)
        self.result_ = CoxResult(
            summary=summary,
            concordance=conc,
            log_likelihood=float(cph.log_likelihood_),
            lr_chi2=float(lr),
            lr_p=float(stats.chi2.sf(lr, len(X.columns))),
            n=len(data),
            n_events=int(data["__E"].sum()),
            ph_test=ph_df,
            excluded_=dict(excl),
            conf_level=self.conf_level,
            encoded=encoded,
        )
        self.lifelines_model_ = cph
        return self


def _null_loglik(t: np.ndarray, e: np.ndarray) -> float:
    """Efron partial log-likelihood at beta = 0."""
    ll = 0.0
    for u in np.unique(t[e == 1]):
        d = int(((t == u) & (e == 1)).sum())
        n = float((t >= u).sum())
        ll -= sum(math.log(n - j) for j in range(d))
    return ll


def univariate_cox(
    df: pd.DataFrame,
    *,
    duration_col: str,
    event_col: str,
    covariates: Sequence[str],
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """One Cox model per covariate; rows of the combined summary (with n and events).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"t": [5, 8, 12, 3, 9, 20, 15, 7, 4, 11],
    ...                    "e": [1, 1, 0, 1, 1, 0, 0, 1, 1, 1],
    ...                    "x": [0.5, 0.3, 2.0, 0.2, 1.5, 1.0, 2.5, 1.4, 0.9, 1.2]})
    >>> list(univariate_cox(df, duration_col="t", event_col="e", covariates=["x"]).index)
    ['x']
    """
    rows = []
    for c in covariates:
        r = CoxFitter(conf_level=conf_level).fit(
            df, duration_col=duration_col, event_col=event_col, covariates=[c]
        ).result_
        s = r.summary.copy()
        s["n"] = r.n
        s["n_events"] = r.n_events
        s["concordance"] = r.concordance
        rows.append(s)
    return pd.concat(rows)


# ---------------------------------------------------------------------------
# Clinicopathological association
# ---------------------------------------------------------------------------
def fisher_exact_2xk(table: np.ndarray, *, max_tables: int = 500_000) -> float | None:
    """Exact two-sided Fisher test of a 2 x k table (as R's ``fisher.test``), or ``None`` when
    more than ``max_tables`` tables share the margins (use Monte Carlo then).

    The p-value sums the hypergeometric probabilities of all tables with the observed margins
    that are no more likely than the observed one (relative tolerance 1e-7, as R).

    Examples
    --------
    >>> round(fisher_exact_2xk(np.array([[6, 4, 2], [2, 4, 6]])), 4)
    0.1913
    """
    from itertools import product

    from scipy.special import gammaln

    obs = np.asarray(table, dtype=int)
    if obs.shape[0] != 2:
        return None
    cols = obs.sum(axis=0)
    r1 = int(obs[0].sum())
    n = int(cols.sum())
    ranges = [range(int(c) + 1) for c in cols[:-1]]
    if np.prod([len(r) for r in ranges], dtype=float) > max_tables:
        return None

    def logp(x: np.ndarray) -> float:
        return float(np.sum(gammaln(cols + 1) - gammaln(x + 1) - gammaln(cols - x + 1))
                     - (gammaln(n + 1) - gammaln(r1 + 1) - gammaln(n - r1 + 1)))

    lp_obs = logp(obs[0])
    total = 0.0
    for head in product(*ranges):
        last = r1 - sum(head)
        if not 0 <= last <= cols[-1]:
            continue
        lp = logp(np.array([*head, last]))
        if lp <= lp_obs + 1e-7:
            total += math.exp(lp)
    return min(1.0, total)


def association_table(
    df: pd.DataFrame,
    group_col: str,
    variables: Sequence[str],
    *,
    min_expected: float = 5.0,
) -> pd.DataFrame:
    """Association of a (high/low) group with clinical variables: chi-square or Fisher.

    For each variable the contingency table group x level is tested with Pearson's
    chi-square (R's ``chisq.test``, Yates-corrected for 2x2 tables) when every expected
    count is >= ``min_expected``, otherwise with Fisher's exact test (2 x k: exact, as R's
    ``fisher.test``; larger tables or too many tables to enumerate: 9999 Monte-Carlo
    resamples with a fixed seed, labelled as such).
    Rows with a missing group or variable are excluded and counted in ``n_excluded``.

    Returns
    -------
    DataFrame with one row per variable: ``test, statistic, p, n, n_excluded, table``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"g": ["high"] * 20 + ["low"] * 20,
    ...                   "stage": ["I"] * 15 + ["III"] * 5 + ["I"] * 6 + ["III"] * 14})
    >>> association_table(d, "g", ["stage"]).loc["stage", "test"]
    'chi-square (Yates)'
    """
    require_columns(df, [group_col, *variables])
    rows = []
    for v in variables:
        sub = df[[group_col, v]].dropna()
        n_ex = len(df) - len(sub)
        if n_ex:
            log.warning("association %s: excluded %d row(s) with a missing value", v, n_ex)
        tab = pd.crosstab(sub[group_col], sub[v])
        if tab.shape[0] < 2 or tab.shape[1] < 2:
            raise InputError(
                f"variable {v!r}: need at least two groups and two levels, got table {tab.shape}"
            )
        obs = tab.to_numpy()
        chi2, p, _, expected = stats.chi2_contingency(obs, correction=True)
        if (expected >= min_expected).all():
            test = "chi-square (Yates)" if obs.shape == (2, 2) else "chi-square"
            stat = float(chi2)
        elif obs.shape == (2, 2):
            test = "Fisher exact"
            stat, p = stats.fisher_exact(obs)
        else:
            exact = fisher_exact_2xk(obs) if obs.shape[0] == 2 else None
            if exact is not None:
                test, stat, p = "Fisher exact", float("nan"), exact
            else:
                test = "Fisher exact (Monte Carlo, 9999)"
                res = stats.fisher_exact(
                    obs, method=stats.MonteCarloMethod(n_resamples=9999, rng=np.random.default_rng(0))
                )
                stat, p = float("nan"), float(res.pvalue)
        rows.append(
            {
                "variable": v,
                "test": test,
                "statistic": float(stat),
                "p": float(p),
                "n": int(obs.sum()),
                "n_excluded": int(n_ex),
                "table": tab.to_dict(),
            }
        )
    return pd.DataFrame(rows).set_index("variable")
