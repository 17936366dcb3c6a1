"""Per-gene summaries of variant site effects, for the report and the web workbench.

Examples
--------
>>> rows = [{"gene": "G1", "transcript": "T1", "mirna": "m", "effect": "lost"},
...         {"gene": "G1", "transcript": "T2", "mirna": "m", "effect": "gained"}]
>>> gene_summary(rows, network_genes={"G1"})[["gene", "n_gained", "n_lost", "in_network"]].values.tolist()
[['G1', 1, 1, True]]
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from itertools import islice

import pandas as pd

from mirscope.errors import InputError
from mirscope.variants.annotate import AnnotationStats, VariantAnnotator, read_feature_fasta
from mirscope.variants.vcf import VcfStats, iter_vcf

__all__ = ["GENE_SUMMARY_COLUMNS", "annotate_small_vcf", "gene_summary"]

#: Columns of :func:`gene_summary`.
GENE_SUMMARY_COLUMNS: tuple[str, ...] = (
    "gene", "transcripts", "n_gained", "n_lost", "n_changed", "mirnas", "in_network",
)


def gene_summary(
    rows: Iterable[Mapping[str, object]], *, network_genes: Collection[str] | None = None
) -> pd.DataFrame:
    """Sites gained, lost and changed per gene (most affected first).

    ``in_network`` says whether the gene is a node of the evidence network
    (``network_genes``), so a report or UI can link it there.
    """
    df = pd.DataFrame(list(rows))
    if df.empty:
        return pd.DataFrame(columns=list(GENE_SUMMARY_COLUMNS))
    out = []
    for gene, g in df.groupby("gene", sort=False):
        counts = g["effect"].value_counts()
        out.append({
            "gene": gene,
            "transcripts": g["transcript"].nunique(),
            "n_gained": int(counts.get("gained", 0)),
            "n_lost": int(counts.get("lost", 0)),
            "n_changed": int(counts.get("changed", 0)),
            "mirnas": ", ".join(sorted(g["mirna"].unique())[:10]),
            "in_network": bool(network_genes is not None and gene in network_genes),
        })
    res = pd.DataFrame(out, columns=list(GENE_SUMMARY_COLUMNS))
    res["_total"] = res["n_gained"] + res["n_lost"] + res["n_changed"]
    return res.sort_values(["_total", "gene"], ascending=[False, True]).drop(columns="_total").reset_index(drop=True)


def annotate_small_vcf(
    vcf: str | os.PathLike[str],
    utrs: str | os.PathLike[str],
    mirnas: Mapping[str, str],
    *,
    max_records: int = 50_000,
    energies: bool = True,
) -> tuple[list[dict[str, object]], VcfStats, AnnotationStats]:
    """Annotate a small VCF against a UTR FASTA with coordinates, in memory.

    For the report and the web workbench; large files go through
    :func:`mirscope.variants.annotate_vcf`. More than ``max_records`` records is an error.
    """
    feats = read_feature_fasta(utrs)
    ann = VariantAnnotator(feats, mirnas, energies=energies)
    vstats = VcfStats()
    rows: list[dict[str, object]] = []
    for rec in islice(iter_vcf(vcf, stats=vstats), max_records + 1):
        if vstats.records > max_records:
            raise InputError(
                f"the VCF has more than {max_records} records; annotate it with `mirscope variants` "
                "(streamed) or raise the limit"
            )
        rows.extend(ann.annotate(rec))
    return rows, vstats, ann.stats
