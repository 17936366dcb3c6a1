"""TargetScan 7 site stage: parity with targetscan_70.pl beyond its sample, and bad input.

* five differential alignments and 16 generated ones, with TargetScan 7.0's own output
  (``tests/data/sites/differential/SOURCE.md``);
* one case per edge rule (``edge_rules.json``, outputs printed by ``targetscan_70.pl``);
* hypothesis-generated alignments: the fast implementation against the slow rule-by-rule
  reference (:mod:`mirscope.sites._targetscan_reference`), which itself is checked against
  TargetScan's output on the cases above.
"""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirscope.cli import main
from mirscope.errors import InputError
from mirscope.sites._synthetic import SPECIES, synthetic_targetscan_input
from mirscope.sites._targetscan_reference import targetscan_sites_reference
from mirscope.sites.io import (
    DuplicateSpeciesError,
    EmptyGeneError,
    InvalidCharacterError,
    MirnaFamily,
    RaggedAlignmentError,
    SplitGeneError,
    UtrAlignment,
    read_targetscan_families,
    read_targetscan_utrs,
)
from mirscope.sites.targetscan import TARGETSCAN_COLUMNS, run_targetscan, targetscan_sites

D = Path(__file__).resolve().parents[1] / "data" / "sites" / "differential"
CASES = [(D, f"s{i}") for i in range(11, 16)] + [(D / "generated", f"g{i}") for i in range(1, 17)]
EDGE_RULES = json.loads((D / "edge_rules.json").read_text())
HEADER = "\t".join(TARGETSCAN_COLUMNS)


def _lines(rows: list[dict[str, object]]) -> list[str]:
    return ["\t".join(str(r[c]) for c in TARGETSCAN_COLUMNS) for r in rows]


def _case(folder: Path, name: str) -> tuple[Path, Path, list[str]]:
    with gzip.open(folder / f"expected_{name}.txt.gz", "rt") as fh:
        expected = fh.read().splitlines()
    return folder / f"families_{name}.txt", folder / f"utrs_{name}.txt.gz", expected


@pytest.mark.parametrize(("folder", "name"), CASES, ids=[c[1] for c in CASES])
def test_identical_to_targetscan(tmp_path: Path, folder: Path, name: str) -> None:
    fam, utr, expected = _case(folder, name)
    out = tmp_path / "out.txt"
    n = run_targetscan(fam, utr, out)
    got = out.read_text().splitlines()
    assert got[0] == expected[0] == HEADER
    assert n == len(got) - 1 == len(expected) - 1
    assert set(got[1:]) == set(expected[1:])
    assert got == expected  # TargetScan's row order too


@pytest.mark.parametrize(("folder", "name"), CASES[:5] + CASES[5::4], ids=[c[1] for c in CASES[:5] + CASES[5::4]])
def test_reference_identical_to_targetscan(folder: Path, name: str) -> None:
    fam, utr, expected = _case(folder, name)
    rows = targetscan_sites_reference(read_targetscan_families(fam), read_targetscan_utrs(utr))
    assert _lines(rows) == expected[1:]


@pytest.mark.parametrize("case", EDGE_RULES, ids=[c["rule"] for c in EDGE_RULES])
@pytest.mark.parametrize("impl", [targetscan_sites, targetscan_sites_reference], ids=["fast", "reference"])
def test_edge_rule(tmp_path: Path, case: dict, impl) -> None:  # type: ignore[no-untyped-def]
    fam = tmp_path / "f.txt"
    utr = tmp_path / "u.txt"
    fam.write_text("".join("\t".join(f) + "\n" for f in case["families"]))
    utr.write_text("".join("\t".join(u) + "\n" for u in case["utrs"]))
    rows = impl(read_targetscan_families(fam), read_targetscan_utrs(utr))
    assert _lines(rows) == case["targetscan_70_output"], case["behaviour"]


def _params() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "seed": st.integers(0, 2**32 - 1),
            "n_genes": st.integers(1, 6),
            "length": st.integers(8, 160),
            "n_families": st.integers(1, 10),
            "n_species": st.integers(1, len(SPECIES)),
            "sites_per_gene": st.integers(0, 25),
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_params())
def test_fast_equals_reference_on_generated_alignments(p: dict) -> None:
    fams, utrs = synthetic_targetscan_input(
        np.random.default_rng(p["seed"]),
        n_genes=p["n_genes"],
        length=p["length"],
        n_families=p["n_families"],
        species=SPECIES[: p["n_species"]],
        sites_per_gene=p["sites_per_gene"],
    )
    assert _lines(targetscan_sites(fams, utrs)) == _lines(targetscan_sites_reference(fams, utrs))


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["1", "2", "3"]), st.integers(0, 6), st.sampled_from(["-", "--", ""])),
        min_size=1,
        max_size=8,
    )
)
def test_fast_equals_reference_on_dense_overlaps(rows: list[tuple[str, int, str]]) -> None:
    """Many overlapping 6mer/7mer sites in few species: the exact (non-clique) grouping path."""
    by_species: dict[str, list[str]] = {"1": [], "2": [], "3": []}
    for sp, shift, gap in rows:
        by_species[sp].append("C" * shift + "GUG" + gap + "CCUUA" + "C" * (6 - shift))
    width = max(len("".join(v)) for v in by_species.values()) + 20
    utrs = [
        UtrAlignment("G", sp, ("C" * 16 + "".join(v)).ljust(width, "C")) for sp, v in by_species.items()
    ]
    fams = [MirnaFamily("f", "AAGGCAC", ("1", "2", "3"))]
    assert _lines(targetscan_sites(fams, utrs)) == _lines(targetscan_sites_reference(fams, utrs))


def test_chunking_does_not_change_output() -> None:
    from mirscope.sites.targetscan import _chunks

    fams, utrs = synthetic_targetscan_input(np.random.default_rng(7), n_genes=12, length=200)
    whole = [line for c in _chunks(fams, utrs) for line in c.lines()]
    small = [line for c in _chunks(fams, utrs, chunk_columns=500) for line in c.lines()]
    assert whole == small


def test_unlisted_species_are_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fams = [MirnaFamily("f", "AAGGCAC", ("9606",))]
    utrs = [UtrAlignment("G", "9606", "C" * 14 + "GUGCCUUA"), UtrAlignment("G", "7955", "C" * 22),
            UtrAlignment("H", "7955", "C" * 22), UtrAlignment("H", "9606", "C" * 22)]
    with caplog.at_level(logging.WARNING, logger="mirscope.sites.targetscan"):
        rows = targetscan_sites(fams, utrs)
    assert len(rows) == 1
    assert "2 UTR row(s) of 1 species are in no family's species list" in caplog.text
    assert "7955 (2 rows)" in caplog.text


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("G\t9606\tACGUACGU\nG\t10090\tACGUACG\n", RaggedAlignmentError,
         r"line 2: gene 'G': the row of species 10090 is 7 columns but the row of species 9606 \(line 1\) is 8"),
        ("G\t9606\tACGUACGU\nG\t10090\tACGU*CGU\n", InvalidCharacterError,
         r"line 2: record 'G/10090': invalid character '\*' at position 5"),
        ("G\t9606\tACGUACGU\nG\t9606\tACGUACGU\n", DuplicateSpeciesError,
         r"line 2: duplicate UTR row: gene 'G' has a second row of species 9606 \(first at line 1\)"),
        ("G\t9606\t--------\nG\t10090\tNN-NNNNN\nH\t9606\tACGU\n", EmptyGeneError,
         r"line 1: gene 'G' \(species 9606, 10090\) has no nucleotide in any row"),
        ("G\t9606\tACGU\nG\t10090\t\n", EmptyGeneError, r"line 2: gene 'G', species 10090: empty sequence"),
        ("G\t9606\tACGU\nH\t9606\tACGU\nG\t10090\tACGU\n", SplitGeneError,
         r"line 3: rows of gene 'G' are not adjacent: species 10090 here, the gene's first row at line 1"),
    ],
    ids=["ragged", "unknown-character", "duplicate-species", "empty-gene", "empty-row", "split-gene"],
)
def test_bad_alignment_named_error_nothing_written(tmp_path: Path, text: str, error: type, match: str) -> None:
    fam = tmp_path / "f.txt"
    fam.write_text("f\tAAGGCAC\t9606;10090\n")
    utr = tmp_path / "u.txt"
    utr.write_text(text)
    out = tmp_path / "out.txt"
    with pytest.raises(error, match=match) as info:
        run_targetscan(fam, utr, out)
    assert info.value.line is not None
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt", "u.txt"]


@pytest.mark.parametrize(
    ("utrs", "match"),
    [
        ([UtrAlignment("G", "1", "ACGU"), UtrAlignment("G", "1", "ACGU")], "gene 'G' has two rows of species 1"),
        ([UtrAlignment("G", "1", "ACGU"), UtrAlignment("G", "2", "ACG")], "the row of species 2 is 3 columns"),
    ],
)
def test_api_rejects_inconsistent_alignments(utrs: list[UtrAlignment], match: str) -> None:
    with pytest.raises(InputError, match=match):
        targetscan_sites([MirnaFamily("f", "AAGGCAC", ("1", "2"))], utrs)


def test_api_rejects_no_families() -> None:
    with pytest.raises(InputError, match="no miRNA families given"):
        targetscan_sites([], [UtrAlignment("G", "1", "ACGU")])


def test_cli_bad_alignment_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fam = tmp_path / "f.txt"
    fam.write_text("f\tAAGGCAC\t9606\n")
    utr = tmp_path / "u.txt"
    utr.write_text("G\t9606\tACGUACGU\nG\t10090\tACG\n")
    out = tmp_path / "out.txt"
    code = main(["sites", "targetscan", str(fam), str(utr), str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Error:" in err and "gene 'G'" in err and "species 10090" in err and "line 2" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_cli_reports_unlisted_species(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The CLI logs warnings to stderr; pytest's log capture stands in for it here."""
    fam = tmp_path / "f.txt"
    fam.write_text("f\tAAGGCAC\t9606\n")
    utr = tmp_path / "u.txt"
    utr.write_text("G\t9606\t" + "C" * 14 + "GUGCCUUA\nG\t7955\t" + "C" * 22 + "\n")
    out = tmp_path / "out.txt"
    with caplog.at_level(logging.WARNING, logger="mirscope.sites.targetscan"):
        assert main(["sites", "targetscan", str(fam), str(utr), str(out)]) == 0
    assert "1 UTR row(s) of 1 species" in caplog.text and "7955 (1 rows)" in caplog.text
    assert len(out.read_text().splitlines()) == 2


BL_PCT_CASES = [(D, f"s{i}") for i in range(11, 16)] + [(D / "generated", f"g{i}") for i in range(101, 105)]


@pytest.mark.parametrize(("folder", "name"), BL_PCT_CASES, ids=[c[1] for c in BL_PCT_CASES])
def test_bl_pct_identical_to_targetscan(tmp_path: Path, folder: Path, name: str) -> None:
    """Site table by mirscope, then BL/P_CT by mirscope == TargetScan's BL/PCT script output."""
    from mirscope.sites.conservation import run_bl_pct

    fam, utr, _expected = _case(folder, name)
    sites = tmp_path / "sites.txt"
    run_targetscan(fam, utr, sites)
    out = tmp_path / "bl_pct.txt"
    n = run_bl_pct(fam, sites, folder / f"bins_{name}.txt", out)
    with gzip.open(folder / f"bl_pct_{name}.txt.gz", "rt") as fh:
        expected = fh.read().splitlines()
    got = out.read_text().splitlines()
    assert got[0] == expected[0]
    assert n == len(expected) - 1
    assert got == expected


def test_no_sites_writes_header_only(tmp_path: Path) -> None:
    fam = tmp_path / "f.txt"
    fam.write_text("f\tAAGGCAC\t9606\n")
    utr = tmp_path / "u.txt"
    utr.write_text("G\t9606\t" + "C" * 30 + "\n")
    out = tmp_path / "out.txt"
    assert run_targetscan(fam, utr, out) == 0
    assert out.read_text() == HEADER + "\n"


@pytest.mark.parametrize("arrow_min_rows", [0, 10**9], ids=["arrow-writer", "python-writer"])
def test_both_writers_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arrow_min_rows: int) -> None:
    import mirscope.sites.targetscan as ts

    monkeypatch.setattr(ts, "_ARROW_MIN_ROWS", arrow_min_rows)
    fam, utr, expected = _case(D, "s13")
    out = tmp_path / "out.txt"
    run_targetscan(fam, utr, out)
    assert out.read_text().splitlines() == expected
