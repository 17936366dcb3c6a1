"""Sequences by name from Ensembl's REST API, with rate limiting, retries and a local cache.

A scientist asks for "STAT3" and gets the canonical transcript's 3'UTR. The client
resolves HGNC symbols (through :mod:`mirscope.names`), Ensembl gene/transcript ids and
RefSeq ids, fetches cDNA with UTRs masked in lower case (``mask_feature=1``) and cuts
the 3'UTR, CDS or full cDNA from it. Every answer is stored in a SQLite cache keyed by
Ensembl release, so a sequence is fetched once and later runs work offline.

The HTTP layer is a :class:`Transport`: the default uses :mod:`urllib`; tests inject a
transport that replays recorded responses, so no test touches the network.

Examples
--------
>>> class Replay:
...     def get(self, url, params):
...         if url.endswith("/info/data"):
...             return 200, {}, b'{"releases": [115]}'
...         return 404, {}, b'{"error": "not found"}'
>>> client = EnsemblClient(transport=Replay(), cache=None)
>>> client.release()
115
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any, Literal, Protocol

from mirscope.errors import InputError, RemoteServiceError, UnknownNameError
from mirscope.paths import user_cache_dir
from mirscope.sequences._seq import SequenceRecord

__all__ = [
    "DEFAULT_SERVER",
    "GRCH37_SERVER",
    "EnsemblClient",
    "SequenceCache",
    "Transport",
    "UrllibTransport",
]

logger = logging.getLogger(__name__)

DEFAULT_SERVER = "https://rest.ensembl.org"
GRCH37_SERVER = "https://grch37.rest.ensembl.org"

FetchKind = Literal["utr3", "cds", "cdna", "lncrna"]
FETCH_KINDS: tuple[str, ...] = ("utr3", "cds", "cdna", "lncrna")

# Ensembl stable-id prefixes: ENSG/ENST/ENSP are human; ENS + 3 letters is another species.
_ENSEMBL_ID = re.compile(r"^ENS([A-Z]{3})?([GTPE])\d{11}(\.\d+)?$", re.IGNORECASE)
_REFSEQ_ID = re.compile(r"^(NM|NR|XM|XR)_\d+(\.\d+)?$", re.IGNORECASE)
_SPECIES_CODES = {
    "MUS": "mouse (Mus musculus)",
    "RNO": "rat (Rattus norvegicus)",
    "DAR": "zebrafish (Danio rerio)",
    "GAL": "chicken (Gallus gallus)",
    "CAF": "dog (Canis familiaris)",
    "BTA": "cow (Bos taurus)",
    "SSC": "pig (Sus scrofa)",
    "MMU": "macaque (Macaca mulatta)",
    "PTR": "chimpanzee (Pan troglodytes)",
}


class Transport(Protocol):
    """What the client needs from HTTP: ``get(url, params) -> (status, headers, body)``."""

    def get(self, url: str, params: Mapping[str, str]) -> tuple[int, Mapping[str, str], bytes]:
        """Perform one GET request; raise :class:`OSError` when the network is unreachable."""
        ...


class UrllibTransport:
    """Default transport over :mod:`urllib` (JSON content type, a timeout)."""

    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout = timeout

    def get(self, url: str, params: Mapping[str, str]) -> tuple[int, Mapping[str, str], bytes]:
        query = urllib.parse.urlencode({**params, "content-type": "application/json"})
        req = urllib.request.Request(f"{url}?{query}", headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers or {}), err.read() or b""


class SequenceCache:
    """SQLite cache of Ensembl answers keyed by (release, request).

    Parameters
    ----------
    path
        Database file; default ``<user cache dir>/ensembl.sqlite``.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else user_cache_dir() / "ensembl.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with closing(self._connect()) as con, con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS responses (release INTEGER NOT NULL, key TEXT NOT NULL,"
                " body TEXT NOT NULL, fetched_at REAL NOT NULL, PRIMARY KEY (release, key))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, release: int, key: str) -> Any | None:
        """Return the cached JSON answer or ``None``."""
        with self._lock, closing(self._connect()) as con:
            row = con.execute(
                "SELECT body FROM responses WHERE release = ? AND key = ?", (release, key)
            ).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, release: int, key: str, value: Any) -> None:
        """Store one JSON answer (replacing an older one)."""
        with self._lock, closing(self._connect()) as con, con:
            con.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?)",
                (release, key, json.dumps(value), time.time()),
            )

    def releases(self) -> list[int]:
        """Releases present in the cache, newest first."""
        with self._lock, closing(self._connect()) as con:
            rows = con.execute(
                "SELECT DISTINCT release FROM responses WHERE release > 0 ORDER BY release DESC"
            ).fetchall()
        return [int(r[0]) for r in rows]


class EnsemblClient:
    """Fetch human transcript sequences by gene name or id from Ensembl REST.

    Parameters
    ----------
    transport
        HTTP layer (default :class:`UrllibTransport`); tests inject recorded responses.
    cache
        A :class:`SequenceCache`, a path for one, or ``None`` for no cache. Default: the
        user cache directory.
    release
        Pin an Ensembl release (cache key). Default: ask the server, or, when offline,
        use the newest release in the cache.
    server
        REST server base URL (GRCh38). GRCh37 coordinates (circBase) use :data:`GRCH37_SERVER`.
    max_per_second
        Rate limit (Ensembl allows 15 requests per second).
    retries, backoff
        Retries on HTTP 429/5xx and network errors, with exponential backoff
        ``backoff * 2**attempt`` seconds (or the server's ``Retry-After``).
    sleep, clock
        Injected for tests.
    """

    def __init__(
        self,
        *,
        transport: Transport | None = None,
        cache: SequenceCache | str | Path | Literal["default"] | None = "default",
        release: int | None = None,
        server: str = DEFAULT_SERVER,
        max_per_second: float = 15.0,
        retries: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_per_second <= 0:
            raise InputError(f"max_per_second must be > 0, got {max_per_second}.")
        self.transport: Transport = transport if transport is not None else UrllibTransport()
        if cache == "default":
            self.cache: SequenceCache | None = SequenceCache()
        elif cache is None or isinstance(cache, SequenceCache):
            self.cache = cache
        else:
            self.cache = SequenceCache(cache)
        self._release = release
        self.server = server.rstrip("/")
        self.min_interval = 1.0 / max_per_second
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        self.requests_made = 0

    # ------------------------------------------------------------------ HTTP
    def _throttle(self) -> None:
        now = self._clock()
        if self._last_request is not None:
            wait = self.min_interval - (now - self._last_request)
            if wait > 0:
                self._sleep(wait)
                now = self._clock()
        self._last_request = now

    def _request(self, path: str, params: Mapping[str, str] | None = None, *, server: str | None = None) -> Any:
        """GET ``path`` as JSON with rate limiting and retries; ``None`` for HTTP 400/404."""
        url = f"{(server or self.server)}{path}"
        params = dict(params or {})
        last_error = ""
        for attempt in range(self.retries + 1):
            self._throttle()
            try:
                status, headers, body = self.transport.get(url, params)
            except OSError as err:
                last_error = f"network error: {err}"
                status, headers, body = -1, {}, b""
            self.requests_made += 1
            if status == 200:
                try:
                    return json.loads(body)
                except json.JSONDecodeError as err:
                    raise RemoteServiceError(
                        f"Ensembl answered {url} with invalid JSON ({err}); try again later."
                    ) from err
            if status in (400, 404):
                return None
            if status == 429 or status >= 500 or status == -1:
                if status != -1:
                    last_error = f"HTTP {status}"
                if attempt == self.retries:
                    break
                retry_after = headers.get("Retry-After") if headers else None
                delay = float(retry_after) if retry_after else self.backoff * 2**attempt
                logger.info("Ensembl %s (%s); retrying in %.1f s", url, last_error, delay)
                self._sleep(delay)
                continue
            raise RemoteServiceError(f"Ensembl answered {url} with HTTP {status}: {body[:200]!r}")
        cached = self.cache.releases() if self.cache is not None else []
        hint = (
            f" The local cache holds release(s) {cached}: pass release=... to work offline with them."
            if cached
            else " Nothing is cached yet. Offline, extract sequences from a local GTF and genome"
            " with `mirscope sequences extract`, or scan your own FASTA with `--fasta`."
        )
        raise RemoteServiceError(
            f"Ensembl REST ({url}) failed after {self.retries + 1} attempts ({last_error}).{hint}"
        )

    def _cached(self, key: str, path: str, params: Mapping[str, str] | None = None, *, server: str | None = None) -> Any:
        release = self.release()
        if self.cache is not None:
            hit = self.cache.get(release, key)
            if hit is not None:
                return hit
        value = self._request(path, params, server=server)
        if value is not None and self.cache is not None:
            self.cache.put(release, key, value)
        return value

    # --------------------------------------------------------------- release
    def release(self) -> int:
        """The Ensembl release used as cache key (asked once, then remembered)."""
        if self._release is not None:
            return self._release
        try:
            data = self._request("/info/data")
        except RemoteServiceError:
            cached = self.cache.releases() if self.cache is not None else []
            if cached:
                logger.warning("Ensembl unreachable; using cached release %d", cached[0])
                self._release = cached[0]
                return self._release
            raise
        if not data or not data.get("releases"):
            raise RemoteServiceError("Ensembl /info/data did not report a release.")
        self._release = int(max(data["releases"]))
        return self._release

    # ------------------------------------------------------------ resolution
    @staticmethod
    def _check_species(name: str) -> None:
        m = _ENSEMBL_ID.match(name)
        if m and m.group(1):
            code = m.group(1).upper()
            species = _SPECIES_CODES.get(code, f"species code {code}")
            raise InputError(
                f"{name!r} is an Ensembl id for {species}, not human; mirscope fetches human "
                "sequences. Give a human id (ENSG.../ENST...) or an HGNC symbol."
            )

    def resolve_gene(self, name: str) -> dict[str, Any]:
        """Look up a gene (with its transcripts) by HGNC symbol, Ensembl id or RefSeq id."""
        name = name.strip()
        if not name:
            raise InputError("Empty gene name; give an HGNC symbol such as STAT3.")
        self._check_species(name)
        m = _ENSEMBL_ID.match(name)
        if m and m.group(2).upper() == "T":
            tx = self._cached(f"lookup:{name}", f"/lookup/id/{name.split('.')[0]}", {"expand": "0"})
            if tx is None:
                raise UnknownNameError("Ensembl transcript id", name)
            name = tx["Parent"]
            m = _ENSEMBL_ID.match(name)
        if m:
            gene = self._cached(f"lookup:{name}", f"/lookup/id/{name.split('.')[0]}", {"expand": "1"})
            if gene is None:
                raise UnknownNameError("Ensembl gene id", name)
        elif _REFSEQ_ID.match(name):
            xrefs = self._cached(
                f"xref:{name}", f"/xrefs/symbol/homo_sapiens/{name.split('.')[0]}", {}
            )
            genes = [x["id"] for x in (xrefs or []) if x.get("type") == "gene"]
            txs = [x["id"] for x in (xrefs or []) if x.get("type") == "transcript"]
            if not genes and not txs:
                raise UnknownNameError("RefSeq id", name)
            return self.resolve_gene(genes[0] if genes else txs[0])
        else:
            symbol = _normalise_symbol(name)
            gene = self._cached(
                f"symbol:{symbol}", f"/lookup/symbol/homo_sapiens/{symbol}", {"expand": "1"}
            )
            if gene is None:
                raise UnknownNameError("gene symbol (not in Ensembl)", name, [symbol])
        species = gene.get("species", "homo_sapiens")
        if species != "homo_sapiens":
            raise InputError(f"{name!r} resolves to a {species} gene; mirscope fetches human sequences.")
        return gene

    def transcripts(self, name: str, *, all_transcripts: bool = False, biotype: str | None = None) -> list[dict[str, Any]]:
        """The canonical transcript of a gene (or all of them), optionally of one biotype."""
        gene = self.resolve_gene(name)
        txs = list(gene.get("Transcript") or [])
        if biotype is not None:
            txs = [t for t in txs if t.get("biotype") == biotype]
        if not txs:
            what = f" of biotype {biotype}" if biotype else ""
            raise InputError(f"Gene {name!r} ({gene.get('id')}) has no transcripts{what} in Ensembl.")
        if all_transcripts:
            return txs
        canonical = [t for t in txs if t.get("is_canonical")]
        return canonical[:1] or txs[:1]

    # ---------------------------------------------------------------- fetch
    def _cdna_masked(self, tid: str) -> str:
        data = self._cached(
            f"cdna_masked:{tid}", f"/sequence/id/{tid}", {"type": "cdna", "mask_feature": "1"}
        )
        if data is None:
            raise UnknownNameError("Ensembl transcript id", tid)
        return str(data["seq"])

    def fetch(self, name: str, *, kind: FetchKind = "utr3", all_transcripts: bool = False) -> list[SequenceRecord]:
        """Sequences of a gene's canonical transcript (or all transcripts).

        Parameters
        ----------
        name
            HGNC symbol (any alias), Ensembl gene/transcript id or RefSeq id.
        kind
            ``utr3`` (3'UTR), ``cds``, ``cdna`` (full transcript) or ``lncrna`` (cDNA of the
            gene's lncRNA transcripts).
        all_transcripts
            Every transcript instead of the canonical one.
        """
        if kind not in FETCH_KINDS:
            raise InputError(f"Unknown sequence kind {kind!r}; valid kinds are {list(FETCH_KINDS)}.")
        biotype = "lncRNA" if kind == "lncrna" else None
        gene = self.resolve_gene(name)
        symbol = gene.get("display_name") or name
        out: list[SequenceRecord] = []
        source = f"Ensembl REST release {self.release()}"
        for tx in self.transcripts(name, all_transcripts=all_transcripts, biotype=biotype):
            tid = tx["id"]
            version = tx.get("version")
            label = f"{tid}.{version}" if version else tid
            masked = self._cdna_masked(tid)
            if kind in ("cdna", "lncrna"):
                seq = masked.upper()
            else:
                _utr5, cds, utr3 = split_masked_cdna(masked)
                if not cds:
                    if all_transcripts:
                        logger.info("%s (%s) has no CDS; skipped", label, tx.get("biotype"))
                        continue
                    raise InputError(
                        f"{symbol} transcript {label} ({tx.get('biotype')}) has no CDS, so no "
                        f"{kind}; use kind='cdna' or 'lncrna'."
                    )
                seq = utr3 if kind == "utr3" else cds
                if not seq:
                    logger.warning("%s (%s) has an empty %s", label, symbol, kind)
                    continue
            out.append(
                SequenceRecord(
                    id=f"{label}|{symbol}|{kind}", seq=seq, kind="lncrna" if kind == "lncrna" else kind,
                    gene=symbol, transcript=label, source=source,
                )
            )
        return out

    def region(self, chrom: str, start: int, end: int, strand: int, *, assembly: str = "GRCh38") -> str:
        """Genomic sequence of a 1-based inclusive region (reverse complemented on strand -1)."""
        if start < 1 or end < start:
            raise InputError(f"Invalid region {chrom}:{start}-{end}: need 1 <= start <= end.")
        if strand not in (1, -1):
            raise InputError(f"Invalid strand {strand!r}; use 1 or -1.")
        server = GRCH37_SERVER if assembly.upper() == "GRCH37" else None
        chrom = chrom.removeprefix("chr")
        loc = f"{chrom}:{start}..{end}:{strand}"
        data = self._cached(f"region:{assembly}:{loc}", f"/sequence/region/human/{loc}", {}, server=server)
        if data is None:
            raise InputError(f"Ensembl has no sequence for region {loc} on {assembly}.")
        return str(data["seq"]).upper()


def split_masked_cdna(masked: str) -> tuple[str, str, str]:
    """Split a UTR-masked cDNA (UTRs lower case) into 5'UTR, CDS and 3'UTR (upper case).

    Examples
    --------
    >>> split_masked_cdna("aaATGCCCTAAggt")
    ('AA', 'ATGCCCTAA', 'GGT')
    """
    m = re.fullmatch(r"([a-z]*)([^a-z]*)([a-z]*)", masked)
    if m is None:
        # UTR case inside the CDS would be odd; fall back to first/last upper-case run.
        first = next((i for i, c in enumerate(masked) if c.isupper()), len(masked))
        last = max((i for i, c in enumerate(masked) if c.isupper()), default=-1)
        return masked[:first].upper(), masked[first : last + 1].upper(), masked[last + 1 :].upper()
    return m.group(1).upper(), m.group(2).upper(), m.group(3).upper()


def _normalise_symbol(name: str) -> str:
    """HGNC symbol for any alias; unknown names raise with the names module's suggestions."""
    from mirscope.names import normalize_gene

    return normalize_gene(name)
