"""POST /api/variants: VCF + 3'UTR uploads, size caps, per-gene table linked to the network."""

from __future__ import annotations

from typing import Any

import pytest

HEADER = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
UTRS = ">TX1|STAT3|chr1:101-116:+\nCCCCGTGCCTTACCCC\n>TX2|NOTAGENE|chr1:201-216:-\nCCCCGTGCCTTACCCC\n"
# TX2 is on the - strand: genome 201-216 is GGGGTAAGGCACGGGG and genome 205 (T) is the
# transcript's A1 base (transcript position 12): T>G on the genome makes the 8mer a 7mer-m8
VCF = HEADER + "chr1\t107\ta\tG\tC\t.\t.\t.\nchr1\t205\tb\tT\tG\t.\t.\t.\n"


def _post(client: Any, vcf: str, utrs: str = UTRS, **data: str) -> Any:
    return client.post("/api/variants", files={"vcf": ("in.vcf", vcf, "text/plain"),
                                               "utrs": ("utrs.fa", utrs, "text/plain")},
                       data={"mirna": "miR-124-3p", **data})


def test_variants_per_gene_with_network_link(client: Any) -> None:
    r = _post(client, VCF)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mirna"] == "hsa-miR-124-3p" and body["records"] == 2 and body["alleles_in_utrs"] == 2
    genes = {g["gene"]: g for g in body["genes"]}
    assert (genes["STAT3"]["n_lost"], genes["STAT3"]["in_network"]) == (1, True)
    assert genes["STAT3"]["network_url"].startswith("/api/network?mirna=hsa-miR-124-3p")
    assert (genes["NOTAGENE"]["n_changed"], genes["NOTAGENE"]["network_url"]) == (1, None)
    assert {s["effect"] for s in body["sites"]} <= {"gained", "lost", "changed"}
    assert all(isinstance(s["ddg"], float) for s in body["sites"])


def test_variants_upload_too_large(client: Any) -> None:
    big = HEADER + "chr1\t107\ta\tG\tC\t.\t.\t.\n" * 20_000  # > 200,000 bytes (test app's limit)
    r = _post(client, big)
    assert r.status_code == 413 and "too large" in r.json()["detail"]


def test_variants_too_many_records(client: Any) -> None:
    vcf = HEADER + "".join(f"chr1\t{1000 + i}\tv\tA\tC\t.\t.\t.\n" for i in range(1_001))
    r = _post(client, vcf)
    assert r.status_code == 422 and "more than 1000 records" in str(r.json()["detail"])


@pytest.mark.parametrize(
    ("vcf", "utrs", "pattern"),
    [
        (HEADER + "chr1\tx\ta\tG\tC\t.\t.\t.\n", UTRS, "POS 'x' is not a positive integer"),
        (HEADER + "chr1\t107\ta\tA\tC\t.\t.\t.\n", UTRS, "does not match"),
        (VCF, ">TX1\nACGTACGT\n", "lacks coordinates"),
    ],
)
def test_variants_bad_input(client: Any, vcf: str, utrs: str, pattern: str) -> None:
    r = _post(client, vcf, utrs)
    assert 400 <= r.status_code < 500
    assert pattern in str(r.json()["detail"])
