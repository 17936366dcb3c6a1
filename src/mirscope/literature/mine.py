"""Mine PubMed for one miRNA: search, fetch, screen, extract, propose (and accept) in one call.

:func:`mine` chains the literature pipeline: :func:`~mirscope.literature.pubmed.build_query`
(``--since`` adds a publication-date limit), :class:`~mirscope.literature.pubmed.PubMedClient`
(history-server paging, NCBI rate limits, API key from ``NCBI_API_KEY``, every EFetch batch
cached as it arrives, so an interrupted run resumes with the missing PMIDs only),
:func:`~mirscope.literature.screening.screen`, record checks (:func:`check_record`: size cap,
empty and non-English abstracts are skipped and counted), :func:`extract_relations` and the
curation queue (:class:`~mirscope.literature.curation.CandidateStore`). ``accept_above``
writes candidates at least that confident into the knowledge base (source ``literature``,
with PMID and sentence).

``offline=True`` never touches the network: searches and records come from the cache, and
what the cache lacks from the recorded corpus shipped in ``mirscope/data/literature``
(real abstracts about miR-21 and miR-34a; see its ``SOURCE.md``).

Examples
--------
>>> import tempfile, pathlib
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> res = mine("miR-21", offline=True, cache=tmp / "c.sqlite", candidates=tmp / "q.sqlite")
>>> res.n_fetched > 0 and res.n_candidates > 0
True
"""

from __future__ import annotations

import logging
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape, unescape

import pandas as pd

from mirscope import names
from mirscope.errors import EmptyResultError, InputError
from mirscope.literature.extract import MAX_RECORD_CHARS, ExtractedRelation, extract_relations
from mirscope.literature.mentions import find_mentions
from mirscope.literature.pubmed import (
    PubMedCache,
    PubMedClient,
    PubMedRecord,
    build_query,
    parse_medline_xml,
)

__all__ = ["MineResult", "RecordedCorpusTransport", "SkipReason", "check_record", "mine"]

logger = logging.getLogger(__name__)

SkipReason = Literal["oversized", "empty", "non_english"]
SKIP_REASONS: tuple[str, ...] = ("oversized", "empty", "non_english")
_RECORDED = "recorded_efetch.xml"
_EN_WORDS = re.compile(r"\b(?:the|of|and|in|to|with|was|were|that|by|for|is|are)\b", re.I)


def check_record(record: PubMedRecord, *, max_chars: int = MAX_RECORD_CHARS) -> SkipReason | None:
    """Why a record cannot be mined, or None when it can.

    ``oversized``: title + abstract longer than ``max_chars`` (a cap that keeps one
    malformed record from stalling a run); ``empty``: no abstract; ``non_english``: the
    MEDLINE ``<Language>`` is not English, or the text has almost no English function words.

    Examples
    --------
    >>> check_record(PubMedRecord("1", "miR-21 in cancer", "The miR-21 level was high in tumours."))
    >>> check_record(PubMedRecord("2", "miR-21", ""))
    'empty'
    >>> check_record(PubMedRecord("3", "miR-21", "x" * 20), max_chars=10)
    'oversized'
    """
    if len(record.title) + len(record.abstract) > max_chars:
        return "oversized"
    if not record.abstract.strip():
        return "empty"
    langs = {x.strip().lower() for x in record.language.split(",") if x.strip()}
    if langs and "eng" not in langs:
        return "non_english"
    words = re.findall(r"[^\W\d_]+", record.abstract)
    if len(words) >= 20 and len(_EN_WORDS.findall(record.abstract)) < 0.05 * len(words):
        return "non_english"
    return None


class RecordedCorpusTransport:
    """E-utilities transport that answers from a recorded EFetch file, never the network.

    ESearch returns the recorded records that name the miRNA family (and the cancer and
    year limits given); EFetch returns the recorded articles by PMID.

    Parameters
    ----------
    mirna
        miRNA whose records a search returns.
    cancer, since
        Optional cancer name (as written in the text) and first publication year.
    path
        Recorded ``PubmedArticleSet`` (default: the shipped corpus).
    """

    def __init__(
        self,
        mirna: str,
        *,
        cancer: str | None = None,
        since: int | None = None,
        path: str | Path | None = None,
    ) -> None:
        if path is None:
            data = resources.files("mirscope.data.literature").joinpath(_RECORDED).read_bytes()
            source = f"mirscope/data/literature/{_RECORDED}"
        else:
            data, source = Path(path).read_bytes(), str(path)
        text = data.decode("utf-8")
        self.records = {r.pmid: r for r in parse_medline_xml(data, source=source)}
        self.articles = {
            unescape(re.search(r"<PMID[^>]*>(.*?)</PMID>", a, re.S).group(1)): a  # type: ignore[union-attr]
            for a in re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, flags=re.S)
        }
        fam = names.normalize_mirna(mirna).family
        keep = []
        for r in self.records.values():
            text_r = r.title + " " + r.abstract
            fams = {
                names.normalize_mirna(m.name).family
                for m in find_mentions(text_r)
                if m.kind == "mirna"
            }
            if fam not in fams:
                continue
            if cancer and cancer.lower() not in text_r.lower():
                continue
            if since and (r.year is None or r.year < since):
                continue
            keep.append(r.pmid)
        self.hits = keep
        self.calls: list[str] = []

    def esearch(self, **params: Any) -> bytes:
        """The recorded records matching the miRNA (ignores the query string)."""
        self.calls.append("esearch")
        start, n = int(params.get("retstart", 0)), int(params.get("retmax", 20))
        ids = "".join(f"<Id>{escape(p)}</Id>" for p in self.hits[start : start + n])
        return (
            f"<eSearchResult><Count>{len(self.hits)}</Count><RetMax>{n}</RetMax>"
            f"<IdList>{ids}</IdList><WebEnv>recorded</WebEnv><QueryKey>1</QueryKey>"
            "</eSearchResult>"
        ).encode()

    def efetch(self, **params: Any) -> bytes:
        """The recorded articles with the requested PMIDs."""
        self.calls.append("efetch")
        ids = str(params.get("id", "")).split(",")
        body = "\n".join(self.articles[i] for i in ids if i in self.articles)
        return f"<?xml version='1.0'?>\n<PubmedArticleSet>\n{body}\n</PubmedArticleSet>".encode()


@dataclass
class MineResult:
    """What one :func:`mine` run did, step by step."""

    mirna: str
    query: str
    n_found: int = 0
    n_fetched: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    n_screened_out: int = 0
    n_mined: int = 0
    relations: list[ExtractedRelation] = field(default_factory=list)
    n_candidates: int = 0
    accepted: list[str] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per step: found, fetched, skipped (by reason), screened out, mined,
        relations, new candidates, accepted."""
        rows = [
            ("found", self.n_found, self.query),
            ("fetched", self.n_fetched, "records fetched or read from the cache"),
        ]
        for reason in SKIP_REASONS:
            rows.append((f"skipped: {reason}", self.skipped.get(reason, 0), ""))
        rows += [
            ("screened out", self.n_screened_out, "not a primary study about the miRNA in cancer"),
            ("mined", self.n_mined, "records read by the extractor"),
            ("relations", len(self.relations), "extracted at the confidence threshold"),
            ("new candidates", self.n_candidates, "added to the curation queue"),
            ("accepted", len(self.accepted), "written into the knowledge base"),
        ]
        return pd.DataFrame(rows, columns=["step", "n", "detail"])


def mine(
    mirna: str,
    *,
    cancer: str | None = None,
    max_results: int = 100,
    since: int | None = None,
    offline: bool = False,
    accept_above: float | None = None,
    db: str | None = None,
    client: PubMedClient | None = None,
    cache: str | Path | None = None,
    candidates: str | Path | None = None,
    min_confidence: float = 0.5,
    max_chars: int = MAX_RECORD_CHARS,
    screen_records: bool = True,
    progress: bool = False,
) -> MineResult:
    """Search, fetch, screen and extract the literature on ``mirna`` into the curation queue.

    Parameters
    ----------
    mirna
        miRNA to mine (any spelling :func:`mirscope.names.normalize_mirna` accepts).
    cancer
        Restrict the search to one cancer (default: any cancer).
    max_results, since
        At most this many PubMed records; only those published in or after ``since``.
    offline
        Use the cache and the shipped recorded corpus only (no network).
    accept_above
        Accept candidates with ``confidence >= accept_above`` into the knowledge base
        ``db`` (source ``literature``, PMID, sentence); default: accept nothing.
    client, cache, candidates
        A configured :class:`PubMedClient` (tests), the PubMed cache file and the
        candidate store (defaults in the user directories).
    screen_records
        Drop records the screening rules exclude (reviews, no cancer, other miRNAs).
    progress
        Show a progress bar on stderr.

    Raises
    ------
    InputError
        Bad ``mirna``, ``max_results``, ``since`` or ``accept_above``.
    EmptyResultError
        The search found nothing (offline: nothing cached or recorded for the miRNA).
    RemoteServiceError
        PubMed failed after all retries (what was fetched stays cached; rerun to resume).
    """
    from mirscope.literature.curation import CandidateStore
    from mirscope.literature.screening import screen

    canonical = names.normalize_mirna(mirna)
    if max_results < 1:
        raise InputError(f"--max must be >= 1, got {max_results}")
    if since is not None and not 1900 <= since <= 2100:
        raise InputError(f"--since must be a year such as 2015, got {since}")
    if accept_above is not None and not 0.0 <= accept_above <= 1.0:
        raise InputError(f"--accept-above must be within [0, 1], got {accept_above}")
    query = build_query(mirna, topic=cancer or "cancer")
    if since is not None:
        query += f" AND {since}:3000[dp]"
    res = MineResult(mirna=canonical.name, query=query)
    if offline and client is None:
        # the cache first (a search made online before), then the shipped recording; the
        # recording keeps its records' ids (a DOI when the abstract page showed no PMID)
        store_cache = PubMedCache(cache)
        recorded = RecordedCorpusTransport(mirna, cancer=cancer, since=since)
        hit = store_cache.get_search(f"{query}\x00max={max_results}")
        pmids = tuple(hit[0].pmids) if hit is not None else tuple(recorded.hits[:max_results])
        res.n_found = hit[0].count if hit is not None else len(recorded.hits)
        got = store_cache.get(list(pmids))
        records = [
            got.get(p) or recorded.records[p] for p in pmids if p in got or p in recorded.records
        ]
        store_cache.put([r for r in records if r.pmid not in got])
    else:
        client = client or PubMedClient(cache=PubMedCache(cache))
        found = client.search(query, max_results=max_results)
        res.n_found, pmids = found.count, found.pmids
        records = client.fetch(pmids) if pmids else []
    if not pmids:
        hint = (
            "nothing is cached or recorded for it; run without --offline"
            if offline
            else "check the spelling or widen --cancer/--since"
        )
        raise EmptyResultError(f"PubMed search for {mirna} found no records ({query}); {hint}")
    res.n_fetched = len(records)
    usable: list[PubMedRecord] = []
    for r in records:
        why = check_record(r, max_chars=max_chars)
        if why is None:
            usable.append(r)
        else:
            res.skipped[why] += 1
            logger.warning("skipping PMID %s: %s", r.pmid, why)
    if screen_records and usable:
        keep = {d.pmid for d in screen(usable, mirna=mirna).included}
        res.n_screened_out = len(usable) - len(keep)
        usable = [r for r in usable if r.pmid in keep]
    rels: list[ExtractedRelation] = []
    if progress:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(file=sys.stderr), transient=True) as bar:
            task = bar.add_task(f"extracting {canonical.name}", total=len(usable))
            for r in usable:
                rels += extract_relations(r.to_dict(), min_confidence=min_confidence)
                bar.advance(task)
    else:
        for r in usable:
            rels += extract_relations(r.to_dict(), min_confidence=min_confidence)
    res.n_mined = len(usable)
    res.relations = rels
    store = CandidateStore(candidates)
    res.n_candidates = store.add(rels)
    if accept_above is not None:
        from mirscope.kb import open_store
        from mirscope.literature.curation import candidate_id

        ids = {candidate_id(r) for r in rels if r.confidence >= accept_above}
        with open_store(db) as kb:
            for c in store.list("pending"):
                if c.id in ids:
                    store.accept(c.id, kb)
                    res.accepted.append(c.id)
    return res
