"""One benchmark run in a fresh process; prints JSON with per-phase seconds and peak memory.

python -m bench.phases forcegen WORKBOOK BACKEND TIME_LIMIT [--no-heuristic] [--aggregated]
python -m bench.phases floor WORKBOOK      # the same model straight into highspy (the floor)
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_forcegen(
    workbook: str, backend: str, time_limit: float, heuristic: bool, formulation: str = "textbook"
) -> dict:
    from solver import api

    began = time.perf_counter()
    result = api.solve(
        workbook,
        backend=backend,
        time_limit=time_limit,
        threads=1,
        heuristic=heuristic,
        explain=False,
        formulation=formulation,
    )
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        api.write(result, Path(tmp) / "out.xlsx")
    write = time.perf_counter() - t0
    out = {k: round(v, 4) for k, v in result.timings.items()}
    out["write"] = round(write, 4)
    out["total"] = round(time.perf_counter() - began, 4)
    out["overhead"] = round(out["total"] - out.get("solve", 0.0), 4)
    out["status"] = result.status
    out["heuristic_note"] = result.outcome.heuristic
    out["has_plan"] = result.outcome.x is not None
    out["stages"] = {k: v for k, v in result.stage_values.items()}
    out["mip_gap"] = dict(result.tables.summary).get("mip_gap")
    out["size"] = result.ctx.lm.size()
    out["peak_mib"] = round(peak_mib(), 1)
    return out


def run_floor(workbook: str) -> dict:
    """Build the matrices, then time only the hand-over of CSR arrays to highspy: the floor."""
    from solver import api
    from solver.model.build import build_model
    from solver.model.matrix import MatrixModel
    from solver.solve.highs import load, new_highs

    mm = MatrixModel.from_linear(build_model(api.read(workbook)).lm)
    before = peak_mib()
    t0 = time.perf_counter()
    h = new_highs()
    load(h, mm)
    handoff = time.perf_counter() - t0
    return {
        "handoff": round(handoff, 4),
        "peak_mib": round(peak_mib(), 1),
        "peak_before_handoff_mib": round(before, 1),
    }


if __name__ == "__main__":
    mode, workbook = sys.argv[1], sys.argv[2]
    if mode == "floor":
        print(json.dumps(run_floor(workbook)))
    else:
        print(
            json.dumps(
                run_forcegen(
                    workbook,
                    sys.argv[3],
                    float(sys.argv[4]),
                    "--no-heuristic" not in sys.argv,
                    "aggregated" if "--aggregated" in sys.argv else "textbook",
                )
            )
        )
