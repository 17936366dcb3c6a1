"""How well do seed-site type, duplex energy and 3' pairing separate AGO-CLIP-bound sites?

Data: ``benchmarks/data/scan_test_set.tar.xz`` (449,085 miRNA (20 nt) x 50-nt
target pairs from AGO CLIP, labelled positive/negative; ML-Bioinfo-CEITEC/
mirna_binding, MIT; see benchmarks/data/SOURCE.md). A measurement, not a target:
nothing here is tuned on the labels.

Scores (higher = predicted bound):

* site type: best canonical site (all pairs at once with numpy, checked
  against :func:`mirscope.sites.seeds.find_sites` on 300 pairs) of the miRNA in the 50 nt, ranked
  8mer > 7mer-m8 > 7mer-A1 > 6mer > offset-6mer > none (all pairs);
* duplex energy: ``-dG`` of ViennaRNA ``duplexfold`` (miRNA vs the 50 nt);
* 3' supplementary pairing: Grimson-style score at the best seed site (0 without one).

ViennaRNA's duplexfold takes ~2 ms per pair, so energies and pairing scores are
computed on a seeded random subset (20,000 pairs; 2,000 with ``--quick``) plus
every miR-124 pair; site type is scored on all pairs (a seeded 50,000-pair
subset plus all miR-124 pairs with ``--quick``). Reports ROC AUC and precision at 10% / 50% recall, overall and for
miR-124-3p (UAAGGCACGCGGUGAAUGCC...).

Run: ``python -m benchmarks bench_clip`` or ``python benchmarks/bench_clip.py
[--quick] [PATH]``.
"""

from __future__ import annotations

import os
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from mirscope.sites.evaluate import SITE_RANK as _RANK
from mirscope.sites.evaluate import best_site_types as site_ranks
from mirscope.sites.evaluate import precision_at_recall, roc_auc

DEFAULT = Path(__file__).resolve().parent / "data" / "scan_test_set.tar.xz"
MIR124_PREFIX = "UAAGGCACGCGGUGAAUGCC"


def load(path: Path) -> pd.DataFrame:
    """Read the labelled pairs (miRNA, target, label) as RNA with a boolean ``bound``."""
    if not path.exists():
        raise SystemExit(
            f"CLIP test set not found at {path}; copy scan_test_set.tar.xz there or pass its path"
        )
    with tarfile.open(path, "r:xz") as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(".tsv"))
        fh = tar.extractfile(member)
        assert fh is not None
        df = pd.read_csv(fh, sep="\t")
    df = df.rename(columns={"mirna_binding_sequence": "mirna", "binding_sequence": "target"})
    df["mirna"] = df["mirna"].str.upper().str.replace("T", "U")
    df["target"] = df["target"].str.upper().str.replace("T", "U")
    df["bound"] = df["label"].eq("positive")
    return df[["mirna", "target", "bound"]]


def _check_against_finder(df: pd.DataFrame, n: int = 300) -> None:
    from mirscope.sites.seeds import find_sites

    for m, t, r in df[["mirna", "target", "site_rank"]].head(n).itertuples(index=False):
        want = max((_RANK[ty] for _s, _e, ty in find_sites(t, m)), default=0)
        assert want == r, f"vectorised site rank {r} != find_sites {want} for {m} / {t}"


def _report(name: str, score: np.ndarray, y: np.ndarray) -> str:
    return (
        f"  {name:<24} AUC {roc_auc(score, y):.3f}   precision@10% recall "
        f"{precision_at_recall(score, y, 0.1):.3f}   @50% recall {precision_at_recall(score, y, 0.5):.3f}"
    )


def main(argv: list[str] | None = None) -> None:
    from mirscope.sites.scan import duplex_energy, supplementary_score

    args = [] if argv is None else argv
    quick = "--quick" in args or os.environ.get("MIRSCOPE_BENCH_QUICK", "") not in ("", "0")
    paths = [a for a in args if not a.startswith("--")]
    df = load(Path(paths[0]) if paths else DEFAULT)
    rng = np.random.default_rng(124)
    n_all = len(df)
    if quick:
        keep = rng.choice(n_all, 50_000, replace=False)
        keep = np.union1d(keep, np.flatnonzero(df["mirna"].str.startswith(MIR124_PREFIX).to_numpy()))
        df = df.iloc[keep].reset_index(drop=True)
    t0 = time.perf_counter()
    df["site_rank"], df["site_start"] = site_ranks(df["mirna"], df["target"])
    t_site = time.perf_counter() - t0
    _check_against_finder(df)
    is124 = df["mirna"].str.startswith(MIR124_PREFIX).to_numpy()
    n_sub = 2_000 if quick else 20_000
    sub_idx = np.union1d(rng.choice(len(df), min(n_sub, len(df)), replace=False), np.flatnonzero(is124))
    sub = df.iloc[sub_idx].copy()
    t0 = time.perf_counter()
    sub["neg_dg"] = [-duplex_energy(m, t) for m, t in zip(sub["mirna"], sub["target"], strict=True)]
    sub["supp"] = [
        supplementary_score(m, t[: s + (7 if r in (5, 4, 1) else 6) - 7]) if s >= 0 else 0.0
        for m, t, s, r in zip(sub["mirna"], sub["target"], sub["site_start"], sub["site_rank"], strict=True)
    ]
    t_energy = time.perf_counter() - t0
    y_all = df["bound"].to_numpy()
    print(f"pairs: {len(df):,} of {n_all:,} ({int(y_all.sum()):,} bound, prevalence {y_all.mean():.3f})"
          + ("  [QUICK MODE]" if quick else ""))
    print(f"site type on all {len(df):,} pairs ({t_site:.1f} s); energy and 3' pairing on a seeded "
          f"subset of {len(sub):,} pairs incl. all miR-124 ({t_energy:.1f} s)")
    print("overall:")
    print(_report("site type (all pairs)", df["site_rank"].to_numpy(float), y_all))
    ys = sub["bound"].to_numpy()
    print(_report("site type (subset)", sub["site_rank"].to_numpy(float), ys))
    print(_report("duplex energy (-dG)", sub["neg_dg"].to_numpy(), ys))
    print(_report("3' supplementary", sub["supp"].to_numpy(), ys))
    has = sub["site_rank"].to_numpy() > 0
    print(f"pairs with a seed site: {int((y_all & (df['site_rank'].to_numpy() > 0)).sum()):,} of "
          f"{int(y_all.sum()):,} bound, {int((~y_all & (df['site_rank'].to_numpy() > 0)).sum()):,} of "
          f"{int((~y_all).sum()):,} unbound; within the subset's {int(has.sum()):,} pairs with a site:")
    print(_report("duplex energy (-dG)", sub["neg_dg"].to_numpy()[has], ys[has]))
    print(_report("3' supplementary", sub["supp"].to_numpy()[has], ys[has]))
    m124 = sub[sub["mirna"].str.startswith(MIR124_PREFIX)]
    y124 = m124["bound"].to_numpy()
    print(f"miR-124-3p: {len(m124)} pairs, {int(y124.sum())} bound")
    print(_report("site type", m124["site_rank"].to_numpy(float), y124))
    print(_report("duplex energy (-dG)", m124["neg_dg"].to_numpy(), y124))
    print(_report("3' supplementary", m124["supp"].to_numpy(), y124))


if __name__ == "__main__":
    main(sys.argv[1:])
