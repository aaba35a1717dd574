"""The Python API under the CLI: what `forcegen solve` does, callable from a notebook.

from solver import api
result = api.solve("inputs/coalition.xlsx", scenario="us_backstop")
result.status, result.stage_values, result.tables.allocation
api.write(result, "outputs/coalition-us_backstop.xlsx")
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .data import Data
from .errors import InputError, UsageError
from .explain.gaps import gaps_table
from .explain.infeasibility import Conflict, conflict_table, explain_infeasibility
from .io.periods import timed_refusal
from .io.read import read_data
from .model.build import build_model
from .model.context import BuildContext
from .model.matrix import MatrixModel
from .results.report import make_tables, output_sheets
from .results.tables import Tables
from .results.writer import atomic_write, build_workbook, refuse_overwriting_inputs, workbook_bytes
from .solve.greedy import greedy_start
from .solve.highs import LexicographicSolver
from .solve.instance import highs_version
from .solve.options import SolveOptions
from .solve.outcome import SolveOutcome

log = logging.getLogger("forcegen")

BACKENDS = ("highs", "pyomo")
EXIT_CODES = {"optimal": 0, "feasible": 0, "infeasible": 3, "no_solution": 4, "interrupted": 130}


@dataclass
class Result:
    """A solved workbook: the data, the model's index sets, the solver outcome and the tables."""

    data: Data
    ctx: BuildContext
    outcome: SolveOutcome
    options: SolveOptions
    backend: str
    tables: Tables
    timings: dict[str, float] = field(default_factory=dict)
    pyomo_model: Any = None
    conflict: Conflict | None = None  # why there is no plan, when infeasible

    @property
    def status(self) -> str:
        return self.outcome.status

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.status, 1)

    @property
    def summary(self) -> dict[str, Any]:
        return dict(self.tables.summary)

    @property
    def stage_values(self) -> dict[str, float]:
        return {k: v for k, v in self.tables.summary if k.startswith("objective.")}


def read(path: str | Path, scenario: str = "base", *, allow_timed: bool = False) -> Data:
    """Read and validate a workbook (with a scenario applied). A timed workbook raises
    `TimedWorkbook` (exit 2: nothing solves it yet) unless `allow_timed`."""
    return read_data(Path(path), scenario, allow_timed=allow_timed)


def check(path: str | Path) -> list[str]:
    """Validate the base case and every scenario (timed workbooks too); returns warnings,
    raises `InputError`."""
    data = read(path, allow_timed=True)
    warnings = [str(w) for w in data.warnings]
    errors = []
    for name in data.scenarios:
        try:
            read(path, name, allow_timed=True)
        except InputError as exc:
            errors.extend(exc.errors)
    if errors:
        raise InputError(errors)
    return warnings


def to_matrix(ctx: BuildContext, backend: str) -> tuple[MatrixModel, Any]:
    """Hand the model over: straight from the blocks (default) or through Pyomo."""
    if backend == "highs":
        return MatrixModel.from_linear(ctx.lm), None
    if backend == "pyomo":
        from .model.pyomo_render import compile_pyomo, to_pyomo

        model, colvars = to_pyomo(ctx.lm)
        return compile_pyomo(model, colvars, ctx.lm), model
    raise UsageError(f"unknown backend '{backend}' (choose {' or '.join(BACKENDS)})")


def solve(
    source: str | Path | Data,
    *,
    scenario: str = "base",
    backend: str = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    threads: int | None = None,
    seed: int | None = None,
    highs_options: dict[str, Any] | None = None,
    solver_log: bool = False,
    explain: bool = True,
    start: dict[tuple[str, str, str], int] | None = None,
    alternatives: int = 0,
    heuristic: bool = True,
    formulation: str = "textbook",
) -> Result:
    """Read (unless given `Data`), build, solve and tabulate. Never writes a file."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    data = source if isinstance(source, Data) else read(source, scenario)
    if data.timed:
        assert data.periods is not None
        raise timed_refusal(data.source_name or "the workbook", len(data.periods), data.scenario)
    timings["read"] = time.perf_counter() - t0
    options = SolveOptions.from_settings(
        data.settings,
        time_limit=time_limit,
        mip_gap=mip_gap,
        threads=threads,
        seed=seed,
        highs=dict(highs_options or {}),
        log=solver_log,
    )
    t0 = time.perf_counter()
    ctx = build_model(data, formulation=formulation)
    timings["build"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    mm, pyomo_model = to_matrix(ctx, backend)
    solver = LexicographicSolver(mm, options)
    timings["handoff"] = time.perf_counter() - t0
    log.info("handoff (%s) %.3f s", backend, timings["handoff"])
    mip_start = _start_columns(ctx, start) if start else None
    heuristic_note = ""
    if mip_start is None and heuristic:
        t0 = time.perf_counter()
        greedy = greedy_start(mm, ctx, budget=min(10.0, 0.25 * options.time_limit))
        timings["heuristic"] = time.perf_counter() - t0
        heuristic_note = greedy.message
        log.info("%s", greedy.message)
        if greedy.x is not None:
            mip_start = (np.arange(mm.n_cols), greedy.x)
    # the time limit covers the whole solve: the heuristic's seconds come off HiGHS's share
    outcome = solver.solve(mip_start, spent=timings.get("heuristic", 0.0))
    outcome.heuristic = heuristic_note
    timings["solve"] = outcome.seconds
    t0 = time.perf_counter()
    if pyomo_model is not None and outcome.x is not None:
        from .model.pyomo_render import load_values

        load_values(pyomo_model, outcome.x)
    tables = make_tables(
        data, ctx, outcome, options, backend=backend, highs_version=highs_version(), timings=timings
    )
    timings["tables"] = time.perf_counter() - t0  # reading the solution back, and the tables
    if (
        alternatives > 0
        and outcome.x is not None
        and outcome.status != "interrupted"
        and not outcome.abandoned
    ):
        from .results.alternatives import add_alternative_tables
        from .solve.alternatives import find_alternatives

        assert ctx.pairs is not None
        pair_of_x = pd.MultiIndex.from_frame(ctx.pairs[["contributor", "site"]]).get_indexer(
            pd.MultiIndex.from_frame(ctx.x[["contributor", "site"]])
        )
        alt = find_alternatives(
            solver,
            ctx.pairs["col"].to_numpy(),
            pair_of_x,
            ctx.x["col"].to_numpy(),
            outcome.x,
            alternatives,
        )
        add_alternative_tables(tables, data, ctx, alt)
    conflict = None
    if outcome.status == "infeasible" and explain:
        conflict = explain_infeasibility(data, budget=min(30.0, options.time_limit))
        tables.extra["Infeasibility"] = conflict_table(conflict)
    elif outcome.x is not None and ctx.x is not None:
        t0 = time.perf_counter()
        tables.extra["Gaps"] = gaps_table(ctx, outcome.x[ctx.x["col"].to_numpy()])
        timings["gaps"] = time.perf_counter() - t0
    return Result(data, ctx, outcome, options, backend, tables, timings, pyomo_model, conflict)


def _start_columns(ctx: BuildContext, units: dict) -> tuple:
    """A MIP start from {(contributor, capability, site): units}: x columns and values."""
    assert ctx.x is not None
    keys = zip(ctx.x["contributor"], ctx.x["capability"], ctx.x["site"], strict=True)
    return ctx.x["col"].to_numpy(), np.array([units.get(k, 0) for k in keys], dtype=float)


def price_caveats(
    result: Result,
    progress: Callable[[int, int, str], None] | None = None,
    *,
    in_place: bool = True,
) -> pd.DataFrame:
    """Re-solve with each caveat lifted and each hard requirement softened (see explain.pricing);
    the table is also added to the result as the `CaveatPrices` sheet. `in_place` re-solves one
    switchable model loaded in HiGHS once; otherwise each lift is a fresh build and solve."""
    from .explain.pricing import Repriced
    from .explain.pricing import price_caveats as price
    from .explain.pricing_inplace import InPlacePricer

    options = result.options
    if in_place:
        resolve = InPlacePricer(result.data, options).reprice
    else:

        def resolve(lift, start: dict | None) -> Repriced:
            again = solve(
                lift.data,
                backend="highs",
                time_limit=options.time_limit,
                mip_gap=options.mip_gap,
                threads=options.threads,
                seed=options.seed,
                explain=False,
                start=start,
            )
            cov = again.tables.coverage.set_index(["site", "capability"])["allocated"]
            return Repriced(again.status, again.stage_values, cov)

    table = price(result, resolve, progress)
    result.tables.extra["CaveatPrices"] = table
    return table


def write(result: Result, output: str | Path, inputs: list[str | Path] | None = None) -> Path:
    """Write the output workbook atomically; never over an input."""
    output = Path(output)
    refuse_overwriting_inputs(output, [Path(p) for p in inputs or []])
    data = workbook_bytes(build_workbook(output_sheets(result.tables)))
    atomic_write(output, data)
    return output
