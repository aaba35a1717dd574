"""Plain HiGHS on the textbook formulation: the baseline of issue #15's scale benchmark.

    python -m bench.plain WORKBOOK TIME_LIMIT [--carry]

Reads and builds the model with forcegen's own reading and build (`api.read`, `build_model`,
`api.to_matrix(ctx, "highs")`: per-allocation links, the textbook formulation), then solves it
with a minimal lexicographic loop written here directly on highspy, independent of
solver/solve/ but for making HiGHS and handing it the matrix (`instance`): one thread, HiGHS's defaults but for the workbook's `mip_gap` (the same stopping
rule forcegen uses), no MIP start, no construction heuristic, no face, no polish, no share of the
limit. Stage by stage, each stage is HiGHS's own MIP given the time left of TIME_LIMIT (counted
from the hand-over, as forcegen's limit is), then held by a row
`cost @ x <= value + max(hold_abs, hold_rel * |value|)` before the next. A stage that ends
without a plan ends the loop; the stages after it are "not reached". With `--carry` each stage is
given the previous stage's plan as its start (off by default: "no MIP start").

Prints one JSON line: `build` (seconds to read, build and hand over), `columns`, `rows` and
`stages`, a list of {name, status (optimal | feasible | infeasible | no plan | not reached),
value, gap, seconds}. `value` is in the planner's units as forcegen reports a stage
(stage.scale * (cost @ x + offset)); `gap` is (value - bound) / value against HiGHS's dual bound,
a negative bound read as 0 and no bound as 100%.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass

import highspy
import numpy as np

from solver.model.matrix import MatrixModel
from solver.solve import instance

MS = highspy.HighsModelStatus


@dataclass
class PlainStage:
    """One stage of the plain loop, as printed."""

    name: str
    status: str  # optimal | feasible | infeasible | no plan | not reached
    value: float | None = None  # planner's units: scale * (cost @ x + offset)
    gap: float | None = None
    seconds: float = 0.0


def relative_gap(value: float, bound: float) -> float:
    """(value - bound) / value; every stage counts something non-negative, so a bound below 0
    is read as 0, and no finite bound gives 100%."""
    bound = max(bound, 0.0) if np.isfinite(bound) else 0.0
    if value <= 1e-9:
        return 0.0
    return float(min(max((value - bound) / abs(value), 0.0), 1.0))


def new_highs(mm: MatrixModel, mip_gap: float) -> highspy.Highs:
    """A quiet one-thread HiGHS holding the model (zero costs: each stage sets its own)."""
    h = instance.new_highs()  # quiet: stdout is kept for the JSON line
    for name, option in (
        ("threads", 1),
        ("mip_rel_gap", float(mip_gap)),
    ):
        h.setOptionValue(name, option)
    instance.load(h, mm)
    return h


def solve_stages(
    mm: MatrixModel, time_limit: float, mip_gap: float, carry: bool = False
) -> list[PlainStage]:
    """The lexicographic loop: each stage by HiGHS's MIP in the time left, then held."""
    h = new_highs(mm, mip_gap)
    columns = np.arange(mm.n_cols, dtype=np.int32)
    integer = mm.integrality.astype(bool)
    deadline = time.perf_counter() + time_limit
    out: list[PlainStage] = []
    x: np.ndarray | None = None
    for i, stage in enumerate(mm.stages):
        remaining = deadline - time.perf_counter()
        if (out and out[-1].status not in ("optimal", "feasible")) or remaining <= 0:
            out.append(PlainStage(stage.name, "not reached"))
            continue
        cost, offset = mm.costs[i], mm.offsets[i]
        h.changeColsCost(mm.n_cols, columns, cost)
        h.changeObjectiveOffset(offset)
        h.setOptionValue("time_limit", float(remaining))
        if carry and x is not None:
            h.setSolution(mm.n_cols, columns, x)
        t0 = time.perf_counter()
        h.run()
        seconds = round(time.perf_counter() - t0, 2)
        model_status, info = h.getModelStatus(), h.getInfo()
        if info.primal_solution_status != 2:
            status = "infeasible" if model_status == MS.kInfeasible else "no plan"
            out.append(PlainStage(stage.name, status, seconds=seconds))
            continue
        x = np.asarray(h.getSolution().col_value, dtype=float)
        x[integer] = np.round(x[integer])
        found = float(cost @ x)
        value = found + offset
        status = "optimal" if model_status == MS.kOptimal else "feasible"
        gap = relative_gap(value, float(info.mip_dual_bound))
        out.append(PlainStage(stage.name, status, stage.scale * value, gap, seconds))
        if i + 1 < len(mm.stages):
            nz = np.flatnonzero(cost)
            tol = max(stage.hold_abs, stage.hold_rel * abs(found))
            h.addRow(-highspy.kHighsInf, found + tol, len(nz), nz.astype(np.int32), cost[nz])
    return out


def run_plain(workbook: str, time_limit: float, carry: bool = False) -> dict:
    """Read, build and hand over with forcegen's own code, then the plain loop; the JSON."""
    from solver import api
    from solver.model.build import build_model

    t0 = time.perf_counter()
    data = api.read(workbook)
    mm, _ = api.to_matrix(build_model(data), "highs")
    build = time.perf_counter() - t0
    mip_gap = float(data.settings.get("mip_gap", 1e-4))
    stages = solve_stages(mm, time_limit, mip_gap, carry)
    return {
        "build": round(build, 3),
        "columns": mm.n_cols,
        "rows": mm.n_rows,
        "stages": [asdict(s) for s in stages],
    }


if __name__ == "__main__":
    print(json.dumps(run_plain(sys.argv[1], float(sys.argv[2]), "--carry" in sys.argv)))
