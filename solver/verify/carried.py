"""A rolling re-plan's tours running into the first period, as verify reads a plan against them
(its own reading, not the model's: model/history.py).

Against a baseline file of an earlier horizon, the file's tours that began before the first
period and run into it carry their units into it: P units of option o = (c, k, s), unit j having
served s_j months when the horizon begins. The plan's Tours sheet shows them as tours from the
first period, beside any that arrive then. Units are interchangeable, so the plan is read in
the way most favourable to it that keeps every tour's length: the most carried units that can
continue, q*, each taking the place of one of the plan's units in a tour from the first period:

    the q youngest carried units (oldest leave first) against the plan's units in tours from
    the first period in order of their last period: the j-th oldest of them and the j-th to
    leave pair up, s_j + months of that tour <= tour_months(c, k) for every pair;

q* the largest q <= min(P, units in tours from the first period) for which every pair holds
(without tour_months, that minimum). The other P - q* carried units leave as the horizon
begins and are at home in dwell in every period t with m(t) < dwell_months(c, k), as the units
of a tour that ended just before it. Fewer continuing units only make the pairs easier, and
each one more only takes one from dwell, so q* is the reading under which the plan breaks no
rule it need not. The carried units that continue cost nothing (deployed already): the cost
stage counts the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..data import is_blank

if TYPE_CHECKING:
    from .schedule import Schedule


def withdrawn_at_start(schedule: Schedule, c: str, k: str) -> dict[str, int]:
    """Per site, the carried units of (c, k) the plan does not continue (P - q*, the module's
    docstring); none without a baseline history."""
    return {s: going for s, (going, _) in _reading(schedule, c, k).items() if going}


def continuing(schedule: Schedule, c: str, k: str, s: str) -> int:
    """q*: the carried units of (c, k) at s that continue in the plan (they cost nothing:
    deployed already)."""
    return _reading(schedule, c, k).get(s, (0, 0))[1]


def longest_served(schedule: Schedule, c: str, k: str, site: str) -> int:
    """The months served before the first period by the oldest carried unit of (c, k) at
    `site` (0 for none): the first to leave, when any cannot continue."""
    mine = _carried(schedule, c, k)
    mine = mine[mine["site"] == site] if mine is not None else None
    return int(-mine["start"].min()) if mine is not None and len(mine) else 0


def why_none_continue(schedule: Schedule, c: str, k: str, site: str) -> str:
    """Where the plan has tours of (c, k) at `site` from the first period yet none of the
    carried units can continue in them (q* = 0): `having served 3 months, the youngest could
    not continue in Tours!A19 (2027-07..2027-12): 3 + 6 months > tour_months 6`, with the
    plan's shortest such tour; '' else. A planner trial lengthened a carried tour and was told
    only of a rotation breach."""
    mine = _carried(schedule, c, k)
    if mine is None or not len(mine[mine["site"] == site]):
        return ""
    if _reading(schedule, c, k).get(site, (0, 0))[1]:
        return ""
    ours, limit = _from_first_period(schedule, c, k, site), _tour_limit(schedule, c, k)
    if not len(ours) or limit is None:
        return ""
    shortest = ours.sort_values(["last", "row"]).iloc[0]
    months = schedule.length(0, int(shortest["last"]))
    youngest = int(-mine.loc[mine["site"] == site, "start"].max())
    return (
        f"having served {youngest} month{'' if youngest == 1 else 's'}, the youngest could not "
        f"continue in {schedule.cite((int(shortest['row']),))} "
        f"({schedule.span(0, int(shortest['last']))}): {youngest} + {months} months > "
        f"tour_months {limit}"
    )


def _tour_limit(schedule: Schedule, c: str, k: str) -> int | None:
    """The pledge's tour_months (None: no limit, or no such pledge)."""
    if (c, k) not in schedule.pledges.index:
        return None
    cell = schedule.pledges.loc[(c, k), "tour_months"]
    return None if is_blank(cell) else int(cell)


def _from_first_period(schedule: Schedule, c: str, k: str, site: str) -> pd.DataFrame:
    """The plan's tours of (c, k) at `site` from the first period."""
    tours = schedule.tours
    return tours[
        (tours["contributor"] == c)
        & (tours["capability"] == k)
        & (tours["site"] == site)
        & (tours["first"] == 0)
    ]


def _carried(schedule: Schedule, c: str, k: str) -> pd.DataFrame | None:
    """The history's carried tours of (c, k); None without a baseline history."""
    baseline = schedule.data.baseline
    history = None if baseline is None else baseline.history
    if history is None or not len(history):
        return None
    mine = history[history["carried"].astype(bool)]
    return mine[(mine["contributor"] == c) & (mine["capability"] == k)]


def _reading(schedule: Schedule, c: str, k: str) -> dict[str, tuple[int, int]]:
    """Per site: (P - q*, q*) of the carried units of (c, k)."""
    mine = _carried(schedule, c, k)
    if mine is None or not len(mine):
        return {}
    limit = _tour_limit(schedule, c, k)
    out = {}
    for site, rows in mine.groupby("site", sort=True):
        served = sorted(
            (-int(r.start) for r in rows.itertuples(index=False) for _ in range(int(r.units))),
            reverse=True,  # oldest first
        )
        staying = _continuing(schedule, c, k, str(site), served, limit)
        out[str(site)] = (len(served) - staying, staying)
    return out


def _continuing(
    schedule: Schedule, c: str, k: str, site: str, served: list[int], limit: int | None
) -> int:
    """q*: the most carried units (months `served`, oldest first) that continue in the plan's
    tours of (c, k, site) from the first period."""
    mine = _from_first_period(schedule, c, k, site).sort_values("last")
    lengths = [
        schedule.length(0, int(r.last))
        for r in mine.itertuples(index=False)
        for _ in range(r.units)
    ]
    most = min(len(served), len(lengths))
    if limit is None:
        return most
    for q in range(most, 0, -1):
        youngest = served[len(served) - q :]  # still oldest first
        if all(s + n <= limit for s, n in zip(youngest, lengths, strict=False)):
            return q
    return 0
