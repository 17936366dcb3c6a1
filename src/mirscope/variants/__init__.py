"""Variant effects on miRNA sites: which variants of a VCF make, break or retype sites.

* :func:`annotate_vcf` — stream a sorted VCF against transcript features (3'UTRs, lncRNA
  exons) from a GTF + genome (:func:`features_from_gtf`) or a UTR FASTA with coordinates
  (:func:`read_feature_fasta`), for one or all miRNAs; rows per site gained, lost or changed
  in type, with duplex energies of both alleles; variants in miRNA precursors (miRBase
  GFF3, :class:`PrecursorIndex`) with the mature miRNA and seed they change.
* :func:`site_changes` — the fast windowed comparison on one sequence, with
  :func:`site_changes_reference` (whole-sequence rescan) kept beside it as the reference.
* :func:`iter_vcf` — the validating VCF reader.

Conventions (VCF and GTF 1-based; positions reported along the transcript feature 5'->3'
and on the genome's + strand) are in :mod:`mirscope.variants.annotate` and docs/variants.md.

Examples
--------
>>> from mirscope.variants import Feature, VcfRecord, annotate_records
>>> f = Feature("T1", "G1", "1", "+", "utr3", ((101, 116),), "CCCCGTGCCTTACCCC")
>>> rows = annotate_records([VcfRecord("1", 107, ".", "G", ("C",), 1)], [f],
...                         {"miR-x": "UAAGGCACGCGGUGAAUGCC"}, energies=False)
>>> [(r["effect"], r["ref_site_type"], r["alt_site_type"]) for r in rows]
[('lost', '8mer', None)]
"""

from __future__ import annotations

from mirscope.variants.annotate import (
    AnnotationStats,
    Feature,
    VariantAnnotator,
    annotate_records,
    features_from_gtf,
    read_feature_fasta,
)
from mirscope.variants.precursors import Mature, Precursor, PrecursorIndex
from mirscope.variants.run import VARIANT_FORMATS, VariantRun, annotate_vcf, write_rows
from mirscope.variants.sitechange import (
    SeedTable,
    SiteChange,
    site_changes,
    site_changes_reference,
)
from mirscope.variants.summary import GENE_SUMMARY_COLUMNS, annotate_small_vcf, gene_summary
from mirscope.variants.vcf import VcfRecord, VcfStats, iter_vcf

__all__ = [
    "GENE_SUMMARY_COLUMNS",
    "VARIANT_FORMATS",
    "AnnotationStats",
    "Feature",
    "Mature",
    "Precursor",
    "PrecursorIndex",
    "SeedTable",
    "SiteChange",
    "VariantAnnotator",
    "VariantRun",
    "VcfRecord",
    "VcfStats",
    "annotate_records",
    "annotate_small_vcf",
    "annotate_vcf",
    "features_from_gtf",
    "gene_summary",
    "iter_vcf",
    "read_feature_fasta",
    "site_changes",
    "site_changes_reference",
    "write_rows",
]
