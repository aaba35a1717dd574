"""`api.write` of a Result whose plan was changed in Python after solving is refused, nothing
written: its Summary, Coverage and Dashboard still describe the plan as solved (an API trial
set one Allocation row to 99 units and wrote `optimal`, 107 units, beside it; compare then
called the file edited by hand). A Result as solved is written; so is its plan's row order
changed (the same plan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.errors import UsageError

from .time_cases import months, timed_case
from .workbooks import simple_case


def test_an_allocation_changed_after_solving_is_not_written(tmp_path: Path) -> None:
    result = api.solve(simple_case(tmp_path / "case.xlsx"))
    result.tables.allocation = result.tables.allocation.iloc[::-1]  # same plan, other order
    assert api.write(result, tmp_path / "same.xlsx").is_file()
    result.tables.allocation.loc[result.tables.allocation.index[0], "units"] = 99
    out = tmp_path / "changed.xlsx"
    with pytest.raises(UsageError, match=r"the result's allocation changed after solving"):
        api.write(result, out)
    assert not out.exists()


def test_tours_changed_after_solving_are_not_written(tmp_path: Path) -> None:
    """In time the plan is its Tours: one tour's units changed, refused alike."""
    result = api.solve(timed_case(tmp_path / "timed.xlsx", periods=months(3)))
    tours = result.tables.timed["Tours"]
    assert len(tours) and api.write(result, tmp_path / "as_solved.xlsx").is_file()
    tours.loc[tours.index[0], "units"] = int(tours["units"].iloc[0]) + 5
    out = tmp_path / "changed.xlsx"
    with pytest.raises(UsageError, match=r"the result's Tours changed after solving"):
        api.write(result, out)
    assert not out.exists()
