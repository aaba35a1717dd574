"""Corpus cases (make_corpus.py): sheets and headers."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from .build import (
    Rows,
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

# --- sheets and headers ---------------------------------------------------------------------------


@case
def xlsm_with_macros(folder: Path) -> Path:
    def types(xml: bytes) -> bytes:
        vba = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        return xml.replace(b"</Types>", vba + b"</Types>")

    edit = {
        "[Content_Types].xml": types,
        "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Attribute VB_Name",
    }
    return put(folder / "macros.xlsm", rezip(workbook_bytes(), edit))


@case
def missing_sheet(folder: Path) -> Path:
    sheets = base_sheets()
    del sheets["Pledges"]
    return write(folder / "no_pledges.xlsx", sheets)


@case
def misspelled_sheet(folder: Path) -> Path:
    sheets = base_sheets()
    sheets["Pledge"] = sheets.pop("Pledges")
    return write(folder / "pledge.xlsx", sheets)


@case
def sheet_names_case_and_spaces(folder: Path) -> Path:
    """' pledges ' and 'SITES': matched case-insensitively, surrounding spaces ignored."""
    sheets = base_sheets()
    sheets[" pledges "] = sheets.pop("Pledges")
    sheets["SITES"] = sheets.pop("Sites")
    return write(folder / "names.xlsx", sheets)


def _pledges_titled(title: str, sheets: dict[str, Rows] | None = None) -> Workbook:
    """The base workbook (or `sheets`) with its Pledges sheet titled `title`."""
    sheets = sheets or base_sheets()
    sheets[title] = sheets.pop("Pledges")
    return build(sheets)


@case
def sheet_title_needs_quotes(folder: Path) -> Path:
    """' pledges ' with a bad cell and a value under no header: each cell named as Excel names
    it, the title in quotes (`' pledges '!C2`); before, ` pledges !C2`."""
    sheets = base_sheets()
    sheets["Pledges"][0]["units"] = "two"
    wb = _pledges_titled(" pledges ", sheets)
    wb[" pledges "]["H3"] = "stray"
    return save(wb, folder / "quoted.xlsx")


@case
def formula_header_on_a_quoted_sheet(folder: Path) -> Path:
    """formula_header on the sheet ' pledges ': the header's formula is said once, at its
    cell, in place of the error at every value below it (each found by its quoted cell,
    `' pledges '!C2`)."""
    wb = _pledges_titled(" pledges ")
    wb[" pledges "]["C1"] = '=LOWER("UNITS")'
    return save(wb, folder / "quoted_formula_header.xlsx")


@case
def missing_required_column(folder: Path) -> Path:
    rows = [{k: v for k, v in r.items() if k != "units"} for r in base_sheets()["Pledges"]]
    return write(folder / "no_units.xlsx", with_sheets(Pledges=rows))


@case
def duplicate_column_header(folder: Path) -> Path:
    wb = build()
    ws = wb["Pledges"]
    ws.cell(1, ws.max_column + 1, "Units ")
    return save(wb, folder / "dup_header.xlsx")


@case
def value_without_header(folder: Path) -> Path:
    wb = build()
    wb["Pledges"]["H3"] = "stray"
    return save(wb, folder / "no_header.xlsx")


@case
def header_below_title_rows(folder: Path) -> Path:
    """Title and blank rows above the header: found in the first 20 rows."""
    wb = build()
    ws = wb["Pledges"]
    ws.insert_rows(1, 3)
    ws["A1"] = "Pledges as of 1 May (draft)"
    return save(wb, folder / "title_rows.xlsx")


@case
def header_not_found(folder: Path) -> Path:
    wb = build()
    ws = wb["Pledges"]
    ws.insert_rows(1, 25)
    ws["A1"] = "Pledges"
    return save(wb, folder / "deep_header.xlsx")


@case
def whole_sheet_messages_on_quoted_sheets(folder: Path) -> Path:
    """Sheets titled ' Contributors ' (hidden), ' Sites ' (a hidden row) and ' pledges ' (its
    header too deep): a message about a sheet as a whole names it as Excel names it in a
    reference, quoted (`' pledges ': header row not found`); before, ` pledges : ...`."""
    sheets = base_sheets()
    for title in (" Contributors ", " Sites ", " pledges "):
        sheets[title] = sheets.pop(title.strip().capitalize())
    wb = build(sheets)
    wb[" Contributors "].sheet_state = "hidden"
    wb[" Sites "].row_dimensions[3].hidden = True
    wb[" pledges "].insert_rows(1, 25)
    wb[" pledges "]["A1"] = "Pledges"
    return save(wb, folder / "quoted_sheets.xlsx")


@case
def merged_cells(folder: Path) -> Path:
    """B and its pledge rows share a merged contributor cell: the lower rows would read blank."""
    sheets = base_sheets()
    sheets["Pledges"].insert(2, {"contributor": "B", "capability": "AIR", "units": 1})
    wb = build(sheets)
    wb["Pledges"].merge_cells("A3:A4")
    return save(wb, folder / "merged.xlsx")


@case
def merged_title_and_blanks(folder: Path) -> Path:
    """A title merged across the top of Pledges (above its header) and two blank cells merged
    beside the table: nothing that is read is merged."""
    wb = build()
    ws = wb["Pledges"]
    ws.insert_rows(1)
    ws["A1"] = "PLEDGES"
    ws.merge_cells("A1:D1")
    ws.merge_cells("G3:H3")
    return save(wb, folder / "merged_title.xlsx")


@case
def hidden_sheet(folder: Path) -> Path:
    wb = build()
    wb["Pledges"].sheet_state = "hidden"
    wb["Caveats"].sheet_state = "veryHidden"
    return save(wb, folder / "hidden_sheet.xlsx")


@case
def hidden_rows(folder: Path) -> Path:
    """C's AIR pledge (row 4) is hidden: it is read, with a warning."""
    wb = build()
    wb["Pledges"].row_dimensions[4].hidden = True
    return save(wb, folder / "hidden_rows.xlsx")


@case
def far_corner_cells(folder: Path) -> Path:
    """A stray value at XFD1048576 on the Pledges sheet and on a sheet forcegen does not read."""
    wb = build()
    wb["Pledges"]["XFD1048576"] = "stray"
    notes = wb.create_sheet("Notes")
    notes["A1"] = "notes"
    notes["XFD1048576"] = "far away"
    return save(wb, folder / "far_corner.xlsx")


@case
def million_styled_blank_rows(folder: Path) -> Path:
    """The Pledges sheet formatted down to row 1,048,576: a styled empty cell in every row (and a
    formula with its cached value in C2, so that the formula check looks at the sheet too)."""
    wb = build()
    wb["Pledges"]["A2"].fill = PatternFill("solid", fgColor="FFFF00")  # style 1 exists
    wb["Pledges"]["C2"] = "=1+2"

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b"<f>1+2</f><v />", b"<f>1+2</f><v>3</v>")
        rows = "".join(f'<row r="{r}"><c r="A{r}" s="1"/></row>' for r in range(5, 1_048_577))
        xml = re.sub(rb"<dimension ref=\"[^\"]*\"", b'<dimension ref="A1:F1048576"', xml)
        return xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")

    return put(folder / "million_rows.xlsx", rezip(workbook_bytes(wb), {sheet_part(5): edit}))


@case
def data_after_blank_run(folder: Path) -> Path:
    """A pledge 10,001 empty rows below the others: read, with a warning naming its row."""
    wb = build()
    ws = wb["Pledges"]
    ws.append([])
    ws.cell(4 + 10_002, 1, "C")
    ws.cell(4 + 10_002, 2, "INF")
    ws.cell(4 + 10_002, 3, 5)
    ws.cell(4 + 10_002, 4, 1)  # the cheapest INF: the plan takes it
    return save(wb, folder / "after_blanks.xlsx")


@case
def blank_rows_between(folder: Path) -> Path:
    wb = build()
    wb["Pledges"].insert_rows(3, 4)
    return save(wb, folder / "blank_rows.xlsx")
