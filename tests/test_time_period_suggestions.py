"""A period a window, a plan, a withdrawal or a Scenarios key names that the Periods sheet
lacks gets the did-you-mean a planner expects (`io.period_names.suggest_period`): a name that reads
as a month (`2026-12`; `2027-13`, its month number out of range, as 2027-12) or a quarter
(`2028-Q1`; `2028-q5` as 2028-Q4) suggests the period holding its months on the horizon's
calendar (by the periods' names, months or quarters, else their start dates), or the first or
last period when it is outside the horizon by at most a year; further, the horizon's first and
last period. Any other name keeps the closest spelling (a plan's Tours:
test_baseline_period_names.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from solver import api
from solver.errors import UsageError
from solver.io.withdrawals import check_period

from .time_input_case import problems, read, timed

# three months, then three quarters: periods may be uneven
UNEVEN = [
    *({"period": f"2027-{m:02d}", "months": 1} for m in (1, 2, 3)),
    *({"period": f"2027-Q{q}", "months": 3} for q in (2, 3, 4)),
]

# a month inside a longer period: named, with the choice left to the planner (a `from` of
# 2027-Q2 counts the nation ready a month early: an uneven-periods trial)
INSIDE_Q2 = (
    " (it falls inside the period '2027-Q2', 2027-04..2027-06, and a window covers whole "
    "periods: name '2027-Q2' to take that period in, or the period before or after it to leave "
    "it out)"
)


def _window_error(tmp_path: Path, to: str, periods: list[dict]) -> str:
    """The error of a pledge whose `to` is `to` (Pledges!G2)."""
    pledges = [{"contributor": "A", "capability": "INF", "units": 2, "to": to}]
    found = problems(timed(tmp_path, periods=periods, pledges=pledges))
    (error,) = [e for e in found if e.startswith("Pledges!G2")]
    return error.removeprefix(f"Pledges!G2: to '{to}' is not on the Periods sheet")


def test_a_month_in_an_uneven_horizon_suggests_the_period_holding_it(tmp_path: Path) -> None:
    """Periods 2027-01..2027-03, then 2027-Q2..2027-Q4: 2027-05 is in 2027-Q2 (spelt alike,
    2027-05 was '2027-01' or nothing); 2027-13 (read as 2027-12: it was '2027-Q3') is in
    2027-Q4; 2028-12 is 12 months after the horizon's last month: 2027-Q4; 2026-01 is 12 months
    before it: 2027-01. 2029-01 is 13 months after it: no period is near, the horizon is named.
    (A `to` of 2027-12 is no error: 2027-Q4 ends that month, and it is taken.)"""
    expected = {
        "2027-05": INSIDE_Q2,
        "2027-04": INSIDE_Q2,  # its first month: as a `to`, 2027-Q2 ran the mandate late
        "2027-13": " (did you mean '2027-Q4'?)",
        "2028-12": " (did you mean '2027-Q4'?)",
        "2026-01": " (did you mean '2027-01'?)",
        "2029-01": " (the periods run 2027-01..2027-Q4)",
    }
    said = {to: _window_error(tmp_path, to, UNEVEN) for to in expected}
    assert said == expected


def test_a_month_typed_as_excel_shows_a_date_suggests_its_period(tmp_path: Path) -> None:
    """Periods whose cells are dates are read as `2027-08` and so on, but a planner types what
    the cells show: `Aug-27` (Excel's mmm-yy), `Aug 2027`, `August 2027`. Where a period ends
    in that month it is read as it (test_period_month_spellings.py); `May-27` in the uneven
    horizon ends none, and is refused with its hint, inside 2027-Q2 (a trial got no hint at
    all); `Foo-27` is no month and keeps the spelling's hint (none here)."""
    monthly = [{"period": f"2027-{m:02d}"} for m in range(1, 13)]
    assert _window_error(tmp_path, "May-27", UNEVEN) == INSIDE_Q2
    assert _window_error(tmp_path, "May 2027", UNEVEN) == INSIDE_Q2
    assert _window_error(tmp_path, "Foo-27", monthly) == ""


def test_a_month_typed_with_a_slash_suggests_its_period(tmp_path: Path) -> None:
    """`05/2027` and `2027.05` are May 2027 (the four-digit year says which number is the
    month): in the uneven horizon no period ends then, and the hint names 2027-Q2, which holds
    it (a planner trial's `03/2027` got no hint). Where one ends then it is read as it
    (test_period_month_spellings.py)."""
    assert _window_error(tmp_path, "05/2027", UNEVEN) == INSIDE_Q2
    assert _window_error(tmp_path, "2027.05", UNEVEN) == INSIDE_Q2


def test_a_month_against_periods_named_otherwise_goes_by_their_start_dates(
    tmp_path: Path,
) -> None:
    """Periods M01..M06 from 2027-01-01: `2027-13` is after M06, the last (the start dates
    give the calendar). Without start dates the periods give none: the closest spelling,
    of which there is none for 2027-13. A name that is no month keeps its spelling's hint."""
    dated = [{"period": f"M{m:02d}"} for m in range(1, 7)]
    dated[0]["start"] = dt.date(2027, 1, 1)
    assert _window_error(tmp_path, "2027-13", dated) == " (did you mean 'M06'?)"
    plain = [{"period": f"M{m:02d}"} for m in range(1, 7)]
    assert _window_error(tmp_path, "2027-13", plain) == ""
    assert _window_error(tmp_path, "MO3", plain) == (
        " (did you mean 'M03'? it has the letter 'O' where 'M03' has the digit '0')"
    )


def test_a_withdrawal_after_a_month_past_the_horizon(tmp_path: Path) -> None:
    """`--withdraw A@2027-13` against periods 2027-01..2027-06: the last period is suggested
    (it was '2027-03')."""
    periods = [{"period": f"2027-{m:02d}"} for m in range(1, 7)]
    data = api.read(timed(tmp_path, periods=periods))
    with pytest.raises(UsageError) as refused:
        check_period(data, "2027-13", "cannot withdraw A after")
    assert str(refused.value) == (
        "cannot withdraw A after '2027-13': not a period of timed.xlsx (2027-01..2027-06) (did "
        "you mean '2027-06'?)"
    )


def test_a_month_number_out_of_range_keeps_its_year(tmp_path: Path) -> None:
    """Periods 2027-01..2028-12: `2027-13` is read as 2027-12, not counted on into 2028 (the
    year is as typed, the month the slip), and `2028-00` as 2028-01."""
    periods = [{"period": f"{y}-{m:02d}"} for y in (2027, 2028) for m in range(1, 13)]
    assert _window_error(tmp_path, "2027-13", periods) == " (did you mean '2027-12'?)"
    assert _window_error(tmp_path, "2028-00", periods) == " (did you mean '2028-01'?)"


def test_a_scenario_key_naming_a_period_suggests_by_time(tmp_path: Path) -> None:
    """Periods 2027-01..2027-06; S1/INF has Profile rows from 2027-01 (to 2027-02) and from
    2027-04 (to 2027-06), S2/INF one from 2027-03. A Scenarios key that names a period (of
    Periods, or a Profile row's `from`) and no row gets the did-you-mean by time, as a window
    does: dropping Periods 2027-14 (read as 2027-12) suggests the last period, 2027-06 (spelt
    alike: 2027-04), 2030-01 none, naming the horizon (spelling: 2027-01); a row added as
    2027-13 warns with 2027-06 (spelling: 2027-03). Dropping S1/INF/2027-13 suggests the line's
    row nearest in time, S1/INF/2027-04 (spelling: S1/INF/2027-01); S1/INF/2027-03, between its
    two rows, none (spelling: S2/INF/2027-03, another line). A scenario's `from` was read by the
    window's check already, and stays so."""
    periods = [{"period": f"2027-{m:02d}"} for m in range(1, 7)]
    profile = [
        {"site": "S1", "capability": "INF", "from": "2027-01", "to": "2027-02", "units": 1},
        {"site": "S1", "capability": "INF", "from": "2027-04", "to": "2027-06", "units": 3},
        {"site": "S2", "capability": "INF", "from": "2027-03", "to": "2027-03", "units": 1},
    ]
    rows = {
        "a": ("Periods", "2027-14", "drop", None),
        "b": ("Periods", "2030-01", "drop", None),
        "c": ("Profile", "S1/INF/2027-13", "drop", None),
        "d": ("Profile", "S1/INF/2027-03", "drop", None),
        "e": ("Pledges", "A/INF", "from", "2027-13"),
        "f": ("Periods", "2027-13", "months", 1),
    }
    scenarios = [
        {"scenario": name, "sheet": sheet, "key": key, "column": column, "value": value}
        for name, (sheet, key, column, value) in rows.items()
    ]
    path = timed(tmp_path, periods=periods, profile=profile, scenarios=scenarios)
    said = {name: problems(path, name) for name in "abcde"}
    assert said == {
        "a": [
            "Scenarios!C2: scenario 'a': no Periods row with key '2027-14' to drop (did you mean "
            "'2027-06'?)"
        ],
        "b": [
            "Scenarios!C3: scenario 'b': no Periods row with key '2030-01' to drop (the periods "
            "run 2027-01..2027-06)"
        ],
        "c": [
            "Scenarios!C4: scenario 'c': no Profile row with key 'S1/INF/2027-13' to drop (did "
            "you mean 'S1/INF/2027-04'?)"
        ],
        "d": ["Scenarios!C5: scenario 'd': no Profile row with key 'S1/INF/2027-03' to drop"],
        "e": [
            "Scenarios!E6: scenario 'e': from '2027-13' is not on the Periods sheet (did you "
            "mean '2027-06'?)"
        ],
    }
    added = [str(w) for w in read(path, "f").warnings if "adds a Periods row" in str(w)]
    assert added == [
        "warning: Scenarios!C7: scenario 'f' adds a Periods row '2027-13' (no row has that key) "
        "(did you mean '2027-06'?)"
    ]


def test_a_typed_quarter_is_read_as_its_months(tmp_path: Path) -> None:
    """A name typed as a quarter (`2028-Q1`, `Q1-2028`, `q` too; Q5 is its year's Q4, Q0 its Q1)
    is its three months. Against quarters 2027-Q1..2027-Q4, 2028-Q1 is just after the last
    (spelt alike: '2027-Q1'), 2026-q4 just before the first (spelling: '2027-Q4'), Q5-2027 is
    2027-Q4 (spelling: none), 2029-Q1 13 months after the horizon: none, the horizon named
    (spelling: '2027-Q1'). Against months 2027-01..2028-12 a quarter inside the horizon is
    in three periods, named as a run (a `from` wants the first, a `to` the last): 2028-Q1 (it
    was '2028-12') and 2028-q5 (it was '2028-05'); 2029-Q1 is just after the last month. A
    withdrawal after 2028-Q1 against the quarters: '2027-Q4' (it was '2027-Q1')."""
    quarters = [{"period": f"2027-Q{q}", "months": 3} for q in range(1, 5)]
    months = [{"period": f"{y}-{m:02d}"} for y in (2027, 2028) for m in range(1, 13)]
    by_quarters = {
        "2028-Q1": " (did you mean '2027-Q4'?)",
        "2026-q4": " (did you mean '2027-Q1'?)",
        "Q5-2027": " (did you mean '2027-Q4'?)",
        "2029-Q1": " (the periods run 2027-Q1..2027-Q4)",
    }
    by_months = {
        "2028-Q1": " (its months are in the periods 2028-01..2028-03)",
        "2028-q5": " (its months are in the periods 2028-10..2028-12)",
        "2029-Q1": " (did you mean '2028-12'?)",
    }
    said = (
        {to: _window_error(tmp_path, to, quarters) for to in by_quarters},
        {to: _window_error(tmp_path, to, months) for to in by_months},
    )
    assert said == (by_quarters, by_months)
    data = api.read(timed(tmp_path, periods=quarters))
    with pytest.raises(UsageError) as refused:
        check_period(data, "2028-Q1", "cannot withdraw A after")
    assert str(refused.value).endswith("(2027-Q1..2027-Q4) (did you mean '2027-Q4'?)")


def test_a_month_is_taken_as_the_period_starting_then(tmp_path: Path) -> None:
    """Periods named as Excel shows a date (`Jan-27`, `Feb-27`, `Mar-27`, typed as text as the
    date warning advises), a pledge's from typed `2027-02` and to `2027-03` (or dates, read
    so): the periods starting in those months, with one warning per column (every such cell
    was refused with a hint naming the right period: a trial). `2027-13` is a slip, refused."""
    from solver.errors import InputError
    from solver.io.read import read_data

    from .time_cases import timed_case

    periods = [{"period": p, "months": 1} for p in ("Jan-27", "Feb-27", "Mar-27")]
    pledge = {"contributor": "A", "capability": "INF", "units": 1, "from": "2027-02"}
    path = timed_case(tmp_path / "a.xlsx", periods=periods, pledges=[{**pledge, "to": "2027-03"}])
    data = read_data(path)
    row = data.pledges.iloc[0]
    assert (int(row["from_t"]), int(row["to_t"])) == (1, 2)
    said = [str(w) for w in data.warnings if "taken as the period" in str(w)]
    assert said == [
        "warning: Pledges!F2: from '2027-02' taken as the period starting that month, 'Feb-27' "
        "(the Periods sheet names its periods otherwise)",
        "warning: Pledges!G2: to '2027-03' taken as the period ending that month, 'Mar-27' (the "
        "Periods sheet names its periods otherwise)",
    ]
    slip = timed_case(tmp_path / "b.xlsx", periods=periods, pledges=[{**pledge, "from": "2027-13"}])
    try:
        read_data(slip)
    except InputError as exc:
        assert any("from '2027-13' is not on the Periods sheet" in str(e) for e in exc.errors)
    else:
        raise AssertionError("2027-13 was taken")


def test_a_month_in_a_to_is_no_quarter_that_would_stretch_it(tmp_path: Path) -> None:
    """Quarters 2027-Q1..2027-Q3; a pledge from 2027-04 to 2027-04 (its mandate ends in April):
    its from is the quarter starting in April, 2027-Q2 (taken, warned); its to is refused, as
    2027-Q2 would run the mandate to June (a review), with the hint as before. A row dropped for
    another error (contributor XX) gets no error for a from the kept rows take."""
    from solver.errors import InputError
    from solver.io.read import read_data

    from .time_cases import timed_case

    quarters = [{"period": f"2027-Q{q}", "months": 3} for q in (1, 2, 3)]
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 1, "from": "2027-04", "to": "2027-04"},
        {"contributor": "XX", "capability": "INF", "units": 1, "from": "2027-04"},
    ]
    path = timed_case(tmp_path / "q.xlsx", periods=quarters, pledges=pledges)
    try:
        read_data(path)
    except InputError as exc:
        errors = [str(e) for e in exc.errors]
        warnings = [str(w) for w in exc.warnings]
    else:
        raise AssertionError("a to of 2027-04 was taken as a quarter")
    assert any(e.startswith("Pledges!G2: to '2027-04' is not on the Periods sheet") for e in errors)
    assert not any("Pledges!F3" in e for e in errors), errors  # the dropped row's from
    assert any("Pledges!A3" in e for e in errors), errors  # its own error stands
    assert any(
        "from '2027-04' taken as the period starting that month, '2027-Q2'" in w for w in warnings
    )
