"""Perturbations: a mimic, an antagomir, a knockdown, a knockout, demethylation, activation.

A perturbation is ``"NODE=verb"`` with a verb from
:data:`mirscope.schema.PERTURBATION_VERBS`. Each verb sets model parameters of the one
compiled libRoadRunner instance (no recompiling); the steady state is compared with the
unperturbed steady state as ``log2fc = log2((x_pert + eps) / (x_ref + eps))`` on the
normalised activities of every node, and called up/down when ``|log2fc|`` reaches
``direction_threshold`` (0.05 by default), else none.

Semantics at dose ``d`` (default 1), by node kind (docs/simulate.md, "Perturbations"):

============  ===================================  ==========================  ==================
verb          miRNA                                binding RNA (target/sponge) signalling node
============  ===================================  ==========================  ==================
overexpress   mimic: + d*mimic_fold*b production   + d*overexpress_fold*ktx    pulled to 1 by
              (exogenous, dose-scaled)             transcription (ncRNA); a    d/(d+1)
                                                   3'UTR-less construct adds
                                                   d*overexpress_fold protein
                                                   activity (gene)
inhibit       antagomir: produced at               siRNA-like decay (ncRNA);   production x (1-kd)
              d*antagomir_fold*b, binds and        protein activity x (1-kd)
              removes free miRNA                   (gene)
knockdown     decay x 1/(1-kd), kd = 1-1/(1+4d)    decay x 1/(1-kd)            production x (1-kd)
knockout      transcription 0                      transcription 0             production 0
demethylate   ``silences`` inputs removed          same                        same
activate      transcription x (1+d*overexpress)    same (endogenous)           as overexpress
============  ===================================  ==========================  ==================

Examples
--------
>>> parse_perturbation("miR-124=overexpress")
('miR-124', 'overexpress')
"""

from __future__ import annotations

import difflib
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mirscope.errors import InputError, MirscopeError, UnknownNameError
from mirscope.schema import PERTURBATION_VERBS
from mirscope.simulate.model import Model
from mirscope.simulate.params import activation_fraction, knockdown_fraction

__all__ = [
    "Perturbation",
    "PerturbationResult",
    "dose_grid",
    "dose_response",
    "parse_perturbation",
    "resolve_node",
    "simulate_perturbations",
    "time_course",
]

log = logging.getLogger(__name__)


def parse_perturbation(text: str) -> tuple[str, str]:
    """Split ``"NODE=verb"`` into (node, verb); the verb is checked, the node is not.

    Examples
    --------
    >>> parse_perturbation(" NEAT1 = knockdown ")
    ('NEAT1', 'knockdown')
    """
    if "=" not in text:
        raise InputError(
            f"Perturbation {text!r} is not NODE=VERB. Write e.g. 'miR-124=overexpress'; "
            f"verbs: {', '.join(PERTURBATION_VERBS)}."
        )
    node, verb = (s.strip() for s in text.rsplit("=", 1))
    if not node:
        raise InputError(f"Perturbation {text!r} names no node. Write e.g. 'NEAT1=knockdown'.")
    if verb.lower() not in PERTURBATION_VERBS:
        close = difflib.get_close_matches(verb.lower(), PERTURBATION_VERBS, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise InputError(
            f"Unknown perturbation verb {verb!r} in {text!r}.{hint} "
            f"Valid verbs: {', '.join(PERTURBATION_VERBS)}."
        )
    return node, verb.lower()


def _canonical(name: str) -> str | None:
    try:
        from mirscope.names import resolve_entity
    except ImportError:  # pragma: no cover - names module missing
        return None
    try:
        return str(resolve_entity(name)[0])
    except Exception:  # any lookup failure means "no canonical form"
        return None


def _match(name: str, candidates: Sequence[str]) -> str | None:
    if name in candidates:
        return name
    low = {c.lower(): c for c in candidates}
    if name.lower() in low:
        return low[name.lower()]
    canon = _canonical(name)
    if canon is not None:
        if canon in candidates:
            return canon
        if canon.lower() in low:
            return low[canon.lower()]
    return None


def resolve_node(model: Model, name: str) -> str:
    """The model node called ``name`` (exact, case-insensitive, or via mirscope.names).

    Raises
    ------
    InputError
        The name is known but its node is not in this cancer's network.
    UnknownNameError
        The name is not known at all.
    """
    nodes = model.node_names()
    hit = _match(name, nodes)
    if hit is not None:
        return hit
    where = f"the {model.cancer} network" if model.cancer else "the pan-cancer network"
    canon = _canonical(name)
    suggestions = difflib.get_close_matches(name, nodes, n=5, cutoff=0.5)
    if model.cancer is not None and _in_pan_cancer(name):
        raise InputError(
            f"{name!r} is not a node of {where} ({len(nodes)} nodes) but of other cancers' "
            f"networks. Omit --cancer to use the pan-cancer model, or perturb a node of this "
            f"network (closest: {', '.join(suggestions) or 'none'})."
        )
    if canon is not None:
        raise InputError(
            f"{name!r} ({canon}) is a known name but not a node of {where} or of any review "
            f"network. Perturb one of the network's nodes (closest: "
            f"{', '.join(suggestions) or 'none'}); list them with Model.node_names()."
        )
    raise UnknownNameError("network node", name, suggestions, valid=nodes)


def _in_pan_cancer(name: str) -> bool:
    try:
        from mirscope.simulate.graph import model_graph

        return _match(name, list(model_graph(None))) is not None
    except Exception:  # the KB may be unavailable; then only the local check counts
        return False


@dataclass(frozen=True)
class Perturbation:
    """One resolved perturbation: a model node, a verb, a dose."""

    node: str
    verb: str
    dose: float = 1.0

    def __str__(self) -> str:
        return f"{self.node}={self.verb}"


def perturbation_parameters(model: Model, pert: Perturbation) -> dict[str, float]:
    """The model parameters (SBML ids) a perturbation sets, with their values."""
    spec = model.nodes[pert.node]
    p = model.params
    sid = spec.sid
    d = pert.dose
    kd = knockdown_fraction(d, p)
    out: dict[str, float] = {}
    verb = pert.verb
    if verb == "demethylate":
        gates = [e.gate_id for e in spec.inputs if e.relation == "silences"]
        if not gates:
            silenced = sorted(
                n for n, s in model.nodes.items() if any(e.relation == "silences" for e in s.inputs)
            )
            raise InputError(
                f"{pert.node!r} has no 'silences' input in this network, so demethylation "
                f"changes nothing. Nodes with silencing inputs: {', '.join(silenced) or 'none'}."
            )
        return dict.fromkeys(gates, 0.0)
    if verb == "knockout":
        return {f"ko_{sid}": 0.0}
    if spec.kind == "logic":
        if verb in ("overexpress", "activate"):
            out[f"ox_{sid}"] = activation_fraction(d, p)
        else:  # inhibit, knockdown
            out[f"kd_{sid}"] = kd
        return out
    if spec.kind == "mirna":
        b = model._param_values[f"b_{sid}"]
        if verb == "overexpress":
            out[f"exo_{sid}"] = d * p.mimic_fold * b
        elif verb == "inhibit":
            out[f"antp_{sid}"] = d * p.antagomir_fold * b
        elif verb == "knockdown":
            out[f"dfac_{sid}"] = 1.0 / (1.0 - kd)
        elif verb == "activate":
            out[f"act_{sid}"] = 1.0 + d * p.overexpress_fold
        return out
    # binding RNA
    ktx = model._param_values[f"ktx_{sid}"]
    if verb == "overexpress":
        if spec.is_protein:
            out[f"exoP_{sid}"] = d * p.overexpress_fold
        else:
            out[f"exo_{sid}"] = d * p.overexpress_fold * ktx
    elif verb == "inhibit":
        if spec.is_protein:
            out[f"inhP_{sid}"] = kd
        else:
            out[f"dfac_{sid}"] = 1.0 / (1.0 - kd)
    elif verb == "knockdown":
        out[f"dfac_{sid}"] = 1.0 / (1.0 - kd)
    elif verb == "activate":
        out[f"act_{sid}"] = 1.0 + d * p.overexpress_fold
    return out


def _check_dose(dose: float | None) -> float:
    if dose is None:
        return 1.0
    if not isinstance(dose, int | float) or not math.isfinite(dose) or dose <= 0:
        raise InputError(f"Dose {dose!r} must be a positive number (1 = standard strength).")
    if dose > 1000:
        raise InputError(f"Dose {dose!r} is above 1000 x the standard strength; use <= 1000.")
    return float(dose)


def resolve_perturbations(
    model: Model, perturbations: Sequence[str | Perturbation], *, dose: float | None = None
) -> list[Perturbation]:
    """Parse and resolve perturbation strings against ``model``'s nodes."""
    if not perturbations:
        raise InputError("Give at least one perturbation, e.g. --perturb 'miR-124=overexpress'.")
    d = _check_dose(dose)
    out: list[Perturbation] = []
    seen: set[tuple[str, str]] = set()
    for item in perturbations:
        if isinstance(item, Perturbation):
            pert = Perturbation(resolve_node(model, item.node), item.verb, _check_dose(item.dose))
            if pert.verb not in PERTURBATION_VERBS:
                raise InputError(
                    f"Unknown perturbation verb {pert.verb!r}; valid: {', '.join(PERTURBATION_VERBS)}."
                )
        else:
            node, verb = parse_perturbation(item)
            pert = Perturbation(resolve_node(model, node), verb, d)
            for arm in _other_arms(model, node, pert.node):  # miR-21: both arms
                out.append(Perturbation(arm, verb, d))
                seen.add((arm, verb))
        if (pert.node, pert.verb) in seen:
            raise InputError(f"Perturbation {pert} is given twice; give each once.")
        seen.add((pert.node, pert.verb))
        out.append(pert)
    return out


def _other_arms(model: Model, name: str, resolved: str) -> list[str]:
    """The other arms in ``model`` of an arm-less miRNA name (``miR-21`` means both arms)."""
    from mirscope import names

    if names.try_normalize_mirna(name) is None or not names.is_arm_less(name):
        return []
    nodes = set(model.node_names())
    return [m for m in names.mirna_members(name) if m in nodes and m != resolved]


def apply_and_solve(
    model: Model, perts: Sequence[Perturbation], *, start: np.ndarray | None = None
) -> dict[str, float]:
    """Steady-state node activities under ``perts`` (parameters restored afterwards)."""
    values: dict[str, float] = {}
    for pert in perts:
        for pid, v in perturbation_parameters(model, pert).items():
            values[pid] = v
    return model.steady_state_values(values, what=", ".join(map(str, perts)), start=start)


def _direction(l2: float, threshold: float) -> str:
    if l2 >= threshold:
        return "up"
    if l2 <= -threshold:
        return "down"
    return "none"


def log2_fold_changes(model: Model, values: dict[str, float]) -> dict[str, float]:
    """log2 fold change of each node against the unperturbed state."""
    eps = model.params.epsilon
    base = model.baseline_readouts()
    return {n: math.log2((values[n] + eps) / (base[n] + eps)) for n in base}


@dataclass
class PerturbationResult:
    """Steady-state response of every node to a set of perturbations.

    Attributes
    ----------
    cancer
        Cancer of the model (None: pan-cancer).
    perturbations
        The resolved perturbations (``"node=verb"`` strings), with ``dose``.
    readouts
        ``{node: {"log2fc": float, "direction": "up"|"down"|"none"}}`` for every node.
    baseline, perturbed
        Normalised node activities before and after.
    threshold
        The direction threshold on ``|log2fc|``.
    """

    cancer: str | None
    perturbations: list[str]
    dose: float
    readouts: dict[str, dict[str, Any]]
    baseline: dict[str, float] = field(repr=False)
    perturbed: dict[str, float] = field(repr=False)
    threshold: float = 0.05
    node_types: dict[str, str] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: cancer, perturbations, dose, threshold, readouts."""
        return {
            "cancer": self.cancer,
            "perturbations": list(self.perturbations),
            "dose": self.dose,
            "direction_threshold": self.threshold,
            "readouts": {k: dict(v) for k, v in self.readouts.items()},
        }

    def to_json(self) -> str:
        """The result as a JSON string."""
        return json.dumps(self.to_dict(), indent=2)

    @property
    def table(self) -> pd.DataFrame:
        """One row per node: node, type, baseline, perturbed, log2fc, direction."""
        rows = [
            {
                "node": n,
                "type": self.node_types.get(n, ""),
                "baseline": self.baseline[n],
                "perturbed": self.perturbed[n],
                "log2fc": r["log2fc"],
                "direction": r["direction"],
            }
            for n, r in self.readouts.items()
        ]
        df = pd.DataFrame(rows)
        return df.sort_values("log2fc", key=np.abs, ascending=False, kind="stable").reset_index(
            drop=True
        )


def simulate_perturbations(
    model: Model, perturbations: Sequence[str | Perturbation], *, dose: float | None = None
) -> PerturbationResult:
    """Steady-state log2 fold change of every node under ``perturbations``.

    Parameters
    ----------
    model
        A model from :func:`~mirscope.simulate.build_model`.
    perturbations
        ``"NODE=verb"`` strings (e.g. ``"miR-124=overexpress"``, ``"NEAT1=knockdown"``)
        or :class:`Perturbation` objects, applied together.
    dose
        Strength of every string perturbation (1 = standard; see the module docs).

    Examples
    --------
    >>> import networkx as nx
    >>> from mirscope.simulate import build_model
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("hsa-miR-124-3p", type="mirna"); g.add_node("STAT3", type="gene")
    >>> _ = g.add_edge("hsa-miR-124-3p", "STAT3", key="targets", relation="targets", sign=-1)
    >>> res = simulate_perturbations(build_model(graph=g, prior=False), ["hsa-miR-124-3p=overexpress"])
    >>> res.readouts["STAT3"]["direction"]
    'down'
    """
    perts = resolve_perturbations(model, perturbations, dose=dose)
    values = apply_and_solve(model, perts)
    l2 = log2_fold_changes(model, values)
    thr = model.params.direction_threshold
    readouts = {n: {"log2fc": round(v, 6), "direction": _direction(v, thr)} for n, v in l2.items()}
    return PerturbationResult(
        cancer=model.cancer,
        perturbations=[str(p) for p in perts],
        dose=perts[0].dose if perts else 1.0,
        readouts=readouts,
        baseline=model.baseline_readouts(),
        perturbed=values,
        threshold=thr,
        node_types={n: s.type for n, s in model.nodes.items()},
    )


def dose_response(
    model: Model,
    perturbation: str | Perturbation,
    *,
    doses: Sequence[float] | None = None,
    readouts: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Steady-state log2 fold change of ``readouts`` over a range of doses.

    Parameters
    ----------
    model
        The model.
    perturbation
        One ``"NODE=verb"`` perturbation.
    doses
        Doses (default: 25 log-spaced doses from 0.01 to 100).
    readouts
        Nodes to report (default: all).

    Returns
    -------
    pandas.DataFrame
        Column ``dose`` plus one log2fc column per readout, one row per dose.
    """
    ds = list(np.logspace(-2, 2, 25)) if doses is None else [_check_dose(d) for d in doses]
    pert = resolve_perturbations(model, [perturbation])[0]
    cols = list(model.nodes) if readouts is None else [resolve_node(model, r) for r in readouts]
    rows = []
    for d in ds:
        values = apply_and_solve(model, [Perturbation(pert.node, pert.verb, d)])
        l2 = log2_fold_changes(model, values)
        rows.append({"dose": d, **{c: l2[c] for c in cols}})
    df = pd.DataFrame(rows)
    df.attrs["perturbation"] = str(pert)
    return df


def dose_grid(
    model: Model,
    first: str | Perturbation,
    second: str | Perturbation,
    *,
    doses_first: Sequence[float] | None = None,
    doses_second: Sequence[float] | None = None,
    readouts: Sequence[str] | None = None,
    warm_start: bool = True,
) -> pd.DataFrame:
    """Two-factor dose grid: steady-state log2fc for every pair of doses.

    One compiled model is reused: each grid point only sets parameters and solves.
    Defaults are 20 log-spaced doses from 0.05 to 20 for each factor. With
    ``warm_start`` (default) the grid is walked in a serpentine order and each point
    starts from its neighbour's steady state (3-4x faster on the pan-cancer model);
    for a network with a single stable state this gives the same answer as starting
    every point from the unperturbed state (``warm_start=False``).

    Returns
    -------
    pandas.DataFrame
        Columns ``dose_first``, ``dose_second`` and one log2fc column per readout.
    """
    d1 = (
        list(np.logspace(np.log10(0.05), np.log10(20), 20))
        if doses_first is None
        else [_check_dose(d) for d in doses_first]
    )
    d2 = (
        list(np.logspace(np.log10(0.05), np.log10(20), 20))
        if doses_second is None
        else [_check_dose(d) for d in doses_second]
    )
    p1, p2 = resolve_perturbations(model, [first, second])
    cols = list(model.nodes) if readouts is None else [resolve_node(model, r) for r in readouts]
    rows = []
    start: np.ndarray | None = None
    for i, a in enumerate(d1):
        row_doses = d2 if (i % 2 == 0 or not warm_start) else list(reversed(d2))
        for b in row_doses:
            values = apply_and_solve(
                model,
                [Perturbation(p1.node, p1.verb, a), Perturbation(p2.node, p2.verb, b)],
                start=start,
            )
            if warm_start:
                start = model.last_state
            l2 = log2_fold_changes(model, values)
            rows.append({"dose_first": a, "dose_second": b, **{c: l2[c] for c in cols}})
    df = pd.DataFrame(rows).sort_values(["dose_first", "dose_second"], kind="stable")
    df = df.reset_index(drop=True)
    df.attrs["first"] = str(p1)
    df.attrs["second"] = str(p2)
    return df


def time_course(
    model: Model,
    perturbations: Sequence[str | Perturbation],
    *,
    dose: float | None = None,
    t_end: float = 240.0,
    points: int = 121,
) -> pd.DataFrame:
    """log2 fold change of every node over time after the perturbations start at t = 0.

    Returns
    -------
    pandas.DataFrame
        Column ``time`` (hours) plus one log2fc column per node.
    """
    perts = resolve_perturbations(model, perturbations, dose=dose)
    values: dict[str, float] = {}
    for pert in perts:
        values.update(perturbation_parameters(model, pert))
    tc = model.time_course(values, t_end=t_end, points=points)
    eps = model.params.epsilon
    base = model.baseline_readouts()
    data = {"time": tc["time"]}
    for n in model.nodes:
        data[n] = np.log2((tc[n] + eps) / (base[n] + eps))
    df = pd.DataFrame(data)
    df.attrs["perturbations"] = [str(p) for p in perts]
    return df


def perturbed_mirna(perturbations: Sequence[str] | str | None) -> str | None:
    """The first perturbed node that is a miRNA (as spelled), else None.

    A model for these perturbations is best built from that miRNA's own network
    (``build_model(mirna=...)``).

    Examples
    --------
    >>> perturbed_mirna(["NEAT1=knockdown", "miR-21=inhibit"])
    'miR-21'
    >>> perturbed_mirna(["NEAT1=knockdown"]) is None
    True
    """
    from mirscope import names

    items = [perturbations] if isinstance(perturbations, str) else list(perturbations or [])
    for item in items:
        try:
            node, _verb = parse_perturbation(item)
        except MirscopeError:
            continue
        if names.try_normalize_mirna(node) is not None:
            return node
    return None

