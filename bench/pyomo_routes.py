"""Measure the Pyomo routes to HiGHS against forcegen's direct route, on the first objective stage.

    .venv/bin/python bench/pyomo_routes.py                      # coalition (x3) + generated case (x1)
    .venv/bin/python bench/pyomo_routes.py --big 100x300x20 --routes direct,ours

Routes (same model, same options: threads=1, mip_rel_gap=1e-4, time_limit=60 s; only the first
lexicographic stage, the priority-1 shortfall, is active):

- ours:    `to_pyomo` + `compile_pyomo` (LinearStandardFormCompiler) + highspy `passModel`
- contrib: `pyomo.contrib.solver` HiGHS (persistent; `SolverFactory('highs')` of contrib)
- appsi:   `pyo.SolverFactory('appsi_highs')` (legacy front end of the appsi interface)
- legacy:  `pyo.SolverFactory('highs')`, the classic `solve(model, options=...)` front end (in
           Pyomo 6.10 a wrapper of the contrib interface: there is no other HiGHS plugin)
- direct:  forcegen `--backend highs`: `MatrixModel.from_linear` + highspy `passModel`, no Pyomo

Each run is a fresh subprocess. `highspy.Highs.run` is wrapped to time HiGHS itself and to read
back the options HiGHS really holds when it starts (Pyomo drops bad options silently, and appsi's
legacy front end has reset `time_limit` before). Phases: `pyomo` (building the Pyomo model),
`handoff` (Pyomo or blocks -> HiGHS, up to `run()`), `solve` (inside `run()`), `post` (solution
back into Pyomo / numpy). `read` and `build` (workbook -> blocks) are shared by all routes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COALITION = ROOT / "inputs" / "coalition.xlsx"
ROUTES = ("ours", "contrib", "appsi", "legacy", "direct")
OPTIONS = {"threads": 1, "mip_rel_gap": 1e-4}
MARK = "@@RESULT "
PHASES = (
    "read",
    "build",
    "pyomo",
    "pyomo_cpu",
    "handoff",
    "handoff_cpu",
    "solve",
    "solve_cpu",
    "post",
    "peak_mib",
)


# ---- worker (one route, one run, in its own process) ------------------------------------------
def worker(route: str, path: Path, time_limit: float) -> dict[str, Any]:
    import resource

    import highspy
    import numpy as np
    import pyomo.environ as pyo

    from solver import api
    from solver.model.build import build_model
    from solver.model.matrix import MatrixModel
    from solver.model.pyomo_render import compile_pyomo, load_values, to_pyomo
    from solver.solve.instance import load, new_highs

    runs: list[dict[str, Any]] = []
    original_run = highspy.Highs.run

    def timed_run(self: highspy.Highs) -> Any:
        seen = {n: _option(self, n) for n in ("time_limit", "threads", "mip_rel_gap")}
        start = _now()
        status = original_run(self)
        end = _now()
        info = self.getInfo()
        runs.append(
            {
                "start": start,
                "end": end,
                "options": seen,
                "objective": info.objective_function_value,
                "gap": info.mip_gap,
                "nodes": info.mip_node_count,
                "lp_iterations": info.simplex_iteration_count,
                "status": self.modelStatusToString(self.getModelStatus()),
                "size": [self.getNumCol(), self.getNumRow(), self.getNumNz()],
            }
        )
        return status

    highspy.Highs.run = timed_run  # type: ignore[method-assign]
    out: dict[str, Any] = {"route": route}
    t0 = time.perf_counter()
    data = api.read(path)
    out["read"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    lm = build_model(data).lm
    out["build"] = time.perf_counter() - t0
    out["stage"] = lm.stages[0].name

    if route == "direct":
        out["pyomo"] = out["pyomo_cpu"] = 0.0
        began = _now()
        mm = MatrixModel.from_linear(lm)
        _load_stage(new_highs, load, mm, time_limit)
    else:
        t0 = _now()
        model, colvars = to_pyomo(lm)
        objectives = list(model.component_data_objects(pyo.Objective))
        for obj in objectives[1:]:
            obj.deactivate()
        began = _now()
        out["pyomo"], out["pyomo_cpu"] = began[0] - t0[0], began[1] - t0[1]
        if route == "ours":
            mm = compile_pyomo(model, colvars, lm)
            h = _load_stage(new_highs, load, mm, time_limit)
            x = np.asarray(h.getSolution().col_value)
            load_values(model, x)
        elif route == "contrib":
            from pyomo.contrib.solver.common.factory import SolverFactory

            opt = SolverFactory("highs")
            opt.solve(
                model,
                time_limit=time_limit,
                threads=OPTIONS["threads"],
                rel_gap=OPTIONS["mip_rel_gap"],
                raise_exception_on_nonoptimal_result=False,
            )
        elif route == "appsi":
            opt = pyo.SolverFactory("appsi_highs")
            opt.solve(model, timelimit=time_limit, options=dict(OPTIONS))
        elif route == "legacy":
            opt = pyo.SolverFactory("highs")
            opt.solve(model, timelimit=time_limit, options=dict(OPTIONS))
        else:
            raise SystemExit(f"unknown route {route}")
        out["pyomo_objective"] = float(pyo.value(objectives[0]))
    ended = _now()
    if len(runs) != 1:
        raise SystemExit(f"expected one HiGHS run, saw {len(runs)}")
    run = runs[0]
    start, end = run["start"], run["end"]
    out.update(
        handoff=start[0] - began[0],
        handoff_cpu=start[1] - began[1],
        solve=end[0] - start[0],
        solve_cpu=end[1] - start[1],
        post=ended[0] - end[0],
        objective=run["objective"],
        gap=run["gap"],
        status=run["status"],
        options=run["options"],
        size=run["size"],
        nodes=run["nodes"],
        lp_iterations=run["lp_iterations"],
        peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return out


def _now() -> tuple[float, float]:
    """(wall, CPU) seconds: CPU time stays meaningful when other processes load the machine."""
    return time.perf_counter(), time.process_time()


def _option(h: Any, name: str) -> Any:
    """An option's value as HiGHS holds it (highspy 1.16 returns (status, value))."""
    got = h.getOptionValue(name)
    return got[1] if isinstance(got, tuple) else got


def _load_stage(new_highs: Any, load: Any, mm: Any, time_limit: float) -> Any:
    """forcegen's own hand-over: one passModel, then the first stage's cost row."""
    import numpy as np

    h = new_highs()
    for name, value in {**OPTIONS, "time_limit": float(time_limit)}.items():
        h.setOptionValue(name, value)
    load(h, mm)
    h.changeColsCost(mm.n_cols, np.arange(mm.n_cols, dtype=np.int32), mm.costs[0])
    h.changeObjectiveOffset(mm.offsets[0])
    h.run()
    return h


# ---- driver -----------------------------------------------------------------------------------
def run_once(route: str, path: Path, time_limit: float) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        route,
        str(path),
        "--time-limit",
        str(time_limit),
    ]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode or not lines:
        raise SystemExit(f"{route} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1][len(MARK) :])


def measure(
    label: str, path: Path, routes: list[str], repeats: int, time_limit: float
) -> dict[str, dict[str, Any]]:
    """Median per phase over `repeats` fresh processes; routes interleaved within a repeat."""
    runs: dict[str, list[dict[str, Any]]] = {r: [] for r in routes}
    for i in range(repeats):
        for route in routes:
            res = run_once(route, path, time_limit)
            runs[route].append(res)
            print(
                f"  [{label} {i + 1}/{repeats}] {route:8s} handoff {res['pyomo'] + res['handoff']:7.2f}"
                f" s  solve {res['solve']:7.2f} s  obj {res['objective']:.6g} {res['status']}",
                file=sys.stderr,
                flush=True,
            )
    summary = {}
    for route, rs in runs.items():
        med = {k: statistics.median(r[k] for r in rs) for k in PHASES}
        objectives = {round(r["objective"], 6) + 0.0 for r in rs}  # + 0.0: no "-0"
        summary[route] = {**rs[0], **med, "objectives": sorted(objectives)}
    return summary


def table(label: str, summary: dict[str, dict[str, Any]]) -> list[str]:
    """Markdown: wall seconds per phase, CPU seconds in brackets; ratios to `direct` on CPU."""
    first = next(iter(summary.values()))
    base = summary.get("direct")
    size = first["size"]
    lines = [
        f"### {label}: {size[0]:,} columns, {size[1]:,} rows, {size[2]:,} nonzeros "
        f"(as HiGHS holds it; stage `{first['stage']}`)",
        "",
        "| route | Pyomo model s | handoff s | build+handoff s (CPU) | x direct (CPU) "
        "| solve s (CPU) | x direct (CPU) | post s | objective | status | nodes / LP iters "
        "| HiGHS options seen | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for route, r in summary.items():
        bh, bh_cpu = r["pyomo"] + r["handoff"], r["pyomo_cpu"] + r["handoff_cpu"]
        ratio_bh = _ratio(bh_cpu, base["pyomo_cpu"] + base["handoff_cpu"]) if base else "-"
        ratio_s = _ratio(r["solve_cpu"], base["solve_cpu"]) if base else "-"
        opts = r["options"]
        seen = f"tl={opts['time_limit']:g} thr={opts['threads']} gap={opts['mip_rel_gap']:g}"
        obj = ", ".join(f"{o:.6g}" for o in r["objectives"])
        lines.append(
            f"| {route} | {r['pyomo']:.3f} | {r['handoff']:.3f} | {bh:.3f} ({bh_cpu:.3f}) | "
            f"{ratio_bh} | {r['solve']:.2f} ({r['solve_cpu']:.2f}) | {ratio_s} | {r['post']:.3f} | "
            f"{obj} | {r['status']} | {r['nodes']} / {r['lp_iterations']} | {seen} | "
            f"{r['peak_mib']:.0f} |"
        )
    lines += [
        "",
        f"Shared by every route: read {first['read']:.3f} s, build (blocks) {first['build']:.3f} s.",
    ]
    return lines


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}x" if base > 0 else "-"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--worker", nargs=2, metavar=("ROUTE", "WORKBOOK"), help=argparse.SUPPRESS)
    p.add_argument("--routes", default=",".join(ROUTES), help="comma-separated subset of routes")
    p.add_argument("--big", default="100x300x20", help="generated case: CONTRIBUTORSxSITESxCAPS")
    p.add_argument("--density", type=float, default=0.3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3, help="runs per route on the coalition case")
    p.add_argument("--big-repeats", type=int, default=1, help="runs per route on the big case")
    p.add_argument("--time-limit", type=float, default=60.0)
    p.add_argument("--skip-coalition", action="store_true")
    p.add_argument("--skip-big", action="store_true")
    args = p.parse_args()
    if args.worker:
        res = worker(args.worker[0], Path(args.worker[1]), args.time_limit)
        print(MARK + json.dumps(res), flush=True)
        return
    routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    report: list[str] = []
    if not args.skip_coalition:
        summary = measure("coalition", COALITION, routes, args.repeats, args.time_limit)
        objectives = {o for r in summary.values() for o in r["objectives"]}
        report += table(f"inputs/coalition.xlsx, median of {args.repeats}", summary)
        report += [
            f"Same objective on every route and run: {'yes' if len(objectives) == 1 else 'NO'}"
            f" ({', '.join(f'{o:.6g}' for o in sorted(objectives))}).",
            "",
        ]
    if not args.skip_big:
        from solver.generate import generate_workbook

        c, s, k = (int(v) for v in args.big.lower().split("x"))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"generated-{args.big}.xlsx"
            generate_workbook(path, c, s, k, args.seed, args.density)
            summary = measure(args.big, path, routes, args.big_repeats, args.time_limit)
        label = (
            f"generated {c} contributors x {s} sites x {k} capabilities (density "
            f"{args.density}, seed {args.seed}), {args.big_repeats} run(s)"
        )
        report += table(label, summary)
    print("\n".join(report))


if __name__ == "__main__":
    main()
