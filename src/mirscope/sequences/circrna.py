"""Back-spliced circRNA sequences from exon coordinates.

A circRNA is given linear: its exons joined in transcript order (on the minus strand,
reverse complemented), so its last base is followed by its first (the back-splice
junction). Scan it with ``circular=True`` to find sites that span the junction.

Known circRNAs (those the review names) come from a small shipped table
(``mirscope/data/circrna/circrnas.tsv``, circBase coordinates); any other circRNA is given
as coordinates ``chr:start-end[,start-end...]:strand`` (1-based, inclusive).

Examples
--------
>>> spec = parse_circ_coordinates("chr11:100-200,300-350:-")
>>> spec.exons, spec.strand
(((100, 200), (300, 350)), -1)
>>> known_circrna("circHIPK3").circ_id
'hsa_circ_0000284'
"""

from __future__ import annotations

import csv
import difflib
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from mirscope.errors import InputError, UnknownNameError
from mirscope.sequences._seq import SequenceRecord

if TYPE_CHECKING:
    from mirscope.sequences.ensembl import EnsemblClient

__all__ = ["CircSpec", "circrna_sequence", "known_circrna", "known_circrnas", "parse_circ_coordinates"]

_COORD = re.compile(r"^(?P<chrom>[\w.]+):(?P<exons>\d+-\d+(?:,\d+-\d+)*):(?P<strand>[+-]|1|-1)$")


@dataclass(frozen=True)
class CircSpec:
    """Exon coordinates of a circRNA (1-based inclusive, genome order)."""

    name: str
    chrom: str
    exons: tuple[tuple[int, int], ...]
    strand: int
    assembly: str = "GRCh38"
    circ_id: str | None = None
    host_gene: str | None = None
    source: str = "user coordinates"
    aliases: tuple[str, ...] = ()

    @property
    def length(self) -> int:
        """Spliced length in nucleotides."""
        return sum(e - s + 1 for s, e in self.exons)


def parse_circ_coordinates(text: str, *, assembly: str = "GRCh38") -> CircSpec:
    """Parse ``chr:start-end[,start-end...]:strand`` into a :class:`CircSpec`."""
    m = _COORD.match(text.strip())
    if m is None:
        raise InputError(
            f"Cannot read circRNA coordinates {text!r}; write chr:start-end[,start-end...]:strand, "
            "e.g. chr11:33307959-33309057:- (1-based, inclusive)."
        )
    exons = []
    for part in m.group("exons").split(","):
        s, e = (int(x) for x in part.split("-"))
        if s < 1 or e < s:
            raise InputError(f"Exon {part!r} in {text!r} is invalid: need 1 <= start <= end.")
        exons.append((s, e))
    exons.sort()
    for (_, e1), (s2, _) in itertools.pairwise(exons):
        if s2 <= e1:
            raise InputError(f"Exons overlap in {text!r}; give non-overlapping exons.")
    strand = -1 if m.group("strand") in ("-", "-1") else 1
    return CircSpec(name=text.strip(), chrom=m.group("chrom"), exons=tuple(exons), strand=strand, assembly=assembly)


@lru_cache(maxsize=1)
def known_circrnas() -> tuple[CircSpec, ...]:
    """The shipped circRNA table (circBase coordinates of the circRNAs the review names)."""
    text = resources.files("mirscope.data.circrna").joinpath("circrnas.tsv").read_text()
    out = []
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        exons = tuple(
            (int(a), int(b)) for a, b in (p.split("-") for p in row["exons"].split(","))
        )
        out.append(
            CircSpec(
                name=row["name"], chrom=row["chrom"], exons=exons,
                strand=-1 if row["strand"] == "-" else 1, assembly=row["assembly"],
                circ_id=row["circ_id"], host_gene=row["host_gene"], source=row["source"],
                aliases=tuple(a for a in row["aliases"].split(",") if a),
            )
        )
    return tuple(out)


def known_circrna(name: str) -> CircSpec:
    """Look up a circRNA of the shipped table by circBase id, name or alias (case-insensitive)."""
    key = name.strip().lower().replace("‑", "-")
    for spec in known_circrnas():
        if key in {spec.name.lower(), (spec.circ_id or "").lower(), *(x.lower() for x in spec.aliases)}:
            return spec
    names = [s.name for s in known_circrnas()] + [s.circ_id or "" for s in known_circrnas()]
    raise UnknownNameError(
        "circRNA", name, difflib.get_close_matches(name, names, n=5, cutoff=0.3) or names[:5]
    )


def circrna_sequence(name_or_coords: str, *, client: EnsemblClient, assembly: str | None = None) -> SequenceRecord:
    """Assemble a circRNA's back-spliced sequence (linear; first base follows the last).

    Parameters
    ----------
    name_or_coords
        A circRNA of the shipped table (``circHIPK3``, ``hsa_circ_0000284``) or coordinates
        ``chr:start-end[,start-end...]:strand``.
    client
        The :class:`~mirscope.sequences.ensembl.EnsemblClient` that fetches genomic regions.
    assembly
        Assembly of user-given coordinates (default GRCh38).
    """
    if ":" in name_or_coords:
        spec = parse_circ_coordinates(name_or_coords, assembly=assembly or "GRCh38")
    else:
        spec = known_circrna(name_or_coords)
    parts = [client.region(spec.chrom, s, e, 1, assembly=spec.assembly) for s, e in spec.exons]
    from mirscope.sequences._seq import reverse_complement

    seq = "".join(parts) if spec.strand == 1 else reverse_complement("".join(parts))
    if len(seq) != spec.length:
        raise InputError(
            f"Ensembl returned {len(seq)} nt for {spec.name}, expected {spec.length} from its exons."
        )
    label = spec.circ_id or spec.name
    return SequenceRecord(
        id=f"{label}|{spec.name}|circrna", seq=seq, kind="circrna", gene=spec.host_gene,
        transcript=spec.circ_id, source=f"{spec.source}; sequence from Ensembl {spec.assembly}",
    )
