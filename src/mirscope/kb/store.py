"""The knowledge-base store: SQLAlchemy 2 (ORM tables, Core bulk statements).

Two backends are tested: SQLite (the default, a file in the user data folder) and PostgreSQL
through psycopg 3 (a shared lab database); see :mod:`mirscope.kb.database` for how the URL
is chosen (``--db``, ``MIRSCOPE_DB``) and how concurrent writers are serialised, and
:mod:`mirscope.kb.migrate` for schema versions and upgrades.

Tables: ``schema_info`` (schema version, review fingerprint), ``entities`` (normalised name,
type, miRNA family), ``relations`` (one row per :class:`~mirscope.kb.model.Relation`),
``relation_refs`` (the review's reference numbers, one row each), ``relation_assays`` and
``imports`` (provenance of every import: source, origin, time, counts).

Every import runs in one transaction: if any row fails, nothing is written. Imports are
idempotent: a relation id already stored is updated in place, never duplicated. Writers hold
the knowledge-base write lock for their whole transaction, so concurrent imports give the
result of one after the other. SQLite databases use WAL journal mode and enforce foreign keys.

Examples
--------
>>> kb = open_store("sqlite://")          # in-memory, built from the curated review
>>> hits = kb.query(mirna="miR‑124", cancer="HCC", relation="targets")
>>> all(r.subject == "hsa-miR-124-3p" and r.cancer == "hepatocellular carcinoma" for r in hits)
True
"""

from __future__ import annotations

import datetime as _dt
import difflib
import logging
import time
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    aliased,
    mapped_column,
)

from mirscope import names
from mirscope.errors import InputError, MirscopeError, UnknownNameError
from mirscope.kb.database import (
    DEFAULT_DB_NAME,
    LOCK_TIMEOUT_S,
    acquire_write_lock,
    default_db_url,
    display_url,
    make_engine,
    resolve_db_url,
)
from mirscope.kb.model import Relation
from mirscope.schema import RELATION_TYPES, SOURCES

__all__ = ["DEFAULT_DB_NAME", "SCHEMA_VERSION", "KnowledgeBase", "default_db_url", "open_store"]

log = logging.getLogger(__name__)

_CHUNK = 500  # ids per IN (...) clause and per write batch

#: Version of the database layout written by this mirscope: the ``schema_version`` of the
#: newest migration in :mod:`mirscope.kb.migrations` (a test keeps the two equal).
SCHEMA_VERSION = 3


class _Base(DeclarativeBase):
    pass


class _SchemaInfo(_Base):
    __tablename__ = "schema_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class _Entity(_Base):
    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("name", "type", name="uq_entity_name_type"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(256), index=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    family: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)


class _Import(_Base):
    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(Text)
    started_at: Mapped[str] = mapped_column(String(40))
    n_records: Mapped[int] = mapped_column(Integer)
    n_written: Mapped[int] = mapped_column(Integer)
    # schema version 2 (migration 0002): provenance
    mirscope_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    finished_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
    lock_wait_s: Mapped[float | None] = mapped_column(Float, nullable=True)


class _RelationRow(_Base):
    __tablename__ = "relations"
    __table_args__ = (
        Index("ix_rel_subject", "subject_id"),
        Index("ix_rel_object", "object_id"),
        Index("ix_rel_cancer", "cancer"),
        Index("ix_rel_relation", "relation"),
        Index("ix_rel_source", "source"),
    )
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    object_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    relation: Mapped[str] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(16))
    sign: Mapped[int] = mapped_column(Integer)
    cancer: Mapped[str | None] = mapped_column(String(128), nullable=True)
    context: Mapped[str] = mapped_column(String(16))
    cell_lines: Mapped[list[str]] = mapped_column(JSON)
    tissue: Mapped[str | None] = mapped_column(Text, nullable=True)
    sample_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    numbers: Mapped[dict[str, Any]] = mapped_column(JSON)
    evidence: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    evidence_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    flags: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)


class _RelationRef(_Base):
    __tablename__ = "relation_refs"
    relation_id: Mapped[str] = mapped_column(
        ForeignKey("relations.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[int] = mapped_column(Integer, index=True)


class _RelationAssay(_Base):
    __tablename__ = "relation_assays"
    relation_id: Mapped[str] = mapped_column(
        ForeignKey("relations.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    assay: Mapped[str] = mapped_column(String(128), index=True)


class _RelationEdit(_Base):
    """Audit trail of edits made over HTTP (schema version 3, migration 0003).

    One row per added or updated relation version: who (token name), when, the record
    after the edit and, for an update, the record before it. ``(relation_id, version)`` is
    unique, so two curators updating the same version conflict instead of overwriting
    each other (optimistic concurrency). See :mod:`mirscope.kb.edits`.
    """

    __tablename__ = "relation_edits"
    __table_args__ = (
        UniqueConstraint("relation_id", "version", name="uq_edit_relation_version"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    relation_id: Mapped[str] = mapped_column(String(128), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    who: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


#: The tables of the current schema (Alembic's target metadata).
metadata = _Base.metadata


def _sorted(col: Any, dialect: str) -> Any:
    """``col`` ordered as SQLite orders it: NULL first, text by code point (not locale)."""
    if dialect == "postgresql" and isinstance(col.type, String | Text):
        col = col.collate("C")
    return col.nulls_first()


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------
def _family(name: str, entity_type: str) -> str | None:
    if entity_type != "mirna":
        return None
    m = names.try_normalize_mirna(name)
    return m.family if m is not None else None


class KnowledgeBase:
    """A knowledge-base database (open it with :func:`open_store`).

    Parameters
    ----------
    url
        SQLAlchemy URL (``sqlite:///path.sqlite``, ``sqlite://`` in memory,
        ``postgresql+psycopg://...``) or a plain file path (SQLite); ``None``: ``MIRSCOPE_DB``
        or the default file (:func:`mirscope.kb.database.resolve_db_url`).
    lock_timeout
        Seconds a write waits for another writer before :class:`DatabaseLockError`.

    Attributes
    ----------
    url
        The database's URL with any password shown as ``***`` (safe in messages and logs;
        ``engine.url`` holds the real one).
    """

    def __init__(self, url: str | None = None, *, lock_timeout: float = LOCK_TIMEOUT_S) -> None:
        real = resolve_db_url(url)
        if real.startswith("sqlite:///"):
            Path(real[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        self.url = display_url(real)
        self.lock_timeout = lock_timeout
        self.engine = make_engine(real, lock_timeout=lock_timeout)
        # close pooled connections when the store is dropped without close() (CLI commands,
        # notebooks): PostgreSQL sessions are not left open until the process ends
        weakref.finalize(self, self.engine.dispose)
        # readers see one snapshot across their statements (a relation and its refs agree
        # while a writer commits); writers stay READ COMMITTED so that, once they hold the
        # lock, they see what the previous writer committed
        self._reader = (
            self.engine.execution_options(isolation_level="REPEATABLE READ")
            if self.engine.dialect.name == "postgresql"
            else self.engine
        )
        self.display_url = self.url
        try:
            self._prepare_retrying()
        except SQLAlchemyError as err:
            self.engine.dispose()
            raise InputError(f"cannot open the knowledge base {self.display_url}: {err}") from err
        except MirscopeError:
            self.engine.dispose()
            raise

    def _prepare_retrying(self) -> None:
        """:meth:`_prepare`, retried while a new SQLite file is being set up by another process.

        SQLite answers "database is locked" at once, without waiting, to a connection that
        switches a brand-new file to WAL or reads it while another connection creates the
        tables; these are retried for up to about 30 s.
        """
        delay = 0.02
        deadline = time.monotonic() + 30.0
        while True:
            try:
                self._prepare()
                return
            except OperationalError as err:
                busy = "locked" in str(err) or "busy" in str(err)
                if (
                    self.engine.dialect.name != "sqlite"
                    or not busy
                    or time.monotonic() + delay > deadline
                ):
                    raise
                log.info("knowledge base %s is being set up elsewhere; retrying", self.display_url)
                self.engine.dispose()
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def _prepare(self) -> None:
        """Check the schema version; create the tables in an empty database (under the lock)."""
        from mirscope.kb import migrate

        with self.engine.connect() as conn:
            state = migrate.database_state(conn)
            conn.rollback()
        if state.empty:
            with self._writing() as (s, _):
                conn = s.connection()
                state = migrate.database_state(conn)  # again: another process may have won
                if state.empty:
                    log.info("creating the knowledge-base tables in %s", self.display_url)
                    metadata.create_all(conn)
                    s.add(_SchemaInfo(key="schema_version", value=str(SCHEMA_VERSION)))
                    s.flush()
                    migrate.stamp_new(conn)
                    return
        if migrate.check_state(state, self.url) == "older":
            from mirscope.errors import SchemaVersionError

            raise SchemaVersionError(
                f"the knowledge base {self.display_url} has schema version "
                f"{state.version_number()}, but this mirscope uses schema version "
                f"{SCHEMA_VERSION}. Upgrade it in place with `mirscope kb upgrade --db "
                f"{self.display_url}` (a SQLite file is backed up first)."
            )

    @contextmanager
    def _writing(self) -> Iterator[tuple[Session, float]]:
        """A session in one transaction holding the knowledge-base write lock.

        Yields the session and the seconds waited for the lock; commits at the end (rolls
        back on an exception).
        """
        with self.engine.connect() as conn:
            conn.execution_options(mirscope_write=True)
            with conn.begin():
                waited = acquire_write_lock(conn, self.url, lock_timeout=self.lock_timeout)
                with Session(bind=conn, join_transaction_mode="rollback_only") as s:
                    yield s, waited
                    s.flush()

    def __repr__(self) -> str:
        return f"KnowledgeBase({self.display_url!r})"

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- metadata -----------------------------------------------------------
    def get_info(self, key: str) -> str | None:
        """A value of the ``schema_info`` table (``schema_version``, ``review_fingerprint``)."""
        with Session(self._reader) as s:
            row = s.get(_SchemaInfo, key)
            return row.value if row else None

    def _set_info(self, s: Session, key: str, value: str) -> None:
        row = s.get(_SchemaInfo, key)
        if row is None:
            s.add(_SchemaInfo(key=key, value=value))
        else:
            row.value = value

    def import_log(self) -> list[dict[str, Any]]:
        """Every import (oldest first): source, origin, times, counts, mirscope version.

        Examples
        --------
        >>> log = open_store("sqlite://").import_log()  # the review, then miRTarBase
        >>> [(e["source"], e["n_written"] > 100) for e in log]
        [('review', True), ('mirtarbase', True)]
        """
        cols = [c.name for c in _Import.__table__.columns]
        with Session(self._reader) as s:
            rows = s.execute(select(*_Import.__table__.columns).order_by(_Import.id)).all()
        return [dict(zip(cols, row, strict=True)) for row in rows]

    # -- writing ------------------------------------------------------------
    def add_relations(
        self,
        relations: Iterable[Relation],
        *,
        origin: str = "api",
        replace_source: str | None = None,
        info: dict[str, str] | None = None,
    ) -> int:
        """Store relations in one transaction; return how many were inserted or changed.

        Parameters
        ----------
        relations
            :class:`Relation` objects (names already normalised).
        origin
            Where they came from (file name, ``"review"``), kept in the ``imports`` table.
        replace_source
            If given, relations of this source whose id is not among ``relations`` are
            deleted in the same transaction (a full re-import of that source).
        info
            ``schema_info`` entries to set in the same transaction.

        Notes
        -----
        Idempotent: a relation whose id is stored already is updated in place (unchanged
        ones are skipped). If any relation fails (e.g. one id given twice with different
        content), the whole transaction is rolled back and nothing is written.
        """
        rels = list(relations)
        bad = [r for r in rels if not isinstance(r, Relation)]
        if bad:
            raise InputError(f"add_relations needs Relation objects, got {type(bad[0]).__name__}")
        for r in rels:
            _check_storable(r)
        from mirscope import __version__

        written = 0
        try:
            with self._writing() as (s, waited):
                imp = _Import(
                    source=replace_source or (rels[0].source if rels else "user"),
                    origin=origin,
                    started_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                    n_records=len(rels),
                    n_written=0,
                    mirscope_version=__version__,
                    lock_wait_s=round(waited, 3),
                )
                s.add(imp)
                s.flush()
                ent_ids: dict[tuple[str, str], int] = {
                    (n, t): i
                    for i, n, t in s.execute(select(_Entity.id, _Entity.name, _Entity.type))
                }
                seen: dict[str, Relation] = {}
                for k in range(0, len(rels), _CHUNK):
                    chunk: list[Relation] = []
                    for rel in rels[k : k + _CHUNK]:
                        if rel.id in seen:
                            if seen[rel.id] != rel:
                                raise InputError(
                                    f"relation id {rel.id!r} is given twice with different "
                                    "content in one import; ids must be unique"
                                )
                            continue
                        seen[rel.id] = rel
                        chunk.append(rel)
                    existing = {r.id: r for r in self._fetch(s, _ids_condition(chunk))}
                    new = [r for r in chunk if r.id not in existing]
                    changed = [r for r in chunk if r.id in existing and existing[r.id] != r]
                    self._write_rows(s, new, changed, imp.id, ent_ids)
                    written += len(new) + len(changed)
                if replace_source is not None:
                    ids = s.scalars(
                        select(_RelationRow.id).where(_RelationRow.source == replace_source)
                    ).all()
                    stale = [i for i in ids if i not in seen]
                    self._delete_rows(s, stale)
                    written += len(stale)
                imp.n_written = written
                for key, value in (info or {}).items():
                    self._set_info(s, key, value)
                imp.finished_at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        except SQLAlchemyError as err:
            raise InputError(
                f"import into {self.display_url} failed, nothing was written: {err}"
            ) from err
        log.info("stored %d of %d relations (%s)", written, len(rels), origin)
        return written

    @staticmethod
    def _delete_rows(s: Session, ids: Sequence[str]) -> None:
        for k in range(0, len(ids), _CHUNK):
            chunk = list(ids[k : k + _CHUNK])
            s.execute(delete(_RelationRef).where(_RelationRef.relation_id.in_(chunk)))
            s.execute(delete(_RelationAssay).where(_RelationAssay.relation_id.in_(chunk)))
            s.execute(delete(_RelationRow).where(_RelationRow.id.in_(chunk)))

    def _write_rows(
        self,
        s: Session,
        new: list[Relation],
        changed: list[Relation],
        import_id: int,
        ent_ids: dict[tuple[str, str], int],
    ) -> None:
        """Insert new relations and replace changed ones (Core bulk statements)."""
        rows = [*new, *changed]
        if not rows:
            return
        self._delete_rows(s, [r.id for r in changed])
        for r in rows:
            for key in ((r.subject, r.subject_type), (r.object, r.object_type)):
                if key not in ent_ids:
                    res = s.execute(
                        insert(_Entity).values(
                            name=key[0], type=key[1], family=_family(key[0], key[1])
                        )
                    )
                    ent_ids[key] = int(res.inserted_primary_key[0])
        s.execute(
            insert(_RelationRow),
            [
                {
                    "id": r.id,
                    "subject_id": ent_ids[(r.subject, r.subject_type)],
                    "object_id": ent_ids[(r.object, r.object_type)],
                    "relation": r.relation,
                    "direction": r.direction,
                    "sign": r.sign,
                    "cancer": r.cancer,
                    "context": r.context,
                    "cell_lines": list(r.cell_lines),
                    "tissue": r.tissue,
                    "sample_size": r.sample_size,
                    "numbers": dict(r.numbers),
                    "evidence": r.evidence,
                    "evidence_start": r.evidence_start,
                    "evidence_end": r.evidence_end,
                    "flags": list(r.flags),
                    "note": r.note,
                    "source": r.source,
                    "source_id": r.source_id,
                    "import_id": import_id,
                }
                for r in rows
            ],
        )
        refs = [
            {"relation_id": r.id, "position": i, "ref": int(x)}
            for r in rows
            for i, x in enumerate(r.refs)
        ]
        if refs:
            s.execute(insert(_RelationRef), refs)
        assays = [
            {"relation_id": r.id, "position": i, "assay": a}
            for r in rows
            for i, a in enumerate(r.assays)
        ]
        if assays:
            s.execute(insert(_RelationAssay), assays)

    def import_shipped_mirtarbase(self) -> int:
        """(Re)load the shipped human miRTarBase table (source ``mirtarbase``), one transaction.

        Returns the number of relations inserted or changed. Rows are updated in place;
        a user's own miRTarBase import (:func:`mirscope.kb.import_mirtarbase` with a path)
        is kept.
        """
        from mirscope.kb.mirtarbase import shipped_fingerprint, shipped_relations

        return self.add_relations(
            shipped_relations(),
            origin="mirscope/data/mirtarbase",
            info={"mirtarbase_fingerprint": shipped_fingerprint()},
        )

    def import_review(self) -> int:
        """(Re)load the curated review into this store in one transaction.

        Review relations no longer in the curated data are removed; returns the number of
        relations inserted, changed or removed.
        """
        from mirscope.kb.review import load_review_relations, review_fingerprint

        rels = load_review_relations()
        return self.add_relations(
            rels,
            origin="mirscope/kb/data/review",
            replace_source="review",
            info={"review_fingerprint": review_fingerprint()},
        )

    # -- reading ------------------------------------------------------------
    def _fetch(
        self,
        s: Session,
        condition: Any = None,
        *,
        build: Any = None,
    ) -> list[Relation]:
        """Relations selected with Core statements.

        ``condition`` is a SQL condition on the relations table; ``build(subj, obj)``, if
        given, returns extra conditions on the subject/object entity aliases.
        """
        subj, obj = aliased(_Entity), aliased(_Entity)
        R = _RelationRow
        stmt = (
            select(
                R.id, subj.name, subj.type, R.relation, obj.name, obj.type, R.direction,
                R.sign, R.cancer, R.context, R.cell_lines, R.tissue, R.sample_size,
                R.numbers, R.evidence, R.evidence_start, R.evidence_end, R.flags, R.note,
                R.source, R.source_id,
            )
            .join(subj, R.subject_id == subj.id)
            .join(obj, R.object_id == obj.id)
        )  # fmt: skip
        if condition is not None:
            stmt = stmt.where(condition)
        if build is not None:
            stmt = stmt.where(*build(subj, obj))
        dialect = s.get_bind().dialect.name
        stmt = stmt.order_by(*(_sorted(c, dialect) for c in (R.source, R.cancer, R.id)))
        rows = s.execute(stmt).all()
        if not rows:
            return []
        ids = [row[0] for row in rows]
        refs: dict[str, list[int]] = {}
        assays: dict[str, list[str]] = {}
        whole = len(ids) > 2000  # cheaper to read the child tables whole
        for k in range(0, 1 if whole else len(ids), _CHUNK):
            rr = select(_RelationRef.relation_id, _RelationRef.ref)
            ra = select(_RelationAssay.relation_id, _RelationAssay.assay)
            if not whole:
                chunk = ids[k : k + _CHUNK]
                rr = rr.where(_RelationRef.relation_id.in_(chunk))
                ra = ra.where(_RelationAssay.relation_id.in_(chunk))
            for rid, ref in s.execute(rr.order_by(_RelationRef.position)):
                refs.setdefault(rid, []).append(int(ref))
            for rid, a in s.execute(
                ra.order_by(_RelationAssay.position)
            ):
                assays.setdefault(rid, []).append(a)
        out = []
        for row in rows:
            rid = row[0]
            out.append(
                Relation(
                    id=rid,
                    subject=row[1],
                    subject_type=row[2],
                    relation=row[3],
                    object=row[4],
                    object_type=row[5],
                    direction=row[6],
                    sign=row[7],
                    cancer=row[8],
                    context=row[9],
                    cell_lines=tuple(row[10] or ()),
                    tissue=row[11],
                    assays=tuple(assays.get(rid, ())),
                    sample_size=row[12],
                    numbers=dict(row[13] or {}),
                    refs=tuple(refs.get(rid, ())),
                    evidence=row[14],
                    evidence_start=row[15],
                    evidence_end=row[16],
                    flags=tuple(row[17] or ()),
                    note=row[18],
                    source=row[19],
                    source_id=row[20],
                )
            )
        return out

    def all_relations(self) -> list[Relation]:
        """Every stored relation, ordered by source, cancer and id."""
        with Session(self._reader) as s:
            return self._fetch(s)

    def query(
        self,
        *,
        mirna: str | None = None,
        gene: str | None = None,
        cancer: str | None = None,
        relation: str | None = None,
        pathway: str | None = None,
        source: str | None = None,
    ) -> list[Relation]:
        """Relations matching every given filter (names in any spelling); ``[]`` if none.

        Parameters
        ----------
        mirna
            A miRNA in any spelling. An arm-less name (``miR-124``) matches the whole family
            (mature arms, precursors, genes, primary transcript); an explicit arm, precursor
            or gene (``miR-124-5p``, ``MIR124-2``) matches exactly that entity.
        gene
            Gene symbol/alias; matches relations with the gene as subject or object.
        cancer
            Cancer name or abbreviation; matches that cancer and its sub-types
            (``lung cancer`` includes NSCLC).
        relation
            One of :data:`mirscope.schema.RELATION_TYPES`.
        pathway
            Pathway name; matches relations with the pathway as subject or object.
        source
            One of :data:`mirscope.schema.SOURCES` (``review``, ``mirtarbase``...).

        Raises
        ------
        UnknownNameError
            If a name is not known at all (the message lists the closest names).
        InputError
            If ``relation`` or ``source`` is not in its vocabulary.
        """
        conds: list[Any] = []
        ent_conds: list[Any] = []  # functions of (subj, obj)
        if mirna is not None:
            m = names.normalize_mirna(mirna)
            if _is_family_level(mirna, m):
                fam = m.family
                ent_conds.append(lambda a, b: or_(a.family == fam, b.family == fam))
            else:
                nm = m.name
                ent_conds.append(
                    lambda a, b: or_(
                        (a.name == nm) & (a.type == "mirna"), (b.name == nm) & (b.type == "mirna")
                    )
                )
        if gene is not None:
            g = names.normalize_gene(gene)
            ent_conds.append(
                lambda a, b: or_(
                    (a.name == g) & (a.type == "gene"), (b.name == g) & (b.type == "gene")
                )
            )
        if cancer is not None:
            conds.append(_RelationRow.cancer.in_(names.cancer_subtypes(cancer)))
        if relation is not None:
            conds.append(_RelationRow.relation == _check_relation(relation))
        if pathway is not None:
            p = names.normalize_pathway(pathway)
            ent_conds.append(
                lambda a, b: or_(
                    (a.name == p) & (a.type == "pathway"), (b.name == p) & (b.type == "pathway")
                )
            )
        if source is not None:
            if source not in SOURCES:
                raise InputError(
                    f"unknown source {source!r}; valid sources are {', '.join(SOURCES)}"
                )
            conds.append(_RelationRow.source == source)
        with Session(self._reader) as s:
            return self._fetch(
                s,
                and_(*conds) if conds else None,
                build=lambda a, b: [f(a, b) for f in ent_conds],
            )

    def suggest_filters(self, **filters: str | None) -> list[str]:
        """Hints for a query without hits: for each filter, the closest values that do match.

        For every given filter, the query is re-run without it and the values of that
        dimension among the hits are ranked by similarity to what was asked.

        Returns
        -------
        list of str
            Lines such as ``"--cancer: breast cancer (12), hepatocellular carcinoma (9)"``.
        """
        given = {k: v for k, v in filters.items() if v is not None}
        hints: list[str] = []
        for key, value in given.items():
            rest = {k: v for k, v in given.items() if k != key}
            try:
                hits = self.query(**rest)  # type: ignore[arg-type]
            except MirscopeError:
                continue
            counts: Counter[str] = Counter()
            for r in hits:
                for v in _dimension_values(r, key):
                    counts[v] += 1
            if not counts:
                continue
            ranked = sorted(
                counts,
                key=lambda v: (
                    -difflib.SequenceMatcher(None, str(value).lower(), v.lower()).ratio(),
                    -counts[v],
                ),
            )[:5]
            hints.append(f"--{key}: " + ", ".join(f"{v} ({counts[v]})" for v in ranked))
        return hints

    def entity_names(self, entity_type: str | None = None) -> list[str]:
        """Names of the stored entities (optionally of one type), sorted."""
        with Session(self._reader) as s:
            stmt = select(_Entity.name)
            if entity_type is not None:
                stmt = stmt.where(_Entity.type == entity_type)
            return sorted(set(s.scalars(stmt)))

    def stats(self) -> dict[str, Any]:
        """Counts: relations (total, by source, relation type, cancer), entities by type, refs.

        Examples
        --------
        >>> open_store("sqlite://").stats()["relations"] > 0
        True
        """
        with Session(self._reader) as s:
            n = s.scalar(select(func.count()).select_from(_RelationRow)) or 0
            dialect = s.get_bind().dialect.name

            def by(col: Any) -> dict[str, int]:
                rows = s.execute(
                    select(col, func.count())
                    .group_by(col)
                    .order_by(func.count().desc(), _sorted(col, dialect))
                ).all()
                return {str(k) if k is not None else "(none)": int(c) for k, c in rows}

            entities = {
                str(t): int(c)
                for t, c in s.execute(
                    select(_Entity.type, func.count()).group_by(_Entity.type).order_by(_Entity.type)
                ).all()
            }
            refs = s.scalar(select(func.count(func.distinct(_RelationRef.ref)))) or 0
            imports = s.scalar(select(func.count()).select_from(_Import)) or 0
            flagged = sum(1 for (fl,) in s.execute(select(_RelationRow.flags)).all() if fl)
            return {
                "url": self.display_url,
                "schema_version": int(getattr(s.get(_SchemaInfo, "schema_version"), "value", 0)),
                "relations": int(n),
                "by_source": by(_RelationRow.source),
                "by_relation": by(_RelationRow.relation),
                "by_cancer": by(_RelationRow.cancer),
                "entities": entities,
                "distinct_refs": int(refs),
                "flagged_relations": flagged,
                "imports": int(imports),
            }


# field of Relation -> longest value the tables hold (PostgreSQL enforces these lengths)
_MAX_LEN = {
    "id": 128, "subject": 256, "object": 256, "cancer": 128, "source_id": 256,
}  # fmt: skip
_MAX_ASSAY = 128


def _check_storable(r: Relation) -> None:
    """Refuse what one backend would store and another refuse, so both give the same answers.

    Over-long names or ids, NUL characters and non-finite numbers (NaN is not JSON).
    """
    import json
    import math

    for field, limit in _MAX_LEN.items():
        value = getattr(r, field)
        if value is not None and len(value) > limit:
            raise InputError(
                f"relation {r.id[:60]!r}: {field} is {len(value)} characters long; the knowledge "
                f"base stores at most {limit}. Shorten it."
            )
    for a in r.assays:
        if len(a) > _MAX_ASSAY:
            raise InputError(
                f"relation {r.id!r}: assay {a[:40]!r}... is {len(a)} characters long; the "
                f"knowledge base stores at most {_MAX_ASSAY}. Shorten it."
            )
    texts = [r.id, r.subject, r.object, r.cancer, r.tissue, r.evidence, r.note, r.source_id,
             *r.cell_lines, *r.assays]  # fmt: skip
    if any("\x00" in t for t in texts if t):
        raise InputError(
            f"relation {r.id!r} contains a NUL character (\\x00); remove it (databases cannot "
            "store it in text)"
        )
    try:
        json.dumps(r.numbers, allow_nan=False)
    except ValueError as err:
        bad = [k for k, v in r.numbers.items() if isinstance(v, float) and not math.isfinite(v)]
        raise InputError(
            f"relation {r.id!r}: numbers {bad or list(r.numbers)} hold a non-finite value "
            "(NaN or infinity), which JSON cannot store; leave the value out or give a number"
        ) from err


def _ids_condition(rels: Sequence[Relation]) -> Any:
    return _RelationRow.id.in_([r.id for r in rels])


def _dimension_values(r: Relation, key: str) -> list[str]:
    if key == "cancer":
        return [r.cancer] if r.cancer else []
    if key == "relation":
        return [r.relation]
    if key == "source":
        return [r.source]
    wanted = {"mirna": "mirna", "gene": "gene", "pathway": "pathway"}.get(key)
    return [n for n, t in ((r.subject, r.subject_type), (r.object, r.object_type)) if t == wanted]


def _is_family_level(spelling: str, m: names.MirnaName) -> bool:
    """True for arm-less mature spellings (miR-124, microRNA-124a), not for explicit ones."""
    return names.is_arm_less(spelling)


def _check_relation(relation: str) -> str:
    r = relation.strip()
    if r in RELATION_TYPES:
        return r
    close = difflib.get_close_matches(r, RELATION_TYPES, n=3, cutoff=0.4)
    raise UnknownNameError("relation type", relation, close or list(RELATION_TYPES))


def open_store(url: str | None = None, *, build: bool = True) -> KnowledgeBase:
    """Open (and on first use build) a knowledge base.

    Parameters
    ----------
    url
        SQLAlchemy URL (``postgresql://user@host/dbname`` for a shared database) or SQLite
        file path; default: the ``MIRSCOPE_DB`` environment variable, else
        ``mirscope-kb.sqlite`` in :func:`mirscope.paths.user_data_dir`
        (:func:`mirscope.kb.database.resolve_db_url`).
    build
        Load the curated review and the shipped human miRTarBase table (strong-evidence
        functional MTIs of every human miRNA) when the database does not hold them yet, or
        when the shipped data changed since it was built (they are then re-imported in place).

    Raises
    ------
    SchemaVersionError
        If the database was written by a newer schema version, or by an older one (then
        ``mirscope kb upgrade`` upgrades it).

    Examples
    --------
    >>> kb = open_store("sqlite://")
    >>> kb.stats()["by_source"]["review"] > 100
    True
    >>> kb.stats()["by_source"]["mirtarbase"] > 10000  # every human miRNA, out of the box
    True
    """
    kb = KnowledgeBase(url)
    if build:
        from mirscope.kb.mirtarbase import shipped_fingerprint
        from mirscope.kb.review import review_fingerprint

        for key, fingerprint, load in (
            ("review_fingerprint", review_fingerprint(), kb.import_review),
            ("mirtarbase_fingerprint", shipped_fingerprint(), kb.import_shipped_mirtarbase),
        ):
            if kb.get_info(key) != fingerprint:
                # concurrent first use is safe: imports are serialised by the write lock and
                # idempotent, so a second process finds the data stored and writes nothing
                log.info("building the knowledge base %s (%s)", kb.display_url, key.split("_")[0])
                load()
    return kb
