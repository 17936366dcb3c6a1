"""Pathway-enrichment endpoint (mirrors ``mirscope enrich``).

Examples
--------
>>> router.prefix, router.tags
('/api/enrich', ['enrichment'])
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mirscope.errors import EmptyResultError, InputError
from mirscope.report._util import jsonable
from mirscope.web.dependencies import NameQuery, WorkbenchDep, cached_response

__all__ = ["router"]

router = APIRouter(prefix="/api/enrich", tags=["enrichment"])

Collection = Literal["hallmark", "reactome", "wikipathways"]


@router.get("")
async def enrichment(
    wb: WorkbenchDep,
    mirna: NameQuery = None,
    genes: Annotated[str | None, Query(
        max_length=20_000, pattern=r"^[A-Za-z0-9_.,;:\-\s]*$",
        description="Gene symbols separated by spaces, commas or new lines (instead of "
        "the miRNA's validated targets).")] = None,
    collection: Annotated[list[Collection] | None, Query(
        description="Shipped gene-set collections (repeatable; default: all).")] = None,
    min_size: Annotated[int, Query(ge=1, le=1000)] = 10,
    max_size: Annotated[int, Query(ge=2, le=5000)] = 500,
    limit: Annotated[int, Query(ge=1, le=2000)] = 50,
) -> Response:
    """Hypergeometric enrichment (BH-corrected) of a miRNA's strong-evidence miRTarBase
    targets, or of a given gene list, in the shipped gene-set collections.

    Rows are sorted by p-value; ``limit`` rows are returned (``n_tested`` counts all).
    """
    gene_list = [g for g in re.split(r"[\s,;]+", genes or "") if g]
    if bool(gene_list) == bool(mirna):
        raise InputError("give exactly one of mirna (e.g. miR-124) or genes (symbols).")

    def render() -> tuple[bytes, str, dict[str, str]]:
        from mirscope import names
        from mirscope.network import enrich

        m = names.normalize_mirna(mirna).name if mirna else None
        if m is not None:
            from mirscope.kb import load_mirtarbase

            targets = sorted(set(load_mirtarbase(mirna=m)["target"]))
            if not targets:
                raise EmptyResultError(
                    f"{m} has no strong-evidence miRTarBase target; paste its target genes "
                    "instead."
                )
            query = targets
        else:
            query = gene_list
        res = enrich(query, gene_sets=list(collection or ("hallmark", "reactome",
                                                          "wikipathways")),
                     mirna=m, min_size=min_size, max_size=max_size)
        rec = res.to_records()
        rows = sorted(rec["table"], key=lambda r: (r.get("p_value") is None, r.get("p_value")))
        out = {"mirna": m, "n_genes": rec["n_genes"], "n_background": rec["n_background"],
               "unmatched": rec["unmatched"], "n_tested": len(rows), "table": rows[:limit]}
        return json.dumps(jsonable(out)).encode(), "application/json", {}

    key = ("enrich", mirna, tuple(gene_list), tuple(collection or ()), min_size, max_size, limit)
    body, media, headers = await cached_response(wb, key, render)
    return Response(body, media_type=media, headers=headers)
