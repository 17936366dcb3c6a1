"""Two curators editing one shared knowledge base at once, through two `mirscope serve` processes.

Both servers start on the same empty PostgreSQL database, so they also race to create the
schema and load the review on their first request. (SQLite writers in several processes are
covered by tests/kb/test_backends.py.) The curators' relations
name the same genes (the store must create each entity once) under distinct ids.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mirscope.kb import open_store

TOKEN = "shared-db-test-token-1234"
GENES = ["ZEB2", "VIM", "SNAI2", "CDK6", "STAT3", "EZH2", "ROCK1", "IQGAP1"]
SRC = Path(__file__).resolve().parents[2] / "src"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _relation(curator: str, i: int) -> dict[str, Any]:
    return {
        "id": f"curator-{curator}-{i:03d}",
        "subject": "hsa-miR-124-3p",
        "subject_type": "mirna",
        "relation": "targets",
        "object": GENES[i % len(GENES)],
        "object_type": "gene",
        "direction": "down",
        "sign": -1,
        "cancer": "glioma",
        "evidence": f"Finding {i} entered by curator {curator}.",
        "source": "user",
    }


@pytest.fixture
def two_servers(pg_url: str, tmp_path: Path) -> Iterator[list[str]]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "MIRSCOPE_TOKEN": TOKEN,
    }
    procs, bases, logs = [], [], []
    for k in range(2):
        port = _free_port()
        log = tmp_path / f"serve{k}.log"
        with log.open("wb") as err:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "mirscope", "serve", "--port", str(port),
                     "--db", pg_url, "--allow-edits"],
                    env=env, stdout=subprocess.DEVNULL, stderr=err,
                )
            )  # fmt: skip
        bases.append(f"http://127.0.0.1:{port}")
        logs.append(log)
    try:
        for proc, base, log in zip(procs, bases, logs, strict=True):
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"mirscope serve exited: {log.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("mirscope serve did not answer within 120 s")
                time.sleep(0.2)
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _post(base: str, rel: dict[str, Any]) -> tuple[int, str]:
    req = urllib.request.Request(
        base + "/api/evidence",
        data=json.dumps({"relations": [rel]}).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@pytest.mark.slow
@pytest.mark.postgresql
def test_two_curators_on_two_servers_at_once(two_servers: list[str], pg_url: str) -> None:
    n = 12
    results: dict[str, list[tuple[int, str]]] = {"a": [], "b": []}
    barrier = threading.Barrier(2)

    def curate(curator: str, base: str) -> None:
        barrier.wait()
        for i in range(n):
            results[curator].append(_post(base, _relation(curator, i)))

    threads = [
        threading.Thread(target=curate, args=(c, b))
        for c, b in zip(("a", "b"), two_servers, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    for curator, res in results.items():
        assert [code for code, _ in res] == [201] * n, (curator, res)
    kb = open_store(pg_url, build=False)
    stored = {r.id: r for r in kb.query(source="user")}
    assert sorted(stored) == sorted(f"curator-{c}-{i:03d}" for c in "ab" for i in range(n))
    assert stored["curator-b-003"].evidence == "Finding 3 entered by curator b."
    assert sorted(kb.entity_names("gene")) == sorted(set(kb.entity_names("gene")))
    assert kb.stats()["by_source"]["review"] > 100  # the review loaded once, not twice
    review_imports = [row for row in kb.import_log() if row["source"] == "review"]
    assert sum(row["n_written"] for row in review_imports) == kb.stats()["by_source"]["review"]
    kb.close()
