"""Shared helpers of :mod:`mirscope.clinical`: table reading, column checks, exclusions.

Every row a fitter drops is counted by reason in an :class:`Exclusions` mapping that the
result carries as ``excluded_`` and that is logged at WARNING level, so nothing is dropped
silently.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"t": [1.0, -2.0, None], "e": [1, 0, 1]})
>>> clean, excl = clean_survival(df, "t", "e")
>>> len(clean), dict(excl)
(1, {'missing_time': 1, 'negative_time': 1})
"""

from __future__ import annotations

import logging
import math
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mirscope.errors import FileFormatError, InputError

__all__ = [
    "ClinicalWarning",
    "Exclusions",
    "UncorrectedCutpointWarning",
    "clean_survival",
    "jsonable",
    "numeric_column",
    "read_table",
    "require_columns",
]

log = logging.getLogger(__name__)


class ClinicalWarning(UserWarning):
    """A statistically questionable request or result in :mod:`mirscope.clinical`."""


class UncorrectedCutpointWarning(ClinicalWarning):
    """An optimal ("data-driven") cut-point was used without a multiple-testing correction."""


class Exclusions(dict[str, int]):
    """Counts of excluded rows by reason (``{"missing_time": 3, ...}``); logged when added."""

    def add(self, reason: str, count: int, *, what: str = "rows") -> None:
        """Record ``count`` excluded rows for ``reason`` (ignored when 0) and log it."""
        if count > 0:
            self[reason] = self.get(reason, 0) + int(count)
            log.warning("excluded %d %s: %s", count, what, reason.replace("_", " "))

    @property
    def total(self) -> int:
        """Total number of excluded rows."""
        return int(sum(self.values()))


_EXCEL = {".xlsx", ".xlsm", ".xls"}


def read_table(path: str | Path, *, sheet: str | int = 0) -> pd.DataFrame:
    """Read a CSV, TSV (optionally gzipped) or Excel table with named columns.

    The format follows the extension: ``.csv``, ``.tsv``/``.tab``/``.txt`` (tab-separated),
    ``.xlsx``/``.xlsm``/``.xls`` (first sheet unless ``sheet`` is given); ``.gz`` is allowed
    after CSV/TSV.

    Parameters
    ----------
    path
        File to read.
    sheet
        Excel sheet name or 0-based index.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    FileFormatError
        The file is missing, empty, has an unknown extension or does not parse.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.tsv"
    >>> _ = p.write_text("a\\tb\\n1\\t2\\n")
    >>> read_table(p).to_dict("list")
    {'a': [1], 'b': [2]}
    """
    p = Path(path)
    if not p.exists():
        raise FileFormatError(p, "file not found; check the path")
    suffixes = [s.lower() for s in p.suffixes]
    last = suffixes[-1] if suffixes else ""
    base = suffixes[-2] if last == ".gz" and len(suffixes) > 1 else last
    try:
        if last in _EXCEL:
            df = pd.read_excel(p, sheet_name=sheet)
        elif base == ".csv":
            df = pd.read_csv(p)
        elif base in {".tsv", ".tab", ".txt"}:
            df = pd.read_csv(p, sep="\t")
        else:
            raise FileFormatError(
                p,
                f"unknown table extension {''.join(p.suffixes) or '(none)'!r}; "
                "use .csv, .tsv, .txt, .xlsx or .xls (optionally .csv.gz/.tsv.gz)",
            )
    except FileFormatError:
        raise
    except pd.errors.EmptyDataError as err:
        raise FileFormatError(p, "the file is empty; a header row with column names is needed") from err
    except (pd.errors.ParserError, ValueError, OSError, EOFError, zipfile.BadZipFile,
            zlib.error) as err:
        # corrupt .xlsx (BadZipFile), truncated .gz (EOFError), binary text (UnicodeDecodeError)
        raise FileFormatError(
            p, f"cannot be parsed as a table ({type(err).__name__}: {err}); check that the file "
            "is not corrupt or truncated and that its extension matches its content"
        ) from err
    if df.shape[1] == 0 or df.shape[0] == 0:
        raise FileFormatError(p, "the table has no data rows; a header and at least one row are needed")
    df.columns = [str(c).strip() for c in df.columns]
    return df


def require_columns(df: pd.DataFrame, columns: Iterable[str | None]) -> None:
    """Raise :class:`InputError` naming any of ``columns`` missing from ``df``.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"])
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise InputError(
            f"column(s) {', '.join(map(repr, missing))} not in the table; "
            f"available columns: {', '.join(map(repr, map(str, df.columns)))}. "
            "Pass the right column name."
        )


def numeric_column(df: pd.DataFrame, col: str) -> pd.Series:
    """Return ``df[col]`` as float; non-numeric entries raise :class:`InputError` naming them.

    Missing values (empty cells, NA) stay NaN for the caller to count.

    Examples
    --------
    >>> numeric_column(pd.DataFrame({"x": ["1", "2.5", None]}), "x").tolist()
    [1.0, 2.5, nan]
    """
    s = df[col]
    if pd.api.types.is_bool_dtype(s):
        return s.astype(float)
    conv = pd.to_numeric(s, errors="coerce")
    bad = s[conv.isna() & s.notna() & (s.astype(str).str.strip() != "")]
    if len(bad):
        shown = ", ".join(repr(v) for v in bad.astype(str).unique()[:5])
        raise InputError(
            f"column {col!r} must be numeric but has non-numeric value(s) {shown} "
            f"(row(s) {', '.join(map(str, list(bad.index[:5])))}); fix or remove them"
        )
    conv = conv.astype(float)
    if np.isinf(conv).any():
        raise InputError(f"column {col!r} contains infinite values; replace them with numbers")
    return conv


def event_column(df: pd.DataFrame, col: str) -> pd.Series:
    """Return the event column as float 0/1 (NaN kept); other values raise :class:`InputError`.

    ``True``/``False`` are accepted as 1/0.
    """
    e = numeric_column(df, col)
    bad = e.dropna()[~e.dropna().isin([0.0, 1.0])]
    if len(bad):
        raise InputError(
            f"event column {col!r} must be 0 (censored) or 1 (event); found "
            f"{', '.join(repr(v) for v in sorted(set(bad.tolist()))[:5])}. "
            "Recode it (e.g. dead=1, alive=0)."
        )
    return e


def clean_survival(
    df: pd.DataFrame,
    duration_col: str,
    event_col: str,
    extra_numeric: Sequence[str] = (),
) -> tuple[pd.DataFrame, Exclusions]:
    """Validate and clean survival columns; excluded rows are counted by reason.

    Rows with a missing time (``missing_time``), a negative time (``negative_time``), a missing
    event (``missing_event``) or a missing value in any of ``extra_numeric``
    (``missing_<col>``) are excluded and counted. Non-numeric values and events other than
    0/1 raise :class:`InputError`. Times of 0 are kept (as in R's ``survival``).

    Returns
    -------
    (clean frame with float columns, exclusions)
    """
    require_columns(df, [duration_col, event_col, *extra_numeric])
    out = pd.DataFrame(index=df.index)
    out[duration_col] = numeric_column(df, duration_col)
    out[event_col] = event_column(df, event_col)
    for c in extra_numeric:
        if c not in (duration_col, event_col):
            out[c] = numeric_column(df, c)
    excl = Exclusions()
    keep = pd.Series(True, index=df.index)
    m = out[duration_col].isna()
    excl.add("missing_time", int(m.sum()))
    keep &= ~m
    m = keep & (out[duration_col] < 0)
    excl.add("negative_time", int(m.sum()))
    keep &= ~m
    m = keep & out[event_col].isna()
    excl.add("missing_event", int(m.sum()))
    keep &= ~m
    for c in extra_numeric:
        m = keep & out[c].isna()
        excl.add(f"missing_{c}", int(m.sum()))
        keep &= ~m
    out = out[keep]
    if len(out) == 0:
        raise InputError(
            f"no usable rows left after exclusions {dict(excl)}; check the columns "
            f"{duration_col!r} and {event_col!r}"
        )
    return out, excl


def jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, tuples and NaN into JSON-friendly Python values."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | np.ndarray):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.integer | np.bool_):
        return obj.item()
    if isinstance(obj, float | np.floating):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    return obj
