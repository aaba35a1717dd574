"""`not_with`: no site holds both a matching allocation of the contributor and any of `other`.

One row per site both could use (block `caveat.<id>`, key (id, s)):

    y[r,s] + z[o,s]  <=  1            for s in S(r) & S(o)

and, with a capability or category filter, the links of c's site indicators (block
`caveat.<id>.at`, one 0/1 column per site; block `caveat.<id>.at.upper`, one row per option):

    x[c,k,s] - ub[c,k,s] * y[r,s]  <=  0            for (k,s) in M(r), s in S(o)

    r         a `not_with` row of the Caveats sheet
    c         its contributor
    o         its `other` contributor (o = c: no effect)
    M(r)      the options (k, s) of c left in the model whose capability k matches the caveat's
              `capability` and `category` filters and whose site s matches its `site`, `zone` and
              `country` filters (a blank filter matches everything)
    S(r)      the sites of M(r)
    S(o)      the sites where o has an option left in the model
    x[c,k,s]  whole units of capability k that c sends to site s (column block `x`)
    ub[c,k,s] the bound of x[c,k,s]: min(units c pledged of k, units s requires of k)
    y[r,s]    0/1: c has matching units at s; without a capability or category filter, c's
              presence column z[c,s] itself (no new column or link)
    z[o,s]    0/1: o is present at s (block `present`, linked to o's units by the core rules)

No row when S(r) & S(o) is empty.

In time: per site and period both could use (key (id, s, period)):
y[r,s,t] + z[o,s,t] <= 1, z[o,s,t] being o's per-period presence column (block `present_t`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.linear import caveat_origin
from .base import CaveatKind, SolutionView, rows_of, site_indicators

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld
    from ..results.change_caps import HeldUnder


class NotWith(CaveatKind):
    kind = "not_with"
    relax_noun = "site"  # a site holding both
    summary = "no site holds both a matching allocation of c and any allocation of `other`"
    binding_rule = "yes when, at a site where both have options, one of the two is present and the other is not"
    in_time = (
        "per period: no site holds, in the same period, matching units of c and any unit of `other`"
    )
    needs_other = True
    draw_order = 208

    def shared_sites(
        self, ctx: BuildContext, row: pd.Series
    ) -> tuple[np.ndarray, list[tuple[str, int]]]:
        """c's matching positions at (site, period) pairs where `other` has an option too, and
        those pairs, sorted."""
        assert ctx.x is not None
        site, t = ctx.x["site"].to_numpy(), ctx.x["t"].to_numpy()
        positions = ctx.match_x(row)
        mine = list(zip(site[positions].tolist(), t[positions].tolist(), strict=True))
        theirs_at = ctx.x_of(row["other"])
        theirs = set(zip(site[theirs_at].tolist(), t[theirs_at].tolist(), strict=True))
        keep = np.array([pair in theirs for pair in mine], dtype=bool)
        return positions[keep], sorted(set(mine) & theirs)

    @staticmethod
    def _apart(ctx: BuildContext, row: pd.Series) -> str:
        """Why no row is needed: the two share no site option, or, in time, they share sites
        but never in one period (a trial: `share no site option` of two that both serve S1)."""
        assert ctx.x is not None
        site = ctx.x["site"].to_numpy()
        theirs = set(site[ctx.x_of(row["other"])].tolist())
        if ctx.timed and theirs & set(site[ctx.match_x(row)].tolist()):
            return "the two are never both possible at one site in the same period: no row needed"
        return "the two share no site option: no row needed"

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """One row per (site, period) both could use."""
        for row in rows_of(rows):
            if row["other"] == row["contributor"]:
                ctx.notes[row["id"]] = "not_with itself: no effect"
                continue
            positions, shared = self.shared_sites(ctx, row)
            if not shared:
                ctx.notes.setdefault(row["id"], self._apart(ctx, row))
                continue
            pairs, mine = site_indicators(ctx, row, positions)
            assert pairs == shared  # one row per shared (site, period): its two columns
            sites = np.array([s for s, _ in shared], dtype=object)
            periods = np.array([t for _, t in shared], dtype=np.int64)
            theirs = ctx.period_presence_cols(
                np.full(len(shared), row["other"], dtype=object), sites, periods
            )
            n = len(shared)
            ctx.lm.add_rows(
                f"caveat.{row['id']}",
                ctx.keyed([(row["id"], s) for s, _ in shared], periods),
                np.concatenate([np.arange(n), np.arange(n)]),
                np.concatenate([mine, theirs]),
                1.0,
                -np.inf,
                1.0,
                origin=caveat_origin(row["id"]),
                kind=self.kind,
            )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        """Yes when, at a site and period both could use, one of the two is present and the
        other is not."""
        assert ctx.x is not None
        out = {}
        site, t = ctx.x["site"].to_numpy(), ctx.x["t"].to_numpy()
        for row in rows_of(rows):
            if row["other"] == row["contributor"]:
                out[row["id"]] = False
                continue
            positions, shared = self.shared_sites(ctx, row)
            theirs = ctx.x_of(row["other"])
            hit = False
            for s, p in shared:
                a = sol.xval[positions[(site[positions] == s) & (t[positions] == p)]].sum() > 0
                b = sol.xval[theirs[(site[theirs] == s) & (t[theirs] == p)]].sum() > 0
                hit |= a != b
            out[row["id"]] = bool(hit)
        return out

    def baseline_breach(self, row: dict, held: HeldUnder, c: str, k: str, s: str, t: int) -> str:
        """The baseline held, at s in t, a matched unit of the contributor and any unit of its
        `other`, and both can still be there (each has an option at s in t): one of the two
        must go (said of the contributor's units and of the other's)."""
        me, other = row["contributor"], row["other"]
        if me == other or not (held.can_be_at(me, s, t) and held.can_be_at(other, s, t)):
            return ""
        if c == me and held.matches(row, k, s, t):
            there = held.units(other, None, s, t)
            return f"rules out what the baseline held: {other} at {s} too" if there else ""
        if c == other:
            mine = sum(n for _, site, n in held.matched(row, t) if site == s)
            return f"rules out what the baseline held: {me} at {s} too" if mine else ""
        return ""

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """`other` is already at this site (in the period of `pos`)."""
        site = gaps.site[pos]
        if gaps.present_then(row["other"], site, pos):
            return f"{gaps.text(row['id'])}: {row['other']} is at {site}"
        return None

    def gap_text_for_other(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """The caveat's contributor has matching units at this site, so `other` stays away (in
        the period of `pos`)."""
        sites = gaps.once(row, "sites", lambda: gaps.sites_used(gaps.matched_then(row, pos)), pos)
        site = gaps.site[pos]
        if site in sites:
            return f"{gaps.text(row['id'])}: {row['contributor']} is at {site}"
        return None

    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """Another contributor that shares no witness site with c's matching allocations."""
        w = world.witness
        other = world.codes[rng.integers(len(world.codes))]
        f = world.random_filter(rng, c) if rng.random() < 0.3 else {}
        if other == c or not world.known(f):
            return None
        if {s for _, s, _ in w.matching(c, f)} & w.sites_of(other):
            return None
        return f, {"other": other, "note": "not under the same roof"}
