"""Pathway enrichment: GMT parsing, hypergeometric + BH, the empirical miRNA null."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse, stats

from mirscope.errors import EmptyResultError, FileFormatError, InputError, UnknownNameError
from mirscope.network import (
    PATHWAY_GENE_SETS,
    enrich,
    load_gene_sets,
    mirna_target_weights,
    pathway_gene_sets,
    pathway_report,
    read_gmt,
    sample_mirna_null_sets,
    sample_null_sets,
    site_count_weights,
)
from mirscope.network.enrichment import _null_exceedances, _null_exceedances_reference

from .conftest import DATA


# ---------------------------------------------------------------------------
# GMT
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["small.gmt", "small.gmt.gz"])
def test_read_gmt(name: str) -> None:
    sets = read_gmt(DATA / name)
    assert sets == {
        "SET_A": frozenset({"TP53", "MYC", "STAT3"}),
        "SET_B": frozenset({"EGFR", "KRAS"}),
        "SET_C": frozenset({"AQP3"}),
    }


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("malformed.gmt", r"malformed\.gmt, line 3: .*tabs, not spaces"),
        ("nogenes.gmt", r"nogenes\.gmt, line 1: .*at least one gene"),
    ],
)
def test_malformed_gmt_names_the_line(name: str, pattern: str) -> None:
    with pytest.raises(FileFormatError, match=pattern) as info:
        read_gmt(DATA / name)
    assert info.value.line == {"malformed.gmt": 3, "nogenes.gmt": 1}[name]


def test_gmt_missing_or_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_gmt(tmp_path / "nope.gmt")
    empty = tmp_path / "empty.gmt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="no gene set"):
        read_gmt(empty)


def test_gmt_not_text(tmp_path: Path) -> None:
    binary = tmp_path / "bin.gmt"
    binary.write_bytes(b"SET\tdesc\t\xff\xfe\n")
    with pytest.raises(FileFormatError, match="not UTF-8"):
        read_gmt(binary)
    broken = tmp_path / "broken.gmt.gz"
    broken.write_bytes(b"this is not gzip")
    with pytest.raises(FileFormatError, match="cannot read"):
        read_gmt(broken)


def test_shipped_collections() -> None:
    sets = load_gene_sets()
    by_coll = pd.Series([k.split(":", 1)[0] for k in sets]).value_counts().to_dict()
    assert by_coll == {"reactome": 2504, "wikipathways": 462, "hallmark": 50}
    # WikiPathways Entrez ids are mapped to symbols (WP61 Notch: 4851 = NOTCH1, 182 = JAG1)
    wp = sets["wikipathways:Notch Signaling Pathway (WP61)"]
    assert {"NOTCH1", "JAG1"} <= wp
    assert not any(g.isdigit() for g in wp)
    with pytest.raises(UnknownNameError, match="hallmark"):
        load_gene_sets("kegg")  # type: ignore[arg-type]


def test_core_pathway_sets_exist() -> None:
    sets = load_gene_sets()
    for pathway, names in PATHWAY_GENE_SETS.items():
        for name in names:
            assert name in sets, (pathway, name)
            assert len(sets[name]) >= 10, name
    assert pathway_gene_sets("wnt") == PATHWAY_GENE_SETS["Wnt/beta-catenin"]
    with pytest.raises(UnknownNameError, match="Notch"):
        pathway_gene_sets("Hippo")


# ---------------------------------------------------------------------------
# Hypergeometric test and BH against independent references
# ---------------------------------------------------------------------------
def _bh_reference(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg by its definition: q_i = min_{j >= i} p_(j) * m / j."""
    m = len(p)
    order = np.argsort(p)
    q = np.empty(m)
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        q[i] = running
    return q


def _toy_sets() -> dict[str, list[str]]:
    rng = np.random.default_rng(1)
    genes = [f"G{i}" for i in range(300)]
    return {
        f"S{j}": list(rng.choice(genes, size=int(rng.integers(10, 60)), replace=False))
        for j in range(25)
    }


def test_hypergeometric_matches_fisher_exact_and_bh() -> None:
    sets = _toy_sets()
    query = [f"G{i}" for i in range(0, 300, 7)]
    res = enrich(query, gene_sets=sets)
    tab = res.table
    N = res.n_background
    n = len(res.genes)
    for _, row in tab.iterrows():
        k, K = row["overlap"], row["set_size"]
        table = [[k, n - k], [K - k, N - K - n + k]]
        assert row["p_value"] == pytest.approx(
            stats.fisher_exact(table, alternative="greater")[1], rel=1e-9
        )
        assert row["expected"] == pytest.approx(K * n / N)
    np.testing.assert_allclose(tab["q_value"], _bh_reference(tab["p_value"].to_numpy()), rtol=1e-12)
    assert list(tab["p_value"]) == sorted(tab["p_value"])
    assert tab["p_empirical"].isna().all()


def test_background_restricts_sets_and_query() -> None:
    sets = {"S1": [f"G{i}" for i in range(20)], "S2": [f"G{i}" for i in range(20, 60)]}
    bg = [f"G{i}" for i in range(10, 200)]
    res = enrich(["G1", "G12", "G13", "G300"], gene_sets=sets, background=bg)
    assert res.n_background == 190
    assert res.genes == ("G12", "G13")
    assert res.unmatched == ("G1", "G300")
    s1 = res.table.set_index("gene_set").loc["S1"]
    assert s1["set_size"] == 10
    assert s1["genes"] == "G12,G13"


def test_aliases_are_mapped_to_approved_symbols() -> None:
    sets = {"S": ["RAB38", "STAT3"] + [f"X{i}" for i in range(10)]}
    res = enrich(["Rab38"], gene_sets=sets)
    assert res.genes == ("RAB38",)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"null": "permutation"}, InputError, "null='permutation'"),
        ({"null": "empirical", "n_null": 0}, InputError, "n_null=0"),
        ({"min_size": 0}, InputError, "min_size"),
        ({"background": ["Z1", "Z2"]}, EmptyResultError, "none of the 2 query genes"),
        ({"min_size": 400}, EmptyResultError, "lower min_size"),
    ],
)
def test_enrich_bad_input(kwargs: dict, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        enrich(["G1", "G2"], gene_sets=_toy_sets(), **kwargs)


def test_gmt_path_as_gene_sets() -> None:
    res = enrich(["TP53", "MYC"], gene_sets=DATA / "small.gmt", min_size=1)
    assert res.table.loc[0, "gene_set"] == "SET_A"
    assert res.table.loc[0, "collection"] == "user"


# ---------------------------------------------------------------------------
# Empirical null
# ---------------------------------------------------------------------------
def test_sampler_draws_distinct_positive_weight_items() -> None:
    w = np.array([0.0, 1.0, 2.0, 0.0, 5.0, 1.0, 1.0])
    d = sample_null_sets(w, 3, n_draws=500, rng=np.random.default_rng(0))
    assert d.shape == (500, 3)
    assert all(len(set(row)) == 3 for row in d)
    assert not np.isin(d, [0, 3]).any()
    with pytest.raises(InputError, match="only 5 genes have a positive"):
        sample_null_sets(w, 6, n_draws=1, rng=np.random.default_rng(0))


def _exact_inclusion(w: np.ndarray, size: int) -> np.ndarray:
    """Inclusion probabilities of successive weighted sampling, by enumerating all orders."""
    p = w / w.sum()
    incl = np.zeros(len(w))
    for order in itertools.permutations(range(len(w)), size):
        prob, rest = 1.0, 1.0
        for i in order:
            prob *= p[i] / rest
            rest -= p[i]
        incl[list(order)] += prob
    return incl


@pytest.mark.parametrize("size", [2, 3, 4])  # 4 of 6 uses the exponential-key branch
def test_sampler_matches_exact_successive_sampling(size: int) -> None:
    w = np.array([1.0, 2.0, 3.0, 4.0, 10.0, 0.5])
    n = 40_000
    d = sample_null_sets(w, size, n_draws=n, rng=np.random.default_rng(size))
    freq = np.bincount(d.ravel(), minlength=6) / n
    # binomial standard error of an inclusion frequency is <= 0.0025 here
    np.testing.assert_allclose(freq, _exact_inclusion(w, size), atol=0.0125)


@settings(max_examples=30, deadline=None)
@given(
    n_genes=st.integers(5, 40),
    n_sets=st.integers(1, 6),
    size=st.integers(1, 5),
    seed=st.integers(0, 1000),
)
def test_fast_null_counts_equal_reference(n_genes: int, n_sets: int, size: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    members = [
        frozenset(rng.choice(n_genes, size=int(rng.integers(1, n_genes)), replace=False).tolist())
        for _ in range(n_sets)
    ]
    rows = [g for m in members for g in sorted(m)]
    cols = [j for j, m in enumerate(members) for _ in m]
    M = sparse.csc_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(n_genes, n_sets)
    )
    observed = rng.integers(0, size + 1, size=n_sets)
    draws = sample_null_sets(np.ones(n_genes), min(size, n_genes), n_draws=2500, rng=rng)
    ge, total = _null_exceedances(M, observed, draws)
    np.testing.assert_array_equal(
        ge, _null_exceedances_reference(members, observed.tolist(), draws)
    )
    expected_total = sum(len(m & set(r.tolist())) for r in draws for m in members)
    assert total.sum() == expected_total


def test_empirical_p_values_follow_the_formula() -> None:
    # genes G0..G9 never drawn (weight 0): an overlap there is never reached by the null
    sets = {"S_rare": [f"G{i}" for i in range(10)], "S_common": [f"G{i}" for i in range(10, 40)]}
    weights = {f"G{i}": (0.0 if i < 10 else 1.0) for i in range(100)}
    res = enrich(
        ["G0", "G1"],
        gene_sets=sets,
        background=list(weights),
        null="empirical",
        null_weights=weights,
        n_null=999,
        seed=3,
    )
    tab = res.table.set_index("gene_set")
    assert tab.loc["S_rare", "p_empirical"] == pytest.approx(1 / 1000)
    assert tab.loc["S_rare", "null_mean"] == 0.0
    # overlap 0 with S_common: every draw reaches it
    assert tab.loc["S_common", "p_empirical"] == 1.0
    np.testing.assert_allclose(
        res.table["q_empirical"], _bh_reference(res.table["p_empirical"].to_numpy()), rtol=1e-12
    )


def test_empirical_null_is_seeded_and_corrects_frequent_targets() -> None:
    """A set of frequently targeted genes looks enriched by the hypergeometric test but not
    against a null that draws frequently targeted genes more often."""
    hub = [f"H{i}" for i in range(30)]
    other = [f"O{i}" for i in range(470)]
    sets = {"HUB": hub, "OTHER": other[:40]}
    # the query mirrors the bias: 8 of its 20 genes are hub genes
    query = hub[:8] + other[100:112]
    weights = {g: 10.0 for g in hub} | {g: 1.0 for g in other}
    kw = {
        "gene_sets": sets,
        "background": hub + other,
        "null": "empirical",
        "null_weights": weights,
        "n_null": 2000,
    }
    a = enrich(query, seed=7, **kw)
    b = enrich(query, seed=7, **kw)
    pd.testing.assert_frame_equal(a.table, b.table)
    hub_row = a.table.set_index("gene_set").loc["HUB"]
    assert hub_row["q_value"] < 1e-4  # hypergeometric: strongly "enriched"
    assert hub_row["p_empirical"] > 0.05  # expected under the frequency-weighted null
    assert hub_row["null_mean"] > 5


def test_site_matched_null_from_scan_output() -> None:
    sites = pd.DataFrame({"transcript": ["H0"] * 5 + ["O1"], "site_type": ["8mer"] * 6})
    w = site_count_weights(sites, pseudocount=0.5)
    assert w.to_dict() == {"H0": 5.5, "O1": 1.5}
    with pytest.raises(InputError, match="gene column"):
        site_count_weights(pd.DataFrame({"x": [1]}))
    with pytest.raises(InputError, match="pseudocount"):
        site_count_weights(sites, pseudocount=-1)


def test_mirna_null_draws_come_from_real_target_lists() -> None:
    sets = [np.array([0, 1, 2, 3]), np.array([10, 11]), np.array([20, 21, 22])]
    d = sample_mirna_null_sets(sets, 3, n_draws=2000, rng=np.random.default_rng(0))
    assert d.shape == (2000, 3)
    assert all(len(set(row)) == 3 for row in d)
    # a draw of 3 genes pools whole miRNA target lists: it never mixes three lists
    owner = {g: i for i, s in enumerate(sets) for g in s.tolist()}
    assert max(len({owner[g] for g in row}) for row in d.tolist()) <= 2
    assert {owner[g] for g in d.ravel().tolist()} == {0, 1, 2}
    with pytest.raises(InputError, match="cover only 9 background genes"):
        sample_mirna_null_sets(sets, 10, n_draws=1, rng=np.random.default_rng(0))


def test_enrich_with_the_mirna_null() -> None:
    hub = [f"H{i}" for i in range(30)]
    other = [f"O{i}" for i in range(470)]
    # other miRNAs' validated targets are mostly hub genes
    rows = [(f"m{j}", g) for j in range(40) for g in hub[j % 5 : j % 5 + 12]]
    rows += [(f"m{j}", other[j]) for j in range(40)] + [("query", g) for g in hub[:8]]
    targets = pd.DataFrame(rows, columns=["mirna", "target"])
    query = hub[:8] + other[100:112]
    res = enrich(
        query,
        gene_sets={"HUB": hub, "OTHER": other[:40]},
        background=hub + other,
        null="empirical",
        null_model="mirnas",
        null_targets=targets,
        mirna="query",
        n_null=1000,
    )
    row = res.table.set_index("gene_set").loc["HUB"]
    assert row["q_value"] < 1e-4
    assert row["p_empirical"] > 0.05
    assert res.params["null_model"] == "mirnas"
    with pytest.raises(InputError, match="null_model='random'"):
        enrich(query, gene_sets={"HUB": hub}, null="empirical", null_model="random")  # type: ignore[arg-type]


def test_negative_null_weights_rejected() -> None:
    with pytest.raises(InputError, match="null weights must be finite"):
        enrich(
            ["G1"], gene_sets=_toy_sets(), null="empirical", null_weights={"G1": -1.0}, n_null=10
        )


def test_mirna_target_weights_excludes_the_query_mirna() -> None:
    t = pd.DataFrame(
        {
            "mirna": ["hsa-miR-124-3p", "hsa-miR-21-5p", "hsa-miR-21-5p", "hsa-miR-155-5p"],
            "target": ["STAT3", "STAT3", "PTEN", "STAT3"],
        }
    )
    assert mirna_target_weights(t).to_dict() == {"PTEN": 1, "STAT3": 3}
    assert mirna_target_weights(t, exclude_mirna="miR-124").to_dict() == {"PTEN": 1, "STAT3": 2}
    with pytest.raises(InputError, match="'mirna' and 'target'"):
        mirna_target_weights(pd.DataFrame({"a": [1]}))


def test_pathway_report_and_records() -> None:
    genes = sorted(load_gene_sets("hallmark")["hallmark:HALLMARK_NOTCH_SIGNALING"])[:6]
    res = enrich(genes, gene_sets="hallmark")
    rep = pathway_report(res)
    notch = rep[rep["pathway"] == "Notch"].iloc[0]
    assert notch["overlap"] == 6 and bool(notch["significant"])
    assert set(rep["pathway"]) == set(PATHWAY_GENE_SETS)
    rec = res.to_records()
    assert rec["n_genes"] == 6 and rec["null"] is None
    assert rec["table"][0]["gene_set"] == "hallmark:HALLMARK_NOTCH_SIGNALING"
