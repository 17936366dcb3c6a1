"""Validated readers and atomic writers for the binding-site engine.

Every reader normalises sequences to the RNA alphabet (``T`` -> ``U``), checks
each character and reports bad input as :class:`mirscope.errors.FileFormatError`
naming the file, line, record and 1-based position. The alphabet policy is:

* ``A C G U`` (and ``T``, read as ``U``) in either case are nucleotides;
  lowercase is upper-cased except in TargetScan UTR files, where lowercase
  marks sequence overlapping the ORF and is kept (see
  :func:`read_targetscan_utrs`);
* ``N`` and the IUPAC ambiguity codes ``R Y S W K M B D H V`` are accepted and
  kept as they are; they never match a seed, so no site can contain them;
* alignment gaps (``-`` and ``.``) are allowed only in aligned UTR files; in
  FASTA they are an error unless ``gaps="remove"``;
* anything else (digits, ``*``, spaces inside a sequence...) is an error.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.fa"
>>> _ = p.write_text(">a\\nacgtNacgt\\n>b\\nGGGG\\nCCCC\\n")
>>> read_fasta(p)
{'a': 'ACGUNACGU', 'b': 'GGGGCCCC'}
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from mirscope._files import atomic_write as _atomic_write
from mirscope.errors import FileFormatError, InputError

__all__ = [
    "IUPAC_AMBIGUOUS",
    "AlignmentError",
    "DuplicateSpeciesError",
    "EmptyGeneError",
    "InvalidCharacterError",
    "MirnaFamily",
    "RaggedAlignmentError",
    "SplitGeneError",
    "UtrAlignment",
    "atomic_write",
    "clean_sequence",
    "read_fasta",
    "read_mirbase_mature",
    "read_targetscan_families",
    "read_targetscan_utrs",
]

#: Ambiguity codes accepted (kept, never matched).
IUPAC_AMBIGUOUS = frozenset("NRYSWKMBDHV")
_NUCLEOTIDES = frozenset("ACGU")
_GAPS = frozenset("-.")
_VALID_ASCII = "".join(sorted(_NUCLEOTIDES | IUPAC_AMBIGUOUS | {"T"})).encode()
_VALID_ASCII += _VALID_ASCII.lower() + b"-."
#: Shortest sequence that can hold a seed match (miRNA nucleotides 2-8).
SEED_LENGTH = 7

GapPolicy = Literal["error", "remove"]


class InvalidCharacterError(FileFormatError):
    """A sequence holds a character that is neither a nucleotide, an IUPAC code nor a gap."""


class AlignmentError(FileFormatError):
    """An aligned UTR file is inconsistent; names the gene, the species and the line.

    Attributes
    ----------
    gene, species
        The gene and species (taxonomy id) of the offending row.
    """

    def __init__(self, path: object, reason: str, *, gene: str, species: str, line: int | None = None) -> None:
        self.gene = gene
        self.species = species
        super().__init__(path, reason, line=line)


class RaggedAlignmentError(AlignmentError):
    """Rows of one gene have different lengths (they are not one alignment)."""


class DuplicateSpeciesError(AlignmentError):
    """A gene has two rows of the same species."""


class EmptyGeneError(AlignmentError):
    """A row has no sequence, or no row of a gene holds a single nucleotide."""


class SplitGeneError(AlignmentError):
    """The rows of a gene are not adjacent (another gene's rows come between them)."""


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open("r", encoding="utf-8")


def _check_exists(path: Path) -> None:
    if not path.exists():
        raise FileFormatError(path, "file not found; check the path")
    if path.is_dir():
        raise FileFormatError(path, "is a directory, expected a file")


def clean_sequence(
    seq: str,
    *,
    record: str = "sequence",
    path: object = "<input>",
    line: int | None = None,
    offset: int = 0,
    gaps: GapPolicy | Literal["keep"] = "error",
    keep_case: bool = False,
) -> str:
    """Normalise one sequence to RNA and validate every character.

    Parameters
    ----------
    seq
        The raw sequence (DNA or RNA, any case).
    record, path, line, offset
        Where the sequence comes from, used in error messages; ``offset`` is
        added to positions (for sequences split over several lines).
    gaps
        ``"error"`` (default) rejects ``-``/``.``, ``"remove"`` drops them,
        ``"keep"`` keeps them as ``-`` (aligned files).
    keep_case
        Keep lowercase letters lowercase (TargetScan marks ORF sequence so).

    Returns
    -------
    str
        The RNA sequence.

    Raises
    ------
    FileFormatError
        At the first invalid character, with record and 1-based position.

    Examples
    --------
    >>> clean_sequence("acgT-n", gaps="remove")
    'ACGUN'
    """
    out = seq if keep_case else seq.upper()
    out = out.replace("T", "U").replace("t", "u")
    try:  # fast path: one C-level pass deleting every valid byte
        valid = not out.encode("ascii").translate(None, _VALID_ASCII)
    except UnicodeEncodeError:
        valid = False
    bad = set() if valid else set(out.upper()) - _NUCLEOTIDES - IUPAC_AMBIGUOUS - _GAPS
    if bad:
        pos = next(i for i, c in enumerate(out) if c.upper() in bad)
        raise InvalidCharacterError(
            path,
            f"record {record!r}: invalid character {seq[pos]!r} at position {offset + pos + 1}; "
            "valid are A C G U/T, N and IUPAC codes R Y S W K M B D H V"
            + (" and gaps - ." if gaps != "error" else "")
            + "; fix or remove it",
            line=line,
        )
    if "-" in out or "." in out:
        if gaps == "error":
            pos = next(i for i, c in enumerate(out) if c in _GAPS)
            raise FileFormatError(
                path,
                f"record {record!r}: alignment gap {seq[pos]!r} at position {offset + pos + 1} "
                "in an unaligned FASTA; remove gaps or read with gaps='remove'",
                line=line,
            )
        out = out.replace(".", "-")
        if gaps == "remove":
            out = out.replace("-", "")
    return out


def _fasta_records(path: Path) -> Iterator[tuple[str, str, int, str]]:
    """Yield (id, description, header line, raw sequence) with line-level checks."""
    with _open_text(path) as fh:
        name: str | None = None
        desc = ""
        hline = 0
        chunks: list[str] = []
        pos = 0
        lineno = 0
        try:
            for lineno, raw in enumerate(fh, start=1):
                text = raw.strip()
                if not text or text.startswith(";"):
                    continue
                if text.startswith(">"):
                    if name is not None:
                        yield name, desc, hline, "".join(chunks)
                    header = text[1:].strip()
                    if not header:
                        raise FileFormatError(path, "empty FASTA header '>'", line=lineno)
                    parts = header.split(None, 1)
                    name, desc = parts[0], (parts[1] if len(parts) > 1 else "")
                    hline, chunks, pos = lineno, [], 0
                    continue
                if name is None:
                    raise FileFormatError(
                        path,
                        "sequence data before the first '>' header; is this a FASTA file?",
                        line=lineno,
                    )
                chunks.append(
                    clean_sequence(text, record=name, path=path, line=lineno, offset=pos, gaps="keep")
                )
                pos += len(text)
        except UnicodeDecodeError as err:
            raise FileFormatError(path, "not a text file (cannot decode as UTF-8)", line=lineno + 1) from err
        except (EOFError, OSError, gzip.BadGzipFile) as err:
            raise FileFormatError(path, f"truncated or corrupt file ({err})", line=lineno) from err
        if name is not None:
            yield name, desc, hline, "".join(chunks)


def read_fasta(
    path: str | os.PathLike[str],
    *,
    gaps: GapPolicy = "error",
    min_length: int = SEED_LENGTH,
) -> dict[str, str]:
    """Read a (optionally gzipped) FASTA file of transcripts as RNA.

    Parameters
    ----------
    path
        FASTA file; ``.gz`` is decompressed.
    gaps
        ``"error"`` rejects alignment gaps, ``"remove"`` strips them.
    min_length
        Sequences shorter than this (default: a seed, 7 nt) are an error.

    Returns
    -------
    dict[str, str]
        Record id (first word of the header) -> RNA sequence, in file order.

    Raises
    ------
    FileFormatError
        Empty file, no records, empty or too-short record, duplicate id,
        invalid character (with record and position).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.fa"
    >>> _ = p.write_text(">x desc\\nAC-GUACGU\\n")
    >>> read_fasta(p, gaps="remove")
    {'x': 'ACGUACGU'}
    """
    p = Path(path)
    _check_exists(p)
    out: dict[str, str] = {}
    for name, _desc, hline, raw in _fasta_records(p):
        if name in out:
            raise FileFormatError(p, f"duplicate record id {name!r}; ids must be unique", line=hline)
        gapped = raw.find("-")
        if gapped >= 0 and gaps == "error":
            raise FileFormatError(
                p,
                f"record {name!r}: alignment gap at position {gapped + 1} in an unaligned FASTA; "
                "remove gaps or use gaps='remove'",
                line=hline,
            )
        seq = raw.replace("-", "")
        if not seq:
            raise FileFormatError(p, f"record {name!r} has no sequence (truncated file?)", line=hline)
        if len(seq) < min_length:
            raise FileFormatError(
                p,
                f"record {name!r} is {len(seq)} nt, shorter than a seed match ({min_length} nt)",
                line=hline,
            )
        out[name] = seq
    if not out:
        raise FileFormatError(p, "no FASTA records found (empty file?)")
    return out


def read_mirbase_mature(
    path: str | os.PathLike[str], *, species: str | None = None
) -> dict[str, str]:
    """Read a miRBase mature FASTA (``>hsa-miR-124-3p MIMAT0000422 ...``) as RNA.

    Parameters
    ----------
    path
        ``mature.fa`` or a species subset, optionally gzipped.
    species
        Keep only names starting with this prefix plus ``-`` (e.g. ``"hsa"``).

    Returns
    -------
    dict[str, str]
        miRNA name -> mature RNA sequence.

    Raises
    ------
    FileFormatError
        As :func:`read_fasta`; mature miRNAs must be 15-35 nt.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.fa"
    >>> _ = p.write_text(">hsa-miR-124-3p MIMAT0000422\\nTAAGGCACGCGGTGAATGCC\\n")
    >>> read_mirbase_mature(p)["hsa-miR-124-3p"]
    'UAAGGCACGCGGUGAAUGCC'
    """
    p = Path(path)
    _check_exists(p)
    out: dict[str, str] = {}
    for name, _desc, hline, raw in _fasta_records(p):
        if species is not None and not name.startswith(species + "-"):
            continue
        if name in out:
            raise FileFormatError(p, f"duplicate miRNA {name!r}", line=hline)
        if "-" in raw:
            raise FileFormatError(p, f"miRNA {name!r} contains a gap", line=hline)
        if not 15 <= len(raw) <= 35:
            raise FileFormatError(
                p, f"miRNA {name!r} is {len(raw)} nt; mature miRNAs are 15-35 nt", line=hline
            )
        out[name] = raw
    if not out:
        raise FileFormatError(p, "no mature miRNA records found" + (f" for {species!r}" if species else ""))
    return out


@dataclass(frozen=True)
class MirnaFamily:
    """One row of a TargetScan 7 miRNA family file.

    Attributes
    ----------
    family
        Family id, e.g. ``"let-7/98"``.
    seed
        Seed region, miRNA nucleotides 2-8 (7 nt, RNA).
    species
        Species (NCBI taxonomy ids as strings) in which the family is present.
    """

    family: str
    seed: str
    species: tuple[str, ...]


def _tsv_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    with _open_text(path) as fh:
        lineno = 0
        try:
            for lineno, raw in enumerate(fh, start=1):
                text = raw.rstrip("\r\n")
                if not text.strip():
                    continue
                yield lineno, text.split("\t")
        except UnicodeDecodeError as err:
            raise FileFormatError(path, "not a text file (cannot decode as UTF-8)", line=lineno + 1) from err


def read_targetscan_families(path: str | os.PathLike[str]) -> list[MirnaFamily]:
    """Read a TargetScan 7 miRNA family file (family, seed 2-8, species list).

    Raises
    ------
    FileFormatError
        Wrong column count, seed not 7 nt of A/C/G/U, duplicate family, empty file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f.txt"
    >>> _ = p.write_text("let-7/98\\tGAGGTAG\\t9606;10090\\n")
    >>> read_targetscan_families(p)[0].seed
    'GAGGUAG'
    """
    p = Path(path)
    _check_exists(p)
    out: list[MirnaFamily] = []
    seen: set[str] = set()
    for lineno, cols in _tsv_lines(p):
        if len(cols) != 3:
            raise FileFormatError(
                p,
                f"expected 3 tab-separated columns (family, seed 2-8, species ids separated by ';'), "
                f"found {len(cols)}",
                line=lineno,
            )
        fam, seed_raw, species_raw = (c.strip() for c in cols)
        seed = clean_sequence(seed_raw, record=fam, path=p, line=lineno)
        if len(seed) != SEED_LENGTH or set(seed) - _NUCLEOTIDES:
            raise FileFormatError(
                p,
                f"family {fam!r}: seed {seed_raw!r} must be exactly 7 nt (miRNA positions 2-8) of A/C/G/U",
                line=lineno,
            )
        if fam in seen:
            raise FileFormatError(p, f"duplicate miRNA family {fam!r}", line=lineno)
        species = tuple(s.strip() for s in species_raw.split(";") if s.strip())
        if not species or not all(s.isdigit() for s in species):
            raise FileFormatError(
                p,
                f"family {fam!r}: species list {species_raw!r} must be numeric taxonomy ids "
                "separated by ';' (e.g. 9606;10090)",
                line=lineno,
            )
        seen.add(fam)
        out.append(MirnaFamily(fam, seed, species))
    if not out:
        raise FileFormatError(p, "no miRNA families found (empty file?)")
    return out


@dataclass(frozen=True)
class UtrAlignment:
    """One aligned UTR of one species (a row of a TargetScan UTR file).

    Attributes
    ----------
    gene
        Gene/UTR id.
    species
        NCBI taxonomy id (string).
    aligned
        The aligned RNA sequence with ``-`` gaps; lowercase marks ORF overlap.
    """

    gene: str
    species: str
    aligned: str


def read_targetscan_utrs(path: str | os.PathLike[str]) -> list[UtrAlignment]:
    """Read a TargetScan 7 aligned UTR file (gene, species id, aligned sequence).

    The rows of a gene form one block of adjacent lines with one row per species,
    all of the same alignment length; a row of only gaps is allowed (the species
    lacks this UTR), a gene with no nucleotide in any row is not. Gaps
    (``-``/``.``) are kept as ``-``; lowercase (ORF overlap) is kept, except that
    a lowercase ``t`` is read as ``U``, as TargetScan 7 reads it.

    Raises
    ------
    FileFormatError
        Wrong column count, non-numeric species, empty file.
    InvalidCharacterError
        A character that is not a nucleotide, IUPAC code or gap (record and position).
    DuplicateSpeciesError, RaggedAlignmentError, EmptyGeneError, SplitGeneError
        Two rows of one species in a gene; rows of different lengths; an empty
        row or a gene without any nucleotide; a gene's rows not adjacent. Each
        names the gene, the species and the line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "u.txt"
    >>> _ = p.write_text("G1\\t9606\\tAC-GU\\nG1\\t10090\\tACCGU\\n")
    >>> [u.aligned for u in read_targetscan_utrs(p)]
    ['AC-GU', 'ACCGU']
    """
    p = Path(path)
    _check_exists(p)
    out: list[UtrAlignment] = []
    block: dict[str, int] = {}  # species -> line, of the current gene
    block_gene: str | None = None
    block_width = (0, 0, "")  # columns, line, species of the gene's first row
    block_has_nt = False
    done: dict[str, int] = {}  # finished gene -> its first line

    def close() -> None:
        if block_gene is not None and not block_has_nt:
            first_sp = next(iter(block))
            raise EmptyGeneError(
                p,
                f"gene {block_gene!r} (species {', '.join(block)}) has no nucleotide in any row; "
                "remove the gene or add its sequences",
                gene=block_gene, species=first_sp, line=block[first_sp],
            )

    for lineno, cols in _tsv_lines(p):
        if len(cols) != 3:
            raise FileFormatError(
                p,
                f"expected 3 tab-separated columns (gene, species id, aligned sequence), found {len(cols)}",
                line=lineno,
            )
        gene, species, raw = (c.strip() for c in cols)
        if not species.isdigit():
            raise FileFormatError(p, f"species id {species!r} must be a numeric taxonomy id", line=lineno)
        if gene != block_gene:
            close()
            if gene in done:
                raise SplitGeneError(
                    p,
                    f"rows of gene {gene!r} are not adjacent: species {species} here, the gene's first row "
                    f"at line {done[gene]}, another gene's rows between; sort the file by gene",
                    gene=gene, species=species, line=lineno,
                )
            if block_gene is not None:
                done[block_gene] = block_width[1]
            block_gene, block, block_has_nt = gene, {}, False
        if species in block:
            raise DuplicateSpeciesError(
                p,
                f"duplicate UTR row: gene {gene!r} has a second row of species {species} "
                f"(first at line {block[species]}); "
                "keep one row per gene and species",
                gene=gene, species=species, line=lineno,
            )
        if not raw:
            raise EmptyGeneError(
                p,
                f"gene {gene!r}, species {species}: empty sequence; give the aligned UTR or a row of gaps",
                gene=gene, species=species, line=lineno,
            )
        # TargetScan 7 reads T as U in either case, so a lowercase t becomes an uppercase U
        aligned = clean_sequence(
            raw.replace("t", "U"), record=f"{gene}/{species}", path=p, line=lineno, gaps="keep", keep_case=True
        )
        if not block:
            block_width = (len(aligned), lineno, species)
        elif block_width[0] != len(aligned):
            raise RaggedAlignmentError(
                p,
                f"gene {gene!r}: the row of species {species} is {len(aligned)} columns but the row of "
                f"species {block_width[2]} (line {block_width[1]}) is {block_width[0]}; rows of one gene "
                "must be aligned to the same length",
                gene=gene, species=species, line=lineno,
            )
        block[species] = lineno
        block_has_nt = block_has_nt or any(c in "ACGUacgu" for c in aligned)
        out.append(UtrAlignment(gene, species, aligned))
    close()
    if not out:
        raise FileFormatError(p, "no UTR rows found (empty file?)")
    return out


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, mode: Literal["w", "wb"] = "w"
) -> Iterator[IO]:  # type: ignore[type-arg]
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    Nothing is left behind when the body raises.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "o.txt"
    >>> with atomic_write(p) as fh:
    ...     _ = fh.write("ok")
    >>> p.read_text()
    'ok'
    """
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise InputError(f"output directory {str(target.parent)!r} does not exist; create it first")
    with _atomic_write(target, mode=mode) as fh:
        yield fh
