"""Small helpers shared by the HTML report and the web workbench (no web dependency).

Examples
--------
>>> import math
>>> jsonable({"a": (1, math.nan), "b": float("inf")})
{'a': [1, None], 'b': None}
"""

from __future__ import annotations

import base64
import io
import math
import threading
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["FIGURE_LOCK", "figure_bytes", "figure_data_uri", "jsonable"]

#: Matplotlib is not thread-safe; every figure is drawn and saved under this lock.
FIGURE_LOCK = threading.RLock()


def jsonable(obj: Any) -> Any:
    """Return ``obj`` as plain JSON data: NaN/inf become ``None``, numpy scalars Python numbers.

    Parameters
    ----------
    obj
        Any nesting of mappings, sequences, numpy/pandas objects and scalars.

    Returns
    -------
    object
        Data that ``json.dumps(..., allow_nan=False)`` accepts.
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, np.bool_):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    if isinstance(obj, pd.DataFrame):
        return [jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return jsonable(obj.to_dict())
    if isinstance(obj, np.ndarray):
        return [jsonable(x) for x in obj.tolist()]
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(x) for x in obj]
    if hasattr(obj, "to_dict"):
        return jsonable(obj.to_dict())
    if hasattr(obj, "model_dump"):
        return jsonable(obj.model_dump(mode="json"))
    if pd.isna(obj):
        return None
    return str(obj)


def figure_bytes(fig: Any, fmt: Literal["png", "svg"] = "png", *, dpi: int = 110) -> bytes:
    """Save a matplotlib figure to PNG or SVG bytes and close it.

    Parameters
    ----------
    fig
        A :class:`matplotlib.figure.Figure`.
    fmt
        ``"png"`` or ``"svg"``.
    dpi
        Resolution of the PNG.
    """
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    with FIGURE_LOCK:
        try:
            fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight")
        finally:
            plt.close(fig)
    return buf.getvalue()


def figure_data_uri(fig: Any, *, dpi: int = 100) -> str:
    """Return a figure as a ``data:image/png;base64,...`` URI (closes the figure)."""
    return "data:image/png;base64," + base64.b64encode(figure_bytes(fig, "png", dpi=dpi)).decode()
