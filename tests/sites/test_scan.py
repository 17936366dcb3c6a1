"""scan(): sponge scanning of linear and circular RNAs, energies, summaries, errors."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from mirscope.errors import InputError, UnknownNameError
from mirscope.schema import SITE_TYPES
from mirscope.sites import SCAN_COLUMNS, SUMMARY_COLUMNS, read_fasta, scan, summarize
from mirscope.sites.scan import duplex_energy, resolve_mirna, supplementary_score
from mirscope.sites.seeds import find_sites_naive, reverse_complement, target_pattern

DATA = Path(__file__).resolve().parents[1] / "data" / "sites"
MIR124 = "UAAGGCACGCGGUGAAUGCCAA"


@pytest.fixture(scope="module")
def xist() -> dict[str, str]:
    return read_fasta(DATA / "XIST.fa")


def test_resolve_mir124() -> None:
    name, seq = resolve_mirna("miR-124-3p")
    assert name == "hsa-miR-124-3p"
    assert seq == MIR124


def test_unknown_mirna() -> None:
    with pytest.raises(UnknownNameError, match="miR-99999"):
        scan({"t": "ACGUACGUACGU"}, "miR-99999")


def test_xist_mir124_sites_match_naive(xist: dict[str, str]) -> None:
    df = scan(xist, "miR-124-3p")
    assert tuple(df.columns) == SCAN_COLUMNS
    seq = next(iter(xist.values()))
    naive = find_sites_naive(seq, MIR124)
    assert [(s - 1, e, t) for s, e, t in df[["start", "end", "site_type"]].itertuples(index=False)] == naive
    assert len(df) == 15
    assert set(df["site_type"]) <= set(SITE_TYPES)
    # every reported site really pairs with miR-124's seed region
    for s, e, t in df[["start", "end", "site_type"]].itertuples(index=False):
        assert seq[s - 1 : e] == target_pattern(MIR124, t)
    assert (df["dg_duplex"] < 0).all()
    assert (df["supp_score"] >= 0).all()
    assert not df["spans_junction"].any()


def test_circrna_junction_site_only_with_circular() -> None:
    rng = random.Random(7)
    body = "".join(rng.choice("ACG") for _ in range(300))  # no U: no accidental miR-124 sites
    site = target_pattern(MIR124, "8mer")
    circ = site[4:] + body + site[:4]  # the 8mer is split by the back-splice junction
    assert scan({"circ": circ}, "miR-124-3p", energies=False).empty
    df = scan({"circ": circ}, "miR-124-3p", circular=True)
    assert len(df) == 1
    row = df.iloc[0]
    assert (row["start"], row["end"], row["site_type"]) == (len(circ) - 3, len(circ) + 4, "8mer")
    assert bool(row["spans_junction"])
    assert row["dg_duplex"] < -8


def test_circular_rotation_invariance(xist: dict[str, str]) -> None:
    seq = next(iter(xist.values()))
    n = len(seq)
    shift = 1000
    a = scan({"x": seq}, "miR-124-3p", circular=True, energies=False)
    b = scan({"x": seq[shift:] + seq[:shift]}, "miR-124-3p", circular=True, energies=False)
    pos_a = sorted(((s - 1) % n, t) for s, t in zip(a["start"], a["site_type"], strict=True))
    pos_b = sorted(((s - 1 + shift) % n, t) for s, t in zip(b["start"], b["site_type"], strict=True))
    assert pos_a == pos_b


def test_energy_stronger_for_full_complement() -> None:
    perfect = reverse_complement(MIR124)
    seed_only = "AAAAAAAAAAAAAA" + target_pattern(MIR124, "8mer")
    assert duplex_energy(MIR124, perfect) < duplex_energy(MIR124, seed_only) < 0


def test_supplementary_score_rewards_13_16_pairing() -> None:
    assert supplementary_score(MIR124, "") == 0.0
    # perfect pairing of miRNA 9-22: 4 pairs at 13-16 (1 each) + 10 others (0.5 each)
    assert supplementary_score(MIR124, reverse_complement(MIR124[8:])) == 9.0
    # only miRNA 13-16 paired, in register (the 4 A's face miRNA 9-12 = GCGG)
    assert supplementary_score(MIR124, "GGGG" + "UUCA" + "AAAA") == 4.0
    # the same pairing with a 4-nt offset loses 0.5 per nt beyond 2
    assert supplementary_score(MIR124, "GGGG" + "UUCA" + "AAAAAAAA") == 3.0


def test_summary_counts_and_density(xist: dict[str, str]) -> None:
    seqs = {**xist, "empty": "C" * 500}
    df = scan(seqs, "miR-124-3p", energies=False)
    s = summarize(df)
    assert tuple(s.columns) == SUMMARY_COLUMNS
    x = s.set_index("transcript")
    assert x.loc["ENST00000429829.6_XIST", "n_sites"] == 15
    assert x.loc["empty", "n_sites"] == 0
    assert x.loc["ENST00000429829.6_XIST", "sites_per_kb"] == pytest.approx(15 / 19.245, abs=1e-4)
    assert int(x[[f"n_{t}" for t in SITE_TYPES]].sum(axis=1).sum()) == len(df)


def test_energies_off_gives_nan() -> None:
    df = scan({"t": "AAGUGCCUUAAA"}, "miR-124-3p", energies=False)
    assert np.isnan(df["dg_duplex"]).all()


@pytest.mark.parametrize(
    ("seqs", "match"),
    [
        ({}, "no sequences"),
        ({"t": "ACGU"}, "shorter than a seed"),
        ({"t": "ACGUACGU1ACGU"}, r"invalid character '1' at position 9"),
    ],
)
def test_scan_rejections(seqs: dict[str, str], match: str) -> None:
    with pytest.raises(InputError, match=match):
        scan(seqs, "miR-124-3p")


def test_mirna_seq_override() -> None:
    df = scan({"t": "AAGUGCCUUAAA"}, "my-mir", mirna_seq="TAAGGCACGCGGTGAATGCC", energies=False)
    assert df["mirna"].tolist() == ["my-mir"]
    with pytest.raises(InputError, match="15\\+ nt"):
        scan({"t": "AAGUGCCUUAAA"}, "x", mirna_seq="ACGU")
