"""The workbench for any miRNA (issue 13): ranked targets and the miRNA's own network."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import ANY_MIRNA_TARGETS


@pytest.mark.parametrize(("mirna", "known"), list(ANY_MIRNA_TARGETS.items()))
def test_targets_endpoint(client: Any, mirna: str, known: tuple[str, ...]) -> None:
    r = client.get("/api/targets", params={"mirna": mirna})
    assert r.status_code == 200, r.text
    data = r.json()
    top10 = [t["gene"] for t in data["targets"][:10]]
    assert set(known) <= set(top10)
    first = data["targets"][0]
    assert {"gene", "score", "n_references", "experiments", "sources", "pmids"} <= set(first)


def test_targets_tsv_and_errors(client: Any) -> None:
    r = client.get("/api/targets", params={"mirna": "miR-21", "format": "tsv"})
    assert r.status_code == 200
    assert r.text.splitlines()[1].split("\t")[1] == "PTEN"
    r = client.get("/api/targets", params={"mirna": "miR-6124"})
    assert r.status_code in (404, 422, 400) and "no evidence for miR-6124 yet" in r.json()["detail"]
    r = client.get("/api/targets", params={"mirna": "miR-21junk"})
    assert r.status_code in (404, 422, 400) and "miR-21junk" in r.json()["detail"]


def test_network_is_the_mirnas_own_with_both_arms(client: Any) -> None:
    r = client.get("/api/network", params={"mirna": "miR-34a"})
    assert r.status_code == 200, r.text
    ids = {e["data"]["id"] for e in r.json()["elements"]["nodes"]}
    assert {"hsa-miR-34a-5p", "SIRT1"} <= ids
    assert "hsa-miR-124-3p" not in ids  # not miR-124's review network


def test_ui_has_targets_tab_and_search_sets_every_tab(client: Any) -> None:
    html = client.get("/").text
    assert 'id="tab-targets"' in html and 'id="targets-table"' in html
    js = client.get("/static/app.js").text
    assert "setMirnaEverywhere" in js and "/api/targets?" in js
