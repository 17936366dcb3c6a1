"""Curation of extracted relations: candidates wait in a sidecar database until accepted.

Candidates live in ``literature-candidates.sqlite`` beside the knowledge base (in
:func:`mirscope.paths.user_data_dir`), never in the knowledge base itself, so ``kb``
queries do not see them. :meth:`CandidateStore.accept` turns a candidate into a
:class:`mirscope.kb.model.Relation` (``source="literature"``, ``source_id="PMID:..."``,
evidence = the sentence) and writes it with ``KnowledgeBase.add_relations``;
:meth:`CandidateStore.reject` only records the decision.

Examples
--------
>>> import tempfile, pathlib
>>> from mirscope.literature.extract import extract_relations
>>> store = CandidateStore(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite")
>>> rels = extract_relations({"pmid": "1", "title": "miR-124 directly targets SOX9."})
>>> store.add(rels)
1
>>> [c.partner for c in store.list()]
['SOX9']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mirscope.errors import InputError
from mirscope.literature.extract import ExtractedRelation

if TYPE_CHECKING:
    from mirscope.kb.model import Relation
    from mirscope.kb.store import KnowledgeBase

__all__ = ["Candidate", "CandidateStatus", "CandidateStore", "candidate_id", "to_kb_relation"]

CandidateStatus = Literal["pending", "accepted", "rejected"]
_STATUSES: tuple[str, ...] = ("pending", "accepted", "rejected")
DEFAULT_FILE = "literature-candidates.sqlite"


@dataclass(frozen=True)
class Candidate:
    """A proposed relation with its review status."""

    id: str
    pmid: str
    mirna: str
    partner: str
    partner_type: str
    relation: str
    cancer: str | None
    direction: str
    sentence: str
    confidence: float
    status: CandidateStatus
    created_at: str
    decided_at: str | None = None
    sign: int = 0
    subject: str = ""
    subject_type: str = ""
    object: str = ""
    object_type: str = ""
    context: str = "cancer"
    assays: str = ""
    evidence_start: int | None = None
    evidence_end: int | None = None
    hedged: int = 0


#: Columns added after the first version of the store (added to old files on open).
_EXTRA_COLUMNS: tuple[tuple[str, str], ...] = (
    ("sign", "INTEGER NOT NULL DEFAULT 0"),
    ("subject", "TEXT NOT NULL DEFAULT ''"),
    ("subject_type", "TEXT NOT NULL DEFAULT ''"),
    ("object", "TEXT NOT NULL DEFAULT ''"),
    ("object_type", "TEXT NOT NULL DEFAULT ''"),
    ("context", "TEXT NOT NULL DEFAULT 'cancer'"),
    ("assays", "TEXT NOT NULL DEFAULT ''"),
    ("evidence_start", "INTEGER"),
    ("evidence_end", "INTEGER"),
    ("hedged", "INTEGER NOT NULL DEFAULT 0"),
)


def candidate_id(rel: ExtractedRelation) -> str:
    """Stable short id of a relation: ``L`` + 10 hex digits of its content hash.

    Examples
    --------
    >>> from mirscope.literature.extract import ExtractedRelation
    >>> r = ExtractedRelation("1", "hsa-miR-124-3p", "SOX9", "gene", "targets", None, "s", 0.9)
    >>> candidate_id(r) == candidate_id(r)
    True
    """
    key = "|".join((rel.pmid, rel.mirna, rel.partner, rel.relation, rel.direction))
    return "L" + hashlib.sha1(key.encode()).hexdigest()[:10]


def to_kb_relation(c: Candidate) -> Relation:
    """The knowledge-base :class:`Relation` for an (accepted) candidate.

    Subject, object, sign and direction as extracted (knowledge-base orientation);
    candidates stored before these fields existed get the orientation of their type.
    """
    from mirscope.kb.model import Relation
    from mirscope.schema import ASSAYS, RELATION_TYPES

    if c.relation not in RELATION_TYPES or c.relation == "member_of_pathway":
        raise InputError(f"candidate {c.id} has relation {c.relation!r}, which cannot be curated")
    subject, stype, obj, otype = c.subject, c.subject_type, c.object, c.object_type
    if not subject:  # stored by an older version
        if c.relation in ("sponges", "silences"):
            subject, stype, obj, otype = c.partner, c.partner_type, c.mirna, "mirna"
        else:
            subject, stype, obj, otype = c.mirna, "mirna", c.partner, c.partner_type
    if stype in ("lncrna", "circrna") or otype in ("lncrna", "circrna"):
        pass
    sign = c.sign
    if sign == 0 and c.relation in ("targets", "sponges", "silences", "inhibits"):
        sign = -1
    direction = c.direction
    if c.relation in ("targets", "sponges", "silences", "inhibits"):
        direction = "down"
    elif c.relation == "activates":
        direction = "up"
    source_id = f"PMID:{c.pmid}" if c.pmid.isdigit() else c.pmid
    assays = tuple(a for a in (c.assays.split("|") if c.assays else ()) if a in ASSAYS)
    return Relation(
        id=f"lit-{c.id}",
        subject=subject,
        subject_type=stype if stype else "other",  # type: ignore[arg-type]
        relation=c.relation,  # type: ignore[arg-type]
        object=obj,
        object_type=otype if otype else "other",  # type: ignore[arg-type]
        direction=direction,  # type: ignore[arg-type]
        sign=sign,
        cancer=c.cancer,
        context=c.context if c.context in ("cancer", "non_cancer") else "cancer",  # type: ignore[arg-type]
        assays=assays,
        evidence=c.sentence,
        evidence_start=c.evidence_start,
        evidence_end=c.evidence_end,
        source="literature",
        source_id=source_id,
        note=(
            f"text-mined, confidence {c.confidence:.2f}"
            + (", hedged in the abstract" if c.hedged else "")
            + "; curated via mirscope literature accept"
        ),
    )


class CandidateStore:
    """SQLite store of candidate relations (default in the user data directory).

    Parameters
    ----------
    path
        SQLite file; default ``literature-candidates.sqlite`` in
        :func:`mirscope.paths.user_data_dir`.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            from mirscope.paths import user_data_dir

            path = user_data_dir() / DEFAULT_FILE
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute(
                """CREATE TABLE IF NOT EXISTS candidates (
                    id TEXT PRIMARY KEY, pmid TEXT NOT NULL, mirna TEXT NOT NULL,
                    partner TEXT NOT NULL, partner_type TEXT NOT NULL, relation TEXT NOT NULL,
                    cancer TEXT, direction TEXT NOT NULL, sentence TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending','accepted','rejected')),
                    created_at TEXT NOT NULL, decided_at TEXT)"""
            )
            have = {r[1] for r in con.execute("PRAGMA table_info(candidates)")}
            for col, decl in _EXTRA_COLUMNS:
                if col not in have:
                    con.execute(f"ALTER TABLE candidates ADD COLUMN {col} {decl}")

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path)
        con.row_factory = sqlite3.Row
        return con

    @staticmethod
    def _now() -> str:
        return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")

    def add(self, relations: Iterable[ExtractedRelation]) -> int:
        """Propose relations (one transaction); already known candidates (any status) are
        kept as they are. Returns how many new candidates were stored."""
        now = self._now()
        rows = [
            (
                candidate_id(r),
                r.pmid,
                r.mirna,
                r.partner,
                r.partner_type,
                r.relation,
                r.cancer,
                r.direction,
                r.sentence,
                r.confidence,
                "pending",
                now,
                None,
                r.sign,
                r.subject,
                r.subject_type,
                r.object,
                r.object_type,
                r.context,
                "|".join(r.assays),
                r.evidence_start,
                r.evidence_end,
                int(r.hedged),
            )
            for r in relations
        ]
        cols = (
            "id, pmid, mirna, partner, partner_type, relation, cancer, direction, sentence, "
            "confidence, status, created_at, decided_at, "
            + ", ".join(c for c, _ in _EXTRA_COLUMNS)
        )
        with self._connect() as con:
            before = con.total_changes
            con.executemany(
                f"INSERT OR IGNORE INTO candidates ({cols}) VALUES ({','.join('?' * 23)})", rows
            )
            return con.total_changes - before

    def get(self, cid: str) -> Candidate:
        """The candidate with id ``cid``.

        Raises
        ------
        InputError
            No such candidate (the message lists a few pending ids).
        """
        with self._connect() as con:
            row = con.execute("SELECT * FROM candidates WHERE id = ?", (cid.strip(),)).fetchone()
            if row is None:
                ids = [
                    r[0]
                    for r in con.execute(
                        "SELECT id FROM candidates WHERE status='pending' ORDER BY created_at, id LIMIT 5"
                    )
                ]
        if row is None:
            hint = (
                f" Pending ids: {', '.join(ids)}." if ids else " There are no pending candidates."
            )
            raise InputError(
                f"no candidate with id {cid!r}.{hint} Run `mirscope literature review` to list them."
            )
        return Candidate(**dict(row))

    def list(self, status: CandidateStatus | Literal["all"] = "pending") -> list[Candidate]:
        """Candidates with a status (``all`` for every one), best confidence first."""
        if status != "all" and status not in _STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {[*_STATUSES, 'all']}")
        q = "SELECT * FROM candidates"
        args: tuple[str, ...] = ()
        if status != "all":
            q += " WHERE status = ?"
            args = (status,)
        with self._connect() as con:
            rows = con.execute(q + " ORDER BY confidence DESC, pmid, id", args).fetchall()
        return [Candidate(**dict(r)) for r in rows]

    def review(self, kb: KnowledgeBase) -> list[Candidate]:
        """Pending candidates whose (miRNA, relation, partner) is not yet in ``kb``."""
        out = []
        for c in self.list("pending"):
            rel = to_kb_relation(c)
            known = any(
                r.subject == rel.subject and r.object == rel.object and r.relation == rel.relation
                for r in kb.query(relation=rel.relation, mirna=c.mirna)
            )
            if not known:
                out.append(c)
        return out

    def _set_status(self, cid: str, status: CandidateStatus) -> None:
        with self._connect() as con:
            con.execute(
                "UPDATE candidates SET status = ?, decided_at = ? WHERE id = ?",
                (status, self._now(), cid),
            )

    def accept(self, cid: str, kb: KnowledgeBase) -> Relation:
        """Write the candidate into ``kb`` (with PMID provenance) and mark it accepted.

        Raises
        ------
        InputError
            Unknown id, or the candidate was rejected before.
        """
        c = self.get(cid)
        if c.status == "rejected":
            raise InputError(
                f"candidate {cid} was rejected on {c.decided_at}; it cannot be accepted"
            )
        rel = to_kb_relation(c)
        kb.add_relations([rel], origin=f"literature PMID:{c.pmid}")
        self._set_status(c.id, "accepted")
        return rel

    def reject(self, cid: str) -> Candidate:
        """Mark a candidate rejected (it never enters the knowledge base).

        Raises
        ------
        InputError
            Unknown id, or the candidate is already in the knowledge base.
        """
        c = self.get(cid)
        if c.status == "accepted":
            raise InputError(
                f"candidate {cid} was accepted on {c.decided_at} and is in the knowledge base; "
                "remove it there instead"
            )
        self._set_status(c.id, "rejected")
        return self.get(c.id)
