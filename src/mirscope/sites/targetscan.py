"""TargetScan 7 site finding on aligned multi-species UTRs, at transcriptome speed.

Reimplements the site stage of TargetScan 7.0 (``targetscan_70.pl``; Agarwal et
al. 2015) and is checked row for row against that script's own output: its
sample, five differential alignments and generated alignments (see
``tests/sites/test_targetscan.py``). The rules, including every edge rule
(masked UTR start, gaps inside sites, lowercase ORF-overlap sequence, species
missing from a family's list, group numbering) are written down in
``docs/sites.md``; :mod:`mirscope.sites._targetscan_reference` applies them one
by one, slowly, and is the reference the tests compare with.

How it runs: the rows of whole genes are joined, gaps removed, into one array of
2-bit codes (rows separated by an unpairable code, the masked UTR start set to
that code too) and indexed once by 6-mer with the seed index that
``scan-all`` uses (:mod:`mirscope.sites.transcriptome`); each family's sites are
read from the bucket of its 6-mer and typed by their flanking bases, without a
per-position Python loop. Sites are mapped back to alignment columns with one
vectorised look-up, and grouped with array operations; only clusters of sites
whose grouping is not a plain clique (rare) go through a small exact Python
loop. Genes are processed in chunks, so memory stays bounded.

Examples
--------
>>> from mirscope.sites.io import MirnaFamily, UtrAlignment
>>> fams = [MirnaFamily("miR-124", "AAGGCAC", ("9606", "10090"))]
>>> pad = "C" * 14  # the first 14 nt of a UTR are never searched
>>> utrs = [UtrAlignment("G", "9606", pad + "AAGUGCCUUAA"), UtrAlignment("G", "10090", pad + "AAGUGCC-UUC")]
>>> [(r["species_ID"], r["Site_type"], r["Group_num"]) for r in targetscan_sites(fams, utrs)]
[('10090', '7mer-m8', 1), ('9606', '8mer-1a', 1)]
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np

from mirscope.errors import InputError
from mirscope.sites.io import (
    MirnaFamily,
    UtrAlignment,
    atomic_write,
    read_targetscan_families,
    read_targetscan_utrs,
)
from mirscope.sites.seeds import _LUT, classify_hits, encode, kmer6_codes, seed_codes
from mirscope.sites.transcriptome import _classify, _Index

__all__ = [
    "MASK_NUCLEOTIDES",
    "MIN_GROUP_OVERLAP",
    "TARGETSCAN_COLUMNS",
    "orf_lengths_and_8mers",
    "run_orf",
    "run_targetscan",
    "species_without_families",
    "targetscan_sites",
    "write_targetscan",
]

log = logging.getLogger(__name__)

#: Header of TargetScan 7's ``targetscan_70_output.txt`` (verbatim, incl. ``a_Gene_ID``).
TARGETSCAN_COLUMNS: tuple[str, ...] = (
    "a_Gene_ID",
    "miRNA_family_ID",
    "species_ID",
    "MSA_start",
    "MSA_end",
    "UTR_start",
    "UTR_end",
    "Group_num",
    "Site_type",
    "miRNA in this species",
    "Group_type",
    "Species_in_this_group",
    "Species_in_this_group_with_this_site_type",
    "ORF_overlap",
)

#: Nucleotides masked at the start of every UTR row (TargetScan 7's ribosome shadow).
MASK_NUCLEOTIDES = 14
#: Alignment columns two sites of different species must share to be grouped.
MIN_GROUP_OVERLAP = 2
#: Alignment columns (summed over rows) processed at once; bounds memory.
_CHUNK_COLUMNS = 4_000_000
#: Chunks with at least this many rows are written with Arrow's CSV writer.
_ARROW_MIN_ROWS = 150_000

# Per mirscope site code (SITE_TYPES order: 8mer, 7mer-m8, 7mer-A1, 6mer):
_TS_NAMES = ("8mer-1a", "7mer-m8", "7mer-1a", "6mer")
_WIDTH = np.array([8, 7, 7, 6], dtype=np.int64)
# a bit per type, in TargetScan's site-id order (7mer-1a=1, 7mer-m8=2, 8mer-1a=3, 6mer=6)
_BIT = np.array([4, 2, 1, 8], dtype=np.int64)
_BIT_NAMES = ((1, "7mer-1a"), (2, "7mer-m8"), (4, "8mer-1a"), (8, "6mer"))
_GROUP_TYPE = tuple("+".join(n for b, n in _BIT_NAMES if m & b) for m in range(16))
# the types a site of each type contains (an 8mer holds both 7mers and the 6mer)
_CONTAINS = np.array([1 | 2 | 4 | 8, 2 | 8, 1 | 8, 8], dtype=np.int64)
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)")


def _numeric_key(s: str) -> tuple[float, str]:
    """Sort key of species lists: as numbers (text that is not a number counts as 0)."""
    m = _NUMBER.match(s)
    return (float(m.group(0)) if m else 0.0, s)


def _argsort_keys(*keys: np.ndarray) -> np.ndarray:
    """Stable order by several non-negative integer keys (first key most significant).

    Packs the keys into one int64 when their ranges allow it (one radix-friendly
    argsort instead of a multi-key lexsort).
    """
    span = 1
    packed = np.zeros(keys[0].size, dtype=np.int64)
    for k in keys:
        top = int(k.max()) + 1 if k.size else 1
        if span * top >= 1 << 62:
            return np.lexsort(keys[::-1])
        packed = packed * top + k.astype(np.int64, copy=False)
        span *= top
    return np.argsort(packed, kind="stable")


def species_without_families(
    families: Sequence[MirnaFamily], utrs: Sequence[UtrAlignment]
) -> dict[str, int]:
    """UTR rows whose species is in no family's species list, counted by species.

    TargetScan 7 searches a family only in the species listed for it, so such
    rows can never have a site.

    Examples
    --------
    >>> fams = [MirnaFamily("f", "AAGGCAC", ("9606",))]
    >>> species_without_families(fams, [UtrAlignment("G", "9606", "A"), UtrAlignment("G", "7227", "A")])
    {'7227': 1}
    """
    listed = {s for f in families for s in f.species}
    out: dict[str, int] = {}
    for u in utrs:
        if u.species not in listed:
            out[u.species] = out.get(u.species, 0) + 1
    return out


def _blocks(utrs: Sequence[UtrAlignment]) -> list[tuple[str, list[UtrAlignment]]]:
    """Genes as blocks of adjacent rows (TargetScan's reading), checked for consistency."""
    blocks: list[tuple[str, list[UtrAlignment]]] = []
    for u in utrs:
        if blocks and blocks[-1][0] == u.gene:
            blocks[-1][1].append(u)
        else:
            blocks.append((u.gene, [u]))
    for gene, rows in blocks:
        seen: set[str] = set()
        for u in rows:
            if u.species in seen:
                raise InputError(
                    f"gene {gene!r} has two rows of species {u.species}; keep one row per species and gene"
                )
            seen.add(u.species)
            if len(u.aligned) != len(rows[0].aligned):
                raise InputError(
                    f"gene {gene!r}: the row of species {u.species} is {len(u.aligned)} columns, the row of "
                    f"species {rows[0].species} {len(rows[0].aligned)}; rows of one gene must be aligned"
                )
    return blocks


@dataclass
class _Chunk:
    """Sites of a chunk of genes, in TargetScan's output order, as parallel arrays.

    Text columns are indices into their category lists (``*_names``).
    """

    gene: np.ndarray
    gene_names: list[str]
    family: np.ndarray
    family_names: list[str]
    species: np.ndarray
    species_names: list[str]
    msa_start: np.ndarray
    msa_end: np.ndarray
    utr_start: np.ndarray
    utr_end: np.ndarray
    group_num: np.ndarray
    site_type: np.ndarray  # index into _TS_NAMES
    group_type: np.ndarray  # index into _GROUP_TYPE (a bit set)
    species_in_group: np.ndarray
    species_in_group_names: list[str]
    with_type: np.ndarray
    with_type_names: list[str]
    orf_overlap: np.ndarray

    def __len__(self) -> int:
        return int(self.gene.size)

    def _columns(self) -> list[list]:  # type: ignore[type-arg]
        def cat(codes: np.ndarray, names: Sequence[str]) -> list[str]:
            return [names[i] for i in codes.tolist()]

        return [
            cat(self.gene, self.gene_names),
            cat(self.family, self.family_names),
            cat(self.species, self.species_names),
            self.msa_start.tolist(),
            self.msa_end.tolist(),
            self.utr_start.tolist(),
            self.utr_end.tolist(),
            self.group_num.tolist(),
            cat(self.site_type, _TS_NAMES),
            ["x"] * len(self),
            cat(self.group_type, _GROUP_TYPE),
            cat(self.species_in_group, self.species_in_group_names),
            cat(self.with_type, self.with_type_names),
            self.orf_overlap.tolist(),
        ]

    def lines(self) -> Iterator[str]:
        for g, f, s, a, b, c, d, n, t, x, gt, sg, wt, o in zip(*self._columns(), strict=True):
            yield f"{g}\t{f}\t{s}\t{a}\t{b}\t{c}\t{d}\t{n}\t{t}\t{x}\t{gt}\t{sg}\t{wt}\t{o}\n"

    def dicts(self) -> Iterator[dict[str, object]]:
        for values in zip(*self._columns(), strict=True):
            yield dict(zip(TARGETSCAN_COLUMNS, values, strict=True))

    def write(self, fh: IO[bytes]) -> None:
        """Write the rows as TargetScan's tab-separated text (no header).

        Large chunks go through Arrow's CSV writer (no per-row Python work); small ones are
        formatted in Python, which is cheaper than Arrow's one-off start-up (~0.25 s CPU).
        """
        if len(self) < _ARROW_MIN_ROWS:
            fh.write("".join(self.lines()).encode("utf-8"))
            return
        import pyarrow as pa
        import pyarrow.csv as pa_csv

        def cat(codes: np.ndarray, names: Sequence[str]) -> pa.Array:
            return pa.array(list(names), pa.string()).take(pa.array(codes.astype(np.int32)))

        columns = [
            cat(self.gene, self.gene_names),
            cat(self.family, self.family_names),
            cat(self.species, self.species_names),
            pa.array(self.msa_start),
            pa.array(self.msa_end),
            pa.array(self.utr_start),
            pa.array(self.utr_end),
            pa.array(self.group_num),
            cat(self.site_type, _TS_NAMES),
            cat(np.zeros(len(self), dtype=np.int32), ["x"]),
            cat(self.group_type, _GROUP_TYPE),
            cat(self.species_in_group, self.species_in_group_names),
            cat(self.with_type, self.with_type_names),
            pa.array(self.orf_overlap),
        ]
        table = pa.table(columns, names=[f"c{i}" for i in range(len(columns))])
        pa_csv.write_csv(
            table, fh, pa_csv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none")
        )


class _Engine:
    """Family and species tables shared by all chunks."""

    def __init__(self, families: Sequence[MirnaFamily], species: Sequence[str]) -> None:
        fams = sorted(families, key=lambda f: f.family)  # TargetScan: families in text order
        self.family_names = [f.family for f in fams]
        self.seed_tab = np.array([seed_codes("A" + f.seed) for f in fams], dtype=np.int64).reshape(-1, 4)
        self.species = list(dict.fromkeys([*species, *(s for f in fams for s in f.species)]))
        sp_index = {s: i for i, s in enumerate(self.species)}
        self.sp_index = sp_index
        self.present = np.zeros((len(fams), len(self.species)), dtype=bool)
        for i, f in enumerate(fams):
            self.present[i, [sp_index[s] for s in f.species]] = True
        # sites are ordered by the text "species::MSA_start::MSA_end"
        text_order = sorted(range(len(self.species)), key=lambda i: self.species[i] + "::")
        self.sp_text_rank = np.empty(len(self.species), dtype=np.int64)
        self.sp_text_rank[text_order] = np.arange(len(self.species))
        num_order = sorted(range(len(self.species)), key=lambda i: _numeric_key(self.species[i]))
        self.sp_num_rank = np.empty(len(self.species), dtype=np.int64)
        self.sp_num_rank[num_order] = np.arange(len(self.species))
        self.by_num_rank = [self.species[i] for i in num_order]
        self.n_words = (len(self.species) + 63) // 64
        self._text_cache: dict[object, str] = {}
        self._start_rank = np.zeros(1, dtype=np.int64)
        self.group_base = 0

    def _categorize(self, words: list[np.ndarray]) -> tuple[np.ndarray, list[str]]:
        """Species bit sets (uint64 words, numeric order) -> (category code per row, category texts)."""
        if len(words) == 1:
            uniq, codes = np.unique(words[0], return_inverse=True)
            keys: list = [(k,) for k in uniq.tolist()]
        else:
            stacked, codes = np.unique(np.stack(words, axis=1), axis=0, return_inverse=True)
            keys = [tuple(r) for r in stacked.tolist()]
        texts = []
        for key in keys:
            text = self._text_cache.get(key)
            if text is None:
                ranks = [64 * w + b for w, word in enumerate(key) for b in range(64) if word >> b & 1]
                text = self._text_cache[key] = " ".join(self.by_num_rank[r] for r in ranks)
            texts.append(text)
        return codes.reshape(-1), texts

    def start_rank(self, max_column: int) -> np.ndarray:
        """Rank of the text ``"<MSA_start>::"`` for MSA_start 0..max_column."""
        if self._start_rank.size <= max_column:
            n = max(max_column + 1, 2 * self._start_rank.size)
            order = sorted(range(n), key=lambda i: f"{i}::")
            rank = np.empty(n, dtype=np.int64)
            rank[order] = np.arange(n)
            self._start_rank = rank
        return self._start_rank

    def run(self, blocks: Sequence[tuple[str, list[UtrAlignment]]]) -> _Chunk:
        rows = [u for _g, b in blocks for u in b]
        gene_of_row = np.repeat(np.arange(len(blocks)), [len(b) for _g, b in blocks])
        row_species = np.array([self.sp_index[u.species] for u in rows], dtype=np.int64)
        sites = self._find(rows, row_species)
        return self._group(sites, blocks, gene_of_row, row_species)

    def _find(self, rows: list[UtrAlignment], row_species: np.ndarray) -> dict[str, np.ndarray]:
        nrows = len(rows)
        aligned = [u.aligned for u in rows]
        ungapped = [a.replace("-", "") for a in aligned]
        row_len = np.fromiter(map(len, aligned), dtype=np.int64, count=nrows)
        ung_len = np.fromiter(map(len, ungapped), dtype=np.int64, count=nrows)
        # rows without gaps, joined by an unpairable separator (also before the first row)
        raw = np.frombuffer(("\x00" + "\x00".join(ungapped) + "\x00").encode("ascii", "replace"), dtype=np.uint8)
        codes = _LUT[raw]
        seq_start = np.zeros(nrows, dtype=np.int64)
        np.cumsum(ung_len[:-1] + 1, out=seq_start[1:])
        seq_start += 1
        masked = self._mask(codes, seq_start, ung_len, ungapped)
        idx = _Index.from_codes(codes, seq_start, ung_len, buckets=False)
        fam, tix, local, typ = _classify(idx, self.seed_tab, offset=False)
        keep = self.present[fam, row_species[tix]]
        fam, tix, local, typ = fam[keep], tix[keep], local[keep], typ[keep].astype(np.int64)
        w = _WIDTH[typ]
        # alignment column of a letter: with the gapped rows concatenated, the letter of index U
        # (among all letters) sits at offset U + (number of gaps with at most U letters before them)
        row_off = np.zeros(nrows + 1, dtype=np.int64)
        np.cumsum(row_len, out=row_off[1:])
        gaps = np.flatnonzero(np.frombuffer("".join(aligned).encode("ascii", "replace"), dtype=np.uint8) == 45)
        letters_before_gap = gaps - np.arange(gaps.size)

        def offset(u: np.ndarray) -> np.ndarray:
            return u + np.searchsorted(letters_before_gap, u, side="right")

        u0 = seq_start[tix] + local - (tix + 1)  # index among all letters of the chunk
        c0 = offset(u0) - row_off[tix]
        c1 = offset(u0 + w - 1) - row_off[tix]
        # ORF overlap: a lowercase letter in columns c0+1..c1+1 (TargetScan reads one column to
        # the right): letters 2..w of the site, and the next letter if it sits in column c1+1
        lower = (raw >= ord("a")) & (raw <= ord("z")) & (raw != ord("t"))
        lower[masked] = False
        lowpos = np.flatnonzero(lower)
        p0 = seq_start[tix] + local  # site start in the joined codes
        n_low = np.searchsorted(lowpos, p0 + w, side="left") - np.searchsorted(lowpos, p0 + 1, side="left")
        has_next = local + w < ung_len[tix]
        adjacent = has_next & (offset(u0 + w) - row_off[tix] == c1 + 1)
        orf = (n_low > 0) | (adjacent & lower[np.minimum(p0 + w, raw.size - 1)])
        return {"fam": fam, "row": tix, "local": local, "typ": typ, "c0": c0, "c1": c1, "orf": orf}

    @staticmethod
    def _mask(codes: np.ndarray, seq_start: np.ndarray, ung_len: np.ndarray, ungapped: list[str]) -> np.ndarray:
        """Set the first MASK_NUCLEOTIDES nucleotides (A/C/G/U; not N/IUPAC) of every row unpairable.

        Returns their positions in ``codes``.
        """
        W = 2 * MASK_NUCLEOTIDES
        win = seq_start[:, None] + np.arange(W)
        inrow = np.arange(W) < ung_len[:, None]
        isnuc = inrow & (codes[np.minimum(win, codes.size - 1)] < 4)
        count = np.cumsum(isnuc, axis=1)
        positions = [win[isnuc & (count <= MASK_NUCLEOTIDES)]]
        # rows with fewer than 14 nucleotides among their first W letters (runs of N)
        for r in np.flatnonzero((count[:, -1] < MASK_NUCLEOTIDES) & (ung_len > W)).tolist():
            nts = [i for i, c in enumerate(ungapped[r]) if c in "ACGUTacgut"][:MASK_NUCLEOTIDES]
            positions.append(seq_start[r] + np.array(nts[int(count[r, -1]) :], dtype=np.int64))
        pos = np.concatenate(positions)
        codes[pos] = 4
        return pos

    def _group(
        self,
        s: dict[str, np.ndarray],
        blocks: Sequence[tuple[str, list[UtrAlignment]]],
        gene_of_row: np.ndarray,
        row_species: np.ndarray,
    ) -> _Chunk:
        n = s["fam"].size
        if n == 0:
            e = np.zeros(0, dtype=np.int64)
            return _Chunk(e, [], e, [], e, [], e, e, e, e, e, e, e, e, [], e, [], e)
        sp = row_species[s["row"]]
        gene = gene_of_row[s["row"]]
        c0, c1 = s["c0"], s["c1"]
        # key order: gene, family, then the text species::MSA_start (a (species, start) holds one site)
        start_rank = self.start_rank(int(c0.max()) + 1)
        order = _argsort_keys(gene, s["fam"], self.sp_text_rank[sp], start_rank[c0 + 1])
        fam, typ, sp, gene, c0, c1 = (a[order] for a in (s["fam"], s["typ"], sp, gene, c0, c1))
        row, local, orf = s["row"][order], s["local"][order], s["orf"][order]
        gf_key = gene * self.seed_tab.shape[0] + fam
        new_gf = np.empty(n, dtype=bool)
        new_gf[0] = True
        new_gf[1:] = gf_key[1:] != gf_key[:-1]
        gf = np.cumsum(new_gf) - 1
        rank = np.arange(n) - np.flatnonzero(new_gf)[gf]
        # clusters: chains of sites overlapping by >= MIN_GROUP_OVERLAP columns (any species)
        o2 = _argsort_keys(gf, c0)
        big = int(c1.max()) + 2
        cummax = np.maximum.accumulate(gf[o2] * big + c1[o2])
        prev_end = np.empty(n, dtype=np.int64)
        prev_end[0] = -1
        prev_end[1:] = cummax[:-1] - gf[o2][1:] * big
        new_cl = prev_end - c0[o2] + 1 < MIN_GROUP_OVERLAP
        cl_o2 = np.cumsum(new_cl) - 1
        cl = np.empty(n, dtype=np.int64)
        cl[o2] = cl_o2
        first = np.flatnonzero(new_cl)
        n_cl = first.size
        size = np.diff(np.append(first, n))
        max_start = np.maximum.reduceat(c0[o2], first)
        min_end = np.minimum.reduceat(c1[o2], first)
        o3 = _argsort_keys(cl, sp)
        same = (cl[o3][1:] == cl[o3][:-1]) & (sp[o3][1:] == sp[o3][:-1])
        dup = np.zeros(n_cl, dtype=bool)
        dup[cl[o3][1:][same]] = True
        # a cluster of one species each, all overlapping pairwise, is one group (TargetScan's
        # greedy grouping then links everything); anything else is grouped exactly below
        clique = (size >= 2) & ~dup & (min_end - max_start + 1 >= MIN_GROUP_OVERLAP)
        complex_ = (size >= 2) & ~clique
        o4 = _argsort_keys(cl, rank)  # members of each cluster in key order
        cl_first = np.flatnonzero(np.r_[True, cl[o4][1:] != cl[o4][:-1]])
        e1 = rank[o4][cl_first]
        e2 = np.where(size >= 2, rank[o4][np.minimum(cl_first + 1, n - 1)], 0)
        g_single = (size == 1).astype(np.int64)
        g_gf = gf[o4][cl_first]
        group = cl.copy()
        extra: list[tuple[int, int, int, int]] = []  # (gf, single, e1, e2) of groups n_cl, n_cl+1...
        for c in np.flatnonzero(complex_).tolist():
            gfc = int(g_gf[c])
            members = o4[cl_first[c] : cl_first[c] + size[c]].tolist()
            assigned: dict[int, int] = {}
            for a in members:
                for b in members:
                    if sp[a] == sp[b] or min(c1[a], c1[b]) - max(c0[a], c0[b]) + 1 < MIN_GROUP_OVERLAP:
                        continue
                    if a in assigned and b in assigned:
                        continue  # TargetScan never merges two existing groups
                    if a in assigned:
                        assigned[b] = assigned[a]
                    elif b in assigned:
                        assigned[a] = assigned[b]
                    else:
                        assigned[a] = assigned[b] = n_cl + len(extra)
                        extra.append((gfc, 0, int(rank[a]), int(rank[b])))
            for a in members:
                if a not in assigned:
                    assigned[a] = n_cl + len(extra)
                    extra.append((gfc, 1, int(rank[a]), 0))
                group[a] = assigned[a]
        if extra:
            ex = np.array(extra, dtype=np.int64).reshape(-1, 4)
            g_gf, g_single, e1, e2 = (np.concatenate((x, ex[:, i])) for i, x in enumerate((g_gf, g_single, e1, e2)))
        used = np.bincount(group, minlength=g_gf.size) > 0
        ids = np.flatnonzero(used)
        ids = ids[_argsort_keys(g_gf[ids], g_single[ids], e1[ids], e2[ids])]
        number = np.zeros(g_gf.size, dtype=np.int64)
        number[ids] = self.group_base + 1 + np.arange(ids.size)
        self.group_base += ids.size
        gnum = number[group]
        # output order: group number, then key order inside the group
        out = _argsort_keys(gnum, rank)
        gnum, fam, typ, sp, gene, c0, c1, row, local, orf = (
            a[out] for a in (gnum, fam, typ, sp, gene, c0, c1, row, local, orf)
        )
        gstart = np.flatnonzero(np.r_[True, gnum[1:] != gnum[:-1]])
        gsize = np.diff(np.append(gstart, n))
        gid = np.repeat(np.arange(gstart.size), gsize)
        gmask = np.bitwise_or.reduceat(_BIT[typ], gstart)
        # species lists as bit sets (one uint64 word per 64 species, numeric order), turned into
        # text once per distinct set
        nr = self.sp_num_rank[sp]
        one = np.uint64(1)
        words = [
            np.where(nr // 64 == w, np.left_shift(one, (nr % 64).astype(np.uint64)), np.uint64(0))
            for w in range(self.n_words)
        ]
        in_group, in_group_names = self._categorize([np.bitwise_or.reduceat(x, gstart)[gid] for x in words])
        with_type = np.zeros(n, dtype=np.int64)
        with_type_names = [""]
        mixed_rows = np.flatnonzero(((gmask & (gmask - 1)) != 0)[gid])  # groups of several site types
        if mixed_rows.size:
            holds = _CONTAINS[typ]
            row_bit = _BIT[typ[mixed_rows]]
            row_words = [np.zeros(mixed_rows.size, dtype=np.uint64) for _ in words]
            for bit in (1, 2, 4, 8):
                sel = row_bit == bit
                if not sel.any():
                    continue
                has = (holds & bit) > 0
                for w, x in enumerate(words):
                    per_group = np.bitwise_or.reduceat(np.where(has, x, np.uint64(0)), gstart)
                    row_words[w][sel] = per_group[gid[mixed_rows[sel]]]
            codes, names = self._categorize(row_words)
            with_type[mixed_rows] = codes + 1
            with_type_names += names
        return _Chunk(
            gene=gene,
            gene_names=[b[0] for b in blocks],
            family=fam,
            family_names=self.family_names,
            species=sp,
            species_names=self.species,
            msa_start=c0 + 1,
            msa_end=c1 + 1,
            utr_start=local + 1,
            utr_end=local + _WIDTH[typ],
            group_num=gnum,
            site_type=typ,
            group_type=gmask[gid],
            species_in_group=in_group,
            species_in_group_names=in_group_names,
            with_type=with_type,
            with_type_names=with_type_names,
            orf_overlap=orf.astype(np.int64),
        )


def _chunks(
    families: Sequence[MirnaFamily], utrs: Sequence[UtrAlignment], *, chunk_columns: int = _CHUNK_COLUMNS
) -> Iterator[_Chunk]:
    """TargetScan rows chunk by chunk (whole genes, in file order)."""
    if not families:
        raise InputError("no miRNA families given; give at least one (family, seed, species) row")
    blocks = _blocks(utrs)
    missing = species_without_families(families, utrs)
    if missing:
        log.warning(
            "%d UTR row(s) of %d species are in no family's species list and are not searched: %s",
            sum(missing.values()),
            len(missing),
            ", ".join(f"{s} ({n} rows)" for s, n in sorted(missing.items(), key=lambda kv: _numeric_key(kv[0]))),
        )
    engine = _Engine(families, list(dict.fromkeys(u.species for u in utrs)))
    batch: list[tuple[str, list[UtrAlignment]]] = []
    cols = 0
    for gene, rows in blocks:
        batch.append((gene, rows))
        cols += sum(len(u.aligned) for u in rows)
        if cols >= chunk_columns:
            yield engine.run(batch)
            batch, cols = [], 0
    if batch:
        yield engine.run(batch)


def targetscan_sites(
    families: Sequence[MirnaFamily], utrs: Sequence[UtrAlignment]
) -> list[dict[str, object]]:
    """TargetScan 7 site table rows (dicts keyed by :data:`TARGETSCAN_COLUMNS`).

    Rows come in TargetScan's order: gene (file order), family (text order),
    group number, then ``species::MSA_start`` text order inside a group.

    Parameters
    ----------
    families
        miRNA families (seed = miRNA 2-8, species in which each is present).
    utrs
        Aligned UTR rows; a gene is a block of adjacent rows.

    Raises
    ------
    InputError
        No families, two rows of one species in a gene, rows of one gene of different lengths.
    """
    return [d for chunk in _chunks(families, utrs) for d in chunk.dicts()]


def write_targetscan(rows: Sequence[dict[str, object]], path: str | os.PathLike[str]) -> None:
    """Write rows as TargetScan's tab-separated table (atomically)."""
    with atomic_write(path) as fh:
        fh.write("\t".join(TARGETSCAN_COLUMNS) + "\n")
        for r in rows:
            fh.write("\t".join(str(r[c]) for c in TARGETSCAN_COLUMNS) + "\n")


def run_targetscan(
    mir_family_file: str | os.PathLike[str],
    utr_file: str | os.PathLike[str],
    output: str | os.PathLike[str],
) -> int:
    """Read TargetScan 7 inputs, find and group sites, write the table; return the row count.

    The output is written atomically: on any error nothing is written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "f.txt").write_text("miR-124\\tAAGGCAC\\t9606\\n")
    >>> _ = (d / "u.txt").write_text("G\\t9606\\t" + "C" * 14 + "AAGUGCCUUAA\\n")
    >>> run_targetscan(d / "f.txt", d / "u.txt", d / "out.txt")
    1
    """
    families = read_targetscan_families(mir_family_file)
    utrs = read_targetscan_utrs(utr_file)
    n = 0
    with atomic_write(output, mode="wb") as fh:
        fh.write(("\t".join(TARGETSCAN_COLUMNS) + "\n").encode())
        for chunk in _chunks(families, utrs):
            chunk.write(fh)
            n += len(chunk)
    return n


def orf_lengths_and_8mers(
    families: Sequence[MirnaFamily], orfs: Sequence[UtrAlignment]
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, str, int]]]:
    """ORF lengths and 8mer site counts per ORF, as TargetScan 7's context++ inputs.

    Lengths are of the ORF with alignment gaps removed; 8mer sites (match to
    miRNA 2-8 followed by ``A``) are counted for every family seed in every
    species' ORF (case-insensitive), and only non-zero counts are listed.

    Returns
    -------
    lengths : list of (gene, species, length)
    counts : list of (gene, species, seed, number of 8mer sites)

    Examples
    --------
    >>> fams = [MirnaFamily("miR-124", "AAGGCAC", ("9606",))]
    >>> orf_lengths_and_8mers(fams, [UtrAlignment("G", "9606", "aug-GUGCCUUAaa")])
    ([('G', '9606', 13)], [('G', '9606', 'AAGGCAC', 1)])
    """
    lengths: list[tuple[str, str, int]] = []
    counts: list[tuple[str, str, str, int]] = []
    for orf in orfs:
        seq = orf.aligned.replace("-", "")
        lengths.append((orf.gene, orf.species, len(seq)))
        codes = encode(seq)
        kmers = kmer6_codes(codes)
        for fam in families:
            core, _off, c8, c2 = seed_codes("A" + fam.seed)
            _s, _e, types = classify_hits(
                codes, np.flatnonzero(kmers == core), np.zeros(0, np.int64), c8, c2
            )
            n = int(np.count_nonzero(types == 0))  # SITE_TYPES[0] == "8mer"
            if n:
                counts.append((orf.gene, orf.species, fam.seed, n))
    return lengths, counts


def run_orf(
    mir_family_file: str | os.PathLike[str],
    orf_file: str | os.PathLike[str],
    *,
    lengths_output: str | os.PathLike[str],
    counts_output: str | os.PathLike[str],
) -> tuple[int, int]:
    """Write TargetScan 7's ``ORF_Sequences.lengths.txt`` and ``ORF_8mer_counts.txt``.

    Returns the number of ORFs and of non-zero 8mer counts written.
    """
    lengths, counts = orf_lengths_and_8mers(read_targetscan_families(mir_family_file), read_targetscan_utrs(orf_file))
    with atomic_write(lengths_output) as fh:
        fh.writelines(f"{g}\t{s}\t{n}\n" for g, s, n in lengths)
    with atomic_write(counts_output) as fh:
        fh.writelines(f"{g}\t{s}\t{seed}\t{n}\n" for g, s, seed, n in counts)
    return len(lengths), len(counts)
