"""Evidence knowledge base: model, store, curated review data and importers.

Examples
--------
>>> from mirscope.kb import open_store
>>> kb = open_store("sqlite://")  # in memory; omit the URL for the default database
>>> sorted({r.object for r in kb.query(mirna="miR‑124", cancer="HCC", relation="targets")})[:3]
['AQP3', 'BIRC3', 'CAV1']
"""

from __future__ import annotations

from mirscope.kb.database import resolve_db_url
from mirscope.kb.migrate import upgrade_store
from mirscope.kb.mirtarbase import import_mirtarbase, load_mirtarbase
from mirscope.kb.model import Relation
from mirscope.kb.review import load_review_relations, normalize_entity, review_text
from mirscope.kb.store import SCHEMA_VERSION, KnowledgeBase, default_db_url, open_store

__all__ = [
    "SCHEMA_VERSION",
    "KnowledgeBase",
    "Relation",
    "default_db_url",
    "import_mirtarbase",
    "load_mirtarbase",
    "load_review_relations",
    "normalize_entity",
    "open_store",
    "resolve_db_url",
    "review_text",
    "upgrade_store",
]
