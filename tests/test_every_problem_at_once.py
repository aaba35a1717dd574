"""compare and report name every problem of an edited plan at once where its input is found:
the cells they cannot read and the cells the input does not fit (a nation it lacks, a period
`2027-13`), as verify of the same file names them. Before, an edit trial fixed the cells they
named, ran again, and was then told of the rest.

The timed case: S1 and S2 need 1 INF each in 2027-01..2027-03, A and B pledge 1 each: two
tours. The output edited by hand: its first tour's units typed `two` (unreadable), its second
tour's contributor `XXX` and its `to` `2027-13` (both readable, neither in the input). The
snapshot case: the same lines without Periods; its Allocation edited alike (`two`, `XXX`,
site `S9`)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from solver.cli import main

from .baseline_input_case import solved_output
from .time_cases import timed_case

LINES = [
    {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
    {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
]
PLEDGES = [
    {"contributor": "A", "capability": "INF", "units": 1},
    {"contributor": "B", "capability": "INF", "units": 1},
]
MONTHS = [{"period": f"2027-{m:02d}", "months": 1} for m in (1, 2, 3)]


def _edited(plan: Path, sheet: str, cells: dict[str, object]) -> Path:
    book = load_workbook(plan)
    for cell, value in cells.items():
        book[sheet][cell].value = value
    edited = plan.with_name("edited.xlsx")
    book.save(edited)
    return edited


def _errors_of(argv: list[str]) -> list[str]:
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 2, result.output
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def _cells(errors: list[str]) -> list[str]:
    """`Tours!G2` of each `error: edited.xlsx Tours!G2: ...`."""
    return [line.split()[2].rstrip(":") for line in errors]


def test_a_timed_plan_s_unreadable_and_unfit_cells_at_once(tmp_path: Path) -> None:
    workbook = timed_case(
        tmp_path / "case.xlsx", periods=MONTHS, requirements=LINES, pledges=[*PLEDGES]
    )
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    header = [c.value for c in load_workbook(plan)["Tours"][1]]
    assert header[:7] == ["contributor", "capability", "site", "from", "to", "months", "units"]
    edited = _edited(plan, "Tours", {"G2": "two", "A3": "XXX", "E3": "2027-13"})
    page = tmp_path / "p.html"
    for argv in (["compare", str(plan), str(edited)], ["report", str(edited), "-o", str(page)]):
        errors = _errors_of(argv)
        assert sorted(_cells(errors)) == ["Tours!A3", "Tours!E3", "Tours!G2"], errors
        assert "error: edited.xlsx Tours!E3: to '2027-13' is not a period of the input" in (
            "\n".join(errors)
        )
    assert not page.exists()


def test_a_snapshot_plan_s_unreadable_and_unfit_cells_at_once(tmp_path: Path) -> None:
    workbook = timed_case(tmp_path / "case.xlsx", requirements=LINES, pledges=[*PLEDGES])
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    header = [c.value for c in load_workbook(plan)["Allocation"][1]]
    assert header[:4] == ["contributor", "capability", "site", "units"]
    edited = _edited(plan, "Allocation", {"D2": "two", "A3": "XXX", "C3": "S9"})
    page = tmp_path / "p.html"
    for argv in (["compare", str(plan), str(edited)], ["report", str(edited), "-o", str(page)]):
        errors = _errors_of(argv)
        assert sorted(_cells(errors)) == ["Allocation!A3", "Allocation!C3", "Allocation!D2"]
    assert not page.exists()


def test_only_the_unreadable_cells_where_the_input_cannot_judge_the_rest(tmp_path: Path) -> None:
    """Where the input found is another version of the solved one (its periods moved a month),
    the plan's cells it does not fit are no errors (the audit notes them): only the unreadable
    cell is said. Where the output's other sheets are damaged (its Contributors header
    renamed), the unreadable cell is said as before, not an internal error (a review)."""
    workbook = timed_case(
        tmp_path / "case.xlsx", periods=MONTHS, requirements=LINES, pledges=[*PLEDGES]
    )
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    edited = _edited(plan, "Tours", {"G2": "two"})
    shifted = [{"period": f"2027-{m:02d}", "months": 1} for m in (2, 3, 4)]
    timed_case(tmp_path / "case.xlsx", periods=shifted, requirements=LINES, pledges=[*PLEDGES])
    assert _cells(_errors_of(["compare", str(plan), str(edited)])) == ["Tours!G2"]
    book = load_workbook(edited)
    book["Contributors"]["A1"].value = "nation"
    book.save(edited)
    assert _cells(_errors_of(["compare", str(plan), str(edited)])) == ["Tours!G2"]


def test_a_cell_both_readings_refuse_is_said_once(tmp_path: Path) -> None:
    """The timed plan's first tour's `to` blanked: compare's reading said `Tours!E2: to is
    required`, and verify's reading against the input `... to is required (a tour's last
    period: ...)` too, one cell twice (a planner trial). Once now, in verify's words, by
    compare and report."""
    workbook = timed_case(
        tmp_path / "case.xlsx", periods=MONTHS, requirements=LINES, pledges=[*PLEDGES]
    )
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    header = [c.value for c in load_workbook(plan)["Tours"][1]]
    to = f"{chr(ord('A') + header.index('to'))}2"
    edited = _edited(plan, "Tours", {to: None})
    for argv in (
        ["compare", str(plan), str(edited), "--input", str(workbook)],
        ["report", str(edited), "--input", str(workbook), "-o", str(tmp_path / "r.html")],
    ):
        errors = _errors_of(argv)
        assert _cells(errors) == [f"Tours!{to}"], errors
        assert "a plan's tour names both its ends" in errors[0]
