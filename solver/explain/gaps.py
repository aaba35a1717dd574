"""Why is this requirement short? One row per (short line, contributor that pledged it).

Reasons are derived from the model's index sets and the solution, in the words planners use:
unavailable, excluded by a caveat, pledge exhausted (and where its units went), a cap reached, a
condition not met, the single-source line or the site taken, or no single rule (the lexicographic
order or a combination of rules keeps the unit elsewhere).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..caveats import SolutionView
from ..data import is_blank
from ..model.build import active_caveats
from ..model.candidates import match_mask
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


def gaps_table(ctx: BuildContext, xval: np.ndarray) -> pd.DataFrame:
    data = ctx.data
    sol = SolutionView(ctx, np.round(xval))
    rq = data.requirements
    rows: list[dict] = []
    short = np.flatnonzero(sol.shortfall > 0.5)
    for i in short:
        line = rq.iloc[i]
        base = {
            "site": line["site"],
            "capability": line["capability"],
            "priority": int(line["priority"]),
            "required": int(line["units"]),
            "allocated": int(line["units"] - sol.shortfall[i]),
            "shortfall": int(sol.shortfall[i]),
        }
        pledges = data.pledges[data.pledges["capability"] == line["capability"]]
        if not len(pledges):
            rows.append(
                {
                    **base,
                    "contributor": "-",
                    "pledged": 0,
                    "spare": 0,
                    "reason": f"nobody pledged {line['capability']}",
                }
            )
        for p_idx, pledge in pledges.iterrows():
            reason = _reason(ctx, sol, int(i), int(p_idx), pledge)
            rows.append(
                {
                    **base,
                    "contributor": pledge["contributor"],
                    "pledged": int(pledge["units"]),
                    "spare": int(max(sol.spare[p_idx], 0)),
                    "reason": reason,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def _reason(ctx: BuildContext, sol: SolutionView, req: int, p_idx: int, pledge: pd.Series) -> str:
    data = ctx.data
    c = pledge["contributor"]
    status = data.contributors.set_index("contributor").at[c, "status"]
    if status != "available":
        return "unavailable"
    if pledge["units"] == 0:
        return "pledged 0 units"
    cand = ctx.cand
    here = np.flatnonzero(((cand["pledge_idx"] == p_idx) & (cand["req_idx"] == req)).to_numpy())
    if not len(here):
        return "no allocation option"
    blockers = [
        cid for cid, pos in sorted(ctx.forbidden_by.items()) if here[0] in set(pos.tolist())
    ]
    if blockers:
        return "kept out by " + "; ".join(describe_caveat(data, b) for b in blockers)
    if sol.spare[p_idx] <= 0:
        return "pledge exhausted: " + _where_units_went(ctx, sol, p_idx)
    x = ctx.x
    assert x is not None
    pos = int(np.flatnonzero((x["cand_pos"] == here[0]).to_numpy())[0])
    reasons = _caveat_limits(ctx, sol, pos) + _site_rules(ctx, sol, pos, req)
    if reasons:
        return "; ".join(reasons)
    return (
        "not used although spare: no single rule blocks it — filling this line would cost a "
        "higher-priority line or break a combination of rules (see --price-caveats)"
    )


def _where_units_went(ctx: BuildContext, sol: SolutionView, p_idx: int) -> str:
    x = ctx.x
    assert x is not None
    mine = np.flatnonzero((x["pledge_idx"] == p_idx).to_numpy() & (sol.xval > 0))
    parts = [
        f"{int(sol.xval[p])} at {x['site'].iloc[p]} (p{int(x['priority'].iloc[p])})" for p in mine
    ]
    return ", ".join(parts) if parts else "no units left"


def _caveat_limits(ctx: BuildContext, sol: SolutionView, pos: int) -> list[str]:
    """Caveats of the contributor that stop one more unit at this option."""
    x = ctx.x
    assert x is not None
    one = x.iloc[[pos]]
    c = one["contributor"].iloc[0]
    out = []
    for kind, rows in active_caveats(ctx.data).items():
        for _, row in rows.iterrows():
            applies = row["contributor"] == c and bool(match_mask(one, row)[0])
            text = _limit_text(ctx, sol, kind, row, pos) if applies else None
            if kind == "not_with" and row["other"] == c:
                text = _not_with_reverse(ctx, sol, row, pos)
            if text:
                out.append(text)
    return out


def _limit_text(ctx, sol, kind, row, pos) -> str | None:
    x = ctx.x
    matching = ctx.match_x(row)
    value = None if is_blank(row.get("value")) else float(row["value"])
    name = describe_caveat(ctx.data, row["id"])
    if kind == "max_units" and sol.total(matching) + 1 > value:
        return f"{name} reached ({sol.total(matching):g} units)"
    if kind == "max_personnel":
        ppu = x["personnel_per_unit"].to_numpy(dtype=float)
        used = sol.total(matching, ppu[matching])
        if used + ppu[pos] > value:
            return f"{name} reached ({used:g} personnel; a unit here is {ppu[pos]:g})"
    if kind == "max_sites":
        sites = x["site"].to_numpy()
        used = {sites[p] for p in matching if sol.xval[p] > 0}
        if sites[pos] not in used and len(used) >= value:
            return f"{name} reached ({', '.join(sorted(used))})"
    other_idle = kind == "requires" and sol.total(ctx.x_of(row["other"])) == 0
    if other_idle and row["other"] != row["contributor"]:
        return f"{name}: {row['other']} deploys nothing"
    if kind == "not_with":
        theirs = ctx.x_of(row["other"])
        at_site = theirs[x["site"].to_numpy()[theirs] == x["site"].iloc[pos]]
        if sol.total(at_site) > 0:
            return f"{name}: {row['other']} is at {x['site'].iloc[pos]}"
    if kind == "min_contingent" and sol.xval[pos] == 0 and value and value > 1:
        room = min(sol.shortfall[x["req_idx"].iloc[pos]], sol.spare[x["pledge_idx"].iloc[pos]])
        if room < value:
            return f"{name}: at least {value:g} units or none, and only {room:g} fit"
    return None


def _not_with_reverse(ctx, sol, row, pos) -> str | None:
    """A caveat of another contributor that keeps this one away from the site."""
    x = ctx.x
    site = x["site"].iloc[pos]
    theirs = ctx.match_x(row)
    at_site = theirs[x["site"].to_numpy()[theirs] == site]
    if sol.total(at_site) > 0:
        return f"{describe_caveat(ctx.data, row['id'])}: {row['contributor']} is at {site}"
    return None


def _site_rules(ctx: BuildContext, sol: SolutionView, pos: int, req: int) -> list[str]:
    data = ctx.data
    x = ctx.x
    assert x is not None
    out = []
    line = data.requirements.iloc[req]
    c, site = x["contributor"].iloc[pos], x["site"].iloc[pos]
    on_line = np.flatnonzero((x["req_idx"] == req).to_numpy() & (sol.xval > 0))
    if bool(line["single_source"]) and len(on_line):
        taker = x["contributor"].iloc[on_line[0]]
        if taker != c:
            out.append(f"single-source line already taken by {taker}")
    limit = data.sites.set_index("site").at[site, "max_contributors"]
    if not is_blank(limit):
        at_site = x[(x["site"] == site).to_numpy() & (sol.xval > 0)]
        present = set(at_site["contributor"])
        if c not in present and len(present) >= limit:
            out.append(
                f"site contributor limit reached at {site} ({int(limit)}: "
                f"{', '.join(sorted(present))})"
            )
    return out
