"""Counts and cell lists as planners read them: `1 line`, `2 lines`, `Pledges!F4, F9 and 2
more`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model.stage_names import is_shortfall, stage_records

IRREGULAR = {
    "presence": "presences",
    "priority": "priorities",
    "capability": "capabilities",
    "person": "people",
}


def plural_of(word: str) -> str:
    """The plural of one of forcegen's nouns (`line` -> `lines`, `priority` -> `priorities`)."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def count(n: float, word: str, plural: str | None = None) -> str:
    """`n word`, the word in the plural unless n is exactly 1: `1 line`, `0 lines`, `2.5 units`."""
    number = str(int(n)) if float(n).is_integer() else f"{n:g}"
    noun = word if n == 1 else (plural or plural_of(word))
    return f"{number} {noun}"


def shortened(items: list[str], limit: int, sep: str = ", ") -> str:
    """`items` joined by `sep`, the first `limit` and `and N more` where N >= 2: eliding one
    item saves nothing and may hide the one the reader looks for."""
    if len(items) <= limit + 1:
        return sep.join(items)
    more = len(items) - limit
    tail = "; and" if sep == "; " else " and"
    return sep.join(items[:limit]) + f"{tail} {more} more"


def cells_text(at: list[str]) -> str:
    """Cell addresses in the order given, compactly: `Pledges!F4, F9 and 12 more` (the sheet
    named once per run of cells on it)."""
    shown = at if len(at) <= 3 else at[:2]
    parts: list[str] = []
    sheet: str | None = None
    for address in shown:
        where, _, cell = address.rpartition("!")
        parts.append(cell if where == sheet and where else address)
        sheet = where
    text = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return text if len(at) <= 3 else f"{', '.join(parts)} and {len(at) - 2} more"


def stopped_words(reason: str, summary: dict, words: dict[str, str]) -> str:
    """What stopped a stage (`stage.<name>.stopped`) in `words`, whose `{limit}` is the work
    limit when the Summary has one (`option.work_limit`), else the time limit."""
    limit = "work limit" if summary.get("option.work_limit") else "time limit"
    return words[reason].format(limit=limit)


# the Gaps reason where no single rule keeps a spare unit off a short line (explain/gaps.py,
# gaps_time.py); explain/sustain.py qualifies it where the search stopped first
SPARE = "not used although spare: no single rule blocks it"
# after a caveat that keeps a pledge off a line whose units are all busy anyway (Gaps): lifting
# the caveat would free none, so the reason says where they are
BESIDES = "; besides, "


def percent(share: object) -> str:
    """A relative gap as planners read it: 0 -> `0%`, 0.0123 -> `1.23%`, 1 -> `100%`; above 0
    but below 0.01% (HiGHS's default tolerance: what an `optimal` stage may keep) -> `<0.01%`,
    not `1e-07%`."""
    if not isinstance(share, int | float) or isinstance(share, bool):
        return "-"
    if 0 < share < 1e-4:
        return "<0.01%"
    return f"{100 * share:.3g}%"


def gap_headline(summary: dict) -> str:
    """The Summary's gap as a headline reads it: `gap 1.2%`; when a later stage alone is not
    proven while every shortfall stage is, that first (`shortfall proven optimal; gap 92.3% at
    presence`), so that a large gap of the presence or cost stage is not read as doubt about
    what is covered; so too after a stop (`interrupted`) that came once the shortfall was
    proven. When a shortfall stage is not proven, the first such leads (`shortfall.p3 not
    proven, gap 2.13%; gap 100% at presence`): the largest gap alone, a later stage's, hid that
    the coverage itself is not proven (an analyst trial)."""
    gap = summary.get("mip_gap")
    words = f"gap {percent(gap)}"
    if (
        summary.get("status") not in ("feasible", "interrupted")
        or not isinstance(gap, int | float)
        or not gap
    ):
        return words
    stages = stage_records(summary)
    shortfall = [s for s in stages if is_shortfall(s.name)]
    if not shortfall:
        return words
    # the stages whose gap it is
    worst = [s.name for s in stages if not is_shortfall(s.name) and s.gap == gap]
    at = f" at {joined(worst)}" if worst else ""
    open_shortfall = [s for s in shortfall if not s.proven]
    if open_shortfall:
        first = open_shortfall[0]
        if first.status == "not_solved":  # the search stopped before it
            return f"{first.name} not optimised; {words}{at}"
        its = "" if first.gap is None else f", gap {percent(first.gap)}"
        if first.gap == gap:  # the largest gap is its own: said once (a later stage's as
            # large adds nothing: `p1 not proven, gap 100%; gap 100% at cost and presence`)
            return f"{first.name} not proven{its}"
        return f"{first.name} not proven{its}; {words}{at}"
    return f"shortfall proven optimal; {words}{at}"


def joined(words: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)


def unproven_note(summary: Mapping[Any, Any], decided_by: str) -> str:
    """` (not proven: shortfall.p3, gap 2.13%)` beside a figure of a plan that a stage not
    proven decides, '' when every such stage is proven: the console's stage lines marked
    them, but the Dashboard, the briefing's cards and the console's figure lines did not (an
    analyst trial read an unproven 95.2% coverage and a cost a longer run halves as final).

    `decided_by`: `shortfall` (totals, coverage, lines sustained, first gap: every shortfall
    stage), a stage's name (`shortfall.p2`: that priority's own figures; `cost`). A figure is
    marked when its stage or any stage before it is not proven (a later stage solved holding an
    open one proves nothing of it: `compare.caution.first_open`'s rule). A Summary that
    records no stage at all (an older output) marks a plan not proven (`feasible`,
    `interrupted`) as such."""
    records = stage_records(summary)
    if not records:
        unproven = summary.get("status") in ("feasible", "interrupted")
        return " (not proven)" if unproven else ""
    deciding = [
        i
        for i, r in enumerate(records)
        if r.name == decided_by or (decided_by == "shortfall" and is_shortfall(r.name))
    ]
    last = deciding[-1] if deciding else -1
    open_stages = [r for r in records[: last + 1] if not r.proven]
    if not open_stages:
        return ""
    first = open_stages[0]
    if first.status == "not_solved":
        return f" (not proven: {first.name} not optimised)"
    how = "" if first.gap is None else f", gap {percent(first.gap)}"
    return f" (not proven: {first.name}{how}{_widest_after(first, open_stages[1:])})"


def _widest_after(first: Any, later: list[Any]) -> str:
    """`; up to 100% at shortfall.p3`: where a later open stage deciding the figure has a wider
    gap than the first one named (a scale trial read `p3 coverage 3.3% (not proven:
    shortfall.p2, gap 2.54%)` as nearly proven while p3's own gap was 100%); '' else."""
    gaps = [r for r in later if r.gap is not None and r.status != "not_solved"]
    widest = max(gaps, key=lambda r: r.gap, default=None)
    if widest is None or (first.gap is not None and widest.gap <= first.gap):
        return ""
    return f"; up to {percent(widest.gap)} at {widest.name}"


def cannot_all_hold(locked: bool) -> str:
    """What an infeasible solve could not keep: `hard requirements and caveats cannot all
    hold`, the baseline's locked rows named too where a re-plan has any (a re-plan trial whose
    locks alone conflicted read of requirements and caveats only)."""
    if locked:
        return "hard requirements, caveats and the baseline's locked rows cannot all hold"
    return "hard requirements and caveats cannot all hold"
