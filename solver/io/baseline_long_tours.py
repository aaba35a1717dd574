"""Baseline tours longer than their pledge's `tour_months` (`time.md` rule 2), warned when read.

A timed baseline row q (c,k,s, first..last, u units) of a pledge with tour_months T lasts

    len(q) = m(last) + months(last) - m(first)

months (m(t): period t's month offset). Where len(q) > T it cannot stand as one tour of any
plan. Locked (and not carried in from before the horizon), the lock keeps it as one tour as it
stands (`replanning.md`; model/locked_apart.py: h[q] = u(q) and the tour rule's h[q] <= 0), so
no plan keeps it: the solve is infeasible, which `validate`'s verdict repeats (`CANNOT_HOLD`).
Locked and carried in (a rolling re-plan's, model/history.py), its units stay carried into the
first period and the plan rotates them after. Not locked, the re-plan relieves its units or
ends the tour sooner. A warning, never an error: the workbook itself is valid.
"""

from __future__ import annotations

from ..baseline import Baseline
from ..baseline_words import CANNOT_HOLD
from ..data import Data
from ..wording import count
from .periods import span


def tours_too_long(baseline: Baseline, data: Data, said: set[str]) -> list[tuple[str, str]]:
    """(where, message) per timed row longer than its pledge's `tour_months` (the module's
    docstring): locked, that the solve is infeasible (before, the plan rotated its units in
    shorter tours and called the lock held: a contract audit); locked and carried in, that the
    plan rotates them; not locked (a hand edit that never fitted the pledge), that the re-plan
    relieves them, for the Changes count units per period, not tours, and a relief with the
    same units there is no change (a planner trial saw a baseline tour of 8 months under
    tour_months 6 split without a word). Not of a row `said` (whose option the plan cannot
    keep at all: its own warning says what becomes of it)."""
    if data.periods is None or not len(baseline.rows):
        return []
    tours = data.pledges.set_index(["contributor", "capability"])["tour_months"]
    names = [str(p) for p in data.periods["period"]]
    offset = data.periods["offset"].to_numpy()
    months = data.periods["months"].to_numpy()
    history = baseline.history
    carried = (
        set() if history is None else set(history.loc[history["carried"].astype(bool), "where"])
    )
    out = []
    for row in baseline.rows.itertuples(index=False):
        if str(row.where) in said:
            continue
        limit = tours.get((row.contributor, row.capability))
        if limit is None or limit != limit:  # no pledge (said above), or no tour limit
            continue
        a, b = int(row.first_t), int(row.last_t)
        length = int(offset[b] + months[b] - offset[a])
        if length <= limit:
            continue
        within = count(int(limit), "month")
        tour = (
            f"tour {row.contributor} {int(row.units)} {row.capability} at {row.site} in "
            f"{span(names, a, b)} lasts {length} months, longer than {row.contributor}'s tours "
            f"of {row.capability} (tour_months {int(limit)})"
        )
        if row.lock and str(row.where) not in carried:
            then = (
                f", and a lock keeps its tour as it stands, so it {CANNOT_HOLD} (its "
                f"Infeasibility sheet names the conflict): unlock the row, or shorten it to at "
                f"most {within}"
            )
        elif row.lock:
            then = (
                f": it cannot stand as one tour; the plan keeps its units there in every period from {names[a]} in tours of "
                f"at most {within} (shorten the row to keep it as it is)"
            )
        else:
            then = (
                f": it cannot stand as one tour; the re-plan relieves its units with another tour or ends it sooner, within "
                f"{within} (a relief by as many units there is no change in the "
                "Changes sheet: see the Tours sheet)"
            )
        out.append((str(row.where), ("locked " if row.lock else "the baseline's ") + tour + then))
    return out
