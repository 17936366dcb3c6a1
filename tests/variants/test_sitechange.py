"""Fast windowed site comparison against the slow whole-sequence reference."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirscope.errors import InputError
from mirscope.variants.sitechange import (
    SeedTable,
    normalize_change,
    site_changes,
    site_changes_reference,
)

MIRNAS = {
    "m124": "UAAGGCACGCGGUGAAUGCCAA",
    "m1": "UGGAAUGUAAAGAAGUAUGUAU",
    "mlet7": "UGAGGUAGUAGGUUGUAUAGUU",
    "mshare": "AAAGGCACGCGGUGAAUGCCAA",  # same seed as m124
    "m21": "UAGCUUAUCAGACUGAUGUUGA",
}
TABLE = SeedTable.from_mirnas(MIRNAS)
# target pieces that make sites likely in random sequence
PIECES = ["GTGCCTTA", "GTGCCTT", "TGCCTTA", "ACATTCCA", "CTACCTCA", "ATAAGCTA", "A", "C", "G", "T"]

dna = st.text(alphabet="ACGT", min_size=1, max_size=4)
seq_strategy = st.lists(st.sampled_from(PIECES), min_size=2, max_size=14).map("".join)


@st.composite
def seq_and_change(draw: st.DrawFn) -> tuple[str, int, str, str]:
    seq = draw(seq_strategy)
    start = draw(st.integers(0, len(seq) - 1))
    ref_len = draw(st.integers(0, min(4, len(seq) - start)))
    ref = seq[start : start + ref_len]
    alt = draw(st.one_of(dna, st.just(""), st.sampled_from(PIECES)))
    if ref == "" and alt == "":
        alt = "A"
    return seq, start, ref, alt


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seq_and_change())
def test_fast_equals_reference(case: tuple[str, int, str, str]) -> None:
    seq, start, ref, alt = case
    assert site_changes(seq, start, ref, alt, TABLE) == site_changes_reference(
        seq, start, ref, alt, TABLE
    )


@settings(max_examples=150, deadline=None)
@given(seq_and_change(), st.integers(0, 30), st.integers(0, 30))
def test_window_gives_same_answer(case: tuple[str, int, str, str], left: int, right: int) -> None:
    """A window keeping >= 8 nt around the change (or the sequence end) is exact."""
    seq, start, ref, alt = case
    full = site_changes(seq, start, ref, alt, TABLE)
    lo = max(0, start - 8 - left)
    hi = min(len(seq), start + len(ref) + 8 + right)
    win = site_changes(seq[lo:hi], start - lo, ref, alt, TABLE)
    shifted = [
        (c.group, c.effect, c.ref_type, c.alt_type,
         None if c.ref_start is None else c.ref_start + lo,
         None if c.alt_start is None else c.alt_start + lo)
        for c in win
    ]
    assert shifted == [(c.group, c.effect, c.ref_type, c.alt_type, c.ref_start, c.alt_start) for c in full]


@pytest.mark.parametrize(
    ("seq", "start", "ref", "alt", "expected"),
    [
        # 8mer GTGCCTTA at 4..11 of CCCCGTGCCTTACCCC (miR-124 seed)
        ("CCCCGTGCCTTACCCC", 11, "A", "C", ("changed", "8mer", "7mer-m8")),
        ("CCCCGTGCCTTACCCC", 4, "G", "C", ("changed", "8mer", "7mer-A1")),
        ("CCCCGTGCCTTACCCC", 7, "C", "G", ("lost", "8mer", None)),
        ("CCCCGTGCCTTACCCC", 10, "T", "C", ("changed", "8mer", "offset-6mer")),
        ("CCCCGAGCCTTACCCC", 5, "A", "T", ("gained", None, "8mer")),
        # deletion of a padded base (VCF style) inside the core
        ("CCCCGTGCCTTACCCC", 6, "GC", "G", ("lost", "8mer", None)),
        # insertion that completes the core of an offset-6mer
        ("CCCCGTGCCTACCCC", 8, "C", "CT", ("changed", "offset-6mer", "8mer")),
    ],
)
def test_known_changes(seq: str, start: int, ref: str, alt: str, expected: tuple) -> None:
    m124 = TABLE.seeds.index("AAGGCAC")
    got = [(c.effect, c.ref_type, c.alt_type) for c in site_changes(seq, start, ref, alt, TABLE) if c.group == m124]
    assert got == [expected]


def test_shared_seed_is_one_group() -> None:
    g = TABLE.seeds.index("AAGGCAC")
    assert set(TABLE.members[g]) == {"m124", "mshare"}


@pytest.mark.parametrize(
    ("start", "ref", "alt", "expected"),
    [(3, "CAT", "C", (4, "AT", "")), (3, "C", "CAT", (4, "", "AT")), (3, "ACGT", "AGGT", (4, "C", "G"))],
)
def test_normalize(start: int, ref: str, alt: str, expected: tuple[int, str, str]) -> None:
    assert normalize_change(start, ref, alt) == expected


@pytest.mark.parametrize(
    ("start", "ref", "match"),
    [(2, "GG", "does not match the sequence at 2"), (15, "CC", "outside the sequence")],
)
def test_bad_change(start: int, ref: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        site_changes("CCCCGTGCCTTACCCC", start, ref, "A", TABLE)


def test_empty_table() -> None:
    with pytest.raises(InputError, match="no miRNAs given"):
        SeedTable.from_mirnas({})
