"""Bounded loopback load test of the web workbench (``python -m benchmarks web``).

The app runs as ``mirscope serve`` does (:func:`mirscope.web.serve`: uvicorn, one
process) in a child process on 127.0.0.1 (a free port), on a
temporary knowledge base loaded with the shipped review. 50 concurrent clients
(threads with keep-alive http.client connections) each send ``REQUESTS_PER_CLIENT``
requests, alternating an evidence query (drawn from a fixed list of realistic
filters) with the trivial ``GET /api/health`` (the reference, measured under the
same load in the same run), with a random think time drawn from ``THINK_S``
between requests. The run is bounded in requests (50 x ``REQUESTS_PER_CLIENT``)
and in time (``TIME_LIMIT_S``); only loopback addresses are contacted.

The server caches rendered evidence responses (the knowledge base is read-only
over HTTP); a timed warm-up sends every query once first, so the load phase
measures cached answers and the warm-up reports the cold (uncached) latencies.
uvicorn uses httptools when it is installed (``uvicorn[standard]``), which roughly
halves the per-request overhead compared with the pure-Python h11 parser.

Target: p95 latency of evidence queries < 50 ms at 50 concurrent clients.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
from pathlib import Path

import numpy as np

CLIENTS = 50
REQUESTS_PER_CLIENT = 100  # 50 evidence + 50 health per client
THINK_S = (0.1, 0.3)  # seconds between a client's requests (uniform)
TIME_LIMIT_S = 90.0
TARGET_P95_MS = 50.0
HOST = "127.0.0.1"

EVIDENCE_QUERIES: tuple[dict[str, str], ...] = (
    {"mirna": "miR-124", "cancer": "HCC"},
    {"mirna": "miR-124", "cancer": "glioma"},
    {"mirna": "miR-124", "cancer": "breast cancer"},
    {"mirna": "miR-124", "cancer": "gastric cancer"},
    {"mirna": "miR-124", "relation": "targets", "limit": "100"},
    {"mirna": "miR-124", "relation": "sponges"},
    {"gene": "STAT3"},
    {"gene": "CDK6"},
    {"mirna": "hsa-miR-124-3p", "cancer": "colorectal cancer"},
    {"cancer": "HCC", "relation": "targets"},
)

_SERVER = textwrap.dedent(
    """
    import sys
    from mirscope.web import serve
    serve(kb_url=sys.argv[1], host=sys.argv[2], port=int(sys.argv[3]))
    """
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _prepare_kb(folder: Path) -> str:
    from mirscope.kb import open_store

    url = f"sqlite:///{folder / 'bench-kb.sqlite'}"
    open_store(url).close()  # builds it from the curated review
    return url


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            if httpx.get(base + "/api/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not become ready in time")


def _client(i: int, port: int, deadline: float, out: dict[str, list[float]],
            errors: list[str]) -> None:
    """One client: a keep-alive connection, alternating evidence and health requests."""
    rng = random.Random(i)
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        time.sleep(rng.uniform(0, THINK_S[1]))
        for k in range(REQUESTS_PER_CLIENT):
            if time.monotonic() > deadline:
                return
            if k % 2 == 0:
                kind = "evidence"
                url = "/api/evidence?" + urllib.parse.urlencode(rng.choice(EVIDENCE_QUERIES))
            else:
                kind, url = "health", "/api/health"
            t0 = time.perf_counter()
            conn.request("GET", url)
            resp = conn.getresponse()
            resp.read()
            dt = (time.perf_counter() - t0) * 1000
            if resp.status == 200:
                out[kind].append(dt)
            else:
                errors.append(f"{url}: HTTP {resp.status}")
            time.sleep(rng.uniform(*THINK_S))
    except OSError as err:
        errors.append(f"client {i}: {err}")
    finally:
        conn.close()


def _load(port: int) -> tuple[list[float], list[float], list[float], list[str], float]:
    # warm-up: every query once, timed (the cold, uncached latency: database query and
    # JSON rendering); checks the answers and fills the server's response cache
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    cold_ms: list[float] = []
    for q in EVIDENCE_QUERIES:
        t0 = time.perf_counter()
        conn.request("GET", "/api/evidence?" + urllib.parse.urlencode(q))
        resp = conn.getresponse()
        body = resp.read()
        cold_ms.append((time.perf_counter() - t0) * 1000)
        if resp.status != 200:
            raise RuntimeError(f"warm-up query {q} gave HTTP {resp.status}: {body[:200]!r}")
    conn.close()
    out: dict[str, list[float]] = {"evidence": [], "health": []}
    errors: list[str] = []
    deadline = time.monotonic() + TIME_LIMIT_S
    threads = [
        threading.Thread(target=_client, args=(i, port, deadline, out, errors), daemon=True)
        for i in range(CLIENTS)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIME_LIMIT_S + 30)
    wall = time.perf_counter() - t0
    return out["evidence"], out["health"], cold_ms, errors, wall


def _pct(xs: list[float]) -> str:
    a = np.asarray(xs)
    return (f"n={a.size:5d}  p50={np.percentile(a, 50):6.1f} ms  p95={np.percentile(a, 95):6.1f} ms"
            f"  p99={np.percentile(a, 99):6.1f} ms  max={a.max():6.1f} ms")


def main() -> None:
    """Run the load test and print latencies, throughput and the p95 verdict."""
    with tempfile.TemporaryDirectory(prefix="mirscope-bench-web-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ, MIRSCOPE_DATA_DIR=str(folder / "data"),
                   MIRSCOPE_CACHE_DIR=str(folder / "cache"), MPLBACKEND="Agg")
        os.environ.update({k: env[k] for k in ("MIRSCOPE_DATA_DIR", "MIRSCOPE_CACHE_DIR")})
        kb_url = _prepare_kb(folder)
        port = _free_port()
        base = f"http://{HOST}:{port}"
        proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, kb_url, HOST, str(port)], env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            _wait_ready(base, proc)
            switch = sys.getswitchinterval()
            sys.setswitchinterval(0.0005)  # client threads get the GIL back promptly
            try:
                evidence_ms, health_ms, cold_ms, errors, wall = _load(port)
            finally:
                sys.setswitchinterval(switch)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    n = len(evidence_ms) + len(health_ms)
    p95_e = float(np.percentile(evidence_ms, 95))
    p95_h = float(np.percentile(health_ms, 95))
    print(f"{CLIENTS} concurrent clients (keep-alive), think time U{THINK_S} s, loopback {HOST}; "
          f"{n} requests in {wall:.1f} s ({n / wall:.0f} req/s), {len(errors)} errors")
    for e in errors[:5]:
        print(f"  error: {e}")
    print(f"evidence queries: {_pct(evidence_ms)}")
    print(f"health reference: {_pct(health_ms)}")
    print(f"p95 evidence / p95 health = {p95_e / p95_h:.2f}")
    print(f"cold (first, uncached) evidence queries, one at a time: median "
          f"{np.median(cold_ms):.1f} ms, max {max(cold_ms):.1f} ms over {len(cold_ms)} queries")
    verdict = "PASS" if p95_e < TARGET_P95_MS and not errors else "FAIL"
    print(f"target p95(evidence) < {TARGET_P95_MS:.0f} ms: {verdict} ({p95_e:.1f} ms)")


if __name__ == "__main__":  # pragma: no cover
    main()
