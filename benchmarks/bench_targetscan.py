"""``sites targetscan`` (TargetScan 7 site stage) as whole processes, measured in one run.

Compares, on synthetic alignments (species rows = a random ancestral UTR with 5%
substitutions and 1% gap columns per species; 120 families, 2/3 present in every
species, 1/3 in the first species only):

* the current implementation (``mirscope sites targetscan``, on the seed index);
* the previous implementation (``benchmarks/_targetscan_v0.py``, per-site generator);
* the slow rule-by-rule reference (``mirscope.sites._targetscan_reference``);
* ``mirscope sites scan-all`` on the same genes' first-species rows, gaps removed
  (one matching mature miRNA per family);

each as a fresh Python process (start-up, imports, reading, writing included).
Sizes: 100 genes x 5 species x 3 kb; 1,000 genes x 5 species x 3 kb; and peak memory
of the current implementation on 20,000 genes x 10 species (UTR lengths log-normal,
median 1 kb, as bench_sites). The reference is timed on 100 genes only (its output is
compared byte for byte with the current one); ``--quick`` runs only the 100-gene size.
Targets: >= 20x (100 genes) and >= 100x (1,000 genes) against the previous
implementation, within 3x of ``scan-all``, peak memory < 2 GB (20,000 genes).

Run: ``python -m benchmarks bench_targetscan`` or ``python benchmarks/bench_targetscan.py --quick``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N_FAMILIES = 120
SEED = 20261204
_BASES = np.frombuffer(b"ACGU", dtype=np.uint8)
_P = np.array([0.3, 0.2, 0.2, 0.3])
SPECIES = ("9606", "10090", "10116", "9615", "9031", "13616", "9544", "9913", "28377", "9598")


def write_inputs(
    folder: Path, *, n_genes: int, n_species: int, length: int | None, seed: int = SEED
) -> dict[str, Path]:
    """Write families, aligned UTRs, first-species FASTA and matures; return their paths.

    ``length=None`` draws UTR lengths log-normally (median 1 kb, 50 nt to 15 kb).
    """
    rng = np.random.default_rng(seed)
    species = SPECIES[:n_species]
    seeds: list[str] = []
    while len(seeds) < N_FAMILIES:
        s = _BASES[rng.choice(4, size=7, p=_P)].tobytes().decode()
        if s not in seeds:
            seeds.append(s)
    paths = {k: folder / f"{k}.txt" for k in ("families", "utrs", "fasta", "matures")}
    with paths["families"].open("w") as fh:
        for i, s in enumerate(seeds):
            sp = species if i % 3 else species[:1]
            fh.write(f"fam-{i}\t{s}\t{';'.join(sp)}\n")
    with paths["matures"].open("w") as fh:
        for i, s in enumerate(seeds):
            tail = _BASES[rng.choice(4, size=12)].tobytes().decode()
            fh.write(f">bench-miR-{i} MIMAT{i:07d}\nU{s}{tail}\n")
    if length is None:
        lengths = np.clip(rng.lognormal(np.log(1000.0), 0.76, n_genes), 50, 15_000).astype(np.int64)
    else:
        lengths = np.full(n_genes, length, dtype=np.int64)
    prefix = [f"\t{sp}\t".encode() for sp in species]
    with paths["utrs"].open("wb") as utr, paths["fasta"].open("wb") as fa:
        for g in range(n_genes):
            L = int(lengths[g])
            anc = _BASES[rng.choice(4, size=L, p=_P)]
            rows = np.tile(anc, (n_species, 1))
            sub = rng.random((n_species, L)) < 0.05
            sub[0] = False
            rows[sub] = _BASES[rng.integers(0, 4, size=int(sub.sum()))]
            rows[rng.random((n_species, L)) < 0.01] = ord("-")
            name = f"G{g:06d}".encode()
            for j in range(n_species):
                utr.write(name + prefix[j] + rows[j].tobytes() + b"\n")
            fa.write(b">" + name + b"\n" + rows[0][rows[0] != ord("-")].tobytes() + b"\n")
    return paths


_CHILD = """
import resource, sys, time
t0 = time.perf_counter()
{body}
r = resource.getrusage(resource.RUSAGE_SELF)
print("RESULT", time.perf_counter() - t0, r.ru_maxrss, r.ru_utime + r.ru_stime)
"""


def _run(body: str) -> tuple[float, float, float]:
    """Whole-process wall time (s, from before interpreter start), peak RSS (MB), CPU time (s) of a child."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD.format(body=body)],
        capture_output=True, text=True, check=False, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr[-2000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")][-1]
    return wall, int(line.split()[2]) / 1024, float(line.split()[3])


def _cli(args: list[str]) -> str:
    return f"from mirscope.cli import main\nassert main({args!r}) == 0"


def _measure(folder: Path, *, previous: bool, reference: bool) -> dict[str, tuple[float, float, float]]:
    p = {k: str(v) for k, v in write_inputs(folder, **_SIZES[folder.name]).items()}
    out = {}
    out["current"] = _run(_cli(["sites", "targetscan", p["families"], p["utrs"], str(folder / "fast.txt")]))
    out["scan-all"] = _run(
        _cli(["sites", "scan-all", "--fasta", p["fasta"], "--mirnas", p["matures"], "-o", str(folder / "s.parquet")])
    )
    if previous:
        out["previous"] = _run(
            "from benchmarks._targetscan_v0 import main\n"
            f"main([{p['families']!r}, {p['utrs']!r}, {str(folder / 'v0.txt')!r}])"
        )
    if reference:
        out["reference"] = _run(
            "from mirscope.sites._targetscan_reference import targetscan_sites_reference as ref\n"
            "from mirscope.sites.io import read_targetscan_families as rf, read_targetscan_utrs as ru\n"
            "from mirscope.sites.targetscan import write_targetscan\n"
            f"write_targetscan(ref(rf({p['families']!r}), ru({p['utrs']!r})), {str(folder / 'ref.txt')!r})"
        )
        same = (folder / "ref.txt").read_bytes() == (folder / "fast.txt").read_bytes()
        out["identical"] = (float(same), 0.0, 0.0)
    out["rows"] = (float(len((folder / "fast.txt").read_bytes().splitlines()) - 1), 0.0, 0.0)
    return out


_SIZES: dict[str, dict] = {
    "g100": {"n_genes": 100, "n_species": 5, "length": 3000},
    "g1000": {"n_genes": 1000, "n_species": 5, "length": 3000},
    "g20000": {"n_genes": 20_000, "n_species": 10, "length": None},
}


def main(argv: list[str] | None = None) -> None:
    args = [] if argv is None else argv
    quick = "--quick" in args or os.environ.get("MIRSCOPE_BENCH_QUICK", "") not in ("", "0")
    root = Path(__file__).resolve().parents[1]
    os.environ["PYTHONPATH"] = os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])
    with tempfile.TemporaryDirectory() as tmp:
        res = {}
        for name in ("g100",) if quick else ("g100", "g1000"):
            folder = Path(tmp) / name
            folder.mkdir()
            res[name] = _measure(folder, previous=True, reference=name == "g100")
        for name, r in res.items():
            s = _SIZES[name]
            (cur, cur_mb, cur_cpu), (scan, _mb, scan_cpu) = r["current"], r["scan-all"]
            print(f"{s['n_genes']:,} genes x {s['n_species']} species x {s['length']} nt, {N_FAMILIES} families: "
                  f"{int(r['rows'][0]):,} site rows; wall s (CPU s) of whole processes")
            print(f"  current   {cur:7.2f} ({cur_cpu:6.2f})  peak {cur_mb:.0f} MB")
            print(f"  scan-all  {scan:7.2f} ({scan_cpu:6.2f})  first species only, gaps removed -> "
                  f"current / scan-all = {cur / scan:.2f}x wall, {cur_cpu / scan_cpu:.2f}x CPU (target <= 3x)")
            target = 20 if s["n_genes"] == 100 else 100
            prev, _mb, prev_cpu = r["previous"]
            print(f"  previous  {prev:7.2f} ({prev_cpu:6.2f})  -> speed-up {prev / cur:.1f}x wall, "
                  f"{prev_cpu / cur_cpu:.1f}x CPU (target >= {target}x)")
            if "reference" in r:
                ref, _mb, ref_cpu = r["reference"]
                print(f"  reference {ref:7.2f} ({ref_cpu:6.2f})  -> speed-up {ref / cur:.1f}x wall, "
                      f"{ref_cpu / cur_cpu:.1f}x CPU; output identical to the reference: {bool(r['identical'][0])}")
        if not quick:
            folder = Path(tmp) / "g20000"
            folder.mkdir()
            p = write_inputs(folder, **_SIZES["g20000"])
            mb = p["utrs"].stat().st_size / 1e6
            wall, peak, cpu = _run(_cli(["sites", "targetscan", str(p["families"]), str(p["utrs"]), str(folder / "o.txt")]))
            n = len((folder / "o.txt").read_bytes().splitlines()) - 1
            print(f"20,000 genes x 10 species (log-normal lengths, {mb:.0f} MB alignment), {N_FAMILIES} families: "
                  f"{wall:.1f} s wall ({cpu:.1f} s CPU), {n:,} site rows, peak RSS {peak:.0f} MB (target < 2048 MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
