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
from scipy.stats import rankdata

DEFAULT = Path(__file__).resolve().parent / "data" / "scan_test_set.tar.xz"
MIR124_PREFIX = "UAAGGCACGCGGUGAAUGCC"
_RANK = {"8mer": 5, "7mer-m8": 4, "7mer-A1": 3, "6mer": 2, "offset-6mer": 1}


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


def roc_auc(score: np.ndarray, y: np.ndarray) -> float:
    """ROC AUC by the Mann-Whitney rank formula (ties count one half)."""
    pos = int(y.sum())
    neg = y.size - pos
    if pos == 0 or neg == 0:
        return float("nan")
    r = rankdata(score)
    return float((r[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def precision_at_recall(score: np.ndarray, y: np.ndarray, recall: float) -> float:
    """Precision at the highest score threshold whose recall reaches ``recall`` (ties kept together)."""
    pos = int(y.sum())
    if pos == 0:
        return float("nan")
    thresholds = np.unique(score)[::-1]
    for t in thresholds:
        sel = score >= t
        tp = int((sel & y).sum())
        if tp / pos >= recall:
            return tp / int(sel.sum())
    return float(y.mean())


def site_ranks(mirnas: pd.Series, targets: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Best site rank of each (miRNA, target) pair and the 0-based start of that site (-1 if none).

    Vectorised over all pairs at once: 6-mer codes of every target window are
    compared with each pair's own seed codes.
    """
    from mirscope.sites.seeds import encode, seed_codes

    width = int(targets.str.len().max())
    padded = targets.str.pad(width, side="right", fillchar="N")
    codes = encode("".join(padded)).reshape(len(targets), width)
    tab = {m: seed_codes(m) for m in mirnas.unique()}
    sc = np.array([tab[m] for m in mirnas], dtype=np.int64)
    core, off, c8, c2 = (sc[:, i : i + 1] for i in range(4))
    nwin = width - 5
    k = np.zeros((len(targets), nwin), dtype=np.int64)
    bad = np.zeros((len(targets), nwin), dtype=bool)
    for j in range(6):
        k = (k << 2) | (codes[:, j : j + nwin] & 3)
        bad |= codes[:, j : j + nwin] >= 4
    k[bad] = -1
    four = np.full((len(targets), 1), 4, dtype=codes.dtype)
    prev = np.concatenate((four, codes[:, : nwin - 1]), axis=1)
    nxt = np.concatenate((codes[:, 6:], four), axis=1)[:, :nwin]
    m8 = prev == c8
    a1 = nxt == 0
    rank = np.where(k == core, np.where(m8 & a1, 5, np.where(m8, 4, np.where(a1, 3, 2))), 0)
    rank = np.maximum(rank, np.where((k == off) & (nxt != c2), 1, 0))
    best = rank.max(axis=1)
    j = rank.argmax(axis=1)
    start = np.where(best >= 4, j - 1, j)
    return best, np.where(best > 0, start, -1)


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

    args = sys.argv[1:] if argv is None else argv
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
    m124 = sub[sub["mirna"].str.startswith(MIR124_PREFIX)]
    y124 = m124["bound"].to_numpy()
    print(f"miR-124-3p: {len(m124)} pairs, {int(y124.sum())} bound")
    print(_report("site type", m124["site_rank"].to_numpy(float), y124))
    print(_report("duplex energy (-dG)", m124["neg_dg"].to_numpy(), y124))
    print(_report("3' supplementary", m124["supp"].to_numpy(), y124))


if __name__ == "__main__":
    main()
