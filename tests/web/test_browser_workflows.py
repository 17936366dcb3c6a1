"""Daily-use workflows of the workbench in headless chromium (Playwright).

Tabs following the search, errors clearing stale results, the paged and sortable evidence
table with PubMed links, network filters and the layout of a 100+ node network, the
enrichment tab, report generation with progress and download, and FASTA paste.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"


def _open(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.wait_for_selector("#evidence-table tbody tr")


def _api(page: Any, path: str) -> Any:
    return page.evaluate("(p) => fetch(p).then(r => r.json())", path)


def test_tabs_follow_the_search(page: Any, live_server: Any, artifacts: Path) -> None:
    _open(page, live_server.url)
    page.click("#tab-network")
    page.wait_for_function("() => window.cy && window.cy.getElementById('hsa-miR-124-3p').length")
    page.fill("#search-q", "miR-21")
    page.click("#search-go")
    page.wait_for_function(
        "() => document.querySelector('#evidence-count').textContent.includes('hsa-miR-21')")
    # the user's arm-less spelling is kept: every tab means both arms (issue 13)
    assert "miR-21" in page.inner_text("#context")
    page.click("#tab-network")  # re-drawn for the new search without pressing the button
    page.wait_for_function("() => window.cy && window.cy.getElementById('hsa-miR-21-5p').length")
    assert page.evaluate("window.cy.getElementById('hsa-miR-124-3p').length") == 0
    assert page.input_value("#network-form input[name=mirna]") == "miR-21"
    page.click("#tab-sites")
    assert page.input_value("#sites-form input[name=mirna]") == "miR-21"
    page.click("#tab-simulate")
    assert page.input_value("#simulate-form input[name=node]") == "miR-21"
    page.click("#tab-report")
    assert page.input_value("#report-form input[name=mirna]") == "miR-21"
    page.click("#tab-enrich")
    assert page.input_value("#enrich-form input[name=mirna]") == "miR-21"
    # a cancer search adds the cancer to the context of every tab
    page.fill("#search-q", "HCC")
    page.click("#search-go")
    page.wait_for_function(
        "() => document.querySelector('#context').textContent.includes('hepatocellular')")
    for form in ("#network-form", "#simulate-form", "#report-form", "#evidence-form"):
        assert page.input_value(f"{form} input[name=cancer]") == "hepatocellular carcinoma"
    page.screenshot(path=str(artifacts / "web-follow-search.png"), full_page=True)


def test_errors_clear_stale_results(page: Any, live_server: Any) -> None:
    _open(page, live_server.url)
    page.click("#tab-sites")
    page.fill("#sites-form textarea[name=sequence]", "AAAAAAAAAAGUGCCUUAAAAAAAAAAAA")
    page.click("#sites-go")
    page.wait_for_selector("#sites-table tbody tr")
    page.fill("#sites-form input[name=mirna]", "miR-99999")
    page.click("#sites-go")
    page.wait_for_selector("#message:not([hidden])")
    assert "miR-99999" in page.inner_text("#message")
    assert page.locator("#sites-table tbody tr").count() == 0
    assert page.inner_text("#sites-count") == ""
    # the same for the evidence table
    page.click("#tab-evidence")
    page.fill("#evidence-form input[name=mirna]", "miR-99999")
    page.click("#evidence-go")
    page.wait_for_function("() => document.querySelectorAll('#evidence-table tbody tr').length === 0")
    assert page.inner_text("#evidence-count") == ""
    # and for the network
    page.click("#tab-network")
    page.wait_for_function("() => !document.querySelector('#network-go').disabled")
    page.fill("#network-form input[name=mirna]", "miR-99999")
    page.click("#network-go")
    page.wait_for_function("() => document.querySelector('#message').textContent.includes('miR-99999')")
    assert page.evaluate("window.cy === undefined")
    assert page.get_attribute("#dl-png", "href") is None


def test_evidence_is_paged_and_sortable(page: Any, live_server: Any, artifacts: Path) -> None:
    _open(page, live_server.url)
    full = _api(page, "/api/evidence?mirna=miR-124&limit=5000")
    assert full["total"] > 100
    rows = page.locator("#evidence-table tbody tr")
    assert rows.count() == 50
    assert f"{full['total']} records · showing 1–50" in page.inner_text("#evidence-count")
    page.click("#ev-next")
    page.wait_for_function(
        "() => document.querySelector('#evidence-count').textContent.includes('showing 51–100')")
    assert rows.first.locator("td").nth(2).inner_text() == full["records"][50]["object"]
    page.click("#evidence-table th[data-sort=object]")
    page.wait_for_function(
        "() => document.querySelector('#evidence-count').textContent.includes('showing 1–50')")
    want = _api(page, "/api/evidence?mirna=miR-124&limit=50&sort=object&order=asc")
    got = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count())]
    assert got == [r["object"] for r in want["records"]]
    assert got == sorted(got, key=str.lower)
    page.click("#evidence-table th[data-sort=object]")  # again: descending
    page.wait_for_function("() => document.querySelector('th[data-sort=object]').dataset.order === 'desc'")
    page.wait_for_function(
        "(first) => document.querySelector('#evidence-table tbody tr td:nth-child(3)').textContent !== first",
        arg=got[0])
    last = sorted((r["object"] for r in full["records"]), key=str.lower)[-1]
    assert rows.first.locator("td").nth(2).inner_text().lower() == last.lower()
    assert page.is_disabled("#ev-prev")
    page.screenshot(path=str(artifacts / "web-evidence-paged.png"))


@pytest.fixture(scope="module")
def mtb_server(tmp_path_factory: pytest.TempPathFactory, live_server_class: Any) -> Iterator[Any]:
    """A second workbench whose knowledge base also holds miRTarBase rows (with PMIDs)."""
    from mirscope.kb import import_mirtarbase, open_store
    from mirscope.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('mtb') / 'kb.sqlite'}"
    with open_store(url) as kb:
        import_mirtarbase(kb, DATA / "kb" / "mirtarbase_small.tsv")
    server = live_server_class(create_app(kb_url=url))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_evidence_links_to_pubmed(browser: Any, mtb_server: Any) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _open(page, mtb_server.url)
        page.fill("#evidence-form input[name=gene]", "UHRF1")
        page.click("#evidence-go")
        page.wait_for_function(
            "() => document.querySelector('#evidence-count').textContent.includes('gene=UHRF1')")
        assert page.locator("a.pubmed").count() == 1  # the review rows cite review refs only
        link = page.locator("a.pubmed").first
        assert link.get_attribute("href") == "https://pubmed.ncbi.nlm.nih.gov/26310391/"
        assert link.inner_text() == "PMID 26310391"
        assert link.get_attribute("target") == "_blank"
    finally:
        context.close()
    assert not errors


_OVERLAPS = """() => {
  const boxes = window.cy.nodes().map(n => n.renderedBoundingBox({includeLabels: false}));
  let pairs = 0, hit = new Set();
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const dx = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
    const dy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
    if (dx > 0.25 * Math.min(a.w, b.w) && dy > 0.25 * Math.min(a.h, b.h)) { pairs++; hit.add(i); hit.add(j); }
  }
  return [boxes.length, pairs, hit.size];
}"""


def test_network_filters_and_readable_layout(page: Any, live_server: Any,
                                             artifacts: Path) -> None:
    _open(page, live_server.url)
    page.click("#tab-network")
    page.wait_for_function("() => window.cy && window.cy.nodes().length > 50")
    page.wait_for_timeout(500)
    n, pairs, crowded = page.evaluate(_OVERLAPS)
    assert 50 <= n <= 150
    # readable: at most 5% of the nodes sit on top of another one
    assert crowded <= 0.05 * n, (n, pairs, crowded)
    page.screenshot(path=str(artifacts / "web-network-large.png"))
    # filters: at most 30 nodes, no genes, review evidence only
    page.fill("#network-form input[name=max_nodes]", "30")
    page.uncheck("#net-types input[value=gene]")
    page.click("#network-go")
    page.wait_for_function("() => window.cy && window.cy.nodes().length <= 30")
    types = page.evaluate("window.cy.nodes().map(n => n.data('type'))")
    assert "gene" not in types and "mirna" in types
    href = page.get_attribute("#dl-graphml", "href")
    assert "max_nodes=30" in href and "node_type=pathway" in href and "node_type=gene" not in href
    for box in page.locator("#net-sources input").all():
        box.uncheck()
    page.click("#network-go")
    page.wait_for_selector("#message:not([hidden])")
    assert "evidence source" in page.inner_text("#message")
    assert page.evaluate("window.cy === undefined")


def test_enrichment_tab(page: Any, live_server: Any, artifacts: Path) -> None:
    _open(page, live_server.url)
    page.click("#tab-enrich")  # loads the enrichment of the current miRNA's targets
    page.wait_for_selector("#enrich-table tbody tr", timeout=120_000)
    assert "hsa-miR-124-3p validated targets" in page.inner_text("#enrich-count")
    api = _api(page, "/api/enrich?mirna=hsa-miR-124-3p&collection=hallmark&limit=100")
    cells = page.locator("#enrich-table tbody tr td:first-child").all_inner_texts()
    assert cells == [r["gene_set"] for r in api["table"]]
    page.screenshot(path=str(artifacts / "web-enrichment.png"))
    # a pasted gene list replaces the miRNA's targets
    page.fill("#enrich-form textarea[name=genes]", "STAT3 MYC CCND1 CDK6 EGFR BCL2 MTOR")
    page.click("#enrich-go")
    page.wait_for_function(
        "() => document.querySelector('#enrich-count').textContent.startsWith('Gene list: 7 genes')",
        timeout=120_000)


def test_report_generation_with_progress_and_download(page: Any, live_server: Any) -> None:
    _open(page, live_server.url)
    page.click("#tab-report")
    page.uncheck("#report-form input[value=network]")
    page.click("#report-go")
    page.wait_for_selector("#report-status-box:not([hidden])")
    assert page.evaluate("document.querySelector('#report-progress').tagName") == "PROGRESS"
    page.wait_for_selector("#report-download:not([hidden])", timeout=120_000)
    assert page.locator("#report-status-box").is_hidden()
    with page.expect_download() as dl:
        page.click("#report-download")
    assert dl.value.suggested_filename == "mirscope-report-hsa-miR-124-3p.html"
    html = Path(dl.value.path()).read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "hsa-miR-124-3p" in html


def test_fasta_paste_with_headers(page: Any, live_server: Any) -> None:
    _open(page, live_server.url)
    page.click("#tab-sites")
    page.fill("#sites-form textarea[name=sequence]",
              ">utr1 STAT3 3'UTR fragment\nAAAAAAAAAAGUGCC\nUUAAAAAAAAAA\n"
              ">utr2\nAAAAAAAAAGUGCCUUCAAAAAAAAA\n")
    page.click("#sites-go")
    page.wait_for_function("() => document.querySelector('#sites-count').textContent !== ''")
    assert page.inner_text("#sites-count").startswith("2 sites of hsa-miR-124-3p")
    assert "(2 records: utr1, utr2)" in page.inner_text("#sites-count")
    rows = " ".join(page.locator("#sites-table tbody tr").all_inner_texts())
    assert "utr1" in rows and "utr2" in rows
