"""Known answers on the constructed locus (see conftest): exon edges, both strands, indels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mirscope.cli import main

MIR = "miR-124-3p"


def _run(files: dict[str, Path], vcf: Path, *extra: str, mode: str = "gtf") -> list[dict]:
    out = files["dir"] / "out.json"
    src = ["--gtf", str(files["gtf"]), "--genome", str(files["genome"])] if mode == "gtf" else ["--utrs", str(files["utrs"])]
    code = main(["variants", "--vcf", str(vcf), *src, "--mirna", MIR, "--format", "json", "-o", str(out), *extra])
    assert code == 0
    return json.loads(out.read_text())


def _key(r: dict) -> tuple:
    return (r["pos"], r["alt"], r["gene"], r["effect"], r["ref_site_type"], r["alt_site_type"],
            r["ref_start"], r["ref_end"], r["alt_start"], r["alt_end"], r["genomic_start"], r["genomic_end"])


CASES = [
    # + strand: last base of exon 1 (transcript 10) breaks the junction-spanning 8mer
    ("chr1\t110\tp1\tC\tA", [(110, "A", "GP", "lost", "8mer", None, 7, 14, None, None, 107, 204)]),
    # + strand: first base of exon 2 (transcript 11)
    ("chr1\t201\tp2\tC\tG", [(201, "G", "GP", "lost", "8mer", None, 7, 14, None, None, 107, 204)]),
    # + strand: A1 base (transcript 14, genome 204) -> 7mer-m8
    ("chr1\t204\tp3\tA\tC", [(204, "C", "GP", "changed", "8mer", "7mer-m8", 7, 14, 7, 13, 107, 204)]),
    # + strand: m8 base (transcript 7, genome 107) -> 7mer-A1
    ("chr1\t107\tp4\tG\tA", [(107, "A", "GP", "changed", "8mer", "7mer-A1", 7, 14, 8, 14, 107, 204)]),
    # introns next to the exon edges: nothing
    ("chr1\t111\tp5\tT\tG", []),
    ("chr1\t200\tp6\tT\tG", []),
    # - strand: genome 401 = transcript 10 (last base of the 5' piece)
    ("chr1\t401\tm1\tG\tT", [(401, "T", "GM", "lost", "8mer", None, 7, 14, None, None, 309, 404)]),
    # - strand: genome 312 = transcript 11
    ("chr1\t312\tm2\tG\tC", [(312, "C", "GM", "lost", "8mer", None, 7, 14, None, None, 309, 404)]),
    # - strand: genome 309 = transcript 14 (A1): T>G on the genome is A>C in the transcript
    ("chr1\t309\tm3\tT\tG", [(309, "G", "GM", "changed", "8mer", "7mer-m8", 7, 14, 7, 13, 309, 404)]),
    # - strand: genome 404 = transcript 7 (m8); C>T on genome is G>A in transcript -> 7mer-A1
    ("chr1\t404\tm4\tC\tT", [(404, "T", "GM", "changed", "8mer", "7mer-A1", 7, 14, 8, 14, 309, 404)]),
    # - strand deletion of genome 401 (VCF padding base 400 is intronic, trimmed away)
    ("chr1\t400\tm5\tTG\tT", [(400, "T", "GM", "lost", "8mer", None, 7, 14, None, None, 309, 404)]),
]


@pytest.mark.parametrize("mode", ["gtf", "utrs"])
@pytest.mark.parametrize(("line", "expected"), CASES, ids=[c[0].split("\t")[2] for c in CASES])
def test_known_answer(genome_files, write_vcf, mode: str, line: str, expected: list[tuple]) -> None:
    rows = _run(genome_files, write_vcf([line + "\t.\t.\t."]), mode=mode)
    assert sorted(_key(r) for r in rows) == sorted(expected)
    for r in rows:
        assert r["mirna"] == "hsa-miR-124-3p"
        assert set(r) >= {"chrom", "pos", "ref", "alt", "gene", "transcript", "mirna", "effect",
                          "ref_site_type", "alt_site_type", "ddg"}
        assert isinstance(r["ddg"], float)
        if r["effect"] == "lost":
            assert r["ddg"] > 0  # losing an 8mer weakens the duplex


def test_multiallelic_record(genome_files, write_vcf) -> None:
    rows = _run(genome_files, write_vcf(["chr1\t110\tp\tC\tA,G,<DEL>\t.\t.\t."]))
    assert sorted((r["alt"], r["effect"]) for r in rows) == [("A", "lost"), ("G", "lost")]


def test_insertion_at_exon_edge_is_counted_skip(genome_files, write_vcf, capsys) -> None:
    rows = _run(genome_files, write_vcf(["chr1\t410\tm\tG\tGA\t.\t.\t."]))
    assert rows == []
    summary = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert summary["annotation"]["skipped_crossing_feature_boundary"] == 1


def test_gained_site_by_insertion(genome_files, write_vcf) -> None:
    # + strand exon 2 is CTTATTTTT...: inserting nothing there helps; insert a full 8mer instead
    rows = _run(genome_files, write_vcf(["chr1\t208\tins\tT\tTGTGCCTTAT\t.\t.\t."]))
    gained = [r for r in rows if r["effect"] == "gained"]
    assert [(r["alt_site_type"], r["alt_start"], r["alt_end"], r["ref_start"]) for r in gained] == [("8mer", 19, 26, None)]
    assert gained[0]["ddg"] < 0


def test_table_and_tsv_formats(genome_files, write_vcf) -> None:
    vcf = write_vcf(["chr1\t110\tp1\tC\tA\t.\t.\t."])
    for fmt in ("tsv", "table"):
        out = genome_files["dir"] / f"o.{fmt}"
        assert main(["variants", "--vcf", str(vcf), "--gtf", str(genome_files["gtf"]), "--genome",
                     str(genome_files["genome"]), "--format", fmt, "-o", str(out)]) == 0
        text = out.read_text().splitlines()
        assert len(text) == 2 and "lost" in text[1] and "GP" in text[1]


def test_workers_give_same_rows(genome_files, write_vcf) -> None:
    lines = [c[0] + "\t.\t.\t." for c in CASES if not c[0].startswith("chr1\t400")]
    lines.sort(key=lambda s: int(s.split("\t")[1]))
    vcf = write_vcf(lines)
    one = _run(genome_files, vcf, "--no-energies")
    two = _run(genome_files, vcf, "--no-energies", "--workers", "2")
    assert one == two and len(one) == 8


def test_gtf_without_utr_records(genome_files, write_vcf) -> None:
    """Exons + CDS only: the 3'UTR is the exon part 3' of the CDS (here 2 exons on +)."""
    gtf = genome_files["dir"] / "exons_only.gtf"
    lines = [
        ("exon", 90, 110, "+"), ("exon", 201, 215, "+"), ("CDS", 90, 97, "+"), ("stop_codon", 98, 100, "+"),
    ]
    gtf.write_text("".join(
        f'chr1\tt\t{f}\t{s}\t{e}\t.\t{st}\t.\tgene_id "GP"; transcript_id "TP1"; gene_name "GP";\n'
        for f, s, e, st in lines
    ))
    files = dict(genome_files, gtf=gtf)
    rows = _run(files, write_vcf(["chr1\t110\tp1\tC\tA\t.\t.\t."]))
    assert [_key(r) for r in rows] == [(110, "A", "GP", "lost", "8mer", None, 7, 14, None, None, 107, 204)]


def test_custom_mirna_fasta(genome_files, write_vcf) -> None:
    fa = genome_files["dir"] / "m.fa"
    fa.write_text(">my-miR-x MIMAT_X\nUAAGGCACGCGGUGAAUGCCAA\n")
    out = genome_files["dir"] / "o.json"
    vcf = write_vcf(["chr1\t110\tp1\tC\tA\t.\t.\t."])
    assert main(["variants", "--vcf", str(vcf), "--gtf", str(genome_files["gtf"]), "--genome",
                 str(genome_files["genome"]), "--mirnas", str(fa), "--format", "json", "-o", str(out)]) == 0
    assert [r["mirna"] for r in json.loads(out.read_text())] == ["my-miR-x"]
