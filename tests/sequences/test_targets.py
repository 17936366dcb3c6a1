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


def test_offline_uses_cache_only(tmp_path) -> None:
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


def test_cli_sites_scan_gene_from_cache(capsys: pytest.CaptureFixture[str]) -> None:
    """`mirscope sites scan --mirna miR-124-3p --gene STAT3` with a cached sequence."""
    from mirscope.cli import main

    _client(Replay(), cache=SequenceCache()).fetch("STAT3")  # an earlier online run
    assert main(["sites", "scan", "--mirna", "miR-124-3p", "--gene", "STAT3", "--offline", "--no-energies"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("transcript\tstart\tend\tsite_type")
    assert [ln.split("\t")[3] for ln in lines[1:]] == ["8mer", "7mer-A1", "6mer", "8mer"]
    assert all(ln.startswith("ENST00000264657.10|STAT3|utr3") for ln in lines[1:])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fasta", "x.fa", "--gene", "STAT3"], "Give exactly one sequence source"),
        ([], "Give exactly one sequence source"),
        (["--gene", "STAT3", "--cancer", "HCC"], "--cancer only applies with --genes-from-kb"),
    ],
)
def test_cli_sites_scan_source_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    from mirscope.cli import main

    assert main(["sites", "scan", "--mirna", "miR-124", *args]) == 2
    assert message in capsys.readouterr().err


def test_cli_genes_from_kb_offline_reports_missing(capsys: pytest.CaptureFixture[str]) -> None:
    from mirscope.cli import main

    _client(Replay(), cache=SequenceCache()).fetch("STAT3")
    # Breast-cancer targets of miR-124 in the curated review include STAT3 (cached) and
    # others that are not cached: offline, the first uncached one stops the run clearly.
    code = main(["sites", "scan", "--mirna", "miR-124", "--genes-from-kb", "--cancer", "breast", "--offline"])
    assert code == 2
    assert "cache" in capsys.readouterr().err.lower()


def test_report_shows_target_sites_from_cache() -> None:
    """The report lists each reported target's 3'UTR sites next to its references."""
    from mirscope.report import build_report

    _client(Replay(), cache=SequenceCache()).fetch("STAT3")
    html = build_report("miR-124", cancer="breast", sections=("sites",))
    assert 'id="sites-kb-targets"' in html
    row = html[html.index(">STAT3<") :][:2000]
    assert "ENST00000264657.10" in row and ">4<" in row
    assert "no sequence (not cached and Ensembl unreachable)" in html


def test_report_without_cached_sequences_says_how_to_get_them() -> None:
    from mirscope.report import build_report

    html = build_report("miR-124", cancer="HCC", sections=("sites",))
    assert "mirscope sequences fetch" in html and "--online-sequences" in html
