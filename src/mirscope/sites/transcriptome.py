"""Transcriptome-scale seed-site scanning streamed to Parquet, on one machine or with Dask.

All transcripts are joined into one byte array (separated by an unpairable
code), encoded as 2-bit codes, and the 6-mer code of every position is computed
once with numpy. Positions are bucketed by 6-mer with one stable radix sort;
each miRNA seed (miRNA 2-8; miRNAs sharing it share their sites) then reads
its hits straight from the bucket of its 2-7 match and of its offset (3-8)
match, and the flanking bases decide the site type — with no per-position
Python loop. Sites are written in row batches to Parquet, so the full site set
is never held in memory.

Output columns: ``transcript``, ``start``, ``end`` (1-based, inclusive; on a
circle ``end`` may exceed the length, see :mod:`mirscope.sites.scan`),
``site_type``, ``mirna``.

Examples
--------
>>> import tempfile, pathlib, pyarrow.parquet as pq
>>> out = pathlib.Path(tempfile.mkdtemp()) / "s.parquet"
>>> stats = scan_transcriptome({"t": "AAGUGCCUUAA"}, {"miR-124": "UAAGGCACGCGGUGAAUGCC"}, out)
>>> stats.n_sites, pq.read_table(out).to_pylist()[0]["site_type"]
(1, '8mer')
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from mirscope.errors import InputError, MissingDependencyError
from mirscope.schema import SITE_TYPES
from mirscope.sites.io import SEED_LENGTH
from mirscope.sites.seeds import SITE_CODE, encode, group_by_seed, kmer6_codes, seed_codes

__all__ = ["ScanStats", "read_sites_parquet", "scan_transcriptome", "scan_transcriptome_dask"]

log = logging.getLogger(__name__)

_PAD = 8  # circular sequences are read with 8 nt of wrap-around on each side
_WIDTH = np.array([8, 7, 7, 6, 6], dtype=np.int32)  # by SITE_TYPES index


@dataclass(frozen=True)
class ScanStats:
    """Counts and timing of one transcriptome scan.

    Attributes
    ----------
    n_sites, n_transcripts, n_mirnas, n_seeds, n_nucleotides
        What was scanned and found.
    seconds
        Wall time of the scan, including writing.
    output
        Where the sites were written.
    index_seconds, write_seconds
        Parts of ``seconds`` spent encoding and bucketing the transcriptome,
        and building and writing the Parquet batches.
    """

    n_sites: int
    n_transcripts: int
    n_mirnas: int
    n_seeds: int
    n_nucleotides: int
    seconds: float
    output: str
    index_seconds: float = 0.0
    write_seconds: float = 0.0


class _Index:
    """The joined, encoded transcriptome with a 6-mer bucket index."""

    def __init__(self, sequences: Mapping[str, str], *, circular: bool) -> None:
        self.ids = list(sequences)
        lengths = np.fromiter((len(s) for s in sequences.values()), dtype=np.int64, count=len(self.ids))
        short = np.flatnonzero(lengths < (_PAD if circular else SEED_LENGTH))
        if short.size:
            tid = self.ids[int(short[0])]
            raise InputError(
                f"sequence {tid!r} is {int(lengths[short[0]])} nt, shorter than a seed match; "
                "remove it or use longer sequences"
            )
        if circular:
            parts = (s[-_PAD:] + s + s[:_PAD] for s in sequences.values())
            pre = _PAD
        else:
            parts = iter(sequences.values())
            pre = 0
        # unpairable separators before, between and after the transcripts
        self.codes = encode("\x00" + "\x00".join(parts) + "\x00")
        piece = lengths + 2 * pre + 1
        self.seq_start = np.concatenate(([0], np.cumsum(piece)[:-1])) + pre + 1
        self.lengths = lengths
        self._bucket()

    @classmethod
    def from_codes(
        cls, codes: np.ndarray, seq_start: np.ndarray, lengths: np.ndarray, *, buckets: bool = True
    ) -> _Index:
        """An index over already joined 2-bit codes (sequences separated by a code >= 4).

        With ``buckets=False`` the 6-mer codes are kept but not sorted into buckets;
        :meth:`hits` then finds the queried 6-mers with one table look-up per
        position, which is faster when few seeds are queried once (a few hundred
        families rather than thousands of miRNAs).
        """
        obj = cls.__new__(cls)
        obj.ids = list(range(lengths.size))
        obj.codes = codes
        obj.seq_start = seq_start
        obj.lengths = lengths
        if buckets:
            obj._bucket()
        else:
            obj.kmers = kmer6_codes(codes)
        return obj

    def _bucket(self) -> None:
        kmers = kmer6_codes(self.codes)
        self.order = np.argsort(kmers, kind="stable").astype(np.int64, copy=False)
        self.bounds = np.concatenate(([0], np.cumsum(np.bincount(kmers, minlength=4097))))
        del kmers

    def hits(self, codes6: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of every 6-mer in ``codes6`` and the index of the query each belongs to.

        Hits are grouped by query (in query order), in sequence order within a query.
        """
        if not hasattr(self, "order"):
            return self._scan_hits(codes6)
        lo = self.bounds[codes6]
        cnt = self.bounds[codes6 + 1] - lo
        total = int(cnt.sum())
        owner = np.repeat(np.arange(codes6.size), cnt)
        first = np.repeat(lo - np.concatenate(([0], np.cumsum(cnt)[:-1])), cnt)
        return self.order[first + np.arange(total)], owner

    def _scan_hits(self, codes6: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        wanted = np.zeros(4097, dtype=bool)
        wanted[codes6] = True
        pos = np.flatnonzero(wanted[self.kmers])
        # queries sharing a 6-mer share its hits: expand each hit to every such query
        q_order = np.argsort(codes6, kind="stable")
        per_code = np.bincount(codes6, minlength=4097)
        q_first = np.concatenate(([0], np.cumsum(per_code)[:-1]))
        code = self.kmers[pos]
        reps = per_code[code]
        hit = np.repeat(np.arange(pos.size), reps)
        within = np.arange(hit.size) - np.repeat(np.cumsum(reps) - reps, reps)
        owner = q_order[q_first[code][hit] + within]
        by_owner = np.argsort(owner, kind="stable")
        return pos[hit][by_owner], owner[by_owner]


def _classify(
    idx: _Index, seed_tab: np.ndarray, *, offset: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sites of a block of seeds: (seed index, transcript index, 0-based start, type code).

    Rows are grouped by seed (matches to 2-7 first, then offset matches unless
    ``offset`` is false), in transcriptome order within each; no further sorting is done.
    """
    codes = idx.codes
    L = codes.size
    core_pos, core_owner = idx.hits(seed_tab[:, 0])
    prev = codes[np.maximum(core_pos - 1, 0)]
    nxt = codes[np.minimum(core_pos + 6, L - 1)]
    m8 = prev == seed_tab[core_owner, 2]
    a1 = nxt == 0
    typ = np.full(core_pos.size, SITE_CODE["6mer"], dtype=np.int8)
    typ[a1] = SITE_CODE["7mer-A1"]
    typ[m8] = SITE_CODE["7mer-m8"]
    typ[m8 & a1] = SITE_CODE["8mer"]
    start = core_pos - m8
    if not offset:
        tix = np.searchsorted(idx.seq_start, start, side="right") - 1
        local = start - idx.seq_start[tix]
        ok = (local >= 0) & (local < idx.lengths[tix])
        return core_owner[ok], tix[ok], local[ok], typ[ok]
    off_pos, off_owner = idx.hits(seed_tab[:, 1])
    keep = codes[np.minimum(off_pos + 6, L - 1)] != seed_tab[off_owner, 3]
    off_pos = off_pos[keep]
    owner = np.concatenate((core_owner, off_owner[keep]))
    start = np.concatenate((start, off_pos))
    typ = np.concatenate((typ, np.full(off_pos.size, SITE_CODE["offset-6mer"], dtype=np.int8)))
    tix = np.searchsorted(idx.seq_start, start, side="right") - 1
    local = start - idx.seq_start[tix]
    ok = (local >= 0) & (local < idx.lengths[tix])
    return owner[ok], tix[ok], local[ok], typ[ok]


def _arrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:  # pragma: no cover - pyarrow is a core dependency
        raise MissingDependencyError("Parquet output needs pyarrow: pip install pyarrow") from err
    return pa, pq


def scan_transcriptome(
    sequences: Mapping[str, str],
    mirnas: Mapping[str, str],
    output: str | os.PathLike[str],
    *,
    circular: bool = False,
    batch_rows: int = 4_000_000,
) -> ScanStats:
    """Find every seed site of every miRNA in every transcript and stream them to Parquet.

    Parameters
    ----------
    sequences
        Transcript id -> RNA/DNA sequence (``N``/IUPAC never pair).
    mirnas
        miRNA name -> mature sequence.
    output
        Parquet file to write (atomically: a temporary file renamed on success).
    circular
        Treat every transcript as circular (sites through the junction).
    batch_rows
        Upper bound on rows held in memory before a batch is written.

    Returns
    -------
    ScanStats

    Raises
    ------
    InputError
        Empty inputs or a sequence shorter than a seed.
    """
    pa, pq = _arrow()
    t0 = time.perf_counter()
    if not sequences:
        raise InputError("no transcripts to scan; give at least one sequence")
    if not mirnas:
        raise InputError("no miRNAs to scan for; give at least one mature sequence")
    out = Path(output)
    if not out.parent.exists():
        raise InputError(f"output directory {str(out.parent)!r} does not exist; create it first")
    groups = group_by_seed(dict(mirnas))
    seeds = list(groups)
    seed_tab = np.array([seed_codes("A" + s) for s in seeds], dtype=np.int64).reshape(-1, 4)
    mirna_names = [n for s in seeds for n in groups[s]]
    mirna_index = {n: i for i, n in enumerate(mirna_names)}
    members = [np.array([mirna_index[n] for n in groups[s]], dtype=np.int32) for s in seeds]
    n_members = np.array([m.size for m in members], dtype=np.int64)
    member_flat = np.concatenate(members)
    member_first = np.concatenate(([0], np.cumsum(n_members)[:-1]))

    t_index = time.perf_counter()
    idx = _Index(sequences, circular=circular)
    t_index = time.perf_counter() - t_index
    t_write = 0.0
    tdict = pa.array(idx.ids, type=pa.string())
    sdict = pa.array(list(SITE_TYPES), type=pa.string())
    mdict = pa.array(mirna_names, type=pa.string())
    schema = pa.schema(
        [
            ("transcript", pa.dictionary(pa.int32(), pa.string())),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("site_type", pa.dictionary(pa.int8(), pa.string())),
            ("mirna", pa.dictionary(pa.int32(), pa.string())),
        ]
    )
    # expected hits per seed ~ 2 * N / 4096; size seed blocks to keep batches bounded
    per_seed = max(1.0, 2.0 * idx.codes.size / 4096.0 * float(n_members.mean()))
    block = max(1, int(batch_rows / per_seed))
    n_sites = 0
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            for b0 in range(0, len(seeds), block):
                sl = slice(b0, min(b0 + block, len(seeds)))
                owner, tix, local, typ = _classify(idx, seed_tab[sl])
                if owner.size == 0:
                    continue
                tw = time.perf_counter()
                g = owner + b0
                reps = n_members[g]
                # one row per (site, miRNA of the seed)
                row_site = np.repeat(np.arange(owner.size), reps)
                within = np.arange(row_site.size) - np.repeat(np.cumsum(reps) - reps, reps)
                mir = member_flat[member_first[g][row_site] + within]
                start = local[row_site] + 1
                t = typ[row_site]
                batch = pa.record_batch(
                    [
                        pa.DictionaryArray.from_arrays(pa.array(tix[row_site].astype(np.int32)), tdict),
                        pa.array(start.astype(np.int32)),
                        pa.array((start + _WIDTH[t] - 1).astype(np.int32)),
                        pa.DictionaryArray.from_arrays(pa.array(t), sdict),
                        pa.DictionaryArray.from_arrays(pa.array(mir), mdict),
                    ],
                    schema=schema,
                )
                writer.write_batch(batch)
                n_sites += batch.num_rows
                t_write += time.perf_counter() - tw
        os.replace(tmp, out)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise
    return ScanStats(
        n_sites=n_sites,
        n_transcripts=len(idx.ids),
        n_mirnas=len(mirna_names),
        n_seeds=len(seeds),
        n_nucleotides=int(idx.lengths.sum()),
        seconds=time.perf_counter() - t0,
        output=str(out),
        index_seconds=t_index,
        write_seconds=t_write,
    )


def _partition(sequences: Mapping[str, str], n: int) -> list[dict[str, str]]:
    """Split transcripts into ``n`` contiguous parts of similar total length."""
    items = list(sequences.items())
    total = sum(len(s) for _, s in items)
    target = total / n
    parts: list[dict[str, str]] = [{}]
    acc = 0
    for k, s in items:
        if acc >= target * len(parts) and len(parts) < n:
            parts.append({})
        parts[-1][k] = s
        acc += len(s)
    return [p for p in parts if p]


def scan_transcriptome_dask(
    sequences: Mapping[str, str],
    mirnas: Mapping[str, str],
    output_dir: str | os.PathLike[str],
    *,
    circular: bool = False,
    partitions: int = 4,
    scheduler: str | None = None,
) -> list[ScanStats]:
    """The same scan partitioned by transcript with Dask; one Parquet file per part.

    Parameters
    ----------
    sequences, mirnas, circular
        As :func:`scan_transcriptome`.
    output_dir
        Directory (created) that receives ``part-00000.parquet``...; read it back
        with :func:`read_sites_parquet`.
    partitions
        Number of transcript partitions (tasks).
    scheduler
        ``None``: start a ``distributed.LocalCluster``; ``"threads"``,
        ``"processes"`` or ``"synchronous"``: a local Dask scheduler; anything
        else is a scheduler address (``tcp://host:8786``) to connect to, e.g. a
        dask-jobqueue SLURM cluster.

    Returns
    -------
    list of ScanStats
        One per partition.
    """
    try:
        import dask
    except ImportError as err:  # pragma: no cover
        raise MissingDependencyError("distributed scans need dask: pip install 'dask[distributed]'") from err
    if partitions < 1:
        raise InputError(f"partitions must be >= 1, got {partitions}")
    if not sequences:
        raise InputError("no transcripts to scan; give at least one sequence")
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.parquet"):
        old.unlink()
    tasks = [
        dask.delayed(scan_transcriptome)(
            part, dict(mirnas), str(out / f"part-{i:05d}.parquet"), circular=circular
        )
        for i, part in enumerate(_partition(sequences, partitions))
    ]
    local: tuple[Literal["threads", "processes", "synchronous"], ...] = ("threads", "processes", "synchronous")
    if scheduler in local:
        return list(dask.compute(*tasks, scheduler=scheduler))
    from distributed import Client, LocalCluster

    if scheduler is None:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(
            cluster
        ) as client:
            return list(client.compute(tasks, sync=True))
    with Client(scheduler) as client:
        return list(client.compute(tasks, sync=True))


def read_sites_parquet(path: str | os.PathLike[str]):  # -> pandas.DataFrame
    """Read sites written by :func:`scan_transcriptome` (a file) or the Dask scan (a directory).

    Returns a pandas DataFrame with plain string columns.
    """
    import pandas as pd

    _pa, pq = _arrow()
    p = Path(path)
    files = sorted(p.glob("part-*.parquet")) if p.is_dir() else [p]
    if not files:
        raise InputError(f"no Parquet site files in {str(p)!r}")
    frames = []
    for f in files:
        part = pq.read_table(f).to_pandas()
        for c in ("transcript", "site_type", "mirna"):
            part[c] = part[c].astype(str)
        frames.append(part)
    non_empty = [f for f in frames if len(f)] or frames[:1]
    return pd.concat(non_empty, ignore_index=True)
