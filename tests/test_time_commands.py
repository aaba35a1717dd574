"""Until the timed model exists, no command solves a timed workbook as a snapshot: each stops
with one message and exit 2 before any work; `validate` reads and checks it and says it is
timed; `template` writes the Periods and Profile sheets and the time columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.io.periods import TimedWorkbook

from .workbooks import simple_case

REFUSAL = (
    "error: timed.xlsx is a timed workbook (Periods sheet, 3 periods): this version of forcegen "
    "reads and checks it (`forcegen validate`) but cannot solve it in time yet; remove the "
    "Periods sheet (and the time columns) to solve it as a snapshot"
)


@pytest.fixture
def timed(tmp_path: Path) -> Path:
    """Three monthly periods from 2027-01; A's pledge from P2."""
    return simple_case(
        tmp_path / "timed.xlsx",
        periods=[{"period": "P1", "start": "2027-01-01"}, {"period": "P2"}, {"period": "P3"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "from": "P2"},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
    )


def run(*argv: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in argv])
    return result.exit_code, result.stdout, result.stderr


def refused(code: int, err: str) -> None:
    assert code == 2
    assert REFUSAL in err
    assert "Traceback" not in err


def test_validate_reads_a_timed_workbook_and_says_so(timed: Path) -> None:
    code, out, err = run("validate", timed)
    assert code == 0, err
    assert "timed.xlsx: valid (timed: 3 periods, 3 months, P1..P3; 2 contributors" in out


def test_solve_refuses_before_any_work(timed: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.xlsx"
    code, out, err = run("solve", timed, "-o", output)
    refused(code, err)
    assert not output.exists()
    assert "stage" not in out


def test_a_scenario_that_makes_a_snapshot_timed_is_refused(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "snap.xlsx",
        scenarios=[
            {"scenario": "t", "sheet": "Periods", "key": "M1", "column": "months", "value": 1}
        ],
    )
    code, _, err = run("solve", path, "-s", "t", "-o", tmp_path / "out.xlsx")
    assert code == 2
    assert "snap.xlsx (scenario 't') is a timed workbook (Periods sheet, 1 period)" in err
    assert run("solve", path, "-o", tmp_path / "base.xlsx")[0] == 0


def test_sweep_refuses_before_any_work(timed: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "sweep"
    code, _, err = run("sweep", timed, "-o", out_dir, "--workers", 1)
    refused(code, err)
    assert not out_dir.exists()


def test_verify_wants_a_timed_plan(timed: Path, tmp_path: Path) -> None:
    """A plan solved from the snapshot workbook, verified against the timed one: verify reads
    timed workbooks (tests/test_verify_time.py), and a snapshot plan has no Tours sheet."""
    snapshot = simple_case(tmp_path / "snap.xlsx")
    plan = api.write(api.solve(snapshot), tmp_path / "plan.xlsx", [snapshot])
    code, _, err = run("verify", timed, plan)
    assert code == 2
    assert "error: plan.xlsx: sheet 'Tours' is missing (sheets found: " in err
    assert "the input is a timed workbook, whose plan is the Tours sheet" in err


def test_check_refuses_before_any_work(timed: Path, tmp_path: Path) -> None:
    pins = tmp_path / "pins"
    code, _, err = run("check", timed, "--update", "--pins", pins)
    refused(code, err)
    assert not pins.exists() or not any(pins.iterdir())


def test_api_solve_refuses_a_path_and_timed_data(timed: Path) -> None:
    with pytest.raises(TimedWorkbook, match=r"timed\.xlsx is a timed workbook"):
        api.solve(timed)
    data = api.read(timed, allow_timed=True)
    assert data.timed
    with pytest.raises(TimedWorkbook, match=r"timed\.xlsx is a timed workbook"):
        api.solve(data)
    with pytest.raises(TimedWorkbook):
        api.read(timed)


def test_template_writes_the_time_sheets_and_columns(tmp_path: Path) -> None:
    output = tmp_path / "new.xlsx"
    code, _, err = run("template", output)
    assert code == 0, err
    wb = load_workbook(output)
    header = {ws.title: [c.value for c in ws[1]] for ws in wb.worksheets}
    assert header["Periods"] == ["period", "months", "start", "phase"]
    assert header["Profile"] == ["site", "capability", "from", "to", "units"]
    assert header["Requirements"][-2:] == ["from", "to"]
    assert header["Pledges"][-4:] == ["from", "to", "tour_months", "dwell_months"]
    assert header["Caveats"][-2:] == ["from", "to"]
    comment = wb["Pledges"].cell(row=1, column=header["Pledges"].index("tour_months") + 1).comment
    assert comment.text.startswith("whole number >= 1, at most 600; default: blank (no limit).")
    readme = [tuple(r) for r in wb["README"].iter_rows(values_only=True)]
    assert any(r[:3] == ("Periods", "start", "date") for r in readme)
    # the template itself is a snapshot (empty Periods sheet): it validates as before
    code, out, _ = run("validate", output)
    assert code == 0 and "timed" not in out
