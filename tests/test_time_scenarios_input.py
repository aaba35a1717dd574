"""Time in the workbook (`time.md`), the data layer: scenarios that set windows, periods
and Profile rows, or drop what they name.

Every expected value is derived by hand in the test's docstring from the contract:
m(first) = 0, m(t+1) = m(t) + months(t), M = m(last) + months(last); required(s, k, t) is the
Profile's units in its periods, else the line's units while the line is active, else 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from solver.data import required_units
from solver.errors import InputError

from .time_input_case import problems, read, timed
from .workbooks import simple_case


def scenario(name: str, sheet: str, key: str, column: str, value: object) -> dict:
    return {"scenario": name, "sheet": sheet, "key": key, "column": column, "value": value}


def test_scenarios_set_windows_periods_and_profile_rows(tmp_path: Path) -> None:
    """`late`: A's pledge from P3 (positions 2..4); P5 lasts 6 months (M = 4 + 6 = 10);
    a Profile row S1/INF/P1 (to P2, 4 units) is added: S1 requires [4, 4, 2, 2, 2]."""
    path = timed(
        tmp_path,
        scenarios=[
            scenario("late", "Pledges", "A/INF", "from", "P3"),
            scenario("late", "Periods", "P5", "months", 6),
            scenario("late", "Profile", "S1/INF/P1", "to", "P2"),
            scenario("late", "Profile", "S1/INF/P1", "units", 4),
        ],
    )
    data = read(path, "late")
    assert list(data.pledges["from_t"]) == [2, 0]
    assert data.horizon_months == 10
    assert required_units(data).tolist()[0] == [4, 4, 2, 2, 2]


def test_a_scenario_breaking_a_time_rule_is_named_at_its_cell(tmp_path: Path) -> None:
    """`bad` sets A's pledge to end in P0 (no such period) and S1's line to start after it
    ends; `snap` on a snapshot workbook sets a tour: each error at its Scenarios cell."""
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "to": "P2"}],
        scenarios=[
            scenario("bad", "Pledges", "A/INF", "to", "P0"),
            scenario("bad", "Requirements", "S1/INF", "from", "P3"),
        ],
    )
    found = problems(path, "bad")
    assert any(
        e.startswith("Scenarios!E2: scenario 'bad': to 'P0' is not on the Periods sheet")
        for e in found
    )
    assert any(
        e.startswith("Scenarios!E3: scenario 'bad': from 'P3' is after to 'P2'") for e in found
    )
    snap = simple_case(
        tmp_path / "snap.xlsx",
        scenarios=[scenario("snap", "Pledges", "A/INF", "tour_months", 6)],
    )
    (error,) = problems(snap, "snap")
    assert error.startswith(
        "Scenarios!E2: scenario 'snap': tour_months is 6 but there are no periods"
    )


def test_dropping_a_site_in_a_scenario_drops_its_profile_rows(tmp_path: Path) -> None:
    path = timed(
        tmp_path,
        profile=[{"site": "S2", "capability": "INF", "from": "P1", "to": "P1", "units": 1}],
        scenarios=[scenario("nos2", "Sites", "S2", "drop", None)],
    )
    data = read(path, "nos2")
    assert len(data.profile) == 0
    assert "Profile" in " ".join(data.notes)


def test_a_period_a_scenario_drops_is_named_in_the_errors_of_the_cells_that_name_it(
    tmp_path: Path,
) -> None:
    """`short` drops P4, which A's pledge (from) and S1's line (to) name: both errors say the
    scenario dropped it, and where (Scenarios!C2); base still reads (P4 is on its sheet)."""
    path = timed(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "to": "P4"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "from": "P4"},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        scenarios=[scenario("short", "Periods", "P4", "drop", None)],
    )
    read(path)
    found = problems(path, "short")
    said = "scenario 'short' drops Periods P4 (Scenarios!C2)"
    assert any(
        e.startswith(f"Requirements!I2: {said}: to 'P4' is not on the Periods") for e in found
    ), found
    assert any(
        e.startswith(f"Pledges!F2: {said}: from 'P4' is not on the Periods") for e in found
    ), found


def test_a_scenario_names_a_period_that_excel_made_a_date_by_its_month(tmp_path: Path) -> None:
    """Periods stored as dates (2027-01-01..2027-03-01, read as '2027-01'..'2027-03'): a
    scenario that sets '2027-03''s months to 6 changes that row (it added a second '2027-03',
    a duplicate), and one that drops '2027-02' finds it."""
    first = [dt.date(2027, m, 1) for m in (1, 2, 3)]
    path = timed(
        tmp_path,
        periods=[{"period": d} for d in first],
        scenarios=[
            scenario("long", "Periods", "2027-03", "months", 6),
            scenario("short", "Periods", "2027-02", "drop", ""),
        ],
    )
    assert read(path, "long").horizon_months == 8
    assert list(read(path, "short").periods["period"]) == ["2027-01", "2027-03"]


def test_a_months_a_scenario_sets_wrong_drops_its_row_without_a_missing_row_warning(
    tmp_path: Path,
) -> None:
    """Monthly periods 2027-01..2027-04; scenario `m3` sets 2027-03's months to 'x': the row is
    dropped for that error, at its Scenarios cell, and 2027-04 then follows 2027-02. As in base
    (the same 'x' typed on the sheet), the error says it: no warning that a row is missing
    beside it (before: `Periods!A5: scenario 'm3': period '2027-04' comes after '2027-02' ...
    is a row missing, or a months cell wrong?`)."""
    months = [{"period": f"2027-0{m}"} for m in range(1, 5)]
    path = timed(
        tmp_path,
        periods=months,
        scenarios=[scenario("m3", "Periods", "2027-03", "months", "x")],
    )
    with pytest.raises(InputError) as caught:
        read(path, "m3")
    assert [str(e) for e in caught.value.errors] == [
        "Scenarios!E2: scenario 'm3': months must be a whole number >= 1, got 'x'"
    ]
    assert not [w for w in map(str, caught.value.warnings) if "comes after" in w]
    typed = timed(tmp_path, periods=[*months[:2], {"period": "2027-03", "months": "x"}, months[3]])
    with pytest.raises(InputError) as caught:
        read(typed)
    assert [str(e) for e in caught.value.errors] == [
        "Periods!B4: months must be a whole number >= 1, got 'x'"
    ]
    assert not [w for w in map(str, caught.value.warnings) if "comes after" in w]
