"""The contract's rules in every period (`time.md`, "The model in time"), one function per rule.

For each requirement line (s, k) and period t, with required(s, k, t) the Profile's units in its
periods, else the line's units while it is active, else 0:

    requirement       sum over c of x[c,k,s,t] <= required(s, k, t)
    hard              shortfall(s, k, t) = required - allocated = 0 in every period (hard lines)
    single_source     at most one contributor with x[c,k,s,t] > 0 (a hand-over between periods
                      is allowed)
    max_contributors  at most that many contributors present at s in t

Consecutive periods with the same finding are reported as one span (`in P2..P4`): the same
numbers make one message, while who is present may change within it (`findings.py`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..data import is_blank
from .findings import DETAIL, Finding, Found, Subject, per_period
from .plan import Violation, units_text
from .schedule import Present, Schedule, rows_of


def _who(present: list[Present]) -> str:
    """`A 2, B 1`."""
    return ", ".join(f"{p.contributor} {p.units}" for p in present)


def requirements(schedule: Schedule) -> list[Violation]:
    """sum over c of x[c,k,s,t] <= required(s, k, t)."""
    found: Found = {}
    subject: Subject = {}
    got = schedule.allocated
    for (s, k), line in schedule.line_index.items():
        for t in np.flatnonzero(got[line] > schedule.required[line]).tolist():
            here = schedule.on_line(s, k, t)
            text = (
                f"{units_text(got[line, t])} allocated ({DETAIL}), "
                f"{schedule.required[line, t]} required"
            )
            found.setdefault((s, k), {})[t] = Finding(text, rows_of(here), _who(here))
            subject[(s, k)] = (f"requirement {s}/{k}", (f"{s}/{k}",))
    return per_period(schedule, "requirement", found, subject)


def shortfalls(schedule: Schedule, site: str, capability: str) -> dict[int, Finding]:
    """The periods in which a line is short, each with `1 unit allocated, 2 required (short 1)`
    and the Tours rows of the units it has then (none when it has none): where a partly met
    line is to be filled (a trial: its finding named no row, where the snapshot's does)."""
    line = schedule.line_index[(site, capability)]
    got, need = schedule.allocated[line], schedule.required[line]
    return {
        t: Finding(
            f"{units_text(got[t])} allocated, {need[t]} required (short {need[t] - got[t]})",
            rows_of(schedule.on_line(site, capability, t)),
        )
        for t in range(len(schedule.names))
        if got[t] < need[t]
    }


def hard(schedule: Schedule) -> list[Violation]:
    """A hard line is met in full in every period it is active: shortfall(s, k, t) = 0."""
    found: Found = {}
    subject: Subject = {}
    rq = schedule.data.requirements
    for s, k, is_hard in zip(rq["site"], rq["capability"], rq["hard"], strict=True):
        short = shortfalls(schedule, s, k) if bool(is_hard) else {}
        if short:
            found[(s, k)] = short
            subject[(s, k)] = (f"hard requirement {s}/{k}", (f"{s}/{k}",))
    return per_period(schedule, "hard", found, subject)


def single_source(schedule: Schedule) -> list[Violation]:
    """On a single_source line, at most one contributor present in each period."""
    found: Found = {}
    subject: Subject = {}
    rq = schedule.data.requirements
    single = rq.loc[rq["single_source"].to_numpy(dtype=bool)]
    for s, k in zip(single["site"], single["capability"], strict=True):
        for t in range(len(schedule.names)):
            here = schedule.on_line(s, k, t)
            n = len({p.contributor for p in here})
            if n > 1:
                text = f"{n} contributors ({DETAIL}), at most 1 allowed"
                found.setdefault((s, k), {})[t] = Finding(text, rows_of(here), _who(here))
                subject[(s, k)] = (f"single-source line {s}/{k}", (f"{s}/{k}",))
    return per_period(schedule, "single_source", found, subject)


def max_contributors(schedule: Schedule) -> list[Violation]:
    """At most `max_contributors` contributors present (>= 1 unit) at a site in each period."""
    found: Found = {}
    subject: Subject = {}
    sit = schedule.data.sites
    for s, limit in zip(sit["site"], sit["max_contributors"], strict=True):
        if is_blank(limit):
            continue
        for t in range(len(schedule.names)):
            here = schedule.by_site.get((s, t), [])
            present = sorted({p.contributor for p in here})
            if len(present) > limit:
                text = (
                    f"{len(present)} contributors present ({DETAIL}), at most {int(limit)} allowed"
                )
                found.setdefault(s, {})[t] = Finding(text, rows_of(here), ", ".join(present))
                before = subject.get(s, ("", (s,)))[1][1:]
                subject[s] = (f"site {s}", (s, *sorted({*before, *present})))
    return per_period(schedule, "max_contributors", found, subject)


PERIOD_RULES: tuple[Callable[[Schedule], list[Violation]], ...] = (
    requirements,
    hard,
    single_source,
    max_contributors,
)
