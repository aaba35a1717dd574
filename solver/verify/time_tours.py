"""The rules of `time.md` on tours (rules 1-3 of "The model in time"), one function per rule.

A tour (c, k, s, first, last, n) is valid when every period first..last lies inside the pledge's
from..to, c is available, c pledged k, s requires k in at least one of its periods
(required(s, k, t) > 0, the Profile counted), and, with `tour_months` set,

    m(last) + months(last) - m(first) <= tour_months(c, k).

Rotation, for every pledge (c, k) and period t:

    deployed(c,k,t) + in_dwell(c,k,t) <= units(c, k)

with deployed the units of its tours covering t and in_dwell those of its tours ending at
e = m(last) + months(last) with e <= m(t) < e + dwell_months(c, k), and, against a rolling
re-plan's baseline file, those of the file's tours that ended before the first period at
e <= 0 (months from its start) with m(t) < e + dwell_months(c, k) (a re-plan trial), and
those of its tours running into the first period that the plan does not continue, at e = 0
(verify/carried.py). (`exclude` and `only`, which
forbid a tour in the periods of their windows, are in `time_caveats.py` with the other kinds.)

A message about one tour names its Tours row for the console (`Violation.where`); a rotation
message names the tours behind it in its own text (`rotation`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..data import is_blank
from ..io.periods import spans
from ..wording import shortened
from .carried import longest_served, why_none_continue, withdrawn_at_start
from .findings import Finding, Found, runs
from .plan import Violation, units_text
from .schedule import Schedule

SHOWN_TOURS = 3  # tours named per role (deployed, in dwell) in a rotation message


def unavailable(schedule: Schedule) -> list[Violation]:
    """An unavailable contributor deploys nothing."""
    return [
        Violation(
            "unavailable",
            (r.contributor,),
            f"{r.label}: contributor {r.contributor} is unavailable",
            (r.row,),
            schedule.cite((r.row,)),
        )
        for r in schedule.tours.itertuples(index=False)
        if r.contributor not in schedule.available
    ]


def not_pledged(schedule: Schedule) -> list[Violation]:
    """A tour draws on c's pledge of k: there must be one."""
    return [
        Violation(
            "not_pledged",
            (f"{r.contributor}/{r.capability}",),
            f"{r.label}: {r.contributor} pledged no {r.capability}",
            (r.row,),
            schedule.cite((r.row,)),
        )
        for r in schedule.tours.itertuples(index=False)
        if (r.contributor, r.capability) not in schedule.pledges.index
    ]


def pledge_window(schedule: Schedule) -> list[Violation]:
    """Every period first..last lies inside the pledge's from..to."""
    out = []
    for r in schedule.tours.itertuples(index=False):
        if (r.contributor, r.capability) not in schedule.pledges.index:
            continue
        pledge = schedule.pledges.loc[(r.contributor, r.capability)]
        lo, hi = int(pledge["from_t"]), int(pledge["to_t"])
        outside = [t for t in range(r.first, r.last + 1) if t < lo or t > hi]
        if outside:
            out.append(
                Violation(
                    "pledge_window",
                    (f"{r.contributor}/{r.capability}",),
                    f"{r.label}: {r.contributor}/{r.capability} is pledged only in "
                    f"{schedule.span(lo, hi)} (not in {_spans(schedule, outside)})",
                    (r.row,),
                    schedule.cite((r.row,)),
                )
            )
    return out


def not_required(schedule: Schedule) -> list[Violation]:
    """s requires k (required(s, k, t) > 0) in at least one of the tour's periods."""
    out = []
    for r in schedule.tours.itertuples(index=False):
        line = schedule.line_index.get((r.site, r.capability))
        if line is None:
            why = f"{r.site} does not require {r.capability}"
        elif not (schedule.required[line, r.first : r.last + 1] > 0).any():
            why = f"{r.site} requires no {r.capability} in {schedule.span(r.first, r.last)}"
        else:
            continue
        out.append(
            Violation(
                "not_required",
                (f"{r.site}/{r.capability}",),
                f"{r.label}: {why}",
                (r.row,),
                schedule.cite((r.row,)),
            )
        )
    return out


def tour_length(schedule: Schedule) -> list[Violation]:
    """m(last) + months(last) - m(first) <= tour_months, when the pledge sets one."""
    out = []
    for r in schedule.tours.itertuples(index=False):
        if (r.contributor, r.capability) not in schedule.pledges.index:
            continue
        limit = schedule.pledges.loc[(r.contributor, r.capability), "tour_months"]
        length = schedule.length(r.first, r.last)
        if not is_blank(limit) and length > int(limit):
            out.append(
                Violation(
                    "tour_length",
                    (f"{r.contributor}/{r.capability}",),
                    f"{r.label}: {length} months > tour_months {int(limit)}"
                    + _not_continued(schedule, r.contributor, r.capability, r.site, r.first),
                    (r.row,),
                    schedule.cite((r.row,)),
                )
            )
    return out


def rotation(schedule: Schedule) -> list[Violation]:
    """deployed(c,k,t) + in_dwell(c,k,t) <= pledged units, in every period t.

    One message per run of periods with the same numbers (`findings.py`), in the contract's
    words, then the tours behind it over the run: those deployed in one of its periods and those
    whose dwell covers one, each with its units, site, periods and Tours row (the first
    `SHOWN_TOURS` of each, in time order):

        EST/AD_BTY in 2027-04: 2 units deployed + 1 in dwell > 2 pledged; deployed: 2 at Kyiv
        2027-04..2027-06 (Tours!A4); in dwell: 1 back from Kyiv 2027-01..2027-03 (Tours!A3)
    """
    found: Found = {}
    roles: dict[Any, tuple[pd.DataFrame, np.ndarray, np.ndarray, dict[Any, np.ndarray]]] = {}
    m = schedule.offset[None, :]  # m(t), one column per period
    t = np.arange(len(schedule.names))[None, :]
    for (c, k), tours in schedule.tours.groupby(["contributor", "capability"], sort=True):
        if (c, k) not in schedule.pledges.index:
            continue
        pledge = schedule.pledges.loc[(c, k)]
        pledged, dwell = int(pledge["units"]), int(pledge["dwell_months"])
        first, last = tours["first"].to_numpy()[:, None], tours["last"].to_numpy()[:, None]
        units, rows = tours["units"].to_numpy(), tours["row"].to_numpy()
        covers = (first <= t) & (t <= last)  # tours x periods
        end = schedule.offset[last] + schedule.months[last]
        rests = (end <= m) & (m < end + dwell)
        earlier = _home_from_before(schedule, c, k, dwell)  # (site, why) -> units per period
        roles[(c, k)] = (tours, covers, rests, earlier)
        home = sum(earlier.values(), np.zeros(len(schedule.names)))
        deployed, resting = units @ covers, units @ rests
        # what was committed before the horizon (at home, or carried in) never counts against
        # the plan beyond the pledge: all of it <= max(pledged, committed); deployed <= pledged
        committed = _committed_before(schedule, c, k, dwell, earlier)
        bound = np.maximum(pledged, committed)
        over = (deployed + resting + home > bound) | (deployed > pledged)
        for p in np.flatnonzero(over).tolist():
            text = f"{units_text(int(deployed[p]))} deployed"
            at_home = int(resting[p] + home[p])
            text += f" + {at_home} in dwell" if at_home else ""
            if deployed[p] + resting[p] + home[p] > bound[p] and bound[p] > pledged:
                text += (
                    f" > {int(bound[p])} ({pledged} pledged; {int(committed[p])} committed "
                    f"before {schedule.names[0]})"
                )
            else:
                text = f"{units_text(int(deployed[p]))} deployed" if deployed[p] > pledged else text
                text += f" > {pledged} pledged"
            behind = tuple(sorted(int(r) for r in rows[covers[:, p] | rests[:, p]]))
            found.setdefault((c, k), {})[p] = Finding(text, behind)
    out = []
    for (c, k), a, b, text, rows in runs(found, schedule.names):
        tours, covers, rests, earlier = roles[(c, k)]
        message = f"{c}/{k} in {schedule.span(a, b)}: {text}"
        for role, verb, mask in (("deployed", "at", covers), ("in dwell", "back from", rests)):
            involved = tours[mask[:, a : b + 1].any(axis=1)]
            named = [_tours_named(schedule, involved, verb)] if len(involved) else []
            if role == "in dwell":
                named += _before_named(schedule, earlier, a, b, (c, k))
            if named:
                message += f"; {role}: {'; '.join(named)}"
        out.append(Violation("rotation", (f"{c}/{k}",), message, rows))
    return out


def _not_continued(schedule: Schedule, c: str, k: str, s: str, first: int) -> str:
    """Of a tour too long from the first period where carried units of its option could not
    continue in it (verify/carried.py): that it is read as a new tour, and why; '' else (a
    trial extended a carried tour and was told of a length and a dwell it did not see)."""
    going = withdrawn_at_start(schedule, c, k).get(s, 0) if first == 0 else 0
    if not going:
        return ""
    units = "1 unit" if going == 1 else f"{going} units"
    served = longest_served(schedule, c, k, s)
    return (
        f" (read as a new tour: {units} carried in from before {schedule.names[0]}, having "
        f"served {served} month{'' if served == 1 else 's'} there, could not continue in it "
        f"and went home as {schedule.names[0]} began)"
    )


def _committed_before(
    schedule: Schedule, c: str, k: str, dwell: int, earlier: dict[tuple[str, str], np.ndarray]
) -> np.ndarray:
    """Per period, the units of (c, k) committed before the horizon that may still count: those
    at home from tours that ended before it, and those carried into it while a withdrawal then
    would keep them at home (m(t) < dwell)."""
    ended = sum(
        (n for (_, why), n in earlier.items() if why == "ended"), np.zeros(len(schedule.names))
    )
    baseline = schedule.data.baseline
    history = None if baseline is None else baseline.history
    if history is None or not len(history):
        return ended
    mine = history[
        history["carried"].astype(bool)
        & (history["contributor"] == c)
        & (history["capability"] == k)
    ]
    carried = float(mine["units"].sum()) if len(mine) else 0.0
    return ended + carried * (schedule.offset < dwell)


def _before_named(
    schedule: Schedule,
    earlier: dict[tuple[str, str], np.ndarray],
    a: int,
    b: int,
    pledge: tuple[str, str],
) -> list[str]:
    """`2 back from Lviv (the baseline's tours that ended before 2027-07)`, `1 back from Kyiv
    (withdrawn as 2027-07 began: verify/carried.py)`: the units home from before the horizon in
    periods a..b (their most), per site."""
    said = []
    for why, words in (
        ("ended", f"the baseline's tours that ended before {schedule.names[0]}"),
        ("withdrawn", f"the baseline's tours withdrawn as {schedule.names[0]} began"),
    ):
        home = {
            s: int(n[a : b + 1].max())
            for (s, w), n in sorted(earlier.items())
            if w == why and n[a : b + 1].any()
        }
        if home:
            units = ", ".join(f"{n} back from {s}" for s, n in home.items())
            why_not = (
                [why_none_continue(schedule, *pledge, s) for s in home]
                if why == "withdrawn"
                else []
            )
            said.append(f"{units} ({'; '.join([words, *filter(None, why_not)])})")
    return said


def _home_from_before(
    schedule: Schedule, c: str, k: str, dwell: int
) -> dict[tuple[str, str], np.ndarray]:
    """Per (site, why), the units of (c, k) at home in each period from a rolling re-plan's
    baseline: its tours that ended before the first period (`ended`), and its tours running
    into it whose units the plan does not continue (`withdrawn`, verify/carried.py), as if
    they ended just before it (the module's docstring); none without them."""
    baseline = schedule.data.baseline
    history = None if baseline is None else baseline.history
    if history is None or not len(history):
        return {}
    out: dict[tuple[str, str], np.ndarray] = {}

    def add(site: str, why: str, end: int, units: int) -> None:
        home = (schedule.offset < end + dwell).astype(float) * units
        out[(site, why)] = out.get((site, why), np.zeros(len(schedule.names))) + home

    for r in history.itertuples(index=False):
        if not r.carried and r.contributor == c and r.capability == k:
            add(str(r.site), "ended", int(r.end), int(r.units))
    for site, units in withdrawn_at_start(schedule, c, k).items():
        add(site, "withdrawn", 0, units)
    return out


def _tours_named(schedule: Schedule, tours: pd.DataFrame, verb: str) -> str:
    """`2 at Kyiv 2027-04..2027-06 (Tours!A4), 1 at Odesa 2027-05 (Tours!A9)` in time order,
    the first `SHOWN_TOURS`, then `and N more` (`wording.shortened`)."""
    ordered = tours.sort_values(["first", "last", "row"])
    items = [
        f"{r.units} {verb} {r.site} {schedule.span(r.first, r.last)} ({schedule.cite((r.row,))})"
        for r in ordered.itertuples(index=False)
    ]
    return shortened(items, SHOWN_TOURS)


def _spans(schedule: Schedule, ts: list[int]) -> str:
    return spans(schedule.names, ts)


TOUR_RULES: tuple[Callable[[Schedule], list[Violation]], ...] = (
    unavailable,
    not_pledged,
    pledge_window,
    not_required,
    tour_length,
    rotation,
)
