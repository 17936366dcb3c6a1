"""Report endpoints: start the HTML report in the background, poll it, download it.

Mirrors ``mirscope report``. A report takes seconds to a minute, so ``POST /api/report``
returns a job id at once; ``GET /api/report/status`` says how far it is (state, elapsed
seconds, sections) and ``GET /api/report/download`` returns the finished HTML. At most
:data:`MAX_RUNNING` reports are built at a time (429 otherwise); finished reports are kept
in memory for :data:`KEEP_SECONDS`. Reports are built one after the other (they build
simulation models, see :data:`mirscope.web.dependencies.MODEL_BUILD_LOCK`).

Examples
--------
>>> router.prefix, router.tags
('/api/report', ['report'])
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from mirscope.errors import MirscopeError
from mirscope.web.dependencies import Workbench, WorkbenchDep
from mirscope.web.models import NAME_PATTERN

__all__ = ["MAX_RUNNING", "router"]

router = APIRouter(prefix="/api/report", tags=["report"])

#: Reports built at the same time (a new request beyond this gets 429).
MAX_RUNNING = 2
#: Seconds a finished report stays available for download.
KEEP_SECONDS = 3600

#: The report's sections (equal to :data:`mirscope.report.SECTIONS`; a test checks).
Section = Literal["summary", "evidence", "targets", "network", "cerna", "sites", "simulation",
                  "enrichment", "clinical", "atlas"]
JobId = Annotated[str, Query(min_length=16, max_length=64, pattern=r"^[0-9a-f]+$")]


class ReportRequest(BaseModel):
    """``POST /api/report``: what the report is about."""

    model_config = ConfigDict(extra="forbid")
    mirna: str = Field(default="miR-124", min_length=1, max_length=100, pattern=NAME_PATTERN)
    cancer: str | None = Field(default=None, min_length=1, max_length=100, pattern=NAME_PATTERN)
    sections: list[Section] | None = Field(default=None, min_length=1, max_length=8)


class ReportJob(BaseModel):
    """The state of one report job."""

    job: str
    state: Literal["running", "done", "failed"]
    mirna: str
    cancer: str | None
    sections: list[str]
    elapsed_s: float
    error: str | None = None
    size: int | None = None


@dataclass
class _Job:
    id: str
    mirna: str
    cancer: str | None
    sections: list[str]
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    html: str | None = None
    error: str | None = None

    def view(self) -> ReportJob:
        state = "failed" if self.error else ("done" if self.html is not None else "running")
        end = self.finished if self.finished is not None else time.monotonic()
        return ReportJob(job=self.id, state=state, mirna=self.mirna, cancer=self.cancer,
                         sections=self.sections, elapsed_s=round(end - self.started, 1),
                         error=self.error, size=len(self.html) if self.html else None)


def _jobs(wb: Workbench) -> dict[str, _Job]:
    with wb.lock:
        jobs: dict[str, _Job] = wb.jobs
        now = time.monotonic()
        for k in [k for k, j in jobs.items() if j.finished and now - j.finished > KEEP_SECONDS]:
            del jobs[k]
        return jobs


def _run(wb: Workbench, job: _Job) -> None:
    from mirscope.report import build_report
    from mirscope.web.dependencies import MODEL_BUILD_LOCK

    try:
        with MODEL_BUILD_LOCK:  # reports build simulation models: one at a time
            job.html = build_report(job.mirna, cancer=job.cancer, kb_url=wb.kb_url,
                                sections=tuple(job.sections))  # type: ignore[arg-type]
    except MirscopeError as err:
        job.error = str(err)
    except Exception as err:  # reported to the client (type only), logged in full
        import logging

        logging.getLogger(__name__).exception("report job %s failed", job.id)
        job.error = f"internal error while building the report ({type(err).__name__})"
    finally:
        job.finished = time.monotonic()


@router.post("", response_model=ReportJob, status_code=202,
             responses={429: {"description": "Too many reports are being built."}})
def start_report(wb: WorkbenchDep, body: ReportRequest) -> ReportJob:
    """Start building the HTML report of a miRNA; poll ``/api/report/status?job=...``."""
    from mirscope import names
    from mirscope.report import SECTIONS

    mirna = names.normalize_mirna(body.mirna).name
    cancer = names.normalize_cancer(body.cancer).name if body.cancer else None
    jobs = _jobs(wb)
    with wb.lock:
        running = sum(1 for j in jobs.values() if j.finished is None)
        if running >= MAX_RUNNING:
            raise HTTPException(status_code=429, detail=f"{running} reports are being built; "
                                "wait for one to finish and try again.")
        job = _Job(id=secrets.token_hex(16), mirna=mirna, cancer=cancer,
                   sections=list(body.sections or SECTIONS))
        jobs[job.id] = job
    threading.Thread(target=_run, args=(wb, job), name=f"report-{job.id[:8]}",
                     daemon=True).start()
    return job.view()


def _job(wb: Workbench, job: str) -> _Job:
    found = _jobs(wb).get(job)
    if found is None:
        raise HTTPException(status_code=404, detail=f"No report job {job!r} (finished reports "
                            f"are kept {KEEP_SECONDS // 60} minutes); start a new one.")
    return found


@router.get("/status", response_model=ReportJob)
def report_status(wb: WorkbenchDep, job: JobId) -> ReportJob:
    """The state of a report job: running (with elapsed seconds), done or failed."""
    return _job(wb, job).view()


@router.get("/download", responses={200: {"content": {"text/html": {}}},
                                     409: {"description": "The report is not finished."}})
def report_download(wb: WorkbenchDep, job: JobId) -> Response:
    """The finished report (one self-contained HTML file)."""
    j = _job(wb, job)
    if j.html is None:
        view: Any = j.view()
        raise HTTPException(status_code=409, detail=f"The report is {view.state}"
                            + (f": {j.error}" if j.error else "; poll /api/report/status."))
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in j.mirna)
    return Response(j.html, media_type="text/html; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="mirscope-report-{safe}.html"'})
