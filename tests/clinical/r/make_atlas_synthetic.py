"""Write the synthetic cohorts of tests/data/atlas/synthetic (TCGA layout), fixed seed.

    python tests/clinical/r/make_atlas_synthetic.py

Twelve small cohorts that vary what real cohorts rarely combine: very few pairs (exact
Wilcoxon), many zeros and ties, tied and non-positive follow-up times, no events, no normals,
several samples of one patient and type (the first barcode counts), metastatic samples,
patients without a clinical row, with or without an RPM file. Their reference numbers come
from R (``atlas_references.R``), written before the Python side was run on them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[2] / "data" / "atlas" / "synthetic"
PRECURSORS = ["hsa-let-7a-1", "hsa-let-7a-2", "hsa-let-7a-3", "hsa-mir-21", "hsa-mir-124-1",
              "hsa-mir-124-2", "hsa-mir-124-3", "hsa-mir-155", "hsa-mir-99a"]

# (patients, fraction with a normal, zero inflation, event rate, time grid, rpm file)
DESIGNS = [
    (8, 1.0, 0.0, 0.6, 1, True),
    (15, 0.5, 0.3, 0.5, 30, False),
    (40, 0.3, 0.6, 0.4, 1, True),
    (60, 0.9, 0.1, 0.0, 1, False),  # no events
    (25, 0.0, 0.2, 0.7, 90, True),  # no normals
    (120, 0.5, 0.0, 0.3, 1, False),  # >= 50 pairs: normal approximation
    (6, 1.0, 0.0, 0.9, 365, True),
    (80, 0.4, 0.8, 0.5, 30, False),  # mostly zero reads
    (35, 0.6, 0.0, 0.5, 1, True),
    (50, 1.0, 0.4, 0.6, 7, False),
    (12, 0.8, 0.5, 0.8, 1, True),
    (90, 0.2, 0.2, 0.2, 180, False),
]


def cohort(i: int, design: tuple, rng: np.random.Generator) -> None:  # type: ignore[type-arg]
    n, fnorm, zinf, erate, grid, with_rpm = design
    name = f"SYN{i + 1:02d}"
    rows = []
    for p in range(n):
        pid = f"TCGA-S{i:01X}-{p:04d}"
        types = ["01"] + (["11"] if rng.random() < fnorm else [])
        if rng.random() < 0.08:
            types.append("01")  # a second tumour sample (vial B): not the first barcode
        if rng.random() < 0.05:
            types.append("06")  # metastatic: ignored
        for k, t in enumerate(types):
            vial = "B" if (t == "01" and k > 0) else "A"
            rows.append((f"{pid}-{t}{vial}", pid.lower(), t))
    meta = pd.DataFrame(rows, columns=["sample_barcode", "patient_barcode", "sample_type"])
    m = len(meta)
    base = rng.lognormal(mean=[6, 7, 6, 9, 1, 0.5, 1, 4, 11], sigma=0.8, size=(m, len(PRECURSORS)))
    shift = np.where(meta["sample_type"].to_numpy() == "11", rng.normal(0, 0.7), 0.0)
    lam = base * np.exp(shift)[:, None]
    counts = rng.poisson(lam)
    counts[:, 4:7] *= rng.random((m, 3)) >= zinf  # zero inflation of the low miRNA
    counts[:, 7] *= rng.random(m) >= zinf / 2
    counts[:, -1] += 1000  # every sample has reads
    cdf = pd.concat([meta, pd.DataFrame(counts, columns=PRECURSORS)], axis=1)
    cdf.to_csv(OUT / f"{name}.mirna_counts.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})
    if with_rpm:
        rpm = np.round(counts / counts.sum(axis=1, keepdims=True) * 1e6, 6)
        pd.concat([meta, pd.DataFrame(rpm, columns=PRECURSORS)], axis=1).to_csv(
            OUT / f"{name}.mirna_rpm.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})
    pats = sorted(set(meta["patient_barcode"]))
    pats = [p for p in pats if rng.random() > 0.05]  # some patients lack a clinical row
    days = np.ceil(rng.exponential(900, len(pats)) / grid) * grid
    days[rng.random(len(pats)) < 0.05] = 0  # zero time
    days[rng.random(len(pats)) < 0.03] = -5  # negative time
    event = (rng.random(len(pats)) < erate).astype(float)
    clin = pd.DataFrame({"patient_barcode": pats, "os_days": days, "os_event": event})
    clin.loc[rng.random(len(pats)) < 0.04, "os_days"] = np.nan
    clin.to_csv(OUT / f"{name}.clinical.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261204)
    for i, d in enumerate(DESIGNS):
        cohort(i, d, rng)


if __name__ == "__main__":
    main()
