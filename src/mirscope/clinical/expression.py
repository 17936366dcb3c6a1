"""Expression matrices (TCGA miRNA-seq): tumour vs normal across miRNAs, mature-level sums.

The shipped TCGA tables (``src/mirscope/data/tcga``, see its ``SOURCE.md``) hold one row per
sample (``sample_barcode``, ``patient_barcode``, ``sample_type``: 1 = primary tumour,
11 = solid tissue normal) and one column per miRNA precursor (read counts; reads per million
are computed from them on load).

**Mature-level rule.** Every sequencing read is assigned to exactly one precursor locus, and
the precursors of a mature miRNA (miRBase; e.g. hsa-mir-124-1, -2 and -3 for miR-124-3p,
hsa-let-7a-1/-2/-3 for let-7a-5p) all produce the identical mature sequence, so the
mature-level value is the **sum** over its precursors (of counts, or equivalently of RPM,
since RPM share the sample's library size): :func:`mature_rpm`.

**Tests.** Values are analysed as ``log2(RPM + 1)``. Paired design (default, patients with
both a tumour and a normal sample): logFC = mean over patients of the tumour - normal
difference, paired t-test (or Wilcoxon signed-rank). Unpaired: logFC = difference of group
means, Welch t-test (or Mann-Whitney U). Benjamini-Hochberg FDR across the miRNAs tested.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"hsa-let-7a-1": [1.0, 0.0], "hsa-let-7a-2": [0.5, 0.0],
...                    "hsa-let-7a-3": [0.25, 2.0]})
>>> mature_rpm(df, "let-7a").tolist()
[1.75, 2.0]
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from mirscope.clinical._common import Exclusions, jsonable, require_columns
from mirscope.errors import InputError, UnknownNameError

__all__ = [
    "TCGA_COHORTS",
    "DifferentialExpressionFitter",
    "DifferentialResult",
    "load_tcga",
    "mature_precursors",
    "mature_rpm",
    "paired_samples",
]

log = logging.getLogger(__name__)

TCGA_COHORTS: tuple[str, ...] = (
    "BLCA", "BRCA", "CESC", "COAD", "ESCA", "HNSC", "KIRP", "LIHC", "LUAD",
    "LUSC", "OV", "PAAD", "PRAD", "READ", "SARC", "SKCM", "STAD", "THCA", "GBM",
)
# kept for callers of the first release, which analysed one miRNA only (use mature_precursors)
_LEGACY = {"MIR124_PRECURSORS": ("hsa-mir-124-1", "hsa-mir-124-2", "hsa-mir-124-3")}
TcgaKind = Literal["rpm", "counts", "clinical", "array"]
TUMOUR_CODE = 1
NORMAL_CODE = 11
META_COLUMNS = ("sample_barcode", "patient_barcode", "sample_type")


def load_tcga(cohort: str, kind: TcgaKind = "rpm") -> pd.DataFrame:
    """Load a shipped TCGA table.

    Parameters
    ----------
    cohort
        One of the 18 shipped miRNA-seq cohorts (``TCGA_COHORTS``: BLCA ... THCA) or
        ``"GBM"`` (array, ``kind="array"`` only).
    kind
        ``"rpm"`` (reads per million, computed from the counts as count / sample total x
        1e6), ``"counts"``, ``"clinical"`` (overall survival
        ``os_days``/``os_event``, stage, TNM, grade) or ``"array"`` (GBM: log2 array values,
        miRBase accession columns, ``time``/``status``).

    Examples
    --------
    >>> clin = load_tcga("LIHC", "clinical")
    >>> {"os_days", "os_event"} <= set(clin.columns)
    True
    """
    c = str(cohort).strip().upper()
    if c not in TCGA_COHORTS:
        raise UnknownNameError("TCGA cohort", cohort, [x for x in TCGA_COHORTS if x[0] == c[:1]] or TCGA_COHORTS)
    if kind not in get_args(TcgaKind):
        raise InputError(f"kind {kind!r} unknown; use one of {get_args(TcgaKind)}")
    if (c == "GBM") != (kind == "array"):
        raise InputError(
            "GBM is shipped as an array table only (kind='array'); the other cohorts have "
            "kind='rpm', 'counts' or 'clinical'"
        )
    if kind == "rpm":
        counts = load_tcga(c, "counts")
        num = [x for x in counts.columns if x not in META_COLUMNS]
        block = counts[num].to_numpy(dtype=float)
        rpm = counts.copy()
        rpm[num] = block / block.sum(axis=1, keepdims=True) * 1e6
        return rpm
    name = "GBM.array_survival.csv.gz" if c == "GBM" else f"{c}.{'clinical' if kind == 'clinical' else 'mirna_' + kind}.csv.gz"
    res = resources.files("mirscope").joinpath("data", "tcga", name)
    with res.open("rb") as fh, gzip.open(fh, "rt") as text:
        return pd.read_csv(text)


def mature_precursors(mirna: str) -> tuple[str, tuple[str, ...]]:
    """miRBase v22 name of ``mirna`` and the precursors it derives from.

    Examples
    --------
    >>> mature_precursors("miR-21")
    ('hsa-miR-21-5p', ('hsa-mir-21',))
    """
    from mirscope.names import normalize_mirna

    m = normalize_mirna(mirna)
    if not m.precursors:
        raise InputError(f"miRNA {mirna!r} ({m.name}) has no precursor in miRBase; "
                         "give a mature miRNA or precursor name")
    return m.name, tuple(m.precursors)


def mature_rpm(df: pd.DataFrame, mirna: str) -> pd.Series:
    """Mature-level value of ``mirna``: the sum of its precursor columns (counts or RPM).

    Missing precursor columns raise :class:`InputError` naming them.
    """
    name, pre = mature_precursors(mirna)
    require_columns(df, pre)
    return df[list(pre)].sum(axis=1, min_count=len(pre)).rename(name)


def _legacy_rpm(df: pd.DataFrame) -> pd.Series:
    """The first release's one-miRNA helper (sum of hsa-mir-124-1/2/3), kept for old callers."""
    require_columns(df, _LEGACY["MIR124_PRECURSORS"])
    pre = list(_LEGACY["MIR124_PRECURSORS"])
    return df[pre].sum(axis=1, min_count=len(pre)).rename("hsa-miR-124")


def __getattr__(name: str) -> Any:
    """Old names of the first release (one miRNA only) still resolve, with a warning."""
    import warnings

    old = {"MIR124_PRECURSORS": _LEGACY["MIR124_PRECURSORS"], "mir124_rpm": _legacy_rpm}
    if name in old:
        warnings.warn(f"mirscope.clinical.{name} is deprecated; use mature_precursors(mirna) / "
                      "mature_rpm(df, mirna)", DeprecationWarning, stacklevel=2)
        return old[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def paired_samples(expr: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tumour (code 1) and normal (code 11) rows of patients having both, aligned by patient.

    Several samples of one patient and type are averaged (logged).
    """
    require_columns(expr, META_COLUMNS)
    tum = expr[expr["sample_type"] == TUMOUR_CODE]
    nor = expr[expr["sample_type"] == NORMAL_CODE]
    both = sorted(set(tum["patient_barcode"]) & set(nor["patient_barcode"]))
    num = [c for c in expr.columns if c not in META_COLUMNS]

    def agg(d: pd.DataFrame, what: str) -> pd.DataFrame:
        d = d[d["patient_barcode"].isin(both)]
        dup = int(d["patient_barcode"].duplicated().sum())
        if dup:
            log.warning("averaged %d extra %s sample(s) of the same patient", dup, what)
        return d.groupby("patient_barcode")[num].mean().loc[both]

    return agg(tum, "tumour"), agg(nor, "normal")


@dataclass
class DifferentialResult:
    """Per-miRNA tumour vs normal statistics (``table`` sorted by p-value)."""

    table: pd.DataFrame
    design: str
    test: str
    n_tumour: int
    n_normal: int
    excluded_: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> pd.DataFrame:
        """Alias of ``table``."""
        return self.table

    def row(self, mirna: str) -> pd.Series:
        """Statistics of one miRNA: a precursor column (``"hsa-mir-21"``), a combined row
        added with ``fit(mirnas=...)`` or any spelling of a single-precursor miRNA."""
        if mirna not in self.table.index:
            from mirscope.names import try_normalize_mirna

            m = try_normalize_mirna(mirna)
            for cand in ((m.name, *m.precursors[:1]) if m is not None and len(m.precursors) <= 1
                         else (m.name,) if m is not None else ()):
                if cand in self.table.index:
                    return self.table.loc[cand]
            raise UnknownNameError("miRNA column", mirna, [m for m in self.table.index if mirna.lower()[:9] in m.lower()][:5])
        return self.table.loc[mirna]

    @property
    def p_value(self) -> pd.Series:
        """p-values by miRNA (the ``p`` column of ``table``)."""
        return self.table["p"]

    def print_summary(self) -> None:  # pragma: no cover - display helper
        """Print the top of the table (notebook use)."""
        print(f"{self.design} {self.test}: {self.n_tumour} tumour / {self.n_normal} normal")
        print(self.table.head(20).to_string())

    def to_dict(self) -> dict[str, Any]:
        """Design, sizes, exclusions and the top 20 rows."""
        top = self.table.head(20).reset_index().to_dict("records")
        return jsonable(
            {
                "design": self.design,
                "test": self.test,
                "n_tumour": self.n_tumour,
                "n_normal": self.n_normal,
                "n_mirnas": len(self.table),
                "n_fdr_05": int((self.table["fdr"] < 0.05).sum()),
                "excluded": dict(self.excluded_),
                "top": top,
            }
        )


class DifferentialExpressionFitter:
    """Tumour vs normal across all miRNAs of an expression table (TCGA layout).

    Parameters
    ----------
    design
        ``"paired"`` (patients with both samples; default) or ``"unpaired"`` (all primary
        tumours vs all normals).
    test
        ``"t"`` (paired t / Welch t) or ``"rank"`` (Wilcoxon signed-rank / Mann-Whitney).
    min_detected
        A miRNA is tested only if it has a non-zero value in at least this fraction of the
        samples of either group; the others are counted in ``excluded_["low_detection"]``.
    pseudocount
        Added before log2.

    Examples
    --------
    >>> expr = load_tcga("LIHC", "rpm")
    >>> res = DifferentialExpressionFitter().fit(expr, mirnas=["let-7a"]).result_
    >>> res.n_tumour == res.n_normal, "hsa-let-7a-5p" in res.table.index
    (True, True)
    """

    def __init__(
        self,
        design: Literal["paired", "unpaired"] = "paired",
        *,
        test: Literal["t", "rank"] = "t",
        min_detected: float = 0.2,
        pseudocount: float = 1.0,
    ) -> None:
        if design not in ("paired", "unpaired"):
            raise InputError(f"design {design!r} unknown; use 'paired' or 'unpaired'")
        if test not in ("t", "rank"):
            raise InputError(f"test {test!r} unknown; use 't' or 'rank'")
        self.design = design
        self.test = test
        self.min_detected = min_detected
        self.pseudocount = pseudocount

    def fit(
        self, expr: pd.DataFrame, *, mirnas: Sequence[str] = (), add_mir124: bool | None = None
    ) -> DifferentialExpressionFitter:
        """Test every precursor column, plus one combined (mature-level) row per name in
        ``mirnas`` whose precursors are all columns (e.g. ``mirnas=["let-7a"]`` adds
        ``hsa-let-7a-5p``, the sum of hsa-let-7a-1/2/3). ``add_mir124`` is the first
        release's switch (deprecated): it adds the combined row ``hsa-miR-124``."""
        require_columns(expr, META_COLUMNS)
        expr = expr.copy()
        if add_mir124 is not None:
            import warnings

            warnings.warn("fit(add_mir124=...) is deprecated; use fit(mirnas=[...])",
                          DeprecationWarning, stacklevel=2)
            if add_mir124 and all(c in expr.columns for c in _LEGACY["MIR124_PRECURSORS"]):
                expr["hsa-miR-124"] = _legacy_rpm(expr)
        for m in mirnas:
            name, pre = mature_precursors(m)
            if len(pre) > 1 and all(c in expr.columns for c in pre):
                expr[name] = mature_rpm(expr, m)
        num = [c for c in expr.columns if c not in META_COLUMNS]
        excl = Exclusions()
        other = ~expr["sample_type"].isin([TUMOUR_CODE, NORMAL_CODE])
        excl.add("other_sample_type", int(other.sum()), what="samples")
        if self.design == "paired":
            tum, nor = paired_samples(expr)
            unp = int((~other).sum()) - 2 * len(tum)
            excl.add("unpaired_sample", unp, what="samples")
        else:
            tum = expr.loc[expr["sample_type"] == TUMOUR_CODE, num]
            nor = expr.loc[expr["sample_type"] == NORMAL_CODE, num]
        if len(tum) < 3 or len(nor) < 3:
            raise InputError(
                f"too few samples for a {self.design} comparison: {len(tum)} tumour and "
                f"{len(nor)} normal (need >= 3 each)"
            )
        det_t = (tum[num] > 0).mean()
        det_n = (nor[num] > 0).mean()
        ok = (det_t >= self.min_detected) | (det_n >= self.min_detected)
        excl.add("low_detection", int((~ok).sum()), what="miRNAs")
        cols = [c for c in num if ok[c]]
        lt = np.log2(tum[cols].to_numpy(dtype=float) + self.pseudocount)
        ln = np.log2(nor[cols].to_numpy(dtype=float) + self.pseudocount)
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.design == "paired":
                d = lt - ln
                lfc = d.mean(axis=0)
                if self.test == "t":
                    st, p = stats.ttest_rel(lt, ln, axis=0)
                else:
                    st, p = _wilcoxon_columns(d)
            else:
                lfc = lt.mean(axis=0) - ln.mean(axis=0)
                if self.test == "t":
                    st, p = stats.ttest_ind(lt, ln, axis=0, equal_var=False)
                else:
                    st, p = stats.mannwhitneyu(lt, ln, axis=0, alternative="two-sided")
        p = np.asarray(p, dtype=float)
        fdr = np.full_like(p, np.nan)
        good = ~np.isnan(p)
        excl.add("untestable_constant", int((~good).sum()), what="miRNAs")
        if good.any():
            fdr[good] = multipletests(p[good], method="fdr_bh")[1]
        table = pd.DataFrame(
            {
                "mean_log2_tumour": lt.mean(axis=0),
                "mean_log2_normal": ln.mean(axis=0),
                "logFC": lfc,
                "statistic": np.asarray(st, dtype=float),
                "p": p,
                "fdr": fdr,
                "detected_tumour": det_t[cols].to_numpy(),
                "detected_normal": det_n[cols].to_numpy(),
            },
            index=pd.Index(cols, name="mirna"),
        ).sort_values("p")
        self.result_ = DifferentialResult(
            table=table,
            design=self.design,
            test={"paired": {"t": "paired t", "rank": "Wilcoxon signed-rank"},
                  "unpaired": {"t": "Welch t", "rank": "Mann-Whitney U"}}[self.design][self.test],
            n_tumour=len(tum),
            n_normal=len(nor),
            excluded_=dict(excl),
        )
        return self


def _wilcoxon_columns(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    st = np.full(d.shape[1], np.nan)
    p = np.full(d.shape[1], np.nan)
    for j in range(d.shape[1]):
        col = d[:, j]
        if np.all(col == 0):
            continue
        r = stats.wilcoxon(col, zero_method="wilcox", correction=True, method="auto")
        st[j], p[j] = r.statistic, r.pvalue
    return st, p
