"""`exclude`: the contributor sends nothing that matches (e.g. no ground troops in UKR).

Index-set rule (before the columns exist; no row):

    X  :=  X  minus  A(r)

    r         an `exclude` row of the Caveats sheet
    c         its contributor
    X         the allocation options (c,k,s) that get a column x[c,k,s]
    A(r)      the options of c whose capability k matches the caveat's `capability` and
              `category` filters and whose site s matches its `site`, `zone` and `country`
              filters (a blank filter matches everything)

With `explain`, the removed options keep their columns, pinned by one row of the caveat
(sum_{A(r)} x[c,k,s] <= 0, block `caveat.<id>.forbid`), so that a diagnosis can switch it off.

In time (`time.md`): A(r) also requires the period t to lie in the caveat's from..to, so
the options (c,k,s,t) go only in its window; the rule is per option and period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, rows_of

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld


class Exclude(CaveatKind):
    kind = "exclude"
    summary = "c sends nothing that matches the filters"
    binding_rule = (
        "yes when an option it removes, and no other caveat does, would fill a short requirement "
        "with a unit the contributor still has spare"
    )
    in_time = "as the filters say, in the caveat's periods: c sends nothing that matches then"
    draw_order = 201

    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        for row in rows_of(rows):
            ctx.forbid(row["id"], ctx.match_cand(row))

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        """Yes when an option it alone removes (`forbidden_alone`: no other caveat removes it
        too) would meet a short requirement with a spare unit."""
        return {r["id"]: sol.open_options(ctx.forbidden_alone(r["id"])) for r in rows_of(rows)}

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """None: the options it removes are explained as "kept out by" the caveat."""
        return None

    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """A random filter the witness does not use, else a site where c has no witness unit."""
        w = world.witness
        f = world.random_filter(rng, c)
        if not world.known(f) or w.matching(c, f):
            free = [s["site"] for s in world.case.sites if s["site"] not in w.sites_of(c)]
            if not free:
                return None
            f = {"site": free[rng.integers(len(free))]}
        return f, {"note": "national restriction"}
