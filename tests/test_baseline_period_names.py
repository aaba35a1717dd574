"""A period named in a plan's Tours (`from`, `to`) is read one way whether `verify` checks the
plan or a re-plan takes it as its baseline (`io.period_names.period_named`): an unknown one is an
error with a did-you-mean, one differing only in case is taken with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api
from solver.errors import InputError
from solver.verify import verify_file

from .baseline_input_case import solved_output
from .time_cases import timed_case


def _edited_tours(path: Path, cells: dict[str, str]) -> None:
    book = load_workbook(path)
    for at, value in cells.items():
        book["Tours"][at] = value
    book.save(path)


def test_an_unknown_period_in_a_baseline_file_gets_a_did_you_mean(tmp_path: Path) -> None:
    """Periods 2027-01..2027-12 of a month; the solved plan's one tour (A's unit at S1 over the
    horizon, Tours row 2) edited to run from `2027-O1` (the letter O) to `2027-13`. As a
    baseline it was refused with `is not on the Periods sheet` and no hint, where verify of the
    same file named the horizon and suggested 2027-01 and 2027-12; now both say that."""
    periods = [{"period": f"2027-{m:02d}", "months": 1} for m in range(1, 13)]
    workbook = timed_case(tmp_path / "t.xlsx", periods=periods)
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    _edited_tours(plan, {"D2": "2027-O1", "E2": "2027-13"})
    with pytest.raises(InputError) as refused:
        api.solve(workbook, baseline=plan)
    assert [str(e) for e in refused.value.errors] == [
        "plan.xlsx Tours!D2: from '2027-O1' is not a period of the input (2027-01..2027-12) "
        "(did you mean '2027-01'? it has the letter 'O' where '2027-01' has the digit '0')",
        "plan.xlsx Tours!E2: to '2027-13' is not a period of the input (2027-01..2027-12) "
        "(did you mean '2027-12'?)",
    ]
    with pytest.raises(InputError) as checked:
        verify_file(workbook, plan)
    assert [str(e) for e in checked.value.errors] == [
        "Tours!D2: from '2027-O1' is not a period of the input (2027-01..2027-12) (did you "
        "mean '2027-01'? it has the letter 'O' where '2027-01' has the digit '0')",
        "Tours!E2: to '2027-13' is not a period of the input (2027-01..2027-12) (did you mean "
        "'2027-12'?)",
    ]


def test_a_misspelt_period_name_and_one_in_another_case(tmp_path: Path) -> None:
    """Periods Jan, Feb, Mar; the plan's tour edited to run from `jan` (Jan but for case: taken,
    with a warning, as verify takes it; it was an error) to `Mra` (did you mean 'Mar'?)."""
    periods = [{"period": name, "months": 1} for name in ("Jan", "Feb", "Mar")]
    workbook = timed_case(tmp_path / "t.xlsx", periods=periods)
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    _edited_tours(plan, {"D2": "jan", "E2": "Mra"})
    with pytest.raises(InputError) as refused:
        api.solve(workbook, baseline=plan)
    assert [str(e) for e in refused.value.errors] == [
        "plan.xlsx Tours!E2: to 'Mra' is not a period of the input (Jan..Mar) (did you mean 'Mar'?)"
    ]
    assert [(w.where, w.message) for w in refused.value.warnings if "jan" in w.message] == [
        ("plan.xlsx Tours!D2", "from 'jan' taken as 'Jan' (case differs)")
    ]
    _edited_tours(plan, {"E2": "Mar"})
    data = api.read(workbook)
    baseline = api.read_baseline(plan, data)
    assert baseline.rows[["first_t", "last_t", "units"]].values.tolist() == [[0, 2, 1]]
    assert ("plan.xlsx Tours!D2", "from 'jan' taken as 'Jan' (case differs)") in [
        (w.where, w.message) for w in data.warnings
    ]


def test_a_period_or_key_typed_with_a_space_is_read_with_verify_s_warning(tmp_path: Path) -> None:
    """Periods 2027-01..2027-06; the plan's tour (A's unit at S1 over the horizon) edited to
    `A ` and `2027-06 ` (a trailing space each). verify reads them as A and 2027-06 and says
    so at their cells; a re-plan took the same file as its baseline without a word. Now it
    reads them the same way, with the same warnings."""
    periods = [{"period": f"2027-{m:02d}", "months": 1} for m in range(1, 7)]
    workbook = timed_case(tmp_path / "t.xlsx", periods=periods)
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    _edited_tours(plan, {"A2": "A ", "E2": "2027-06 "})
    said = [
        (
            "Tours!A2",
            "contributor 'A ' has extra spaces or special characters; read as 'A' (retype it to "
            "silence this warning)",
        ),
        (
            "Tours!E2",
            "to '2027-06 ' has extra spaces or special characters; read as '2027-06' (retype it "
            "to silence this warning)",
        ),
    ]
    data = api.read(workbook)
    baseline = api.read_baseline(plan, data)
    assert baseline.rows[["contributor", "first_t", "last_t"]].values.tolist() == [["A", 0, 5]]
    assert [(w.where, w.message) for w in data.warnings if "extra spaces" in w.message] == [
        (f"plan.xlsx {where}", message) for where, message in said
    ]
    checked = verify_file(workbook, plan)
    assert [(w.where, w.message) for w in checked.warnings if "extra spaces" in w.message] == said


def test_a_month_outside_the_horizon_suggests_the_nearest_period(tmp_path: Path) -> None:
    """Periods 2027-01..2027-06; the plan's tour edited to run from `2026-12` to `2027-13` (read
    as 2027-12). Both read as months: the did-you-mean is the period nearest in time, the
    first and the last (it was `2027-03` for 2027-13, spelt alike). From
    `2025-01` to `2029-05`, more than a year outside: no did-you-mean, the error names the
    horizon's first and last period. verify and a re-plan's baseline alike."""
    periods = [{"period": f"2027-{m:02d}", "months": 1} for m in range(1, 7)]
    workbook = timed_case(tmp_path / "t.xlsx", periods=periods)
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    near = [
        "Tours!D2: from '2026-12' is not a period of the input (2027-01..2027-06) (did you mean "
        "'2027-01'?)",
        "Tours!E2: to '2027-13' is not a period of the input (2027-01..2027-06) (did you mean "
        "'2027-06'?)",
    ]
    far = [
        "Tours!D2: from '2025-01' is not a period of the input (2027-01..2027-06)",
        "Tours!E2: to '2029-05' is not a period of the input (2027-01..2027-06)",
    ]
    for cells, said in (
        ({"D2": "2026-12", "E2": "2027-13"}, near),
        ({"D2": "2025-01", "E2": "2029-05"}, far),
    ):
        _edited_tours(plan, cells)
        with pytest.raises(InputError) as refused:
            api.solve(workbook, baseline=plan)
        assert [str(e) for e in refused.value.errors] == [f"plan.xlsx {e}" for e in said]
        with pytest.raises(InputError) as checked:
            verify_file(workbook, plan)
        assert [str(e) for e in checked.value.errors] == said
