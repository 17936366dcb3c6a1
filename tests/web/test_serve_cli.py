"""`mirscope serve` as a user runs it: a real process on a loopback port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], tmp_path: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = _free_port()
    env = dict(os.environ, MIRSCOPE_DATA_DIR=str(tmp_path / "data"),
               MIRSCOPE_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("MIRSCOPE_TOKEN", None)
    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mirscope", "serve", "--port", str(port), *args],
            env=env, stdout=subprocess.DEVNULL, stderr=err,
        )
    return proc, f"http://127.0.0.1:{port}", log


def _serving(proc: subprocess.Popen[bytes], base: str, log: Path,
             headers: dict[str, str] | None = None) -> None:
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            pytest.fail(f"mirscope serve exited: {log.read_text()[-2000:]}")
        try:
            req = urllib.request.Request(base + "/api/health", headers=headers or {})
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail("mirscope serve did not answer within 90 s")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, kb_url: str) -> Iterator[str]:
    tmp_path = tmp_path_factory.mktemp("serve")
    proc, base, log = _start(["--db", kb_url], tmp_path)
    try:
        _serving(proc, base, log)
        yield base
    finally:
        _stop(proc)


def test_serve_answers_evidence_query(served: str) -> None:
    url = served + "/api/evidence?mirna=miR-124&cancer=HCC"
    with urllib.request.urlopen(url, timeout=30) as r:
        assert r.status == 200
        assert r.headers["content-type"] == "application/json"
        data = json.loads(r.read())
    assert data["query"]["cancer"] == "hepatocellular carcinoma"
    assert data["count"] == len(data["records"]) > 0
    assert all(rec["evidence"] for rec in data["records"])


def test_serve_binds_loopback_only(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:  # no iproute2: read the listening sockets from /proc
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
        local = [ln.split()[1] for ln in lines if ln.split()[3] == "0A"]
        assert f"0100007F:{port:04X}" in local
        assert f"00000000:{port:04X}" not in local
    else:
        assert f"127.0.0.1:{port}" in out.stdout
        assert f"0.0.0.0:{port}" not in out.stdout and f"*:{port}" not in out.stdout


def test_serve_refuses_foreign_host_header(served: str) -> None:
    """DNS rebinding: a page on another domain that resolves to 127.0.0.1 gets 400."""
    req = urllib.request.Request(served + "/api/health", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 400
    info.value.close()


EDIT_TOKEN = "curator-alice-token-0001"


def _call(base: str, path: str, *, method: str = "GET", body: object = None,
          token: str | None = EDIT_TOKEN) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, method=method, headers=headers,
                                 data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read())


@pytest.fixture(scope="module")
def served_edits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`mirscope serve --allow-edits --token alice=...` on its own knowledge base."""
    from mirscope.kb import open_store

    tmp_path = tmp_path_factory.mktemp("serve-edits")
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    open_store(url).close()
    proc, base, log = _start(["--db", url, "--allow-edits", "--token", f"alice={EDIT_TOKEN}"],
                             tmp_path)
    try:
        _serving(proc, base, log)
        yield base
    finally:
        _stop(proc)


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_edit_reusing_a_curated_id_leaves_the_record_unchanged(served_edits: str,
                                                               method: str) -> None:
    code, page = _call(served_edits, "/api/evidence?mirna=miR-124&source=review&limit=1")
    assert code == 200
    (curated,) = page["records"]
    code, before = _call(served_edits, f"/api/evidence/history?id={curated['id']}")
    assert code == 200 and before["source"] == "review"
    forged = {**curated, "object": "TP53", "object_type": "gene", "relation": "targets",
              "evidence": "miR-124 targets TP53."}
    for key in [k for k, v in forged.items() if v is None or k == "source"]:
        forged.pop(key)  # the edit's source defaults to 'user'; only the id is reused
    body = {"relations": [forged]} if method == "POST" else {"relation": forged, "version": 0}
    code, res = _call(served_edits, "/api/evidence", method=method, body=body)
    assert code == (409 if method == "POST" else 403), res
    assert curated["id"] in res["detail"]
    code, after = _call(served_edits, f"/api/evidence/history?id={curated['id']}")
    assert after["record"] == before["record"] and after["source"] == "review"
    assert after["edits"] == []


def test_edit_records_who_and_when(served_edits: str) -> None:
    rel = {"id": "alice-001", "subject": "miR-124", "subject_type": "mirna",
           "relation": "targets", "object": "zeb2", "object_type": "gene",
           "evidence": "Luciferase reporter assay in U87 cells."}
    code, res = _call(served_edits, "/api/evidence", method="POST", body={"relations": [rel]})
    assert code == 201, res
    (entry,) = res["edits"]
    assert (entry["who"], entry["version"]) == ("alice", 1)
    code, hist = _call(served_edits, "/api/evidence/history?id=alice-001", token=None)
    assert hist["record"]["source"] == "user" and hist["record"]["object"] == "ZEB2"
    assert hist["record"]["subject"] == "hsa-miR-124-3p"
    assert hist["edits"][0]["who"] == "alice" and hist["edits"][0]["at"] == entry["at"]
