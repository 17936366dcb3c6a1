"""Regenerate generated/: random alignments and TargetScan 7.0's own site tables for them.

Usage (from the repository root; needs perl and an unmodified ``targetscan_70.pl``,
which is not part of mirscope)::

    PYTHONPATH=src python tests/data/sites/differential/make_generated.py /path/to/targetscan_70.pl

Writes ``generated/{families,utrs,expected}_gN`` for N = 1..16 (then gzip the UTR and expected files).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from mirscope.sites._synthetic import SPECIES, synthetic_targetscan_input, write_targetscan_input

OUT = Path(__file__).resolve().parent / "generated"


def main(script: str) -> None:
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


if __name__ == "__main__":
    main(sys.argv[1])
