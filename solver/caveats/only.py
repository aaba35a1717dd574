"""`only`: the contributor sends only what matches at least one of its `only` rows.

Index-set rule (before the columns exist; no row), per contributor c with `only` rows R(c):

    X  :=  X  minus  ( X(c)  minus  union_{r in R(c)} A(r) )

    c         a contributor with at least one `only` row
    R(c)      c's `only` rows of the Caveats sheet
    X         the allocation options (c,k,s) that get a column x[c,k,s]
    X(c)      the options of c
    A(r)      the options of c whose capability k matches row r's `capability` and `category`
              filters and whose site s matches its `site`, `zone` and `country` filters (a blank
              filter matches everything)

Every row of R(c) is recorded as removing the same options. With `explain`, they keep their
columns, pinned by one row per caveat (sum x[c,k,s] <= 0, block `caveat.<id>.forbid`); the rows
of R(c) act together (`acting_together`): lifted and priced as one, one rule of a conflict.

In time: per period. In a period t where some `only` row of c applies (its from..to holds
t), c's options of that period must match one of the rows that apply then; in the other
periods c is unrestricted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, rows_of, window

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld


class Only(CaveatKind):
    kind = "only"
    summary = "c sends only what matches at least one of its `only` rows"
    binding_rule = (
        "yes when an option outside the contributor's `only` rows, and removed by no other "
        "caveat, would fill a short requirement with a unit it still has spare (all `only` rows "
        "of one contributor bind together)"
    )
    in_time = (
        "as the filters say, in the caveat's periods: in a period where none of c's `only` "
        "rows applies, c is unrestricted"
    )
    draw_order = 202
    matching_nothing = (
        "this `only` row allows nothing: unless another `only` row of the contributor matches, "
        "the contributor is sent nowhere"
    )

    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        for contributor, group in rows.groupby("contributor", sort=True):
            allowed = np.zeros(len(ctx.cand), dtype=bool)
            ruled = np.zeros(ctx.n_periods, dtype=bool)  # periods some `only` row applies in
            for row in rows_of(group):
                allowed |= ctx.match_cand(row)
                ruled[list(window(ctx, row))] = True
            mine = (ctx.cand["contributor"] == contributor).to_numpy()
            outside = mine & ruled[ctx.cand["t"].to_numpy()] & ~allowed
            for row in rows_of(group):
                ctx.forbid(row["id"], outside)

    def acting_together(self, rows: pd.DataFrame) -> list[list[str]]:
        """A contributor's `only` rows make one restriction (their union): without one row,
        the others still forbid what it forbade."""
        return [
            [str(i) for i in group["id"]] for _, group in rows.groupby("contributor", sort=False)
        ]

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        """Yes when an option its rows remove, and no other caveat does (`forbidden_alone`),
        would meet a short requirement with a spare unit."""
        out = {}
        for group in self.acting_together(rows):
            for cid in group:
                out[cid] = sol.open_options(ctx.forbidden_alone(cid, together=group))
        return out

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """None: the options it removes are explained as "kept out by" the caveat."""
        return None

    def keeps_off(self, row: dict, selected: bool) -> bool:
        """An option it does not select: the contributor may go nowhere else (its rows
        together, `acting_together`: an option one of them selects is open)."""
        return not selected

    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """One `only` row per contributor: a random filter covering every witness allocation of
        c, else the filter all of them share."""
        if world.has(c, self.kind):
            return None
        w = world.witness
        f = world.random_filter(rng, c)
        mine = w.matching(c, {})
        if not world.known(f) or len(w.matching(c, f)) != len(mine):
            f = w.common(c)
            if not f:
                return None
        return f, {"note": "mandate limited to"}
