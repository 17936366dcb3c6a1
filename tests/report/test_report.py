"""The self-contained HTML report: content against the library, self-containment, CLI."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.conftest import ANY_MIRNA_TARGETS
from typer.testing import CliRunner

from mirscope.errors import InputError, UnknownNameError
from mirscope.report import SECTIONS, CohortColumns, build_report, write_report


class _Collect(HTMLParser):
    """Every URL-bearing attribute, table ids with their row counts, and figure ids."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.rows: dict[str, int] = {}
        self.sections: list[str] = []
        self.images: dict[str, str] = {}
        self._table: str | None = None
        self._figure: str | None = None
        self._in_tbody = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("src", "href", "action", "poster", "data", "srcset"):
            if key in a:
                self.urls.append((tag, key, a[key]))
        if tag == "section":
            self.sections.append(a.get("id", ""))
        if tag == "table":
            self._table = a.get("id", "")
            self.rows[self._table] = 0
        if tag == "tbody":
            self._in_tbody = True
        if tag == "tr" and self._in_tbody and self._table is not None:
            self.rows[self._table] += 1
        if tag == "figure":
            self._figure = a.get("id", "")
        if tag == "img" and self._figure:
            self.images[self._figure] = a.get("src", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_tbody = False
        if tag == "table":
            self._table = None
        if tag == "figure":
            self._figure = None


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def report(report_path: Path) -> tuple[str, _Collect]:
    html = report_path.read_text(encoding="utf-8")
    return html, _parse(html)


def test_report_has_every_section(report: tuple[str, _Collect]) -> None:
    _, p = report
    assert p.sections == list(SECTIONS)


def test_report_is_self_contained(report: tuple[str, _Collect]) -> None:
    html, p = report
    assert p.urls, "the report has links (table of contents) and images"
    pubmed = "https://pubmed.ncbi.nlm.nih.gov/"  # navigational links only, nothing loaded
    for tag, key, url in p.urls:
        if tag == "a" and url.startswith(pubmed):
            continue
        assert url.startswith(("#", "data:image/png;base64,")), (tag, key, url[:80])
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//(?!pubmed\.ncbi\.nlm\.nih\.gov/)""", html)
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html


def test_network_figure_embedded(report: tuple[str, _Collect]) -> None:
    import base64

    _, p = report
    src = p.images["network-figure"]
    png = base64.b64decode(src.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 20_000


def test_evidence_table_matches_the_knowledge_base(report: tuple[str, _Collect],
                                                   kb_url: str) -> None:
    from mirscope.kb import open_store

    html, p = report
    rels = open_store(kb_url).query(mirna="miR-124")
    assert p.rows["evidence-table"] == min(len(rels), 500) > 0
    assert f"{len(rels)} records" in html
    # provenance: the supporting sentences are in the table (HTML-escaped)
    from markupsafe import escape

    shown = sorted(rels, key=lambda r: (r.relation, r.object, r.cancer or "", r.id))  # as shown
    for r in shown[:20]:
        assert str(escape(r.evidence))[:60] in html  # escaped as the template escapes


def test_cerna_and_enrichment_sections_have_results(report: tuple[str, _Collect]) -> None:
    html, p = report
    assert p.rows.get("cerna-table", 0) > 0
    assert "circHIPK3" in html
    assert p.rows.get("enrichment-table", 0) == 20


def test_simulation_section_reports_agreement(report: tuple[str, _Collect]) -> None:
    from mirscope.simulate import validate_against_review

    html, p = report
    val = validate_against_review(holdout=True)  # the headline is leave-one-edge-out
    assert f"Leave-one-edge-out agreement: {val.n_agree}/{val.n_total}" in html
    assert f"({val.untestable} untestable" in html and "In-sample (the model contains" in html
    assert p.rows.get("simulation-overexpress", 0) > 0


def _fasta(path: Path) -> dict[str, str]:
    rng = np.random.default_rng(11)
    bg = "".join(rng.choice(list("ACGU"), 300))
    seqs = {
        "UTR_two_8mers": bg[:100] + "GUGCCUUA" + bg[100:200] + "GUGCCUUA" + bg[200:],
        "UTR_background": bg,
    }
    path.write_text("".join(f">{k}\n{v}\n" for k, v in seqs.items()))
    return seqs


def _cohort(path: Path) -> pd.DataFrame:
    rng = np.random.default_rng(13)
    n = 90
    label = np.array(["tumor", "normal"] * (n // 2))
    marker = np.where(label == "tumor", rng.normal(0, 1, n), rng.normal(1.0, 1, n))
    df = pd.DataFrame({
        "sample": [f"S{i}" for i in range(n)],
        "hsa-mir-124": marker.round(4),
        "sample_type": label,
        "os_days": rng.exponential(800, n).round(1),
        "os_event": (rng.random(n) < 0.6).astype(int),
    })
    df.to_csv(path, index=False)
    return df


def test_sites_and_clinical_sections(tmp_path: Path, kb_url: str) -> None:
    from mirscope.clinical import ROCFitter
    from mirscope.sites import scan

    seqs = _fasta(tmp_path / "utrs.fa")
    df = _cohort(tmp_path / "cohort.csv")
    html = build_report("miR-124", kb_url=kb_url, fasta=[tmp_path / "utrs.fa"],
                        cohorts=[tmp_path / "cohort.csv"],
                        sections=("summary", "sites", "clinical"))
    p = _parse(html)
    ref = scan(seqs, "hsa-miR-124-3p")
    assert f"{len(ref)} site(s)" in html
    assert p.rows["sites-utrs-fa"] == len(ref)
    assert "km-cohort-csv" in p.images and "roc-cohort-csv" in p.images
    auc = ROCFitter().fit(df, marker_col="hsa-mir-124", label_col="sample_type",
                          positive="tumor").result_.auc
    assert f"{auc:.3g}" in html


def test_cohort_without_usable_columns_says_so(tmp_path: Path, kb_url: str) -> None:
    pd.DataFrame({"mir124": [1.0, 2.0, 3.0], "age": [50, 60, 70]}).to_csv(
        tmp_path / "c.csv", index=False)
    html = build_report("miR-124", kb_url=kb_url, cohorts=[tmp_path / "c.csv"],
                        sections=("clinical",))
    assert "no survival columns" in html


def test_explicit_cohort_column_must_exist(tmp_path: Path, kb_url: str) -> None:
    _cohort(tmp_path / "cohort.csv")
    with pytest.raises(InputError, match="'nope' is not in the table"):
        build_report("miR-124", kb_url=kb_url, cohorts=[tmp_path / "cohort.csv"],
                     columns=CohortColumns(duration="nope"), sections=("clinical",))


def test_unknown_mirna_is_rejected(kb_url: str) -> None:
    with pytest.raises(UnknownNameError, match="miR-99999"):
        build_report("miR-99999", kb_url=kb_url)


def test_missing_input_file_is_rejected(tmp_path: Path, kb_url: str) -> None:
    with pytest.raises(InputError, match="does not exist"):
        build_report("miR-124", kb_url=kb_url, fasta=[tmp_path / "missing.fa"])


def test_unknown_section_is_rejected(kb_url: str) -> None:
    with pytest.raises(InputError, match="unknown report section"):
        build_report("miR-124", kb_url=kb_url, sections=("summary", "gossip"))  # type: ignore[arg-type]


def test_write_report_is_atomic_on_error(tmp_path: Path, kb_url: str) -> None:
    out = tmp_path / "r.html"
    out.write_text("old")
    with pytest.raises(UnknownNameError):
        write_report(out, "miR-99999", kb_url=kb_url)
    assert out.read_text() == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["r.html"]


def test_cli_prints_the_written_path(tmp_path: Path, kb_url: str) -> None:
    from mirscope.cli import app

    out = tmp_path / "sub" / "rep.html"
    result = CliRunner().invoke(app, ["report", "--mirna", "miR-124", "--cancer", "HCC",
                                      "--kb", kb_url, "-o", str(out), "--section", "summary",
                                      "-s", "evidence"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out.resolve())
    html = out.read_text(encoding="utf-8")
    assert "hepatocellular carcinoma" in html
    assert ("<title>mirscope report: miR-124 (hsa-miR-124-3p) in hepatocellular carcinoma"
            "</title>") in html
    assert _parse(html).sections == ["summary", "evidence"]


def test_cli_rejects_unknown_section(tmp_path: Path, kb_url: str) -> None:
    from mirscope.cli import main

    assert main(["report", "--kb", kb_url, "-s", "gossip", "-o", str(tmp_path / "x.html")]) == 2


def test_cli_error_exit_code(tmp_path: Path, kb_url: str, capsys: Any) -> None:
    from mirscope.cli import main

    code = main(["report", "--mirna", "miR-124", "--kb", kb_url, "--cancer", "not a cancer",
                 "-o", str(tmp_path / "x.html")])
    assert code == 2
    assert "not a cancer" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


@pytest.mark.browser
def test_report_in_chromium_shows_network_and_evidence(report_path: Path, browser: Any,
                                                       artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(report_path.as_uri())
    page.wait_for_load_state("load")
    width = page.evaluate("document.querySelector('#network-figure img').naturalWidth")
    assert width > 500
    assert page.locator("#evidence-table tbody tr").count() > 0
    assert page.locator("#evidence-table td.provenance").first.inner_text().strip()
    assert all(u.startswith(("file://", "data:")) for u in requests), requests
    page.screenshot(path=str(artifacts / "report-top.png"))
    page.locator("#evidence").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#evidence').scrollIntoView()")
    page.screenshot(path=str(artifacts / "report-evidence.png"))
    page.locator("#network-figure").screenshot(path=str(artifacts / "report-network.png"))
    page.close()


def test_three_level_label_needs_positive_and_negative(tmp_path: Path, kb_url: str) -> None:
    from mirscope.clinical import ROCFitter

    df = _cohort(tmp_path / "cohort.csv")
    df.loc[:4, "sample_type"] = "metastasis"
    df.to_csv(tmp_path / "cohort.csv", index=False)
    html = build_report("miR-124", kb_url=kb_url, cohorts=[tmp_path / "cohort.csv"],
                        sections=("clinical",))
    assert "cannot tell the positive class" in html
    assert "roc-cohort-csv" not in _parse(html).images
    html = build_report("miR-124", kb_url=kb_url, cohorts=[tmp_path / "cohort.csv"],
                        sections=("clinical",),
                        columns=CohortColumns(positive="tumor", negative="normal"))
    assert "roc-cohort-csv" in _parse(html).images
    ref = ROCFitter().fit(df, marker_col="hsa-mir-124", label_col="sample_type",
                          positive="tumor", negative="normal").result_
    assert f"<td>{ref.auc:.3g}</td>" in html
    assert "other_label=5" in html


@pytest.mark.parametrize(("mirna", "known"), list(ANY_MIRNA_TARGETS.items()))
def test_any_mirna_report_has_evidence_targets_and_a_readable_network(
    fresh_kb_url: str, mirna: str, known: tuple[str, ...]
) -> None:
    """Issue 13 acceptance: six miRNAs on a fresh knowledge base."""
    import base64

    from mirscope.report import build_report
    from mirscope.report.builder import NETWORK_MAX_NODES

    html = build_report(mirna, kb_url=fresh_kb_url,
                        sections=("summary", "evidence", "targets", "network"))
    p = _Collect()
    p.feed(html)
    assert p.rows["evidence-table"] > 0
    assert p.rows["targets-table"] > 0
    assert all(g in html for g in known)
    assert "https://pubmed.ncbi.nlm.nih.gov/" in html
    assert "kb init" not in html and "not available" not in html
    png = base64.b64decode(p.images["network-figure"].split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    m = re.search(r"The own network of [^:]+:[^:]*: (\d+) nodes", html)
    assert m is not None and int(m.group(1)) <= NETWORK_MAX_NODES
