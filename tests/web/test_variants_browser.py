"""The Variants tab in a real browser: upload, per-gene table, gene link opens the network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

HEADER = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"


def test_variants_tab(page: Any, live_server: Any, tmp_path: Path, artifacts: Path) -> None:
    (tmp_path / "in.vcf").write_text(HEADER + "chr1\t107\ta\tG\tC\t.\t.\t.\n")
    (tmp_path / "utrs.fa").write_text(">TX1|STAT3|chr1:101-116:+\nCCCCGTGCCTTACCCC\n")
    page.goto(live_server.url + "/")
    page.click("#tab-variants")
    page.set_input_files("#variants-vcf", str(tmp_path / "in.vcf"))
    page.set_input_files("#variants-utrs", str(tmp_path / "utrs.fa"))
    page.click("#variants-go")
    page.wait_for_function("() => document.querySelector('#variants-count').textContent !== ''")
    assert page.inner_text("#variants-count").startswith("1 site change(s) of hsa-miR-124-3p")
    row = page.locator("#variants-genes tbody tr").first.inner_text()
    assert "STAT3" in row and "\t1\t" in "\t" + row.replace("\n", "\t") + "\t"
    page.screenshot(path=str(artifacts / "web-variants.png"), full_page=True)
    page.click("#variants-genes a.gene-link")
    assert page.locator("#panel-network").get_attribute("class").split().count("active") == 1
