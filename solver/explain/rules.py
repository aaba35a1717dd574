"""Planner-level rules: groups of model rows that came from one line of the workbook."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import Data, is_blank
from ..model.context import BuildContext

FILTERS = ("capability", "category", "site", "zone", "country")
# Rule classes in the order a deletion filter tries to drop them: a class tried earlier is dropped
# whenever a later one implies the same limit. Caveats go before pledges, so a caveat stays in an
# explanation only when the pledges alone would not make the plan impossible.
CLASS_ORDER = ("requirement_limit", "max_contributors", "single_source", "caveat", "pledge", "hard")


@dataclass(frozen=True)
class Rule:
    """One rule of the workbook, with the model rows it owns."""

    cls: str  # one of CLASS_ORDER
    key: tuple
    rows: tuple[int, ...]


def rules_of(ctx: BuildContext) -> list[Rule]:
    """Group every switchable row by the workbook rule it expresses; links are not rules."""
    groups: dict[tuple[str, tuple], list[int]] = {}
    hard = ctx.hard_mask()
    req_index = {
        (s, k): i
        for i, (s, k) in enumerate(
            zip(ctx.data.requirements["site"], ctx.data.requirements["capability"], strict=True)
        )
    }
    for block in ctx.lm.row_blocks:
        if block.link or block.kind == "presence":
            continue
        for local, key in enumerate(block.keys):
            row = block.start + local
            if block.kind == "requirement":
                cls = "hard" if hard[req_index[key]] else "requirement_limit"
                group = (cls, key)
            elif block.kind == "pledge":
                group = ("pledge", key)
            elif block.name in ("single_source", "max_contributors"):
                group = (block.name, key)
            elif block.origin.startswith("caveat "):
                group = ("caveat", (block.origin.removeprefix("caveat "),))
            else:
                continue
            groups.setdefault(group, []).append(row)
    rules = [Rule(c, k, tuple(r)) for (c, k), r in groups.items()]
    return sorted(rules, key=lambda r: (CLASS_ORDER.index(r.cls), str(r.key)))


def describe_caveat(data: Data, cid: str) -> str:
    row = data.caveats.set_index("id").loc[cid]
    parts = [f"{f}={row[f]}" for f in FILTERS if not is_blank(row.get(f))]
    if not is_blank(row.get("other")):
        parts.append(str(row["other"]))
    if not is_blank(row.get("value")):
        parts.append(f"{float(row['value']):g}")
    return f"caveat {cid} ({row['contributor']} {row['caveat']}{' ' if parts else ''}{' '.join(parts)})"


def describe(rule: Rule, ctx: BuildContext, *, short: bool = False) -> str:
    """The rule in a planner's words, with the facts that make it bite (unless `short`)."""
    data = ctx.data
    if rule.cls == "caveat":
        return describe_caveat(data, rule.key[0])
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
            f"{_suppliers(ctx, site, cap)}"
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


def _hard_because(ctx: BuildContext, site: str, cap: str) -> str:
    rq = ctx.data.requirements
    idx = int(np.flatnonzero(((rq["site"] == site) & (rq["capability"] == cap)).to_numpy())[0])
    why = ["the workbook (hard = yes)"] if bool(rq["hard"].iloc[idx]) else []
    for cid, req_idx in sorted(ctx.hardened_by.items()):
        if idx in set(req_idx.tolist()):
            why.append(describe_caveat(ctx.data, cid))
    return " and ".join(why) or "the workbook"


def _suppliers(ctx: BuildContext, site: str, cap: str) -> str:
    """Who pledges the capability, and who of them may serve the site."""
    data = ctx.data
    pl = data.pledges[(data.pledges["capability"] == cap) & (data.pledges["units"] > 0)]
    if not len(pl):
        return f"nobody pledges {cap}"
    excluded = exclusions(ctx, cap, [site])
    parts = [
        f"{c} {units}" + (f" ({excluded[c]})" if c in excluded else "")
        for c, units in zip(pl["contributor"], pl["units"], strict=True)
    ]
    return f"{cap} is pledged by " + ", ".join(parts)


def exclusions(ctx: BuildContext, cap: str, sites: list[str]) -> dict[str, str]:
    """Contributors pledging `cap` that cannot serve any of `sites`, and why: `unavailable`, or
    `kept out by C5, C8` (the caveats that forbid every one of their candidates there)."""
    data = ctx.data
    pl = data.pledges[(data.pledges["capability"] == cap) & (data.pledges["units"] > 0)]
    avail = set(data.contributors.query("status == 'available'")["contributor"])
    forbidden: dict[tuple[str, str], list[str]] = {}
    for cid, positions in sorted(ctx.forbidden_by.items()):
        sel = ctx.cand.iloc[positions]
        sel = sel[(sel["capability"] == cap) & sel["site"].isin(sites)]
        for c, s in zip(sel["contributor"], sel["site"], strict=True):
            forbidden.setdefault((c, s), []).append(cid)
    out: dict[str, str] = {}
    for c in pl["contributor"]:
        if c not in avail:
            out[c] = "unavailable"
        elif sites and all((c, s) in forbidden for s in sites):
            ids = sorted({cid for s in sites for cid in forbidden[(c, s)]})
            out[c] = f"kept out by {', '.join(ids)}"
    return out


def pledge_limits(ctx: BuildContext, cap: str, rules: list[Rule], sites: list[str]) -> str:
    """The conflict's pledge rules of one capability, in words that stay true when others pledge
    it too: the pledges usable at the conflict's `sites` (each at most as pledged), then every
    other pledge of the capability and what keeps it out.

    `the MP_PLT pledges usable here are limited to: POL 1 (ITA 3 is kept out by C5; MKD 1 is
    unavailable)`."""
    pl = ctx.data.pledges
    pl = pl[(pl["capability"] == cap) & (pl["units"] > 0)]
    units = dict(zip(pl["contributor"], pl["units"], strict=True))
    usable = [r.key[0] for r in rules]
    listed = ", ".join(f"{c} {units.get(c, 0)}" for c in usable)
    excluded = exclusions(ctx, cap, sites)
    others = [
        f"{c} {u} is " + excluded.get(c, "held back by the other rules of this conflict")
        for c, u in units.items()
        if c not in usable
    ]
    where = "here" if sites else "in this conflict"
    return f"the {cap} pledges usable {where} are limited to: {listed}" + (
        f" ({'; '.join(others)})" if others else ""
    )
