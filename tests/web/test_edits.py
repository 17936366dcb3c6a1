"""Safe edits (user records, audit trail, 409 on conflicts), paging, Host and token checks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from mirscope.errors import InputError
from mirscope.web import create_app

ALICE = "alice-token-0123456"
BOB = "bob-token-0123456789"


def _rel(id_: str, **kw: Any) -> dict[str, Any]:
    rel = {"id": id_, "subject": "miR-124", "subject_type": "mirna", "relation": "targets",
           "object": "ZEB2", "object_type": "gene", "cancer": "glioma",
           "evidence": "A test finding."}
    rel.update(kw)
    return rel


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def editor(tmp_path: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from mirscope.kb import open_store

    url = f"sqlite:///{tmp_path / 'edit.sqlite'}"
    open_store(url).close()
    app = create_app(kb_url=url, allow_edits=True, tokens={"alice": ALICE, "bob": BOB})
    with TestClient(app) as c:
        yield c


def test_add_is_a_user_record_with_who_and_when(editor: Any) -> None:
    r = editor.post("/api/evidence", json={"relations": [_rel("u-1", object="c-Myc")]},
                    headers=_auth(BOB))
    assert r.status_code == 201, r.text
    (entry,) = r.json()["edits"]
    assert (entry["relation_id"], entry["who"], entry["version"]) == ("u-1", "bob", 1)
    hist = editor.get("/api/evidence/history", params={"id": "u-1"}).json()
    assert hist["source"] == "user" and hist["version"] == 1
    assert (hist["record"]["subject"], hist["record"]["object"]) == ("hsa-miR-124-3p", "MYC")
    assert hist["edits"][0]["at"] == entry["at"]


@pytest.mark.parametrize(
    ("change", "status", "fragment"),
    [
        ({"object": "NOTAGENE999"}, 404, "NOTAGENE999"),
        ({"subject": "miR-99999"}, 404, "miR-99999"),
        ({"cancer": "moon cancer"}, 404, "moon cancer"),
        ({"source": "review"}, 422, "source 'user'"),
        ({"object": "thing", "object_type": "other"}, 422, "type 'other'"),
    ],
)
def test_add_refuses_unknown_names_and_foreign_sources(editor: Any, change: dict[str, str],
                                                       status: int, fragment: str) -> None:
    r = editor.post("/api/evidence", json={"relations": [_rel("u-2", **change)]},
                    headers=_auth(ALICE))
    assert r.status_code == status, r.text
    assert fragment in r.json()["detail"]
    assert editor.get("/api/evidence/history", params={"id": "u-2"}).status_code == 404


def test_reusing_a_curated_id_is_409_and_changes_nothing(editor: Any) -> None:
    curated = editor.get("/api/evidence", params={"source": "review", "limit": 1}).json()
    rec = curated["records"][0]
    before = editor.get("/api/evidence/history", params={"id": rec["id"]}).json()
    r = editor.post("/api/evidence", json={"relations": [
        _rel(rec["id"], object="TP53", evidence="miR-124 targets TP53.")]}, headers=_auth(ALICE))
    assert r.status_code == 409
    assert f"'{rec['id']}' (source review)" in r.json()["detail"]
    after = editor.get("/api/evidence/history", params={"id": rec["id"]}).json()
    assert after == before


def test_update_keeps_the_previous_version(editor: Any) -> None:
    editor.post("/api/evidence", json={"relations": [_rel("u-3")]}, headers=_auth(ALICE))
    r = editor.put("/api/evidence", json={"relation": _rel("u-3", evidence="Corrected."),
                                          "version": 1}, headers=_auth(BOB))
    assert r.status_code == 200, r.text
    assert (r.json()["version"], r.json()["who"]) == (2, "bob")
    hist = editor.get("/api/evidence/history", params={"id": "u-3"}).json()
    assert hist["version"] == 2 and hist["record"]["evidence"] == "Corrected."
    assert [(e["version"], e["who"], e["action"]) for e in hist["edits"]] == [
        (1, "alice", "add"), (2, "bob", "update")]
    assert hist["edits"][1]["previous"]["evidence"] == "A test finding."
    log = editor.get("/api/edits", params={"limit": 1}).json()
    assert log["total"] == 2 and log["edits"][0]["version"] == 2


def test_stale_update_is_409(editor: Any) -> None:
    editor.post("/api/evidence", json={"relations": [_rel("u-4")]}, headers=_auth(ALICE))
    ok = editor.put("/api/evidence", json={"relation": _rel("u-4", evidence="First."),
                                           "version": 1}, headers=_auth(ALICE))
    assert ok.status_code == 200
    late = editor.put("/api/evidence", json={"relation": _rel("u-4", evidence="Second."),
                                             "version": 1}, headers=_auth(BOB))
    assert late.status_code == 409
    assert "at version 2, not 1" in late.json()["detail"]
    hist = editor.get("/api/evidence/history", params={"id": "u-4"}).json()
    assert hist["record"]["evidence"] == "First."


def test_concurrent_updates_one_wins(editor: Any) -> None:
    editor.post("/api/evidence", json={"relations": [_rel("u-5")]}, headers=_auth(ALICE))
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def update(k: int) -> None:
        barrier.wait()
        r = editor.put("/api/evidence", json={"relation": _rel("u-5", evidence=f"Edit {k}."),
                                              "version": 1}, headers=_auth(ALICE))
        codes.append(r.status_code)

    threads = [threading.Thread(target=update, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(codes) == [200, 409, 409, 409]
    assert editor.get("/api/evidence/history", params={"id": "u-5"}).json()["version"] == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [({"relation": _rel("no-such-id"), "version": 0}, 404)],
)
def test_update_of_unknown_id_is_404(editor: Any, body: dict[str, Any], status: int) -> None:
    r = editor.put("/api/evidence", json=body, headers=_auth(ALICE))
    assert r.status_code == status
    assert "no-such-id" in r.json()["detail"]


def test_curated_records_are_never_updated(editor: Any) -> None:
    rec = editor.get("/api/evidence", params={"source": "review", "limit": 1}).json()
    rid = rec["records"][0]["id"]
    r = editor.put("/api/evidence", json={"relation": _rel(rid), "version": 0},
                   headers=_auth(ALICE))
    assert r.status_code == 403
    assert "review record" in r.json()["detail"]


# -- paging and sorting ---------------------------------------------------------------------
def test_second_page(client: Any) -> None:
    full = client.get("/api/evidence", params={"mirna": "miR-124", "limit": 5000}).json()
    page = client.get("/api/evidence?mirna=miR-124&limit=10&offset=10").json()
    assert page["total"] == page["count"] == full["count"] > 20
    assert (page["offset"], page["limit"], page["truncated"]) == (10, 10, True)
    assert page["records"] == full["records"][10:20]


def test_last_page_is_not_truncated(client: Any) -> None:
    total = client.get("/api/evidence", params={"mirna": "miR-124", "limit": 1}).json()["total"]
    last = client.get("/api/evidence", params={"mirna": "miR-124", "limit": 10,
                                               "offset": total - 3}).json()
    assert len(last["records"]) == 3 and not last["truncated"]


@pytest.mark.parametrize(("sort", "order"), [("object", "asc"), ("cancer", "desc"),
                                             ("refs", "asc")])
def test_sorted_pages(client: Any, sort: str, order: str) -> None:
    full = client.get("/api/evidence", params={"mirna": "miR-124", "limit": 5000,
                                               "sort": sort, "order": order}).json()["records"]
    if sort == "refs":
        keys = [min(r["refs"] or [10**9]) for r in full]
    else:
        keys = [(r[sort] or "").lower() for r in full]
    assert keys == sorted(keys, reverse=order == "desc")
    page = client.get("/api/evidence", params={"mirna": "miR-124", "limit": 7, "offset": 7,
                                               "sort": sort, "order": order}).json()
    assert page["records"] == full[7:14]


# -- Host check and tokens --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bind", "host", "status"),
    [
        ("127.0.0.1", "127.0.0.1:8124", 200),
        ("127.0.0.1", "localhost:8124", 200),
        ("127.0.0.1", "evil.example:8124", 400),
        ("::1", "[::1]:8124", 200),
        ("::1", "[::1]", 200),
        ("::1", "evil.example", 400),
        ("localhost", "localhost", 200),
        ("localhost", "attacker.test:8124", 400),
        ("0.0.0.0", "127.0.0.1:8124", 200),
        ("0.0.0.0", "rebind.attacker.test:8124", 400),
    ],
)
def test_host_check_on_every_bind(bind: str, host: str, status: int) -> None:
    from fastapi.testclient import TestClient

    from mirscope.web.server import allowed_host_names, is_loopback

    app = create_app(allowed_hosts=allowed_host_names(bind), tokens={"t": ALICE},
                     require_token=not is_loopback(bind))
    with TestClient(app) as c:
        r = c.get("/api/health", headers={"Host": host, **_auth(ALICE)})
    assert r.status_code == status, r.text
    if status == 400:
        assert "Invalid Host header" in r.json()["detail"]


@pytest.mark.parametrize("path", ["/api/health", "/api/evidence?mirna=miR-124",
                                  "/api/network?mirna=miR-124", "/openapi.json"])
def test_network_bind_needs_the_token_for_every_api_call(path: str, kb_url: str) -> None:
    from fastapi.testclient import TestClient

    app = create_app(kb_url=kb_url, tokens={"alice": ALICE}, require_token=True)
    with TestClient(app) as c:
        assert c.get(path).status_code == 401
        assert c.get(path, headers=_auth("wrong-token-000")).status_code == 401
        assert c.get(path, headers=_auth(ALICE)).status_code == 200
        assert c.get("/").status_code == 200  # the page itself asks for the token


def test_require_token_needs_a_token() -> None:
    with pytest.raises(InputError, match="require_token=True needs a token"):
        create_app(require_token=True)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_serve_on_network_refuses_without_token(host: str, capsys: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from mirscope.cli import main

    monkeypatch.delenv("MIRSCOPE_TOKEN", raising=False)
    assert main(["serve", "--host", host, "--port", "8999"]) == 2
    assert "reachable from other machines" in capsys.readouterr().err


# -- caching -------------------------------------------------------------------------------
def test_concurrent_identical_figures_are_drawn_once(kb_url: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    import mirscope.network as net

    calls: list[int] = []
    original = net.draw_network

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(net, "draw_network", counting)
    app = create_app(kb_url=kb_url)
    bodies: list[bytes] = []
    with TestClient(app) as c:
        barrier = threading.Barrier(4)

        def get() -> None:
            barrier.wait()
            r = c.get("/api/network/figure", params={"mirna": "miR-124", "cancer": "HCC"})
            assert r.status_code == 200
            bodies.append(r.content)

        threads = [threading.Thread(target=get) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        c.get("/api/network/figure", params={"mirna": "miR-124", "cancer": "HCC"})
    assert len(bodies) == 4 and len(set(bodies)) == 1
    assert len(calls) == 1


def test_report_sections_match_the_library() -> None:
    from typing import get_args

    from mirscope.report import SECTIONS
    from mirscope.web.routes.report import Section

    assert get_args(Section) == SECTIONS
