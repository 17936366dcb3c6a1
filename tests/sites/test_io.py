"""Readers: alphabet policy, validation errors with record and position, atomic writes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from mirscope.errors import FileFormatError, InputError
from mirscope.sites.io import (
    atomic_write,
    clean_sequence,
    read_fasta,
    read_mirbase_mature,
    read_targetscan_families,
    read_targetscan_utrs,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "sites"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("acgt", "ACGU"), ("ACGU", "ACGU"), ("NNRYK", "NNRYK"), ("aTtU", "AUUU")],
)
def test_clean_sequence_alphabet(raw: str, expected: str) -> None:
    assert clean_sequence(raw) == expected


def test_clean_sequence_keeps_case_for_orf() -> None:
    assert clean_sequence("acgtAC-G", gaps="keep", keep_case=True) == "acguAC-G"


def test_fasta_reads_multiline_lowercase_gz(tmp_path: Path) -> None:
    p = tmp_path / "x.fa.gz"
    with gzip.open(p, "wt") as fh:
        fh.write(">a desc\nacgt\nACGT\n>b\nNNNNACGUAC\n")
    assert read_fasta(p) == {"a": "ACGUACGU", "b": "NNNNACGUAC"}


def test_fasta_crlf_and_tab_header(tmp_path: Path) -> None:
    p = tmp_path / "w.fa"
    p.write_bytes(b">a\tsome description\r\nACGTACGT\r\n")
    assert read_fasta(p) == {"a": "ACGUACGU"}


def test_fasta_real_xist() -> None:
    seqs = read_fasta(DATA / "XIST.fa")
    assert list(seqs) == ["ENST00000429829.6_XIST"]
    assert len(seqs["ENST00000429829.6_XIST"]) == 19245
    assert set(seqs["ENST00000429829.6_XIST"]) <= set("ACGU")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "no FASTA records"),
        (">a\nACGUACGUAC\n>a\nACGUACGUAC\n", "duplicate record id 'a'"),
        (">a\nACGU\n", "shorter than a seed"),
        (">a\n", "has no sequence"),
        (">a\nACGUAC\nACG1UACG\n", r"record 'a': invalid character '1' at position 10"),
        (">a\nACGU-ACGUAC\n", "alignment gap"),
        ("ACGU\n>a\nACGUACGU\n", "before the first '>'"),
        (">\nACGUACGU\n", "empty FASTA header"),
    ],
)
def test_fasta_rejections(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(FileFormatError, match=match):
        read_fasta(_write(tmp_path, "bad.fa", text))


def test_fasta_invalid_character_reports_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "bad.fa", ">a\nACGUAC\nACG*UACG\n")
    with pytest.raises(FileFormatError) as err:
        read_fasta(p)
    assert err.value.line == 3


def test_fasta_gaps_removed_on_request(tmp_path: Path) -> None:
    assert read_fasta(_write(tmp_path, "g.fa", ">a\nAC-GU.ACGU\n"), gaps="remove") == {"a": "ACGUACGU"}


def test_fasta_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="file not found"):
        read_fasta(tmp_path / "nope.fa")


def test_fasta_truncated_gzip(tmp_path: Path) -> None:
    p = tmp_path / "t.fa.gz"
    blob = gzip.compress(b">a\n" + b"ACGU" * 5000 + b"\n")
    p.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(FileFormatError, match="truncated or corrupt"):
        read_fasta(p)


def test_mirbase_mature(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "m.fa",
        ">hsa-miR-124-3p MIMAT0000422 Homo sapiens miR-124-3p\nTAAGGCACGCGGTGAATGCCAA\n"
        ">mmu-miR-1a-3p MIMAT0000123\nTGGAATGTAAAGAAGTATGTAT\n",
    )
    assert read_mirbase_mature(p, species="hsa") == {"hsa-miR-124-3p": "UAAGGCACGCGGUGAAUGCCAA"}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (">hsa-miR-x\nACGU\n", "mature miRNAs are 15-35 nt"),
        (">hsa-a\nACGUACGUACGUACGUAC\n>hsa-a\nACGUACGUACGUACGUAC\n", "duplicate miRNA"),
        ("", "no mature miRNA records"),
    ],
)
def test_mirbase_rejections(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(FileFormatError, match=match):
        read_mirbase_mature(_write(tmp_path, "m.fa", text))


def test_targetscan_sample_inputs() -> None:
    fams = read_targetscan_families(DATA / "targetscan7" / "input" / "miR_Family_info_sample.txt")
    assert len(fams) == 14
    assert fams[0].family == "let-7/98" and fams[0].seed == "GAGGUAG"
    utrs = read_targetscan_utrs(DATA / "targetscan7" / "input" / "UTR_Sequences_sample.txt")
    assert len(utrs) == 28


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("let-7\tGAGGUAG\n", "expected 3 tab-separated columns"),
        ("let-7\tGAGGUA\t9606\n", "must be exactly 7 nt"),
        ("let-7\tGAGGNAG\t9606\n", "must be exactly 7 nt"),
        ("let-7\tGAGGUAG\t9606\nlet-7\tGAGGUAG\t9606\n", "duplicate miRNA family"),
        ("let-7\tGAGGUAG\thuman\n", "numeric taxonomy ids"),
        ("", "no miRNA families"),
        ("let-7\tGAG%UAG\t9606\n", "invalid character '%'"),
    ],
)
def test_family_rejections(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(FileFormatError, match=match):
        read_targetscan_families(_write(tmp_path, "f.txt", text))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("G\t9606\n", "expected 3 tab-separated columns"),
        ("G\t9606\tACGU\nG\t9606\tACGU\n", "duplicate UTR"),
        ("G\t9606\tACGU\nG\t10090\tACG\n", "rows of one gene must be aligned"),
        ("G\t9606\tAC#U\n", r"record 'G/9606': invalid character '#' at position 3"),
        ("G\thuman\tACGU\n", "numeric taxonomy id"),
        ("", "no UTR rows"),
    ],
)
def test_utr_rejections(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(FileFormatError, match=match):
        read_targetscan_utrs(_write(tmp_path, "u.txt", text))


def test_atomic_write_leaves_nothing_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def boom() -> None:
        with atomic_write(target) as fh:
            fh.write("partial")
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        boom()
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_atomic_write_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"), atomic_write(tmp_path / "no" / "x.txt") as fh:
        fh.write("x")
