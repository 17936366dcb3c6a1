"""Column-vectorised tests for the pan-cancer atlas, each with a slow one-column reference.

Every function takes one matrix with one column per miRNA and tests all columns at once;
the ``*_reference`` functions do the same for one vector by the textbook recipe (R's own
algorithm, written literally) and are kept beside the fast ones so that the tests can check
one against the other on generated inputs.

* :func:`wilcoxon_paired_many`: R's ``wilcox.test(x, y, paired = TRUE)`` with its defaults:
  zero differences dropped; exact signed-rank distribution when fewer than 50 non-zero
  differences remain and there are neither ties nor zeros, otherwise the normal
  approximation with tie correction and continuity correction.
* :func:`logrank_many`: R's ``survdiff`` (rho = 0) for a two-group split given per column.
* :func:`cox_efron_many`: R's ``coxph`` with one covariate and Efron ties (Newton-Raphson
  from 0 with step halving, covariate centred), Wald p-value as in ``summary(coxph)``.

Examples
--------
>>> import numpy as np
>>> d = np.array([[0.5, 1.0], [-0.2, 2.0], [1.5, 3.0], [0.7, -0.5]])
>>> v, p = wilcoxon_paired_many(d)
>>> [float(round(x, 4)) for x in p]  # R: wilcox.test(d[, 1], rep(0, 4), paired = TRUE)
[0.25, 0.25]
>>> wilcoxon_paired_reference(d[:, 0])
(9.0, 0.25)
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import stats

__all__ = [
    "cox_efron_many",
    "cox_efron_reference",
    "logrank_many",
    "logrank_reference",
    "wilcoxon_paired_many",
    "wilcoxon_paired_reference",
]

_EXACT_LIMIT = 50  # R: exact <- (n < 50)


@lru_cache(maxsize=64)
def _signrank_cdf(n: int) -> np.ndarray:
    """P(V <= k) for k = 0..n(n+1)/2 under H0 (R's ``psignrank``), by counting subsets."""
    top = n * (n + 1) // 2
    c = np.zeros(top + 1)
    c[0] = 1.0
    for i in range(1, n + 1):
        c[i:] = c[i:] + c[:-i].copy()  # counts < 2**50 are exact in float64
    return np.cumsum(c) / 2.0**n


def _exact_p(v: float, n: int) -> float:
    cdf = _signrank_cdf(n)
    p = 1.0 - cdf[round(v) - 1] if v > n * (n + 1) / 4 else cdf[round(v)]
    return float(min(1.0, 2.0 * p))


def wilcoxon_paired_reference(d: np.ndarray) -> tuple[float, float]:
    """R's paired ``wilcox.test`` on one vector of differences: ``(V, p)`` (slow reference)."""
    x = np.asarray(d, dtype=float)
    zeroes = bool(np.any(x == 0))
    x = x[x != 0]
    n = x.size
    if n == 0:
        return 0.0, math.nan
    r = stats.rankdata(np.abs(x))
    v = float(r[x > 0].sum())
    ties = len(np.unique(r)) != n
    if n < _EXACT_LIMIT and not ties and not zeroes:
        return v, float(_exact_p(v, n))
    _, nties = np.unique(r, return_counts=True)
    z = v - n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - float(np.sum(nties**3 - nties)) / 48)
    if sigma == 0:
        return v, math.nan
    z = (z - math.copysign(0.5, z) * (z != 0)) / sigma
    return v, float(2 * min(stats.norm.cdf(z), stats.norm.sf(z)))


def wilcoxon_paired_many(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R's paired ``wilcox.test`` on every column of ``d`` (tumour - normal differences).

    Returns
    -------
    (V statistics, two-sided p-values); NaN p where every difference is 0.
    """
    d = np.asarray(d, dtype=float)
    if d.ndim != 2:
        raise ValueError("d must be a 2-D array (pairs x miRNAs)")
    npair, m = d.shape
    if npair == 0:
        return np.full(m, np.nan), np.full(m, np.nan)
    a = np.abs(d)
    zeros = (a == 0).sum(axis=0)
    n = npair - zeros
    rank = stats.rankdata(a, axis=0)  # zeros share the lowest ranks
    v = np.where(d > 0, rank - zeros[None, :], 0.0).sum(axis=0)
    # tie groups among the non-zero |d|
    s = np.sort(a, axis=0)
    new = np.ones_like(s, dtype=bool)
    new[1:] = s[1:] != s[:-1]
    gid = np.cumsum(new, axis=0) - 1 + np.arange(m)[None, :] * npair
    t = np.bincount(gid[s > 0], minlength=npair * m).astype(float).reshape(m, npair)
    tie_sum = (t**3 - t).sum(axis=1)
    ties = (t > 1).any(axis=1)
    p = np.full(m, np.nan)
    exact = (n < _EXACT_LIMIT) & ~ties & (zeros == 0) & (n > 0)
    for j in np.flatnonzero(exact):
        p[j] = _exact_p(float(v[j]), int(n[j]))
    approx = ~exact & (n > 0)
    nn = n[approx].astype(float)
    z = v[approx] - nn * (nn + 1) / 4
    var = nn * (nn + 1) * (2 * nn + 1) / 24 - tie_sum[approx] / 48
    with np.errstate(invalid="ignore", divide="ignore"):
        zz = (z - np.sign(z) * 0.5) / np.sqrt(var)
    p[approx] = 2 * np.minimum(stats.norm.cdf(zz), stats.norm.sf(zz))
    return v, p


def _event_times(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(time, kind="stable")
    ts = time[order]
    ev = event[order]
    u = np.unique(ts[ev == 1])
    return order, ts, u


def logrank_many(
    time: np.ndarray, event: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two-group log-rank test (R's ``survdiff``) for every column of the 0/1 matrix ``high``.

    Returns
    -------
    (chi-square statistics, p-values); NaN where a group is empty or there is no event.
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=float)
    g = np.asarray(high, dtype=float)
    order, ts, u = _event_times(time, event)
    g = g[order]
    ev = event[order]
    first = np.searchsorted(ts, u, side="left")
    last = np.searchsorted(ts, u, side="right")
    n_k = (ts.size - first).astype(float)
    evs = np.concatenate([[0.0], np.cumsum(ev)])
    d_k = evs[last] - evs[first]
    rev = np.cumsum(g[::-1], axis=0)[::-1]
    rev = np.vstack([rev, np.zeros((1, g.shape[1]))])
    n1 = rev[first]
    ge = np.vstack([np.zeros((1, g.shape[1])), np.cumsum(g * ev[:, None], axis=0)])
    d1 = ge[last] - ge[first]
    o1 = d1.sum(axis=0)
    e1 = (d_k[:, None] * n1 / n_k[:, None]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(n_k > 1, d_k * (n_k - d_k) / (n_k * n_k * (n_k - 1)), 0.0)
        var = (f[:, None] * n1 * (n_k[:, None] - n1)).sum(axis=0)
        chi = (o1 - e1) ** 2 / var
    # R's survdiff: a zero variance (no one of a group at risk at any event time) gives
    # chi-square 0 through its generalised inverse, as long as both groups exist.
    both = (g.sum(axis=0) > 0) & (g.sum(axis=0) < g.shape[0]) & (d_k.sum() > 0)
    chi = np.where(var > 0, chi, np.where(both, 0.0, np.nan))
    return chi, stats.chi2.sf(chi, 1)


def logrank_reference(time: np.ndarray, event: np.ndarray, high: np.ndarray) -> tuple[float, float]:
    """Two-group log-rank by a loop over event times (slow reference of :func:`logrank_many`)."""
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float)
    h = np.asarray(high, dtype=bool)
    o = ex = v = 0.0
    for u in np.unique(t[e == 1]):
        r = t >= u
        n, n1 = r.sum(), (r & h).sum()
        dd = ((t == u) & (e == 1)).sum()
        o += ((t == u) & (e == 1) & h).sum()
        ex += dd * n1 / n
        if n > 1:
            v += dd * (n1 / n) * (1 - n1 / n) * (n - dd) / (n - 1)
    if v <= 0:
        ok = 0 < h.sum() < h.size and (e == 1).any()
        return (0.0, 1.0) if ok else (math.nan, math.nan)
    chi = (o - ex) ** 2 / v
    return float(chi), float(stats.chi2.sf(chi, 1))


def _efron_parts(
    beta: np.ndarray,
    xs: np.ndarray,
    deaths: np.ndarray,
    last: np.ndarray,
    grp: np.ndarray,
    frac: np.ndarray,
    starts: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Efron log partial likelihood, score and information at ``beta`` (one per column).

    ``xs`` is sorted by decreasing time, so the risk set of event time k is the prefix
    ``[0, last[k]]`` and its sums are forward cumulative sums.
    """
    eta = xs * beta[None, :]
    w = np.exp(eta)
    wx = w * xs
    wxx = wx * xs
    s0 = np.cumsum(w, axis=0)[last]
    s1 = np.cumsum(wx, axis=0)[last]
    s2 = np.cumsum(wxx, axis=0)[last]
    d0 = np.add.reduceat(w[deaths], starts, axis=0)
    d1 = np.add.reduceat(wx[deaths], starts, axis=0)
    d2 = np.add.reduceat(wxx[deaths], starts, axis=0)
    f = frac[:, None]
    den = s0[grp] - f * d0[grp]
    a1 = (s1[grp] - f * d1[grp]) / den
    a2 = (s2[grp] - f * d2[grp]) / den
    ll = eta[deaths].sum(axis=0) - np.log(den).sum(axis=0)
    u = xs[deaths].sum(axis=0) - a1.sum(axis=0)
    info = (a2 - a1 * a1).sum(axis=0)
    return ll, u, info


def cox_efron_many(
    time: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    *,
    max_iter: int = 50,
    tol: float = 1e-10,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One-covariate Cox model (Efron ties) for every column of ``x``, as R's ``coxph``.

    Newton-Raphson from 0 with step halving, on the columns not yet converged only.

    Returns
    -------
    (beta, standard error, Wald p-value, converged flags); NaN where the covariate is
    constant, there is no event, or the likelihood is monotone (infinite coefficient).
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=float)
    x = np.asarray(x, dtype=float)
    m = x.shape[1]
    nan = np.full(m, np.nan)
    if event.sum() == 0 or x.shape[0] < 2:
        return nan, nan.copy(), nan.copy(), np.zeros(m, dtype=bool)
    order = np.argsort(-time, kind="stable")  # decreasing time
    ts = time[order]
    ev = event[order]
    xs = np.ascontiguousarray(x[order] - x.mean(axis=0)[None, :])
    u = np.unique(ts[ev == 1])[::-1]  # event times, decreasing
    # last index with time >= u_k in the decreasing order
    last = ts.size - 1 - np.searchsorted(ts[::-1], u, side="left")
    deaths = np.flatnonzero(ev == 1)  # grouped by event time (decreasing)
    dgrp = np.searchsorted(-u, -ts[deaths])
    starts = np.flatnonzero(np.r_[True, dgrp[1:] != dgrp[:-1]])
    sizes = np.diff(np.r_[starts, deaths.size])
    pos = np.arange(deaths.size) - np.repeat(starts, sizes)
    frac = pos / np.repeat(sizes, sizes)
    const = np.ptp(xs, axis=0) == 0

    def parts(b: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        with np.errstate(over="ignore", invalid="ignore"):
            return _efron_parts(b, xs[:, cols], deaths, last, dgrp, frac, starts)

    beta = np.zeros(m)
    ll, sc, info = parts(beta, np.arange(m))
    info_final = info.copy()
    active = np.flatnonzero(~const & (info > 0))
    converged = np.zeros(m, dtype=bool)
    for _ in range(max_iter):
        # a diverging column (monotone likelihood) loses its information: stop it there
        active = active[np.isfinite(info[active]) & (info[active] > 0) & np.isfinite(sc[active])]
        if active.size == 0:
            break
        b0 = beta[active]
        new = b0 + sc[active] / info[active]
        ll_n, sc_n, info_n = parts(new, active)
        for _half in range(30):  # step halving, as R's coxph does when the likelihood drops
            bad = ~(ll_n >= ll[active] - 1e-12 * np.abs(ll[active]))
            if not bad.any():
                break
            new = np.where(bad, (b0 + new) / 2, new)
            sub = active[bad]
            l2, s2, i2 = parts(new[bad], sub)
            ll_n[bad], sc_n[bad], info_n[bad] = l2, s2, i2
        done = np.abs(new - b0) <= tol * (1 + np.abs(new))
        beta[active] = new
        ll[active], sc[active], info[active] = ll_n, sc_n, info_n
        info_final[active] = info_n
        converged[active[done]] = True
        active = active[~done]
    with np.errstate(invalid="ignore", divide="ignore"):
        se = 1 / np.sqrt(info_final)
        p = 2 * stats.norm.sf(np.abs(beta / se))
    bad = const | ~converged | ~np.isfinite(se)
    beta = np.where(bad, np.nan, beta)
    se = np.where(bad, np.nan, se)
    p = np.where(bad, np.nan, p)
    return beta, se, p, converged & ~const


def cox_efron_reference(time: np.ndarray, event: np.ndarray, x: np.ndarray) -> tuple[float, float, float]:
    """One-covariate Efron Cox fit by plain loops (slow reference): ``(beta, se, p)``."""
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float)
    xv = np.asarray(x, dtype=float) - float(np.mean(x))
    if e.sum() == 0 or np.ptp(xv) == 0:
        return math.nan, math.nan, math.nan

    def parts(b: float) -> tuple[float, float, float]:
        ll = u = info = 0.0
        for tt in np.unique(t[e == 1]):
            risk = t >= tt
            dead = (t == tt) & (e == 1)
            d = int(dead.sum())
            w = np.exp(b * xv)
            s0, s1, s2 = w[risk].sum(), (w * xv)[risk].sum(), (w * xv * xv)[risk].sum()
            d0, d1, d2 = w[dead].sum(), (w * xv)[dead].sum(), (w * xv * xv)[dead].sum()
            ll += b * xv[dead].sum()
            u += xv[dead].sum()
            for k in range(d):
                f = k / d
                den = s0 - f * d0
                a1 = (s1 - f * d1) / den
                ll -= math.log(den)
                u -= a1
                info += (s2 - f * d2) / den - a1 * a1
        return ll, u, info

    b = 0.0
    for _ in range(100):
        _, u, info = parts(b)
        if not (math.isfinite(info) and info > 0) or abs(b) > 30:  # monotone likelihood
            return math.nan, math.nan, math.nan
        step = u / info
        b += step
        if abs(step) < 1e-12:
            break
    _, _, info = parts(b)
    se = 1 / math.sqrt(info)
    return b, se, float(2 * stats.norm.sf(abs(b / se)))
