"""Scanning genes by name: cached/recorded 3'UTRs fed to the site engine."""

from __future__ import annotations

import pytest

from mirscope.errors import InputError, RemoteServiceError
from mirscope.sequences import CacheOnlyTransport, EnsemblClient, SequenceCache, scan_genes

from .test_ensembl import Replay, _client


def test_scan_gene_by_name_finds_fixture_sites() -> None:
    res = scan_genes(["STAT3"], "miR-124-3p", client=_client(Replay()))
    assert res.sites["site_type"].tolist() == ["8mer", "7mer-A1", "6mer", "8mer"]
    assert set(res.sites["gene"]) == {"STAT3"}
    row = res.genes.iloc[0]
    assert (row["gene"], row["n_sites"], row["n_8mer"], bool(row["has_canonical_site"])) == ("STAT3", 4, 2, True)


def test_gene_without_utr_reported_or_raised() -> None:
    res = scan_genes(["STAT3", "NEAT1"], "miR-124", client=_client(Replay()), on_missing="report")
    assert res.genes.set_index("gene").loc["NEAT1", "status"].startswith("no 3'UTR")
    with pytest.raises(InputError, match="has no CDS"):
        scan_genes(["NEAT1"], "miR-124", client=_client(Replay()))


def test_offline_uses_cache_only(tmp_path) -> None:  # noqa: ANN001
    cache = SequenceCache(tmp_path / "c.sqlite")
    _client(Replay(), cache=cache).fetch("STAT3")
    offline = EnsemblClient(transport=CacheOnlyTransport(), cache=cache, retries=0)
    assert scan_genes(["STAT3"], "miR-124", client=offline, energies=False).genes["n_sites"].iloc[0] == 4
    with pytest.raises(RemoteServiceError, match="failed after 1 attempts"):
        scan_genes(["ZEB2"], "miR-124", client=offline)
    res = scan_genes(["ZEB2"], "miR-124", client=offline, on_missing="report")
    assert res.genes["status"].iloc[0].startswith("no sequence")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"genes": []}, "No genes given"), ({"genes": ["STAT3"], "on_missing": "skip"}, "on_missing must be")],
)
def test_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        scan_genes(mirna="miR-124", client=_client(Replay()), **kwargs)
