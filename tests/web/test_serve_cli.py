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


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, kb_url: str) -> Iterator[str]:
    tmp_path = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = dict(os.environ, MIRSCOPE_DATA_DIR=str(tmp_path / "data"),
               MIRSCOPE_CACHE_DIR=str(tmp_path / "cache"))
    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mirscope", "serve", "--port", str(port), "--db", kb_url],
            env=env, stdout=subprocess.DEVNULL, stderr=err,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
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
                pytest.fail("mirscope serve did not answer within 90 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
