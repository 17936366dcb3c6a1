"""The `mirscope literature` commands, offline (recorded E-utilities XML)."""

from __future__ import annotations

import json

import pytest

from mirscope.cli import main
from mirscope.literature import pubmed


@pytest.fixture
def offline(monkeypatch, make_transport):
    monkeypatch.setattr(pubmed, "BioEntrezTransport", lambda **kw: make_transport())
    monkeypatch.setattr(pubmed.time, "sleep", lambda s: None)


def test_search_then_screen(offline, tmp_path, capsys):
    out = tmp_path / "records.jsonl"
    assert (
        main(
            [
                "literature",
                "search",
                "miR-124 AND cancer",
                "--max",
                "6",
                "--format",
                "tsv",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    cap = capsys.readouterr()
    assert cap.out.splitlines()[0] == "pmid\tyear\tjournal\ttitle"
    assert len(cap.out.splitlines()) == 7
    assert "6 PubMed records match; fetched 6" in cap.err
    assert len(out.read_text().splitlines()) == 6
    fig = tmp_path / "flow.png"
    assert main(["literature", "screen", "--figure", str(fig), "--format", "tsv"]) == 0
    cap = capsys.readouterr()
    rows = dict(line.split("\t")[:2] for line in cap.out.splitlines()[1:])
    assert rows["identified"] == "6" and rows["included"] == "3"
    assert fig.stat().st_size > 0
    assert main(["literature", "screen", "--input", str(out), "--format", "tsv"]) == 0
    assert "included\t3" in capsys.readouterr().out


def test_screen_without_anything(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MIRSCOPE_CACHE_DIR", str(tmp_path / "emptycache"))
    assert main(["literature", "screen"]) == 2
    assert "nothing was searched yet" in capsys.readouterr().err


def test_extract_jsonl(tmp_path, capsys):
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        json.dumps(
            {
                "pmid": "1",
                "title": "circHIPK3 sponges miR\u2011124 to upregulate AQP3.",
                "abstract": "",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    assert main(["literature", "extract", "--input", str(inp), "--format", "jsonl"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {(d["relation"], d["mirna"], d["partner"], d["partner_type"]) for d in lines} == {
        ("sponges", "hsa-miR-124-3p", "circHIPK3", "circrna"),
        ("inhibits", "hsa-miR-124-3p", "AQP3", "gene"),  # not called a target
    }
    assert set(lines[0]) >= {
        "pmid",
        "mirna",
        "partner",
        "partner_type",
        "relation",
        "cancer",
        "sentence",
        "confidence",
    }


def test_extract_bad_line_needs_flag(tmp_path, capsys):
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        '{"pmid": "1", "title": "miR-124 directly targets SOX9."}\nnot json\n', encoding="utf-8"
    )
    assert main(["literature", "extract", "--input", str(inp)]) == 2
    assert "in.jsonl, line 2: bad JSONL line" in capsys.readouterr().err
    assert main(["literature", "extract", "--input", str(inp), "--skip-bad"]) == 0
    assert '"SOX9"' in capsys.readouterr().out


def test_review_accept_reject(tmp_path, capsys):
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        json.dumps(
            {"pmid": "777", "title": "miR-124 directly targets TMEM45A and KIF20A in glioma."}
        )
        + "\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    cands = str(tmp_path / "cands.sqlite")
    assert (
        main(["literature", "extract", "--input", str(inp), "--propose", "--candidates", cands])
        == 0
    )
    capsys.readouterr()
    assert (
        main(["literature", "review", "--db", db, "--candidates", cands, "--format", "jsonl"]) == 0
    )
    items = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {i["partner"] for i in items} == {"TMEM45A", "KIF20A"}
    ids = {i["partner"]: i["id"] for i in items}
    assert main(["kb", "query", "--gene", "TMEM45A", "--db", db, "--format", "json"]) in (0, 2)
    assert "TMEM45A" not in capsys.readouterr().out
    assert main(["literature", "accept", ids["TMEM45A"], "--db", db, "--candidates", cands]) == 0
    assert "PMID:777" in capsys.readouterr().out
    assert main(["literature", "reject", ids["KIF20A"], "--candidates", cands]) == 0
    capsys.readouterr()
    assert main(["kb", "query", "--gene", "TMEM45A", "--db", db, "--format", "json"]) == 0
    assert "PMID:777" in capsys.readouterr().out
    assert main(["kb", "query", "--gene", "KIF20A", "--db", db, "--format", "json"]) in (0, 2)
    assert "KIF20A" not in capsys.readouterr().out
    assert (
        main(
            [
                "literature",
                "review",
                "--db",
                db,
                "--candidates",
                cands,
                "--status",
                "all",
                "--format",
                "tsv",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "accepted" in out and "rejected" in out
    assert main(["literature", "accept", "Lmissing", "--db", db, "--candidates", cands]) == 2
    assert "no candidate with id 'Lmissing'" in capsys.readouterr().err


def test_evaluate_devset_command(data_dir, capsys):
    assert main(["literature", "evaluate", "--corpus", str(data_dir / "mir124_dev.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "targets" in out and "sponges" in out and "precision" in out


def test_search_network_failure_is_clear(monkeypatch, make_transport, capsys):
    monkeypatch.setattr(pubmed, "BioEntrezTransport", lambda **kw: make_transport(fail_always=True))
    monkeypatch.setattr(pubmed.time, "sleep", lambda s: None)
    assert main(["literature", "search", "miR-124 AND glioma", "--max", "5"]) == 2
    err = capsys.readouterr().err
    assert "Error: NCBI E-utilities esearch failed after 4 attempts (network unreachable)" in err
