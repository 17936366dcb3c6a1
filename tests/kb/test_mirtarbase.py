"""miRTarBase reader and importer."""

from __future__ import annotations

import csv
import gzip
import io
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from mirscope.errors import FileFormatError
from mirscope.kb import import_mirtarbase, load_mirtarbase, open_store

DATA = Path(__file__).resolve().parents[1] / "data" / "kb"
NBH = "\u2011"


def _raw_shipped_rows() -> list[dict[str, str]]:
    raw = (
        resources.files("mirscope")
        .joinpath("data", "mirtarbase", "miRTarBase_v8_functional_MTI_human.tsv.gz")
        .read_bytes()
    )
    return list(csv.DictReader(io.StringIO(gzip.decompress(raw).decode()), delimiter="\t"))


def test_mir124_has_88_targets() -> None:
    df = load_mirtarbase(mirna=f"miR{NBH}124")
    assert set(df["mirna"]) == {"hsa-miR-124-3p"}
    assert df["target"].nunique() == 88
    # independent count straight from the shipped file (SOURCE.md: 88)
    raw = {r["Target.Gene"] for r in _raw_shipped_rows() if r["miRNA"] == "hsa-miR-124-3p"}
    assert len(raw) == 88
    assert {"STAT3", "EZH2", "UHRF1", "CDK4"} & set(df["target"])


def test_shipped_table_columns_and_targets() -> None:
    df = load_mirtarbase()
    assert len(df) == len(_raw_shipped_rows()) == 10754
    assert {"mirna", "target", "experiments", "support_type", "pmid"} <= set(df.columns)
    assert df["pmid"].dtype.kind == "i"
    # renamed symbols are updated to the current HGNC symbol (CTGF -> CCN2)
    assert "CTGF" not in set(df["target"]) and "CCN2" in set(df["target"])


def test_small_table() -> None:
    df = load_mirtarbase(DATA / "mirtarbase_small.tsv")
    assert len(df) == 11
    mouse = df[df["mirna_species"] == "Mus musculus"]
    assert set(mouse["mirna"]) == {"mmu-miR-124-3p"}  # other species keep their names
    assert set(mouse["target"]) == {"Itgb1"}
    assert list(df["line"])[:2] == [2, 3]


def test_official_header_spelling_and_csv(tmp_path: Path) -> None:
    df = pd.read_csv(DATA / "mirtarbase_small.tsv", sep="\t", dtype=str)
    df.columns = [
        "miRTarBase ID",
        "miRNA",
        "Species (miRNA)",
        "Target Gene",
        "Target Gene (Entrez ID)",
        "Species (Target Gene)",
        "Experiments",
        "Support Type",
        "References (PMID)",
    ]
    path = tmp_path / "mtb.csv"
    df.to_csv(path, index=False)
    out = load_mirtarbase(path, mirna="hsa-miR-21-5p")
    assert sorted(out["target"]) == ["CDC25A", "CDC25A", "RASGRP1"]


def test_import_is_idempotent_and_tagged(tmp_path: Path) -> None:
    kb = open_store(str(tmp_path / "kb.sqlite"), build=False)  # without the shipped table
    kb.import_review()
    before = kb.stats()["relations"]
    from mirscope.kb.mirtarbase import _unknown_rows, mirtarbase_relations, shipped_relations

    # 11 rows, of which 2 mouse rows name no human miRNA/gene (skipped)
    df = load_mirtarbase(DATA / "mirtarbase_small.tsv")
    small = {r.id for r in mirtarbase_relations(df[~_unknown_rows(df)[0]])}
    assert len(small) == 9
    assert import_mirtarbase(kb, DATA / "mirtarbase_small.tsv") == 9
    assert import_mirtarbase(kb, DATA / "mirtarbase_small.tsv") == 0
    assert kb.stats()["relations"] == before + 9
    # the default build already holds these 9 (they are rows of the shipped table)
    assert small <= {r.id for r in shipped_relations()}
    rels = [r for r in kb.query(source="mirtarbase", mirna="miR-124") if r.id in small]
    assert {r.object for r in rels} == {"BDNF", "EFNB1", "NR3C2", "MTPN", "CEBPA", "UHRF1"}
    r = next(r for r in rels if r.object == "UHRF1")
    assert (r.relation, r.sign, r.source) == ("targets", -1, "mirtarbase")
    assert r.source_id == "MIRT002574 PMID:26310391"
    assert r.evidence == "Luciferase reporter assay//Western blot"
    # the review's UHRF1 finding and the miRTarBase one sit side by side
    assert {x.source for x in kb.query(gene="UHRF1", mirna="miR-124")} >= {"mirtarbase"}


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("mirtarbase_bad_pmid.tsv", 5, r"PMID must be an integer, got '15806x04'"),
        ("mirtarbase_short_row.tsv", 8, r"expected 9 fields, found 7"),
    ],
)
def test_malformed_row_writes_nothing(tmp_path: Path, name: str, line: int, reason: str) -> None:
    kb = open_store(str(tmp_path / "kb.sqlite"))
    before = kb.all_relations()
    with pytest.raises(FileFormatError, match=rf"{name}, line {line}: {reason}") as ei:
        import_mirtarbase(kb, DATA / name)
    assert ei.value.line == line
    assert kb.all_relations() == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("a\tb\tc\n1\t2\t3\n", r"line 1: not a miRTarBase table: missing column"),
        ("", r"the file is empty"),
    ],
)
def test_not_a_mirtarbase_table(tmp_path: Path, content: str, reason: str) -> None:
    p = tmp_path / "x.tsv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(FileFormatError, match=reason):
        load_mirtarbase(p)


def test_bad_mirtarbase_id(tmp_path: Path) -> None:
    text = (
        (DATA / "mirtarbase_small.tsv").read_text(encoding="utf-8").replace("MIRT001168", "X1168")
    )
    p = tmp_path / "bad_id.tsv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"bad_id\.tsv, line 4: bad miRTarBase ID 'X1168'"):
        load_mirtarbase(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="no such file"):
        load_mirtarbase(tmp_path / "absent.tsv")
