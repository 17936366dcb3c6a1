"""`mirscope kb` commands through typer.testing.CliRunner and mirscope.cli.main."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mirscope.cli import app, main
from mirscope.kb import load_review_relations
from mirscope.kb.mirtarbase import shipped_relations

DATA = Path(__file__).resolve().parents[1] / "data" / "kb"
NBH = "\u2011"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("clikb") / "kb.sqlite"
    res = runner.invoke(app, ["kb", "build", "--db", str(path)])
    assert res.exit_code == 0, res.output
    return str(path)


@pytest.fixture
def db_copy(db: str, tmp_path: Path) -> str:
    dst = tmp_path / "copy.sqlite"
    with sqlite3.connect(db) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return str(dst)


def test_build_reports_counts(tmp_path: Path) -> None:
    res = runner.invoke(app, ["kb", "build", "--db", str(tmp_path / "b.sqlite")])
    assert res.exit_code == 0
    n = len(load_review_relations())
    assert f"{n} review relations" in res.stderr
    assert res.stdout == ""


def test_acceptance_query_hcc_targets_table(db: str) -> None:
    res = runner.invoke(
        app,
        ["kb", "query", "--mirna", f"miR{NBH}124", "--cancer", "HCC", "--relation", "targets",
         "--db", db],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = res.stdout
    for gene in ("BIRC3", "EZH2", "AQP3", "PIK3CA", "TRAF6"):
        assert gene in out
    assert "hsa-miR-124-3p" in out and "hepatocellular carcinoma" in out
    assert "3'‑untranslated region" in out  # provenance sentence (BIRC3, ref 36)
    assert "36" in out and "191" in out  # reference numbers


def test_query_json_and_tsv(db: str) -> None:
    args = ["kb", "query", "--mirna", "miR-124", "--cancer", "HCC", "--relation", "targets"]
    res = runner.invoke(app, [*args, "--format", "json", "--db", db])
    records = json.loads(res.stdout)
    assert {r["object"] for r in records} >= {"BIRC3", "EZH2", "AQP3", "PIK3CA", "TRAF6"}
    assert all(isinstance(x, int) for r in records for x in r["refs"])
    res = runner.invoke(app, [*args, "--format", "tsv", "--db", db])
    lines = res.stdout.splitlines()
    header = lines[0].split("\t")
    assert header[:4] == ["id", "subject", "subject_type", "relation"]
    assert len(lines) == len(records) + 1
    assert all(len(line.split("\t")) == len(header) for line in lines)


def test_query_gene_and_pathway(db: str) -> None:
    res = runner.invoke(app, ["kb", "query", "--gene", "c-Myc", "-f", "json", "--db", db])
    recs = json.loads(res.stdout)
    assert recs and all("MYC" in (r["subject"], r["object"]) for r in recs)
    res = runner.invoke(
        app, ["kb", "query", "--pathway", "Wnt/β-catenin", "-f", "json", "--db", db]
    )
    recs = json.loads(res.stdout)
    assert recs and all("Wnt/beta-catenin" in (r["subject"], r["object"]) for r in recs)


def test_query_no_hits_says_so_and_suggests(db: str) -> None:
    res = runner.invoke(
        app, ["kb", "query", "--gene", "STAT3", "--cancer", "HCC", "--relation", "targets",
              "--db", db],
    )  # fmt: skip
    assert res.exit_code == 0
    assert res.stdout == ""
    assert "No relations match --gene 'STAT3', --cancer 'HCC', --relation 'targets'" in res.stderr
    assert "--gene:" in res.stderr and "BIRC3" in res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gene", "STAT33"], "Error: Unknown gene symbol 'STAT33'. Closest known names: STAT3"),
        (
            ["--relation", "target"],
            "Error: Unknown relation type 'target'. Closest known names: targets",
        ),
        (["--mirna", "miR-R124"], "Error: Unknown miRNA 'miR-R124'"),
        (["--cancer", "brest"], "Error: Unknown cancer type 'brest'"),
    ],
)
def test_query_bad_names_exit_2(
    db: str, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "query", *args, "--db", db]) == 2
    assert message in capsys.readouterr().err


def test_query_bad_format(db: str) -> None:
    res = runner.invoke(app, ["kb", "query", "--gene", "STAT3", "--format", "xml", "--db", db])
    assert res.exit_code == 2
    assert "xml" in res.stderr


def test_stats(db: str) -> None:
    res = runner.invoke(app, ["kb", "stats", "--format", "json", "--db", db])
    st = json.loads(res.stdout)
    assert st["by_source"]["review"] == len(load_review_relations())
    res = runner.invoke(app, ["kb", "stats", "--db", db])
    assert "by relation" in res.stdout and "targets" in res.stdout


def test_import_mirtarbase(db_copy: str) -> None:
    res = runner.invoke(
        app, ["kb", "import-mirtarbase", str(DATA / "mirtarbase_small.tsv"), "--db", db_copy]
    )
    assert res.exit_code == 0, res.output
    # the default knowledge base ships miRTarBase already: only rows it lacks are new;
    # the two mouse rows (mmu-miR-124-3p -> Itgb1) name no human miRNA/gene: skipped, listed
    from mirscope.kb.mirtarbase import _unknown_rows, load_mirtarbase, mirtarbase_relations

    df = load_mirtarbase(DATA / "mirtarbase_small.tsv")
    small = {r.id for r in mirtarbase_relations(df[~_unknown_rows(df)[0]])}
    assert len(small) == 9
    shipped = {r.id for r in shipped_relations()}
    assert f"11 rows read, {len(small - shipped)} relations written or changed" in res.stderr
    assert "2 rows skipped: unknown miRNA(s) mmu-miR-124-3p (2 rows)" in res.stderr
    res = runner.invoke(
        app,
        ["kb", "query", "--source", "mirtarbase", "--gene", "UHRF1", "-f", "json", "--db", db_copy],
    )
    recs = json.loads(res.stdout)
    (rec,) = [r for r in recs if r["subject"] == "hsa-miR-124-3p"]
    assert rec["source_id"] == "MIRT002574 PMID:26310391"


def test_import_malformed_exit_2(db_copy: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = sqlite3.connect(db_copy).execute("SELECT count(*) FROM relations").fetchone()[0]
    code = main(["kb", "import-mirtarbase", str(DATA / "mirtarbase_bad_pmid.tsv"), "--db", db_copy])
    assert code == 2
    assert "mirtarbase_bad_pmid.tsv, line 5: PMID must be an integer" in capsys.readouterr().err
    after = sqlite3.connect(db_copy).execute("SELECT count(*) FROM relations").fetchone()[0]
    assert after == before


def test_export_jsonl(db: str) -> None:
    res = runner.invoke(app, ["kb", "export", "--format", "jsonl", "--db", db])
    lines = res.stdout.splitlines()
    assert len(lines) == len(load_review_relations()) + len(shipped_relations())
    for line in lines:
        rec = json.loads(line)
        assert {"subject", "subject_type", "relation", "object", "object_type", "cancer",
                "refs", "evidence"} <= set(rec)  # fmt: skip
        assert all(isinstance(x, int) for x in rec["refs"])
        assert rec["cancer"] is None or isinstance(rec["cancer"], str)
    mirnas = {json.loads(x)["subject"] for x in lines if json.loads(x)["subject_type"] == "mirna"}
    assert "hsa-miR-124-3p" in mirnas and "miR-124" not in mirnas


def test_export_tsv_to_file(db: str, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "kb.tsv"
    res = runner.invoke(app, ["kb", "export", "--format", "tsv", "-o", str(out), "--db", db])
    assert res.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(load_review_relations()) + len(shipped_relations()) + 1
    assert not list(out.parent.glob(".kb.tsv.*"))  # no temporary file left behind


def test_default_db_built_on_first_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIRSCOPE_DATA_DIR", str(tmp_path / "ud"))
    res = runner.invoke(app, ["kb", "query", "--gene", "ZEB2", "-f", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)
    assert (tmp_path / "ud" / "mirscope-kb.sqlite").is_file()


def test_import_shipped_mirtarbase_by_default(tmp_path: Path) -> None:
    db = str(tmp_path / "mtb.sqlite")
    res = runner.invoke(app, ["kb", "import-mirtarbase", "--db", db])
    assert res.exit_code == 0, res.output
    # a fresh database is built with the shipped table already: nothing left to write;
    # 28 rows name miRNAs/genes that are no longer current (e.g. hsa-miR-886-3p): skipped
    assert "10754 rows read, 0 relations written or changed" in res.stderr
    assert "28 rows skipped: unknown miRNA(s) hsa-miR-1826 (5 rows)" in res.stderr
    res = runner.invoke(
        app,
        ["kb", "query", "--mirna", "hsa-miR-124-3p", "--source", "mirtarbase", "--relation",
         "targets", "-f", "json", "--db", db],
    )  # fmt: skip
    assert len({r["object"] for r in json.loads(res.stdout)}) == 88


def test_query_no_hits_machine_formats(db: str) -> None:
    args = ["kb", "query", "--gene", "STAT3", "--cancer", "HCC", "--relation", "targets"]
    res = runner.invoke(app, [*args, "-f", "json", "--db", db])
    assert json.loads(res.stdout) == []
    res = runner.invoke(app, [*args, "-f", "tsv", "--db", db])
    assert res.stdout.splitlines()[0].startswith("id\tsubject\t")
    assert len(res.stdout.splitlines()) == 1
    assert "No relations match" in res.stderr
