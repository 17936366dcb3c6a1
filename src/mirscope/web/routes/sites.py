"""Binding-site endpoints (mirrors ``mirscope sites``).

Examples
--------
>>> router.prefix, router.tags
('/api/sites', ['sites'])
"""

from __future__ import annotations

from fastapi import APIRouter

from mirscope.report._util import jsonable
from mirscope.web.models import ScanRequest, ScanResponse

__all__ = ["router"]

router = APIRouter(prefix="/api/sites", tags=["sites"])


@router.post("/scan", response_model=ScanResponse)
def scan_sites(body: ScanRequest) -> ScanResponse:
    """Predicted miRNA binding sites (seed match + duplex energy) in pasted sequence(s).

    ``sequence`` is one bare sequence (named ``name``) or FASTA text with ``>name`` header
    lines; each record is scanned and the sites name their record.
    """
    from mirscope import names
    from mirscope.sites import scan
    from mirscope.web.models import parse_fasta_text

    mirna = names.normalize_mirna(body.mirna).name
    records = parse_fasta_text(body.sequence, default_name=body.name)
    df = scan(records, mirna, circular=body.circular, energies=body.energies)
    return ScanResponse(mirna=mirna, length=sum(len(s) for s in records.values()), count=len(df),
                        records=list(records), sites=jsonable(df))
