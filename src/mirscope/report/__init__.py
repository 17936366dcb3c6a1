"""mirscope.report: one self-contained HTML report on a miRNA (default miR-124).

:func:`build_report` returns the HTML, :func:`write_report` writes it atomically.
Figures are embedded (base64 PNG), styles inline, no URL is loaded.

Examples
--------
>>> from mirscope.report import SECTIONS
>>> SECTIONS[0]
'summary'
"""

from __future__ import annotations

from mirscope.report.builder import SECTIONS, CohortColumns, SectionName, build_report, write_report

__all__ = ["SECTIONS", "CohortColumns", "SectionName", "build_report", "write_report"]
