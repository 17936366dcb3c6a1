"""The workbench's FastAPI application: a JSON API and a browser UI over the library.

:func:`create_app` builds the app; :func:`mirscope.web.serve` runs it with uvicorn on
127.0.0.1. The knowledge base is read-only over HTTP unless the app is created with
``allow_edits=True`` and a ``token`` (then ``POST /api/evidence`` needs
``Authorization: Bearer <token>``). Request bodies are limited to
``max_upload_bytes`` (413) and uploaded tables to ``max_rows`` rows (422). Package
errors become 4xx responses whose ``detail`` says what is wrong:
:class:`~mirscope.errors.UnknownNameError` and
:class:`~mirscope.errors.EmptyResultError` give 404, other
:class:`~mirscope.errors.InputError` 422.

Examples
--------
>>> from fastapi.testclient import TestClient
>>> client = TestClient(create_app())
>>> client.get("/api/health").json()["status"]
'ok'
"""

from __future__ import annotations

import base64
import csv
import io
import json
import logging
import secrets
import tempfile
import threading
import warnings
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import Depends, FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from mirscope import __version__
from mirscope.errors import (
    ConvergenceError,
    EmptyResultError,
    FileFormatError,
    InputError,
    MirscopeError,
    MissingDependencyError,
    UnknownNameError,
)
from mirscope.report._util import figure_bytes, jsonable
from mirscope.schema import (
    PERTURBATION_VERBS,
    RELATION_EXPORT_COLUMNS,
    RELATION_TYPES,
    RelationType,
)
from mirscope.web.assets import MEDIA_TYPES, static_dir, templates_dir, vendor_files
from mirscope.web.models import (
    NAME_PATTERN,
    AddRelationsRequest,
    AddRelationsResponse,
    ClinicalResponse,
    EntityHit,
    EntitySearchResponse,
    EvidenceResponse,
    HealthResponse,
    ScanRequest,
    ScanResponse,
    SimulateRequest,
    SimulateResponse,
)

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_MAX_UPLOAD_BYTES", "create_app"]

log = logging.getLogger(__name__)

#: Default limit of a request body (bytes), e.g. an uploaded cohort table.
DEFAULT_MAX_UPLOAD_BYTES = 5_000_000
#: Default limit of the number of rows of an uploaded table.
DEFAULT_MAX_ROWS = 50_000
#: Most evidence records returned by one query (the response says when it was truncated).
MAX_RECORDS = 5_000
#: Budget of the cache of rendered evidence responses (the knowledge base is read-only over
#: HTTP; the cache is emptied after every accepted edit).
RESPONSE_CACHE_BYTES = 32_000_000

NameQuery = Annotated[str | None, Query(min_length=1, max_length=100, pattern=NAME_PATTERN)]

Column = Annotated[str, Form(min_length=1, max_length=100, pattern=NAME_PATTERN)]
_SWAGGER_FILES = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"})
_BEARER = HTTPBearer(auto_error=False, description="Edit token given to `mirscope serve --token`.")

ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


# ---------------------------------------------------------------------------
# Request-size limit (pure ASGI middleware: checks Content-Length and counts bytes)
# ---------------------------------------------------------------------------
class _BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        return (
            f"Request body too large: the limit is {self.max_bytes} bytes. "
            "Upload a smaller table (fewer rows or columns)."
        )

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    body = json.dumps({"detail": self._message()}).encode()
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 413,
                            "headers": [
                                (b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": body})
                    return
        received = 0

        async def limited_receive() -> Any:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(status_code=413, detail=self._message())
            return message

        await self.app(scope, limited_receive, send)


# ---------------------------------------------------------------------------
# Application state
# ---------------------------------------------------------------------------
class _Workbench:
    """The knowledge base (opened once, lazily) and caches derived from it."""

    def __init__(self, *, kb_url: str | None, allow_edits: bool, token: str | None,
                 max_upload_bytes: int, max_rows: int) -> None:
        self.kb_url = kb_url
        self.allow_edits = allow_edits
        self.token = token
        self.max_upload_bytes = max_upload_bytes
        self.max_rows = max_rows
        self._lock = threading.RLock()
        self._kb: Any = None
        self._entities: dict[str, EntityHit] | None = None
        self._evidence_cache: dict[tuple[Any, ...], tuple[dict[str, str | None], list[Any]]] = {}
        self._responses: OrderedDict[tuple[Any, ...], tuple[bytes, str, dict[str, str]]] = (
            OrderedDict()
        )
        self._response_bytes = 0
        self._models: dict[str | None, tuple[Any, threading.Lock]] = {}
        self._relations: list[Any] | None = None

    @property
    def kb(self) -> Any:
        if self._kb is None:
            with self._lock:
                if self._kb is None:
                    from mirscope.kb import open_store

                    self._kb = open_store(self.kb_url)
        return self._kb

    def model(self, cancer: str | None) -> tuple[Any, threading.Lock]:
        """The simulation model of a cancer (built once) and the lock that serialises its use."""
        with self._lock:
            hit = self._models.get(cancer)
        if hit is None:
            from mirscope.simulate import build_model

            built = build_model(cancer)
            with self._lock:
                hit = self._models.setdefault(cancer, (built, threading.Lock()))
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
        with self._lock:
            self._entities = None
            self._relations = None
            self._evidence_cache.clear()
            self._responses.clear()
            self._response_bytes = 0
            self._models.clear()

    def cached_response(self, key: tuple[Any, ...]) -> tuple[bytes, str, dict[str, str]] | None:
        hit = self._responses.get(key)
        if hit is not None:
            with self._lock:
                if key in self._responses:
                    self._responses.move_to_end(key)
        return hit

    def cache_response(self, key: tuple[Any, ...], value: tuple[bytes, str, dict[str, str]]) -> None:
        """Keep a rendered read-only response (LRU, at most ``RESPONSE_CACHE_BYTES`` in total)."""
        size = len(value[0])
        if size > RESPONSE_CACHE_BYTES // 8:
            return
        with self._lock:
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
            with self._lock:
                if self._relations is None:
                    self._relations = list(self.kb.all_relations())
                rels = self._relations
        return rels

    def entities(self) -> dict[str, EntityHit]:
        """Every entity of the knowledge base by lower-cased name."""
        ent = self._entities
        if ent is None:
            with self._lock:
                counts: Counter[tuple[str, str]] = Counter()
                for r in self.relations():
                    counts[(r.subject, r.subject_type)] += 1
                    counts[(r.object, r.object_type)] += 1
                ent = {}
                for (name, etype), n in counts.most_common():
                    ent.setdefault(name.lower(), EntityHit(name=name, type=etype, n_relations=n))
                self._entities = ent
        return ent


def _normalise_query(
    *,
    mirna: str | None,
    gene: str | None,
    cancer: str | None,
    relation: str | None,
    pathway: str | None,
    source: str | None,
) -> dict[str, str | None]:
    from mirscope import names

    return {
        "mirna": names.normalize_mirna(mirna).name if mirna else None,
        "gene": names.normalize_gene(gene) if gene else None,
        "cancer": names.normalize_cancer(cancer).name if cancer else None,
        "relation": relation,
        "pathway": names.normalize_pathway(pathway) if pathway else None,
        "source": source,
    }


def _relations_tsv(records: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(RELATION_EXPORT_COLUMNS)
    for rec in records:
        row = []
        for col in RELATION_EXPORT_COLUMNS:
            v = rec.get(col)
            if v is None:
                row.append("")
            elif isinstance(v, (list, tuple)):
                row.append(";".join(str(x) for x in v))
            elif isinstance(v, dict):
                row.append(json.dumps(v, sort_keys=True) if v else "")
            else:
                row.append(" ".join(str(v).split()))
        writer.writerow(row)
    return buf.getvalue()


def _read_upload(data: bytes, filename: str, *, max_rows: int) -> pd.DataFrame:
    """Parse an uploaded CSV/TSV table from memory (no file is written or opened)."""
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
        raise FileFormatError(filename, f"not a readable {'TSV' if sep == chr(9) else 'CSV'} table: {err}") from err
    if len(df) > max_rows:
        raise InputError(
            f"{filename}: {len(df)} rows is more than the limit of {max_rows} rows; "
            "upload a smaller cohort or start the server with a higher limit."
        )
    if df.empty:
        raise FileFormatError(filename, "the table has a header but no data rows")
    return df


def _png_b64(fig: Any) -> str:
    return base64.b64encode(figure_bytes(fig, "png")).decode()


# ---------------------------------------------------------------------------
# The app factory
# ---------------------------------------------------------------------------
def create_app(
    *,
    kb_url: str | None = None,
    allow_edits: bool = False,
    token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """Build the workbench's FastAPI application.

    Parameters
    ----------
    kb_url
        SQLAlchemy URL of the knowledge base (default: the user's default database,
        see :func:`mirscope.kb.open_store`).
    allow_edits
        Accept ``POST /api/evidence`` (adds relations). Requires ``token``.
    token
        Bearer token that edit requests must send (``Authorization: Bearer <token>``).
    max_upload_bytes
        Largest request body accepted; larger ones get HTTP 413.
    max_rows
        Largest uploaded table (rows) accepted; larger ones get HTTP 422.
    allowed_hosts
        Accepted ``Host`` headers (others get HTTP 400), e.g. ``["127.0.0.1",
        "localhost"]``, which :func:`mirscope.web.serve` sets on a loopback address so a
        web page elsewhere cannot reach the workbench through DNS rebinding. ``None``
        accepts any host.

    Returns
    -------
    fastapi.FastAPI
        The application (OpenAPI documentation at ``/docs``, UI at ``/``).

    Raises
    ------
    InputError
        If ``allow_edits`` is set without a token, or a limit is not positive.

    Examples
    --------
    >>> app = create_app(max_rows=1000)
    >>> app.title
    'mirscope workbench'
    """
    if allow_edits and not token:
        raise InputError(
            "allow_edits=True needs a token: edits are only accepted with "
            "'Authorization: Bearer <token>' (CLI: --allow-edits --token T)."
        )
    if token is not None and len(token) < 8:
        raise InputError(f"token is {len(token)} characters long; use at least 8 characters.")
    if max_upload_bytes <= 0 or max_rows <= 0:
        raise InputError(
            f"max_upload_bytes ({max_upload_bytes}) and max_rows ({max_rows}) must be positive."
        )
    wb = _Workbench(
        kb_url=kb_url, allow_edits=allow_edits, token=token,
        max_upload_bytes=max_upload_bytes, max_rows=max_rows,
    )
    app = FastAPI(
        title="mirscope workbench",
        version=__version__,
        description=(
            "Local JSON API over mirscope: miR-124 evidence with provenance, networks, "
            "binding sites, simulation and clinical analyses. Read-only unless started "
            "with --allow-edits and a token."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.state.workbench = wb
    app.add_middleware(_BodyLimitMiddleware, max_bytes=max_upload_bytes)
    if allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    # -- errors -------------------------------------------------------------
    @app.exception_handler(UnknownNameError)
    async def _unknown(request: Request, err: UnknownNameError) -> JSONResponse:
        return JSONResponse(
            status_code=404,
            content={"detail": str(err), "kind": err.kind, "name": err.name,
                     "suggestions": err.suggestions},
        )

    @app.exception_handler(EmptyResultError)
    async def _empty(request: Request, err: EmptyResultError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(err)})

    @app.exception_handler(InputError)
    async def _input(request: Request, err: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(err)})

    @app.exception_handler(ConvergenceError)
    async def _convergence(request: Request, err: ConvergenceError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(err)})

    @app.exception_handler(MissingDependencyError)
    async def _missing(request: Request, err: MissingDependencyError) -> JSONResponse:
        return JSONResponse(status_code=501, content={"detail": str(err)})

    @app.exception_handler(MirscopeError)
    async def _other(request: Request, err: MirscopeError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"detail": str(err)})

    # -- pages and assets ---------------------------------------------------
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(templates_dir())), autoescape=select_autoescape(["html"])
    )
    index_html = env.get_template("index.html").render(
        version=__version__, read_only=not allow_edits, relation_types=RELATION_TYPES,
        verbs=PERTURBATION_VERBS,
    )
    app.mount("/static", StaticFiles(directory=str(static_dir())), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(index_html)

    @app.get("/vendor/{filename}", include_in_schema=False)
    def vendor(filename: str) -> FileResponse:
        files = vendor_files(docs=filename in _SWAGGER_FILES)
        path = files.get(filename)
        if path is None:
            raise HTTPException(status_code=404, detail=f"No vendor file {filename!r}.")
        return FileResponse(
            path, media_type=MEDIA_TYPES[path.suffix],
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        vendor_files(docs=True)  # 501 with the install hint when Swagger UI is missing
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="mirscope workbench API",
            swagger_js_url="/vendor/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui.css",
            swagger_favicon_url="/vendor/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},
        )

    # -- API: health and knowledge base --------------------------------------
    @app.get("/api/health", response_model=HealthResponse, tags=["meta"])
    async def health() -> HealthResponse:
        """Liveness check (does not touch the knowledge base)."""
        return HealthResponse(status="ok", version=__version__, read_only=not wb.allow_edits)

    @app.get("/api/stats", tags=["knowledge base"])
    def stats() -> dict[str, Any]:
        """Counts of the knowledge base (relations by type, source, cancer...)."""
        out = dict(wb.kb.stats())
        out.pop("url", None)  # never reveal server paths
        return jsonable(out)

    def _evidence(
        mirna: str | None, gene: str | None, cancer: str | None, relation: str | None,
        pathway: str | None, source: str | None,
    ) -> tuple[dict[str, str | None], list[Any]]:
        key = (mirna, gene, cancer, relation, pathway, source)
        hit = wb._evidence_cache.get(key)
        if hit is not None:
            return hit
        q = _normalise_query(
            mirna=mirna, gene=gene, cancer=cancer, relation=relation, pathway=pathway,
            source=source,
        )
        # the store resolves spellings itself (an arm-less miRNA such as miR-124 matches
        # the whole family); the normalised names are echoed in the response
        rels = wb.kb.query(
            mirna=mirna, gene=gene, cancer=cancer, relation=relation, pathway=pathway,
            source=source,
        )
        out = (q, [r.to_record() for r in rels])
        with wb._lock:
            if len(wb._evidence_cache) > 2048:
                wb._evidence_cache.clear()
            wb._evidence_cache[key] = out
        return out

    @app.get(
        "/api/evidence",
        response_model=EvidenceResponse,
        tags=["knowledge base"],
        responses={200: {"content": {"text/tab-separated-values": {}}},
                   404: {"description": "Unknown name (with suggestions)."}},
    )
    async def evidence(
        mirna: NameQuery = None,
        gene: NameQuery = None,
        cancer: NameQuery = None,
        relation: RelationType | None = None,
        pathway: NameQuery = None,
        source: Literal["review", "mirtarbase", "literature", "user"] | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_RECORDS)] = 1000,
        format: Literal["json", "tsv"] = "json",
    ) -> Any:
        """Evidence records matching all given filters, each with its provenance.

        Names are normalised first (``miR-124`` -> ``hsa-miR-124-3p``, ``HCC`` ->
        ``hepatocellular carcinoma``); an arm-less miRNA name (``miR-124``) matches the
        whole miRNA family. Each record carries the review's reference numbers
        (``refs``), the supporting sentence (``evidence``) and its character offsets in
        the review (``evidence_start``/``evidence_end``).
        """
        key = (mirna, gene, cancer, relation, pathway, source, limit, format)
        hit = wb.cached_response(key)
        if hit is None:
            hit = await run_in_threadpool(
                _render_evidence, mirna, gene, cancer, relation, pathway, source, limit, format
            )
            wb.cache_response(key, hit)
        body, media, headers = hit
        return Response(body, media_type=media, headers=headers)

    def _render_evidence(
        mirna: str | None, gene: str | None, cancer: str | None, relation: str | None,
        pathway: str | None, source: str | None, limit: int, format: str,
    ) -> tuple[bytes, str, dict[str, str]]:
        q, records = _evidence(mirna, gene, cancer, relation, pathway, source)
        if format == "tsv":
            return (
                _relations_tsv(records[:MAX_RECORDS]).encode(),
                "text/tab-separated-values; charset=utf-8",
                {"Content-Disposition": 'attachment; filename="mirscope-evidence.tsv"'},
            )
        body = EvidenceResponse(
            query=q, count=len(records), truncated=len(records) > limit, records=records[:limit]
        ).model_dump_json()
        return body.encode(), "application/json", {}

    def require_edit_rights(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
    ) -> None:
        if not wb.allow_edits:
            raise HTTPException(
                status_code=403,
                detail="The knowledge base is read-only over HTTP; start the server with "
                "`mirscope serve --allow-edits --token T` to accept edits.",
            )
        given = credentials.credentials if credentials is not None else ""
        if not given or not secrets.compare_digest(given.encode(), (wb.token or "").encode()):
            raise HTTPException(
                status_code=401,
                detail="Missing or wrong token: send 'Authorization: Bearer <token>'.",
                headers={"WWW-Authenticate": "Bearer"},
            )

    @app.post(
        "/api/evidence",
        response_model=AddRelationsResponse,
        status_code=201,
        tags=["knowledge base"],
        dependencies=[Depends(require_edit_rights)],
        responses={401: {"description": "Missing or wrong token."},
                   403: {"description": "The server is read-only."}},
    )
    def add_evidence(body: AddRelationsRequest) -> AddRelationsResponse:
        """Add relations (only when the server runs with ``--allow-edits --token``)."""
        with wb._lock:
            added = wb.kb.add_relations(list(body.relations))
        wb.invalidate()
        return AddRelationsResponse(added=int(added))

    @app.get("/api/entities/search", response_model=EntitySearchResponse, tags=["knowledge base"])
    def search_entities(
        q: Annotated[str, Query(min_length=1, max_length=100, pattern=NAME_PATTERN)],
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> EntitySearchResponse:
        """Entities (miRNAs, genes, ncRNAs, cancers, pathways...) whose name contains ``q``.

        ``resolved`` is the exact normalisation of ``q`` when it is a known name;
        ``suggestions`` are the closest known names otherwise.
        """
        from mirscope import names

        entities = wb.entities()
        resolved: EntityHit | None = None
        suggestions: list[str] = []
        try:
            name, etype = names.resolve_entity(q)
        except UnknownNameError as err:
            suggestions = err.suggestions
        else:
            hit = entities.get(name.lower())
            resolved = hit or EntityHit(name=name, type=etype, n_relations=0)
        needle = q.strip().lower()
        results = [e for key, e in entities.items() if needle in key]
        results.sort(key=lambda e: (not e.name.lower().startswith(needle), -e.n_relations, e.name))
        return EntitySearchResponse(
            query=q, resolved=resolved, results=results[:limit], suggestions=suggestions
        )

    @app.get("/api/entity", tags=["knowledge base"])
    def entity(
        name: Annotated[str, Query(min_length=1, max_length=100, pattern=NAME_PATTERN)],
        cancer: NameQuery = None,
        limit: Annotated[int, Query(ge=1, le=MAX_RECORDS)] = 500,
    ) -> dict[str, Any]:
        """One entity (as in the network) and the relations where it is subject or object.

        With ``cancer``, only relations of that cancer type (and its sub-types) and
        pan-cancer relations (no cancer) are returned, as in the network of that cancer.
        """
        from mirscope import names

        ent = wb.entities().get(name.strip().lower())
        if ent is None:
            resolved, _ = names.resolve_entity(name)
            ent = wb.entities().get(resolved.lower())
            if ent is None:
                raise EmptyResultError(
                    f"{resolved!r} is a known name but the knowledge base has no relation "
                    "for it; search with /api/entities/search?q=..."
                )
        allowed = set(names.cancer_subtypes(cancer)) if cancer else None
        records = [
            r.to_record() for r in wb.relations()
            if ent.name in (r.subject, r.object)
            and (allowed is None or r.cancer is None or r.cancer in allowed)
        ]
        return {"entity": ent.model_dump(), "cancer": names.normalize_cancer(cancer).name
                if cancer else None, "count": len(records), "records": records[:limit]}

    # -- API: network ---------------------------------------------------------
    def _graph(mirna: str | None, cancer: str | None) -> Any:
        from mirscope import names
        from mirscope.network import build_graph

        m = names.normalize_mirna(mirna).name if mirna else None
        c = names.normalize_cancer(cancer).name if cancer else None
        G = build_graph(wb.relations(), cancer=c, mirna=m)
        if G.number_of_nodes() == 0:
            raise EmptyResultError(
                f"No network for mirna={m!r}, cancer={c!r}; try without the cancer filter."
            )
        return G

    @app.get(
        "/api/network",
        tags=["network"],
        responses={200: {"content": {"application/json": {}, "application/xml": {},
                                     "text/plain": {}}}},
    )
    def network(
        mirna: NameQuery = None,
        cancer: NameQuery = None,
        format: Literal["cyjs", "graphml", "sif"] = "cyjs",
    ) -> Response:
        """The evidence network (optionally one miRNA's neighbourhood in one cancer).

        ``cyjs``: Cytoscape.js JSON; ``graphml``: GraphML (Cytoscape, Gephi, yEd);
        ``sif``: simple interaction format.
        """
        from mirscope import network as net

        G = _graph(mirna, cancer)
        if format == "cyjs":
            return JSONResponse(jsonable(net.to_cytoscape_json(G)))
        if format == "graphml":
            with tempfile.TemporaryDirectory(prefix="mirscope-web-") as tmp:
                out = Path(tmp) / "network.graphml"
                net.write_network(G, out, format="graphml")
                text = out.read_bytes()
            return Response(
                text, media_type="application/xml",
                headers={"Content-Disposition": 'attachment; filename="mirscope-network.graphml"'},
            )
        return Response(
            net.to_sif(G), media_type="text/plain; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="mirscope-network.sif"'},
        )

    @app.get(
        "/api/network/figure",
        tags=["network"],
        responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
    )
    def network_figure(
        mirna: NameQuery = None,
        cancer: NameQuery = None,
        format: Literal["png", "svg"] = "png",
    ) -> Response:
        """The network drawn by :func:`mirscope.network.draw_network` (PNG or SVG download)."""
        from mirscope.network import draw_network

        G = _graph(mirna, cancer)
        fig = draw_network(G)
        media = "image/png" if format == "png" else "image/svg+xml"
        return Response(
            figure_bytes(fig, format), media_type=media,
            headers={"Content-Disposition": f'attachment; filename="mirscope-network.{format}"'},
        )

    # -- API: sites -------------------------------------------------------------
    @app.post("/api/sites/scan", response_model=ScanResponse, tags=["sites"])
    def scan_sites(body: ScanRequest) -> ScanResponse:
        """Predicted miRNA binding sites in one sequence (seed match + duplex energy)."""
        from mirscope import names
        from mirscope.sites import scan

        mirna = names.normalize_mirna(body.mirna).name
        df = scan({body.name: body.sequence}, mirna, circular=body.circular,
                  energies=body.energies)
        return ScanResponse(
            mirna=mirna, length=len(body.sequence), count=len(df), sites=jsonable(df)
        )

    # -- API: simulation ----------------------------------------------------------
    @app.post("/api/simulate", response_model=SimulateResponse, tags=["simulation"])
    def simulate(body: SimulateRequest, plot: bool = False) -> SimulateResponse:
        """Steady-state response of the miR-124 network model to perturbations.

        Each readout has a log2 fold change and a direction; with ``plot=true`` the
        response also has a PNG bar plot (base64).
        """
        from mirscope import names
        from mirscope.report.figures import perturbation_figure
        from mirscope.simulate import simulate_perturbations

        cancer = names.normalize_cancer(body.cancer).name if body.cancer else None
        model, lock = wb.model(cancer)
        with lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = simulate_perturbations(model, list(body.perturbations), dose=body.dose)
        png = None
        if plot:
            fig = perturbation_figure(result.table, title=", ".join(result.perturbations)
                                      + (f" ({cancer})" if cancer else ""),
                                      threshold=result.threshold)
            png = _png_b64(fig)
        return SimulateResponse(result=jsonable(result.to_dict()), figure_png=png)

    # -- API: clinical --------------------------------------------------------------
    async def _upload(file: UploadFile) -> pd.DataFrame:
        data = await file.read(wb.max_upload_bytes + 1)
        if len(data) > wb.max_upload_bytes:
            raise HTTPException(
                status_code=413,
                detail=f"Uploaded file too large: the limit is {wb.max_upload_bytes} bytes.",
            )
        name = (file.filename or "upload.csv").replace("/", "_")[-100:]
        return _read_upload(data, name, max_rows=wb.max_rows)

    @app.post("/api/clinical/roc", response_model=ClinicalResponse, tags=["clinical"])
    async def clinical_roc(
        file: Annotated[UploadFile, File(description="CSV/TSV cohort table.")],
        marker_col: Column,
        label_col: Column,
        positive: Annotated[str | None, Form(max_length=100, pattern=NAME_PATTERN)] = None,
        negative: Annotated[str | None, Form(max_length=100, pattern=NAME_PATTERN)] = None,
    ) -> ClinicalResponse:
        """Diagnostic ROC analysis of a marker column for a label: ``positive`` (cases) vs
        the other level, or vs ``negative`` when the label has more than two levels."""
        df = await _upload(file)

        def work() -> ClinicalResponse:
            from mirscope.clinical import ROCFitter, plot_roc

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                if positive is None:
                    raise InputError(
                        f"give the positive (case) label of column {label_col!r}, e.g. tumor."
                    )
                fitter = ROCFitter(n_boot=0).fit(
                    df, marker_col=marker_col, label_col=label_col, positive=positive,
                    negative=negative,
                )
                png = _png_b64(plot_roc(fitter.result_, n_boot=200))
            return ClinicalResponse(
                analysis="roc", n_rows=len(df), result=jsonable(fitter.result_.details()),
                figure_png=png, warnings=sorted({str(w.message) for w in caught}),
            )

        return await run_in_threadpool(work)

    @app.post("/api/clinical/survival", response_model=ClinicalResponse, tags=["clinical"])
    async def clinical_survival(
        file: Annotated[UploadFile, File(description="CSV/TSV cohort table.")],
        duration_col: Column,
        event_col: Column,
        marker_col: Column,
        split: Annotated[Literal["median", "mean", "optimal"], Form()] = "median",
    ) -> ClinicalResponse:
        """Kaplan-Meier split of a cohort by a marker (high vs low) with a log-rank test."""
        df = await _upload(file)

        def work() -> ClinicalResponse:
            from mirscope.clinical import SurvivalSplitFitter, plot_km

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                fitter = SurvivalSplitFitter(split=split).fit(
                    df, duration_col=duration_col, event_col=event_col, marker_col=marker_col
                )
                png = _png_b64(plot_km(fitter.result_))
            return ClinicalResponse(
                analysis="survival", n_rows=len(df),
                result=jsonable(fitter.result_.details()),
                figure_png=png, warnings=sorted({str(w.message) for w in caught}),
            )

        return await run_in_threadpool(work)

    return app
