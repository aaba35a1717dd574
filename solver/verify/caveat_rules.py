"""Every caveat kind of the contract, checked on a plan: one function per kind.

Written from the contract's table of caveats. A caveat applies to the allocations of its
contributor whose capability matches both capability filters and whose site matches all three site
filters; a blank filter matches everything. Caveats of unavailable contributors have no effect.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..data import Data, is_blank
from ..wording import count
from .plan import SITE_FILTERS, Plan, Violation, caveat_label, listing, sends, units_text
from .rules import allocated, line_rows


def _caveat(row: pd.Series) -> str:
    return f"caveat {caveat_label(row)}"


def exclude(plan: Plan) -> list[Violation]:
    """c sends nothing that matches."""
    out = []
    for cav in plan.caveats("exclude"):
        for r in plan.matching(cav).itertuples(index=False):
            out.append(
                Violation(
                    "exclude", (cav["id"], r.contributor), f"{_caveat(cav)}: {sends(r)}", (r.row,)
                )
            )
    return out


def only(plan: Plan) -> list[Violation]:
    """c sends only what matches at least one of its `only` rows."""
    out = []
    by_contributor: dict[str, list[pd.Series]] = {}
    for cav in plan.caveats("only"):
        by_contributor.setdefault(cav["contributor"], []).append(cav)
    for c, rows in by_contributor.items():
        mine = plan.of(c)
        allowed = np.zeros(len(mine), dtype=bool)
        for cav in rows:
            allowed |= plan.match_mask(mine, cav).to_numpy()
        ids = tuple(str(cav["id"]) for cav in rows)
        labels = ", ".join(caveat_label(cav) for cav in rows)
        noun = "caveat" if len(rows) == 1 else "caveats"
        for r in mine[~allowed].itertuples(index=False):
            out.append(
                Violation(
                    "only",
                    (*ids, c),
                    f"{noun} {labels}: {sends(r)}, which no `only` row allows",
                    (r.row,),
                )
            )
    return out


def requires(plan: Plan) -> list[Violation]:
    """c deploys (what matches) only if `other` deploys at least one unit."""
    out = []
    for cav in plan.caveats("requires"):
        other = cav["other"]
        if other == cav["contributor"]:
            continue  # c deploying is its own condition: always met
        mine = plan.matching(cav)
        if len(mine) and not len(plan.of(other)):
            out.append(
                Violation(
                    "requires",
                    (cav["id"], cav["contributor"], other),
                    f"{_caveat(cav)}: {cav['contributor']} deploys {listing(mine)}, "
                    f"but {other} deploys nothing",
                    plan.rows(mine),
                )
            )
    return out


def _total_limit(plan: Plan, kind: str, personnel: bool, sense: str) -> list[Violation]:
    out = []
    for cav in plan.caveats(kind):
        mine = plan.matching(cav)
        weights = mine["ppu"].to_numpy(dtype=float) if personnel else 1.0
        total = float((mine["units"].to_numpy(dtype=float) * weights).sum())
        limit = float(cav["value"])
        broken = total > limit + 1e-9 if sense == "max" else total < limit - 1e-9
        if not broken:
            continue
        what = f"{total:g} personnel" if personnel else units_text(total)
        bound = "at most {:g} allowed" if sense == "max" else "at least {:g} required"
        detail = f" ({listing(mine)})" if len(mine) else ""
        out.append(
            Violation(
                kind,
                (cav["id"], cav["contributor"]),
                f"{_caveat(cav)}: {cav['contributor']} has {what} matching{detail}, "
                + bound.format(limit),
                plan.rows(mine),
            )
        )
    return out


def max_units(plan: Plan) -> list[Violation]:
    """The matching units of c total at most `value`."""
    return _total_limit(plan, "max_units", personnel=False, sense="max")


def max_personnel(plan: Plan) -> list[Violation]:
    """The matching personnel of c (units x c's unit size) total at most `value`."""
    return _total_limit(plan, "max_personnel", personnel=True, sense="max")


def min_units(plan: Plan) -> list[Violation]:
    """The matching units of c total at least `value`."""
    return _total_limit(plan, "min_units", personnel=False, sense="min")


def min_contingent(plan: Plan) -> list[Violation]:
    """Each matching allocation x[c, k, s] is either 0 or at least `value`."""
    out = []
    for cav in plan.caveats("min_contingent"):
        limit = float(cav["value"])
        for r in plan.matching(cav).itertuples(index=False):
            if r.units < limit - 1e-9:
                out.append(
                    Violation(
                        "min_contingent",
                        (cav["id"], r.contributor),
                        f"{_caveat(cav)}: {sends(r)}, fewer than {limit:g}",
                        (r.row,),
                    )
                )
    return out


def max_sites(plan: Plan) -> list[Violation]:
    """The sites where c has matching allocations number at most `value`."""
    out = []
    for cav in plan.caveats("max_sites"):
        mine = plan.matching(cav)
        sites = sorted(set(mine["site"]))
        if len(sites) > float(cav["value"]) + 1e-9:
            out.append(
                Violation(
                    "max_sites",
                    (cav["id"], cav["contributor"]),
                    f"{_caveat(cav)}: {cav['contributor']} is at {count(len(sites), 'site')} "
                    f"({', '.join(sites)}), at most {float(cav['value']):g} allowed",
                    plan.rows(mine),
                )
            )
    return out


def not_with(plan: Plan) -> list[Violation]:
    """No site holds both a matching allocation of c and any allocation of `other`."""
    out = []
    for cav in plan.caveats("not_with"):
        c, other = cav["contributor"], cav["other"]
        if other == c:
            continue  # read as "not with another contributor": no effect on itself
        mine = plan.matching(cav)
        theirs = plan.of(other)
        for s in sorted(set(mine["site"]) & set(theirs["site"])):
            here = pd.concat([mine[mine["site"] == s], theirs[theirs["site"] == s]])
            out.append(
                Violation(
                    "not_with",
                    (cav["id"], c, other, s),
                    f"{_caveat(cav)}: {c} and {other} are both at {s} ({_whose(here)})",
                    plan.rows(here),
                )
            )
    return out


def _whose(here: pd.DataFrame) -> str:
    """`TUR 1 ENG_COY, GRC 2 MCM_GRP`: each nation's units at the site, as the timed message
    says them (a trial read `2 MCM_GRP to Odesa, 2 MCM_GRP to Odesa` and could not tell whose)."""
    return ", ".join(
        f"{r.contributor} {int(r.units)} {r.capability}" for r in here.itertuples(index=False)
    )


def no_weakening_requirements(plan: Plan, cav: pd.Series) -> pd.DataFrame:
    """The requirements a `no_weakening` caveat makes hard (see `lines_made_hard`)."""
    return lines_made_hard(plan.data, cav)


def lines_made_hard(data: Data, cav: pd.Series) -> pd.DataFrame:
    """The requirements a `no_weakening` caveat makes hard: those at the matching sites (with no
    site filter, the sites whose country is c's code) whose capability matches the filters."""
    rq = data.requirements
    sites = data.sites.set_index("site")
    caps = data.capabilities.set_index("capability")
    mask = pd.Series(True, index=rq.index)
    if all(is_blank(cav.get(f)) for f in SITE_FILTERS):
        mask &= sites["country"].reindex(rq["site"]).to_numpy() == cav["contributor"]
    for column in SITE_FILTERS:
        value = cav.get(column)
        if not is_blank(value):
            values = rq["site"] if column == "site" else sites[column].reindex(rq["site"])
            mask &= values.to_numpy() == value
    if not is_blank(cav.get("capability")):
        mask &= rq["capability"] == cav["capability"]
    if not is_blank(cav.get("category")):
        mask &= caps["category"].reindex(rq["capability"]).to_numpy() == cav["category"]
    return rq[mask]


def no_weakening(plan: Plan) -> list[Violation]:
    """Every requirement at the matching sites is met in full (by c or by others backfilling)."""
    out = []
    for cav in plan.caveats("no_weakening"):
        req = no_weakening_requirements(plan, cav)
        for s, k, units in zip(req["site"], req["capability"], req["units"], strict=True):
            got = allocated(plan, s, k)
            if got < units:
                out.append(
                    Violation(
                        "no_weakening",
                        (cav["id"], f"{s}/{k}"),
                        f"{_caveat(cav)}: requirement {s}/{k} is hard but has {units_text(got)} "
                        f"of {units} (short {units - got})",
                        line_rows(plan, s, k),
                    )
                )
    return out


CAVEAT_RULES: tuple[Callable[[Plan], list[Violation]], ...] = (
    no_weakening,
    exclude,
    only,
    requires,
    max_units,
    max_personnel,
    min_units,
    min_contingent,
    max_sites,
    not_with,
)
