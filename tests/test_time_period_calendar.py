"""Start dates at the calendar's edges (`time.md`: a start is for display only): a date has a
year from 1 to 9999, so a start that would put a period's days before 0001-01-01 or after
9999-12-31 cannot be read. It is an error at its cell, said by `validate` and by `solve` alike
(exit 2, nothing written); before, `validate` or the writing of the plan's Tours stopped on an
internal error (`year 10000 is out of range`).

Every period below is one month (P1..P5 of `FIVE`), so start(t) = the first start given + the
months between, and a period's last day is the day before the next one's start.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from solver.cli import main
from solver.io.periods import last_days

from .time_input_case import FIVE, problems, read, timed

EDGE = (
    "day a date can have (each period starts the day after the one above it ends, by the "
    "months); check the date, and the months"
)


def starts(**given: object) -> list[dict[str, object]]:
    """P1..P5 with `P3="0001-02-01"`-style starts."""
    return [{**row, "start": given.get(str(row["period"]))} for row in FIVE]


@pytest.mark.parametrize(
    ("given", "error"),
    [
        # 9999-10-01 + 3 months is 10000-01-01: P4 and P5 would start after the last day
        (
            {"P1": dt.datetime(9999, 10, 1)},
            "Periods!C2: start 9999-10-01 cannot be read: periods P4..P5 would start after "
            f"9999-12-31, the last {EDGE}",
        ),
        # 0001-02-01 - 2 months is in year 0: P1 would start before the first day (P2 is 0001-01)
        (
            {"P3": "0001-02-01"},
            "Periods!C4: start 0001-02-01 cannot be read: period 'P1' would start before "
            f"0001-01-01, the first {EDGE}",
        ),
        # the last period, from 9999-12-15 for a month, would end 10000-01-14
        (
            {"P5": "9999-12-15"},
            "Periods!C6: start 9999-12-15 cannot be read: period 'P5' (1 month) would end after "
            f"9999-12-31, the last {EDGE}",
        ),
        # P1 would end the day before P2's given 0001-01-01 (a start kept as given, with a
        # warning that it does not follow)
        (
            {"P1": "2027-01-01", "P2": "0001-01-01"},
            "Periods!C3: start 0001-01-01 cannot be read: period 'P1' above it would end before "
            f"0001-01-01, the first {EDGE}",
        ),
    ],
)
def test_a_start_putting_a_period_off_the_calendar_is_an_error_at_its_cell(
    tmp_path: Path, given: dict[str, object], error: str
) -> None:
    assert problems(timed(tmp_path, periods=starts(**given))) == [error]


def test_periods_from_the_first_day_to_the_last_are_read(tmp_path: Path) -> None:
    """P5 from 9999-12-01: P1..P5 start 9999-08-01..9999-12-01, and P5 ends 9999-12-31 though
    the day after it (10000-01-01) is no date. P1 from 0001-01-01 is the calendar's first day."""
    late = read(timed(tmp_path, periods=starts(P5="9999-12-01"))).periods
    assert list(late["start"]) == [dt.date(9999, m, 1) for m in range(8, 13)]
    assert last_days(list(late["start"]), [1] * 5) == [
        dt.date(9999, 8, 31),
        dt.date(9999, 9, 30),
        dt.date(9999, 10, 31),
        dt.date(9999, 11, 30),
        dt.date(9999, 12, 31),
    ]
    early = read(timed(tmp_path, periods=starts(P1="0001-01-01"))).periods
    assert list(early["start"]) == [dt.date(1, m, 1) for m in range(1, 6)]


def run(*argv: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in argv])
    return result.exit_code, result.output


def test_validate_and_solve_refuse_a_start_off_the_calendar(tmp_path: Path) -> None:
    """The first start given at P1, 9999-10-01, puts P4 in year 10000: `validate` and `solve`
    both exit 2 with the cell's error (before: `validate` said `internal error: ValueError`,
    exit 1), and `solve` writes nothing."""
    path = timed(tmp_path, periods=starts(P1=dt.datetime(9999, 10, 1)))
    out = tmp_path / "out.xlsx"
    for argv in (["validate", path], ["solve", path, "-o", out]):
        code, said = run(*argv)
        assert code == 2, said
        assert "error: Periods!C2: start 9999-10-01 cannot be read: periods P4..P5" in said
        assert "internal error" not in said
    assert not out.exists()


def test_a_last_start_on_the_last_month_solves_and_writes_its_last_day(tmp_path: Path) -> None:
    """P1 from 2027-01-01 and P5 given as 9999-12-01 (kept as given, with a warning): `validate`
    passed, then `solve` stopped on `year 10000 is out of range` as it wrote the Tours' end
    dates. P5, a month from 9999-12-01, ends 9999-12-31: every tour through P5 ends then."""
    path = timed(tmp_path, periods=starts(P1="2027-01-01", P5="9999-12-01"))
    out = tmp_path / "out.xlsx"
    code, said = run("solve", path, "-o", out)
    assert code == 0, said
    assert "warning: Periods!C6: start 9999-12-01 does not follow" in said
    tours = pd.read_excel(out, sheet_name="Tours")
    through = tours[tours["to"] == "P5"]
    assert len(through) and {str(day)[:10] for day in through["end_date"]} == {"9999-12-31"}
