"""Kinetic model generator: network -> SBML (antimony) -> libRoadRunner.

Two layers (equations in docs/simulate.md):

* **RNA layer** (mass-action ceRNA titration, Figliuzzi, De Martino and Marinari 2013;
  Bosia, Pagnani and Zecchina 2013). Each miRNA ``M`` is transcribed and decays; each
  RNA that binds a miRNA (a ``targets`` object or a ``sponges`` subject) is transcribed
  and decays; ``R + M -> C`` at ``kon * sites * R * M``; ``C -> R + M`` (koff);
  ``C -> M`` (catalytic decay, miRNA recycled); ``C ->`` (stoichiometric decay, miRNA
  lost). Protein-coding targets have a protein activity ``P`` that follows the free
  mRNA.
* **Signalling layer**: every other node (genes without miRNA sites, pathways,
  phenotypes, therapies, other regulators) has an activity ``x`` in [0, 1] with
  ``dx/dt = (u - x) / tau``. Each input passes a normalised Hill function (Odefy,
  Krumsiek et al. 2010); signed, weighted inputs are summed and integrated by a
  sigmoid (SQUAD-style, Mendoza and Xenarios 2006): ``B = 1/(1 + exp(-gain * (S - c)))``.
  The same integration of a binding RNA's or miRNA's regulators scales its transcription
  by ``2 * B``; upstream regulators of miR-124 (``silences``, ``activates``/``inhibits``)
  enter there.

The offsets ``c`` are calibrated once so that, unperturbed, every signalling node sits
at half activity (``B = 0.5``) and every transcription factor scale is 1: the reference
state against which perturbations are measured.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, t in [("NEAT1", "lncrna"), ("hsa-miR-124-3p", "mirna"), ("STAT3", "gene"),
...              ("proliferation", "phenotype")]:
...     g.add_node(n, type=t, label=n)
>>> _ = g.add_edge("NEAT1", "hsa-miR-124-3p", key="sponges", relation="sponges", sign=-1)
>>> _ = g.add_edge("hsa-miR-124-3p", "STAT3", key="targets", relation="targets", sign=-1)
>>> _ = g.add_edge("STAT3", "proliferation", key="affects_phenotype",
...                relation="affects_phenotype", sign=1)
>>> m = build_model(graph=g, prior=False)
>>> round(m.baseline_readouts()["proliferation"], 6)
0.5
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import numpy as np

from mirscope.errors import ConvergenceError, InputError, MissingDependencyError
from mirscope.simulate.params import NODE_PARAMETERS, ModelParameters

__all__ = ["Model", "NodeSpec", "build_model", "cached_model", "new_roadrunner"]

log = logging.getLogger(__name__)

NodeKind = Literal["mirna", "rna", "logic"]

#: Relations that carry no regulatory influence (clinical findings).
_NON_REGULATORY = frozenset({"expression_change", "prognostic", "diagnostic"})
_NCRNA_TYPES = frozenset({"lncrna", "circrna"})
#: Site types counted as binding sites (canonical 7-8mer seed matches; 6mers are marginal).
EFFECTIVE_SITE_TYPES: tuple[str, ...] = ("8mer", "7mer-m8", "7mer-A1")


def _require_roadrunner() -> Any:
    try:
        import antimony
        import roadrunner
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "Simulation needs libroadrunner and antimony: pip install 'mirscope[simulate]'."
        ) from err
    return antimony, roadrunner


@dataclass
class Edge:
    """A regulatory (signalling-layer) input of a node."""

    source: str
    target: str
    relation: str
    sign: int
    gate_id: str


@dataclass
class NodeSpec:
    """How one network node is represented in the kinetic model."""

    name: str
    type: str
    kind: NodeKind
    sid: str  # sanitised id stem
    inputs: list[Edge] = field(default_factory=list)
    binds: list[str] = field(default_factory=list)  # miRNAs bound (kind "rna")
    sites: dict[str, float] = field(default_factory=dict)  # miRNA -> sites
    is_protein: bool = False
    scale: float = 1.0  # reference level (copies) of M or R

    @property
    def label(self) -> str:
        return self.name


def _sanitize(name: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9_]", "_", name).strip("_") or "node"
    if stem[0].isdigit():
        stem = "n" + stem
    cand, i = stem, 2
    while cand in taken:
        cand, i = f"{stem}_{i}", i + 1
    taken.add(cand)
    return cand


def _is_mirna(graph: nx.MultiDiGraph, node: str) -> bool:
    return graph.nodes[node].get("type") == "mirna"


_POSITIVE_NODE_PARAMS = frozenset(
    {"b", "delta", "ktx", "d", "tau", "tau_protein", "hill_n", "hill_k", "weight"}
)


def _check_node_params(
    node_params: Mapping[str, Mapping[str, float]], graph: nx.MultiDiGraph
) -> None:
    for node, values in node_params.items():
        if node not in graph:
            raise InputError(
                f"node_params names node {node!r}, which is not in the network. "
                f"Use one of the model's nodes (Model.nodes)."
            )
        bad = sorted(set(values) - set(NODE_PARAMETERS))
        if bad:
            raise InputError(
                f"Unknown per-node parameter(s) {bad} for {node!r}. "
                f"Valid names: {list(NODE_PARAMETERS)}."
            )
        for key, value in values.items():
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise InputError(f"node_params[{node!r}][{key!r}]={value!r} must be >= 0.")
            if key in _POSITIVE_NODE_PARAMS and value == 0:
                raise InputError(
                    f"node_params[{node!r}][{key!r}] must be > 0 (it divides); use a small "
                    f"positive value, or perturb the node with knockout instead."
                )


class Model:
    """An executable kinetic model of one miRNA network (build it with :func:`build_model`).

    Attributes
    ----------
    graph
        The network (KB network plus prior-knowledge layer) the model was generated from.
    cancer
        The cancer name, or None for the pan-cancer model.
    params
        Global :class:`~mirscope.simulate.params.ModelParameters`.
    node_params
        Per-node overrides.
    nodes
        ``{node name: NodeSpec}``.
    """

    def __init__(
        self,
        graph: nx.MultiDiGraph,
        *,
        cancer: str | None,
        params: ModelParameters,
        node_params: Mapping[str, Mapping[str, float]],
        sites: Mapping[tuple[str, str], float],
    ) -> None:
        self.graph = graph
        self.cancer = cancer
        self.params = params
        self.node_params = {k: dict(v) for k, v in node_params.items()}
        self._site_overrides = dict(sites)
        self.nodes: dict[str, NodeSpec] = {}
        self._param_values: dict[str, float] = {}
        self._perturbable: dict[str, float] = {}  # default values of perturbation params
        self._classify()
        self._offsets: dict[str, float] = {}
        self._lock = threading.RLock()  # one RoadRunner instance: one run at a time
        self._rr = self._load(self.to_antimony(calibrated=False))
        self._calibrate()

    # ------------------------------------------------------------------ structure
    def _p(self, node: str, name: str, default: float) -> float:
        return float(self.node_params.get(node, {}).get(name, default))

    def _classify(self) -> None:
        g = self.graph
        p = self.params
        taken: set[str] = set()
        binders: dict[str, list[str]] = {}
        for u, v, data in g.edges(data=True):
            rel = data.get("relation")
            if rel == "targets" and _is_mirna(g, u) and not _is_mirna(g, v):
                binders.setdefault(v, []).append(u)
            elif rel == "sponges" and _is_mirna(g, v) and not _is_mirna(g, u):
                binders.setdefault(u, []).append(v)
        for node, data in g.nodes(data=True):
            ntype = str(data.get("type", "other"))
            if ntype == "cancer":
                continue
            if ntype == "mirna":
                kind: NodeKind = "mirna"
            elif node in binders:
                kind = "rna"
            else:
                kind = "logic"
            spec = NodeSpec(name=node, type=ntype, kind=kind, sid=_sanitize(node, taken))
            if kind == "rna":
                spec.binds = sorted(set(binders[node]))
                spec.is_protein = ntype not in _NCRNA_TYPES
                dsites = (
                    p.sites_lncrna
                    if ntype == "lncrna"
                    else p.sites_circrna
                    if ntype == "circrna"
                    else p.sites_mrna
                )
                for mir in spec.binds:
                    spec.sites[mir] = float(
                        self._site_overrides.get((node, mir), self._p(node, "sites", dsites))
                    )
                ktx, d = self._rna_rates(node, ntype)
                spec.scale = ktx / d
            elif kind == "mirna":
                spec.scale = self._p(node, "b", p.mirna_b) / self._p(node, "delta", p.mirna_delta)
            self.nodes[node] = spec
        for u, v, key, data in g.edges(keys=True, data=True):
            rel = str(data.get("relation", key))
            if u not in self.nodes or v not in self.nodes or rel in _NON_REGULATORY:
                continue
            if rel == "targets" and self.nodes[v].kind == "rna" and _is_mirna(g, u):
                continue
            if rel == "sponges" and self.nodes[u].kind == "rna" and _is_mirna(g, v):
                continue
            sign = int(data.get("sign", 0) or 0)
            if rel in ("targets", "sponges", "silences") and sign == 0:
                sign = -1
            if sign == 0:
                continue
            spec = self.nodes[v]
            gate = f"g_{spec.sid}_{len(spec.inputs)}"
            spec.inputs.append(Edge(u, v, rel, sign, gate))

    def _rna_rates(self, node: str, ntype: str) -> tuple[float, float]:
        p = self.params
        if ntype == "lncrna":
            ktx, d = p.lncrna_ktx, p.lncrna_d
        elif ntype == "circrna":
            ktx, d = p.circrna_ktx, p.circrna_d
        else:
            ktx, d = p.mrna_ktx, p.mrna_d
        return self._p(node, "ktx", ktx), self._p(node, "d", d)

    # ------------------------------------------------------------------ expressions
    def _value_expr(self, node: str) -> str:
        """Antimony expression of a node's normalised activity (input to its targets)."""
        s = self.nodes[node]
        if s.kind == "logic":
            return f"X_{s.sid}"
        if s.kind == "mirna":
            return f"(M_{s.sid}/{s.scale:.17g})"
        if s.is_protein:
            return f"P_{s.sid}"
        total = " + ".join([f"R_{s.sid}"] + [f"C_{s.sid}__{self.nodes[m].sid}" for m in s.binds])
        return f"(({total})/{s.scale:.17g})"

    def _integration_expr(self, spec: NodeSpec) -> str:
        """Sigmoid integration B of a node's inputs (only called when it has inputs)."""
        p = self.params
        n = self._p(spec.name, "hill_n", p.hill_n)
        k = self._p(spec.name, "hill_k", p.hill_k)
        w = self._p(spec.name, "weight", p.weight)
        gain = self._p(spec.name, "gain", p.gain)
        norm = math.sqrt(len(spec.inputs)) * w
        terms = []
        for e in spec.inputs:
            terms.append(
                f"{'+' if e.sign > 0 else '-'}{w:.17g}*{e.gate_id}*nhill({self._value_expr(e.source)}, {k:.17g}, {n:.17g})"
            )
        s = f"(({' '.join(terms)})/{norm:.17g} - c_{spec.sid})"
        return f"(clamp*0.5 + (1 - clamp)*sigm({gain:.17g}*{s}))"

    # ------------------------------------------------------------------ antimony
    def to_antimony(self, *, calibrated: bool = True) -> str:
        """The model as an antimony string (``calibrated=False``: offsets 0, clamp on)."""
        p = self.params
        lines: list[str] = [
            "function nhill(x, K, n)",
            "  abs(x)^n/(abs(x)^n + K^n)*(1 + K^n)",
            "end",
            "function sigm(s)",
            "  1/(1 + exp(-s))",
            "end",
            "",
            "model mirscope_model",
            "  compartment cell = 1;",
        ]
        params: dict[str, float] = {}
        species: dict[str, float] = {}
        names: dict[str, str] = {}
        init = getattr(self, "_baseline_amounts", None) if calibrated else None

        def par(pid: str, value: float, *, perturb: bool = False) -> str:
            params[pid] = value
            if perturb:
                self._perturbable[pid] = value
            return pid

        for spec in self.nodes.values():
            sid = spec.sid
            if spec.inputs:
                for e in spec.inputs:
                    par(e.gate_id, 1.0, perturb=True)
                off = self._offsets.get(spec.name, 0.0) if calibrated else 0.0
                par(f"c_{sid}", off)
                B = self._integration_expr(spec)
                T = f"(2*{B})"
            else:
                B = "0.5"
                T = "1"
            if spec.kind == "logic":
                tau = self._p(spec.name, "tau", p.tau)
                par(f"ko_{sid}", 1.0, perturb=True)
                par(f"kd_{sid}", 0.0, perturb=True)
                par(f"ox_{sid}", 0.0, perturb=True)
                par(f"tau_{sid}", tau)
                species[f"X_{sid}"] = 0.5
                names[f"X_{sid}"] = spec.name
                u = f"ko_{sid}*(1 - kd_{sid})*((1 - ox_{sid})*{B} + ox_{sid})"
                lines.append(f"  J_{sid}_p: -> X_{sid}; {u}/tau_{sid};")
                lines.append(f"  J_{sid}_d: X_{sid} -> ; X_{sid}/tau_{sid};")
            elif spec.kind == "mirna":
                b = self._p(spec.name, "b", p.mirna_b)
                delta = self._p(spec.name, "delta", p.mirna_delta)
                par(f"b_{sid}", b)
                par(f"delta_{sid}", delta)
                par(f"ko_{sid}", 1.0, perturb=True)
                par(f"act_{sid}", 1.0, perturb=True)
                par(f"exo_{sid}", 0.0, perturb=True)
                par(f"dfac_{sid}", 1.0, perturb=True)
                par(f"antp_{sid}", 0.0, perturb=True)
                par("kA", p.antagomir_kon)
                par("dA", p.antagomir_decay)
                par("dMA", p.antagomir_complex_decay)
                species[f"M_{sid}"] = spec.scale
                species[f"A_{sid}"] = 0.0
                species[f"MA_{sid}"] = 0.0
                names[f"M_{sid}"] = spec.name
                names[f"A_{sid}"] = f"antagomir against {spec.name}"
                names[f"MA_{sid}"] = f"antagomir:{spec.name}"
                lines.append(
                    f"  J_{sid}_tx: -> M_{sid}; b_{sid}*{T}*ko_{sid}*act_{sid} + exo_{sid};"
                )
                lines.append(f"  J_{sid}_d: M_{sid} -> ; delta_{sid}*dfac_{sid}*M_{sid};")
                lines.append(f"  J_{sid}_ap: -> A_{sid}; antp_{sid};")
                lines.append(f"  J_{sid}_ad: A_{sid} -> ; dA*A_{sid};")
                lines.append(f"  J_{sid}_ab: A_{sid} + M_{sid} -> MA_{sid}; kA*A_{sid}*M_{sid};")
                lines.append(f"  J_{sid}_mad: MA_{sid} -> ; dMA*MA_{sid};")
            else:
                ktx, d = self._rna_rates(spec.name, spec.type)
                par(f"ktx_{sid}", ktx)
                par(f"d_{sid}", d)
                par(f"ko_{sid}", 1.0, perturb=True)
                par(f"act_{sid}", 1.0, perturb=True)
                par(f"exo_{sid}", 0.0, perturb=True)
                par(f"dfac_{sid}", 1.0, perturb=True)
                species[f"R_{sid}"] = spec.scale
                names[f"R_{sid}"] = f"{spec.name} (free RNA)"
                lines.append(
                    f"  J_{sid}_tx: -> R_{sid}; ktx_{sid}*{T}*ko_{sid}*act_{sid} + exo_{sid};"
                )
                lines.append(f"  J_{sid}_d: R_{sid} -> ; d_{sid}*dfac_{sid}*R_{sid};")
                sponge = not spec.is_protein
                for mir in spec.binds:
                    ms = self.nodes[mir].sid
                    cid = f"C_{sid}__{ms}"
                    kon = self._p(spec.name, "kon", p.kon)
                    koff = self._p(spec.name, "koff", p.koff)
                    kcat = self._p(spec.name, "kcat", p.kcat_sponge if sponge else p.kcat_mrna)
                    kst = self._p(
                        spec.name, "kstoich", p.kstoich_sponge if sponge else p.kstoich_mrna
                    )
                    par(f"kon_{cid}", kon * spec.sites[mir], perturb=True)
                    par(f"koff_{cid}", koff)
                    par(f"kcat_{cid}", kcat)
                    par(f"kst_{cid}", kst)
                    species[cid] = 0.0
                    names[cid] = f"{mir}:{spec.name}"
                    lines.append(
                        f"  J_{cid}_on: R_{sid} + M_{ms} -> {cid}; kon_{cid}*R_{sid}*M_{ms};"
                    )
                    lines.append(f"  J_{cid}_off: {cid} -> R_{sid} + M_{ms}; koff_{cid}*{cid};")
                    lines.append(
                        f"  J_{cid}_cat: {cid} -> M_{ms}; (kcat_{cid} + d_{sid}*(dfac_{sid} - 1))*{cid};"
                    )
                    lines.append(f"  J_{cid}_st: {cid} -> ; kst_{cid}*{cid};")
                if spec.is_protein:
                    tp = self._p(spec.name, "tau_protein", p.tau_protein)
                    par(f"taup_{sid}", tp)
                    par(f"inhP_{sid}", 0.0, perturb=True)
                    par(f"oxP_{sid}", 0.0, perturb=True)
                    par(f"exoP_{sid}", 0.0, perturb=True)
                    species[f"P_{sid}"] = 1.0
                    names[f"P_{sid}"] = f"{spec.name} (protein activity)"
                    prod = (
                        f"(1 - inhP_{sid})*((1 - oxP_{sid})*R_{sid}/{spec.scale:.17g} + oxP_{sid})"
                        f" + exoP_{sid}"
                    )
                    lines.append(f"  J_{sid}_pp: -> P_{sid}; ({prod})/taup_{sid};")
                    lines.append(f"  J_{sid}_pd: P_{sid} -> ; P_{sid}/taup_{sid};")
        params["clamp"] = 0.0 if calibrated else 1.0
        self._species_names = names
        lines.append("")
        for sp, value in species.items():
            v = init.get(sp, value) if init else value
            lines.append(f"  species {sp} in cell = {v:.17g};")
        for pid, value in params.items():
            lines.append(f"  {pid} = {value:.17g};")
        for sp, nm in names.items():
            lines.append(f'  {sp} is "{nm}";')
        lines.append("end")
        self._param_values = params
        return "\n".join(lines) + "\n"

    def to_sbml(self) -> str:
        """The calibrated model as an SBML string (loads in libRoadRunner and COPASI)."""
        antimony, _ = _require_roadrunner()
        return _antimony_to_sbml(antimony, self.to_antimony(calibrated=True))

    def export_sbml(self, path: str | Path) -> Path:
        """Write the calibrated model as SBML to ``path`` (atomic write) and return it."""
        from mirscope._files import atomic_write

        target = Path(path)
        if target.parent and not target.parent.exists():
            raise InputError(
                f"Cannot write {target}: folder {target.parent} does not exist. Create it first."
            )
        text = self.to_sbml()
        with atomic_write(target, suffix=".xml.tmp") as fh:
            fh.write(text)
        return target

    # ------------------------------------------------------------------ roadrunner
    def _load(self, text: str) -> Any:
        antimony, _roadrunner = _require_roadrunner()
        sbml = _antimony_to_sbml(antimony, text)
        rr = new_roadrunner(sbml)
        solver = rr.getSteadyStateSolver()
        solver.setValue("auto_moiety_analysis", False)
        solver.setValue("allow_presimulation", False)
        integ = rr.getIntegrator()
        integ.setValue("relative_tolerance", 1e-8)
        integ.setValue("absolute_tolerance", 1e-10)
        integ.setValue("stiff", True)
        self._species_ids = list(rr.model.getFloatingSpeciesIds())
        self._index = {s: i for i, s in enumerate(self._species_ids)}
        return rr

    def _state(self) -> np.ndarray:
        return np.asarray(self._rr.model.getFloatingSpeciesAmounts(), dtype=float)

    def _set_state(self, values: np.ndarray) -> None:
        self._rr.model.setFloatingSpeciesAmounts(list(range(len(values))), list(values))

    def _residual(self) -> float:
        rates = np.asarray(self._rr.getRatesOfChange(), dtype=float)
        x = self._state()
        return float(np.max(np.abs(rates) / (np.abs(x) + 1e-3))) if len(rates) else 0.0

    #: Relative rate |dx/dt| / (|x| + 1e-3) (per hour) below which a state is steady.
    STEADY_TOL = 1e-9
    #: Simulation spans (hours) tried in turn before falling back to rr.steadyState().
    SPANS = (2000.0, 20000.0, 200000.0)

    def _rates(self, x: np.ndarray) -> np.ndarray:
        self._rr.model.setFloatingSpeciesAmounts(list(range(len(x))), list(x))
        return np.asarray(self._rr.getRatesOfChange(), dtype=float)

    def _fd_jacobian(self, x: np.ndarray) -> np.ndarray:
        n = len(x)
        f0 = self._rates(x)
        jac = np.empty((n, n))
        for j in range(n):
            h = 1e-7 * max(abs(x[j]), 1e-3)
            xp = x.copy()
            xp[j] += h
            jac[:, j] = (self._rates(xp) - f0) / h
        return jac

    def _solve(self, start: np.ndarray, *, what: str) -> np.ndarray:
        """Steady state from ``start``.

        Integrates with CVODE (stiff, rtol 1e-8, atol 1e-10) over long spans until the relative
        rates fall below :attr:`STEADY_TOL`; if that fails, libRoadRunner's Newton
        solver (``rr.steadyState()``, NLEQ2) is tried. Integration comes first because
        in libRoadRunner 2.10 each ``steadyState()`` call rebuilds the executable model
        (~0.3 s), which would make dose grids 30x slower; both reach the same state.
        The state must be finite and non-negative (positivity check).
        """
        rr = self._rr
        tol = self.STEADY_TOL
        x: np.ndarray | None = None
        self._set_state(start)
        t_end = 0.0
        try:
            for span in self.SPANS:
                rr.simulate(t_end, t_end + span, 2)
                t_end += span
                if self._residual() < tol:
                    x = self._state()
                    break
        except RuntimeError as err:
            log.debug("integration failed (%s); trying rr.steadyState()", err)
        unstable = False
        if x is None:
            self._set_state(start)
            try:
                rr.steadyState()
                cand = self._state()
                if np.all(np.isfinite(cand)) and self._residual() < tol * 100:
                    if self._is_stable(cand):
                        x = cand
                    else:
                        unstable = True
            except RuntimeError as err:
                log.debug("steadyState failed: %s", err)
        if unstable:
            raise ConvergenceError(
                f"The model has no stable steady state for {what}: integration does not "
                f"settle and the fixed point Newton's method finds is unstable (the network "
                f"oscillates). Lower `gain` or `hill_n`, or lower the dose."
            )
        if x is None or not np.all(np.isfinite(x)):
            raise ConvergenceError(
                f"The model did not reach a steady state for {what} (relative residual "
                f"{self._residual():.2e} after {t_end:.0f} h of simulation and a Newton "
                f"solve). Lower the dose, remove a perturbation, or set `tau`/`gain`/"
                f"`hill_n` back towards their defaults."
            )
        if np.any(x < -1e-6 * (np.abs(x).max() + 1.0)):
            raise ConvergenceError(
                f"The steady state for {what} has negative amounts; lower the dose or "
                f"check per-node parameters."
            )
        return np.clip(x, 0.0, None)

    def _is_stable(self, x: np.ndarray) -> bool:
        """True when every eigenvalue of the Jacobian at ``x`` has a negative real part."""
        jac = self._fd_jacobian(x)
        self._set_state(x)
        return bool(np.max(np.linalg.eigvals(jac).real) < 0)

    def _calibrate(self) -> None:
        """Set the offsets c so the unperturbed state has every integration B at 0.5."""
        rr = self._rr
        rr.setValue("clamp", 1.0)
        x = self._solve(self._state(), what="the clamped reference state")
        values = self._node_values(x)
        p = self.params
        for spec in self.nodes.values():
            if not spec.inputs:
                continue
            n = self._p(spec.name, "hill_n", p.hill_n)
            k = self._p(spec.name, "hill_k", p.hill_k)
            w = self._p(spec.name, "weight", p.weight)
            s = sum(e.sign * w * _nhill(values[e.source], k, n) for e in spec.inputs)
            off = s / (math.sqrt(len(spec.inputs)) * w)
            self._offsets[spec.name] = off
            rr.setValue(f"c_{spec.sid}", off)
        rr.setValue("clamp", 0.0)
        self._baseline = self._solve(x, what="the unperturbed model")
        if not self._is_stable(self._baseline):
            raise ConvergenceError(
                "The unperturbed model's steady state is unstable (the network oscillates "
                "around it), so log2 fold changes have no reference. Lower `gain` or "
                "`hill_n` (defaults 2 and 2)."
            )
        self._baseline_amounts = dict(zip(self._species_ids, self._baseline, strict=True))
        #: Species amounts of the last steady state solved (warm start for dose sweeps).
        self.last_state: np.ndarray = self._baseline.copy()

    def edge_parameters(self, source: str, target: str) -> dict[str, float]:
        """Parameters that remove every direct link between two nodes, set to 0.

        Regulatory inputs ``source -> target`` (their gate) and miRNA binding between
        the two (its ``kon``), in either direction. Used by hold-out validation.
        """
        out: dict[str, float] = {}
        for a, b in ((source, target), (target, source)):
            spec = self.nodes.get(b)
            if spec is None:
                continue
            for e in spec.inputs:
                if e.source == a:
                    out[e.gate_id] = 0.0
            if spec.kind == "rna" and a in spec.binds:
                out[f"kon_C_{spec.sid}__{self.nodes[a].sid}"] = 0.0
        return out

    # ------------------------------------------------------------------ perturbation runs
    def _apply(self, values: Mapping[str, float]) -> None:
        rr = self._rr
        for pid, v in values.items():
            if pid not in self._perturbable:
                raise InputError(f"{pid!r} is not a perturbation parameter of this model.")
            rr.setValue(pid, float(v))

    def _restore(self, values: Mapping[str, float]) -> None:
        for pid in values:
            self._rr.setValue(pid, self._perturbable[pid])

    def steady_state_values(
        self,
        values: Mapping[str, float],
        *,
        what: str = "the perturbation",
        start: np.ndarray | None = None,
    ) -> dict[str, float]:
        """Node activities at the steady state with perturbation parameters ``values``.

        Starts from the unperturbed steady state (or ``start``, a species vector such as
        :attr:`last_state` of a neighbouring dose); parameters are restored afterwards.
        """
        with self._lock:
            self._apply(values)
            try:
                x = self._solve(self._baseline if start is None else start, what=what)
            finally:
                self._restore(values)
            self.last_state = x
            return self._node_values(x)

    def time_course(
        self, values: Mapping[str, float], *, t_end: float = 96.0, points: int = 97
    ) -> dict[str, np.ndarray]:
        """Node activities over time after applying ``values`` at t = 0 to the reference.

        Returns ``{"time": t, node: activity...}`` (arrays of length ``points``).
        """
        if t_end <= 0 or points < 2:
            raise InputError("time_course needs t_end > 0 and at least 2 points.")
        rr = self._rr
        with self._lock:
            self._apply(values)
            try:
                self._set_state(self._baseline)
                res = np.asarray(rr.simulate(0.0, float(t_end), int(points)))
            finally:
                self._restore(values)
        cols = ["time", *self._species_ids]
        if res.shape[1] != len(cols):  # pragma: no cover - roadrunner selection changed
            raise InputError("Unexpected roadrunner output columns.")
        out: dict[str, np.ndarray] = {"time": res[:, 0]}
        per_row = [self._node_values(row[1:]) for row in res]
        for n in self.nodes:
            out[n] = np.array([r[n] for r in per_row])
        return out

    # ------------------------------------------------------------------ readouts
    def _node_values(self, x: np.ndarray) -> dict[str, float]:
        """Normalised activity of every node in state ``x`` (the value its targets see)."""
        idx = self._index
        out: dict[str, float] = {}
        for name, s in self.nodes.items():
            if s.kind == "logic":
                out[name] = float(x[idx[f"X_{s.sid}"]])
            elif s.kind == "mirna":
                out[name] = float(x[idx[f"M_{s.sid}"]]) / s.scale
            elif s.is_protein:
                out[name] = float(x[idx[f"P_{s.sid}"]])
            else:
                tot = x[idx[f"R_{s.sid}"]] + sum(
                    x[idx[f"C_{s.sid}__{self.nodes[m].sid}"]] for m in s.binds
                )
                out[name] = float(tot) / s.scale
        return out

    def baseline_readouts(self) -> dict[str, float]:
        """Normalised activity of every node in the unperturbed steady state.

        Signalling nodes read 0.5; miRNAs free miRNA / (b/delta); protein-coding
        targets their protein activity (1 = unrepressed); sponges total RNA / (ktx/d).
        """
        return self._node_values(self._baseline)

    def baseline_amounts(self) -> dict[str, float]:
        """Steady-state amount of every SBML species (copies or activity)."""
        return dict(self._baseline_amounts)

    def species_names(self) -> dict[str, str]:
        """``{SBML species id: human-readable name}``."""
        return dict(self._species_names)

    @property
    def roadrunner(self) -> Any:
        """The (single, reused) libRoadRunner instance."""
        return self._rr

    def node_names(self) -> list[str]:
        """All node names of the model, sorted."""
        return sorted(self.nodes)

    def summary(self) -> dict[str, int]:
        """Counts of nodes by kind, regulatory edges and SBML species/reactions."""
        kinds: dict[str, int] = {"mirna": 0, "rna": 0, "logic": 0}
        for s in self.nodes.values():
            kinds[s.kind] += 1
        return {
            "nodes": len(self.nodes),
            "mirna_nodes": kinds["mirna"],
            "binding_rna_nodes": kinds["rna"],
            "signalling_nodes": kinds["logic"],
            "regulatory_edges": sum(len(s.inputs) for s in self.nodes.values()),
            "species": len(self._species_ids),
            "reactions": int(self._rr.model.getNumReactions()),
        }

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"Model(cancer={self.cancer!r}, nodes={s['nodes']}, species={s['species']}, "
            f"reactions={s['reactions']})"
        )


def new_roadrunner(sbml: str) -> Any:
    """A RoadRunner for ``sbml`` compiled with the LLJIT backend, without moiety analysis.

    The LLJIT backend compiles the pan-cancer model ~8x faster than the default MCJIT
    (measured: 3.3 s vs 28 s); the global setting is restored afterwards.
    """
    _, roadrunner = _require_roadrunner()
    cfg = roadrunner.Config
    old = cfg.getValue(cfg.LLVM_BACKEND)
    cfg.setValue(cfg.LLVM_BACKEND, 1)  # LLJIT
    try:
        rr = roadrunner.RoadRunner(sbml)
    finally:
        cfg.setValue(cfg.LLVM_BACKEND, old)
    if rr.conservedMoietyAnalysis:  # setting it (even to False) recompiles the model
        rr.conservedMoietyAnalysis = False
    return rr


def _nhill(x: float, k: float, n: float) -> float:
    ax = abs(x) ** n
    return ax / (ax + k**n) * (1 + k**n)


def _antimony_to_sbml(antimony: Any, text: str) -> str:
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyString(text) < 0:  # pragma: no cover - generator bug
        raise InputError(f"Internal antimony error: {antimony.getLastError()}")
    return str(antimony.getSBMLString("mirscope_model"))


def build_model(
    cancer: str | None = None,
    *,
    graph: nx.MultiDiGraph | None = None,
    relations: object | None = None,
    mirna: str | None = None,
    prior: bool = True,
    node_params: Mapping[str, Mapping[str, float]] | None = None,
    sequences: Mapping[str, str] | None = None,
    kb: object | None = None,
    max_nodes: int = 80,
    **params: float,
) -> Model:
    """Build the kinetic model of a miRNA network in one cancer (None: pan-cancer).

    Parameters
    ----------
    cancer
        Cancer name (``"breast"``, ``"HCC"``...), or None for the pan-cancer network.
    graph
        Use this network instead of building it from the knowledge base (nodes with
        ``type``, edges with ``relation`` and ``sign``, as :func:`mirscope.network.build_graph`).
    relations
        Build the network from these relations instead of the curated review.
    mirna
        Build the model from this miRNA's own network (every knowledge-base source; see
        :func:`mirscope.simulate.graph.model_graph`). Any miRNA with evidence works.
    kb
        Knowledge base read for ``mirna`` (default: the user's database).
    max_nodes
        Size limit of the miRNA's network (``mirna`` only).
    prior
        Add the prior-knowledge layer of canonical signalling edges (default True).
    node_params
        Per-node parameter overrides, e.g. ``{"NEAT1": {"ktx": 8.0, "sites": 3}}``
        (names in :data:`~mirscope.simulate.params.NODE_PARAMETERS`).
    sequences
        ``{RNA node: sequence}``; the number of binding sites of each given RNA for its
        miRNA(s) is counted with :func:`mirscope.sites.scan` instead of the default.
    **params
        Global parameter overrides (fields of
        :class:`~mirscope.simulate.params.ModelParameters`, e.g. ``gain=3``).

    Returns
    -------
    Model
        Calibrated model whose unperturbed steady state is the reference.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("hsa-miR-124-3p", type="mirna"); g.add_node("STAT3", type="gene")
    >>> _ = g.add_edge("hsa-miR-124-3p", "STAT3", key="targets", relation="targets", sign=-1)
    >>> build_model(graph=g, prior=False).summary()["species"]  # M, A, MA, R, C, P
    6
    """
    p = ModelParameters().updated(params)
    cancer_name: str | None = None
    if graph is None:
        from mirscope.simulate.graph import model_graph

        if cancer is not None:
            cancer_name = _normalize_cancer(cancer)
        graph = model_graph(
            cancer_name,
            relations=relations,  # type: ignore[arg-type]
            mirna=mirna,
            prior=prior,
            kb=kb,
            max_nodes=max_nodes,
        )
    else:
        if prior:
            from mirscope.simulate.graph import add_prior_layer

            graph = add_prior_layer(graph)
        cancer_name = cancer
    if graph.number_of_nodes() == 0:
        raise InputError(
            f"The network of {cancer_name or 'all cancers'} is empty; choose another cancer "
            f"or omit --cancer for the pan-cancer model."
        )
    node_params = dict(node_params or {})
    _check_node_params(node_params, graph)
    sites: dict[tuple[str, str], float] = {}
    if sequences:
        sites = _count_sites(graph, sequences)
    return Model(graph, cancer=cancer_name, params=p, node_params=node_params, sites=sites)


_CACHE: dict[str | None, Model] = {}
_CACHE_LOCK = threading.Lock()


def cached_model(cancer: str | None = None) -> Model:
    """The default-parameter model of ``cancer``, built once per process and reused.

    For servers and notebooks that run many perturbations: building compiles the model
    (~0.5 s per cancer, ~4 s pan-cancer); runs on the shared instance are serialised.
    """
    key = _normalize_cancer(cancer) if cancer is not None else None
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = build_model(key)
        return _CACHE[key]


def _normalize_cancer(cancer: str) -> str:
    try:
        from mirscope.names import normalize_cancer
    except ImportError:  # pragma: no cover - names module missing
        return cancer
    return str(normalize_cancer(cancer).name)


def _count_sites(
    graph: nx.MultiDiGraph, sequences: Mapping[str, str]
) -> dict[tuple[str, str], float]:
    """Binding sites of each sequence-given RNA for each miRNA it binds in ``graph``."""
    from mirscope.sites import scan

    out: dict[tuple[str, str], float] = {}
    for node, seq in sequences.items():
        if node not in graph:
            raise InputError(
                f"A sequence was given for {node!r}, which is not in the network. "
                f"Give sequences keyed by node names (Model.node_names())."
            )
        mirnas = {
            v for _, v, d in graph.out_edges(node, data=True) if d.get("relation") == "sponges"
        }
        mirnas |= {
            u for u, _, d in graph.in_edges(node, data=True) if d.get("relation") == "targets"
        }
        circular = graph.nodes[node].get("type") == "circrna"
        for mir in sorted(mirnas):
            hits = scan({node: seq}, mir, circular=circular, energies=False)
            n = int(hits["site_type"].isin(EFFECTIVE_SITE_TYPES).sum())
            if n == 0:
                log.warning(
                    "No canonical %s site found in the sequence of %s; keeping the default "
                    "site count (the knowledge base reports binding).",
                    mir,
                    node,
                )
                continue
            out[(node, mir)] = float(n)
    return out
