"""Sponge plausibility: equilibrium titration against a brute-force root, verdicts, sites."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from mirscope.errors import InputError, UnknownNameError
from mirscope.simulate.sponge import (
    assess_review_sponges,
    assess_sponge,
    derepression,
    free_mirna,
    sponge_copy_numbers,
)

XIST_FA = Path(__file__).resolve().parents[1] / "data" / "sites" / "XIST.fa"


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=1.0, max_value=1e6),
    st.floats(min_value=0.0, max_value=1e7),
    st.floats(min_value=0.01, max_value=1e4),
)
def test_free_mirna_solves_the_mass_balance(mt: float, sites: float, kd: float) -> None:
    def balance(m: float) -> float:
        return m + m * sites / (kd + m) - mt

    ref = brentq(balance, 0.0, mt, xtol=1e-14, rtol=1e-13)
    assert free_mirna(mt, sites, kd) == pytest.approx(ref, rel=1e-8, abs=1e-10)


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=0.0, max_value=1e6), st.floats(min_value=1.0, max_value=1e6))
def test_derepression_grows_with_added_sites(sa: float, extra: float) -> None:
    assert derepression(sa + extra, mirna_copies=1e5) >= derepression(sa, mirna_copies=1e5)


def test_threshold_behaviour_when_mirna_exceeds_sites() -> None:
    # 3e5 miRNAs on 1.5e5 sites: no derepression until the added sites soak up the excess
    xs = np.array([1e3, 1e4, 1e5, 1.5e5, 3e5, 1e6])
    ys = derepression(xs, mirna_copies=3e5, target_sites=1.5e5)
    assert ys[0] < 0.02 and ys[1] < 0.2
    assert ys[4] > 3.0
    assert np.all(np.diff(ys) > 0)


def test_review_sponges_are_implausible_at_physiological_levels() -> None:
    df = assess_review_sponges()
    assert set(df["sponge"]) >= {"NEAT1", "XIST", "circHIPK3", "MALAT1"}
    assert (df["verdict"] == "implausible").all()
    assert (df["added_sites"] < 0.1 * df["threshold"]).all()
    assert df["source"].str.len().min() > 10


def test_overexpressed_sponge_can_be_plausible() -> None:
    a = assess_sponge("circHIPK3", copies=1e5, sites=4, mirna_copies=1e5)
    assert a.added_sites == 4e5
    assert a.verdict == "plausible"
    b = assess_sponge("circHIPK3", copies=2e4, sites=2)
    assert b.verdict == "borderline"


def test_xist_sites_from_the_site_engine() -> None:
    from mirscope.sites import read_fasta

    seq = next(iter(dict(read_fasta(XIST_FA)).values()))
    a = assess_sponge("XIST", sequence=seq)
    assert a.sites == 2  # two 7mer-m8 sites; 6mers are not counted
    assert "site engine" in a.sites_source or "mirscope.sites.scan" in a.sites_source
    assert a.verdict == "implausible"


def test_copy_number_table() -> None:
    df = sponge_copy_numbers()
    assert {"sponge", "type", "copies", "source"} <= set(df.columns)
    assert (df["copies"] > 0).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"sponge": "NOT-A-SPONGE"}, UnknownNameError, "Unknown sponge"),
        ({"sponge": "NEAT1", "copies": -5}, InputError, "copies"),
        ({"sponge": "NEAT1", "threshold": 0}, InputError, "threshold"),
        ({"sponge": "NEAT1", "mirna_copies": -1}, InputError, "mirna_copies"),
    ],
)
def test_bad_sponge_input(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        assess_sponge(**kwargs)


def test_every_review_sponge_is_assessed() -> None:
    from mirscope.kb import load_review_relations
    from mirscope.simulate.sponge import review_sponges

    kb = {
        r.subject
        for r in load_review_relations()
        if r.relation == "sponges" and r.object == "hsa-miR-124-3p"
    }
    assert kb
    assert kb <= set(review_sponges())
    assert kb <= set(assess_review_sponges()["sponge"])
