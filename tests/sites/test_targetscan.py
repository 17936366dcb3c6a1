"""TargetScan 7 site table: exact row-set equality with TargetScan's own output."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirscope.errors import FileFormatError
from mirscope.sites.io import MirnaFamily, UtrAlignment
from mirscope.sites.targetscan import TARGETSCAN_COLUMNS, run_targetscan, targetscan_sites

TS = Path(__file__).resolve().parents[1] / "data" / "sites" / "targetscan7"


def test_sample_output_identical_row_set(tmp_path: Path) -> None:
    out = tmp_path / "targetscan_70_output.txt"
    n = run_targetscan(
        TS / "input" / "miR_Family_info_sample.txt", TS / "input" / "UTR_Sequences_sample.txt", out
    )
    expected = (TS / "expected" / "targetscan_70_output.txt").read_text().splitlines()
    got = out.read_text().splitlines()
    assert got[0] == expected[0] == "\t".join(TARGETSCAN_COLUMNS)
    assert n == len(expected) - 1 == 213
    assert sorted(got[1:]) == sorted(expected[1:])


def test_grouping_links_only_across_species() -> None:
    fam = [MirnaFamily("f", "AAGGCAC", ("1", "2"))]
    pad = "C" * 14  # the first 14 nt of every UTR are masked
    # species 1 has two overlapping 6mer sites (UGCCUU at 1-6 and 6-11): two groups
    utrs = [
        UtrAlignment("G", "1", pad + "CUGCCUUGCCUUCC"),
        UtrAlignment("G", "2", pad + "CCCCCCCCCCCCCC"),
    ]
    rows = targetscan_sites(fam, utrs)
    assert [r["Group_num"] for r in rows] == [1, 2]
    utrs[1] = UtrAlignment("G", "2", pad + "CCCUGCCUUCCCCC")
    rows = targetscan_sites(fam, utrs)
    assert {r["Group_num"] for r in rows} == {1}
    assert {r["Species_in_this_group"] for r in rows} == {"1 2"}


def test_orf_overlap_marks_lowercase_sites() -> None:
    fam = [MirnaFamily("f", "AAGGCAC", ("1",))]
    rows = targetscan_sites(fam, [UtrAlignment("G", "1", "C" * 14 + "cgugCCUUAc")])
    assert rows[0]["ORF_overlap"] == 1
    assert rows[0]["Site_type"] == "8mer-1a"
    rows = targetscan_sites(fam, [UtrAlignment("G", "1", "C" * 14 + "CgUGCCUUAC")])
    assert rows[0]["ORF_overlap"] == 0  # TargetScan checks columns MSA_start+1..MSA_end+1


def test_absent_species_not_searched() -> None:
    fam = [MirnaFamily("f", "AAGGCAC", ("1",))]
    assert targetscan_sites(fam, [UtrAlignment("G", "2", "GUGCCUUA")]) == []


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    fam = tmp_path / "f.txt"
    fam.write_text("f\tAAGGCAC\t9606\n")
    utr = tmp_path / "u.txt"
    utr.write_text("G\t9606\tACGU?\n")
    out = tmp_path / "out.txt"
    with pytest.raises(FileFormatError, match="invalid character"):
        run_targetscan(fam, utr, out)
    assert not out.exists()


def test_bl_pct_identical_to_targetscan(tmp_path: Path) -> None:
    from mirscope.sites.conservation import run_bl_pct

    sites = tmp_path / "sites.txt"
    run_targetscan(TS / "input" / "miR_Family_info_sample.txt", TS / "input" / "UTR_Sequences_sample.txt", sites)
    out = tmp_path / "bl_pct.txt"
    n = run_bl_pct(
        TS / "input" / "miR_Family_info_sample.txt", sites, TS / "expected" / "UTRs_median_BLs_bins.txt", out
    )
    assert n == 213
    expected = (TS / "expected" / "targetscan_70_output.BL_PCT.txt").read_text().splitlines()
    got = out.read_text().splitlines()
    assert got[0] == expected[0]
    assert sorted(got[1:]) == sorted(expected[1:])
    # scores compared as numbers too (within 0.001), not only as text
    exp_rows = {tuple(line.split("\t")[:9]): line.split("\t")[11:13] for line in expected[1:]}
    for line in got[1:]:
        cols = line.split("\t")
        bl, pct = exp_rows[tuple(cols[:9])]
        assert float(cols[11]) == pytest.approx(float(bl), abs=1e-3)
        assert (cols[12] == "NA") == (pct == "NA")
        if pct != "NA":
            assert float(cols[12]) == pytest.approx(float(pct), abs=1e-3)


def test_branch_length_on_real_tree() -> None:
    from mirscope.sites.conservation import _tree, branch_length, pct

    tree = _tree("Tree.bin_01.txt")
    # mouse + rat: their two terminal branches (0.07483 + 0.0764417)
    assert branch_length(tree, ["10090", "10116"]) == pytest.approx(0.1513, abs=1e-4)
    assert branch_length(tree, ["9606"]) == 0.0
    assert branch_length(tree, ["9606", "not-a-species"]) == 0.0
    assert pct("AAGGUGC", "7mer-m8", 1.6379) == pytest.approx(0.0547, abs=1e-4)
    assert pct("GGUCUAG", "7mer-m8", 1.0) is None


@pytest.mark.parametrize(
    ("bins", "match"),
    [("CDC2L6\t0.6\t11\n", "bin \\(1-10\\)"), ("", "no UTR bins")],
)
def test_bl_pct_bad_bins(tmp_path: Path, bins: str, match: str) -> None:
    from mirscope.sites.conservation import run_bl_pct

    b = tmp_path / "bins.txt"
    b.write_text(bins)
    out = tmp_path / "o.txt"
    with pytest.raises(FileFormatError, match=match):
        run_bl_pct(TS / "input" / "miR_Family_info_sample.txt", TS / "expected" / "targetscan_70_output.txt", b, out)
    assert not out.exists()


def test_bl_pct_rejects_other_tables(tmp_path: Path) -> None:
    from mirscope.sites.conservation import run_bl_pct

    with pytest.raises(FileFormatError, match="not a TargetScan 7 site table"):
        run_bl_pct(
            TS / "input" / "miR_Family_info_sample.txt",
            TS / "input" / "miR_Family_info_sample.txt",
            TS / "expected" / "UTRs_median_BLs_bins.txt",
            tmp_path / "o.txt",
        )


def test_orf_lengths_and_8mer_counts_identical(tmp_path: Path) -> None:
    from mirscope.sites.targetscan import run_orf

    lengths, counts = tmp_path / "len.txt", tmp_path / "counts.txt"
    n_orf, n_counts = run_orf(
        TS / "input" / "miR_Family_info_sample.txt",
        TS / "input" / "ORF_Sequences_sample.txt",
        lengths_output=lengths,
        counts_output=counts,
    )
    assert (n_orf, n_counts) == (30, 11)
    assert lengths.read_text() == (TS / "expected" / "ORF_Sequences_sample.lengths.txt").read_text()
    assert sorted(counts.read_text().splitlines()) == sorted(
        (TS / "expected" / "ORF_8mer_counts_sample.txt").read_text().splitlines()
    )
