"""Shared state and FastAPI dependencies of the workbench's routers.

Every router (``mirscope.web.routes.*``) reaches the knowledge base, the caches and the
server settings through :func:`get_workbench` (``WorkbenchDep`` in a signature), checks
edit rights with :func:`require_edit_rights` and reads uploaded tables with
:func:`read_upload`. Nothing here knows about a particular endpoint.

Examples
--------
>>> wb = Workbench(kb_url=None, allow_edits=False, token=None,
...                max_upload_bytes=1000, max_rows=10)
>>> wb.read_only
True
"""

from __future__ import annotations

import base64
import csv
import io
import logging
import secrets
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Annotated, Any

import pandas as pd
from fastapi import Depends, Form, HTTPException, Query, Request, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from mirscope.errors import FileFormatError, InputError
from mirscope.report._util import figure_bytes
from mirscope.web.models import NAME_PATTERN, EntityHit

__all__ = [
    "MAX_RECORDS",
    "MODEL_BUILD_LOCK",
    "RESPONSE_CACHE_BYTES",
    "BearerDep",
    "Column",
    "EditorDep",
    "NameQuery",
    "Workbench",
    "WorkbenchDep",
    "cached_response",
    "get_workbench",
    "png_b64",
    "read_upload",
    "require_edit_rights",
    "token_name",
    "upload_table",
]

log = logging.getLogger(__name__)

#: Most evidence records returned by one query (the response says when it was truncated).
MAX_RECORDS = 5_000
#: Budget of the cache of rendered read-only responses (emptied after every accepted edit).
RESPONSE_CACHE_BYTES = 32_000_000

#: An optional name in a query string (miRNA, gene, cancer, pathway...).
NameQuery = Annotated[str | None, Query(min_length=1, max_length=100, pattern=NAME_PATTERN)]
#: A column name of an uploaded table (form field).
Column = Annotated[str, Form(min_length=1, max_length=100, pattern=NAME_PATTERN)]

_BEARER = HTTPBearer(auto_error=False, description="Token given to `mirscope serve --token`.")
#: The bearer credentials of a request (``None`` when none was sent).
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]

#: Held while a simulation model is built or a report is written: the SBML/Antimony layer
#: under :mod:`mirscope.simulate` is not thread-safe (two builds at once can crash the
#: process), so the workbench never runs two at once.
MODEL_BUILD_LOCK = threading.Lock()

#: A rendered response: body, media type and extra headers.
Rendered = tuple[bytes, str, dict[str, str]]


class Workbench:
    """The knowledge base (opened once, lazily), the server settings and derived caches.

    Parameters
    ----------
    kb_url
        SQLAlchemy URL of the knowledge base (``None``: the user's default database).
    allow_edits, token
        Whether edits (``POST``/``PUT /api/evidence``) are accepted, and the bearer token
        they need (its name is ``"editor"``).
    max_upload_bytes, max_rows
        Limits of uploaded tables.
    require_token
        Every ``/api`` request needs a token (set for a non-loopback bind).
    tokens
        Named tokens (``{"alice": "<secret>", ...}``); the name is recorded as who made an
        edit.
    """

    def __init__(self, *, kb_url: str | None, allow_edits: bool, token: str | None,
                 max_upload_bytes: int, max_rows: int, require_token: bool = False,
                 tokens: dict[str, str] | None = None) -> None:
        self.kb_url = kb_url
        self.allow_edits = allow_edits
        self.token = token
        self.tokens: dict[str, str] = dict(tokens or {})
        if token:
            self.tokens.setdefault("editor", token)
        self.max_upload_bytes = max_upload_bytes
        self.max_rows = max_rows
        self.require_token = require_token
        self.lock = threading.RLock()
        self._kb: Any = None
        self._entities: dict[str, EntityHit] | None = None
        self.evidence_cache: dict[tuple[Any, ...], tuple[dict[str, str | None], list[Any]]] = {}
        self._responses: OrderedDict[tuple[Any, ...], Rendered] = OrderedDict()
        self._response_bytes = 0
        self._models: dict[tuple[str | None, str | None], tuple[Any, threading.Lock]] = {}
        self._relations: list[Any] | None = None
        self.pages: dict[str, str] = {}
        #: Background jobs by id (e.g. report builds, :mod:`mirscope.web.routes.report`).
        self.jobs: dict[str, Any] = {}
        self._key_locks: dict[tuple[Any, ...], threading.Lock] = {}

    @property
    def read_only(self) -> bool:
        """True unless edits are accepted."""
        return not self.allow_edits

    @property
    def kb(self) -> Any:
        """The knowledge-base store (opened on first use)."""
        if self._kb is None:
            with self.lock:
                if self._kb is None:
                    from mirscope.kb import open_store

                    self._kb = open_store(self.kb_url)
        return self._kb

    def model(self, cancer: str | None, mirna: str | None = None) -> tuple[Any, threading.Lock]:
        """The simulation model of a cancer (built once) and the lock that serialises its use.

        With ``mirna``, the model of that miRNA's own network (any miRNA with evidence).
        """
        key = (cancer, mirna)
        with self.lock:
            hit = self._models.get(key)
        if hit is None:
            from mirscope.simulate import build_model

            with MODEL_BUILD_LOCK:
                if mirna is None:
                    built = build_model(cancer)
                else:
                    built = build_model(cancer, mirna=mirna, relations=self.relations())
            with self.lock:
                hit = self._models.setdefault(key, (built, threading.Lock()))
        return hit

    def warm(self) -> None:
        """Open the knowledge base and load the name tables now, not on the first request."""
        from mirscope import names

        names.normalize_mirna("miR-124")
        names.normalize_gene("STAT3")
        names.normalize_cancer("HCC")
        names.resolve_entity("PI3K/Akt")
        self.entities()

    def invalidate(self) -> None:
        """Forget everything derived from the knowledge base (after an edit)."""
        with self.lock:
            self._entities = None
            self._relations = None
            self.evidence_cache.clear()
            self._responses.clear()
            self._response_bytes = 0
            self._models.clear()

    def key_lock(self, key: tuple[Any, ...]) -> threading.Lock:
        """The lock that serialises the computation of one cached response."""
        with self.lock:
            if len(self._key_locks) > 4096:
                self._key_locks.clear()
            return self._key_locks.setdefault(key, threading.Lock())

    def cached_response(self, key: tuple[Any, ...]) -> Rendered | None:
        """A rendered response kept by :meth:`cache_response`, or ``None``."""
        hit = self._responses.get(key)
        if hit is not None:
            with self.lock:
                if key in self._responses:
                    self._responses.move_to_end(key)
        return hit

    def cache_response(self, key: tuple[Any, ...], value: Rendered) -> None:
        """Keep a rendered read-only response (LRU, at most ``RESPONSE_CACHE_BYTES`` in total)."""
        size = len(value[0])
        if size > RESPONSE_CACHE_BYTES // 8:
            return
        with self.lock:
            if key in self._responses:
                return
            self._responses[key] = value
            self._response_bytes += size
            while self._response_bytes > RESPONSE_CACHE_BYTES:
                _, (old, _, _) = self._responses.popitem(last=False)
                self._response_bytes -= len(old)

    def relations(self) -> list[Any]:
        """Every relation of the knowledge base (read once; refreshed after an edit)."""
        rels = self._relations
        if rels is None:
            with self.lock:
                if self._relations is None:
                    self._relations = list(self.kb.all_relations())
                rels = self._relations
        return rels

    def entities(self) -> dict[str, EntityHit]:
        """Every entity of the knowledge base by lower-cased name."""
        ent = self._entities
        if ent is None:
            with self.lock:
                counts: Counter[tuple[str, str]] = Counter()
                for r in self.relations():
                    counts[(r.subject, r.subject_type)] += 1
                    counts[(r.object, r.object_type)] += 1
                ent = {}
                for (name, etype), n in counts.most_common():
                    ent.setdefault(name.lower(), EntityHit(name=name, type=etype, n_relations=n))
                self._entities = ent
        return ent


def get_workbench(request: Request) -> Workbench:
    """The :class:`Workbench` of the app serving ``request``."""
    wb: Workbench = request.app.state.workbench
    return wb


WorkbenchDep = Annotated[Workbench, Depends(get_workbench)]


async def cached_response(
    wb: Workbench, key: tuple[Any, ...], render: Callable[[], Rendered]
) -> Rendered:
    """Return the cached rendering of ``key``, else run ``render`` in a worker thread.

    The event loop is never blocked by ``render`` (figures, networks, large tables), and a
    repeated query is answered from the LRU cache of the workbench.
    """
    hit = wb.cached_response(key)
    if hit is not None:
        return hit

    def once() -> Rendered:
        # one computation per key at a time: concurrent identical requests wait for the
        # first one and then read its result from the cache
        with wb.key_lock(key):
            done = wb.cached_response(key)
            if done is not None:
                return done
            out = render()
            wb.cache_response(key, out)
            return out

    return await run_in_threadpool(once)


def token_name(tokens: dict[str, str], given: str) -> str | None:
    """The name of the token ``given`` (constant-time comparison), or ``None``.

    Examples
    --------
    >>> token_name({"alice": "s3cret-alice"}, "s3cret-alice"), token_name({"a": "x"}, "y")
    ('alice', None)
    """
    found = None
    for name, secret in tokens.items():
        if given and secrets.compare_digest(given.encode(), secret.encode()):
            found = name
    return found


def require_edit_rights(wb: WorkbenchDep, credentials: BearerDep) -> str:
    """The name of the editor's token; 403 if the server is read-only, 401 if wrong."""
    if not wb.allow_edits:
        raise HTTPException(
            status_code=403,
            detail="The knowledge base is read-only over HTTP; start the server with "
            "`mirscope serve --allow-edits --token T` to accept edits.",
        )
    who = token_name(wb.tokens, credentials.credentials if credentials is not None else "")
    if who is None:
        raise HTTPException(
            status_code=401,
            detail="Missing or wrong token: send 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return who


#: The name of the token of an accepted edit request (who made the edit).
EditorDep = Annotated[str, Depends(require_edit_rights)]


def read_upload(data: bytes, filename: str, *, max_rows: int) -> pd.DataFrame:
    """Parse an uploaded CSV/TSV table from memory (no file is written or opened).

    Examples
    --------
    >>> read_upload(b"a,b\\n1,2\\n", "t.csv", max_rows=10).shape
    (1, 2)
    """
    if not data.strip():
        raise FileFormatError(filename, "the uploaded file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileFormatError(
            filename, f"not UTF-8 text ({err.reason} at byte {err.start}); upload a CSV or TSV"
        ) from err
    first = text.splitlines()[0] if text.splitlines() else ""
    sep = "\t" if filename.lower().endswith((".tsv", ".tab", ".txt")) or (
        "\t" in first and "," not in first
    ) else ","
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1) - 1
    if n_lines > max_rows:
        raise InputError(
            f"{filename}: {n_lines} data rows is more than the limit of {max_rows} rows; "
            "upload a smaller cohort or start the server with a higher limit."
        )
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as err:
        kind = "TSV" if sep == "\t" else "CSV"
        raise FileFormatError(filename, f"not a readable {kind} table: {err}") from err
    if len(df) > max_rows:
        raise InputError(
            f"{filename}: {len(df)} rows is more than the limit of {max_rows} rows; "
            "upload a smaller cohort or start the server with a higher limit."
        )
    if df.empty:
        raise FileFormatError(filename, "the table has a header but no data rows")
    return df


async def upload_table(wb: Workbench, file: UploadFile) -> pd.DataFrame:
    """Read an uploaded table within the workbench's size and row limits."""
    data = await file.read(wb.max_upload_bytes + 1)
    if len(data) > wb.max_upload_bytes:
        raise HTTPException(
            status_code=413,
            detail=f"Uploaded file too large: the limit is {wb.max_upload_bytes} bytes.",
        )
    name = (file.filename or "upload.csv").replace("/", "_")[-100:]
    return read_upload(data, name, max_rows=wb.max_rows)


def png_b64(fig: Any) -> str:
    """A matplotlib figure as base64-encoded PNG."""
    return base64.b64encode(figure_bytes(fig, "png")).decode()
