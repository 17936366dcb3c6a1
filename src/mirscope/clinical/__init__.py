"""mirscope.clinical: RT-qPCR, tumour vs normal, diagnostic ROC, survival and Cox models,
and the TCGA pan-cancer atlas of any miRNA (:class:`AtlasFitter`, :func:`atlas_all`).

Statistics are lifelines-style Fitter objects (``XFitter(...).fit(df, ...)``, results in
``.result_`` with ``.to_dict()``); figures are functions returning matplotlib Figures.
Numbers are checked against R (``survival``, ``pROC``, ``maxstat``) in ``tests/clinical``.
"""

from mirscope.clinical._common import (
    ClinicalWarning,
    UncorrectedCutpointWarning,
    read_table,
)
from mirscope.clinical.atlas import (
    AtlasFitter,
    AtlasResult,
    atlas_all,
    available_cohorts,
    load_cohort,
)
from mirscope.clinical.expression import (
    DifferentialExpressionFitter,
    DifferentialResult,
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
from mirscope.clinical.qpcr import DdCtFitter, DdCtResult, grubbs_outliers, summarise_replicates
from mirscope.clinical.roc import (
    DeLongTestResult,
    ROCFitter,
    ROCResult,
    delong_test,
    pairwise_roc,
)
from mirscope.clinical.survival import (
    CoxFitter,
    CoxResult,
    KaplanMeierResult,
    LogRankResult,
    MaxstatResult,
    SurvivalSplitFitter,
    SurvivalSplitResult,
    association_table,
    concordance_index,
    cox_zph,
    fisher_exact_2xk,
    kaplan_meier,
    lausen_schumacher_p,
    logrank_test,
    maxstat_cutpoint,
    split_marker,
    univariate_cox,
)

__all__ = [
    "AtlasFitter",
    "AtlasResult",
    "ClinicalWarning",
    "CoxFitter",
    "CoxResult",
    "DdCtFitter",
    "DdCtResult",
    "DeLongTestResult",
    "DifferentialExpressionFitter",
    "DifferentialResult",
    "KaplanMeierResult",
    "LogRankResult",
    "MaxstatResult",
    "ROCFitter",
    "ROCResult",
    "SurvivalSplitFitter",
    "SurvivalSplitResult",
    "UncorrectedCutpointWarning",
    "association_table",
    "atlas_all",
    "available_cohorts",
    "concordance_index",
    "cox_zph",
    "delong_test",
    "fisher_exact_2xk",
    "grubbs_outliers",
    "kaplan_meier",
    "lausen_schumacher_p",
    "load_cohort",
    "load_tcga",
    "logrank_test",
    "mature_precursors",
    "mature_rpm",
    "maxstat_cutpoint",
    "paired_samples",
    "pairwise_roc",
    "plot_forest",
    "plot_km",
    "plot_paired",
    "plot_roc",
    "plot_volcano",
    "read_table",
    "save_figure",
    "split_marker",
    "summarise_replicates",
    "univariate_cox",
]


def __getattr__(name: str) -> object:
    """Names of the first (one-miRNA) release resolve with a DeprecationWarning."""
    if name in ("MIR124_PRECURSORS", "mir124_rpm"):
        from mirscope.clinical import expression

        return getattr(expression, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
