"""`max_sites`: the sites where the contributor has matching allocations number at most `value`.

One row per caveat r whose options span more than v sites (block `caveat.<id>`, key (id,)):

    sum_{s in S(r)} y[r,s]  <=  v

and, with a capability or category filter, the links of its site indicators (block
`caveat.<id>.at`, one 0/1 column per site; block `caveat.<id>.at.upper`, one row per option):

    x[c,k,s] - ub[c,k,s] * y[r,s]  <=  0            for (k,s) in M(r)

    r         a `max_sites` row of the Caveats sheet
    c         its contributor
    v         its `value` (a number >= 0; a fraction read down: 2.5 allows 2)
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

In time: per period t of the caveat's window (key (id, period)): sum_s y[r,s,t] <= v, with
y[r,s,t] keyed (c, s, period), or c's per-period presence column present_t[c,s,t] without a
capability filter: the sites at the same time, so a contributor may move between sites.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.linear import caveat_origin
from .base import (
    CaveatKind,
    SolutionView,
    ValueRule,
    by_period,
    rows_of,
    site_indicators,
    value_of,
)

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld
    from ..results.change_caps import HeldUnder


class MaxSites(CaveatKind):
    kind = "max_sites"
    relax_noun = "site"
    summary = "the sites where c has matching allocations number at most `value`"
    binding_rule = (
        "yes when the contributor's matching allocations use `value` sites (in some period) "
        "where its options span more"
    )
    in_time = "per period: c's matching units are at no more than `value` sites at the same time"
    value_rule = ValueRule(noun="sites")
    draw_order = 207

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """One row per caveat and period in which its options span more than v sites."""
        assert ctx.x is not None
        site = ctx.x["site"].to_numpy()
        for row in rows_of(rows):
            over = [
                (t, here)
                for t, here in by_period(ctx, ctx.match_x(row))
                if len(set(site[here])) > value_of(row)
            ]
            if not over:
                ctx.notes.setdefault(
                    row["id"], "fewer matching sites than the limit: no row needed"
                )
                continue
            positions = np.concatenate([here for _, here in over])
            pairs, cols = site_indicators(ctx, row, positions)  # a column per (site, period)
            period = np.array([t for _, t in pairs], dtype=np.int64)
            rows_t = sorted({t for t, _ in over})
            local = np.searchsorted(np.array(rows_t), period)
            ctx.lm.add_rows(
                f"caveat.{row['id']}",
                ctx.keyed([(row["id"],)] * len(rows_t), np.array(rows_t, dtype=np.int64)),
                local,
                cols,
                1.0,
                -np.inf,
                value_of(row),
                origin=caveat_origin(row["id"]),
                kind=self.kind,
            )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        """Yes when, in some period where its options span more than `value` sites, the
        contributor's matching allocations use exactly `value` (or more) sites."""
        assert ctx.x is not None
        site = ctx.x["site"].to_numpy()
        out = {}
        for row in rows_of(rows):
            out[row["id"]] = any(
                len(set(site[here])) > value_of(row)
                and len(set(site[here[sol.xval[here] > 0]])) >= value_of(row)
                for _, here in by_period(ctx, ctx.match_x(row))
            )
        return out

    def baseline_breach(self, row: dict, held: HeldUnder, c: str, k: str, s: str, t: int) -> str:
        """The baseline held matched units at more than `value` sites in t, s among them."""
        if c != row["contributor"] or not held.matches(row, k, s, t):
            return ""
        sites = {site for _, site, n in held.matched(row, t) if n > 0}
        if len(sites) <= value_of(pd.Series(row)):
            return ""
        return f"caps what the baseline held ({len(sites)} site{'' if len(sites) == 1 else 's'})"

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """The contributor is already at `value` other sites with matching units (in the period
        of `pos`), named with why a hard or locked line there holds them (`sites_held`)."""
        used = gaps.once(row, "sites", lambda: gaps.sites_used(gaps.matched_then(row, pos)), pos)
        if gaps.site[pos] not in used and len(used) >= float(row["value"]):
            held = gaps.once(row, "held", lambda: gaps.sites_held(gaps.matched_then(row, pos)), pos)
            return f"{gaps.text(row['id'])} reached ({held})"
        return None

    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """A limit of 1-4 sites, never below the sites the witness uses."""
        f = world.random_filter(rng, c) if rng.random() < 0.3 else {}
        if not world.known(f):
            return None
        used = len({s for _, s, _ in world.witness.matching(c, f)})
        return f, {"value": max(used, int(rng.integers(1, 5))), "note": "span of command"}
