"""Clinical endpoints over an uploaded cohort table (mirrors ``mirscope clinical``).

Examples
--------
>>> router.prefix, router.tags
('/api/clinical', ['clinical'])
"""

from __future__ import annotations

import warnings
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from mirscope.errors import InputError
from mirscope.report._util import jsonable
from mirscope.web.dependencies import Column, WorkbenchDep, png_b64, upload_table
from mirscope.web.models import NAME_PATTERN, ClinicalResponse

__all__ = ["router"]

router = APIRouter(prefix="/api/clinical", tags=["clinical"])

Label = Annotated[str | None, Form(max_length=100, pattern=NAME_PATTERN)]


@router.post("/roc", response_model=ClinicalResponse)
async def clinical_roc(
    wb: WorkbenchDep,
    file: Annotated[UploadFile, File(description="CSV/TSV cohort table.")],
    marker_col: Column,
    label_col: Column,
    positive: Label = None,
    negative: Label = None,
) -> ClinicalResponse:
    """Diagnostic ROC analysis of a marker column for a label: ``positive`` (cases) vs
    the other level, or vs ``negative`` when the label has more than two levels."""
    df = await upload_table(wb, file)

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
            png = png_b64(plot_roc(fitter.result_, n_boot=200))
        return ClinicalResponse(
            analysis="roc", n_rows=len(df), result=jsonable(fitter.result_.details()),
            figure_png=png, warnings=sorted({str(w.message) for w in caught}),
        )

    return await run_in_threadpool(work)


@router.post("/survival", response_model=ClinicalResponse)
async def clinical_survival(
    wb: WorkbenchDep,
    file: Annotated[UploadFile, File(description="CSV/TSV cohort table.")],
    duration_col: Column,
    event_col: Column,
    marker_col: Column,
    split: Annotated[Literal["median", "mean", "optimal"], Form()] = "median",
) -> ClinicalResponse:
    """Kaplan-Meier split of a cohort by a marker (high vs low) with a log-rank test."""
    df = await upload_table(wb, file)

    def work() -> ClinicalResponse:
        from mirscope.clinical import SurvivalSplitFitter, plot_km

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fitter = SurvivalSplitFitter(split=split).fit(
                df, duration_col=duration_col, event_col=event_col, marker_col=marker_col
            )
            png = png_b64(plot_km(fitter.result_))
        return ClinicalResponse(
            analysis="survival", n_rows=len(df), result=jsonable(fitter.result_.details()),
            figure_png=png, warnings=sorted({str(w.message) for w in caught}),
        )

    return await run_in_threadpool(work)
