"""Pan-cancer atlas: numbers against R, vectorised tests against slow references, bad input."""

from __future__ import annotations

import gzip
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope.clinical._atlas_stats import (
    cox_efron_many,
    cox_efron_reference,
    logrank_many,
    logrank_reference,
    wilcoxon_paired_many,
    wilcoxon_paired_reference,
)
from mirscope.clinical.atlas import (
    SHIPPED_COHORTS,
    AtlasFitter,
    atlas_all,
    available_cohorts,
    load_cohort,
    mirna_units,
    paired_levels,
    resolve_precursors,
    survival_levels,
    tcga_precursor_aliases,
)
from mirscope.clinical.survival import CoxFitter, logrank_test
from mirscope.errors import FileFormatError, InputError, UnknownNameError

DATA = Path(__file__).resolve().parents[1] / "data" / "atlas"
LAYOUT = DATA / "cohorts"
SYNTHETIC = DATA / "synthetic"
REF = json.loads((DATA / "ref_atlas.json").read_text())
CASES = json.loads((DATA / "cases.json").read_text())["mirnas"]
CASES_COLUMNS = json.loads((DATA / "cases.json").read_text())["tcga_columns"]
GROUPS = sorted({(r["source"], r["cohort"]) for r in REF["rows"]})
INFINITE_IN_R = 1e6  # R returns a huge HR with a warning for a monotone likelihood


@pytest.fixture(scope="module")
def fitted() -> dict[tuple[str, str, str], pd.Series]:
    out = {}
    for m in CASES:
        for src, d in (("shipped", None), ("layout", LAYOUT), ("synthetic", SYNTHETIC)):
            try:
                t = AtlasFitter(max_zero_fraction=1.0).fit(m, cohort_dir=d).result_.table
            except InputError as err:  # the synthetic cohorts measure 4 of the miRNAs
                assert src == "synthetic" and "not measured in TCGA" in str(err)
                continue
            for _, r in t.iterrows():
                out[(src, r["cohort"], m)] = r
    return out


def _close(key: str, ours: float, r: float) -> bool:
    if key.endswith("_p"):
        return abs(ours - r) <= 1e-4 * max(abs(r), 1e-300) or abs(ours - r) < 1e-12
    return abs(ours - r) <= 1e-6


@pytest.mark.parametrize(("source", "cohort"), GROUPS)
def test_atlas_equals_r(fitted: dict, source: str, cohort: str) -> None:
    """log2fc, CI and HR to 1e-6; Wilcoxon, Cox and log-rank p to 1e-4 (relative)."""
    rows = [r for r in REF["rows"] if (r["source"], r["cohort"]) == (source, cohort)]
    assert len(rows) == (len(CASES) if source != "synthetic" else 4)
    for r in rows:
        ours = fitted[(source, cohort, r["mirna"])]
        assert int(ours["n_paired"]) == r["n_paired"]
        assert int(ours["n_survival"]) == r["n_survival"]
        assert int(ours["events"]) == r["events"]
        assert int(ours["n_tumours"]) == r["n_tumours"]
        for key in ("log2fc", "log2fc_lower", "log2fc_upper", "wilcoxon_p", "cox_hr", "cox_p",
                    "logrank_chi2", "logrank_p", "zero_fraction"):
            rv = r.get(key)
            ov = ours[key]
            if key.startswith("cox") and r.get("cox_hr") is not None and (
                    r["cox_hr"] > INFINITE_IN_R or r["cox_hr"] < 1 / INFINITE_IN_R):
                assert math.isnan(ov)
                assert ours["status_survival"].startswith("not testable: infinite")
                continue
            if rv is None:
                assert math.isnan(ov), (key, r["mirna"], ov)
            else:
                assert _close(key, float(ov), float(rv)), (key, r["mirna"], ov, rv)


def test_reference_covers_exact_and_approximate_wilcoxon() -> None:
    """The R comparison includes small exact cases and tied/zero-heavy normal approximations."""
    n = [r["n_paired"] for r in REF["rows"] if r.get("wilcoxon_p") is not None]
    assert min(n) < 10 and max(n) >= 50
    assert REF["meta"]["survival"].startswith("3.5")


def test_precursors_match_cases() -> None:
    for m, pre in CASES.items():
        assert resolve_precursors(m) == (m, tuple(pre))


@pytest.mark.parametrize("cohort", SHIPPED_COHORTS)
def test_mir21_lists_every_shipped_cohort(cohort: str) -> None:
    res = AtlasFitter().fit("miR-21").result_
    assert list(res.table["cohort"]) == list(SHIPPED_COHORTS)
    row = res.summary.loc[cohort]
    assert row["status_survival"] == "tested"


def test_json_shape_and_q() -> None:
    res = AtlasFitter().fit("let-7a", cohorts=["LIHC", "BRCA", "OV", "STAD"]).result_
    d = res.to_dict()
    assert d["mirna"] == "hsa-let-7a-5p"
    assert d["precursors"] == ["hsa-let-7a-1", "hsa-let-7a-2", "hsa-let-7a-3"]
    keys = {"cohort", "n_paired", "log2fc", "wilcoxon_p", "n_survival", "events", "cox_hr",
            "cox_p", "logrank_p", "q"}
    assert all(keys <= set(c) for c in d["cohorts"])
    json.dumps(d, allow_nan=False)
    p = res.table["wilcoxon_p"].dropna().to_numpy()
    # BH by hand: q_i = min_{j >= i} p_(j) * m / j
    order = np.argsort(p)
    q = np.minimum.accumulate((p[order] * len(p) / np.arange(1, len(p) + 1))[::-1])[::-1]
    np.testing.assert_allclose(np.sort(res.table["q"].dropna()), np.sort(np.minimum(q, 1)))
    ov = res.summary.loc["OV"]
    assert ov["status_paired"] == "not testable: no paired normals" and math.isnan(ov["q"])


def test_not_detected_reported_not_tested() -> None:
    res = AtlasFitter().fit("miR-124", cohorts=["LIHC", "THCA"]).result_
    t = res.summary
    assert (t["zero_fraction"] >= 0.5).all()
    assert (t["status_paired"] == "not detected").all() and t["wilcoxon_p"].isna().all()
    forced = AtlasFitter(max_zero_fraction=1.0).fit("miR-124", cohorts=["LIHC"]).result_.summary
    assert forced.loc["LIHC", "status_paired"] == "tested"


def test_mirna_without_tcga_precursor_is_rejected() -> None:
    with pytest.raises(InputError, match=r"hsa-miR-4454 is not measured in TCGA.*hsa-mir-4454"):
        AtlasFitter().fit("miR-4454", cohorts=["LIHC"])


def test_unknown_names() -> None:
    with pytest.raises(UnknownNameError, match="Unknown TCGA cohort 'GBMX'"):
        AtlasFitter().fit("miR-21", cohorts=["GBMX"])
    with pytest.raises(UnknownNameError, match="Unknown miRNA 'miR-99999'"):
        AtlasFitter().fit("miR-99999")
    with pytest.raises(InputError, match="max_zero_fraction 0 must be in"):
        AtlasFitter(max_zero_fraction=0)


def test_levels_helpers() -> None:
    c = load_cohort("LIHC")
    p = paired_levels(c, ["hsa-mir-21"])
    s = survival_levels(c, ["hsa-mir-21"])
    assert len(p) == 49 and len(s) == 338
    assert s.attrs["excluded"] == {"missing_time": 1, "zero_or_negative_time": 33}
    assert (s["os_days"] > 0).all()


def test_shipped_rpm_equals_published_rpm_layout() -> None:
    """Derived RPM of the compact shipped cohort = the published RPM file to its 6 decimals."""
    ship = load_cohort("ESCA")
    lay = load_cohort("ESCA", cohort_dir=LAYOUT)
    cols = [ship.column_index()[p] for p in lay.precursors]
    np.testing.assert_allclose(ship.rpm[:, cols], lay.rpm, atol=5.01e-7, rtol=0)


# --------------------------------------------------------------------------- all miRNAs
def test_tcga_precursor_aliases() -> None:
    cols = load_cohort("LIHC").precursors
    a = tcga_precursor_aliases(cols)
    assert a["hsa-mir-451a"] == "hsa-mir-451" and a["hsa-mir-203a"] == "hsa-mir-203"
    assert a["hsa-mir-103a-1"] == "hsa-mir-103-1" and a["hsa-mir-219a-2"] == "hsa-mir-219-2"
    assert a["hsa-mir-486-1"] == a["hsa-mir-486-2"] == "hsa-mir-486"
    assert "hsa-mir-103-1-as" not in a.values() and "hsa-mir-21" not in a
    for v22, col in CASES_COLUMNS.items():
        assert list(dict.fromkeys(a.get(p, p) for p in CASES[v22])) == col


def test_renamed_precursor_is_measured_once() -> None:
    res = AtlasFitter().fit("miR-486-5p", cohorts=["LIHC"]).result_
    assert res.precursors == ("hsa-mir-486-1", "hsa-mir-486-2")
    lihc = load_cohort("LIHC")
    # both v22 loci read the one TCGA column, which is counted once, not twice
    pd.testing.assert_frame_equal(paired_levels(lihc, res.precursors), paired_levels(lihc, ["hsa-mir-486"]))
    assert res.table.loc[0, "missing_precursors"] == ""


def test_old_tcga_precursor_name_is_reachable() -> None:
    """A column miRBase v22 no longer names (no renaming rule applies) is its own miRNA."""
    res = AtlasFitter().fit("hsa-mir-365-1", cohorts=["LIHC"]).result_
    assert (res.mirna, res.precursors) == ("hsa-mir-365-1", ("hsa-mir-365-1",))
    assert res.table.loc[0, "n_paired"] == 49


def test_mirna_units() -> None:
    u = mirna_units(["hsa-let-7a-1", "hsa-let-7a-2", "hsa-let-7a-3", "hsa-mir-21", "hsa-mir-zzz"])
    assert u["hsa-let-7a-5p"] == ("hsa-let-7a-1", "hsa-let-7a-2", "hsa-let-7a-3")
    assert u["hsa-let-7a-3p"] == ("hsa-let-7a-1", "hsa-let-7a-3")
    assert u["hsa-mir-zzz"] == ("hsa-mir-zzz",)
    assert "hsa-miR-21-3p" not in u  # same precursor set as miR-21-5p


def test_atlas_all_agrees_with_single_mirna() -> None:
    tab = atlas_all(cohorts=["ESCA", "PAAD"])
    for m in ("hsa-miR-21-5p", "hsa-let-7a-5p", "hsa-miR-1-3p"):
        single = AtlasFitter().fit(m, cohorts=["ESCA", "PAAD"]).result_.summary
        for c in ("ESCA", "PAAD"):
            row = tab[(tab["mirna"] == m) & (tab["cohort"] == c)].iloc[0]
            for k in ("log2fc", "wilcoxon_p", "cox_hr", "cox_p", "logrank_p"):
                assert row[k] == pytest.approx(single.loc[c, k], rel=1e-9, nan_ok=True)
    esca = tab[tab["cohort"] == "ESCA"]
    assert esca["rank"].iloc[0] == 1  # ranked within the cohort, smallest p first
    ranked = esca.dropna(subset=["wilcoxon_p"])
    assert ranked["wilcoxon_p"].is_monotonic_increasing
    assert esca["mirna"].is_unique


# --------------------------------------------------------------------------- fast vs slow
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 70), st.integers(0, 2**31 - 1), st.sampled_from([None, 1, 0.5]))
def test_wilcoxon_many_equals_reference(n: int, seed: int, rnd: float | None) -> None:
    rng = np.random.default_rng(seed)
    d = rng.normal(size=(n, 4))
    if rnd is not None:
        d = np.round(d / rnd) * rnd  # ties and zeros
    d[:, 3] = 0.0 if n < 3 else d[:, 3]
    v, p = wilcoxon_paired_many(d)
    for j in range(d.shape[1]):
        rv, rp = wilcoxon_paired_reference(d[:, j])
        if math.isnan(rp):
            assert math.isnan(p[j])
        else:
            assert v[j] == pytest.approx(rv) and p[j] == pytest.approx(rp, rel=1e-10)


@settings(max_examples=25, deadline=None)
@given(st.integers(8, 60), st.integers(0, 2**31 - 1))
def test_survival_many_equal_references(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    t = rng.integers(1, 25, n).astype(float)  # tied times
    e = (rng.random(n) < 0.6).astype(float)
    e[0] = 1.0
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 3, n).astype(float), rng.exponential(size=n)])
    beta, _se, p, _ = cox_efron_many(t, e, x)
    high = x > np.median(x, axis=0)
    chi, _lp = logrank_many(t, e, high)
    for j in range(3):
        rb, _rse, rp = cox_efron_reference(t, e, x[:, j])
        if math.isnan(rb) or abs(rb) > 8:  # (near-)monotone likelihood: both sides unstable
            assert math.isnan(beta[j]) or abs(beta[j]) > 4
            continue
        assert beta[j] == pytest.approx(rb, abs=1e-8) and p[j] == pytest.approx(rp, rel=1e-6)
        rc, _rlp = logrank_reference(t, e, high[:, j])
        assert chi[j] == pytest.approx(rc, rel=1e-9, nan_ok=True)


@pytest.mark.parametrize("cohort", ["LIHC", "PAAD"])
def test_survival_against_r_validated_fitters(cohort: str) -> None:
    """The vectorised Cox/log-rank equal mirscope's own R-validated CoxFitter / logrank_test."""
    s = survival_levels(load_cohort(cohort), ["hsa-mir-21"])
    beta, _se, _p, _ = cox_efron_many(s["os_days"].to_numpy(), s["os_event"].to_numpy(), s[["x"]].to_numpy())
    ref = CoxFitter().fit(s, duration_col="os_days", event_col="os_event", covariates=["x"]).result_
    assert np.exp(beta[0]) == pytest.approx(ref.summary.loc["x", "hazard_ratio"], rel=1e-6)
    high = (s["x"] > s["x"].median()).to_numpy()
    chi, _ = logrank_many(s["os_days"].to_numpy(), s["os_event"].to_numpy(), high[:, None])
    lr = logrank_test(s["os_days"], s["os_event"], high.astype(int))
    assert chi[0] == pytest.approx(lr.test_statistic, rel=1e-9)


# --------------------------------------------------------------------------- bad input
def _copy_layout(tmp_path: Path, cohort: str = "ESCA") -> Path:
    d = tmp_path / "cohorts"
    d.mkdir()
    for f in LAYOUT.glob(f"{cohort}.*"):
        shutil.copy(f, d / f.name)
    return d


def _rewrite(path: Path, fn) -> None:  # type: ignore[no-untyped-def]
    df = pd.read_csv(path, dtype=str)
    df = fn(df)
    df.to_csv(path, index=False, compression="gzip")


def test_cohort_dir_no_normals_no_events(tmp_path: Path) -> None:
    d = _copy_layout(tmp_path)
    for k in ("mirna_rpm", "mirna_counts"):
        _rewrite(d / f"ESCA.{k}.csv.gz", lambda df: df[df["sample_type"] != "11"])
    _rewrite(d / "ESCA.clinical.csv.gz", lambda df: df.assign(os_event="0"))
    t = AtlasFitter().fit("miR-21", cohort_dir=d).result_.summary
    assert t.loc["ESCA", "status_paired"] == "not testable: no paired normals"
    assert t.loc["ESCA", "status_survival"] == "not testable: no events"
    assert t.loc["ESCA", "events"] == 0 and math.isnan(t.loc["ESCA", "cox_hr"])


@pytest.mark.parametrize(
    ("case", "pattern"),
    [
        ("corrupt_gzip", r"ESCA.mirna_rpm.csv.gz: cannot be read as a gzipped CSV"),
        ("missing_meta", r"missing column\(s\) 'sample_type'; the TCGA layout needs"),
        ("missing_clinical", r"ESCA.clinical.csv.gz: missing column\(s\) 'os_days'"),
        ("non_numeric", r"non-numeric values in precursor column\(s\) hsa-mir-21"),
        ("bad_event", r"os_event must be 0 or 1"),
        ("mismatch", r"samples or precursor columns differ from the RPM table"),
        ("empty", r"the file is empty"),
    ],
)
def test_cohort_dir_bad_files(tmp_path: Path, case: str, pattern: str) -> None:
    d = _copy_layout(tmp_path)
    rpm, cnt, clin = (d / f"ESCA.{k}.csv.gz" for k in ("mirna_rpm", "mirna_counts", "clinical"))
    if case == "corrupt_gzip":
        rpm.write_bytes(gzip.compress(b"sample_barcode,x\n1,2\n")[:30])
    elif case == "missing_meta":
        _rewrite(rpm, lambda df: df.drop(columns=["sample_type"]))
    elif case == "missing_clinical":
        _rewrite(clin, lambda df: df.drop(columns=["os_days"]))
    elif case == "non_numeric":
        _rewrite(rpm, lambda df: df.assign(**{"hsa-mir-21": "high"}))
    elif case == "bad_event":
        _rewrite(clin, lambda df: df.assign(os_event="2"))
    elif case == "mismatch":
        _rewrite(cnt, lambda df: df.iloc[1:])
    elif case == "empty":
        rpm.write_bytes(gzip.compress(b""))
    with pytest.raises(FileFormatError, match=pattern):
        AtlasFitter().fit("miR-21", cohort_dir=d)


def test_cohort_dir_tables_in_another_order(tmp_path: Path) -> None:
    """Counts rows and columns in another order than the RPM table are aligned by name."""
    d = _copy_layout(tmp_path)
    _rewrite(d / "ESCA.mirna_counts.csv.gz", lambda df: df.iloc[::-1][list(df.columns[:3]) + list(df.columns[3:][::-1])])
    a = AtlasFitter(max_zero_fraction=0.3).fit("miR-124", cohort_dir=d).result_.summary
    b = AtlasFitter(max_zero_fraction=0.3).fit("miR-124", cohort_dir=LAYOUT).result_.summary
    assert a.loc["ESCA", "zero_fraction"] == b.loc["ESCA", "zero_fraction"] > 0
    assert a.loc["ESCA", "status_paired"] == b.loc["ESCA", "status_paired"]


def test_cohort_dir_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        available_cohorts(tmp_path / "nope")
    with pytest.raises(InputError, match=r"no cohort found in"):
        AtlasFitter().fit("miR-21", cohort_dir=tmp_path)
    assert available_cohorts(LAYOUT) == ["ESCA", "KIRP"]
