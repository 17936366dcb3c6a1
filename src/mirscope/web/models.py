"""Request and response models of the workbench's JSON API (pydantic).

Every field has bounds (lengths, ranges, allowed characters), so a bad request is
refused with a 422 that names the field and what is wrong before any library code
runs.

Examples
--------
>>> ScanRequest(sequence="ACGUGCCUUAA", mirna="miR-124").sequence
'ACGUGCCUUAA'
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mirscope.kb.model import Relation
from mirscope.schema import PERTURBATION_VERBS

__all__ = [
    "MAX_SEQUENCE_LENGTH",
    "NAME_PATTERN",
    "AddRelationsRequest",
    "AddRelationsResponse",
    "ClinicalResponse",
    "EditEntry",
    "EditsResponse",
    "EntityHit",
    "EntitySearchResponse",
    "EvidenceResponse",
    "HealthResponse",
    "HistoryResponse",
    "ScanRequest",
    "ScanResponse",
    "SimulateRequest",
    "SimulateResponse",
    "UpdateRelationRequest",
]

#: Names (miRNAs, genes, cancers, pathways...) are printable text without control characters.
NAME_PATTERN = r"^[^\x00-\x1f\x7f<>]+$"

#: Longest sequence accepted by ``POST /api/sites/scan`` (nucleotides).
MAX_SEQUENCE_LENGTH = 20_000

Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NAME_PATTERN)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HealthResponse(_Model):
    """``GET /api/health``."""

    status: Literal["ok"]
    version: str
    read_only: bool


class EvidenceResponse(_Model):
    """``GET /api/evidence``: the normalised query, the total and one page of records."""

    query: dict[str, str | None]
    count: int = Field(description="Total number of matching records (all pages).")
    total: int = Field(description="Same as count.")
    offset: int
    limit: int
    truncated: bool = Field(description="More records follow this page.")
    records: list[dict[str, Any]]


class AddRelationsRequest(_Model):
    """``POST /api/evidence`` (edits): new relations, stored as source ``user``."""

    relations: list[Relation] = Field(min_length=1, max_length=1000)


class EditEntry(_Model):
    """One audit entry of an edit."""

    relation_id: str
    version: int
    who: str
    at: str


class AddRelationsResponse(_Model):
    """Number of relations added and their audit entries."""

    added: int
    edits: list[EditEntry] = []


class UpdateRelationRequest(_Model):
    """``PUT /api/evidence``: the new content of one ``user`` relation and the version read."""

    relation: Relation
    version: int = Field(ge=0, le=1_000_000, description="The version you read (GET "
                         "/api/evidence/history); a newer stored version gives 409.")


class HistoryResponse(_Model):
    """``GET /api/evidence/history``: the current version and every recorded edit."""

    relation_id: str
    version: int
    source: str
    record: dict[str, Any]
    edits: list[dict[str, Any]]


class EditsResponse(_Model):
    """``GET /api/edits``: one page of the audit trail, newest first."""

    total: int
    offset: int
    limit: int
    edits: list[dict[str, Any]]


class EntityHit(_Model):
    """One entity known to the knowledge base."""

    name: str
    type: str
    n_relations: int


class EntitySearchResponse(_Model):
    """``GET /api/entities/search``: the exact normalisation (if any) and matching entities."""

    query: str
    resolved: EntityHit | None
    results: list[EntityHit]
    suggestions: list[str]


def parse_fasta_text(text: str, *, default_name: str = "query") -> dict[str, str]:
    """Records of pasted text: FASTA (``>name`` header lines) or one bare sequence.

    White space inside sequences is ignored; a record's name is the first word of its
    header. Raises ``ValueError`` naming the record and the bad characters.

    Examples
    --------
    >>> parse_fasta_text(">NM_1 STAT3 3'UTR\\nACGU ACGU\\nAAGG\\n>x\\nGGCCAA")
    {'NM_1': 'ACGUACGUAAGG', 'x': 'GGCCAA'}
    >>> parse_fasta_text("acg uac g")
    {'query': 'ACGUACG'}
    """
    records: dict[str, list[str]] = {}
    name: str | None = None
    if not text.lstrip().startswith(">"):
        records[default_name] = ["".join(text.split())]
    else:
        for line in text.splitlines():
            line = line.strip()
            if line.startswith(">"):
                words = line[1:].split()
                name = words[0] if words else f"record{len(records) + 1}"
                if name in records:
                    raise ValueError(f"FASTA record name {name!r} appears twice; names must be "
                                     "unique")
                records[name] = []
            elif line and name is not None:
                records[name].append("".join(line.split()))
    out = {k: "".join(v).upper() for k, v in records.items()}
    for k, seq in out.items():
        bad = sorted({c for c in seq if c not in "ACGTUN"})
        if bad:
            raise ValueError(f"sequence {k!r} contains invalid character(s) {bad}; use only A, "
                             "C, G, T/U and N (a FASTA header line starts with '>')")
        if len(seq) < 6:
            raise ValueError(f"sequence {k!r} has {len(seq)} nucleotides; at least 6 are needed")
    return out


class ScanRequest(_Model):
    """``POST /api/sites/scan``: RNA/DNA sequence(s), bare or FASTA, and one miRNA."""

    sequence: str = Field(
        min_length=6,
        max_length=MAX_SEQUENCE_LENGTH + 5_000,
        description="Target sequence (A, C, G, T/U, N; case and white space are ignored), "
        "or FASTA text with '>name' header lines (one or more records).",
    )
    mirna: Name = Field(description="miRNA name, e.g. 'miR-124' or 'hsa-miR-124-3p'.")
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\w.\-|:]+$")] = "query"
    circular: bool = False
    energies: bool = True

    @field_validator("sequence")
    @classmethod
    def _check_alphabet(cls, v: str) -> str:
        if not v.lstrip().startswith(">"):
            seq = "".join(v.split())
            bad = sorted({c for c in seq.upper() if c not in "ACGTUN"})
            if bad:
                raise ValueError(
                    f"sequence contains invalid character(s) {bad}; use only A, C, G, T/U and N"
                    " (paste FASTA with a '>name' header line first)"
                )
            if len(seq) < 6:
                raise ValueError(
                    "sequence must have at least 6 nucleotides after removing white space"
                )
            return seq
        records = parse_fasta_text(v)
        if not records:
            raise ValueError("the FASTA text has no record")
        total = sum(len(s) for s in records.values())
        if total > MAX_SEQUENCE_LENGTH:
            raise ValueError(f"the FASTA records have {total} nucleotides in all; the limit is "
                             f"{MAX_SEQUENCE_LENGTH}")
        return v


class ScanResponse(_Model):
    """Predicted sites, one record per site."""

    mirna: str
    length: int
    count: int
    records: list[str] = []
    sites: list[dict[str, Any]]


Perturbation = Annotated[
    str,
    Field(
        min_length=3,
        max_length=120,
        pattern=r"^[^\x00-\x1f\x7f<>=]+=(" + "|".join(PERTURBATION_VERBS) + r")$",
        description="'<node>=<verb>', verb one of " + ", ".join(PERTURBATION_VERBS) + ".",
        examples=["miR-124=overexpress"],
    ),
]


class SimulateRequest(_Model):
    """``POST /api/simulate``: perturbations applied to the perturbed miRNA's network model."""

    perturbations: list[Perturbation] = Field(min_length=1, max_length=10)
    cancer: Name | None = None
    dose: float | None = Field(default=None, gt=0, le=100)


class SimulateResponse(_Model):
    """Simulated steady-state readouts and, for reference, the agreement with the review."""

    result: dict[str, Any]
    figure_png: str | None = Field(default=None, description="Base64-encoded PNG plot.")


class ClinicalResponse(_Model):
    """``POST /api/clinical/roc`` and ``/survival``: the fitted result, a plot and warnings."""

    analysis: Literal["roc", "survival"]
    n_rows: int
    result: dict[str, Any]
    figure_png: str = Field(description="Base64-encoded PNG plot.")
    warnings: list[str]
