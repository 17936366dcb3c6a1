"""The report's variant table (per gene, linked to the network) and the web endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirscope.errors import InputError
from mirscope.report import build_report
from mirscope.variants import annotate_small_vcf, gene_summary

HEADER = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"


@pytest.fixture
def small(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "utrs.fa").write_text(
        ">TX1|STAT3|chr1:101-116:+\nCCCCGTGCCTTACCCC\n>TX2|NOTAGENE|chr1:201-216:+\nCCCCGTGCCTTACCCC\n"
    )
    (tmp_path / "in.vcf").write_text(HEADER + "chr1\t107\ta\tG\tC\t.\t.\t.\nchr1\t212\tb\tA\tC\t.\t.\t.\n")
    return {"utrs": tmp_path / "utrs.fa", "vcf": tmp_path / "in.vcf"}


def test_gene_summary(small: dict[str, Path]) -> None:
    rows, vstats, astats = annotate_small_vcf(small["vcf"], small["utrs"], {"m": "UAAGGCACGCGGUGAAUGCCAA"})
    genes = gene_summary(rows, network_genes={"STAT3"})
    assert genes[["gene", "n_gained", "n_lost", "n_changed", "in_network"]].values.tolist() == [
        ["NOTAGENE", 0, 0, 1, False], ["STAT3", 0, 1, 0, True]]
    assert (vstats.records, astats.alleles_in_features) == (2, 2)


def test_small_vcf_limit(small: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="more than 1 records"):
        annotate_small_vcf(small["vcf"], small["utrs"], {"m": "UAAGGCACGCGGUGAAUGCCAA"}, max_records=1)


def test_report_variant_table(small: dict[str, Path]) -> None:
    html = build_report("miR-124-3p", sections=("network", "sites"), vcf=[small["vcf"]],
                        variant_utrs=small["utrs"])
    assert 'id="variants-genes-in-vcf"' in html
    assert '<a href="#network">STAT3</a>' in html  # STAT3 is a miR-124 target in the knowledge base
    assert "<td>NOTAGENE</td>" in html


def test_report_vcf_without_utrs(small: dict[str, Path]) -> None:
    html = build_report("miR-124-3p", sections=("sites",), vcf=[small["vcf"]])
    assert "a VCF was given without 3&#39;UTRs" in html or "a VCF was given without 3'UTRs" in html
