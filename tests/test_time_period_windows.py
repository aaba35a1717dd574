"""A period the Periods sheet gets wrong (a repeated or lost key, bad months, a bad start date)
hides no check of the windows and Profile rows that name it: each error is said in the same run,
at the cell that causes it (the data layer, `time.md`; test_time_periods.py has the sheet's own
reading)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from solver.errors import InputError

from .time_input_case import FIVE, problems, read, timed


def test_a_window_naming_a_missing_period_beside_a_duplicate_points_at_the_duplicate(
    tmp_path: Path,
) -> None:
    """P3's row was copied from P2's and not renamed: Periods!A4 repeats 'P2', and the pledge's
    `to` P3 is missing. The error points at the repeated row; without a repeated row it says
    only that P3 is missing (no did-you-mean: 'P1', 'P4' and 'P5' are each one character from
    'P3')."""
    pledges = [{"contributor": "A", "capability": "INF", "units": 2, "to": "P3"}]
    periods = [{"period": p} for p in ("P1", "P2", "P2", "P4", "P5")]
    found = problems(timed(tmp_path, periods=periods, pledges=pledges))
    assert any(e.startswith("Periods!A4: duplicate period 'P2'") for e in found)
    assert (
        "Pledges!G2: to 'P3' is not on the Periods sheet (the Periods sheet repeats a period at "
        "Periods!A4 ('P2'): was 'P3' meant there?)"
    ) in found, found
    periods = [{"period": p} for p in ("P1", "P2", "P4", "P5")]
    found = problems(timed(tmp_path, periods=periods, pledges=pledges))
    assert found == ["Pledges!G2: to 'P3' is not on the Periods sheet"]  # no repeat to point at


def test_a_repeated_month_is_pointed_at_only_for_a_month_the_calendar_puts_there(
    tmp_path: Path,
) -> None:
    """Periods 2027-01, 2027-03, 2027-03 (A4, copied and not renamed), 2027-05. A `to` of
    2027-04, or 2027-4 typed unpadded, may have been meant at A4 (between 2027-03 and 2027-05):
    pointed at, with no did-you-mean (2027-03 and 2027-05 are as close as each other; difflib
    picked one and a trial took it for the fix). A `to` of 2027-07 cannot have been there: no
    pointer (a trial was asked whether 2027-07 was meant between 2027-03 and 2027-05); it is
    two months after the last period, which the did-you-mean names (`period_names.suggest_period`)."""
    periods = [{"period": p} for p in ("2027-01", "2027-03", "2027-03", "2027-05")]

    def error_of(to: str) -> str:
        pledges = [{"contributor": "A", "capability": "INF", "units": 2, "to": to}]
        found = problems(timed(tmp_path, periods=periods, pledges=pledges))
        (error,) = [e for e in found if e.startswith("Pledges!G2")]
        return error

    for to in ("2027-04", "2027-4"):
        assert error_of(to) == (
            f"Pledges!G2: to '{to}' is not on the Periods sheet (the Periods sheet repeats a "
            f"period at Periods!A4 ('2027-03'): was '{to}' meant there?)"
        )
    assert error_of("2027-07") == (
        "Pledges!G2: to '2027-07' is not on the Periods sheet (did you mean '2027-05'?)"
    )


def test_a_window_naming_a_period_lost_to_its_key_cell_points_at_that_cell(
    tmp_path: Path,
) -> None:
    """Periods 2027-01..2027-12, but the 2027-12 row's key cell A13 holds the date 2027-12-15
    (not the first of a month: no period key), and 2027-04's row has months 0. Both rows are
    dropped: 2027-04's key still resolves (the pledge naming it has no error), but A13 gave no
    key, so the Profile row's `to` 2027-12 is missing. It may be what A13 was meant to hold:
    the error points there, with no did-you-mean ('2027-11' would steer to a wrong fix)."""
    periods: list[dict[str, object]] = [{"period": f"2027-{m:02d}"} for m in range(1, 13)]
    periods[3]["months"] = 0
    periods[11]["period"] = dt.datetime(2027, 12, 15)
    path = timed(
        tmp_path,
        periods=periods,
        pledges=[{"contributor": "A", "capability": "INF", "units": 2, "to": "2027-04"}],
        profile=[
            {"site": "S1", "capability": "INF", "from": "2027-10", "to": "2027-12", "units": 1}
        ],
    )
    assert problems(path) == [
        "Periods!B5: months must be a whole number >= 1, got 0",
        "Periods!A13: period must be a period (text), got the date 2027-12-15; format the cell "
        "as text and type the period as the Periods sheet names it",
        "Profile!D2: to '2027-12' is not on the Periods sheet (the period cell Periods!A13 has "
        "an error of its own: was '2027-12' meant there?)",
    ]


def test_a_lost_period_cell_is_pointed_at_only_for_a_key_that_fits_there(
    tmp_path: Path,
) -> None:
    """2027-01..2027-06, A4 (2027-03's key) blank: a window naming 2027-03 may have meant A4,
    one naming 2026-12 cannot have (A4 lies between 2027-02 and 2027-04), so it gets the
    did-you-mean of any missing period, the horizon's nearest (2027-01; before, nothing: any
    cell in error silenced every did-you-mean, a trial's 2027-13 lost its `2027-12`). No
    warning of names skipping a month either: the blank cell's error says why 2027-03 is
    missing (a trial's hint offered A8 for 2026-12)."""
    periods: list[dict[str, object]] = [{"period": f"2027-{m:02d}"} for m in range(1, 7)]
    periods[2] = {"period": None, "months": 1, "phase": "FOC"}
    profile = [
        {"site": "S1", "capability": "INF", "from": "2027-01", "to": "2026-12", "units": 1},
        {"site": "S2", "capability": "INF", "from": "2027-01", "to": "2027-03", "units": 1},
    ]
    with pytest.raises(InputError) as info:
        read(timed(tmp_path, periods=periods, profile=profile))
    found = [str(e) for e in info.value.errors]
    assert (
        "Profile!D2: to '2026-12' is not on the Periods sheet (did you mean '2027-01'?)" in found
    ), found
    assert (
        "Profile!D3: to '2027-03' is not on the Periods sheet (the period cell Periods!A4 has "
        "an error of its own: was '2027-03' meant there?)"
    ) in found, found
    assert not [w for w in info.value.warnings if "comes after" in str(w)]
    # a scenario that adds a period (2027-07, on no row of the sheet) keeps the hint
    more = [{"scenario": "ext", "sheet": "Periods", "key": "2027-07", "column": "months"}]
    path = timed(tmp_path, periods=periods, profile=profile, scenarios=[{**more[0], "value": 1}])
    assert (
        "Profile!D3: to '2027-03' is not on the Periods sheet (the period cell Periods!A4 has "
        "an error of its own: was '2027-03' meant there?)"
    ) in problems(path, "ext")


def test_a_window_reversed_around_a_period_with_bad_months_is_said_in_the_same_run(
    tmp_path: Path,
) -> None:
    """P2's row has months 0 (an error of its own: the row is dropped, its key still
    resolves). The pledge's window P4..P2 runs backwards on the sheet (row 5 after row 3):
    that is said in the same run, not after the planner has fixed P2's months; the
    requirement's window P2..P4 is in order: no error."""
    periods = [{"period": f"P{i}"} for i in range(1, 6)]
    periods[1]["months"] = 0
    path = timed(
        tmp_path,
        periods=periods,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "from": "P2", "to": "P4"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2, "from": "P4", "to": "P2"}],
    )
    assert problems(path) == [
        "Pledges!F2: from 'P4' is after to 'P2' (on the Periods sheet 'P2' comes first); "
        "correct the one mistyped, or swap them",
        "Periods!B3: months must be a whole number >= 1, got 0",
    ]


def test_profile_rows_overlapping_at_a_period_with_bad_months_are_said_in_the_same_run(
    tmp_path: Path,
) -> None:
    """P3's row has months 0 (dropped, its key still resolves). S1/INF's Profile rows P1..P3
    and P3..P4 overlap at P3: said in the same run as P3's months, at the later row's from
    (Profile!C3), as without the months error; it was said only once P3's months were fixed.
    S2/INF's rows P1..P2 and P4..P5 do not overlap: no error."""
    periods = [{"period": f"P{i}"} for i in range(1, 6)]
    periods[2]["months"] = 0
    profile = [
        {"site": "S1", "capability": "INF", "from": "P1", "to": "P3", "units": 1},
        {"site": "S1", "capability": "INF", "from": "P3", "to": "P4", "units": 2},
        {"site": "S2", "capability": "INF", "from": "P1", "to": "P2", "units": 1},
        {"site": "S2", "capability": "INF", "from": "P4", "to": "P5", "units": 1},
    ]
    assert problems(timed(tmp_path, periods=periods, profile=profile)) == [
        "Periods!B4: months must be a whole number >= 1, got 0",
        "Profile!C3: Profile row P3..P4 of S1/INF overlaps the row at row 2 (P1..P3); a line's "
        "Profile rows must not overlap in time",
    ]


def test_a_profile_row_outside_its_line_at_a_period_with_bad_months_is_said_in_the_same_run(
    tmp_path: Path,
) -> None:
    """P3's row has months 0 (dropped, its key still resolves). S1/INF's window is P3..P5 and
    its Profile row P1..P3 starts before it: said in the same run as P3's months, at the row's
    from (Profile!C2); it was said only once P3's months were fixed (a trial). S2/INF's window
    P3..P5 holds its Profile row P3..P4: no error."""
    periods = [{"period": f"P{i}"} for i in range(1, 6)]
    periods[2]["months"] = 0
    requirements = [
        {"site": "S1", "capability": "INF", "units": 2, "from": "P3"},
        {"site": "S2", "capability": "INF", "units": 2, "from": "P3"},
    ]
    profile = [
        {"site": "S1", "capability": "INF", "from": "P1", "to": "P3", "units": 1},
        {"site": "S2", "capability": "INF", "from": "P3", "to": "P4", "units": 1},
    ]
    path = timed(tmp_path, periods=periods, requirements=requirements, profile=profile)
    assert problems(path) == [
        "Periods!B4: months must be a whole number >= 1, got 0",
        "Profile!C2: Profile row P1..P3 of S1/INF lies outside the line's window P3..P5 "
        "(Requirements row 2); a line requires nothing outside its window: narrow the row or "
        "widen the line's from/to",
    ]


def test_a_bad_start_date_hides_no_check_of_the_windows_that_name_its_period(
    tmp_path: Path,
) -> None:
    """P1's start is 2027-02-30, no day of February; the pledge's from P3 after its to P1 and a
    Profile row P4..P5 outside its line's window P1..P3 name P1's row or lie beside it. The
    start is for display only: P1 stays a period, so all three errors come at once, and the
    date's error says why it is no date."""
    path = timed(
        tmp_path,
        periods=[{"period": "P1", "start": "2027-02-30"}, *FIVE[1:]],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "from": "P1", "to": "P3"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "from": "P3", "to": "P1"},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        profile=[{"site": "S1", "capability": "INF", "from": "P4", "to": "P5", "units": 1}],
    )
    found = problems(path)
    assert (
        "Periods!C2: start must be a date, got '2027-02-30': February 2027 has 28 days, so "
        "there is no day 30"
    ) in found
    assert any(e.startswith("Pledges!F2: from 'P3' is after to 'P1'") for e in found)
    assert any(e.startswith("Profile!C2: Profile row P4..P5 of S1/INF lies outside") for e in found)
    assert len(found) == 3


def test_a_window_reversed_on_a_row_with_a_bad_cell_of_its_own_is_said_in_the_same_run(
    tmp_path: Path,
) -> None:
    """A's pledge has `tour_months` 1.5 (an error of its own: the row is dropped) and its
    window P4..P2 runs backwards; ZZ's pledge names a contributor no sheet has (dropped too)
    and runs P5..P1. Each reversed window is said in the same run as the row's other error (a
    trial saw A's only once its tour_months was fixed); B's pledge, with the same bad
    tour_months but a window in order, gets that one error alone."""
    periods = [{"period": f"P{i}"} for i in range(1, 6)]
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2, "from": "P4", "to": "P2"},
        {"contributor": "B", "capability": "INF", "units": 2, "from": "P2", "to": "P4"},
        {"contributor": "ZZ", "capability": "INF", "units": 2, "from": "P5", "to": "P1"},
    ]
    pledges[0]["tour_months"] = pledges[1]["tour_months"] = 1.5
    found = problems(timed(tmp_path, periods=periods, pledges=pledges))
    assert sorted(found) == sorted(
        [
            "Pledges!F2: from 'P4' is after to 'P2' (on the Periods sheet 'P2' comes first); "
            "correct the one mistyped, or swap them",
            "Pledges!H2: tour_months must be a whole number >= 1, got 1.5",
            "Pledges!H3: tour_months must be a whole number >= 1, got 1.5",
            "Pledges!A4: contributor 'ZZ' is not on the Contributors sheet",
            "Pledges!F4: from 'P5' is after to 'P1' (on the Periods sheet 'P1' comes first); "
            "correct the one mistyped, or swap them",
        ]
    )


def test_a_month_typed_out_of_range_is_not_pointed_at_a_cell_it_cannot_have_been(
    tmp_path: Path,
) -> None:
    """2027-01..2027-12 with A7 (2027-06's cell) a mid-month date, an error of its own; a
    window's `to` 2027-13. Read as its year's nearest, 2027-12, it cannot have been in A7
    (between 2027-05 and 2027-07), so it gets the did-you-mean, `2027-12` (a new planner's
    trial was pointed at A7, `was '2027-13' meant there?`, and lost the hint)."""
    periods: list[dict[str, object]] = [{"period": f"2027-{m:02d}"} for m in range(1, 13)]
    periods[5] = {"period": dt.date(2027, 6, 15)}
    profile = [{"site": "S1", "capability": "INF", "from": "2027-01", "to": "2027-13", "units": 1}]
    with pytest.raises(InputError) as info:
        read(timed(tmp_path, periods=periods, profile=profile))
    found = [str(e) for e in info.value.errors]
    assert (
        "Profile!D2: to '2027-13' is not on the Periods sheet (did you mean '2027-12'?)" in found
    ), found


def test_a_mandate_typed_as_its_last_day_ends_with_the_quarter_of_that_month(
    tmp_path: Path,
) -> None:
    """Quarters Q1..Q4 from 2027-01-01 (3 months each). A's pledge typed from 2027-04-15 to
    2027-09-30 (a mandate's real dates) was refused: only the first of a month was read. Its
    months, 2027-04 and 2027-09, are the quarter starting in April (Q2) and the one ending in
    September (Q3): positions 1..2, with a warning for each column saying how it was read."""
    quarters = [{"period": f"Q{q}", "months": 3} for q in (1, 2, 3, 4)]
    quarters[0]["start"] = dt.date(2027, 1, 1)
    pledge = {"contributor": "A", "capability": "INF", "units": 2}
    pledge |= {"from": dt.datetime(2027, 4, 15), "to": dt.datetime(2027, 9, 30)}
    data = read(timed(tmp_path, periods=quarters, pledges=[pledge]))
    a = data.pledges[data.pledges["contributor"] == "A"]
    assert a[["from_t", "to_t"]].values.tolist() == [[1, 2]]
    said = [str(w) for w in data.warnings if "not on the first of a month" in str(w)]
    assert said == [
        "warning: Pledges!F2: 1 date in from (Pledges!F2) not on the first of a month read as "
        "the period of its month (2027-04-15 as '2027-04', from the start of the month): "
        "periods are whole months; type the period to say which one is meant",
        "warning: Pledges!G2: 1 date in to (Pledges!G2) not on the first of a month read as "
        "the period of its month (2027-09-30 as '2027-09', to the end of the month): periods "
        "are whole months; type the period to say which one is meant",
    ]
