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


def test_periods_numbered_like_2027_1_are_not_read_as_months(tmp_path: Path) -> None:
    """Quarters numbered 2027-1..2027-4 (3 months each) are the sheet's own names: read as
    written, not as the months 2027-01..2027-04 (a review saw `2027-2 is read as starting in
    2027-04, 2 months after its name` once unpadded months were read for a window's hint)."""
    periods = [{"period": f"2027-{q}", "months": 3} for q in range(1, 5)]
    path = timed(tmp_path, periods=periods)
    assert not [w for w in warnings(path) if "after its name" in w or "before its name" in w]


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


def test_optional_sheets_cleared_to_the_last_cell_are_read_as_absent(tmp_path: Path) -> None:
    """A planner clears the Periods sheet (and Settings, Caveats, Profile, Baseline) to the
    last cell, header too, to go back to a snapshot: read as if the sheets were not there, a
    snapshot with no caveats and default settings (each was refused: `required column
    'period' is missing (columns found: none)`). A required sheet so cleared is still an
    error."""
    import openpyxl

    path = timed(tmp_path, periods=FIVE)
    book = openpyxl.load_workbook(path)
    for name in ("Periods", "Settings", "Caveats", "Profile", "Baseline"):
        if name in book.sheetnames:
            del book[name]
        book.create_sheet(name)
    book.save(path)
    data = api.read(path)
    assert not data.timed and data.periods is None and not len(data.caveats)
    assert data.baseline is None
    del book["Sites"]
    book.create_sheet("Sites")
    book.save(path)
    assert any("Sites!" in e and "required column 'site'" in e for e in problems(path))


def test_dates_that_excel_made_of_period_keys_are_read_as_their_months(tmp_path: Path) -> None:
    """Excel turns a typed `2027-01` into the date 2027-01-01. Periods named by such dates
    (2027-01-01..2027-03-01) and a line's `from` the date 2027-02-01 read as the periods
    '2027-01'..'2027-03' and from '2027-02' (position 1), with one warning per column. A
    window's date that is not the first of a month is read as its month too, with a warning of
    its own (it was refused, though docs/workbook.md reads "a date, read as its month")."""
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
    assert list(read(mid_month).requirements["to_t"]) == [1]
    assert (
        "warning: Requirements!I2: 1 date in to (Requirements!I2) not on the first of a month "
        "read as the period of its month (2027-02-15 as '2027-02', to the end of the month): "
        "periods are whole months; type the period to say which one is meant"
    ) in warnings(mid_month)


def test_one_period_of_one_month_is_said_in_the_singular(tmp_path: Path) -> None:
    """`validate` said `timed: 1 period, 1 months`."""
    from solver.io.periods import timed_summary

    data = api.read(simple_case(tmp_path / "one.xlsx", periods=[{"period": "P1"}]))
    assert timed_summary(data) == "timed: 1 period, 1 month, P1"


def test_month_keys_that_their_start_dates_contradict_warn_once(tmp_path: Path) -> None:
    """Keys 2027-01, 2027-02 with a start of 2026-07-01 on the first row: the dates put January
    2027 in July 2026, 6 months earlier than its name: one warning, at that start (C2); the
    plan and the starts stand as read. Given on the second row only (2027-02 starting
    2027-05-10): 3 months later, at C3. A start within the month its key names (2027-Q2 from
    2027-04-15), keys that name no month (M1) and no start at all say nothing."""
    early = [{"period": "2027-01", "start": dt.date(2026, 7, 1)}, {"period": "2027-02"}]
    said = [w for w in warnings(timed(tmp_path, periods=early)) if "falls in" in w]
    assert said == [
        "warning: Periods!C2: start 2026-07-01 falls in 2026-07, but its period is named "
        "'2027-01' (2027-01): the dates put every period 6 months earlier than its name says "
        "(the Gantt chart and the outputs' dates follow the start; tours and dwell count the "
        "months); check the date, or the period names"
    ]
    assert read(timed(tmp_path, periods=early)).periods["start"].tolist()[1] == dt.date(2026, 8, 1)
    late = [{"period": "2027-01"}, {"period": "2027-02", "start": dt.date(2027, 5, 10)}]
    said = [w for w in warnings(timed(tmp_path, periods=late)) if "falls in" in w]
    assert len(said) == 1 and said[0].startswith("warning: Periods!C3: start 2027-05-10 falls")
    assert "3 months later than its name says" in said[0]
    quarters = [{"period": "2027-Q1", "months": 3}, {"period": "2027-Q2", "months": 3}]
    quarters[1]["start"] = dt.date(2027, 4, 15)
    unnamed = [{"period": "M1", "start": dt.date(2026, 7, 1)}]
    # months counted from the 15th: 2027-01 from 2026-12-15 runs into January (a review)
    mid = [{"period": "2027-01", "start": dt.date(2026, 12, 15)}, {"period": "2027-02"}]
    matching = [{"period": "2027-03", "start": dt.date(2027, 3, 1)}, {"period": "2027-04"}]
    for fine in (quarters, unnamed, matching, mid, [{"period": "2027-01"}]):
        assert not [w for w in warnings(timed(tmp_path, periods=fine)) if "falls in" in w]


def test_month_names_that_their_start_dates_contradict_warn_too(tmp_path: Path) -> None:
    """Keys typed as Excel shows a date, `Jan-27`, `Feb-27`, `Mar-27`, from 2027-03-01: the
    dates put January in March, 2 months later, warned at C2 as for `2027-01` (a trial: month
    names went unwarned, and a window's `2027-03` was then read as `Jan-27` in silence). The
    same names from 2027-01-01, and `August 2027` from 2027-08-01, say nothing."""
    names = [{"period": name} for name in ("Jan-27", "Feb-27", "Mar-27")]
    late = [{**names[0], "start": dt.date(2027, 3, 1)}, *names[1:]]
    said = [w for w in warnings(timed(tmp_path, periods=late)) if "falls in" in w]
    assert said == [
        "warning: Periods!C2: start 2027-03-01 falls in 2027-03, but its period is named "
        "'Jan-27' (2027-01): the dates put every period 2 months later than its name says "
        "(the Gantt chart and the outputs' dates follow the start; tours and dwell count the "
        "months); check the date, or the period names"
    ]
    right = [{**names[0], "start": dt.date(2027, 1, 1)}, *names[1:]]
    august = [{"period": "August 2027", "start": dt.date(2027, 8, 1)}]
    for fine in (right, august):
        assert not [w for w in warnings(timed(tmp_path, periods=fine)) if "falls in" in w]


def test_month_names_off_the_calendar_warn_as_month_keys_do(tmp_path: Path) -> None:
    """Jan-27, Mar-27, Feb-27 of one month each: Mar-27 is read as starting in 2027-02, a month
    before its name, warned at A3 as 2027-03 after 2027-01 is (a review: month names were
    not read as months there)."""
    keys = [{"period": key} for key in ("Jan-27", "Mar-27", "Feb-27")]
    said = [w for w in warnings(timed(tmp_path, periods=keys)) if "Periods!A3" in w]
    assert len(said) == 1 and said[0].startswith(
        "warning: Periods!A3: period 'Mar-27' comes after 'Jan-27', a period of 1 month: "
        "periods are consecutive, without gaps, so Mar-27 is read as starting in 2027-02"
    )


def test_a_month_word_with_two_digits_after_a_space_is_no_month(tmp_path: Path) -> None:
    """Keys `Sep 01`, `Sep 02`, `Sep 03` number phases: read as months of 2001 they were warned
    to be a year apart (a review). A two-digit year is read only after a hyphen, as Excel
    writes a date (`Sep-27`)."""
    keys = [{"period": f"Sep 0{i}"} for i in (1, 2, 3)]
    assert not [w for w in warnings(timed(tmp_path, periods=keys)) if "Periods!" in w]
