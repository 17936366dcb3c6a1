"""Load the curated review dataset (``kb/data/review/*.yaml``) into :class:`Relation` objects.

Each YAML file is a list of mappings with the fields of :class:`~mirscope.kb.model.Relation`
(except ``source``/``source_id``), names written as a scientist would (``miR-124``, ``STAT3``,
``circHIPK3``, ``PI3K/Akt``, ``HCC``). The loader normalises every name by its entity type
with :mod:`mirscope.names`, checks that the evidence text sits at its offsets in the seed
review, and tags the records ``source="review"``. Any bad record raises
:class:`~mirscope.errors.FileFormatError` naming the file, the record's line and id and the
reason.

Examples
--------
>>> rels = load_review_relations()
>>> all(r.source == "review" for r in rels)
True
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mirscope import names
from mirscope.errors import FileFormatError, InputError
from mirscope.kb.model import Relation

__all__ = ["load_review_relations", "normalize_entity", "review_files", "review_text"]

log = logging.getLogger(__name__)

#: Fields of a curated YAML record (the Relation fields except source/source_id).
RECORD_FIELDS: tuple[str, ...] = tuple(
    f for f in Relation.model_fields if f not in ("source", "source_id")
)
_REQUIRED = ("id", "subject", "subject_type", "relation", "object", "object_type")


def _data_dir() -> Traversable:
    return resources.files("mirscope").joinpath("kb", "data")


@lru_cache(maxsize=1)
def review_text() -> str:
    """The seed review (``kb/data/mir124-cancer-review.txt``) as a ``str``.

    Offsets of curated evidence (``evidence_start``/``evidence_end``) index this string.

    Examples
    --------
    >>> "miR\u2011124" in review_text()
    True
    """
    return _data_dir().joinpath("mir124-cancer-review.txt").read_text(encoding="utf-8")


def review_files() -> list[Traversable]:
    """The shipped curated YAML files, sorted by name."""
    d = _data_dir().joinpath("review")
    if not d.is_dir():
        return []
    return sorted(
        (f for f in d.iterdir() if f.name.endswith((".yaml", ".yml"))), key=lambda f: f.name
    )


def normalize_entity(name: str, entity_type: str) -> str:
    """Canonical name of ``name`` as an entity of ``entity_type``.

    ``mirna`` -> miRBase name, ``gene`` -> HGNC symbol, ``lncrna``/``circrna`` -> ncRNA
    name, ``pathway``/``phenotype``/``therapy``/``cancer`` -> vocabulary name, ``other`` ->
    unchanged (trimmed).

    Raises
    ------
    UnknownNameError
        If the name is not known for that type.
    InputError
        If ``entity_type`` is not an entity type, or an ncRNA has the other ncRNA type.

    Examples
    --------
    >>> normalize_entity("miR\u2011124", "mirna"), normalize_entity("E-cadherin", "gene")
    ('hsa-miR-124-3p', 'CDH1')
    """
    if entity_type == "mirna":
        return names.normalize_mirna(name).name
    if entity_type == "gene":
        return names.normalize_gene(name)
    if entity_type in ("lncrna", "circrna"):
        rec = names.normalize_ncrna(name)
        if rec.type != entity_type:
            raise InputError(f"{name!r} is a {rec.type} ({rec.name}), not a {entity_type}")
        return rec.name
    if entity_type == "pathway":
        return names.normalize_pathway(name)
    if entity_type == "phenotype":
        return names.normalize_phenotype(name)
    if entity_type == "therapy":
        return names.normalize_therapy(name)
    if entity_type == "cancer":
        return names.normalize_cancer(name).name
    if entity_type == "other":
        return re.sub(r"\s+", " ", str(name)).strip()
    raise InputError(
        f"unknown entity type {entity_type!r}; valid types are mirna, gene, lncrna, circrna, "
        "pathway, phenotype, therapy, cancer, other"
    )


def _parse_yaml(text: str, path: str) -> tuple[Any, list[int]]:
    """Parse YAML and return the data plus the 1-based line of each top-level list item."""
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise FileFormatError(
            path,
            f"not valid YAML: {getattr(err, 'problem', err)}",
            line=mark.line + 1 if mark is not None else None,
        ) from err
    finally:
        loader.dispose()
    lines = (
        [item.start_mark.line + 1 for item in node.value]
        if isinstance(node, yaml.SequenceNode)
        else []
    )
    return data, lines


def _record_to_relation(rec: Any, path: str, line: int, text: str) -> Relation:
    if not isinstance(rec, dict):
        raise FileFormatError(
            path, f"a record must be a mapping, got {type(rec).__name__}", line=line
        )
    rid = rec.get("id", "?")
    where = f"record {rid!r}: "
    unknown = sorted(set(rec) - set(RECORD_FIELDS))
    if unknown:
        raise FileFormatError(
            path,
            f"{where}unknown field(s) {unknown}; valid fields are {list(RECORD_FIELDS)}",
            line=line,
        )
    missing = [f for f in _REQUIRED if rec.get(f) in (None, "")]
    if missing:
        raise FileFormatError(path, f"{where}missing required field(s) {missing}", line=line)
    data = {k: v for k, v in rec.items() if v is not None or k in ("cancer", "tissue", "note")}
    for key in ("cell_lines", "assays", "refs", "flags"):
        if key in data and isinstance(data[key], list):
            data[key] = tuple(data[key])
    try:
        data["subject"] = normalize_entity(str(rec["subject"]), str(rec["subject_type"]))
        data["object"] = normalize_entity(str(rec["object"]), str(rec["object_type"]))
        if rec.get("cancer") is not None:
            data["cancer"] = names.normalize_cancer(str(rec["cancer"])).name
    except InputError as err:  # includes UnknownNameError
        raise FileFormatError(path, f"{where}{err}", line=line) from err
    data["source"] = "review"
    try:
        rel = Relation(**data)
    except ValidationError as err:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()
        )
        raise FileFormatError(path, f"{where}{reasons}", line=line) from err
    if rel.evidence_start is not None or rel.evidence_end is not None:
        s, e = rel.evidence_start, rel.evidence_end
        if s is None or e is None or not 0 <= s < e <= len(text):
            raise FileFormatError(
                path,
                f"{where}evidence offsets {s}..{e} are not a span of the review (0..{len(text)})",
                line=line,
            )
        if text[s:e] != rel.evidence:
            raise FileFormatError(
                path,
                f"{where}evidence does not occur verbatim at offsets {s}..{e} of the review "
                f"(the review has {text[s : min(e, s + 60)]!r}...)",
                line=line,
            )
    return rel


def _load_file(text: str, path: str, review: str) -> list[Relation]:
    data, lines = _parse_yaml(text, path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise FileFormatError(
            path, f"the file must be a YAML list of records, got a {type(data).__name__}", line=1
        )
    return [
        _record_to_relation(rec, path, line, review) for rec, line in zip(data, lines, strict=True)
    ]


def load_review_file(path: str | Path) -> list[Relation]:
    """Load one curated YAML file (any path) into normalised relations.

    Raises
    ------
    FileFormatError
        On a malformed record (file, line, record id and reason in the message).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise FileFormatError(p, f"cannot read the file: {err.strerror or err}") from err
    return _load_file(text, str(p), review_text())


def _check_unique(rels: Iterable[tuple[Relation, str]]) -> None:
    seen: dict[str, str] = {}
    for rel, path in rels:
        if rel.id in seen:
            raise FileFormatError(
                path,
                f"record {rel.id!r}: duplicate id (also in {seen[rel.id]}); ids must be unique",
            )
        seen[rel.id] = path


def load_review_relations(paths: Iterable[str | Path] | None = None) -> list[Relation]:
    """The curated review as normalised :class:`Relation` objects (``source="review"``).

    Parameters
    ----------
    paths
        YAML files to read instead of the shipped ``kb/data/review/*.yaml`` (tests, drafts).
        The shipped dataset is parsed once per process and cached.

    Raises
    ------
    FileFormatError
        A malformed record, an unknown name, evidence not at its offsets, or a duplicate id;
        the message names the file, the line and the record id.

    Examples
    --------
    >>> rels = load_review_relations()
    >>> len({r.id for r in rels}) == len(rels)
    True
    """
    if paths is None:
        return list(_load_shipped())
    out: list[tuple[Relation, str]] = []
    for p in paths:
        out += [(r, str(p)) for r in load_review_file(p)]
    _check_unique(out)
    return [r for r, _ in out]


@lru_cache(maxsize=1)
def _load_shipped() -> tuple[Relation, ...]:
    review = review_text()
    out: list[tuple[Relation, str]] = []
    for f in review_files():
        path = f"mirscope/kb/data/review/{f.name}"
        out += [(r, path) for r in _load_file(f.read_text(encoding="utf-8"), path, review)]
    _check_unique(out)
    log.debug("loaded %d curated review relations from %d files", len(out), len(review_files()))
    return tuple(r for r, _ in out)


def review_fingerprint() -> str:
    """A hash of the shipped review files (the default database rebuilds when it changes)."""
    import hashlib

    h = hashlib.sha256()
    for f in review_files():
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]
