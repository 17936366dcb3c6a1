"""Variants in miRNA genes: which precursor, which mature miRNA, and whether its seed changes.

miRBase's GFF3 gives each hairpin (``miRNA_primary_transcript``, 1-based inclusive, with
strand) and each mature miRNA (``miRNA``) with the hairpin it ``Derives_from``. A variant is
reported when its changed bases overlap a hairpin or lie within ``flank`` nt of it (the
longer pri-miRNA, where biogenesis variants such as those in pri-miRNAs sit); the row names
the mature miRNA it falls in, its position in the mature miRNA (1 = 5' end, counted on the
miRNA's strand) and, when positions 2-8 are touched, the reference and alternative seeds.

The shipped GFF3 is miRBase v22 (GRCh38, ``mirscope/data/mirbase``).

Examples
--------
>>> idx = PrecursorIndex.load()
>>> rows = idx.annotate(VcfRecord("chr8", 9903418, ".", "T", ("A",), 1))
>>> [(r["mature"], r["region"], r["mature_pos"], r["ref_seed"], r["alt_seed"]) for r in rows]
[('hsa-miR-124-3p', 'seed', 3, 'AAGGCAC', 'AUGGCAC')]
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from mirscope.errors import FileFormatError, InputError
from mirscope.sequences import reverse_complement
from mirscope.variants.sitechange import normalize_change
from mirscope.variants.vcf import VcfRecord

__all__ = ["Mature", "Precursor", "PrecursorIndex"]

_SEED = (2, 8)


@dataclass(frozen=True)
class Mature:
    """A mature miRNA locus (1-based inclusive, genomic) and its name."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Precursor:
    """A miRBase hairpin locus with the mature miRNAs that derive from it."""

    id: str
    name: str
    chrom: str
    start: int
    end: int
    strand: str
    matures: tuple[Mature, ...]


def _attrs(text: str) -> dict[str, str]:
    out = {}
    for part in text.strip().split(";"):
        k, _, v = part.partition("=")
        if k:
            out[k] = v
    return out


class PrecursorIndex:
    """miRNA hairpins by contig, for overlap queries.

    Parameters
    ----------
    precursors
        Hairpin loci.
    matures
        Mature name -> RNA sequence (to spell the seeds); default: the shipped miRBase v22
        human matures.
    flank
        Also report variants within this many nt of a hairpin (pri-miRNA flank).
    """

    def __init__(
        self, precursors: list[Precursor], *, matures: Mapping[str, str] | None = None, flank: int = 0
    ) -> None:
        if flank < 0:
            raise InputError(f"flank must be >= 0 nt, got {flank}")
        if matures is None:
            from mirscope.sites.scan import human_matures

            matures = human_matures()
        self.matures = dict(matures)
        self.flank = flank
        self.by_chrom: dict[str, list[Precursor]] = {}
        for p in precursors:
            self.by_chrom.setdefault(p.chrom, []).append(p)

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, *, flank: int = 0) -> PrecursorIndex:
        """Read a miRBase GFF3 (default: the shipped human v22 file)."""
        if path is None:
            ref = resources.files("mirscope.data") / "mirbase" / "hsa_miRBase_v22.gff3.gz"
            with resources.as_file(ref) as p:
                return cls(_read_gff3(Path(p)), flank=flank)
        p = Path(path)
        if not p.is_file():
            raise InputError(f"miRBase GFF3 {str(p)!r} does not exist; give the hsa.gff3 of a miRBase release")
        return cls(_read_gff3(p), flank=flank)

    def annotate(self, rec: VcfRecord) -> list[dict[str, object]]:
        """Rows (columns :data:`mirscope.schema.VARIANT_MIRNA_COLUMNS`) for one record."""
        precs = self.by_chrom.get(rec.chrom)
        if not precs:
            return []
        out: list[dict[str, object]] = []
        for alt in rec.alts:
            g0, r, a = normalize_change(rec.pos, rec.ref, alt)
            lo, hi = g0, g0 + max(len(r), 1) - 1
            if not r:
                lo, hi = g0 - 1, g0  # insertion between g0-1 and g0
            for p in precs:
                if hi < p.start - self.flank or lo > p.end + self.flank:
                    continue
                base = {"chrom": rec.chrom, "pos": rec.pos, "id": rec.id, "ref": rec.ref, "alt": alt,
                        "precursor": p.name}
                in_mature = False
                for m in p.matures:
                    if r and (g0 + len(r) - 1 < m.start or g0 > m.end):
                        continue
                    if not r and (g0 <= m.start or g0 > m.end):
                        continue
                    in_mature = True
                    out.append({**base, **self._mature_effect(p, m, g0, r, a)})
                if not in_mature:
                    inside = not (hi < p.start or lo > p.end)
                    out.append({**base, "mature": None, "region": "hairpin" if inside else "pri-miRNA flank",
                                "mature_pos": None, "ref_seed": None, "alt_seed": None, "seed_changed": False})
        return out

    def _mature_effect(self, p: Precursor, m: Mature, g0: int, r: str, a: str) -> dict[str, object]:
        seq = self.matures.get(m.name)
        # 1-based position of the first changed base in the mature miRNA, on its strand
        if p.strand == "+":
            first = g0 - m.start + 1
            rr, aa = r, a
        else:
            first = m.end - (g0 + max(len(r), 1) - 1) + 1 if r else m.end - g0 + 2
            rr, aa = reverse_complement(r), reverse_complement(a)
        span_end = first + max(len(rr), 1) - 1
        overlaps_seed = not (span_end < _SEED[0] or first > _SEED[1])
        ref_seed = alt_seed = None
        if seq is not None:
            rna = seq.upper().replace("T", "U")
            i = first - 1
            got = rna[i : i + len(rr)].replace("U", "T")
            if rr and len(got) == len(rr) and got != rr:
                on_genome = got if p.strand == "+" else reverse_complement(got)
                raise InputError(
                    f"REF {r!r} at {p.chrom}:{g0} does not match {m.name} ({on_genome!r} on the genome's + strand, "
                    f"mature position {first}); the VCF and the miRBase GFF3 are from different assemblies"
                )
            ref_seed = rna[1:8]
            alt_seed = (rna[:i] + aa + rna[i + len(rr) :]).replace("T", "U")[1:8]
        seed_changed = ref_seed != alt_seed if seq is not None else overlaps_seed
        return {
            "mature": m.name, "region": "seed" if (seed_changed or overlaps_seed) else "mature",
            "mature_pos": first, "ref_seed": ref_seed, "alt_seed": alt_seed, "seed_changed": bool(seed_changed),
        }


def _read_gff3(path: Path) -> list[Precursor]:
    opener = gzip.open if path.suffix == ".gz" else open
    hairpins: dict[str, dict[str, object]] = {}
    matures: dict[str, list[Mature]] = {}
    with opener(path, "rt") as fh:  # type: ignore[operator]
        for lineno, line in enumerate(fh, start=1):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 9:
                raise FileFormatError(path, f"expected 9 tab-separated GFF3 columns, found {len(cols)}", line=lineno)
            try:
                start, end = int(cols[3]), int(cols[4])
            except ValueError:
                raise FileFormatError(path, f"start/end {cols[3]!r}/{cols[4]!r} are not integers", line=lineno) from None
            at = _attrs(cols[8])
            if cols[2] == "miRNA_primary_transcript":
                hairpins[at.get("ID", "")] = {"name": at.get("Name", at.get("ID", "")), "chrom": cols[0],
                                              "start": start, "end": end, "strand": cols[6]}
            elif cols[2] == "miRNA" and "Derives_from" in at:
                matures.setdefault(at["Derives_from"], []).append(Mature(at.get("Name", ""), start, end))
    if not hairpins:
        raise FileFormatError(path, "no miRNA_primary_transcript records: not a miRBase GFF3")
    return [
        Precursor(pid, str(h["name"]), str(h["chrom"]), int(h["start"]), int(h["end"]),  # type: ignore[call-overload]
                  str(h["strand"]), tuple(matures.get(pid, ())))
        for pid, h in hairpins.items()
    ]
