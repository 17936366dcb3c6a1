"""Ranked targets of a miRNA: one row per target gene, ranked by evidence strength.

Every ``targets`` relation of the miRNA in the knowledge base (the review, miRTarBase,
accepted literature candidates and user imports) is grouped by target gene. For each gene
the table lists the distinct references (PubMed ids, and the review's reference numbers),
the experiments classed as strong or weak, the sources, the cancers, the review's sentence
when the review reports the interaction, and optionally the number of predicted binding
sites.

Evidence-strength score (documented in ``docs/kb.md``)::

    score = sum over distinct references r of w(r)  +  (number of sources - 1)
    w(r)  = 1 + 0.5 * min(3, number of strong method classes reported in r)   if any strong
          = 0.5                                                                if only weak
          = 1.5                                        a review reference (curated sentence)
          = 1.0                                        a reference with no method given

Strong method classes (miRTarBase's definition of strong evidence): reporter assay,
western blot, qPCR, northern blot. Everything else (microarray, sequencing, proteomics,
CLIP, immunostaining, ...) is weak. The table of method spellings is :data:`EXPERIMENT_CLASSES`.

Examples
--------
>>> from mirscope.kb import open_store
>>> df = ranked_targets(open_store("sqlite://"), "miR-21")
>>> list(df["gene"][:2])
['PTEN', 'PDCD4']
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from mirscope import names
from mirscope.errors import EmptyResultError, InputError
from mirscope.schema import SOURCES

if TYPE_CHECKING:
    import pandas as pd

    from mirscope.kb.model import Relation
    from mirscope.kb.store import KnowledgeBase

__all__ = [
    "EXPERIMENT_CLASSES",
    "TARGET_COLUMNS",
    "classify_experiment",
    "ranked_targets",
    "target_score",
]

log = logging.getLogger(__name__)

Strength = Literal["strong", "weak"]

#: Method spellings -> (class, strength): (regular expression, class name, strength),
#: first match wins. Rules are data: add a row to teach a new spelling.
EXPERIMENT_CLASSES: tuple[tuple[str, str, Strength], ...] = (
    (r"reporter|luciferase|gfp|lacz|gluc|gus\b|top/fop", "reporter assay", "strong"),
    (r"western|immunoblot|wetsern", "western blot", "strong"),
    (r"q\s*-?rt\s*-?pcr|qpcr|real[- ]time pcr|rt-?pcr|quantitative pcr", "qPCR", "strong"),
    (r"northern", "northern blot", "strong"),
    (r"microarray|array", "microarray", "weak"),
    (r"sequencing|ngs|seq\b|rna-seq", "sequencing", "weak"),
    (r"clip|clash|par-clip", "CLIP", "weak"),
    (r"proteom|silac|mass spec|2-?d ?ge|2dge|gel electrophoresis", "proteomics", "weak"),
    (r"immunohisto|ihc", "immunohistochemistry", "weak"),
    (r"immunofluo|immunoflou|immunocyto", "immunofluorescence", "weak"),
    (r"immunoprecip|immunopercip|communoprecip|\brip\b|chip", "immunoprecipitation", "weak"),
    (r"flow|facs", "flow cytometry", "weak"),
    (r"in situ", "in situ hybridization", "weak"),
    (r"elisa", "ELISA", "weak"),
)
_COMPILED = tuple((re.compile(p, re.I), c, s) for p, c, s in EXPERIMENT_CLASSES)

#: Columns of :func:`ranked_targets`.
TARGET_COLUMNS: tuple[str, ...] = (
    "rank",
    "gene",
    "score",
    "n_references",
    "n_strong_references",
    "experiments",
    "weak_experiments",
    "sources",
    "cancers",
    "pmids",
    "review_refs",
    "review_sentence",
    "mirnas",
    "predicted_sites",
)


def classify_experiment(method: str) -> tuple[str, Strength]:
    """The method class and evidence strength of one experiment name.

    Examples
    --------
    >>> classify_experiment("Luciferase reporter assay")
    ('reporter assay', 'strong')
    >>> classify_experiment("Microarray")
    ('microarray', 'weak')
    >>> classify_experiment("MTT")
    ('MTT', 'weak')
    """
    text = " ".join(str(method).split())
    for rx, cls, strength in _COMPILED:
        if rx.search(text):
            return cls, strength
    return text, "weak"


def target_score(references: Iterable[dict[str, Any]], n_sources: int) -> float:
    """Evidence-strength score of one target from its references (see the module docstring).

    Parameters
    ----------
    references
        One dict per distinct reference with ``strong`` (set of strong method classes),
        ``weak`` (set of weak ones) and ``review`` (True for a review reference).
    n_sources
        Number of distinct sources reporting the interaction.

    Examples
    --------
    >>> target_score([{"strong": {"reporter assay", "western blot"}, "weak": set(),
    ...                "review": False}], 1)
    2.0
    >>> target_score([{"strong": set(), "weak": {"microarray"}, "review": False},
    ...               {"strong": set(), "weak": set(), "review": True}], 2)
    3.0
    """
    total = 0.0
    for ref in references:
        if ref["strong"]:
            total += 1 + 0.5 * min(3, len(ref["strong"]))
        elif ref.get("review"):
            total += 1.5
        elif ref["weak"]:
            total += 0.5
        else:
            total += 1.0
    return total + max(0, n_sources - 1)




def _site_counts(sites: pd.DataFrame | None, members: set[str]) -> dict[str, int]:
    if sites is None or sites.empty:
        return {}
    gcol = next((c for c in ("gene", "target", "transcript") if c in sites.columns), None)
    if "mirna" not in sites.columns or gcol is None:
        raise InputError(
            f"predicted sites need a 'mirna' and a 'gene' column; got {list(sites.columns)}"
        )
    out: dict[str, int] = defaultdict(int)
    for mir, gene in zip(sites["mirna"], sites[gcol], strict=True):
        m = names.try_normalize_mirna(str(mir))
        if m is not None and m.name in members:
            out[str(gene)] += 1
    return dict(out)


def ranked_targets(
    kb: KnowledgeBase,
    mirna: str,
    *,
    cancer: str | None = None,
    source: str | None = None,
    predicted_sites: pd.DataFrame | None = None,
    cached_utrs: bool = False,
) -> pd.DataFrame:
    """One row per target gene of ``mirna``, ranked by evidence strength.

    Parameters
    ----------
    kb
        The knowledge base (:func:`mirscope.kb.open_store`).
    mirna
        Any spelling; an arm-less name (``miR-34a``) means both arms.
    cancer
        Keep evidence of this cancer and its sub-types only (``lung`` includes NSCLC);
        records without a cancer (most miRTarBase rows) are then left out.
    source
        Keep one source (:data:`mirscope.schema.SOURCES`).
    predicted_sites
        Optional predicted binding sites (``mirna`` and ``gene`` columns, e.g. from
        :func:`mirscope.sites.scan`): the ``predicted_sites`` column counts them.
    cached_utrs
        Scan the 3'UTRs already in the sequence cache (never the network) for canonical
        sites (8mer, 7mer-m8, 7mer-A1) of the miRNA (its dominant arm for an arm-less
        name); genes without a cached 3'UTR get no count.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TARGET_COLUMNS`, best first (ties: more references, then gene name).

    Raises
    ------
    EmptyResultError
        The miRNA has no target evidence (the message says how to add some).
    UnknownNameError
        The miRNA name is unknown.
    """
    import pandas as pd

    if source is not None and source not in SOURCES:
        raise InputError(f"unknown source {source!r}; valid sources are {', '.join(SOURCES)}")
    members = set(names.mirna_members(mirna))
    rels = kb.query(mirna=mirna, cancer=cancer, relation="targets", source=source)
    rels = [r for r in rels if r.subject in members and r.subject_type == "mirna"]
    if not rels:
        where = f" in {names.normalize_cancer(cancer).name}" if cancer else ""
        src = f" from source {source!r}" if source else ""
        raise EmptyResultError(names.no_evidence_message(mirna) + f" (targets{where}{src})")
    by_gene: dict[str, list[Relation]] = defaultdict(list)
    for r in rels:
        by_gene[r.object].append(r)
    sites = _site_counts(predicted_sites, members)
    rows = []
    for gene, recs in by_gene.items():
        refs: dict[str, dict[str, Any]] = {}
        for r in recs:
            strong = set()
            weak = set()
            for a in r.assays:
                cls, strength = classify_experiment(a)
                (strong if strength == "strong" else weak).add(cls)
            keys = [f"PMID:{p}" for p in r.pmids()]
            if r.source == "review":
                keys += [f"review:{x}" for x in r.refs] or [f"review:{r.id}"]
            if not keys:
                keys = [f"{r.source}:{r.id}"]
            for k in keys:
                ref = refs.setdefault(k, {"strong": set(), "weak": set(), "review": False})
                ref["strong"] |= strong
                ref["weak"] |= weak
                ref["review"] |= k.startswith("review:")
        sources = sorted({r.source for r in recs})
        strong_all = sorted({c for ref in refs.values() for c in ref["strong"]})
        weak_all = sorted({c for ref in refs.values() for c in ref["weak"]} - set(strong_all))
        review_recs = [r for r in recs if r.source == "review" and r.evidence]
        rows.append(
            {
                "gene": gene,
                "score": round(target_score(refs.values(), len(sources)), 2),
                "n_references": len(refs),
                "n_strong_references": sum(1 for ref in refs.values() if ref["strong"]),
                "experiments": strong_all,
                "weak_experiments": weak_all,
                "sources": sources,
                "cancers": sorted({r.cancer for r in recs if r.cancer}),
                "pmids": sorted({p for r in recs for p in r.pmids()}),
                "review_refs": sorted({x for r in recs if r.source == "review" for x in r.refs}),
                "review_sentence": " ".join(review_recs[0].evidence.split())
                if review_recs
                else None,
                "mirnas": sorted({r.subject for r in recs}),
                "predicted_sites": sites.get(gene) if predicted_sites is not None else None,
            }
        )
    df = pd.DataFrame(rows)
    df = df.sort_values(
        ["score", "n_references", "gene"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    if cached_utrs and predicted_sites is None:
        df["predicted_sites"] = _cached_site_counts(list(df["gene"]), mirna)
    log.info("%d target genes of %s", len(df), mirna)
    return df[list(TARGET_COLUMNS)]


def _cached_site_counts(genes: list[str], mirna: str) -> list[int | None]:
    """Canonical sites in each gene's cached 3'UTR (None when not cached); offline only."""
    from mirscope.sequences import scan_genes

    arm = names.normalize_mirna(mirna).name
    res = scan_genes(genes, arm, offline=True, on_missing="report", energies=False)
    ok = res.genes[res.genes["status"] == "ok"]
    counts: dict[str, int] = {}
    for row in ok.to_dict(orient="records"):
        n = sum(int(row[c] or 0) for c in ("n_8mer", "n_7mer-m8", "n_7mer-A1"))
        counts[row["gene"]] = max(counts.get(row["gene"], 0), n)
    return [counts.get(g) for g in genes]

