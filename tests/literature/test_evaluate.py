"""Evaluation on the SCAI corpus and the hand-annotated miR-124 dev set."""

from __future__ import annotations

import gzip
import re
from importlib import resources

import pytest

from mirscope.errors import FileFormatError, InputError
from mirscope.literature.evaluate import (
    EvaluationResult,
    evaluate_devset,
    evaluate_review,
    evaluate_scai,
    load_scai,
)


def test_load_scai_matches_raw_counts():
    raw = gzip.decompress(
        resources.files("mirscope.data.scai")
        .joinpath("scai-miRNA-Train-Corpus.xml.gz")
        .read_bytes()
    ).decode()
    docs = load_scai()
    assert len(docs) == len(re.findall(r"<document ", raw)) == 201
    assert sum(len(d.sentences) for d in docs) == len(re.findall(r"<sentence ", raw))
    true_pairs = len(re.findall(r'interaction="True" type="Specific_miRNAs-Genes/Proteins"', raw))
    assert sum(len(d.gold_pairs) for d in docs) == true_pairs == 195


def test_scai_precision_recall():
    res = evaluate_scai()
    # typed `targets` against SCAI's broad miRNA-gene associations: precise, partial recall
    assert res.precision >= 0.85
    assert res.recall >= 0.2
    assert list(res.summary.columns) == ["tp", "fp", "fn", "precision", "recall", "f1"]


@pytest.mark.parametrize(
    ("name", "n_docs", "n_gold"),
    [
        ("mir124_dev", 25, 36),
        ("mir124_holdout", 15, 17),
        ("mir124_blind", 12, 18),
        ("mir124_blind2", 10, 11),
        ("mir124_blind3", 15, 20),
    ],
)
def test_devset_typed_targets_and_sponges(data_dir, name, n_docs, n_gold):
    res = evaluate_devset(data_dir / f"{name}.jsonl")
    assert res.n_documents == n_docs
    assert res.tp + res.fn == n_gold  # gold relations written in the file
    assert res.precision >= 0.85 and res.recall >= 0.75
    assert set(res.by_relation) == {"targets", "sponges"}


def test_metrics_edge_cases():
    assert EvaluationResult(0, 0, 0).precision == 0.0
    assert EvaluationResult(0, 0, 5).recall == 0.0
    assert EvaluationResult(1, 1, 1).f1 == pytest.approx(0.5)


def test_bad_corpus_files(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(
        "<corpus><document id='d'><sentence text='x'></document></corpus>", encoding="utf-8"
    )
    with pytest.raises(FileFormatError, match=r"bad.xml, line 1: malformed corpus XML"):
        load_scai(bad)
    other = tmp_path / "other.xml"
    other.write_text("<PubmedArticleSet/>", encoding="utf-8")
    with pytest.raises(FileFormatError, match="expected a SCAI <corpus>"):
        load_scai(other)
    with pytest.raises(InputError, match="does not exist"):
        load_scai(tmp_path / "none.xml")
    dev = tmp_path / "dev.jsonl"
    dev.write_text('{"pmid": "1", "title": "x"}\n', encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"dev.jsonl, line 1: bad annotated line"):
        evaluate_devset(dev)


def test_review_text_against_curated_relations():
    res = evaluate_review()
    assert res.fn == len(res.false_negatives) and res.fp == len(res.false_positives)
    assert res.precision >= 0.85 and res.recall >= 0.6
