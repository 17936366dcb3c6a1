"""TargetScan 7 context++ scores: every row and score column against TargetScan's output."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope.errors import FileFormatError, InputError
from mirscope.sites import _context_features as cf
from mirscope.sites._context_display import best_three_prime_run, draw_site
from mirscope.sites.context_scores import (
    NOT_COMPUTED_COLUMNS,
    OUTPUT_COLUMNS,
    SCORE_COLUMNS,
    compute_accessibility,
    load_context_parameters,
    read_airs,
    read_bl_pct,
    read_context_mirnas,
    read_rnaplfold_lunp,
    run_context_scores,
)
from mirscope.sites.io import read_targetscan_utrs
from mirscope.sites.targetscan import orf_lengths_and_8mers

DATA = Path(__file__).resolve().parents[1] / "data" / "sites"
TS = DATA / "targetscan7"
CTX = DATA / "context"
KEY = ["Gene ID", "Species ID", "Mirbase ID", "Site Type", "UTR start"]


def _run(out: Path, **kw: object) -> int:
    args: dict[str, object] = {
        "bl_pct_file": TS / "expected" / "targetscan_70_output.BL_PCT.txt",
        "orf_file": TS / "input" / "ORF_Sequences_sample.txt",
        "air_file": CTX / "All_cell_lines.AIRs.txt",
        "rnaplfold_dir": CTX / "RNAplfold",
    }
    args.update(kw)
    return run_context_scores(
        CTX / "miR_for_context_scores.sample.txt",
        TS / "input" / "UTR_Sequences_sample.txt",
        out,
        **args,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("ctx") / "Targets.BL_PCT.context_scores.txt"
    n = _run(out)
    assert n == 675
    got = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    exp = pd.read_csv(CTX / "Targets.BL_PCT.context_scores.txt", sep="\t", dtype=str, keep_default_na=False)
    assert list(got.columns) == list(OUTPUT_COLUMNS)
    m = exp.merge(got, on=KEY, how="outer", suffixes=("_exp", "_got"), indicator=True)
    return m


def test_same_rows(merged: pd.DataFrame) -> None:
    assert len(merged) == 675
    assert (merged["_merge"] == "both").all()


@pytest.mark.parametrize("column", SCORE_COLUMNS)
def test_score_column_within_0001(merged: pd.DataFrame, column: str) -> None:
    exp = merged[f"{column}_exp"].astype(float).to_numpy()
    got = merged[f"{column}_got"].astype(float).to_numpy()
    bad = merged.loc[np.abs(exp - got) > 0.001 + 1e-9, KEY]
    assert bad.empty, f"{len(bad)} rows differ by more than 0.001 in {column!r}:\n{bad.head()}"


@pytest.mark.parametrize(
    "column",
    [*SCORE_COLUMNS, "UTR end", "miRNA family", "Group #", "UTR region", "UTR-miRNA pairing", "mature miRNA sequence"],
)
def test_column_printed_identically(merged: pd.DataFrame, column: str) -> None:
    # beyond the 0.001 tolerance: the printed text (rounding, "-0.000", "0") is TargetScan's
    assert (merged[f"{column}_exp"] == merged[f"{column}_got"]).all()


@pytest.mark.parametrize("gene", ["CDC2L6", "FNDC3A", "LIN28B", "LPHN1", "NLRP1", "ZNF197"])
def test_context_score_per_gene(merged: pd.DataFrame, gene: str) -> None:
    sub = merged[merged["Gene ID"] == gene]
    assert len(sub) > 0
    diff = (sub["context++ score_exp"].astype(float) - sub["context++ score_got"].astype(float)).abs()
    assert diff.max() <= 0.001


def test_draw_site_with_offset_gaps() -> None:
    mir = "UAAGGCACGCGGUGAAUGCC"
    # UUCA pairs nt 13-16 with the UTR loop 4 nt longer than the miRNA's: 2 miRNA gaps
    # (score 4 - 0.5 * (4 - 2) = 3: drawn, with the gaps)
    seq = "CCC" + "UUCA" + "AAAAAAAA" + "GUGCCUUA"
    u, b, m = draw_site(seq, 16, 23, "8mer-1a", mir)
    assert u.lstrip() == seq
    assert "----" in m  # offset 4 drawn as 4 gaps in the miRNA line
    assert b.count("|") == 7 + 4


def test_output_is_targetscans_table_minus_not_computed_columns(tmp_path: Path) -> None:
    out = tmp_path / "o.txt"
    _run(out)
    exp = pd.read_csv(CTX / "Targets.BL_PCT.context_scores.txt", sep="\t", dtype=str, keep_default_na=False)
    expected_text = exp[list(OUTPUT_COLUMNS)].to_csv(sep="\t", index=False, lineterminator="\n")
    assert out.read_text() == expected_text  # same rows, same order, same printed values


def test_not_computed_columns_are_absent(merged: pd.DataFrame) -> None:
    for col in NOT_COMPUTED_COLUMNS:
        assert f"{col}_got" not in merged.columns


def test_orf_lengths_and_8mer_counts_match_targetscan() -> None:
    mirnas = read_context_mirnas(CTX / "miR_for_context_scores.sample.txt")
    from mirscope.sites.io import MirnaFamily

    seeds = sorted({m.sequence[1:8] for m in mirnas})
    lengths, counts = orf_lengths_and_8mers(
        [MirnaFamily(s, s, ("0",)) for s in seeds], read_targetscan_utrs(TS / "input" / "ORF_Sequences_sample.txt")
    )
    exp_len = {tuple(line.split("\t")) for line in (TS / "expected" / "ORF_Sequences_sample.lengths.txt").read_text().split("\n") if line}
    assert {(g, s, str(n)) for g, s, n in lengths} == exp_len
    exp_cnt = {tuple(line.split("\t")) for line in (TS / "expected" / "ORF_8mer_counts_sample.txt").read_text().split("\n") if line}
    assert {(g, s, seed, str(n)) for g, s, seed, n in counts} == exp_cnt


# ------------------------------------------------------------------ single features


def test_parameters_loaded() -> None:
    p = load_context_parameters()
    assert p.coefficient("Intercept", "6mer") == -0.079
    assert p.contribution("TA_3UTR", "6mer", 3.393) == pytest.approx(0.058 * (3.393 - 3.113) / (3.887 - 3.113))
    assert p.contribution("ORF8m", "8mer-1a", 2) == pytest.approx(-0.236)  # unscaled count
    assert len(p.ta_sps) == 16384


def test_local_au_weights() -> None:
    # all-AU flanks give 1, all-GC flanks 0, whatever the site type
    for t in cf.SITE_TYPES_TS:
        assert cf.local_au("A" * 30 + "GGGGGGGG" + "U" * 30, 31, 38, t) == 1.0
        assert cf.local_au("G" * 30 + "AAAAAAAA" + "C" * 30, 31, 38, t) == 0.0
    # one AU base right next to an 8mer upstream weighs 1 of sum(1/k) + sum(1/(k+1))
    seq = "G" * 29 + "A" + "CCCCCCCC" + "G" * 30
    up = sum(1 / k for k in range(1, 31))
    down = sum(1 / k for k in range(2, 32))
    assert cf.local_au(seq, 31, 38, "8mer-1a") == pytest.approx(1 / (up + down))


def test_three_prime_score_examples() -> None:
    mir = "UAAGGCACGCGGUGAAUGCC"
    # perfect pairing of nt 9-20 opposite the 15 nt upstream region (nt 9-23 fit)
    utr = "GGCAUUCACCGCGUGCCUUA"
    # region holds nt 9-20: 8 pairs at 0.5 (9-12, 17-20) + 4 at 1.0 (13-16)
    assert cf.three_prime_score(utr, 13, "8mer-1a", mir) == 8.0
    # the same pairing seen from a 7mer-m8 site in the same register
    assert cf.three_prime_score(utr[:-1] + "C", 13, "7mer-m8", mir) == 8.0
    # no complementarity upstream: 0
    assert cf.three_prime_score("AAAAAAAAAAAAAAAGUGCCUUA", 16, "8mer-1a", mir) == 0.0


def test_three_prime_offset_penalty() -> None:
    mir = "UAAGGCACGCGGUGAAUGCC"
    site = "GUGCCUUA"  # 8mer: pairs miRNA 2-8 plus A1
    # UUCA pairs miRNA 13-16; the A's opposite 9-12 (G C G G) cannot pair
    in_register = "UUCA" + "AAAA" + site
    shifted = "UUCA" + "AAAAAAAA" + site  # UTR loop 4 nt longer: offset 4, 2 beyond the free 2
    assert cf.three_prime_score(in_register, 9, "8mer-1a", mir) == 4.0
    assert cf.three_prime_score(shifted, 13, "8mer-1a", mir) == 3.0
    # beyond the 15-nt region the pairing is not seen
    far = "UUCA" + "A" * 16 + site
    assert cf.three_prime_score(far, 21, "8mer-1a", mir) == 0.0


def test_three_prime_6mer_skips_base_opposite_nt8() -> None:
    mir = "UAAGGCACGCGGUGAAUGCC"
    six = "UGCCUU"  # 6mer: miRNA 2-7
    # nt 9-10 (G C) pair C G just upstream, the first of them opposite nt 8's neighbour
    seq = "AAAA" + "GC" + "G" + six + "C"
    with_nt8 = cf.three_prime_score(seq, 8, "7mer-1a", mir)
    as_6mer = cf.three_prime_score(seq, 8, "6mer", mir)
    assert as_6mer <= with_nt8


def test_site8_base_positions() -> None:
    seq = "ACGUUACCUCA"  # UACCUC at 5-10 (6mer); UACCUCA at 5-11 would be a 7mer-1a
    assert cf.site8_base(seq, 5, "6mer") == "C"  # TargetScan 7.0 reads position start - 3
    assert cf.site8_base(seq, 5, "7mer-1a") == "U"  # the base just upstream, opposite nt 8
    assert cf.site8_base(seq, 5, "8mer-1a") == "U"  # no site8 feature


def test_isoform_weighting_and_air() -> None:
    regions = [(1, 264, 100.0), (265, 1223, 82.942), (1224, 4557, 58.468)]
    iso = cf.isoform_weights(regions, 4557, 4557, 300)
    assert [e for e, _ in iso] == [1223.0, 4557.0]
    assert iso[0][1] / 100 == pytest.approx(0.82942)  # the site's AIR: its region's
    length = cf.weighted_utr_length(iso)
    assert length == pytest.approx(math.log10((82.942 * 1223 + 58.468 * 4557) / (82.942 + 58.468)))
    # another species' UTR: isoform ends scaled to its length and rounded
    assert [e for e, _ in cf.isoform_weights(regions, 4013, 4557, 300)] == [1077.0, 4013.0]
    assert cf.isoform_weights(None, 500, None, 10) == [(500.0, 100.0)]


def test_air_weighted_score() -> None:
    assert cf.air_weighted_score(-0.283, 0.82942) == pytest.approx(-0.2306, abs=5e-5)
    assert cf.air_weighted_score(0.0, 0.5) == 0.0


@settings(max_examples=50, deadline=None)
@given(score=st.floats(-2.0, 0.0), air=st.floats(0.0, 1.0))
def test_weighted_score_between_zero_and_score(score: float, air: float) -> None:
    w = cf.air_weighted_score(score, air)
    assert score - 1e-12 <= w <= 1e-12


def test_sa_matches_rnaplfold_file() -> None:
    lunp = read_rnaplfold_lunp(CTX / "RNAplfold" / "NLRP1.9606_lunp.gz")
    assert lunp.shape == (635, 14)
    assert math.isnan(lunp[0, 1])
    v = cf.sa_from_unpaired(lunp, 359, "7mer-m8")
    # 14 nt ending 6 nt after the site start (0-based index start + 6)
    assert v == pytest.approx(math.log10(lunp[359 + 6, 13]))


def test_vienna_accessibility_layout() -> None:
    seq = "GGGGAAAACCCCAUAUAUAUAUAUAUAUGCGCGCAUAUGCGC"
    acc = compute_accessibility(seq, ulength=14)
    assert acc.shape == (len(seq), 14)
    assert np.all((acc[13:] >= 0) & (acc[13:] <= 1))
    assert np.isnan(acc[0, 1])


def test_offset6mer_count_mode_differs(tmp_path: Path) -> None:
    out = tmp_path / "o.txt"
    _run(out, offset6mer="count")
    got = pd.read_csv(out, sep="\t", dtype=str)
    # TargetScan's output gives every site the coefficient (a count of 1); the
    # published definition gives 0 for UTRs without offset 6mers and more for others
    off = got["Offset 6mer contribution"].astype(float)
    assert (off == 0).sum() > 50
    assert (off < -0.02).sum() > 50


def test_offset6mer_count() -> None:
    mir = "UAAGGCACGCGGUGAAUGCC"  # offset 6mer = match to nt 3-8: GUGCCU
    seq = "AAGUGCCUAAAAGUGCCUAA"
    assert cf.offset6mer_count(seq, mir, [(20.0, 100.0)]) == 2
    # an isoform ending at 12 holds one of them: weights 100 and 50
    assert cf.offset6mer_count(seq, mir, [(12.0, 100.0), (20.0, 50.0)]) == pytest.approx((100 + 2 * 50) / 150)


# ------------------------------------------------------------------ bad input


def test_bad_mirna_file(tmp_path: Path) -> None:
    p = tmp_path / "m.txt"
    p.write_text("let-7\t9606\thsa-let-7a\tUGAGGUAGXAGG\n")
    with pytest.raises(FileFormatError, match=r"mature sequence .* 15-35 nt .*invalid characters 'X'"):
        read_context_mirnas(p)
    p.write_text("let-7\t9606\thsa-let-7a\n")
    with pytest.raises(FileFormatError, match="expected 4 tab-separated columns"):
        read_context_mirnas(p)
    p.write_text("")
    with pytest.raises(FileFormatError, match="no miRNAs found"):
        read_context_mirnas(p)


def test_bad_air_file(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("G\t1\t10\t100\nG\t12\t20\t50\n")
    with pytest.raises(FileFormatError, match="should start at 11"):
        read_airs(p)
    p.write_text("G\t1\t10\t50\nG\t11\t20\t60\n")
    with pytest.raises(FileFormatError, match="not above the previous"):
        read_airs(p)


def test_bad_bl_pct_header(tmp_path: Path) -> None:
    p = tmp_path / "b.txt"
    p.write_text("a\tb\n")
    with pytest.raises(FileFormatError, match="not a TargetScan 7 BL/PCT table"):
        read_bl_pct(p)


def test_missing_rnaplfold_dir_and_file(tmp_path: Path) -> None:
    out = tmp_path / "o.txt"
    with pytest.raises(InputError, match="does not exist"):
        _run(out, rnaplfold_dir=tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no RNAplfold file CDC2L6\.\d+_lunp"):
        _run(out, rnaplfold_dir=tmp_path / "empty")
    assert not out.exists()


def test_bad_site_type_and_pct(tmp_path: Path) -> None:
    bl = tmp_path / "bl.txt"
    lines = (TS / "expected" / "targetscan_70_output.BL_PCT.txt").read_text().splitlines()
    bad = lines[1].split("\t")
    bad[8] = "9mer"
    bl.write_text("\n".join([lines[0], "\t".join(bad)]) + "\n")
    with pytest.raises(InputError, match=r"site type '9mer' .* is not one of 8mer-1a, 7mer-m8, 7mer-1a, 6mer"):
        _run(tmp_path / "o.txt", bl_pct_file=bl)
    bad = lines[1].split("\t")
    bad[12] = "high"
    bl.write_text("\n".join([lines[0], "\t".join(bad)]) + "\n")
    with pytest.raises(InputError, match=r"Pct 'high' .* is not a number or NA"):
        _run(tmp_path / "o.txt", bl_pct_file=bl)


def test_bad_option_values(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="accessibility must be 'rnaplfold' or 'vienna'"):
        _run(tmp_path / "o.txt", accessibility="plfold")
    with pytest.raises(InputError, match="offset6mer must be"):
        _run(tmp_path / "o.txt", offset6mer="some")


def test_missing_orf_keeps_output_untouched(tmp_path: Path) -> None:
    orf = tmp_path / "orf.txt"
    lines = (TS / "input" / "ORF_Sequences_sample.txt").read_text().splitlines()
    orf.write_text("\n".join(line for line in lines if not line.startswith("CDC2L6\t10090")) + "\n")
    out = tmp_path / "o.txt"
    out.write_text("previous\n")
    with pytest.raises(InputError, match=r"no ORF for CDC2L6/10090"):
        _run(out, orf_file=orf)
    assert out.read_text() == "previous\n"


def test_vienna_accessibility_path_agreement(tmp_path: Path) -> None:
    """SA computed afresh with ViennaRNA instead of the shipped RNAplfold files.

    Measured (docs/sites-context.md): 613/675 SA and 619/675 context++ scores
    within 0.001 of TargetScan's, largest difference 0.009.
    """
    out = tmp_path / "vienna.txt"
    assert _run(out, accessibility="vienna", rnaplfold_dir=None) == 675
    got = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    exp = pd.read_csv(CTX / "Targets.BL_PCT.context_scores.txt", sep="\t", dtype=str, keep_default_na=False)
    m = exp.merge(got, on=KEY, suffixes=("_exp", "_got"))
    assert len(m) == 675
    d = (m["context++ score_exp"].astype(float) - m["context++ score_got"].astype(float)).abs()
    assert (d <= 0.001 + 1e-9).sum() >= 600
    assert d.max() < 0.02
    # every feature other than SA is unchanged
    same = (m["TA contribution_exp"] == m["TA contribution_got"]) & (m["3' pairing contribution_exp"] == m["3' pairing contribution_got"])
    assert same.all()


def test_synthetic_input_sites_at_utr_ends() -> None:
    """A new input (not the sample): miR-124 8mers at both UTR ends, ViennaRNA accessibility."""
    from mirscope.sites.conservation import BL_PCT_COLUMNS
    from mirscope.sites.context_scores import ContextMirna, context_scores
    from mirscope.sites.io import UtrAlignment

    site = "GUGCCUUA"
    utr = "AC" + site + "ACGUAGCUAGCUAGGAUCGAUCGAUUAGCAUCGAUCGAUGCAUGCAUCG" + site + "AA"
    rows = []
    for start in (3, len(utr) - 9):
        rec = dict.fromkeys(BL_PCT_COLUMNS, "")
        rec.update(
            Gene_ID="G", miRNA_family_ID="miR-124", species_ID="9606", UTR_start=start, UTR_end=start + 7,
            Group_num="1", Site_type="8mer-1a", Pct="0.5",
        )
        rows.append(rec)
    sites = pd.DataFrame(rows)
    out = context_scores(
        [ContextMirna("miR-124", "9606", "hsa-miR-124-3p", "UAAGGCACGCGGUGAAUGCC")],
        [UtrAlignment("G", "9606", utr)],
        sites,
        orfs=[UtrAlignment("G", "9606", "AUG" + "GCU" * 100 + "UAA")],
    )
    assert len(out) == 2
    assert (out["score"] <= -0.03).all()
    assert (out["AIR"] == "1").all()
    # both sites lie 2 nt from their UTR end: Min_dist = log10(2)
    expected = load_context_parameters().contribution("Min_dist", "8mer-1a", math.log10(2))
    assert out["Min_dist contribution"].tolist() == [f"{expected:.3f}"] * 2


def _three_prime_reference(seq: str, start: int, site_type: str, mirna: str) -> float:
    """Slow reference: every miRNA segment i..j (>= 2 nt, i >= 9) in every register."""
    wc = {("A", "U"), ("U", "A"), ("G", "C"), ("C", "G")}
    p8 = start - 1 if site_type in ("8mer-1a", "7mer-m8") else start - 2
    top = start - 2 if site_type == "6mer" else start - 1
    lowest = max(0, start - 1 - 15)
    best = 0.0
    n = len(mirna)
    for off in range(-60, 61):
        for i in range(9, n + 1):
            for j in range(i + 1, n + 1):
                us = [p8 - (k - 8) - off for k in range(i, j + 1)]
                if all(lowest <= u < top and (mirna[k - 1], seq[u]) in wc for k, u in zip(range(i, j + 1), us, strict=True)):
                    sc = sum(1.0 if 13 <= k <= 16 else 0.5 for k in range(i, j + 1))
                    best = max(best, sc - 0.5 * max(0, abs(off) - 2))
    return best


@settings(max_examples=40, deadline=None)
@given(
    upstream=st.text(alphabet="ACGU", min_size=0, max_size=25),
    mirna_tail=st.text(alphabet="ACGU", min_size=7, max_size=15),
    site_type=st.sampled_from(["8mer-1a", "7mer-m8", "7mer-1a", "6mer"]),
)
def test_three_prime_score_matches_reference(upstream: str, mirna_tail: str, site_type: str) -> None:
    mirna = "UAAGGCAC" + mirna_tail
    site = {"8mer-1a": "GUGCCUUA", "7mer-m8": "GUGCCUUC", "7mer-1a": "UGCCUUA", "6mer": "UGCCUU"}[site_type]
    seq = upstream + site + "C"
    start = len(upstream) + 1
    ref = _three_prime_reference(seq, start, site_type, mirna)
    assert cf.three_prime_score(seq, start, site_type, mirna) == ref
    best = best_three_prime_run(seq, start, site_type, mirna)
    assert (best[0] if best else 0.0) == ref
    # the drawing always has three lines of one width, with the seed bars
    u, b, m = draw_site(seq, start, start + len(site) - 1, site_type, mirna)
    assert len(u) == len(b) == len(m)
    assert b.count("|") >= (7 if site_type in ("8mer-1a", "7mer-m8") else 6)


@pytest.mark.parametrize(
    ("start", "site_type", "row", "expected_none"),
    [
        (359, "7mer-m8", 365, False),  # inside the UTR: 14 nt ending at start + 6
        (630, "8mer-1a", 634, False),  # window would end past the 3' end: ends at the last base
        (628, "7mer-1a", 633, False),
        (7, "8mer-1a", 13, False),  # first full window
        (6, "8mer-1a", None, True),  # would start before the UTR: no SA value (TargetScan: NA -> 0)
        (1, "6mer", None, True),
    ],
)
def test_sa_window_at_utr_ends(start: int, site_type: str, row: int | None, expected_none: bool) -> None:
    lunp = read_rnaplfold_lunp(CTX / "RNAplfold" / "NLRP1.9606_lunp.gz")
    v = cf.sa_from_unpaired(lunp, start, site_type)
    if expected_none:
        assert v is None
    else:
        assert row is not None
        assert v == pytest.approx(math.log10(lunp[row, 13]))


def test_sa_zero_probability_gives_no_value() -> None:
    m = np.full((40, 14), 0.5)
    m[16, 13] = 0.0
    assert cf.sa_from_unpaired(m, 10, "8mer-1a") is None
