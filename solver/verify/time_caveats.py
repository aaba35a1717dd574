"""Every caveat kind in time (`time.md`, the table of caveats), one function per kind, by name.

A caveat applies only in the periods of its own from..to (its window W), to the x[c,k,s,t] of its
contributor c whose capability and site match its filters (a blank filter matches everything);
caveats of unavailable contributors have no effect. For t in W:

    no_weakening    the matching lines are hard: allocated(s,k,t) >= required(s,k,t)
    exclude         no tour of c that matches covers t
    only            when c has `only` rows whose window holds t, each tour of c covering t
                    matches at least one of them (rows whose window does not hold t do not count)
    requires        c has matching units present in t only if `other` has a unit present in t
    max_units       sum of the matching x[c,k,s,t] <= value
    max_personnel   sum of the matching x[c,k,s,t] x unit size <= value
    min_units       sum of the matching x[c,k,s,t] >= value
    min_contingent  each matching x[c,k,s,t] is 0 or >= value
    max_sites       the sites with a matching x[c,k,s,t] > 0 number <= value
    not_with        no site holds in t a matching x[c,k,s,t] > 0 and a unit of `other`

Per period, consecutive periods with the same numbers are one message (`findings.py`); what is
present where may change within it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from ..io.periods import spans
from ..wording import count
from .caveat_rules import lines_made_hard
from .findings import DETAIL, Finding, Found, Subject, per_period
from .plan import Violation, units_text
from .schedule import Schedule, at_listing, rows_of


def exclude(schedule: Schedule) -> list[Violation]:
    """No tour of c that matches covers a period of the caveat's window."""
    out = []
    tours = schedule.tour_attributes()
    for cav in schedule.caveats("exclude"):
        window = schedule.window(cav)
        for r in tours[schedule.matches(tours, cav)].itertuples(index=False):
            hit = [t for t in range(r.first, r.last + 1) if t in window]
            if hit:
                out.append(
                    Violation(
                        "exclude",
                        (cav["id"], r.contributor),
                        f"{schedule.label(cav)}: {r.label} sends {r.units} {r.capability} to "
                        f"{r.site} in {spans(schedule.names, hit)}",
                        (r.row,),
                        schedule.cite((r.row,)),
                    )
                )
    return out


def only(schedule: Schedule) -> list[Violation]:
    """In each period, c sends only what matches one of its `only` rows whose window holds it."""
    out = []
    tours = schedule.tour_attributes()
    rows_of_c: dict[str, list[pd.Series]] = {}
    for cav in schedule.caveats("only"):
        rows_of_c.setdefault(cav["contributor"], []).append(cav)
    for c, cavs in rows_of_c.items():
        mine = tours[tours["contributor"] == c]
        allowed = [schedule.matches(mine, cav).to_numpy() for cav in cavs]
        for i, r in enumerate(mine.itertuples(index=False)):
            hit, named = [], []
            for t in range(r.first, r.last + 1):
                active = [j for j, cav in enumerate(cavs) if t in schedule.window(cav)]
                if active and not any(allowed[j][i] for j in active):
                    hit.append(t)
                    named += [j for j in active if j not in named]
            if not hit:
                continue
            labels = ", ".join(schedule.label(cavs[j]).removeprefix("caveat ") for j in named)
            noun = "caveat" if len(named) == 1 else "caveats"
            out.append(
                Violation(
                    "only",
                    (*(str(cavs[j]["id"]) for j in named), c),
                    f"{noun} {labels}: {r.label} sends {r.units} {r.capability} to {r.site} in "
                    f"{spans(schedule.names, hit)}, which no `only` row allows",
                    (r.row,),
                    schedule.cite((r.row,)),
                )
            )
    return out


def _each_period(
    schedule: Schedule, kind: str, finding: Callable[[pd.Series, pd.DataFrame, int], Any]
) -> list[Violation]:
    """Per caveat of `kind` and period t of its window, `finding(cav, matching x at t, t)` gives
    None or {key: Finding}; runs of equal findings become one violation each."""
    found: Found = {}
    subject: Subject = {}
    for cav in schedule.caveats(kind):
        x = schedule.x
        mine = x[schedule.matches(x, cav)]
        by_t = {int(t): group for t, group in mine.groupby("t", sort=True)}
        for t in schedule.window(cav):
            for key, one in (finding(cav, by_t.get(t, mine.iloc[:0]), t) or {}).items():
                found.setdefault((cav["id"], key), {})[t] = one
                subject[(cav["id"], key)] = (
                    schedule.label(cav),
                    (str(cav["id"]), cav["contributor"]),
                )
    return per_period(schedule, kind, found, subject)


def requires(schedule: Schedule) -> list[Violation]:
    """c has matching units present in t only if `other` has at least one unit present in t."""

    def finding(cav: pd.Series, mine: pd.DataFrame, t: int) -> Any:
        other = cav["other"]
        if other == cav["contributor"] or not len(mine):
            return None  # c being present is its own condition: always met
        theirs = schedule.at(t)
        if (theirs["contributor"] == other).any():
            return None
        text = f"{cav['contributor']} has {DETAIL}, but {other} has nothing present"
        return {"": Finding(text, rows_of(mine), at_listing(mine))}

    return _each_period(schedule, "requires", finding)


def _total(kind: str, personnel: bool, sense: str) -> Callable[[Schedule], list[Violation]]:
    def finding(cav: pd.Series, mine: pd.DataFrame, t: int) -> Any:
        weights = mine["ppu"].to_numpy(dtype=float) if personnel else 1.0
        total = float((mine["units"].to_numpy(dtype=float) * weights).sum())
        limit = float(cav["value"])
        if (total <= limit + 1e-9) if sense == "max" else (total >= limit - 1e-9):
            return None
        what = f"{total:g} personnel" if personnel else units_text(total)
        listed = f" ({DETAIL})" if len(mine) else ""
        bound = f"at most {limit:g} allowed" if sense == "max" else f"at least {limit:g} required"
        text = f"{cav['contributor']} has {what} matching{listed}, {bound}"
        return {"": Finding(text, rows_of(mine) if len(mine) else (), at_listing(mine))}

    def rule(schedule: Schedule) -> list[Violation]:
        return _each_period(schedule, kind, finding)

    rule.__name__ = kind
    return rule


max_units = _total("max_units", personnel=False, sense="max")
max_units.__doc__ = "Per period: the matching units present total at most `value`."
max_personnel = _total("max_personnel", personnel=True, sense="max")
max_personnel.__doc__ = "Per period: the matching personnel present total at most `value`."
min_units = _total("min_units", personnel=False, sense="min")
min_units.__doc__ = "Per period of the window: at least `value` matching units present."


def min_contingent(schedule: Schedule) -> list[Violation]:
    """Per period: each matching x[c,k,s,t] is 0 or at least `value`."""

    def finding(cav: pd.Series, mine: pd.DataFrame, t: int) -> Any:
        limit = float(cav["value"])
        small = mine[mine["units"] < limit - 1e-9]
        return {
            (r.capability, r.site): Finding(
                f"{r.contributor} has {r.units} {r.capability} at {r.site}, fewer than {limit:g}",
                tuple(r.rows),
            )
            for r in small.itertuples(index=False)
        }

    return _each_period(schedule, "min_contingent", finding)


def max_sites(schedule: Schedule) -> list[Violation]:
    """Per period: c's matching units are at no more than `value` sites."""

    def finding(cav: pd.Series, mine: pd.DataFrame, t: int) -> Any:
        sites = sorted(set(mine["site"]))
        if len(sites) <= float(cav["value"]) + 1e-9:
            return None
        text = (
            f"{cav['contributor']} is at {count(len(sites), 'site')} ({DETAIL}), "
            f"at most {float(cav['value']):g} allowed"
        )
        return {"": Finding(text, rows_of(mine), ", ".join(sites))}

    return _each_period(schedule, "max_sites", finding)


def not_with(schedule: Schedule) -> list[Violation]:
    """Per period: no site holds matching units of c and any unit of `other`."""

    def finding(cav: pd.Series, mine: pd.DataFrame, t: int) -> Any:
        c, other = cav["contributor"], cav["other"]
        if other == c:
            return None  # read as "not with another contributor": no effect on itself
        now = schedule.at(t)
        theirs = now[now["contributor"] == other]
        out = {}
        for s in sorted(set(mine["site"]) & set(theirs["site"])):
            here = pd.concat([mine[mine["site"] == s], theirs[theirs["site"] == s]])
            who = ", ".join(f"{r.contributor} {r.units} {r.capability}" for r in here.itertuples())
            out[s] = Finding(f"{c} and {other} are both at {s} ({DETAIL})", rows_of(here), who)
        return out

    return _each_period(schedule, "not_with", finding)


def no_weakening(schedule: Schedule) -> list[Violation]:
    """The matching lines are hard in every period of the window in which they are active."""
    found: Found = {}
    subject: Subject = {}
    for cav in schedule.caveats("no_weakening"):
        lines = lines_made_hard(schedule.data, cav)
        for s, k in zip(lines["site"], lines["capability"], strict=True):
            line = schedule.line_index[(s, k)]
            got, need = schedule.allocated[line], schedule.required[line]
            for t in schedule.window(cav):
                if got[t] < need[t]:
                    text = (
                        f"requirement {s}/{k} is hard but has {units_text(got[t])} of "
                        f"{need[t]} (short {need[t] - got[t]})"
                    )
                    here = rows_of(schedule.on_line(s, k, t))  # where it is to be filled
                    found.setdefault((cav["id"], s, k), {})[t] = Finding(text, here)
                    subject[(cav["id"], s, k)] = (schedule.label(cav), (str(cav["id"]), f"{s}/{k}"))
    return per_period(schedule, "no_weakening", found, subject)


TIMED_CAVEAT_RULES: tuple[Callable[[Schedule], list[Violation]], ...] = (
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
