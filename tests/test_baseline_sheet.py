"""The baseline as input (`replanning.md`): the Baseline sheet's errors and warnings naming its
cells (units above a pledge, a row pasted twice, tours breaking the rotation, rows no plan can
keep).

Baseline columns: A contributor, B capability, C site, D units, E from, F to, G lock.
"""

from __future__ import annotations

from pathlib import Path

from solver import api

from .baseline_input_case import errors_of, row
from .time_cases import months, timed_case
from .workbooks import simple_case


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
    # its locked rows alone above the pledge: no plan keeps them, said plainly (a trial read
    # `a locked row that cannot hold ...` of rows that were locked, then the solve failed)
    locked = [row(units=2, lock="yes"), row(s="S2", units=1, lock="yes")]
    path = simple_case(tmp_path / "l.xlsx", baseline=locked)
    warned = [str(w) for w in api.read(path).warnings if "above its pledge" in w.message]
    assert warned == [
        "warning: Baseline!A2: the baseline has 3 units of A's INF, above its pledge of 2: its "
        "locked rows alone hold 3, so they cannot hold and the solve is infeasible (its "
        "Infeasibility sheet names the conflict): unlock or lower them"
    ]
    assert api.solve(path).status == "infeasible"
    # one of them locked (2 of 3 units): the plan can keep it, so the general words stand
    path = simple_case(tmp_path / "one.xlsx", baseline=[locked[0], row(s="S2", units=1)])
    warned = [str(w) for w in api.read(path).warnings if "above its pledge" in w.message]
    assert warned[0].endswith(
        "some must change (a locked row that cannot hold makes the solve infeasible)"
    )


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


def test_one_unit_above_a_pledge_is_said_in_the_singular(tmp_path: Path) -> None:
    """A pledges 0 INF in the new workbook; the baseline has A 1 at S1: `the baseline has 1 unit
    of A's INF` (a review read `1 units`)."""
    pledges = [{"contributor": "A", "capability": "INF", "units": 0, "cost_per_unit": 1}]
    path = simple_case(tmp_path / "one.xlsx", pledges=pledges, baseline=[row(units=1)])
    warned = [str(w) for w in api.read(path).warnings if "above its pledge" in w.message]
    assert warned and warned[0].startswith(
        "warning: Baseline!A2: the baseline has 1 unit of A's INF, above its pledge of 0"
    ), warned
