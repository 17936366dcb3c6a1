"""Site definitions; the vectorised finder against the naive reference."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirscope.errors import InputError
from mirscope.sites.seeds import (
    encode,
    find_sites,
    find_sites_naive,
    kmer6_codes,
    reverse_complement,
    target_pattern,
)

MIR124 = "UAAGGCACGCGGUGAAUGCCAA"  # hsa-miR-124-3p, miRBase v22


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("CCGUGCCUUACC", [(2, 10, "8mer")]),
        ("CCGUGCCUUCCC", [(2, 9, "7mer-m8")]),
        ("CCAUGCCUUACC", [(3, 10, "7mer-A1")]),
        ("CCAUGCCUUCCC", [(3, 9, "6mer")]),
        ("CCGUGCCUCCCC", [(2, 8, "offset-6mer")]),
        ("CCGUGCNUUACC", []),
        ("cc gugccuuacc".replace(" ", ""), [(2, 10, "8mer")]),
    ],
)
def test_site_types(target: str, expected: list[tuple[int, int, str]]) -> None:
    assert find_sites(target, MIR124) == expected
    assert find_sites_naive(target, MIR124) == expected


@pytest.mark.parametrize(
    ("site_type", "pattern"),
    [("8mer", "GUGCCUUA"), ("7mer-m8", "GUGCCUU"), ("7mer-A1", "UGCCUUA"), ("6mer", "UGCCUU"),
     ("offset-6mer", "GUGCCU")],
)
def test_target_patterns(site_type: str, pattern: str) -> None:
    assert target_pattern(MIR124, site_type) == pattern  # type: ignore[arg-type]


def test_unknown_site_type() -> None:
    with pytest.raises(InputError, match="unknown site type 'nonsense'"):
        target_pattern(MIR124, "nonsense")  # type: ignore[arg-type]


def test_bad_mirna() -> None:
    with pytest.raises(InputError, match="at least 8 nt"):
        find_sites("ACGUACGU", "ACGN")


def test_kmer_codes_invalid_windows() -> None:
    k = kmer6_codes(encode("AAAAAAANAAAAAA"))
    assert k[1] == 0 and k[2] == 4096 and k[7] == 4096 and k[8] == 0


def test_circular_junction_site() -> None:
    # an 8mer split across the back-splice junction: ...GUGC | CUUA...
    circ = "CUUA" + "C" * 20 + "GUGC"
    assert find_sites(circ, MIR124) == []
    assert find_sites(circ, MIR124, circular=True) == [(24, 32, "8mer")]
    assert find_sites_naive(circ, MIR124, circular=True) == [(24, 32, "8mer")]


def test_circular_too_short() -> None:
    with pytest.raises(InputError, match="shorter than a site"):
        find_sites("GUGCCU", MIR124, circular=True)


def test_reverse_complement() -> None:
    assert reverse_complement("ACGUN") == "NACGU"


_mirna = st.text(alphabet="ACGU", min_size=20, max_size=23)
# small alphabets make seed matches frequent; N checks unpairable bases
_seq = st.text(alphabet="ACGUN", min_size=0, max_size=300)


@settings(max_examples=300, deadline=None)
@given(seq=_seq, mirna=_mirna, circular=st.booleans())
def test_vectorised_equals_naive_random(seq: str, mirna: str, circular: bool) -> None:
    if circular and len(seq) < 8:
        return
    assert find_sites(seq, mirna, circular=circular) == find_sites_naive(seq, mirna, circular=circular)


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.text(alphabet="ACGU", max_size=30),
    suffix=st.text(alphabet="ACGU", max_size=30),
    mirna=_mirna,
    site_type=st.sampled_from(["8mer", "7mer-m8", "7mer-A1", "6mer", "offset-6mer"]),
    repeats=st.integers(1, 4),
)
def test_vectorised_equals_naive_planted(
    prefix: str, suffix: str, mirna: str, site_type: str, repeats: int
) -> None:
    seq = prefix + (target_pattern(mirna, site_type) + "C") * repeats + suffix  # type: ignore[arg-type]
    got = find_sites(seq, mirna)
    assert got == find_sites_naive(seq, mirna)
    assert got, "a planted seed match is always found as some site"
    if len(seq) >= 8:  # a circle must hold a whole site
        rot = seq[len(seq) // 2 :] + seq[: len(seq) // 2]  # moves sites onto the junction
        assert find_sites(rot, mirna, circular=True) == find_sites_naive(rot, mirna, circular=True)
        assert len(find_sites(rot, mirna, circular=True)) >= len(got)
