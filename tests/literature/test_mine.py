"""`mine`: search -> fetch -> screen -> extract -> curation queue, offline and resumable."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from mirscope.cli import main
from mirscope.errors import EmptyResultError, InputError, RemoteServiceError
from mirscope.kb import open_store
from mirscope.literature.curation import CandidateStore
from mirscope.literature.mine import RecordedCorpusTransport, mine
from mirscope.literature.pubmed import PubMedClient


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    return {
        "cache": tmp_path / "cache.sqlite",
        "candidates": tmp_path / "cand.sqlite",
        "db": tmp_path / "kb.sqlite",
    }


def test_offline_mir21_from_the_recorded_corpus(paths) -> None:
    res = mine("miR-21", offline=True, cache=paths["cache"], candidates=paths["candidates"])
    assert res.n_found == res.n_fetched >= 3
    got = {(r.relation, r.subject, r.object) for r in res.relations}
    assert ("targets", "hsa-miR-21-5p", "PDCD4") in got
    assert all(r.mirna == "hsa-miR-21-5p" or r.relation != "targets" for r in res.relations)
    assert res.n_candidates == len(CandidateStore(paths["candidates"]).list("pending"))
    # resumable and idempotent: a second run fetches from the cache and adds nothing new
    again = mine("miR-21", offline=True, cache=paths["cache"], candidates=paths["candidates"])
    assert again.n_candidates == 0 and again.n_fetched == res.n_fetched


def test_offline_mir34a_is_recorded_too(paths) -> None:
    res = mine("miR-34a", offline=True, cache=paths["cache"], candidates=paths["candidates"])
    assert res.n_fetched >= 1 and res.relations


def test_accept_above_writes_literature_relations(paths) -> None:
    res = mine(
        "miR-21",
        offline=True,
        accept_above=0.8,
        db=str(paths["db"]),
        cache=paths["cache"],
        candidates=paths["candidates"],
    )
    assert res.accepted
    assert len(res.accepted) == sum(r.confidence >= 0.8 for r in res.relations)
    with open_store(str(paths["db"])) as kb:
        lit = kb.query(mirna="miR-21", source="literature")
    assert len(lit) == len(res.accepted)
    for r in lit:
        assert r.source_id and r.evidence and r.evidence_start is not None
    assert any(r.relation == "targets" and r.object == "PDCD4" and r.sign == -1 for r in lit)


def test_offline_unknown_mirna_says_what_to_do(paths) -> None:
    with pytest.raises(EmptyResultError, match="run without --offline"):
        mine("miR-9", offline=True, cache=paths["cache"], candidates=paths["candidates"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_results": 0}, "--max must be >= 1, got 0"),
        ({"since": 15}, "--since must be a year such as 2015, got 15"),
        ({"accept_above": 2.0}, r"--accept-above must be within \[0, 1\], got 2.0"),
    ],
)
def test_bad_arguments(paths, kwargs, match) -> None:
    with pytest.raises(InputError, match=match):
        mine("miR-21", offline=True, cache=paths["cache"], candidates=paths["candidates"], **kwargs)


def test_online_path_resumes_after_a_failure(make_transport, paths) -> None:
    """The online path through PubMedClient: a failing EFetch keeps what was fetched."""
    t = make_transport(fail_efetch_after=1)
    client = PubMedClient(
        transport=t, cache=paths["cache"], fetch_batch=2, max_retries=0, sleep=lambda s: None
    )
    with pytest.raises(RemoteServiceError, match="run the command again to resume"):
        mine("miR-124", client=client, candidates=paths["candidates"], max_results=6)
    ok = PubMedClient(transport=make_transport(), cache=paths["cache"], sleep=lambda s: None)
    res = mine("miR-124", client=ok, candidates=paths["candidates"], max_results=6)
    efetched = [p["id"] for util, p in ok.transport.calls if util == "efetch"]
    assert all(len(ids.split(",")) == 4 for ids in efetched)  # only the 4 missing PMIDs
    assert res.n_fetched == 6 and res.n_screened_out >= 1
    assert {("targets", "SOX9"), ("sponges", "LINC00673")} <= {
        (r.relation, r.partner) for r in res.relations
    }


def test_recorded_transport_filters(paths) -> None:
    t = RecordedCorpusTransport("miR-21", since=2100)
    assert t.hits == []
    t = RecordedCorpusTransport("miR-21")
    raw = re.findall(r"<Id>(.*?)</Id>", t.esearch(retstart=0, retmax=50).decode())
    ids = [html.unescape(i) for i in raw]
    assert ids == t.hits and len(ids) >= 3
    assert b"<PubmedArticle>" in t.efetch(id=",".join(ids))


def test_cli_mine_offline(paths, capsys) -> None:
    argv = ["literature", "mine", "--offline", "--mirna", "miR-21", "--format", "tsv"]
    argv += ["--candidates", str(paths["candidates"]), "--accept-above", "0.8"]
    argv += ["--db", str(paths["db"])]
    assert main(argv) == 0
    cap = capsys.readouterr()
    rows = dict(line.split("\t")[:2] for line in cap.out.splitlines()[1:])
    assert int(rows["found"]) >= 3 and int(rows["accepted"]) >= 1
    assert "new candidates" in cap.err


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        (["--mirna", "miR-99999"], "miR-99999"),
        (["--mirna", "miR-21", "--since", "15"], "--since must be a year"),
    ],
)
def test_cli_mine_bad_input_exits_2(paths, capsys, extra, match) -> None:
    argv = ["literature", "mine", "--offline", "--candidates", str(paths["candidates"]), *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Error" in err and match in err and "Traceback" not in err


def test_mined_kb_drives_network_and_simulation(paths) -> None:
    """Acceptance: `mine --offline` yields a KB whose miR-21 relations build a network and a
    kinetic model (through the library: build_graph/build_model take KB relations)."""
    from mirscope.network import build_graph, reach
    from mirscope.simulate import build_model
    from mirscope.simulate.perturb import simulate_perturbations

    mine(
        "miR-21",
        offline=True,
        accept_above=0.5,
        db=str(paths["db"]),
        cache=paths["cache"],
        candidates=paths["candidates"],
    )
    with open_store(str(paths["db"])) as kb:
        rels = kb.query(mirna="miR-21", source="literature")
    G = build_graph(rels, mirna="miR-21")
    reached = reach(G, "miR-21", cancer=None).set_index("node")
    assert reached.loc["PDCD4", "net_sign"] == -1
    res = simulate_perturbations(
        build_model(relations=rels, mirna="miR-21", prior=False), ["miR-21=overexpress"]
    )
    assert res.readouts["PDCD4"]["direction"] == "down"
