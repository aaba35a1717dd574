"""The Scenarios sheet: alternate assumptions applied to the raw sheets before validation.

A row sets `column` of the row whose key equals `key` in `sheet` to `value`; if no row has that key,
one is added with its key columns filled; `drop` as the column removes the row, and dropping a
contributor, capability or site also drops the rows that name it. Every override keeps the
address of its Scenarios cell, so a bad value is reported where the planner typed it, with the
scenario's name; a row a scenario adds takes the address of its `key` cell for every column.
The name `base` is reserved for the workbook without overrides.

The sheet is parsed once (`parse_scenarios`) and each scenario is applied to a copy of the parsed
data sheets (`scenario_copy`): validating N scenarios reads the workbook once, not N times.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from ..errors import InputError, Issue, Issues, UsageError
from ..wording import count
from .coerce import clean_text, suggest
from .raw_sheet import RawRow, RawSheet, RawWorkbook
from .scenario_keys import key_hint, key_parts, key_text, row_key, rows_keyed, warn_drop_value
from .schema import INPUT_SHEETS, SCENARIO_KEYS, SHEETS_BY_NAME
from .schema_types import norm

BASE = "base"


def _naming(target: str) -> tuple[tuple[str, str], ...]:
    """The (sheet, column) of every input cell that names a key of sheet `target`, as the
    schema declares them (`Column.ref`); the Baseline's, a plan rather than the input's
    rules, are not among them (a row of it naming a dropped key is warned of as unknown:
    baseline_keys.warn_unknown_keys)."""
    return tuple(
        (sheet.name, column.name)
        for sheet in INPUT_SHEETS
        if sheet.name != "Baseline"
        for column in sheet.columns
        if column.ref == target
    )


# A key a scenario drops takes the rows naming it with it (`_cascade`).
CASCADE = {target: _naming(target) for target in ("Contributors", "Capabilities", "Sites")}

# Cells that name a key of a sheet without being dropped with it (see CASCADE): when a scenario
# drops the key, an error at such a cell is the scenario's doing, and says so.
REFERRERS = {"Periods": _naming("Periods")}


@dataclass
class Override:
    scenario: str
    sheet: str
    key: str
    column: str
    value: object
    row: int
    where: dict[str, str]


@dataclass
class ScenarioSheet:
    """The Scenarios sheet parsed once: the overrides of each scenario in sheet order, and what
    reading the sheet itself found (added to the issues of every scenario, base included)."""

    overrides: dict[str, list[Override]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Scenarios in the order they first appear."""
        return list(self.overrides)


def parse_scenarios(raw: RawWorkbook) -> ScenarioSheet:
    """Every override of the Scenarios sheet, grouped by scenario."""
    issues = Issues()
    parsed = ScenarioSheet(issues=issues.items)
    for o in _overrides(raw, issues):
        parsed.overrides.setdefault(o.scenario, []).append(o)
    return parsed


def scenario_names(raw: RawWorkbook) -> list[str]:
    """Scenarios in the order they first appear."""
    return parse_scenarios(raw).names


def scenario_copy(raw: RawWorkbook) -> RawWorkbook:
    """A copy a scenario may change without changing `raw`: every sheet but Scenarios (which no
    scenario changes) is copied down to its rows' values, with what reading noted of its cells
    (a percentage's format, an error value, a formula: a copy without them said a base cell's
    error again under every scenario, as the scenario's doing; a trial); the cost is one pass
    over the data cells, less than validating them."""
    scenarios = norm("Scenarios")
    sheets = {
        key: sheet
        if key == scenarios
        else replace(  # what reading noted of its cells shared: reading alone adds to it
            sheet,
            columns=dict(sheet.columns),
            rows=[RawRow(r.row, dict(r.values), dict(r.where)) for r in sheet.rows],
            typed=dict(sheet.typed),
        )
        for key, sheet in raw.sheets.items()
    }
    return RawWorkbook(raw.path, sheets, list(raw.titles), dict(raw.unread))


def _overrides(raw: RawWorkbook, issues: Issues) -> list[Override]:
    sheet = raw.sheets.get(norm("Scenarios"))
    if sheet is None or sheet.blank:
        return []
    # a header without them: one error each at the header, not `sheet is required` per row at
    # a row's number (a trial validated a comparison output, whose Scenarios sheet is another)
    if sheet.lacks(["scenario", "sheet", "key", "column"], issues):
        return []
    out = []
    for row in sheet.rows:
        values = {k: row.values.get(k) for k in ("scenario", "sheet", "key", "column", "value")}
        missing = [k for k in ("scenario", "sheet", "key", "column") if values[k] is None]
        if missing:
            for k in missing:
                issues.missing(row.where.get(k) or sheet.address(k, row.row), f"{k} is required")
            continue
        if clean_text(values["scenario"]) == BASE:
            issues.error(
                row.where["scenario"],
                f"the scenario name '{BASE}' is reserved for the workbook without overrides; "
                "rename this scenario",
            )
            continue
        out.append(
            Override(
                clean_text(values["scenario"]),
                clean_text(values["sheet"]),
                clean_text(values["key"]),
                clean_text(values["column"]),
                values["value"],
                row.row,
                {k: row.where.get(k) or sheet.address(k, row.row) for k in values},
            )
        )
    _warn_repeats(out, issues)
    return out


def _warn_repeats(overrides: list[Override], issues: Issues) -> None:
    """A scenario that sets the same cell twice: the later row wins, with a warning."""
    first: dict[tuple[str, str, str, str], int] = {}
    for o in overrides:
        ident = (o.scenario, norm(o.sheet), o.key, norm(o.column))
        if ident in first and norm(o.column) != "drop":
            issues.warn(
                o.where["scenario"],
                f"scenario '{o.scenario}' sets {o.sheet} {o.key} {o.column} again (first at "
                f"row {first[ident]}); this later row wins",
            )
        first.setdefault(ident, o.row)


def apply_scenario(
    raw: RawWorkbook,
    name: str,
    issues: Issues,
    contexts: dict[str, str] | None = None,
    parsed: ScenarioSheet | None = None,
) -> list[str]:
    """Apply one scenario in place; returns notes on what it dropped. `contexts` receives, for
    each Scenarios cell the scenario's values now come from, how to name it in a message.
    `parsed`: the Scenarios sheet of `raw` parsed already (parsed here if not given)."""
    if parsed is None:
        parsed = parse_scenarios(raw)
    # a cell whose error reading said (an Excel error value, `#REF!`, reads as blank) is not
    # said again as blank (a trial: `Excel error value #REF!` and `key is required` at one cell)
    said = [i for i in parsed.issues if i.level != "error" or not issues.has_error_at(i.where)]
    issues.items.extend(said)
    if name == BASE:
        return []
    if name not in parsed.overrides:
        listed = ", ".join([BASE, *parsed.names])
        raise UsageError(
            f"scenario '{name}' is not in the Scenarios sheet (known: {listed})"
            + suggest(name, parsed.names)
        )
    notes: list[str] = []
    for o in parsed.overrides[name]:
        _apply_one(raw, o, issues, notes)
        if contexts is not None:
            contexts.setdefault(o.where["value"], f"scenario '{name}'")
            contexts.setdefault(o.where["key"], f"scenario '{name}' ({o.sheet} {o.key})")
            if norm(o.column) == "drop":
                _name_referrers(raw, o, contexts)
            else:
                _name_rename_referrers(raw, o, contexts)
    return notes


def dropped_keys(parsed: ScenarioSheet, name: str) -> dict[str, set[str]]:
    """The keys scenario `name` drops from Contributors, Capabilities and Sites, by sheet (none
    for base). The Baseline sheet may still name them: the plan it records had them."""
    return {sheet: set(cells) for sheet, cells in dropped_cells(parsed, name).items()}


def dropped_cells(parsed: ScenarioSheet, name: str) -> dict[str, dict[str, str]]:
    """`dropped_keys` with the Scenarios cell of each drop (its key cell), by sheet and key."""
    dropped: dict[str, dict[str, str]] = {}
    for o in parsed.overrides.get(name, []):  # base has none: its name is reserved
        sheet = next((s for s in CASCADE if norm(s) == norm(o.sheet)), None)
        if sheet is not None and norm(o.column) == "drop":
            dropped.setdefault(sheet, {}).setdefault(o.key, o.where["key"])
    return dropped


def _name_referrers(raw: RawWorkbook, o: Override, contexts: dict[str, str]) -> None:
    """Name the drop `o` in every cell that still names the dropped key (a period's `from`/`to`):
    the error there ('not on the Periods sheet') is the scenario's, though the cell is not."""
    canonical = next((s for s in REFERRERS if norm(s) == norm(o.sheet)), None)
    if canonical is None:
        return
    said = f"scenario '{o.scenario}' drops {canonical} {o.key} ({o.where['key']})"
    _name_cells(raw, REFERRERS[canonical], o.key, said, contexts)


def _name_rename_referrers(raw: RawWorkbook, o: Override, contexts: dict[str, str]) -> None:
    """Where `o` sets the key of a contributor, capability or site (a rename), name it in
    every cell that still names the old key: the error there ('not on the Contributors sheet')
    is the scenario's, though the cell is base's."""
    canonical = next((s for s in CASCADE if norm(s) == norm(o.sheet)), None)
    if canonical is None or o.value is None or norm(o.column) not in SCENARIO_KEYS[canonical]:
        return
    said = f"scenario '{o.scenario}' renames {canonical} {o.key} to {o.value} ({o.where['value']})"
    _name_cells(raw, CASCADE[canonical], o.key, said, contexts)


def _name_cells(
    raw: RawWorkbook,
    places: tuple[tuple[str, str], ...],
    key: str,
    said: str,
    contexts: dict[str, str],
) -> None:
    """`said` as the context of every cell among `places` (sheet, column) naming `key`."""
    for sheet_name, column in places:
        sheet = raw.sheets.get(norm(sheet_name))
        if sheet is None:
            continue
        for r in sheet.rows:
            if key_text(r.values.get(column)).casefold() == key.casefold():
                contexts.setdefault(r.where.get(column) or sheet.address(column, r.row), said)


def name_scenario(
    exc: InputError, contexts: dict[str, str], unnamed: AbstractSet[Issue] = frozenset()
) -> InputError:
    """The same errors, each one at a Scenarios cell prefixed with the scenario it belongs to,
    but those of `unnamed` (what reading the workbook found: an Excel error value in a
    Scenarios cell is the cell's, said once, not again as each scenario's)."""

    def named(issue: Issue) -> Issue:
        context = contexts.get(issue.where)
        if context is None or issue.message.startswith("scenario '") or issue in unnamed:
            return issue
        return Issue(issue.where, f"{context}: {issue.message}", issue.level)

    return InputError([named(e) for e in exc.errors], exc.warnings)


def _apply_one(raw: RawWorkbook, o: Override, issues: Issues, notes: list[str]) -> None:
    sheet_names = {norm(s): s for s in SCENARIO_KEYS}
    canonical = sheet_names.get(norm(o.sheet))
    if canonical is None:
        issues.error(
            o.where["sheet"],
            f"scenario '{o.scenario}': sheet '{o.sheet}' cannot be "
            f"changed (one of {', '.join(SCENARIO_KEYS)})" + suggest(o.sheet, SCENARIO_KEYS),
        )
        return
    key_cols = SCENARIO_KEYS[canonical]
    target = raw.sheets.get(norm(canonical))
    parts = key_parts(o.key, key_cols, target)
    if len(parts) != len(key_cols):
        issues.error(
            o.where["key"],
            f"scenario '{o.scenario}': key for {canonical} must be "
            f"{'/'.join(key_cols)}, got '{o.key}'",
        )
        return
    # a required sheet missing is an error of its own (validate.py): no row of it is there to find
    sheet_missing = SHEETS_BY_NAME[canonical].required and norm(canonical) not in {
        norm(t) for t in raw.titles
    }
    if target is None:
        target = RawSheet(canonical, 1, {c.name: "?" for c in SHEETS_BY_NAME[canonical].columns})
        raw.sheets[norm(canonical)] = target
    column = norm(o.column)
    rows = rows_keyed(target, key_cols, parts, o, issues)
    if column == "drop":
        if not rows and sheet_missing:  # the missing sheet's error says it all
            return
        if not rows:
            issues.error(
                o.where["key"],
                f"scenario '{o.scenario}': no {canonical} row with key "
                f"'{o.key}' to drop" + key_hint(raw, canonical, o.key, target, horizon=True),
            )
            return
        warn_drop_value(o, issues)
        target.rows = [r for r in target.rows if r not in rows]
        key = "/".join(row_key(rows[0], key_cols))
        notes.append(
            f"scenario {o.scenario} drops {canonical} {key}" + _cascade(raw, canonical, key)
        )
        return
    allowed = [c.name for c in SHEETS_BY_NAME[canonical].columns]
    if column not in allowed:
        issues.error(
            o.where["column"],
            f"scenario '{o.scenario}': {canonical} has no column "
            f"'{o.column}'" + (suggest(column, allowed) or f" (columns: {', '.join(allowed)})"),
        )
        return
    if not rows and canonical != "Settings" and not sheet_missing:  # a default has no row
        hint = key_hint(raw, canonical, o.key, target, horizon=False)
        issues.warn(
            o.where["key"],
            f"scenario '{o.scenario}' adds a {canonical} row '{o.key}' (no row has that key)"
            + (hint or "; if that was not meant, correct the key"),
        )
    if not rows:
        # every cell of the new row is "at" the key cell, so a value it lacks is reported there
        where = {c.name: o.where["key"] for c in SHEETS_BY_NAME[canonical].columns}
        new = RawRow(0, dict(zip(key_cols, parts, strict=True)), where)
        target.rows.append(new)
        rows = [new]
    for r in rows:
        if o.value is None:
            r.values.pop(column, None)
        else:
            r.values[column] = o.value
        r.where[column] = o.where["value"]


def _cascade(raw: RawWorkbook, sheet: str, key: str) -> str:
    dropped = []
    for child, column in CASCADE.get(sheet, ()):
        target = raw.sheets.get(norm(child))
        if target is None:
            continue
        before = len(target.rows)
        # by case too: a pledge written `fra` is FRA's (read so, with a warning)
        target.rows = [
            r for r in target.rows if key_text(r.values.get(column)).casefold() != key.casefold()
        ]
        if before - len(target.rows):
            dropped.append(
                f"{count(before - len(target.rows), f'{child} row')} naming it in '{column}'"
            )
    return (": also dropped " + "; ".join(dropped)) if dropped else ""
