"""`Sheet!Cell` references as Excel writes them, and read back.

Every place in a workbook that a message names is written by `address` (`Pledges!E87`,
`Pledges!5:5`; a sheet whose title needs quotes: `' pledges '!E87`) and read back by
`split_address`; a message about a sheet as a whole names it as a reference starts with it
(`Pledges`, `' pledges '`: `sheet_in_reference`), read back by `sheet_of`. Excel leaves a
sheet's title bare in a reference when it is a plain name (a letter or `_`, then letters,
digits, `_` and `.`) that it cannot take for something else (a cell such as `Q1`, an R1C1
address such as `R2C3`, TRUE or FALSE); any other title is put in single quotes, a quote
inside it doubled (`'Bob''s pledges'!A1`). openpyxl's `quote_sheetname` quotes every title,
plain ones too, so it is not used.
"""

from __future__ import annotations

import re

MAX_COLUMN, MAX_ROW = 16_384, 1_048_576  # XFD1048576, Excel's last cell
_PLAIN = re.compile(r"[^\W\d][\w.]*")  # `\w` counts letters of every script, as Excel does
_A1 = re.compile(r"([A-Z]{1,3})(\d+)")
_R1C1 = re.compile(r"R\d*(?:C\d*)?|C\d*")
# a sheet as a reference names it: quoted (a quote inside doubled), or bare (no `!`, no quote,
# no space: a bare name is a plain one). For finding references in text; `split_address`
# reads one reference.
SHEET = r"(?:'(?:[^']|'')+'|[^\W\d][\w.]*)"
_REFERENCE = re.compile(r"'(?P<quoted>(?:[^']|'')+)'!(?P<cell>.*)|(?P<bare>[^'!]+)!(?P<rest>.*)")
_QUOTED_SHEET = re.compile(r"'(?P<quoted>(?:[^']|'')+)'")  # a sheet alone, quoted


def sheet_in_reference(title: str) -> str:
    """The sheet's title as a reference starts with it: bare when Excel writes it so
    (`Pledges`), else quoted (`' pledges '`, `'2027'`, `'Q1'`, `'Bob''s'`). A message about a
    sheet as a whole names it so (`' pledges ': header row not found`); `sheet_of` reads it
    back."""
    if _is_plain(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def address(title: str, cell: str | int) -> str:
    """The reference to `cell` of sheet `title`: `Pledges!E87`, `Pledges!5:5`, `' pledges '!E87`
    (`cell` as Excel writes it after the `!`: a cell, a range, a row)."""
    return f"{sheet_in_reference(title)}!{cell}"


def row_address(title: str, row: int) -> str:
    """The reference to a whole row: `Pledges!5:5`."""
    return address(title, f"{row}:{row}")


def split_address(text: str) -> tuple[str, str] | None:
    """A reference read back: the sheet's title as the workbook has it (quotes taken off, a
    doubled quote as one) and what follows the `!` (`E87`, `5:5`); None when `text` is no
    reference (a sheet's title alone, a file's name). `' a!b '!E5` is sheet ` a!b `, cell E5."""
    found = _REFERENCE.fullmatch(text)
    if found is None:
        return None
    if found["quoted"] is not None:
        return found["quoted"].replace("''", "'"), found["cell"]
    return found["bare"], found["rest"]


def sheet_of(where: str) -> str:
    """The sheet's title a place names: that of its reference (`' pledges '!E87`), or of the
    sheet alone as a reference starts with it (`' pledges '`, `Pledges`: the place of a message
    about the sheet as a whole, `sheet_in_reference`); else the place itself (a file's name)."""
    parts = split_address(where)
    if parts is not None:
        return parts[0]
    alone = _QUOTED_SHEET.fullmatch(where)
    return alone["quoted"].replace("''", "'") if alone is not None else where


def _is_plain(title: str) -> bool:
    """Whether Excel writes `title` bare in a reference."""
    if not _PLAIN.fullmatch(title):
        return False
    upper = title.upper()
    if upper in ("TRUE", "FALSE") or _R1C1.fullmatch(upper):
        return False
    cell = _A1.fullmatch(upper)
    return cell is None or not _within_sheet(cell[1], int(cell[2]))


def _within_sheet(letters: str, row: int) -> bool:
    """Whether column `letters` and `row` name a cell of a sheet (A1 up to XFD1048576)."""
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return 1 <= row <= MAX_ROW and column <= MAX_COLUMN
