"""The files `--baseline FILE` refuses (`replanning.md`), each named as what it is, with what
--baseline takes: an output of the other kind (snapshot or timed), an input workbook, a
comparison or verify report, a briefing page (where any command reads a workbook), an output
without a plan. The baseline read from a real earlier output: test_baseline_input.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError

from .baseline_input_case import solved_output
from .idle_warnings import without_idle
from .time_cases import months, timed_case
from .workbooks import simple_case


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


def test_a_comparison_or_a_verify_report_as_baseline_is_said_to_be_one(tmp_path: Path) -> None:
    """`--baseline cmp.xlsx`, the workbook `compare -o` wrote of two solve outputs (it has
    neither Tours nor Allocation), was called a snapshot output (`the baseline is a snapshot
    output but the workbook is a timed workbook`): it is now named as what it is, with what
    --baseline takes, for a timed workbook and a snapshot one alike; so is `verify -o`'s."""
    takes = "--baseline takes the output of an earlier forcegen solve (its plan is the baseline)"
    for name, workbook in (
        ("t", timed_case(tmp_path / "t.xlsx", periods=months(2))),
        ("s", simple_case(tmp_path / "s.xlsx")),
    ):
        plan = solved_output(tmp_path, workbook, f"{name}-plan.xlsx")
        comparison = tmp_path / f"{name}-cmp.xlsx"
        verified = tmp_path / f"{name}-verify.xlsx"
        runner = CliRunner()
        compared = runner.invoke(main, ["compare", str(plan), str(plan), "-o", str(comparison)])
        assert compared.exit_code == 0, compared.output
        checked = runner.invoke(main, ["verify", str(workbook), str(plan), "-o", str(verified)])
        assert checked.exit_code == 0, checked.output
        for given, what in (
            (
                comparison,
                "a comparison workbook (written by forcegen compare -o, or a sweep's "
                "comparison.xlsx)",
            ),
            (verified, "a verify report (written by forcegen verify -o)"),
        ):
            with pytest.raises(InputError) as info:
                api.solve(workbook, baseline=given)
            assert [str(e) for e in info.value.errors] == [f"{given.name}: this is {what}; {takes}"]


def test_a_briefing_page_given_where_a_workbook_is_read_is_said_to_be_one(
    tmp_path: Path,
) -> None:
    """`--baseline report.html`, a page `forcegen report` wrote, was `not an Excel workbook (it
    looks like HTML or XML text); save it as .xlsx`: wrong advice for it. It is named as a
    briefing page, with what --baseline takes; `report report.html` (damaged or truncated, it
    said) and `solve report.html` name it too, each with what it reads instead."""
    from solver.report.command import write_report

    workbook = simple_case(tmp_path / "s.xlsx")
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    page = write_report([plan], tmp_path / "report.html")
    said = (
        "report.html: this is a briefing page written by forcegen report (HTML), not a workbook; "
    )
    runner = CliRunner()
    for args, takes in (
        (
            ["solve", str(workbook), "--baseline", str(page), "-o", str(tmp_path / "re.xlsx")],
            "--baseline takes the output workbook (.xlsx) of an earlier forcegen solve, not its "
            "page",
        ),
        (
            ["report", str(page), "-o", str(tmp_path / "again.html")],
            "give the output workbook (.xlsx) of forcegen solve the page was made from",
        ),
        (
            ["solve", str(page), "-o", str(tmp_path / "new.xlsx")],
            "give the Excel workbook (.xlsx) itself, not a page made from it",
        ),
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, result.output
        assert said + takes in " ".join(result.output.split()), result.output
        assert "save it as .xlsx" not in result.output and "truncated" not in result.output


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


def test_a_refused_workbook_and_a_baseline_that_is_no_workbook_said_at_once(
    tmp_path: Path,
) -> None:
    """A workbook with a bad cell and `--baseline notes.txt`: both problems in one run, exit 2
    (the baseline's was said only once the workbook was fixed)."""
    bad = simple_case(
        tmp_path / "bad.xlsx",
        pledges=[{"contributor": "A", "capability": "INF", "units": "two", "cost_per_unit": 1}],
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("the plan we agreed\n")
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(bad), "--baseline", str(notes), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Pledges!C2" in result.output
    assert "notes.txt: not an Excel workbook" in result.output
    assert not out.exists()
    missing = tmp_path / "gone.xlsx"
    result = CliRunner().invoke(main, ["solve", str(bad), "--baseline", str(missing)])
    assert result.exit_code == 2
    assert "Pledges!C2" in result.output and "file not found" in result.output


def test_a_refused_workbook_and_a_baselines_own_bad_cells_said_at_once(tmp_path: Path) -> None:
    """A workbook with a bad cell (Pledges!C2 'two') and a baseline output whose Allocation has
    units 'two' (D2), a blank capability (B3) and lock 'maybe' (F2): every one in one run, by
    solve and by validate, exit 2 (a re-plan trial met the file's after fixing the workbook)."""
    good = simple_case(tmp_path / "good.xlsx")
    plan = solved_output(tmp_path, good, "plan.xlsx")
    book = load_workbook(plan)
    sheet = book["Allocation"]
    sheet["F1"] = "lock"
    sheet["D2"], sheet["B3"], sheet["F2"] = "two", None, "maybe"
    book.save(plan)
    bad = simple_case(
        tmp_path / "bad.xlsx",
        pledges=[{"contributor": "A", "capability": "INF", "units": "two", "cost_per_unit": 1}],
    )
    for command in (["solve", str(bad), "-o", str(tmp_path / "o.xlsx")], ["validate", str(bad)]):
        result = CliRunner().invoke(main, [*command, "--baseline", str(plan)])
        assert result.exit_code == 2, result.output
        said = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert said == [
            "error: Pledges!C2: units must be a whole number >= 0, got 'two'",
            "error: plan.xlsx Allocation!D2: units must be a whole number >= 0, got 'two'",
            "error: plan.xlsx Allocation!F2: lock must be yes or no, got 'maybe'",
            "error: plan.xlsx Allocation!B3: capability is required; fill in the cell",
        ]
    assert not (tmp_path / "o.xlsx").exists()


def test_an_output_whose_plan_rows_were_deleted_is_warned(tmp_path: Path) -> None:
    """A timed output (A's 1 INF at S1 over 2 months: 2 unit-months) with its Tours rows
    deleted: read (an empty baseline is a baseline), but the Summary recorded a plan of 2
    unit-months, so the reading says so at the sheet (a trial saw every nation asked for all it
    gives without a word). The same of a snapshot output's Allocation, in units."""
    timed = timed_case(tmp_path / "t.xlsx", periods=months(2))
    plan = solved_output(tmp_path, timed, "plan.xlsx")
    snap = simple_case(tmp_path / "s.xlsx")
    snap_plan = solved_output(tmp_path, snap, "s-plan.xlsx")
    for path, sheet in ((plan, "Tours"), (snap_plan, "Allocation")):
        wb = load_workbook(path)
        wb[sheet].delete_rows(2, wb[sheet].max_row)
        wb.save(path)
    data = api.read(timed)
    assert api.read_baseline(plan, data).rows.empty
    assert without_idle((w.where, w.message) for w in data.warnings) == [
        (
            "plan.xlsx Tours",
            "the sheet has no rows, but the Summary records a plan of 2 unit-months allocated: "
            "the baseline is empty, so every unit of the new plan is a change asked of a nation; "
            "if the rows were deleted by mistake, give the output as solved",
        )
    ]
    data = api.read(snap)
    api.read_baseline(snap_plan, data)
    said = [w.message for w in data.warnings]
    assert any(
        m.startswith("the sheet has no rows, but the Summary records a plan of") for m in said
    )
    assert any("units allocated" in m for m in said), said
