"""Literature mining: PubMed search, screening, relation extraction, evaluation, curation.

- :mod:`~mirscope.literature.pubmed`: E-utilities client (``Bio.Entrez``) with history-server
  paging, rate limiting, retries and a SQLite cache;
- :mod:`~mirscope.literature.screening`: transparent screening rules and a PRISMA-style flow;
- :mod:`~mirscope.literature.mentions`, :mod:`~mirscope.literature.concepts`,
  :mod:`~mirscope.literature.extract` and :mod:`~mirscope.literature.effects`: every relation
  type of the knowledge base with a miRNA end, from abstracts (rules are data tables in
  ``literature/rules/*.yaml``);
- :mod:`~mirscope.literature.mine`: search, fetch, screen, extract and propose in one call
  (offline from the cache and a recorded corpus);
- :mod:`~mirscope.literature.evaluate`: precision/recall on the SCAI corpus, the real-text
  corpus and dev sets;
- :mod:`~mirscope.literature.curation`: candidates that enter the knowledge base only when
  accepted.

Examples
--------
>>> from mirscope.literature import extract_relations
>>> [(r.relation, r.partner) for r in extract_relations(
...     {"pmid": "1", "title": "miR\u2011124 directly targets CDK6 in medulloblastoma."})]
[('targets', 'CDK6')]
"""

from __future__ import annotations

from mirscope.literature.curation import Candidate, CandidateStore
from mirscope.literature.extract import ExtractedRelation, extract_file, extract_relations
from mirscope.literature.mentions import Mention, find_mentions, split_sentences
from mirscope.literature.mine import MineResult, check_record, mine
from mirscope.literature.pubmed import (
    DEFAULT_QUERY,
    PubMedCache,
    PubMedClient,
    PubMedRecord,
    build_query,
    parse_medline_xml,
    read_records,
)
from mirscope.literature.screening import ScreeningResult, plot_prisma, screen, screen_record

__all__ = [
    "DEFAULT_QUERY",
    "Candidate",
    "CandidateStore",
    "ExtractedRelation",
    "Mention",
    "MineResult",
    "PubMedCache",
    "PubMedClient",
    "PubMedRecord",
    "ScreeningResult",
    "build_query",
    "check_record",
    "extract_file",
    "extract_relations",
    "find_mentions",
    "mine",
    "parse_medline_xml",
    "plot_prisma",
    "read_records",
    "screen",
    "screen_record",
    "split_sentences",
]
