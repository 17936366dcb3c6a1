"""Binding-site engine: seed sites of miRNAs in mRNAs, lncRNAs and circRNAs.

* :func:`scan` — every site of one miRNA in a set of transcripts (linear or
  circular), with duplex free energy and 3'-supplementary pairing score;
  :func:`summarize` gives per-transcript counts and sites per kb.
* :func:`scan_transcriptome` / :func:`scan_transcriptome_dask` — all miRNAs
  against a transcriptome, streamed to Parquet (single process or Dask).
* :func:`run_targetscan`, :func:`run_bl_pct`, :func:`run_orf` — TargetScan 7's
  site table, branch-length/P_CT stage and ORF lengths / 8mer counts.
* :func:`best_site_types`, :func:`roc_auc`, :func:`precision_at_recall` —
  evaluation against labelled binding data (AGO CLIP).
* Readers: :func:`read_fasta`, :func:`read_mirbase_mature`,
  :func:`read_targetscan_families`, :func:`read_targetscan_utrs`.

Examples
--------
>>> from mirscope.sites import scan
>>> scan({"t": "AAGUGCCUUAA"}, "miR-124", mirna_seq="UAAGGCACGCGGUGAAUGCC",
...      energies=False)["site_type"].tolist()
['8mer']
"""

from __future__ import annotations

from mirscope.sites.conservation import run_bl_pct
from mirscope.sites.context_scores import context_scores, run_context_scores
from mirscope.sites.evaluate import best_site_types, precision_at_recall, roc_auc
from mirscope.sites.io import (
    MirnaFamily,
    UtrAlignment,
    read_fasta,
    read_mirbase_mature,
    read_targetscan_families,
    read_targetscan_utrs,
)
from mirscope.sites.scan import (
    SCAN_COLUMNS,
    SUMMARY_COLUMNS,
    duplex_energy,
    resolve_mirna,
    scan,
    summarize,
    supplementary_score,
)
from mirscope.sites.seeds import find_sites, find_sites_naive
from mirscope.sites.targetscan import (
    orf_lengths_and_8mers,
    run_orf,
    run_targetscan,
    targetscan_sites,
)
from mirscope.sites.transcriptome import (
    ScanStats,
    read_sites_parquet,
    scan_transcriptome,
    scan_transcriptome_dask,
)

__all__ = [
    "SCAN_COLUMNS",
    "SUMMARY_COLUMNS",
    "MirnaFamily",
    "ScanStats",
    "UtrAlignment",
    "best_site_types",
    "context_scores",
    "duplex_energy",
    "find_sites",
    "find_sites_naive",
    "orf_lengths_and_8mers",
    "precision_at_recall",
    "read_fasta",
    "read_mirbase_mature",
    "read_sites_parquet",
    "read_targetscan_families",
    "read_targetscan_utrs",
    "resolve_mirna",
    "roc_auc",
    "run_bl_pct",
    "run_context_scores",
    "run_orf",
    "run_targetscan",
    "scan",
    "scan_transcriptome",
    "scan_transcriptome_dask",
    "summarize",
    "supplementary_score",
    "targetscan_sites",
]
