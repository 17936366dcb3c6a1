"""Bad input: each rejection with its message, counted skips, and no partial output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mirscope.cli import main
from mirscope.errors import FileFormatError, InputError
from mirscope.variants import (
    VcfStats,
    annotate_vcf,
    features_from_gtf,
    iter_vcf,
    read_feature_fasta,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "variants"
MIRNAS = {"m124": "UAAGGCACGCGGUGAAUGCCAA"}


@pytest.mark.parametrize(
    ("name", "error", "pattern"),
    [
        ("unsorted_positions.vcf", FileFormatError, r"line 4: chr1:110 comes after chr1:401 \(line 3\).*not sorted.*bcftools sort"),
        ("unsorted_contigs.vcf", FileFormatError, r"line 5: contig 'chr1' appears again.*not sorted"),
        ("malformed_columns.vcf", FileFormatError, r"line 3: expected at least 8 tab-separated columns.*found 4.*--skip-malformed"),
        ("malformed_pos.vcf", FileFormatError, r"line 3: POS 'ten' is not a positive integer"),
        ("malformed_ref.vcf", FileFormatError, r"line 3: REF 'CX' is not a sequence of A/C/G/T/N"),
        ("malformed_alt.vcf", FileFormatError, r"line 3: ALT 'A,\?Q' has an allele"),
    ],
)
def test_vcf_rejections(name: str, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        list(iter_vcf(DATA / name))


@pytest.mark.parametrize(
    ("name", "records", "skipped"),
    [("malformed_columns.vcf", 0, 1), ("malformed_pos.vcf", 0, 1), ("good_then_malformed.vcf", 1, 1)],
)
def test_malformed_lines_skipped_and_counted(name: str, records: int, skipped: int) -> None:
    stats = VcfStats()
    recs = list(iter_vcf(DATA / name, on_malformed="skip", stats=stats))
    assert (len(recs), stats.records, stats.skipped_malformed) == (records, records, skipped)
    assert stats.malformed_examples and stats.malformed_examples[0].startswith("line ")


def test_non_sequence_alleles_counted(write_vcf) -> None:
    stats = VcfStats()
    vcf = write_vcf(["chr1\t110\ta\tC\tA,<DEL>,*\t.\t.\t.", "chr1\t120\tb\tT\t.\t.\t.\t."])
    recs = list(iter_vcf(vcf, stats=stats))
    assert [(r.pos, r.alts) for r in recs] == [(110, ("A",))]
    assert (stats.records, stats.alleles, stats.skipped_non_sequence_alleles) == (2, 1, 3)


def test_missing_file_and_bad_policy(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        list(iter_vcf(tmp_path / "nope.vcf"))
    with pytest.raises(InputError, match="on_malformed must be 'error' or 'skip'"):
        list(iter_vcf(DATA / "ref_mismatch.vcf", on_malformed="ignore"))  # type: ignore[arg-type]


def test_missing_contig_error_and_skip(genome_files) -> None:
    feats = features_from_gtf(genome_files["gtf"])
    out = genome_files["dir"] / "o.tsv"
    with pytest.raises(InputError, match=r"VCF contig 'chrZ' \(line 4, chrZ:5\) is not in the genome.*chr1 vs 1.*--skip-missing-contigs"):
        annotate_vcf(DATA / "missing_contig.vcf", feats, MIRNAS, out, genome=genome_files["genome"], energies=False)
    assert not out.exists()
    run = annotate_vcf(DATA / "missing_contig.vcf", feats, MIRNAS, out, genome=genome_files["genome"],
                       energies=False, on_missing_contig="skip")
    assert run.annotation.skipped_missing_contig == 1 and run.annotation.missing_contigs == {"chrZ"}
    assert run.rows == 1  # chr1:110 still annotated


@pytest.mark.parametrize("mode", ["gtf", "utrs"])
def test_ref_mismatch_error_and_skip(genome_files, mode: str) -> None:
    if mode == "gtf":
        feats, genome = features_from_gtf(genome_files["gtf"]), genome_files["genome"]
    else:
        feats, genome = read_feature_fasta(genome_files["utrs"]), None
    out = genome_files["dir"] / "o.tsv"
    with pytest.raises(InputError, match=r"REF 'A' of chr1:110 \(VCF line 3, id a\) does not match .*\('C'\).*--skip-ref-mismatch"):
        annotate_vcf(DATA / "ref_mismatch.vcf", feats, MIRNAS, out, genome=genome, energies=False)
    assert not out.exists()
    run = annotate_vcf(DATA / "ref_mismatch.vcf", feats, MIRNAS, out, genome=genome, energies=False,
                       on_ref_mismatch="skip")
    assert run.annotation.skipped_ref_mismatch == 1 and run.rows == 0
    assert "chr1:110" in run.annotation.ref_mismatch_examples[0]


def test_error_midway_leaves_old_output_untouched(genome_files) -> None:
    out = genome_files["dir"] / "keep.tsv"
    out.write_text("previous result\n")
    code = main(["variants", "--vcf", str(DATA / "good_then_malformed.vcf"), "--gtf", str(genome_files["gtf"]),
                 "--genome", str(genome_files["genome"]), "--format", "tsv", "-o", str(out)])
    assert code == 2
    assert out.read_text() == "previous result\n"
    assert [p.name for p in genome_files["dir"].iterdir() if p.name.startswith(".keep")] == []


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["--genome", "{genome}"], "give either --gtf with --genome, or --utrs"),
        (["--gtf", "{gtf}"], "--gtf needs --genome"),
        (["--gtf", "{gtf}", "--genome", "{genome}", "--utrs", "{utrs}"], "give either --gtf"),
        (["--utrs", "{utrs}", "--mirna", "miR-124-3p", "--all-mirnas"], "not both"),
        (["--utrs", "{utrs}", "--format", "xml"], "unknown format 'xml'; valid formats: table, tsv, json"),
        (["--utrs", "{utrs}", "--mirna", "miR-99999"], "Unknown miRNA 'miR-99999'"),
        (["--utrs", "{utrs}", "--feature", "lncrna"], "--feature applies to --gtf"),
        (["--utrs", "{utrs}", "--workers", "0"], "workers must be >= 1"),
    ],
)
def test_cli_rejections(genome_files, capsys, args: list[str], pattern: str) -> None:
    filled = [a.format(**{k: str(v) for k, v in genome_files.items()}) for a in args]
    code = main(["variants", "--vcf", str(DATA / "ref_mismatch.vcf"), *filled, "-o", str(genome_files["dir"] / "x")])
    err = capsys.readouterr().err
    assert code == 2
    assert pattern in err and "Traceback" not in err
    assert not (genome_files["dir"] / "x").exists()


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (">T1\nACGTACGT\n", "lacks coordinates"),
        (">T1|G|chr1:10-12:+\nACGTACGT\n", "the pieces cover 3 nt but the sequence has 8 nt"),
        (">T1|G|chr1:x-12:+\nACGTACGT\n", "Cannot read circRNA coordinates|header"),
    ],
)
def test_bad_utr_fasta(tmp_path: Path, text: str, pattern: str) -> None:
    p = tmp_path / "u.fa"
    p.write_text(text)
    with pytest.raises(FileFormatError, match=pattern):
        read_feature_fasta(p)


def test_skip_flags_on_cli(genome_files, capsys) -> None:
    out = genome_files["dir"] / "o.json"
    code = main(["variants", "--vcf", str(DATA / "good_then_malformed.vcf"), "--gtf", str(genome_files["gtf"]),
                 "--genome", str(genome_files["genome"]), "--format", "json", "-o", str(out), "--skip-malformed"])
    assert code == 0
    summary = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert summary["vcf"]["skipped_malformed_lines"] == 1
    assert [r["effect"] for r in json.loads(out.read_text())] == ["lost"]


def test_device_output_is_not_replaced(genome_files, tmp_path: Path) -> None:
    """-o on a FIFO (like /dev/null or /dev/stdout) writes into it instead of renaming over it."""
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    feats = features_from_gtf(genome_files["gtf"])
    annotate_vcf(DATA / "ref_mismatch.vcf", feats, MIRNAS, fifo, genome=genome_files["genome"],
                 energies=False, on_ref_mismatch="skip")
    reader.join(timeout=30)
    assert fifo.is_fifo() and got and got[0].startswith("chrom\tpos")
