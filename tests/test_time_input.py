"""Time in the workbook (`time.md`), the data layer: Periods, windows, tours, the Profile.

Every expected value is derived by hand in the test's docstring from the contract:
m(first) = 0, m(t+1) = m(t) + months(t), M = m(last) + months(last); required(s, k, t) is the
Profile's units in its periods, else the line's units while the line is active, else 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from solver import api
from solver.data import required_units
from solver.errors import InputError
from solver.io.periods import add_months

from .workbooks import simple_case

FIVE = [{"period": f"P{i}"} for i in range(1, 6)]


def timed(tmp_path: Path, **sheets) -> Path:
    """simple_case (A, B pledge 2 INF each; S1, S2 require 2 INF each) with periods."""
    sheets.setdefault("periods", FIVE)
    return simple_case(tmp_path / "timed.xlsx", **sheets)


def read(path: Path, scenario: str = "base"):
    return api.read(path, scenario, allow_timed=True)


def problems(path: Path, scenario: str = "base") -> list[str]:
    with pytest.raises(InputError) as info:
        read(path, scenario)
    return [str(e) for e in info.value.errors]


def warnings(path: Path) -> list[str]:
    return [str(w) for w in read(path).warnings]


# --- periods -------------------------------------------------------------------------------


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


# --- windows and required units -------------------------------------------------------------


def test_required_units_line_window_and_profile(tmp_path: Path) -> None:
    """Five periods P1..P5. S1 (units 2) is active P2..P4 with a Profile of 3 units in P3..P3:
    required = [0, 2, 3, 2, 0]. S2 (units 2, no window) has a Profile of 0 in P1..P2 and of 5
    in P5..P5: [0, 0, 2, 2, 5]."""
    path = timed(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "from": "P2", "to": "P4"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        profile=[
            {"site": "S2", "capability": "INF", "from": "P5", "to": "P5", "units": 5},
            {"site": "S1", "capability": "INF", "from": "P3", "to": "P3", "units": 3},
            {"site": "S2", "capability": "INF", "from": "P1", "to": "P2", "units": 0},
        ],
    )
    data = read(path)
    assert required_units(data).tolist() == [[0, 2, 3, 2, 0], [0, 0, 2, 2, 5]]
    assert list(data.requirements["from_t"]) == [1, 0]
    assert list(data.requirements["to_t"]) == [3, 4]
    profile = data.profile
    rows = profile[["site", "from_t", "to_t", "units"]].itertuples(index=False, name=None)
    assert list(rows) == [
        ("S1", 2, 2, 3),
        ("S2", 0, 1, 0),
        ("S2", 4, 4, 5),
    ]


def test_windows_default_to_first_and_last_period(tmp_path: Path) -> None:
    """Blank from/to: 0 and 4 of five periods; A's pledge P2..P3 is 1..2; tour_months blank is
    NaN (no limit), dwell_months blank is 0; a caveat's window C2 (from P4) is 3..4."""
    path = timed(
        tmp_path,
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "from": "P2", "to": "P3"},
            {
                "contributor": "B",
                "capability": "INF",
                "units": 2,
                "tour_months": 6,
                "dwell_months": 12,
            },
        ],
        caveats=[{"contributor": "A", "caveat": "max_units", "value": 1, "from": "P4"}],
    )
    data = read(path)
    pl = data.pledges
    assert list(pl["from_t"]) == [1, 0] and list(pl["to_t"]) == [2, 4]
    assert np.isnan(pl["tour_months"].iloc[0]) and pl["tour_months"].iloc[1] == 6
    assert list(pl["dwell_months"]) == [0, 12]
    assert list(data.caveats["from_t"]) == [3] and list(data.caveats["to_t"]) == [4]
    assert list(data.requirements["from_t"]) == [0, 0]
    assert list(data.requirements["to_t"]) == [4, 4]


# --- errors ---------------------------------------------------------------------------------


def test_window_errors_all_at_once(tmp_path: Path) -> None:
    """An unknown period (with a did-you-mean), a `from` after its `to`, on three sheets."""
    path = timed(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "from": "P4", "to": "P2"},
            {"site": "S2", "capability": "INF", "units": 2, "to": "P55"},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2, "from": "Q1"}],
        caveats=[{"contributor": "A", "caveat": "max_units", "value": 1, "from": "P3", "to": "P1"}],
    )
    found = problems(path)
    assert (
        "Requirements!H2: from 'P4' is after to 'P2' (on the Periods sheet 'P2' comes first); "
        "correct the one mistyped, or swap them"
    ) in found
    assert "Requirements!I3: to 'P55' is not on the Periods sheet (did you mean 'P5'?)" in found
    assert any(e.startswith("Pledges!F2: from 'Q1' is not on the Periods sheet") for e in found)
    assert any(e.startswith("Caveats!L2: from 'P3' is after to 'P1'") for e in found)
    assert len(found) == 4


def test_a_period_in_another_case_is_taken_with_a_warning(tmp_path: Path) -> None:
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "from": "p2"}],
    )
    data = read(path)
    assert list(data.requirements["from_t"]) == [1]
    assert any("from 'p2' taken as 'P2'" in str(w) for w in data.warnings)


def test_profile_rows_must_name_a_line_stay_inside_it_and_not_overlap(tmp_path: Path) -> None:
    """S1 is active P2..P4. Its Profile rows P1..P2 (leaves the window, starts before P2),
    P2..P3 (overlaps P1..P2 in P2) and S2's row (S2 has no line) are three errors."""
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "from": "P2", "to": "P4"}],
        profile=[
            {"site": "S1", "capability": "INF", "from": "P1", "to": "P2", "units": 1},
            {"site": "S1", "capability": "INF", "from": "P2", "to": "P3", "units": 3},
            {"site": "S2", "capability": "INF", "from": "P1", "to": "P1", "units": 1},
        ],
    )
    found = problems(path)
    assert any(
        e.startswith(
            "Profile!C2: Profile row P1..P2 of S1/INF lies outside the line's window P2..P4 "
            "(Requirements row 2)"  # a row, said as a row (it read 'Requirements!2')
        )
        for e in found
    )
    assert any(
        e.startswith("Profile!C3: Profile row P2..P3 of S1/INF overlaps the row at row 2 (P1..P2)")
        for e in found
    )
    assert any(
        e.startswith("Profile!A4: Profile row for S2/INF: there is no such line") for e in found
    )
    assert len(found) == 3


def test_a_line_whose_window_is_in_error_gives_its_profile_rows_no_second_error(
    tmp_path: Path,
) -> None:
    """S1's window runs backwards (from P3 to P2) and S2's `from` is no period: one error
    each, on the Requirements cell. Their Profile rows are not measured against a window that
    does not exist (it read 'outside the line's window P3..P2'), nor said to name no line."""
    path = timed(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "from": "P3", "to": "P2"},
            {"site": "S2", "capability": "INF", "units": 2, "from": "P9"},
        ],
        profile=[
            {"site": "S1", "capability": "INF", "from": "P1", "to": "P4", "units": 1},
            {"site": "S2", "capability": "INF", "from": "P1", "to": "P1", "units": 1},
        ],
    )
    found = problems(path)
    assert len(found) == 2, found
    assert all(e.startswith("Requirements!") for e in found)


def test_a_line_whose_row_has_a_bad_cell_gives_its_profile_rows_no_second_error(
    tmp_path: Path,
) -> None:
    """S1's `units` is 'three' (its row is dropped for that error): its Profile row names a
    line that is there, so the one error is the cell's (it read 'there is no such line (no
    Requirements row for INF at S1)')."""
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": "three"}],
        profile=[{"site": "S1", "capability": "INF", "from": "P1", "to": "P2", "units": 1}],
    )
    found = problems(path)
    assert len(found) == 1, found
    assert found[0].startswith("Requirements!C2: units must be a whole number >= 0, got 'three'")


def test_profile_rows_that_overlap_are_said_while_their_lines_window_is_in_error(
    tmp_path: Path,
) -> None:
    """S1's `to` is P9, no period; S2's window runs backwards (P3..P2). Each line's Profile rows
    overlap: S1's P2..P4 the row P1..P3 (in P2..P3), S2's P2 the row P1..P2 (in P2). An overlap
    does not depend on the window, so all four errors come in one run (the overlaps came only
    once the windows were fixed)."""
    path = timed(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "to": "P9"},
            {"site": "S2", "capability": "INF", "units": 2, "from": "P3", "to": "P2"},
        ],
        profile=[
            {"site": "S1", "capability": "INF", "from": "P1", "to": "P3", "units": 1},
            {"site": "S1", "capability": "INF", "from": "P2", "to": "P4", "units": 2},
            {"site": "S2", "capability": "INF", "from": "P1", "to": "P2", "units": 1},
            {"site": "S2", "capability": "INF", "from": "P2", "to": "P2", "units": 2},
        ],
    )
    overlap = "; a line's Profile rows must not overlap in time"
    assert problems(path) == [
        "Requirements!I2: to 'P9' is not on the Periods sheet",
        "Requirements!H3: from 'P3' is after to 'P2' (on the Periods sheet 'P2' comes first); "
        "correct the one mistyped, or swap them",
        "Profile!C3: Profile row P2..P4 of S1/INF overlaps the row at row 2 (P1..P3)" + overlap,
        "Profile!C5: Profile row P2 of S2/INF overlaps the row at row 4 (P1..P2)" + overlap,
    ]


def test_profile_requires_its_columns(tmp_path: Path) -> None:
    path = timed(tmp_path, profile=[{"site": "S1", "capability": "INF", "from": "P1"}])
    found = problems(path)
    assert "Profile!D2: to is required; fill in the cell" in found
    assert "Profile!E2: units is required; fill in the cell" in found


def test_time_cells_in_a_snapshot_are_errors_naming_each_cell(tmp_path: Path) -> None:
    """No Periods sheet rows: every filled time cell (even dwell_months 0) and every Profile row
    is an error, all at once: there are no periods to refer to."""
    path = simple_case(
        tmp_path / "snap.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "to": "2027-03"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 6},
            {"contributor": "B", "capability": "INF", "units": 2, "dwell_months": 0},
        ],
        caveats=[{"contributor": "A", "caveat": "max_units", "value": 1, "from": "M1"}],
        profile=[{"site": "S1", "capability": "INF", "from": "M1", "to": "M2", "units": 1}],
    )
    found = problems(path)
    cells = sorted(e.split(":")[0] for e in found)
    assert cells == ["Caveats!L2", "Pledges!H2", "Pledges!I3", "Profile!A2", "Requirements!I2"]
    assert all("there are no periods to refer to" in e for e in found)
    assert any(
        e.startswith("Requirements!I2: to is '2027-03' but there are no periods") for e in found
    )


# --- warnings -------------------------------------------------------------------------------


def test_a_tour_shorter_than_a_period_warns_naming_the_periods(tmp_path: Path) -> None:
    """Periods of 1, 3, 3, 1 months; A's tour of 2 months can cover neither 3-month period
    (a tour covers whole periods): warn naming Q2..Q3. B's window P4 only: no warning."""
    path = timed(
        tmp_path,
        periods=[
            {"period": "P1"},
            {"period": "Q2", "months": 3},
            {"period": "Q3", "months": 3},
            {"period": "P4"},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 2},
            {"contributor": "B", "capability": "INF", "units": 2, "tour_months": 1, "from": "P4"},
        ],
    )
    found = [w for w in warnings(path) if "tour_months" in w]
    assert found == [
        "warning: Pledges!H2: A/INF: tour_months 2 is shorter than each of the periods Q2..Q3 "
        "(3 months long each) inside the pledge's window: a tour covers whole periods, so these "
        "units can never deploy in those periods"
    ]


def test_a_dwell_without_a_tour_limit_is_explained(tmp_path: Path) -> None:
    path = timed(
        tmp_path,
        pledges=[{"contributor": "A", "capability": "INF", "units": 2, "dwell_months": 12}],
    )
    (found,) = [w for w in warnings(path) if "dwell_months" in w]
    assert found.startswith("warning: Pledges!I2: A/INF: dwell_months 12 with no tour_months")


def test_windows_that_never_meet_warn(tmp_path: Path) -> None:
    """S1/INF is active P4..P5 only, S2 has no INF line. A's pledge is available P1..P2 (never
    when INF is required: unusable), B's P4..P5: no warning for B and none for S1. Then with
    B gone, S1 is short in every period: warned at its `from` cell."""
    lines = [{"site": "S1", "capability": "INF", "units": 2, "from": "P4"}]
    a = {"contributor": "A", "capability": "INF", "units": 2, "from": "P1", "to": "P2"}
    b = {"contributor": "B", "capability": "INF", "units": 2, "from": "P4"}
    found = warnings(timed(tmp_path, requirements=lines, pledges=[a, b]))
    assert found == [
        "warning: Pledges!F2: A/INF is available only in P1..P2, when no INF line requires a "
        "unit (INF is required in P4..P5): the pledge can never be used"
    ]
    found = warnings(timed(tmp_path, requirements=lines, pledges=[a]))
    assert (
        "warning: Requirements!H2: S1/INF requires units only in P4..P5, when no INF pledge is "
        "available (pledges of INF are available in P1..P2): the line is short in every period"
    ) in found


def test_a_profile_of_zero_units_is_no_requirement_for_the_window_warnings(tmp_path: Path) -> None:
    """S1 (units 2, P1..P5) requires 0 in P1..P3 by its Profile; A is available P1..P3 only:
    it is never usable (required(S1, INF, t) = 0 there)."""
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        profile=[{"site": "S1", "capability": "INF", "from": "P1", "to": "P3", "units": 0}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "to": "P3"},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
    )
    assert [w for w in warnings(path) if "never be used" in w] == [
        "warning: Pledges!F2: A/INF is available only in P1..P3, when no INF line requires a "
        "unit (INF is required in P4..P5): the pledge can never be used"
    ]


# --- scenarios ------------------------------------------------------------------------------


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


def test_a_row_with_a_bad_cell_has_its_keys_and_periods_checked_too(tmp_path: Path) -> None:
    """A's pledge row has dwell_months 'x' and from 'P9'; a caveat has value 'lots' and from
    'P7'; a pledge of units 'x' names contributor ZZZ. Every error at once: before, a row
    dropped for one bad cell had its unknown period and contributor said only on the next run
    (an audit)."""
    path = timed(
        tmp_path,
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "dwell_months": "x"}
            | {"from": "P9"},
            {"contributor": "ZZZ", "capability": "INF", "units": "x"},
        ],
        caveats=[
            {"id": "C1", "contributor": "A", "caveat": "max_units", "value": "lots", "from": "P7"}
        ],
    )
    found = problems(path)
    for cell, start in [
        ("Pledges!", "dwell_months must be a whole number >= 0, got 'x'"),
        ("Pledges!", "from 'P9' is not on the Periods sheet"),
        ("Pledges!A3", "contributor 'ZZZ' is not on the Contributors sheet"),
        ("Pledges!", "units must be a whole number >= 0, got 'x'"),
        ("Caveats!", "value must be a number, got 'lots'"),
        ("Caveats!", "from 'P7' is not on the Periods sheet"),
    ]:
        assert any(p.startswith(cell) and start in p for p in found), (start, found)
    assert len(found) == 6, found


def test_a_line_only_a_profile_raises_is_something_to_allocate(tmp_path: Path) -> None:
    """Every line of units 0, one raised to 1 in P2 by the Profile: no "nothing to allocate"."""
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 0, "priority": 1}],
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 1}],
    )
    assert not any("nothing to allocate" in w for w in warnings(path))
    flat = timed(tmp_path, requirements=[{"site": "S1", "capability": "INF", "units": 0}])
    assert any("nothing to allocate" in w for w in warnings(flat))


def test_one_period_of_one_month_is_said_in_the_singular(tmp_path: Path) -> None:
    """`validate` said `timed: 1 period, 1 months`."""
    from solver.io.periods import timed_summary

    data = api.read(simple_case(tmp_path / "one.xlsx", periods=[{"period": "P1"}]))
    assert timed_summary(data) == "timed: 1 period, 1 month, P1"
