"""Which of a scenario's overrides makes an error that base does not have.

An error at a base cell that only a scenario makes (its line's window narrowed, a Profile row then
outside it) names the scenario and its Scenarios cells (io/read.py). Of a scenario with several
overrides it named them all (`its overrides at Scenarios!E2, E3 and E4 make it`), where one made
it (a trial). So the overrides an error's words name (every word of the override's key among
the error's: `S1/INF` in `Profile row P2 of S1/INF lies outside ...`) are each applied alone to
base, and the error is said to be made by those that alone make an error at its cell; where none
does (two together), or no override's key is named, by all of them.

Each override applied alone is a validation of the whole workbook: at most BLAME_MAX of them per
scenario and BLAME_TOTAL per read of the workbook (reviews: 41 overrides, each applied alone,
took 9.5 minutes on a large workbook; 30 failing scenarios of the timed example, 38 s).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import InputError, Issue, Issues
from .raw_sheet import RawWorkbook
from .scenarios import Override, ScenarioSheet, apply_scenario, dropped_keys, scenario_copy
from .validate import validate

BLAME_MAX = 4  # overrides applied alone, per scenario
BLAME_TOTAL = 8  # and across the scenarios of one read (a review: 30 failing scenarios)


@dataclass
class BlameBudget:
    """The overrides left to apply alone in one read of a workbook."""

    left: int = field(default_factory=lambda: BLAME_TOTAL)


_WORD = re.compile(r"[A-Za-z0-9_]+")


def makers(
    errors: list[Issue],
    pristine: tuple[RawWorkbook, list[Issue]],
    parsed: ScenarioSheet,
    scenario: str,
    budget: BlameBudget,
) -> dict[Issue, list[Override]]:
    """For each of `errors` (the scenario's own, at base cells), the overrides that make it;
    all of the scenario's where that cannot be told. `pristine`: base's sheets as read (left
    unchanged) and what reading found; `budget`: the overrides the read may still apply
    alone (this scenario's are taken from it)."""
    overrides = parsed.overrides.get(scenario, [])
    named = {e: [o for o in overrides if _names(e, o)] for e in errors}
    tried = list({id(o): o for found in named.values() for o in found}.values())
    if len(overrides) < 2 or not tried or len(tried) > min(BLAME_MAX, budget.left):
        return {e: overrides for e in errors}
    budget.left -= len(tried)
    cells = {id(o): _cells_alone(*pristine, parsed, scenario, o) for o in tried}
    return {e: [o for o in named[e] if e.where in cells[id(o)]] or overrides for e in errors}


def _names(error: Issue, override: Override) -> bool:
    """Whether the error's words name every word of the override's key."""
    words = {w.casefold() for w in _WORD.findall(error.message)}  # a key typed `s1/inf` too
    return {w.casefold() for w in _WORD.findall(str(override.key))} <= words


def _cells_alone(
    pristine: RawWorkbook,
    read_items: Iterable[Issue],
    parsed: ScenarioSheet,
    scenario: str,
    override: Override,
) -> set[str]:
    """The cells of the errors that `override`, applied alone to base, makes."""
    alone = ScenarioSheet(overrides={scenario: [override]}, issues=parsed.issues)
    raw, issues = scenario_copy(pristine), Issues(list(read_items))
    apply_scenario(raw, scenario, issues, {}, alone)
    try:
        validate(raw, issues, scenario, dropped_keys(alone, scenario))
    except InputError as failed:
        return {error.where for error in failed.errors}
    return set()
