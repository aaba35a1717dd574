"""Shared machinery for caveats that bound a weighted total of the matching units.

    sum_{o in M(q)} w_o x_o  <= v_q      (sense "max": max_units, max_personnel)
    sum_{o in M(q)} w_o x_o  >= v_q      (sense "min": min_units)

    q        a caveat row;  M(q) the options it matches (its contributor, filters, and in a
             timed workbook one period t of its window: the units present at the same time,
             the row keyed by t too)
    w_o      the weight per unit: 1 (units) or the pledge's personnel per unit (personnel)
    v_q      the caveat's value

A max row is added only where it can bind: where reach(M) > v, with

    reach(M) = sum_p  max_{o in M(p)} w_o * min(n_p, sum_{o in M(p)} ub_o)

over the pledges p with options in M (a pledge's units go to one site or another, not to
each); a min row is always added."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.linear import caveat_origin
from .base import CaveatKind, SolutionView, ValueRule, by_period, rows_of, value_of, window

if TYPE_CHECKING:
    from ..results.change_caps import HeldUnder


class TotalLimit(CaveatKind):
    """sum over matching x of weight * x  <= value (`sense` "max") or >= value ("min")."""

    sense: str = "max"
    value_rule = ValueRule()

    def weights(self, ctx: BuildContext, positions: np.ndarray) -> np.ndarray:
        return np.ones(len(positions))

    def limited(self, ctx: BuildContext, row: pd.Series) -> list[tuple[int, np.ndarray]]:
        """The periods t of the caveat's window where it limits anything, with the matching x
        positions then: every one for a min; for a max, those where the matching options'
        `reach` exceeds the value (elsewhere no plan can break it, so it has no row there and
        never binds there)."""
        matched = dict(by_period(ctx, ctx.match_x(row)))
        value = value_of(row)
        out = []
        for t in window(ctx, row):
            here = matched.get(t, np.zeros(0, dtype=np.int64))
            if self.sense == "min" or self.reach(ctx, here) > value:
                out.append((t, here))
        return out

    def reach(self, ctx: BuildContext, positions: np.ndarray) -> float:
        """The most the options at `positions` (of one period) can total: per pledge p, its
        weight times the least of its units and its options' bounds,

            reach = sum_p  w_p * min(n_p, sum_{x in p} ub_x)

        (a pledge's units go to one site or another, not to each: a unit pledged once and
        wanted at two sites counts once)."""
        assert ctx.x is not None
        if not len(positions):
            return 0.0
        pledges, of = np.unique(ctx.x["pledge_idx"].to_numpy()[positions], return_inverse=True)
        weight = np.zeros(len(pledges))
        np.maximum.at(weight, of, self.weights(ctx, positions))
        return float((weight * most_units(ctx, pledges, positions)).sum())

    def unit_caps(
        self, ctx: BuildContext, rows: pd.DataFrame
    ) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """A max: the options it matches in its window, each at most floor(v / w) units alone
        (w: its weight per unit, 1 or the unit's people; a weight of 0 is not capped). A min
        caps nothing."""
        assert ctx.x is not None
        if self.sense != "max":
            return
        x_t = ctx.x["t"].to_numpy()
        for row in rows_of(rows):
            matched = ctx.match_x(row)
            here = matched[np.isin(x_t[matched], np.array(window(ctx, row)))]
            weight = self.weights(ctx, here)
            per_unit = np.where(weight > 0, weight, 1.0)
            caps = np.where(weight > 0, np.floor(value_of(row) / per_unit + 1e-9), np.inf)
            yield str(row["id"]), here, caps

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """One row per caveat and period of its window (a max row only where it can bind),
        then, after them all, whatever else the kind adds where each limits (`add_more`)."""
        assert ctx.x is not None
        added: list[tuple[pd.Series, list[tuple[int, np.ndarray]]]] = []
        for row in rows_of(rows):
            value = value_of(row)
            keys: list[tuple] = []
            periods: list[int] = []
            local: list[np.ndarray] = []
            positions: list[np.ndarray] = []
            limited = self.limited(ctx, row)
            for t, here in limited:
                local.append(np.full(len(here), len(keys), dtype=np.int64))
                positions.append(here)
                keys.append((row["id"],))
                periods.append(t)
            if not keys:
                ctx.notes.setdefault(row["id"], "the options left cannot exceed it: no row needed")
                continue
            at = np.concatenate(positions)
            ctx.lm.add_rows(
                f"caveat.{row['id']}",
                ctx.keyed(keys, np.array(periods, dtype=np.int64)),
                np.concatenate(local),
                ctx.x["col"].to_numpy()[at],
                self.weights(ctx, at),
                value if self.sense == "min" else -np.inf,
                value if self.sense == "max" else np.inf,
                origin=caveat_origin(row["id"]),
                kind=self.kind,
            )
            added.append((row, limited))
        for row, limited in added:
            self.add_more(ctx, row, limited)

    def add_more(
        self, ctx: BuildContext, row: pd.Series, limited: list[tuple[int, np.ndarray]]
    ) -> None:
        """Rows beyond the limit's own, in the periods where it has one (`limited`): none."""

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        """min: exactly at the commitment in some period. max: in some period where it limits
        anything (`limited`), a further matching unit that could fill a gap (short requirement,
        spare pledge) does not fit under the limit, or nothing fits at all."""
        assert ctx.x is not None
        out = {}
        for row in rows_of(rows):
            value = value_of(row)
            out[row["id"]] = any(
                self._binds_in(sol, here, value) for _, here in self.limited(ctx, row) if len(here)
            )
        return out

    def held_weight(self, held: HeldUnder, c: str, k: str) -> float:
        """The weight of one unit of c's k in the total (1: a unit; personnel per unit)."""
        return 1.0

    held_noun = "unit"

    def baseline_breach(self, row: dict, held: HeldUnder, c: str, k: str, s: str, t: int) -> str:
        """A max: what the baseline held of the matched options in t, weighted, is above the
        value, and (k, s) is one of them (a min never stops a unit from staying)."""
        if self.sense != "max" or c != row["contributor"] or not held.matches(row, k, s, t):
            return ""
        total = sum(n * self.held_weight(held, c, k2) for k2, _, n in held.matched(row, t))
        if total <= value_of(pd.Series(row)):
            return ""
        noun = (
            self.held_noun if self.held_noun == "personnel" or total == 1 else f"{self.held_noun}s"
        )
        return f"caps what the baseline held ({total:g} {noun})"

    def _binds_in(self, sol: SolutionView, positions: np.ndarray, value: float) -> bool:
        weights = self.weights(sol.ctx, positions)
        total = sol.total(positions, weights)
        if self.sense == "min":
            return total <= value + 1e-9
        slack = value - total
        usable = sol.usable(positions)
        blocked = bool((weights[usable] > slack + 1e-9).any())
        positive = weights[weights > 0]
        return blocked or (len(positive) > 0 and slack < positive.min() - 1e-9)


def most_units(ctx: BuildContext, pledges: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Per pledge p of `pledges` (sorted; every pledge of `positions` among them), the most
    units its options at `positions` (of one period) can have: min(n_p, sum_{x in p} ub_x)."""
    assert ctx.x is not None
    at = np.searchsorted(pledges, ctx.x["pledge_idx"].to_numpy()[positions])
    bounds = np.bincount(
        at, weights=ctx.x["ub"].to_numpy(dtype=float)[positions], minlength=len(pledges)
    )
    return np.minimum(ctx.data.pledges["units"].to_numpy(dtype=float)[pledges], bounds)
