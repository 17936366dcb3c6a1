"""The TCGA report: numbers come from the library, and docs/clinical.md is up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirscope.clinical.tcga_report import analyse_cohort, analyse_gbm, analyse_lihc_cox, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "clinical.md"


@pytest.fixture(scope="module")
def lihc() -> dict:
    return analyse_cohort("LIHC")


def test_lihc_numbers_are_consistent(lihc: dict) -> None:
    p = lihc["paired"]
    assert p["n_pairs"] == 49
    assert p["lower_in_tumour"] + p["higher_in_tumour"] + p["tied"] == p["n_pairs"]
    s = lihc["survival"]
    assert "median_split_note" in s  # median RPM is 0: refused
    d = s["detected_split"]
    assert d["excluded"] == {"missing_time": 1, "negative_time": 1}
    assert d["n_high"] == round(s["detected"] * (d["n_high"] + d["n_low"]))


def test_doc_is_regenerated_from_current_code(lihc: dict) -> None:
    text = render([lihc], analyse_gbm(), analyse_lihc_cox())
    doc = DOC.read_text(encoding="utf-8")
    lihc_rows = [line for line in text.splitlines() if line.startswith("| LIHC |")]
    assert lihc_rows
    for line in lihc_rows:
        assert line in doc, f"docs/clinical.md is stale; rerun `mirscope clinical tcga-report`: {line}"
