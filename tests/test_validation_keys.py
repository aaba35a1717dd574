"""Bad input, keys: duplicate keys and headers, blank and unreadable ids, a key of two
columns repeating a dropped row; every problem listed as Sheet!Cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api
from solver.errors import InputError

from .validation_case import errors_of, one_site
from .workbooks import simple_case


def test_na_is_a_valid_code_not_a_blank(tmp_path: Path) -> None:
    """pandas would turn the text NA (Namibia) into NaN; forcegen keeps it."""
    path = simple_case(
        tmp_path / "na.xlsx",
        contributors=[{"contributor": "NA"}, {"contributor": "B"}],
        pledges=[{"contributor": "NA", "capability": "INF", "units": 1}],
    )
    data = api.read(path)
    assert "NA" in set(data.contributors["contributor"])
    assert list(data.pledges["contributor"]) == ["NA"]


def test_duplicate_keys_and_headers(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "dup.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "A", "capability": "INF", "units": 2},
        ],
    )
    wb = load_workbook(path)
    wb["Sites"]["G1"] = "Country"
    wb["Sites"]["G2"] = "UKR"  # under the repeated header: not read, no error of its own
    wb.save(path)
    errors = errors_of(path)
    assert any(e.startswith("Pledges!A3: duplicate contributor/capability 'A/INF'") for e in errors)
    assert any(e.startswith("Sites!G1: column 'Country' appears twice") for e in errors)
    # it said `a value under a column without a header` of a column with one (a trial)
    assert not [e for e in errors if e.startswith("Sites!G2")], errors


@pytest.mark.parametrize("blank_first", [True, False])
def test_a_blank_caveat_id_whose_default_is_taken_says_so(
    tmp_path: Path, blank_first: bool
) -> None:
    """A blank caveat id is `C<row number>` (the contract's default): a blank id in row 2
    beside a typed 'C2' in row 3 (or the other way round) is a duplicate, said as the blank
    id's default, not as if the planner had typed 'C2' twice."""
    typed = {"id": "C2" if blank_first else "C3", "contributor": "A", "caveat": "max_units"}
    blank = {"id": None, "contributor": "B", "caveat": "max_units"}
    rows = [blank, typed] if blank_first else [typed, blank]
    path = simple_case(tmp_path / "ids.xlsx", caveats=[r | {"value": 2} for r in rows])
    errors = errors_of(path)
    if blank_first:
        assert errors == [
            "Caveats!A3: duplicate id 'C2': row 2's id is blank, so it is 'C2' by default; "
            "give one of the two rows another id"
        ]
    else:
        assert errors == [
            "Caveats!A3: duplicate id 'C3': this row's id is blank, so it is 'C3' by default, "
            "as row 2's is; give one of the two rows another id"
        ]


@pytest.mark.parametrize("blank_first", [True, False])
def test_a_blank_caveat_id_beside_a_row_with_a_bad_cell_is_still_a_duplicate(
    tmp_path: Path, blank_first: bool
) -> None:
    """As above, but the first row's `value` cell is 'two' (an error, and the row is dropped):
    the second row's id still repeats the first's (its typed 'C2', or the blank id's default
    'C3' beside a typed 'C3'), and every problem is said at once, not the duplicate only after
    the bad cell is mended."""
    typed = {"id": "C2" if blank_first else "C3", "contributor": "A", "caveat": "max_units"}
    blank = {"id": None, "contributor": "B", "caveat": "max_units"}
    first, second = (blank, typed) if blank_first else (typed, blank)
    path = simple_case(
        tmp_path / "ids.xlsx", caveats=[first | {"value": "two"}, second | {"value": 2}]
    )
    errors = errors_of(path)
    assert errors[0] == "Caveats!J2: value must be a number, got 'two'"
    if blank_first:
        assert errors[1:] == [
            "Caveats!A3: duplicate id 'C2': row 2's id is blank, so it is 'C2' by default "
            "(row 2 has an error of its own, said at its cell); give one of the two rows another id"
        ]
    else:
        assert errors[1:] == [
            "Caveats!A3: duplicate id 'C3': this row's id is blank, so it is 'C3' by default, "
            "as row 2's is (row 2 has an error of its own, said at its cell); give one of the two rows "
            "another id"
        ]


def test_a_key_of_two_columns_repeating_a_row_with_a_bad_cell_is_a_duplicate(
    tmp_path: Path,
) -> None:
    """Requirements row 2 (S1/INF, units 'two') and Pledges row 2 (A/INF, units 'x') are
    dropped for their bad cells; the rows 3 repeating their keys are duplicates, said in the
    same run (else they came only once the bad cells were mended)."""
    path = one_site(
        tmp_path / "keys.xlsx",
        [("S1", "two"), ("S1", 1)],
        [{"contributor": "A", "capability": "INF", "units": "x"}],
    )
    assert errors_of(path) == [
        "Requirements!C2: units must be a whole number >= 0, got 'two'",
        "Requirements!A3: duplicate site/capability 'S1/INF' (also at row 2, which has an "
        "error of its own, said at its cell); merge or delete one of the rows",
        "Pledges!C2: units must be a whole number >= 0, got 'x'",
        "Pledges!A3: duplicate contributor/capability 'A/INF' (also at row 2, which has an "
        "error of its own, said at its cell); merge or delete one of the rows",
    ]


def test_a_two_column_key_repeating_a_dropped_row_by_case_is_a_duplicate(
    tmp_path: Path,
) -> None:
    """The dropped row names `s1` (read as S1, as any reference differing by case is): the
    kept S1/INF repeats it."""
    path = one_site(tmp_path / "keys.xlsx", [("s1", "two"), ("S1", 1)])
    assert (
        "Requirements!A3: duplicate site/capability 'S1/INF' (also at row 2, which has an error "
        "of its own, said at its cell); merge or delete one of the rows"
    ) in errors_of(path)


def test_three_rows_of_one_key_after_a_dropped_one_get_one_error_each(tmp_path: Path) -> None:
    """Row 2 dropped (units 'two'), rows 3 and 4 kept, all S1/INF: row 4 got two errors at its
    one cell ("also at row 2" and "first at row 3"); one each now."""
    path = one_site(tmp_path / "keys.xlsx", [("S1", "two"), ("S1", 1), ("S1", 2)])
    errors = errors_of(path)
    assert [e.split(":")[0] for e in errors] == [
        "Requirements!C2",
        "Requirements!A3",
        "Requirements!A4",
    ]


def test_an_unreadable_caveat_id_is_not_read_as_blank(tmp_path: Path) -> None:
    """A dropped row whose id cell is a date is not blank: its id is no default `C<row>`, so a
    row typing that id repeats nothing (the duplicate said would vanish once the date is
    retyped as another id)."""
    path = simple_case(
        tmp_path / "ids.xlsx",
        caveats=[
            {"id": dt.datetime(2027, 1, 1), "contributor": "A", "caveat": "max_units", "value": 2},
            {"id": "C2", "contributor": "B", "caveat": "max_units", "value": 2},
        ],
    )
    assert errors_of(path) == [
        "Caveats!A2: id must be text, got a date/time 2027-01-01; format the cell as text"
    ]


def test_a_sheet_whose_header_lacks_its_key_is_one_error_not_one_per_reference(
    tmp_path: Path,
) -> None:
    """A Contributors header `nation` for `contributor` reads no row, so every pledge would name
    a contributor 'not on the Contributors sheet': a trial got the header's error and 8 more.
    The header's error is the one to fix; the names are checked once it is."""
    path = simple_case(tmp_path / "headless.xlsx")
    wb = load_workbook(path)
    wb["Contributors"]["A1"] = "nation"
    wb.save(path)
    errors = errors_of(path)
    assert errors == [
        "Contributors!1:1: required column 'contributor' is missing (columns found: nation, "
        "name, lat, lon, gdp, status)"
    ]


def test_a_periods_header_without_period_is_one_error_not_one_per_window(tmp_path: Path) -> None:
    """The same for a Periods sheet without its `period` column: no window's `from` or `to` is
    said to be 'not on the Periods sheet' (a trial got 7 such errors beside the header's)."""
    from .time_cases import months, timed_case

    pledges = [{"contributor": "A", "capability": "INF", "units": 1, "from": "P2", "to": "P3"}]
    path = timed_case(tmp_path / "headless.xlsx", periods=months(3), pledges=pledges)
    wb = load_workbook(path)
    wb["Periods"]["A1"] = "Period name"
    wb.save(path)
    errors = errors_of(path)
    assert len(errors) == 1, errors
    assert errors[0].startswith("Periods!1:1: required column 'period' is missing")


def test_a_sheet_whose_header_is_not_found_is_one_error_too(tmp_path: Path) -> None:
    """Every Contributors header renamed: the header row is not found at all (no row read),
    and the pledges naming A and B were each 'not on the Contributors sheet' beside it."""
    path = simple_case(tmp_path / "no_header.xlsx")
    wb = load_workbook(path)
    for cell in wb["Contributors"][1]:
        cell.value = f"x{cell.column}"
    wb.save(path)
    errors = errors_of(path)
    assert len(errors) == 1, errors
    assert errors[0].startswith("Contributors: header row not found")


def test_an_unreadable_optional_sheet_silences_no_caveat_cross_check(tmp_path: Path) -> None:
    """A Baseline header without its `contributor` reads no baseline row; the caveats' checks
    against Sites still run: B's no_weakening, with no site filter and no site of country B,
    is still warned of as having no effect."""
    caveats = [{"id": "N1", "contributor": "B", "caveat": "no_weakening"}]
    baseline = [{"contributor": "A", "capability": "INF", "site": "S1", "units": 1}]
    path = simple_case(tmp_path / "baseline.xlsx", caveats=caveats, baseline=baseline)
    wb = load_workbook(path)
    wb["Baseline"]["A1"] = "nation"
    wb.save(path)
    with pytest.raises(InputError) as raised:
        api.read(path)
    assert [str(e) for e in raised.value.errors] == [
        "Baseline!1:1: required column 'contributor' is missing (columns found: nation, "
        "capability, site, units, from, to, lock)"
    ]
    warned = [str(w) for w in raised.value.warnings]
    assert any("caveat N1 (B no_weakening) has no site filter" in w for w in warned), warned
