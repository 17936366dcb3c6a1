"""Annotate VCF variants with the miRNA sites they gain, lose or retype in transcripts.

Coordinates and strands
-----------------------
* VCF ``POS`` is 1-based and is the first base of ``REF`` on the genome's + strand.
* GTF intervals are 1-based and inclusive. A transcript feature (3'UTR, lncRNA exons) is the
  concatenation of its pieces in genomic order, reverse complemented on the - strand, so
  its position 1 is its 5' end (for a - strand UTR, the piece with the *highest* genomic
  coordinate).
* Each variant is trimmed of the bases its alleles share (VCF padding bases), mapped into
  the feature, and applied in transcript orientation (alleles reverse complemented on the
  - strand).
* Reported site positions: ``ref_start``/``ref_end`` (site in the reference feature) and
  ``alt_start``/``alt_end`` (site in the alternative feature), 1-based inclusive along the
  feature 5'->3'; ``genomic_start``/``genomic_end``: lowest and highest + strand genomic
  coordinate of the site's bases (over both alleles; inserted bases have none, and a site
  across a splice junction spans the intron).

What is skipped (counted in :class:`AnnotationStats`, never silently): variants whose
changed bases cross a feature boundary (exon/intron or UTR/CDS edge: their effect is on
splicing or coding, not on a site), and with the matching options, records on contigs
missing from the genome and records whose REF differs from the genome.

Examples
--------
>>> feats = [Feature("T1", "G1", "1", "+", "utr3", ((101, 116),), "CCCCGTGCCTTACCCC")]
>>> rows = annotate_records(
...     [VcfRecord("1", 112, "v1", "A", ("C",), 1)], feats, {"m": "UAAGGCACGCGGUGAAUGCC"},
...     energies=False)
>>> [(r["effect"], r["ref_site_type"], r["alt_site_type"], r["ref_start"], r["genomic_start"]) for r in rows]
[('changed', '8mer', '7mer-m8', 5, 105)]
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mirscope.errors import FileFormatError, InputError
from mirscope.schema import VARIANT_SITE_COLUMNS
from mirscope.sequences import reverse_complement
from mirscope.variants.sitechange import SeedTable, map_position, normalize_change, site_changes
from mirscope.variants.vcf import VcfRecord

__all__ = [
    "AnnotationStats",
    "Feature",
    "VariantAnnotator",
    "annotate_records",
    "features_from_gtf",
    "read_feature_fasta",
]

logger = logging.getLogger(__name__)

OnProblem = Literal["error", "skip"]
#: nt kept on each side of a change: 8 for the site footprint + the duplex flank (<= 40).
_WINDOW = 48
_BIN = 1 << 16
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Feature:
    """One transcript feature: genomic pieces (1-based inclusive, genomic order) and,
    when known without a genome, its sequence in transcript orientation."""

    transcript: str
    gene: str
    chrom: str
    strand: str
    feature: str
    segments: tuple[tuple[int, int], ...]
    sequence: str | None = None

    @property
    def length(self) -> int:
        """Spliced length (nt)."""
        return sum(e - s + 1 for s, e in self.segments)


@dataclass
class AnnotationStats:
    """What an annotation run did: records, alleles, overlaps and every skip with its reason."""

    alleles_seen: int = 0
    alleles_in_features: int = 0
    allele_feature_pairs: int = 0
    rows: int = 0
    skipped_crossing_feature_boundary: int = 0
    skipped_missing_contig: int = 0
    skipped_ref_mismatch: int = 0
    missing_contigs: set[str] = field(default_factory=set)
    ref_mismatch_examples: list[str] = field(default_factory=list)

    def merge(self, other: AnnotationStats) -> None:
        """Add another run's counts (parallel chunks)."""
        for name in (
            "alleles_seen", "alleles_in_features", "allele_feature_pairs", "rows",
            "skipped_crossing_feature_boundary", "skipped_missing_contig", "skipped_ref_mismatch",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missing_contigs |= other.missing_contigs
        self.ref_mismatch_examples = (self.ref_mismatch_examples + other.ref_mismatch_examples)[:5]

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly summary."""
        return {
            "alleles_seen": self.alleles_seen,
            "alleles_in_features": self.alleles_in_features,
            "allele_feature_pairs": self.allele_feature_pairs,
            "rows": self.rows,
            "skipped_crossing_feature_boundary": self.skipped_crossing_feature_boundary,
            "skipped_missing_contig": self.skipped_missing_contig,
            "skipped_ref_mismatch": self.skipped_ref_mismatch,
            "missing_contigs": sorted(self.missing_contigs),
            "ref_mismatch_examples": list(self.ref_mismatch_examples),
        }


def features_from_gtf(
    gtf: str | os.PathLike[str], features: Sequence[str] = ("utr3",)
) -> list[Feature]:
    """Feature structures (no sequence) from a GTF, via :func:`mirscope.sequences.iter_transcript_models`.

    ``features`` are GTF feature kinds of :data:`mirscope.sequences.GTF_FEATURES`
    (``utr3`` by default; ``lncrna`` adds lncRNA exons).
    """
    from mirscope.sequences import iter_transcript_models

    out: list[Feature] = []
    for kind in features:
        for m in iter_transcript_models(gtf, kind):  # type: ignore[arg-type]
            out.append(Feature(m.transcript, m.gene, m.chrom, m.strand, m.feature, m.segments))
    return out


def read_feature_fasta(path: str | os.PathLike[str], *, feature: str = "utr3") -> list[Feature]:
    """Read features with coordinates from a FASTA whose headers carry them.

    Header: ``>TRANSCRIPT|GENE|CHROM:START-END[,START-END...]:STRAND`` (1-based inclusive
    pieces, any order; the sequence is the feature 5'->3', i.e. already reverse
    complemented for ``-``). The pieces' total length must equal the sequence length.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "u.fa"
    >>> _ = p.write_text(">T1|G1|chr1:11-14,21-24:-\\nAAAACCCC\\n")
    >>> f = read_feature_fasta(p)[0]
    >>> f.segments, f.strand, f.sequence
    (((11, 14), (21, 24)), '-', 'AAAACCCC')
    """
    from mirscope.sequences import parse_circ_coordinates
    from mirscope.sites import read_fasta

    p = Path(path)
    if not p.is_file():
        raise InputError(f"UTR FASTA {str(p)!r} does not exist; give a FASTA with TRANSCRIPT|GENE|chr:start-end:strand headers")
    headers: list[str] = []
    opener = __import__("gzip").open if p.suffix == ".gz" else open
    with opener(p, "rt") as fh:
        headers = [line[1:].split()[0] for line in fh if line.startswith(">")]
    seqs = read_fasta(p)
    out: list[Feature] = []
    for head in headers:
        parts = head.split("|")
        if len(parts) < 3:
            raise FileFormatError(
                p, f"header {head!r} lacks coordinates; write >TRANSCRIPT|GENE|chr:start-end[,start-end...]:strand "
                "(1-based inclusive, e.g. >ENST01|STAT3|chr17:42313324-42316815:-)",
            )
        try:
            spec = parse_circ_coordinates(parts[-1])
        except InputError as err:
            raise FileFormatError(p, f"header {head!r}: {err}") from err
        seq = seqs[head].replace("U", "T")
        f = Feature(parts[0], parts[1], spec.chrom, "-" if spec.strand < 0 else "+", feature, spec.exons, seq)
        if f.length != len(seq):
            raise FileFormatError(
                p, f"header {head!r}: the pieces cover {f.length} nt but the sequence has {len(seq)} nt; "
                "the coordinates must describe exactly this sequence",
            )
        out.append(f)
    return out


@functools.lru_cache(maxsize=1 << 18)
def _energy(mirna: str, region: str) -> float:
    from mirscope.sites import duplex_energy

    return duplex_energy(mirna, region)


class _ContigIndex:
    """Features of one contig, binned by 64 kb for overlap queries."""

    def __init__(self, feats: Sequence[Feature]) -> None:
        self.feats = list(feats)
        self.bins: dict[int, list[int]] = {}
        for i, f in enumerate(self.feats):
            lo, hi = f.segments[0][0], f.segments[-1][1]
            for b in range(lo // _BIN, hi // _BIN + 1):
                self.bins.setdefault(b, []).append(i)

    def overlapping(self, start: int, end: int) -> list[Feature]:
        idx: set[int] = set()
        for b in range(start // _BIN, end // _BIN + 1):
            idx.update(self.bins.get(b, ()))
        out = []
        for i in sorted(idx):
            f = self.feats[i]
            if f.segments[0][0] <= end and f.segments[-1][1] >= start:
                out.append(f)
        return out


class VariantAnnotator:
    """Annotates VCF records against transcript features for a set of miRNAs.

    Parameters
    ----------
    features
        Transcript features (:func:`features_from_gtf`, :func:`read_feature_fasta`).
    mirnas
        miRNA name -> mature sequence.
    genome
        Genome FASTA path; needed when the features carry no sequence.
    energies
        Compute duplex energies (ViennaRNA) of both alleles and ``ddg``.
    on_missing_contig, on_ref_mismatch
        ``"error"`` (default) or ``"skip"`` (count and go on).
    """

    def __init__(
        self,
        features: Sequence[Feature],
        mirnas: Mapping[str, str],
        *,
        genome: str | os.PathLike[str] | None = None,
        energies: bool = True,
        on_missing_contig: OnProblem = "error",
        on_ref_mismatch: OnProblem = "error",
    ) -> None:
        for name, val in (("on_missing_contig", on_missing_contig), ("on_ref_mismatch", on_ref_mismatch)):
            if val not in ("error", "skip"):
                raise InputError(f"{name} must be 'error' or 'skip', got {val!r}")
        self.table = SeedTable.from_mirnas(mirnas)
        self.energies = energies
        self.on_missing_contig = on_missing_contig
        self.on_ref_mismatch = on_ref_mismatch
        self.stats = AnnotationStats()
        by_chrom: dict[str, list[Feature]] = {}
        for f in features:
            by_chrom.setdefault(f.chrom, []).append(f)
        needs_genome = any(f.sequence is None for f in features)
        self.genome = None
        self.genome_path = str(genome) if genome is not None else None
        if genome is not None:
            from mirscope.sequences.gtf import open_genome

            self.genome = open_genome(genome)
            self.contigs = set(self.genome.keys())
        elif needs_genome:
            raise InputError("features without sequences need a genome FASTA; pass genome=... (CLI: --genome)")
        self.index = {c: _ContigIndex(fs) for c, fs in by_chrom.items()}
        self._concat: dict[str, str] = {}
        self._concat_chrom: str | None = None
        self._blocks: dict[tuple[str, int], str] = {}

    # -- sequences -------------------------------------------------------------------
    def _genomic_concat(self, f: Feature) -> str:
        """The feature's pieces joined in genomic order, + strand (DNA, upper case)."""
        if f.chrom != self._concat_chrom:
            self._concat.clear()
            self._concat_chrom = f.chrom
        key = f.transcript + "\t" + f.feature
        got = self._concat.get(key)
        if got is None:
            if f.sequence is not None:
                got = f.sequence.upper() if f.strand == "+" else reverse_complement(f.sequence.upper())
            else:
                rec = self.genome[f.chrom]  # type: ignore[index]
                if f.segments[-1][1] > len(rec):
                    raise InputError(
                        f"feature {f.transcript} ends at {f.chrom}:{f.segments[-1][1]}, beyond the contig's "
                        f"length {len(rec)} in the genome: the GTF and genome assemblies differ"
                    )
                got = "".join(rec[s - 1 : e] for s, e in f.segments).upper()
            self._concat[key] = got
        return got

    # -- records ---------------------------------------------------------------------
    def _check_genome(self, rec: VcfRecord) -> bool:
        """REF and contig checks against the genome; False means skip the record."""
        if self.genome is None:
            return True
        if rec.chrom not in self.contigs:
            if self.on_missing_contig == "error":
                sample = ", ".join(sorted(self.contigs)[:5])
                raise InputError(
                    f"VCF contig {rec.chrom!r} (line {rec.line}, {rec.chrom}:{rec.pos}) is not in the genome "
                    f"{self.genome_path!r}, which has {len(self.contigs)} contigs ({sample}...). Use the genome "
                    "the VCF was called on (check chr1 vs 1 naming), or pass --skip-missing-contigs to skip and count such records."
                )
            self.stats.skipped_missing_contig += len(rec.alts)
            self.stats.missing_contigs.add(rec.chrom)
            return False
        seq = self._genome_slice(rec.chrom, rec.pos - 1, rec.pos - 1 + len(rec.ref))
        if seq != rec.ref and "N" not in rec.ref:
            return self._mismatch(rec, seq)
        return True

    def _genome_slice(self, chrom: str, lo: int, hi: int) -> str:
        """``genome[chrom][lo:hi]`` through a cache of 1 Mb blocks (sorted VCFs read in order)."""
        b0, b1 = lo // _BLOCK, (hi - 1) // _BLOCK
        parts = []
        for b in range(b0, b1 + 1):
            key = (chrom, b)
            blk = self._blocks.get(key)
            if blk is None:
                if len(self._blocks) >= 4:
                    self._blocks.pop(next(iter(self._blocks)))
                blk = self._blocks[key] = self.genome[chrom][b * _BLOCK : (b + 1) * _BLOCK].upper()  # type: ignore[index]
            parts.append(blk)
        joined = parts[0] if len(parts) == 1 else "".join(parts)
        return joined[lo - b0 * _BLOCK : hi - b0 * _BLOCK]

    def _mismatch(self, rec: VcfRecord, found: str) -> bool:
        msg = (
            f"REF {rec.ref!r} of {rec.chrom}:{rec.pos} (VCF line {rec.line}, id {rec.id}) does not match "
            f"the reference sequence there ({found!r})"
        )
        if self.on_ref_mismatch == "error":
            raise InputError(
                msg + ": the VCF and the genome/UTR file are probably from different assemblies. Use the "
                "matching genome, or pass --skip-ref-mismatch to skip and count such records."
            )
        self.stats.skipped_ref_mismatch += len(rec.alts)
        if len(self.stats.ref_mismatch_examples) < 5:
            self.stats.ref_mismatch_examples.append(msg)
        return False

    def annotate(self, rec: VcfRecord) -> list[dict[str, object]]:
        """Site rows (columns :data:`mirscope.schema.VARIANT_SITE_COLUMNS`) of one record."""
        return [dict(zip(VARIANT_SITE_COLUMNS, t, strict=True)) for t in self.annotate_tuples(rec)]

    def annotate_tuples(self, rec: VcfRecord) -> list[tuple[object, ...]]:
        """Like :meth:`annotate`, rows as tuples in :data:`mirscope.schema.VARIANT_SITE_COLUMNS` order."""
        self.stats.alleles_seen += len(rec.alts)
        idx = self.index.get(rec.chrom)
        if not self._check_genome(rec):
            return []
        if idx is None:
            return []
        end = rec.pos + max(len(rec.ref), 1)
        feats = idx.overlapping(rec.pos - 1, end)
        if not feats:
            return []
        rows: list[tuple[object, ...]] = []
        ref_checked = self.genome is not None
        for alt in rec.alts:
            g0, r, a = normalize_change(rec.pos, rec.ref, alt)  # g0: 1-based first changed base
            if not r and not a:
                continue
            hit = False
            for f in feats:
                placed = _place(f, g0, len(r))
                if placed is None:
                    continue
                if placed == "boundary":
                    self.stats.skipped_crossing_feature_boundary += 1
                    hit = True
                    continue
                hit = True
                concat = self._genomic_concat(f)
                if not ref_checked:
                    # no genome: check the VCF REF against the feature's own sequence
                    ok = self._check_ref_in_feature(rec, f, concat)
                    if not ok:
                        return rows
                    ref_checked = True
                self.stats.allele_feature_pairs += 1
                rows.extend(self._rows(rec, alt, f, concat, placed, r, a))
            if hit:
                self.stats.alleles_in_features += 1
        self.stats.rows += len(rows)
        return rows

    def _check_ref_in_feature(self, rec: VcfRecord, f: Feature, concat: str) -> bool:
        found = []
        for k in range(len(rec.ref)):
            i = _concat_index(f, rec.pos + k)
            if i is None:
                return True  # the padding base lies outside the feature: nothing to compare
            found.append(concat[i])
        seq = "".join(found)
        if seq != rec.ref and "N" not in rec.ref:
            return self._mismatch(rec, seq)
        return True

    def _rows(
        self, rec: VcfRecord, alt: str, f: Feature, concat: str, i: int, r: str, a: str
    ) -> list[tuple[object, ...]]:
        n = len(concat)
        lo = max(0, i - _WINDOW)
        hi = min(n, i + len(r) + _WINDOW)
        win = concat[lo:hi]
        if f.strand == "+":
            tx_lo = lo
            start, wr, wa = i - lo, r, a
        else:
            win = reverse_complement(win)
            tx_lo = n - hi
            start = (hi - lo) - (i - lo) - len(r)
            wr, wa = reverse_complement(r), reverse_complement(a)
        changes = site_changes(win, start, wr, wa, self.table)
        if not changes:
            return []
        alt_win = win[:start] + wa + win[start + len(wr) :]
        out: list[tuple[object, ...]] = []
        head = (rec.chrom, rec.pos, rec.id, rec.ref, alt, f.gene, f.transcript, f.strand, f.feature)
        for ch in changes:
            g_lo, g_hi = self._genomic_span(f, n, tx_lo, ch, start, len(wr), len(wa))
            site = (
                None if ch.ref_start is None else tx_lo + ch.ref_start + 1,
                None if ch.ref_end is None else tx_lo + ch.ref_end,
                None if ch.alt_start is None else tx_lo + ch.alt_start + 1,
                None if ch.alt_end is None else tx_lo + ch.alt_end,
                g_lo, g_hi,
            )
            if self.energies:
                anchor_ref = _anchor(ch.ref_type, ch.ref_start)
                anchor_alt = _anchor(ch.alt_type, ch.alt_start)
                if anchor_ref is None:
                    anchor_ref = _map_edge(anchor_alt, start, len(wa), len(wr))  # type: ignore[arg-type]
                if anchor_alt is None:
                    anchor_alt = _map_edge(anchor_ref, start, len(wr), len(wa))
            for name in self.table.members[ch.group]:
                if self.energies:
                    mseq = self.table.sequences[name]
                    dg_ref = _energy(mseq, _region(win, anchor_ref, len(mseq)))
                    dg_alt = _energy(mseq, _region(alt_win, anchor_alt, len(mseq)))
                    tail: tuple[object, ...] = (dg_ref, dg_alt, round(dg_alt - dg_ref, 2), None)
                else:
                    tail = (None, None, None, None)
                out.append((*head, name, ch.effect, ch.ref_type, ch.alt_type, *site, *tail))
        return out

    def _genomic_span(
        self, f: Feature, n: int, tx_lo: int, ch, start: int, lr: int, la: int
    ) -> tuple[int | None, int | None]:
        """Lowest and highest genomic coordinate of the site's bases in either allele."""
        tx_positions: list[int] = []
        if ch.ref_start is not None:
            tx_positions += [ch.ref_start, ch.ref_end - 1]
        if ch.alt_start is not None:
            for x in (ch.alt_start, ch.alt_end - 1):
                y = map_position(x, start, la, lr)
                if y is None:  # an inserted base has no genomic coordinate: use the base 5' of it
                    y = start - 1 if lr == 0 and start > 0 else start
                tx_positions.append(y)
        gs = []
        for t in tx_positions:
            t_full = tx_lo + t
            ci = t_full if f.strand == "+" else n - 1 - t_full
            gs.append(_genomic_of(f, min(max(ci, 0), n - 1)))
        return (min(gs), max(gs)) if gs else (None, None)


def _anchor(site_type: str | None, start: int | None) -> int | None:
    if site_type is None or start is None:
        return None
    return start - 1 if site_type in ("7mer-A1", "6mer") else start


def _map_edge(x: int, start: int, len_from: int, len_to: int) -> int:
    y = map_position(x, start, len_from, len_to)
    return start + len_to if y is None else y


def _region(seq: str, anchor: int, mirna_len: int) -> str:
    """Duplex region as :func:`mirscope.sites.scan` uses: ``len(miRNA) + 4`` nt 5' of and
    including the base facing miRNA nucleotide 1 (``anchor + 7``)."""
    a1 = anchor + 7
    lo = max(0, a1 - (mirna_len + 4))
    return seq[lo : min(len(seq), a1 + 1)].replace("T", "U")


def _concat_index(f: Feature, g: int) -> int | None:
    """0-based index in the genomic-order concatenation of genomic base ``g`` (1-based)."""
    off = 0
    for s, e in f.segments:
        if s <= g <= e:
            return off + g - s
        off += e - s + 1
    return None


def _genomic_of(f: Feature, ci: int) -> int:
    off = 0
    for s, e in f.segments:
        length = e - s + 1
        if ci < off + length:
            return s + ci - off
        off += length
    return f.segments[-1][1]


def _place(f: Feature, g0: int, lr: int) -> int | str | None:
    """Index in the feature's genomic concatenation of a trimmed change, or ``"boundary"``
    when the changed bases straddle a piece's edge, or None when outside the feature."""
    if lr > 0:
        a = _concat_index(f, g0)
        b = _concat_index(f, g0 + lr - 1)
        if a is not None and b is not None and b - a == lr - 1:
            return a
        if a is None and b is None:
            if any(s >= g0 and e <= g0 + lr - 1 for s, e in f.segments):
                return "boundary"  # a whole piece deleted
            return None
        return "boundary"
    # insertion between g0 - 1 and g0
    a = _concat_index(f, g0 - 1)
    b = _concat_index(f, g0)
    if a is not None and b is not None and b == a + 1:
        return b
    if a is None and b is None:
        return None
    return "boundary"


def annotate_records(
    records: Iterable[VcfRecord],
    features: Sequence[Feature],
    mirnas: Mapping[str, str],
    *,
    genome: str | os.PathLike[str] | None = None,
    energies: bool = True,
    on_missing_contig: OnProblem = "error",
    on_ref_mismatch: OnProblem = "error",
    stats: AnnotationStats | None = None,
) -> list[dict[str, object]]:
    """All site rows of some records (in memory; see :func:`mirscope.variants.annotate_vcf` to stream).

    Examples
    --------
    >>> f = Feature("T", "G", "c", "-", "utr3", ((1, 12),), "CCGTGCCTTACC")
    >>> [r["effect"] for r in annotate_records([VcfRecord("c", 5, ".", "A", ("G",), 1)], [f],
    ...  {"m": "UAAGGCACGCGGUGAAUGCC"}, energies=False)]
    ['lost']
    """
    ann = VariantAnnotator(
        features, mirnas, genome=genome, energies=energies,
        on_missing_contig=on_missing_contig, on_ref_mismatch=on_ref_mismatch,
    )
    rows: list[dict[str, object]] = []
    for rec in records:
        rows.extend(ann.annotate(rec))
    if stats is not None:
        stats.merge(ann.stats)
    return rows


def iter_rows(ann: VariantAnnotator, records: Iterable[VcfRecord]) -> Iterator[dict[str, object]]:
    """Stream rows of records through one annotator."""
    for rec in records:
        yield from ann.annotate(rec)

