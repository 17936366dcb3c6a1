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
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mirscope import names
from mirscope.errors import FileFormatError, InputError, MirscopeError

if TYPE_CHECKING:
    import pandas as pd

    from mirscope.kb.model import Relation
    from mirscope.kb.store import KnowledgeBase

__all__ = [
    "MIRTARBASE_COLUMNS",
    "MirTarBaseImport",
    "import_mirtarbase",
    "import_mirtarbase_checked",
    "load_mirtarbase",
    "mirtarbase_relations",
    "shipped_fingerprint",
    "shipped_relations",
]

log = logging.getLogger(__name__)

SHIPPED = "miRTarBase_v8_functional_MTI_human.tsv.gz"
_READER_VERSION = "3"  # bump when mirtarbase_relations changes what it stores

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
    except zipfile.BadZipFile as err:
        raise FileFormatError(
            label, f"not a valid Excel (.xlsx) file ({err}); re-export it or give a TSV/CSV"
        ) from err
    except (OSError, ValueError) as err:
        raise FileFormatError(label, f"cannot read the file: {err}") from err
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise FileFormatError(
                label, f"corrupt or truncated gzip file ({err}); download it again"
            ) from err
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
    df = load_mirtarbase()
    bad, _um, _ug = _unknown_rows(df)  # as import_mirtarbase_checked: current names only
    return tuple(mirtarbase_relations(df[~bad]))


def shipped_relations() -> list[Relation]:
    """The shipped human miRTarBase table as :class:`Relation` objects (cached per process)."""
    return list(_shipped_relations())


@dataclass(frozen=True)
class MirTarBaseImport:
    """What :func:`import_mirtarbase_checked` did.

    Attributes
    ----------
    written
        Relations inserted or changed.
    n_rows
        Data rows read from the table.
    unknown_mirnas, unknown_genes
        Names that are not current miRBase/HGNC names, with the number of rows each
        (those rows were skipped).
    skipped_rows
        Rows left out for an unknown miRNA or gene.
    """

    written: int
    n_rows: int
    unknown_mirnas: dict[str, int] = field(default_factory=dict)
    unknown_genes: dict[str, int] = field(default_factory=dict)
    skipped_rows: int = 0

    def summary(self, *, top: int = 5) -> str:
        """One line per kind of unknown name, with counts (empty if none).

        Examples
        --------
        >>> MirTarBaseImport(1, 3, {"hsa-miR-9999": 2}, {}, 2).summary()
        '2 rows skipped: unknown miRNA(s) hsa-miR-9999 (2 rows)'
        """
        parts = []
        for kind, found in (("miRNA(s)", self.unknown_mirnas), ("gene(s)", self.unknown_genes)):
            if found:
                ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
                shown = ", ".join(f"{n} ({c} row{'s' if c != 1 else ''})" for n, c in ranked[:top])
                more = f" and {len(ranked) - top} more" if len(ranked) > top else ""
                parts.append(f"unknown {kind} {shown}{more}")
        if not parts:
            return ""
        return f"{self.skipped_rows} rows skipped: " + "; ".join(parts)


def _unknown_rows(df: pd.DataFrame) -> tuple[pd.Series, dict[str, int], dict[str, int]]:
    """Mask of rows whose miRNA or gene is not a current name, and the counts per name."""
    from collections import Counter

    mir_ok = {m: (hit := names.try_normalize_mirna(m)) is not None and hit.name == m
              for m in set(df["mirna"])}
    gene_ok = {g: names.try_normalize_gene(g) == g for g in set(df["target"])}
    bad_m = df["mirna"].map(mir_ok).eq(False)
    bad_g = df["target"].map(gene_ok).eq(False)
    return (
        bad_m | bad_g,
        dict(Counter(df.loc[bad_m, "mirna"])),
        dict(Counter(df.loc[bad_g, "target"])),
    )


def import_mirtarbase_checked(
    kb: KnowledgeBase,
    path: str | Path | None = None,
    *,
    on_unknown: Literal["skip", "error"] = "skip",
) -> MirTarBaseImport:
    """Import a miRTarBase table, refusing or skipping rows with unknown names.

    Parameters
    ----------
    kb
        The store (:func:`mirscope.kb.open_store`).
    path
        The table; default: the shipped human miRTarBase 8.0 functional MTIs.
    on_unknown
        ``"skip"``: leave out rows whose miRNA is not a current miRBase name or whose
        gene is not an HGNC symbol (a query would call them unknown) and list them with
        counts in the result; ``"error"``: refuse the whole table (nothing written).

    Returns
    -------
    MirTarBaseImport

    Raises
    ------
    FileFormatError
        On a malformed row, an empty or header-only table (nothing is written).
    InputError
        With ``on_unknown="error"`` when a row names an unknown miRNA or gene.

    Examples
    --------
    >>> from mirscope.kb import open_store
    >>> res = import_mirtarbase_checked(open_store("sqlite://", build=False))
    >>> res.n_rows > 10_000, res.skipped_rows < 50
    (True, True)
    """
    if on_unknown not in ("skip", "error"):
        raise InputError(f"on_unknown={on_unknown!r} is not valid; use 'skip' or 'error'.")
    df = load_mirtarbase(path)
    label = str(path) if path is not None else f"mirscope/data/mirtarbase/{SHIPPED}"
    if df.empty:
        raise FileFormatError(
            label, "the table has a header but no data rows; nothing to import", line=2
        )
    bad, um, ug = _unknown_rows(df)
    res = MirTarBaseImport(0, len(df), um, ug, int(bad.sum()))
    if res.skipped_rows and on_unknown == "error":
        raise InputError(
            f"{label}: {res.summary()}. Nothing was imported: fix the names (current miRBase "
            "v22 / HGNC), or import with --skip-unknown to leave those rows out."
        )
    if res.skipped_rows:
        log.warning("%s: %s", label, res.summary())
    kept = df[~bad]
    if kept.empty:
        raise InputError(f"{label}: every row names an unknown miRNA or gene; nothing to import.")
    written = kb.add_relations(mirtarbase_relations(kept), origin=label)
    return MirTarBaseImport(written, len(df), um, ug, res.skipped_rows)


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
        On a malformed row (file, line, reason) or a header-only table; nothing is
        written then.

    Notes
    -----
    Rows naming a miRNA or gene that is not a current name are skipped (and logged);
    :func:`import_mirtarbase_checked` returns them with counts or refuses them.
    """
    if path is None:
        return kb.import_shipped_mirtarbase()
    return import_mirtarbase_checked(kb, path).written
