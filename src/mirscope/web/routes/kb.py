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

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from mirscope.errors import EmptyResultError, UnknownNameError
from mirscope.report._util import jsonable
from mirscope.schema import RELATION_EXPORT_COLUMNS, RelationType
from mirscope.web.dependencies import (
    MAX_RECORDS,
    NameQuery,
    Workbench,
    WorkbenchDep,
    cached_response,
    require_edit_rights,
)
from mirscope.web.models import (
    NAME_PATTERN,
    AddRelationsRequest,
    AddRelationsResponse,
    EntityHit,
    EntitySearchResponse,
    EvidenceResponse,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["knowledge base"])

SourceQuery = Literal["review", "mirtarbase", "literature", "user"]


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
    format: Literal["json", "tsv"] = "json",
) -> Any:
    """Evidence records matching all given filters, each with its provenance.

    Names are normalised first (``miR-124`` -> ``hsa-miR-124-3p``, ``HCC`` ->
    ``hepatocellular carcinoma``); an arm-less miRNA name (``miR-124``) matches the
    whole miRNA family. Each record carries the review's reference numbers
    (``refs``), the supporting sentence (``evidence``) and its character offsets in
    the review (``evidence_start``/``evidence_end``).
    """

    def render() -> tuple[bytes, str, dict[str, str]]:
        q, records = query_evidence(wb, mirna, gene, cancer, relation, pathway, source)
        if format == "tsv":
            return (
                relations_tsv(records[:MAX_RECORDS]).encode(),
                "text/tab-separated-values; charset=utf-8",
                {"Content-Disposition": 'attachment; filename="mirscope-evidence.tsv"'},
            )
        body = EvidenceResponse(
            query=q, count=len(records), truncated=len(records) > limit, records=records[:limit]
        ).model_dump_json()
        return body.encode(), "application/json", {}

    key = ("evidence", mirna, gene, cancer, relation, pathway, source, limit, format)
    body, media, headers = await cached_response(wb, key, render)
    return Response(body, media_type=media, headers=headers)


@router.post(
    "/evidence",
    response_model=AddRelationsResponse,
    status_code=201,
    dependencies=[Depends(require_edit_rights)],
    responses={401: {"description": "Missing or wrong token."},
               403: {"description": "The server is read-only."}},
)
def add_evidence(wb: WorkbenchDep, body: AddRelationsRequest) -> AddRelationsResponse:
    """Add relations (only when the server runs with ``--allow-edits --token``)."""
    with wb.lock:
        added = wb.kb.add_relations(list(body.relations))
    wb.invalidate()
    return AddRelationsResponse(added=int(added))


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
