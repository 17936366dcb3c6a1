"""TCGA pan-cancer atlas endpoints (mirrors ``mirscope atlas``): no upload, shipped or cached
cohorts.

* ``GET /api/atlas/cohorts``: the shipped cohorts and those fetched into the user cache
  (``mirscope tcga fetch``).
* ``GET /api/atlas?mirna=...&source=shipped|cache``: one row per cohort and the pan-cancer
  panel (PNG).
* ``GET /api/atlas/km?mirna=...&cohort=...``: Kaplan-Meier (median split, risk table) and the
  paired tumour/normal plot of one cohort.

Examples
--------
>>> router.prefix, router.tags
('/api/atlas', ['atlas'])
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from mirscope.errors import InputError
from mirscope.report._util import jsonable
from mirscope.web.dependencies import png_b64
from mirscope.web.models import NAME_PATTERN

__all__ = ["AtlasCohorts", "AtlasKM", "AtlasResponse", "router"]

router = APIRouter(prefix="/api/atlas", tags=["atlas"])

Source = Annotated[Literal["shipped", "cache"], Query(description="shipped cohorts or the user cache")]
MirnaQ = Annotated[str, Query(min_length=1, max_length=100, pattern=NAME_PATTERN)]


class AtlasCohorts(BaseModel):
    """``GET /api/atlas/cohorts``."""

    shipped: list[str]
    cache: list[str]
    cache_dir: str


class AtlasResponse(BaseModel):
    """``GET /api/atlas``: the atlas of one miRNA and its pan-cancer panel."""

    mirna: str
    precursors: list[str]
    cohorts: list[dict[str, Any]]
    panel_png: str = Field(description="Base64-encoded PNG: log2FC and Cox HR forests.")


class AtlasKM(BaseModel):
    """``GET /api/atlas/km``: Kaplan-Meier and paired plots of one cohort."""

    mirna: str
    cohort: str
    km_png: str | None
    paired_png: str | None
    notes: list[str]


def _cohort_dir(source: str) -> Any:
    if source == "shipped":
        return None
    from mirscope.clinical.gdc import default_cohort_dir

    d = default_cohort_dir()
    if not d.is_dir():
        raise InputError(f"no cached cohorts in {d}; run `mirscope tcga fetch PROJECT` first "
                         "or use source=shipped")
    return d


@router.get("/cohorts", response_model=AtlasCohorts)
def atlas_cohorts() -> AtlasCohorts:
    """Cohorts available without an upload."""
    from mirscope.clinical.atlas import available_cohorts
    from mirscope.clinical.gdc import default_cohort_dir

    d = default_cohort_dir()
    return AtlasCohorts(shipped=available_cohorts(), cache=available_cohorts(d) if d.is_dir() else [],
                        cache_dir=str(d))


@router.get("", response_model=AtlasResponse)
async def atlas(mirna: MirnaQ, source: Source = "shipped") -> AtlasResponse:
    """The miRNA in every cohort of ``source``: tumour vs paired normal, Cox and log-rank."""

    def work() -> AtlasResponse:
        from mirscope.clinical.atlas import AtlasFitter
        from mirscope.clinical.atlas_plots import plot_atlas_panel

        res = AtlasFitter().fit(mirna, cohort_dir=_cohort_dir(source)).result_
        d = res.to_dict()
        return AtlasResponse(mirna=d["mirna"], precursors=d["precursors"],
                             cohorts=jsonable(d["cohorts"]), panel_png=png_b64(plot_atlas_panel(res)))

    return await run_in_threadpool(work)


@router.get("/km", response_model=AtlasKM)
async def atlas_km(
    mirna: MirnaQ,
    cohort: Annotated[str, Query(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")],
    source: Source = "shipped",
) -> AtlasKM:
    """Kaplan-Meier (median split) and paired tumour/normal plot of one cohort."""

    def work() -> AtlasKM:
        from mirscope.clinical.atlas import resolve_precursors
        from mirscope.clinical.atlas_plots import plot_atlas_km, plot_atlas_paired

        d = _cohort_dir(source)
        name, _ = resolve_precursors(mirna)
        notes: list[str] = []
        km = paired = None
        try:
            km = png_b64(plot_atlas_km(mirna, cohort, cohort_dir=d))
        except InputError as err:
            if "Unknown" in str(err):
                raise
            notes.append(f"Kaplan-Meier: {err}")
        try:
            paired = png_b64(plot_atlas_paired(mirna, cohort, cohort_dir=d))
        except InputError as err:
            notes.append(f"paired plot: {err}")
        return AtlasKM(mirna=name, cohort=cohort.upper() if d is None else cohort, km_png=km,
                       paired_png=paired, notes=notes)

    return await run_in_threadpool(work)
