"""The evidence model: one :class:`Relation` per reported finding.

A relation links a subject entity to an object entity with a relation type from
:data:`mirscope.schema.RELATION_TYPES`, in one cancer type (or none), with its
direction/sign, assays, sample sizes, numbers, the review's reference numbers and
the exact supporting sentence with character offsets into the seed review.

Names inside a :class:`Relation` are normalised: miRNAs by miRBase v22 name
(``hsa-miR-124-3p``), genes by HGNC symbol, cancers by the vocabulary name of
:func:`mirscope.names.normalize_cancer`.

Examples
--------
>>> r = Relation(id="X1", subject="hsa-miR-124-3p", subject_type="mirna",
...              relation="targets", object="STAT3", object_type="gene",
...              direction="down", sign=-1, cancer="breast cancer", refs=(23,),
...              evidence="miR-124 targets STAT3.")
>>> r.sign
-1
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mirscope.schema import (
    CURATION_FLAGS,
    Context,
    Direction,
    EntityType,
    RelationType,
    Source,
)

__all__ = ["Relation"]


class Relation(BaseModel):
    """One evidence record (immutable)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    subject: str
    subject_type: EntityType
    relation: RelationType
    object: str
    object_type: EntityType
    direction: Direction = "unknown"
    sign: int = Field(default=0, ge=-1, le=1)
    cancer: str | None = None
    context: Context = "cancer"
    cell_lines: tuple[str, ...] = ()
    tissue: str | None = None
    assays: tuple[str, ...] = ()
    sample_size: int | None = None
    numbers: dict[str, Any] = Field(default_factory=dict)
    refs: tuple[int, ...] = ()
    evidence: str = ""
    evidence_start: int | None = None
    evidence_end: int | None = None
    flags: tuple[str, ...] = ()
    note: str | None = None
    source: Source = "review"
    source_id: str | None = None

    @field_validator("flags")
    @classmethod
    def _check_flags(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [f for f in v if f not in CURATION_FLAGS]
        if bad:
            raise ValueError(
                f"unknown curation flag(s) {bad}; valid flags are {list(CURATION_FLAGS)}"
            )
        return v

    def to_record(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (tuples become lists)."""
        return self.model_dump(mode="json")

    def pmids(self) -> list[int]:
        """PubMed ids carried by the record (miRTarBase keeps them in ``numbers["pmid"]``)."""
        raw = self.numbers.get("pmid", self.numbers.get("pmids"))
        values = raw if isinstance(raw, list | tuple) else [raw]
        out = []
        for v in values:
            try:
                out.append(int(v))
            except (TypeError, ValueError):
                continue
        return out
