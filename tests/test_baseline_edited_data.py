"""A `Data` edited in Python is checked again as a workbook of its tables (io/data_check.py);
the baseline is kept, not written back, and so were its warnings lost: a planner re-planning
from an edited Data no longer heard that the baseline asks more than a pledge, or that the
workbook's Baseline sheet was set aside for a `--baseline` file."""

from __future__ import annotations

import copy
from pathlib import Path

from solver import api

from .baseline_input_case import row
from .workbooks import simple_case

ABOVE = (
    "warning: Baseline!A2: the baseline has 3 units of A's INF, above its pledge of 2: some "
    "must change (a locked row that cannot hold makes the solve infeasible)"
)


def said(data: api.Data) -> list[str]:
    return [str(w) for w in data.warnings]


def test_an_edit_keeps_the_baseline_sheet_s_warnings(tmp_path: Path) -> None:
    """A pledges 2 INF and the baseline has 3 of A's (S1 2, S2 1): warned when read, and still
    after an edit elsewhere (B's cost)."""
    path = simple_case(tmp_path / "w.xlsx", baseline=[row(units=2), row(s="S2", units=1)])
    data = copy.deepcopy(api.read(path))
    assert ABOVE in said(data)
    data.pledges.loc[data.pledges["contributor"] == "B", "cost_per_unit"] = 5
    result = api.solve(data)
    assert ABOVE in said(result.data)


def test_a_warning_the_edit_answers_goes(tmp_path: Path) -> None:
    """The same, with A's pledge raised to 3: the baseline no longer asks more than it."""
    path = simple_case(tmp_path / "w.xlsx", baseline=[row(units=2), row(s="S2", units=1)])
    data = copy.deepcopy(api.read(path))
    data.pledges.loc[data.pledges["contributor"] == "A", "units"] = 3
    result = api.solve(data)
    assert not [w for w in said(result.data) if "above its pledge" in w]


def test_a_baseline_file_s_warnings_and_the_sheet_set_aside_stay(tmp_path: Path) -> None:
    """A re-plan against an earlier output given as a file (`api.with_baseline`): the sheet
    set aside and the file's row above the new pledge are said, after an edit too."""
    path = simple_case(tmp_path / "w.xlsx", baseline=[row(units=1)])
    plan = api.write(api.solve(path), tmp_path / "plan.xlsx", [path])  # A 2 and B 2 placed
    data = copy.deepcopy(api.read(path))
    data.pledges.loc[data.pledges["contributor"] == "A", "units"] = 1  # below what A had
    replanned = api.with_baseline(data, plan)
    before = said(replanned)
    assert "warning: Baseline: set aside for the baseline given (plan.xlsx)" in before
    above = [w for w in before if "above its pledge of 1" in w]
    assert len(above) == 1 and above[0].startswith("warning: plan.xlsx "), before
    result = api.solve(replanned)
    assert sorted(w for w in said(result.data) if "Baseline" in w or "plan.xlsx" in w) == sorted(
        w for w in before if "Baseline" in w or "plan.xlsx" in w
    )
