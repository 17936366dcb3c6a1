"""Ranked targets of a miRNA (mirrors ``mirscope kb targets``).

Examples
--------
>>> router.prefix, router.tags
('/api/targets', ['targets'])
"""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from mirscope.report._util import jsonable
from mirscope.web.dependencies import NameQuery, WorkbenchDep, cached_response

__all__ = ["router"]

router = APIRouter(prefix="/api/targets", tags=["targets"])


@router.get("", responses={200: {"content": {"application/json": {}, "text/plain": {}}}})
async def targets(
    wb: WorkbenchDep,
    mirna: NameQuery = "miR-124",
    cancer: NameQuery = None,
    source: Literal["review", "mirtarbase", "literature", "user"] | None = None,
    format: Literal["json", "tsv"] = "json",
) -> Response:
    """One row per target gene of the miRNA (both arms when arm-less), best evidence first.

    JSON: ``{"mirna", "count", "targets": [{"gene", "score", "n_references", "experiments",
    "sources", "pmids", ...}]}``; TSV: the same rows.
    """

    def render() -> tuple[bytes, str, dict[str, str]]:
        from mirscope.kb.targets import ranked_targets

        df = ranked_targets(wb.kb, mirna or "miR-124", cancer=cancer, source=source)
        if format == "tsv":

            def cell(v: object) -> str:
                return ";".join(map(str, v)) if isinstance(v, list) else "" if v is None else str(v)

            lines = ["\t".join(df.columns)]
            lines += ["\t".join(cell(v) for v in row) for row in df.itertuples(index=False)]
            return (
                ("\n".join(lines) + "\n").encode(),
                "text/plain; charset=utf-8",
                {"Content-Disposition": 'attachment; filename="mirscope-targets.tsv"'},
            )
        body = {
            "mirna": mirna,
            "cancer": cancer,
            "count": len(df),
            "targets": jsonable(df.to_dict(orient="records")),
        }
        return json.dumps(body).encode(), "application/json", {}

    key = ("targets", mirna, cancer, source, format)
    body, media, headers = await cached_response(wb, key, render)
    return Response(body, media_type=media, headers=headers)
