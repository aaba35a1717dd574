"""`min_contingent`: each matching allocation is either 0 or at least `value` units.

Index-set rule (before the columns exist): an option that cannot reach v is removed,

    X  :=  X  minus  { (c,k,s) in A(r) : ub[c,k,s] < v }

and for v > 1, per option left (k,s) in M(r), a 0/1 column o[r,k,s] (block `caveat.<id>.on`)
and two rows (blocks `caveat.<id>.min` and `caveat.<id>.max`, key (c, k, s)):

    x[c,k,s] - v * o[r,k,s]          >=  0
    x[c,k,s] - ub[c,k,s] * o[r,k,s]  <=  0

    r         a `min_contingent` row of the Caveats sheet
    c         its contributor
    v         its `value` (a number >= 0; a fraction read up: 1.5 asks for 2)
    X         the allocation options (c,k,s) that get a column x[c,k,s]
    A(r)      the options of c (before any removal) whose capability k matches the caveat's
              `capability` and `category` filters and whose site s matches its `site`, `zone` and
              `country` filters (a blank filter matches everything)
    M(r)      the options of A(r) left in the model
    x[c,k,s]  whole units of capability k that c sends to site s (column block `x`)
    ub[c,k,s] the bound of x[c,k,s]: min(units c pledged of k, units s requires of k)
    o[r,k,s]  0/1: the option is used (then it holds at least v units)

For v <= 1 no row is needed: whole units are already 0 or >= 1.

With `explain`, ub[c,k,s] in the rows is the explain model's bound, which no rule sets
(pledged + required + the largest value + 1), so that a diagnosis can switch each rule off on its
own. Built to find a conflict (without cuts), no option is removed: an option whose pledge or
line is below v is held to 0 by these rows together with that pledge's or line's cap. Built to
price caveats (with cuts), the removed options keep their columns, pinned by one row of the
caveat (sum of the removed x[c,k,s] <= 0, block `caveat.<id>.forbid`).

In time: per option and period of the caveat's window: x[c,k,s,t] is 0 or >= v, with
o[r,k,s,t] keyed (c, k, s, period); ub[c,k,s,t] = min(pledged, required(s,k,t)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.linear import caveat_origin
from .base import CaveatKind, SolutionView, ValueRule, rows_of, value_of

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld
    from ..results.change_caps import HeldUnder


class MinContingent(CaveatKind):
    kind = "min_contingent"
    summary = "each matching allocation x[c,k,s] is either 0 or at least `value` (minimum viable contingent)"
    binding_rule = (
        "yes when an allocation sits exactly at the minimum, or an option too small to reach it "
        "would have filled a short requirement"
    )
    in_time = "per period: each matching x[c,k,s,t] is either 0 or at least `value`"
    value_rule = ValueRule(rounds="up")
    draw_order = 206

    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """An option whose bound is below the minimum can only be 0: it is not created at all.
        Not in a model built to find a conflict (explain without cuts): there the bound is
        min(pledged, required), two rules a conflict may need, and the rows below hold the
        option to 0 or v, so a conflict names the line's cap or the pledge it needs (an
        infeasibility trial: B's 2 units said `kept out by MC` at a line needing 1, a conflict
        that held without `requirement_limit`). A re-solve for caveat prices (explain with
        cuts) never lifts those caps, so the option is pinned there as usual: its LP bound stays
        tight (held by the rows alone, the relaxation of a review's case fell from 3 to 0)."""
        if ctx.explain and not ctx.cuts:
            return
        ub = ctx.cand["ub"].to_numpy()
        for row in rows_of(rows):
            ctx.forbid(row["id"], ctx.match_cand(row) & (ub < value_of(row)))

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        assert ctx.x is not None
        ub = ctx.x["ub"].to_numpy(dtype=float)
        xcols = ctx.x["col"].to_numpy()
        for row in rows_of(rows):
            value = value_of(row)
            positions = ctx.match_x(row)
            if value <= 1 or not len(positions):
                continue  # whole units are already 0 or >= 1
            keys = ctx.xkeys(positions)
            name = f"caveat.{row['id']}"
            on = ctx.lm.add_vars(
                f"{name}.on", keys, 0, 1, binary=True, origin=caveat_origin(row["id"])
            )
            n = len(positions)
            local = np.arange(n)
            # x >= value * on   and   x <= ub * on
            for suffix, lower, upper, coef in (
                ("min", 0.0, np.inf, -value),
                ("max", -np.inf, 0.0, None),
            ):
                on_coef = np.full(n, coef) if coef is not None else -ub[positions]
                ctx.lm.add_rows(
                    f"{name}.{suffix}",
                    keys,
                    np.concatenate([local, local]),
                    np.concatenate([xcols[positions], on]),
                    np.concatenate([np.ones(n), on_coef]),
                    lower,
                    upper,
                    origin=caveat_origin(row["id"]),
                    kind=self.kind,
                    link="forces" if suffix == "max" else "",
                )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        out = {}
        for row in rows_of(rows):
            at_min = bool((sol.xval[ctx.match_x(row)] == value_of(row)).any())
            removed = sol.open_options(ctx.forbidden_alone(row["id"]))
            out[row["id"]] = value_of(row) > 1 and (at_min or removed)
        return out

    def baseline_breach(self, row: dict, held: HeldUnder, c: str, k: str, s: str, t: int) -> str:
        """The baseline held fewer than `value` (but some) units at the matched option itself."""
        if c != row["contributor"] or not held.matches(row, k, s, t):
            return ""
        units = held.units(c, k, s, t)
        value = value_of(pd.Series(row))
        if not 0 < units < value:
            return ""
        return f"asks at least {value:g} units where the baseline held {units}"

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """An unused option where fewer than `value` units would fit (short line, spare pledge,
        in the period of `pos`)."""
        value = float(row["value"])
        if gaps.xval[pos] == 0 and value > 1:
            room = min(gaps.shortfall_then(pos), gaps.spare_then(pos))
            if room < value:
                return f"{gaps.text(row['id'])}: at least {value:g} units or none, and only {room:g} fit"
        return None

    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """A minimum of 2-3 units that every matching witness allocation already reaches."""
        f = world.random_filter(rng, c) if rng.random() < 0.5 else {}
        value = int(rng.integers(2, 4))
        if not world.known(f) or any(u < value for _, _, u in world.witness.matching(c, f)):
            return None
        return f, {"value": value, "note": "minimum viable contingent"}
