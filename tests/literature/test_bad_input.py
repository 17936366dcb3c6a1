"""Malformed, huge, empty and non-English records: a clear error, or skipped and counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mirscope.errors import FileFormatError, InputError
from mirscope.literature.extract import MAX_RECORD_CHARS, extract_file, extract_relations
from mirscope.literature.mine import check_record, mine
from mirscope.literature.pubmed import PubMedClient, PubMedRecord, parse_medline_xml

BAD = Path(__file__).parent.parent / "data" / "literature" / "bad"


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("not_pubmed.xml", r"expected a <PubmedArticleSet>.*got <eSummaryResult>"),
        ("broken_entity.xml", r"malformed XML at column \d+.*Re-download the file"),
    ],
)
def test_broken_xml_is_a_clear_error(name: str, match: str) -> None:
    with pytest.raises(FileFormatError, match=match):
        parse_medline_xml((BAD / name).read_bytes(), source=name)


@pytest.mark.parametrize(
    ("name", "reason"), [("non_english.xml", "non_english"), ("empty_abstract.xml", "empty")]
)
def test_unusable_records_are_named(name: str, reason: str) -> None:
    (rec,) = parse_medline_xml((BAD / name).read_bytes())
    assert check_record(rec) == reason


def test_non_english_text_without_language_tag() -> None:
    words = "Die Expression war im Tumorgewebe erhöht und mit schlechter Prognose verbunden " * 3
    assert check_record(PubMedRecord("1", "miR-21", words)) == "non_english"


def test_huge_record_is_refused_quickly() -> None:
    doc = {"pmid": "9", "title": "miR-21", "abstract": "miR-21 targets PDCD4. " * 10_000}
    assert len(doc["abstract"]) > MAX_RECORD_CHARS
    with pytest.raises(InputError, match=r"record 9 has \d+ characters .* over the cap of 100000"):
        extract_relations(doc)


def test_extract_file_skips_huge_records_with_skip_bad(tmp_path: Path) -> None:
    p = tmp_path / "docs.jsonl"
    big = {"pmid": "1", "title": "x", "abstract": "miR-21 targets PDCD4. " * 10_000}
    ok = {"pmid": "2", "title": "miR-21 directly targets PDCD4.", "abstract": ""}
    p.write_text(json.dumps(big) + "\n" + json.dumps(ok) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="over the cap"):
        extract_file(p)
    assert [r.pmid for r in extract_file(p, skip_bad=True)] == ["2"]


class _Replay:
    """Transport serving the bad files plus one good and one oversized record."""

    def __init__(self) -> None:
        big = "miR-21 was high in gastric cancer tissues. " * 3000
        good = (
            "The expression of miR-21 was significantly upregulated in gastric cancer tissues. "
            "miR-21 directly targeted PTEN in gastric cancer cells."
        )
        self.arts = {
            "91000001": _article(BAD / "non_english.xml"),
            "91000002": _article(BAD / "empty_abstract.xml"),
            "91000004": _make("91000004", "miR-21 promotes gastric cancer.", big),
            "91000005": _make("91000005", "miR-21 targets PTEN in gastric cancer.", good),
        }

    def esearch(self, **params: object) -> bytes:
        ids = "".join(f"<Id>{i}</Id>" for i in self.arts)
        return (
            f"<eSearchResult><Count>{len(self.arts)}</Count><IdList>{ids}</IdList>"
            "<WebEnv>w</WebEnv><QueryKey>1</QueryKey></eSearchResult>"
        ).encode()

    def efetch(self, **params: object) -> bytes:
        ids = str(params["id"]).split(",")
        body = "".join(self.arts[i] for i in ids)
        return f"<PubmedArticleSet>{body}</PubmedArticleSet>".encode()


def _article(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("<PubmedArticle>") : text.index("</PubmedArticle>") + 16]


def _make(pmid: str, title: str, abstract: str) -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}"
        f"</ArticleTitle><Abstract><AbstractText>{abstract}</AbstractText></Abstract>"
        "<Language>eng</Language></Article></MedlineCitation></PubmedArticle>"
    )


def test_mine_skips_and_counts_bad_records(tmp_path: Path) -> None:
    client = PubMedClient(transport=_Replay(), cache=tmp_path / "c.sqlite", sleep=lambda s: None)
    res = mine("miR-21", client=client, candidates=tmp_path / "q.sqlite")
    assert res.n_fetched == 4
    assert dict(res.skipped) == {"non_english": 1, "empty": 1, "oversized": 1}
    assert res.n_mined == 1
    assert ("targets", "PTEN") in {(r.relation, r.partner) for r in res.relations}
    flow = res.summary.set_index("step")["n"]
    assert flow["skipped: oversized"] == 1 and flow["mined"] == 1
