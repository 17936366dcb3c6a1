"""Simulation endpoints (mirrors ``mirscope simulate``).

Examples
--------
>>> router.prefix, router.tags
('/api/simulate', ['simulation'])
"""

from __future__ import annotations

import warnings

from fastapi import APIRouter

from mirscope.report._util import jsonable
from mirscope.web.dependencies import WorkbenchDep, png_b64
from mirscope.web.models import SimulateRequest, SimulateResponse

__all__ = ["router"]

router = APIRouter(prefix="/api/simulate", tags=["simulation"])


@router.post("", response_model=SimulateResponse)
def simulate(wb: WorkbenchDep, body: SimulateRequest, plot: bool = False) -> SimulateResponse:
    """Steady-state response of the network model to perturbations.

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
        png = png_b64(fig)
    return SimulateResponse(result=jsonable(result.to_dict()), figure_png=png)
