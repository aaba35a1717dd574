"""Which of a scenario's overrides makes an error that base does not have.

An error at a base cell that only a scenario makes (its line's window narrowed, a Profile row then
outside it) names the scenario and its Scenarios cells (io/read.py). Of a scenario with several
overrides it named them all (`its overrides at Scenarios!E2, E3 and E4 make it`), where one made
it (a trial). Each override is applied alone to base, and the error is said to be made by those
that make it alone; where none does alone (two overrides together), by all of them.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import InputError, Issue, Issues
from .raw_sheet import RawWorkbook
from .scenarios import Override, ScenarioSheet, apply_scenario, dropped_keys, scenario_copy
from .validate import validate

# an error matched as base's are (`read._as_in_base`): its cell, its words without a did-you-mean
ErrorKey = tuple[str, str]


def errors_made_alone(
    pristine: RawWorkbook,
    read_items: list[Issue],
    parsed: ScenarioSheet,
    scenario: str,
    key: Callable[[Issue], ErrorKey],
) -> dict[ErrorKey, list[Override]]:
    """For each error (`key`) one override of `scenario` makes when applied alone to
    `pristine` (base's sheets as read, left unchanged), the overrides that make it."""
    made: dict[ErrorKey, list[Override]] = {}
    for override in parsed.overrides.get(scenario, []):
        alone = ScenarioSheet(overrides={scenario: [override]}, issues=parsed.issues)
        raw = scenario_copy(pristine)
        issues = Issues(list(read_items))
        apply_scenario(raw, scenario, issues, {}, alone)
        try:
            validate(raw, issues, scenario, dropped_keys(alone, scenario))
        except InputError as failed:
            for error in failed.errors:
                made.setdefault(key(error), []).append(override)
    return made
