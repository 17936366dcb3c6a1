"""Regenerate generated/: random alignments and TargetScan 7.0's own site tables for them.

Usage (from the repository root; needs perl, BioPerl and Statistics::Lite, and the unmodified
TargetScan 7.0 scripts, which are not part of mirscope)::

    PYTHONPATH=src python tests/data/sites/differential/make_generated.py TS70_DIR BL_PCT_DIR

``TS70_DIR`` holds ``targetscan_70.pl``, ``BL_PCT_DIR`` the BL/PCT bundle
(``targetscan_70_BL_bins.pl``, ``targetscan_70_BL_PCT.pl``, ``PCT_parameters/``).
Writes ``generated/{families,utrs,expected}_gN`` for N = 1..16 and, for N = 101..104 (seeds that
have P_CT parameters), also ``bins_gN`` and ``bl_pct_gN`` (then gzip the UTR and expected files).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from mirscope.sites._synthetic import SPECIES, synthetic_targetscan_input, write_targetscan_input

OUT = Path(__file__).resolve().parent / "generated"


def _pct_seeds(bl_pct_dir: Path) -> tuple[str, ...]:
    lines = (bl_pct_dir / "PCT_parameters" / "8mer_PCT_parameters.txt").read_text().splitlines()[1:]
    return tuple(line.split("\t")[0] for line in lines if line.strip())


def main(ts70_dir: str, bl_pct_dir: str) -> None:
    script = str(Path(ts70_dir) / "targetscan_70.pl")
    bl = Path(bl_pct_dir)
    OUT.mkdir(exist_ok=True)
    for seed in range(1, 17):
        rng = np.random.default_rng(seed)
        fams, utrs = synthetic_targetscan_input(
            rng,
            n_genes=25,
            length=[40, 120, 400][seed % 3],
            n_families=25,
            species=SPECIES[: 3 + seed % 6],
            sites_per_gene=[6, 15, 30][seed % 3],
        )
        ff, uf, ef = (OUT / f"{k}_g{seed}.txt" for k in ("families", "utrs", "expected"))
        write_targetscan_input(fams, utrs, ff, uf)
        ef.unlink(missing_ok=True)
        subprocess.run(["perl", script, str(ff), str(uf), str(ef)], check=True, stdout=subprocess.DEVNULL,
                       cwd=Path(script).parent)
    seeds = _pct_seeds(bl)
    for seed in range(101, 105):
        rng = np.random.default_rng(seed)
        fams, utrs = synthetic_targetscan_input(
            rng, n_genes=20, length=300, n_families=20, species=SPECIES, sites_per_gene=25, seeds=seeds
        )
        ff, uf, ef, bf, pf = (
            OUT / f"{k}_g{seed}.txt" for k in ("families", "utrs", "expected", "bins", "bl_pct")
        )
        write_targetscan_input(fams, utrs, ff, uf)
        ef.unlink(missing_ok=True)
        subprocess.run(["perl", script, str(ff), str(uf), str(ef)], check=True, stdout=subprocess.DEVNULL,
                       cwd=Path(script).parent)
        with bf.open("w") as fh:
            subprocess.run(["perl", "targetscan_70_BL_bins.pl", str(uf)], check=True, stdout=fh, cwd=bl)
        with pf.open("w") as fh:
            subprocess.run(["perl", "targetscan_70_BL_PCT.pl", str(ff), str(ef), str(bf)], check=True, stdout=fh,
                           cwd=bl)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
