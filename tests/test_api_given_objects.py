"""What an analyst hands to `api.solve` is checked and copied (an API trial):

- a `Result` keeps the input it was solved from: editing the `Data` in place for the next
  what-if no longer reaches it (price_caveats priced the edited input against the first plan,
  every rule's price wrong, nothing raised);
- a `Baseline` edited with pandas is checked as a baseline file's rows are, every problem at
  once naming the row (as `.iloc` counts it) and column (units of -3 raised an internal error
  from the model; a contributor `ZZZ` solved without a word)."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.errors import InputError

from .baseline_input_case import solved_output
from .workbooks import simple_case


def test_a_result_keeps_the_data_it_was_solved_from(tmp_path: Path) -> None:
    data = api.read(simple_case(tmp_path / "case.xlsx"))
    before = data.pledges.copy()
    result = api.solve(data)
    data.pledges.loc[0, "units"] = 0  # the next what-if, edited in place
    assert result.data is not data
    assert result.data.pledges.equals(before)
    assert not result.data.pledges.equals(data.pledges)


def test_an_edited_baseline_is_checked_as_a_file_s_rows(tmp_path: Path) -> None:
    workbook = simple_case(tmp_path / "case.xlsx")
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    data = api.read(workbook)
    baseline = api.read_baseline(plan, data)
    assert len(baseline.rows) >= 2
    baseline.rows.loc[0, "units"] = -3
    baseline.rows["lock"] = baseline.rows["lock"].astype(object)
    baseline.rows.loc[1, "lock"] = "yes"
    with pytest.raises(InputError) as caught:
        api.solve(data, baseline=baseline)
    assert [(e.where, e.message) for e in caught.value.errors] == [
        ("baseline.rows row 0 (units)", "units must be a whole number >= 0, got -3"),
        ("baseline.rows row 1 (lock)", "lock must be True or False, got 'yes'"),
    ]


def test_a_baseline_naming_a_nation_the_workbook_lacks_is_warned_about(tmp_path: Path) -> None:
    workbook = simple_case(tmp_path / "case.xlsx")
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    data = api.read(workbook)
    baseline = api.read_baseline(plan, data)
    baseline.rows.loc[0, "contributor"] = "ZZZ"
    result = api.solve(data, baseline=baseline)
    said = [w for w in result.data.warnings if w.where == "baseline.rows row 0 (contributor)"]
    assert len(said) == 1
    assert said[0].message.startswith("contributor 'ZZZ' is not on the Contributors sheet")
    assert baseline.rows.loc[0, "contributor"] == "ZZZ"  # the caller's own rows: untouched
