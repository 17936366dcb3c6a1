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

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

# Submodules are imported on first use (PEP 562), so that a command that needs only the
# seed index does not pay for pandas/SciPy start-up.
_EXPORTS = {
    "run_bl_pct": "conservation",
    "context_scores": "context_scores",
    "run_context_scores": "context_scores",
    "best_site_types": "evaluate",
    "precision_at_recall": "evaluate",
    "roc_auc": "evaluate",
    "MirnaFamily": "io",
    "UtrAlignment": "io",
    "read_fasta": "io",
    "read_mirbase_mature": "io",
    "read_targetscan_families": "io",
    "read_targetscan_utrs": "io",
    "SCAN_COLUMNS": "scan",
    "SUMMARY_COLUMNS": "scan",
    "duplex_energy": "scan",
    "resolve_mirna": "scan",
    "scan": "scan",
    "summarize": "scan",
    "supplementary_score": "scan",
    "find_sites": "seeds",
    "find_sites_naive": "seeds",
    "orf_lengths_and_8mers": "targetscan",
    "run_orf": "targetscan",
    "run_targetscan": "targetscan",
    "targetscan_sites": "targetscan",
    "ScanStats": "transcriptome",
    "read_sites_parquet": "transcriptome",
    "scan_transcriptome": "transcriptome",
    "scan_transcriptome_dask": "transcriptome",
}

if TYPE_CHECKING:  # pragma: no cover
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


#: Public functions that share their name with the submodule defining them.
_SHADOWED = frozenset({"scan", "context_scores"})


class _SitesPackage(types.ModuleType):
    """Keeps ``mirscope.sites.scan``/``context_scores`` the functions once their modules load.

    Importing a submodule makes Python set it as an attribute of the package; with lazy
    exports that would replace the function ``scan`` by the module ``scan``. The modules stay
    importable (``from mirscope.sites.scan import ...``) through ``sys.modules``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _SitesPackage


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mirscope.sites' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"mirscope.sites.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


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
