"""User directories for the default database and caches.

``MIRSCOPE_DATA_DIR`` and ``MIRSCOPE_CACHE_DIR`` override the platformdirs defaults
(tests point them at a temporary folder).

Examples
--------
>>> user_data_dir().name != ""
True
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["user_cache_dir", "user_data_dir"]


def user_data_dir() -> Path:
    """Directory for the default knowledge-base database (created if missing)."""
    p = Path(os.environ.get("MIRSCOPE_DATA_DIR") or platformdirs.user_data_dir("mirscope"))
    p.mkdir(parents=True, exist_ok=True)
    return p


def user_cache_dir() -> Path:
    """Directory for caches (PubMed records, Ensembl sequences...), created if missing."""
    p = Path(os.environ.get("MIRSCOPE_CACHE_DIR") or platformdirs.user_cache_dir("mirscope"))
    p.mkdir(parents=True, exist_ok=True)
    return p
