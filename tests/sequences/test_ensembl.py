"""Offline tests of the Ensembl REST client: recorded answers through an injected transport."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from mirscope.errors import InputError, RemoteServiceError, UnknownNameError
from mirscope.sequences import EnsemblClient, SequenceCache, circrna_sequence, fetch_utr3
from mirscope.sequences.ensembl import GRCH37_SERVER, split_masked_cdna

DATA = Path(__file__).parents[1] / "data" / "sequences" / "ensembl"


def _fixture_name(url: str, params: Mapping[str, str]) -> str:
    path = url.split(".org", 1)[1]
    parts = path.strip("/").split("/")
    if parts[:2] == ["info", "data"]:
        return "info_data.json"
    if parts[:2] == ["lookup", "symbol"]:
        return f"lookup_symbol_{parts[3]}.json"
    if parts[:2] == ["lookup", "id"]:
        return f"lookup_id_{parts[2]}.json"
    if parts[:2] == ["sequence", "id"]:
        assert params == {"type": "cdna", "mask_feature": "1"}
        return f"cdna_{parts[2]}.json"
    if parts[:2] == ["xrefs", "symbol"]:
        return f"xrefs_{parts[3]}.json"
    if parts[:2] == ["sequence", "region"]:
        loc = parts[3]
        chrom, rest = loc.split(":", 1)
        span = rest.rsplit(":", 1)[0].replace("..", "_")
        asm = "GRCh37" if url.startswith(GRCH37_SERVER) else "GRCh38"
        return f"region_{asm}_{chrom}_{span}.json"
    raise AssertionError(f"unexpected request {url}")


class Replay:
    """Replays recorded answers; counts requests; can fail the first N calls."""

    def __init__(self, *, fail_first: int = 0, fail_status: int = 503) -> None:
        self.calls: list[str] = []
        self.fail_first = fail_first
        self.fail_status = fail_status

    def get(self, url: str, params: Mapping[str, str]) -> tuple[int, Mapping[str, str], bytes]:
        self.calls.append(url)
        if self.fail_first > 0:
            self.fail_first -= 1
            return self.fail_status, {}, b"busy"
        f = DATA / _fixture_name(url, params)
        if not f.exists():
            return 400, {}, json.dumps({"error": f"No valid lookup found for {url}"}).encode()
        return 200, {"Content-Type": "application/json"}, f.read_bytes()


class Offline:
    def get(self, url: str, params: Mapping[str, str]) -> tuple[int, Mapping[str, str], bytes]:
        raise OSError("[Errno -3] Temporary failure in name resolution")


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.now += s


@pytest.fixture
def cache(tmp_path: Path) -> SequenceCache:
    return SequenceCache(tmp_path / "ensembl.sqlite")


def _client(transport, cache=None, **kw) -> EnsemblClient:
    t = FakeTime()
    return EnsemblClient(transport=transport, cache=cache, sleep=t.sleep, clock=t.clock, **kw)


def test_split_masked_cdna() -> None:
    assert split_masked_cdna("aaATGCCCTAAggt") == ("AA", "ATGCCCTAA", "GGT")
    assert split_masked_cdna("ATGTAA") == ("", "ATGTAA", "")


def test_canonical_utr3() -> None:
    client = _client(Replay())
    recs = client.fetch("STAT3", kind="utr3")
    assert [r.id for r in recs] == ["ENST00000264657.10|STAT3|utr3"]
    masked = json.loads((DATA / "cdna_ENST00000264657.json").read_text())["seq"]
    assert recs[0].seq == masked[masked.rindex("TGA") + 3 :].upper()
    assert "GTGCCTTA" in recs[0].seq  # the fixture's miR-124 8mer
    assert recs[0].source == "Ensembl REST release 115"


@pytest.mark.parametrize(
    ("kind", "expected_ids"),
    [
        ("utr3", ["ENST00000264657.10|STAT3|utr3", "ENST00000389272.7|STAT3|utr3"]),
        ("cds", ["ENST00000264657.10|STAT3|cds", "ENST00000389272.7|STAT3|cds"]),
        (
            "cdna",
            [
                "ENST00000264657.10|STAT3|cdna",
                "ENST00000389272.7|STAT3|cdna",
                "ENST00000585517.1|STAT3|cdna",
            ],
        ),
    ],
)
def test_all_transcripts(kind: str, expected_ids: list[str]) -> None:
    recs = _client(Replay()).fetch("STAT3", kind=kind, all_transcripts=True)  # type: ignore[arg-type]
    assert [r.id for r in recs] == expected_ids


def test_cds_starts_with_atg_and_ends_with_stop() -> None:
    (rec,) = _client(Replay()).fetch("STAT3", kind="cds")
    assert rec.seq.startswith("ATG") and rec.seq[-3:] in {"TAA", "TAG", "TGA"}


def test_lncrna() -> None:
    (rec,) = _client(Replay()).fetch("NEAT1", kind="lncrna")
    assert rec.kind == "lncrna" and rec.id.startswith("ENST00000501122.3|NEAT1")


def test_no_cds_for_lncrna_utr3() -> None:
    with pytest.raises(InputError, match="has no CDS"):
        _client(Replay()).fetch("NEAT1", kind="utr3")


@pytest.mark.parametrize("name", ["ENSG00000168610", "ENST00000264657", "NM_139276", "ENST00000264657.10"])
def test_resolve_ids(name: str) -> None:
    recs = _client(Replay()).fetch(name, kind="utr3")
    assert recs[0].gene == "STAT3"


@pytest.mark.parametrize(
    ("name", "species"),
    [("ENSMUST00000092163", "mouse"), ("ENSRNOG00000019322", "rat"), ("ENSDARG00000012345", "zebrafish")],
)
def test_other_species_rejected(name: str, species: str) -> None:
    transport = Replay()
    with pytest.raises(InputError, match=f"{species}.*not human"):
        _client(transport).fetch(name)
    assert transport.calls == []  # refused before any request


def test_unknown_kind() -> None:
    with pytest.raises(InputError, match=r"Unknown sequence kind 'utr5'.*valid kinds"):
        _client(Replay()).fetch("STAT3", kind="utr5")  # type: ignore[arg-type]


def test_cache_serves_second_client_offline(cache: SequenceCache) -> None:
    first = Replay()
    online = _client(first, cache=cache).fetch("STAT3")
    assert first.calls
    # A later run, offline: the release comes from the cache and so does the sequence.
    offline = _client(Offline(), cache=cache, retries=1).fetch("STAT3")
    assert offline == online
    assert cache.releases() == [115]


def test_fetched_once(cache: SequenceCache) -> None:
    transport = Replay()
    client = _client(transport, cache=cache)
    client.fetch("STAT3")
    n = len(transport.calls)
    client.fetch("STAT3")
    _client(transport, cache=cache, release=115).fetch("STAT3")
    assert len(transport.calls) == n


def test_offline_without_cache_is_clear() -> None:
    client = _client(Offline(), retries=2)
    with pytest.raises(RemoteServiceError, match=r"failed after 3 attempts.*sequences extract"):
        client.fetch("STAT3")


def test_retries_with_backoff_then_succeeds() -> None:
    t = FakeTime()
    client = EnsemblClient(
        transport=Replay(fail_first=2, fail_status=429), cache=None, sleep=t.sleep, clock=t.clock,
        backoff=0.5, max_per_second=1000,
    )
    assert client.release() == 115
    assert [s for s in t.sleeps if s >= 0.5] == [0.5, 1.0]


def test_rate_limit_spaces_requests() -> None:
    t = FakeTime()
    client = EnsemblClient(transport=Replay(), cache=None, sleep=t.sleep, clock=t.clock, max_per_second=10)
    client.fetch("STAT3")
    assert t.sleeps and all(s == pytest.approx(0.1) for s in t.sleeps)
    assert client.requests_made == 4  # release, lookup, cdna (canonical), nothing more


def test_server_error_not_retried_forever() -> None:
    client = _client(Replay(fail_first=100, fail_status=503), retries=3)
    with pytest.raises(RemoteServiceError, match=r"failed after 4 attempts \(HTTP 503\)"):
        client.release()


def test_bad_rate() -> None:
    with pytest.raises(InputError, match="max_per_second must be > 0"):
        EnsemblClient(transport=Replay(), cache=None, max_per_second=0)


def test_unknown_gene_symbol_suggests() -> None:
    with pytest.raises(UnknownNameError, match=r"STAT33.*Closest known names"):
        _client(Replay()).fetch("STAT33")


def test_fetch_utr3_helper() -> None:
    seqs = fetch_utr3(["STAT3"], client=_client(Replay()))
    assert list(seqs) == ["ENST00000264657.10|STAT3|utr3"]


def test_circrna_from_shipped_table() -> None:
    rec = circrna_sequence("circHIPK3", client=_client(Replay()))
    region = json.loads((DATA / "region_GRCh37_11_33307959_33309057.json").read_text())["seq"]
    from mirscope.sequences import reverse_complement

    assert len(rec) == 1099
    assert rec.seq == reverse_complement(region)  # minus strand
    assert rec.kind == "circrna" and rec.id.startswith("hsa_circ_0000284|circHIPK3")


def test_circrna_region_length_mismatch_detected() -> None:
    class Short(Replay):
        def get(self, url, params):
            status, headers, body = super().get(url, params)
            if "/sequence/region/" in url:
                body = json.dumps({"seq": "ACGT"}).encode()
            return status, headers, body

    with pytest.raises(InputError, match="expected 1099 from its exons"):
        circrna_sequence("hsa_circ_0000284", client=_client(Short()))


def test_cli_fetch_served_from_cache_offline(capsys: pytest.CaptureFixture[str]) -> None:
    from mirscope.cli import main

    # A first (recorded) online run fills the default cache ...
    _client(Replay(), cache=SequenceCache()).fetch("STAT3")
    # ... and the CLI then works with no network: everything comes from the cache.
    assert main(["sequences", "fetch", "STAT3", "--release", "115"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(">ENST00000264657.10|STAT3|utr3\n")
    assert "GTGCCTTA" in out.replace("\n", "")
