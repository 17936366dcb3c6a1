"""Extract 3'UTRs, CDSs, transcripts and lncRNAs from a local GTF and genome FASTA.

The HPC way to get sequences: no network, an Ensembl or GENCODE GTF (plain or gzipped)
and the matching genome FASTA (plain, bgzip-compressed, or gzip-compressed, which is
decompressed once into the cache directory), read with indexed random access (pyfaidx).

The GTF is streamed: transcripts are assembled gene by gene (Ensembl and GENCODE files
are grouped by gene) and written as they complete, so memory stays flat on a whole
genome. Multi-exon features are joined in transcript order; minus-strand features are
reverse complemented. The output FASTA is written to a temporary file and renamed at the
end, so an error leaves nothing half-written.

Feature definitions
-------------------
``utr3``
    ``three_prime_utr`` records (Ensembl), or ``UTR`` records lying 3' of the CDS and
    stop codon (GENCODE).
``cds``
    ``CDS`` records plus the ``stop_codon`` (GTF CDS records exclude it).
``transcript``
    All ``exon`` records (the mature transcript).
``lncrna``
    Exons of transcripts whose ``transcript_type``/``transcript_biotype`` is ``lncRNA``
    (or the older ``lincRNA``).
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal, get_args

from mirscope.errors import FileFormatError, InputError, MissingDependencyError
from mirscope.paths import user_cache_dir
from mirscope.sequences._seq import SequenceRecord, reverse_complement, write_fasta_atomic

__all__ = [
    "GTF_FEATURES",
    "ExtractionReport",
    "GtfFeature",
    "TranscriptModel",
    "extract_features",
    "iter_features",
    "iter_transcript_models",
    "open_genome",
]

logger = logging.getLogger(__name__)

GtfFeature = Literal["utr3", "cds", "transcript", "lncrna"]
GTF_FEATURES: tuple[str, ...] = get_args(GtfFeature)
OnMissing = Literal["error", "skip"]
_LNCRNA_TYPES = frozenset({"lncRNA", "lincRNA"})


@dataclass
class _Transcript:
    tid: str
    gene_id: str
    gene_name: str
    chrom: str
    strand: str
    biotype: str
    exons: list[tuple[int, int]] = field(default_factory=list)
    cds: list[tuple[int, int]] = field(default_factory=list)
    stop: list[tuple[int, int]] = field(default_factory=list)
    utr: list[tuple[int, int]] = field(default_factory=list)
    utr3: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class ExtractionReport:
    """What an extraction did: counts written and skipped, with reasons."""

    written: int = 0
    transcripts_seen: int = 0
    skipped_no_feature: int = 0
    skipped_missing_contig: int = 0
    missing_contigs: set[str] = field(default_factory=set)
    output: str = ""

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly summary."""
        return {
            "output": self.output,
            "written": self.written,
            "transcripts_seen": self.transcripts_seen,
            "skipped_no_feature": self.skipped_no_feature,
            "skipped_missing_contig": self.skipped_missing_contig,
            "missing_contigs": sorted(self.missing_contigs),
        }


def _open_text(path: Path) -> tuple[IO[str], IO[bytes]]:
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.open(raw, "rt"), raw  # type: ignore[return-value]
    import io

    return io.TextIOWrapper(raw), raw


def _parse_attributes(text: str, path: Path, lineno: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for part in text.strip().split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition(" ")
        if not sep:
            raise FileFormatError(path, f"attribute {part!r} has no value (expected key \"value\";)", line=lineno)
        attrs.setdefault(key, value.strip().strip('"'))
    return attrs


def _parse_gtf(path: Path, *, progress: bool) -> Iterator[list[_Transcript]]:
    """Yield the transcripts of each gene as the gene's block of lines ends."""
    fh, raw = _open_text(path)
    size = os.path.getsize(path)
    current_gene: str | None = None
    txs: dict[str, _Transcript] = {}
    finished: set[str] = set()
    prog = None
    task = None
    if progress:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        prog = Progress(
            TextColumn("[bold]GTF[/]"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )
        prog.start()
        task = prog.add_task("gtf", total=size)
    try:
        for lineno, line in enumerate(fh, start=1):
            if prog is not None and task is not None and lineno % 5000 == 0:
                prog.update(task, completed=raw.tell())
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 9:
                raise FileFormatError(
                    path, f"expected 9 tab-separated columns, found {len(cols)}", line=lineno
                )
            chrom, _src, ftype, start_s, end_s, _score, strand, _frame, attr_text = cols
            try:
                start, end = int(start_s), int(end_s)
            except ValueError:
                raise FileFormatError(
                    path, f"start/end {start_s!r}/{end_s!r} are not integers", line=lineno
                ) from None
            if start < 1 or end < start:
                raise FileFormatError(path, f"invalid interval {start}-{end}", line=lineno)
            if strand not in ("+", "-"):
                raise FileFormatError(path, f"strand {strand!r} is not + or -", line=lineno)
            if ftype == "gene":
                continue
            attrs = _parse_attributes(attr_text, path, lineno)
            gene_id = attrs.get("gene_id")
            tid = attrs.get("transcript_id")
            if gene_id is None or tid is None:
                raise FileFormatError(
                    path, f"{ftype} record lacks gene_id or transcript_id", line=lineno
                )
            if gene_id != current_gene:
                if current_gene is not None:
                    finished.add(current_gene)
                    yield list(txs.values())
                    txs = {}
                if gene_id in finished:
                    raise FileFormatError(
                        path,
                        f"gene {gene_id} appears again after other genes: the GTF is not grouped "
                        "by gene (sort it, e.g. with `sort -k1,1 -k4,4n` per gene, or use an "
                        "Ensembl/GENCODE GTF as distributed)",
                        line=lineno,
                    )
                current_gene = gene_id
            tx = txs.get(tid)
            if tx is None:
                tx = txs[tid] = _Transcript(
                    tid=tid, gene_id=gene_id, gene_name=attrs.get("gene_name", gene_id),
                    chrom=chrom, strand=strand,
                    biotype=attrs.get("transcript_type") or attrs.get("transcript_biotype") or "",
                )
            interval = (start, end)
            if ftype == "exon":
                tx.exons.append(interval)
            elif ftype == "CDS":
                tx.cds.append(interval)
            elif ftype == "stop_codon":
                tx.stop.append(interval)
            elif ftype == "UTR":
                tx.utr.append(interval)
            elif ftype == "three_prime_utr":
                tx.utr3.append(interval)
        if txs:
            yield list(txs.values())
    finally:
        if prog is not None:
            prog.stop()
        fh.close()
        raw.close()


def _segments(tx: _Transcript, feature: GtfFeature) -> list[tuple[int, int]]:
    if feature in ("transcript", "lncrna"):
        return sorted(tx.exons)
    if feature == "cds":
        return _merge(sorted(tx.cds + tx.stop))
    # utr3
    if tx.utr3:
        return sorted(tx.utr3)
    coding = tx.cds + tx.stop
    if not tx.utr or not coding:
        return []
    if tx.strand == "+":
        cds_end = max(e for _, e in coding)
        return sorted(iv for iv in tx.utr if iv[0] > cds_end)
    cds_start = min(s for s, _ in coding)
    return sorted(iv for iv in tx.utr if iv[1] < cds_start)


def _merge(segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in segments:
        if out and s <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _open_genome(path: Path):
    try:
        import pyfaidx
    except ImportError as err:  # pragma: no cover - installed with the sites extra
        raise MissingDependencyError(
            "Reading a genome FASTA needs pyfaidx: pip install 'mirscope[sites]'."
        ) from err
    if not path.exists():
        raise InputError(f"Genome FASTA {str(path)!r} does not exist; give the path of the genome .fa[.gz].")
    with open(path, "rb") as fh:
        head = fh.read(18)
    if head[:2] == b"\x1f\x8b" and not (len(head) >= 14 and head[12:14] == b"BC"):
        # Plain gzip: pyfaidx needs random access, so decompress once into the cache.
        st = path.stat()
        target = user_cache_dir() / "genomes" / f"{path.name.removesuffix('.gz')}.{st.st_size}.{int(st.st_mtime)}.fa"
        if not target.exists():
            logger.warning(
                "%s is plain gzip (not bgzip); decompressing once to %s for random access", path, target
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            with gzip.open(path, "rb") as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            os.replace(tmp, target)
        path = target
    try:
        return pyfaidx.Fasta(str(path), as_raw=True, sequence_always_upper=True, rebuild=True)
    except (pyfaidx.FastaIndexingError, ValueError, OSError) as err:
        raise FileFormatError(path, f"cannot index the genome FASTA: {err}") from err


def iter_features(
    gtf: str | os.PathLike[str],
    genome: str | os.PathLike[str],
    feature: GtfFeature,
    *,
    on_missing_contig: OnMissing = "error",
    progress: bool | None = None,
    report: ExtractionReport | None = None,
) -> Iterator[SequenceRecord]:
    """Stream the sequences of one feature type, one record per transcript.

    Parameters
    ----------
    gtf, genome
        Paths of the GTF (``.gtf`` or ``.gtf.gz``) and the genome FASTA (``.fa[.gz]``).
    feature
        One of :data:`GTF_FEATURES`.
    on_missing_contig
        ``"error"`` (default) stops at the first transcript on a contig the genome lacks;
        ``"skip"`` skips those transcripts and counts them in ``report``.
    progress
        Show a progress bar on stderr (default: when stderr is a terminal).
    report
        Filled with counts as records are produced.
    """
    if feature not in GTF_FEATURES:
        raise InputError(f"Unknown feature {feature!r}; valid features are {list(GTF_FEATURES)}.")
    if on_missing_contig not in ("error", "skip"):
        raise InputError(f"on_missing_contig must be 'error' or 'skip', got {on_missing_contig!r}.")
    gtf_path = Path(gtf)
    if not gtf_path.exists():
        raise InputError(f"GTF file {str(gtf_path)!r} does not exist; give the annotation .gtf[.gz].")
    fasta = _open_genome(Path(genome))
    contigs = set(fasta.keys())
    rep = report if report is not None else ExtractionReport()
    show = sys.stderr.isatty() if progress is None else progress
    for gene_txs in _parse_gtf(gtf_path, progress=show):
        for tx in gene_txs:
            rep.transcripts_seen += 1
            if feature == "lncrna" and tx.biotype not in _LNCRNA_TYPES:
                continue
            segs = _segments(tx, feature)
            if not segs:
                rep.skipped_no_feature += 1
                continue
            if tx.chrom not in contigs:
                if on_missing_contig == "error":
                    sample = ", ".join(sorted(contigs)[:5])
                    raise InputError(
                        f"Contig {tx.chrom!r} (transcript {tx.tid}) is not in the genome FASTA "
                        f"{str(genome)!r}, which has {len(contigs)} contigs ({sample}...). Use the "
                        "genome that matches the annotation (chr1 vs 1 naming), or pass "
                        "--skip-missing-contigs to skip and count such transcripts."
                    )
                rep.skipped_missing_contig += 1
                rep.missing_contigs.add(tx.chrom)
                continue
            record = fasta[tx.chrom]
            clen = len(record)
            if segs[-1][1] > clen:
                raise InputError(
                    f"Transcript {tx.tid} ends at {tx.chrom}:{segs[-1][1]}, beyond the contig's "
                    f"length {clen} in the genome FASTA: the GTF and genome assemblies differ."
                )
            seq = "".join(record[s - 1 : e] for s, e in segs)
            if tx.strand == "-":
                seq = reverse_complement(seq)
            kind = "utr3" if feature == "utr3" else "cds" if feature == "cds" else (
                "lncrna" if feature == "lncrna" else "transcript"
            )
            rep.written += 1
            yield SequenceRecord(
                id=f"{tx.tid}|{tx.gene_name}|{feature}", seq=seq, kind=kind, gene=tx.gene_name,
                transcript=tx.tid, source=f"GTF {gtf_path.name} + {Path(genome).name}",
            )
    if rep.skipped_missing_contig:
        logger.warning(
            "Skipped %d transcript(s) on contigs missing from the genome: %s",
            rep.skipped_missing_contig, ", ".join(sorted(rep.missing_contigs)),
        )


def extract_features(
    gtf: str | os.PathLike[str],
    genome: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    feature: GtfFeature = "utr3",
    on_missing_contig: OnMissing = "error",
    progress: bool | None = None,
) -> ExtractionReport:
    """Extract one feature type from a GTF + genome into a FASTA file (atomically).

    Returns an :class:`ExtractionReport` with the counts written and skipped.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "g.fa").write_text(">c1\\nAAAACCCCGGGGTTTT\\n")
    >>> gtf_line = 'c1\\tx\\t{}\\t{}\\t{}\\t.\\t+\\t.\\tgene_id "G"; transcript_id "T";\\n'
    >>> _ = (d / "a.gtf").write_text(gtf_line.format("exon", 1, 16) + gtf_line.format("CDS", 1, 9)
    ...                              + gtf_line.format("three_prime_utr", 10, 16))
    >>> extract_features(d / "a.gtf", d / "g.fa", d / "out.fa", progress=False).written
    1
    >>> (d / "out.fa").read_text().split()[1]
    'GGGTTTT'
    """
    rep = ExtractionReport(output=str(output))
    records = iter_features(
        gtf, genome, feature, on_missing_contig=on_missing_contig, progress=progress, report=rep
    )
    write_fasta_atomic(records, output)
    return rep


@dataclass(frozen=True)
class TranscriptModel:
    """Genomic structure of one feature of one transcript (no sequence).

    ``segments`` are the feature's exon pieces, 1-based inclusive, sorted by genomic start;
    the feature's sequence is their concatenation, reverse complemented on the ``-`` strand.
    """

    transcript: str
    gene: str
    chrom: str
    strand: str
    feature: str
    segments: tuple[tuple[int, int], ...]

    @property
    def length(self) -> int:
        """Spliced length in nucleotides."""
        return sum(e - s + 1 for s, e in self.segments)


def iter_transcript_models(
    gtf: str | os.PathLike[str], feature: GtfFeature, *, progress: bool | None = False
) -> Iterator[TranscriptModel]:
    """Stream the exon structure of one feature type per transcript (no genome needed).

    Same feature definitions as :func:`iter_features`, except that a transcript with exons
    and a CDS but no UTR records gets its 3'UTR as the exon parts 3' of the CDS and stop
    codon; transcripts without the feature are left out.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> line = 'c1\\tx\\t{}\\t{}\\t{}\\t.\\t-\\t.\\tgene_id "G"; transcript_id "T";\\n'
    >>> _ = (d / "a.gtf").write_text(line.format("three_prime_utr", 30, 40) + line.format("three_prime_utr", 5, 9))
    >>> m = next(iter_transcript_models(d / "a.gtf", "utr3"))
    >>> m.segments, m.strand, m.length
    (((5, 9), (30, 40)), '-', 16)
    """
    if feature not in GTF_FEATURES:
        raise InputError(f"Unknown feature {feature!r}; valid features are {list(GTF_FEATURES)}.")
    gtf_path = Path(gtf)
    if not gtf_path.exists():
        raise InputError(f"GTF file {str(gtf_path)!r} does not exist; give the annotation .gtf[.gz].")
    show = sys.stderr.isatty() if progress is None else progress
    for gene_txs in _parse_gtf(gtf_path, progress=show):
        for tx in gene_txs:
            if feature == "lncrna" and tx.biotype not in _LNCRNA_TYPES:
                continue
            segs = _segments(tx, feature)
            if not segs and feature == "utr3":
                segs = _utr3_from_exons(tx)
            if segs:
                yield TranscriptModel(
                    transcript=tx.tid, gene=tx.gene_name, chrom=tx.chrom, strand=tx.strand,
                    feature=feature, segments=tuple(segs),
                )


def _utr3_from_exons(tx: _Transcript) -> list[tuple[int, int]]:
    """3'UTR as the exon parts 3' of the CDS and stop codon, for GTFs without UTR records."""
    coding = tx.cds + tx.stop
    if not coding or not tx.exons:
        return []
    out = []
    if tx.strand == "+":
        end = max(e for _, e in coding)
        for s, e in sorted(tx.exons):
            if e > end:
                out.append((max(s, end + 1), e))
    else:
        start = min(s for s, _ in coding)
        for s, e in sorted(tx.exons):
            if s < start:
                out.append((s, min(e, start - 1)))
    return out


def open_genome(path: str | os.PathLike[str]):  # -> pyfaidx.Fasta
    """Open a genome FASTA for random access (plain, bgzip, or gzip decompressed once to the cache).

    Returns a ``pyfaidx.Fasta`` with upper-case raw strings: ``genome[chrom][start0:end0]``.
    """
    return _open_genome(Path(path))
