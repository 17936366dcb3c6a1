"""The workbench in a real headless chromium (Playwright): search, network, simulation, cohort.

Screenshots are saved under ``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.browser


def _open(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    page.wait_for_selector("#evidence-table tbody tr")


def test_search_shows_evidence_with_provenance(page: Any, live_server: Any,
                                               artifacts: Path) -> None:
    _open(page, live_server)
    page.fill("#search-q", "STAT3")
    page.click("#search-go")
    page.wait_for_function(
        "() => document.querySelector('#evidence-count').textContent.includes('gene=STAT3')"
    )
    rows = page.locator("#evidence-table tbody tr")
    assert rows.count() > 0
    for i in range(rows.count()):
        text = rows.nth(i).inner_text()
        assert "STAT3" in text
    first_sentence = page.locator("#evidence-table tbody tr td.provenance").first.inner_text()
    assert len(first_sentence) > 20
    assert page.locator("#search-results .chip").count() >= 1
    page.screenshot(path=str(artifacts / "web-search-evidence.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("#evidence-tsv")
    lines = Path(dl.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[:4] == ["id", "subject", "subject_type", "relation"]
    # the download holds every matching record; the table shows the first page of them
    import re

    total = int(re.search(r"\d+", page.inner_text("#evidence-count")).group(0))
    assert len(lines) - 1 == total >= rows.count()


def test_unknown_name_shows_a_clear_message(page: Any, live_server: Any) -> None:
    _open(page, live_server)
    page.fill("#evidence-form input[name=mirna]", "miR-99999")
    page.click("#evidence-go")
    page.wait_for_selector("#message:not([hidden])")
    assert "miR-99999" in page.inner_text("#message")


def test_network_click_node_shows_details(page: Any, live_server: Any, artifacts: Path) -> None:
    _open(page, live_server)
    page.click("#tab-network")
    page.fill("#network-form input[name=cancer]", "HCC")
    page.click("#network-go")
    page.wait_for_function("() => window.cy && window.cy.nodes().length > 1")
    page.wait_for_selector("#network-summary")
    page.wait_for_timeout(500)  # let the layout settle
    node_id = "hsa-miR-124-3p"
    x, y = page.evaluate(
        """(id) => { const n = window.cy.getElementById(id); const p = n.renderedPosition();
                     const r = window.cy.container().getBoundingClientRect();
                     return [p.x + r.left, p.y + r.top]; }""",
        node_id,
    )
    page.mouse.click(x, y)
    page.wait_for_selector("#node-title")
    assert page.inner_text("#node-title") == node_id
    page.wait_for_selector("#node-count")
    assert "evidence record" in page.inner_text("#node-count")
    assert page.locator(".node-evidence li").count() > 0
    for link in ("#dl-graphml", "#dl-png", "#dl-svg"):
        href = page.get_attribute(link, "href")
        assert href and href.startswith("/api/network") and "cancer=HCC" in href
    page.screenshot(path=str(artifacts / "web-network-node.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("#dl-graphml")
    G = nx.read_graphml(dl.value.path())
    assert node_id in G and G.number_of_nodes() == page.evaluate("window.cy.nodes().length")
    with page.expect_download() as dl:
        page.click("#dl-png")
    assert Path(dl.value.path()).read_bytes()[:4] == b"\x89PNG"


def test_run_simulation_shows_plot(page: Any, live_server: Any, artifacts: Path) -> None:
    _open(page, live_server)
    page.click("#tab-simulate")
    page.fill("#simulate-form input[name=node]", "miR-124")
    page.select_option("#simulate-form select[name=verb]", "overexpress")
    page.click("#simulate-go")
    page.wait_for_selector("#simulate-plot:not([hidden])")
    assert page.evaluate("document.querySelector('#simulate-plot').naturalWidth") > 100
    assert page.locator("#simulate-table tbody tr").count() > 0
    page.screenshot(path=str(artifacts / "web-simulation.png"), full_page=True)


def test_upload_cohort_shows_roc_and_km(page: Any, live_server: Any, artifacts: Path,
                                        tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    n = 80
    label = np.array(["tumor", "normal"] * (n // 2))
    marker = np.where(label == "tumor", rng.normal(0.0, 1.0, n), rng.normal(1.2, 1.0, n))
    time = rng.exponential(np.where(marker < np.median(marker), 400.0, 900.0)).round(1)
    df = pd.DataFrame({"mir124": marker.round(3), "label": label, "os_days": time,
                       "os_event": (rng.random(n) < 0.7).astype(int)})
    path = tmp_path / "cohort.csv"
    df.to_csv(path, index=False)

    _open(page, live_server)
    page.click("#tab-cohort")
    page.set_input_files("#cohort-file", str(path))
    page.wait_for_function("() => document.querySelectorAll('select[name=marker_col] option').length === 4")
    assert page.input_value("select[name=marker_col]") == "mir124"
    assert page.input_value("select[name=duration_col]") == "os_days"
    assert page.input_value("select[name=event_col]") == "os_event"
    page.select_option("select[name=label_col]", "label")
    page.fill("input[name=positive]", "tumor")
    page.click("#roc-go")
    page.wait_for_selector("#roc-result img")
    page.click("#km-go")
    page.wait_for_selector("#km-result img")
    for sel in ("#roc-result img", "#km-result img"):
        assert page.evaluate(f"document.querySelector('{sel}').naturalWidth") > 100
    assert "auc" in page.inner_text("#roc-result")
    assert "logrank_p" in page.inner_text("#km-result")
    page.screenshot(path=str(artifacts / "web-cohort.png"), full_page=True)


def test_scan_a_sequence(page: Any, live_server: Any) -> None:
    _open(page, live_server)
    page.click("#tab-sites")
    page.fill("#sites-form textarea[name=sequence]", "AAAAAAAAAAGUGCCUUAAAAAAAAAAAAAAAAAAAAGUGCCUUCAAAAAAAAAA")
    page.click("#sites-go")
    page.wait_for_function("() => document.querySelector('#sites-count').textContent !== ''")
    assert page.inner_text("#sites-count").startswith("2 sites of hsa-miR-124-3p")
    types = page.locator("#sites-table tbody tr").all_inner_texts()
    assert any("8mer" in t for t in types) and any("7mer-m8" in t for t in types)


def test_api_docs_render_offline(page: Any, live_server: Any, artifacts: Path) -> None:
    page.goto(live_server.url + "/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.locator(".opblock").count() >= 8
    page.screenshot(path=str(artifacts / "web-api-docs.png"))
