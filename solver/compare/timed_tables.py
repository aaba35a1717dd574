"""Timed outputs compared: base (the first) against every other, per period.

- `overview`: per scenario, status (`edited` for a plan whose Tours were edited after solving),
  the number of rules an edited plan breaks (`violations`, blank where not checked), periods,
  horizon, every objective stage, unit-months short per priority (the sum of Sustainability's
  `unit_months_short` over the lines of that priority) and coverage_pct (of unit-months), with
  their change against base; `stages_from` says whose they are (`Summary`: the file's, as
  solved; `recomputed`: an edited plan's, from its Tours, timed_audit.py; `unknown`: an edited
  plan whose input was not found, its figures blank); a remark says so of an edited plan,
  quotes the rules it breaks, says that a plan not proven optimal may differ by where its
  search stopped (caution.py), and gives the notes;
- `coverage`: per scenario and line, the runs of consecutive periods in which the units covered,
  min(allocated, required), or the units short, required - covered, differ from base's by the
  same amounts (`Kyiv/AD_BTY: -1 unit in 2027-07..2027-12`; `Δ short` +1 where the scenario
  raises a requirement and covers the same units); a (line, period) an output does not list
  counts as 0 covered, and a change of units short alone is listed only of a line the scenario
  has (one it drops is no longer short because it is gone: its covered units say so; one only
  it has, unmet, is newly short). `priority`
  is base's and `scenario_priority` the scenario's own, each blank where that output has no
  such line: a what-if may change a line's priority, and its shortfall counts against its own.
  A scenario whose coverage, or base's, is not known (`coverage_unknown`) has no rows;
- `tours`: the tours that differ from base's, each output's rows of one tour (contributor,
  capability, site, from, to) added up and rows of 0 units dropped (a hand edit that splits a
  tour over two rows changes nothing; one that sets a tour's units to 0 removes it: an edit
  trial): a tour in both (same contributor, capability, site, from, to, units) is unchanged; of the rest, a tour of base and one of the scenario of
  the same (contributor, capability, site) whose periods overlap are one tour `changed` (paired
  in time order); the others are `removed` (base only) or `added`;
- `priorities`: per scenario and priority, unit-months short in base and in the scenario (blank
  where not known).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..io.periods import span
from .audit import no_plan_remark, violations_remark
from .caution import cautions
from .tables import DELTA, EDITED
from .timed_cover import covered, required, runs
from .timed_horizon import horizon_notes
from .timed_views import TimedView, edited_note
from .views import number

if TYPE_CHECKING:
    from .replan import Replan

TOUR_KEY = ["contributor", "capability", "site"]
COVERAGE_TABLE = [
    "scenario",
    "site",
    "capability",
    "priority",
    "scenario_priority",
    "from",
    "to",
    "periods",
    DELTA + "units",
    DELTA + "short",
    "base_covered",
    "covered",
    "base_required",
    "required",
]
TOUR_TABLE = [
    "scenario",
    *TOUR_KEY,
    "change",
    "base_from",
    "base_to",
    "base_units",
    "from",
    "to",
    "units",
]
PRIORITY_TABLE = [
    "scenario",
    "priority",
    "base_unit_months_short",
    "unit_months_short",
    DELTA + "unit_months_short",
]


@dataclass
class TimedComparison:
    """Every table of a comparison in time, the periods in time order, and notes."""

    views: list[TimedView]
    periods: list[str]
    overview: pd.DataFrame
    coverage: pd.DataFrame
    tours: pd.DataFrame
    priorities: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    replans: list[Replan] = field(default_factory=list)  # outputs re-planned against the base


def compare_timed(views: list[TimedView]) -> TimedComparison:
    """All the tables for `views` (base first; labels unique)."""
    from ..outputs.order import merge_orders

    periods = merge_orders([v.periods for v in views])
    return TimedComparison(
        views=views,
        periods=periods,
        overview=overview(views),
        coverage=coverage_changes(views, periods),
        tours=tour_changes(views, periods),
        priorities=priority_table(views),
        notes=[n for v in views for n in v.notes] + horizon_notes(views),
    )


def short_by_priority(view: TimedView) -> dict[int, float]:
    """Unit-months short per priority (Sustainability)."""
    sus = view.sustainability
    if not len(sus):
        return {}
    return {int(p): float(v) for p, v in sus.groupby("priority")["unit_months_short"].sum().items()}


def _priorities(views: list[TimedView]) -> list[int]:
    return sorted({p for v in views for p in short_by_priority(v)})


def overview(views: list[TimedView]) -> pd.DataFrame:
    stages = sorted({k for v in views for k in v.stages}, key=_stage_order)
    prios = _priorities(views)
    rows = []
    for view in views:
        short = short_by_priority(view)
        row: dict[str, Any] = {
            "scenario": view.name,
            "status": EDITED if view.edited else view.status,
            "violations": None if view.violations is None else len(view.violations),
            "periods": view.summary.get("periods"),
            "horizon_months": view.summary.get("horizon_months"),
        }
        for key in stages:
            row[key] = view.stages.get(key) if view.has_plan else None
        for p in prios:
            known = view.has_figures
            row[f"unit_months_short.p{p}"] = _whole(short.get(p, 0.0)) if known else None
        pct = number(view.summary.get("coverage_pct"))
        row["coverage_pct"] = pct if view.has_figures and pct is not None else None
        rows.append(row)
    changed = [*stages, *(f"unit_months_short.p{p}" for p in prios), "coverage_pct"]
    for row, view in zip(rows, views, strict=True):
        for key in changed:
            base = rows[0][key]
            row[DELTA + key] = (
                None
                if view is views[0] or row[key] is None or base is None
                else _whole(row[key] - base)
            )
        row["stages_from"] = view.stages_from
        said = [edited_note(view), violations_remark(view.violations)] if view.edited else []
        said += cautions(view.summary, str(view.name), view.status, view.edited)
        said += [no_plan_remark(view.status, view.source, view.summary)]
        row["remark"] = "; ".join(t for t in [*said, *view.notes] if t) or None
    frame = pd.DataFrame(rows)
    counts = ["violations", *(f"unit_months_short.p{p}" for p in prios)]
    for column in counts:  # whole numbers beside a blank, not NaN
        frame[column] = pd.Series([r[column] for r in rows], dtype=object)
    return frame


def _stage_order(key: str) -> tuple[int, int, str]:
    if key.startswith("objective.shortfall.p") and key.rsplit("p", 1)[1].isdigit():
        return (0, int(key.rsplit("p", 1)[1]), key)
    rest = ["objective.cost", "objective.presence"]
    return (1, rest.index(key) if key in rest else len(rest), key)


def _whole(value: float) -> int | float:
    value = round(float(value), 6)
    return int(value) if value.is_integer() else value


def coverage_changes(views: list[TimedView], periods: list[str]) -> pd.DataFrame:
    """Per scenario and line, runs of consecutive periods with the same change of units
    covered, with what each output requires there (`base_required`, `required`: a scenario
    that lowers a line's requirement covers fewer units without being short; an analyst trial
    read such runs as lost coverage). Only in the periods both outputs have, where both name
    theirs (their Burden sheets): a line's months beyond one plan's horizon read as `-1 unit`
    of a priority-1 line to an analyst trial (`horizon_notes` says which periods are left)."""
    at = {p: i for i, p in enumerate(periods)}
    base, base_required = covered(views[0]), required(views[0])
    prio = _line_priorities(views[0])
    rows = []
    for view in views[1:]:
        if not view.has_figures or not views[0].has_figures:
            continue
        own = _line_priorities(view)
        parts = [base, covered(view), base_required, required(view)]
        names = ["base", "now", "base_required", "required"]
        both = pd.concat([x.rename(n) for x, n in zip(parts, names, strict=True)], axis=1)
        both = both.fillna(0).astype("int64")
        if views[0].horizon and view.horizon:  # a period one plan lacks holds no change of it
            shared = set(views[0].horizon) & set(view.horizon)
            both = both[both.index.get_level_values(2).isin(shared)]
        # a line the scenario drops is no longer short because it is gone: listed even where
        # base covered none of it (a trial: `none` beside p1 -2 of a dropped line)
        short_moved = (both["required"] - both["now"]) != (both["base_required"] - both["base"])
        both = both[(both["base"] != both["now"]) | short_moved]
        by_line: dict[tuple[str, str], list[tuple[int, ...]]] = {}
        for (s, k, p), r in both.iterrows():
            cell = (at[p], *(int(r[n]) for n in names))
            by_line.setdefault((s, k), []).append(cell)
        for (s, k), cells in sorted(by_line.items()):
            for first, last, (delta, short), held in runs(sorted(cells)):
                rows.append(
                    {
                        "scenario": view.name,
                        "site": s,
                        "capability": k,
                        "priority": prio.get((s, k)),
                        "scenario_priority": own.get((s, k)),
                        "from": periods[first],
                        "to": periods[last],
                        "periods": last - first + 1,
                        DELTA + "units": delta,
                        DELTA + "short": short,
                        **dict(zip(COVERAGE_TABLE[-4:], held, strict=True)),
                    }
                )
    frame = pd.DataFrame(rows, columns=COVERAGE_TABLE)
    for column in ("priority", "scenario_priority"):  # whole numbers beside a blank, not NaN
        frame[column] = pd.Series([r[column] for r in rows], dtype=object)
    return frame


def coverage_unknown(views: list[TimedView]) -> list[TimedView]:
    """The scenarios (not base) holding a plan whose coverage against base cannot be compared:
    theirs or base's is an edited plan's that could not be recomputed."""
    base = views[0]
    if not base.has_plan:
        return []
    return [v for v in views[1:] if v.has_plan and not (v.has_figures and base.has_figures)]


def _line_priorities(view: TimedView) -> dict[tuple[str, str], int]:
    """The priority of each line of the view (its Coverage)."""
    cov = view.coverage
    return {
        (s, k): int(p)
        for s, k, p in zip(cov["site"], cov["capability"], cov["priority"], strict=True)
    }


def tour_changes(views: list[TimedView], periods: list[str]) -> pd.DataFrame:
    """The tours of each scenario that differ from base's (see the module's docstring)."""
    at = {p: i for i, p in enumerate(periods)}
    rows = []
    for view in views[1:]:
        if not view.has_plan or not views[0].has_plan:
            continue
        rows += _tour_rows(view.name, _tours(views[0], at), _tours(view, at), periods)
    return pd.DataFrame(rows, columns=TOUR_TABLE, dtype=object)  # units stay whole beside blanks


Tour = tuple[str, str, str, int, int, int]  # contributor, capability, site, first, last, units


def _tours(view: TimedView, at: dict[str, int]) -> list[Tour]:
    """The view's tours, rows of one key added up, none of 0 units (the module's docstring)."""
    t = view.tours
    units: dict[tuple[str, str, str, int, int], int] = {}
    keys = ("contributor", "capability", "site", "from", "to", "units")
    for c, k, s, a, b, n in zip(*(t[key] for key in keys), strict=True):
        key = (c, k, s, at[a], at[b])
        units[key] = units.get(key, 0) + int(n)
    return sorted((*key, n) for key, n in units.items() if n)


def _tour_rows(
    name: str, base: list[Tour], now: list[Tour], periods: list[str]
) -> list[dict[str, Any]]:
    left, right = list(base), list(now)
    for tour in base:
        if tour in right:
            right.remove(tour)
            left.remove(tour)
    rows = []
    for b in list(left):
        match = next((n for n in right if n[:3] == b[:3] and n[3] <= b[4] and b[3] <= n[4]), None)
        if match is not None:
            right.remove(match)
            left.remove(b)
            rows.append(_tour_row(name, "changed", b, match, periods))
    rows += [_tour_row(name, "removed", b, None, periods) for b in left]
    rows += [_tour_row(name, "added", None, n, periods) for n in right]
    return sorted(rows, key=lambda r: (r["contributor"], r["capability"], r["site"], r["_t"]))


def _tour_row(
    name: str, change: str, b: Tour | None, n: Tour | None, periods: list[str]
) -> dict[str, Any]:
    tour = b or n
    assert tour is not None  # a change has a tour on one side at least
    key = tour[:3]
    return {
        "scenario": name,
        **dict(zip(TOUR_KEY, key, strict=True)),
        "change": change,
        "base_from": periods[b[3]] if b else None,
        "base_to": periods[b[4]] if b else None,
        "base_units": b[5] if b else None,
        "from": periods[n[3]] if n else None,
        "to": periods[n[4]] if n else None,
        "units": n[5] if n else None,
        "_t": tour[3],
    }


def priority_table(views: list[TimedView]) -> pd.DataFrame:
    """Per scenario and priority: unit-months short in base and in the scenario, and the change."""
    base = short_by_priority(views[0])
    rows = []
    for view in views[1:]:
        now = short_by_priority(view)
        for p in _priorities(views):
            b = _whole(base.get(p, 0.0)) if views[0].has_figures else None
            n = _whole(now.get(p, 0.0)) if view.has_figures else None
            rows.append(
                {
                    "scenario": view.name,
                    "priority": p,
                    "base_unit_months_short": b,
                    "unit_months_short": n,
                    DELTA + "unit_months_short": None if b is None or n is None else _whole(n - b),
                }
            )
    return pd.DataFrame(rows, columns=PRIORITY_TABLE)


def said_span(periods: list[str], first: str, last: str) -> str:
    """`2027-07..2027-12` (one name for one period)."""
    return span(periods, periods.index(first), periods.index(last))
