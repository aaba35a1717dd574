"""`min_units`: the matching units of the contributor total at least `value` (a firm commitment).

One row per caveat r (block `caveat.<id>`, key (id,)):

    sum_{(k,s) in M(r)} x[c,k,s]  >=  v

    r         a `min_units` row of the Caveats sheet
    c         its contributor
    v         its `value` (a number >= 0; a fraction read up: 2.5 asks for 3)
    M(r)      the options (k, s) of c left in the model whose capability k matches the caveat's
              `capability` and `category` filters and whose site s matches its `site`, `zone` and
              `country` filters (a blank filter matches everything)
    x[c,k,s]  whole units of capability k that c sends to site s (column block `x`)

The row is added even when M(r) is empty: then it reads 0 >= v, infeasible for v > 0, and the
infeasibility report names the caveat.

In time: one row per period t of the caveat's window (key (id, period)):
sum_{(k,s) in M(r)} x[c,k,s,t] >= v in each of those periods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .base import ValueRule
from .limits import TotalLimit

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.case import Filter
    from ..generate.draws import DrawWorld


class MinUnits(TotalLimit):
    kind = "min_units"
    summary = "the matching units of c total at least `value` (a firm commitment)"
    binding_rule = "yes when the matching units are exactly at the commitment (no more is deployed)"
    in_time = (
        "per period: at least `value` matching units present in each period of the caveat's window"
    )
    sense = "min"
    asks_for_units = True
    value_rule = ValueRule(rounds="up")
    witness_rule = True
    draw_order = 110
    matching_nothing = (
        "no unit can count towards this commitment: with a value above 0 the plan is infeasible"
    )

    def keeps_off(self, row: dict, selected: bool) -> bool:
        """An option it does not select: a commitment there takes the unit from elsewhere."""
        return not selected

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """None: a floor never keeps a unit out."""
        return None

    def holds_there(self, gaps: GapExplainer, row: dict, pos: int, line: int) -> str | None:
        """`committed: caveat C3` where the matching units then total exactly the commitment
        and the same pledge's option on `line` then is not matched: a unit moved from `pos`
        to the line would break it (a differential trial: a priority-1 line blamed on units
        at a priority-2 line, `pledge exhausted: 2 at S2 (p2)`, filled once the commitment
        was lifted)."""
        matched = gaps.matched_then(row, pos)
        total = gaps.once(row, "total", lambda: gaps.sol.total(matched), pos)
        if total > self.value_rule.read(float(row["value"])) + 1e-9:
            return None
        cand = gaps.cand_of.get((int(gaps.pledge_of[pos]), line, int(gaps.t[pos])))
        there = gaps.x_of_cand.get(cand, -1) if cand is not None else -1
        if (matched == there).any():
            return None  # the move keeps the commitment
        return f"committed: caveat {row['id']}"

    def place(self, rng: np.random.Generator, world: DrawWorld) -> None:
        """Firm commitments of about 5% of the contributors, each reachable: the witness sends
        the units first."""
        case, w = world.case, world.witness
        count = max(1, round(0.05 * len(case.contributors)))
        open_lines = [key for key in case.requirements]
        for i in rng.permutation(len(w.available)):
            c = w.available[i]
            options = [
                (k, s) for s, k in open_lines if w.line[(s, k)] > 0 and w.rem.get((c, k), 0) > 0
            ]
            f: Filter = {}
            if options:
                k, s = options[rng.integers(len(options))]
                w.add(c, k, s, int(min(w.rem[(c, k)], w.line[(s, k)], rng.integers(1, 4))))
                f = {"capability": k} if rng.random() < 0.5 else {}
            value = sum(u for _, _, u in w.matching(c, f))
            if not value:
                continue
            world.add(c, self.kind, f, value=value, note="firm commitment")
            count -= 1
            if not count:
                break
