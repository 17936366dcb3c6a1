"""Executable kinetic model of a miRNA's network (ceRNA titration + signalling).

Build a model of one cancer's network, perturb it (mimic, antagomir, knockdown,
knockout, demethylation, activation), export it as SBML, check it against the
review's reported perturbation outcomes, and judge whether a sponge can plausibly
derepress the miRNA's targets. Equations and every default: docs/simulate.md.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("hsa-miR-124-3p", type="mirna"); g.add_node("STAT3", type="gene")
>>> _ = g.add_edge("hsa-miR-124-3p", "STAT3", key="targets", relation="targets", sign=-1)
>>> model = build_model(graph=g, prior=False)
>>> simulate_perturbations(model, ["hsa-miR-124-3p=knockout"]).readouts["STAT3"]["direction"]
'up'
"""

from __future__ import annotations

from mirscope.simulate.figures import (
    dose_grid_figure,
    dose_response_figure,
    sponge_threshold_figure,
    time_course_figure,
)
from mirscope.simulate.graph import add_prior_layer, load_prior_edges, model_graph
from mirscope.simulate.model import Model, build_model, cached_model
from mirscope.simulate.params import NODE_PARAMETERS, ModelParameters
from mirscope.simulate.perturb import (
    Perturbation,
    PerturbationResult,
    dose_grid,
    dose_response,
    parse_perturbation,
    simulate_perturbations,
    time_course,
)
from mirscope.simulate.sponge import (
    SpongeAssessment,
    assess_review_sponges,
    assess_sponge,
    derepression,
)
from mirscope.simulate.validate import (
    ValidationResult,
    review_claims,
    validate_against_review,
    validation_summary,
)

__all__ = [
    "NODE_PARAMETERS",
    "Model",
    "ModelParameters",
    "Perturbation",
    "PerturbationResult",
    "SpongeAssessment",
    "ValidationResult",
    "add_prior_layer",
    "assess_review_sponges",
    "assess_sponge",
    "build_model",
    "cached_model",
    "derepression",
    "dose_grid",
    "dose_grid_figure",
    "dose_response",
    "dose_response_figure",
    "load_prior_edges",
    "model_graph",
    "parse_perturbation",
    "review_claims",
    "simulate_perturbations",
    "sponge_threshold_figure",
    "time_course",
    "time_course_figure",
    "validate_against_review",
    "validation_summary",
]
