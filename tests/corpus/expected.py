"""What each case of the hostile-workbook corpus (make_corpus.py) must give through the CLI:
`Refused` (exit 2, exactly these errors) or `Solved` (exit 0, exactly these warnings, this plan,
and a check of the output). tests/test_corpus.py runs them."""

from __future__ import annotations

from .make_corpus import INJECTION, RTL_CONTRIBUTOR, RTL_SITE, UNICODE_CAPABILITY, UNICODE_SITE
from .outcomes import (
    A_HAS_3,
    Refused,
    Solved,
    check_cycle,
    check_cycle_blocked,
    check_injection,
    check_long_text,
    check_na_keys,
    check_none_binding,
    check_not_binding,
    check_unicode,
)

KINDS = (
    "no_weakening, exclude, only, min_contingent, requires, max_units, max_personnel, "
    "min_units, max_sites, not_with"
)
DAMAGED_SHEET = (
    "Pledges: this sheet cannot be read: the file is damaged or was not written by Excel; open it "
    "in Excel and save it again"
)
ROWS_OUT_OF_ORDER = (
    "Pledges: the file is damaged: the sheet's data has row {row} after row {before} (rows out "
    "of order or repeated, which Excel never writes; some rows would be lost); open it in Excel "
    "and save it again"
)
ENTITIES = "the file contains XML entity declarations, which are refused for safety"
PROPERTIES_DAMAGED = (
    "the workbook's document properties (docProps/core.xml) are damaged and were ignored: they "
    "hold its title, author and dates, none of its data"
)
FAR_ROW = (
    "Pledges!10006:10006: this row follows 10,001 empty rows and is read as part of the table; "
    "delete it if it is a leftover"
)


EXPECTED: dict[str, Refused | Solved] = {
    # --- not a workbook at all
    "missing_path": Refused(("{path}: file not found",)),
    "folder_path": Refused(("{path}: is a folder, not a workbook",)),
    "lock_file": Refused(("~$lock.xlsx: this is Excel's lock file; choose the real workbook",)),
    "empty_file": Refused(("empty.xlsx: the file is empty; re-save or re-download it",)),
    "plain_text": Refused(
        ("notes.xlsx: not an Excel workbook (it looks like plain text or CSV); save it as .xlsx",)
    ),
    "csv_renamed": Refused(
        ("pledges.xlsx: not an Excel workbook (it looks like plain text or CSV); save it as .xlsx",)
    ),
    "lfs_pointer": Refused(
        (
            "coalition.xlsx: not the workbook but a Git LFS pointer to it (the repository keeps "
            "it in Git LFS): run `git lfs pull`, or in CI check out with LFS files "
            "(actions/checkout's `lfs: true`)",
        )
    ),
    "csv_file": Refused(
        ("pledges.csv: not an Excel workbook (it looks like plain text or CSV); save it as .xlsx",)
    ),
    "html_renamed": Refused(
        ("export.xlsx: not an Excel workbook (it looks like HTML or XML text); save it as .xlsx",)
    ),
    "random_bytes": Refused(
        ("noise.xlsx: not an Excel workbook (unrecognised content); save it as .xlsx",)
    ),
    "truncated_zip": Refused(
        ("truncated.xlsx: the file is damaged or truncated (not a complete .xlsx); re-save it",)
    ),
    "legacy_xls": Refused(
        (
            "old.xlsx: this is a legacy .xls workbook (Excel 97-2003); open it in Excel and use "
            "File > Save As > Excel Workbook (.xlsx)",
        )
    ),
    "password_protected": Refused(
        (
            "secret.xlsx: the workbook is password-protected (encrypted), so it cannot be read; in "
            "Excel remove the password (File > Info > Protect Workbook > Encrypt with Password, "
            "clear it) and save, or save an unprotected copy",
        )
    ),
    "ods_renamed": Refused(
        ("calc.xlsx: this looks like an OpenDocument (.ods) file; save it as .xlsx",)
    ),
    "xlsb_renamed": Refused(("binary.xlsx: this is a binary .xlsb workbook; save it as .xlsx",)),
    "docx_renamed": Refused(
        ("letter.xlsx: a zip file but not an Excel workbook; save it as .xlsx",)
    ),
    "missing_part": Refused(
        (
            "missing_part.xlsx: the file is damaged: sheet 'Pledges' is listed but its data is "
            "missing; open it in Excel, let Excel repair it, and save it",
        )
    ),
    "missing_optional_part": Refused(
        (
            "lost_caveats.xlsx: the file is damaged: sheet 'Caveats' is listed but its data is "
            "missing; open it in Excel, let Excel repair it, and save it",
        )
    ),
    "corrupt_sheet_data": Refused(
        ("corrupt.xlsx: the file is damaged (not a complete .xlsx); re-save or re-download it",)
    ),
    "bad_number_in_xml": Refused((DAMAGED_SHEET,)),
    "bad_cell_reference": Refused((DAMAGED_SHEET,)),
    "shared_string_out_of_range": Refused((DAMAGED_SHEET,)),
    "rows_out_of_order": Refused((ROWS_OUT_OF_ORDER.format(row=4, before=200),)),
    "row_repeated": Refused((ROWS_OUT_OF_ORDER.format(row=2, before=2),)),
    "header_row_out_of_order": Refused((ROWS_OUT_OF_ORDER.format(row=2, before=5),)),
    "malformed_sheet_xml": Refused((DAMAGED_SHEET,)),
    "forged_small_size": Refused(
        (
            "forged_small.xlsx: the file is damaged (not a complete .xlsx); re-save or "
            "re-download it",
        )
    ),
    # --- damaged document properties: read, with a warning (before: "cannot be opened")
    "properties_damaged": Solved((f"props.xlsx: {PROPERTIES_DAMAGED}",)),
    "properties_bad_date": Solved((f"props_date.xlsx: {PROPERTIES_DAMAGED}",)),
    "properties_crc_error": Solved((f"props_crc.xlsx: {PROPERTIES_DAMAGED}",)),
    "app_properties_damaged": Solved(
        (
            "app.xlsx: the workbook's application properties (docProps/app.xml) are damaged and "
            "were ignored: they hold the name of the program that saved it, none of its data",
        )
    ),
    "custom_properties_damaged": Solved(
        (
            "custom.xlsx: the workbook's custom document properties (docProps/custom.xml) are "
            "damaged and were ignored: they hold names and values added to it by hand, none of "
            "its data",
        )
    ),
    "properties_missing": Solved(),
    # --- hostile containers
    "billion_laughs": Refused((f"laughs.xlsx: {ENTITIES}",)),
    "external_entity": Refused((f"xxe.xlsx: {ENTITIES}",)),
    "entity_in_workbook_part": Refused((f"entity_wb.xlsx: {ENTITIES}",)),
    "entity_in_properties": Refused((f"entity_props.xlsx: {ENTITIES}",)),
    "zip_bomb": Refused(
        (
            "bomb.xlsx: part xl/worksheets/sheet5.xml would inflate 1003-fold to 20 MiB (limit "
            "200-fold): refused as a possible zip bomb; if the workbook is genuine, delete the "
            "unused rows and columns (Ctrl+End shows the last used cell) and save it again",
        )
    ),
    "zip_declared_huge": Refused(
        (
            "declared_huge.xlsx: xl/worksheets/sheet5.xml would inflate to 600 MiB (limit 512 "
            "MiB): refused; delete unused cells or split the workbook",
        )
    ),
    "zip_many_parts": Refused(
        (
            "many_parts.xlsx: the workbook has 10015 parts (limit 10000): refused as a possible "
            "zip bomb; a genuine workbook has far fewer, so open it in Excel and save it again, "
            "or copy the sheets into a new workbook",
        )
    ),
    # --- sheets and headers
    "xlsm_with_macros": Solved(
        ("macros.xlsm: the workbook contains macros; they were ignored (never run)",)
    ),
    "missing_sheet": Refused(
        (
            "no_pledges.xlsx: sheet 'Pledges' is missing (sheets found: Contributors, "
            "Capabilities, Sites, Requirements, Caveats); `forcegen template NEW.xlsx` writes "
            "every sheet with its columns",
        )
    ),
    "misspelled_sheet": Refused(
        (
            "pledge.xlsx: sheet 'Pledges' is missing (sheets found: Contributors, Capabilities, "
            "Sites, Requirements, Caveats, Pledge) (did you mean 'Pledge'?)",
        )
    ),
    "sheet_names_case_and_spaces": Solved(),
    # a sheet's title in quotes where Excel quotes it in a reference; before, ` pledges !C2`
    "sheet_title_needs_quotes": Refused(
        (
            "' pledges '!C2: units must be a whole number >= 0, got 'two'",
            "' pledges '!H3: a value under a column without a header; add a header or delete it",
        )
    ),
    "formula_header_on_a_quoted_sheet": Refused(
        (
            "' pledges '!1:1: required column 'units' is missing (columns found: contributor, "
            "capability, cost_per_unit)",
            "' pledges '!C1: the header is formula =LOWER(\"UNITS\") with no calculated value "
            "(the file was written by a program, not Excel); type the column's name",
        )
    ),
    "missing_required_column": Refused(
        (
            "Pledges!1:1: required column 'units' is missing (columns found: contributor, "
            "capability, cost_per_unit)",
        )
    ),
    "duplicate_column_header": Refused(
        ("Pledges!E1: column 'Units ' appears twice (also in column C); delete or rename one",)
    ),
    "value_without_header": Refused(
        ("Pledges!H3: a value under a column without a header; add a header or delete it",)
    ),
    "header_below_title_rows": Solved(),
    "header_not_found": Refused(
        (
            "Pledges: header row not found in the first 20 rows (expected column names such as "
            "contributor, capability, units); put the column names in one row within the first "
            "20 rows (delete title rows above them)",
        )
    ),
    # a sheet as a whole named as a reference starts with it; before, ` pledges : header ...`
    "whole_sheet_messages_on_quoted_sheets": Refused(
        (
            "' pledges ': header row not found in the first 20 rows (expected column names such "
            "as contributor, capability, units); put the column names in one row within the "
            "first 20 rows (delete title rows above them)",
        ),
        (
            "' Contributors ': this sheet is hidden in Excel; it is read like a visible one "
            "(unhide it to check it, or delete it if it is not meant to count)",
            "' Sites ': hidden rows 3 are read like visible ones (unhide them to check them, or "
            "delete the rows that are not meant to count)",
        ),
    ),
    "merged_cells": Refused(
        (
            "Pledges!A3:A4: merged cells; unmerge them and fill every cell (merged cells read as "
            "blanks)",
            "Pledges!A4: contributor is required; fill in the cell",
        )
    ),
    "merged_title_and_blanks": Solved(),
    "hidden_sheet": Solved(
        (
            "Pledges: this sheet is hidden in Excel; it is read like a visible one (unhide it to "
            "check it, or delete it if it is not meant to count)",
            "Caveats: this sheet is hidden in Excel; it is read like a visible one (unhide it to "
            "check it, or delete it if it is not meant to count)",
        )
    ),
    "hidden_rows": Solved(
        (
            "Pledges: hidden rows 4 are read like visible ones (unhide them to check them, or "
            "delete the rows that are not meant to count)",
        )
    ),
    # a cell far below in no column of the table is not read; nothing below styled rows
    "far_corner_cells": Solved(),
    "million_styled_blank_rows": Solved(plan=A_HAS_3),
    "data_after_blank_run": Solved(
        (FAR_ROW,), plan={("C", "AIR", "S1"): 1, ("C", "INF", "S1"): 2, ("C", "INF", "S2"): 1}
    ),
    "blank_rows_between": Solved(),
    # --- keys and values
    "keys_trailing_spaces": Solved(
        (
            "Pledges!A2: contributor 'A ' has extra spaces or special characters; read as 'A' "
            "(retype it to silence this warning)",
            "Pledges!B3: capability ' INF<U+00A0 NO-BREAK SPACE>' has extra spaces or special "
            "characters; read as 'INF' (retype it to silence this warning)",
        )
    ),
    "keys_case_differs": Solved(
        (
            "Pledges!A2: contributor 'a' taken as 'A' (case differs; write 'A' to silence this "
            "warning)",
            "Pledges!B4: capability 'Air' taken as 'AIR' (case differs; write 'AIR' to silence "
            "this warning)",
        )
    ),
    "unknown_key": Refused(
        ("Pledges!B3: capability 'INF_X' is not on the Capabilities sheet (did you mean 'INF'?)",)
    ),
    "duplicate_key_rows": Refused(
        (
            "Pledges!A5: duplicate contributor/capability 'A/INF' (first at row 2); merge or "
            "delete one of the rows",
        )
    ),
    "numbers_as_text": Solved(
        (  # read, and said: a planner's own sums of the sheet skip such cells
            "Pledges!C2: units '3' is a number typed as text; read as a number, but Excel's "
            "sums and pivot tables skip such cells: retype them as numbers",
            "Pledges!D3: cost_per_unit ' 1 000 ' is a number typed as text; read as a number, "
            "but Excel's sums and pivot tables skip such cells: retype them as numbers",
        ),
        plan=A_HAS_3,
    ),
    "text_in_number": Refused(("Pledges!C2: units must be a whole number >= 0, got 'two'",)),
    "date_in_number": Refused(
        (
            "Pledges!C2: units must be a whole number >= 0, got the date/time 2024-03-01; format "
            "the cell as Number (Excel turned the entry into a date) and type the value again",
        )
    ),
    "boolean_in_number": Refused(
        (
            "Requirements!C2: units must be a whole number >= 0, got TRUE (a yes/no value); type "
            "the number",
        )
    ),
    "negative_units": Refused(("Pledges!C3: units must be a whole number >= 0, got -1",)),
    "fractional_units": Refused(("Requirements!C4: units must be a whole number >= 0, got 1.5",)),
    "nan_and_inf": Refused(
        (
            "Requirements!E2: weight must be a number > 0, got inf",
            "Pledges!D2: cost_per_unit must be a number >= 0, got 'NaN'",
        )
    ),
    "huge_setting": Refused(
        (
            "Settings!B2: time_limit must be a number >= 0 of at most 1,000,000,000,000,000 in "
            "size (a larger one is taken for a slip), got 1e+300",
        )
    ),
    "huge_number": Refused(
        (
            "Pledges!C2: units must be at most 1,000,000 (more than any coalition fields; is the "
            "cell right?), got 1e+308",
        )
    ),
    "error_cell": Refused(
        ("Pledges!D2: Excel error value #DIV/0!; fix the formula or type the value",)
    ),
    "formula_without_value": Refused(
        (
            "Pledges!C2: formula =1+1 has no calculated value (the file was written by a "
            "program, not Excel); open and save it in Excel, or type the value",
        )
    ),
    "formula_with_cached_value": Solved(plan=A_HAS_3),
    # before: ignored with a warning, and the pledges' costs with it
    "header_with_spaces": Solved(("Pledges!D1: column 'Cost per unit' is read as cost_per_unit",)),
    # before: also "formula =1/0 has no calculated value", which it has
    "formula_with_cached_error": Refused(
        ("Pledges!C2: Excel error value #DIV/0!; fix the formula or type the value",)
    ),
    # before: an error at every value below it, and none at the header
    "formula_header": Refused(
        (
            "Pledges!1:1: required column 'units' is missing (columns found: contributor, "
            "capability, cost_per_unit)",
            'Pledges!C1: the header is formula =LOWER("UNITS") with no calculated value (the '
            "file was written by a program, not Excel); type the column's name",
        )
    ),
    "na_like_keys": Solved(
        plan={("NA", "INF", "S1"): 2, ("None", "INF", "S2"): 1, ("C", "AIR", "S1"): 1},
        check=check_na_keys,
    ),
    # --- caveats
    "unknown_caveat_kind": Refused(
        (f"Caveats!C2: caveat must be one of {KINDS}, got 'exlude' (did you mean 'exclude'?)",)
    ),
    "impossible_filter": Solved(
        (  # in workbook order (row, then column), as errors are listed
            "Caveats!E2: category 'naval' matches nothing on the Capabilities sheet (known: air, "
            "ground); the caveat applies to no allocation",
            "Caveats!G3: zone 'Front ' has extra spaces or special characters; read as 'Front' "
            "(retype it to silence this warning)",
            "Caveats!G3: zone 'Front' taken as 'front' (case differs; write 'front' to silence "
            "this warning)",
            "Caveats!H4: country 'ZZ' matches nothing on the Sites sheet (known: X, Y); the "
            "caveat applies to no allocation",
        ),
        check=check_none_binding,
    ),
    "filters_match_nothing_together": Solved(check=check_not_binding),
    "requires_self": Solved(check=check_not_binding),
    "requires_cycle": Solved(check=check_cycle),
    "requires_cycle_blocked": Solved(plan={("C", "AIR", "S1"): 1}, check=check_cycle_blocked),
    "caveat_bad_value": Refused(("Caveats!J2: value must be a number, got 'lots'",)),
    # --- text that must survive
    "unicode_and_rtl": Solved(
        plan={
            ("A", "INF", UNICODE_SITE): 2,
            ("B", "INF", RTL_SITE): 1,
            (RTL_CONTRIBUTOR, UNICODE_CAPABILITY, UNICODE_SITE): 1,
        },
        check=check_unicode,
    ),
    "long_text_cells": Solved(check=check_long_text),
    "formula_injection": Solved(
        plan={(INJECTION, "INF", "S1"): 2, ("B", "INF", "-S2"): 1, ("C", "@AIR", "S1"): 1},
        check=check_injection,
        args=("--scenario", INJECTION),
    ),
}
