"""A locked baseline row of 0 units keeps nothing (replanning.md: a lock keeps x >= its units;
timed, its tour as it stands, and a tour of no units is none), so a planner who typed 0 and
`yes` to keep an option empty is told so at the row, on the sheet and in a file, snapshot and
timed. Before, the row was dropped without a word and the re-plan put units there."""

from __future__ import annotations

from pathlib import Path

from solver import api

from .baseline_input_case import edited_plan, row
from .time_cases import months, timed_case
from .workbooks import simple_case


def _said(warnings: list) -> list[str]:
    return [str(w) for w in warnings if "has 0 units" in w.message]


def test_on_the_sheet_one_warning_names_every_row_and_the_plan_may_fill_them(
    tmp_path: Path,
) -> None:
    """S1 needs 2 units and only A and B pledge them (2 each); both of their S1 rows are locked
    at 0. One warning, at the first row, naming the second; the plan still fills S1 from them
    (2 units there, 2 unit changes against the baseline's 0): the locks keep nothing."""
    path = simple_case(
        tmp_path / "zero.xlsx",
        baseline=[row(c="A", units=0, lock="yes"), row(c="B", units=0, lock="yes")],
    )
    assert _said(api.read(path).warnings) == [
        "warning: Baseline!A2: locked row A/INF/S1 has 0 units: a lock keeps at least its "
        "units, so this one keeps nothing and the plan may put units there; to keep A's INF "
        "away from S1, give it an exclude caveat (also Baseline!A3)"
    ]
    result = api.solve(path)
    alloc = result.tables.allocation
    at_s1 = alloc[alloc["site"] == "S1"]["units"].sum()
    assert at_s1 == 2
    assert result.summary["objective.changes"] >= 2


def test_in_a_file_the_warning_names_the_file_and_its_row(tmp_path: Path) -> None:
    """An output's Allocation row 2 set to 0 units and locked by hand: the warning names
    `plan.xlsx Allocation!A2`; an unlocked row of 0 units says nothing (nothing is asked)."""
    first, out = edited_plan(tmp_path, {"D2": 0, "F1": "lock", "F2": "yes"})
    data = api.read(first)
    baseline = api.read_baseline(out, data)
    said = _said(list(baseline.read_warnings))
    assert len(said) == 1, said
    assert said[0].startswith("warning: plan.xlsx Allocation!A2: locked row ")
    unlocked = tmp_path / "unlocked"
    unlocked.mkdir()
    first, out = edited_plan(unlocked, {"D2": 0, "F1": "lock", "F2": "no"})
    assert _said(list(api.read_baseline(out, api.read(first)).read_warnings)) == []


def test_a_timed_row_names_its_periods(tmp_path: Path) -> None:
    """A timed Baseline row A/INF/S1 P1..P2 of 0 units, locked: the warning gives its window."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(3),
        baseline=[row(units=0, lock="yes", **{"from": "P1", "to": "P2"})],
    )
    assert _said(api.read(path).warnings) == [
        "warning: Baseline!A2: locked row A/INF/S1 in P1..P2 has 0 units: a lock keeps at "
        "least its units, so this one keeps nothing and the plan may put units there; to keep "
        "A's INF away from S1, give it an exclude caveat"
    ]


def test_not_said_of_an_option_the_workbook_cannot_have(tmp_path: Path) -> None:
    """A locked row of 0 units for contributor Z, whom the workbook lacks: no plan puts units
    there, so neither `has 0 units` nor, under the unknown key's warning, `1 locked row ...
    cannot hold and the solve is infeasible` (a lock on nothing cannot fail to hold: a
    review saw both, and the solve was optimal)."""
    first, out = edited_plan(tmp_path, {"A2": "Z", "D2": 0, "F1": "lock", "F2": "yes"})
    data = api.read(first)
    said = [str(w) for w in api.read_baseline(out, data).read_warnings]
    assert _said(api.read_baseline(out, data).read_warnings) == []
    assert not any("cannot be kept" in w for w in said), said
    assert [w for w in said if "'Z'" in w] == [
        "warning: plan.xlsx Allocation!A2: contributor 'Z' is not on the Contributors sheet of "
        "the workbook: its rows hold no units, so nothing changes"
    ]  # not `its 0 units change`


def test_a_data_checked_again_still_says_it(tmp_path: Path) -> None:
    """The sheet's warning is one of the baseline's read warnings, so a `Data` edited and
    checked again (its requirements reordered) still carries it into the solve."""
    path = simple_case(tmp_path / "zero.xlsx", baseline=[row(units=0, lock="yes")])
    data = api.read(path)
    assert len(_said(data.warnings)) == 1
    data.requirements = data.requirements.iloc[::-1].reset_index(drop=True)
    result = api.solve(data)
    assert len(_said(result.data.warnings)) == 1
