"""Slow reference implementation of the model's ODEs in NumPy, integrated with SciPy.

It rebuilds the right-hand side from the model's structure (:class:`NodeSpec`) and
parameter values, independently of the antimony/SBML text, and integrates it with
:func:`scipy.integrate.solve_ivp` (BDF). Tests compare it with the libRoadRunner
results; the benchmark uses it as the speed reference.

Examples
--------
>>> import networkx as nx
>>> from mirscope.simulate import build_model
>>> g = nx.MultiDiGraph()
>>> g.add_node("hsa-miR-124-3p", type="mirna"); g.add_node("STAT3", type="gene")
>>> _ = g.add_edge("hsa-miR-124-3p", "STAT3", key="targets", relation="targets", sign=-1)
>>> m = build_model(graph=g, prior=False)
>>> ref = reference_steady_state(m)
>>> abs(ref["STAT3"] - m.baseline_readouts()["STAT3"]) < 1e-6
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
from scipy.integrate import solve_ivp

from mirscope.errors import ConvergenceError
from mirscope.simulate.model import Model

__all__ = ["reference_rhs", "reference_steady_state"]


def _sigm(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-s))


def _nhill(x: float, k: float, n: float) -> float:
    ax = abs(x) ** n
    return ax / (ax + k**n) * (1.0 + k**n)


def reference_rhs(
    model: Model, overrides: Mapping[str, float] | None = None
) -> Callable[[float, np.ndarray], np.ndarray]:
    """``f(t, x)`` of the calibrated model with parameter ``overrides`` (SBML ids)."""
    par = dict(model._param_values)
    for name, off in model._offsets.items():
        par[f"c_{model.nodes[name].sid}"] = off
    par["clamp"] = 0.0
    par.update(overrides or {})
    idx = {s: i for i, s in enumerate(model._species_ids)}
    p = model.params
    nodes = model.nodes

    def value(x: np.ndarray, name: str) -> float:
        s = nodes[name]
        if s.kind == "logic":
            return float(x[idx[f"X_{s.sid}"]])
        if s.kind == "mirna":
            return float(x[idx[f"M_{s.sid}"]]) / s.scale
        if s.is_protein:
            return float(x[idx[f"P_{s.sid}"]])
        tot = x[idx[f"R_{s.sid}"]] + sum(x[idx[f"C_{s.sid}__{nodes[m].sid}"]] for m in s.binds)
        return float(tot) / s.scale

    def integration(x: np.ndarray, name: str) -> float:
        s = nodes[name]
        if not s.inputs:
            return 0.5
        n = model._p(name, "hill_n", p.hill_n)
        k = model._p(name, "hill_k", p.hill_k)
        w = model._p(name, "weight", p.weight)
        gain = model._p(name, "gain", p.gain)
        tot = sum(e.sign * w * par[e.gate_id] * _nhill(value(x, e.source), k, n) for e in s.inputs)
        return _sigm(gain * (tot / (math.sqrt(len(s.inputs)) * w) - par[f"c_{s.sid}"]))

    def rhs(_t: float, x: np.ndarray) -> np.ndarray:
        dx = np.zeros_like(x)
        for name, s in nodes.items():
            sid = s.sid
            B = integration(x, name)
            T = 2.0 * B if s.inputs else 1.0
            if s.kind == "logic":
                i = idx[f"X_{sid}"]
                u = (
                    par[f"ko_{sid}"]
                    * (1 - par[f"kd_{sid}"])
                    * ((1 - par[f"ox_{sid}"]) * B + par[f"ox_{sid}"])
                )
                dx[i] += (u - x[i]) / par[f"tau_{sid}"]
            elif s.kind == "mirna":
                im, ia, ima = idx[f"M_{sid}"], idx[f"A_{sid}"], idx[f"MA_{sid}"]
                M, A = x[im], x[ia]
                bind_a = par["kA"] * A * M
                dx[im] += (
                    par[f"b_{sid}"] * T * par[f"ko_{sid}"] * par[f"act_{sid}"]
                    + par[f"exo_{sid}"]
                    - par[f"delta_{sid}"] * par[f"dfac_{sid}"] * M
                    - bind_a
                )
                dx[ia] += par[f"antp_{sid}"] - par["dA"] * A - bind_a
                dx[ima] += bind_a - par["dMA"] * x[ima]
            else:
                ir = idx[f"R_{sid}"]
                R = x[ir]
                dx[ir] += (
                    par[f"ktx_{sid}"] * T * par[f"ko_{sid}"] * par[f"act_{sid}"]
                    + par[f"exo_{sid}"]
                    - par[f"d_{sid}"] * par[f"dfac_{sid}"] * R
                )
                for mir in s.binds:
                    ms = nodes[mir].sid
                    cid = f"C_{sid}__{ms}"
                    ic, im = idx[cid], idx[f"M_{ms}"]
                    C, M = x[ic], x[im]
                    on = par[f"kon_{cid}"] * R * M
                    off = par[f"koff_{cid}"] * C
                    cat = (par[f"kcat_{cid}"] + par[f"d_{sid}"] * (par[f"dfac_{sid}"] - 1)) * C
                    st = par[f"kst_{cid}"] * C
                    dx[ir] += -on + off
                    dx[im] += -on + off + cat
                    dx[ic] += on - off - cat - st
                if s.is_protein:
                    ip = idx[f"P_{sid}"]
                    prod = (1 - par[f"inhP_{sid}"]) * (
                        (1 - par[f"oxP_{sid}"]) * R / s.scale + par[f"oxP_{sid}"]
                    ) + par[f"exoP_{sid}"]
                    dx[ip] += (prod - x[ip]) / par[f"taup_{sid}"]
        return dx

    return rhs


def reference_steady_state(
    model: Model,
    overrides: Mapping[str, float] | None = None,
    *,
    t_end: float = 20000.0,
) -> dict[str, float]:
    """Node activities after integrating the reference ODEs from the model's baseline.

    Raises
    ------
    ConvergenceError
        The integration failed or is not at steady state at ``t_end``.
    """
    rhs = reference_rhs(model, overrides)
    x0 = np.asarray(model._baseline, dtype=float)
    sol = solve_ivp(rhs, (0.0, t_end), x0, method="BDF", rtol=1e-9, atol=1e-11)
    if not sol.success:
        raise ConvergenceError(f"Reference integration failed: {sol.message}")
    x = sol.y[:, -1]
    rate = np.max(np.abs(rhs(t_end, x)) / (np.abs(x) + 1e-3))
    if rate > 1e-7:
        raise ConvergenceError(
            f"Reference integration not at steady state after {t_end} h (rate {rate:.1e})."
        )
    return model._node_values(x)
