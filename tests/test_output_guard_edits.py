"""No command replaces a workbook a planner has worked on: a template with a row of data, a plan
edited by hand (told by content: what every reader takes for the same plan is no edit), a plan
or a timed plan with rows locked in a lock column, the baseline a re-plan was made against. The
guard and its fixtures are tests/test_output_guard.py's (split from tests/test_output_guard.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import test_output_guard
from .test_output_guard import refused, run

case = test_output_guard.case  # the fixtures: a small input and its plan written by solve
output = test_output_guard.output


def test_template_force_replaces_only_a_blank_template(tmp_path: Path) -> None:
    """`template new.xlsx` twice says to move it away (a template may hold a planner's data by
    now). --force replaces a template nobody filled in (a trial's copy of a fresh one was
    refused), never one with a row of data, whatever its Author says."""
    from openpyxl import load_workbook

    new = tmp_path / "new.xlsx"
    assert run("template", new).exit_code == 0
    again = run("template", new)
    assert again.exit_code == 2 and "use --force" not in again.output
    assert "move it away" in again.output
    assert run("template", new, "--force").exit_code == 0
    book = load_workbook(new)
    book["Contributors"].append(["FRA"])
    book.save(new)
    before = new.read_bytes()
    refused(run("template", new, "--force"), new, before)


def test_solve_never_replaces_a_plan_edited_by_hand(case: Path, output: Path) -> None:
    """A planner edits the solved plan, then solves again into the same name: the edits would be
    lost without a word. The edit is told by content (the Summary's allocation_sha256)."""
    from openpyxl import load_workbook

    book = load_workbook(output)
    sheet = book["Allocation"]
    units = next(c.column for c in sheet[1] if c.value == "units")
    sheet.cell(2, units).value = int(sheet.cell(2, units).value) - 1  # one unit fewer
    book.save(output)
    before = output.read_bytes()
    refused(
        run("solve", case, "-o", output),
        output,
        before,
        "holds a plan edited by hand after it was solved: solving into it would lose that work; "
        "choose another output path (-o)",
    )
    # nor does --force, which replaces a forcegen output, replace this one
    for args, doing in (
        (("template", output, "--force"), "writing a template over it"),
        (("generate", output, "--force"), "writing a generated workbook over it"),
    ):
        said = (
            f"edited by hand after it was solved: {doing} would lose that work; choose another name"
        )
        refused(run(*args), output, before, said)


def test_what_every_reader_takes_for_the_same_plan_is_no_edit(case: Path, output: Path) -> None:
    """Spaces typed around a key (`' AUS '`) leave the plan as verify, compare and report read
    it: solve replaces that output (it refused it as edited by hand). A timed output's `from`
    Excel made a date of (2027-01 retyped) is that month, as compare and verify read it."""
    import datetime

    from openpyxl import load_workbook

    from .time_cases import months, timed_case

    book = load_workbook(output)
    cell = book["Allocation"]["A2"]
    cell.value = f" {cell.value} "
    book.save(output)
    assert run("solve", case, "-o", output).exit_code == 0
    periods = [{**p, "period": f"2027-0{i + 1}"} for i, p in enumerate(months(3))]
    timed = timed_case(output.parent / "timed.xlsx", periods=periods)
    plan = output.parent / "timed-plan.xlsx"
    assert run("solve", timed, "-o", plan).exit_code == 0
    book = load_workbook(plan)
    tours = book["Tours"]
    column = next(c.column for c in tours[1] if c.value == "from")
    year, month = map(int, str(tours.cell(2, column).value).split("-"))
    tours.cell(2, column).value = datetime.datetime(year, month, 1)
    book.save(plan)
    assert run("solve", timed, "-o", plan).exit_code == 0


LOCKED = "holds a plan with rows locked in a lock column"


def with_lock_column(output: Path, sheet: str, header: str, *values: object) -> None:
    """`header` in a new column of `sheet`, then `values` down from row 2."""
    from openpyxl import load_workbook

    book = load_workbook(output)
    ws = book[sheet]
    column = ws.max_column + 1
    ws.cell(1, column).value = header
    for row, value in enumerate(values, start=2):
        ws.cell(row, column).value = value
    book.save(output)


def test_solve_never_replaces_a_plan_a_planner_locked_rows_in(case: Path, output: Path) -> None:
    """A `lock` column typed into the solved Allocation, `yes` on one row (a baseline for a
    re-plan, replanning.md): the digest does not read it, yet solving into the file would lose
    the locks. A `lock` column that locks nothing (blank, `no`, FALSE, 0, as the baseline's
    reading reads them; twice, the same header) is no edit: that output is replaced as before.
    (The Allocation has two rows: the third value lands below the table, a note there; such a
    row without units made `solve -o` exit 1 on reading the digest.)"""
    with_lock_column(output, "Allocation", "lock", "no", False, 0)
    with_lock_column(output, "Allocation", "LOCK")
    assert run("solve", case, "-o", output).exit_code == 0  # nothing locked: not an edit
    with_lock_column(output, "Allocation", "Lock ", None, "yes")
    before = output.read_bytes()
    refused(run("solve", case, "-o", output), output, before, LOCKED)


def test_solve_never_replaces_a_plan_whose_lock_cell_has_no_calculated_value(
    case: Path, output: Path
) -> None:
    """A `lock` cell holding a formula without a calculated value (a file written by a program
    that does not compute formulas; openpyxl writes none) cannot be read as yes or no: it may
    lock a row, so solving into the file is refused, naming the cell, and the file is left as
    it is (it was read as no lock, and the plan replaced)."""
    with_lock_column(output, "Allocation", "lock", None, '=IF(1,"yes","no")')
    before = output.read_bytes()
    refused(
        run("solve", case, "-o", output),
        output,
        before,
        f"{output} holds a lock cell, Allocation!",
    )
    result = run("solve", case, "-o", output)
    assert '=IF(1,"yes","no") has no calculated value' in result.output
    assert "it may lock a row" in result.output and "solving into it would lose" in result.output


def test_solve_never_replaces_a_timed_plan_with_locked_tours(tmp_path: Path) -> None:
    """The same for a timed output's Tours, the sheet a timed re-plan reads its locks from."""
    from openpyxl import load_workbook

    from .time_cases import months, timed_case

    case = timed_case(tmp_path / "timed.xlsx", periods=months(3))
    output = tmp_path / "plan.xlsx"
    assert run("solve", case, "-o", output).exit_code == 0
    with_lock_column(output, "Tours", "lock", "yes")
    before = output.read_bytes()
    refused(run("solve", case, "-o", output), output, before, LOCKED)
    # a timed re-plan reads the Tours alone: its Allocation deleted, the locks are still seen
    book = load_workbook(output)
    del book["Allocation"]
    book.save(output)
    before = output.read_bytes()
    refused(run("solve", case, "-o", output), output, before, LOCKED)


def test_api_write_never_replaces_the_baseline_it_re_planned_against(
    case: Path, tmp_path: Path
) -> None:
    """`solve --baseline B -o B` is refused as an input of the command; `api.write` of the
    re-plan over B (by any path: a copy has B's content) is refused too, and B is unchanged."""
    from solver import api
    from solver.errors import UsageError

    base = api.write(api.solve(case, work_limit=5), tmp_path / "base.xlsx")
    before = base.read_bytes()
    replan = api.solve(case, baseline=base, work_limit=5)
    with pytest.raises(UsageError, match="is the baseline this result was re-planned against"):
        api.write(replan, base)
    assert base.read_bytes() == before
    assert api.write(replan, tmp_path / "replan.xlsx").is_file()  # under another name, written
    assert api.write(replan, tmp_path / "replan.xlsx").is_file()  # and again: not a baseline
