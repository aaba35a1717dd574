"""How text cells are read: keys normalised and checked, free text kept exactly as typed.

The policy (also in docs/workbook.md, "Keys and text"):

- A *key* or any text forcegen compares (contributor, capability, site, caveat id, category,
  zone, country, setting and scenario names) is normalised: Unicode NFKC (full-width `ＦＲＡ`
  reads `FRA`, a no-break space a space), every invisible format character removed (Unicode
  category Cf: zero-width space/joiner/non-joiner, soft hyphen, LRM/RLM and the other bidi
  controls, byte-order mark...), surrounding white space trimmed. A key that changed is read
  with a warning. A control character left inside (carriage return, line feed, tab...) is
  refused: a key is one line of text.
- Two keys that differ only by look-alike letters of other scripts (Cyrillic `А`, Greek `Α`
  beside Latin `A`) are two keys, with a warning naming both cells.
- *Free text* (a contributor's name, a description, a note) is kept exactly as typed.

Messages show what cannot be seen: `'A<U+200F RIGHT-TO-LEFT MARK>'`.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from ..data import is_blank
from ..wording import cells_text, count

if TYPE_CHECKING:
    import pandas as pd

    from ..errors import Issues
    from .schema import Sheet


def clean_key(value: Any) -> str:
    """A key as compared and stored: NFKC, format characters (Cf) removed, spaces trimmed."""
    text = _as_text(value)
    if text.isascii():  # the common case: NFKC and format characters concern non-ASCII only
        return text.strip()
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf").strip()


# Dashes a word processor or a keyboard layout types for a hyphen (U+2010..U+2015, U+2212
# MINUS SIGN): in a period key (`2027–06` pasted from a document) they read as `-`.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def clean_period_key(value: Any) -> str:
    """A period key as compared and stored: `clean_key`, every dash read as a hyphen. Period
    names are dates or codes (`2027-06`, `2027-Q3`, `M01`), where a dash can only mean one."""
    return clean_key(value).translate(_DASHES)


def verbatim(value: Any) -> str:
    """Free text exactly as typed (a whole number typed in a text column reads without `.0`)."""
    return _as_text(value)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):  # as Excel shows it: a setting or scenario typed TRUE read 'True'
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def control_characters(text: str) -> list[str]:
    """The control characters (Unicode category Cc: CR, LF, tab...) in `text`."""
    if text.isprintable():  # nothing of category C (controls included) in it
        return []
    return [c for c in text if unicodedata.category(c) == "Cc"]


def char_name(char: str) -> str:
    """`U+200F RIGHT-TO-LEFT MARK`: a character a planner cannot see, by code and name."""
    names = {"\r": "CARRIAGE RETURN", "\n": "LINE FEED", "\t": "TAB"}
    name = names.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def show_text(text: str) -> str:
    """`text` quoted, every character that does not print shown as `<U+XXXX NAME>`."""
    shown = "".join(c if c.isprintable() else f"<{char_name(c)}>" for c in text)
    return f"'{shown}'"


# Letters of other scripts that look like Latin letters (and a few Latin ones that look like
# others), from Unicode's confusables list (UTS #39), restricted to letters seen in codes and
# names. NFKC has already folded full-width and mathematical forms.
_LOOKALIKES = {
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ү": "Y", "Ѕ": "S", "І": "I", "Ӏ": "I", "Ј": "J", "Ԛ": "Q",
    "Ԝ": "W", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
    "і": "i", "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "α": "a", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "υ": "u", "χ": "x", "γ": "y", "ϲ": "c", "ϳ": "j",
    # Armenian and Cherokee
    "Օ": "O", "օ": "o", "Ս": "U", "ս": "u", "հ": "h", "ո": "n", "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C",
    "Ꭼ": "E", "Ꮋ": "H", "Ꭻ": "J", "Ꮶ": "K", "Ꮇ": "M", "Ꮲ": "P", "Ꮪ": "S", "Ꮤ": "T", "Ꮃ": "W",
    # Latin letters that look like other Latin letters
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g",
}  # fmt: skip
_SKELETON = str.maketrans(_LOOKALIKES)


def skeleton(key: str) -> str:
    """What a key looks like: look-alike letters replaced by the Latin letter they resemble."""
    return key.translate(_SKELETON) if not key.isascii() else key


def lookalike_difference(key: str, other: str) -> str:
    """Where two keys with the same skeleton differ, in words: `U+0410 CYRILLIC CAPITAL
    LETTER A where 'FRA' has 'A'` (the first difference)."""
    for mine, theirs in zip(key, other, strict=False):
        if mine != theirs:
            return f"{char_name(mine)} where '{other}' has {char_name(theirs)}"
    return "a different length"


def cleaned_what(raw: str, clean: object) -> str:
    """What reading the text `raw` as `clean` took out or changed, as a warning says it (`extra
    spaces or special characters`); '' where nothing was."""
    if raw == clean or not clean:
        return ""
    dashes = [c for c in raw if c != "-" and c.translate(_DASHES) == "-"]
    if dashes and raw.translate(_DASHES) == clean:  # a period key's dashes the only change
        return f"a dash that is not a hyphen ({char_name(dashes[0])})"
    return "extra spaces or special characters"


def warn_if_cleaned(name: str, raw: str, clean: object, where: str, issues: Issues) -> None:
    """A key read with spaces or invisible characters removed: accepted, but say so."""
    if what := cleaned_what(raw, clean):
        issues.warn(
            where,
            f"{name} {show_text(raw)} has {what}; read as {show_text(str(clean))} (retype it to "
            "silence this warning)",
        )


def warn_cleaned(name: str, found: list[tuple[str, str, object]], issues: Issues) -> None:
    """`warn_if_cleaned` for the cells of one column (`found`: cell, text, as read, in sheet
    order), once for the cells of each kind of change, at the first: a trial's 19 window cells
    typed ` 2027-06 ` gave 19 warnings where its dates gave one (`warn_dates_as_periods`)."""
    by_change: dict[str, list[tuple[str, str, object]]] = {}
    for cell in found:
        by_change.setdefault(cleaned_what(cell[1], cell[2]), []).append(cell)
    for what, cells in by_change.items():
        where, raw, clean = cells[0]
        if len(cells) == 1 or not what:
            warn_if_cleaned(name, raw, clean, where, issues)
            continue
        issues.warn(
            where,
            f"{count(len(cells), 'value')} in {name} ({cells_text([c[0] for c in cells])}) "
            f"have {what}; read as if retyped ({show_text(raw)} as {show_text(str(clean))}); "
            "retype them to silence this warning",
        )


# what a refused number adds where its cell is formatted as a percentage: the planner sees 50%
AS_PERCENT = " (the cell is formatted as a percentage, so 50% holds 0.5: format it as Number)"


def warn_numbers_as_text(name: str, found: list[tuple[str, str]], issues: Issues) -> None:
    """Numbers typed as text in one column (`'2 '`, an apostrophe's `2`): read as numbers, as a
    key with a stray space is read, and said once for the column at its first cell: Excel's
    SUM and pivot tables skip such cells, so a planner's own totals of the sheet go wrong
    without a word (a trial)."""
    cells = [where for where, _ in found]
    others = f" ({cells_text(cells)})" if len(cells) > 1 else ""
    issues.warn(
        cells[0],
        f"{name} {show_text(found[0][1])} is a number typed as text{others}; read as a number, "
        "but Excel's sums and pivot tables skip such cells: retype them as numbers",
    )


def warn_lookalikes(spec: Sheet, frame: pd.DataFrame, issues: Issues) -> None:
    """Two values of one compared column that look the same but are not (Cyrillic `А` beside
    Latin `A`): both are read, as different keys, with a warning naming both cells."""
    for col in spec.columns:
        if col.kind != "text" or col.free or col.ref or col.name not in frame or not len(frame):
            continue
        first: dict[str, tuple[str, str]] = {}  # skeleton -> first value and its cell
        for value, where in zip(frame[col.name], frame[f"_at_{col.name}"], strict=True):
            if is_blank(value):
                continue
            seen = first.setdefault(skeleton(value), (value, where))
            if seen[0] != value:
                issues.warn(
                    where,
                    f"{col.name} {show_text(value)} looks like {show_text(seen[0])} at {seen[1]} "
                    f"but differs: it has {lookalike_difference(value, seen[0])}; both are read, "
                    "as two different values (retype one if they are meant to be the same)",
                )
