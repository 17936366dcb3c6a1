"""Write the clinical test tables in tests/data/clinical/ (run once; the outputs are committed).

Synthetic tables come from a fixed seed; the real ones are subsets of the TCGA tables shipped in
``src/mirscope/data/tcga`` (see its SOURCE.md). R scripts in this folder compute the reference
numbers from these tables::

    .venv/bin/python tests/clinical/r/make_tables.py
    Rscript tests/clinical/r/references.R tests/data/clinical
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mirscope.clinical.expression import load_tcga, mature_rpm

OUT = Path(__file__).resolve().parents[2] / "data" / "clinical"


def surv_synth(seed: int = 6, n: int = 150) -> pd.DataFrame:
    """Survival with tied integer times, ~35% censoring, a rounded marker and covariates."""
    rng = np.random.default_rng(seed)
    marker = np.round(rng.lognormal(0.0, 0.8, n), 1)
    age = np.round(rng.normal(60, 10, n))
    sex = rng.integers(0, 2, n)
    stage = rng.choice(["I", "II", "III"], n, p=[0.4, 0.35, 0.25])
    lp = -0.5 * np.log(marker + 0.1) + 0.03 * (age - 60) + 0.6 * (stage == "III")
    t_ev = rng.exponential(400 * np.exp(-lp))
    t_c = rng.uniform(50, 1500, n)
    time = np.ceil(np.minimum(t_ev, t_c) / 30) * 30  # monthly grid: many ties
    event = (t_ev <= t_c).astype(int)
    return pd.DataFrame(
        {"time": time.astype(int), "event": event, "marker": marker, "age": age, "sex": sex, "stage": stage}
    )


def roc_synth(seed: int = 7) -> pd.DataFrame:
    """Three groups (tumour, benign, healthy), two correlated markers with ties."""
    rng = np.random.default_rng(seed)
    groups = ["tumour"] * 60 + ["benign"] * 45 + ["healthy"] * 50
    shift = {"tumour": -1.0, "benign": -0.4, "healthy": 0.0}
    m1 = np.array([rng.normal(shift[g], 1.0) for g in groups])
    m2 = 0.6 * m1 + np.array([rng.normal(0.3 * shift[g], 0.8) for g in groups])
    return pd.DataFrame({"sample": [f"S{i:03d}" for i in range(len(groups))], "group": groups,
                         "mir124": np.round(m1, 1), "mir21": np.round(m2, 2)})


def qpcr_synth(seed: int = 8) -> pd.DataFrame:
    """Long RT-qPCR table: 12 patients x (tumour, normal) x 3 targets + 2 references, 3 replicates."""
    rng = np.random.default_rng(seed)
    rows = []
    true = {"miR-124": 1.5, "miR-21": -1.0, "miR-16": 0.0}  # dCt(tumour) - dCt(normal)
    for p in range(1, 13):
        ref_level = rng.normal(20, 1)
        for group in ("tumour", "normal"):
            load = rng.normal(0, 0.7)
            for target, base in (("U6", 0.0), ("RNU48", 2.0), ("miR-124", 8.0), ("miR-21", 4.0), ("miR-16", 6.0)):
                eff = true.get(target, 0.0) if group == "tumour" else 0.0
                mu = ref_level + load + base + eff + rng.normal(0, 0.6 if target.startswith("miR") else 0.1)
                for rep in range(3):
                    ct = mu + rng.normal(0, 0.12)
                    if p == 3 and target == "miR-124" and group == "tumour" and rep == 2:
                        ct += 1.4  # a technical outlier
                    rows.append({"sample": f"P{p:02d}-{group[0].upper()}", "patient": f"P{p:02d}",
                                 "group": group, "target": target, "ct": round(ct, 2)})
    return pd.DataFrame(rows)


def tcga_lihc() -> pd.DataFrame:
    """Real LIHC primary tumours joined to overall survival (incl. the missing/negative times)."""
    expr = load_tcga("LIHC", "rpm")
    clin = load_tcga("LIHC", "clinical")
    tum = expr[expr["sample_type"] == 1].copy()
    tum["mir124"] = mature_rpm(tum, "miR-124")
    tum["mir21"] = tum["hsa-mir-21"]
    df = tum[["patient_barcode", "mir124", "mir21"]].merge(clin, on="patient_barcode", how="inner")
    df["stage_simple"] = df["pathologic_stage"].str.extract(r"stage (i{1,3}|iv)")[0].str.upper()
    return df[["patient_barcode", "os_days", "os_event", "mir124", "mir21", "age_years", "gender",
               "stage_simple", "neoplasm_grade"]]


def tcga_gbm() -> pd.DataFrame:
    """Real GBM array: miR-124-3p (MIMAT0000422) and miR-21 (MIMAT0000076), survival."""
    g = load_tcga("GBM", "array")
    return g[["sample", "time", "status", "MIMAT0000422", "MIMAT0000076"]].rename(
        columns={"MIMAT0000422": "mir124", "MIMAT0000076": "mir21"})


def tcga_stad_tn() -> pd.DataFrame:
    """Real STAD tumour (01) and normal (11) samples: log2(RPM + 1) of miR-124 and miR-21."""
    expr = load_tcga("STAD", "rpm")
    sub = expr[expr["sample_type"].isin([1, 11])].copy()
    return pd.DataFrame({
        "sample": sub["sample_barcode"], "patient": sub["patient_barcode"],
        "tissue": np.where(sub["sample_type"] == 1, "tumour", "normal"),
        "mir124": np.log2(mature_rpm(sub, "miR-124") + 1), "mir21": np.log2(sub["hsa-mir-21"] + 1),
    })


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    surv_synth().to_csv(OUT / "surv_synth.csv", index=False)
    roc_synth().to_csv(OUT / "roc_synth.csv", index=False)
    qpcr_synth().to_csv(OUT / "qpcr_long.csv", index=False)
    tcga_lihc().to_csv(OUT / "surv_tcga_lihc.csv", index=False)
    tcga_gbm().to_csv(OUT / "surv_tcga_gbm.csv", index=False)
    tcga_stad_tn().to_csv(OUT / "roc_tcga_stad.csv", index=False)


if __name__ == "__main__":
    main()
