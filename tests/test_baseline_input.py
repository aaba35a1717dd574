"""The baseline as input (`replanning.md`): `--baseline FILE` read from a real earlier output
(snapshot and timed; edited by hand: its keys, locks, bad cells, dates), and named by its
content. The files refused as a baseline (of the other kind, an input workbook, a comparison or
verify report, a briefing page, an output without a plan): test_baseline_input_refused.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError
from solver.io.read import file_sha256
from solver.results.digest import output_sha256

from .baseline_input_case import edited_plan, row, solved_output
from .time_cases import months, timed_case
from .workbooks import simple_case


def test_baseline_file_from_a_snapshot_output_wins_over_the_sheet(tmp_path: Path) -> None:
    """simple_case solved: A S1 2, B S2 2 (distance-free costs 1; that plan is the output).
    The new workbook's sheet says B S1 2, A S2 2; with --baseline the output's plan is the
    baseline: nothing changes, and the Summary names the file and its content digest (its cells
    without its timings, as the file then stands, with the lock column). A planner's lock
    column is read (A's row locked)."""
    first = simple_case(tmp_path / "first.xlsx")
    out = solved_output(tmp_path, first, "plan.xlsx")
    assert api.read_baseline(out, api.read(first)).rows[
        ["contributor", "site", "units"]
    ].values.tolist() == [
        ["A", "S1", 2],
        ["B", "S2", 2],
    ]
    wb = load_workbook(out)
    ws = wb["Allocation"]
    ws.cell(row=1, column=6, value="lock")
    ws.cell(row=2, column=6, value="yes")
    wb.save(out)
    again = simple_case(
        tmp_path / "again.xlsx", baseline=[row(c="B", units=2), row(s="S2", units=2)]
    )
    sheet_only = api.solve(again)
    assert sheet_only.summary["objective.changes"] == 0
    assert sheet_only.tables.allocation["contributor"].tolist() == ["A", "B"]
    assert sheet_only.tables.allocation["site"].tolist() == ["S2", "S1"]
    result = api.solve(again, baseline=out)
    assert result.data.baseline is not None
    assert result.data.baseline.rows["lock"].tolist() == [True, False]
    assert result.summary["objective.changes"] == 0
    assert result.tables.allocation["site"].tolist() == ["S1", "S2"]
    assert result.summary["baseline_file"] == "plan.xlsx"
    assert result.summary["baseline_sha256"] == output_sha256(out.read_bytes())
    # and the file's own SHA-256, which `sha256sum plan.xlsx` gives (a trial could not match it)
    assert result.summary["baseline_file_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert sheet_only.summary["baseline_file_sha256"] is None  # the sheet: no file
    assert (result.summary["baseline_rows"], result.summary["baseline_locked_rows"]) == (2, 1)
    # the sheet set aside is said, not silent
    assert [str(w) for w in result.data.warnings if w.where == "Baseline"] == [
        "warning: Baseline: set aside for the baseline given (plan.xlsx)"
    ]
    assert not any(w.where == "Baseline" for w in sheet_only.data.warnings)


def test_a_key_retyped_in_another_case_is_the_workbook_s(tmp_path: Path) -> None:
    """simple_case's plan (A S1 2, B S2 2) with A typed `a` and S2 typed ` s2 ` by hand, and
    A's row locked: read as A and S2 with a warning at each cell (as verify and compare read
    them), so nothing changes and the lock holds. Before, `a` was a contributor the workbook
    lacks: its 2 units withdrawn and A's asked for anew, and with the lock the solve was
    infeasible."""
    first, out = edited_plan(tmp_path, {"A2": "a", "C3": " s2 ", "F1": "lock", "F2": "yes"})
    assert load_workbook(out)["Allocation"]["C1"].value == "site"
    baseline = api.read_baseline(out, data := api.read(first))
    assert baseline.rows[["contributor", "site", "lock"]].values.tolist() == [
        ["A", "S1", True],
        ["B", "S2", False],
    ]
    said = [str(w) for w in data.warnings]
    assert (
        "warning: plan.xlsx Allocation!A2: contributor 'a' taken as 'A' (case differs; "
        "write 'A' to silence this warning)" in said
    )
    assert any(
        w.startswith("warning: plan.xlsx Allocation!C3: site 's2' taken as 'S2'") for w in said
    )
    assert not any("is not on the" in w for w in said)
    result = api.solve(first, baseline=out)
    assert result.status == "optimal"
    assert result.summary["objective.changes"] == 0


def test_baseline_file_from_a_timed_output(tmp_path: Path) -> None:
    """A timed plan of 3 periods (A's tour P1..P3) is the baseline of the same workbook grown to
    4 periods: A stays and adds P4 (1 unit-month)."""
    out = solved_output(
        tmp_path, timed_case(tmp_path / "t3.xlsx", periods=months(3)), "t3-plan.xlsx"
    )
    result = api.solve(timed_case(tmp_path / "t4.xlsx", periods=months(4)), baseline=out)
    assert result.summary["objective.changes"] == 1
    assert result.summary["baseline_file"] == "t3-plan.xlsx"


def test_bad_cells_of_the_file_name_file_sheet_and_cell(tmp_path: Path) -> None:
    """Units 'two' at Allocation!D2 and lock 'maybe' at F3: both errors at once, with the
    file's name."""
    first = simple_case(tmp_path / "first.xlsx")
    out = solved_output(tmp_path, first, "plan.xlsx")
    wb = load_workbook(out)
    ws = wb["Allocation"]
    ws["D2"] = "two"
    ws["F1"] = "lock"
    ws["F3"] = "maybe"
    wb.save(out)
    with pytest.raises(InputError) as info:
        api.read_baseline(out, api.read(first))
    errors = [str(e) for e in info.value.errors]
    assert len(errors) == 2, errors
    assert errors[0].startswith("plan.xlsx Allocation!D2: units must be a whole number")
    assert errors[1].startswith("plan.xlsx Allocation!F3: lock must be yes or no")


def test_a_formula_without_its_value_is_one_error_at_its_cell(tmp_path: Path) -> None:
    """Units `=1+0` at Allocation!D2 with no value stored (written by openpyxl, never opened in
    Excel): one error, the formula's, as every other reader gives it. Before, the cell was also
    said to be blank (`units is required; fill in the cell`), and the count was one too high."""
    first, out = edited_plan(tmp_path, {"D2": "=1+0"})
    with pytest.raises(InputError) as info:
        api.read_baseline(out, api.read(first))
    errors = [str(e) for e in info.value.errors]
    assert len(errors) == 1, errors
    assert errors[0].startswith("plan.xlsx Allocation!D2: formula =1+0 has no calculated value")


def test_a_lock_column_misspelled_is_warned_at_its_header(tmp_path: Path) -> None:
    """A planner's `Locked` column (F1) with A's row marked: no row is locked (the contract's
    column is `lock`), and the warning names the file's header cell, where before the locks
    were lost without a word. Spelled ` LOCK ` it is the lock column."""
    first, out = edited_plan(tmp_path, {"F1": "Locked", "F2": "x"})
    data = api.read(first)
    baseline = api.read_baseline(out, data)
    assert baseline.rows["lock"].tolist() == [False, False]
    assert [str(w) for w in data.warnings] == [
        "warning: plan.xlsx Allocation!F1: column 'locked' is not read, so no row is locked by "
        "it (did you mean 'lock'?)"
    ]
    first, out = edited_plan(tmp_path, {"F1": " LOCK ", "F2": "x"})
    data = api.read(first)
    assert api.read_baseline(out, data).rows["lock"].tolist() == [True, False]
    assert data.warnings == []


def test_cli_solve_with_baseline_end_to_end(tmp_path: Path) -> None:
    """solve, then solve a changed workbook --baseline the first output: exit 0, the console's
    stage lines show `changes`, the Summary sheet names the baseline file; the output may not
    be the baseline file (exit 2, nothing written over it)."""
    first = simple_case(tmp_path / "first.xlsx")
    plan = tmp_path / "plan.xlsx"
    run = CliRunner().invoke(main, ["solve", str(first), "-o", str(plan)])
    assert run.exit_code == 0, run.output
    # B withdraws one unit; C (cost 1) pledges 2: B keeps 1 at S2, C adds 1 there
    again = simple_case(
        tmp_path / "again.xlsx",
        contributors=[{"contributor": c} for c in "ABC"],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "C", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
    )
    new = tmp_path / "new.xlsx"
    run = CliRunner().invoke(main, ["solve", str(again), "-o", str(new), "--baseline", str(plan)])
    assert run.exit_code == 0, run.output
    assert "  changes          2" in run.output
    summary = dict(load_workbook(new)["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["objective.changes"] == 2
    assert summary["baseline_file"] == "plan.xlsx"
    before = plan.read_bytes()
    run = CliRunner().invoke(main, ["solve", str(again), "-o", str(plan), "--baseline", str(plan)])
    assert run.exit_code == 2
    assert plan.read_bytes() == before


def test_same_bytes_twice(tmp_path: Path) -> None:
    """The same workbook and baseline written twice give the same Allocation, Summary objective
    rows and baseline rows (the Summary's timings differ by nature)."""
    first = simple_case(tmp_path / "first.xlsx")
    out = solved_output(tmp_path, first, "plan.xlsx")
    again = simple_case(
        tmp_path / "again.xlsx", baseline=[row(c="B", units=2), row(s="S2", units=2)]
    )
    sheets = []
    for i in range(2):
        path = tmp_path / f"r{i}.xlsx"
        api.write(api.solve(again, baseline=out), path)
        wb = load_workbook(path, read_only=True)
        summary = [
            r for r in wb["Summary"].iter_rows(values_only=True) if "seconds" not in str(r[0])
        ]
        sheets.append((list(wb["Allocation"].iter_rows(values_only=True)), summary))
        wb.close()
    assert sheets[0] == sheets[1]


def test_tours_in_periods_the_workbook_lacks_are_errors(tmp_path: Path) -> None:
    """A 4-period plan (A's tour P1..P4) as the baseline of a 3-period workbook: the `to` cell
    names P4, which is not on its Periods sheet (said as verify says it of a plan's Tours: no
    period is spelt like P4, so no did-you-mean), a period of the baseline's own plan that no
    calendar places (said, with what to do)."""
    out = solved_output(
        tmp_path, timed_case(tmp_path / "t4.xlsx", periods=months(4)), "t4-plan.xlsx"
    )
    with pytest.raises(InputError) as info:
        api.solve(timed_case(tmp_path / "t3.xlsx", periods=months(3)), baseline=out)
    assert [str(e) for e in info.value.errors] == [
        "t4-plan.xlsx Tours!E2: to 'P4' is not a period of the input (P1..P3): it is a period "
        "of the baseline's own plan, but the baseline's periods are not named by their months, "
        "so a re-plan over another horizon cannot place it (name the Periods of both workbooks "
        "by their months, `2027-04`, or delete the baseline's tours in periods this workbook "
        "lacks)"
    ]


def test_a_sheet_set_aside_by_a_file_is_not_warned_about(tmp_path: Path) -> None:
    """The workbook's own Baseline sheet has A 2 at S1 and A 1 at S2, 3 units above A's pledge
    of 2 (a warning at Baseline!A2 when the sheet is the baseline) and a column `note` no one
    reads (a warning at Baseline!H1). Given --baseline plan.xlsx, the sheet is set aside: both
    warnings go, the one saying it is set aside stays, and verify and sweep with the file say
    the same (a contract audit: sweep still said them). Without the file the sheet's warnings
    stand."""
    plan = solved_output(tmp_path, simple_case(tmp_path / "first.xlsx"), "plan.xlsx")
    again = simple_case(
        tmp_path / "again.xlsx", baseline=[row(units=2, note="x"), row(s="S2", units=1)]
    )
    on_sheet = [str(w) for w in api.read(again).warnings if w.where.startswith("Baseline!")]
    assert [w.split(":")[1] for w in on_sheet] == [" Baseline!H1", " Baseline!A2"]
    result = api.solve(again, baseline=plan)
    assert [str(w) for w in result.data.warnings if w.where.startswith("Baseline")] == [
        "warning: Baseline: set aside for the baseline given (plan.xlsx)"
    ]
    out = api.write(result, tmp_path / "out.xlsx", [again, plan])
    run = CliRunner().invoke(main, ["verify", str(again), str(out), "--baseline", str(plan)])
    assert run.exit_code == 0, run.output
    assert "Baseline!" not in run.output
    args = ["sweep", str(again), "--baseline", str(plan), "-o", str(tmp_path / "swept")]
    run = CliRunner().invoke(main, [*args, "--workers", "1"])
    assert run.exit_code == 0, run.output
    assert "Baseline!" not in run.output and "set aside for the baseline given" in run.output


def test_dates_in_a_file_s_tours_windows_are_read_as_their_months(tmp_path: Path) -> None:
    """Periods 2027-01..2027-03; the plan is A's tour 2027-01..2027-03 (Tours row 2). Excel
    made dates of the typed periods: D2 (from) 2027-01-01 and E2 (to) 2027-03-01 at midnight.
    The baseline reads them as 2027-01 and 2027-03 (positions 0 and 2), one warning per
    column naming its cell, as verify reads the same Tours; a date not on the first of a
    month (2027-01-15) names no period: an error at its cell."""
    periods = [{"period": f"2027-0{m}", "months": 1} for m in (1, 2, 3)]
    workbook = timed_case(tmp_path / "t.xlsx", periods=periods)
    out = solved_output(tmp_path, workbook, "t-plan.xlsx")
    wb = load_workbook(out)
    wb["Tours"]["D2"], wb["Tours"]["E2"] = dt.datetime(2027, 1, 1), dt.datetime(2027, 3, 1)
    wb.save(out)
    data = api.read(workbook)
    baseline = api.read_baseline(out, data)
    assert baseline.rows[["contributor", "site", "first_t", "last_t", "units"]].values.tolist() == [
        ["A", "S1", 0, 2, 1]
    ]
    assert [str(w) for w in data.warnings if w.where.startswith("t-plan.xlsx")] == [
        "warning: t-plan.xlsx Tours!D2: 1 date in from (Tours!D2) read as the period of its "
        "month (2027-01-01 as '2027-01'): Excel turns a typed 2027-01 into a date; format the "
        "column as text to keep what is typed",
        "warning: t-plan.xlsx Tours!E2: 1 date in to (Tours!E2) read as the period of its "
        "month (2027-03-01 as '2027-03'): Excel turns a typed 2027-03 into a date; format the "
        "column as text to keep what is typed",
    ]
    wb["Tours"]["D2"] = dt.datetime(2027, 1, 15)
    wb.save(out)
    with pytest.raises(InputError) as info:
        api.read_baseline(out, api.read(workbook))
    (error,) = [str(e) for e in info.value.errors]
    assert error.startswith("t-plan.xlsx Tours!D2: from must be a period (text), got the date")


def test_the_baseline_is_named_by_its_content_without_its_timings(tmp_path: Path) -> None:
    """`read_baseline`'s sha256 (the re-plan's Summary baseline_sha256) is the output's content
    digest: the same for the solve written again with other timing rows (solve_seconds,
    seconds.*), so other bytes; another for the output with one cell of its plan changed (B's
    units at S2, 2 made 1; against the same file saved unchanged by openpyxl, which writes some
    values otherwise: 0.0 as 0); the file's SHA-256 for a workbook without a Summary sheet."""
    first = simple_case(tmp_path / "first.xlsx")
    data = api.read(first)
    solved = api.solve(first)
    out = api.write(solved, tmp_path / "plan.xlsx")
    timing = ("solve_seconds", "seconds.")
    assert any(str(k).startswith(timing) for k, _ in solved.tables.summary)
    solved.tables.summary = [
        (k, 99.0 if str(k).startswith(timing) else v) for k, v in solved.tables.summary
    ]
    slower = api.write(solved, tmp_path / "slower.xlsx")
    assert file_sha256(slower) != file_sha256(out)

    def saved(name: str, units: int | None = None, summary: bool = True) -> Path:
        wb = load_workbook(out)
        ws = wb["Allocation"]
        assert [c.value for c in ws[3]][:4] == ["B", "INF", "S2", 2]
        if units is not None:
            ws.cell(3, 4).value = units
        if not summary:
            del wb["Summary"]
        wb.save(tmp_path / name)
        return tmp_path / name

    digest = api.read_baseline(out, data).sha256
    assert digest == output_sha256(out.read_bytes()) != file_sha256(out)
    assert api.read_baseline(slower, data).sha256 == digest
    resaved = api.read_baseline(saved("resaved.xlsx"), data).sha256
    edited = api.read_baseline(saved("edited.xlsx", units=1), data).sha256
    assert edited not in (digest, resaved, None)
    bare = saved("bare.xlsx", summary=False)
    assert api.read_baseline(bare, data).sha256 == file_sha256(bare)


def test_a_slip_repeated_down_a_file_is_said_once_naming_its_cells(tmp_path: Path) -> None:
    """simple_case's plan with both rows' capability typed `inf ` (a space, and lower case):
    one warning for the spaces and one for the case, each at B2 naming B3, where there was a
    warning per cell and per slip (a re-plan trial's three retyped names made some sixty)."""
    _, out = edited_plan(tmp_path, {"B2": "inf ", "B3": "inf "})
    data = api.read(tmp_path / "first.xlsx")
    api.read_baseline(out, data)
    said = [str(w) for w in data.warnings if "Allocation!B" in str(w)]
    assert said == [
        "warning: plan.xlsx Allocation!B2: capability 'inf ' has extra spaces or special "
        "characters; read as 'inf' (retype it to silence this warning) (also Allocation!B3)",
        "warning: plan.xlsx Allocation!B2: capability 'inf' taken as 'INF' (case differs; "
        "write 'INF' to silence this warning) (also Allocation!B3)",
    ]
