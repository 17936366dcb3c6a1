"""Offline tests of the PubMed client (recorded XML, injected transport and clock)."""

from __future__ import annotations

import pytest

from mirscope.errors import FileFormatError, InputError, RemoteServiceError
from mirscope.literature.pubmed import (
    PubMedCache,
    PubMedClient,
    RateLimiter,
    build_query,
    parse_esearch_xml,
    parse_medline_xml,
    read_records,
)


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.t += s


def make_client(transport, tmp_path, clock=None, **kw):
    clock = clock or FakeClock()
    return PubMedClient(
        transport=transport,
        cache=tmp_path / "pubmed.sqlite",
        clock=clock,
        sleep=clock.sleep,
        email="test@example.org",
        **kw,
    )


def test_parse_medline_fields(data_dir):
    recs = parse_medline_xml((data_dir / "efetch_mir124.xml").read_bytes())
    assert [r.pmid for r in recs] == [f"9000000{i}" for i in range(1, 7)]
    r = recs[0]
    assert r.title.startswith("MicroRNA-124 suppresses")
    assert "Results: miR-124 was significantly downregulated" in r.abstract
    assert r.journal == "Oncology Letters"
    assert r.year == 2019
    assert r.publication_types == ("Journal Article", "Research Support, Non-U.S. Gov't")
    assert "Carcinoma, Hepatocellular" in r.mesh
    assert "\u2011" in recs[1].title  # non-breaking hyphens survive parsing


def test_parse_esearch(data_dir):
    res = parse_esearch_xml((data_dir / "esearch_page1.xml").read_bytes(), query="q")
    assert res.count == 6
    assert res.pmids == ("90000001", "90000002", "90000003")
    assert res.webenv.startswith("MCID_") and res.query_key == "1"


def test_esearch_error_is_remote_error(data_dir):
    with pytest.raises(RemoteServiceError, match="Invalid query"):
        parse_esearch_xml((data_dir / "esearch_error.xml").read_bytes(), query="((")


def test_truncated_xml_reports_line(data_dir):
    with pytest.raises(FileFormatError, match=r"efetch_truncated.xml, line \d+: malformed XML"):
        read_records(data_dir / "efetch_truncated.xml")


def test_article_without_pmid_needs_skip_flag(data_dir):
    path = data_dir / "efetch_missing_pmid.xml"
    with pytest.raises(FileFormatError, match=r"line \d+: PubmedArticle #2 has no PMID"):
        read_records(path)
    recs = read_records(path, skip_bad=True)
    assert [r.pmid for r in recs] == ["90000001", "90000003", "90000004", "90000005", "90000006"]


def test_search_pages_through_history(transport, tmp_path):
    client = make_client(transport, tmp_path, page_size=3)
    res = client.search("miR-124 AND cancer", max_results=6)
    assert res.pmids == tuple(f"9000000{i}" for i in range(1, 7))
    first, second = transport.calls
    assert first[1]["usehistory"] == "y" and first[1]["retstart"] == 0 and first[1]["retmax"] == 3
    assert second[1]["WebEnv"] == "MCID_6561f0a1b2c3d4e5f6a7b8c9"
    assert second[1]["query_key"] == "1" and second[1]["retstart"] == 3
    assert first[1]["email"] == "test@example.org" and first[1]["db"] == "pubmed"


def test_search_respects_max_results(transport, tmp_path):
    client = make_client(transport, tmp_path, page_size=3)
    res = client.search("miR-124 AND cancer", max_results=2)
    assert len(res.pmids) == 2
    assert len(transport.calls) == 1


def test_nothing_fetched_twice(transport, tmp_path):
    client = make_client(transport, tmp_path, fetch_batch=2)
    recs = client.fetch(["90000001", "90000002", "90000003"])
    assert [r.pmid for r in recs] == ["90000001", "90000002", "90000003"]
    n = len(transport.calls)
    assert n == 2  # two batches
    # a second client on the same cache asks the network only for the new PMID
    client2 = make_client(transport, tmp_path, fetch_batch=2)
    recs2 = client2.fetch(["90000003", "90000004"])
    assert [r.pmid for r in recs2] == ["90000003", "90000004"]
    assert transport.calls[n:][0][1]["id"] == "90000004"
    assert len(transport.calls) == n + 1
    # search results are cached too
    client2.search("miR-124 AND cancer", max_results=6)
    m = len(transport.calls)
    client2.search("miR-124 AND cancer", max_results=6)
    assert len(transport.calls) == m


@pytest.mark.parametrize(("api_key", "interval"), [(None, 1 / 3), ("KEY", 1 / 10)])
def test_rate_limit(transport, tmp_path, monkeypatch, api_key, interval):
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    clock = FakeClock()
    client = make_client(transport, tmp_path, clock=clock, api_key=api_key, fetch_batch=1)
    client.fetch(["90000001", "90000002", "90000003"])
    assert clock.slept == pytest.approx([interval, interval])
    if api_key:
        assert transport.calls[0][1]["api_key"] == "KEY"


def test_env_settings(transport, tmp_path, monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", "ENVKEY")
    monkeypatch.setenv("NCBI_EMAIL", "env@example.org")
    client = PubMedClient(transport=transport, cache=tmp_path / "c.sqlite")
    assert client.settings.api_key == "ENVKEY" and client.settings.email == "env@example.org"
    assert client.rate_limiter.interval == pytest.approx(0.1)


def test_retry_with_backoff_then_clear_error_keeps_cache(make_transport, tmp_path):
    transport = make_transport(fail_efetch_after=1)
    clock = FakeClock()
    client = make_client(
        transport, tmp_path, clock=clock, fetch_batch=2, max_retries=3, backoff=0.5
    )
    with pytest.raises(
        RemoteServiceError, match=r"efetch failed after 4 attempts .*stay cached.*2 records"
    ):
        client.fetch(["90000001", "90000002", "90000003", "90000004"])
    backoffs = [s for s in clock.slept if s >= 0.5]
    assert backoffs == [0.5, 1.0, 2.0]
    assert len(PubMedCache(tmp_path / "pubmed.sqlite")) == 2
    # once the network is back, only the missing PMIDs are fetched
    ok = make_transport()
    client2 = make_client(ok, tmp_path, fetch_batch=2)
    recs = client2.fetch(["90000001", "90000002", "90000003", "90000004"])
    assert len(recs) == 4
    assert [c[1]["id"] for c in ok.calls] == ["90000003,90000004"]


def test_search_network_failure(make_transport, tmp_path):
    client = make_client(make_transport(fail_always=True), tmp_path, max_retries=1)
    with pytest.raises(RemoteServiceError, match="esearch failed after 2 attempts"):
        client.search("miR-124")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"query": " "}, "query is empty"),
        ({"query": "miR-124", "max_results": 0}, "max_results must be >= 1"),
    ],
)
def test_search_bad_input(transport, tmp_path, kwargs, match):
    client = make_client(transport, tmp_path)
    with pytest.raises(InputError, match=match):
        client.search(**kwargs)


def test_fetch_bad_pmid(transport, tmp_path):
    with pytest.raises(InputError, match="PMIDs must be numbers"):
        make_client(transport, tmp_path).fetch(["12a"])


def test_rate_limiter_rejects_zero():
    with pytest.raises(InputError, match="rate must be > 0"):
        RateLimiter(0)


@pytest.mark.parametrize("name", ["miR-124", "miR\u2011124", "microRNA-124", "hsa-miR-124-3p"])
def test_build_query_covers_spellings(name):
    q = build_query(name)
    for s in ["miR-124[tiab]", "miR124[tiab]", "microRNA-124[tiab]", '"microRNA 124"[tiab]']:
        assert s in q
    assert "cancer[tiab]" in q


def test_build_query_bad_name():
    with pytest.raises(InputError, match="cannot build a PubMed query"):
        build_query("STAT3")


def test_jsonl_bad_line_position(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text('{"pmid": "1", "title": "a"}\n{not json}\n{"title": "x"}\n', encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"in.jsonl, line 2: bad JSONL record"):
        read_records(p)
    assert [r.pmid for r in read_records(p, skip_bad=True)] == ["1"]


def test_bio_entrez_transport_offline(monkeypatch, data_dir, tmp_path):
    """The default transport calls Bio.Entrez (patched here: no network)."""
    import io

    from Bio import Entrez

    from mirscope.literature.pubmed import BioEntrezTransport

    seen = {}

    def fake_esearch(**params):
        seen["esearch"] = params
        return io.BytesIO((data_dir / "esearch_page1.xml").read_bytes())

    def fake_efetch(**params):
        seen["efetch"] = params
        return io.BytesIO((data_dir / "efetch_mir124.xml").read_bytes())

    for attr in ("email", "api_key", "tool", "max_tries"):  # restored after the test
        monkeypatch.setattr(Entrez, attr, getattr(Entrez, attr))
    monkeypatch.setattr(Entrez, "esearch", fake_esearch)
    monkeypatch.setattr(Entrez, "efetch", fake_efetch)
    transport = BioEntrezTransport(email="me@example.org", api_key=None)
    assert Entrez.email == "me@example.org" and Entrez.max_tries == 1
    client = PubMedClient(transport=transport, cache=tmp_path / "c.sqlite", sleep=lambda s: None)
    res = client.search("miR-124", max_results=3)
    assert res.pmids == ("90000001", "90000002", "90000003")
    assert seen["esearch"]["term"] == "miR-124" and seen["esearch"]["usehistory"] == "y"
    recs = client.fetch(["90000001"])
    assert seen["efetch"]["retmode"] == "xml" and recs[0].pmid == "90000001"
