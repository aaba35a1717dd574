"""Caveat pricing without rebuilding: one switchable model, loaded in HiGHS once.

The model is built in explain mode (every rule owns its rows, forbidden options are pinned to 0 by
a row of the caveat that forbids them). Lifting a caveat relaxes its rows' bounds; softening a hard
line drops its lower bound; the lexicographic stages are then solved again on the same HiGHS
instance from the base plan, and the bounds and holds are put back.

In a timed workbook a line has one requirement row per period (key (site, capability, period))
and a caveat rows only in its window: a (line, period) row loses its lower bound exactly where it
was hard and no rule left in force keeps it hard (the workbook's `hard` unless softened, a
`no_weakening` not lifted, in that caveat's window).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import Data
from ..model.build import build_model
from ..model.context import BuildContext
from ..model.matrix import MatrixModel
from ..model.stage_names import SETTLED
from ..results.stages import allocated_per_requirement, stage_values
from ..results.tables import allocation_table
from ..solve.groups import set_polish_groups
from ..solve.highs import LexicographicSolver
from ..solve.options import SolveOptions
from ..solve.start import start_columns
from .pricing import ABANDONED, Lift, Repriced
from .pricing_time import allocated_in_time, stage_values_in_time

# a Ctrl-C in a re-solve ends the pricing (pricing.price_caveats); the plan was solved before
STOPS_PRICING = "ending the caveat prices (the plan is kept; the rules not priced say so)"


class InPlacePricer:
    """Re-solves of one model with some rules relaxed; returns stage values per lift."""

    def __init__(self, data: Data, options: SolveOptions) -> None:
        self.data = data
        # with the planner's cuts, so that its re-solves search as the base's did
        self.ctx: BuildContext = build_model(data, explain=True, cuts=True)
        self.mm = MatrixModel.from_linear(self.ctx.lm)
        # a timed model's later stages are polished one capability at a time, as in `solve`
        set_polish_groups(self.ctx, self.mm)
        self.solver = LexicographicSolver(self.mm, options)
        self.solver.on_interrupt = STOPS_PRICING
        self.caveat_rows = self._caveat_rows()
        self.requirement_rows = self._requirement_rows()

    def _caveat_rows(self) -> dict[str, np.ndarray]:
        """Caveat id -> the rows it owns (every period of its window; links are not its own)."""
        rows: dict[str, list[int]] = {}
        for block in self.ctx.lm.row_blocks:
            if block.link or block.kind == "presence" or block.kind == "requirement":
                continue
            if block.name in ("single_source", "max_contributors"):
                continue
            if cid := block.caveat_id:
                rows.setdefault(cid, []).extend(range(block.start, block.start + len(block.keys)))
        return {cid: np.array(r, dtype=np.int64) for cid, r in rows.items()}

    def _requirement_rows(self) -> np.ndarray:
        """(line, period, row) of every requirement row (explain mode writes one for every line
        and period; a snapshot is one period)."""
        rq = self.data.requirements
        line_of = {
            (s, k): i for i, (s, k) in enumerate(zip(rq["site"], rq["capability"], strict=True))
        }
        period_of = {}
        if self.data.periods is not None:
            period_of = {p: t for t, p in enumerate(self.data.periods["period"])}
        out = []
        for block in self.ctx.lm.row_blocks:
            if block.kind == "requirement":
                for local, key in enumerate(block.keys):
                    t = period_of[key[2]] if self.data.timed else 0
                    out.append((line_of[key[:2]], t, block.start + local))
        return np.array(out, dtype=np.int64).reshape(-1, 3)

    def relaxations(self, caveat_ids: list[str], soften: list[int]) -> tuple[np.ndarray, ...]:
        """Rows and the bounds that lift the caveats and soften the requirement lines."""
        rows, lower, upper = [], [], []
        for cid in caveat_ids:
            r = self.caveat_rows.get(cid, np.zeros(0, dtype=np.int64))
            rows.append(r)
            lower.append(np.full(len(r), -np.inf))
            upper.append(np.full(len(r), np.inf))
        line, t, row = self.requirement_rows.T
        was_hard = self.ctx.hard_matrix()[line, t]
        stays_hard = self._hard_without(set(caveat_ids), soften)[line, t]
        freed = row[was_hard & ~stays_hard]
        rows.append(freed)
        lower.append(np.full(len(freed), -np.inf))
        upper.append(self.mm.row_upper[freed])
        return np.concatenate(rows), np.concatenate(lower), np.concatenate(upper)

    def _hard_without(self, caveat_ids: set[str], soften: list[int]) -> np.ndarray:
        """hard[l, t] with the caveats lifted and the workbook's `hard` of `soften` dropped:
        what still makes each line hard in each period."""
        return self.ctx.hard_matrix(lifted=caveat_ids, softened=soften)

    def reprice(self, lift: Lift, start: dict | None) -> Repriced:
        """Solve again with the lift's caveats relaxed and its lines softened."""
        return self.solve(lift.caveat_ids, lift.soften, start)

    def solve(self, caveat_ids: list[str], soften: list[int], start: dict | None) -> Repriced:
        """Stage values and units per line (a timed plan's per line and period) of the plan
        with `caveat_ids` lifted and `soften` lines soft."""
        rows, lower, upper = self.relaxations(caveat_ids, soften)
        solver = self.solver
        solver.set_row_bounds(rows, lower, upper)
        try:
            outcome = solver.solve(self._start(start))
        finally:
            if not solver.abandoned:  # else HiGHS still runs on this instance: leave it be
                solver.set_row_bounds(rows, self.mm.row_lower[rows], self.mm.row_upper[rows])
                solver.reset()
        if solver.cancelled.is_set():  # Ctrl-C or SIGTERM (whether HiGHS then stopped or not)
            outcome.status = "interrupted"
        elif solver.abandoned:  # left running past its time limit: no other re-solve can run
            outcome.status = ABANDONED
        # either way its stages, even one that finished, are not the optimum without the rule,
        # so no price; and the pricing ends here
        assert self.ctx.x is not None
        x = None if outcome.status in ("interrupted", ABANDONED) else outcome.x
        xval = None if x is None else x[self.ctx.x["col"].to_numpy()]
        # a plan that keeps every row and bound with no rule lifted is a plan of the base too
        keeps = x is not None and self.mm.keeps_bounds(x)
        unproven = frozenset(s.name for s in outcome.stages if s.status not in SETTLED)
        if self.data.timed:
            if x is None or xval is None:
                return Repriced(outcome.status, {}, pd.Series(dtype=np.int64))
            values = stage_values_in_time(self.ctx, x)
            allocated = allocated_in_time(self.ctx, xval)
            return Repriced(outcome.status, values, allocated, keeps, unproven)
        data = self._data_without(caveat_ids, soften)
        alloc = allocation_table(self.ctx, xval)  # no plan: nothing allocated to any line
        allocated = pd.Series(
            allocated_per_requirement(data, alloc),
            index=pd.MultiIndex.from_frame(data.requirements[["site", "capability"]]),
        )
        values = {} if x is None else stage_values(data, alloc)
        return Repriced(outcome.status, values, allocated, keeps, unproven)

    def _data_without(self, caveat_ids: list[str], soften: list[int]) -> Data:
        import dataclasses

        rq = self.data.requirements
        if soften:
            rq = rq.copy()
            rq.loc[rq.index[soften], "hard"] = False
        cav = self.data.caveats
        return dataclasses.replace(
            self.data,
            requirements=rq,
            caveats=cav[~cav["id"].isin(caveat_ids)] if len(cav) else cav,
        )

    def _start(self, units: dict | None) -> tuple[np.ndarray, np.ndarray] | None:
        if not units:
            return None
        if self.data.timed:
            return start_columns(self.ctx, units)
        x = self.ctx.x
        assert x is not None
        keys = zip(x["contributor"], x["capability"], x["site"], strict=True)
        return x["col"].to_numpy(), np.array([units.get(k, 0) for k in keys], dtype=float)
