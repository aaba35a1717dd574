"""Corpus cases (make_corpus.py): keys and values, caveats, and text that must survive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .build import (
    INJECTION,
    LONG_TEXT,
    OVERLONG_TEXT,
    RTL_CONTRIBUTOR,
    RTL_SITE,
    UNICODE_CAPABILITY,
    UNICODE_SITE,
    _caveats,
    base_sheets,
    build,
    case,
    put,
    rezip,
    save,
    sheet_part,
    with_sheets,
    workbook_bytes,
    write,
)

# --- keys and values ------------------------------------------------------------------------------


@case
def keys_trailing_spaces(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["contributor"] = "A "
    pledges[1]["capability"] = " INF\u00a0"
    return write(folder / "spaces.xlsx", with_sheets(Pledges=pledges))


@case
def keys_case_differs(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["contributor"] = "a"
    pledges[2]["capability"] = "Air"
    return write(folder / "case.xlsx", with_sheets(Pledges=pledges))


@case
def unknown_key(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[1]["capability"] = "INF_X"
    return write(folder / "unknown_key.xlsx", with_sheets(Pledges=pledges))


@case
def duplicate_key_rows(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges.append({"contributor": "A", "capability": "INF", "units": 1})
    return write(folder / "dup_key.xlsx", with_sheets(Pledges=pledges))


@case
def numbers_as_text(folder: Path) -> Path:
    """'3' typed as text: read as the number 3; ' 1 000 ' too (spaces as thousands separators)."""
    pledges = base_sheets()["Pledges"]
    pledges[0]["units"] = "3"
    pledges[1]["cost_per_unit"] = " 1 000 "
    return write(folder / "text_numbers.xlsx", with_sheets(Pledges=pledges))


@case
def text_in_number(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["units"] = "two"
    return write(folder / "two.xlsx", with_sheets(Pledges=pledges))


@case
def date_in_number(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["units"] = dt.datetime(2024, 3, 1)
    return write(folder / "date.xlsx", with_sheets(Pledges=pledges))


@case
def boolean_in_number(folder: Path) -> Path:
    reqs = base_sheets()["Requirements"]
    reqs[0]["units"] = True
    return write(folder / "bool.xlsx", with_sheets(Requirements=reqs))


@case
def negative_units(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[1]["units"] = -1
    return write(folder / "negative.xlsx", with_sheets(Pledges=pledges))


@case
def fractional_units(folder: Path) -> Path:
    reqs = base_sheets()["Requirements"]
    reqs[2]["units"] = 1.5
    return write(folder / "fraction.xlsx", with_sheets(Requirements=reqs))


@case
def nan_and_inf(folder: Path) -> Path:
    """'NaN' typed as text, and an infinite number stored in the file."""
    pledges = base_sheets()["Pledges"]
    pledges[0]["cost_per_unit"] = "NaN"
    reqs = base_sheets()["Requirements"]
    reqs[0]["weight"] = 1
    wb = build(with_sheets(Pledges=pledges, Requirements=reqs))
    edit = {
        sheet_part(4): lambda x: x.replace(b'<c r="E2" t="n"><v>1</v>', b'<c r="E2"><v>1e999</v>')
    }
    return put(folder / "nan.xlsx", rezip(workbook_bytes(wb), edit))


@case
def huge_setting(folder: Path) -> Path:
    """A time limit of 1e300 seconds: it is >= 0, so the error must say what is wrong with it
    (it said 'must be a number >= 0, got 1e+300')."""
    settings = [{"setting": "time_limit", "value": 1e300}]
    return write(folder / "huge_setting.xlsx", with_sheets(Settings=settings))


@case
def huge_number(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["units"] = 1e308
    return write(folder / "huge.xlsx", with_sheets(Pledges=pledges))


@case
def error_cell(folder: Path) -> Path:
    wb = build()
    wb["Pledges"]["D2"] = "#DIV/0!"
    return save(wb, folder / "div0.xlsx")


@case
def formula_without_value(folder: Path) -> Path:
    wb = build()
    wb["Pledges"]["C2"] = "=1+1"
    return save(wb, folder / "formula.xlsx")


@case
def formula_with_cached_value(folder: Path) -> Path:
    """A formula with the value Excel calculated: the value is read."""
    wb = build()
    wb["Pledges"]["C2"] = "=1+2"
    data = rezip(
        workbook_bytes(wb),
        {sheet_part(5): lambda x: x.replace(b"<f>1+2</f><v />", b"<f>1+2</f><v>3</v>")},
    )
    return put(folder / "formula_cached.xlsx", data)


@case
def header_with_spaces(folder: Path) -> Path:
    """`Cost per unit` for cost_per_unit: read as it, with a warning (the costs count)."""
    wb = build()
    wb["Pledges"]["D1"] = "Cost per unit"
    return save(wb, folder / "header_spaces.xlsx")


@case
def formula_with_cached_error(folder: Path) -> Path:
    """=1/0 as Excel saves it (its cached value the error #DIV/0!): one error, at its cell."""
    wb = build()
    wb["Pledges"]["C2"] = "=1/0"
    data = rezip(
        workbook_bytes(wb),
        {
            sheet_part(5): lambda x: x.replace(
                b'<c r="C2"><f>1/0</f><v /></c>', b'<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
            )
        },
    )
    return put(folder / "formula_error.xlsx", data)


@case
def formula_header(folder: Path) -> Path:
    """The units header a formula with no calculated value: one error, at the header."""
    wb = build()
    wb["Pledges"]["C1"] = '=LOWER("UNITS")'
    return save(wb, folder / "formula_header.xlsx")


@case
def na_like_keys(folder: Path) -> Path:
    """'NA' (Namibia) and 'None' are contributor codes, never missing values."""
    sheets = base_sheets()
    sheets["Contributors"][0]["contributor"] = "NA"
    sheets["Contributors"][1]["contributor"] = "None"
    sheets["Pledges"][0]["contributor"] = "NA"
    sheets["Pledges"][1]["contributor"] = "None"
    return write(folder / "na.xlsx", sheets)


# --- caveats --------------------------------------------------------------------------------------


@case
def unknown_caveat_kind(folder: Path) -> Path:
    sheets = _caveats({"contributor": "A", "caveat": "exlude", "country": "X"})
    return write(folder / "kind.xlsx", sheets)


@case
def impossible_filter(folder: Path) -> Path:
    sheets = _caveats(
        {"contributor": "A", "caveat": "exclude", "category": "naval"},
        {"contributor": "B", "caveat": "exclude", "zone": "Front "},
        {"contributor": "B", "caveat": "exclude", "country": "ZZ"},
    )
    return write(folder / "filters.xlsx", sheets)


@case
def filters_match_nothing_together(folder: Path) -> Path:
    """capability INF and category air: each exists, together they match nothing (legal)."""
    sheets = _caveats(
        {"contributor": "A", "caveat": "exclude", "capability": "INF", "category": "air"}
    )
    return write(folder / "empty_filter.xlsx", sheets)


@case
def requires_self(folder: Path) -> Path:
    return write(
        folder / "self.xlsx", _caveats({"contributor": "A", "caveat": "requires", "other": "A"})
    )


@case
def requires_cycle(folder: Path) -> Path:
    """A requires B, B requires A: both deploy (each is needed)."""
    sheets = _caveats(
        {"contributor": "A", "caveat": "requires", "other": "B"},
        {"contributor": "B", "caveat": "requires", "other": "A"},
    )
    return write(folder / "cycle.xlsx", sheets)


@case
def requires_cycle_blocked(folder: Path) -> Path:
    """A requires B, B requires A, and B may send nothing to S1 or S2 but only to S2 with a cap
    of 0 units: B cannot deploy, so neither does A."""
    sheets = _caveats(
        {"contributor": "A", "caveat": "requires", "other": "B"},
        {"contributor": "B", "caveat": "requires", "other": "A"},
        {"contributor": "B", "caveat": "max_units", "value": 0},
    )
    return write(folder / "cycle_blocked.xlsx", sheets)


@case
def caveat_bad_value(folder: Path) -> Path:
    sheets = _caveats({"contributor": "A", "caveat": "max_units", "value": "lots"})
    return write(folder / "caveat_value.xlsx", sheets)


# --- text that must survive -----------------------------------------------------------------------


@case
def unicode_and_rtl(folder: Path) -> Path:
    sheets = base_sheets()
    sheets["Contributors"][2]["contributor"] = RTL_CONTRIBUTOR
    sheets["Contributors"][2]["name"] = "جمهورية مصر العربية"
    sheets["Capabilities"][1]["capability"] = UNICODE_CAPABILITY
    sheets["Sites"][0]["site"] = UNICODE_SITE
    sheets["Sites"][1]["site"] = RTL_SITE
    for row in sheets["Requirements"]:
        row["site"] = {"S1": UNICODE_SITE, "S2": RTL_SITE}[row["site"]]
        row["capability"] = row["capability"].replace("AIR", UNICODE_CAPABILITY)
    sheets["Pledges"][2].update(contributor=RTL_CONTRIBUTOR, capability=UNICODE_CAPABILITY)
    return write(folder / "unicode.xlsx", sheets)


@case
def long_text_cells(folder: Path) -> Path:
    """A 32,767-character name (Excel's limit) and a 40,000-character caveat note."""
    sheets = _caveats(
        {"contributor": "A", "caveat": "max_units", "value": 5, "note": OVERLONG_TEXT}
    )
    sheets["Contributors"][0]["name"] = LONG_TEXT
    return write(folder / "long.xlsx", sheets)


@case
def formula_injection(folder: Path) -> Path:
    """Text that spreadsheets would run as a formula, as keys and names (typed as text).

    The contributor, a capability, a site and a scenario are named `=HYPERLINK(...)`-style texts,
    and the capability is short, so each of the output sheets holds one of them.
    """
    sheets = base_sheets()
    sheets["Contributors"][0].update(contributor=INJECTION, name="+SUM(1,2)")
    sheets["Contributors"][1]["name"] = "\t-2+3"  # free text: kept exactly, tab included
    sheets["Capabilities"][1]["capability"] = "@AIR"
    sheets["Sites"][1]["site"] = "-S2"
    sheets["Requirements"][1].update(capability="@AIR", units=2)
    sheets["Requirements"][2]["site"] = "-S2"
    sheets["Pledges"][0]["contributor"] = INJECTION
    sheets["Pledges"][2]["capability"] = "@AIR"
    sheets["Pledges"].append({"contributor": INJECTION, "capability": "@AIR", "units": 0})
    sheets["Caveats"] = [
        {"contributor": INJECTION, "caveat": "max_units", "value": 9, "note": "=1+1"}
    ]
    sheets["Scenarios"] = [
        {"scenario": INJECTION, "sheet": "Pledges", "key": "B/INF", "column": "units", "value": 2}
    ]
    wb = build(sheets)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    cell.data_type = "s"  # as a planner types it: text, not a formula
    return save(wb, folder / "injection.xlsx")
