"""`max_units`: the matching units of the contributor total at most `value`.

One row per caveat r (block `caveat.<id>`, key (id,)):

    sum_{(k,s) in M(r)} x[c,k,s]  <=  v

    r         a `max_units` row of the Caveats sheet
    c         its contributor
    v         its `value` (a number >= 0; a fraction read down: 3.5 allows 3)
    M(r)      the options (k, s) of c left in the model whose capability k matches the caveat's
              `capability` and `category` filters and whose site s matches its `site`, `zone` and
              `country` filters (a blank filter matches everything)
    x[c,k,s]  whole units of capability k that c sends to site s (column block `x`)
    ub[c,k,s] the bound of x[c,k,s]: min(units c pledged of k, units s requires of k)
    n[c,k]    the units c pledged of k

No row when sum_k min(n[c,k], sum_{s: (k,s) in M(r)} ub[c,k,s]) <= v: the options left cannot
exceed the limit (a pledge's units go to one site or another: counted once, not per site).

In time: one row per period t of the caveat's window (key (id, period)): the units present
at the same time, sum_{(k,s) in M(r)} x[c,k,s,t] <= v (a mandate caps the simultaneous force).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..wording import count
from .limits import TotalLimit

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld


class MaxUnits(TotalLimit):
    kind = "max_units"
    summary = "the matching units of c total at most `value`"
    binding_rule = (
        "yes when the matching units reach the limit in a period where the options left could "
        "exceed it (a limit no plan can pass holds nothing back)"
    )
    in_time = (
        "per period: the matching units present at the same time total at most `value` (a "
        "mandate caps the simultaneous force)"
    )
    sense = "max"
    draw_order = 204

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """The limit is reached: one more matching unit would exceed it (in the period of
        `pos`: a cap on the units present at the same time)."""
        total = gaps.once(row, "units", lambda: gaps.sol.total(gaps.matched_then(row, pos)), pos)
        if total + 1 > float(row["value"]):
            return f"{gaps.text(row['id'])} reached ({count(total, 'unit')})"
        return None

    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """A cap of 30-80% of c's pledged units, never below what the witness sends."""
        case, w = world.case, world.witness
        f = world.random_filter(rng, c) if rng.random() < 0.4 else {}
        if not world.known(f):
            return None
        pledged = sum(p["units"] for (who, _), p in case.pledges.items() if who == c)
        floor = sum(u for _, _, u in w.matching(c, f))
        value = max(floor, 1, int(pledged * rng.uniform(0.3, 0.8)))
        return f, {"value": value, "note": "force cap"}
