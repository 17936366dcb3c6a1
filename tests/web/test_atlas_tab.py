"""The Atlas tab and /api/atlas: no upload, shipped or cached cohorts, table + panel + KM."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from mirscope.clinical.atlas import AtlasFitter


def _png(b64: str) -> bytes:
    data = base64.b64decode(b64)
    assert data[:4] == b"\x89PNG"
    return data


def test_api_atlas_equals_library(client: Any) -> None:
    r = client.get("/api/atlas", params={"mirna": "miR-21"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["mirna"] == "hsa-miR-21-5p" and len(d["cohorts"]) == 18
    _png(d["panel_png"])
    lib = AtlasFitter().fit("miR-21").result_.summary
    for row in d["cohorts"]:
        if row["cox_hr"] is not None:
            assert row["cox_hr"] == pytest.approx(lib.loc[row["cohort"], "cox_hr"], rel=1e-12)


def test_api_atlas_cohorts_and_km(client: Any) -> None:
    c = client.get("/api/atlas/cohorts").json()
    assert len(c["shipped"]) == 18 and c["cache"] == []
    r = client.get("/api/atlas/km", params={"mirna": "miR-21", "cohort": "lihc"})
    assert r.status_code == 200, r.text
    d = r.json()
    _png(d["km_png"])
    _png(d["paired_png"])
    r = client.get("/api/atlas/km", params={"mirna": "miR-21", "cohort": "OV"}).json()
    assert r["paired_png"] is None and "no patient with both" in r["notes"][0]


@pytest.mark.parametrize(
    ("url", "params", "status", "pattern"),
    [
        ("/api/atlas", {"mirna": "miR-99999"}, 404, "Unknown miRNA"),
        ("/api/atlas", {"mirna": "miR-4454"}, 422, "not measured in TCGA"),
        ("/api/atlas", {"mirna": "miR-21", "source": "cache"}, 422, "mirscope tcga fetch"),
        ("/api/atlas", {"mirna": "miR-21", "source": "web"}, 422, "shipped"),
        ("/api/atlas/km", {"mirna": "miR-21", "cohort": "XYZ"}, 404, "Unknown TCGA cohort"),
        ("/api/atlas/km", {"mirna": "miR-21", "cohort": "../etc"}, 422, "pattern"),
    ],
)
def test_api_atlas_rejections(client: Any, url: str, params: dict, status: int, pattern: str) -> None:
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    assert pattern in r.text


@pytest.mark.browser
def test_atlas_tab_shows_table_panel_and_km(page: Any, live_server: Any, artifacts: Path) -> None:
    page.goto(live_server.url + "/")
    page.click("#tab-atlas")
    page.fill("#atlas-form input[name=mirna]", "let-7a")
    page.click("#atlas-go")
    page.wait_for_selector("#atlas-panel-img", timeout=120_000)
    assert page.evaluate("document.querySelector('#atlas-panel-img').naturalWidth") > 300
    assert page.locator("#atlas-table tbody tr").count() == 18
    page.select_option("#atlas-cohort", "LIHC")
    page.click("#atlas-km-go")
    page.wait_for_selector("#atlas-km-img", timeout=60_000)
    assert page.evaluate("document.querySelector('#atlas-km-img').naturalWidth") > 200
    page.wait_for_selector("#atlas-paired-img")
    page.screenshot(path=str(artifacts / "web-atlas.png"), full_page=True)
