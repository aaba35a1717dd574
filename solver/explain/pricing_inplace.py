"""Caveat pricing without rebuilding: one switchable model, loaded in HiGHS once.

The model is built in explain mode (every rule owns its rows, forbidden options are pinned to 0 by
a row of the caveat that forbids them). Lifting a caveat relaxes its rows' bounds; softening a hard
line drops its lower bound; the lexicographic stages are then solved again on the same HiGHS
instance from the base plan, and the bounds and holds are put back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import Data
from ..model.build import build_model
from ..model.context import BuildContext
from ..model.matrix import MatrixModel
from ..results.stages import allocated_per_requirement, stage_values
from ..results.tables import allocation_table
from ..solve.highs import LexicographicSolver
from ..solve.options import SolveOptions
from .pricing import Lift, Repriced
from .rules import rules_of


class InPlacePricer:
    """Re-solves of one model with some rules relaxed; returns stage values per lift."""

    def __init__(self, data: Data, options: SolveOptions) -> None:
        self.data = data
        self.ctx: BuildContext = build_model(data, explain=True)
        self.mm = MatrixModel.from_linear(self.ctx.lm)
        self.solver = LexicographicSolver(self.mm, options)
        self.caveat_rows: dict[str, np.ndarray] = {}
        for rule in rules_of(self.ctx):
            if rule.cls == "caveat":
                self.caveat_rows[rule.key[0]] = np.array(rule.rows, dtype=np.int64)
        self.requirement_row = self._requirement_rows()

    def _requirement_rows(self) -> dict[int, int]:
        """Requirement index -> its row (explain mode writes a row for every requirement)."""
        rq = self.data.requirements
        index = {
            (s, k): i for i, (s, k) in enumerate(zip(rq["site"], rq["capability"], strict=True))
        }
        out = {}
        for block in self.ctx.lm.row_blocks:
            if block.kind == "requirement":
                for local, key in enumerate(block.keys):
                    out[index[key]] = block.start + local
        return out

    def relaxations(self, caveat_ids: list[str], soften: list[int]) -> tuple[np.ndarray, ...]:
        """Rows and the bounds that lift the caveats and soften the requirement lines."""
        rows, lower, upper = [], [], []
        for cid in caveat_ids:
            r = self.caveat_rows.get(cid, np.zeros(0, dtype=np.int64))
            rows.append(r)
            lower.append(np.full(len(r), -np.inf))
            upper.append(np.full(len(r), np.inf))
        hard_by_others = self._hardened(exclude=set(caveat_ids))
        workbook_hard = self.data.requirements["hard"].to_numpy(dtype=bool)
        lines = set(soften)
        for cid in caveat_ids:  # a lifted no_weakening softens what only it made hard
            for i in self.ctx.hardened_by.get(cid, np.zeros(0, dtype=np.int64)).tolist():
                if not workbook_hard[i] and i not in hard_by_others:
                    lines.add(i)
        for i in sorted(lines):
            line_row = self.requirement_row[i]
            rows.append(np.array([line_row]))
            lower.append(np.array([-np.inf]))
            upper.append(np.array([self.mm.row_upper[line_row]]))
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        return np.concatenate(rows), np.concatenate(lower), np.concatenate(upper)

    def _hardened(self, exclude: set[str]) -> set[int]:
        out: set[int] = set()
        for cid, idx in self.ctx.hardened_by.items():
            if cid not in exclude:
                out.update(idx.tolist())
        return out

    def reprice(self, lift: Lift, start: dict | None) -> Repriced:
        """Solve again with the lift's caveats relaxed and its lines softened."""
        status, values, alloc = self.solve(lift.caveat_ids, lift.soften, start)
        allocated = pd.Series(
            allocated_per_requirement(lift.data, alloc),
            index=pd.MultiIndex.from_frame(lift.data.requirements[["site", "capability"]]),
        )
        return Repriced(status, values, allocated)

    def solve(
        self, caveat_ids: list[str], soften: list[int], start: dict | None
    ) -> tuple[str, dict[str, float], pd.DataFrame]:
        rows, lower, upper = self.relaxations(caveat_ids, soften)
        solver = self.solver
        solver.set_row_bounds(rows, lower, upper)
        try:
            outcome = solver.solve(self._start(start))
        finally:
            solver.set_row_bounds(rows, self.mm.row_lower[rows], self.mm.row_upper[rows])
            solver.reset()
        if solver.cancelled.is_set():
            # a Ctrl-C reached this re-solve: its stages (even one that finished) are not the
            # optimum without the rule, so they are no price
            outcome.status = "interrupted"
        if outcome.x is None or outcome.status == "interrupted":
            return outcome.status, {}, pd.DataFrame(columns=["site", "capability", "allocated"])
        assert self.ctx.x is not None
        alloc = allocation_table(self.ctx, outcome.x[self.ctx.x["col"].to_numpy()])
        data = self._data_without(caveat_ids, soften)
        values = stage_values(data, alloc)
        return outcome.status, values, alloc

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
        x = self.ctx.x
        assert x is not None
        keys = zip(x["contributor"], x["capability"], x["site"], strict=True)
        return x["col"].to_numpy(), np.array([units.get(k, 0) for k in keys], dtype=float)
