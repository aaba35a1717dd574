"""The Result of `api.solve`: the validated input, the model's index sets, the solver's
outcome and the output's tables, with the status and exit code `forcegen solve` gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .data import Data
from .exit_codes import EXIT_INTERNAL
from .exit_codes import STATUS_CODES as EXIT_CODES
from .explain.conflict import Conflict
from .model.context import BuildContext
from .results.tables import Tables
from .solve.options import SolveOptions
from .solve.outcome import SolveOutcome
from .time_plan import TimedPlan


@dataclass(repr=False)
class Result:
    """A solved workbook: the data, the model's index sets, the solver outcome and the tables.

    The output workbook's sheets are `tables` (`results.tables.Tables`): `summary` (the
    Summary's (key, value) rows; also `Result.summary` as a dict), `allocation`, `coverage`,
    `contributors`, `caveats`, `matrix` (DataFrames with the sheets' columns, docs/workbook.md),
    `extra` (Gaps or Infeasibility, CaveatPrices, Alternatives, Asks and Changes when made) and,
    in time, `timed` (Tours, Sustainability, Burden; the Timeline is drawn when the workbook is
    written) and `periods`.
    `outcome.stages` holds each objective stage's value, bound, gap and status."""

    data: Data  # the validated input the model was built from
    ctx: BuildContext  # the model's index sets and rows (model/context.py)
    outcome: SolveOutcome  # status, the solution vector, the stages
    options: SolveOptions  # the settings the solve ran with
    backend: str  # "highs" or "pyomo"
    tables: Tables  # the output's sheets (above)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    pyomo_model: Any = None  # the Pyomo model with the solution loaded (backend "pyomo")
    conflict: Conflict | None = None  # why there is no plan, when infeasible
    plan: TimedPlan | None = None  # the tours, in a timed workbook with a plan
    signalled: bool = False  # a Ctrl-C or SIGTERM came while solving (`stopped`)
    # one came while its caveats were last priced (`api.price_caveats`: a later complete
    # pricing clears it; an API trial's loop stopped on a Result priced in full since)
    pricing_stopped: bool = False

    def __repr__(self) -> str:
        """One line (the dataclass's repr printed every table: 3.5 MB in a notebook cell)."""
        values = ", ".join(f"{k.removeprefix('objective.')}={v:g}" for k, v in self._valued())
        return (
            f"<Result {self.status} of {self.data.source_name or 'a Data'} scenario "
            f"{self.data.scenario!r}{': ' + values if values else ''}>"
        )

    def _valued(self) -> list[tuple[str, float]]:
        return [(k, float(v)) for k, v in self.stage_values.items() if v is not None]

    @property
    def stopped(self) -> bool:
        """Whether a Ctrl-C or SIGTERM came while it was solved (or its caveats priced): its
        status is `interrupted`, or the stop came once the plan was in hand (while it was
        tabulated, its alternatives searched, its caveats priced), which kept the plan and its
        status. A loop of solves stops on it (`if result.stopped: break`)."""
        return self.status == "interrupted" or self.signalled or self.pricing_stopped

    @property
    def status(self) -> str:
        """optimal, feasible (a limit stopped a stage), infeasible, no_solution, interrupted."""
        return self.outcome.status

    @property
    def exit_code(self) -> int:
        """The exit code `forcegen solve` gives for this status."""
        if self.status in ("optimal", "feasible") and self.outcome.out_of_memory is not None:
            return EXIT_INTERNAL  # the plan so far is written, but the run failed: not a result
        return EXIT_CODES.get(self.status, 1)

    @property
    def summary(self) -> dict[str, Any]:
        """The Summary sheet as {key: value}."""
        return dict(self.tables.summary)

    @property
    def stage_values(self) -> dict[str, float | None]:
        """{`objective.<stage>`: value} in lexicographic order (None: no plan to value)."""
        return {k: v for k, v in self.tables.summary if k.startswith("objective.")}
