"""Knowledge-base endpoints: statistics, evidence (query and edits), entity search.

Mirrors ``mirscope kb``. Reads are cached per query (:func:`cached_response`) and
rendered off the event loop; edits need ``--allow-edits`` and the token.

Examples
--------
>>> router.prefix, router.tags
('/api', ['knowledge base'])
"""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mirscope.errors import EmptyResultError, UnknownNameError
from mirscope.report._util import jsonable
from mirscope.schema import RELATION_EXPORT_COLUMNS, RelationType
from mirscope.web.dependencies import (
    MAX_RECORDS,
    EditorDep,
    NameQuery,
    Workbench,
    WorkbenchDep,
    cached_response,
)
from mirscope.web.models import (
    NAME_PATTERN,
    AddRelationsRequest,
    AddRelationsResponse,
    EditEntry,
    EditsResponse,
    EntityHit,
    EntitySearchResponse,
    EvidenceResponse,
    HistoryResponse,
    UpdateRelationRequest,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["knowledge base"])

SourceQuery = Literal["review", "mirtarbase", "literature", "user"]
#: Columns the evidence table can be sorted by.
SortColumn = Literal["subject", "relation", "object", "cancer", "direction", "source", "refs",
                     "id"]
IdQuery = Annotated[str, Query(min_length=1, max_length=128, pattern=NAME_PATTERN)]


def _sort_key(col: str) -> Any:
    if col == "refs":
        return lambda r: (min(r.get("refs") or [10**9]), r.get("id") or "")
    return lambda r: ((r.get(col) or "").lower(), r.get("id") or "")


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


def relations_tsv(records: list[dict[str, Any]]) -> str:
    """Evidence records as TSV with the columns of ``mirscope kb export``."""
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


def query_evidence(
    wb: Workbench, mirna: str | None, gene: str | None, cancer: str | None,
    relation: str | None, pathway: str | None, source: str | None,
) -> tuple[dict[str, str | None], list[Any]]:
    """The normalised query and the matching records (cached per query)."""
    key = (mirna, gene, cancer, relation, pathway, source)
    hit = wb.evidence_cache.get(key)
    if hit is not None:
        return hit
    q = _normalise_query(
        mirna=mirna, gene=gene, cancer=cancer, relation=relation, pathway=pathway, source=source,
    )
    # the store resolves spellings itself (an arm-less miRNA such as miR-124 matches the
    # whole family); the normalised names are echoed in the response
    rels = wb.kb.query(
        mirna=mirna, gene=gene, cancer=cancer, relation=relation, pathway=pathway, source=source,
    )
    out = (q, [r.to_record() for r in rels])
    with wb.lock:
        if len(wb.evidence_cache) > 2048:
            wb.evidence_cache.clear()
        wb.evidence_cache[key] = out
    return out


@router.get("/stats")
def stats(wb: WorkbenchDep) -> dict[str, Any]:
    """Counts of the knowledge base (relations by type, source, cancer...)."""
    out = dict(wb.kb.stats())
    out.pop("url", None)  # never reveal server paths
    return jsonable(out)


@router.get(
    "/evidence",
    response_model=EvidenceResponse,
    responses={200: {"content": {"text/tab-separated-values": {}}},
               404: {"description": "Unknown name (with suggestions)."}},
)
async def evidence(
    wb: WorkbenchDep,
    mirna: NameQuery = None,
    gene: NameQuery = None,
    cancer: NameQuery = None,
    relation: RelationType | None = None,
    pathway: NameQuery = None,
    source: SourceQuery | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RECORDS)] = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    sort: SortColumn | None = None,
    order: Literal["asc", "desc"] = "asc",
    format: Literal["json", "tsv"] = "json",
) -> Any:
    """Evidence records matching all given filters, each with its provenance.

    Names are normalised first (``miR-124`` -> ``hsa-miR-124-3p``, ``HCC`` ->
    ``hepatocellular carcinoma``); an arm-less miRNA name (``miR-124``) matches the
    whole miRNA family. Each record carries the review's reference numbers
    (``refs``), the supporting sentence (``evidence``) and its character offsets in
    the review (``evidence_start``/``evidence_end``).

    Paging: ``limit`` records from ``offset`` (``count``/``total`` is the number of all
    matching records); ``sort`` orders by a column (``order=desc`` reverses). The TSV
    download has every matching record (up to 5000), sorted the same way.
    """

    def render() -> tuple[bytes, str, dict[str, str]]:
        q, records = query_evidence(wb, mirna, gene, cancer, relation, pathway, source)
        if sort is not None:
            records = sorted(records, key=_sort_key(sort), reverse=order == "desc")
        if format == "tsv":
            return (
                relations_tsv(records[:MAX_RECORDS]).encode(),
                "text/tab-separated-values; charset=utf-8",
                {"Content-Disposition": 'attachment; filename="mirscope-evidence.tsv"'},
            )
        page = records[offset:offset + limit]
        body = EvidenceResponse(
            query=q, count=len(records), total=len(records), offset=offset, limit=limit,
            truncated=offset + len(page) < len(records), records=page,
        ).model_dump_json()
        return body.encode(), "application/json", {}

    key = ("evidence", mirna, gene, cancer, relation, pathway, source, limit, offset, sort,
           order, format)
    body, media, headers = await cached_response(wb, key, render)
    return Response(body, media_type=media, headers=headers)


_EDIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or wrong token."},
    403: {"description": "The server is read-only, or the record is curated (review, "
          "miRTarBase, literature) and never changed over HTTP."},
    404: {"description": "Unknown name or relation id."},
    409: {"description": "The id is taken (add), or a newer version exists (update)."},
}


def _refuse_other_sources(body: AddRelationsRequest) -> None:
    from mirscope.errors import InputError

    for rel in body.relations:
        if "source" in rel.model_fields_set and rel.source != "user":
            raise InputError(
                f"relation {rel.id!r} has source {rel.source!r}: edits are always stored as "
                "source 'user'; leave the field out or send 'user'."
            )


@router.post("/evidence", response_model=AddRelationsResponse, status_code=201,
             responses=_EDIT_RESPONSES)
def add_evidence(wb: WorkbenchDep, who: EditorDep, body: AddRelationsRequest
                 ) -> AddRelationsResponse:
    """Add new relations as source ``user`` (needs ``--allow-edits`` and a token).

    Names are checked and normalised (unknown names: 404). An id that is already stored
    (a review, miRTarBase or earlier user record) is refused with 409 and nothing is
    written: a ``user`` record is changed with ``PUT /api/evidence``; curated records never
    change over HTTP. Who (the token's name) and when are kept in the audit trail
    (``GET /api/edits``).
    """
    from mirscope.kb.edits import add_user_relations

    _refuse_other_sources(body)
    try:
        entries = add_user_relations(wb.kb, body.relations, who=who)
    finally:
        wb.invalidate()
    return AddRelationsResponse(added=len(entries), edits=[EditEntry(**e) for e in entries])


@router.put("/evidence", response_model=EditEntry, responses=_EDIT_RESPONSES)
def update_evidence(wb: WorkbenchDep, who: EditorDep, body: UpdateRelationRequest
                    ) -> EditEntry:
    """Change one ``user`` relation; the previous version is kept in its history.

    Send the ``version`` you read (``GET /api/evidence/history?id=...``): if another
    curator changed the record since, the update is refused with 409. Review, miRTarBase
    and literature records are never changed (403).
    """
    from mirscope.errors import InputError
    from mirscope.kb.edits import update_user_relation

    rel = body.relation
    if "source" in rel.model_fields_set and rel.source != "user":
        raise InputError(f"relation {rel.id!r}: edits are stored as source 'user', not "
                         f"{rel.source!r}.")
    try:
        entry = update_user_relation(wb.kb, rel, version=body.version, who=who)
    finally:
        wb.invalidate()
    return EditEntry(**entry)


@router.get("/evidence/history", response_model=HistoryResponse,
            responses={404: {"description": "No relation has this id."}})
def evidence_history(wb: WorkbenchDep, id: IdQuery) -> HistoryResponse:
    """One relation as stored now, its current edit version and every recorded edit."""
    from mirscope.kb.edits import relation_history
    from mirscope.kb.store import _ids_condition

    with wb.kb.engine.connect() as conn:
        from sqlalchemy.orm import Session

        with Session(bind=conn) as s:
            found = wb.kb._fetch(s, _ids_condition([_IdOnly(id)]))
    if not found:
        raise UnknownNameError("relation id", id)
    edits = relation_history(wb.kb, id)
    return HistoryResponse(relation_id=id, version=edits[-1]["version"] if edits else 0,
                           source=found[0].source, record=found[0].to_record(), edits=edits)


class _IdOnly:
    def __init__(self, id: str) -> None:
        self.id = id


@router.get("/edits", response_model=EditsResponse)
def edits(
    wb: WorkbenchDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> EditsResponse:
    """The audit trail of HTTP edits (who, when, record and previous version), newest first."""
    from mirscope.kb.edits import list_edits

    total, rows = list_edits(wb.kb, limit=limit, offset=offset)
    return EditsResponse(total=total, offset=offset, limit=limit, edits=rows)


@router.get("/entities/search", response_model=EntitySearchResponse)
def search_entities(
    wb: WorkbenchDep,
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


@router.get("/entity")
def entity(
    wb: WorkbenchDep,
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
