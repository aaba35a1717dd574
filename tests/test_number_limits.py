"""Realistic maxima declared in the schema: hostile numbers are refused at validation with the
cell named, before they overflow a total or reach HiGHS."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver.cli import main
from solver.io.schema import PLEDGES
from solver.io.schema_types import (
    MAX_CAVEAT_VALUE,
    MAX_COST_PER_UNIT,
    MAX_UNIT_SIZE,
    MAX_UNITS,
)

from .workbooks import simple_case

EXCEL_ROWS = 1_048_576
UNITS = "more than any coalition fields; is the cell right?"
SIZE = "more people than any single unit"


def pledges(**first: object) -> list[dict[str, object]]:
    return [
        {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1, **first},
        {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
    ]


def validate(path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.exit_code, [
        line.removeprefix("error: ")
        for line in result.output.splitlines()
        if line.startswith("error: ")
    ]


def test_units_times_unit_size_that_overflowed_int64_is_refused(tmp_path: Path) -> None:
    """Before: 1e10 units x 1e10 personnel gave -2914184810805067726 personnel, 'optimal'."""
    path = simple_case(
        tmp_path / "overflow.xlsx",
        pledges=pledges(units=10**10, personnel_per_unit=10**10),
        requirements=[{"site": "S1", "capability": "INF", "units": 10**10}],
    )
    code, errors = validate(path)
    assert code == 2
    assert errors == [
        f"Requirements!C2: units must be at most 1,000,000 ({UNITS}), got 10000000000",
        f"Pledges!C2: units must be at most 1,000,000 ({UNITS}), got 10000000000",
        f"Pledges!D2: personnel_per_unit must be at most 100,000 ({SIZE}), got 10000000000",
    ]


def test_units_that_made_highs_refuse_the_model_are_refused(tmp_path: Path) -> None:
    """Before: units 1e15 ended in 'HiGHS refused the model (internal error)'."""
    path = simple_case(tmp_path / "units.xlsx", pledges=pledges(units=10**15))
    assert validate(path) == (
        2,
        [f"Pledges!C2: units must be at most 1,000,000 ({UNITS}), got 1000000000000000"],
    )


def test_a_cost_beyond_the_solvers_precision_is_refused(tmp_path: Path) -> None:
    """Before: cost 1e14 could stop the search after 5 ms as 'a limit'."""
    path = simple_case(tmp_path / "cost.xlsx", pledges=pledges(cost_per_unit=1e14))
    assert validate(path) == (
        2,
        [
            "Pledges!E2: cost_per_unit must be at most 1,000,000,000,000 (beyond the solver's "
            "precision; give costs in thousands or millions), got 100000000000000"
        ],
    )


def test_a_caveat_value_beyond_any_pledge_is_refused(tmp_path: Path) -> None:
    """Before: min_units 1e15 ended in 'HiGHS refused the model (internal error)'."""
    path = simple_case(
        tmp_path / "value.xlsx",
        caveats=[{"contributor": "A", "caveat": "min_units", "value": 10**15}],
    )
    assert validate(path) == (
        2,
        [
            "Caveats!J2: value must be at most 100,000,000,000 (more than the personnel of the "
            "largest possible pledge), got 1000000000000000"
        ],
    )


def test_a_scenario_value_meets_the_same_maximum(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "scenario.xlsx",
        scenarios=[
            {
                "scenario": "big",
                "sheet": "Pledges",
                "key": "A/INF",
                "column": "units",
                "value": "2e6",
            }
        ],
    )
    code, errors = validate(path)
    assert code == 2
    assert errors == [
        f"Scenarios!E2: scenario 'big': units must be at most 1,000,000 ({UNITS}), got '2e6'"
    ]


def test_numbers_at_the_maxima_solve_with_exact_totals(tmp_path: Path) -> None:
    """The largest accepted numbers: every personnel figure is the exact product, never wrapped."""
    path = simple_case(
        tmp_path / "max.xlsx",
        capabilities=[{"capability": "INF", "personnel_per_unit": MAX_UNIT_SIZE}],
        pledges=pledges(units=MAX_UNITS, cost_per_unit=MAX_COST_PER_UNIT),
        requirements=[{"site": "S1", "capability": "INF", "units": MAX_UNITS}],
        caveats=[{"contributor": "A", "caveat": "max_personnel", "value": MAX_CAVEAT_VALUE}],
    )
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out, read_only=True)
    table = list(wb["Contributors"].iter_rows(values_only=True))
    wb.close()
    deployed = {r[0]: r[table[0].index("deployed_personnel")] for r in table[1:]}
    assert sum(deployed.values()) == MAX_UNITS * MAX_UNIT_SIZE  # 1e11, as Python ints


def test_the_declared_maxima_keep_every_total_within_int64() -> None:
    """A full sheet of pledges at the maxima: total personnel still fits in int64 (and the
    largest single product in a float's exact integers)."""
    assert MAX_UNITS * MAX_UNIT_SIZE <= 2**53
    assert EXCEL_ROWS * MAX_UNITS * MAX_UNIT_SIZE < 2**63
    assert PLEDGES.column("units").maximum == MAX_UNITS


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("units", "two", "units must be a whole number >= 0, got 'two'"),
        ("units", -1, "units must be a whole number >= 0, got -1"),
        ("cost_per_unit", "NaN", "cost_per_unit must be a number >= 0, got 'NaN'"),
        # no spreadsheet reads these as numbers: Python's `1_0` (10), a superscript or a
        # fraction NFKC would make digits of
        ("units", "1_0", "units must be a whole number >= 0, got '1_0'"),
        ("units", "²", "units must be a whole number >= 0, got '²'"),
        ("cost_per_unit", "2½", "cost_per_unit must be a number >= 0, got '2½'"),
    ],
)
def test_type_errors_keep_the_contracts_wording(
    tmp_path: Path, column: str, value: object, message: str
) -> None:
    path = simple_case(tmp_path / "t.xlsx", pledges=pledges(**{column: value}))
    code, errors = validate(path)
    assert code == 2
    assert errors[0].endswith(message)


def test_numbers_typed_as_text_are_read_as_a_spreadsheet_reads_them(tmp_path: Path) -> None:
    """`' 12 '`, `1 500`, full-width `１２` and `1e1` are numbers (units 12, 1,500, 12, 10)."""
    for typed, units in ((" 12 ", 12), ("1 500", 1500), ("１２", 12), ("1e1", 10)):
        path = simple_case(tmp_path / "t.xlsx", pledges=pledges(units=typed))
        code, errors = validate(path)
        assert (code, errors) == (0, []), typed
        assert api_units(path) == units


def api_units(path: Path) -> int:
    from solver import api

    return int(api.read(path).pledges["units"].iloc[0])


def test_a_seed_highs_cannot_take_is_refused_at_its_cell(tmp_path: Path) -> None:
    """Before: seed 1e10 was accepted and the solve failed: 'HiGHS rejected option random_seed'."""
    path = simple_case(tmp_path / "seed.xlsx", settings={"seed": 10**10})
    assert validate(path) == (
        2,
        ["Settings!B2: seed must be a whole number from 0 to 2,147,483,647, got 10000000000"],
    )


def test_a_formulas_noise_in_a_whole_number_cell_is_that_whole_number(tmp_path: Path) -> None:
    """`=4.35*100` holds 434.99999999999994 and Excel shows 435: read as 435 (a trial was
    refused `units must be a whole number >= 0, got 434.9999999999999`); 434.5 is no whole
    number, still refused."""
    from solver import api

    path = simple_case(tmp_path / "noise.xlsx", pledges=pledges(units=4.35 * 100))
    assert 4.35 * 100 != 435
    assert int(api.read(path).pledges["units"].iloc[0]) == 435
    path = simple_case(tmp_path / "half.xlsx", pledges=pledges(units=434.5))
    assert validate(path) == (2, ["Pledges!C2: units must be a whole number >= 0, got 434.5"])
    # not relative: a large fraction is no noise (a review: 999999.9995 read as 1,000,000)
    path = simple_case(tmp_path / "large.xlsx", pledges=pledges(units=999999.9995))
    assert validate(path)[0] == 2


def test_tour_and_dwell_months_longer_than_the_horizon_are_read(tmp_path: Path) -> None:
    """`tour_months` 999, a planner's "no limit", and `dwell_months` 999 (never back) are
    contract-valid and read as typed (both were refused: `must be at most 600`)."""
    from solver import api

    periods = [{"period": f"P{m}"} for m in (1, 2, 3)]
    path = simple_case(
        tmp_path / "long.xlsx",
        periods=periods,
        pledges=pledges(tour_months=999, dwell_months=999),
    )
    assert validate(path)[0] == 0
    data = api.read(path, allow_timed=True)
    assert data.pledges.loc[0, ["tour_months", "dwell_months"]].tolist() == [999, 999]


def test_a_period_longer_than_fifty_years_is_read_with_a_warning(tmp_path: Path) -> None:
    """A period's `months` is a "whole number >= 1" (time.md): 601 is read as given, with a
    warning at its cell (it was refused, `must be at most 600`: a time.md audit); a start date
    that would put a period off the calendar is refused at its cell, as before."""
    from solver import api

    path = simple_case(
        tmp_path / "long.xlsx",
        periods=[{"period": "P1", "months": 601, "start": "2027-01-01"}],
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "warning: Periods!B2: months 601 is more than 50 years, longer than any operation; is "
        "the cell right? (read as given)"
    ) in result.output
    assert int(api.read(path, allow_timed=True).periods["months"].iloc[0]) == 601
    # longer than the calendar: read without dates, refused where a start would date it
    path = simple_case(tmp_path / "undated.xlsx", periods=[{"period": "P1", "months": 120_000}])
    assert validate(path)[0] == 0
    path = simple_case(
        tmp_path / "dated.xlsx",
        periods=[{"period": "P1", "months": 120_000, "start": "2027-01-01"}],
    )
    code, said = validate(path)
    assert code == 2 and [line[:11] for line in said] == ["Periods!C2:"]
