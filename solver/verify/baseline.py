"""`verify` against a baseline (contract `replanning.md`): the locked rows kept, and the
`changes` stage recomputed beside the stored `objective.changes`.

verify's own reading, from the baseline's rows (`Data.baseline.rows`: contributor, capability,
site, first_t, last_t, units, lock, where) and the plan as verify reads it (the Allocation of a
snapshot, the Tours of a timed plan); nothing comes from the model or from the re-plan tables.
With o = (c,k,s) and t a period (a snapshot has one, of one month):

    b[o,t] = sum of units over the baseline rows of o with first <= t <= last
    L[o,t] = the same over the rows with lock = yes
    x[o,t] = the plan's units of o present in t

    locked kept   x[o,t] >= L[o,t] for every (o,t) with L[o,t] > 0: a snapshot's locked units
                  stay where they are; a timed locked tour stays at its site with its units in
                  every period of its span, and with its dates (`locked_dates_violations`);
                  under a tour limit T, as one tour of the Tours (`locked_tour_violations`),
                  which no valid plan has where the tour lasts more than T months
    changes       sum over (o,t) of months(t) x |x[o,t] - b[o,t]| (units, or unit-months)

A stored `objective.changes` that differs from the recomputed one is shown `(differs)`, as every
other stage is: a plan edited by hand may change more than the solve did and still keep every
rule (the contract: verify "recomputes `changes` beside the stored value"). A plan solved against
another baseline is a warning of its own (`baseline_sha256`).

The plan verified may carry a `lock` column of its own: locks a planner typed for the next
re-plan, which binds them when the file is its baseline. They are not rules of this plan, so
verify does not read them; a cell that reading the file as a baseline refuses (`lock` =
`perhaps`) is a warning in that reading's words (`plan_lock_warnings`), not an error that would
refuse to check a plan that can be read; `compare` and `report`, which read the plan but not its
locks either, warn alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd

from ..baseline import Baseline
from ..errors import Issue
from ..io.baseline_input import unreadable_locks
from ..io.periods import span, spans
from ..io.raw_sheet import RawSheet
from ..wording import count
from .plan import Violation

Option = tuple[str, str, str]
OPTION = ["contributor", "capability", "site"]
Present = dict[tuple[str, str, str, int], tuple[int, tuple[int, ...]]]  # (c,k,s,t) -> units, rows
STAGE = "objective.changes"


def spread(baseline: Baseline, locked_only: bool = False) -> dict[tuple[str, str, str, int], int]:
    """b[o,t] (or L[o,t]) > 0 from the baseline's rows."""
    out: dict[tuple[str, str, str, int], int] = defaultdict(int)
    for r in baseline.rows.itertuples(index=False):
        if locked_only and not r.lock:
            continue
        for t in range(int(r.first_t), int(r.last_t) + 1):
            out[(r.contributor, r.capability, r.site, t)] += int(r.units)
    return dict(out)


def changes_value(baseline: Baseline, present: Present, months: np.ndarray) -> float:
    """sum over (o,t) of months(t) |x[o,t] - b[o,t]|."""
    b = spread(baseline)
    total = 0
    for key in set(b) | set(present):
        x = present[key][0] if key in present else 0
        total += int(months[key[3]]) * abs(x - b.get(key, 0))
    return float(total)


def locked_violations(
    baseline: Baseline, present: Present, names: Sequence[str]
) -> list[Violation]:
    """One violation per option whose locked units are not all present (`names`: the periods'
    names of a timed plan, empty for a snapshot)."""
    wheres: dict[Option, list[str]] = defaultdict(list)
    for r in baseline.rows[baseline.rows["lock"]].itertuples(index=False):
        wheres[(r.contributor, r.capability, r.site)].append(str(r.where))
    short: dict[Option, list[tuple[int, int, int]]] = defaultdict(list)  # o -> (t, x, L)
    locked_at: dict[Option, list[int]] = defaultdict(list)
    rows: dict[Option, set[int]] = defaultdict(set)
    for (c, k, s, t), need in sorted(spread(baseline, locked_only=True).items()):
        x, behind = present.get((c, k, s, t), (0, ()))
        locked_at[(c, k, s)].append(t)
        rows[(c, k, s)].update(behind)
        if x < need:
            short[(c, k, s)].append((t, x, need))
    out = []
    for (c, k, s), gaps in sorted(short.items()):
        where = ", ".join(dict.fromkeys(wheres[(c, k, s)]))
        if not names:
            _, x, need = gaps[0]
            message = f"{where}: locked {c} {need} {k} at {s}, the allocation has {x}"
        else:
            t, x, need = gaps[0]
            held = spans(list(names), locked_at[(c, k, s)])
            message = (
                f"{where}: locked tour {c} {k} at {s} in {held}: fewer units present in "
                f"{spans(list(names), [g[0] for g in gaps])} ({span(list(names), t, t)}: "
                f"{x} of {need})"
            )
        out.append(Violation("locked", (f"{c}/{k}/{s}",), message, tuple(sorted(rows[(c, k, s)]))))
    return out


def locked_dates_violations(
    baseline: Baseline, tours: pd.DataFrame, names: Sequence[str]
) -> list[Violation]:
    """A timed locked tour stands with its dates: for each option o and period t,

        A[o,t] = locked units of o whose tours start in t  <=  units of the plan's tours of o
                 from t
        D[o,t] = locked units of o whose tours end with t   <=  units of the plan's tours of o
                 to t          (t before the last period: a tour may not run on past it)

    `tours`: the plan's Tours as verify placed them (contributor, capability, site, first,
    last, units, row)."""
    locked = baseline.rows[baseline.rows["lock"]]
    out = []
    for end, plan_end, verb in (
        ("first_t", "first", "arrive in"),
        ("last_t", "last", "leave after"),
    ):
        want = locked.groupby([*OPTION, end], sort=True).agg(
            units=("units", "sum"), where=("where", "first")
        )
        have = tours.groupby([*OPTION, plan_end])["units"].sum() if len(tours) else {}
        for (c, k, s, t), need in want.iterrows():
            if end == "last_t" and t + 1 >= len(names):
                continue  # a tour that ends with the horizon cannot run on
            got = int(have.get((c, k, s, t), 0)) if len(tours) else 0
            if got < need["units"]:
                rows = _rows_of(tours, c, k, s)
                out.append(
                    Violation(
                        "locked",
                        (f"{c}/{k}/{s}",),
                        f"{need['where']}: locked tour {c} {k} at {s}: "
                        f"{count(int(need['units']), 'unit')} must {verb} {names[int(t)]}, the "
                        f"Tours have {got}",
                        rows,
                    )
                )
    return out


def locked_tour_violations(
    baseline: Baseline, tours: pd.DataFrame, periods: pd.DataFrame, limits: Mapping
) -> list[Violation]:
    """A timed locked tour of a pledge with a tour limit (`limits`: (c, k) -> tour_months, NaN
    without) is a tour of the plan as it stands: the plan's Tours rows of o from `first` to
    `last` hold at least its units. Its arrival and departure alone (`locked_dates_violations`)
    let a plan pair them with other units: a re-plan trial's locked 02..03 held as tours
    01..03 and 02..04. A tour longer than the limit too, whose locked units no plan of valid
    tours holds as one tour (the Tours must have it, which the tour rule then breaks: a contract
    audit's plan held it in rotations and was said to keep the lock), overlapping or not. Not
    for a tour carried into the horizon (its units came before), nor an option whose locked
    tours overlap with other dates (docs/workbook.md, Re-planning)."""
    locked = baseline.rows[baseline.rows["lock"] & (baseline.rows["units"] > 0)]
    carried = set()
    if baseline.history is not None and len(baseline.history):
        history = baseline.history
        carried = set(history.loc[history["carried"].astype(bool), "where"])
    offset = periods["offset"].to_numpy(dtype=np.int64)
    months = periods["months"].to_numpy(dtype=np.int64)
    names = [str(p) for p in periods["period"]]
    have = tours.groupby([*OPTION, "first", "last"])["units"].sum() if len(tours) else None
    out = []
    for (c, k, s), rows in locked.groupby(OPTION, sort=True):
        spans = rows.groupby(["first_t", "last_t"], sort=True).agg(
            units=("units", "sum"), where=("where", "first")
        )
        dates = list(spans.index)
        limit = float(limits.get((c, k), np.nan))
        for (first, last), need in spans.iterrows():
            overlapping = any(
                (a, b) != (first, last) and a <= last and first <= b for a, b in dates
            )
            length = int(offset[last] + months[last] - offset[first])
            too_long = length > limit
            if (overlapping and not too_long) or limit != limit or need["where"] in carried:
                continue
            got = int(have.get((c, k, s, first, last), 0)) if have is not None else 0
            if got < need["units"]:
                why = f"{c}'s tours of {k} last at most {limit:g} months"
                if too_long:
                    why = f"it lasts {length} months, and {why}: no plan keeps this lock"
                out.append(
                    Violation(
                        "locked",
                        (f"{c}/{k}/{s}",),
                        f"{need['where']}: locked tour {c} {k} at {s} "
                        f"{names[first]}..{names[last]}: {count(int(need['units']), 'unit')} "
                        f"must serve it as one tour, the Tours have {got} ({why})",
                        _rows_of(tours, c, k, s),
                    )
                )
    return out


def _rows_of(tours: pd.DataFrame, c: str, k: str, s: str) -> tuple[int, ...]:
    """The Tours rows of option (c, k, s): where a lock's violation is cited."""
    if not len(tours):
        return ()
    mine = tours[(tours["contributor"] == c) & (tours["capability"] == k) & (tours["site"] == s)]
    return tuple(int(r) for r in mine["row"])


V = TypeVar("V")  # a stage value: a number, or None where unknown


def in_stage_order(values: Mapping[str, V], changes: V) -> dict[str, V]:
    """The stage values with `objective.changes` after the shortfall stages, before cost."""
    out = {k: v for k, v in values.items() if k.startswith("objective.shortfall.")}
    out[STAGE] = changes
    out.update({k: v for k, v in values.items() if k not in out})
    return out


def plan_lock_warnings(sheet: RawSheet | None, file: str, command: str = "verify") -> list[Issue]:
    """A warning at each `lock` cell of `sheet`, the plan sheet of the output `file` (its Tours
    in time, else its Allocation), that `solve --baseline FILE` refuses, in its words (module
    docstring): `command` (verify, compare, report) reads the plan but not its locks, and says
    now what the re-plan will refuse."""
    if sheet is None or "lock" not in sheet.columns:
        return []
    return [
        Issue(
            where,
            f"{said}: {command} does not read the plan's own locks, but a re-plan against this "
            f"file (`solve --baseline {file}`) refuses the cell; write yes or no",
            "warning",
        )
        for where, said in unreadable_locks(sheet)
    ]


def locks_note(baseline: Baseline | None, broken: int) -> str | None:
    """`3 locked rows of the baseline checked: all held` (or `1 of them broken`), for a check
    against a baseline with locks; None without (a re-plan trial: `no violations` said nothing
    of the locks it had checked)."""
    if baseline is None or not baseline.rows["lock"].any():
        return None
    locked = int(baseline.rows["lock"].sum())
    said = "all held" if not broken else f"{count(broken, 'lock')} broken (above)"
    return f"{count(locked, 'locked row')} of the baseline checked: {said}"
