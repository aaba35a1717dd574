"""Why is this requirement short? One row per (short line, contributor that pledged it).

A timed workbook's table (`gaps_time.py`) gives the reasons per period, the periods of one line,
contributor and reason merged into ranges; the lookups below are per period (a snapshot is one).

Reasons are derived from the model's index sets and the solution, in the words planners use:
unavailable, excluded by a caveat, pledge exhausted (and where its units went), a cap reached, a
condition not met, the single-source line or the site taken, or no single rule (the lexicographic
order or a combination of rules keeps the unit elsewhere). Everything it looks up is indexed once,
so the table costs little even with thousands of short lines.

What a caveat says is its kind's own: `CaveatKind.gap_text` (a caveat of the contributor) and
`gap_text_for_other` (a caveat naming the contributor in `other`), in `solver/caveats/<kind>.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..caveats import KINDS, CaveatKind, SolutionView, active_caveats
from ..data import is_blank
from ..io.output_schema import GAPS
from ..io.schema import CAVEAT_FILTERS
from ..model.context import BuildContext
from ..model.filters import selects
from ..wording import BESIDES, SPARE, shortened
from .gap_labels import held_there, locked_units, sites_held
from .gaps_time import Dwell, dwell_units, timed_table
from .rules import describe_caveat

COLUMNS = GAPS.names  # io/output_schema.py
MAX_LINES = 2_000  # short lines explained in full; the rest are listed with a pointer
# the places a pledge's units are named at, then `and N more`: a scale trial's reason listed
# every one, 23,834 characters repeated on 777 lines, and Excel's cell cut it at 32,767
PLACES_SHOWN = 6
FILTERS = CAVEAT_FILTERS


def gaps_table(ctx: BuildContext, xval: np.ndarray, aval: np.ndarray | None = None) -> pd.DataFrame:
    """The Gaps sheet of a solution: `xval` units per x position; `aval` the arrivals per x
    position of a timed model (they fix the tours, hence who is at home in dwell when)."""
    return GapExplainer(ctx, np.round(xval), aval).table()


class GapExplainer:
    """The Gaps table of one solution, and what the kinds' `gap_text` hooks may read:

    `sol` (the `SolutionView`: shortfall per requirement, spare per pledge), `xval` (units per x
    position), per x position `site`, `t` (period), `ppu` (personnel per unit), `req_of` and
    `pledge_of` (requirement and pledge row), and, all in the period of x position `pos`:
    `shortfall_then(pos)`, `spare_then(pos)`, `deployed_then(c, pos)`, `present_then(c, site,
    pos)`, `matched_then(row, pos)`; and `matched(row)`, `sites_used(positions)`,
    `once(row, what, compute, pos)` and `text(caveat_id)`. A snapshot is one period (t = 0).
    """

    def __init__(self, ctx: BuildContext, xval: np.ndarray, aval: np.ndarray | None = None) -> None:
        assert ctx.x is not None
        self.ctx, self.data, self.x = ctx, ctx.data, ctx.x
        self.sol = SolutionView(ctx, xval, aval)
        self.xval = xval
        self.t = self.x["t"].to_numpy()
        self.dwell: Dwell = {}
        # plain records of the pledges and the periods' lengths: read per (line, period, pledge)
        self.pledge_rows: list[dict] = self.data.pledges.to_dict("records")
        self.months = np.ones(1, dtype=np.int64)
        self.names: list[str] = []
        if ctx.timed:
            self.months = self.data.period_months
            self.names = self.data.period_names
            # the tours fix who is at home in dwell, and until when
            assert self.sol.plan is not None
            self.dwell = dwell_units(self.sol.plan)
        # plain arrays: a pandas lookup per (short line, pledge) was most of the table's cost
        self.col = {name: self.x[name].to_numpy() for name in (*FILTERS, "contributor", "priority")}
        self.site = self.col["site"]
        self.pledge_of = self.x["pledge_idx"].to_numpy()
        self.req_of = self.x["req_idx"].to_numpy()
        self.ub = self.x["ub"].to_numpy()
        self.ppu = self.x["personnel_per_unit"].to_numpy(dtype=float)
        self.status = dict(
            zip(
                self.data.contributors["contributor"], self.data.contributors["status"], strict=True
            )
        )
        cand = ctx.cand
        self.cand_of = {
            (int(p), int(r), int(t)): i
            for i, (p, r, t) in enumerate(
                zip(cand["pledge_idx"], cand["req_idx"], cand["t"], strict=True)
            )
        }
        self.x_of_cand = {int(c): i for i, c in enumerate(self.x["cand_pos"])}
        self.forbidders: dict[int, list[str]] = defaultdict(list)
        self._hard_because: np.ndarray | None = None  # why each line is hard, per period
        self._locks: dict[tuple[str, str, str, int], tuple[int, str]] | None = None
        for cid, positions in sorted(ctx.forbidden_by.items()):
            for p in positions.tolist():
                self.forbidders[p].append(cid)
        self.caveats_of: dict[str, list[tuple[CaveatKind, dict]]] = defaultdict(list)
        self.naming: dict[str, list[tuple[CaveatKind, dict]]] = defaultdict(list)  # by `other`
        self.by_id: dict[str, tuple[CaveatKind, dict]] = {}
        for kind, rows in active_caveats(self.data).items():
            for row in rows.to_dict("records"):
                self.caveats_of[row["contributor"]].append((KINDS[kind], row))
                self.by_id[str(row["id"])] = (KINDS[kind], row)
                if not is_blank(row.get("other")):
                    self.naming[row["other"]].append((KINDS[kind], row))
        self._matched: dict[str, np.ndarray] = {}
        self._texts: dict[str, str] = {}
        self._went: dict[tuple[int, int, int], str] = {}
        self._cached: dict[tuple[str, str, int], object] = {}
        used = np.flatnonzero(xval > 0)
        # (contributor, site, t) with units, and the contributors present per (site, t)
        self.present = {(self.col["contributor"][p], self.site[p], int(self.t[p])) for p in used}
        self.present_at: dict[tuple[str, int], list[str]] = defaultdict(list)
        for c, s, t in sorted(self.present):
            self.present_at[(s, t)].append(c)
        self.used_by_pledge: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.first_on_line: dict[tuple[int, int], str] = {}
        self.deployed: dict[tuple[str, int], float] = defaultdict(float)
        for p in used.tolist():
            t = int(self.t[p])
            self.used_by_pledge[(int(self.pledge_of[p]), t)].append(p)
            self.first_on_line.setdefault((int(self.req_of[p]), t), self.col["contributor"][p])
            self.deployed[(self.col["contributor"][p], t)] += xval[p]
        sites = self.data.sites
        self.limits: dict[str, float] = {  # sites with a contributor limit -> the limit
            site: limit
            for site, limit in zip(sites["site"], sites["max_contributors"], strict=True)
            if not is_blank(limit)
        }
        self.single_source = self.data.requirements["single_source"].to_numpy(dtype=bool)
        self.line_priority = self.data.requirements["priority"].to_numpy(dtype=np.int64)
        self._pledge_lines: dict[int, set[int]] | None = None  # see `pledge_lines`

    # ---- lookups ------------------------------------------------------------------------------
    def matched(self, row: dict) -> np.ndarray:
        if row["id"] not in self._matched:
            self._matched[row["id"]] = self.ctx.match_x(pd.Series(row))
        return self._matched[row["id"]]

    def matched_then(self, row: dict, pos: int) -> np.ndarray:
        """The x positions the caveat's filters match in the period of `pos`."""
        m = self.matched(row)
        return m if not self.ctx.timed else m[self.t[m] == self.t[pos]]

    def once(self, row: dict, what: str, compute: Callable[[], Any], pos: int | None = None) -> Any:
        """A per-caveat figure of the solution (its total, its sites), computed once (per period
        of `pos` when given)."""
        key = (row["id"], what, -1 if pos is None else int(self.t[pos]))
        if key not in self._cached:
            self._cached[key] = compute()
        return self._cached[key]

    def shortfall_then(self, pos: int) -> float:
        return float(self.sol.shortfall_t[self.req_of[pos], self.t[pos]])

    def spare_then(self, pos: int) -> float:
        return float(self.sol.spare_t[self.pledge_of[pos], self.t[pos]])

    def deployed_then(self, c: str, pos: int) -> float:
        """Units contributor c has present anywhere in the period of `pos`."""
        return self.deployed.get((c, int(self.t[pos])), 0.0)

    def present_then(self, c: str, site: str, pos: int) -> bool:
        """c has units at `site` in the period of `pos`."""
        return (c, site, int(self.t[pos])) in self.present

    def text(self, cid: str) -> str:
        if cid not in self._texts:
            self._texts[cid] = describe_caveat(self.data, cid)
        return self._texts[cid]

    def kept_text(self, cid: str, t: int) -> str:
        """`caveat C8 (DEU requires USA) (USA is unavailable)`: a caveat that removed an option
        in period t, with why where its kind says (`kept_out_why`)."""
        kind, row = self.by_id.get(cid, (None, None))
        why = kind.kept_out_why(self, row, t) if kind is not None and row is not None else ""
        return self.text(cid) + (f" ({why})" if why else "")

    def applies(self, row: dict, pos: int) -> bool:
        """The caveat's filters match x position `pos`, in a period of its window."""
        period = int(self.t[pos]) if self.ctx.timed else None
        return selects(row, lambda column: self.col[column][pos], period)

    # ---- the table ----------------------------------------------------------------------------
    def table(self) -> pd.DataFrame:
        if self.ctx.timed:
            return timed_table(self)
        rq = self.data.requirements
        short = np.flatnonzero(self.sol.shortfall > 0.5)
        order = np.lexsort((short, rq["priority"].to_numpy()[short]))
        short = short[order]
        pledges_by_cap = {
            k: list(zip(g.index, g["contributor"], g["units"], strict=True))
            for k, g in self.data.pledges.groupby("capability", sort=False)
        }
        lines = rq[["site", "capability", "priority", "units"]].to_numpy()
        rows: list[dict] = []
        for n, i in enumerate(short.tolist()):
            site, capability, priority, units = lines[i]
            base = {
                "site": site,
                "capability": capability,
                "priority": int(priority),
                "required": int(units),
                "allocated": int(units - self.sol.shortfall[i]),
                "shortfall": int(self.sol.shortfall[i]),
            }
            pledges = pledges_by_cap.get(capability)
            if n >= MAX_LINES:
                rows.append(
                    {
                        **base,
                        "contributor": "-",
                        "pledged": 0,
                        "spare": 0,
                        "reason": f"not explained: only the first {MAX_LINES:,} short lines "
                        "(by priority) are",
                    }
                )
                continue
            if not pledges:
                rows.append(
                    {
                        **base,
                        "contributor": "-",
                        "pledged": 0,
                        "spare": 0,
                        "reason": f"nobody pledged {capability}",
                    }
                )
                continue
            for p_idx, c, pledged in pledges:
                rows.append(
                    {
                        **base,
                        "contributor": c,
                        "pledged": int(pledged),
                        "spare": int(max(self.sol.spare[p_idx], 0)),
                        "reason": self.reason(i, int(p_idx), c, int(pledged)),
                    }
                )
        return pd.DataFrame(rows, columns=COLUMNS)

    def reason(self, req: int, p_idx: int, c: str, units: int) -> str:
        if self.status.get(c) != "available":
            return "unavailable"
        if units == 0:
            return "pledged 0 units"
        cand = self.cand_of.get((p_idx, req, 0))
        if cand is None:
            return "no allocation option"
        exhausted = self.sol.spare[p_idx] <= 0
        if cand in self.forbidders:
            kept = "kept out by " + "; ".join(self.kept_text(b, 0) for b in self.forbidders[cand])
            # lifting the caveat would free no unit: said, or a planner lifts it for nothing
            return (
                f"{kept}{BESIDES}pledge exhausted: {self.where_units_went(p_idx, 0, req)}"
                if exhausted
                else kept
            )
        if exhausted:
            return "pledge exhausted: " + self.where_units_went(p_idx, 0, req)
        return self.rules_at(self.x_of_cand[cand], c, req) or self.no_single_rule(req, p_idx)

    def no_single_rule(self, line: int, p_idx: int, later: str = "") -> str:
        """The fallback: a spare unit of pledge `p_idx` that no single rule keeps off the line
        would, in an optimal plan, cost what the objective puts first or as high, or break a
        combination of rules; only the costs that can exist for this line are said
        (`spare_costs`; `later`: what another period costs, explain/gaps_time.py)."""
        then = " then" if self.ctx.timed else ""
        rules = "break a combination of rules (see --price-caveats)"
        costs = self.spare_costs(line, p_idx, later)
        if not costs:
            return f"{SPARE} — filling this line{then} would {rules}"
        said = costs[0] if len(costs) == 1 else ", ".join(costs[:-1]) + " or " + costs[-1]
        return f"{SPARE} — filling this line{then} would cost {said}, or {rules}"

    def spare_costs(self, line: int, p_idx: int, later: str = "") -> list[str]:
        """What filling the line with a unit of pledge `p_idx` may cost, said only where it
        exists: a line of a more important priority, or another of the line's own priority
        (one stage weighs both), that the pledge's units can also fill (a priority-1 line has
        no line above it); in time, another period (a tour now, and its dwell after, count
        against the pledge then). A cost through other rules is the combination of rules."""
        priority = int(self.line_priority[line])
        others = [int(self.line_priority[r]) for r in self.pledge_lines(p_idx) if r != line]
        costs = []
        if any(q < priority for q in others):
            costs.append("a higher-priority line")
        if priority in others:
            costs.append("an equal-priority line")
        if len(self.names) > 1:
            dwell = int(self.pledge_rows[p_idx]["dwell_months"])
            after = f" (a tour is followed by {dwell} months of dwell)" if dwell else ""
            costs.append(f"another period ({later})" if later else f"another period{after}")
        return costs

    def pledge_lines(self, p_idx: int) -> set[int]:
        """The requirement lines the model lets pledge `p_idx` fill (its options, in any
        period), indexed on first use: most plans never need it."""
        if self._pledge_lines is None:
            self._pledge_lines = defaultdict(set)
            for p, r in zip(self.pledge_of.tolist(), self.req_of.tolist(), strict=True):
                self._pledge_lines[p].add(r)
        return self._pledge_lines.get(p_idx, set())

    def rules_at(self, pos: int, c: str, req: int) -> str:
        """What the caveats and the site's rules say about x position `pos` ('' if nothing)."""
        return "; ".join(self.caveat_limits(c, pos) + self.site_rules(c, pos, req))

    def where_units_went(self, p_idx: int, t: int = 0, line: int = -1) -> str:
        """`2 at S1 (p1), 1 at S2 (p2, hard: caveat C3)`: the pledge's units present in period
        t, with each line's priority and, where the line must be met in full then, why (a
        lower priority holding units is then no choice of the plan's); those on `line` itself
        `1 on this line already` (a planner trial read `1 at Rezekne (p1)` under Rezekne's own
        line as a unit serving elsewhere)."""
        if (p_idx, t, line) not in self._went:
            used = self.used_by_pledge.get((p_idx, t), [])
            here = [p for p in used if self.req_of[p] == line]  # first: never in `and N more`
            parts = [f"{int(self.xval[p])} on this line already" for p in here] + [
                f"{int(self.xval[p])} at {self.site[p]} ({self.line_label(p)}"
                f"{held_there(self, p, line)})"
                for p in used
                if self.req_of[p] != line
            ]
            said = shortened(parts, PLACES_SHOWN) if parts else "no units left"
            if len(parts) > PLACES_SHOWN + 1:
                said += " (where: the Allocation sheet)"
            self._went[(p_idx, t, line)] = said
        return self._went[(p_idx, t, line)]

    def line_label(self, pos: int) -> str:
        """`p2`, or `p2, hard: caveat C3` for a line hard in the period of x position `pos`;
        `p2, locked: Baseline!A2` where a baseline lock keeps its units there then (no choice of
        the plan's either), `p2, 1 locked: Baseline!A2` where it keeps fewer than are there."""
        if self._hard_because is None:
            self._hard_because = self.ctx.hard_because_matrix()
        label = f"p{int(self.col['priority'][pos])}"
        why = self._hard_because[self.req_of[pos], self.t[pos]]
        if why:
            label += f", hard: {why}"
        if self._locks is None:
            self._locks = locked_units(self.data.baseline)
        key = (self.col["contributor"][pos], self.col["capability"][pos], self.site[pos])
        lock = self._locks.get((*key, int(self.t[pos])))
        if lock is None:
            return label
        units, where = lock
        some = "" if units >= self.xval[pos] else f"{units} "
        return f"{label}, {some}locked: {where}"

    def caveat_limits(self, c: str, pos: int) -> list[str]:
        """What the caveats of c that match this option, then the caveats naming c, say."""
        out = [
            t
            for kind, row in self.caveats_of.get(c, [])
            if self.applies(row, pos) and (t := kind.gap_text(self, row, pos))
        ]
        for kind, row in self.naming.get(c, []):
            if self.ctx.timed and not row["from_t"] <= self.t[pos] <= row["to_t"]:
                continue
            if t := kind.gap_text_for_other(self, row, pos):
                out.append(t)
        return out

    def sites_used(self, positions: np.ndarray) -> set[str]:
        """The sites of these x positions that hold units."""
        return set(self.site[positions[self.xval[positions] > 0]].tolist())

    def sites_held(self, positions: np.ndarray) -> str:
        """`Rzeszow (p3, hard: caveat C1), Tallinn` (`gap_labels.sites_held`)."""
        return sites_held(self, positions)

    def site_rules(self, c: str, pos: int, req: int) -> list[str]:
        out = []
        site = self.site[pos]
        t = int(self.t[pos])
        if self.single_source[req]:
            first = self.first_on_line.get((req, t))
            if first is not None and first != c:
                out.append(f"single-source line already taken by {first}")
        limit = self.limits.get(site)
        if limit is not None:
            present = self.present_at.get((site, t), [])
            if c not in present and len(present) >= limit:
                out.append(
                    f"site contributor limit reached at {site} ({int(limit)}: {', '.join(present)})"
                )
        return out
