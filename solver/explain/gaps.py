"""Why is this requirement short? One row per (short line, contributor that pledged it).

Reasons are derived from the model's index sets and the solution, in the words planners use:
unavailable, excluded by a caveat, pledge exhausted (and where its units went), a cap reached, a
condition not met, the single-source line or the site taken, or no single rule (the lexicographic
order or a combination of rules keeps the unit elsewhere). Everything it looks up is indexed once,
so the table costs little even with thousands of short lines.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from ..caveats import SolutionView
from ..data import is_blank
from ..model.build import active_caveats
from ..model.context import BuildContext
from .rules import describe_caveat

COLUMNS = [
    "site",
    "capability",
    "priority",
    "required",
    "allocated",
    "shortfall",
    "contributor",
    "pledged",
    "spare",
    "reason",
]
MAX_LINES = 2_000  # short lines explained in full; the rest are listed with a pointer
FILTERS = ("capability", "category", "site", "zone", "country")


def gaps_table(ctx: BuildContext, xval: np.ndarray) -> pd.DataFrame:
    return _Gaps(ctx, np.round(xval)).table()


class _Gaps:
    def __init__(self, ctx: BuildContext, xval: np.ndarray) -> None:
        assert ctx.x is not None
        self.ctx, self.data, self.x = ctx, ctx.data, ctx.x
        self.sol = SolutionView(ctx, xval)
        self.xval = xval
        self.status = dict(
            zip(
                self.data.contributors["contributor"], self.data.contributors["status"], strict=True
            )
        )
        cand = ctx.cand
        self.cand_of = {
            (int(p), int(r)): i
            for i, (p, r) in enumerate(zip(cand["pledge_idx"], cand["req_idx"], strict=True))
        }
        self.x_of_cand = {int(c): i for i, c in enumerate(self.x["cand_pos"])}
        self.forbidders: dict[int, list[str]] = defaultdict(list)
        for cid, positions in sorted(ctx.forbidden_by.items()):
            for p in positions.tolist():
                self.forbidders[p].append(cid)
        self.caveats_of: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        self.not_with_on: dict[str, list[dict]] = defaultdict(list)  # other -> caveats naming it
        for kind, rows in active_caveats(self.data).items():
            for row in rows.to_dict("records"):
                self.caveats_of[row["contributor"]].append((kind, row))
                if kind == "not_with":
                    self.not_with_on[row["other"]].append(row)
        self._matched: dict[str, np.ndarray] = {}
        self._texts: dict[str, str] = {}
        sites = self.x["site"].to_numpy()
        used = xval > 0
        self.present = {
            (c, s) for c, s, u in zip(self.x["contributor"], sites, used, strict=True) if u
        }
        self.limits = dict(
            zip(self.data.sites["site"], self.data.sites["max_contributors"], strict=True)
        )

    # ---- lookups ------------------------------------------------------------------------------
    def matched(self, row: dict) -> np.ndarray:
        if row["id"] not in self._matched:
            self._matched[row["id"]] = self.ctx.match_x(pd.Series(row))
        return self._matched[row["id"]]

    def text(self, cid: str) -> str:
        if cid not in self._texts:
            self._texts[cid] = describe_caveat(self.data, cid)
        return self._texts[cid]

    def applies(self, row: dict, pos: int) -> bool:
        x = self.x
        for f in FILTERS:
            value = row.get(f)
            if not is_blank(value) and x[f].iat[pos] != value:
                return False
        return True

    # ---- the table ----------------------------------------------------------------------------
    def table(self) -> pd.DataFrame:
        rq = self.data.requirements
        short = np.flatnonzero(self.sol.shortfall > 0.5)
        order = np.lexsort((short, rq["priority"].to_numpy()[short]))
        short = short[order]
        pledges_by_cap = {k: g for k, g in self.data.pledges.groupby("capability", sort=False)}
        rows: list[dict] = []
        for n, i in enumerate(short):
            line = rq.iloc[i]
            base = {
                "site": line["site"],
                "capability": line["capability"],
                "priority": int(line["priority"]),
                "required": int(line["units"]),
                "allocated": int(line["units"] - self.sol.shortfall[i]),
                "shortfall": int(self.sol.shortfall[i]),
            }
            pledges = pledges_by_cap.get(line["capability"])
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
            if pledges is None or not len(pledges):
                rows.append(
                    {
                        **base,
                        "contributor": "-",
                        "pledged": 0,
                        "spare": 0,
                        "reason": f"nobody pledged {line['capability']}",
                    }
                )
                continue
            for p_idx, c, units in zip(
                pledges.index, pledges["contributor"], pledges["units"], strict=True
            ):
                rows.append(
                    {
                        **base,
                        "contributor": c,
                        "pledged": int(units),
                        "spare": int(max(self.sol.spare[p_idx], 0)),
                        "reason": self.reason(int(i), int(p_idx), c, int(units)),
                    }
                )
        return pd.DataFrame(rows, columns=COLUMNS)

    def reason(self, req: int, p_idx: int, c: str, units: int) -> str:
        if self.status.get(c) != "available":
            return "unavailable"
        if units == 0:
            return "pledged 0 units"
        cand = self.cand_of.get((p_idx, req))
        if cand is None:
            return "no allocation option"
        if cand in self.forbidders:
            return "kept out by " + "; ".join(self.text(b) for b in self.forbidders[cand])
        if self.sol.spare[p_idx] <= 0:
            return "pledge exhausted: " + self.where_units_went(p_idx)
        pos = self.x_of_cand[cand]
        reasons = self.caveat_limits(c, pos) + self.site_rules(c, pos, req)
        if reasons:
            return "; ".join(reasons)
        return (
            "not used although spare: no single rule blocks it — filling this line would cost "
            "a higher-priority line or break a combination of rules (see --price-caveats)"
        )

    def where_units_went(self, p_idx: int) -> str:
        mine = np.flatnonzero((self.x["pledge_idx"].to_numpy() == p_idx) & (self.xval > 0))
        parts = [
            f"{int(self.xval[p])} at {self.x['site'].iat[p]} (p{int(self.x['priority'].iat[p])})"
            for p in mine
        ]
        return ", ".join(parts) if parts else "no units left"

    def caveat_limits(self, c: str, pos: int) -> list[str]:
        out = [
            t
            for kind, row in self.caveats_of.get(c, [])
            if self.applies(row, pos) and (t := self.limit_text(kind, row, pos))
        ]
        site = self.x["site"].iat[pos]
        for row in self.not_with_on.get(c, []):  # another's not_with that keeps c away
            theirs = self.matched(row)
            at_site = theirs[self.x["site"].to_numpy()[theirs] == site]
            if self.xval[at_site].sum() > 0:
                out.append(f"{self.text(row['id'])}: {row['contributor']} is at {site}")
        return out

    def limit_text(self, kind: str, row: dict, pos: int) -> str | None:
        x, sol = self.x, self.sol
        value = None if is_blank(row.get("value")) else float(row["value"])
        name = self.text(row["id"])
        if kind == "max_units":
            total = sol.total(self.matched(row))
            return f"{name} reached ({total:g} units)" if total + 1 > value else None
        if kind == "max_personnel":
            m = self.matched(row)
            ppu = x["personnel_per_unit"].to_numpy(dtype=float)
            used = sol.total(m, ppu[m])
            if used + ppu[pos] > value:
                return f"{name} reached ({used:g} personnel; a unit here is {ppu[pos]:g})"
            return None
        if kind == "max_sites":
            m = self.matched(row)
            used = {x["site"].iat[p] for p in m if self.xval[p] > 0}
            if x["site"].iat[pos] not in used and len(used) >= value:
                return f"{name} reached ({', '.join(sorted(used))})"
            return None
        if kind == "requires" and row["other"] != row["contributor"]:
            other_units = sum(u for (cc, _), u in self._deployed().items() if cc == row["other"])
            return f"{name}: {row['other']} deploys nothing" if other_units == 0 else None
        if kind == "not_with" and (row["other"], x["site"].iat[pos]) in self.present:
            return f"{name}: {row['other']} is at {x['site'].iat[pos]}"
        if kind == "min_contingent" and self.xval[pos] == 0 and value and value > 1:
            room = min(sol.shortfall[x["req_idx"].iat[pos]], sol.spare[x["pledge_idx"].iat[pos]])
            if room < value:
                return f"{name}: at least {value:g} units or none, and only {room:g} fit"
        return None

    def _deployed(self) -> dict[tuple[str, str], float]:
        if not hasattr(self, "_dep"):
            dep: dict[tuple[str, str], float] = defaultdict(float)
            for c, s, v in zip(self.x["contributor"], self.x["site"], self.xval, strict=True):
                if v > 0:
                    dep[(c, s)] += v
            self._dep = dep
        return self._dep

    def site_rules(self, c: str, pos: int, req: int) -> list[str]:
        out = []
        line = self.data.requirements.iloc[req]
        site = self.x["site"].iat[pos]
        if bool(line["single_source"]):
            on_line = np.flatnonzero((self.x["req_idx"].to_numpy() == req) & (self.xval > 0))
            if len(on_line) and self.x["contributor"].iat[on_line[0]] != c:
                out.append(
                    f"single-source line already taken by {self.x['contributor'].iat[on_line[0]]}"
                )
        limit = self.limits.get(site)
        if not is_blank(limit):
            present = sorted({cc for cc, ss in self.present if ss == site})
            if c not in present and len(present) >= limit:
                out.append(
                    f"site contributor limit reached at {site} ({int(limit)}: {', '.join(present)})"
                )
        return out
