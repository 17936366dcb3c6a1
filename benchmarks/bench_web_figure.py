"""Concurrent clients asking for the same network figure (``python -m benchmarks web_figure``).

The figure endpoint (``GET /api/network/figure``) draws the network with matplotlib, which
takes seconds. The workbench renders it in a worker thread, once per query: concurrent
identical requests wait for the first rendering and then share it, and later requests
are answered from the cache.

Reference (same run): one client alone asking for the figure on a fresh app (the cost of
one rendering; each app first draws another figure, untimed, to load fonts and data). Measured: ``CLIENTS`` clients asking at once on another fresh app (median
and max latency), then one more request (cached). Ratio reported: median concurrent
latency / single-client latency (target < 2: without the shared rendering, 8 clients on 2
cores need about 8 renderings, a ratio near 4-8).
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
import warnings
from pathlib import Path

CLIENTS = 8
QUERY = {"mirna": "miR-124", "format": "png"}


def _client(kb_url: str):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from mirscope.web import create_app

    app = create_app(kb_url=kb_url)
    app.state.workbench.warm()
    client = TestClient(app)
    # warm-up (untimed): one figure of another query, so imports, fonts and the relations
    # are loaded and the timed requests measure the rendering of QUERY only
    client.get("/api/network/figure", params={"mirna": "miR-124", "cancer": "glioma"})
    return client


def _timed_get(client, out: list[float]) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    r = client.get("/api/network/figure", params=QUERY)
    r.raise_for_status()
    out.append(time.perf_counter() - t0)


def main() -> None:
    from mirscope.kb import open_store

    with tempfile.TemporaryDirectory(prefix="mirscope-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'kb.sqlite'}"
        open_store(url).close()
        single: list[float] = []
        with _client(url) as c:
            _timed_get(c, single)
        lat: list[float] = []
        with _client(url) as c:
            barrier = threading.Barrier(CLIENTS)

            def run() -> None:
                barrier.wait()
                _timed_get(c, lat)

            threads = [threading.Thread(target=run) for _ in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            cached: list[float] = []
            _timed_get(c, cached)
    med = statistics.median(lat)
    print(f"single client, uncached (reference): {single[0]:.2f} s")
    print(f"{CLIENTS} concurrent clients, same query: median {med:.2f} s, max {max(lat):.2f} s")
    print(f"next request (cached): {cached[0] * 1000:.1f} ms")
    ratio = med / single[0]
    print(f"median concurrent / single = {ratio:.2f} (target < 2): "
          f"{'PASS' if ratio < 2 else 'FAIL'}")


if __name__ == "__main__":
    main()
