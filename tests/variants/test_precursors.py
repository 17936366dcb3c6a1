"""Variants in miRNA genes: the shipped MIR124 example against miRBase's own sequences."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from mirscope.cli import main
from mirscope.errors import FileFormatError, InputError
from mirscope.sites.scan import human_matures
from mirscope.variants import PrecursorIndex, VcfRecord, iter_vcf

EXAMPLE = Path(str(resources.files("mirscope.data") / "variants" / "mir124_loci.vcf"))
MIR124 = human_matures()["hsa-miR-124-3p"]


@pytest.fixture(scope="module")
def index() -> PrecursorIndex:
    return PrecursorIndex.load()


def _expected_seed(pos: int, alt_rna: str) -> str:
    m = MIR124[: pos - 1] + alt_rna + MIR124[pos:]
    return m[1:8]


def test_example_vcf_all_loci(index: PrecursorIndex) -> None:
    rows = [r for rec in iter_vcf(EXAMPLE) for r in index.annotate(rec)]
    assert {r["precursor"] for r in rows} == {"hsa-mir-124-1", "hsa-mir-124-2", "hsa-mir-124-3"}
    seed_rows = [r for r in rows if r["region"] == "seed"]
    assert len(seed_rows) == 3 and all(r["mature_pos"] == 3 and r["seed_changed"] for r in seed_rows)
    for r in seed_rows:
        # ALT on the genome; on the - strand locus the miRNA carries its complement
        comp = {"A": "U", "C": "G", "G": "C", "T": "A"}
        alt_rna = comp[r["alt"]] if r["precursor"] == "hsa-mir-124-1" else r["alt"].replace("T", "U")
        assert r["alt_seed"] == _expected_seed(3, alt_rna)
        assert r["ref_seed"] == MIR124[1:8]
    assert sorted(r["region"] for r in rows) == ["hairpin"] * 3 + ["mature"] * 3 + ["seed"] * 3


@pytest.mark.parametrize(
    ("rec", "region", "pos", "alt_seed"),
    [
        # mir-124-1 is on the - strand; mature 3p ends (5' end) at 9903420
        (VcfRecord("chr8", 9903419, ".", "T", ("G",), 1), "seed", 2, "CAGGCAC"),
        (VcfRecord("chr8", 9903420, ".", "A", ("G",), 1), "mature", 1, "AAGGCAC"),
        # deletion of mature position 5 (genomic 9903416) shifts the seed: AAGG|CAC -> AAGCACG
        (VcfRecord("chr8", 9903415, ".", "TC", ("T",), 1), "seed", 5, "AAGCACG"),
        # + strand mir-124-3: mature 3p starts at 63178552; insertion before position 4
        (VcfRecord("chr20", 63178554, ".", "A", ("AT",), 1), "seed", 4, "AAUGGCA"),
    ],
)
def test_positions_on_both_strands(index: PrecursorIndex, rec: VcfRecord, region: str, pos: int, alt_seed: str) -> None:
    (row,) = [r for r in index.annotate(rec) if r["mature"] == "hsa-miR-124-3p"]
    assert (row["region"], row["mature_pos"], row["alt_seed"]) == (region, pos, alt_seed)


def test_flank(index: PrecursorIndex) -> None:
    rec = VcfRecord("chr8", 9903388 - 300, ".", "A", ("G",), 1)  # 300 nt 3' of the - strand hairpin
    assert index.annotate(rec) == []
    wide = PrecursorIndex.load(flank=500)
    (row,) = wide.annotate(rec)
    assert (row["precursor"], row["region"], row["mature"]) == ("hsa-mir-124-1", "pri-miRNA flank", None)


def test_ref_mismatch_in_mature(index: PrecursorIndex) -> None:
    with pytest.raises(InputError, match=r"REF 'G' at chr8:9903418 does not match hsa-miR-124-3p \('T'"):
        index.annotate(VcfRecord("chr8", 9903418, ".", "G", ("A",), 1))


def test_bad_gff(tmp_path: Path) -> None:
    p = tmp_path / "x.gff3"
    p.write_text("chr1\t.\tgene\t1\t10\t.\t+\t.\tID=x\n")
    with pytest.raises(FileFormatError, match="not a miRBase GFF3"):
        PrecursorIndex.load(p)
    with pytest.raises(InputError, match="flank must be >= 0"):
        PrecursorIndex.load(flank=-1)


def test_cli_precursors_only(tmp_path: Path) -> None:
    out, prec = tmp_path / "s.json", tmp_path / "p.json"
    assert main(["variants", "--vcf", str(EXAMPLE), "--precursors", str(prec), "--format", "json", "-o", str(out)]) == 0
    import json

    assert json.loads(out.read_text()) == []
    rows = json.loads(prec.read_text())
    assert len(rows) == 9 and sum(r["seed_changed"] for r in rows) == 3
