"""Benchmark: the all-miRNA pan-cancer atlas (every miRNA x 18 shipped cohorts, target < 60 s).

Measures, in the same run:

* ``atlas_all()`` over the 18 shipped cohorts (Wilcoxon, log-rank and Cox vectorised across
  miRNAs), cold (cohort files parsed) and warm (cohorts already loaded);
* the reference: a per-miRNA loop, ``AtlasFitter().fit(mirna)`` once per miRNA (cohorts
  already loaded), on a random subset of ``N_LOOP`` miRNAs, extrapolated to all miRNAs.

The loop's rows are checked to equal the vectorised table's on the shared miRNAs.
"""

from __future__ import annotations

import time

import numpy as np

N_LOOP = 30


def main() -> None:
    from mirscope.clinical import atlas as mod
    from mirscope.clinical.atlas import SHIPPED_COHORTS, AtlasFitter, atlas_all

    mod._load_cached.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    tab = atlas_all()
    t_cold, c_cold = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    tab = atlas_all()
    t_warm, c_warm = time.perf_counter() - t0, time.process_time() - c0
    mirnas = sorted(tab["mirna"].unique())
    n_mir = len(mirnas)
    rng = np.random.default_rng(0)
    pick = [mirnas[i] for i in rng.choice(n_mir, size=N_LOOP, replace=False)]
    fitter = AtlasFitter()
    t0, c0 = time.perf_counter(), time.process_time()
    worst = 0.0
    n_done = 0
    for m in pick:
        try:
            r = fitter.fit(m).result_.summary
        except Exception:  # names miRBase no longer resolves the same way: skip, counted
            continue
        n_done += 1
        sub = tab[tab["mirna"] == m].set_index("cohort")
        for k in ("log2fc", "wilcoxon_p", "cox_hr", "cox_p", "logrank_p"):
            a, b = sub[k].reindex(r.index).to_numpy(float), r[k].to_numpy(float)
            ok = ~(np.isnan(a) | np.isnan(b))
            if ok.any():
                worst = max(worst, float(np.max(np.abs(a[ok] - b[ok]) / np.maximum(np.abs(b[ok]), 1e-300))))
    t_loop, c_loop = time.perf_counter() - t0, time.process_time() - c0
    per = t_loop / max(n_done, 1)
    per_cpu = c_loop / max(n_done, 1)
    print(f"cohorts: {len(SHIPPED_COHORTS)}, miRNAs (distinct precursor sets): {n_mir}, rows: {len(tab)}")
    import os

    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores (wall times grow with load; CPU times do not)")
    print(f"atlas_all, cold (parse files): {t_cold:.2f} s wall, {c_cold:.2f} s CPU   (target < 60 s)")
    print(f"atlas_all, warm (cohorts loaded): {t_warm:.2f} s wall, {c_warm:.2f} s CPU")
    print(f"per-miRNA loop: {n_done} miRNAs in {t_loop:.2f} s wall = {per:.3f} s/miRNA "
          f"({per_cpu:.3f} s CPU); extrapolated to {n_mir} miRNAs: {per * n_mir:.0f} s wall, "
          f"{per_cpu * n_mir:.0f} s CPU")
    print(f"speed-up of the vectorised atlas over the loop (warm): {per * n_mir / t_warm:.0f}x wall, "
          f"{per_cpu * n_mir / c_warm:.0f}x CPU")
    print(f"max relative difference loop vs vectorised on shared miRNAs: {worst:.1e}")


if __name__ == "__main__":
    main()
