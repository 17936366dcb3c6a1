"""The workbench's JSON API against the library functions it wraps (the reference)."""

from __future__ import annotations

import base64
import csv
import io
import re
from importlib.resources import files
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from mirscope.schema import RELATION_EXPORT_COLUMNS

REVIEW = (files("mirscope.kb") / "data" / "mir124-cancer-review.txt").read_text(encoding="utf-8")


def test_health(client: Any) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["read_only"] is True


def test_evidence_mir124_hcc(client: Any, kb_url: str) -> None:
    from mirscope.kb import open_store

    r = client.get("/api/evidence", params={"mirna": "miR-124", "cancer": "HCC"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["query"]["mirna"] == "hsa-miR-124-3p"
    assert data["query"]["cancer"] == "hepatocellular carcinoma"
    expected = open_store(kb_url).query(mirna="miR-124", cancer="HCC")
    assert data["count"] == len(expected) > 0
    assert [rec["id"] for rec in data["records"]] == [rel.id for rel in expected]
    for rec in data["records"]:
        assert rec["cancer"] == "hepatocellular carcinoma"
        assert any("miR-124" in n or "mir-124" in n or n.startswith("MIR124")
                   for n in (rec["subject"], rec["object"]))


def test_evidence_provenance_points_into_the_review(client: Any) -> None:
    data = client.get("/api/evidence", params={"mirna": "miR-124", "limit": 5000}).json()
    review = [rec for rec in data["records"] if rec["source"] == "review"]
    assert review
    with_offsets = [rec for rec in review if rec["evidence_start"] is not None]
    assert len(with_offsets) > len(review) / 2
    for rec in review:
        assert rec["evidence"]
        start, end = rec["evidence_start"], rec["evidence_end"]
        if start is not None:
            assert " ".join(REVIEW[start:end].split()) == " ".join(rec["evidence"].split())


def test_evidence_filters_combine(client: Any) -> None:
    data = client.get("/api/evidence", params={"mirna": "miR-124", "relation": "targets"}).json()
    assert data["count"] > 0
    assert {rec["relation"] for rec in data["records"]} == {"targets"}
    stat3 = client.get("/api/evidence",
                       params={"mirna": "miR-124", "gene": "STAT3"}).json()
    assert stat3["count"] > 0
    assert all("STAT3" in (rec["subject"], rec["object"]) for rec in stat3["records"])


def test_evidence_limit_and_truncation(client: Any) -> None:
    full = client.get("/api/evidence", params={"mirna": "miR-124"}).json()
    part = client.get("/api/evidence", params={"mirna": "miR-124", "limit": 3}).json()
    assert part["count"] == full["count"]
    assert len(part["records"]) == 3 and part["truncated"] is True
    assert part["records"] == full["records"][:3]


def test_evidence_tsv(client: Any) -> None:
    js = client.get("/api/evidence", params={"mirna": "miR-124", "cancer": "HCC"}).json()
    r = client.get("/api/evidence", params={"mirna": "miR-124", "cancer": "HCC", "format": "tsv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    rows = list(csv.reader(io.StringIO(r.text), delimiter="\t"))
    assert tuple(rows[0]) == RELATION_EXPORT_COLUMNS
    assert len(rows) - 1 == js["count"]
    assert [row[0] for row in rows[1:]] == [rec["id"] for rec in js["records"]]


@pytest.mark.parametrize(
    ("params", "kind"),
    [({"mirna": "miR-99999"}, "miRNA"), ({"cancer": "hepatocelular carcnoma"}, "cancer"),
     ({"gene": "NOTAGENE1"}, "gene")],
)
def test_unknown_names_are_404_with_suggestions(client: Any, params: dict[str, str],
                                                kind: str) -> None:
    r = client.get("/api/evidence", params=params)
    assert r.status_code == 404
    body = r.json()
    assert next(iter(params.values())) in body["detail"]
    assert kind.lower() in body["kind"].lower()
    assert isinstance(body["suggestions"], list)


def test_cancer_typo_suggests_the_right_name(client: Any) -> None:
    body = client.get("/api/evidence", params={"cancer": "hepatocelular carcnoma"}).json()
    assert "hepatocellular carcinoma" in body["suggestions"]


@pytest.mark.parametrize(
    ("q", "name", "etype"),
    [("miR-124", "hsa-miR-124-3p", "mirna"), ("STAT3", "STAT3", "gene"),
     ("HCC", "hepatocellular carcinoma", "cancer")],
)
def test_entity_search_resolves(client: Any, q: str, name: str, etype: str) -> None:
    r = client.get("/api/entities/search", params={"q": q})
    assert r.status_code == 200
    data = r.json()
    assert data["resolved"]["name"] == name
    assert data["resolved"]["type"] == etype


def test_entity_search_substring(client: Any) -> None:
    data = client.get("/api/entities/search", params={"q": "circ", "limit": 50}).json()
    assert data["results"]
    assert all("circ" in hit["name"].lower() for hit in data["results"])


def test_entity_details(client: Any, kb_url: str) -> None:
    from mirscope.kb import open_store

    data = client.get("/api/entity", params={"name": "STAT3"}).json()
    expected = [r.id for r in open_store(kb_url).all_relations() if "STAT3" in (r.subject, r.object)]
    assert data["entity"]["name"] == "STAT3"
    assert data["count"] == len(expected) > 0
    assert sorted(rec["id"] for rec in data["records"]) == sorted(expected)


def _graph(kb_url: str, mirna: str, **kw: Any) -> nx.MultiDiGraph:
    """The miRNA's own network as the library builds it (issue 13)."""
    from mirscope.kb import open_store
    from mirscope.network import mirna_network
    from mirscope.web.routes.network import WEB_MAX_NODES

    return mirna_network(mirna, kb=open_store(kb_url), max_nodes=WEB_MAX_NODES, **kw)


def test_network_cyjs_matches_build_graph(client: Any, kb_url: str) -> None:
    G = _graph(kb_url, mirna="miR-124")
    r = client.get("/api/network", params={"mirna": "miR-124"})
    assert r.status_code == 200
    el = r.json()["elements"]
    assert {n["data"]["id"] for n in el["nodes"]} == {str(n) for n in G.nodes}
    assert len(el["edges"]) == G.number_of_edges()


def test_network_graphml_and_sif(client: Any, kb_url: str) -> None:
    G = _graph(kb_url, mirna="miR-124", cancer="HCC")
    r = client.get("/api/network", params={"mirna": "miR-124", "cancer": "HCC",
                                           "format": "graphml"})
    assert r.status_code == 200
    H = nx.read_graphml(io.BytesIO(r.content))
    assert set(H.nodes) == {str(n) for n in G.nodes}
    sif = client.get("/api/network", params={"mirna": "miR-124", "cancer": "HCC",
                                              "format": "sif"}).text
    edges = [line.split("\t") for line in sif.splitlines() if "\t" in line]
    assert len(edges) == G.number_of_edges()


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("svg", b"<svg")])
def test_network_figure(client: Any, fmt: str, magic: bytes) -> None:
    r = client.get("/api/network/figure", params={"mirna": "miR-124", "cancer": "HCC",
                                                  "format": fmt})
    assert r.status_code == 200
    assert magic in r.content[:400]


def test_sites_scan_matches_library(client: Any) -> None:
    from mirscope.sites import scan

    # two miR-124 8mer sites (seed match CGUGCCUU + A) in a random background
    rng = np.random.default_rng(1)
    bg = "".join(rng.choice(list("ACGU"), 120))
    seq = bg[:40] + "GUGCCUUA" + bg[40:90] + "GUGCCUUA" + bg[90:]
    r = client.post("/api/sites/scan", json={"sequence": seq, "mirna": "miR-124"})
    assert r.status_code == 200, r.text
    data = r.json()
    ref = scan({"query": seq}, "hsa-miR-124-3p")
    assert data["count"] == len(ref) >= 2
    assert [s["start"] for s in data["sites"]] == [int(x) for x in ref["start"]]
    assert [s["site_type"] for s in data["sites"]] == list(ref["site_type"])


@pytest.mark.parametrize(
    ("body", "fragment"),
    [({"sequence": "ACGTXXACGT", "mirna": "miR-124"}, "invalid character"),
     ({"sequence": "ACG", "mirna": "miR-124"}, "at least 6"),
     ({"sequence": "ACGUACGUAC", "mirna": "miR-124", "extra": 1}, "extra")],
)
def test_sites_scan_rejects_bad_input(client: Any, body: dict[str, Any], fragment: str) -> None:
    r = client.post("/api/sites/scan", json=body)
    assert r.status_code == 422
    assert fragment in r.text


def test_simulate_matches_library(client: Any, kb_url: str) -> None:
    from mirscope.simulate import build_model, simulate_perturbations

    r = client.post("/api/simulate", json={"perturbations": ["miR-124=overexpress"]},
                    params={"plot": "true"})
    assert r.status_code == 200, r.text
    data = r.json()
    from mirscope.kb import open_store

    # the model of the perturbed miRNA's own network (issue 13)
    ref = simulate_perturbations(
        build_model(mirna="miR-124", kb=open_store(kb_url)), ["miR-124=overexpress"]
    )
    assert set(data["result"]["readouts"]) == set(ref.readouts)
    for node, out in ref.readouts.items():
        assert data["result"]["readouts"][node]["direction"] == out["direction"]
        assert data["result"]["readouts"][node]["log2fc"] == pytest.approx(out["log2fc"])
    assert base64.b64decode(data["figure_png"])[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "perturbation", ["miR-124=explode", "miR-124", "=overexpress"],
)
def test_simulate_rejects_bad_perturbations(client: Any, perturbation: str) -> None:
    r = client.post("/api/simulate", json={"perturbations": [perturbation]})
    assert r.status_code == 422
    assert "perturbations" in r.text


def test_simulate_unknown_node_is_4xx(client: Any) -> None:
    r = client.post("/api/simulate", json={"perturbations": ["NOTANODE1=knockdown"]})
    assert r.status_code in (404, 422)
    assert "NOTANODE1" in r.json()["detail"]


def _roc_cohort(n: int = 60, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    label = np.array(["tumor"] * (n // 2) + ["normal"] * (n - n // 2))
    marker = np.where(label == "tumor", rng.normal(1.0, 1.0, n), rng.normal(0.0, 1.0, n))
    return pd.DataFrame({"mir124": marker, "label": label})


def test_clinical_roc_auc_matches_mann_whitney(client: Any) -> None:
    df = _roc_cohort()
    r = client.post("/api/clinical/roc",
                    files={"file": ("cohort.csv", df.to_csv(index=False), "text/csv")},
                    data={"marker_col": "mir124", "label_col": "label", "positive": "tumor"})
    assert r.status_code == 200, r.text
    data = r.json()
    pos = df.loc[df.label == "tumor", "mir124"].to_numpy()
    neg = df.loc[df.label == "normal", "mir124"].to_numpy()
    auc = float(np.mean((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])))
    assert data["result"]["auc"] == pytest.approx(auc)
    assert data["result"]["n_pos"] == 30 and data["result"]["n_neg"] == 30
    assert base64.b64decode(data["figure_png"])[:4] == b"\x89PNG"


def test_clinical_survival_logrank_matches_lifelines(client: Any) -> None:
    from lifelines.statistics import logrank_test

    rng = np.random.default_rng(5)
    n = 80
    marker = rng.normal(size=n)
    time = rng.exponential(np.where(marker > np.median(marker), 10.0, 20.0))
    event = rng.random(n) < 0.8
    df = pd.DataFrame({"os_days": time.round(2), "os_event": event.astype(int), "mir124": marker})
    r = client.post("/api/clinical/survival",
                    files={"file": ("cohort.tsv", df.to_csv(index=False, sep="\t"), "text/tab-separated-values")},
                    data={"duration_col": "os_days", "event_col": "os_event",
                          "marker_col": "mir124"})
    assert r.status_code == 200, r.text
    high = df.mir124 > df.mir124.median()
    ref = logrank_test(df.os_days[high], df.os_days[~high], df.os_event[high], df.os_event[~high])
    assert r.json()["result"]["logrank_p"] == pytest.approx(ref.p_value, rel=1e-6)
    assert base64.b64decode(r.json()["figure_png"])[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("content", "data", "fragment"),
    [
        ("mir124,label\n1,tumor\n2,normal\n", {"marker_col": "nope", "label_col": "label",
                                               "positive": "tumor"}, "nope"),
        ("", {"marker_col": "a", "label_col": "b", "positive": "x"}, "empty"),
        ("mir124,label\n1,tumor\n2,normal\n", {"marker_col": "mir124", "label_col": "label",
                                               "positive": "cancer"}, "cancer"),
    ],
)
def test_clinical_bad_uploads_are_422(client: Any, content: str, data: dict[str, str],
                                      fragment: str) -> None:
    r = client.post("/api/clinical/roc", files={"file": ("c.csv", content, "text/csv")},
                    data=data)
    assert r.status_code == 422
    assert fragment in r.json()["detail"]


def test_clinical_roc_positive_vs_negative(client: Any) -> None:
    from mirscope.clinical import ROCFitter

    df = _roc_cohort(90)
    df.loc[:9, "label"] = "metastasis"
    files = {"file": ("c.csv", df.to_csv(index=False), "text/csv")}
    base = {"marker_col": "mir124", "label_col": "label", "positive": "tumor"}
    r = client.post("/api/clinical/roc", files=files, data=base)
    assert r.status_code == 422
    assert "negative" in r.json()["detail"]
    r = client.post("/api/clinical/roc", files=files, data={**base, "negative": "normal"})
    assert r.status_code == 200, r.text
    ref = ROCFitter(n_boot=0).fit(df, marker_col="mir124", label_col="label",
                                  positive="tumor", negative="normal").result_
    assert r.json()["result"]["auc"] == pytest.approx(ref.auc)
    assert r.json()["result"]["excluded"] == {"other_label": 10}


def test_clinical_roc_needs_positive(client: Any) -> None:
    df = _roc_cohort()
    r = client.post("/api/clinical/roc", files={"file": ("c.csv", df.to_csv(index=False))},
                    data={"marker_col": "mir124", "label_col": "label"})
    assert r.status_code == 422
    assert "positive" in r.json()["detail"]


def test_binary_upload_is_422(client: Any) -> None:
    r = client.post("/api/clinical/roc", files={"file": ("c.csv", b"\xff\xfe\x00\x81" * 10)},
                    data={"marker_col": "a", "label_col": "b", "positive": "x"})
    assert r.status_code == 422
    assert "UTF-8" in r.json()["detail"]


def test_pages_load_only_local_assets(client: Any) -> None:
    for url in ("/", "/docs"):
        html = client.get(url).text
        refs = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
        assert refs
        for ref in refs:
            assert not re.match(r"^(https?:)?//", ref), (url, ref)
            if ref.startswith("/"):
                assert client.get(ref).status_code == 200, ref
    assert "cdn" not in client.get("/docs").text.lower()
