"""No command replaces an output a planner added to (a sheet, a plan sheet's column, cells beside
or rows below its table: the Summary's `output_sheets` and `columns.<sheet>`) or whose Tours
cells that follow from from, to and units were typed over (`tours_derived_sha256`). The guard
and its fixtures are tests/test_output_guard.py's (split from tests/test_output_guard_edits.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from . import test_output_guard
from .test_output_guard import refused, run

case = test_output_guard.case  # the fixtures: a small input and its plan written by solve
output = test_output_guard.output


def refused_after(src: Path, out: Path, edit: Callable[[Any], None], said: str) -> None:
    """`edit` the workbook `out` (openpyxl), save it, then `solve src -o out`: refused with
    `said`, the file as edited."""
    book = load_workbook(out)
    edit(book)
    book.save(out)
    before = out.read_bytes()
    refused(run("solve", src, "-o", out), out, before, said)


def test_solve_never_replaces_a_plan_a_planner_added_notes_to(case: Path, output: Path) -> None:
    """The plan is as solved, but a planner added a `note` column to the Allocation and a Notes
    sheet (a trial's notes were lost by `solve -o` without a word): refused, naming both, as
    the Summary's `output_sheets` and `columns.Allocation` record what the solve wrote. A `lock`
    column of no locks stays no addition (a baseline's own column)."""
    book = load_workbook(output)
    assert book["Summary"]  # the layout recorded: the sheets written, the plan's columns
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True)}
    assert summary["output_sheets"].split(", ") == book.sheetnames
    sheet = book["Allocation"]
    assert summary["columns.Allocation"].split(", ") == [c.value for c in sheet[1]]
    sheet.cell(1, sheet.max_column + 1).value = "note"
    sheet.cell(2, sheet.max_column).value = "agreed at FGC 3"
    book.create_sheet("Notes")["A1"] = "ask ITA again"
    book.save(output)
    before = output.read_bytes()
    refused(
        run("solve", case, "-o", output),
        output,
        before,
        "holds a planner's additions (sheet 'Notes', Allocation column 'note'): solving into it "
        "would lose that work; choose another output path (-o)",
    )


def test_a_lock_column_of_no_locks_is_no_addition(case: Path, output: Path) -> None:
    book = load_workbook(output)
    sheet = book["Allocation"]
    sheet.cell(1, sheet.max_column + 1).value = "lock"
    book.save(output)
    assert run("solve", case, "-o", output).exit_code == 0


def test_a_note_beside_a_timed_plan_is_a_planner_addition(tmp_path: Path) -> None:
    """A timed output: a note typed in a cell right of the Tours table, under no header (the
    trial's `K83`), is the planner's too."""

    from .time_cases import months, timed_case

    src = timed_case(tmp_path / "t.xlsx", periods=months(2))
    out = tmp_path / "t-plan.xlsx"
    assert run("solve", src, "-o", out).exit_code == 0

    def edit(book: Any) -> None:
        sheet = book["Tours"]
        sheet.cell(2, sheet.max_column + 2).value = "agreed at FGC 3"

    refused_after(src, out, edit, "holds a planner's additions (Tours cells beside its table)")


def test_notes_below_or_beside_a_plan_and_an_empty_sheet(case: Path, output: Path) -> None:
    """A note typed two rows below the Allocation table (a row with no units) is the planner's
    too; an empty sheet added (Excel's `Sheet1`) holds nothing to lose and is no addition (a
    review)."""
    book = load_workbook(output)
    book.create_sheet("Sheet1")
    book.save(output)
    assert run("solve", case, "-o", output).exit_code == 0

    def edit(book: Any) -> None:
        sheet = book["Allocation"]
        sheet.cell(sheet.max_row + 2, 1).value = "ask AUS about the second company"

    refused_after(
        case, output, edit, "holds a planner's additions (Allocation rows below its table)"
    )


def test_a_tours_date_or_months_edited_by_hand_is_not_replaced(tmp_path: Path) -> None:
    """Periods from 2027-01-01: a tour's end_date, or its months, typed over by a planner (the
    cells planners edit in Excel) change no tour (verify counts from, to and units), yet solve
    -o replaced them without a word (a trial). The Summary's tours_derived_sha256 tells them.
    The output re-solved or saved again untouched is replaced as before."""
    import datetime as dt

    from .time_cases import timed_case

    periods = [{"period": "P1", "start": dt.date(2027, 1, 1)}, {"period": "P2"}, {"period": "P3"}]
    src = timed_case(tmp_path / "t.xlsx", periods=periods)
    out = tmp_path / "t-plan.xlsx"
    assert run("solve", src, "-o", out).exit_code == 0
    assert run("solve", src, "-o", out).exit_code == 0  # its own output
    book = load_workbook(out)
    book.save(out)
    assert run("solve", src, "-o", out).exit_code == 0  # saved again, nothing changed
    for column, value in (("end_date", dt.datetime(2027, 1, 15)), ("months", 5)):
        assert run("solve", src, "-o", out).exit_code == 0
        book = load_workbook(out)
        sheet = book["Tours"]
        at = next(c.column for c in sheet[1] if c.value == column)
        sheet.cell(2, at).value = value
        book.save(out)
        before = out.read_bytes()
        refused(
            run("solve", src, "-o", out),
            out,
            before,
            "holds Tours cells edited by hand after it was solved (months, personnel, "
            "start_date or end_date; the plan is from, to and units, as verify says)",
        )
        out.unlink()


def test_compare_says_a_tours_date_was_edited_by_hand(tmp_path: Path) -> None:
    """compare of a timed plan and the same with an end_date typed over: no tour differs, and
    a note says the cells edited change no tour (it said nothing: a trial)."""
    import datetime as dt

    from .time_cases import timed_case

    periods = [{"period": "P1", "start": dt.date(2027, 1, 1)}, {"period": "P2"}, {"period": "P3"}]
    src = timed_case(tmp_path / "t.xlsx", periods=periods)
    out, edited = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run("solve", src, "-o", out).exit_code == 0
    same = run("compare", out, out, "-o", tmp_path / "same.xlsx")
    assert same.exit_code == 0 and "edited by hand" not in same.output  # a trial saw it said
    book = load_workbook(out)
    sheet = book["Tours"]
    at = next(c.column for c in sheet[1] if c.value == "end_date")
    sheet.cell(2, at).value = dt.datetime(2027, 1, 15)
    book.save(edited)
    result = run("compare", out, edited, "-o", tmp_path / "cmp.xlsx")
    assert result.exit_code == 0, result.output
    assert "b.xlsx: Tours cells that follow from from, to and units" in result.output


def test_a_note_on_an_alternatives_plan_sheet_is_a_planner_addition(tmp_path: Path) -> None:
    """An output with an alternative (Tours.2): re-solved untouched it is replaced; a `note`
    column on Tours.2 is the planner's (a quick trial saw it lost)."""

    from .test_alternatives_time import EQUAL
    from .time_cases import months, timed_case

    src = timed_case(tmp_path / "tie.xlsx", periods=months(2), pledges=EQUAL)
    out = tmp_path / "tie-plan.xlsx"
    assert run("solve", src, "-o", out, "--alternatives", "1").exit_code == 0
    assert run("solve", src, "-o", out, "--alternatives", "1").exit_code == 0

    def edit(book: Any) -> None:
        sheet = book["Tours.2"]
        sheet.cell(1, sheet.max_column + 1).value = "note"
        sheet.cell(2, sheet.max_column).value = "Canada would rather"

    refused_after(src, out, edit, "holds a planner's additions (Tours.2 column 'note')")


def test_a_chart_sheet_a_total_row_or_an_empty_copy_keep_the_guard(
    case: Path, output: Path
) -> None:
    """Three ways a review found past the guard: a chart sheet a planner added (the guard
    failed, internal error), a `Total` row below the Allocation with blank keys (pandas kept
    the blank as NaN and the row fell out of the digest: replaced without a word), and an
    empty sheet `Allocation.old` beside an edited plan (read as no workbook: the edit was
    replaced)."""
    from openpyxl.chart import BarChart

    def chart_sheet(book: Any) -> None:
        book.create_chartsheet("Chart1").add_chart(BarChart())

    def total_row(book: Any) -> None:
        sheet = book["Allocation"]
        row = sheet.max_row + 1
        sheet.cell(row, 1).value = "Total"
        sheet.cell(row, _units_column(sheet)).value = 4

    def empty_copy(book: Any) -> None:
        sheet = book["Allocation"]
        units = _units_column(sheet)
        sheet.cell(2, units).value = int(sheet.cell(2, units).value) - 1
        book.create_sheet("Allocation.old")

    for edit, said in (
        (chart_sheet, "sheet 'Chart1'"),
        (total_row, "edited by hand"),
        (empty_copy, "edited by hand"),
    ):
        output.unlink(missing_ok=True)
        assert run("solve", case, "-o", output).exit_code == 0
        refused_after(case, output, edit, said)


def _units_column(sheet: Any) -> int:
    """The column of a plan sheet's `units`."""
    return int(next(c.column for c in sheet[1] if c.value == "units"))


def test_a_note_below_the_tours_is_an_addition_not_an_edit(tmp_path: Path) -> None:
    """A note typed in column A two rows below a timed output's Tours: the planner's addition
    (`Tours rows below its table`), as below the Allocation; it was said `a plan edited by
    hand` (a review)."""

    from .time_cases import months, timed_case

    src = timed_case(tmp_path / "t.xlsx", periods=months(2))
    out = tmp_path / "t-plan.xlsx"
    assert run("solve", src, "-o", out).exit_code == 0

    def edit(book: Any) -> None:
        sheet = book["Tours"]
        sheet.cell(sheet.max_row + 2, 1).value = "B offered a second company for P2"

    refused_after(src, out, edit, "holds a planner's additions (Tours rows below its table)")


def test_cell_comments_are_a_planner_addition(case: Path, output: Path) -> None:
    """A comment (an Excel note) on an Allocation cell and one on the Coverage: forcegen writes
    none, so they are the planner's (a trial's comment was lost by `solve -o` without a word):
    refused, naming the sheets in the workbook's order. The comments removed again (saved by
    openpyxl, as before): replaced as usual."""
    from openpyxl.comments import Comment

    def comment(book: Any) -> None:
        book["Coverage"]["A2"].comment = Comment("check with J5", "planner")
        book["Allocation"]["A2"].comment = Comment("agreed at FGC 3", "planner")

    refused_after(
        case,
        output,
        comment,
        "holds a planner's additions (cell comments on Coverage, Allocation): solving into it "
        "would lose that work",
    )
    book = load_workbook(output)
    for name in ("Coverage", "Allocation"):
        book[name]["A2"].comment = None
    book.save(output)
    assert run("solve", case, "-o", output).exit_code == 0
