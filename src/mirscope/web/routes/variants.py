"""Variant endpoints: sites gained, lost or changed by an uploaded VCF (mirrors ``mirscope variants``).

Both uploads are size-capped by the workbench's ``max_upload_bytes`` (HTTP 413) and the VCF
by ``max_rows`` records (HTTP 422). Genes of the evidence network carry a ``network_url``.

Examples
--------
>>> router.prefix, router.tags
('/api/variants', ['variants'])
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from starlette.concurrency import run_in_threadpool

from mirscope.errors import EmptyResultError, UnknownNameError
from mirscope.report._util import jsonable
from mirscope.web.dependencies import Workbench, WorkbenchDep
from mirscope.web.models import NAME_PATTERN

__all__ = ["router"]

router = APIRouter(prefix="/api/variants", tags=["variants"])

#: Most site rows returned in one response (the per-gene table covers all).
MAX_ROWS_SHOWN = 2000


async def _read_capped(wb: Workbench, file: UploadFile, what: str) -> bytes:
    data = await file.read(wb.max_upload_bytes + 1)
    if len(data) > wb.max_upload_bytes:
        raise HTTPException(
            status_code=413,
            detail=f"Uploaded {what} too large: the limit is {wb.max_upload_bytes} bytes; "
            "annotate large VCFs with `mirscope variants` (streamed).",
        )
    return data


@router.post("")
async def variant_sites(
    wb: WorkbenchDep,
    vcf: Annotated[UploadFile, File(description="VCF (plain text), sorted.")],
    utrs: Annotated[UploadFile, File(description="3'UTR FASTA with >TRANSCRIPT|GENE|chr:start-end[,...]:strand headers.")],
    mirna: Annotated[str, Form(min_length=1, max_length=100, pattern=NAME_PATTERN)] = "miR-124-3p",
    energies: Annotated[bool, Form()] = True,
) -> dict[str, Any]:
    """Sites of one miRNA gained, lost or changed by the variants, per gene and per site."""
    vcf_bytes = await _read_capped(wb, vcf, "VCF")
    utr_bytes = await _read_capped(wb, utrs, "UTR FASTA")

    def work() -> dict[str, Any]:
        from mirscope.sites.scan import resolve_mirna
        from mirscope.variants import annotate_small_vcf, gene_summary

        name, seq = resolve_mirna(mirna)
        with tempfile.TemporaryDirectory() as tmp:
            vp, up = Path(tmp) / "upload.vcf", Path(tmp) / "utrs.fa"
            vp.write_bytes(vcf_bytes)
            up.write_bytes(utr_bytes)
            rows, vstats, astats = annotate_small_vcf(vp, up, {name: seq}, max_records=wb.max_rows,
                                                      energies=energies)
        try:
            from mirscope.network import build_graph

            graph_genes = {str(n) for n in build_graph(wb.relations(), mirna=name).nodes}
        except (EmptyResultError, UnknownNameError):
            graph_genes = set()
        genes = gene_summary(rows, network_genes=graph_genes)
        gene_rows = jsonable(genes)
        for g in gene_rows:
            g["network_url"] = f"/api/network?mirna={name}&format=cyjs" if g["in_network"] else None
        return {
            "mirna": name, "records": vstats.records, "alleles_in_utrs": astats.alleles_in_features,
            "skipped": {"crossing_feature_boundary": astats.skipped_crossing_feature_boundary,
                        "non_sequence_alleles": vstats.skipped_non_sequence_alleles},
            "count": len(rows), "truncated": len(rows) > MAX_ROWS_SHOWN,
            "genes": gene_rows, "sites": rows[:MAX_ROWS_SHOWN],
        }

    return await run_in_threadpool(work)
