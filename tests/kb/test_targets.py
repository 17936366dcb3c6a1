"""Ranked targets of any miRNA (`mirscope kb targets`, :func:`mirscope.kb.targets.ranked_targets`)."""

from __future__ import annotations

import json

import pytest
from tests.conftest import ANY_MIRNA_TARGETS
from typer.testing import CliRunner

from mirscope.cli import app, main
from mirscope.errors import EmptyResultError, InputError, UnknownNameError
from mirscope.kb import open_store
from mirscope.kb.targets import classify_experiment, ranked_targets, target_score

runner = CliRunner()


@pytest.mark.parametrize(("mirna", "known"), list(ANY_MIRNA_TARGETS.items()))
def test_best_known_targets_in_top_10(
    fresh_kb_url: str, mirna: str, known: tuple[str, ...]
) -> None:
    df = ranked_targets(open_store(fresh_kb_url), mirna)
    top10 = list(df["gene"][:10])
    missing = [g for g in known if g not in top10]
    assert not missing, f"{mirna}: {missing} not in top 10 {top10}"
    assert list(df["rank"]) == list(range(1, len(df) + 1))
    assert df["score"].is_monotonic_decreasing


def test_mir21_pten_pdcd4_on_top(fresh_kb_url: str) -> None:
    df = ranked_targets(open_store(fresh_kb_url), "miR-21")
    assert list(df["gene"][:2]) == ["PTEN", "PDCD4"]
    pten = df.iloc[0]
    assert pten["n_references"] == len(pten["pmids"]) >= 50
    assert {"reporter assay", "western blot", "qPCR"} <= set(pten["experiments"])


def test_score_recomputed_by_hand(fresh_kb_url: str) -> None:
    """The score of a target equals the documented formula applied to its raw records."""
    kb = open_store(fresh_kb_url)
    df = ranked_targets(kb, "miR-200c-3p")
    row = df[df["gene"] == "BMI1"].iloc[0]
    recs = [r for r in kb.query(mirna="miR-200c-3p", gene="BMI1") if r.relation == "targets"]
    by_ref: dict[int, set[str]] = {}
    for r in recs:
        by_ref.setdefault(int(r.numbers["pmid"]), set()).update(
            c for c, s in map(classify_experiment, r.assays) if s == "strong"
        )
    expected = sum(1 + 0.5 * min(3, len(s)) if s else 0.5 for s in by_ref.values())
    assert row["score"] == pytest.approx(expected)
    assert row["n_references"] == len(by_ref)


def test_review_sentence_and_sources(fresh_kb_url: str) -> None:
    df = ranked_targets(open_store(fresh_kb_url), "miR-124")
    stat3 = df[df["gene"] == "STAT3"].iloc[0]
    assert set(stat3["sources"]) == {"review", "mirtarbase"}
    assert "STAT3" in stat3["review_sentence"]
    assert stat3["review_refs"]


def test_cancer_filter_uses_hierarchy(fresh_kb_url: str) -> None:
    df = ranked_targets(open_store(fresh_kb_url), "miR-124", cancer="lung")
    assert "non-small cell lung carcinoma" in {c for cs in df["cancers"] for c in cs}


@pytest.mark.parametrize(
    ("method", "cls", "strength"),
    [
        ("Luciferase reporter assay", "reporter assay", "strong"),
        ("Western blot", "western blot", "strong"),
        ("qRT-PCR", "qPCR", "strong"),
        ("Northern blot", "northern blot", "strong"),
        ("Next Generation Sequencing (NGS)", "sequencing", "weak"),
        ("pSILAC", "proteomics", "weak"),
        ("HITS-CLIP", "CLIP", "weak"),
        ("Immunohistochemistry", "immunohistochemistry", "weak"),
    ],
)
def test_experiment_classes(method: str, cls: str, strength: str) -> None:
    assert classify_experiment(method) == (cls, strength)


def test_target_score_weak_only_and_sources() -> None:
    assert target_score([{"strong": set(), "weak": {"microarray"}, "review": False}], 1) == 0.5
    assert target_score([], 3) == 2


def test_no_evidence_and_unknown(fresh_kb_url: str) -> None:
    kb = open_store(fresh_kb_url)
    with pytest.raises(EmptyResultError, match=r"no evidence for miR-6124 yet: run `mirscope"):
        ranked_targets(kb, "miR-6124")
    with pytest.raises(UnknownNameError, match="miR-21junk"):
        ranked_targets(kb, "miR-21junk")
    with pytest.raises(InputError, match="unknown source 'tcga'; valid sources are review"):
        ranked_targets(kb, "miR-21", source="tcga")


def test_cli_json_and_tsv(fresh_kb_url: str) -> None:
    res = runner.invoke(
        app, ["kb", "targets", "--mirna", "miR-34a", "-f", "json", "--db", fresh_kb_url]
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {"gene", "score", "n_references", "experiments", "sources"} <= set(rows[0])
    assert rows[0]["gene"] == "SIRT1"
    res = runner.invoke(
        app, ["kb", "targets", "--mirna", "miR-155", "-f", "tsv", "--db", fresh_kb_url]
    )
    header, first = res.stdout.splitlines()[:2]
    assert header.split("\t")[:3] == ["rank", "gene", "score"]
    assert first.split("\t")[1] == "SOCS1"
    res = runner.invoke(app, ["kb", "targets", "--mirna", "let-7a", "--db", fresh_kb_url])
    assert "HMGA2" in res.stdout


def test_cli_no_evidence_exit_2(fresh_kb_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "targets", "--mirna", "miR-6124", "--db", fresh_kb_url]) == 2
    err = capsys.readouterr().err
    assert "no evidence for miR-6124 yet" in err and "spelling" not in err


def test_predicted_sites_column(fresh_kb_url: str) -> None:
    import pandas as pd

    sites = pd.DataFrame(
        {"mirna": ["hsa-miR-21-5p", "hsa-miR-21-5p", "hsa-miR-21-5p", "hsa-miR-155-5p"],
         "gene": ["PTEN", "PTEN", "PDCD4", "PTEN"]}
    )
    df = ranked_targets(open_store(fresh_kb_url), "miR-21", predicted_sites=sites)
    got = dict(zip(df["gene"], df["predicted_sites"], strict=True))
    assert got["PTEN"] == 2 and got["PDCD4"] == 1  # miR-155's site is not miR-21's
    with pytest.raises(InputError, match="need a 'mirna' and a 'gene' column"):
        ranked_targets(open_store(fresh_kb_url), "miR-21", predicted_sites=sites[["gene"]])


def test_cached_utrs_never_go_online(fresh_kb_url: str) -> None:
    """An empty sequence cache: no counts, and no network request (cache-only client)."""
    df = ranked_targets(open_store(fresh_kb_url), "let-7a", cached_utrs=True)
    assert df["predicted_sites"].isna().all()


def test_kb_query_valid_mirna_without_evidence(
    fresh_kb_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "query", "--mirna", "miR-6124", "--db", fresh_kb_url]) == 0
    err = capsys.readouterr().err
    assert "no evidence for miR-6124 yet: run `mirscope literature mine --mirna miR-6124`" in err
    assert "spelling" not in err
