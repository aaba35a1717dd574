"""The Asks sheet of a re-plan (contract `replanning.md`): per nation, what the new plan asks
of it compared with the baseline, in a planner's words; the table for a force sourcing
conference.

From the changes d[c,k,s,t] = planned - baseline (`changes.unit_changes`), period by period:
in period t a nation's withdrawals (d < 0) and additions (d > 0) of one capability are paired
into moves of min(|d-|, d+) units, site by site in name order (`move 1 INF_BN from Mitrovica
to Sarajevo`); what is left of either stays an addition of d at s or a withdrawal of |d| from
s. Consecutive periods with the same item (kind, capability, site, destination, units) are
one item, so a nation that moves a unit from A to B for a year reads as one move, and one
that hops between sites as one move per hop. A snapshot has one period, so its items have
no time; a timed item says when, within the horizon P_first..P_last: nothing when it spans
it, `from P` when it runs to the end, `until P` when it starts at the beginning, `in P` for
one period, else `from P to Q`.

Each item gives its personnel: units x the pledge's personnel_per_unit (when the nation no
longer pledges it: what the baseline output wrote for those units, else the capability's;
what is withdrawn or moved is the baseline's units: what the output wrote for them first),
`+` added, `-` withdrawn. A withdrawal, or a move, whose baseline units could not stay where
they were says why, in the Changes sheet's words
(`change_reasons.py`): `withdraw 1 INF_BN from POL-East from 2028-01 (-600 personnel; forced:
ITA's mandate ends 2027-12)`. What the new situation forces reads apart from what the plan
chose (the items without it), which a conference may still negotiate; periods with another
reason, or none, are another item. A nation's `ask` lists its items
(`; `-joined, by first period, capability, kind, site), or `unchanged`.

In time the changes count unit-months, so a nation whose units are present as before may still
have its tours re-cut (one rotation of six months where there were two of three, an arrival
moved with a departure): such a nation is not `unchanged`; its ask lists, per capability and
site, its tours as they were and as they are (`with_rotations_recut`), and its numbers stay 0.
A nation asked for other things gets the same re-cut of each capability and site where its
units are present as before, after its items: a rotation it was told of and that no longer
holds is part of what it is asked, whatever else it is asked. So does a capability and site
whose units changed, where units now arrive otherwise than its items' starts and ends account
for (`_arrivals_moved`: its items say only where the units present differ).

Numbers per nation: units_added, units_withdrawn, units_moved and personnel_added,
personnel_withdrawn, personnel_moved: what the nation is asked for **at once**, per kind the
sum over capabilities k of the most units of k in that kind's items of one period (x the
pledge's personnel_per_unit for personnel). A snapshot's one period: the sum of its items.
In time a platoon that hops between four sites in four months is 1 unit added, not 4, and a
battalion added until March with a platoon added from April are 2 units: different units to
generate, though never deployed together. Also units_changed = the sum of |d| (snapshot;
= added + withdrawn + 2 x moved) or
unit_months_changed = the sum of |d| x months(t) (timed): the nation's share of the
`changes` stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..io.output_schema import ASKS, TIMED_ASKS
from ..io.period_names import as_end
from ..io.periods import span
from ..wording import count

ASKS_COLUMNS = ASKS.names  # io/output_schema.py
TIMED_ASKS_COLUMNS = TIMED_ASKS.names
UNCHANGED = "unchanged"
KIND_ORDER = {"move": 0, "withdraw": 1, "add": 2}


@dataclass(frozen=True)
class Item:
    """One thing asked of a nation: `units` of capability k, `kind` add / withdraw / move,
    at (add) or from (withdraw, move) `site`, to `to` (move), in periods first..last."""

    kind: str
    capability: str
    site: str
    units: int
    first: int
    last: int
    to: str = ""
    forced: str = ""  # why the units could not stay at `site` (withdraw, move), else ''


def asks_table(
    diff: pd.DataFrame,
    nations: Sequence[str],
    personnel_per_unit: Callable[[str, str], int],
    periods: pd.DataFrame | None = None,
    why: Sequence[str] | None = None,
    held_per_unit: Callable[[str, str], int] | None = None,
) -> pd.DataFrame:
    """The Asks sheet: one row per nation of `nations` (in that order, then any other nation
    with a change, by name), from the DIFF rows of `changes.unit_changes` and, per row, `why`
    its baseline units could not stay (`change_reasons`; None: no item is said forced).
    `held_per_unit`: the personnel of a baseline unit, for what is withdrawn or moved (the
    baseline's units; else `personnel_per_unit`, which counts what is added)."""
    held = held_per_unit or personnel_per_unit

    def size(kind: str) -> Callable[[str, str], int]:
        return personnel_per_unit if kind == "add" else held

    reasons = list(why) if why is not None else [""] * len(diff)
    rows = diff.assign(change=diff["planned"] - diff["baseline"], why=reasons)
    months = np.ones(1, dtype=np.int64) if periods is None else periods["months"].to_numpy()
    names = [] if periods is None else [str(n) for n in periods["period"]]
    ends = [as_end(n, int(m)) for n, m in zip(names, months, strict=False)]  # to `2027-09`
    by_period = _items_by_period(rows)
    listed = list(dict.fromkeys([*nations, *sorted(set(rows["contributor"]) - set(nations))]))
    out = []
    for c in listed:
        mine = by_period.get(c, [])
        units = _at_once(mine)
        people = {
            kind: sum(n * size(kind)(c, k) for k, n in most.items())
            for kind, most in _most_per_capability(mine).items()
        }
        own = rows[rows["contributor"] == c]
        weight = months[own["t"].to_numpy(dtype=np.int64)] if len(own) else np.empty(0)
        texts = [_text(i, size(i.kind)(c, i.capability), names, ends) for i in _merged(mine)]
        out.append(
            {
                "contributor": c,
                "ask": "; ".join(texts) if texts else UNCHANGED,
                "units_added": units["add"],
                "units_withdrawn": units["withdraw"],
                "units_moved": units["move"],
                "units_changed": int((own["change"].abs().to_numpy() * weight).sum()),
                "personnel_added": people["add"],
                "personnel_withdrawn": people["withdraw"],
                "personnel_moved": people["move"],
            }
        )
    table = pd.DataFrame(out, columns=ASKS_COLUMNS)
    if periods is None:
        return table
    return table.rename(columns={"units_changed": "unit_months_changed"})[TIMED_ASKS_COLUMNS]


def console_line(asks: pd.DataFrame) -> str:
    """`3 units change, 2 nations asked` (timed: `12 unit-months change, ...`), and where a
    unit moves, what the count is made of: the contract's `changes` counts units added plus
    units removed, so a move counts twice, and a trial read "13 units change" against 7 units
    moved or withdrawn in the Asks. A snapshot's count is 2 x moved + added + withdrawn (the
    Asks pair a nation's withdrawals and additions of one capability into moves), said as
    `4 units change (1 moved, each counted twice; 1 added; 1 withdrawn), 3 nations asked`; a
    timed one's moves are counted per period, so only the rule is said. An Asks sheet without
    the counts (edited, or a table of names) gives the bare line."""
    timed = "unit_months_changed" in asks
    changed = changed_total(asks)
    asked = int((asks["ask"] != UNCHANGED).sum())
    return (
        f"{count(changed, 'unit-month' if timed else 'unit')} change{_made_of(asks, timed)}, "
        f"{count(asked, 'nation')} asked"
    )


def changed_total(asks: pd.DataFrame) -> int:
    """The `changes` the Asks add up to: units changed (snapshot) or unit-months (timed), each
    nation's share summed. What a re-plan's console line says, and what `compare` shows as
    the re-plan's `changes` beside it."""
    return int(
        asks["unit_months_changed" if "unit_months_changed" in asks else "units_changed"].sum()
    )


def _made_of(asks: pd.DataFrame, timed: bool) -> str:
    """` (2 moved, each counted twice; 1 added)` where a unit moves, else ''."""
    if "units_moved" not in asks or not (moved := int(asks["units_moved"].sum())):
        return ""
    if timed:
        return " (a move counts twice)"
    parts = [f"{moved} moved, each counted twice"]
    for column, word in (("units_added", "added"), ("units_withdrawn", "withdrawn")):
        if column in asks and (n := int(asks[column].sum())):
            parts.append(f"{n} {word}")
    return f" ({'; '.join(parts)})"


def _items_by_period(rows: pd.DataFrame) -> dict[str, list[Item]]:
    """Per nation, its items of each period (first = last = t): per capability and period,
    withdrawals and additions paired into moves site by site in name order, the rest left
    as additions and withdrawals."""
    changes: dict[tuple[str, str, int], list[tuple[str, int, str]]] = {}
    columns = ["contributor", "capability", "site", "t", "change", "why"]
    for c, k, s, t, d, why in rows[columns].itertuples(index=False, name=None):
        changes.setdefault((str(c), str(k), int(t)), []).append((str(s), int(d), str(why)))
    out: dict[str, list[Item]] = {}
    for (c, k, t), sites in sorted(changes.items()):
        gone = {s: -d for s, d, _ in sorted(sites) if d < 0}
        come = {s: d for s, d, _ in sorted(sites) if d > 0}
        forced = {s: why for s, d, why in sites if d < 0}
        items = out.setdefault(c, [])
        for w in gone:
            for a in come:
                n = min(gone[w], come[a])
                if n > 0:
                    items.append(Item("move", k, w, n, t, t, to=a, forced=forced[w]))
                    gone[w] -= n
                    come[a] -= n
        items += [
            Item("withdraw", k, s, n, t, t, forced=forced[s]) for s, n in gone.items() if n > 0
        ]
        items += [Item("add", k, s, n, t, t) for s, n in come.items() if n > 0]
    return out


def _most_per_capability(items: list[Item]) -> dict[str, dict[str, int]]:
    """Per kind and capability k, the most units of k in that kind's items of one period:
    max over t of the sum over sites of the units of k (items of one period each)."""
    per_period: dict[tuple[str, str, int], int] = {}
    for item in items:
        key = (item.kind, item.capability, item.first)
        per_period[key] = per_period.get(key, 0) + item.units
    most: dict[str, dict[str, int]] = {kind: {} for kind in KIND_ORDER}
    for (kind, k, _), units in per_period.items():
        most[kind][k] = max(most[kind].get(k, 0), units)
    return most


def _at_once(items: list[Item]) -> dict[str, int]:
    """Per kind, the units asked at once: the sum over capabilities of the most of each in
    one period (`_most_per_capability`): units of different capabilities are different
    units to generate, whenever they are asked for; one capability's units asked in turn
    at several sites are the same units."""
    return {kind: sum(most.values()) for kind, most in _most_per_capability(items).items()}


def _merged(items: list[Item]) -> list[Item]:
    """Items of one period each, those equal but for the period over consecutive periods made
    one; sorted for reading."""
    out: list[Item] = []
    order = sorted(
        items, key=lambda i: (i.kind, i.capability, i.site, i.to, i.units, i.forced, i.first)
    )
    for item in order:
        last = out[-1] if out else None
        if (
            last is not None
            and (last.kind, last.capability, last.site, last.to, last.units, last.forced)
            == (item.kind, item.capability, item.site, item.to, item.units, item.forced)
            and last.last + 1 == item.first
        ):
            out[-1] = replace(last, last=item.last)
        else:
            out.append(item)
    return sorted(
        out, key=lambda i: (i.first, i.capability, KIND_ORDER[i.kind], i.site, i.last, i.to)
    )


def _text(item: Item, ppu: int, names: list[str], ends: list[str]) -> str:
    """`add 1 MP_PLT at Mitrovica from 2027-07 (+35 personnel)` and the like; a forced
    withdrawal or move ends `(-600 personnel; forced: ITA's mandate ends 2027-12)`."""
    what = f"{item.units} {item.capability}"
    when = _when(item, names, ends)
    people = item.units * ppu
    sign = {"add": "+", "withdraw": "-", "move": ""}[item.kind]
    notes = ([f"{sign}{people} personnel"] if people else []) + (
        [f"forced: {item.forced}"] if item.forced else []
    )
    said = f" ({'; '.join(notes)})" if notes else ""
    if item.kind == "add":
        return f"add {what} at {item.site}{when}{said}"
    if item.kind == "withdraw":
        return f"withdraw {what} from {item.site}{when}{said}"
    return f"move {what} from {item.site} to {item.to}{when}{said}"


def _when(item: Item, names: list[str], ends: list[str]) -> str:
    """The item's periods within the horizon (module docstring), its last as an end (`ends`:
    `2027-07 (2027-07..2027-09)`, io/period_names.py `as_end`); '' in a snapshot."""
    if not names:
        return ""
    last = len(names) - 1
    if item.first == 0 and item.last == last:
        return ""
    if item.first == item.last:
        return f" in {names[item.first]}"
    if item.last == last:
        return f" from {names[item.first]}"
    if item.first == 0:
        return f" until {ends[item.last]}"
    return f" from {names[item.first]} to {ends[item.last]}"


def nations_of(data_contributors: pd.DataFrame, baseline_nations: Sequence[str]) -> list[str]:
    """The nations an Asks sheet lists: the workbook's contributors in the order of its
    Contributors sheet (`_row`; a row a scenario adds, row 0, after them), then any nation of
    the baseline no longer among them, by code."""
    frame = data_contributors
    if "_row" in frame:  # validation sorts the keys by code; the planner's order is the rows'
        added = frame["_row"] == 0
        frame = pd.concat([frame[~added].sort_values("_row", kind="mergesort"), frame[added]])
    own = [str(c) for c in frame["contributor"]]
    return list(dict.fromkeys([*own, *sorted(set(baseline_nations) - set(own))]))


Tour = tuple[int, int, int]  # first and last period (positions), units


def with_rotations_recut(
    asks: pd.DataFrame,
    baseline_rows: pd.DataFrame,
    tours: pd.DataFrame,
    names: Sequence[str],
    rotating: set[tuple[str, str]],
    changed: AbstractSet[tuple[str, str, str]] = frozenset(),
) -> pd.DataFrame:
    """The Asks of a timed plan with each nation whose tours differ from the baseline's where
    its units are present as before asked to re-cut them: `re-cut INF_BN rotations at Odesa:
    2028-03..2028-06 x1, 2028-07..2028-09 x1 -> 2028-03..2028-09 x1` (per capability and site
    whose tours differ; for an option whose units `changed`, which the nation's items say, only
    where units arrive otherwise than the items account for (`_arrivals_moved`);
    `baseline_rows`: contributor, capability, site, first_t,
    last_t, units; `tours`: the Tours sheet's contributor, capability, site, from, to, units).
    An `unchanged` nation's ask is its re-cuts; another's has them after its items.

    Only pledges with a tour limit (`rotating`: (c, k) with `tour_months`) are compared: their
    arrivals are the plan's decisions. Without one a nation rotates its own units, the plan has
    no tours of its own and the Tours sheet reads the fewest (model/tour_reading.py), which
    would call any baseline of several rotations re-cut. Tours with the same dates are added
    up on both sides (two rows of one tour are one tour of both units)."""
    at = {str(name): t for t, name in enumerate(names)}
    keys = ["contributor", "capability", "site"]
    was = _tours_by_option(baseline_rows[[*keys, "first_t", "last_t", "units"]], lambda t: int(t))
    now = _tours_by_option(tours[[*keys, "from", "to", "units"]], lambda name: at[str(name)])
    out = asks.copy()
    for i, (c, ask) in enumerate(zip(out["contributor"], out["ask"], strict=True)):
        recut = []
        options = {o for o in set(was) | set(now) if o[0] == c and (o[0], o[1]) in rotating}
        for option in sorted(options):
            before, after = was.get(option, []), now.get(option, [])
            if before != after and (option not in changed or _arrivals_moved(before, after)):
                _, k, site = option
                recut.append(
                    # an option new to the nation: its rotations, no re-cut of none (a trial)
                    f"{k} in rotations at {site}: {_tours_text(after, names)}"
                    if not before
                    else f"re-cut {k} rotations at {site}: {_tours_text(before, names)} -> "
                    f"{_tours_text(after, names)}"
                )
        if recut:
            items = [] if ask == UNCHANGED else [ask]
            out.iloc[i, out.columns.get_loc("ask")] = "; ".join([*items, *recut])
    return out


def _arrivals_moved(before: list[Tour], after: list[Tour]) -> bool:
    """Whether units arrive otherwise than the option's items (additions and withdrawals, which
    say where the units present differ) account for: with d(t) the units present after minus
    before, an item beginning at t brings up(t) = max(0, d(t) - d(t-1)) arrivals and one
    ending there takes down(t) = max(0, d(t-1) - d(t)) away, so a re-cut is left unsaid where

        arriving_after(t) > arriving_before(t) + up(t)   or
        arriving_after(t) < arriving_before(t) - down(t).

    A battalion's tours 04..12, 10..03 re-cut to 04..06, 07..12, 01..06 with 2 withdrawn in
    10..12: its items said the withdrawal, not that it now arrives in July and January (a
    trial). A tour starting later or earlier is its item's arrival, no re-cut; nor is an
    arrival that went with the units withdrawn (no unit of the option present then)."""
    last = max(b for _, b, _ in [*before, *after])
    present = [np.zeros(last + 1, dtype=np.int64) for _ in range(2)]
    arriving = [np.zeros(last + 1, dtype=np.int64) for _ in range(2)]
    for side, tours in enumerate((before, after)):
        for first, end, units in tours:
            present[side][first : end + 1] += units
            arriving[side][first] += units
    d = present[1] - present[0]
    d_before = np.concatenate([[0], d[:-1]])
    up, down = np.maximum(d - d_before, 0), np.maximum(d_before - d, 0)
    more = arriving[1] > arriving[0] + up
    # an arrival the baseline had where none of the option's units is present any more is
    # part of the withdrawal (tours Q2 and Q3 withdrawn from Q2 are no re-cut: a trial)
    fewer = (arriving[1] < arriving[0] - down) & (present[1] > 0)
    return bool(np.any(more | fewer))


def _tours_by_option(
    rows: pd.DataFrame, position: Callable[[Any], int]
) -> dict[tuple[str, str, str], list[Tour]]:
    """{(c, k, s): [(first, last, units), ...]} of rows (c, k, s, from, to, units), the units of
    tours with the same dates added up, in date order."""
    units: dict[tuple[str, str, str], dict[tuple[int, int], int]] = {}
    for c, k, s, first, last, n in rows.itertuples(index=False, name=None):
        if int(n) > 0:
            dates = units.setdefault((str(c), str(k), str(s)), {})
            span = (position(first), position(last))
            dates[span] = dates.get(span, 0) + int(n)
    return {o: [(a, b, n) for (a, b), n in sorted(d.items())] for o, d in units.items()}


def _tours_text(tours: list[Tour], names: Sequence[str]) -> str:
    """`P1 x1, P2..P3 x1`: each tour's periods (one period alone) and units."""
    return ", ".join(f"{span(names, a, b)} x{n}" for a, b, n in tours) or "none"
