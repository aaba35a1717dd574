"""How the content digest reads a cell (results.digest.canonical_value): what any writer of the
workbook keeps, worked by hand."""

from __future__ import annotations

import datetime as dt
import math

from solver.results.digest import canonical_value


def test_numbers_as_a_re_save_keeps_them() -> None:
    assert canonical_value(4.0) == 4 and isinstance(canonical_value(4.0), int)  # openpyxl: 4
    assert canonical_value(26769618.897171773) == 26769618.8971718  # 15 significant digits
    assert canonical_value(26769618.89717177) == canonical_value(26769618.897171773)
    assert canonical_value(-0.0) == 0 and canonical_value(0.1 + 0.2) == 0.3


def test_other_values_as_they_are() -> None:
    assert canonical_value("") is None  # openpyxl drops an empty text cell
    assert canonical_value("INF") == "INF" and canonical_value(True) is True
    day = dt.datetime(2027, 1, 1)
    assert canonical_value(day) == day and canonical_value(None) is None
    assert math.isnan(canonical_value(float("nan"))) and canonical_value(math.inf) == math.inf
    assert canonical_value(10**400) == 10**400  # beyond any float: left alone, no error
