"""Time in the workbook (`time.md`), the data layer: the Periods sheet (months, starts, keys,
dates Excel made of them).

Every expected value is derived by hand in the test's docstring from the contract:
m(first) = 0, m(t+1) = m(t) + months(t), M = m(last) + months(last); required(s, k, t) is the
Profile's units in its periods, else the line's units while the line is active, else 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from solver import api
from solver.data import required_units
from solver.errors import InputError
from solver.io.periods import add_months

from .time_input_case import FIVE, problems, read, timed, warnings
from .workbooks import simple_case


def test_uneven_periods_offsets_and_starts(tmp_path: Path) -> None:
    """months 1, 1, 3, 1 from 2027-01 (given on the first row only, as text `2027-01`):
    m = 0, 1, 2, 5; M = 6; starts 2027-01-01 + m months = 01-01, 02-01, 03-01, 06-01."""
    path = timed(
        tmp_path,
        periods=[
            {"period": "2027-01", "start": "2027-01", "phase": "IOC"},
            {"period": "2027-02"},
            {"period": "Q1b", "months": 3, "phase": "FOC"},
            {"period": "2027-06"},
        ],
    )
    data = read(path)
    assert data.timed
    assert data.horizon_months == 6
    periods = data.periods
    assert list(periods["period"]) == ["2027-01", "2027-02", "Q1b", "2027-06"]
    assert list(periods["months"]) == [1, 1, 3, 1]
    assert list(periods["offset"]) == [0, 1, 2, 5]
    assert list(periods["start"]) == [
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
        dt.date(2027, 3, 1),
        dt.date(2027, 6, 1),
    ]
    assert list(periods["phase"]) == ["IOC", None, "FOC", None]


def test_periods_keep_row_order_and_starts_follow_a_later_row(tmp_path: Path) -> None:
    """Row order is time order (Z before A stays). The start is given on the second row only
    (2027-03-15, an Excel date): the first row's is 2027-03-15 - 2 months = 2027-01-15, the
    third's 2027-03-15 + 1 month = 2027-04-15. No start at all: every start blank."""
    path = timed(
        tmp_path,
        periods=[
            {"period": "Z", "months": 2},
            {"period": "A", "start": dt.datetime(2027, 3, 15)},
            {"period": "M"},
        ],
    )
    periods = read(path).periods
    assert list(periods["period"]) == ["Z", "A", "M"]
    assert list(periods["start"]) == [
        dt.date(2027, 1, 15),
        dt.date(2027, 3, 15),
        dt.date(2027, 4, 15),
    ]
    assert list(read(timed(tmp_path)).periods["start"]) == [None] * 5


def test_add_months_stays_within_the_month() -> None:
    """Jan 31 + 1 month is Feb 28 (2027 is no leap year); + 13 months is Feb 29 2028."""
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 1, 31), 13) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2027, 3, 1), -3) == dt.date(2026, 12, 1)


def test_a_start_that_does_not_follow_is_kept_with_a_warning(tmp_path: Path) -> None:
    """2027-01-01 + 1 month is 2027-02-01; a given 2027-03-01 is shown as given, with a warning
    at its cell (Periods!C3) naming the expected date."""
    path = timed(
        tmp_path,
        periods=[
            {"period": "P1", "start": "2027-01-01"},
            {"period": "P2", "start": "2027-03-01"},
        ],
    )
    data = read(path)
    assert list(data.periods["start"]) == [dt.date(2027, 1, 1), dt.date(2027, 3, 1)]
    (warning,) = [w for w in map(str, data.warnings) if "start" in w]
    assert warning.startswith("warning: Periods!C3: start 2027-03-01 does not follow")
    assert "expected 2027-02-01" in warning


def test_bad_periods_all_reported_with_their_cells(tmp_path: Path) -> None:
    """A duplicate period, months 0 and 1.5, a start that is no date: four errors at once."""
    path = timed(
        tmp_path,
        periods=[
            {"period": "P1"},
            {"period": "P1"},
            {"period": "P2", "months": 0},
            {"period": "P3", "months": 1.5},
            {"period": "P4", "start": "March"},
        ],
    )
    found = problems(path)
    assert any(e.startswith("Periods!A3: duplicate period 'P1' (first at row 2)") for e in found)
    assert "Periods!B4: months must be a whole number >= 1, got 0" in found
    assert "Periods!B5: months must be a whole number >= 1, got 1.5" in found
    assert any(e.startswith("Periods!C6: start must be a date, got 'March'") for e in found)


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
    pointer (a trial was asked whether 2027-07 was meant between 2027-03 and 2027-05)."""
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
    assert error_of("2027-07") == "Pledges!G2: to '2027-07' is not on the Periods sheet"


def test_periods_numbered_like_2027_1_are_not_read_as_months(tmp_path: Path) -> None:
    """Quarters numbered 2027-1..2027-4 (3 months each) are the sheet's own names: read as
    written, not as the months 2027-01..2027-04 (a review saw `2027-2 is read as starting in
    2027-04, 2 months after its name` once unpadded months were read for a window's hint)."""
    periods = [{"period": f"2027-{q}", "months": 3} for q in range(1, 5)]
    path = timed(tmp_path, periods=periods)
    assert not [w for w in warnings(path) if "after its name" in w or "before its name" in w]


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
    one naming 2026-12 cannot have (A4 lies between 2027-02 and 2027-04), so it is told only
    that 2026-12 is missing. No warning of names skipping a month either: the blank cell's
    error says why 2027-03 is missing (a trial's hint offered A8 for 2026-12)."""
    periods: list[dict[str, object]] = [{"period": f"2027-{m:02d}"} for m in range(1, 7)]
    periods[2] = {"period": None, "months": 1, "phase": "FOC"}
    profile = [
        {"site": "S1", "capability": "INF", "from": "2027-01", "to": "2026-12", "units": 1},
        {"site": "S2", "capability": "INF", "from": "2027-01", "to": "2027-03", "units": 1},
    ]
    with pytest.raises(InputError) as info:
        read(timed(tmp_path, periods=periods, profile=profile))
    found = [str(e) for e in info.value.errors]
    assert "Profile!D2: to '2026-12' is not on the Periods sheet" in found, found
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


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("2027-02-30", "February 2027 has 28 days, so there is no day 30"),
        ("2028-02-30", "February 2028 has 29 days, so there is no day 30"),
        ("2027-13-01", "there is no month 13 (months are 01 to 12)"),
        ("2027-01-00", "there is no day 0 (days are 01 to 31)"),
        ("0000-01-15", "there is no year 0 (years are 0001 to 9999)"),
    ],
)
def test_a_start_that_is_no_date_says_why(tmp_path: Path, typed: str, why: str) -> None:
    """Written year-month-day but no day of the calendar: the error says which part is wrong
    (year 0 was an internal error once)."""
    path = timed(tmp_path, periods=[{"period": "P1", "start": typed}, *FIVE[1:]])
    assert problems(path) == [f"Periods!C2: start must be a date, got '{typed}': {why}"]


def test_a_period_key_that_repeats_a_rejected_row_is_a_duplicate(tmp_path: Path) -> None:
    """Row 3 (P2) has months 0, an error of its own; row 4 names P2 again: that is reported as
    a duplicate too, not hidden because row 3 was dropped."""
    path = timed(
        tmp_path,
        periods=[{"period": "P1"}, {"period": "P2", "months": 0}, {"period": "P2"}],
    )
    found = problems(path)
    assert "Periods!B3: months must be a whole number >= 1, got 0" in found
    assert any(
        e.startswith("Periods!A4: duplicate period 'P2' (also at row 3, which has an error")
        for e in found
    )


def test_month_keys_out_of_calendar_order_warn_at_the_first(tmp_path: Path) -> None:
    """2027-01, 2027-02, 2027-04, 2027-03: the row order is the time order, so 2027-03 is read
    as the last period, with a warning at A5; keys that are not months (P1..) never warn."""
    months = ["2027-01", "2027-02", "2027-04", "2027-03"]
    path = timed(tmp_path, periods=[{"period": m} for m in months])
    assert list(read(path).periods["period"]) == months
    said = [w for w in warnings(path) if "comes after" in w]
    assert said == [
        "warning: Periods!A5: period '2027-03' comes after '2027-04' on the sheet: the row "
        "order is the "
        "time order, so 2027-03 is read as later than 2027-04; move the rows into calendar "
        "order if that is not meant"
    ]
    rising = timed(tmp_path, periods=[{"period": m} for m in sorted(months)])
    assert not [w for w in warnings(rising) if "comes after" in w]


def test_a_month_missing_from_month_keys_warns_at_the_key_after_it(tmp_path: Path) -> None:
    """2027-04, 2027-05, 2027-07 (2027-06's row deleted): periods are consecutive, so 2027-07
    starts in month 2 of the horizon, 2027-06-01 by the first start: a warning at A4, once, and
    the sheet read as the contract says. A quarter after three months follows on (2027-Q3)."""
    rows = [{"period": "2027-04", "start": dt.date(2027, 4, 1)}, {"period": "2027-05"}]
    path = timed(tmp_path, periods=[*rows, {"period": "2027-07"}, {"period": "2027-08"}])
    assert [w for w in warnings(path) if "comes after" in w] == [
        "warning: Periods!A4: period '2027-07' comes after '2027-05', a period of 1 month: "
        "periods are consecutive, without gaps, so 2027-07 is read as starting in 2027-06, "
        "1 month before its name, and so are the periods after it (tours and dwell "
        "count the months, not the names; start dates follow the months); is a row missing, or "
        "a months cell wrong?"
    ]
    assert read(path).periods["start"].tolist()[2] == dt.date(2027, 6, 1)
    quarters = [{"period": "2027-Q1", "months": 3}, {"period": "2027-Q2", "months": 6}]
    longer = timed(tmp_path, periods=[*quarters, {"period": "Q3-2027", "months": 3}])
    assert [w for w in warnings(longer) if "comes after" in w] == [
        "warning: Periods!A4: period 'Q3-2027' comes after '2027-Q2', a period of 6 months: "
        "periods are consecutive, without gaps, so Q3-2027 is read as starting in 2027-10, "
        "3 months after its name, and so are the periods after it (tours and dwell "
        "count the months, not the names; start dates follow the months); is a row missing, or "
        "a months cell wrong?"
    ]
    dated = [{"period": f"2027-{m:02d}", "start": dt.date(2027, m, 1)} for m in (4, 5, 7)]
    said = [w for w in warnings(timed(tmp_path, periods=dated)) if "Periods!" in w]
    assert len(said) == 1 and said[0].startswith("warning: Periods!C4: start 2027-07-01 does not")
    # the first start given sets the calendar: nothing else checks it, so the names do (review)
    last = [{"period": "2027-04"}, {"period": "2027-05"}]
    last.append({"period": "2027-07", "start": dt.date(2027, 7, 1)})
    said = [w for w in warnings(timed(tmp_path, periods=last)) if "Periods!" in w]
    assert len(said) == 1 and said[0].startswith("warning: Periods!A4: period '2027-07' comes")
    assert "so the periods above it start 1 month later than their names say" in said[0]
    cleared = [{"period": "2027-04"}, {}, {"period": "2027-06"}]  # a row's cells cleared
    assert [w for w in warnings(timed(tmp_path, periods=cleared)) if "comes after" in w] == [
        "warning: Periods!A4: period '2027-06' comes after '2027-04', a period of 1 month: "
        "periods are consecutive, without gaps, so 2027-06 is read as starting in 2027-05, "
        "1 month before its name, and so are the periods after it (tours and dwell "
        "count the months, not the names; start dates follow the months); is a row missing, or "
        "a months cell wrong?"
    ]
    mixed = [{"period": "2027-11"}, {"period": "2027-12"}, {"period": "2028-Q1", "months": 3}]
    for fine in (mixed, [{"period": "2027-12"}, {"period": "M2"}], FIVE):
        assert not [w for w in warnings(timed(tmp_path, periods=fine)) if "comes after" in w]


def test_an_empty_periods_sheet_is_a_snapshot(tmp_path: Path) -> None:
    """The template's Periods sheet has headers only: the workbook stays a snapshot, read
    exactly as before (no time columns on the tables), and required is one period of units."""
    data = api.read(timed(tmp_path, periods=[]))
    assert not data.timed and data.periods is None and data.profile is None
    assert data.horizon_months is None
    for table in (data.requirements, data.pledges, data.caveats):
        assert not {"from", "to", "from_t", "to_t", "tour_months", "dwell_months"} & set(table)
    assert required_units(data).tolist() == [[2], [2]]


def test_dates_that_excel_made_of_period_keys_are_read_as_their_months(tmp_path: Path) -> None:
    """Excel turns a typed `2027-01` into the date 2027-01-01. Periods named by such dates
    (2027-01-01..2027-03-01) and a line's `from` the date 2027-02-01 read as the periods
    '2027-01'..'2027-03' and from '2027-02' (position 1), with one warning per column; a date
    that is not the first of a month is no period key: an error at its cell."""
    first = [dt.date(2027, m, 1) for m in (1, 2, 3)]
    path = timed(
        tmp_path,
        periods=[{"period": d} for d in first],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "from": dt.date(2027, 2, 1)},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
    )
    data = read(path)
    assert list(data.periods["period"]) == ["2027-01", "2027-02", "2027-03"]
    assert list(data.requirements["from_t"]) == [1, 0]
    said = [w for w in warnings(path) if " read as the period" in w]
    assert sorted(said) == [
        "warning: Periods!A2: 3 dates in period (Periods!A2, A3 and A4) read as the periods of "
        "their months (2027-01-01 as '2027-01'): Excel turns a typed 2027-01 into a date; "
        "format the column as text to keep what is typed",
        "warning: Requirements!H2: 1 date in from (Requirements!H2) read as the period of "
        "its month (2027-02-01 as '2027-02'): Excel turns a typed 2027-02 into a date; "
        "format the column as text to keep what is typed",
    ]  # the example is the column's first date (it was always 2027-01-01, whatever was read)
    mid_month = timed(
        tmp_path,
        periods=[{"period": d} for d in first],
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "to": dt.date(2027, 2, 15)}],
    )
    assert any(
        e.startswith("Requirements!I2: to must be a period (text), got the date 2027-02-15")
        for e in problems(mid_month)
    )


def test_one_period_of_one_month_is_said_in_the_singular(tmp_path: Path) -> None:
    """`validate` said `timed: 1 period, 1 months`."""
    from solver.io.periods import timed_summary

    data = api.read(simple_case(tmp_path / "one.xlsx", periods=[{"period": "P1"}]))
    assert timed_summary(data) == "timed: 1 period, 1 month, P1"
