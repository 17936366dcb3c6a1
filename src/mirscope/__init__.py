"""mirscope: a local-first workbench for microRNA biology in cancer.

The first subject is miR-124. Capabilities live in sub-packages that are
libraries first (``names``, ``schema``, ``kb``, ``sites``, ``network``,
``simulate``, ``clinical``, ``literature``, ``sequences``, ``report``, ``web``);
the CLI (``mirscope.cli``) and the web workbench are thin layers over them.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
