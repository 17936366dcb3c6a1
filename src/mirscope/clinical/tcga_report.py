"""Regenerate ``docs/clinical.md`` and ``docs/figures/clinical-*.png|svg`` for one miRNA.

Run with ``python -m mirscope.clinical.tcga_report [OUT_DIR] [MIRNA]`` or
``mirscope clinical tcga-report --out docs --mirna NAME`` (the demo default is the project's
first subject, :data:`DEMO_MIRNA`). Every number in the document is computed here.

For each of LIHC, STAD, HNSC and BRCA:

* the miRNA (sum of the RPM of its miRBase precursors) in tumour vs paired normal tissue:
  pairs, detection rates, medians, pairs lower/higher/tied, paired Wilcoxon signed-rank p on
  RPM and the paired t-test on log2(RPM + 1) from the all-miRNA analysis (with its BH FDR);
* survival by its level in primary tumours: exclusions, detection rate, whether a median
  split is meaningful (refused when the median is 0), and detected (> 0) vs not detected
  (Kaplan-Meier, log-rank, Cox HR), flagged as exploratory;
* association of its detection with stage, lymph-node status and grade.

The GBM array cohort (continuous values of the mature miRNA, when the array measures it)
gives a median split and a maxstat cut. The pan-cancer view of any miRNA over 18 cohorts is
:mod:`mirscope.clinical.atlas`.
"""

from __future__ import annotations

import logging
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from mirscope.clinical.expression import (
    DifferentialExpressionFitter,
    load_tcga,
    mature_precursors,
    mature_rpm,
    paired_samples,
)
from mirscope.clinical.plots import (
    plot_forest,
    plot_km,
    plot_paired,
    plot_roc,
    plot_volcano,
    save_figure,
)
from mirscope.clinical.roc import ROCFitter
from mirscope.clinical.survival import CoxFitter, SurvivalSplitFitter, association_table
from mirscope.errors import InputError

__all__ = ["COHORTS", "analyse_cohort", "write_report"]

log = logging.getLogger(__name__)

COHORTS: tuple[str, ...] = ("LIHC", "STAD", "HNSC", "BRCA")
DEMO_MIRNA = "miR-124"  # the project's first subject; every function takes ``mirna``
_DEMO_LABEL = "miR-124"  # how the document text names the demo miRNA (replaced for others)


def _stage_group(s: pd.Series) -> pd.Series:
    roman = s.str.extract(r"stage (iv|i{1,3})", expand=False)
    return roman.map({"i": "I-II", "ii": "I-II", "iii": "III-IV", "iv": "III-IV"})


def _n_group(s: pd.Series) -> pd.Series:
    return s.map(lambda v: np.nan if not isinstance(v, str) or v.startswith("nx")
                 else ("N0" if v.startswith("n0") else "N+"))


def _grade_group(s: pd.Series) -> pd.Series:
    return s.map({"g1": "G1-2", "g2": "G1-2", "g3": "G3-4", "g4": "G3-4"})


def _label(mirna: str) -> str:
    """Short display name: ``hsa-miR-124-3p`` -> ``miR-124`` (family of the mature)."""
    from mirscope.names import normalize_mirna

    return normalize_mirna(mirna).family


def analyse_cohort(cohort: str, fig_dir: Path | None = None, *, mirna: str = DEMO_MIRNA) -> dict[str, Any]:
    """All numbers (and, with ``fig_dir``, the figures) of one cohort for ``mirna``."""
    MIR, _pre = mature_precursors(mirna)
    lab = _label(mirna)
    out: dict[str, Any] = {"cohort": cohort, "mirna": mirna}
    expr = load_tcga(cohort, "rpm")
    expr = expr.assign(**{MIR: mature_rpm(expr, mirna)})
    # --- tumour vs paired normal --------------------------------------------------------
    tum, nor = paired_samples(expr[["sample_barcode", "patient_barcode", "sample_type", MIR]])
    t, n = tum[MIR].to_numpy(), nor[MIR].to_numpy()
    d = t - n
    nz = d[d != 0]
    w = stats.wilcoxon(nz, correction=True, method="asymptotic") if nz.size >= 5 else None
    de = DifferentialExpressionFitter("paired").fit(expr.drop(columns=[MIR]), mirnas=[mirna]).result_
    row = de.row(mirna)
    out["paired"] = {
        "n_pairs": int(t.size),
        "detected_tumour": float((t > 0).mean()),
        "detected_normal": float((n > 0).mean()),
        "median_tumour": float(np.median(t)),
        "median_normal": float(np.median(n)),
        "mean_tumour": float(t.mean()),
        "mean_normal": float(n.mean()),
        "lower_in_tumour": int((d < 0).sum()),
        "higher_in_tumour": int((d > 0).sum()),
        "tied": int((d == 0).sum()),
        "both_zero": int(((t == 0) & (n == 0)).sum()),
        "wilcoxon_p": float(w.pvalue) if w is not None else float("nan"),
        "logFC": float(row["logFC"]),
        "t_p": float(row["p"]),
        "fdr": float(row["fdr"]),
        "n_mirnas": len(de.table),
        "n_fdr05": int((de.table["fdr"] < 0.05).sum()),
        "rank": int(list(de.table.index).index(row.name) + 1),
    }
    # ROC of tumour vs normal on all samples
    tn = expr[expr["sample_type"].isin([1, 11])].assign(
        tissue=lambda x: np.where(x["sample_type"] == 1, "tumour", "normal"),
        log2_level=lambda x: np.log2(x[MIR] + 1),
    )
    roc = ROCFitter(n_boot=500).fit(tn, marker_col="log2_level", label_col="tissue", positive="tumour").result_
    out["roc"] = roc.details()
    # --- survival -----------------------------------------------------------------------
    clin = load_tcga(cohort, "clinical")
    prim = expr[expr["sample_type"] == 1].groupby("patient_barcode", as_index=False)[MIR].mean()
    sdf = prim.merge(clin, on="patient_barcode", how="inner")
    x = sdf[MIR].to_numpy()
    surv: dict[str, Any] = {
        "n_tumours_with_clinical": len(sdf),
        "detected": float((x > 0).mean()),
        "median_rpm": float(np.median(x)),
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            med = SurvivalSplitFitter("median").fit(sdf, duration_col="os_days", event_col="os_event", marker_col=MIR)
        surv["median_split"] = med.result_.details()
    except InputError as err:
        surv["median_split_refused"] = str(err)
    if surv["median_rpm"] == 0:
        surv["median_split_note"] = (
            f"refused: the median is 0 ({1 - surv['detected']:.0%} of tumours have no {lab} read), "
            "so a 'median split' would really be detected vs not detected"
        )
        surv.pop("median_split", None)
    try:
        det = SurvivalSplitFitter("value", cutoff=0.0).fit(
            sdf, duration_col="os_days", event_col="os_event", marker_col=MIR)
        surv["detected_split"] = det.result_.details()
        if fig_dir is not None:
            save_figure(plot_km(det.result_, title=f"TCGA {cohort}: {lab} detected vs not (exploratory)",
                                group_labels=("detected", "not detected")),
                        fig_dir / f"clinical-km-{cohort}", dpi=200)
    except InputError as err:
        surv["detected_split_refused"] = str(err)
    # --- clinicopathological association ---------------------------------------------------
    sdf["level_group"] = np.where(sdf[MIR] > 0, "detected", "not detected")
    sdf["stage_group"] = _stage_group(sdf["pathologic_stage"].fillna(""))
    sdf["N_group"] = _n_group(sdf["pathologic_n"])
    sdf["grade_group"] = _grade_group(sdf["neoplasm_grade"])
    variables = [v for v in ("stage_group", "N_group", "grade_group") if sdf[v].notna().sum() >= 20 and sdf[v].nunique() >= 2]
    if variables:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assoc = association_table(sdf, "level_group", variables)
        out["association"] = assoc.drop(columns=["table"]).reset_index().to_dict("records")
    out["survival"] = surv
    if fig_dir is not None:
        pair_df = pd.concat([
            pd.DataFrame({"patient": tum.index, "tissue": "tumour", "value": np.log2(t + 1)}),
            pd.DataFrame({"patient": nor.index, "tissue": "normal", "value": np.log2(n + 1)}),
        ])
        save_figure(plot_paired(pair_df, value_col="value", group_col="tissue", pair_col="patient",
                                ylabel=f"{lab}, log2(RPM + 1)", p_value=out["paired"]["wilcoxon_p"],
                                p_label="Wilcoxon signed-rank", title=f"TCGA {cohort}"),
                    fig_dir / f"clinical-paired-{cohort}", dpi=200)
        save_figure(plot_volcano(de, title=f"TCGA {cohort}: paired tumour vs normal"),
                    fig_dir / f"clinical-volcano-{cohort}", dpi=200)
        save_figure(plot_roc(roc, labels=[f"{lab} ({cohort})"]), fig_dir / f"clinical-roc-{cohort}", dpi=200)
    return out


_GBM_COMPARATOR = ("MIMAT0000076", "miR-21-5p")  # second covariate of the GBM Cox model


def analyse_gbm(fig_dir: Path | None = None, *, mirna: str = DEMO_MIRNA) -> dict[str, Any]:
    """GBM array: the mature miRNA's median split, maxstat cut, Cox with a comparator miRNA."""
    from mirscope.names import normalize_mirna

    m = normalize_mirna(mirna)
    short = m.name.removeprefix("hsa-")
    g = load_tcga("GBM", "array")
    if m.accession not in g.columns:
        raise InputError(f"the GBM array does not measure {m.name} ({m.accession})")
    g = g.rename(columns={m.accession: short, _GBM_COMPARATOR[0]: _GBM_COMPARATOR[1]})
    covs = [short] + ([_GBM_COMPARATOR[1]] if short != _GBM_COMPARATOR[1] else [])
    med = SurvivalSplitFitter("median").fit(g, duration_col="time", event_col="status", marker_col=short).result_
    opt = SurvivalSplitFitter("optimal").fit(g, duration_col="time", event_col="status", marker_col=short).result_
    cox = CoxFitter().fit(g, duration_col="time", event_col="status", covariates=covs).result_
    if fig_dir is not None:
        save_figure(plot_km(med, title=f"TCGA GBM (array): {short} median split"), fig_dir / "clinical-km-GBM", dpi=200)
        save_figure(plot_forest(cox, title="TCGA GBM: Cox (log2 array values)"), fig_dir / "clinical-forest-GBM", dpi=200)
    return {"median": med.details(), "optimal": opt.details(), "cox": cox.to_dict()}


def analyse_lihc_cox(fig_dir: Path | None = None, *, mirna: str = DEMO_MIRNA) -> dict[str, Any]:
    """LIHC multivariable Cox: the miRNA detected (> 0 reads), age, stage group, gender."""
    MIR, _pre = mature_precursors(mirna)
    expr = load_tcga("LIHC", "rpm")
    expr = expr.assign(**{MIR: mature_rpm(expr, mirna)})
    prim = expr[expr["sample_type"] == 1].groupby("patient_barcode", as_index=False)[MIR].mean()
    df = prim.merge(load_tcga("LIHC", "clinical"), on="patient_barcode")
    det = _label(mirna).replace("-", "").lower() + "_detected"
    df[det] = (df[MIR] > 0).astype(float)
    df["stage_III_IV"] = _stage_group(df["pathologic_stage"].fillna("")).map({"I-II": 0.0, "III-IV": 1.0})
    df["age_per_10y"] = df["age_years"] / 10
    df["male"] = (df["gender"] == "male").astype(float)
    cox = CoxFitter().fit(df, duration_col="os_days", event_col="os_event",
                          covariates=[det, "age_per_10y", "stage_III_IV", "male"]).result_
    if fig_dir is not None:
        save_figure(plot_forest(cox, title="TCGA LIHC: multivariable Cox (overall survival)"),
                    fig_dir / "clinical-forest-LIHC", dpi=200)
    return cox.to_dict()


def _f(v: Any, nd: int = 3) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    if isinstance(v, float):
        if abs(v) < 1e-3 and v != 0:
            return f"{v:.2e}"
        return f"{v:.{nd}f}"
    return str(v)


def _excl(d: dict[str, int]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in d.items()) or "none"


def _pct(v: float) -> str:
    return f"{100 * v:.0f}%"


def render(results: list[dict[str, Any]], gbm: dict[str, Any], lihc_cox: dict[str, Any]) -> str:
    """Markdown text of docs/clinical.md."""
    L: list[str] = []
    a = L.append
    a("# Clinical analytics: miR-124 in TCGA cohorts\n")
    a("Generated by `python -m mirscope.clinical.tcga_report docs` (equivalently "
      "`mirscope clinical tcga-report --out docs`) from the TCGA tables shipped in "
      "`src/mirscope/data/tcga` (Firehose 2015-11-01 via RTCGA; see its `SOURCE.md`). Do not edit "
      "the numbers by hand: rerun the command.\n")
    a("## Methods in one paragraph\n")
    a("**miR-124** is the sum of the RPM of the precursors hsa-mir-124-1, -2 and -3: all three "
      "make the identical mature miR-124-3p and every read is assigned to one precursor, so the sum "
      "is the mature-level value. **Tumour vs normal** uses patients with both a primary tumour "
      "(sample type 01) and solid normal tissue (11): paired Wilcoxon signed-rank on RPM (pairs "
      "with both values 0 are ties and drop out, as in R's `wilcox.test`), plus the paired t-test "
      "on log2(RPM + 1) run over all miRNAs detected in >= 20% of either group with "
      "Benjamini-Hochberg FDR. **Survival** is overall survival (`os_days`, `os_event`) of primary "
      "tumours; rows with missing or negative time are excluded and counted. High = marker > "
      "cut. Because miR-124 is at zero reads in most adult tumours, a median split is refused "
      "when the median is 0 and the comparison shown is *detected (> 0) vs not detected*, which "
      "is exploratory (no pre-specified cut, few reads). The log-rank and Cox numbers match R "
      "(`survival::survdiff`/`coxph`) to 1e-6 in `tests/clinical`.\n")
    a("## miR-124 in tumour vs paired normal tissue\n")
    a("| cohort | pairs | detected T / N | median RPM T / N | pairs lower / higher / tied in T | "
      "Wilcoxon p (RPM) | logFC log2(RPM+1) | paired t p | FDR (rank of miRNAs) |")
    a("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        p = r["paired"]
        a(f"| {r['cohort']} | {p['n_pairs']} | {_pct(p['detected_tumour'])} / {_pct(p['detected_normal'])} | "
          f"{_f(p['median_tumour'])} / {_f(p['median_normal'])} | {p['lower_in_tumour']} / "
          f"{p['higher_in_tumour']} / {p['tied']} | {_f(p['wilcoxon_p'])} | {_f(p['logFC'])} | "
          f"{_f(p['t_p'])} | {_f(p['fdr'])} ({p['rank']} of {p['n_mirnas']}) |")
    a("")
    rare = [r["cohort"] for r in results
            if max(r["paired"]["detected_tumour"], r["paired"]["detected_normal"]) < 0.25]
    sig = [r for r in results if r["paired"]["wilcoxon_p"] < 0.05]
    a("Reading: the median miR-124 level is "
      + ", ".join(f"{r['cohort']} {_f(r['paired']['median_normal'])} RPM in normal" for r in results)
      + " (tumour medians in the table)"
      + (": below 1 read per million everywhere, so in the typical sample any difference is "
         "between a handful of reads and none. "
         if all(r["paired"]["median_normal"] < 1 and r["paired"]["median_tumour"] < 1 for r in results)
         else ". ")
      + (f"In {', '.join(rare)} miR-124 is detected in fewer than 25% of both tissues: these "
         "cohorts cannot show the down-regulation reported in the review, whichever way the test "
         "falls. " if rare else "")
      + ("Paired Wilcoxon p < 0.05: " + "; ".join(
          f"{r['cohort']} ({r['paired']['lower_in_tumour']} of "
          f"{r['paired']['lower_in_tumour'] + r['paired']['higher_in_tumour']} untied pairs lower "
          f"in tumour, p = {_f(r['paired']['wilcoxon_p'])})" for r in sig) + "; no correction across "
         "cohorts." if sig else "No cohort reaches paired Wilcoxon p < 0.05.")
      + "\n")
    a("Diagnostic ROC of log2(RPM + 1), tumour vs all normal samples (pROC conventions, "
      "`direction=auto`; '>' means lower in tumour):\n")
    a("| cohort | n tumour / normal | direction | AUC [DeLong 95% CI] | bootstrap CI | Youden cut-off | "
      "sensitivity [bootstrap CI] | specificity [bootstrap CI] |")
    a("|---|---|---|---|---|---|---|---|")
    for r in results:
        o = r["roc"]
        a(f"| {r['cohort']} | {o['n_pos']} / {o['n_neg']} | {o['direction']} | {_f(o['auc'])} "
          f"[{_f(o['auc_ci'][0])}, {_f(o['auc_ci'][1])}] | [{_f(o['auc_ci_bootstrap'][0])}, "
          f"{_f(o['auc_ci_bootstrap'][1])}] | {_f(o['cutoff'])} | {_f(o['sensitivity'])} "
          f"[{_f(o['sensitivity_ci_bootstrap'][0])}, {_f(o['sensitivity_ci_bootstrap'][1])}] | "
          f"{_f(o['specificity'])} [{_f(o['specificity_ci_bootstrap'][0])}, "
          f"{_f(o['specificity_ci_bootstrap'][1])}] |")
    a("")
    nodisc = [r["cohort"] for r in results if r["roc"]["auc_ci"][0] <= 0.5 <= r["roc"]["auc_ci"][1]]
    if nodisc:
        a(f"The DeLong CI includes 0.5 for {', '.join(nodisc)}: miR-124 does not separate tumour "
          "from normal tissue there, and the Youden cut-off of such a curve is meaningless.\n")
    a("## Survival by miR-124 level (primary tumours)\n")
    a("| cohort | tumours with follow-up | excluded | miR-124 detected | median split | "
      "detected / not (events) | log-rank chi2, p | HR detected vs not [95% CI] | C-index |")
    a("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        s = r["survival"]
        dsp = s.get("detected_split")
        med = s.get("median_split_note") or s.get("median_split_refused") or "computed"
        med = "refused (median = 0)" if "median is 0" in med else med
        if dsp:
            a(f"| {r['cohort']} | {dsp['n_high'] + dsp['n_low']} | {_excl(dsp['excluded'])} | "
              f"{_pct(s['detected'])} | {med} | {dsp['n_high']} ({dsp['events_high']}) / {dsp['n_low']} "
              f"({dsp['events_low']}) | {_f(dsp['logrank_chi2'], 2)}, {_f(dsp['logrank_p'])} | "
              f"{_f(dsp['hazard_ratio'], 2)} [{_f(dsp['hr_ci'][0], 2)}, {_f(dsp['hr_ci'][1], 2)}] | "
              f"{_f(dsp['concordance'])} |")
        else:
            a(f"| {r['cohort']} | {s['n_tumours_with_clinical']} | | {_pct(s['detected'])} | {med} | "
              f"refused: {s.get('detected_split_refused', '')} | | | |")
    a("")
    a("These are exploratory: detection is a proxy for 'high' expression at a handful of reads, "
      "the cut was not pre-specified, and nothing is corrected across cohorts. A result here "
      "neither confirms nor refutes the review's prognostic claims, which rest on RT-qPCR and "
      "in-situ data with continuous values.\n")
    a("### Clinicopathological association (miR-124 detected vs not)\n")
    a("| cohort | variable | test | chi2 (or Fisher odds ratio) | p | n | excluded (missing / Nx / Gx) |")
    a("|---|---|---|---|---|---|---|")
    for r in results:
        for row in r.get("association", []):
            a(f"| {r['cohort']} | {row['variable']} | {row['test']} | {_f(row['statistic'], 2)} | "
              f"{_f(row['p'])} | {row['n']} | {row['n_excluded']} |")
    a("")
    a("Stage I-II vs III-IV; N0 vs N+ (Nx = missing); grade G1-2 vs G3-4 (Gx = missing; BRCA has "
      "no grade field).\n")
    a("## A cohort with continuous values: TCGA GBM (array)\n")
    m, o = gbm["median"], gbm["optimal"]
    a(f"miR-124-3p (MIMAT0000422, log2 array), {m['n_high'] + m['n_low']} patients. Median split "
      f"(cut {_f(m['cutoff'])}): log-rank chi2 {_f(m['logrank_chi2'], 3)}, p = {_f(m['logrank_p'])}, "
      f"HR high vs low {_f(m['hazard_ratio'], 2)} [{_f(m['hr_ci'][0], 2)}, {_f(m['hr_ci'][1], 2)}], "
      f"C = {_f(m['concordance'])}. Optimal cut by maximally selected log-rank statistic: cut "
      f"{_f(o['cutoff'])}, statistic {_f(o['maxstat_statistic'])}, naive p = "
      f"{_f(o['maxstat_p_uncorrected'])}, **Lausen-Schumacher corrected p = "
      f"{_f(o['maxstat_p_corrected'])}** (the naive p of a searched cut is not valid).\n")
    cv = gbm["cox"]["covariates"]
    a("Multivariable Cox (per log2 unit): " + "; ".join(
        f"{k}: HR {_f(v['hazard_ratio'], 2)} [{_f(v['hr_ci'][0], 2)}, {_f(v['hr_ci'][1], 2)}], p = {_f(v['p'])}, "
        f"PH test p = {_f(v['ph_p'])}" for k, v in cv.items()) + f"; C = {_f(gbm['cox']['concordance'])}.\n")
    a("## LIHC multivariable Cox\n")
    a(f"n = {lihc_cox['n']}, events = {lihc_cox['n_events']}, excluded: {_excl(lihc_cox['excluded'])}; "
      f"C = {_f(lihc_cox['concordance'])}, LR chi2 = {_f(lihc_cox['lr_chi2'], 2)} (p = {_f(lihc_cox['lr_p'])}).\n")
    a("| covariate | HR [95% CI] | p | PH test p |")
    a("|---|---|---|---|")
    for k, v in lihc_cox["covariates"].items():
        a(f"| {k} | {_f(v['hazard_ratio'], 2)} [{_f(v['hr_ci'][0], 2)}, {_f(v['hr_ci'][1], 2)}] | {_f(v['p'])} | {_f(v['ph_p'])} |")
    a("")
    a("## Figures\n")
    for r in results:
        c = r["cohort"]
        a(f"**{c}**: ![paired](figures/clinical-paired-{c}.png) ![KM](figures/clinical-km-{c}.png) "
          f"![ROC](figures/clinical-roc-{c}.png) ![volcano](figures/clinical-volcano-{c}.png)\n")
    a("**GBM**: ![KM](figures/clinical-km-GBM.png) ![forest](figures/clinical-forest-GBM.png)  "
      "**LIHC Cox**: ![forest](figures/clinical-forest-LIHC.png)\n")
    a("SVG versions sit beside each PNG.\n")
    a("## Commands for your own tables\n")
    a("```sh\n"
      "mirscope clinical tcga LIHC --volcano lihc-volcano            # all miRNAs, paired\n"
      "mirscope clinical roc table.csv --marker mir124 --label tissue --positive tumour --format json\n"
      "mirscope clinical roc-compare table.csv --marker1 mir124 --marker2 mir21 --label tissue --positive tumour\n"
      "mirscope clinical roc-pairwise serum.xlsx --marker mir124 --label group --pairs tumour:healthy,tumour:benign\n"
      "mirscope clinical survival cohort.tsv --time os_days --event os_event --marker mir124 --split median --format json\n"
      "mirscope clinical survival cohort.tsv --time os_days --event os_event --marker mir124 --split optimal --plot km\n"
      "mirscope clinical cox cohort.tsv --time os_days --event os_event --covariates mir124,age,stage --plot forest\n"
      "mirscope clinical association cohort.tsv --group mir124_group --variables stage,N,grade\n"
      "mirscope clinical ddct qpcr.csv --reference U6,RNU48 --case tumour --control normal\n"
      "```\n")
    a("**RT-qPCR tables** (`mirscope clinical ddct`) are long: one row per well with columns "
      "`sample`, `target`, `ct`, `group` (e.g. tumour/normal) and optionally `patient` (pairs "
      "tumour with normal; other names via `--sample-col` etc.). Rows of one sample and target "
      "are technical replicates (mean, SD; a well is flagged when |Ct - median| > 0.5 cycles, or "
      "by Grubbs' test with `--outlier-rule grubbs`; flagged wells are kept unless "
      "`--exclude-outliers`). Several references are combined by their geometric mean "
      "expression (mean Ct); `--efficiency miR-124=1.93,U6=1.98` switches to Pfaffl. "
      "'Undetermined' Ct cells are excluded and counted.\n")
    a("## Using the library\n")
    a("```python\n"
      "from mirscope.clinical import (ROCFitter, SurvivalSplitFitter, CoxFitter, DdCtFitter,\n"
      "                               load_tcga, mature_rpm, plot_km, plot_roc, save_figure)\n"
      "roc = ROCFitter().fit(df, marker_col=\"mir124\", label_col=\"group\", positive=\"tumour\",\n"
      "                      negative=\"healthy\").result_\n"
      "roc.to_dict()        # auc, auc_ci (DeLong), cutoff (Youden), sensitivity, specificity, n_pos, n_neg\n"
      "roc.details()        # + bootstrap CI, Clopper-Pearson CIs of Se/Sp, direction, exclusions\n"
      "surv = SurvivalSplitFitter(split=\"median\").fit(df, duration_col=\"os_days\",\n"
      "                                               event_col=\"os_event\", marker_col=\"mir124\").result_\n"
      "surv.to_dict(); surv.excluded_; surv.flags\n"
      "save_figure(plot_km(surv), \"km\")   # km.png (300 dpi) + km.svg\n"
      "cox = CoxFitter().fit(df, duration_col=\"os_days\", event_col=\"os_event\",\n"
      "                      covariates=[\"mir124\", \"age\", \"stage\"]).result_\n"
      "cox.summary; cox.ph_test; cox.concordance\n"
      "qpcr = DdCtFitter([\"U6\", \"RNU48\"]).fit(long_table).result_   # sample,target,ct,group,patient\n"
      "qpcr.tests; qpcr.samples\n"
      "```\n")
    a("## Verification against R\n")
    a("`tests/clinical/r/references.R` computes reference numbers with R (survival, pROC, "
      "maxstat) on the tables in `tests/data/clinical` (synthetic tables with tied times, "
      "censoring and tied markers; `survival::lung` with missing covariates; `pROC::aSAH`; real "
      "TCGA LIHC, STAD and GBM subsets) and stores them as JSON; "
      "`pytest tests/clinical/test_r_agreement.py` asserts: log-rank chi-square and p, Cox "
      "coefficients, p-values and log-likelihood to 1e-6 (SE and HR CIs to 1e-5 relative), "
      "concordance to 1e-9, Kaplan-Meier survival, standard errors and log / log-log CIs to "
      "1e-10, maxstat statistics, cut-point and Lausen-Schumacher p to 1e-8, AUC and DeLong CI "
      "to 1e-4 (DeLong variance to 1e-8 relative), Youden cut-offs (including tied optima), "
      "Clopper-Pearson CIs and the paired DeLong test to 1e-6; the `cox.zph` proportional-hazards "
      "test to 1e-6; RT-qPCR paired/Welch t, "
      "Wilcoxon, Mann-Whitney and BH to 1e-10 (`test_qpcr.py`). The tests need no R.\n")
    a("The proportional-hazards check is the score test of R's `cox.zph` (survival >= 3.0, KM "
      "transform, factor levels pooled per term, plus GLOBAL), equal to R to 1e-6.\n")
    a("Known differences from R: ties are handled by Efron's method only (R's default; Breslow "
      "is not offered); bootstrap intervals (AUC; sensitivity and specificity at the re-found "
      "Youden optimum, as pROC's `ci.coords(x=\"best\")`) use numpy's random stream and agree "
      "with pROC to Monte-Carlo error (AUC within 0.03, Se/Sp within 0.07 in the tests; R breaks "
      "tied optima at random, mirscope takes the highest sensitivity); `details()` also gives "
      "exact Clopper-Pearson intervals of Se/Sp at the chosen cut-off (equal to R's "
      "`binom.test`).\n")
    a("Conventions (tie rules, directions, cut-points, R equivalents) are documented in the "
      "module docstrings of `mirscope.clinical.qpcr`, `.roc`, `.survival` and `.expression`; "
      "the R scripts that produced the reference numbers are in `tests/clinical/r/`.\n")
    text = "\n".join(L)
    mirna = results[0].get("mirna", DEMO_MIRNA) if results else DEMO_MIRNA
    if _label(mirna) != _DEMO_LABEL:  # the text names the demo miRNA: rename it throughout
        name, pre = mature_precursors(mirna)
        text = text.replace(
            "the precursors hsa-mir-124-1, -2 and -3: all three make the identical mature miR-124-3p",
            f"the precursors {', '.join(pre)}: all make the identical mature {name}",
        ).replace("miR-124-3p (MIMAT0000422, log2 array)", f"{name} (log2 array)")
        text = text.replace(_DEMO_LABEL, _label(mirna))
    return text


def write_report(out_dir: str | Path = "docs", *, mirna: str = DEMO_MIRNA) -> Path:
    """Compute everything, write the figures and ``clinical.md`` into ``out_dir``."""
    out = Path(out_dir)
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    results = [analyse_cohort(c, fig_dir, mirna=mirna) for c in COHORTS]
    gbm = analyse_gbm(fig_dir, mirna=mirna)
    lihc = analyse_lihc_cox(fig_dir, mirna=mirna)
    text = render(results, gbm, lihc)
    target = out / "clinical.md"
    tmp = out / ".clinical.md.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m mirscope.clinical.tcga_report [OUT_DIR] [MIRNA]``."""
    args = sys.argv[1:] if argv is None else argv
    path = write_report(args[0] if args else "docs", mirna=args[1] if len(args) > 1 else DEMO_MIRNA)
    sys.stderr.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
