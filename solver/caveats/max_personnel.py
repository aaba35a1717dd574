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

In time: one row per period t of the caveat's window (key (id, period)): the personnel
present at the same time, sum p[c,k] x[c,k,s,t] <= v.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..model.context import BuildContext
from .base import ValueRule
from .limits import TotalLimit

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
    sense = "max"
    value_rule = ValueRule(noun="people")
    draw_order = 205

    def weights(self, ctx: BuildContext, positions: np.ndarray) -> np.ndarray:
        assert ctx.x is not None
        return ctx.x["personnel_per_unit"].to_numpy(dtype=float)[positions]

    held_noun = "personnel"

    def held_weight(self, held: HeldUnder, c: str, k: str) -> float:
        return held.personnel(c, k)

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
