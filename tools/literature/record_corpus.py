"""Build the recorded EFetch corpus shipped for `mirscope literature mine --offline`.

Reads the real-text DEV split (tests/data/literature/realtext/dev.jsonl; never the test split)
and writes the abstracts that name one of the given miRNA families as MEDLINE-style XML
(`PubmedArticleSet`) to src/mirscope/data/literature/recorded_efetch.xml.

    python tools/literature/record_corpus.py miR-21 miR-34a
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from mirscope.literature.mentions import find_mentions  # noqa: E402
from mirscope.names import normalize_mirna  # noqa: E402


def main(argv: list[str]) -> int:
    fams = {normalize_mirna(a).family for a in argv}
    src = ROOT / "tests" / "data" / "literature" / "realtext" / "dev.jsonl"
    arts = []
    for line in src.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        text = d["title"] + " " + d["abstract"]
        found = {normalize_mirna(m.name).family for m in find_mentions(text) if m.kind == "mirna"}
        if not found & fams:
            continue
        year = f"<Year>{escape(str(d['year']))}</Year>" if d.get("year") else ""
        arts.append(
            "<PubmedArticle><MedlineCitation>"
            f"<PMID>{escape(str(d['pmid']))}</PMID><Article>"
            f"<Journal><JournalIssue><PubDate>{year}</PubDate></JournalIssue>"
            f"<Title>{escape(d.get('journal') or '')}</Title></Journal>"
            f"<ArticleTitle>{escape(d['title'])}</ArticleTitle>"
            f"<Abstract><AbstractText>{escape(d['abstract'])}</AbstractText></Abstract>"
            "<Language>eng</Language>"
            "<PublicationTypeList><PublicationType>Journal Article</PublicationType>"
            "</PublicationTypeList></Article></MedlineCitation>"
            f"<!-- source: {escape(d.get('source_url') or '')} -->"
            "</PubmedArticle>"
        )
    out = ROOT / "src" / "mirscope" / "data" / "literature" / "recorded_efetch.xml"
    out.write_text(
        "<?xml version='1.0' encoding='utf-8'?>\n<PubmedArticleSet>\n"
        + "\n".join(arts)
        + "\n</PubmedArticleSet>\n",
        encoding="utf-8",
    )
    print(f"wrote {len(arts)} records to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["miR-21", "miR-34a"]))
