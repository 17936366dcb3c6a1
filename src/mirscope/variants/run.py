"""Stream a VCF through the annotator (optionally on several processes) into one output file.

:func:`annotate_vcf` reads the VCF in chunks, annotates each chunk (in worker processes
when ``workers > 1``, at most ``2 x workers`` chunks in flight, results written in input
order), and writes rows as they come to a temporary file renamed over the output only at
the end: memory stays flat and an error leaves no partial output.
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing as mp
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from mirscope._files import atomic_write
from mirscope.errors import InputError
from mirscope.schema import VARIANT_MIRNA_COLUMNS, VARIANT_SITE_COLUMNS
from mirscope.variants.annotate import AnnotationStats, Feature, OnProblem, VariantAnnotator
from mirscope.variants.precursors import PrecursorIndex
from mirscope.variants.vcf import OnMalformed, VcfRecord, VcfStats, iter_vcf

__all__ = ["VARIANT_FORMATS", "VariantFormat", "VariantRun", "annotate_vcf", "write_rows"]

logger = logging.getLogger(__name__)

VariantFormat = Literal["table", "tsv", "json"]
VARIANT_FORMATS: tuple[str, ...] = ("table", "tsv", "json")
_TABLE_COLUMNS = (
    ("chrom", 6), ("pos", 10), ("ref", 6), ("alt", 6), ("gene", 10), ("transcript", 18), ("mirna", 18),
    ("effect", 8), ("ref_site_type", 11), ("alt_site_type", 11), ("ref_start", 9), ("alt_start", 9), ("ddg", 7),
)


@dataclass
class VariantRun:
    """Summary of one :func:`annotate_vcf` run."""

    output: str
    rows: int = 0
    precursor_rows: int = 0
    vcf: VcfStats = field(default_factory=VcfStats)
    annotation: AnnotationStats = field(default_factory=AnnotationStats)
    precursor_output: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly summary (what was read, written and skipped, and why)."""
        return {
            "output": self.output,
            "rows": self.rows,
            "precursor_output": self.precursor_output,
            "precursor_rows": self.precursor_rows,
            "vcf": self.vcf.to_dict(),
            "annotation": self.annotation.to_dict(),
        }


# --------------------------------------------------------------------------- writers


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:g}"
    return str(v)


def _tsv_line(t: Sequence[object]) -> str:
    return "\t".join(["" if v is None else str(v) for v in t])


class _Writer:
    """Writes rows (dicts or tuples in ``columns`` order); chunks of pre-formatted lines
    (:func:`_format`) are written as they are."""

    def __init__(self, fh: IO[str], fmt: VariantFormat, columns: Sequence[str]) -> None:
        self.fh, self.fmt, self.columns, self.n = fh, fmt, tuple(columns), 0
        if fmt == "tsv":
            fh.write("\t".join(self.columns) + "\n")
        elif fmt == "json":
            fh.write("[")
        else:
            fh.write(_table_header(self.columns))

    def write(self, row: Mapping[str, object]) -> None:
        self.write_lines(_format([tuple(row.get(c) for c in self.columns)], self.fmt, self.columns))

    def write_lines(self, lines: list[str]) -> None:
        if not lines:
            return
        if self.fmt == "json":
            self.fh.write(("," if self.n else "") + "\n" + ",\n".join(lines))
        else:
            self.fh.write("\n".join(lines) + "\n")
        self.n += len(lines)

    def close(self) -> None:
        if self.fmt == "json":
            self.fh.write("\n]\n" if self.n else "]\n")


def _table_cols(columns: Sequence[str]) -> list[tuple[int, int]]:
    if tuple(columns) == VARIANT_SITE_COLUMNS:
        return [(columns.index(c), max(w, len(c))) for c, w in _TABLE_COLUMNS]
    return [(i, max(len(c), 8)) for i, c in enumerate(columns)]


def _table_header(columns: Sequence[str]) -> str:
    return "  ".join(columns[i].ljust(w) for i, w in _table_cols(columns)).rstrip() + "\n"


def _format(rows: Sequence[Sequence[object]], fmt: str, columns: Sequence[str]) -> list[str]:
    """Rows (tuples in ``columns`` order) as output lines of ``fmt``."""
    if fmt == "tsv":
        return [_tsv_line(t) for t in rows]
    if fmt == "json":
        dumps = json.dumps
        return [dumps(dict(zip(columns, t, strict=True))) for t in rows]
    cols = _table_cols(columns)
    return ["  ".join(_cell(t[i]).ljust(w) for i, w in cols).rstrip() for t in rows]


def write_rows(
    rows: Iterable[Mapping[str, object]],
    output: str | os.PathLike[str],
    *,
    fmt: VariantFormat = "tsv",
    columns: Sequence[str] = VARIANT_SITE_COLUMNS,
) -> int:
    """Write rows atomically as ``tsv``, ``json`` (a list of objects) or an aligned ``table``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "o.json"
    >>> write_rows([{"chrom": "1", "pos": 5}], p, fmt="json", columns=("chrom", "pos"))
    1
    >>> json.loads(p.read_text())
    [{'chrom': '1', 'pos': 5}]
    """
    _check_format(fmt)
    with _output(output) as fh:
        w = _Writer(fh, fmt, columns)
        for row in rows:
            w.write(row)
        w.close()
    return w.n


def _check_format(fmt: str) -> None:
    if fmt not in VARIANT_FORMATS:
        raise InputError(f"unknown format {fmt!r}; valid formats: {', '.join(VARIANT_FORMATS)}")


# --------------------------------------------------------------------------- workers

_WORKER: dict[str, object] = {}


def _init_worker(features: Sequence[Feature], mirnas: Mapping[str, str], kwargs: dict[str, object],
                 precursor_args: dict[str, object] | None, fmt: str) -> None:
    _WORKER["fmt"] = fmt
    _WORKER["ann"] = VariantAnnotator(features, mirnas, **kwargs)  # type: ignore[arg-type]
    _WORKER["prec"] = PrecursorIndex.load(**precursor_args) if precursor_args is not None else None  # type: ignore[arg-type]


def _run_chunk(chunk: list[VcfRecord]) -> tuple[list[str], list[str], AnnotationStats]:
    ann: VariantAnnotator = _WORKER["ann"]  # type: ignore[assignment]
    prec: PrecursorIndex | None = _WORKER["prec"]  # type: ignore[assignment]
    fmt: str = _WORKER["fmt"]  # type: ignore[assignment]
    ann.stats = AnnotationStats()
    rows: list[tuple[object, ...]] = []
    prows: list[tuple[object, ...]] = []
    for rec in chunk:
        rows.extend(ann.annotate_tuples(rec))
        if prec is not None:
            prows.extend(tuple(r.get(c) for c in VARIANT_MIRNA_COLUMNS) for r in prec.annotate(rec))
    return _format(rows, fmt, VARIANT_SITE_COLUMNS), _format(prows, fmt, VARIANT_MIRNA_COLUMNS), ann.stats


def _chunks(records: Iterator[VcfRecord], size: int) -> Iterator[list[VcfRecord]]:
    chunk: list[VcfRecord] = []
    for rec in records:
        chunk.append(rec)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def annotate_vcf(
    vcf: str | os.PathLike[str],
    features: Sequence[Feature],
    mirnas: Mapping[str, str],
    output: str | os.PathLike[str],
    *,
    genome: str | os.PathLike[str] | None = None,
    fmt: VariantFormat = "tsv",
    energies: bool = True,
    precursor_output: str | os.PathLike[str] | None = None,
    mirna_gff: str | os.PathLike[str] | None = None,
    precursor_flank: int = 0,
    on_malformed: OnMalformed = "error",
    on_missing_contig: OnProblem = "error",
    on_ref_mismatch: OnProblem = "error",
    workers: int = 1,
    chunk_size: int = 2000,
    progress: bool | None = None,
) -> VariantRun:
    """Annotate every variant of a VCF with the miRNA sites it gains, loses or retypes.

    Parameters
    ----------
    vcf
        Sorted VCF (``.vcf`` or ``.vcf.gz``).
    features
        Transcript features (:func:`mirscope.variants.features_from_gtf` or
        :func:`mirscope.variants.read_feature_fasta`).
    mirnas
        miRNA name -> mature sequence.
    output
        Site rows (:data:`mirscope.schema.VARIANT_SITE_COLUMNS`), written atomically.
    genome
        Genome FASTA, needed for features without sequence (GTF).
    fmt
        ``tsv``, ``json`` (a list of objects) or ``table``.
    energies
        Duplex energies of both alleles (ViennaRNA) and ``ddg = dg_alt - dg_ref``.
    precursor_output
        Also write variants in miRNA precursors (:data:`mirscope.schema.VARIANT_MIRNA_COLUMNS`)
        here, same format; ``mirna_gff`` (default: shipped miRBase v22) gives the loci and
        ``precursor_flank`` extends them by that many nt on each side.
    on_malformed, on_missing_contig, on_ref_mismatch
        ``"error"`` (default, nothing is written) or ``"skip"`` (counted in the result).
    workers
        Processes (1 = this process).
    chunk_size
        Records per chunk handed to a worker.

    Returns
    -------
    VariantRun
        Counts of what was read, written and skipped.
    """
    _check_format(fmt)
    if workers < 1:
        raise InputError(f"workers must be >= 1, got {workers}")
    if chunk_size < 1:
        raise InputError(f"chunk_size must be >= 1, got {chunk_size}")
    kwargs: dict[str, object] = {
        "genome": genome, "energies": energies,
        "on_missing_contig": on_missing_contig, "on_ref_mismatch": on_ref_mismatch,
    }
    precursor_args = None
    if precursor_output is not None:
        precursor_args = {"path": mirna_gff, "flank": precursor_flank}
    run = VariantRun(output=str(output), precursor_output=None if precursor_output is None else str(precursor_output))
    records = iter_vcf(vcf, on_malformed=on_malformed, stats=run.vcf)
    # validate options and inputs in this process before any output is opened
    _init_worker(features, mirnas, kwargs, precursor_args, fmt)
    show = sys.stderr.isatty() if progress is None else progress
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with _output(output) as fh, _maybe_atomic(precursor_output) as pfh:
        writer = _Writer(fh, fmt, VARIANT_SITE_COLUMNS)
        pwriter = _Writer(pfh, fmt, VARIANT_MIRNA_COLUMNS) if pfh is not None else None
        for rows, prows, stats in _results(_chunks(records, chunk_size), workers, features, mirnas, kwargs, precursor_args, fmt):
            writer.write_lines(rows)
            if pwriter is not None:
                pwriter.write_lines(prows)
            run.annotation.merge(stats)
            if show:
                print(f"\rvariants: {run.vcf.records:,} records, {writer.n:,} site rows", end="", file=sys.stderr)
        writer.close()
        if pwriter is not None:
            pwriter.close()
    if show:
        print(file=sys.stderr)
    run.rows = writer.n
    run.precursor_rows = pwriter.n if pwriter is not None else 0
    return run


class _NullCtx:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _maybe_atomic(path: str | os.PathLike[str] | None):  # -> context manager
    return _output(path) if path is not None else _NullCtx()


def _output(path: str | os.PathLike[str]):  # -> context manager yielding a text file
    """Atomic write to a regular file; a device or pipe (``/dev/null``, ``/dev/stdout``, a
    FIFO) is written directly, never replaced by a renamed temporary file."""
    p = Path(path)
    if p.exists() and not p.is_file():
        return open(p, "w", encoding="utf-8")
    return atomic_write(p)


def _results(
    chunks: Iterator[list[VcfRecord]], workers: int, features: Sequence[Feature], mirnas: Mapping[str, str],
    kwargs: dict[str, object], precursor_args: dict[str, object] | None, fmt: str,
) -> Iterator[tuple[list[str], list[str], AnnotationStats]]:
    if workers == 1:
        for chunk in chunks:
            yield _run_chunk(chunk)
        return
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    pool = ctx.Pool(workers, initializer=_init_worker, initargs=(features, mirnas, kwargs, precursor_args, fmt))
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append(pool.apply_async(_run_chunk, (chunk,)))
            while len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
