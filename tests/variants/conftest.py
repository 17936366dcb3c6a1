"""A constructed genome with two 3'UTRs whose miR-124 8mers span an exon junction.

chr1 (500 nt of T, with inserts):

* gene GP, + strand, 3'UTR pieces 101-110 and 201-215: transcript
  ``TTTTTTGTGC`` + ``CTTATTTTTTTTTTT``; the 8mer GTGCCTTA is at transcript 7-14 and on
  genome 107-110 + 201-204.
* gene GM, - strand, 3'UTR pieces 301-312 and 401-410: transcript (5'->3') is
  rc(401-410) + rc(301-312) = ``CCCCCCGTGC`` + ``CTTACCCCCCCC``; the 8mer is at
  transcript 7-14, on genome 401-404 + 309-312 (transcript 10 = genome 401,
  transcript 11 = genome 312, transcript 14, the A1 base, = genome 309).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mirscope.sequences import reverse_complement

DATA = Path(__file__).resolve().parents[1] / "data" / "variants"
HEADER = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"


def build_genome() -> str:
    g = ["T"] * 500

    def put(start: int, seq: str) -> None:
        g[start - 1 : start - 1 + len(seq)] = list(seq)

    put(101, "TTTTTTGTGC")
    put(201, "CTTATTTTTTTTTTT")
    put(401, reverse_complement("CCCCCCGTGC"))
    put(301, reverse_complement("CTTACCCCCCCC"))
    return "".join(g)


GTF_LINES = [
    ("exon", 90, 260, "+", "GP", "TP1"),
    ("CDS", 90, 100, "+", "GP", "TP1"),
    ("three_prime_utr", 101, 110, "+", "GP", "TP1"),
    ("three_prime_utr", 201, 215, "+", "GP", "TP1"),
    ("exon", 290, 450, "-", "GM", "TM1"),
    ("CDS", 411, 450, "-", "GM", "TM1"),
    ("three_prime_utr", 301, 312, "-", "GM", "TM1"),
    ("three_prime_utr", 401, 410, "-", "GM", "TM1"),
]


@pytest.fixture
def genome_files(tmp_path: Path) -> dict[str, Path]:
    """Genome FASTA, GTF and a UTR FASTA with coordinates for the constructed locus."""
    genome = build_genome()
    (tmp_path / "genome.fa").write_text(">chr1\n" + genome + "\n>chr2\n" + "A" * 50 + "\n")
    body = "".join(
        f'chr1\tt\t{f}\t{s}\t{e}\t.\t{st}\t.\tgene_id "{g}"; transcript_id "{t}"; gene_name "{g}";\n'
        for f, s, e, st, g, t in GTF_LINES
    )
    (tmp_path / "annot.gtf").write_text(body)
    utr_p = genome[100:110] + genome[200:215]
    utr_m = reverse_complement(genome[300:312] + genome[400:410])
    (tmp_path / "utrs.fa").write_text(
        f">TP1|GP|chr1:101-110,201-215:+\n{utr_p}\n>TM1|GM|chr1:301-312,401-410:-\n{utr_m}\n"
    )
    return {"genome": tmp_path / "genome.fa", "gtf": tmp_path / "annot.gtf", "utrs": tmp_path / "utrs.fa",
            "dir": tmp_path}


@pytest.fixture
def write_vcf(tmp_path: Path):
    def _write(lines: list[str], name: str = "in.vcf") -> Path:
        p = tmp_path / name
        p.write_text(HEADER + "".join(line + "\n" for line in lines))
        return p

    return _write
