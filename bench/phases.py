"""One benchmark run in a fresh process; prints JSON with per-phase seconds and peak memory.

python -m bench.phases forcegen WORKBOOK BACKEND TIME_LIMIT [--no-heuristic] [--aggregated]
                                [--keep OUT.xlsx]
python -m bench.phases floor WORKBOOK [OUTPUT.xlsx]

The floor is what any tool doing the same job must spend: reading every cell of the workbook
(openpyxl read-only, values only, no checks), handing the same matrices to HiGHS through
highspy's matrix API (`passModel`), and writing the same output tables (openpyxl write-only,
values only, no styles) - the latter taken from OUTPUT.xlsx, the output of a forcegen run.
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
    workbook: str,
    backend: str,
    time_limit: float,
    heuristic: bool,
    formulation: str = "textbook",
    keep: str | None = None,
    work: bool = False,
) -> dict:
    """One solve and write, timed by phase; `work`: `time_limit` is a work limit instead
    (solve/clock.py: no time limit, the same plan on any machine)."""
    from solver import api
    from solver.solve.highs import LexicographicSolver

    before_solve: list[float] = []
    solve = LexicographicSolver.solve

    def solve_and_mark(self, *args, **kwargs):  # the modelling peak: all but HiGHS's search
        before_solve.append(peak_mib())
        return solve(self, *args, **kwargs)

    LexicographicSolver.solve = solve_and_mark  # type: ignore[method-assign]
    began = time.perf_counter()
    result = api.solve(
        workbook,
        backend=backend,
        time_limit=None if work else time_limit,
        work_limit=time_limit if work else None,
        threads=1,
        heuristic=heuristic,
        explain=False,
        formulation=formulation,
    )
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out_path = Path(keep) if keep else Path(tmp) / "out.xlsx"
        api.write(result, out_path)
    write = time.perf_counter() - t0
    out = {k: round(v, 4) for k, v in result.timings.items()}
    out["write"] = round(write, 4)
    out["total"] = round(time.perf_counter() - began, 4)
    out["overhead"] = round(out["total"] - out.get("solve", 0.0), 4)
    out["status"] = result.status
    out["heuristic_note"] = result.outcome.heuristic
    out["has_plan"] = result.outcome.x is not None
    out["stages"] = {k: v for k, v in result.stage_values.items()}
    out["stage_runs"] = [
        (st.name, st.status, st.value, st.gap, round(st.seconds, 2)) for st in result.outcome.stages
    ]
    out["mip_gap"] = dict(result.tables.summary).get("mip_gap")
    out["allocation_sha256"] = dict(result.tables.summary).get("allocation_sha256")
    out["size"] = result.ctx.lm.size()
    out["peak_mib"] = round(peak_mib(), 1)
    out["peak_before_solve_mib"] = round(before_solve[0], 1) if before_solve else None
    return out


def run_floor(workbook: str, output: str | None = None) -> dict:
    """Read every cell, hand the matrices to highspy, write the output's values: the floor."""
    import openpyxl

    from solver import api
    from solver.model.build import build_model
    from solver.model.matrix import MatrixModel
    from solver.solve.instance import load, new_highs

    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    cells = sum(len(row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
    wb.close()
    read = time.perf_counter() - t0
    mm = MatrixModel.from_linear(build_model(api.read(workbook)).lm)
    before = peak_mib()
    t0 = time.perf_counter()
    h = new_highs()
    load(h, mm)
    handoff = time.perf_counter() - t0
    out = {
        "read": round(read, 4),
        "cells_read": cells,
        "handoff": round(handoff, 4),
        "peak_mib": round(peak_mib(), 1),
        "peak_before_handoff_mib": round(before, 1),
    }
    if output:
        out["write"] = round(_write_floor(output), 4)
    return out


def _write_floor(output: str) -> float:
    """Seconds to write the same sheets' values with openpyxl's write-only mode."""
    import openpyxl

    src = openpyxl.load_workbook(output, read_only=True)
    tables = {ws.title: list(ws.iter_rows(values_only=True)) for ws in src.worksheets}
    src.close()
    t0 = time.perf_counter()
    wb = openpyxl.Workbook(write_only=True)
    for title, rows in tables.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    with tempfile.TemporaryDirectory() as tmp:
        wb.save(Path(tmp) / "floor.xlsx")
    return time.perf_counter() - t0


if __name__ == "__main__":
    mode, workbook = sys.argv[1], sys.argv[2]
    if mode == "floor":
        print(json.dumps(run_floor(workbook, sys.argv[3] if len(sys.argv) > 3 else None)))
    else:
        keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
        print(
            json.dumps(
                run_forcegen(
                    workbook,
                    sys.argv[3],
                    float(sys.argv[4]),
                    "--no-heuristic" not in sys.argv,
                    "aggregated" if "--aggregated" in sys.argv else "textbook",
                    keep,
                    "--work" in sys.argv,
                )
            )
        )
