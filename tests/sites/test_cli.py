"""`mirscope sites ...` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mirscope.cli import main
from mirscope.sites.seeds import target_pattern
from mirscope.sites.transcriptome import read_sites_parquet

DATA = Path(__file__).resolve().parents[1] / "data" / "sites"
TS = DATA / "targetscan7"


def test_targetscan_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.txt"
    rc = main(
        [
            "sites",
            "targetscan",
            str(TS / "input" / "miR_Family_info_sample.txt"),
            str(TS / "input" / "UTR_Sequences_sample.txt"),
            str(out),
        ]
    )
    assert rc == 0
    assert sorted(out.read_text().splitlines()) == sorted(
        (TS / "expected" / "targetscan_70_output.txt").read_text().splitlines()
    )
    assert "213 sites" in capsys.readouterr().err


def test_scan_xist_tsv(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["sites", "scan", "--mirna", "miR-124-3p", "--fasta", str(DATA / "XIST.fa")])
    assert rc == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split("\t")[:4] == ["transcript", "start", "end", "site_type"]
    assert len(lines) == 16
    assert "15 hsa-miR-124-3p sites" in err


def _circ(tmp_path: Path) -> Path:
    site = target_pattern("UAAGGCACGCGGUGAAUGCCAA", "8mer")
    fa = tmp_path / "circ.fa"
    fa.write_text(">circ\n" + site[3:] + "GCGCAGCAGGACCA" * 10 + site[:3] + "\n")
    return fa


def test_scan_circular_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fa = _circ(tmp_path)
    assert main(["sites", "scan", "--mirna", "miR-124-3p", "--fasta", str(fa), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["sites"] == []
    out = tmp_path / "sites.json"
    args = ["sites", "scan", "--mirna", "miR-124-3p", "--fasta", str(fa), "--circular"]
    assert main([*args, "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert [s["site_type"] for s in doc["sites"]] == ["8mer"]
    assert doc["sites"][0]["spans_junction"] is True
    assert doc["summary"][0]["n_sites"] == 1


def test_scan_summary_output(tmp_path: Path) -> None:
    summ = tmp_path / "summary.tsv"
    rc = main(
        ["sites", "scan", "--mirna", "miR-124-3p", "--fasta", str(DATA / "XIST.fa"), "--no-energies",
         "-o", str(tmp_path / "s.tsv"), "--summary-output", str(summ)]
    )
    assert rc == 0
    assert summ.read_text().splitlines()[1].split("\t")[2] == "15"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--mirna", "miR-nonexistent-9"], "Unknown miRNA"),
        (["--mirna", "miR-124-3p", "--format", "xml"], "--format 'xml' is not supported"),
    ],
)
def test_scan_errors(args: list[str], match: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["sites", "scan", "--fasta", str(DATA / "XIST.fa"), *args])
    assert rc == 2
    assert match in capsys.readouterr().err


def test_scan_bad_fasta_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fa = tmp_path / "bad.fa"
    fa.write_text(">a\nACGUACGU\n>a\nACGUACGU\n")
    out = tmp_path / "o.tsv"
    assert main(["sites", "scan", "--mirna", "miR-124-3p", "--fasta", str(fa), "-o", str(out)]) == 2
    assert "duplicate record id 'a'" in capsys.readouterr().err
    assert not out.exists()


def test_scan_all_parquet_and_dask(tmp_path: Path) -> None:
    mirs = tmp_path / "m.fa"
    mirs.write_text(">hsa-miR-124-3p\nTAAGGCACGCGGTGAATGCCAA\n>hsa-let-7a-5p\nTGAGGTAGTAGGTTGTATAGTT\n")
    single = tmp_path / "s.parquet"
    base = ["sites", "scan-all", "--fasta", str(DATA / "XIST.fa"), "--mirnas", str(mirs)]
    assert main([*base, "-o", str(single)]) == 0
    parts = tmp_path / "parts"
    assert main([*base, "-o", str(parts), "--scheduler", "threads", "--partitions", "2"]) == 0
    a = read_sites_parquet(single).sort_values(["mirna", "start"]).reset_index(drop=True)
    b = read_sites_parquet(parts).sort_values(["mirna", "start"]).reset_index(drop=True)
    assert a.equals(b)
    assert (a["mirna"] == "hsa-miR-124-3p").sum() == 15


def test_bl_pct_command(tmp_path: Path) -> None:
    out = tmp_path / "bl.txt"
    rc = main(
        [
            "sites",
            "bl-pct",
            str(TS / "input" / "miR_Family_info_sample.txt"),
            str(TS / "expected" / "targetscan_70_output.txt"),
            str(TS / "expected" / "UTRs_median_BLs_bins.txt"),
            str(out),
        ]
    )
    assert rc == 0
    assert sorted(out.read_text().splitlines()) == sorted(
        (TS / "expected" / "targetscan_70_output.BL_PCT.txt").read_text().splitlines()
    )


def test_orf_command(tmp_path: Path) -> None:
    lengths, counts = tmp_path / "l.txt", tmp_path / "c.txt"
    rc = main(
        ["sites", "orf", str(TS / "input" / "miR_Family_info_sample.txt"),
         str(TS / "input" / "ORF_Sequences_sample.txt"), "--lengths", str(lengths), "--counts", str(counts)]
    )
    assert rc == 0
    assert lengths.read_text() == (TS / "expected" / "ORF_Sequences_sample.lengths.txt").read_text()
