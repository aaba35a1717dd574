"""The Python API under the CLI: what `forcegen solve` does, callable from a notebook.

from solver import api
result = api.solve("inputs/coalition.xlsx", scenario="us_backstop")
result.status, result.stage_values, result.tables.allocation
api.write(result, "outputs/coalition-us_backstop.xlsx")
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from .alternatives_search import alternatives_within, searched_alternatives
from .baseline import Baseline
from .data import Data
from .errors import InputError, Issue, UsageError
from .exit_codes import STATUS_CODES as EXIT_CODES
from .io.baseline_cells import said_with_baseline_file
from .io.baseline_given import checked_baseline
from .io.baseline_input import read_baseline as read_baseline_file
from .io.coerce import percent_text
from .io.data_check import given_data, seal
from .io.read import read_every_scenario
from .model.context import FORMULATIONS
from .result import Result
from .results.earlier_plan import better_plan_replaced, earlier_plan_kept
from .results.output_file import refuse_a_plan_changed_after_solving, write_output
from .signals import unguarded_stops
from .solve.baseline_cuts import keep_baseline_rotations
from .solve.options import SolveOptions, mistyped_arguments
from .solve.start import MipStart
from .solve_steps import (
    BACKENDS,
    build,
    explained,
    first_plan,
    read_plan,
    refuse_arguments,
    solved_and_held,
    stop_remembered,
    tabulate,
    timed_defaults,
    to_matrix,
)
from .wording import count

log = logging.getLogger("forcegen")

__all__ = [  # the API (the other names here are its own imports and helpers)
    "BACKENDS",
    "EXIT_CODES",
    "FORMULATIONS",
    "Result",
    "check",
    "check_data",
    "check_workbook",
    "price_caveats",
    "read",
    "read_baseline",
    "solve",
    "to_matrix",
    "with_baseline",
    "write",
]


def read(path: str | Path, scenario: str = "base", *, allow_timed: bool = True) -> Data:
    """Read and validate a workbook (with a scenario applied). With `allow_timed=False` a timed
    workbook raises `TimedWorkbook` (exit 2), for readers that only handle snapshots. A
    scenario the workbook does not define but a sweep generates (`withdraw_ITA`,
    `withdraw_ITA_after_2027-12`) is made as the sweep makes it, so that `solve -s` gives the
    sweep's output of it (and prices it, or finds its alternatives); a withdrawal that cannot
    be made says why (`UsageError`)."""
    from .io.generated import read_scenario

    wrong = mistyped_arguments(scenario=scenario)
    if not isinstance(path, str | Path):  # pathlib's own TypeError named no argument
        wrong.insert(0, f"path must be a workbook's path, got {type(path).__name__}")
    if wrong:
        raise UsageError("; ".join(wrong))
    return read_scenario(Path(_home_expanded(path)), scenario, allow_timed=allow_timed)


def read_baseline(path: str | Path, data: Data) -> Baseline:
    """The baseline an earlier output gives (its `Allocation`, or a timed output's `Tours`,
    with an optional `lock` column), checked against `data`; its warnings are added to
    `data.warnings`. Raises `InputError` naming `file Sheet!Cell` for every bad cell."""
    return read_baseline_file(path, data)


def with_baseline(data: Data, baseline: str | Path | Baseline) -> Data:
    """A copy of `data` re-planned against `baseline` (a path: `read_baseline`; a `Baseline`,
    perhaps edited, checked and copied: io/baseline_given.py), which replaces the workbook's
    Baseline sheet."""
    data = replace(data, warnings=list(data.warnings))
    if isinstance(baseline, Baseline):  # perhaps edited with pandas: checked as a file's rows
        baseline = checked_baseline(baseline, data)
    else:
        baseline = read_baseline(baseline, data)
    if data.baseline is not None and data.baseline.file is None:
        locks = int(data.baseline.rows["lock"].sum())
        dropped = f", its {count(locks, 'locked row')} too" if locks else ""
        data.warnings.append(
            Issue(
                "Baseline",
                f"set aside for the baseline given ({baseline.file or 'the API'}){dropped}",
                "warning",
            )
        )
    data.baseline = baseline
    return data


def check(path: str | Path) -> list[str]:
    """Validate the base case and every scenario (timed workbooks too); returns every warning
    (base's, then each scenario's own), raises `InputError`."""
    return [str(w) for w in check_workbook(path)[1]]


def check_data(path: str | Path) -> Data:
    """Validate the base case and every scenario, reading the workbook once; returns the base
    case (its own warnings in `.warnings`), raises `InputError` with every scenario's errors
    (and every warning: base's hold whatever a scenario breaks)."""
    return check_workbook(path)[0]


def check_workbook(path: str | Path) -> tuple[Data, list[Issue]]:
    """`check_data`'s base case and every warning of the workbook: base's, then each
    scenario's own (labelled with its name; one that says what base says is not repeated)."""
    data, errors, scenario_warnings = read_every_scenario(Path(path))
    warnings = [*data.warnings, *scenario_warnings]
    if errors:
        raise InputError(errors, warnings)
    return data, warnings


def solve(
    source: str | Path | Data,
    *,
    scenario: str = "base",
    backend: str = "highs",
    time_limit: float | None = None,
    work_limit: float | None = None,
    mip_gap: float | str | None = None,
    threads: int | None = None,
    seed: int | None = None,
    highs_options: dict[str, Any] | None = None,
    solver_log: bool = False,
    explain: bool = True,
    start: MipStart | None = None,
    alternatives: int = 0,
    within: float | str | None = None,
    heuristic: bool = True,
    formulation: str = "textbook",
    hold: Callable[[], AbstractContextManager[Any]] | None = None,
    baseline: str | Path | Baseline | None = None,
    checkpoint: Callable[[], None] | None = None,
) -> Result:
    """Read (unless given `Data`), build, solve and tabulate. Never writes a file.

    `hold`: a context in which Ctrl-C and SIGTERM are only remembered (the CLI's): the plan is
    tabulated whatever arrives once HiGHS has returned (a stop between its return and the hold
    too), a stop that came then means no alternatives are searched (noted in the Summary), and
    a signal during the explanations (Gaps, Infeasibility) skips them, noted in the Summary,
    instead of losing the plan.

    `alternatives` K, `within` W: up to K other plans, as different as possible in presence,
    either as good at every stage (W = 0) or, with W > 0, as good at every stage before cost
    and costing at most (1 + W) times the plan (W = 0.05: within 5%). W None: the Settings
    sheet's `alternatives_within` (default 0).

    `baseline`: the plan to re-plan against (`replanning.md`), an earlier output's path
    (`read_baseline`) or a `Baseline`; it wins over the workbook's `Baseline` sheet.

    `explain` False: an infeasible workbook gets no Infeasibility explanation (its search for
    a conflict has a budget of its own); a plan's Gaps are explained all the same, since the
    output's Gaps and Sustainability sheets read them.

    `start`: a MIP start, units per option, (contributor, capability, site) -> units (in time
    also (c, k, s, period) -> units present and (c, k, s, period, "arrive") -> units arriving);
    keys the model does not have are warned about.

    `checkpoint`: called after reading, building, the heuristic and the tables; it raises a
    Ctrl-C or SIGTERM that arrived but was lost, or was remembered by `hold` (the CLI's
    `StopSignals.check`). Raised after the heuristic, the heuristic's plan is kept as the plan
    so far (status `interrupted`); after the tables, the alternatives are not searched.

    `source` a `Data` (from `read`): solved as it is; one edited with pandas since (a table
    sorted, filtered or changed) is checked again as its workbook is, and its problems raise
    `InputError` naming each table row and column (solver/io/data_check.py). Its scenario is
    the one it was read with (`scenario` may only repeat it).

    `time_limit`, `work_limit`, `mip_gap`, `threads`, `seed`: None takes the Settings sheet's
    (defaults 60 s, none, 1e-4, 0, 0); a `work_limit` of 0 is none, and then the time limit
    applies. With a work limit the plan does not depend on the machine (solve/clock.py).

    Ctrl-C during the solve (KeyboardInterrupt once HiGHS runs) ends it with the best plan so
    far: the Result's status is `interrupted` and nothing is raised, so that the plan is kept;
    one once HiGHS has returned keeps the plan and its status (no alternatives are then
    searched). Either way `Result.stopped` is True, and a loop of solves stops on it (`if
    result.stopped: break`). Before any plan exists (reading, building), KeyboardInterrupt is
    raised as usual. SIGTERM is the caller's to handle (the CLI takes it as a Ctrl-C; a
    caller that raises KeyboardInterrupt for it gets the same). A HiGHS run that does not
    stop within 10 s of it is left running (`outcome.abandoned`; the plan found before it is
    kept): the process then waits for it at exit, up to a minute (solve/threads.py).

    `mip_gap` and `within` may be given as the command line and the Settings sheet take them,
    `"1%"` as 0.01; a path `source` or `baseline` may start with `~` (the home folder)."""
    mip_gap, within = _share(mip_gap), _share(within)
    source, baseline = _home_expanded(source), _home_expanded(baseline)
    refuse_arguments(
        source,
        backend,
        formulation,
        scenario=scenario,
        time_limit=time_limit,
        work_limit=work_limit,
        mip_gap=mip_gap,
        threads=threads,
        seed=seed,
        alternatives=alternatives,
        within=within,
        start=start,
        baseline=baseline,
    )
    # the API's own signals where the caller brings none (the CLI's, a sweep worker's, a
    # handler of its own): a Ctrl-C once HiGHS has returned is remembered while the plan is
    # tabulated, not raised from inside pandas (an API trial lost its plan so)
    stops = unguarded_stops() if hold is None and checkpoint is None else None
    with stops if stops is not None else nullcontext():
        if stops is not None:
            hold, checkpoint = stops.held, stops.check
        threads, seed = (None if v is None else int(v) for v in (threads, seed))
        alternatives = int(alternatives)
        checkpoint = checkpoint or (lambda: None)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        data = _source_data(source, scenario, baseline)
        timings["read"] = time.perf_counter() - t0
        checkpoint()
        band = alternatives_within(data, within)
        options = SolveOptions.from_settings(
            data.settings,
            time_limit=time_limit,
            work_limit=work_limit,
            mip_gap=mip_gap,
            threads=threads,
            seed=seed,
            highs=timed_defaults(data) | dict(highs_options or {}),
            log=solver_log,
        )
        ctx, solver, pyomo_model = build(data, options, backend, formulation, timings)
        checkpoint()
        first = first_plan(ctx, solver, options, timings, start, heuristic, checkpoint)
        if first.unknown:
            data = replace(data, warnings=[*data.warnings, *first.unknown])  # not the caller's
        with ExitStack() as held:
            # the limit covers the whole solve: the heuristic's part (seconds, or work units with
            # a work limit: solve/clock.py) comes off HiGHS's share
            spent = solver.clock.now() - first.began
            outcome, late_stop = solved_and_held(
                solver, first.start, spent, first.plans, first.stopped, hold, held
            )
            outcome.heuristic = first.note
            timings["solve"] = outcome.seconds
            if data.timed and data.baseline is not None and outcome.x is not None:
                outcome.x = keep_baseline_rotations(ctx, solver, outcome.x)
            plan = read_plan(ctx, outcome.x) if data.timed else None
            tables = tabulate(data, ctx, outcome, options, backend, pyomo_model, timings, plan)
        # a stop remembered by the caller's hold while the plan was tabulated: the caller stops,
        # so no alternatives are searched (a search with a limit of its own); the plan is explained
        late_stop = late_stop or (outcome.status != "interrupted" and stop_remembered(checkpoint))
        if alternatives > 0:
            remade = partial(tabulate, data, ctx, outcome, options, backend, pyomo_model, timings)
            asked = (alternatives, band)
            tables, plan = searched_alternatives(
                ctx, solver, outcome, (tables, plan), asked, late_stop, remade, hold
            )
        conflict = explained(data, ctx, options, outcome, tables, timings, explain, hold)
        result = Result(data, ctx, outcome, options, backend, tables, timings, pyomo_model)
        result.conflict, result.plan = conflict, plan
        result.signalled = late_stop or (stops is not None and stops.stopped)
        return result


def _source_data(source: str | Path | Data, scenario: str, baseline: Any) -> Data:
    """The Data `solve` is given (checked again where edited: `given_data`) or reads, against
    `baseline` when one is given."""
    with said_with_baseline_file(baseline):
        data = given_data(source, scenario) if isinstance(source, Data) else read(source, scenario)
    return data if baseline is None else with_baseline(data, baseline)


def price_caveats(
    result: Result,
    progress: Callable[[int, int, str], None] | None = None,
    *,
    in_place: bool = True,
) -> pd.DataFrame:
    """Re-solve with each caveat lifted and each hard requirement softened (see explain.pricing);
    the table is also added to the result as the `CaveatPrices` sheet. `in_place` re-solves one
    switchable model loaded in HiGHS once; otherwise each lift is a fresh build and solve."""
    from .explain.pricing import NOT_PRICED, Lift, Repriced, pricing_note, repriced
    from .explain.pricing import price_caveats as price
    from .explain.pricing_inplace import InPlacePricer
    from .explain.pricing_remarks import remark_disagreements

    options = result.options
    if in_place:
        resolve = InPlacePricer(result.data, options).reprice
    else:

        def resolve(lift: Lift, start: dict | None) -> Repriced:
            again = solve(
                seal(lift.data),  # made from validated data: valid as it is
                backend="highs",
                time_limit=options.time_limit,
                work_limit=options.work_limit or None,
                mip_gap=options.mip_gap,
                threads=options.threads,
                seed=options.seed,
                explain=False,
                start=start,
            )
            return repriced(again)

    table = price(result, resolve, progress)
    result.pricing_stopped = bool((table["status"] == NOT_PRICED).any())
    result.tables.extra["CaveatPrices"] = table
    result.tables.caveats = remark_disagreements(result.tables.caveats, table, result.status)
    summary = [row for row in result.tables.summary if row[0] != "caveat_prices"]  # priced again
    result.tables.summary = [*summary, ("caveat_prices", pricing_note(table, result.status))]
    return table


def write(
    result: Result,
    output: str | Path,
    inputs: list[str | Path] | None = None,
    *,
    replace_better: bool = False,
) -> Path:
    """Write the output workbook (NAME.xlsx) atomically, as `forcegen solve -o` does: never
    over an input (`inputs`), a workbook forcegen did not write, or a plan edited by hand
    after solving; those raise `UsageError`. Nor, unless `replace_better`, over a plan of the
    same workbook, scenario and baseline when `result` has none, or was interrupted (or ran
    out of memory) with a worse one: `UsageError` says the earlier plan is kept (an API trial
    wrote a Ctrl-C'd plan over a longer run's better one, without a word). A finished run's
    worse plan replaces it as asked, with a `UserWarning` (results/earlier_plan.py)."""
    if not isinstance(result, Result):
        raise UsageError(f"write takes the Result of api.solve, got {type(result).__name__}")
    if not isinstance(output, str | Path):
        raise UsageError(f"output must be a path, got {type(output).__name__}")
    output = Path(_home_expanded(output))
    refuse_a_plan_changed_after_solving(result)
    if not replace_better and (kept := earlier_plan_kept(result, output)):
        raise UsageError(f"{_in_python(kept)}; or write(..., replace_better=True)")
    if not replace_better and (better := better_plan_replaced(result, output)):
        said = _in_python(better.removeprefix("warning: "))
        warnings.warn(said, UserWarning, stacklevel=2)
    return write_output(result, output, inputs or [])


def _share(value: float | str | None) -> float | None:
    """`"1%"` as 0.01 (`coerce.percent_text`); any other value as it is, for
    `refuse_arguments` to judge (a text that is no share is refused there)."""
    return percent_text(value)  # a text that is no share is left for the check


def _home_expanded(path: Any) -> Any:
    """A path typed with `~` as the shell would read it (`~/plans/a.xlsx`); anything else as
    it is. Python leaves `~` alone, so `write(r, "~/a.xlsx")` made a folder named `~` in the
    current one (an API trial)."""
    if isinstance(path, str | Path) and str(path).startswith("~"):
        return Path(path).expanduser()
    return path


def _in_python(said: str) -> str:
    """`solve -o`'s words for an API caller: another path, not another `-o` (a review)."""
    return said.replace("give another -o", "write to another path")
