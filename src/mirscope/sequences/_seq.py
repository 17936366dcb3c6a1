"""Small sequence helpers shared by the Ensembl client and the GTF extractor."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from mirscope._files import atomic_write
from mirscope.errors import InputError

__all__ = [
    "SEQUENCE_KINDS",
    "SequenceKind",
    "SequenceRecord",
    "reverse_complement",
    "write_fasta_atomic",
]

SequenceKind = Literal["utr3", "cds", "cdna", "transcript", "lncrna", "circrna", "genomic"]
SEQUENCE_KINDS: tuple[str, ...] = get_args(SequenceKind)

_DNA = frozenset("ACGTN")
_COMPLEMENT = str.maketrans("ACGTNacgtnRYKMSWBDHVrykmswbdhv", "TGCANtgcanYRMKSWVHDByrmkswvhdb")


def reverse_complement(seq: str) -> str:
    """Reverse complement of a DNA sequence (IUPAC codes complemented, case kept).

    Examples
    --------
    >>> reverse_complement("AACGTT")
    'AACGTT'
    >>> reverse_complement("ATGc")
    'gCAT'
    """
    return seq.translate(_COMPLEMENT)[::-1]


@dataclass(frozen=True)
class SequenceRecord:
    """One named nucleotide sequence with where it came from.

    Parameters
    ----------
    id
        Record id written to FASTA (e.g. ``ENST00000264657.10|STAT3|utr3``).
    seq
        DNA sequence (upper case, ``ACGTN``); validated on construction.
    kind
        What the sequence is (:data:`SEQUENCE_KINDS`).
    gene, transcript
        Gene symbol/id and transcript id where known.
    source
        Provenance, e.g. ``"Ensembl REST release 115"`` or ``"GTF annotation.gtf"``.

    Examples
    --------
    >>> SequenceRecord(id="t1", seq="ACGU", kind="utr3").seq
    'ACGT'
    """

    id: str
    seq: str
    kind: SequenceKind
    gene: str | None = None
    transcript: str | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.kind not in SEQUENCE_KINDS:
            raise InputError(
                f"Unknown sequence kind {self.kind!r}; valid kinds are {list(SEQUENCE_KINDS)}."
            )
        seq = self.seq.upper().replace("U", "T")
        bad = sorted(set(seq) - _DNA)
        if bad:
            pos = next(i for i, c in enumerate(seq) if c not in _DNA)
            raise InputError(
                f"Sequence {self.id!r} has invalid character {seq[pos]!r} at position {pos + 1} "
                f"(all invalid: {bad}); only A, C, G, T/U and N are allowed."
            )
        object.__setattr__(self, "seq", seq)

    def __len__(self) -> int:
        return len(self.seq)


def write_fasta_atomic(records: Iterable[SequenceRecord], path: str | os.PathLike[str], *, width: int = 60) -> int:
    """Write records to FASTA through a temporary file renamed into place.

    Nothing is left at ``path`` if writing fails half-way. Returns the number of records.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with atomic_write(path, suffix=".part") as fh:
        for rec in records:
            fh.write(f">{rec.id}\n")
            for i in range(0, len(rec.seq), width):
                fh.write(rec.seq[i : i + width] + "\n")
            n += 1
    return n
