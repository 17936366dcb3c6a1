"""The knowledge-base store: SQLAlchemy 2 ORM over SQLite (or any SQLAlchemy URL).

Tables: ``schema_info`` (schema version, review fingerprint), ``entities`` (normalised name,
type, miRNA family), ``relations`` (one row per :class:`~mirscope.kb.model.Relation`),
``relation_refs`` (the review's reference numbers, one row each), ``relation_assays`` and
``imports`` (provenance of every import: source, origin, time, counts).

Every import runs in one transaction: if any row fails, nothing is written. Imports are
idempotent: a relation id already stored is updated in place, never duplicated. SQLite
databases use WAL journal mode and enforce foreign keys.

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
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    aliased,
    mapped_column,
    relationship,
    selectinload,
)

from mirscope import names
from mirscope.errors import InputError, MirscopeError, SchemaVersionError, UnknownNameError
from mirscope.kb.model import Relation
from mirscope.schema import RELATION_TYPES, SOURCES

__all__ = ["SCHEMA_VERSION", "KnowledgeBase", "default_db_url", "open_store"]

log = logging.getLogger(__name__)

#: Version of the database layout written by this mirscope.
SCHEMA_VERSION = 1
DEFAULT_DB_NAME = "mirscope-kb.sqlite"


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

    subject: Mapped[_Entity] = relationship(foreign_keys=[subject_id], lazy="joined")
    object: Mapped[_Entity] = relationship(foreign_keys=[object_id], lazy="joined")
    refs: Mapped[list[_RelationRef]] = relationship(
        cascade="all, delete-orphan", order_by="_RelationRef.position"
    )
    assays: Mapped[list[_RelationAssay]] = relationship(
        cascade="all, delete-orphan", order_by="_RelationAssay.position"
    )


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


# ---------------------------------------------------------------------------
# Engine and schema version
# ---------------------------------------------------------------------------
def default_db_url() -> str:
    """SQLite URL of the default database in :func:`mirscope.paths.user_data_dir`."""
    from mirscope.paths import user_data_dir

    return f"sqlite:///{(user_data_dir() / DEFAULT_DB_NAME).as_posix()}"


def _normalise_url(url: str) -> str:
    if "://" in url:
        return url
    # a plain file path means a SQLite file
    return f"sqlite:///{Path(url).expanduser().resolve().as_posix()}"


def _make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:  # pragma: no cover - glue
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    return engine


def _check_version(session: Session, url: str) -> None:
    row = session.get(_SchemaInfo, "schema_version")
    if row is None:
        session.add(_SchemaInfo(key="schema_version", value=str(SCHEMA_VERSION)))
        return
    try:
        found = int(row.value)
    except ValueError:
        found = -1
    if found > SCHEMA_VERSION or found < 1:
        raise SchemaVersionError(
            f"the knowledge base {url} was written by mirscope schema version {row.value}, "
            f"but this mirscope reads schema versions up to {SCHEMA_VERSION}. Upgrade mirscope "
            "(pip install -U mirscope), or rebuild a database for this version with "
            "`mirscope kb build --db <new file>`."
        )


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------
def _family(name: str, entity_type: str) -> str | None:
    if entity_type != "mirna":
        return None
    m = names.try_normalize_mirna(name)
    return m.family if m is not None else None


def _row_to_relation(row: _RelationRow) -> Relation:
    return Relation(
        id=row.id,
        subject=row.subject.name,
        subject_type=row.subject.type,  # type: ignore[arg-type]
        relation=row.relation,  # type: ignore[arg-type]
        object=row.object.name,
        object_type=row.object.type,  # type: ignore[arg-type]
        direction=row.direction,  # type: ignore[arg-type]
        sign=row.sign,
        cancer=row.cancer,
        context=row.context,  # type: ignore[arg-type]
        cell_lines=tuple(row.cell_lines or ()),
        tissue=row.tissue,
        assays=tuple(a.assay for a in row.assays),
        sample_size=row.sample_size,
        numbers=dict(row.numbers or {}),
        refs=tuple(r.ref for r in row.refs),
        evidence=row.evidence,
        evidence_start=row.evidence_start,
        evidence_end=row.evidence_end,
        flags=tuple(row.flags or ()),
        note=row.note,
        source=row.source,  # type: ignore[arg-type]
        source_id=row.source_id,
    )


class KnowledgeBase:
    """A knowledge-base database (open it with :func:`open_store`).

    Parameters
    ----------
    url
        SQLAlchemy URL (``sqlite:///path.sqlite``, ``sqlite://`` in memory,
        ``postgresql+psycopg://...``) or a plain file path (SQLite).
    """

    def __init__(self, url: str) -> None:
        self.url = _normalise_url(url)
        if self.url.startswith("sqlite:///"):
            Path(self.url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        if self.url.startswith("sqlite://") and self.url in ("sqlite://", "sqlite:///:memory:"):
            from sqlalchemy.pool import StaticPool

            self.engine = create_engine(
                self.url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            self.engine = _make_engine(self.url)
        try:
            with Session(self.engine) as s, s.begin():
                tables = set(self.engine.dialect.get_table_names(s.connection()))
                if "schema_info" in tables:
                    _check_version(s, self.url)
            _Base.metadata.create_all(self.engine)
            with Session(self.engine) as s, s.begin():
                _check_version(s, self.url)
        except SQLAlchemyError as err:
            raise InputError(f"cannot open the knowledge base {self.url}: {err}") from err

    def __repr__(self) -> str:
        return f"KnowledgeBase({self.url!r})"

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
        with Session(self.engine) as s:
            row = s.get(_SchemaInfo, key)
            return row.value if row else None

    def _set_info(self, s: Session, key: str, value: str) -> None:
        row = s.get(_SchemaInfo, key)
        if row is None:
            s.add(_SchemaInfo(key=key, value=value))
        else:
            row.value = value

    # -- writing ------------------------------------------------------------
    def add_relations(
        self,
        relations: Iterable[Relation],
        *,
        origin: str = "api",
        replace_source: str | None = None,
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
        written = 0
        try:
            with Session(self.engine) as s, s.begin():
                imp = _Import(
                    source=replace_source or (rels[0].source if rels else "user"),
                    origin=origin,
                    started_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                    n_records=len(rels),
                    n_written=0,
                )
                s.add(imp)
                s.flush()
                cache = {(e.name, e.type): e for e in s.scalars(select(_Entity))}
                existing = self._existing(s, [r.id for r in rels])
                seen: dict[str, Relation] = {}
                s.autoflush = False
                for rel in rels:
                    if rel.id in seen:
                        if seen[rel.id] != rel:
                            raise InputError(
                                f"relation id {rel.id!r} is given twice with different content "
                                "in one import; ids must be unique"
                            )
                        continue
                    seen[rel.id] = rel
                    if self._write(s, rel, existing.get(rel.id), imp.id, cache):
                        written += 1
                    if len(seen) % 1000 == 0:
                        s.flush()
                if replace_source is not None:
                    ids = s.scalars(
                        select(_RelationRow.id).where(_RelationRow.source == replace_source)
                    ).all()
                    stale = [i for i in ids if i not in seen]
                    for i in stale:
                        row = s.get(_RelationRow, i)
                        if row is not None:
                            s.delete(row)
                    written += len(stale)
                imp.n_written = written
        except SQLAlchemyError as err:
            raise InputError(f"import into {self.url} failed, nothing was written: {err}") from err
        log.info("stored %d of %d relations (%s)", written, len(rels), origin)
        return written

    def _existing(self, s: Session, ids: list[str]) -> dict[str, _RelationRow]:
        out: dict[str, _RelationRow] = {}
        uniq = list(dict.fromkeys(ids))
        for i in range(0, len(uniq), 500):
            chunk = uniq[i : i + 500]
            rows = s.scalars(self._select().where(_RelationRow.id.in_(chunk))).unique()
            out.update({r.id: r for r in rows})
        return out

    def _entity(
        self, s: Session, name: str, etype: str, cache: dict[tuple[str, str], _Entity]
    ) -> _Entity:
        """The entity (name, type); ``cache`` holds every stored entity of the session."""
        key = (name, etype)
        ent = cache.get(key)
        if ent is None:
            ent = _Entity(name=name, type=etype, family=_family(name, etype))
            s.add(ent)
            cache[key] = ent
        return ent

    def _write(
        self,
        s: Session,
        rel: Relation,
        row: _RelationRow | None,
        import_id: int,
        cache: dict[tuple[str, str], _Entity],
    ) -> bool:
        if row is not None and _row_to_relation(row) == rel:
            return False
        subj = self._entity(s, rel.subject, rel.subject_type, cache)
        obj = self._entity(s, rel.object, rel.object_type, cache)
        values = {
            "subject": subj,
            "object": obj,
            "relation": rel.relation,
            "direction": rel.direction,
            "sign": rel.sign,
            "cancer": rel.cancer,
            "context": rel.context,
            "cell_lines": list(rel.cell_lines),
            "tissue": rel.tissue,
            "sample_size": rel.sample_size,
            "numbers": dict(rel.numbers),
            "evidence": rel.evidence,
            "evidence_start": rel.evidence_start,
            "evidence_end": rel.evidence_end,
            "flags": list(rel.flags),
            "note": rel.note,
            "source": rel.source,
            "source_id": rel.source_id,
            "import_id": import_id,
        }
        if row is None:
            row = _RelationRow(id=rel.id, **values)
            s.add(row)
        else:
            for k, v in values.items():
                setattr(row, k, v)
            row.refs.clear()
            row.assays.clear()
            s.flush()  # delete the old refs/assays before re-adding the same keys
        row.refs.extend(_RelationRef(position=i, ref=int(r)) for i, r in enumerate(rel.refs))
        row.assays.extend(_RelationAssay(position=i, assay=a) for i, a in enumerate(rel.assays))
        return True

    def import_review(self) -> int:
        """(Re)load the curated review into this store in one transaction.

        Review relations no longer in the curated data are removed; returns the number of
        relations inserted, changed or removed.
        """
        from mirscope.kb.review import load_review_relations, review_fingerprint

        rels = load_review_relations()
        n = self.add_relations(rels, origin="mirscope/kb/data/review", replace_source="review")
        with Session(self.engine) as s, s.begin():
            self._set_info(s, "review_fingerprint", review_fingerprint())
        return n

    # -- reading ------------------------------------------------------------
    def _select(self) -> Any:
        return select(_RelationRow).options(
            selectinload(_RelationRow.refs), selectinload(_RelationRow.assays)
        )

    def all_relations(self) -> list[Relation]:
        """Every stored relation, ordered by source and id."""
        with Session(self.engine) as s:
            rows = s.scalars(self._select().order_by(_RelationRow.source, _RelationRow.id))
            return [_row_to_relation(r) for r in rows.unique()]

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
        stmt = self._select()
        subj, obj = aliased(_Entity), aliased(_Entity)
        stmt = stmt.join(subj, _RelationRow.subject_id == subj.id).join(
            obj, _RelationRow.object_id == obj.id
        )
        if mirna is not None:
            m = names.normalize_mirna(mirna)
            if _is_family_level(mirna, m):
                cond = [subj.family == m.family, obj.family == m.family]
            else:
                cond = [
                    (subj.name == m.name) & (subj.type == "mirna"),
                    (obj.name == m.name) & (obj.type == "mirna"),
                ]
            stmt = stmt.where(or_(*cond))
        if gene is not None:
            g = names.normalize_gene(gene)
            stmt = stmt.where(
                or_(
                    (subj.name == g) & (subj.type == "gene"), (obj.name == g) & (obj.type == "gene")
                )
            )
        if cancer is not None:
            stmt = stmt.where(_RelationRow.cancer.in_(names.cancer_subtypes(cancer)))
        if relation is not None:
            stmt = stmt.where(_RelationRow.relation == _check_relation(relation))
        if pathway is not None:
            p = names.normalize_pathway(pathway)
            stmt = stmt.where(
                or_(
                    (subj.name == p) & (subj.type == "pathway"),
                    (obj.name == p) & (obj.type == "pathway"),
                )
            )
        if source is not None:
            if source not in SOURCES:
                raise InputError(
                    f"unknown source {source!r}; valid sources are {', '.join(SOURCES)}"
                )
            stmt = stmt.where(_RelationRow.source == source)
        stmt = stmt.order_by(_RelationRow.source, _RelationRow.cancer, _RelationRow.id)
        with Session(self.engine) as s:
            return [_row_to_relation(r) for r in s.scalars(stmt).unique()]

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
        with Session(self.engine) as s:
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
        with Session(self.engine) as s:
            n = s.scalar(select(func.count()).select_from(_RelationRow)) or 0

            def by(col: Any) -> dict[str, int]:
                rows = s.execute(
                    select(col, func.count()).group_by(col).order_by(func.count().desc(), col)
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
                "url": self.url,
                "schema_version": int(self.get_info("schema_version") or 0),
                "relations": int(n),
                "by_source": by(_RelationRow.source),
                "by_relation": by(_RelationRow.relation),
                "by_cancer": by(_RelationRow.cancer),
                "entities": entities,
                "distinct_refs": int(refs),
                "flagged_relations": flagged,
                "imports": int(imports),
            }


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
    import re

    if m.kind != "mature":
        return False
    s = spelling.strip()
    if re.fullmatch(r"MIMAT\d+", s, re.I):
        return False
    return re.search(r"[35]p(\.\d+)?$|\*$", s, re.I) is None


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
        SQLAlchemy URL or SQLite file path; default: ``mirscope-kb.sqlite`` in
        :func:`mirscope.paths.user_data_dir`.
    build
        Load the curated review when the database does not hold it yet, or when the shipped
        review data changed since it was built (the review is then re-imported in place).

    Raises
    ------
    SchemaVersionError
        If the database was written by a newer schema version.

    Examples
    --------
    >>> kb = open_store("sqlite://")
    >>> kb.stats()["by_source"]["review"] > 100
    True
    """
    kb = KnowledgeBase(url or default_db_url())
    if build:
        from mirscope.kb.review import review_fingerprint

        stored = kb.get_info("review_fingerprint")
        if stored is None or stored != review_fingerprint():
            log.info("building the knowledge base %s from the curated review", kb.url)
            kb.import_review()
    return kb


def relations_to_records(relations: Sequence[Relation]) -> list[dict[str, Any]]:
    """JSON-serialisable dicts of relations (the export format)."""
    return [r.to_record() for r in relations]
