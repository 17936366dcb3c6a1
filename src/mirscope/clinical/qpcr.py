"""RT-qPCR relative quantification: dCt, ddCt, 2^-ddCt, Pfaffl, tumour-vs-normal tests.

Input is a **long table**, one row per well: ``sample``, ``target``, ``ct`` and the sample's
``group`` (e.g. tumour/normal), optionally ``patient`` (pairs tumour and normal of one
patient). Several rows of the same sample and target are technical replicates.

Method
------
1. **Replicates**: mean Ct, SD and n per sample and target. A replicate is flagged as an
   outlier when ``|Ct - median| > outlier_threshold`` (default 0.5 cycles, rule
   ``"median"``) or by a two-sided Grubbs test at alpha 0.05 (``"grubbs"``, n >= 3).
   Flagged wells are kept in the mean unless ``exclude_outliers=True`` (then counted in
   ``excluded_["outlier_replicate"]``). Ct cells reading ``Undetermined``/``NA``/empty are
   excluded and counted (``undetermined_ct``); any other text raises :class:`InputError`.
2. **Reference**: with several reference RNAs the normaliser is their geometric mean
   expression, i.e. the arithmetic mean of their Cts (Vandesompele 2002).
3. ``dCt = Ct(target) - Ct(reference)``; the calibrator is the mean dCt of the control group
   (unpaired) or the patient's own control sample (paired); ``ddCt = dCt - calibrator``;
   ``fold_change = 2^-ddCt``.
4. **Pfaffl** (``efficiency=`` amplification factors, 2.0 = 100 %): ratio =
   ``E_target^(Ct_control - Ct_sample) / geomean_ref(E_ref^(Ct_control - Ct_sample))``.
5. **Tests** on dCt per target (tumour vs control): paired t and Wilcoxon signed-rank
   (patients with both samples) or Welch t and Mann-Whitney U (unpaired), with effect sizes
   (Cohen's d_z / Hedges' g, matched-pairs / Mann-Whitney rank-biserial r) and
   Benjamini-Hochberg FDR across targets. Exact Wilcoxon/Mann-Whitney p-values when n < 50
   and there are no ties, otherwise the normal approximation with continuity correction (as
   R's ``wilcox.test``).

Examples
--------
>>> import pandas as pd
>>> rows = []
>>> for p, d in enumerate([1.2, 1.6, 0.9, 1.4], start=1):
...     for g, shift in (("tumour", d), ("normal", 0.0)):
...         rows += [{"sample": f"P{p}{g[0]}", "patient": f"P{p}", "group": g,
...                   "target": "U6", "ct": 20.0},
...                  {"sample": f"P{p}{g[0]}", "patient": f"P{p}", "group": g,
...                   "target": "miR-124", "ct": 28.0 + shift}]
>>> res = DdCtFitter(reference=["U6"]).fit(pd.DataFrame(rows)).result_
>>> round(float(res.tests.loc["miR-124", "mean_ddct"]), 3)
1.275
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from mirscope.clinical._common import Exclusions, jsonable, require_columns
from mirscope.errors import InputError

__all__ = ["DdCtFitter", "DdCtResult", "grubbs_outliers", "summarise_replicates"]

log = logging.getLogger(__name__)

_UNDETERMINED = {"undetermined", "na", "n/a", "nan", "", "no ct", "noct", "-", "none"}


def grubbs_outliers(values: Sequence[float] | np.ndarray, *, alpha: float = 0.05) -> np.ndarray:
    """Boolean mask of the (single) two-sided Grubbs outlier, iterated until none is found.

    Needs n >= 3; with fewer values nothing is flagged.

    Examples
    --------
    >>> grubbs_outliers([20.0, 20.1, 19.9, 20.05, 23.0]).tolist()
    [False, False, False, False, True]
    """
    x = np.asarray(values, dtype=float)
    flag = np.zeros(x.size, dtype=bool)
    while (~flag).sum() >= 3:
        v = x[~flag]
        n = v.size
        sd = v.std(ddof=1)
        if sd == 0:
            break
        g = np.abs(v - v.mean()) / sd
        i = int(np.argmax(g))
        t = stats.t.ppf(1 - alpha / (2 * n), n - 2)
        gcrit = (n - 1) / math.sqrt(n) * math.sqrt(t * t / (n - 2 + t * t))
        if g[i] <= gcrit:
            break
        flag[np.flatnonzero(~flag)[i]] = True
    return flag


def _parse_ct(s: pd.Series, col: str) -> tuple[pd.Series, int]:
    num = pd.to_numeric(s, errors="coerce")
    text = s[num.isna()].astype(str).str.strip().str.lower()
    undetermined = text.isin(_UNDETERMINED) | s[num.isna()].isna()
    bad = text[~undetermined]
    if len(bad):
        raise InputError(
            f"column {col!r} must hold Ct numbers (or 'Undetermined'); found "
            f"{', '.join(repr(v) for v in s[bad.index].astype(str).unique()[:5])} "
            f"at row(s) {', '.join(map(str, bad.index[:5]))}"
        )
    if ((num < 0) | (num > 60)).any():
        raise InputError(f"column {col!r} has Ct values outside 0-60; check the units")
    return num.astype(float), int(undetermined.sum())


def summarise_replicates(
    df: pd.DataFrame,
    *,
    sample_col: str = "sample",
    target_col: str = "target",
    ct_col: str = "ct",
    outlier_rule: Literal["median", "grubbs", "none"] = "median",
    outlier_threshold: float = 0.5,
    exclude_outliers: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, Exclusions]:
    """Technical replicates -> one mean Ct per sample and target, with outlier flags.

    Returns
    -------
    (wells with an ``outlier`` column, per sample/target summary ``ct_mean, ct_sd, n,
    n_outliers``, exclusions)
    """
    require_columns(df, [sample_col, target_col, ct_col])
    if outlier_rule not in ("median", "grubbs", "none"):
        raise InputError(f"outlier_rule {outlier_rule!r} unknown; use 'median', 'grubbs' or 'none'")
    wells = df.copy()
    wells[ct_col], n_und = _parse_ct(df[ct_col], ct_col)
    excl = Exclusions()
    excl.add("undetermined_ct", n_und, what="wells")
    wells = wells[wells[ct_col].notna()].copy()
    flags = pd.Series(False, index=wells.index)
    for _, g in wells.groupby([sample_col, target_col], sort=False):
        if outlier_rule == "median" and len(g) >= 2:
            flags[g.index] = (g[ct_col] - g[ct_col].median()).abs() > outlier_threshold
        elif outlier_rule == "grubbs" and len(g) >= 3:
            flags[g.index] = grubbs_outliers(g[ct_col].to_numpy())
    wells["outlier"] = flags
    if int(flags.sum()):
        log.warning("%d replicate well(s) flagged as outliers (%s rule)", int(flags.sum()), outlier_rule)
    use = wells[~wells["outlier"]] if exclude_outliers else wells
    if exclude_outliers:
        excl.add("outlier_replicate", int(flags.sum()), what="wells")
    summ = use.groupby([sample_col, target_col], sort=True)[ct_col].agg(
        ct_mean="mean", ct_sd="std", n="count"
    )
    summ["n_outliers"] = wells.groupby([sample_col, target_col])["outlier"].sum().reindex(summ.index).astype(int)
    return wells, summ.reset_index(), excl


@dataclass
class DdCtResult:
    """Per-sample relative quantities and per-target tumour-vs-control tests."""

    samples: pd.DataFrame  # sample, target, group, patient, ct_mean, ref_ct, dct, ddct, fold_change
    tests: pd.DataFrame  # index target
    replicates: pd.DataFrame  # sample, target, ct_mean, ct_sd, n, n_outliers
    wells: pd.DataFrame  # input wells with outlier flags
    design: str
    reference: list[str]
    case: str
    control: str
    method: str
    excluded_: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> pd.DataFrame:
        """The per-target test table."""
        return self.tests

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly result: settings, exclusions and the per-target tests."""
        return jsonable(
            {
                "design": self.design,
                "method": self.method,
                "reference": self.reference,
                "case": self.case,
                "control": self.control,
                "n_outlier_wells": int(self.wells["outlier"].sum()),
                "excluded": dict(self.excluded_),
                "targets": self.tests.reset_index().to_dict("records"),
            }
        )

    def print_summary(self) -> None:  # pragma: no cover - display helper
        """Print the test table (notebook use)."""
        print(self.tests.to_string())


def _exact_ok(*arrays: np.ndarray) -> bool:
    allv = np.concatenate(arrays)
    return all(a.size < 50 for a in arrays) and np.unique(allv).size == allv.size


class DdCtFitter:
    """Livak 2^-ddCt (or Pfaffl) relative quantification with tumour-vs-control tests.

    Parameters
    ----------
    reference
        Reference RNA target name(s), e.g. ``["U6"]`` or ``["U6", "RNU48"]``.
    case, control
        Group labels (default ``"tumour"`` vs ``"normal"``).
    design
        ``"auto"`` (paired if a patient column is given and patients have both groups),
        ``"paired"`` or ``"unpaired"``.
    efficiency
        ``{target: amplification factor}`` for the Pfaffl method (2.0 = 100 % efficiency;
        missing targets get 2.0). ``None`` = Livak (all 2.0).
    outlier_rule, outlier_threshold, exclude_outliers
        Replicate outlier handling (see module docstring).
    """

    def __init__(
        self,
        reference: Sequence[str],
        *,
        case: str = "tumour",
        control: str = "normal",
        design: Literal["auto", "paired", "unpaired"] = "auto",
        efficiency: Mapping[str, float] | None = None,
        outlier_rule: Literal["median", "grubbs", "none"] = "median",
        outlier_threshold: float = 0.5,
        exclude_outliers: bool = False,
    ) -> None:
        ref = [reference] if isinstance(reference, str) else list(reference)
        if not ref:
            raise InputError("give at least one reference RNA (e.g. reference=['U6'])")
        if design not in ("auto", "paired", "unpaired"):
            raise InputError(f"design {design!r} unknown; use 'auto', 'paired' or 'unpaired'")
        for k, e in (efficiency or {}).items():
            if not 1.0 < float(e) <= 2.2:
                raise InputError(
                    f"efficiency of {k!r} is {e}; give the amplification factor (1 < E <= 2.2, "
                    "2.0 = 100 %), not a percentage"
                )
        self.reference = ref
        self.case = case
        self.control = control
        self.design = design
        self.efficiency = dict(efficiency or {})
        self.outlier_rule = outlier_rule
        self.outlier_threshold = outlier_threshold
        self.exclude_outliers = exclude_outliers

    def fit(
        self,
        df: pd.DataFrame,
        *,
        sample_col: str = "sample",
        target_col: str = "target",
        ct_col: str = "ct",
        group_col: str = "group",
        patient_col: str | None = "patient",
    ) -> DdCtFitter:
        """Fit on a long table (one row per well)."""
        if patient_col is not None and patient_col not in df.columns:
            if self.design == "paired":
                require_columns(df, [patient_col])
            patient_col = None
        require_columns(df, [sample_col, target_col, ct_col, group_col])
        df = df.copy()
        df[target_col] = df[target_col].astype(str).str.strip()
        df[group_col] = df[group_col].astype(str).str.strip()
        targets = set(df[target_col])
        miss = [r for r in self.reference if r not in targets]
        if miss:
            raise InputError(
                f"reference RNA(s) {', '.join(map(repr, miss))} not in column {target_col!r}; "
                f"targets present: {', '.join(sorted(targets))}"
            )
        groups = set(df[group_col])
        for g in (self.case, self.control):
            if g not in groups:
                raise InputError(f"group {g!r} not in column {group_col!r}; groups present: {sorted(groups)}")
        per_sample = df.groupby(sample_col)[group_col].nunique()
        if (per_sample > 1).any():
            raise InputError(f"sample(s) {list(per_sample[per_sample > 1].index[:5])} have more than one group")
        wells, summ, excl = summarise_replicates(
            df, sample_col=sample_col, target_col=target_col, ct_col=ct_col,
            outlier_rule=self.outlier_rule, outlier_threshold=self.outlier_threshold,
            exclude_outliers=self.exclude_outliers,
        )
        meta_cols = [group_col] + ([patient_col] if patient_col else [])
        meta = df.groupby(sample_col)[meta_cols].first()
        other = ~meta[group_col].isin([self.case, self.control])
        excl.add("other_group", int(other.sum()), what="samples")
        wide = summ.pivot(index=sample_col, columns=target_col, values="ct_mean")
        no_ref = wide[self.reference].isna().any(axis=1)
        excl.add("missing_reference", int(no_ref.sum()), what="samples")
        wide = wide[~no_ref & ~other.reindex(wide.index).fillna(True)]
        ref_ct = wide[self.reference].mean(axis=1)
        tg = [t for t in wide.columns if t not in self.reference]
        if not tg:
            raise InputError("no target RNAs besides the reference(s)")
        long = wide[tg].stack().rename("ct_mean").reset_index()
        long.columns = ["sample", "target", "ct_mean"]
        long["ref_ct"] = long["sample"].map(ref_ct)
        long["group"] = long["sample"].map(meta[group_col])
        long["patient"] = long["sample"].map(meta[patient_col]) if patient_col else long["sample"]
        # rounded to 1e-10 cycles so that float noise cannot break exact ties (rank tests)
        long["dct"] = (long["ct_mean"] - long["ref_ct"]).round(10)
        design = self.design
        if design == "auto":
            design = "paired" if patient_col and self._has_pairs(long) else "unpaired"
        if design == "paired" and not patient_col:
            raise InputError("design='paired' needs a patient column (patient_col)")
        self.result_ = self._analyse(long, wide, design, wells, summ, excl)
        return self

    def _has_pairs(self, long: pd.DataFrame) -> bool:
        g = long.groupby("patient")["group"].agg(set)
        return bool(g.map(lambda s: {self.case, self.control} <= s).any())

    def _analyse(
        self, long: pd.DataFrame, wide: pd.DataFrame, design: str, wells: pd.DataFrame,
        summ: pd.DataFrame, excl: Exclusions,
    ) -> DdCtResult:
        rows = []
        out = []
        unpaired_dropped = 0
        refs = wide[self.reference]
        for target, s in long.groupby("target", sort=True):
            s = s.copy()
            ctl = s[s["group"] == self.control]
            ctl_refs = refs.loc[ctl["sample"]].assign(patient=ctl["patient"].to_numpy())
            if design == "paired":
                cal = ctl.groupby("patient")["dct"].mean()
                s["calibrator"] = s["patient"].map(cal)
                drop = s["calibrator"].isna() | ~s["patient"].isin(
                    s.loc[s["group"] == self.case, "patient"])
                unpaired_dropped += int(drop.sum())
                s = s[~drop]
                ctl_ct = s["patient"].map(ctl.groupby("patient")["ct_mean"].mean())
                ref_ctl = ctl_refs.groupby("patient")[self.reference].mean().reindex(s["patient"])
            else:
                s["calibrator"] = ctl["dct"].mean()
                ctl_ct = pd.Series(ctl["ct_mean"].mean(), index=s.index)
                ref_ctl = pd.DataFrame([ctl_refs[self.reference].mean()] * len(s))
            s["ddct"] = s["dct"] - s["calibrator"]
            if self.efficiency:
                e_t = float(self.efficiency.get(str(target), 2.0))
                ref_sample = refs.loc[s["sample"]].to_numpy()
                log_ref = np.zeros(len(s))
                for j, r in enumerate(self.reference):
                    e_r = float(self.efficiency.get(r, 2.0))
                    log_ref += (ref_ctl[r].to_numpy() - ref_sample[:, j]) * math.log(e_r)
                log_ref /= len(self.reference)
                s["fold_change"] = np.exp(
                    (ctl_ct.to_numpy() - s["ct_mean"].to_numpy()) * math.log(e_t) - log_ref)
            else:
                s["fold_change"] = 2.0 ** (-s["ddct"])
            out.append(s)
            rows.append(self._test(str(target), s, design))
        if unpaired_dropped:
            excl.add("unpaired_sample", unpaired_dropped, what="sample-target values")
        tests = pd.DataFrame(rows).set_index("target")
        for col in ("p", "p_rank"):
            p = tests[col].to_numpy(dtype=float)
            q = np.full_like(p, np.nan)
            ok = ~np.isnan(p)
            if ok.any():
                q[ok] = multipletests(p[ok], method="fdr_bh")[1]
            tests["fdr" if col == "p" else "fdr_rank"] = q
        samples = pd.concat(out, ignore_index=True)
        return DdCtResult(
            samples=samples, tests=tests, replicates=summ, wells=wells, design=design,
            reference=self.reference, case=self.case, control=self.control,
            method="Pfaffl" if self.efficiency else "Livak 2^-ddCt", excluded_=dict(excl),
        )

    def _test(self, target: str, s: pd.DataFrame, design: str) -> dict[str, Any]:
        case = s[s["group"] == self.case]
        ctl = s[s["group"] == self.control]
        row: dict[str, Any] = {"target": target, "n_case": len(case), "n_control": len(ctl)}
        row["mean_ddct"] = float(case["ddct"].mean())
        row["fold_change_of_mean"] = float(2.0 ** (-row["mean_ddct"])) if not self.efficiency else float(
            np.exp(np.log(case["fold_change"]).mean()))
        row["direction"] = "up" if row["mean_ddct"] < 0 else "down"
        nan = float("nan")
        if design == "paired":
            a = case.set_index("patient")["dct"]
            b = ctl.groupby("patient")["dct"].mean().reindex(a.index)
            d = (a - b).dropna().to_numpy()
            row["n_pairs"] = int(d.size)
            if d.size >= 2 and np.std(d) > 0:
                t = stats.ttest_1samp(d, 0.0)
                row.update(test="paired t", statistic=float(t.statistic), p=float(t.pvalue),
                           effect_size=float(d.mean() / d.std(ddof=1)), effect="Cohen d_z")
            else:
                row.update(test="paired t", statistic=nan, p=nan, effect_size=nan, effect="Cohen d_z")
            nz = d[d != 0]
            if nz.size >= 1:
                exact = nz.size < 50 and np.unique(np.abs(nz)).size == nz.size and nz.size == d.size
                w = stats.wilcoxon(d, zero_method="wilcox", correction=not exact,
                                   method="exact" if exact else "asymptotic")
                ranks = stats.rankdata(np.abs(nz))
                rpos = float(ranks[nz > 0].sum())
                tot = float(ranks.sum())
                row.update(rank_test="Wilcoxon signed-rank", rank_statistic=rpos, p_rank=float(w.pvalue),
                           rank_biserial=(rpos - (tot - rpos)) / tot)
            else:
                row.update(rank_test="Wilcoxon signed-rank", rank_statistic=nan, p_rank=nan, rank_biserial=nan)
        else:
            a = case["dct"].to_numpy()
            b = ctl["dct"].to_numpy()
            if a.size >= 2 and b.size >= 2:
                t = stats.ttest_ind(a, b, equal_var=False)
                sp = math.sqrt(((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / (a.size + b.size - 2))
                j = 1 - 3 / (4 * (a.size + b.size) - 9)
                g = (a.mean() - b.mean()) / sp * j if sp > 0 else nan
                row.update(test="Welch t", statistic=float(t.statistic), p=float(t.pvalue),
                           effect_size=float(g), effect="Hedges g")
                exact = _exact_ok(a, b)
                u = stats.mannwhitneyu(a, b, alternative="two-sided", use_continuity=not exact,
                                       method="exact" if exact else "asymptotic")
                row.update(rank_test="Mann-Whitney U", rank_statistic=float(u.statistic),
                           p_rank=float(u.pvalue), rank_biserial=float(2 * u.statistic / (a.size * b.size) - 1))
            else:
                row.update(test="Welch t", statistic=nan, p=nan, effect_size=nan, effect="Hedges g",
                           rank_test="Mann-Whitney U", rank_statistic=nan, p_rank=nan, rank_biserial=nan)
        return row
