"""Speed of the kinetic model: one perturbation to steady state and a 20 x 20 dose grid.

Targets (issue 5): one perturbation of a full cancer network to steady state in under
1 s; a 20 x 20 two-factor dose grid in under 30 s. The reference is a plain SciPy
integration (``solve_ivp``, BDF) of the same ODEs (:mod:`mirscope.simulate.reference`,
built from the model structure, not from the SBML), measured in the same run; the
grid reference is extrapolated from a few SciPy points. libRoadRunner compiles the
model once; every grid point only sets parameters and solves.

Run: ``python -m benchmarks bench_simulate``.
"""

from __future__ import annotations

import statistics
import time

from mirscope.simulate import build_model, dose_grid, simulate_perturbations
from mirscope.simulate.perturb import perturbation_parameters, resolve_perturbations
from mirscope.simulate.reference import reference_steady_state


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _bench_model(cancer: str | None, *, ref_points: tuple[float, ...]) -> None:
    label = cancer or "pan-cancer"
    t_build, model = _timed(lambda: build_model(cancer))
    s = model.summary()
    print(
        f"[{label}] model: {s['nodes']} nodes, {s['species']} species, {s['reactions']} "
        f"reactions; build (compile + calibrate) {t_build:.2f} s"
    )

    pert = "miR-124=overexpress"
    t_rr, res = _timed(lambda: simulate_perturbations(model, [pert]), repeat=5)
    p = resolve_perturbations(model, [pert])[0]
    values = perturbation_parameters(model, p)
    t_ref, ref = _timed(lambda: reference_steady_state(model, values))
    fast = model.steady_state_values(values)
    err = max(abs(fast[n] - ref[n]) / (abs(ref[n]) + 1e-9) for n in ref)
    verdict = "PASS" if t_rr < 1.0 else "FAIL"
    print(
        f"[{label}] one perturbation ({pert}) to steady state: libRoadRunner "
        f"{t_rr * 1000:.1f} ms (median of 5), SciPy reference {t_ref * 1000:.0f} ms, "
        f"speed-up x{t_ref / t_rr:.0f}; max relative difference {err:.1e}; "
        f"target < 1 s: {verdict}"
    )
    assert res.readouts

    second = "NEAT1=overexpress" if "NEAT1" in model.nodes else "STAT3=knockdown"
    t_grid, df = _timed(lambda: dose_grid(model, pert, second, readouts=["STAT3"]))
    n = len(df)
    doses = list(ref_points)
    t_pts = []
    for d1 in doses:
        pa = resolve_perturbations(model, [pert], dose=d1)[0]
        pb = resolve_perturbations(model, [second], dose=d1)[0]
        vals = {**perturbation_parameters(model, pa), **perturbation_parameters(model, pb)}
        t, _ = _timed(lambda vals=vals: reference_steady_state(model, vals))
        t_pts.append(t)
    t_ref_grid = statistics.mean(t_pts) * n
    verdict = "PASS" if t_grid < 30.0 else "FAIL"
    print(
        f"[{label}] {n}-point dose grid ({pert} x {second}): libRoadRunner {t_grid:.1f} s "
        f"({t_grid / n * 1000:.0f} ms/point), SciPy reference ~{t_ref_grid:.0f} s "
        f"(extrapolated from {len(doses)} points), speed-up x{t_ref_grid / t_grid:.0f}; "
        f"target < 30 s: {verdict}"
    )


def main() -> None:
    _bench_model("breast", ref_points=(0.05, 1.0, 20.0))
    _bench_model(None, ref_points=(1.0,))  # one SciPy point takes ~40 s on this network


if __name__ == "__main__":
    main()
