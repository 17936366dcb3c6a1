"""Format checks of the real-text corpus (tests/data/literature/realtext); no extractor involved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mirscope.schema import RELATION_TYPES

DATA = Path(__file__).resolve().parents[1] / "data" / "literature" / "realtext"
SPLITS = ("dev", "test")


def _records(split: str) -> list[dict]:
    lines = (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines if x.strip()]


@pytest.mark.parametrize("split", SPLITS)
def test_records_are_well_formed(split: str) -> None:
    recs = _records(split)
    assert recs
    for r in recs:
        for key in ("pmid", "title", "abstract", "relations", "mirnas", "source_url", "retrieved",
                    "holdout_check"):
            assert key in r, (r.get("pmid"), key)
        assert r["holdout_check"] in ("pmid+title", "title-only")
        for x in r["relations"]:
            assert x["relation"] in RELATION_TYPES
            assert isinstance(x["negated"], bool) and isinstance(x["hedged"], bool)
            assert x["sign"] in (-1, 0, 1)
            text = r["title"] if x.get("in_title") else r["abstract"]
            assert text[x["sentence_start"]:x["sentence_end"]] == x["sentence"]


def test_splits_are_disjoint() -> None:
    dev = {r["pmid"] for r in _records("dev")}
    test = {r["pmid"] for r in _records("test")}
    assert not dev & test
