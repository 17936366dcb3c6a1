"""Transcriptome scan to Parquet: equals the per-sequence finders; Dask equals single-process."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirscope.errors import InputError
from mirscope.sites.seeds import find_sites_naive
from mirscope.sites.transcriptome import (
    read_sites_parquet,
    scan_transcriptome,
    scan_transcriptome_dask,
)

MIRNAS = {
    "hsa-miR-124-3p": "UAAGGCACGCGGUGAAUGCCAA",
    "hsa-miR-506-3p": "UAAGGCACCCUUCUGAGUAGA",  # same seed as miR-124
    "hsa-let-7a-5p": "UGAGGUAGUAGGUUGUAUAGUU",
    "hsa-miR-1-3p": "UGGAAUGUAAAGAAGUAUGUAU",
}


def _transcripts(n: int, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    return {
        f"t{i}": "".join(rng.choice("ACGU") for _ in range(rng.randint(8, 600)))
        + ("N" if i % 7 == 0 else "")
        for i in range(n)
    }


def _naive(seqs: dict[str, str], circular: bool) -> pd.DataFrame:
    rows = []
    for tid, seq in seqs.items():
        for name, mseq in MIRNAS.items():
            for s, e, t in find_sites_naive(seq, mseq, circular=circular):
                rows.append((tid, s + 1, e, t, name))
    return _sorted(pd.DataFrame(rows, columns=["transcript", "start", "end", "site_type", "mirna"]))


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    df = df[["transcript", "start", "end", "site_type", "mirna"]].astype(
        {"transcript": str, "site_type": str, "mirna": str, "start": "int64", "end": "int64"}
    )
    return df.sort_values(list(df.columns)).reset_index(drop=True)


@pytest.mark.parametrize("circular", [False, True])
def test_parquet_equals_naive(tmp_path: Path, circular: bool) -> None:
    seqs = _transcripts(60, seed=3)
    out = tmp_path / "sites.parquet"
    stats = scan_transcriptome(seqs, MIRNAS, out, circular=circular, batch_rows=500)
    got = _sorted(read_sites_parquet(out))
    assert stats.n_sites == len(got) > 0
    assert stats.n_seeds == 3
    pd.testing.assert_frame_equal(got, _naive(seqs, circular))


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_dask_equals_single_process(tmp_path: Path, scheduler: str) -> None:
    seqs = _transcripts(40, seed=11)
    single = tmp_path / "single.parquet"
    scan_transcriptome(seqs, MIRNAS, single)
    stats = scan_transcriptome_dask(seqs, MIRNAS, tmp_path / "parts", partitions=3, scheduler=scheduler)
    assert len(stats) == 3
    assert len(list((tmp_path / "parts").glob("part-*.parquet"))) == 3
    pd.testing.assert_frame_equal(
        _sorted(read_sites_parquet(tmp_path / "parts")), _sorted(read_sites_parquet(single))
    )


def test_rejections(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no transcripts"):
        scan_transcriptome({}, MIRNAS, tmp_path / "x.parquet")
    with pytest.raises(InputError, match="no miRNAs"):
        scan_transcriptome({"t": "ACGUACGUAC"}, {}, tmp_path / "x.parquet")
    with pytest.raises(InputError, match="shorter than a seed"):
        scan_transcriptome({"t": "ACG"}, MIRNAS, tmp_path / "x.parquet")
    with pytest.raises(InputError, match="does not exist"):
        scan_transcriptome({"t": "ACGUACGUAC"}, MIRNAS, tmp_path / "no" / "x.parquet")
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seqs=st.lists(st.text(alphabet="ACGUN", min_size=8, max_size=120), min_size=1, max_size=6),
    circular=st.booleans(),
)
def test_parquet_equals_naive_hypothesis(tmp_path: Path, seqs: list[str], circular: bool) -> None:
    d = {f"s{i}": s for i, s in enumerate(seqs)}
    out = tmp_path / "h.parquet"
    scan_transcriptome(d, MIRNAS, out, circular=circular)
    pd.testing.assert_frame_equal(_sorted(read_sites_parquet(out)), _naive(d, circular))


def test_dask_default_local_cluster(tmp_path: Path) -> None:
    seqs = _transcripts(12, seed=5)
    scan_transcriptome(seqs, MIRNAS, tmp_path / "single.parquet")
    stats = scan_transcriptome_dask(seqs, MIRNAS, tmp_path / "parts", partitions=2)
    assert len(stats) == 2
    pd.testing.assert_frame_equal(
        _sorted(read_sites_parquet(tmp_path / "parts")),
        _sorted(read_sites_parquet(tmp_path / "single.parquet")),
    )
