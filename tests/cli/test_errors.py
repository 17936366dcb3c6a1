"""Every CLI failure is one named ``Error:`` line and exit code 2, never a traceback.

Usage errors, corrupt files (tiny named files in ``tests/data/cli``), unknown names and
empty inputs, each driven through :func:`mirscope.cli.main`; concurrent first use through
real processes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mirscope.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
CLI = DATA / "cli"
REPO = Path(__file__).resolve().parents[2]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "pattern"),
    [
        (["kb", "init"], r"No such command 'init'"),
        (["report", "--mirnaa", "miR-124"], r"No such option: --mirnaa.*--mirna"),
        (["sites", "scan", "--bogus"], r"No such option: --bogus"),
        (["nosuchcommand"], r"No such command 'nosuchcommand'"),
        (["kb", "query", "--format", "xml"], r"Invalid value for '--format'.*'xml'"),
        (["serve", "--port", "0"], r"Invalid value for '--port'"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], pattern: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "Traceback" not in err
    import re

    assert re.search(pattern, err), err


CORRUPT = [
    ("corrupt.xlsx", r"BadZipFile|not a valid Excel"),
    ("truncated.csv.gz", r"EOFError|truncated"),
    ("binary.csv", r"UnicodeDecodeError|not UTF-8"),
]


@pytest.mark.parametrize(("name", "pattern"), CORRUPT)
@pytest.mark.parametrize(
    "argv",
    [
        ["clinical", "survival", "{f}", "--time", "time", "--event", "event", "--marker", "marker"],
        ["clinical", "roc", "{f}", "--marker", "marker", "--label", "label", "--positive", "tumor"],
        ["clinical", "cox", "{f}", "--time", "time", "--event", "event", "--covariates", "marker"],
        ["kb", "import-mirtarbase", "{f}", "--db", "{db}"],
    ],
    ids=["survival", "roc", "cox", "import-mirtarbase"],
)
def test_corrupt_files_exit_2(argv: list[str], name: str, pattern: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    import re

    args = [a.format(f=CLI / name, db=tmp_path / "kb.sqlite") for a in argv]
    code, out, err = run(args, capsys)
    assert code == 2, err
    assert err.startswith("Error: ") and "Traceback" not in err
    assert name in err
    assert re.search(pattern, err), err
    assert out == ""


@pytest.mark.slow
def test_report_with_corrupt_cohort_exits_2(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    code, _, err = run(["report", "--cohort", str(CLI / "corrupt.xlsx"), "-s", "clinical",
                        "--db", f"sqlite:///{tmp_path / 'kb.sqlite'}", "-o", str(out)], capsys)
    assert code == 2
    assert "corrupt.xlsx" in err and "Traceback" not in err
    assert not out.exists()


def _n_relations(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM relations").fetchone()[0])


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("mirtarbase_header_only.tsv", r"line 2: the table has a header but no data rows"),
        ("truncated.tsv.gz", r"corrupt or truncated gzip"),
    ],
)
def test_import_empty_or_broken_is_an_error(name: str, pattern: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import re

    db = tmp_path / "kb.sqlite"
    code, _, err = run(["kb", "import-mirtarbase", str(CLI / name), "--db", str(db)], capsys)
    assert code == 2
    assert re.search(pattern, err), err


def test_import_empty_file_is_an_error(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    code, _, err = run(["kb", "import-mirtarbase", str(empty), "--db", str(tmp_path / "k.db")],
                       capsys)
    assert code == 2
    assert "the file is empty" in err


def test_import_lists_unknown_mirnas_with_counts(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "kb.sqlite"
    code, _, err = run(["kb", "import-mirtarbase", str(CLI / "mirtarbase_unknown_mirna.tsv"),
                        "--db", str(db)], capsys)
    assert code == 0, err
    assert "2 rows skipped: unknown miRNA(s) hsa-miR-99999-5p (2 rows)" in err
    # the two known rows are already in the shipped table that a new knowledge base holds
    assert "4 rows read, 0 relations written or changed" in err
    code, out, err = run(["kb", "query", "--source", "mirtarbase", "-f", "json", "--db",
                          str(db)], capsys)
    subjects = {r["subject"] for r in json.loads(out)}
    assert "hsa-miR-124-3p" in subjects
    assert not any("99999" in s for s in subjects)


def test_import_strict_refuses_unknown_names(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "kb.sqlite"
    assert main(["kb", "build", "--db", str(db)]) == 0
    before = _n_relations(db)
    capsys.readouterr()
    code, _, err = run(["kb", "import-mirtarbase", str(CLI / "mirtarbase_unknown_mirna.tsv"),
                        "--strict", "--db", str(db)], capsys)
    assert code == 2
    assert "hsa-miR-99999-5p (2 rows)" in err and "Nothing was imported" in err
    assert _n_relations(db) == before


def test_unknown_node_lists_valid_nodes(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["simulate", "--perturb", "QQQQQQQ=knockdown"], capsys)
    assert code == 2
    assert "Unknown network node 'QQQQQQQ'" in err
    assert "valid names: " in err and "CCND1" in err and "more)" in err
    assert "use one of these" not in err


def test_cox_names_the_text_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = (DATA / "clinical" / "surv_synth.csv").read_text().splitlines()
    cells = rows[4].split(",")
    cells[3] = "unknown"  # the age of one patient
    rows[4] = ",".join(cells)
    table = tmp_path / "cohort.csv"
    table.write_text("\n".join(rows) + "\n")
    code, _, err = run(["clinical", "cox", str(table), "--time", "time", "--event", "event",
                        "--covariates", "marker,age"], capsys)
    assert code == 2
    assert "covariate 'age' is numeric but has text value(s) ['unknown'] in 1 row(s)" in err


def test_sequences_do_not_suggest_the_refused_id(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    fa = tmp_path / "x.fa"
    fa.write_text(">ENST0001_XIST\nACGUACGUACGUAAAGGCACC\n")
    code, _, err = run(["simulate", "--perturb", "miR-124=overexpress", "--cancer", "HCC",
                        "--sequences", str(fa)], capsys)
    assert code == 2
    assert "refused ids: ENST0001_XIST" in err
    suggestion = err.split("sponge nodes of this network:")[1]
    assert "XIST" not in suggestion and "MALAT1" in suggestion
    assert "'>XIST'" not in err


def test_lowercase_gmt_is_case_normalised(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["enrich", "--genes", str(CLI / "lowercase_genes.txt"), "--gmt",
                          str(CLI / "lowercase.gmt"), "--min-size", "2", "-f", "json"], capsys)
    assert code == 0, err
    res = json.loads(out)
    assert res["genes"] == ["STAT3", "MYC"]
    assert res["table"][0]["overlap"] == 2


@pytest.mark.parametrize("command", [["serve"], ["report"], ["enrich"]])
def test_help_of_plain_commands(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*command, "--help"], capsys)
    assert code == 0
    assert f"Usage: mirscope {command[0]} [OPTIONS]" in out
    assert "COMMAND" not in out
    assert "<bool>" not in out


def test_help_shows_value_types(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["kb", "query", "--help"], capsys)
    assert code == 0
    assert "<table|json|tsv>" in out and "<bool>" not in out


@pytest.mark.parametrize("command", [["serve"], ["report"], ["kb", "query"],
                                     ["literature", "accept"]])
def test_db_option_everywhere(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*command, "--help"], capsys)
    assert code == 0
    assert "--db" in out and "MIRSCOPE_DB" in out
    assert "--kb " not in out  # the old spelling is a hidden alias


def test_mirscope_db_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv("MIRSCOPE_DB", str(db))
    code, out, err = run(["kb", "stats", "-f", "json"], capsys)
    assert code == 0, err
    assert db.is_file() and json.loads(out)["relations"] > 100


def test_concurrent_first_build(tmp_path: Path) -> None:
    """Three processes building one new database at once all succeed (no raw SQL error)."""
    db = tmp_path / "race.sqlite"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    procs = [
        subprocess.Popen([sys.executable, "-m", "mirscope", "kb", "build", "--db", str(db)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(3)
    ]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    for code, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "already exists" not in err
    assert _n_relations(db) > 100
