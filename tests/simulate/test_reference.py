"""libRoadRunner results against the independent NumPy/SciPy reference implementation."""

from __future__ import annotations

import pytest

from mirscope.simulate import Model
from mirscope.simulate.perturb import perturbation_parameters, resolve_perturbations
from mirscope.simulate.reference import reference_steady_state


@pytest.mark.parametrize(
    "perturbation",
    [
        "miR-124=overexpress",
        "miR-124=inhibit",
        "miR-124=knockdown",
        "miR-124=knockout",
        "miR-124=demethylate",
        "NEAT1=knockdown",
        "NEAT1=overexpress",
        "STAT3=overexpress",
        "STAT3=inhibit",
        "JAK/STAT=activate",
    ],
)
def test_steady_state_matches_reference(small_model: Model, perturbation: str) -> None:
    pert = resolve_perturbations(small_model, [perturbation], dose=1.5)[0]
    values = perturbation_parameters(small_model, pert)
    fast = small_model.steady_state_values(values)
    slow = reference_steady_state(small_model, values)
    for node, v in slow.items():
        assert fast[node] == pytest.approx(v, rel=1e-6, abs=1e-9), node


def test_baseline_matches_reference(breast_model: Model) -> None:
    slow = reference_steady_state(breast_model, {})
    fast = breast_model.baseline_readouts()
    for node, v in slow.items():
        assert fast[node] == pytest.approx(v, rel=1e-6, abs=1e-9), node
