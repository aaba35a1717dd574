"""Shared machinery for caveats that bound a weighted total of the matching units."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, ValueRule, rows_of, value_of


class TotalLimit(CaveatKind):
    """sum over matching x of weight * x  <= value (`sense` "max") or >= value ("min")."""

    sense: str = "max"
    value_rule = ValueRule()

    def weights(self, ctx: BuildContext, positions: np.ndarray) -> np.ndarray:
        return np.ones(len(positions))

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        assert ctx.x is not None
        ub = ctx.x["ub"].to_numpy(dtype=float)
        for row in rows_of(rows):
            positions = ctx.match_x(row)
            weights = self.weights(ctx, positions)
            value = value_of(row)
            reach = float((weights * ub[positions]).sum())
            if self.sense == "max" and reach <= value:
                ctx.notes.setdefault(
                    row["id"], "cannot be reached by the options left: no row needed"
                )
                continue
            ctx.lm.add_rows(
                f"caveat.{row['id']}",
                [(row["id"],)],
                np.zeros(len(positions), dtype=np.int64),
                ctx.x["col"].to_numpy()[positions],
                weights,
                value if self.sense == "min" else -np.inf,
                value if self.sense == "max" else np.inf,
                origin=f"caveat {row['id']}",
                kind=self.kind,
            )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        """min: exactly at the commitment. max: a further matching unit that could fill a gap
        (short requirement, spare pledge) does not fit under the limit, or nothing fits at all."""
        assert ctx.x is not None
        out = {}
        for row in rows_of(rows):
            positions = ctx.match_x(row)
            weights = self.weights(ctx, positions)
            total = sol.total(positions, weights)
            value = value_of(row)
            if not len(positions):
                out[row["id"]] = False
            elif self.sense == "min":
                out[row["id"]] = total <= value + 1e-9
            else:
                slack = value - total
                usable = sol.usable(positions)
                blocked = bool((weights[usable] > slack + 1e-9).any())
                positive = weights[weights > 0]
                out[row["id"]] = blocked or (len(positive) > 0 and slack < positive.min() - 1e-9)
        return out
