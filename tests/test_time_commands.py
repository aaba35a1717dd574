"""Commands on a timed workbook: `validate` reads and checks it and says it is timed, `template`
writes the Periods and Profile sheets and the time columns, and the API solves it in time."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.io.periods import TimedWorkbook

from .workbooks import simple_case


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


def test_validate_reads_a_timed_workbook_and_says_so(timed: Path) -> None:
    code, out, err = run("validate", timed)
    assert code == 0, err
    assert "timed.xlsx: valid (timed: 3 periods, 3 months, P1..P3; 2 contributors" in out


def test_api_solves_a_timed_workbook_in_time(timed: Path) -> None:
    """A (2 units) is ready from P2, B (2 units) from P1; S1 and S2 (both priority 1) need 2
    each in P1..P3. In P1 only B's 2 can serve; from P2 both lines are full: 2 unit-months."""
    result = api.solve(timed)
    assert result.status == "optimal"
    assert result.plan is not None
    values = {s.name: s.value for s in result.outcome.stages}
    assert values["shortfall.p1"] == 2


def test_a_scenario_can_make_a_snapshot_timed(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "snap.xlsx",
        scenarios=[
            {"scenario": "t", "sheet": "Periods", "key": "M1", "column": "months", "value": 1}
        ],
    )
    assert api.read(path, "t").timed
    assert not api.read(path).timed
    with pytest.raises(TimedWorkbook, match=r"snap\.xlsx \(scenario 't'\) is a timed workbook"):
        api.read(path, "t", allow_timed=False)


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
    assert comment.text.startswith("whole number >= 1; default: blank (no limit).")
    readme = [tuple(r) for r in wb["README"].iter_rows(values_only=True)]
    assert any(r[:3] == ("Periods", "start", "date") for r in readme)
    # the template itself is a snapshot (empty Periods sheet): it validates as before
    code, out, _ = run("validate", output)
    assert code == 0 and "timed" not in out
