"""Sequences by name: 3'UTRs, CDSs, transcripts, lncRNAs and circRNAs.

Two routes, one result (:class:`SequenceRecord` objects ready for
:func:`mirscope.sites.scan`):

- online, by name: :class:`EnsemblClient` (Ensembl REST, rate limited, retried, cached per
  release in the user cache directory so later runs work offline);
- offline, from files: :func:`extract_features` streams a local GTF + genome FASTA.

circRNAs are assembled from exon coordinates (:func:`circrna_sequence`), using a small
shipped table for the circRNAs the review names.
"""

from __future__ import annotations

from mirscope.sequences._seq import (
    SEQUENCE_KINDS,
    SequenceRecord,
    reverse_complement,
    write_fasta_atomic,
)
from mirscope.sequences.circrna import (
    CircSpec,
    circrna_sequence,
    known_circrna,
    known_circrnas,
    parse_circ_coordinates,
)
from mirscope.sequences.ensembl import EnsemblClient, SequenceCache, split_masked_cdna
from mirscope.sequences.gtf import (
    GTF_FEATURES,
    ExtractionReport,
    TranscriptModel,
    extract_features,
    iter_features,
    iter_transcript_models,
)
from mirscope.sequences.targets import (
    CANONICAL_SITE_TYPES,
    CacheOnlyTransport,
    GeneScan,
    kb_target_genes,
    scan_genes,
)

__all__ = [
    "CANONICAL_SITE_TYPES",
    "GTF_FEATURES",
    "SEQUENCE_KINDS",
    "CacheOnlyTransport",
    "CircSpec",
    "EnsemblClient",
    "ExtractionReport",
    "GeneScan",
    "SequenceCache",
    "SequenceRecord",
    "TranscriptModel",
    "circrna_sequence",
    "extract_features",
    "fetch_utr3",
    "iter_features",
    "iter_transcript_models",
    "kb_target_genes",
    "known_circrna",
    "known_circrnas",
    "parse_circ_coordinates",
    "reverse_complement",
    "scan_genes",
    "split_masked_cdna",
    "write_fasta_atomic",
]


def fetch_utr3(
    genes: list[str], *, client: EnsemblClient | None = None, all_transcripts: bool = False
) -> dict[str, str]:
    """3'UTR sequences of genes by name, keyed by record id (``transcript|SYMBOL|utr3``).

    A convenience for scanning: ``mirscope.sites.scan(fetch_utr3(["STAT3"]), "miR-124-3p")``.
    Uses the cache first; raises :class:`~mirscope.errors.RemoteServiceError` when a sequence
    is neither cached nor reachable.
    """
    client = client if client is not None else EnsemblClient()
    out: dict[str, str] = {}
    for gene in genes:
        for rec in client.fetch(gene, kind="utr3", all_transcripts=all_transcripts):
            out[rec.id] = rec.seq
    return out
