"""A timed rule's findings per period, and how they become violations: one per run of periods.

A rule finds, for a key (a line, a pledge, a site, a caveat and what it matched) and a period t,
a `Finding`: its text, the Tours rows behind it, and optionally a *detail* (who is present, at
which sites) that goes where the text holds the mark `DETAIL`.

The merge key. Consecutive periods of one key are one run, one message, when their texts are
equal with the detail left out: the same rule broken on the same line, pledge, site or caveat,
stating the same numbers (units allocated and required; deployed, in dwell and pledged; the
total against the caveat's limit; the number of contributors or sites). That is what a planner
reads as one violation, and every number of the message holds in every period of its span. The
detail may change within a run (another nation sharing the line hands over, a contingent moves
between sites); it is then given per sub-range of the run, in time order:

    requirement S1/INF in P1..P6: 2 units allocated (A 1, B 1 in P1..P2; A 1, C 1 in P3..P6),
    1 required

(at most `SHOWN` sub-ranges, then `and N more`). Different numbers are different messages, even
when the excess is the same: `2 allocated, 1 required` and `3 allocated, 2 required` are two.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..io.periods import span
from ..wording import shortened
from .plan import Violation
from .schedule import Schedule

DETAIL = "\x1f"  # where a finding's detail goes (no name read from a workbook holds it)
SHOWN = 3  # sub-ranges of a changing detail given one by one


class Finding(NamedTuple):
    """What a rule finds on one key in one period: `text` (with `DETAIL` where `detail` goes,
    when there is one) and the Tours rows behind it."""

    text: str
    rows: tuple[int, ...] = ()
    detail: str = ""


Found = dict[Any, dict[int, Finding]]
Subject = dict[Any, tuple[str, tuple[str, ...]]]


class Run(NamedTuple):
    """Consecutive periods first..last of one key with the same finding (the merge key): the
    text with its detail filled in, and the Tours rows of every period of the run."""

    key: Any
    first: int
    last: int
    text: str
    rows: tuple[int, ...]


def runs(found: Found, names: list[str]) -> list[Run]:
    """Per key, consecutive periods whose findings have the same text (the merge key) as one
    run. Keys in the order given, runs in time order; `names` are the periods' names."""
    out = []
    for key, by_t in found.items():
        group: list[tuple[int, Finding]] = []
        for t in sorted(by_t):
            if group and (group[-1][0] != t - 1 or group[-1][1].text != by_t[t].text):
                out.append(_run(key, group, names))
                group = []
            group.append((t, by_t[t]))
        if group:
            out.append(_run(key, group, names))
    return out


def _run(key: Any, group: list[tuple[int, Finding]], names: list[str]) -> Run:
    rows = sorted({r for _, f in group for r in f.rows})
    text = group[0][1].text.replace(DETAIL, detail_over(group, names))
    return Run(key, group[0][0], group[-1][0], text, tuple(rows))


def detail_over(group: list[tuple[int, Finding]], names: list[str]) -> str:
    """The detail of a run: as it is when the same in every period, else `d1 in P1..P2; d2 in
    P3` per sub-range with the same detail (the first `SHOWN`, then `and N more`)."""
    parts: list[list[Any]] = []  # [detail, first, last]
    for t, finding in group:
        if parts and parts[-1][0] == finding.detail:
            parts[-1][2] = t
        else:
            parts.append([finding.detail, t, t])
    if len(parts) == 1:
        return str(parts[0][0])
    return shortened([f"{d} in {span(names, a, b)}" for d, a, b in parts], SHOWN, "; ")


def per_period(schedule: Schedule, rule: str, found: Found, subject: Subject) -> list[Violation]:
    """Violations `{subject} in {a..b}: {finding}`, one per run (`runs`), each naming its Tours
    rows for the console; `subject` gives each key's wording and ids."""
    out = []
    for key, first, last, text, rows in runs(found, schedule.names):
        what, ids = subject[key]
        message = f"{what} in {schedule.span(first, last)}: {text}"
        out.append(Violation(rule, ids, message, rows, schedule.cite(rows)))
    return out
