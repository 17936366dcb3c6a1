"""The TCGA atlas section of the HTML report."""

from __future__ import annotations

from mirscope.report import SECTIONS, build_report


def test_report_atlas_section(kb_url: str) -> None:
    assert "atlas" in SECTIONS
    html = build_report("miR-21", kb_url=kb_url, sections=("atlas",))
    assert 'id="atlas-panel"' in html or "atlas-panel" in html
    assert "atlas-km" in html and "hsa-mir-21" in html
    for cohort in ("BLCA", "THCA", "OV"):
        assert f">{cohort}<" in html
    assert "not testable: no paired normals" in html


def test_report_atlas_section_undetected_mirna(kb_url: str) -> None:
    html = build_report("miR-124", kb_url=kb_url, sections=("atlas",))
    assert "not detected" in html and "atlas-km" not in html
