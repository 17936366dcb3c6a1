"""PubMed client on NCBI E-utilities (``Bio.Entrez``) with paging, rate limiting,
retries and a local SQLite cache.

The network is reached only through a *transport*: any object with
``esearch(**params) -> bytes`` and ``efetch(**params) -> bytes``. The default,
:class:`BioEntrezTransport`, calls :mod:`Bio.Entrez`; tests inject a transport that
replays recorded XML so nothing touches the network.

Examples
--------
>>> rec = parse_medline_xml(b'''<PubmedArticleSet><PubmedArticle><MedlineCitation>
... <PMID>1</PMID><Article><Journal><Title>J</Title></Journal>
... <ArticleTitle>miR-124 in glioma.</ArticleTitle></Article></MedlineCitation>
... </PubmedArticle></PubmedArticleSet>''')
>>> rec[0].pmid, rec[0].title
('1', 'miR-124 in glioma.')
>>> "microRNA-124" in build_query("miR-124")
True
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from mirscope.errors import FileFormatError, InputError, RemoteServiceError

__all__ = [
    "DEFAULT_QUERY",
    "BioEntrezTransport",
    "EntrezTransport",
    "PubMedCache",
    "PubMedClient",
    "PubMedRecord",
    "RateLimiter",
    "SearchResult",
    "build_query",
    "parse_esearch_xml",
    "parse_medline_xml",
    "read_records",
    "write_records",
]

logger = logging.getLogger(__name__)

DEFAULT_QUERY = "miR-124 AND cancer"
_TOOL = "mirscope"


# ---------------------------------------------------------------------------
# Records and parsing
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PubMedRecord:
    """One PubMed citation (title, abstract and indexing terms)."""

    pmid: str
    title: str
    abstract: str = ""
    journal: str = ""
    year: int | None = None
    publication_types: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()
    language: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (tuples become lists)."""
        d = asdict(self)
        d["publication_types"] = list(self.publication_types)
        d["mesh"] = list(self.mesh)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PubMedRecord:
        """Build a record from :meth:`to_dict` output (or a JSONL line)."""
        year = d.get("year")
        return cls(
            pmid=str(d["pmid"]),
            title=str(d.get("title") or ""),
            abstract=str(d.get("abstract") or ""),
            journal=str(d.get("journal") or ""),
            year=int(year) if year not in (None, "") else None,
            publication_types=tuple(d.get("publication_types") or ()),
            mesh=tuple(d.get("mesh") or ()),
            language=str(d.get("language") or ""),
        )


@dataclass(frozen=True)
class SearchResult:
    """Result of an ESearch: total hit count, the PMIDs retrieved, history keys."""

    query: str
    count: int
    pmids: tuple[str, ...]
    webenv: str | None = None
    query_key: str | None = None
    translation: str | None = None


def _text(el: ET.Element | None) -> str:
    if el is None:
        return ""
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _line_of_nth(data: str, tag: str, n: int) -> int | None:
    """1-based line of the n-th (0-based) opening ``<tag`` in ``data``."""
    pos = -1
    for _ in range(n + 1):
        pos = data.find(f"<{tag}", pos + 1)
        if pos < 0:
            return None
    return data.count("\n", 0, pos) + 1


def _parse_xml(data: bytes | str, source: str) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        line, col = err.position
        raise FileFormatError(
            source, f"malformed XML at column {col}: {err}. Re-download the file.", line=line
        ) from err


def parse_medline_xml(
    data: bytes | str, *, source: str = "<efetch>", skip_bad: bool = False
) -> list[PubMedRecord]:
    """Parse an EFetch ``PubmedArticleSet`` (MEDLINE XML) into records.

    Parameters
    ----------
    data
        The XML document.
    source
        Name of the file or request, used in error messages.
    skip_bad
        Skip articles without a PMID or title (logged) instead of raising.

    Raises
    ------
    FileFormatError
        The XML does not parse, is not a ``PubmedArticleSet`` or an article lacks
        its PMID or title (unless ``skip_bad``); the message gives the line.
    """
    root = _parse_xml(data, source)
    if root.tag != "PubmedArticleSet":
        raise FileFormatError(
            source,
            f"expected a <PubmedArticleSet> (EFetch db=pubmed retmode=xml), got <{root.tag}>",
            line=1,
        )
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    out: list[PubMedRecord] = []
    for i, art in enumerate(root.findall("PubmedArticle")):
        cit = art.find("MedlineCitation")
        pmid = _text(cit.find("PMID")) if cit is not None else ""
        article = cit.find("Article") if cit is not None else None
        title = _text(article.find("ArticleTitle")) if article is not None else ""
        if not pmid or not title:
            what = "PMID" if not pmid else "ArticleTitle"
            line = _line_of_nth(text, "PubmedArticle>", i) or _line_of_nth(text, "PubmedArticle", i)
            err = FileFormatError(source, f"PubmedArticle #{i + 1} has no {what}", line=line)
            if skip_bad:
                logger.warning("skipping: %s", err)
                continue
            raise err
        assert article is not None and cit is not None
        parts = []
        for ab in article.findall("Abstract/AbstractText"):
            label = ab.get("Label")
            body = _text(ab)
            parts.append(f"{label.capitalize()}: {body}" if label else body)
        year_txt = _text(article.find("Journal/JournalIssue/PubDate/Year")) or _text(
            article.find("Journal/JournalIssue/PubDate/MedlineDate")
        )
        m = re.search(r"\d{4}", year_txt)
        out.append(
            PubMedRecord(
                pmid=pmid,
                title=title,
                abstract=" ".join(parts),
                journal=_text(article.find("Journal/Title")),
                year=int(m.group()) if m else None,
                publication_types=tuple(
                    _text(p) for p in article.findall("PublicationTypeList/PublicationType")
                ),
                mesh=tuple(
                    _text(h.find("DescriptorName"))
                    for h in cit.findall("MeshHeadingList/MeshHeading")
                ),
                language=",".join(_text(x) for x in article.findall("Language")),
            )
        )
    return out


def parse_esearch_xml(
    data: bytes | str, *, query: str = "", source: str = "<esearch>"
) -> SearchResult:
    """Parse an ESearch ``eSearchResult`` document.

    Raises
    ------
    FileFormatError
        The XML does not parse or is not an ESearch result.
    RemoteServiceError
        NCBI answered with an ``<ERROR>`` element.
    """
    root = _parse_xml(data, source)
    if root.tag != "eSearchResult":
        raise FileFormatError(source, f"expected <eSearchResult>, got <{root.tag}>", line=1)
    err = root.find("ERROR")
    if err is not None:
        raise RemoteServiceError(f"NCBI ESearch rejected query {query!r}: {_text(err)}")
    count_txt = _text(root.find("Count"))
    if not count_txt.isdigit():
        raise FileFormatError(source, f"ESearch result has no numeric <Count> ({count_txt!r})")
    return SearchResult(
        query=query,
        count=int(count_txt),
        pmids=tuple(_text(i) for i in root.findall("IdList/Id")),
        webenv=_text(root.find("WebEnv")) or None,
        query_key=_text(root.find("QueryKey")) or None,
        translation=_text(root.find("QueryTranslation")) or None,
    )


def read_records(path: str | Path, *, skip_bad: bool = False) -> list[PubMedRecord]:
    """Read records from a MEDLINE XML file (``.xml``) or a JSONL file (one record a line).

    JSONL lines need ``pmid`` and ``title``; ``abstract`` and the other fields of
    :class:`PubMedRecord` are optional.

    Raises
    ------
    FileFormatError
        A line (or the XML) is malformed; the message gives its line. With
        ``skip_bad`` bad lines are logged and skipped.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(
            f"input file {str(p)!r} does not exist; give an existing .xml or .jsonl file"
        )
    raw = p.read_bytes()
    if raw.lstrip().startswith(b"<"):
        return parse_medline_xml(raw, source=str(p), skip_bad=skip_bad)
    out = []
    for lineno, line in enumerate(raw.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            if not isinstance(d, dict):
                raise ValueError("line is not a JSON object")
            if not str(d.get("pmid") or "").strip():
                raise ValueError('missing "pmid"')
            if "title" not in d and "abstract" not in d:
                raise ValueError('needs "title" and/or "abstract"')
            out.append(PubMedRecord.from_dict(d))
        except (ValueError, TypeError) as exc:
            err = FileFormatError(
                p,
                f"bad JSONL record ({exc}); each line must be an object like "
                '{"pmid": "123", "title": "...", "abstract": "..."}. '
                "Fix the line or pass --skip-bad",
                line=lineno,
            )
            if skip_bad:
                logger.warning("skipping: %s", err)
                continue
            raise err from exc
    return out


def write_records(records: Iterable[PubMedRecord], path: str | Path) -> int:
    """Write records as JSONL atomically (temp file + rename); return the count."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(p)
    return n


# ---------------------------------------------------------------------------
# Query building
# ---------------------------------------------------------------------------
def build_query(mirna: str = "miR-124", topic: str | None = "cancer") -> str:
    """Build a PubMed query covering the usual spellings of a miRNA.

    ``miR-124`` becomes ``(miR-124[tiab] OR miR124[tiab] OR microRNA-124[tiab] OR
    "microRNA 124"[tiab] OR mir-124*...)``; ``topic`` (default ``cancer``) is
    AND-ed with its common synonyms.

    Examples
    --------
    >>> q = build_query("miR-124")
    >>> "miR-124[tiab]" in q and "neoplasms[mh]" in q
    True
    """
    m = re.search(r"(?:mir|microrna|mirna)[-\s\u2011\u2010]*(\d+[a-z]?)", mirna, flags=re.I)
    if m is None:
        m2 = re.fullmatch(r"\s*(let)[-\s]?(7[a-z]?)\s*", mirna, flags=re.I)
        if m2 is None:
            raise InputError(
                f"cannot build a PubMed query for miRNA {mirna!r}; give a name like 'miR-124' or 'let-7a'"
            )
        core = f"let-7{m2.group(2)[1:]}"
        spellings = [f"{core}[tiab]", f'"{core.replace("-", " ")}"[tiab]']
    else:
        num = m.group(1).lower()
        spellings = [
            f"miR-{num}[tiab]",
            f"miR{num}[tiab]",
            f"microRNA-{num}[tiab]",
            f'"microRNA {num}"[tiab]',
            f"miRNA-{num}[tiab]",
            f'"miR {num}"[tiab]',
            f"MIR{num.upper()}[tiab]",
            f"mir-{num}*[tiab]",
        ]
    q = "(" + " OR ".join(spellings) + ")"
    if topic:
        t = topic.strip()
        if t.lower() == "cancer":
            q += (
                " AND (cancer[tiab] OR tumor[tiab] OR tumour[tiab] OR carcinoma[tiab] "
                "OR neoplasms[mh] OR glioma[tiab] OR leukemia[tiab] OR lymphoma[tiab])"
            )
        else:
            q += f" AND ({t})"
    return q


# ---------------------------------------------------------------------------
# Transport, rate limiting, cache
# ---------------------------------------------------------------------------
class EntrezTransport(Protocol):
    """What the client needs from the network: two E-utilities returning raw XML."""

    def esearch(self, **params: Any) -> bytes: ...  # pragma: no cover

    def efetch(self, **params: Any) -> bytes: ...  # pragma: no cover


class BioEntrezTransport:
    """Default transport: :mod:`Bio.Entrez` (one attempt per call; the client retries)."""

    def __init__(self, *, email: str | None, api_key: str | None) -> None:
        from Bio import Entrez

        self._entrez = Entrez
        Entrez.email = email or None
        Entrez.api_key = api_key or None
        Entrez.tool = _TOOL
        Entrez.max_tries = 1  # retries and backoff are the client's job

    def _call(self, fn: Callable[..., Any], params: dict[str, Any]) -> bytes:
        handle = fn(**params)
        try:
            data = handle.read()
        finally:
            handle.close()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def esearch(self, **params: Any) -> bytes:
        """Call ESearch and return the raw XML."""
        return self._call(self._entrez.esearch, params)

    def efetch(self, **params: Any) -> bytes:
        """Call EFetch and return the raw XML."""
        return self._call(self._entrez.efetch, params)


class RateLimiter:
    """At most ``rate`` calls per second, measured with an injectable clock.

    Examples
    --------
    >>> t = [0.0]; slept = []
    >>> rl = RateLimiter(2.0, clock=lambda: t[0], sleep=slept.append)
    >>> rl.wait(); rl.wait(); slept
    [0.5]
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise InputError(f"rate must be > 0 requests per second, got {rate}")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        """Block until the next call is allowed, then record it."""
        now = self._clock()
        if self._last is not None:
            delay = self._last + self.interval - now
            if delay > 0:
                self._sleep(delay)
                now = self._last + self.interval
        self._last = now


class PubMedCache:
    """SQLite cache of fetched records and search pages (nothing is fetched twice).

    The default file is ``pubmed.sqlite`` in :func:`mirscope.paths.user_cache_dir`.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            from mirscope.paths import user_cache_dir

            path = user_cache_dir() / "pubmed.sqlite"
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(
                """
                CREATE TABLE IF NOT EXISTS records (
                    pmid TEXT PRIMARY KEY, record TEXT NOT NULL, fetched_at REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS searches (
                    query TEXT PRIMARY KEY, count INTEGER NOT NULL, pmids TEXT NOT NULL,
                    searched_at REAL NOT NULL);
                """
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def get(self, pmids: Sequence[str]) -> dict[str, PubMedRecord]:
        """Return the cached records among ``pmids``."""
        out: dict[str, PubMedRecord] = {}
        with self._connect() as con:
            for i in range(0, len(pmids), 500):
                chunk = list(pmids[i : i + 500])
                q = f"SELECT record FROM records WHERE pmid IN ({','.join('?' * len(chunk))})"
                for (rec,) in con.execute(q, chunk):
                    r = PubMedRecord.from_dict(json.loads(rec))
                    out[r.pmid] = r
        return out

    def put(self, records: Iterable[PubMedRecord], *, now: float | None = None) -> int:
        """Store records (one transaction); return how many were written."""
        ts = time.time() if now is None else now
        rows = [(r.pmid, json.dumps(r.to_dict(), ensure_ascii=False), ts) for r in records]
        with self._connect() as con:
            con.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", rows)
        return len(rows)

    def put_search(self, result: SearchResult, *, now: float | None = None) -> None:
        """Remember a completed search (query, count, PMIDs in order)."""
        ts = time.time() if now is None else now
        with self._connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO searches VALUES (?, ?, ?, ?)",
                (result.query, result.count, json.dumps(list(result.pmids)), ts),
            )

    def get_search(self, query: str) -> tuple[SearchResult, float] | None:
        """The cached search for ``query`` and when it was made, or None."""
        with self._connect() as con:
            row = con.execute(
                "SELECT count, pmids, searched_at FROM searches WHERE query = ?", (query,)
            ).fetchone()
        if row is None:
            return None
        return SearchResult(query=query, count=row[0], pmids=tuple(json.loads(row[1]))), row[2]

    def last_search(self) -> SearchResult | None:
        """The most recent search, or None if nothing was searched yet."""
        with self._connect() as con:
            row = con.execute(
                "SELECT query, count, pmids FROM searches ORDER BY searched_at DESC LIMIT 1"
            ).fetchone()
        if row is None:
            return None
        return SearchResult(
            query=row[0].split("\x00")[0], count=row[1], pmids=tuple(json.loads(row[2]))
        )

    def __len__(self) -> int:
        with self._connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM records").fetchone()[0])


# ---------------------------------------------------------------------------
# Client
# ---------------------------------------------------------------------------
@dataclass
class _Settings:
    email: str | None
    api_key: str | None
    max_retries: int
    backoff: float
    page_size: int
    fetch_batch: int
    search_max_age: float
    extra: dict[str, Any] = field(default_factory=dict)


class PubMedClient:
    """Search PubMed and fetch MEDLINE records, politely and with a cache.

    Parameters
    ----------
    transport
        Object with ``esearch(**params) -> bytes`` and ``efetch(**params) -> bytes``;
        default :class:`BioEntrezTransport`.
    email, api_key
        NCBI contact e-mail and API key; default the ``NCBI_EMAIL`` and
        ``NCBI_API_KEY`` environment variables. A key raises the rate from 3 to 10
        requests per second.
    cache
        A :class:`PubMedCache` or a path to its SQLite file (default in the user
        cache directory).
    clock, sleep
        Time source and sleep function (default ``time.monotonic``/``time.sleep``;
        injectable for tests).
    max_retries
        Retries after the first failed attempt; waits ``backoff * 2**k`` seconds.
    page_size
        ESearch page size (``retmax``) when paging through the history server.
    search_max_age
        Seconds a cached search stays valid (default one day).

    Examples
    --------
    >>> class Offline:
    ...     def esearch(self, **p): return b"<eSearchResult><Count>0</Count><IdList/></eSearchResult>"
    ...     def efetch(self, **p): return b"<PubmedArticleSet/>"
    >>> import tempfile, pathlib
    >>> c = PubMedClient(transport=Offline(), cache=pathlib.Path(tempfile.mkdtemp()) / "c.sqlite")
    >>> c.search("miR-124 AND cancer").count
    0
    """

    def __init__(
        self,
        *,
        transport: EntrezTransport | None = None,
        email: str | None = None,
        api_key: str | None = None,
        cache: PubMedCache | str | Path | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        max_retries: int = 3,
        backoff: float = 1.0,
        page_size: int = 500,
        fetch_batch: int = 200,
        search_max_age: float = 86400.0,
    ) -> None:
        if max_retries < 0:
            raise InputError(f"max_retries must be >= 0, got {max_retries}")
        if page_size < 1 or fetch_batch < 1:
            raise InputError(
                f"page_size and fetch_batch must be >= 1, got {page_size}, {fetch_batch}"
            )
        email = email if email is not None else os.environ.get("NCBI_EMAIL") or None
        api_key = api_key if api_key is not None else os.environ.get("NCBI_API_KEY") or None
        self.settings = _Settings(
            email, api_key, max_retries, backoff, page_size, fetch_batch, search_max_age
        )
        self.transport: EntrezTransport = transport or BioEntrezTransport(
            email=email, api_key=api_key
        )
        self.cache = cache if isinstance(cache, PubMedCache) else PubMedCache(cache)
        clock = clock or time.monotonic
        sleep = sleep or time.sleep
        self.rate_limiter = RateLimiter(10.0 if api_key else 3.0, clock=clock, sleep=sleep)
        self._sleep = sleep
        self.requests_made = 0

    # -- low level ---------------------------------------------------------
    def _params(self, **params: Any) -> dict[str, Any]:
        p = {"db": "pubmed", "tool": _TOOL, **params}
        if self.settings.email:
            p["email"] = self.settings.email
        if self.settings.api_key:
            p["api_key"] = self.settings.api_key
        return p

    def _request(self, util: str, **params: Any) -> bytes:
        fn = getattr(self.transport, util)
        attempts = self.settings.max_retries + 1
        last: Exception | None = None
        for k in range(attempts):
            self.rate_limiter.wait()
            self.requests_made += 1
            try:
                return fn(**self._params(**params))
            except Exception as exc:  # network, HTTP and parser errors of the transport
                last = exc
                logger.warning("NCBI %s attempt %d/%d failed: %s", util, k + 1, attempts, exc)
                if k + 1 < attempts:
                    self._sleep(self.settings.backoff * 2**k)
        raise RemoteServiceError(
            f"NCBI E-utilities {util} failed after {attempts} attempts ({last}). "
            f"Records fetched so far stay cached in {self.cache.path} ({len(self.cache)} records); "
            "check the network (or set NCBI_API_KEY) and run the command again to resume."
        ) from last

    # -- public ------------------------------------------------------------
    def search(
        self, query: str = DEFAULT_QUERY, *, max_results: int = 100, refresh: bool = False
    ) -> SearchResult:
        """Search PubMed and page through the history server for up to ``max_results`` PMIDs.

        The first ESearch uses ``usehistory=y``; later pages reuse its ``WebEnv`` and
        ``query_key`` with ``retstart``/``retmax``. A search answered in the last
        ``search_max_age`` seconds is served from the cache unless ``refresh``.

        Raises
        ------
        InputError
            Empty query or ``max_results < 1``.
        RemoteServiceError
            The service failed after all retries.
        """
        if not query or not query.strip():
            raise InputError("the PubMed query is empty; give a query such as 'miR-124 AND cancer'")
        if max_results < 1:
            raise InputError(f"max_results must be >= 1, got {max_results}")
        key = f"{query}\x00max={max_results}"
        cached = None if refresh else self.cache.get_search(key)
        if cached is not None and time.time() - cached[1] <= self.settings.search_max_age:
            logger.info("search %r served from cache", query)
            r = cached[0]
            return SearchResult(query=query, count=r.count, pmids=r.pmids)
        page = min(self.settings.page_size, max_results)
        first = parse_esearch_xml(
            self._request("esearch", term=query, usehistory="y", retstart=0, retmax=page),
            query=query,
        )
        pmids = list(first.pmids)
        target = min(first.count, max_results)
        while len(pmids) < target:
            if not first.webenv or not first.query_key:
                raise RemoteServiceError(
                    "NCBI ESearch returned no WebEnv/QueryKey for history paging; try again later"
                )
            nxt = parse_esearch_xml(
                self._request(
                    "esearch",
                    term=query,
                    usehistory="y",
                    WebEnv=first.webenv,
                    query_key=first.query_key,
                    retstart=len(pmids),
                    retmax=min(page, target - len(pmids)),
                ),
                query=query,
            )
            if not nxt.pmids:
                break
            pmids.extend(nxt.pmids)
        result = SearchResult(
            query=query,
            count=first.count,
            pmids=tuple(dict.fromkeys(pmids[:max_results])),
            webenv=first.webenv,
            query_key=first.query_key,
            translation=first.translation,
        )
        self.cache.put_search(SearchResult(query=key, count=result.count, pmids=result.pmids))
        return result

    def fetch(self, pmids: Sequence[str]) -> list[PubMedRecord]:
        """Fetch records (MEDLINE XML via EFetch) for ``pmids``; cached ones are not refetched.

        Each batch is cached as soon as it arrives, so a failure keeps earlier batches.
        Records come back in the order of ``pmids`` (PMIDs PubMed does not return are
        logged and left out).
        """
        wanted = [str(p).strip() for p in pmids]
        bad = [p for p in wanted if not p.isdigit()]
        if bad:
            raise InputError(f"PMIDs must be numbers, got {bad[:5]}")
        have = self.cache.get(wanted)
        missing = [p for p in dict.fromkeys(wanted) if p not in have]
        for i in range(0, len(missing), self.settings.fetch_batch):
            batch = missing[i : i + self.settings.fetch_batch]
            xml = self._request("efetch", id=",".join(batch), rettype="abstract", retmode="xml")
            recs = parse_medline_xml(xml, source=f"efetch of {len(batch)} PMIDs", skip_bad=True)
            self.cache.put(recs)
            have.update({r.pmid: r for r in recs})
        lost = [p for p in missing if p not in have]
        if lost:
            logger.warning("PubMed returned no record for %d PMID(s): %s", len(lost), lost[:10])
        return [have[p] for p in dict.fromkeys(wanted) if p in have]

    def search_records(
        self, query: str = DEFAULT_QUERY, *, max_results: int = 100
    ) -> tuple[SearchResult, list[PubMedRecord]]:
        """Search and fetch in one call; returns the search result and its records."""
        res = self.search(query, max_results=max_results)
        return res, self.fetch(res.pmids)
