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
    # species 1 has two overlapping 6mer sites (UGCCUU at 1-6 and 6-11): two groups
    utrs = [
        UtrAlignment("G", "1", "CUGCCUUGCCUUCC"),
        UtrAlignment("G", "2", "CCCCCCCCCCCCCC"),
    ]
    rows = targetscan_sites(fam, utrs)
    assert [r["Group_num"] for r in rows] == [1, 2]
    utrs[1] = UtrAlignment("G", "2", "CCCUGCCUUCCCCC")
    rows = targetscan_sites(fam, utrs)
    assert {r["Group_num"] for r in rows} == {1}
    assert {r["Species_in_this_group"] for r in rows} == {"1 2"}


def test_orf_overlap_marks_lowercase_sites() -> None:
    fam = [MirnaFamily("f", "AAGGCAC", ("1",))]
    rows = targetscan_sites(fam, [UtrAlignment("G", "1", "ccgugCCUUA")])
    assert rows[0]["ORF_overlap"] == 1
    assert rows[0]["Site_type"] == "8mer-1a"


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
