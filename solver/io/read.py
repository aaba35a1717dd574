"""Entry point of the io layer: a workbook path (and a scenario) in, validated `Data` out."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..data import Data
from ..errors import InputError, Issue, Issues
from ..wording import cells_text
from .cost_checks import cost_warnings
from .data_check import seal
from .excel import read_workbook
from .filecheck import is_plan
from .periods import periods_in, timed_refusal
from .raw_sheet import RawWorkbook
from .scenario_blame import BlameBudget, makers
from .scenario_labels import label_warnings, own_warnings
from .scenarios import (
    BASE,
    Override,
    ScenarioSheet,
    apply_scenario,
    dropped_cells,
    dropped_keys,
    name_scenario,
    parse_scenarios,
    scenario_copy,
)
from .schema import INPUT_SHEETS
from .schema_types import norm
from .validate import validate

_DID_YOU_MEAN = re.compile(r" \(did you mean '.*$")


def read_raw(path: Path, issues: Issues) -> RawWorkbook:
    """The input sheets of `path`, as read; a forcegen output given as an input is refused
    with one error saying so (not a dozen about the input sheets it does not have)."""
    expected = {norm(s.name): tuple(c.name for c in s.columns) for s in INPUT_SHEETS}
    copying = frozenset(norm(s.name) for s in INPUT_SHEETS if s.copies_other_columns)
    optional = tuple(s for s in INPUT_SHEETS if not s.required)
    raw = read_workbook(Path(path), expected, issues, copying, optional)
    if is_plan({norm(t) for t in raw.titles}):
        raise InputError(
            [
                Issue(
                    raw.path.name,
                    "this is a forcegen output (it has the sheets Summary and Allocation or "
                    "Tours and no Requirements or Pledges), not an input workbook: give the "
                    "workbook it was solved from (its Summary names it as input_file)",
                )
            ]
        )
    return raw


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_data(path: Path, scenario: str = BASE, *, allow_timed: bool = True) -> Data:
    """Read, apply the scenario, validate; raises `InputError` with every problem found.
    Every warning of a scenario other than base names it (`scenario 'name': ...`).

    With `allow_timed=False`, a timed workbook (Periods rows) is refused with `TimedWorkbook`
    before it is validated (for code that takes snapshots only)."""
    path = Path(path)
    issues = Issues()
    raw = read_raw(path, issues)
    data = _scenario_data(raw, issues, parse_scenarios(raw), scenario, allow_timed)
    data.warnings = label_warnings([*data.warnings, *cost_warnings(data)], scenario)
    data.source_sha256 = file_sha256(path)
    return data


def read_every_scenario(path: Path) -> tuple[Data, list[Issue], list[Issue]]:
    """The base case validated (raises `InputError` if it is invalid, with every scenario's
    errors and warnings too), the errors of every scenario of the Scenarios sheet in sheet
    order, and each scenario's own warnings (`own_warnings`: those base does not say; base's
    are the base case's `.warnings`). The workbook is read and parsed once; each scenario is
    applied to its own copy of the parsed sheets. Timed workbooks are read too."""
    path = Path(path)
    issues = Issues()
    raw = read_raw(path, issues)
    parsed = parse_scenarios(raw)
    try:
        base = _scenario_data(raw, Issues(list(issues.items)), parsed, BASE, True)  # no change
    except InputError as invalid:  # every scenario's errors too: every problem at once
        errors = list(invalid.errors)
        in_base = {_as_in_base(e) for e in errors}
        by_scenario, warned = _scenario_findings(raw, issues, parsed, in_base)
        for name, found in by_scenario.items():
            own = _knock_ons_left_out(raw, parsed.overrides[name], found)
            # not the base case's again (its did-you-mean may differ under the scenario), and
            # each once (an override of a key two rows share errs at its cell for each)
            errors += [
                e for e in dict.fromkeys(own) if e not in errors and _as_in_base(e) not in in_base
            ]
        warnings = [*invalid.warnings, *_scenarios_own(parsed, warned, invalid.warnings)]
        raise InputError(errors, warnings) from None
    base.warnings += cost_warnings(base)
    base.source_sha256 = file_sha256(path)
    by_scenario, warned = _scenario_findings(raw, issues, parsed, set())
    errors = [e for found in by_scenario.values() for e in found]
    return base, errors, _scenarios_own(parsed, warned, base.warnings)


def _scenarios_own(
    parsed: ScenarioSheet, warned: dict[str, list[Issue]], base: list[Issue]
) -> list[Issue]:
    """Every scenario's own warnings (`own_warnings`), in sheet order."""
    return [w for name in parsed.names for w in own_warnings(warned.get(name, []), name, base)]


def _scenario_findings(
    raw: RawWorkbook, issues: Issues, parsed: ScenarioSheet, in_base: set[tuple[str, str]]
) -> tuple[dict[str, list[Issue]], dict[str, list[Issue]]]:
    """The errors and the warnings (labelled, `label_warnings`) of every scenario but base,
    each validated on its own copy of `raw`; `in_base`: base's errors (`_as_in_base`)."""
    errors: dict[str, list[Issue]] = {}
    warnings: dict[str, list[Issue]] = {}
    budget = BlameBudget()  # one for every scenario of the read
    for name in parsed.names:
        try:
            copy, read_items = scenario_copy(raw), Issues(list(issues.items))
            data = _scenario_data(copy, read_items, parsed, name, True, in_base, raw, budget)
            warnings[name] = label_warnings([*data.warnings, *cost_warnings(data)], name)
        except InputError as exc:
            errors[name], warnings[name] = list(exc.errors), list(exc.warnings)
    return errors, warnings


def _base_errors(
    base_raw: RawWorkbook, read_items: list[Issue], parsed: ScenarioSheet
) -> set[tuple[str, str]]:
    """Base's errors (`_as_in_base`), validated on `base_raw` (a copy of the sheets as read)."""
    try:
        validate(base_raw, Issues(list(read_items)), BASE, dropped_keys(parsed, BASE))
    except InputError as base_failed:
        return {_as_in_base(e) for e in base_failed.errors}
    return set()


def _as_in_base(error: Issue) -> tuple[str, str]:
    """An error as matched against base's: its cell and its message without a did-you-mean,
    which a scenario adding or dropping a key changes (`(did you mean 'ZZB'?)`)."""
    return error.where, _DID_YOU_MEAN.sub("", error.message)


def _scenario_s_own_named(
    errors: list[Issue],
    in_base: set[tuple[str, str]],
    parsed: ScenarioSheet,
    scenario: str,
    pristine: tuple[RawWorkbook, list[Issue]] | None,
    budget: BlameBudget,
) -> list[Issue]:
    """`errors` of `scenario`, each one base does not have (`in_base`: base's errors, matched
    without their did-you-mean, which may differ under the scenario) naming the scenario and
    the Scenarios cells that make it, unless it names them already (`name_scenario`) or is at
    one: an error at a base cell that only the scenario makes (its line's window narrowed, a
    Profile row left outside it) sent the planner to fix a cell that is right in base. Of
    several overrides, those that make it (`pristine`: base's sheets as read, and what reading
    found; io/scenario_blame.py), else all."""
    own = [
        e
        for e in errors
        if _as_in_base(e) not in in_base
        and not e.message.startswith("scenario '")
        and not e.at_sheet("Scenarios")
    ]
    every = parsed.overrides.get(scenario, [])
    made = makers(own, pristine, parsed, scenario, budget) if pristine is not None else {}
    return [
        Issue(e.where, _made_by(scenario, made.get(e, every)) + e.message, e.level)
        if e in own
        else e
        for e in errors
    ]


def _made_by(scenario: str, overrides: list[Override]) -> str:
    """`scenario 's1' (not so in base: its override at Scenarios!E3 makes it): `."""
    cells = [o.where["value"] for o in overrides]
    said = (
        f"override at {cells[0]} makes"
        if len(cells) == 1
        else f"overrides at {cells_text(cells)} make"
    )
    return f"scenario '{scenario}' (not so in base: its {said} it): "


def _knock_ons_left_out(raw: RawWorkbook, rows: list[Override], found: list[Issue]) -> list[Issue]:
    """A scenario's errors, of an invalid base case: all of them, but for a scenario with rows
    for a required sheet the workbook lacks (it makes the sheet of those rows alone, and every
    key the sheet's other rows would hold is then reported missing, 139 errors for one) only
    its other Scenarios cells'."""
    lacking = {norm(s.name) for s in INPUT_SHEETS if s.required and norm(s.name) not in raw.sheets}
    making = {where for o in rows if norm(o.sheet) in lacking for where in o.where.values()}
    if not making:
        return found
    return [e for e in found if e.at_sheet("Scenarios") and e.where not in making]


def _scenario_data(
    raw: RawWorkbook,
    issues: Issues,
    parsed: ScenarioSheet,
    scenario: str,
    allow_timed: bool,
    in_base: set[tuple[str, str]] | None = None,
    base_raw: RawWorkbook | None = None,
    budget: BlameBudget | None = None,
) -> Data:
    """Apply `scenario` to `raw` (in place) and validate; `issues` holds what reading found.
    A timed workbook is refused (`TimedWorkbook`) before validation unless `allow_timed`.
    `in_base`: base's errors (`_as_in_base`), when known (else base is validated again if the
    scenario fails, to tell its own errors from base's); `base_raw`: base's sheets when `raw`
    is a copy, to tell which override makes an error (io/scenario_blame.py), within `budget`
    (the read's, shared by its scenarios)."""
    contexts: dict[str, str] = {}
    pristine = None
    read_found = list(issues.items)  # reading's own: no scenario's doing, even at its cells
    if scenario != BASE and in_base is None:
        pristine = (scenario_copy(raw), read_found)
    notes = apply_scenario(raw, scenario, issues, contexts, parsed)
    if not allow_timed and periods_in(raw):
        raise timed_refusal(raw.path.name, periods_in(raw), scenario)
    try:
        data = validate(raw, issues, scenario, dropped_keys(parsed, scenario))
    except InputError as exc:
        named = name_scenario(exc, contexts, unnamed=set(read_found))
        errors = named.errors
        if pristine is not None:
            in_base = _base_errors(*pristine, parsed)
        elif base_raw is not None:  # base's sheets, unchanged: the caller applied to a copy
            pristine = (base_raw, read_found)
        if scenario != BASE and in_base is not None:
            errors = _scenario_s_own_named(
                errors, in_base, parsed, scenario, pristine, budget or BlameBudget()
            )
        # each once: an override of a key two rows share errs at its cell for each
        errors = list(dict.fromkeys(errors))
        raise InputError(errors, label_warnings(named.warnings, scenario)) from None
    data.source_name = raw.path.name
    data.scenarios = parsed.names
    data.notes = notes
    data.dropped = dropped_cells(parsed, scenario)
    return seal(data)
