"""miRTarBase tables: read, normalise and import validated miRNA-target interactions.

A miRTarBase-format table has the columns of the official release (``miRTarBase ID``,
``miRNA``, ``Species (miRNA)``, ``Target Gene``, ``Target Gene (Entrez ID)``,
``Species (Target Gene)``, ``Experiments``, ``Support Type``, ``References (PMID)``), in any
of the common spellings (R-mangled ``Species..miRNA.`` too), as TSV, CSV or Excel. mirscope
ships the human rows of miRTarBase 8.0's functional (strong-evidence) table.

Examples
--------
>>> df = load_mirtarbase(mirna="miR‑124")
>>> df["target"].nunique()
88
"""

from __future__ import annotations

import csv
import gzip
import io
import logging
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from mirscope import names
from mirscope.errors import FileFormatError, MirscopeError

if TYPE_CHECKING:
    import pandas as pd

    from mirscope.kb.model import Relation
    from mirscope.kb.store import KnowledgeBase

__all__ = [
    "MIRTARBASE_COLUMNS",
    "import_mirtarbase",
    "load_mirtarbase",
    "mirtarbase_relations",
    "shipped_fingerprint",
    "shipped_relations",
]

log = logging.getLogger(__name__)

SHIPPED = "miRTarBase_v8_functional_MTI_human.tsv.gz"
_READER_VERSION = "2"  # bump when mirtarbase_relations changes what it stores

#: Columns of :func:`load_mirtarbase`'s DataFrame.
MIRTARBASE_COLUMNS: tuple[str, ...] = (
    "mirtarbase_id",
    "mirna",
    "mirna_raw",
    "mirna_species",
    "target",
    "target_raw",
    "entrez_id",
    "target_species",
    "experiments",
    "support_type",
    "pmid",
    "line",
)

# loose header key -> column
_HEADER = {
    "mirtarbaseid": "mirtarbase_id",
    "mirna": "mirna_raw",
    "speciesmirna": "mirna_species",
    "targetgene": "target_raw",
    "targetgeneentrezid": "entrez_id",
    "targetgeneentrezgeneid": "entrez_id",
    "speciestargetgene": "target_species",
    "experiments": "experiments",
    "supporttype": "support_type",
    "referencespmid": "pmid",
    "references": "pmid",
    "pmid": "pmid",
}
_REQUIRED = ("mirtarbase_id", "mirna_raw", "target_raw", "experiments", "pmid")


def _hkey(h: str) -> str:
    return re.sub(r"[^a-z0-9]", "", h.lower())


def _read_rows(path: Path, label: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, cells) rows of a TSV/CSV (optionally gzipped) or Excel file."""
    name = path.name.lower()
    try:
        if name.endswith((".xlsx", ".xls")):
            import pandas as pd

            df = pd.read_excel(path, dtype=str, keep_default_na=False)
            header = [str(c) for c in df.columns]
            return header, [
                (i + 2, [str(v) for v in row]) for i, row in enumerate(df.itertuples(index=False))
            ]
        raw = path.read_bytes()
    except (OSError, ValueError) as err:
        raise FileFormatError(label, f"cannot read the file: {err}") from err
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileFormatError(label, f"not UTF-8 text ({err.reason})") from err
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise FileFormatError(label, "the file is empty; expected a miRTarBase header", line=1)
    delim = "\t" if "\t" in lines[0] else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    header = next(reader)
    rows = []
    for cells in reader:
        rows.append((reader.line_num, cells))
    return header, rows


def _parse(path: Path, label: str) -> pd.DataFrame:
    import pandas as pd

    header, rows = _read_rows(path, label)
    cols: dict[int, str] = {}
    for i, h in enumerate(header):
        c = _HEADER.get(_hkey(h))
        if c is not None and c not in cols.values():
            cols[i] = c
    missing = [c for c in _REQUIRED if c not in cols.values()]
    if missing:
        raise FileFormatError(
            label,
            f"not a miRTarBase table: missing column(s) {missing}; found {header}. Expected "
            "miRTarBase ID, miRNA, Species (miRNA), Target Gene, Target Gene (Entrez ID), "
            "Species (Target Gene), Experiments, Support Type, References (PMID)",
            line=1,
        )
    records = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise FileFormatError(
                label, f"expected {len(header)} fields, found {len(cells)}", line=line
            )
        rec = {c: cells[i].strip() for i, c in cols.items()}
        for c in _REQUIRED:
            if not rec.get(c):
                raise FileFormatError(label, f"empty {c!r} field", line=line)
        if not re.fullmatch(r"MIRT\d+", rec["mirtarbase_id"]):
            raise FileFormatError(
                label,
                f"bad miRTarBase ID {rec['mirtarbase_id']!r} (expected MIRT followed by digits)",
                line=line,
            )
        if not re.fullmatch(r"\d+", rec["pmid"]):
            raise FileFormatError(label, f"PMID must be an integer, got {rec['pmid']!r}", line=line)
        ez = rec.get("entrez_id", "")
        if ez and not re.fullmatch(r"\d+(?:\.0)?", ez):
            raise FileFormatError(label, f"Entrez ID must be an integer, got {ez!r}", line=line)
        rec["line"] = line
        records.append(rec)
    df = pd.DataFrame.from_records(records)
    for c in ("mirna_species", "target_species", "support_type", "entrez_id"):
        if c not in df:
            df[c] = ""
    return df


def _norm_mirna(raw: str, species: str) -> str:
    if raw.startswith("hsa-") or species == "Homo sapiens" or not re.match(r"^[a-z]{3}-", raw):
        hit = names.try_normalize_mirna(raw)
        return hit.name if hit is not None else raw
    return raw


def _norm_target(raw: str, entrez: str, species: str) -> str:
    if species and species != "Homo sapiens":
        return raw
    if entrez:
        try:
            return names.entrez_to_symbol(int(float(entrez)))
        except MirscopeError:
            pass
    return names.try_normalize_gene(raw) or raw


def load_mirtarbase(path: str | Path | None = None, *, mirna: str | None = None) -> pd.DataFrame:
    """Read a miRTarBase-format table with normalised miRNA and target names.

    Parameters
    ----------
    path
        A miRTarBase table (TSV/CSV, gzipped or not, or Excel). Default: the shipped human
        rows of miRTarBase 8.0's functional (strong-evidence) MTI table.
    mirna
        Keep only this miRNA (any spelling; an arm-less name means the dominant arm, so
        ``miR-124`` selects ``hsa-miR-124-3p``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MIRTARBASE_COLUMNS`: ``mirna`` (miRBase v22 name when human and
        known, else as given), ``target`` (approved HGNC symbol via the Entrez id or the
        symbol, when human and known), ``experiments``, ``support_type``, ``pmid`` (int),
        the raw names and the source ``line``.

    Raises
    ------
    FileFormatError
        On a malformed file or row (file, line and reason in the message).

    Examples
    --------
    >>> df = load_mirtarbase(mirna="hsa-miR-124-3p")
    >>> sorted(df["target"].unique())[:3]
    ['AHR', 'AKT2', 'AMOTL1']
    """
    import pandas as pd

    if path is None:
        ref = resources.files("mirscope").joinpath("data", "mirtarbase", SHIPPED)
        with resources.as_file(ref) as p:
            df = _parse(Path(p), f"mirscope/data/mirtarbase/{SHIPPED}")
    else:
        p = Path(path)
        if not p.is_file():
            raise FileFormatError(p, "no such file; give a miRTarBase table (TSV, CSV or XLSX)")
        df = _parse(p, str(p))
    if df.empty:
        return pd.DataFrame(columns=list(MIRTARBASE_COLUMNS))
    mir_map = {
        (raw, sp): _norm_mirna(raw, sp)
        for raw, sp in set(zip(df["mirna_raw"], df["mirna_species"], strict=True))
    }
    df["mirna"] = [
        mir_map[(r, s)] for r, s in zip(df["mirna_raw"], df["mirna_species"], strict=True)
    ]
    tkeys = set(zip(df["target_raw"], df["entrez_id"], df["target_species"], strict=True))
    t_map = {k: _norm_target(*k) for k in tkeys}
    df["target"] = [
        t_map[k] for k in zip(df["target_raw"], df["entrez_id"], df["target_species"], strict=True)
    ]
    df["pmid"] = df["pmid"].astype(int)
    df["entrez_id"] = pd.array(
        [int(float(x)) if x else None for x in df["entrez_id"]], dtype="Int64"
    )
    df = df[list(MIRTARBASE_COLUMNS)]
    if mirna is not None:
        want = names.normalize_mirna(mirna).name
        df = df[df["mirna"] == want]
    return df.reset_index(drop=True)


def _assays(experiments: str) -> tuple[str, ...]:
    parts = re.split(r"//|;", experiments)
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def mirtarbase_relations(df: pd.DataFrame) -> list[Relation]:
    """:class:`Relation` objects (``targets``, sign -1, source ``mirtarbase``) of a table.

    One relation per miRTarBase ID and PMID: id ``mirtarbase:<MIRT id>:<PMID>``,
    ``source_id`` ``"<MIRT id> PMID:<pmid>"``, ``evidence`` the experiments, ``assays`` the
    experiments split, ``numbers`` ``{"pmid": ...}``.
    """
    from mirscope.kb.model import Relation

    out = []
    for row in df.itertuples(index=False):
        out.append(
            Relation(
                id=f"mirtarbase:{row.mirtarbase_id}:{row.pmid}",
                subject=row.mirna,
                subject_type="mirna",
                relation="targets",
                object=row.target,
                object_type="gene",
                direction="down",
                sign=-1,
                assays=_assays(row.experiments),
                numbers={"pmid": int(row.pmid), "support_type": row.support_type},
                evidence=row.experiments,
                note=f"miRTarBase {row.support_type or 'interaction'}; species "
                f"{row.mirna_species or '?'} / {row.target_species or '?'}",
                source="mirtarbase",
                source_id=f"{row.mirtarbase_id} PMID:{row.pmid}",
            )
        )
    return out


@lru_cache(maxsize=1)
def shipped_fingerprint() -> str:
    """SHA-256 (first 16 hex digits) of the shipped miRTarBase table and its reader version."""
    import hashlib

    raw = resources.files("mirscope").joinpath("data", "mirtarbase", SHIPPED).read_bytes()
    return hashlib.sha256(raw + _READER_VERSION.encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _shipped_relations() -> tuple[Relation, ...]:
    return tuple(mirtarbase_relations(load_mirtarbase()))


def shipped_relations() -> list[Relation]:
    """The shipped human miRTarBase table as :class:`Relation` objects (cached per process)."""
    return list(_shipped_relations())


def import_mirtarbase(kb: KnowledgeBase, path: str | Path | None = None) -> int:
    """Import a miRTarBase-format table into ``kb`` (one transaction, idempotent).

    Parameters
    ----------
    kb
        The store (:func:`mirscope.kb.open_store`).
    path
        The table; default: the shipped human miRTarBase 8.0 functional MTIs.

    Returns
    -------
    int
        Number of relations inserted or changed (0 when imported before).

    Raises
    ------
    FileFormatError
        On a malformed row (file, line, reason); nothing is written then.
    """
    if path is None:
        return kb.import_shipped_mirtarbase()
    df = load_mirtarbase(path)
    rels = mirtarbase_relations(df)
    return kb.add_relations(rels, origin=str(path))
