"""The baseline as input (`replanning.md`): the Baseline sheet's errors and warnings naming
cells, and `--baseline FILE` read from a real earlier output (snapshot and timed).

Baseline columns: A contributor, B capability, C site, D units, E from, F to, G lock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError
from solver.io.read import file_sha256
from solver.results.digest import output_sha256

from .time_cases import months, timed_case
from .workbooks import simple_case


def errors_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        api.read(path)
    return [str(e) for e in info.value.errors]


def row(c: str = "A", s: str = "S1", units: object = 1, **extra: object) -> dict:
    return {"contributor": c, "capability": "INF", "site": s, "units": units, **extra}


def test_sheet_errors_all_at_once_naming_cells(tmp_path: Path) -> None:
    """Row 2 names contributor Z (not on Contributors), row 3 has units -1, row 4 units 1.5,
    row 5 lock 'maybe', row 6 site S9: five errors, each at its cell."""
    path = simple_case(
        tmp_path / "bad.xlsx",
        baseline=[
            row(c="Z"),
            row(units=-1),
            row(units=1.5),
            row(lock="maybe"),
            row(s="S9"),
        ],
    )
    errors = errors_of(path)
    assert any(
        e.startswith("Baseline!A2: contributor 'Z' is not on the Contributors") for e in errors
    )
    assert any(e.startswith("Baseline!D3: units must be") for e in errors)
    assert any(e.startswith("Baseline!D4: units must be a whole number") for e in errors)
    assert any(e.startswith("Baseline!G5: lock must be yes or no") for e in errors)
    assert any(e.startswith("Baseline!C6: site 'S9' is not on the Sites") for e in errors)
    assert len(errors) == 5, errors


def test_time_cells_of_the_sheet(tmp_path: Path) -> None:
    """Timed: from P3 after to P1 (row 2) and an unknown period P9 (row 3, to) are errors;
    a snapshot workbook's from cell (row 2) is refused like the other time columns."""
    timed = timed_case(
        tmp_path / "t.xlsx",
        periods=months(3),
        baseline=[row(**{"from": "P3", "to": "P1"}), row(**{"to": "P9"})],
    )
    errors = errors_of(timed)
    assert any(e.startswith("Baseline!E2: from 'P3' is after to 'P1'") for e in errors), errors
    assert any(e.startswith("Baseline!F3: to 'P9' is not on the Periods sheet") for e in errors)
    assert len(errors) == 2, errors
    snapshot = simple_case(tmp_path / "s.xlsx", baseline=[row(**{"from": "P1"})])
    errors = errors_of(snapshot)
    assert len(errors) == 1 and errors[0].startswith("Baseline!E2: from is 'P1' but there are no")


def test_a_row_with_an_unknown_key_has_its_time_cells_checked_too(tmp_path: Path) -> None:
    """Every problem at once: a row naming site S9 (not on Sites) with a `from` in a snapshot
    (two errors of one row; the second was said only once the first was fixed), and in a
    timed workbook a row naming contributor Z with an unknown period P9 in `to`. The same
    holds on every windowed sheet (a pledge of contributor Z with to P9)."""
    snapshot = simple_case(tmp_path / "s.xlsx", baseline=[row(s="S9", **{"from": "P1"})])
    assert errors_of(snapshot) == [
        "Baseline!C2: site 'S9' is not on the Sites sheet",
        "Baseline!E2: from is 'P1' but there are no periods to refer to (the workbook has no "
        "Periods sheet, or it has no rows); clear the cell, or add a Periods sheet to make the "
        "workbook timed",
    ]
    timed = timed_case(
        tmp_path / "t.xlsx",
        periods=months(3),
        baseline=[row(c="Z", **{"to": "P9"})],
    )
    errors = errors_of(timed)
    assert [e.split(":")[0] for e in errors] == ["Baseline!A2", "Baseline!F2"], errors
    assert errors[1].startswith("Baseline!F2: to 'P9' is not on the Periods sheet")
    pledge = {"contributor": "Z", "capability": "INF", "units": 1, "to": "P9"}
    errors = errors_of(timed_case(tmp_path / "p.xlsx", periods=months(3), pledges=[pledge]))
    assert any(e.startswith("Pledges!") and "contributor 'Z'" in e for e in errors), errors
    assert any(e.startswith("Pledges!") and "to 'P9' is not on the" in e for e in errors), errors


def test_units_above_the_pledge_is_a_warning(tmp_path: Path) -> None:
    """A pledges 2 INF; the baseline has A S1 2 and A S2 1 (3 units): a warning at the first row
    of A's INF, not an error (whether a locked row can hold is the model's question)."""
    path = simple_case(tmp_path / "w.xlsx", baseline=[row(units=2), row(s="S2", units=1)])
    data = api.read(path)
    assert data.baseline is not None and len(data.baseline.rows) == 2
    warned = [str(w) for w in data.warnings if "above its pledge" in w.message]
    assert warned == [
        "warning: Baseline!A2: the baseline has 3 units of A's INF, above its pledge of 2: some "
        "must change (a locked row that cannot hold makes the solve infeasible)"
    ]


def test_a_row_pasted_twice_is_added_up_with_a_warning_at_the_repeat(tmp_path: Path) -> None:
    """A pledges 2 INF; the baseline has A S1 1 twice (a row pasted twice by mistake): the rows
    add up (the contract's rows of one option add up), and the repeat is named. A locked row of
    the same option locks part of its units: no repeat."""
    path = simple_case(
        tmp_path / "w.xlsx",
        baseline=[row(), row(s="S2"), row(), row(lock="yes")],  # the last locks 1 of S1's
    )
    data = api.read(path)
    assert data.baseline is not None
    assert data.baseline.presence().groupby("site")["units"].sum().to_dict() == {"S1": 3, "S2": 1}
    warned = [str(w) for w in data.warnings if "appears again" in w.message]
    assert warned == [
        "warning: Baseline!A4: A/INF/S1 appears again (first at Baseline!A2): its units are "
        "added to that row's"
    ]


def test_in_time_only_a_row_with_the_same_periods_is_a_repeat(tmp_path: Path) -> None:
    """Timed, P1..P4: two tours of A's INF at S1 in P1..P2 and P3..P4 are two tours (no
    warning); a third row in P1..P2 again repeats the first."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(4),
        baseline=[
            row(**{"from": "P1", "to": "P2"}),
            row(**{"from": "P3", "to": "P4"}),
            row(**{"from": "P1", "to": "P2"}),
        ],
    )
    warned = [str(w) for w in api.read(path).warnings if "appears again" in w.message]
    assert warned == [
        "warning: Baseline!A4: A/INF/S1 in P1..P2 appears again (first at Baseline!A2): its "
        "units are added to that row's"
    ]


def test_units_above_the_pledge_in_time_is_one_warning_per_run_of_periods(
    tmp_path: Path,
) -> None:
    """Timed, P1..P4; A pledges 1 INF. Baseline tours at S1: 1 unit P1..P4, 1 more in
    P2..P3, 2 more in P4: 2 units in P2 and P3, 3 in P4. One warning per run of periods with
    the same units, in time order (before: one per period, P2 and P3 said apart)."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(4),
        baseline=[
            row(),
            row(**{"from": "P2", "to": "P3"}),
            row(units=2, **{"from": "P4", "to": "P4"}),
        ],
    )
    warned = [str(w) for w in api.read(path).warnings if "above its pledge" in w.message]
    tail = ", above its pledge of 1: some must change (a locked row that cannot hold makes the solve infeasible)"
    assert warned == [
        f"warning: Baseline!A2: the baseline has 2 units of A's INF in P2..P3{tail}",
        f"warning: Baseline!A2: the baseline has 3 units of A's INF in P4{tail}",
    ]


def test_baseline_tours_breaking_the_rotation_are_one_warning_per_pledge(tmp_path: Path) -> None:
    """Timed, P1..P8 of a month; A pledges 2 INF, tours of at most 3 months, 3 months of
    dwell. Baseline tours at S1: P1..P3 x1, P3..P5 x1, P5..P7 x1. By hand (e <= m(t) < e + 3):
    the first tour's unit is home in P4..P6, the second's in P6..P8. Deployed + in dwell: P1 1,
    P2 1, P3 2, P4 1+1, P5 2+1, P6 1+2, P7 1+1, P8 0+1: above 2 in P5 (2 deployed, 1 in dwell)
    and P6 (1, 2), 3 the most (first in P5). Before, a re-plan withdrew a unit there, its
    Changes naming only the line's reasons, and nothing said the baseline broke the rotation.
    Tours alone above the pledge are "above its pledge" (the test above), not this warning."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(8),
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2}
            | {"tour_months": 3, "dwell_months": 3}
        ],
        baseline=[
            row(**{"from": "P1", "to": "P3"}),
            row(**{"from": "P3", "to": "P5"}),
            row(**{"from": "P5", "to": "P7"}),
        ],
    )
    warned = [str(w) for w in api.read(path).warnings if "rotation" in w.message]
    assert warned == [
        "warning: Baseline!A2: the baseline's tours of A's INF break its rotation in P5..P6: "
        "up to 3 units deployed or at home in dwell (3 months after a tour; in P5 2 deployed, "
        "1 in dwell) of 2 pledged: some must change (a locked tour that cannot hold makes the "
        "solve infeasible)"
    ]
    # two rows back to back are one presence, one tour if it fits: nothing leaves between
    # them, so no warning (review: every row was read as a tour, "some must change" of a
    # baseline the re-plan keeps whole)
    for tour_months in (6, None):
        back_to_back = timed_case(
            tmp_path / f"b{tour_months}.xlsx",
            periods=months(6),
            pledges=[
                {"contributor": "A", "capability": "INF", "units": 1}
                | {"tour_months": tour_months, "dwell_months": 2}
            ],
            baseline=[row(**{"from": "P1", "to": "P3"}), row(**{"from": "P4", "to": "P6"})],
        )
        assert not [w for w in api.read(back_to_back).warnings if "rotation" in w.message]
        assert api.solve(back_to_back).summary["objective.changes"] == 0
    # a locked row is a tour as it stands: back to back with another, its unit leaves and
    # another must arrive, so the warning stands (second review)
    locked_rows = timed_case(
        tmp_path / "locked.xlsx",
        periods=months(6),
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1}
            | {"tour_months": 6, "dwell_months": 2}
        ],
        baseline=[
            row(lock="yes", **{"from": "P1", "to": "P3"}),
            row(**{"from": "P4", "to": "P6"}),
        ],
    )
    assert [w for w in api.read(locked_rows).warnings if "rotation" in w.message]


def test_rows_no_plan_can_keep_are_one_warning_per_reason(tmp_path: Path) -> None:
    """B unavailable, with two baseline rows (1 unit each): one warning at the first, naming the
    second, with both units (before: one per row, `all 1 units change` each)."""
    path = simple_case(
        tmp_path / "u.xlsx",
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1, "status": "unavailable"},
        ],
        baseline=[row(c="B"), row(c="B", s="S2"), row()],
    )
    said = [str(w) for w in api.read(path).warnings if "unavailable" in w.message]
    assert said == ["warning: Baseline!A2: B is unavailable: all 2 units change (also Baseline!A3)"]


def test_a_locked_row_no_plan_can_keep_says_the_workbook_is_infeasible(tmp_path: Path) -> None:
    """B unavailable, its rows at S1 locked and at S2 not; C has no pledge of INF, its row
    locked. A locked row is kept as it stands, so those rows make the workbook infeasible:
    said apart from the unlocked row's `its 1 unit changes` (a trial read that of locked
    rows, validate said the workbook was fine, and the solve was infeasible)."""
    path = simple_case(
        tmp_path / "u.xlsx",
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1, "status": "unavailable"},
            {"contributor": "C", "lat": 0, "lon": 2},
        ],
        baseline=[row(c="B", lock="yes"), row(c="B", s="S2"), row(c="C", lock="yes")],
    )
    said = [str(w) for w in api.read(path).warnings if "Baseline" in w.where]
    locked = (
        ", so it cannot hold and the solve is infeasible (its Infeasibility sheet names the "
        "conflict)"
    )
    assert said == [
        f"warning: Baseline!A2: B is unavailable: the row is locked{locked}: unlock or remove it",
        "warning: Baseline!A3: B is unavailable: its 1 unit changes",
        f"warning: Baseline!A4: C has no pledge of INF: the row is locked{locked}: unlock or "
        "remove it",
    ]


def test_empty_sheet_is_no_baseline(tmp_path: Path) -> None:
    assert api.read(simple_case(tmp_path / "e.xlsx")).baseline is None


def solved_output(tmp_path: Path, workbook: Path, name: str) -> Path:
    out = tmp_path / name
    api.write(api.solve(workbook), out)
    return out


def edited_plan(tmp_path: Path, cells: dict[str, object]) -> tuple[Path, Path]:
    """simple_case (first.xlsx) and its solved plan.xlsx with Allocation `cells` set by hand:
    (workbook, plan)."""
    first = simple_case(tmp_path / "first.xlsx")
    out = solved_output(tmp_path, first, "plan.xlsx")
    wb = load_workbook(out)
    for cell, value in cells.items():
        wb["Allocation"][cell] = value
    wb.save(out)
    return first, out


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


def test_file_of_the_other_kind_is_refused(tmp_path: Path) -> None:
    snap = solved_output(tmp_path, simple_case(tmp_path / "s.xlsx"), "s-plan.xlsx")
    timed = timed_case(tmp_path / "t.xlsx", periods=months(2))
    with pytest.raises(InputError) as info:
        api.solve(timed, baseline=snap)
    assert str(info.value.errors[0]).startswith(
        "s-plan.xlsx: the baseline is a snapshot output but the workbook is a timed workbook"
    )
    tplan = solved_output(tmp_path, timed, "t-plan.xlsx")
    with pytest.raises(InputError) as info:
        api.solve(simple_case(tmp_path / "s2.xlsx"), baseline=tplan)
    assert "the baseline is a timed output" in str(info.value.errors[0])


def test_an_input_workbook_as_baseline_is_said_to_be_one(tmp_path: Path) -> None:
    """`--baseline coalition.xlsx` (the input, not an output) said only that Allocation is
    missing: it now says what --baseline takes."""
    src = simple_case(tmp_path / "s.xlsx")
    with pytest.raises(InputError) as info:
        api.solve(src, baseline=src)
    said = (
        ": this is an input workbook; --baseline takes the output of an earlier forcegen solve "
        "(its plan is the baseline)"
    )
    assert str(info.value.errors[0]).endswith(said)
    # an input of the other kind too: it was called "a snapshot output" (an audit)
    timed = timed_case(tmp_path / "t.xlsx", periods=months(2))
    with pytest.raises(InputError) as info:
        api.solve(timed, baseline=src)
    assert [str(e) for e in info.value.errors] == [f"s.xlsx{said}"]


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


def test_an_output_without_a_plan_is_no_baseline(tmp_path: Path) -> None:
    """An infeasible solve's output (S1 needs 5 hard units, 4 pledged) has an empty Allocation:
    as a baseline it asked every nation for everything anew. Refused, naming its status."""
    hard = simple_case(
        tmp_path / "hard.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
    )
    result = api.solve(hard)
    assert result.status == "infeasible"
    out = api.write(result, tmp_path / "none.xlsx")
    with pytest.raises(InputError) as info:
        api.solve(simple_case(tmp_path / "s.xlsx"), baseline=out)
    assert [str(e) for e in info.value.errors] == [
        "none.xlsx: the baseline has no plan (its Summary's status is infeasible): give the "
        "output of a solve that found one"
    ]
    # a planner's own plan typed into it is a plan: read
    wb = load_workbook(out)
    ws = wb["Allocation"]
    header = [c.value for c in ws[1]]
    ws.append(
        [{"contributor": "A", "capability": "INF", "site": "S1", "units": 2}.get(h) for h in header]
    )
    wb.save(out)
    data = api.read(simple_case(tmp_path / "s.xlsx"))
    assert api.read_baseline(out, data).rows["units"].tolist() == [2]


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


def test_keys_gone_from_the_workbook_are_unavoidable_changes(tmp_path: Path) -> None:
    """The plan A S1 2, B S2 2 is the baseline of a workbook without S2 (S1 needs 2; A and B
    pledge 2 at cost 1). B's 2 units at S2 cannot stay: a warning names the file's cell, and
    they count as changes. Best: A S1 2 (A's row kept), changes = 2."""
    out = solved_output(tmp_path, simple_case(tmp_path / "first.xlsx"), "plan.xlsx")
    smaller = simple_case(
        tmp_path / "smaller.xlsx",
        sites=[{"site": "S1", "country": "X", "zone": "front", "lat": 0, "lon": 0}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
    )
    result = api.solve(smaller, baseline=out)
    assert result.summary["objective.changes"] == 2
    assert result.tables.allocation[["contributor", "site", "units"]].values.tolist() == [
        ["A", "S1", 2]
    ]
    warned = [str(w) for w in result.data.warnings]
    assert (
        "warning: plan.xlsx Allocation!C3: site 'S2' is not on the Sites sheet of the workbook: "
        "its 2 units change" in warned
    )


def test_a_file_s_unknown_keys_are_warned_at_their_own_cells(tmp_path: Path) -> None:
    """The plan's Allocation (row 2 A INF S1 2, row 3 B INF S2 2) edited: site S9 at C2 and
    capability INFX at B3, on no sheet of the workbook. Each warning is at the wrong value's
    cell, not the row's contributor cell, and is the only one about its row (no second
    'no requirement' / 'no pledge' warning for the same key)."""
    first, out = edited_plan(tmp_path, {"C2": "S9", "B3": "INFX"})
    data = api.read(first)
    baseline = api.read_baseline(out, data)
    assert baseline.rows["units"].tolist() == [2, 2]  # both rows kept
    assert [str(w) for w in data.warnings if w.where.startswith("plan.xlsx")] == [
        "warning: plan.xlsx Allocation!C2: site 'S9' is not on the Sites sheet of the workbook: "
        "its 2 units change",
        "warning: plan.xlsx Allocation!B3: capability 'INFX' is not on the Capabilities sheet of "
        "the workbook: its 2 units change",
    ]


def test_one_warning_per_key_missing_and_a_lock_on_it_is_said_infeasible(
    tmp_path: Path,
) -> None:
    """A baseline sheet of three rows of contributor Z (not on Contributors; 1 + 2 + 1 units,
    the second locked) and one of A: one warning for Z at its first cell, naming the others,
    with all 4 units and the locked row that cannot be kept (Z's rows are not every row, so
    no 'another workbook' warning)."""
    path = simple_case(
        tmp_path / "z.xlsx",
        baseline=[row(c="Z"), row(c="Z", s="S2", units=2, lock="yes"), row(c="Z"), row()],
    )
    with pytest.raises(InputError) as info:  # a key on no sheet is an error on the sheet
        api.read(path)
    assert len(info.value.errors) == 3
    out = solved_output(tmp_path, simple_case(tmp_path / "first.xlsx"), "plan.xlsx")
    wb = load_workbook(out)
    ws = wb["Allocation"]
    ws["F1"] = "lock"
    for r, (c, s, n, lock) in enumerate(
        [("Z", "S1", 1, None), ("Z", "S2", 2, "yes"), ("Z", "S1", 1, None), ("A", "S1", 1, None)],
        start=2,
    ):
        ws.cell(r, 1, c), ws.cell(r, 2, "INF"), ws.cell(r, 3, s), ws.cell(r, 4, n)
        ws.cell(r, 6, lock)
    wb.save(out)
    data = api.read(simple_case(tmp_path / "first.xlsx"))
    api.read_baseline(out, data)
    assert [str(w) for w in data.warnings if "'Z'" in w.message] == [
        "warning: plan.xlsx Allocation!A2: contributor 'Z' is not on the Contributors sheet of "
        "the workbook: its 4 units change; 1 locked row cannot be kept, so the solve is "
        "infeasible: unlock it or restore the contributor (also Allocation!A3 and A4)"
    ]
    assert not any("another workbook" in w.message for w in data.warnings)


def test_a_baseline_of_another_workbook_is_said_once(tmp_path: Path) -> None:
    """Five rows, every one naming contributor Q or R (not in this workbook): one warning that
    none of its rows is this workbook's, first, then one per key missing (not one per row)."""
    out = solved_output(tmp_path, simple_case(tmp_path / "first.xlsx"), "plan.xlsx")
    wb = load_workbook(out)
    ws = wb["Allocation"]
    for r, c in enumerate(["Q", "R", "Q", "R", "Q"], start=2):
        ws.cell(r, 1, c), ws.cell(r, 2, "INF"), ws.cell(r, 3, "S1"), ws.cell(r, 4, 1)
    wb.save(out)
    data = api.read(simple_case(tmp_path / "first.xlsx"))
    api.read_baseline(out, data)
    said = [str(w) for w in data.warnings if w.where.startswith("plan.xlsx")]
    assert said == [
        "warning: plan.xlsx Allocation!A2: none of the baseline's 5 rows names a contributor, "
        "capability and site all of the workbook: was it solved from another workbook? All its "
        "units change",
        "warning: plan.xlsx Allocation!A2: contributor 'Q' is not on the Contributors sheet of "
        "the workbook: its 3 units change (also Allocation!A4 and A6)",
        "warning: plan.xlsx Allocation!A3: contributor 'R' is not on the Contributors sheet of "
        "the workbook: its 2 units change (also Allocation!A5)",
    ]


def dropping_case(tmp_path: Path, baseline: list[dict]) -> Path:
    """simple_case with a Baseline sheet and two scenarios: b_gone drops contributor B,
    s2_gone drops site S2."""
    return simple_case(
        tmp_path / "dropping.xlsx",
        baseline=baseline,
        scenarios=[
            {"scenario": "b_gone", "sheet": "Contributors", "key": "B", "column": "drop"},
            {"scenario": "s2_gone", "sheet": "Sites", "key": "S2", "column": "drop"},
        ],
    )


def test_a_sheet_whose_keys_a_scenario_drops_is_not_said_another_workbook_s(
    tmp_path: Path,
) -> None:
    """Five Baseline rows of B, and the scenario b_gone drops B: every row lacks a key in that
    reading, but the sheet is the workbook's own: one warning for B, none of another workbook
    (the review's case)."""
    rows = [row(c="B", s=s) for s in ("S1", "S2", "S1", "S2", "S1")]
    data = api.read(dropping_case(tmp_path, rows), "b_gone")
    assert not any("another workbook" in w.message for w in data.warnings)
    assert sum("contributor 'B'" in w.message for w in data.warnings) == 1


def test_a_key_a_scenario_drops_stays_in_the_baseline_sheet(tmp_path: Path) -> None:
    """Baseline sheet: row 2 B INF S2 2, row 3 A INF S1 2. Base reads it without a warning.
    b_gone drops B: row 2 is kept with a warning at its contributor cell A2 (not an error, as
    with --baseline FILE), naming the scenario once (its label); s2_gone drops S2: the warning
    is at the site cell C2 and is the row's only one. Solved under b_gone, S1 and S2 need 2
    each and only A (2 units) is left: A stays at S1 (0 changes) and B's 2 units at S2 are the
    only changes, 2. `validate` accepts the workbook (exit 0)."""
    path = dropping_case(tmp_path, [row(c="B", s="S2", units=2), row(units=2)])
    assert not [w for w in api.read(path).warnings if w.where.startswith("Baseline")]
    b_gone = api.read(path, "b_gone")
    assert b_gone.baseline is not None
    assert b_gone.baseline.rows["contributor"].tolist() == ["A", "B"]
    assert [str(w) for w in b_gone.warnings if w.where.startswith("Baseline")] == [
        "warning: Baseline!A2: scenario 'b_gone': contributor 'B' is not on the Contributors "
        "sheet in this scenario (it drops it): its 2 units change"
    ]
    s2_gone = api.read(path, "s2_gone")
    assert [str(w) for w in s2_gone.warnings if w.where.startswith("Baseline")] == [
        "warning: Baseline!C2: scenario 's2_gone': site 'S2' is not on the Sites sheet in this "
        "scenario (it drops it): its 2 units change"
    ]
    result = api.solve(path, scenario="b_gone")
    assert result.summary["objective.changes"] == 2
    assert result.tables.allocation[["contributor", "site", "units"]].values.tolist() == [
        ["A", "S1", 2]
    ]
    run = CliRunner().invoke(main, ["validate", str(path)])
    assert run.exit_code == 0, run.output


def test_a_key_on_no_sheet_stays_an_error_in_every_scenario(tmp_path: Path) -> None:
    """Baseline row 2 names Z, on the Contributors sheet of no reading: an error at A2 in base
    and in b_gone alike (only a key the scenario drops is let through)."""
    path = dropping_case(tmp_path, [row(c="Z")])
    for scenario in ("base", "b_gone"):
        with pytest.raises(InputError) as info:
            api.read(path, scenario)
        assert [str(e) for e in info.value.errors] == [
            "Baseline!A2: contributor 'Z' is not on the Contributors sheet"
        ], scenario


def test_a_key_a_scenario_drops_is_said_dropped_by_the_scenario(tmp_path: Path) -> None:
    """Re-planning scenario `b_gone` (which drops contributor B) against the base plan: B is
    on the workbook's Contributors sheet, so the warning names the scenario rather than
    calling B missing from the workbook; B's 2 units change."""
    first = simple_case(
        tmp_path / "first.xlsx",
        scenarios=[{"scenario": "b_gone", "sheet": "Contributors", "key": "B", "column": "drop"}],
    )
    out = solved_output(tmp_path, first, "plan.xlsx")
    result = api.solve(first, scenario="b_gone", baseline=out)
    warned = [str(w) for w in result.data.warnings]
    assert any(
        w.startswith(
            "warning: plan.xlsx Allocation!A3: contributor 'B' is not on the Contributors sheet "
            "in scenario 'b_gone' (it drops it, or the workbook lacks it): its 2 units change"
        )
        for w in warned
    ), warned


def test_tours_in_periods_the_workbook_lacks_are_errors(tmp_path: Path) -> None:
    """A 4-period plan (A's tour P1..P4) as the baseline of a 3-period workbook: the `to` cell
    names P4, which is not on its Periods sheet."""
    out = solved_output(
        tmp_path, timed_case(tmp_path / "t4.xlsx", periods=months(4)), "t4-plan.xlsx"
    )
    with pytest.raises(InputError) as info:
        api.solve(timed_case(tmp_path / "t3.xlsx", periods=months(3)), baseline=out)
    assert [str(e) for e in info.value.errors] == [
        "t4-plan.xlsx Tours!E2: to 'P4' is not on the Periods sheet"
    ]


def test_a_sheet_set_aside_by_a_file_is_not_warned_about(tmp_path: Path) -> None:
    """The workbook's own Baseline sheet has A 2 at S1 and A 1 at S2, 3 units above A's pledge
    of 2 (a warning at Baseline!A2 when the sheet is the baseline) and a column `note` no one
    reads (a warning at Baseline!H1). Given --baseline plan.xlsx, the sheet is set aside: both
    warnings go, the one saying it is set aside stays, and verify with the file says the same.
    Without the file the sheet's warnings stand."""
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
