"""Planner-level rules: groups of model rows that came from one line of the workbook."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from ..caveats import KINDS, caveat_groups, caveat_text
from ..data import Data
from ..errors import at_sheet
from ..io.schema import CAVEAT_FILTERS
from ..model.context import BuildContext
from ..model.forbidden import capped_to_none, capped_units
from ..model.matrix import MatrixModel
from .locked import describe_locked
from .rules_time import (
    caveat_in_time,
    closed_window,
    describe_line,
    describe_pledge,
    describe_site_rule,
    describe_tour,
    usable_pledge,
    window_text,
)

FILTERS = CAVEAT_FILTERS
# Rule classes in the order a deletion filter tries to drop them: a class tried earlier is dropped
# whenever a later one implies the same limit. Caveats go before pledges, so a caveat stays in an
# explanation only when the pledges alone would not make the plan impossible.
CLASS_ORDER = (
    "locked",  # first: a locked baseline row stays only when the conflict needs it
    "requirement_limit",  # a line's cap, a hard line's too (split_hard_lines)
    "max_contributors",
    "single_source",
    "caveat",
    "tour",
    "pledge",
    "hard",
)
# classes whose rows are per period in a timed workbook (their keys end with the period's name);
# a caveat's rows are where its kind writes them so (`rules_of`)
PERIODIC = ("requirement_limit", "hard", "pledge", "single_source", "max_contributors", "caveat")


@dataclass(frozen=True)
class Rule:
    """One rule of the workbook, with the model rows it owns. In a timed workbook the rules of
    PERIODIC classes are per period: `t` is its position and `key` ends with its name; `t` is
    -1 for a rule over the whole horizon (a pledge's tour length, a locked option, a caveat's
    rows not keyed by period such as the options it forbids, a snapshot)."""

    cls: str  # one of CLASS_ORDER
    key: tuple
    rows: tuple[int, ...]
    t: int = -1

    @property
    def base(self) -> tuple[str, tuple]:
        """The rule without its period: (class, key without the period's name)."""
        return self.cls, self.key[:-1] if self.t >= 0 else self.key


def rules_of(ctx: BuildContext) -> list[Rule]:
    """Group every switchable row by the workbook rule it expresses; links are not rules (nor
    are the arrival rows of a timed model, which only define the arrivals). A pledge's
    tour-length rows are one rule (class `tour`, key (contributor, capability)). A caveat's
    rows keyed by period (a `min_units` row per period of its window) are one rule per period,
    key (id, period), so that a conflict names the periods it needs; its other rows are one
    rule, key (id,). Caveats acting together (a contributor's `only` rows, `caveat_groups`)
    are one rule, keyed by the group's first id."""
    groups: dict[tuple[str, tuple, int], list[int]] = {}
    first_of = {cid: group[0] for cid, group in caveat_groups(ctx.data.caveats).items()}
    hard = ctx.hard_matrix()
    req_index = {
        (s, k): i
        for i, (s, k) in enumerate(
            zip(ctx.data.requirements["site"], ctx.data.requirements["capability"], strict=True)
        )
    }
    names = [] if ctx.data.periods is None else ctx.data.periods["period"].tolist()
    period_of = {name: t for t, name in enumerate(names)}
    for block in ctx.lm.row_blocks:
        if block.link or block.kind == "presence":
            continue
        for local, key in enumerate(block.keys):
            row = block.start + local
            t = period_of.get(key[-1], -1) if ctx.timed else -1
            if block.kind == "requirement":
                cls = "hard" if hard[req_index[key[:2]], max(t, 0)] else "requirement_limit"
                group = (cls, key, t)
            elif block.kind == "pledge":
                group = ("pledge", key, t)
            elif block.kind == "tour":
                group = ("tour", key[:2], -1)
            elif block.kind == "locked":  # one rule per locked option, all its periods
                group = ("locked", key[:3], -1)
            elif block.name in ("single_source", "max_contributors"):
                group = (block.name, key, t)
            elif block.caveat_id:
                cid = first_of.get(block.caveat_id, block.caveat_id)
                group = ("caveat", (cid, key[-1]), t) if t >= 0 else ("caveat", (cid,), -1)
            else:
                continue
            groups.setdefault(group, []).append(row)
    rules = [Rule(c, k, tuple(r), t) for (c, k, t), r in groups.items()]
    return _in_class_order(rules)


def _in_class_order(rules: list[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda r: (CLASS_ORDER.index(r.cls), str(r.base), r.t))


def split_hard_lines(mm: MatrixModel, rules: list[Rule]) -> tuple[MatrixModel, list[Rule]]:
    """A hard line's row says `sum = required`: its floor (the line is hard) and its cap (a
    line takes at most its requirement, hard or not) in one row. Each becomes a rule of its
    own, so that a conflict names only the one it needs: the row keeps the floor (rule
    `hard`), and a copy appended to the model holds the cap (rule `requirement_limit`, as on a
    line that is not hard). A conflict with the cap alone names the cap, which the planner can
    change, and does not tell them to soften a line that would gain nothing."""
    hard = [r for r in rules if r.cls == "hard"]
    rows = np.array([row for r in hard for row in r.rows], dtype=np.int64)
    if not len(rows):
        return mm, rules
    copies = (mm.n_rows + np.arange(len(rows))).tolist()
    caps, start = [], 0
    for rule in hard:
        end = start + len(rule.rows)
        caps.append(Rule("requirement_limit", rule.key, tuple(copies[start:end]), rule.t))
        start = end
    row_upper = np.concatenate([mm.row_upper, mm.row_upper[rows]])
    row_upper[rows] = np.inf
    split = replace(
        mm,
        a=sp.csr_array(sp.vstack([mm.a, mm.a[rows]], format="csr")),
        row_lower=np.concatenate([mm.row_lower, np.full(len(rows), -np.inf)]),
        row_upper=row_upper,
    )
    return split, _in_class_order(rules + caps)


def describe_caveat(data: Data, cid: str) -> str:
    """`caveat C1 (A max_units site=S1 2)`, in a timed workbook with its window when it is not
    the whole horizon (`caveat C1 (A max_units 2, P2..P3)`)."""
    row = data.caveats.set_index("id").loc[cid]
    return f"caveat {cid} ({caveat_text(row)}{window_text(data, row)})"


def _describe_caveat_rule(
    rule: Rule, ctx: BuildContext, short: bool, periods: list[int] | None, within: list[int] | None
) -> str:
    """A caveat's rule (its group's caveats acting together), in its periods, and within a
    conflict's periods what its kind says makes it bite (`CaveatKind.conflict_why`)."""
    data = ctx.data
    group = caveat_groups(data.caveats).get(rule.key[0], [rule.key[0]])
    text = "; ".join(describe_caveat(data, cid) for cid in group)
    text += caveat_in_time(ctx, rule, periods, short)
    if short or within is None:
        return text
    rows = data.caveats.set_index("id")
    kinds = [KINDS[str(rows.loc[cid, "caveat"])] for cid in group]
    return text + "".join(
        kind.conflict_why(data, rows.loc[cid], within)
        for kind, cid in zip(kinds, group, strict=True)
    )


def describe(
    rule: Rule,
    ctx: BuildContext,
    *,
    short: bool = False,
    periods: list[int] | None = None,
    acting: AbstractSet[str] | None = None,
    within: list[int] | None = None,
) -> str:
    """The rule in a planner's words, with the facts that make it bite (unless `short`); a
    per-period rule of a timed workbook over `periods` (default: its own). `acting`: the ids
    of the caveats in the conflict the rule is part of (a pledge is said to be kept out only
    by those: see `exclusions`); None: every caveat. `within`: the periods of the conflict the
    rule is part of, where a caveat's kind says why it bites (`CaveatKind.conflict_why`)."""
    data = ctx.data
    if rule.cls == "caveat":
        return _describe_caveat_rule(rule, ctx, short, periods, within)
    if rule.cls == "tour":
        return describe_tour(ctx, *rule.key)
    if rule.cls == "locked":
        return describe_locked(ctx, rule.key, short)
    if rule.t >= 0:
        return _describe_in_time(rule, ctx, periods or [rule.t], short, acting)
    if rule.cls in ("hard", "requirement_limit"):
        site, cap = rule.key
        rq = data.requirements
        line = rq[(rq["site"] == site) & (rq["capability"] == cap)].iloc[0]
        if rule.cls == "requirement_limit":
            return f"{site} needs only {line['units']} {cap} (no more can be allocated there)"
        if short:
            return f"{site} needs {line['units']} {cap} in full"
        why = _hard_because(ctx, site, cap)
        return (
            f"{site} needs {line['units']} {cap} in full (hard because of {why}); "
            f"{_suppliers(ctx, site, cap, acting)}"
        )
    if rule.cls == "pledge":
        c, cap = rule.key
        pl = data.pledges
        units = pl[(pl["contributor"] == c) & (pl["capability"] == cap)]["units"].iloc[0]
        return f"{c} pledges {units} {cap}"
    if rule.cls == "single_source":
        site, cap = rule.key
        return f"{site}/{cap} must come from a single contributor (single_source)"
    if rule.cls == "max_contributors":
        site = rule.key[0]
        limit = data.sites.set_index("site").at[site, "max_contributors"]
        return f"at most {int(limit)} contributors may be present at {site} (max_contributors)"
    return f"{rule.cls} {rule.key}"


def _describe_in_time(
    rule: Rule,
    ctx: BuildContext,
    periods: list[int],
    short: bool,
    acting: AbstractSet[str] | None = None,
) -> str:
    key = rule.base[1]
    if rule.cls in ("hard", "requirement_limit"):
        site, cap = key
        why = _hard_because(ctx, site, cap, periods)
        return describe_line(ctx, rule.cls, site, cap, periods, why, short, acting)
    if rule.cls == "pledge":
        return describe_pledge(ctx, key[0], key[1], periods)
    return describe_site_rule(ctx, rule.cls, key, periods)


def _hard_because(ctx: BuildContext, site: str, cap: str, periods: list[int] | None = None) -> str:
    """The workbook and/or the caveats that make the line hard (in one of `periods`)."""
    rq = ctx.data.requirements
    idx = int(np.flatnonzero(((rq["site"] == site) & (rq["capability"] == cap)).to_numpy())[0])
    at = str(rq["_at_hard"].iloc[idx]) if "_at_hard" in rq else ""
    source = (
        f"scenario '{ctx.data.scenario}', hard = yes at {at}"
        if at_sheet(at, "Scenarios")
        else "the workbook (hard = yes)"
    )
    why = [source] if bool(rq["hard"].iloc[idx]) else []
    for cid, req_idx in sorted(ctx.hardened_by.items()):
        first, last = ctx.hard_window.get(cid, (0, ctx.n_periods - 1))
        in_window = periods is None or any(first <= t <= last for t in periods)
        if idx in set(req_idx.tolist()) and in_window:
            why.append(describe_caveat(ctx.data, cid))
    return " and ".join(why) or "the workbook"


def _suppliers(
    ctx: BuildContext, site: str, cap: str, acting: AbstractSet[str] | None = None
) -> str:
    """Who pledges the capability, and who of them may serve the site."""
    data = ctx.data
    pl = data.pledges[(data.pledges["capability"] == cap) & (data.pledges["units"] > 0)]
    if not len(pl):
        return f"nobody pledges {cap}"
    excluded = exclusions(ctx, cap, [site], acting=acting)
    parts = [
        f"{c} {units}" + (f" ({excluded[c]})" if c in excluded else "")
        for c, units in zip(pl["contributor"], pl["units"], strict=True)
    ]
    return f"{cap} is pledged by " + ", ".join(parts)


def exclusions(
    ctx: BuildContext,
    cap: str,
    sites: list[str],
    periods: list[int] | None = None,
    acting: AbstractSet[str] | None = None,
) -> dict[str, str]:
    """Contributors pledging `cap` that cannot serve any of `sites` (in any of `periods`, in a
    timed workbook), and why: `unavailable`, or `kept out by C5, C8` (the caveats that forbid
    every one of their candidates there). With `acting` (the caveats of a conflict) only those
    keep a pledge out: a conflict found with C5 lifted holds without it, and `kept out by C5`
    there sent a planner to lift C5 for nothing (a trial)."""
    data = ctx.data
    pl = data.pledges[(data.pledges["capability"] == cap) & (data.pledges["units"] > 0)]
    avail = data.available
    ts = periods if periods is not None else [0]
    forbidden: dict[tuple[str, str, int], list[str]] = {}
    for cid, positions in sorted(_keeping_out(ctx).items()):
        if acting is not None and cid not in acting:
            continue
        sel = ctx.cand.iloc[positions]
        sel = sel[(sel["capability"] == cap) & sel["site"].isin(sites) & sel["t"].isin(ts)]
        for c, s, t in zip(sel["contributor"], sel["site"], sel["t"], strict=True):
            forbidden.setdefault((c, s, int(t)), []).append(cid)
    out: dict[str, str] = {}
    for c in pl["contributor"]:
        if c not in avail:
            out[c] = "unavailable"
        elif sites and all((c, s, t) in forbidden for s in sites for t in ts):
            ids = sorted({cid for s in sites for t in ts for cid in forbidden[(c, s, t)]})
            out[c] = f"kept out by {', '.join(ids)}"
    return out


def _keeping_out(ctx: BuildContext) -> dict[str, np.ndarray]:
    """{caveat id: the candidate positions it keeps out}: those it forbids, and those a cap lets
    hold no unit alone (`capped_units`: a `max_personnel` below one unit's people, a
    `max_units` of 0; a trial's usable list counted such a pledge)."""
    out = {cid: np.asarray(positions) for cid, positions in ctx.forbidden_by.items()}
    cap, capped = capped_units(ctx.data, ctx.cand)
    for p in np.flatnonzero(cap <= 0).tolist():
        for cid in capped_to_none(capped.get(p, [])):
            out[cid] = np.append(out.get(cid, np.zeros(0, dtype=np.int64)), p)
    return out


def pledge_limits(
    ctx: BuildContext,
    cap: str,
    rules: list[Rule],
    sites: list[str],
    periods: dict[Rule, list[int]] | None = None,
    acting: AbstractSet[str] | None = None,
) -> str:
    """The conflict's pledge rules of one capability, in words that stay true when others pledge
    it too: the pledges usable at the conflict's `sites` (each at most as pledged), then every
    other pledge of the capability and what keeps it out. In a timed workbook each pledge's
    rules are per period (`periods`: the periods of each rule): `A 1 in P3`, with what the
    units at home in dwell count.

    `the MP_PLT pledges usable here are limited to: POL 1 (ITA 3 is kept out by C5; MKD 1 is
    unavailable)`. A pledge of the conflict that a caveat outside it keeps out as well is said
    so (`ITA 1 (though C6 keeps it out)`): a conflict found with C6 lifted holds without it, but
    the planner must not count on ITA (a trial)."""
    pl = ctx.data.pledges
    pl = pl[(pl["capability"] == cap) & (pl["units"] > 0)]
    units = dict(zip(pl["contributor"], pl["units"], strict=True))
    usable = list(dict.fromkeys(r.key[0] for r in rules))
    if ctx.timed:
        when_of: dict[str, list[int]] = {}
        for r in rules:
            when_of.setdefault(r.key[0], []).extend((periods or {}).get(r, [r.t]))
        every = sorted({t for ts in when_of.values() for t in ts})
        too = _kept_out_too(exclusions(ctx, cap, sites, every), usable)
        listed = ", ".join(
            usable_pledge(ctx, c, cap, sorted(set(when_of[c]))) + too.get(c, "") for c in usable
        )
        excluded = exclusions(ctx, cap, sites, every, acting)
        # a window that misses every period of the conflict is the reason, not other rules (a
        # planner trial: ITA's mandate ending was said `held back by the other rules`)
        for _, p in pl.iterrows():
            closed = closed_window(ctx, p, every) if every else ""
            if closed and p["contributor"] not in excluded:
                excluded[p["contributor"]] = closed
    else:
        too = _kept_out_too(exclusions(ctx, cap, sites), usable)
        listed = ", ".join(f"{c} {units.get(c, 0)}{too.get(c, '')}" for c in usable)
        excluded = exclusions(ctx, cap, sites, acting=acting)
    # others' pledges could only help fill the conflict's lines: with none (a nation's lock
    # above its own pledge) they have no part in it
    others = [
        f"{c} {u} is " + excluded.get(c, "held back by the other rules of this conflict")
        for c, u in units.items()
        if c not in usable and sites
    ]
    where = "here" if sites else "in this conflict"
    return f"the {cap} pledges usable {where} are limited to: {listed}" + (
        f" ({'; '.join(others)})" if others else ""
    )


def _kept_out_too(excluded: dict[str, str], usable: list[str]) -> dict[str, str]:
    """` (though C6 keeps it out)` for each pledge of a conflict that caveats keep out of all its
    sites (`exclusions` with every caveat acting), for the list of usable pledges."""
    prefix = "kept out by "
    return {
        c: f" (though {why.removeprefix(prefix)} {'keeps' if ',' not in why else 'keep'} it out)"
        for c, why in excluded.items()
        if c in usable and why.startswith(prefix)
    }
