"""Screening rules, PRISMA flow table and figure."""

from __future__ import annotations

import pytest

from mirscope.errors import EmptyResultError, InputError, UnknownNameError
from mirscope.literature.pubmed import PubMedRecord, read_records
from mirscope.literature.screening import plot_prisma, screen, screen_record


@pytest.fixture
def records(data_dir):
    return read_records(data_dir / "efetch_mir124.xml")


def test_decisions_per_record(records):
    res = screen(records)
    stages = {d.pmid: d.stage for d in res.decisions}
    assert stages == {
        "90000001": "included",
        "90000002": "included",
        "90000003": "ineligible",  # Review publication type
        "90000004": "screened_out",  # neuronal differentiation, no cancer
        "90000005": "ineligible",  # Meta-Analysis
        "90000006": "included",
    }
    by = {d.pmid: d for d in res.decisions}
    assert by["90000003"].reasons == ("not a primary study (publication type: review)",)
    assert by["90000004"].reasons == ("not about cancer",)
    assert by["90000001"].cancers == ("hepatocellular carcinoma",)
    assert set(by["90000001"].mechanisms) >= {"target", "biomarker"}
    assert "sponge" in by["90000002"].mechanisms
    assert by["90000006"].cancers == ("glioblastoma",)


def test_prisma_flow_counts(records):
    res = screen([*records, records[0]])  # one duplicate
    flow = dict(zip(res.flow["step"], res.flow["n"], strict=True))
    assert flow == {
        "identified": 7,
        "duplicates removed": 1,
        "screened": 6,
        "excluded at screening": 1,
        "assessed for eligibility": 5,
        "excluded at eligibility": 2,
        "eligible": 3,
        "included": 3,
    }
    # the flow is consistent at every step
    assert flow["identified"] - flow["duplicates removed"] == flow["screened"]
    assert flow["screened"] - flow["excluded at screening"] == flow["assessed for eligibility"]
    cats = res.categories
    assert cats.loc["gastric cancer", "sponge"] == 1


def test_other_mirna_and_title_wording():
    r = PubMedRecord(
        "5",
        "miR-21 in breast cancer",
        "miR-21 is high in breast cancer.",
        publication_types=("Journal Article",),
    )
    d = screen_record(r)
    assert d.stage == "screened_out" and d.reasons == ("does not mention miR-124",)
    assert screen_record(r, mirna="miR-21").included
    rev = PubMedRecord("6", "miR-124 in cancer: a systematic review", "miR-124 in cancers.")
    assert screen_record(rev).reasons[0].startswith("not a primary study (title says")


def test_prisma_figure(records, tmp_path):
    out = tmp_path / "prisma.png"
    fig = plot_prisma(screen(records), out)
    assert out.stat().st_size > 10_000
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "Studies included\nn = 3" in texts and "Duplicates removed\nn = 0" in texts


def test_bad_screening_input():
    with pytest.raises(EmptyResultError, match="no records to screen"):
        screen([])
    with pytest.raises(InputError, match=r"min_score must be within \[0, 1\]"):
        screen([PubMedRecord("1", "t")], min_score=2)
    with pytest.raises(UnknownNameError, match="miR-99999"):
        screen_record(PubMedRecord("1", "t"), mirna="miR-99999")
