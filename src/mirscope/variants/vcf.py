"""A streaming, validating VCF reader (plain or gzip/bgzip), one record at a time.

Only the first five columns are read (CHROM, POS, ID, REF, ALT); genotypes are not
needed to say what an allele does to a site. Coordinates are VCF's: 1-based, ``POS`` is
the first base of ``REF``.

Policies (each tested):

* **Unsorted input is an error** (records must be grouped by contig and sorted by
  position within it): the annotator loads one contig's transcripts at a time and
  streams, so an unsorted file would silently revisit contigs. The message names both
  records and says how to sort (``bcftools sort``).
* **Malformed lines** (fewer than 8 columns, a non-integer or zero POS, REF/ALT with
  characters other than A/C/G/T/N) stop the run with the file and line number, or with
  ``on_malformed="skip"`` are skipped and counted in :class:`VcfStats`.
* **Alleles that are not sequences** (symbolic ``<DEL>``, breakends, the ``*``
  spanning deletion, a missing ``.`` ALT) are valid VCF but say nothing about a
  sequence: they are always skipped and counted.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "v.vcf"
>>> _ = p.write_text("##fileformat=VCFv4.2\\n#CHROM\\tPOS\\tID\\tREF\\tALT\\tQUAL\\tFILTER\\tINFO\\n"
...                  "1\\t10\\trs1\\tA\\tG,T\\t.\\t.\\t.\\n")
>>> [(r.chrom, r.pos, r.ref, r.alts) for r in iter_vcf(p)]
[('1', 10, 'A', ('G', 'T'))]
"""

from __future__ import annotations

import gzip
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from mirscope.errors import FileFormatError, InputError

__all__ = ["OnMalformed", "VcfRecord", "VcfStats", "iter_vcf"]

OnMalformed = Literal["error", "skip"]
_ALLELE = re.compile(r"^[ACGTNacgtn]+$")


@dataclass(frozen=True, slots=True)
class VcfRecord:
    """One VCF data line: contig, 1-based position, id, REF and the sequence ALT alleles."""

    chrom: str
    pos: int
    id: str
    ref: str
    alts: tuple[str, ...]
    line: int


@dataclass
class VcfStats:
    """Counts of what the reader read and skipped (with reasons)."""

    records: int = 0
    alleles: int = 0
    skipped_malformed: int = 0
    skipped_non_sequence_alleles: int = 0
    malformed_examples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly summary."""
        return {
            "records": self.records,
            "alleles": self.alleles,
            "skipped_malformed_lines": self.skipped_malformed,
            "skipped_non_sequence_alleles": self.skipped_non_sequence_alleles,
            "malformed_examples": list(self.malformed_examples),
        }


def _open(path: Path) -> IO[str]:
    raw = open(path, "rb")  # noqa: SIM115 - wrapped and closed by the caller
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.GzipFile(fileobj=raw), encoding="utf-8", errors="replace")
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace")


def _problem(cols: list[str]) -> str | None:
    if len(cols) < 8:
        return f"expected at least 8 tab-separated columns (CHROM POS ID REF ALT QUAL FILTER INFO), found {len(cols)}"
    pos = cols[1]
    if not pos.isdigit() or int(pos) < 1:
        return f"POS {pos!r} is not a positive integer"
    if not _ALLELE.match(cols[3]):
        return f"REF {cols[3]!r} is not a sequence of A/C/G/T/N"
    if not cols[0]:
        return "CHROM is empty"
    return None


def iter_vcf(
    path: str | os.PathLike[str],
    *,
    on_malformed: OnMalformed = "error",
    stats: VcfStats | None = None,
) -> Iterator[VcfRecord]:
    """Stream the records of a VCF (``.vcf`` or ``.vcf.gz``), checking order and syntax.

    Parameters
    ----------
    path
        The VCF file.
    on_malformed
        ``"error"`` (default): stop at the first malformed line with its number;
        ``"skip"``: skip it and count it in ``stats``.
    stats
        Filled with counts as records are read.

    Raises
    ------
    FileFormatError
        Unsorted records, or a malformed line with ``on_malformed="error"``.
    InputError
        The file does not exist, or ``on_malformed`` is not a valid value.
    """
    if on_malformed not in ("error", "skip"):
        raise InputError(f"on_malformed must be 'error' or 'skip', got {on_malformed!r}")
    p = Path(path)
    if not p.is_file():
        raise InputError(f"VCF file {str(p)!r} does not exist; give the path of a .vcf or .vcf.gz file")
    st = stats if stats is not None else VcfStats()
    done_contigs: set[str] = set()
    chrom_now: str | None = None
    last_pos = 0
    last_line = 0
    with _open(p) as fh:
        try:
            for lineno, line in enumerate(fh, start=1):
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\r\n").split("\t")
                problem = _problem(cols)
                if problem is None:
                    alts_raw = cols[4].split(",")
                    bad = [a for a in alts_raw if not a or (not _ALLELE.match(a) and not _symbolic(a))]
                    if bad:
                        problem = f"ALT {cols[4]!r} has an allele that is neither a sequence nor a symbolic allele"
                if problem is not None:
                    if on_malformed == "error":
                        raise FileFormatError(
                            p, f"{problem}; fix the line or pass on_malformed='skip' (CLI: --skip-malformed) to skip and count such lines",
                            line=lineno,
                        )
                    st.skipped_malformed += 1
                    if len(st.malformed_examples) < 5:
                        st.malformed_examples.append(f"line {lineno}: {problem}")
                    continue
                chrom, pos = cols[0], int(cols[1])
                if chrom != chrom_now:
                    if chrom in done_contigs:
                        raise FileFormatError(
                            p, f"contig {chrom!r} appears again after other contigs (first block ended "
                            f"before line {lineno}): the VCF is not sorted. Sort it (bcftools sort in.vcf "
                            "-Oz -o sorted.vcf.gz) and run again.", line=lineno,
                        )
                    if chrom_now is not None:
                        done_contigs.add(chrom_now)
                    chrom_now, last_pos = chrom, 0
                if pos < last_pos:
                    raise FileFormatError(
                        p, f"{chrom}:{pos} comes after {chrom}:{last_pos} (line {last_line}): the VCF is "
                        "not sorted by position. Sort it (bcftools sort in.vcf -Oz -o sorted.vcf.gz) "
                        "and run again.", line=lineno,
                    )
                last_pos, last_line = pos, lineno
                alts = tuple(a.upper() for a in alts_raw if _ALLELE.match(a))
                st.records += 1
                st.skipped_non_sequence_alleles += len(alts_raw) - len(alts)
                st.alleles += len(alts)
                if alts:
                    yield VcfRecord(chrom, pos, cols[2], cols[3].upper(), alts, lineno)
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            raise FileFormatError(p, f"cannot read the file ({err}); is it a complete .vcf or .vcf.gz?") from err


def _symbolic(allele: str) -> bool:
    return allele in (".", "*") or allele.startswith("<") or "[" in allele or "]" in allele or allele.startswith(".") or allele.endswith(".")
