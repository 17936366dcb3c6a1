"""Scan genes by name: fetch their 3'UTRs (cache or Ensembl) and find a miRNA's sites.

This is the wiring between :mod:`mirscope.sequences`, :mod:`mirscope.sites` and the
knowledge base: "where does miR-124 bind STAT3?", and "which of the review's validated
HCC targets of miR-124 have a canonical site in their 3'UTR?".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from mirscope.errors import InputError, RemoteServiceError
from mirscope.sequences.ensembl import EnsemblClient

__all__ = [
    "CANONICAL_SITE_TYPES",
    "CacheOnlyTransport",
    "GeneScan",
    "kb_target_genes",
    "scan_genes",
]

logger = logging.getLogger(__name__)

#: Site types counted as "canonical" when flagging validated targets without a site.
CANONICAL_SITE_TYPES: tuple[str, ...] = ("8mer", "7mer-m8", "7mer-A1")


class CacheOnlyTransport:
    """A transport that never reaches the network: everything must come from the cache."""

    def get(self, url: str, params: Mapping[str, str]) -> tuple[int, Mapping[str, str], bytes]:
        raise OSError("cache-only mode: no network access")


@dataclass
class GeneScan:
    """Sites of one miRNA in the 3'UTRs of named genes.

    Attributes
    ----------
    sites
        One row per site (columns of :func:`mirscope.sites.scan`, plus ``gene``).
    genes
        One row per gene: ``gene``, ``transcript``, ``utr_length``, ``n_sites``, counts per
        site type, ``has_canonical_site`` and ``status`` (``ok`` or why no sequence).
    """

    sites: pd.DataFrame
    genes: pd.DataFrame
    missing: dict[str, str] = field(default_factory=dict)


def kb_target_genes(mirna: str, *, cancer: str | None = None, kb: object | None = None) -> list[str]:
    """Genes the knowledge base reports as direct targets of ``mirna`` (in one cancer).

    Examples
    --------
    >>> "STAT3" in kb_target_genes("miR-124", cancer="breast")
    True
    """
    from mirscope.kb import open_store

    store = kb if kb is not None else open_store()
    rels = store.query(mirna=mirna, cancer=cancer, relation="targets")  # type: ignore[attr-defined]
    genes = sorted({r.object for r in rels if r.object_type == "gene"})
    if not genes:
        where = f" in {cancer}" if cancer else ""
        raise InputError(
            f"The knowledge base has no 'targets' relations of {mirna!r}{where}; "
            "try without --cancer or check `mirscope kb query --mirna ...`."
        )
    return genes


def scan_genes(
    genes: Iterable[str],
    mirna: str,
    *,
    client: EnsemblClient | None = None,
    offline: bool = False,
    all_transcripts: bool = False,
    energies: bool = True,
    on_missing: str = "error",
) -> GeneScan:
    """Fetch the 3'UTRs of named genes and scan them for a miRNA's sites.

    Parameters
    ----------
    genes
        HGNC symbols (any alias) or Ensembl/RefSeq ids.
    mirna
        Any miRNA spelling (resolved by :mod:`mirscope.names`).
    client
        An :class:`EnsemblClient`; default: the cached client (network when needed).
    offline
        Use only cached sequences (never the network).
    all_transcripts
        Scan every transcript's 3'UTR, not only the canonical one.
    energies
        Compute duplex energies and supplementary scores.
    on_missing
        ``"error"`` (default): a gene whose sequence cannot be had stops the run;
        ``"report"``: such genes are listed with ``status`` saying why.
    """
    from mirscope.sites import scan, summarize

    if on_missing not in ("error", "report"):
        raise InputError(f"on_missing must be 'error' or 'report', got {on_missing!r}.")
    if client is None:
        client = (
            EnsemblClient(transport=CacheOnlyTransport(), retries=0) if offline else EnsemblClient()
        )
    genes = list(dict.fromkeys(genes))
    if not genes:
        raise InputError("No genes given; name at least one gene, e.g. --gene STAT3.")
    seqs: dict[str, str] = {}
    gene_of: dict[str, str] = {}
    missing: dict[str, str] = {}
    for gene in genes:
        try:
            recs = client.fetch(gene, kind="utr3", all_transcripts=all_transcripts)
        except RemoteServiceError as err:
            if on_missing == "error":
                raise
            missing[gene] = "no sequence (not cached and Ensembl unreachable)"
            logger.info("%s: %s", gene, err)
            continue
        except InputError as err:
            if on_missing == "error":
                raise
            missing[gene] = f"no 3'UTR ({err})"
            continue
        for rec in recs:
            if len(rec.seq) < 8:
                missing.setdefault(gene, f"3'UTR of {rec.transcript} shorter than a seed site")
                continue
            seqs[rec.id] = rec.seq
            gene_of[rec.id] = rec.gene or gene
    columns = ["gene", "transcript", "utr_length", "n_sites", "n_8mer", "n_7mer-m8", "n_7mer-A1",
               "n_6mer", "n_offset-6mer", "has_canonical_site", "status"]
    if not seqs:
        genes_df = pd.DataFrame(
            [{"gene": g, "status": why} for g, why in missing.items()], columns=columns
        )
        return GeneScan(sites=pd.DataFrame(), genes=genes_df, missing=missing)
    sites = scan(seqs, mirna, energies=energies)
    sites.insert(0, "gene", sites["transcript"].map(gene_of))
    summ = summarize(sites)
    rows = []
    for _, r in summ.iterrows():
        canonical = any(int(r[f"n_{t}"]) > 0 for t in CANONICAL_SITE_TYPES)
        rows.append(
            {"gene": gene_of[r["transcript"]], "transcript": r["transcript"].split("|")[0],
             "utr_length": int(r["length"]), "n_sites": int(r["n_sites"]),
             **{f"n_{t}": int(r[f"n_{t}"]) for t in ("8mer", "7mer-m8", "7mer-A1", "6mer", "offset-6mer")},
             "has_canonical_site": canonical, "status": "ok"}
        )
    rows += [{"gene": g, "status": why} for g, why in missing.items()]
    genes_df = pd.DataFrame(rows, columns=columns)
    for col in columns[2:9]:
        genes_df[col] = genes_df[col].astype("Int64")
    genes_df["has_canonical_site"] = genes_df["has_canonical_site"].astype("boolean")
    return GeneScan(sites=sites, genes=genes_df, missing=missing)
