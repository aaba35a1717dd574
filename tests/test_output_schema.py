"""The output sheets' columns, declared once (solver/io/output_schema.py): the contract's
columns are there, in its order (workbook.md "Output workbook", time.md "Output",
replanning.md "Output", written out by hand below); a column name has one kind wherever it
appears; a writer that drifts from its declaration is stopped as it writes; and what a solve
writes is what is declared."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api
from solver.io import output_schema as schema
from solver.outputs.load import KEYS, NUMERIC_OF, PERIOD_COLUMNS, load_output

from .time_cases import months, timed_case
from .workbooks import simple_case

# the contract's columns of each sheet, as its text lists them
CONTRACT = {
    (False, "Allocation"): ["contributor", "capability", "site", "units", "personnel"],
    (False, "Coverage"): [
        "site",
        "capability",
        "required",
        "allocated",
        "shortfall",
        "priority",
        "hard",
    ],
    (False, "Contributors"): [
        "contributor",
        "pledged_units",
        "deployed_units",
        "deployed_personnel",
        "sites",
    ],
    (True, "Tours"): [
        "contributor",
        "capability",
        "site",
        "from",
        "to",
        "months",
        "units",
        "personnel",
    ],
    (True, "Allocation"): ["contributor", "capability", "site", "period", "units", "personnel"],
    (True, "Coverage"): ["site", "capability", "period", "required", "allocated", "shortfall"],
    (True, "Sustainability"): [
        "site",
        "capability",
        "priority",
        "periods_active",
        "periods_short",
        "unit_months_short",
        "first_short",
        "sustained_until",
    ],
}


@pytest.mark.parametrize(("timed", "sheet"), sorted(CONTRACT))
def test_the_contracts_columns_are_declared_in_its_order(timed: bool, sheet: str) -> None:
    declared = schema.declared(sheet, timed)
    assert declared is not None
    names = declared.names
    assert set(CONTRACT[(timed, sheet)]) <= set(names)
    in_order = [n for n in names if n in CONTRACT[(timed, sheet)]]
    assert in_order == CONTRACT[(timed, sheet)]


def test_a_column_has_one_kind_wherever_it_appears() -> None:
    kinds: dict[str, set[str]] = {}
    for sheet in (*schema.SNAPSHOT_SHEETS, *schema.TIMED_SHEETS):
        for name, kind in sheet.columns:
            kinds.setdefault(name, set()).add(kind)
    assert {name: k for name, k in kinds.items() if len(k) > 1} == {}


def test_the_readers_kinds_come_from_the_declarations() -> None:
    """By hand: numbers the readers coerced before the schema, and those it added (a timed
    Contributors' unit_months, which compare sums, was read as text); a sheet not declared
    (Caveats: the input's columns and a planner's own) reads no column as a number."""
    assert {"required", "allocated", "shortfall"} <= NUMERIC_OF["Coverage"]
    assert {"unit_months_short", "periods_active"} <= NUMERIC_OF["Sustainability"]
    assert {"unit_months", "dwell_unit_months", "deploy_to_dwell", "tours", "gdp"} <= NUMERIC_OF[
        "Contributors"
    ]
    assert "Caveats" not in NUMERIC_OF
    assert set(PERIOD_COLUMNS) == {"period", "from", "to", "first_short", "sustained_until"}
    assert {"contributor", "capability", "site", "period"} <= set(KEYS)
    assert not set().union(*NUMERIC_OF.values()) & set(KEYS)


def test_a_planners_caveat_column_named_like_a_number_stays_text(tmp_path: Path) -> None:
    """A Caveats column `change` (a planner's change-request reference, copied to the output)
    reads as typed, `CR-2`, not as a number (a review: it read as NaN once the readers took
    every declared number column by name on every sheet)."""
    source = simple_case(
        tmp_path / "c.xlsx",
        caveats=[
            {"id": "C1", "contributor": "A", "caveat": "max_units", "value": 1, "change": "CR-2"}
        ],
    )
    out = api.write(api.solve(source), tmp_path / "plan.xlsx")
    caveats = load_output(out).sheets["Caveats"]
    assert caveats["change"].tolist() == ["CR-2"]


def test_a_writer_that_drifts_is_stopped() -> None:
    tours = schema.TOURS.names
    schema.check_written("Tours", [*tours, "start_date", "end_date"], timed=True)
    schema.check_written("Tours.2", tours, timed=True)
    schema.check_written("Contributors", [*schema.CONTRIBUTORS.names, "gdp"], timed=False)
    schema.check_written("Matrix", ["site", "INF"], timed=False)  # not declared: not checked
    for wrong in ([*tours, "note"], tours[::-1], tours[:-1]):
        with pytest.raises(ValueError, match="the Tours sheet would be written with"):
            schema.check_written("Tours", wrong, timed=True)
    with pytest.raises(ValueError):
        schema.check_written("Allocation", schema.ALLOCATION.names, timed=True)  # a snapshot's


def _headers(path: Path) -> dict[str, list[str]]:
    book = load_workbook(path, read_only=True)
    try:
        return {
            name: [str(c) for c in next(book[name].iter_rows(max_row=1, values_only=True))]
            for name in book.sheetnames
            if schema.declared(name, "Tours" in book.sheetnames) is not None
        }
    finally:
        book.close()


def test_what_a_solve_writes_is_declared(tmp_path: Path) -> None:
    """A snapshot and a timed output, each re-planned against itself (Asks, Changes): every
    declared sheet they hold has the declared columns (Tours without dates here: the periods
    have none; Contributors then the input's own columns)."""
    for timed, source in (
        (False, simple_case(tmp_path / "s.xlsx")),
        (True, timed_case(tmp_path / "t.xlsx", periods=months(3))),
    ):
        first = api.write(api.solve(source), tmp_path / f"{source.stem}-plan.xlsx")
        again = api.write(
            api.solve(source, baseline=first), tmp_path / f"{source.stem}-replan.xlsx"
        )
        headers = _headers(again)
        assert {"Allocation", "Coverage", "Contributors", "Asks", "Changes"} <= set(headers)
        for name, columns in headers.items():
            declared = schema.declared(name, timed)
            assert declared is not None
            assert columns[: len(declared.names)] == declared.names, name
            assert declared.more or columns == declared.names, name


def test_a_row_the_declaration_does_not_fit_is_refused_as_it_is_built() -> None:
    """An output table is built from its declaration: a row lacking a declared column (it was
    written blank) or with one undeclared (it was dropped) raises; rows that fit give the
    declared columns in order, whatever order their keys are in."""
    import pytest

    from solver.io.output_schema import BURDEN

    row = {name: 1 for name in reversed(BURDEN.names)}
    assert list(BURDEN.table([row]).columns) == BURDEN.names
    lacking = {k: v for k, v in row.items() if k != "dwell_units"}
    with pytest.raises(ValueError, match=r"lacks \['dwell_units'\]"):
        BURDEN.table([lacking])
    with pytest.raises(ValueError, match=r"has \['share'\] undeclared"):
        BURDEN.table([{**row, "share": 0.5}])
