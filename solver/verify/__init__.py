"""`verify`: check an (edited) allocation against the inputs, independently of the model.

    from solver import api, verify
    report = verify.verify_file("inputs/coalition.xlsx", "outputs/coalition.xlsx")
    report.ok, report.violations, report.stages
    verify.write_report(report, "outputs/coalition-verify.xlsx", ["inputs/coalition.xlsx"])

Every rule is re-implemented here from the workbook contract, in plain Python and pandas over
the validated `Data`; verify's own modules import nothing from the model builder, the caveat
modules or Pyomo. What it shares with the solve is the reading of the workbook: `Data` as
`io/validate.py` makes it (caveat values rounded as each kind's `ValueRule` says, which
validation imports from `caveats/base.py`; costs checked by `io/cost_checks.py`, which imports
`model/candidates.py`), so a misreading of the workbook would be shared, a misreading of a
rule would not.
A timed workbook's plan is the output's Tours sheet (`timed.py`: tours, rotation and dwell,
every rule and caveat per period, the stages in weighted unit-months).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data import Data
from ..errors import InputError, Issue
from ..io.baseline_input import read_baseline
from ..io.data_check import EDITED_NOTE
from ..io.read import read_data
from ..results.digest import baseline_sha256s
from ..results.overwrite_guard import refuse_overwriting_inputs
from ..results.safe_write import atomic_write
from ..results.writer import build_workbook, workbook_bytes
from ..wording import count
from .all_files import every_file_refused, file_names, in_file, refused
from .baseline import (
    Present,
    changes_value,
    in_stage_order,
    locked_violations,
    locks_note,
    plan_lock_warnings,
)
from .caveat_rules import CAVEAT_RULES
from .own_history import history_of_plan
from .plan import Plan, Violation, cite_rows
from .reader import RawAllocation, load, read_raw
from .report import (
    StageRow,
    VerifyReport,
    compare_stages,
    lexicographic_note,
    report_sheets,
    unread_stages,
)
from .rules import CORE_RULES
from .stages import snapshot_stage_values
from .timed import verify_timed

__all__ = ["StageRow", "VerifyReport", "Violation", "verify", "verify_file", "write_report"]


def verify(
    data: Data, alloc: pd.DataFrame, stored: dict[str, Any] | None = None, title: str = "Allocation"
) -> VerifyReport:
    """Check `alloc` (contributor, capability, site, units) against every rule of the contract;
    recompute the objective stages and set them beside `stored` (a Summary as {key: value}).
    A violation names its rows on the sheet titled `title` (`Allocation rows 2, 4`)."""
    _check_known(data, alloc)
    plan = Plan(data, alloc)
    violations: list[Violation] = []
    for rule in (*CORE_RULES, *CAVEAT_RULES):
        violations.extend(rule(plan))
    live = plan.alloc[["contributor", "capability", "site", "units"]]
    values = snapshot_stage_values(data, live)
    broken: list[Violation] = []  # locked rows of the baseline the allocation breaks
    if data.baseline is not None:
        present: Present = {
            (c, k, s, 0): (int(n), (int(row),))
            for c, k, s, n, row in plan.alloc[[*live.columns, "row"]].itertuples(index=False)
        }
        broken = locked_violations(data.baseline, present, [])
        violations += broken
        values = in_stage_order(values, changes_value(data.baseline, present, np.ones(1)))
    # an allocation added up from rows repeating its key is cited by every one of them
    violations = [replace(v, rows=_every_row(v.rows, plan.merged)) for v in violations]
    violations = [v if v.where else replace(v, where=cite_rows(v.rows, title)) for v in violations]
    stages = compare_stages(values, stored or {})
    report = VerifyReport(
        violations,
        stages,
        scenario=data.scenario,
        units=int(live["units"].sum()),
        rows=len(alloc),  # as on the sheet: repeated rows are added up, with a warning
    )
    note = lexicographic_note(stages) if report.ok else None
    locks = locks_note(data.baseline, len(broken))
    report.notes += [n for n in (note, locks) if n]
    return report


def _every_row(rows: tuple[int, ...], merged: dict[int, tuple[int, ...]]) -> tuple[int, ...]:
    return tuple(sorted({r for row in rows for r in merged.get(row, (row,))}))


def _check_known(data: Data, alloc: pd.DataFrame) -> None:
    """Refuse ids that the input does not have (the reader reports them with their cells)."""
    known = {
        "contributor": set(data.contributors["contributor"]),
        "capability": set(data.capabilities["capability"]),
        "site": set(data.sites["site"]),
    }
    errors = []
    for name, keys in known.items():
        for i, value in enumerate(alloc[name]):
            if value not in keys:
                errors.append(Issue(f"allocation row {i + 1}", f"unknown {name} '{value}'"))
    units = pd.to_numeric(alloc["units"], errors="coerce")
    for i, value in enumerate(units):
        if pd.isna(value) or value < 0 or not float(value).is_integer():
            got = alloc["units"].iloc[i]
            errors.append(
                Issue(f"allocation row {i + 1}", f"units must be a whole number >= 0, got {got!r}")
            )
    if errors:
        raise InputError(errors)


def verify_file(
    workbook: str | Path,
    allocation: str | Path,
    scenario: str | None = None,
    baseline: str | Path | None = None,
) -> VerifyReport:
    """Read the input (with the scenario: given, else the one in the allocation's Summary, else
    `base`) and the allocation workbook, and verify; against `baseline` (an earlier output,
    which wins over the input's Baseline sheet) when given (`verify/baseline.py`). Raises
    `InputError` with every file's problems at once (`verify/all_files.py`)."""
    workbook, allocation = Path(workbook), Path(allocation)
    paths = (workbook, allocation, None if baseline is None else Path(baseline))
    raw, plan_refused = refused(read_raw, allocation)
    stored = None if raw is None else raw.summary.get("scenario")
    stored = stored.strip() if isinstance(stored, str) and stored.strip() else None
    read, input_refused = refused(_input_for, workbook, scenario, stored)
    data, warnings = (None, []) if read is None else read
    if raw is None or data is None:  # every file's problems at once (verify/all_files.py)
        plan = raw if plan_refused is None else plan_refused
        raise every_file_refused(paths, input_refused, plan, data)
    try:
        warnings += _baseline_checks(raw, data, baseline)
    except InputError as exc:  # the plan's errors against the input beside the file's
        plan_refused = refused(_verified, workbook, raw, data, [])[1]
        plan_errors = [] if plan_refused is None else plan_refused.errors
        name = file_names(paths)[allocation]  # beside the file's, named with its file
        raise InputError([*in_file(plan_errors, name), *exc.errors], exc.warnings) from None
    warnings += _source_warning(raw.summary, data, workbook)
    warnings += unread_stages(raw.summary)
    warnings += plan_lock_warnings(raw.tours if data.timed else raw.sheet, raw.path.name)
    try:
        report = _verified(workbook, raw, data, warnings)
    except InputError as exc:  # the plan's cells refused: said with the warnings found so far
        raise InputError(exc.errors, [*exc.warnings, *warnings], exc.note) from None
    report.no_plan = no_plan_words(raw.summary, raw.path.name) if report.rows == 0 else ""
    return report


def no_plan_words(summary: dict[str, Any], name: str) -> str:
    """Why an output holds no plan, from its Summary's status (its solve found none), or ''
    (a trial read 12 "violations" of an infeasible output's empty Allocation as a plan's)."""
    status = summary.get("status")
    if status == "infeasible":
        why = "found the workbook infeasible: its Infeasibility sheet names the conflict"
    elif status == "no_solution":
        why = "found no plan within its limits"
    else:
        return ""
    return (
        f"{name} holds no plan: its solve {why}; its empty plan is checked as it stands, "
        "so every rule it breaks is listed"
    )


def _verified(
    workbook: Path, raw: RawAllocation, data: Data, warnings: list[Issue]
) -> VerifyReport:
    """`verify_file`'s report of the plan `raw` against `data`, with its `warnings`."""
    if data.timed:
        report = verify_timed(data, raw, raw.summary)
        report.warnings = [*data.warnings, *report.warnings, *warnings]
        return report
    if raw.tours is not None and raw.tours.rows:
        raise InputError([_timed_plan(raw, workbook)])
    file = load(raw, data)
    title = raw.sheet.title if raw.sheet is not None else "Allocation"
    report = verify(data, file.alloc, file.summary, title)
    report.warnings = [*data.warnings, *file.warnings, *warnings]
    return report


def _input_for(
    workbook: Path, scenario: str | None, stored: str | None
) -> tuple[Data, list[Issue]]:
    """The input to check against: the scenario asked for (a warning where the allocation's
    Summary names another), else the one the Summary names (a sweep's generated withdrawal
    made from the input as the sweep made it; base, with a warning, for one the workbook does
    not define), else base."""
    from ..io.generated import generated_scenario, read_scenario

    warnings: list[Issue] = []
    if scenario is not None:
        if stored not in (None, scenario):
            warnings.append(
                _warning(
                    f"the allocation was solved for scenario '{stored}'; "
                    f"checking against '{scenario}' as asked"
                )
            )
        return read_scenario(workbook, scenario), warnings
    data = read_data(workbook, allow_timed=True)
    if stored in (None, "base"):
        return data, warnings
    # a sweep's generated withdrawal (withdraw_ITA, withdraw_ITA_after_2027-12) is made from
    # the input as the sweep made it: checked against base, its plan broke the caveats the
    # withdrawal lifts
    if stored in data.scenarios:
        return read_data(workbook, stored, allow_timed=True), warnings
    if (made := generated_scenario(data, stored)) is not None:
        return made, warnings
    warnings.append(
        _warning(
            f"the allocation was solved for scenario '{stored}', which {workbook.name} does not "
            "define; checking against base"
        )
    )
    return data, warnings


def _baseline_checks(raw: RawAllocation, data: Data, baseline: str | Path | None) -> list[Issue]:
    """`data` given the baseline file (it wins over the input's Baseline sheet), and the
    warnings of a re-plan checked against another baseline than its own (its stored `changes`
    then blanked: counted against that other one, not comparable) or against none."""
    warnings = _other_baseline(raw.summary, data, baseline)
    if baseline is not None:
        data.baseline = read_baseline(Path(baseline), data)
        warnings += baseline_warnings(
            raw.summary, baseline_sha256s(Path(baseline)), Path(baseline).name
        )
    if warnings:
        raw.summary["objective.changes"] = None
    elif data.baseline is None and raw.summary.get("objective.changes") not in (None, ""):
        named = raw.summary.get("baseline_file") or "its input's Baseline sheet"
        warnings.append(
            _warning(
                f"the allocation was re-planned against a baseline ({named}): give it with "
                "--baseline to check its locked rows and changes"
            )
        )
    own, read = history_of_plan(raw, data)  # without the file: the plan's own History sheet
    if own is not None:
        data.baseline = own
    return [*warnings, *read]


def _source_warning(summary: dict[str, Any], data: Data, workbook: Path) -> list[Issue]:
    """A warning when the allocation was solved from another workbook, or another version of
    this one (its Summary's `input_sha256` differs): its stored stages may not compare."""
    sha = summary.get("input_sha256")
    if sha in (None, "") and EDITED_NOTE in summary.values():  # api.solve of an edited Data
        return [
            _warning(
                f"the allocation was solved from {workbook.name} as edited in Python (its "
                f"Summary says: {EDITED_NOTE}), not as the file stands: a rule it breaks here "
                "may be one the edit changed"
            )
        ]
    if not (isinstance(sha, str) and sha and sha != data.source_sha256):
        return []
    # another workbook where the Summary names one by another name (as compare says it)
    solved_from = Path(str(summary.get("input_file") or "")).name
    source = (
        f"{solved_from}, not {workbook.name}"
        if solved_from and solved_from != workbook.name
        else f"another version of {workbook.name}"
    )
    return [
        _warning(
            f"the allocation was solved from {source} (input_sha256 differs): the stored "
            "stages may not be comparable"
        )
    ]


def _other_baseline(summary: dict[str, Any], data: Data, given: str | Path | None) -> list[Issue]:
    """A warning when the allocation was re-planned against the input's Baseline sheet but is
    checked against a file (`given`), or against a file (its Summary's `baseline_file`) but
    checked against the workbook's Baseline sheet: its changes are not comparable."""
    if summary.get("objective.changes") in (None, ""):
        return []
    solved_against = summary.get("baseline_file")
    if given is not None and solved_against in (None, ""):
        return [
            _warning(
                f"the allocation was re-planned against its input's Baseline sheet, not "
                f"{Path(given).name}: its changes are not comparable"
            )
        ]
    if given is None and data.baseline is not None and solved_against not in (None, ""):
        return [
            _warning(
                f"the allocation was re-planned against {solved_against}, not the workbook's "
                "Baseline sheet: its changes are not comparable (give that file with --baseline)"
            )
        ]
    return []


def baseline_warnings(summary: dict[str, Any], accepted: Sequence[str], name: str) -> list[Issue]:
    """A warning when the allocation was solved against another baseline than `name`: its
    Summary's `baseline_sha256` is none of `accepted`, the values that name that file
    (`results.digest.baseline_sha256s`: its content digest, and its file SHA-256 that outputs
    written before recorded)."""
    stored = summary.get("baseline_sha256")
    if isinstance(stored, str) and stored and stored not in accepted:
        return [
            _warning(
                f"the allocation was solved against another baseline than {name} "
                "(baseline_sha256 differs): its changes are not comparable"
            )
        ]
    return []


def _timed_plan(raw: RawAllocation, workbook: Path) -> Issue:
    return Issue(
        raw.path.name,
        f"this is a timed plan (a Tours sheet with "
        f"{count(len(raw.tours.rows) if raw.tours else 0, 'row')}) but {workbook.name} is a snapshot workbook (no Periods): verify it against the "
        "timed workbook it was solved from",
    )


def _warning(message: str) -> Issue:
    return Issue("", message, "warning")


def write_report(
    report: VerifyReport,
    output: str | Path,
    inputs: list[str | Path] | None = None,
    facts: list[tuple[str, Any]] | None = None,
) -> Path:
    """Write the findings (sheets Summary, Violations, Stages) atomically, never over an input."""
    output = Path(output)
    refuse_overwriting_inputs(output, [Path(p) for p in inputs or []], keeps_plans=True)
    atomic_write(output, workbook_bytes(build_workbook(report_sheets(report, facts or []))))
    return output
