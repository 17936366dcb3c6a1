"""Evidence knowledge base: model, store, curated review data and importers."""

from __future__ import annotations

from mirscope.kb.model import Relation

__all__ = ["Relation"]
