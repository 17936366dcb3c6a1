"""Security and robustness of the workbench: bind host, edits, limits, path traversal."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from typer.testing import CliRunner

from mirscope.errors import InputError
from mirscope.web import DEFAULT_HOST, create_app, serve
from mirscope.web.server import check_bind_host

TOKEN = "s3cret-token-for-tests"


def _relation(id_: str = "USER1") -> dict[str, Any]:
    return {
        "id": id_,
        "subject": "hsa-miR-124-3p",
        "subject_type": "mirna",
        "relation": "targets",
        "object": "ZEB2",
        "object_type": "gene",
        "direction": "down",
        "sign": -1,
        "cancer": "glioma",
        "evidence": "A user-added test finding.",
        "source": "user",
    }


def test_default_bind_host_is_loopback() -> None:
    assert DEFAULT_HOST == "127.0.0.1"
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    from mirscope.cli.serve import serve as serve_cmd

    assert inspect.signature(serve_cmd).parameters["host"].default.default == "127.0.0.1"


def test_serve_help_shows_loopback_default() -> None:
    from mirscope.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output


@pytest.mark.parametrize("host", ["example.org", "127.0.0.1; rm -rf /", ""])
def test_bind_host_must_be_an_address(host: str) -> None:
    with pytest.raises(InputError, match="not an IP address"):
        check_bind_host(host)


def test_edits_need_a_token() -> None:
    with pytest.raises(InputError, match="needs a token"):
        create_app(allow_edits=True)


def test_short_token_refused() -> None:
    with pytest.raises(InputError, match="at least 8 characters"):
        create_app(allow_edits=True, token="abc")


def test_read_only_by_default(client: Any) -> None:
    r = client.post("/api/evidence", json={"relations": [_relation()]},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403
    assert "read-only" in r.json()["detail"]


@pytest.fixture
def edit_client(tmp_path: Any) -> Any:
    from fastapi.testclient import TestClient

    from mirscope.kb import open_store

    url = f"sqlite:///{tmp_path / 'edit.sqlite'}"
    open_store(url).close()
    with TestClient(create_app(kb_url=url, allow_edits=True, token=TOKEN)) as c:
        yield c


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token-123"}, {"Authorization": f"Basic {TOKEN}"},
     {"Authorization": f"Bearer {TOKEN}x"}],
    ids=["none", "wrong", "basic", "suffix"],
)
def test_edits_refused_without_the_right_token(edit_client: Any, headers: dict[str, str]) -> None:
    r = edit_client.post("/api/evidence", json={"relations": [_relation()]}, headers=headers)
    assert r.status_code == 401
    assert "token" in r.json()["detail"]
    q = edit_client.get("/api/evidence", params={"mirna": "miR-124", "gene": "ZEB2",
                                                 "source": "user"})
    assert q.json()["count"] == 0


def test_edit_with_token_is_queryable(edit_client: Any) -> None:
    before = edit_client.get("/api/evidence", params={"gene": "ZEB2", "source": "user"}).json()
    r = edit_client.post("/api/evidence", json={"relations": [_relation()]},
                         headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    assert r.json()["added"] == 1
    assert [(e["relation_id"], e["who"], e["version"]) for e in r.json()["edits"]] == [
        ("USER1", "editor", 1)]
    after = edit_client.get("/api/evidence", params={"gene": "ZEB2", "source": "user"}).json()
    assert after["count"] == before["count"] + 1
    assert "USER1" in {rec["id"] for rec in after["records"]}


def test_edit_body_validated(edit_client: Any) -> None:
    bad = _relation()
    bad["relation"] = "eats"
    r = edit_client.post("/api/evidence", json={"relations": [bad]},
                         headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422
    assert "relation" in r.text


def test_oversize_upload_is_413(client: Any) -> None:
    body = b"marker,label\n" + b"1.0,tumor\n" * 30_000  # > 200 kB limit of the test app
    r = client.post("/api/clinical/roc", files={"file": ("big.csv", body, "text/csv")},
                    data={"marker_col": "marker", "label_col": "label", "positive": "tumor"})
    assert r.status_code == 413
    assert "200000 bytes" in r.json()["detail"]


def test_oversize_chunked_body_is_413(client: Any) -> None:
    def chunks() -> Any:
        for _ in range(50):
            yield b"x" * 10_000

    r = client.post("/api/simulate", content=chunks(),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_too_many_rows_is_422(client: Any) -> None:
    body = "marker,label\n" + "".join(f"{i % 7},{'tumor' if i % 2 else 'normal'}\n"
                                      for i in range(1_500))
    r = client.post("/api/clinical/roc", files={"file": ("rows.csv", body, "text/csv")},
                    data={"marker_col": "marker", "label_col": "label", "positive": "tumor"})
    assert r.status_code == 422
    assert "1000 rows" in r.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/static/../web/app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2F..%2F..%2Fetc%2Fpasswd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/..%2F..%2Fetc%2Fpasswd",
        "/vendor/%2e%2e",
        "/vendor/dash_cytoscape.min.js%00.py",
        "/vendor/react.min.js/../../app.py",
        "/../../etc/passwd",
    ],
)
def test_path_traversal_refused(client: Any, url: str) -> None:
    r = client.get(url)
    assert 400 <= r.status_code < 500
    assert b"root:" not in r.content
    assert b"def create_app" not in r.content


def test_upload_filename_is_never_opened(client: Any) -> None:
    body = "marker,label\n1,normal\n2,normal\n3,tumor\n4,tumor\n"
    r = client.post("/api/clinical/roc",
                    files={"file": ("../../../../etc/passwd", body, "text/csv")},
                    data={"marker_col": "marker", "label_col": "label", "positive": "tumor"})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["auc"] == pytest.approx(1.0)


def test_no_endpoint_takes_a_path(client: Any) -> None:
    schema = client.get("/openapi.json").json()
    for path, ops in schema["paths"].items():
        assert "{" not in path, path
        for op in ops.values():
            for p in op.get("parameters", []):
                assert p["in"] in ("query", "header"), (path, p)
                assert p["name"].lower() not in ("path", "file", "filename", "dir", "url")


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"mirna": "x" * 101}, "at most 100 characters"),
        ({"mirna": "miR\x00124"}, "pattern"),
        ({"relation": "eats"}, "relation"),
        ({"limit": "0"}, "greater than or equal to 1"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_parameters_are_422_with_reason(client: Any, params: dict[str, str],
                                            fragment: str) -> None:
    r = client.get("/api/evidence", params=params)
    assert r.status_code == 422
    assert fragment in r.text


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["--allow-edits"], "needs a token"), (["--host", "example.org"], "not an IP address"),
     (["--allow-edits", "--token", "short"], "at least 8 characters")],
)
def test_serve_cli_refuses_unsafe_options(args: list[str], fragment: str, capsys: Any,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from mirscope.cli import main

    monkeypatch.delenv("MIRSCOPE_TOKEN", raising=False)
    assert main(["serve", "--port", "1", *args]) == 2
    assert fragment in capsys.readouterr().err
