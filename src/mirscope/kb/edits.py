"""Curator edits of the knowledge base with an audit trail and optimistic concurrency.

Edits made by people (the web workbench's ``POST``/``PUT /api/evidence``) go through
these functions, never through :meth:`KnowledgeBase.add_relations` directly:

- :func:`add_user_relations` adds **new** relations as source ``user``. An id that is
  already stored is refused (:class:`EditConflictError`), so a curated review or
  miRTarBase record can never be overwritten by reusing its id. Every name is checked
  against the vocabularies (unknown names are refused) and normalised.
- :func:`update_user_relation` changes one ``user`` relation. The caller states the
  version it read; if someone else changed it meanwhile the update is refused
  (:class:`EditConflictError`, HTTP 409). Review, miRTarBase and literature records are
  never changed (:class:`ProtectedRecordError`).
- Every add and update is kept in the ``relation_edits`` table (who, when, the record and
  the previous version): :func:`relation_history`, :func:`list_edits`.

Examples
--------
>>> from mirscope.kb import open_store
>>> kb = open_store("sqlite://")
>>> rel = Relation(id="u1", subject="miR-124", subject_type="mirna", relation="targets",
...                object="stat3", object_type="gene", evidence="Luciferase assay.")
>>> [e["version"] for e in add_user_relations(kb, [rel], who="alice")]
[1]
>>> kb.query(source="user")[0].object
'STAT3'
>>> fixed = kb.query(source="user")[0].model_copy(update={"evidence": "Luciferase + WB."})
>>> update_user_relation(kb, fixed, version=1, who="bob")["version"]
2
>>> [(h["version"], h["who"]) for h in relation_history(kb, "u1")]
[(1, 'alice'), (2, 'bob')]
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from mirscope.errors import InputError, MirscopeError, UnknownNameError
from mirscope.kb.model import Relation
from mirscope.kb.store import (
    KnowledgeBase,
    _Entity,
    _ids_condition,
    _Import,
    _RelationEdit,
)

__all__ = [
    "EDITABLE_SOURCES",
    "EditConflictError",
    "ProtectedRecordError",
    "add_user_relations",
    "list_edits",
    "normalize_relation",
    "relation_history",
    "relation_version",
    "update_user_relation",
]

log = logging.getLogger(__name__)

#: Sources whose records may be changed by an edit (everything else is protected).
EDITABLE_SOURCES: tuple[str, ...] = ("user",)


class EditConflictError(MirscopeError):
    """The edit conflicts with the stored data (id taken, or a newer version exists)."""


class ProtectedRecordError(MirscopeError):
    """The record is curated (review, miRTarBase, literature) and cannot be edited."""


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def normalize_relation(rel: Relation) -> Relation:
    """The relation with every name checked and normalised, as source ``user``.

    Raises
    ------
    UnknownNameError
        The subject, object or cancer is not a known name of its type.
    InputError
        An entity of type ``other`` (it cannot be checked), or a source other than ``user``.

    Examples
    --------
    >>> r = Relation(id="x", subject="miR-124", subject_type="mirna", relation="targets",
    ...              object="c-Myc", object_type="gene", cancer="HCC", source="user")
    >>> n = normalize_relation(r)
    >>> n.subject, n.object, n.cancer
    ('hsa-miR-124-3p', 'MYC', 'hepatocellular carcinoma')
    """
    from mirscope import names
    from mirscope.kb.review import normalize_entity

    if rel.source != "user":
        raise InputError(
            f"relation {rel.id!r} has source {rel.source!r}; edits are stored as source 'user' "
            "(review, miRTarBase and literature records come only from their importers)."
        )
    update: dict[str, Any] = {}
    for role in ("subject", "object"):
        etype = getattr(rel, f"{role}_type")
        if etype == "other":
            raise InputError(
                f"{role} {getattr(rel, role)!r} has type 'other', which cannot be checked; "
                "use mirna, gene, lncrna, circrna, pathway, phenotype, therapy or cancer."
            )
        update[role] = normalize_entity(getattr(rel, role), etype)
    if rel.cancer is not None:
        update["cancer"] = names.normalize_cancer(rel.cancer).name
    return rel.model_copy(update=update)


def relation_version(kb: KnowledgeBase, relation_id: str) -> int:
    """The current edit version of a relation (0: never edited over HTTP)."""
    with kb.engine.connect() as conn:
        v = conn.execute(
            select(func.max(_RelationEdit.version)).where(_RelationEdit.relation_id == relation_id)
        ).scalar()
    return int(v or 0)


def _entity_ids(s: Any) -> dict[tuple[str, str], int]:
    return {(n, t): i for i, n, t in s.execute(select(_Entity.id, _Entity.name, _Entity.type))}


def _new_import(s: Any, who: str, n: int, origin: str) -> Any:
    from mirscope import __version__

    imp = _Import(source="user", origin=f"{origin} by {who}", started_at=_now(), n_records=n,
                  n_written=n, mirscope_version=__version__)
    s.add(imp)
    s.flush()
    return imp


def add_user_relations(
    kb: KnowledgeBase, relations: Iterable[Relation], *, who: str
) -> list[dict[str, Any]]:
    """Add new relations as source ``user`` in one transaction, each with an audit row.

    Parameters
    ----------
    kb
        The store.
    relations
        New relations (their ``source`` is set to ``user``; names are normalised).
    who
        Who adds them (the token name over HTTP).

    Returns
    -------
    list of dict
        One audit entry per relation: ``relation_id``, ``version`` (1), ``who``, ``at``.

    Raises
    ------
    EditConflictError
        An id is already stored (whatever its source): nothing is written. Changing a
        ``user`` record is :func:`update_user_relation`; curated records never change.
    UnknownNameError, InputError
        A name is not known, or an id is given twice.
    """
    rels = [normalize_relation(r.model_copy(update={"source": "user"})) for r in relations]
    if not rels:
        raise InputError("no relation to add; give at least one.")
    ids = [r.id for r in rels]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError(f"relation id(s) {dup} given more than once; ids must be unique.")
    at = _now()
    try:
        with kb._writing() as (s, _):
            taken = {r.id: r for r in kb._fetch(s, _ids_condition(rels))}
            if taken:
                desc = ", ".join(f"{i!r} (source {r.source})" for i, r in sorted(taken.items()))
                raise EditConflictError(
                    f"relation id(s) already stored: {desc}; nothing was added. Choose new ids "
                    "for new findings; a 'user' record is changed with an explicit update "
                    "(PUT /api/evidence with its version); review and miRTarBase records are "
                    "never changed over HTTP."
                )
            imp = _new_import(s, who, len(rels), "http add")
            kb._write_rows(s, rels, [], imp.id, _entity_ids(s))
            for r in rels:
                s.add(_RelationEdit(relation_id=r.id, version=1, action="add", who=who, at=at,
                                    record=r.to_record(), previous=None))
            s.flush()
    except IntegrityError as err:
        raise EditConflictError(
            f"a concurrent edit added one of {ids} first; nothing was added ({err.orig})."
        ) from err
    except SQLAlchemyError as err:
        raise InputError(f"adding relations failed, nothing was written: {err}") from err
    log.info("%s added %d user relation(s)", who, len(rels))
    return [{"relation_id": r.id, "version": 1, "who": who, "at": at} for r in rels]


def update_user_relation(
    kb: KnowledgeBase, relation: Relation, *, version: int, who: str
) -> dict[str, Any]:
    """Replace one ``user`` relation, keeping the previous version in the audit trail.

    Parameters
    ----------
    kb
        The store.
    relation
        The new content; its ``id`` names the relation to change.
    version
        The version the caller read (:func:`relation_version`); the update is refused when
        the stored version is newer (someone else changed it).
    who
        Who changes it.

    Returns
    -------
    dict
        ``relation_id``, the new ``version``, ``who``, ``at``.

    Raises
    ------
    UnknownNameError
        No relation has this id (or a name in it is unknown).
    ProtectedRecordError
        The stored record is not a ``user`` record (review, miRTarBase, literature).
    EditConflictError
        ``version`` is not the current version (a concurrent update won).
    """
    rel = normalize_relation(relation.model_copy(update={"source": "user"}))
    at = _now()
    try:
        with kb._writing() as (s, _):
            found = kb._fetch(s, _ids_condition([rel]))
            if not found:
                raise UnknownNameError("relation id", rel.id)
            old = found[0]
            if old.source not in EDITABLE_SOURCES:
                raise ProtectedRecordError(
                    f"relation {rel.id!r} is a {old.source} record and is never changed over "
                    "HTTP; add your finding as a new relation (POST /api/evidence, new id)."
                )
            current = int(s.execute(
                select(func.max(_RelationEdit.version))
                .where(_RelationEdit.relation_id == rel.id)
            ).scalar() or 0)
            if version != current:
                raise EditConflictError(
                    f"relation {rel.id!r} is at version {current}, not {version}: someone "
                    "changed it since you read it. Reload it, re-apply your change and send "
                    f"version={current}."
                )
            imp = _new_import(s, who, 1, "http update")
            kb._write_rows(s, [], [rel], imp.id, _entity_ids(s))
            s.add(_RelationEdit(relation_id=rel.id, version=current + 1, action="update",
                                who=who, at=at, record=rel.to_record(),
                                previous=old.to_record()))
            s.flush()
    except IntegrityError as err:
        raise EditConflictError(
            f"relation {rel.id!r} was updated concurrently to version {version + 1}; reload it "
            "and try again."
        ) from err
    except SQLAlchemyError as err:
        raise InputError(f"updating {rel.id!r} failed, nothing was written: {err}") from err
    log.info("%s updated %s to version %d", who, rel.id, version + 1)
    return {"relation_id": rel.id, "version": version + 1, "who": who, "at": at}


def _edit_dict(row: Any) -> dict[str, Any]:
    return {
        "relation_id": row.relation_id, "version": row.version, "action": row.action,
        "who": row.who, "at": row.at, "record": row.record, "previous": row.previous,
    }


def relation_history(kb: KnowledgeBase, relation_id: str) -> list[dict[str, Any]]:
    """Every recorded version of one relation, oldest first (empty if never edited)."""
    with kb.engine.connect() as conn:
        rows = conn.execute(
            select(_RelationEdit).where(_RelationEdit.relation_id == relation_id)
            .order_by(_RelationEdit.version)
        ).all()
    return [_edit_dict(r) for r in rows]


def list_edits(
    kb: KnowledgeBase, *, limit: int = 100, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """The total number of audit entries and one page of them, newest first."""
    with kb.engine.connect() as conn:
        total = int(conn.execute(select(func.count(_RelationEdit.id))).scalar() or 0)
        rows = conn.execute(
            select(_RelationEdit).order_by(_RelationEdit.id.desc()).limit(limit).offset(offset)
        ).all()
    return total, [_edit_dict(r) for r in rows]
