"""GTF + genome extraction on small constructed files (strands, multi-exon UTRs, missing contigs)."""

from __future__ import annotations

import gzip
import random
import shutil
from pathlib import Path

import pytest

from mirscope.cli import main
from mirscope.errors import FileFormatError, InputError
from mirscope.sequences import extract_features, iter_features, reverse_complement

RNG = random.Random(7)
CHR1 = "".join(RNG.choice("ACGT") for _ in range(200))
CHR2 = "".join(RNG.choice("ACGT") for _ in range(100))


def _line(chrom: str, ftype: str, start: int, end: int, strand: str, gene: str, tx: str, extra: str = "") -> str:
    attrs = f'gene_id "{gene}"; transcript_id "{tx}"; gene_name "{gene}N";{extra}'
    return f"{chrom}\tTEST\t{ftype}\t{start}\t{end}\t.\t{strand}\t.\t{attrs}\n"


GTF_LINES = [
    "#!genome-build TEST\n",
    # T1: + strand, Ensembl style (three_prime_utr), 3'UTR over two exons
    'chr1\tTEST\tgene\t10\t120\t.\t+\t.\tgene_id "G1"; gene_name "G1N";\n',
    _line("chr1", "transcript", 10, 120, "+", "G1", "T1", ' transcript_biotype "protein_coding";'),
    _line("chr1", "exon", 10, 40, "+", "G1", "T1"),
    _line("chr1", "exon", 60, 100, "+", "G1", "T1"),
    _line("chr1", "exon", 110, 120, "+", "G1", "T1"),
    _line("chr1", "five_prime_utr", 10, 19, "+", "G1", "T1"),
    _line("chr1", "CDS", 20, 40, "+", "G1", "T1"),
    _line("chr1", "CDS", 60, 80, "+", "G1", "T1"),
    _line("chr1", "stop_codon", 81, 83, "+", "G1", "T1"),
    _line("chr1", "three_prime_utr", 84, 100, "+", "G1", "T1"),
    _line("chr1", "three_prime_utr", 110, 120, "+", "G1", "T1"),
    # T2: - strand, GENCODE style (generic UTR records), 3'UTR over two exons
    _line("chr1", "exon", 150, 190, "-", "G2", "T2", ' transcript_type "protein_coding";'),
    _line("chr1", "exon", 125, 130, "-", "G2", "T2"),
    _line("chr1", "exon", 110, 118, "-", "G2", "T2"),
    _line("chr1", "UTR", 181, 190, "-", "G2", "T2"),
    _line("chr1", "CDS", 153, 180, "-", "G2", "T2"),
    _line("chr1", "stop_codon", 150, 152, "-", "G2", "T2"),
    _line("chr1", "UTR", 125, 130, "-", "G2", "T2"),
    _line("chr1", "UTR", 110, 118, "-", "G2", "T2"),
    # T3: lncRNA on chr2
    _line("chr2", "exon", 5, 20, "+", "G3", "T3", ' transcript_type "lncRNA";'),
    _line("chr2", "exon", 30, 50, "+", "G3", "T3", ' transcript_type "lncRNA";'),
]
MISSING_CONTIG_LINES = [
    _line("chrUn", "exon", 1, 50, "+", "G4", "T4", ' transcript_type "protein_coding";'),
    _line("chrUn", "CDS", 1, 30, "+", "G4", "T4"),
    _line("chrUn", "three_prime_utr", 34, 50, "+", "G4", "T4"),
]


def s1(a: int, b: int) -> str:
    return CHR1[a - 1 : b]


EXPECTED = {
    "utr3": {
        "T1|G1N|utr3": s1(84, 100) + s1(110, 120),
        "T2|G2N|utr3": reverse_complement(s1(110, 118) + s1(125, 130)),
    },
    "cds": {
        "T1|G1N|cds": s1(20, 40) + s1(60, 83),
        "T2|G2N|cds": reverse_complement(s1(150, 180)),
    },
    "transcript": {
        "T1|G1N|transcript": s1(10, 40) + s1(60, 100) + s1(110, 120),
        "T2|G2N|transcript": reverse_complement(s1(110, 118) + s1(125, 130) + s1(150, 190)),
        "T3|G3N|transcript": CHR2[4:20] + CHR2[29:50],
    },
    "lncrna": {"T3|G3N|lncrna": CHR2[4:20] + CHR2[29:50]},
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    genome = tmp_path / "genome.fa"
    genome.write_text(
        ">chr1 test\n" + "\n".join(CHR1[i : i + 60] for i in range(0, 200, 60)) + "\n"
        ">chr2\n" + CHR2 + "\n"
    )
    gtf = tmp_path / "annotation.gtf"
    gtf.write_text("".join(GTF_LINES))
    return gtf, genome


def _read_fasta(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    name = ""
    for line in path.read_text().splitlines():
        if line.startswith(">"):
            name = line[1:]
            out[name] = ""
        else:
            out[name] += line
    return out


@pytest.mark.parametrize("feature", ["utr3", "cds", "transcript", "lncrna"])
def test_extract(files: tuple[Path, Path], tmp_path: Path, feature: str) -> None:
    gtf, genome = files
    out = tmp_path / f"{feature}.fa"
    rep = extract_features(gtf, genome, out, feature=feature, progress=False)  # type: ignore[arg-type]
    assert _read_fasta(out) == EXPECTED[feature]
    assert rep.written == len(EXPECTED[feature])


def test_gzipped_inputs(files: tuple[Path, Path], tmp_path: Path) -> None:
    gtf, genome = files
    for src in (gtf, genome):
        with open(src, "rb") as a, gzip.open(f"{src}.gz", "wb") as b:
            shutil.copyfileobj(a, b)
    out = tmp_path / "utr3.fa"
    extract_features(f"{gtf}.gz", f"{genome}.gz", out, progress=True)
    assert _read_fasta(out) == EXPECTED["utr3"]


def test_missing_contig_error_writes_nothing(files: tuple[Path, Path], tmp_path: Path) -> None:
    gtf, genome = files
    gtf.write_text("".join(GTF_LINES + MISSING_CONTIG_LINES))
    out = tmp_path / "out.fa"
    with pytest.raises(InputError, match=r"Contig 'chrUn' \(transcript T4\) is not in the genome"):
        extract_features(gtf, genome, out, progress=False)
    assert not out.exists()
    assert list(tmp_path.glob(".out.fa.*")) == []


def test_missing_contig_skip_counts(files: tuple[Path, Path], tmp_path: Path) -> None:
    gtf, genome = files
    gtf.write_text("".join(GTF_LINES + MISSING_CONTIG_LINES))
    rep = extract_features(gtf, genome, tmp_path / "o.fa", on_missing_contig="skip", progress=False)
    assert rep.skipped_missing_contig == 1 and rep.missing_contigs == {"chrUn"}
    assert _read_fasta(tmp_path / "o.fa") == EXPECTED["utr3"]


BAD_LINES = [
    ("chr1\tTEST\texon\t10\n", r"line 2: expected 9 tab-separated columns, found 4"),
    ("chr1\tT\texon\tten\t20\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";\n", r"line 2: start/end 'ten'/'20' are not integers"),
    ("chr1\tT\texon\t30\t20\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";\n", r"line 2: invalid interval 30-20"),
    ("chr1\tT\texon\t10\t20\t.\t*\t.\tgene_id \"G\"; transcript_id \"T\";\n", r"line 2: strand '\*' is not \+ or -"),
    ("chr1\tT\texon\t10\t20\t.\t+\t.\tgene_id \"G\";\n", r"line 2: exon record lacks gene_id or transcript_id"),
    ("chr1\tT\texon\t10\t20\t.\t+\t.\tgene_id;\n", r"line 2: attribute 'gene_id' has no value"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_LINES)
def test_malformed_gtf_lines(files: tuple[Path, Path], tmp_path: Path, bad: str, message: str) -> None:
    gtf, genome = files
    gtf.write_text("# header\n" + bad + "".join(GTF_LINES))
    out = tmp_path / "o.fa"
    with pytest.raises(FileFormatError, match=message):
        extract_features(gtf, genome, out, progress=False)
    assert not out.exists()


def test_ungrouped_gtf_rejected(files: tuple[Path, Path], tmp_path: Path) -> None:
    gtf, genome = files
    gtf.write_text("".join(GTF_LINES) + _line("chr1", "exon", 10, 20, "+", "G1", "T9"))
    with pytest.raises(FileFormatError, match="gene G1 appears again"):
        extract_features(gtf, genome, tmp_path / "o.fa", progress=False)


def test_contig_shorter_than_annotation(files: tuple[Path, Path], tmp_path: Path) -> None:
    gtf, genome = files
    gtf.write_text(_line("chr2", "exon", 5, 500, "+", "G5", "T5", ' transcript_type "lncRNA";'))
    with pytest.raises(InputError, match="beyond the contig's length 100"):
        extract_features(gtf, genome, tmp_path / "o.fa", feature="lncrna", progress=False)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"feature": "utr5"}, r"Unknown feature 'utr5'; valid features"),
        ({"on_missing_contig": "ignore"}, r"on_missing_contig must be 'error' or 'skip'"),
    ],
)
def test_bad_options(files: tuple[Path, Path], kwargs: dict[str, str], message: str) -> None:
    gtf, genome = files
    with pytest.raises(InputError, match=message):
        list(iter_features(gtf, genome, **{"feature": "utr3", **kwargs}))  # type: ignore[arg-type]


def test_missing_files(files: tuple[Path, Path], tmp_path: Path) -> None:
    gtf, genome = files
    with pytest.raises(InputError, match=r"Genome FASTA .* does not exist"):
        extract_features(gtf, tmp_path / "nope.fa", tmp_path / "o.fa")
    with pytest.raises(InputError, match=r"GTF file .* does not exist"):
        extract_features(tmp_path / "nope.gtf", genome, tmp_path / "o.fa")


def test_cli_extract(files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gtf, genome = files
    out = tmp_path / "cli.fa"
    code = main(["sequences", "extract", "--gtf", str(gtf), "--genome", str(genome), "--feature", "cds", "-o", str(out)])
    assert code == 0
    assert _read_fasta(out) == EXPECTED["cds"]
    captured = capsys.readouterr()
    assert str(out) in captured.out and '"written": 2' in captured.err


def test_cli_extract_error_exit_code(files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gtf, genome = files
    gtf.write_text("".join(GTF_LINES + MISSING_CONTIG_LINES))
    code = main(["sequences", "extract", "--gtf", str(gtf), "--genome", str(genome), "-o", str(tmp_path / "x.fa")])
    assert code == 2
    assert "Contig 'chrUn'" in capsys.readouterr().err
