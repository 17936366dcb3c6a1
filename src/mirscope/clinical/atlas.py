"""TCGA pan-cancer atlas of one miRNA (or of every miRNA): tumour vs normal and survival.

Definitions (fixed; the tests check every number against R, see ``tests/clinical/r``):

* **Level.** A mature miRNA's level in a sample is the sum of the RPM (reads per million) of
  all the miRBase precursors it derives from (let-7a-5p: hsa-let-7a-1, -2 and -3), summed in
  precursor order; ``x = log2(RPM + 1)``. RPM come from ``{COHORT}.mirna_rpm.csv.gz`` when a
  cohort folder has it, otherwise (the compact shipped cohorts) from the counts as
  ``count / sum of the sample's counts * 1e6``.
* **Tumour vs normal.** Patients with both a primary tumour (sample type 01) and a solid
  normal (11), the first sample of each type by barcode. ``log2fc`` is the mean of the
  tumour - normal differences of ``x`` (95% CI from the t distribution);
  ``wilcoxon_p`` is R's ``wilcox.test(x_tumour, x_normal, paired = TRUE)`` with its defaults.
* **Survival.** Primary tumours, one per patient (first barcode), joined to the clinical table
  on ``patient_barcode``; rows with missing time or event, or a time <= 0, are excluded and
  counted (logged). ``cox_hr``/``cox_p``: Cox model on ``x`` (Efron ties, Wald p, as
  ``summary(coxph(Surv(os_days, os_event) ~ x))``); ``logrank_p``: R's ``survdiff`` for a
  median split (high = x > median).
* **Not detected.** ``zero_fraction`` is the fraction of primary tumours with 0 reads over the
  precursors. At or above ``max_zero_fraction`` (default 0.5, i.e. a median of 0 reads) the
  cohort is reported as ``not detected`` and nothing is tested.
* **Not testable.** A cohort without paired normals, without events, where the miRNA's
  precursors are not measured, or with a constant level keeps its row with a status saying why.
* ``q``: Benjamini-Hochberg q-value of ``wilcoxon_p`` across the cohorts tested
  (``cox_q`` and ``logrank_q`` likewise for the survival p-values).

Examples
--------
>>> res = AtlasFitter().fit("miR-21", cohorts=["LIHC", "STAD"]).result_
>>> res.mirna, res.precursors
('hsa-miR-21-5p', ('hsa-mir-21',))
>>> res.table[["cohort", "n_paired", "status_paired"]].values.tolist()
[['LIHC', 49, 'tested'], ['STAD', 41, 'tested']]
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from mirscope.clinical._atlas_stats import cox_efron_many, logrank_many, wilcoxon_paired_many
from mirscope.clinical._common import Exclusions, jsonable
from mirscope.errors import FileFormatError, InputError, UnknownNameError
from mirscope.names import normalize_mirna, try_normalize_mirna

__all__ = [
    "SHIPPED_COHORTS",
    "AtlasFitter",
    "AtlasResult",
    "TcgaCohort",
    "atlas_all",
    "available_cohorts",
    "load_cohort",
    "mirna_level",
    "mirna_units",
    "paired_levels",
    "resolve_precursors",
    "survival_levels",
    "tcga_precursor_aliases",
]

log = logging.getLogger(__name__)

SHIPPED_COHORTS: tuple[str, ...] = (
    "BLCA", "BRCA", "CESC", "COAD", "ESCA", "HNSC", "KIRP", "LIHC", "LUAD",
    "LUSC", "OV", "PAAD", "PRAD", "READ", "SARC", "SKCM", "STAD", "THCA",
)
META_COLUMNS = ("sample_barcode", "patient_barcode", "sample_type")
CLINICAL_COLUMNS = ("patient_barcode", "os_days", "os_event")
TUMOUR, NORMAL = 1, 11
_FILES = {"rpm": "mirna_rpm", "counts": "mirna_counts", "clinical": "clinical"}
_STATUS_OK = "tested"
TABLE_COLUMNS = (
    "cohort", "n_tumours", "zero_fraction", "n_paired", "log2fc", "log2fc_lower",
    "log2fc_upper", "wilcoxon_v", "wilcoxon_p", "n_survival", "events", "cox_hr", "cox_lower",
    "cox_upper", "cox_p", "logrank_chi2", "logrank_p", "n_high", "q", "cox_q", "logrank_q",
    "status_paired", "status_survival", "missing_precursors",
)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TcgaCohort:
    """One cohort in the TCGA layout, loaded and checked.

    Attributes
    ----------
    name
        Cohort code (``"LIHC"``).
    samples
        ``sample_barcode``, ``patient_barcode``, ``sample_type`` (int: 1 tumour, 11 normal).
    precursors
        Precursor column names, in file order.
    rpm
        Samples x precursors, reads per million (float64).
    zero
        Samples x precursors, True where the precursor has 0 reads.
    clinical
        One row per patient with at least ``patient_barcode``, ``os_days``, ``os_event``.
    source
        ``"shipped"`` or the folder it was read from.
    """

    name: str
    samples: pd.DataFrame
    precursors: tuple[str, ...]
    rpm: np.ndarray
    zero: np.ndarray
    clinical: pd.DataFrame
    source: str

    def column_index(self) -> dict[str, int]:
        """Precursor name -> column of :attr:`rpm`."""
        return {p: i for i, p in enumerate(self.precursors)}


def _shipped_dir() -> Path:
    return Path(str(resources.files("mirscope").joinpath("data", "tcga")))


def available_cohorts(cohort_dir: str | Path | None = None) -> list[str]:
    """Cohorts in ``cohort_dir`` (any folder in the TCGA layout) or the shipped ones.

    A cohort is listed when ``{COHORT}.clinical.csv.gz`` and an RPM or counts table exist.

    Examples
    --------
    >>> len(available_cohorts())
    18
    """
    if cohort_dir is None:
        return list(SHIPPED_COHORTS)
    d = Path(cohort_dir)
    if not d.is_dir():
        raise InputError(
            f"cohort folder {str(d)!r} does not exist; pass a folder holding "
            "{COHORT}.mirna_rpm.csv.gz, {COHORT}.mirna_counts.csv.gz and {COHORT}.clinical.csv.gz"
        )
    names = set()
    for p in d.glob("*.csv.gz"):
        m = re.match(r"^([A-Za-z0-9_-]+)\.(mirna_rpm|mirna_counts)\.csv\.gz$", p.name)
        if m and (d / f"{m.group(1)}.clinical.csv.gz").exists():
            names.add(m.group(1))
    return sorted(names)


def _read_gz_csv(path: Path, *, dtype: Mapping[str, Any] | None = None) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=dtype, compression="gzip")  # type: ignore[arg-type]
    except FileNotFoundError as err:
        raise FileFormatError(path, "file not found; the TCGA layout needs it") from err
    except pd.errors.EmptyDataError as err:
        raise FileFormatError(path, "the file is empty; a header row and data rows are needed") from err
    except (pd.errors.ParserError, UnicodeDecodeError, EOFError, gzip.BadGzipFile, zlib.error, OSError) as err:
        raise FileFormatError(
            path, f"cannot be read as a gzipped CSV ({type(err).__name__}: {err}); "
            "re-download or re-create the file"
        ) from err


def _require(df: pd.DataFrame, cols: Sequence[str], path: Path) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise FileFormatError(
            path, f"missing column(s) {', '.join(map(repr, missing))}; the TCGA layout needs "
            f"{', '.join(cols)} (found {', '.join(map(str, list(df.columns)[:6]))}...)"
        )


def _matrix(df: pd.DataFrame, path: Path) -> tuple[tuple[str, ...], np.ndarray]:
    pre = tuple(c for c in df.columns if c not in META_COLUMNS)
    if not pre:
        raise FileFormatError(path, "no precursor columns after sample_barcode, patient_barcode, sample_type")
    block = df[list(pre)]
    bad = [c for c in pre if not pd.api.types.is_numeric_dtype(block[c])]
    if bad:
        raise FileFormatError(
            path, f"non-numeric values in precursor column(s) {', '.join(bad[:5])}; "
            "every precursor column must hold numbers"
        )
    mat = block.to_numpy(dtype=float)
    if np.isnan(mat).any() or (mat < 0).any():
        col = pre[int(np.flatnonzero((np.isnan(mat) | (mat < 0)).any(axis=0))[0])]
        raise FileFormatError(path, f"missing or negative values in column {col!r}; RPM and counts must be >= 0")
    return pre, mat


def _samples(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    s = df[list(META_COLUMNS)].copy()
    st = pd.to_numeric(s["sample_type"], errors="coerce")
    if st.isna().any():
        bad = s.loc[st.isna(), "sample_type"].iloc[0]
        raise FileFormatError(path, f"sample_type {bad!r} is not a TCGA code (01 tumour, 11 normal, ...)")
    s["sample_type"] = st.astype(int)
    s["sample_barcode"] = s["sample_barcode"].astype(str)
    s["patient_barcode"] = s["patient_barcode"].astype(str).str.lower()
    return s.reset_index(drop=True)


@lru_cache(maxsize=64)
def _load_cached(name: str, folder: str, stamp: tuple[float, ...]) -> TcgaCohort:
    d = _shipped_dir() if folder == "shipped" else Path(folder)
    paths = {k: d / f"{name}.{v}.csv.gz" for k, v in _FILES.items()}
    meta_dtype = {"sample_barcode": str, "patient_barcode": str, "sample_type": str}
    rpm_df = _read_gz_csv(paths["rpm"], dtype=meta_dtype) if paths["rpm"].exists() else None
    cnt_df = _read_gz_csv(paths["counts"], dtype=meta_dtype) if paths["counts"].exists() else None
    if rpm_df is None and cnt_df is None:
        raise FileFormatError(paths["rpm"], "neither the RPM nor the counts table of the cohort exists")
    main = rpm_df if rpm_df is not None else cnt_df
    main_path = paths["rpm"] if rpm_df is not None else paths["counts"]
    assert main is not None
    _require(main, META_COLUMNS, main_path)
    samples = _samples(main, main_path)
    pre, mat = _matrix(main, main_path)
    if rpm_df is not None:
        rpm = mat
        zero = rpm == 0
        if cnt_df is not None:
            _require(cnt_df, META_COLUMNS, paths["counts"])
            cpre, _ = _matrix(cnt_df, paths["counts"])
            cb = cnt_df["sample_barcode"].astype(str)
            if (sorted(cb) != sorted(samples["sample_barcode"]) or cb.duplicated().any()
                    or sorted(cpre) != sorted(pre)):
                raise FileFormatError(
                    paths["counts"], "samples or precursor columns differ from the RPM table "
                    f"{paths['rpm'].name}; both tables must list the same samples and precursors"
                )
            aligned = cnt_df.set_index(cb)[list(pre)].loc[list(samples["sample_barcode"])]
            zero = aligned.to_numpy(dtype=float) == 0  # rows and columns in the RPM table's order
    else:
        tot = mat.sum(axis=1)
        if (tot <= 0).any():
            bad = samples["sample_barcode"][tot <= 0].iloc[0]
            raise FileFormatError(main_path, f"sample {bad} has no reads at all; RPM cannot be computed")
        rpm = mat / tot[:, None] * 1e6
        zero = mat == 0
    clin = _read_gz_csv(paths["clinical"], dtype={"patient_barcode": str})
    _require(clin, CLINICAL_COLUMNS, paths["clinical"])
    clin = clin.copy()
    clin["patient_barcode"] = clin["patient_barcode"].astype(str).str.lower()
    for c in ("os_days", "os_event"):
        v = pd.to_numeric(clin[c], errors="coerce")
        bad = clin.loc[v.isna() & clin[c].notna(), c]
        if len(bad):
            raise FileFormatError(paths["clinical"], f"column {c} has non-numeric value {bad.iloc[0]!r}")
        clin[c] = v
    ev = clin["os_event"].dropna()
    if not ev.isin([0, 1]).all():
        raise FileFormatError(paths["clinical"], f"os_event must be 0 or 1; found {sorted(set(ev) - {0, 1})[:3]}")
    if clin["patient_barcode"].duplicated().any():
        dup = clin.loc[clin["patient_barcode"].duplicated(), "patient_barcode"].iloc[0]
        raise FileFormatError(paths["clinical"], f"patient {dup} appears twice; one row per patient is needed")
    return TcgaCohort(name, samples, pre, rpm, zero, clin.reset_index(drop=True),
                      "shipped" if folder == "shipped" else str(d))


def load_cohort(name: str, *, cohort_dir: str | Path | None = None) -> TcgaCohort:
    """Load one cohort (shipped, or from ``cohort_dir`` in the TCGA layout).

    Raises
    ------
    UnknownNameError
        The cohort is not shipped / not in the folder.
    FileFormatError
        A file is corrupt, lacks a needed column or holds non-numeric values.

    Examples
    --------
    >>> c = load_cohort("LIHC")
    >>> c.rpm.shape[0] == len(c.samples), c.source
    (True, 'shipped')
    """
    avail = available_cohorts(cohort_dir)
    key = str(name).strip().upper() if cohort_dir is None else str(name).strip()
    if key not in avail:
        low = {a.lower(): a for a in avail}
        if key.lower() in low:
            key = low[key.lower()]
        else:
            raise UnknownNameError("TCGA cohort", str(name), avail)
    folder = "shipped" if cohort_dir is None else str(Path(cohort_dir).resolve())
    d = _shipped_dir() if cohort_dir is None else Path(folder)
    stamp = tuple(
        (d / f"{key}.{v}.csv.gz").stat().st_mtime if (d / f"{key}.{v}.csv.gz").exists() else -1.0
        for v in _FILES.values()
    )
    return _load_cached(key, folder, stamp)


def resolve_precursors(mirna: str) -> tuple[str, tuple[str, ...]]:
    """miRBase name and precursors of a miRNA (``"let-7a"`` -> let-7a-5p, 3 precursors).

    Examples
    --------
    >>> resolve_precursors("let-7a")
    ('hsa-let-7a-5p', ('hsa-let-7a-1', 'hsa-let-7a-2', 'hsa-let-7a-3'))
    """
    m = normalize_mirna(mirna)
    if not m.precursors:
        raise InputError(
            f"miRNA {mirna!r} ({m.name}) has no precursor in miRBase, so TCGA (which counts "
            "reads per precursor) does not measure it; give a mature miRNA or precursor name"
        )
    return m.name, tuple(m.precursors)


def _is_v22_precursor(name: str) -> bool:
    m = try_normalize_mirna(name)
    return m is not None and m.kind == "precursor" and m.name == name


def _renamed_as(column: str) -> tuple[str, ...]:
    """miRBase v22 precursors that a TCGA column under an older miRBase name stands for."""
    m = re.fullmatch(r"(hsa-(?:mir|let)-\d+)((?:-\d+)?)", column)
    if m is None:
        return ()
    head, locus = m.groups()
    lettered = f"{head}a{locus}"  # hsa-mir-203 -> hsa-mir-203a, hsa-mir-219-1 -> hsa-mir-219a-1
    if _is_v22_precursor(lettered):
        return (lettered,)
    loci: list[str] = []  # hsa-mir-486 -> hsa-mir-486-1, -2 (identical copies split later)
    while not locus and _is_v22_precursor(f"{column}-{len(loci) + 1}"):
        loci.append(f"{column}-{len(loci) + 1}")
    return tuple(loci)


@lru_cache(maxsize=64)
def tcga_precursor_aliases(columns: tuple[str, ...]) -> dict[str, str]:
    """miRBase v22 precursor -> the TCGA column that measures it under an older name.

    TCGA's tables (2015) name 1,046 precursors as miRBase did then; 85 of those names are
    not v22 names. Two renaming rules of miRBase are applied, and nothing else:

    * a letter was added to the family: ``hsa-mir-203`` -> ``hsa-mir-203a``,
      ``hsa-mir-103-1`` -> ``hsa-mir-103a-1``;
    * identical copies were split into loci: ``hsa-mir-486`` -> ``hsa-mir-486-1`` and
      ``hsa-mir-486-2`` (the one column measures both).

    Columns matching neither rule (antisense ``-as`` entries, precursors removed from
    miRBase) keep their own name and are only reachable by that name.

    Examples
    --------
    >>> a = tcga_precursor_aliases(("hsa-mir-203", "hsa-mir-486", "hsa-mir-21"))
    >>> a["hsa-mir-203a"], a["hsa-mir-486-2"], "hsa-mir-21" in a
    ('hsa-mir-203', 'hsa-mir-486', False)
    """
    have = set(columns)
    out: dict[str, str] = {}
    for col in columns:
        if _is_v22_precursor(col):
            continue
        for v in _renamed_as(col):
            if v not in have:
                out.setdefault(v, col)
    return out


def _columns_for(cohort: TcgaCohort, precursors: Sequence[str]) -> tuple[list[int], list[str]]:
    """Column indices measuring ``precursors`` (directly or under an older name), missing ones."""
    idx = cohort.column_index()
    alias = tcga_precursor_aliases(cohort.precursors)
    cols: list[int] = []
    missing: list[str] = []
    for p in precursors:
        c = p if p in idx else alias.get(p)
        if c is None:
            missing.append(p)
        elif idx[c] not in cols:
            cols.append(idx[c])
    return cols, missing


def mirna_level(cohort: TcgaCohort, precursors: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """RPM summed over the measured ``precursors`` and the "0 reads" flag, one per sample.

    Precursors the cohort does not measure are ignored (callers report them); if none is
    measured an :class:`InputError` is raised. A precursor measured under its older
    miRBase name (:func:`tcga_precursor_aliases`) counts once.
    """
    cols, _ = _columns_for(cohort, precursors)
    if not cols:
        raise InputError(
            f"none of the precursors {', '.join(precursors)} is measured in cohort {cohort.name}"
        )
    level = cohort.rpm[:, cols[0]].copy()
    for c in cols[1:]:
        level = level + cohort.rpm[:, c]
    return level, cohort.zero[:, cols].all(axis=1)


def _first_per_patient(samples: pd.DataFrame, code: int) -> pd.DataFrame:
    """Rows of sample type ``code``, first barcode per patient; ``row`` = matrix row."""
    s = samples[samples["sample_type"] == code].sort_values("sample_barcode", kind="stable")
    s = s.drop_duplicates("patient_barcode", keep="first")
    return s.assign(row=s.index.to_numpy())


def _pairs(cohort: TcgaCohort) -> tuple[np.ndarray, np.ndarray, list[str]]:
    t = _first_per_patient(cohort.samples, TUMOUR)
    n = _first_per_patient(cohort.samples, NORMAL)
    both = t.merge(n, on="patient_barcode", suffixes=("_t", "_n")).sort_values("patient_barcode")
    return both["row_t"].to_numpy(int), both["row_n"].to_numpy(int), list(both["patient_barcode"])


def _survival_rows(cohort: TcgaCohort) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], Exclusions]:
    t = _first_per_patient(cohort.samples, TUMOUR)
    j = t.merge(cohort.clinical[list(CLINICAL_COLUMNS)], on="patient_barcode", how="left",
                indicator=True).sort_values("patient_barcode")
    excl = Exclusions()
    keep = np.ones(len(j), dtype=bool)
    for reason, bad in (
        ("no_clinical_row", (j["_merge"] == "left_only").to_numpy()),
        ("missing_time", j["os_days"].isna().to_numpy()),
        ("missing_event", j["os_event"].isna().to_numpy()),
        ("zero_or_negative_time", (j["os_days"] <= 0).to_numpy()),
    ):
        hit = keep & bad
        if hit.any():
            excl[reason] = int(hit.sum())
        keep &= ~bad
    if excl:
        log.info("%s survival: excluded %s of %d primary tumours", cohort.name, dict(excl), len(j))
    j = j[keep]
    return (j["row"].to_numpy(int), j["os_days"].to_numpy(float), j["os_event"].to_numpy(float),
            list(j["patient_barcode"]), excl)


def paired_levels(cohort: TcgaCohort, precursors: Sequence[str]) -> pd.DataFrame:
    """Tumour and normal ``x = log2(RPM + 1)`` of the patients with both (one row each).

    Examples
    --------
    >>> p = paired_levels(load_cohort("LIHC"), ["hsa-mir-21"])
    >>> list(p.columns), len(p)
    (['patient_barcode', 'tumour', 'normal'], 49)
    """
    level, _ = mirna_level(cohort, precursors)
    x = np.log2(level + 1)
    rt, rn, pts = _pairs(cohort)
    return pd.DataFrame({"patient_barcode": pts, "tumour": x[rt], "normal": x[rn]})


def survival_levels(cohort: TcgaCohort, precursors: Sequence[str]) -> pd.DataFrame:
    """Primary tumours with usable follow-up: ``patient_barcode, x, os_days, os_event``.

    Exclusions are in ``.attrs["excluded"]``.
    """
    level, _ = mirna_level(cohort, precursors)
    rows, t, e, pts, excl = _survival_rows(cohort)
    out = pd.DataFrame({"patient_barcode": pts, "x": np.log2(level[rows] + 1), "os_days": t, "os_event": e})
    out.attrs["excluded"] = dict(excl)
    return out


# ---------------------------------------------------------------------------
# Statistics of one cohort over many miRNAs (vectorised)
# ---------------------------------------------------------------------------
def _cohort_stats(
    cohort: TcgaCohort,
    units: Mapping[str, Sequence[str]],
    *,
    max_zero_fraction: float,
    conf_level: float,
) -> pd.DataFrame:
    labels = list(units)
    m = len(labels)
    lev = np.zeros((cohort.rpm.shape[0], m))
    zero = np.ones((cohort.rpm.shape[0], m), dtype=bool)
    measured = np.zeros(m, dtype=bool)
    missing: list[str] = []
    for k, lab in enumerate(labels):
        cols, miss = _columns_for(cohort, units[lab])
        missing.append(",".join(miss))
        if not cols:
            continue
        measured[k] = True
        acc = cohort.rpm[:, cols[0]].copy()
        for c in cols[1:]:
            acc = acc + cohort.rpm[:, c]
        lev[:, k] = acc
        zero[:, k] = cohort.zero[:, cols].all(axis=1)
    x = np.log2(lev + 1)
    tum = (cohort.samples["sample_type"] == TUMOUR).to_numpy()
    n_tum = int(tum.sum())
    zf = zero[tum].mean(axis=0) if n_tum else np.full(m, np.nan)
    detected = measured & (zf < max_zero_fraction) if n_tum else np.zeros(m, dtype=bool)
    out = pd.DataFrame({"mirna": labels, "cohort": cohort.name, "n_tumours": n_tum, "zero_fraction": zf})
    out["missing_precursors"] = missing
    # --- tumour vs normal
    rt, rn, _ = _pairs(cohort)
    npair = len(rt)
    d = x[rt] - x[rn]
    out["n_paired"] = npair
    tcrit = stats.t.ppf(0.5 + conf_level / 2, npair - 1) if npair > 1 else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = d.mean(axis=0) if npair else np.full(m, np.nan)
        sd = d.std(axis=0, ddof=1) if npair > 1 else np.full(m, np.nan)
    half = np.where(sd > 0, tcrit * sd / np.sqrt(max(npair, 1)), np.nan)
    v, p = wilcoxon_paired_many(d) if npair else (np.full(m, np.nan), np.full(m, np.nan))
    st_p = np.where(
        ~measured, "precursor not measured",
        np.where(~detected, "not detected",
                 np.where(npair == 0, "not testable: no paired normals",
                          np.where(np.isnan(p), "not testable: all pairs equal", _STATUS_OK))))
    ok = st_p == _STATUS_OK
    has_fc = ok | (st_p == "not testable: all pairs equal")
    out["log2fc"] = np.where(has_fc, mean, np.nan)
    out["log2fc_lower"] = np.where(has_fc, mean - half, np.nan)
    out["log2fc_upper"] = np.where(has_fc, mean + half, np.nan)
    out["wilcoxon_v"] = np.where(ok, v, np.nan)
    out["wilcoxon_p"] = np.where(ok, p, np.nan)
    out["status_paired"] = st_p
    # --- survival
    rows, t, e, _, excl = _survival_rows(cohort)
    xs = x[rows]
    out["n_survival"] = len(rows)
    out["events"] = int(e.sum())
    out["excluded_survival"] = ";".join(f"{k}={v}" for k, v in excl.items())
    if len(rows) and e.sum() > 0:
        beta, se, cp, _conv = cox_efron_many(t, e, xs)
        med = np.median(xs, axis=0)
        high = xs > med[None, :]
        chi, lp = logrank_many(t, e, high)
        nh = high.sum(axis=0)
    else:
        beta = se = cp = chi = lp = np.full(m, np.nan)
        nh = np.zeros(m, dtype=int)
    z = stats.norm.ppf(0.5 + conf_level / 2)
    st_s = np.where(
        ~measured, "precursor not measured",
        np.where(~detected, "not detected",
                 np.where(len(rows) == 0, "not testable: no tumours with follow-up",
                          np.where(e.sum() == 0, "not testable: no events",
                                   np.where(np.ptp(xs, axis=0) == 0 if len(rows) else True,
                                            "not testable: constant level",
                                            np.where(np.isnan(beta),
                                                     "not testable: infinite hazard ratio (monotone likelihood)",
                                                     _STATUS_OK))))))
    ok = st_s == _STATUS_OK
    lr_ok = np.isin(st_s, [_STATUS_OK, "not testable: infinite hazard ratio (monotone likelihood)"]) & ~np.isnan(lp)
    with np.errstate(over="ignore", invalid="ignore"):  # a huge SE gives an infinite bound
        out["cox_hr"] = np.where(ok, np.exp(beta), np.nan)
        out["cox_lower"] = np.where(ok, np.exp(beta - z * se), np.nan)
        out["cox_upper"] = np.where(ok, np.exp(beta + z * se), np.nan)
    out["cox_p"] = np.where(ok, cp, np.nan)
    out["logrank_chi2"] = np.where(lr_ok, chi, np.nan)
    out["logrank_p"] = np.where(lr_ok, lp, np.nan)
    out["n_high"] = np.where(lr_ok, nh, 0)
    out["status_survival"] = st_s
    return out


def _bh(p: pd.Series) -> pd.Series:
    q = pd.Series(np.nan, index=p.index)
    good = p.notna()
    if good.any():
        q[good] = multipletests(p[good].to_numpy(), method="fdr_bh")[1]
    return q


# ---------------------------------------------------------------------------
# One miRNA across cohorts
# ---------------------------------------------------------------------------
@dataclass
class AtlasResult:
    """One miRNA across TCGA cohorts: one row per cohort in :attr:`table`."""

    mirna: str
    precursors: tuple[str, ...]
    table: pd.DataFrame
    cohort_dir: str | None = None
    max_zero_fraction: float = 0.5
    excluded_: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def summary(self) -> pd.DataFrame:
        """The per-cohort table indexed by cohort."""
        return self.table.set_index("cohort")

    @property
    def p_value(self) -> pd.Series:
        """Paired Wilcoxon p-values by cohort."""
        return self.summary["wilcoxon_p"]

    def print_summary(self) -> None:  # pragma: no cover - display helper
        """Print the table (notebook use)."""
        print(f"{self.mirna} ({', '.join(self.precursors)})")
        print(self.summary.to_string())

    def to_dict(self) -> dict[str, Any]:
        """``{"mirna", "precursors", "cohorts": [...]}`` (JSON-ready; NaN -> None)."""
        return jsonable({
            "mirna": self.mirna,
            "precursors": list(self.precursors),
            "definitions": {
                "level": "sum of precursor RPM; x = log2(RPM + 1)",
                "log2fc": "mean paired tumour - normal difference of x",
                "wilcoxon_p": "R wilcox.test(paired = TRUE) defaults",
                "cox": "coxph(Surv(os_days, os_event) ~ x), Efron ties, Wald p",
                "logrank_p": "survdiff, high = x > median",
                "q": "Benjamini-Hochberg of wilcoxon_p across cohorts",
                "not_detected": f"zero_fraction >= {self.max_zero_fraction}",
            },
            "cohorts": self.table.to_dict("records"),
        })


class AtlasFitter:
    """Pan-cancer atlas of one miRNA: tumour vs normal and survival in every cohort.

    Parameters
    ----------
    max_zero_fraction
        A cohort where at least this fraction of primary tumours has 0 reads is reported as
        ``not detected`` instead of being tested.
    conf_level
        Level of the log2fc and hazard-ratio confidence intervals.

    Examples
    --------
    >>> res = AtlasFitter().fit("miR-21", cohorts=["OV"]).result_
    >>> res.table.loc[0, "status_paired"]
    'not testable: no paired normals'
    """

    def __init__(self, *, max_zero_fraction: float = 0.5, conf_level: float = 0.95) -> None:
        if not 0 < max_zero_fraction <= 1:
            raise InputError(f"max_zero_fraction {max_zero_fraction!r} must be in (0, 1]")
        if not 0 < conf_level < 1:
            raise InputError(f"conf_level {conf_level!r} must be between 0 and 1, e.g. 0.95")
        self.max_zero_fraction = max_zero_fraction
        self.conf_level = conf_level

    def fit(
        self,
        mirna: str,
        *,
        cohorts: Iterable[str] | None = None,
        cohort_dir: str | Path | None = None,
    ) -> AtlasFitter:
        """Analyse ``mirna`` in ``cohorts`` (default: all available)."""
        names = _cohort_list(cohorts, cohort_dir)
        try:
            name, pre = resolve_precursors(mirna)
            loaded = [load_cohort(c, cohort_dir=cohort_dir) for c in names]
        except UnknownNameError:
            # a precursor column under a name miRBase v22 no longer has (hsa-mir-365-1)
            loaded = [load_cohort(c, cohort_dir=cohort_dir) for c in names]
            col = str(mirna).strip().lower()
            if not any(col in c.column_index() for c in loaded):
                raise
            name, pre = col, (col,)
        if not any(_columns_for(c, pre)[0] for c in loaded):
            raise InputError(
                f"{name} is not measured in TCGA: none of its precursors ({', '.join(pre)}) is a "
                f"column of the miRNA-seq tables of {', '.join(names)}; try another miRNA"
            )
        rows = []
        excl: dict[str, dict[str, int]] = {}
        for c in loaded:
            r = _cohort_stats(c, {name: pre}, max_zero_fraction=self.max_zero_fraction,
                              conf_level=self.conf_level)
            rows.append(r)
            e = r.loc[0, "excluded_survival"]
            excl[c.name] = {k: int(v) for k, v in (kv.split("=") for kv in e.split(";") if kv)}
        tab = pd.concat(rows, ignore_index=True)
        tab["q"] = _bh(tab["wilcoxon_p"])
        tab["cox_q"] = _bh(tab["cox_p"])
        tab["logrank_q"] = _bh(tab["logrank_p"])
        tab = tab[list(TABLE_COLUMNS)]
        self.result_ = AtlasResult(name, pre, tab, None if cohort_dir is None else str(cohort_dir),
                                   self.max_zero_fraction, excl)
        return self


def _cohort_list(cohorts: Iterable[str] | None, cohort_dir: str | Path | None) -> list[str]:
    avail = available_cohorts(cohort_dir)
    if not avail:
        raise InputError(
            f"no cohort found in {str(cohort_dir)!r}; it needs files named "
            "{COHORT}.mirna_rpm.csv.gz (or .mirna_counts.csv.gz) and {COHORT}.clinical.csv.gz"
        )
    if cohorts is None:
        return avail
    out = []
    for c in cohorts:
        c = str(c).strip()
        hit = [a for a in avail if a.lower() == c.lower()]
        if not hit:
            raise UnknownNameError("TCGA cohort", c, avail)
        out.append(hit[0])
    if not out:
        raise InputError(f"no cohort given; choose from {', '.join(avail)}")
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------
# Every miRNA across cohorts
# ---------------------------------------------------------------------------
def mirna_units(precursor_columns: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Mature miRNAs measurable from precursor columns, one per distinct precursor set.

    Each mature miRNA's measured precursors form its unit; matures sharing a precursor set
    (the 5p and 3p arms of one hairpin) share a unit, labelled by the one miRBase lists first
    (lowest MIMAT accession). Columns under an older miRBase name count as their v22
    precursors (:func:`tcga_precursor_aliases`); other columns unknown to miRBase v22 are
    their own unit.

    Examples
    --------
    >>> u = mirna_units(["hsa-let-7a-1", "hsa-let-7a-2", "hsa-let-7a-3", "hsa-mir-21"])
    >>> u["hsa-let-7a-5p"], u["hsa-miR-21-5p"]
    (('hsa-let-7a-1', 'hsa-let-7a-2', 'hsa-let-7a-3'), ('hsa-mir-21',))
    """
    cols = list(dict.fromkeys(precursor_columns))
    have = set(cols)
    alias = tcga_precursor_aliases(tuple(cols))
    stands_for: dict[str, list[str]] = {}
    for v, c in alias.items():
        stands_for.setdefault(c, []).append(v)
    by_set: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for col in cols:
        v22 = [col] if _is_v22_precursor(col) else stands_for.get(col, [])
        matures = [mat for v in v22 for mat in (try_normalize_mirna(v).matures or ())]  # type: ignore[union-attr]
        if not matures:
            by_set.setdefault((col,), []).append(("~", col))
            continue
        for mat in matures:
            mm = try_normalize_mirna(mat)
            if mm is None:
                continue
            pre = tuple(dict.fromkeys(
                c for p in mm.precursors if (c := p if p in have else alias.get(p)) is not None))
            if pre:
                by_set.setdefault(pre, []).append((mm.accession or "~", mm.name))
    out: dict[str, tuple[str, ...]] = {}
    for pre, names in by_set.items():
        label = sorted(set(names))[0][1]
        out.setdefault(label, pre)
    return dict(sorted(out.items()))


def atlas_all(
    *,
    cohorts: Iterable[str] | None = None,
    cohort_dir: str | Path | None = None,
    max_zero_fraction: float = 0.5,
    conf_level: float = 0.95,
    progress: bool = False,
) -> pd.DataFrame:
    """Every miRNA x every cohort, one row each, ranked per cohort (dbDEMC/OncomiR style).

    Columns are those of :class:`AtlasResult` plus ``mirna``, ``precursors``; ``q``,
    ``cox_q`` and ``logrank_q`` are BH across the miRNAs of the cohort; ``rank`` orders a
    cohort's miRNAs by ``wilcoxon_p`` and ``rank_survival`` by ``cox_p`` (1 = smallest).

    Examples
    --------
    >>> t = atlas_all(cohorts=["ESCA"])
    >>> int(t.loc[t["mirna"] == "hsa-miR-21-5p", "n_paired"].iloc[0])
    13
    """
    if not 0 < max_zero_fraction <= 1:
        raise InputError(f"max_zero_fraction {max_zero_fraction!r} must be in (0, 1]")
    names = _cohort_list(cohorts, cohort_dir)
    frames = []
    from rich.progress import Progress

    with Progress(transient=True, disable=not progress) as bar:
        task = bar.add_task("atlas", total=len(names))
        for c in names:
            coh = load_cohort(c, cohort_dir=cohort_dir)
            units = mirna_units(coh.precursors)
            r = _cohort_stats(coh, units, max_zero_fraction=max_zero_fraction, conf_level=conf_level)
            r.insert(1, "precursors", [",".join(units[u]) for u in r["mirna"]])
            r["q"] = _bh(r["wilcoxon_p"])
            r["cox_q"] = _bh(r["cox_p"])
            r["logrank_q"] = _bh(r["logrank_p"])
            r["rank"] = r["wilcoxon_p"].rank(method="min").astype("Int64")
            r["rank_survival"] = r["cox_p"].rank(method="min").astype("Int64")
            frames.append(r.sort_values(["rank", "mirna"], na_position="last"))
            bar.advance(task)
            log.info("atlas: %s done (%d miRNAs)", c, len(r))
    tab = pd.concat(frames, ignore_index=True)
    cols = ["cohort", "mirna", "precursors", "rank", "rank_survival"]
    return tab[cols + [c for c in TABLE_COLUMNS if c not in cols]]
