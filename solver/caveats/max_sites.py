"""`max_sites`: the sites where the contributor has matching allocations number at most `value`.

One row per caveat r whose options span more than v sites (block `caveat.<id>`, key (id,)):

    sum_{s in S(r)} y[r,s]  <=  v

and, with a capability or category filter, the links of its site indicators (block
`caveat.<id>.at`, one 0/1 column per site; block `caveat.<id>.at.upper`, one row per option):

    x[c,k,s] - ub[c,k,s] * y[r,s]  <=  0            for (k,s) in M(r)

    r         a `max_sites` row of the Caveats sheet
    c         its contributor
    v         its `value` (a whole number >= 0)
    M(r)      the options (k, s) of c left in the model whose capability k matches the caveat's
              `capability` and `category` filters and whose site s matches its `site`, `zone` and
              `country` filters (a blank filter matches everything)
    S(r)      the sites of M(r)
    x[c,k,s]  whole units of capability k that c sends to site s (column block `x`)
    ub[c,k,s] the bound of x[c,k,s]: min(units c pledged of k, units s requires of k)
    y[r,s]    0/1: c has matching units at s. Without a capability or category filter every
              option of c at s matches, so y[r,s] is c's presence column at s (block `present`,
              linked by the core rules) and no new column or link is added.

The "aggregated" formulation links per site instead: sum_k x[c,k,s] - (sum_k ub[c,k,s]) * y[r,s]
<= 0. No row when |S(r)| <= v.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import is_blank
from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, ValueRule, rows_of, value_of

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld


def site_indicators(ctx: BuildContext, row: pd.Series, positions: np.ndarray) -> np.ndarray:
    """A 0/1 column per site that is 1 when the caveat's matching allocations use the site.

    Without a capability filter every allocation of the contributor at a site matches, so the
    site's presence variable serves and no new binary is needed.
    """
    assert ctx.x is not None
    sites = ctx.x["site"].to_numpy()[positions]
    if is_blank(row.get("capability")) and is_blank(row.get("category")):
        unique = np.array(sorted(set(sites)), dtype=object)
        return ctx.presence_cols(np.full(len(unique), row["contributor"], dtype=object), unique)
    keys = [(row["contributor"], s) for s in sorted(set(sites))]
    order = {k[1]: i for i, k in enumerate(keys)}
    group = np.array([order[s] for s in sites], dtype=np.int64)
    return ctx.indicators(
        f"caveat.{row['id']}.at",
        group,
        positions,
        keys=keys,
        origin=f"caveat {row['id']}",
        kind="site_use",
    )


class MaxSites(CaveatKind):
    kind = "max_sites"
    summary = "the sites where c has matching allocations number at most `value`"
    binding_rule = "yes when the contributor's matching allocations use exactly `value` sites"
    value_rule = ValueRule()
    draw_order = 207

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        assert ctx.x is not None
        for row in rows_of(rows):
            positions = ctx.match_x(row)
            n_sites = len(set(ctx.x["site"].to_numpy()[positions]))
            if n_sites <= value_of(row):
                ctx.notes.setdefault(
                    row["id"], "fewer matching sites than the limit: no row needed"
                )
                continue
            cols = site_indicators(ctx, row, positions)
            ctx.lm.add_rows(
                f"caveat.{row['id']}",
                [(row["id"],)],
                np.zeros(len(cols), dtype=np.int64),
                cols,
                1.0,
                -np.inf,
                value_of(row),
                origin=f"caveat {row['id']}",
                kind=self.kind,
            )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        assert ctx.x is not None
        out = {}
        for row in rows_of(rows):
            positions = ctx.match_x(row)
            used = {
                s
                for s, v in zip(
                    ctx.x["site"].to_numpy()[positions], sol.xval[positions], strict=True
                )
                if v > 0
            }
            n_options = len(set(ctx.x["site"].to_numpy()[positions]))
            out[row["id"]] = n_options > value_of(row) and len(used) >= value_of(row)
        return out

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """The contributor is already at `value` other sites with matching units."""
        used = gaps.once(row, "sites", lambda: gaps.sites_used(gaps.matched(row)))
        if gaps.site[pos] not in used and len(used) >= float(row["value"]):
            return f"{gaps.text(row['id'])} reached ({', '.join(sorted(used))})"
        return None

    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """A limit of 1-4 sites, never below the sites the witness uses."""
        f = world.random_filter(rng, c) if rng.random() < 0.3 else {}
        if not world.known(f):
            return None
        used = len({s for _, s, _ in world.witness.matching(c, f)})
        return f, {"value": max(used, int(rng.integers(1, 5))), "note": "span of command"}
