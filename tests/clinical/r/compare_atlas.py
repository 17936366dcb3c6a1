"""Print the largest differences between the atlas and the R references (tests/data/atlas).

    PYTHONPATH=src python tests/clinical/r/compare_atlas.py

The tests (``test_atlas.py::test_atlas_equals_r``) assert the tolerances; this prints the margins.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from mirscope.clinical.atlas import AtlasFitter
from mirscope.errors import InputError

DATA = Path(__file__).resolve().parents[2] / "data" / "atlas"
KEYS = ("log2fc", "log2fc_lower", "log2fc_upper", "wilcoxon_p", "cox_hr", "cox_p", "logrank_chi2", "logrank_p")


def main() -> None:
    ref = json.loads((DATA / "ref_atlas.json").read_text())["rows"]
    cases = json.loads((DATA / "cases.json").read_text())["mirnas"]
    res = {}
    for m in cases:
        for src, d in (("shipped", None), ("layout", DATA / "cohorts"), ("synthetic", DATA / "synthetic")):
            try:
                t = AtlasFitter(max_zero_fraction=1.0).fit(m, cohort_dir=d).result_.table
            except InputError:
                continue
            for _, r in t.iterrows():
                res[(src, r["cohort"], m)] = r
    worst: dict[str, tuple] = {}  # type: ignore[type-arg]
    n: dict[str, int] = {}
    for r in ref:
        p = res[(r["source"], r["cohort"], r["mirna"])]
        for k in KEYS:
            a, b = r.get(k), p[k]
            if a is None or pd.isna(b):
                continue
            n[k] = n.get(k, 0) + 1
            e = abs(a - b) / abs(a) if k.endswith("_p") else abs(a - b)
            if e > worst.get(k, (0.0,))[0]:
                worst[k] = (e, r["source"], r["cohort"], r["mirna"])
    print(len(ref), "R rows")
    for k, v in worst.items():
        kind = "rel" if k.endswith("_p") else "abs"
        print(f"{k}: n={n[k]} max {kind} diff {v[0]:.1e} ({v[1]} {v[2]} {v[3]})")


if __name__ == "__main__":
    main()
