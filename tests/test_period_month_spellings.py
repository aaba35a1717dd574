"""A window's month typed in a common spelling (`Jun 2027`, `06/2027`, `2027-06-01` as text,
`Jun-27` as Excel shows a date) is read as the period of that month, with one warning per
column (io/period_names.py `month_spelt`): a trial's were each refused, though the error's hint
named the right period. An ambiguous date (`03/04/2027`) stays an error; keys typed with spaces
are said once per column too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .time_input_case import problems, read, timed, warnings

MONTHLY = [{"period": f"2027-{m:02d}"} for m in range(1, 13)]


def _pledges(to: str) -> list[dict]:
    return [{"contributor": c, "capability": "INF", "units": 2, "to": to} for c in "AB"]


@pytest.mark.parametrize("typed", ["Jun 2027", "June 2027", "06/2027", "2027-06-01", "Jun-27"])
def test_a_month_spelt_otherwise_is_read_as_its_period(tmp_path: Path, typed: str) -> None:
    """Both pledges end with 2027-06, said once for the column at its first cell."""
    path = timed(tmp_path, periods=MONTHLY, pledges=_pledges(typed))
    assert list(read(path).pledges["to"]) == ["2027-06", "2027-06"]
    assert [w for w in warnings(path) if "Pledges!" in w] == [
        f"warning: Pledges!G2: 2 months in to (Pledges!G2 and G3) taken as the periods ending "
        f"then ('{typed}' as '2027-06'), which the Periods sheet names otherwise"
    ]


def test_against_periods_typed_as_dates(tmp_path: Path) -> None:
    """Periods whose cells are dates shown `Mmm-yy` (read as 2027-01..): `Mar-27` typed as
    text, as the cells show it, is 2027-03; an ambiguous date stays an error."""
    path = timed(tmp_path, periods=MONTHLY, pledges=_pledges("Mar-27"))
    book = load_workbook(path)
    for row in range(2, 14):
        cell = book["Periods"].cell(row, 1)
        cell.value = dt.datetime(2027, row - 1, 1)
        cell.number_format = "mmm-yy"
    book.save(path)
    assert list(read(path).pledges["to"]) == ["2027-03", "2027-03"]
    # `03/04/2027` is the 3rd of April or the 4th of March: refused, as before
    book["Pledges"]["G2"] = "03/04/2027"
    book.save(path)
    assert "Pledges!G2: to '03/04/2027' is not on the Periods sheet" in problems(path)


def test_keys_with_spaces_are_said_once_per_column(tmp_path: Path) -> None:
    """` 2027-06 ` in both pledges' `to`: one warning naming both cells (it was one each)."""
    path = timed(tmp_path, periods=MONTHLY, pledges=_pledges(" 2027-06 "))
    assert list(read(path).pledges["to"]) == ["2027-06", "2027-06"]
    assert [w for w in warnings(path) if "Pledges!" in w] == [
        "warning: Pledges!G2: 2 values in to (Pledges!G2 and G3) have extra spaces or special "
        "characters; read as if retyped (' 2027-06 ' as '2027-06'); retype them to silence "
        "this warning"
    ]
