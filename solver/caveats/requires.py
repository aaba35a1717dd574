"""`requires`: the contributor deploys anything (matching) only if `other` deploys at least one unit.

Index-set rule (before the columns exist), repeated until nothing changes (so that a chain A
requires B requires C collapses when C cannot deploy):

    X  :=  X  minus  A(r)        when o has no option left in X

Then one row per caveat r (block `caveat.<id>`, key (id,)), with one 0/1 column d[o] per `other`
(block `deploys.<o>`, key (o,)) and its link (block `deploys.<o>.lower`, key (o,)):

    sum_{(k,s) in M(r)} x[c,k,s]  -  B(r) * d[o]  <=  0
    d[o]  -  sum_{(k,s) in X(o)} x[o,k,s]         <=  0

    r         a `requires` row of the Caveats sheet
    c         its contributor
    o         its `other` contributor (o = c: no effect)
    X         the allocation options (c,k,s) that get a column x[c,k,s]
    X(o)      the options of o left in the model
    A(r)      the options of c whose capability k matches the caveat's `capability` and
              `category` filters and whose site s matches its `site`, `zone` and `country` filters
              (a blank filter matches everything)
    M(r)      the options of A(r) left in the model
    x[c,k,s]  whole units of capability k that c sends to site s (column block `x`)
    ub[c,k,s] the bound of x[c,k,s]: min(units c pledged of k, units s requires of k)
    B(r)      sum_{(k,s) in M(r)} ub[c,k,s], the smallest valid big-M
    d[o]      0/1: o deploys at least one unit

With `explain`, only an `other` with no option at all removes options (no fixed point), and the
removed options keep their columns, pinned by one row (block `caveat.<id>.forbid`).

In time: per period t, with d[o,t] (key (o, period)) and X(o,t) the options of o in t;
the row's key gains the period: sum_{(k,s) in M(r,t)} x[c,k,s,t] - B(r,t) d[o,t] <= 0 for every
t in the caveat's window where both have options; an `other` with no option in t removes c's
matching options of t.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import Data
from ..io.periods import spans
from ..model.context import BuildContext
from ..model.linear import caveat_origin
from .base import CaveatKind, SolutionView, by_period, rows_of

_NONE = np.zeros(0, dtype=np.int64)

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld


class Requires(CaveatKind):
    kind = "requires"
    summary = "c deploys (what matches) only if `other` deploys at least one unit"
    binding_rule = (
        "yes when `other` deploys nothing, so the contributor's matching options stay unused"
    )
    in_time = (
        "in each period, c has matching units present only if `other` has at least one unit "
        "present somewhere"
    )
    needs_other = True
    waits_for_other = True
    draw_order = 203

    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """Where `other` has no option left at all in a period, the matching options of that
        period go (to a fixed point, so that a chain A requires B requires C collapses when C
        cannot deploy)."""
        t = ctx.cand["t"].to_numpy()
        changed = True
        while changed:
            changed = False
            # explain mode keeps every rule switchable on its own: only an `other` with no
            # option at all forbids here; chains are left to the rows that model them
            keep = ctx.kept_mask() if not ctx.explain else np.ones(len(ctx.cand), dtype=bool)
            con = ctx.cand["contributor"].to_numpy()
            for row in rows_of(rows):
                if row["other"] == row["contributor"]:
                    continue
                busy = np.unique(t[keep & (con == row["other"])])
                # every matching option of a period in which `other` has no option left, also
                # those another caveat removed already: what this one forbids is known whole
                # (`BuildContext.forbidden_alone`: lifting another alone frees none of them)
                mask = ctx.match_cand(row) & ~np.isin(t, busy)
                if mask.any():
                    fresh = bool((mask & keep).any())
                    ctx.forbid(row["id"], mask)
                    changed = changed or (fresh and not ctx.explain)

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """One row per caveat and period where both have options; d[o] per period."""
        assert ctx.x is not None
        ub = ctx.x["ub"].to_numpy(dtype=float)
        xcols = ctx.x["col"].to_numpy()
        deploys: dict[tuple[str, int], int] = {}
        for row in rows_of(rows):
            if row["other"] == row["contributor"]:
                ctx.notes[row["id"]] = "requires itself: no effect"
                continue
            other = row["other"]
            theirs = dict(by_period(ctx, ctx.x_of(other)))
            for t, positions in by_period(ctx, ctx.match_x(row)):
                if t not in theirs:
                    continue  # other has no option then: `forbid` removed these (or pins them)
                if (other, t) not in deploys:
                    deploys[(other, t)] = int(
                        ctx.indicators(
                            f"deploys.{other}",
                            np.zeros(len(theirs[t]), dtype=np.int64),
                            theirs[t],
                            keys=ctx.keyed([(other,)], np.array([t])),
                            upper_link=False,
                            lower_link=True,
                            origin=caveat_origin(row["id"]),
                            kind=self.kind,
                        )[0]
                    )
                big_m = ub[positions].sum()
                ctx.lm.add_rows(
                    f"caveat.{row['id']}",
                    ctx.keyed([(row["id"],)], np.array([t])),
                    np.zeros(len(positions) + 1, dtype=np.int64),
                    np.concatenate([xcols[positions], [deploys[(other, t)]]]),
                    np.concatenate([np.ones(len(positions)), [-big_m]]),
                    -np.inf,
                    0.0,
                    origin=caveat_origin(row["id"]),
                    kind=self.kind,
                )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        """Yes when, in some period where c's matching options exist or were removed for it,
        `other` deploys nothing."""
        out = {}
        for row in rows_of(rows):
            if row["other"] == row["contributor"]:
                out[row["id"]] = False
                continue
            theirs = dict(by_period(ctx, ctx.x_of(row["other"])))
            idle = {t for t in range(ctx.n_periods) if sol.total(theirs.get(t, _NONE)) == 0}
            held = {t for t, _ in by_period(ctx, ctx.match_x(row))}
            held |= set(ctx.cand["t"].to_numpy()[ctx.forbidden(row["id"])].tolist())
            out[row["id"]] = bool(idle & held)
        return out

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """The condition is not met: `other` deploys nothing (in the period of `pos`: `then`,
        beside the Gaps row's periods; a trial read `B deploys nothing` of a B deployed in 8 of
        10 months as the whole horizon), and why where the data says (`explain.gaps_time`
        `absent_why`: unavailable, its mandate ended, not yet ready)."""
        if row["other"] != row["contributor"] and not gaps.deployed_then(row["other"], pos) > 0:
            then = " then" if gaps.ctx.timed else ""
            why = self.kept_out_why(gaps, row, int(gaps.t[pos]))
            said = f" ({why})" if why else ""
            return f"{gaps.text(row['id'])}: {row['other']} deploys nothing{then}{said}"
        return None

    def kept_out_why(self, gaps: GapExplainer, row: dict, t: int) -> str:
        """Why `other` is absent in period t, where the data says: the options `requires`
        removed are those of periods its other can deploy in nowhere (`absent_why`)."""
        from ..explain.gaps_time import absent_why

        return absent_why(gaps.data, str(row["other"]), t)

    def conflict_why(self, data: Data, row: pd.Series, periods: list[int]) -> str:
        """`: A can deploy nothing in P2 (why)` where `other` can have no unit anywhere in every
        period of the conflict within the caveat's window (`absent_why`): a trial's conflict of
        `B requires A` and B's `min_units` in P2 left out that A's 6-month tours cannot cover
        P2, 12 months long."""
        from ..explain.gaps_time import absent_why

        other = str(row["other"])
        if data.timed:
            periods = [t for t in periods if int(row["from_t"]) <= t <= int(row["to_t"])]
        whys = [absent_why(data, other, t) for t in periods]
        if not whys or not all(whys):
            return ""
        then = f" in {spans(data.period_names, periods)}" if data.timed else ""
        return f": {other} can deploy nothing{then} ({'; '.join(dict.fromkeys(whys))})"

    def gap_text_for_other(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """None: the condition restricts the contributor only; `other` is free to deploy."""
        return None

    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """Another available contributor that deploys in the witness (or any, if c does not)."""
        w = world.witness
        pool = [o for o in w.available if o != c and (w.deploys(o) or not w.deploys(c))]
        if not pool:
            return None
        return {}, {"other": pool[rng.integers(len(pool))], "note": "needs a backstop"}
