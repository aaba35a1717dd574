"""`max_personnel`: matching personnel (units x the contributor's unit size) at most `value`.

One row per caveat r (block `caveat.<id>`, key (id,)):

    sum_{(k,s) in M(r)} p[c,k] * x[c,k,s]  <=  v

    r         a `max_personnel` row of the Caveats sheet
    c         its contributor
    v         its `value` (a number >= 0, people; a fraction read down)
    M(r)      the options (k, s) of c left in the model whose capability k matches the caveat's
              `capability` and `category` filters and whose site s matches its `site`, `zone` and
              `country` filters (a blank filter matches everything)
    x[c,k,s]  whole units of capability k that c sends to site s (column block `x`)
    p[c,k]    people per unit of c's pledge of k (the pledge's `personnel_per_unit`, else the
              capability's)
    ub[c,k,s] the bound of x[c,k,s]: min(units c pledged of k, units s requires of k)
    n[c,k]    the units c pledged of k

No row when sum_k p[c,k] * min(n[c,k], sum_{s: (k,s) in M(r)} ub[c,k,s]) <= v: the options
left cannot exceed the cap (a pledge's units go to one site or another: counted once).

Where there is a row, the rows of the hull of its whole points follow (block `caveat.<id>.hull`,
key (id, j)), one per row j of `knapsack_hull.hull_rows` (model/knapsack_hull.py):

    sum_k a[j,k] * sum_{s: (k,s) in M(r)} x[c,k,s]  <=  b[j]

    a[j,k], b[j]  whole; every whole plan under the cap keeps them (they only raise the
                  relaxation's bound), computed once per caveat from p[c,k] and the bound
                  U[c,k] = min(units c pledged of k, sum_s ub[c,k,s] in any one period)

They are cuts: the solver holds them back until the cost stage (`from_stage`), so the
shortfall stages' relaxations, faces and budgets are those without them; from the cost stage on
they tighten its relaxation
(docs/performance.md, "Personnel caps' hull rows from the cost stage"). They belong to the
caveat (origin `caveat <id>`): lifting it lifts them. A model built to explain a conflict has
none (`build_model`'s `cuts`).

In time: one row per period t of the caveat's window (key (id, period)): the personnel
present at the same time, sum p[c,k] x[c,k,s,t] <= v; and the hull's rows in each such period
(key (id, j, period)), on x[c,k,s,t].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.knapsack_hull import hull_rows
from ..model.linear import caveat_origin
from ..model.portable import dot
from .base import ValueRule, value_of
from .limits import TotalLimit, most_units

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld
    from ..results.change_caps import HeldUnder


class MaxPersonnel(TotalLimit):
    kind = "max_personnel"
    relax_noun = "person"
    summary = "the matching personnel of c (units x c's unit size) total at most `value`"
    binding_rule = (
        "yes when a matching unit that could fill a gap (short requirement, spare pledge) no "
        "longer fits under the cap, or not even the smallest matching unit fits, in a period "
        "where the options left could exceed it"
    )
    in_time = (
        "per period: the matching personnel present at the same time total at most `value` (a "
        "mandate caps the simultaneous force)"
    )
    sense = "max"
    value_rule = ValueRule(noun="people", examples=(0, 10, 50, 100, 200, 400))
    draw_order = 205

    def weights(self, ctx: BuildContext, positions: np.ndarray) -> np.ndarray:
        assert ctx.x is not None
        return ctx.x["personnel_per_unit"].to_numpy(dtype=float)[positions]

    held_noun = "personnel"

    def held_weight(self, held: HeldUnder, c: str, k: str) -> float:
        return held.personnel(c, k)

    def add_more(
        self, ctx: BuildContext, row: pd.Series, periods: list[tuple[int, np.ndarray]]
    ) -> None:
        """The hull rows of one caveat, where the model has cuts (`build_model`), in each
        period where it has its own row, on X[c,k] = the matching units of c's pledge of k
        present then."""
        assert ctx.x is not None
        if not ctx.cuts or not periods:
            return
        pledge_of = ctx.x["pledge_idx"].to_numpy()
        every = np.concatenate([here for _, here in periods])
        pledges, first = np.unique(pledge_of[every], return_index=True)
        most = [most_units(ctx, pledges, here) for _, here in periods]
        bounds = np.floor(np.max(most, axis=0) + 1e-9).astype(np.int64)
        facets = hull_rows(self.weights(ctx, every[first]), bounds, value_of(row))
        if not facets:
            return
        keys: list[tuple] = []
        ts: list[int] = []
        local: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        upper: list[float] = []
        xcol = ctx.x["col"].to_numpy()
        for (t, here), most_then in zip(periods, most, strict=True):
            at = np.searchsorted(pledges, pledge_of[here])
            for j, (a, b) in enumerate(facets):
                if dot(a.astype(float), most_then) <= b:
                    continue  # nothing present then can reach it (or nothing it counts is)
                used = a[at] > 0
                local.append(np.full(int(used.sum()), len(keys), dtype=np.int64))
                cols.append(xcol[here[used]])
                vals.append(a[at][used].astype(float))
                keys.append((row["id"], j + 1))
                ts.append(t)
                upper.append(float(b))
        if not keys:
            return
        ctx.lm.add_rows(
            f"caveat.{row['id']}.hull",
            ctx.keyed(keys, np.array(ts, dtype=np.int64)),
            np.concatenate(local),
            np.concatenate(cols),
            np.concatenate(vals),
            -np.inf,
            np.array(upper),
            origin=caveat_origin(row["id"]),
            kind=self.kind,
            from_stage="cost",
        )

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """One more unit of this option would exceed the cap (in the period of `pos`: a cap on
        the personnel present at the same time): `reached` when the personnel deployed equal
        the cap, else the unit that does not fit under it."""
        ppu = gaps.ppu
        m = gaps.matched_then(row, pos)
        used = gaps.once(row, "personnel", lambda: gaps.sol.total(m, ppu[m]), pos)
        cap = float(row["value"])
        if used + ppu[pos] <= cap:
            return None
        if used >= cap:
            return f"{gaps.text(row['id'])} reached ({used:g} of {cap:g} personnel deployed)"
        return (
            f"{gaps.text(row['id'])}: {used:g} of {cap:g} personnel deployed, and a unit here "
            f"({ppu[pos]:g}) would exceed it"
        )

    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """A cap of 30-80% of c's pledged personnel, never below what the witness sends."""
        case, w = world.case, world.witness
        f = world.random_filter(rng, c) if rng.random() < 0.3 else {}
        if not world.known(f):
            return None
        total = sum(p["units"] * w.size[key] for key, p in case.pledges.items() if key[0] == c)
        floor = sum(u * w.size[(c, k)] for k, _, u in w.matching(c, f))
        cap = int(round(total * rng.uniform(0.3, 0.8), -1))
        return f, {"value": max(floor, cap), "note": "parliamentary mandate"}
