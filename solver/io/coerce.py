"""Turning one raw cell into a typed value, or a planner-readable complaint."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import math
import re
import unicodedata
from typing import Any

from .schema_types import Column
from .text import (
    char_name,
    clean_key,
    clean_period_key,
    control_characters,
    lookalike_difference,
    show_text,
    skeleton,
    verbatim,
)

YES = {"yes", "y", "true", "1", "x"}
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
NO = {"no", "n", "false", "0"}


class Bad(ValueError):
    """The cell cannot be read as its column's type; the message says what to do."""


def clean_text(value: Any) -> str:
    """Text as compared and stored (keys, codes, names of settings): see `text.clean_key`."""
    return clean_key(value)


def coerce(col: Column, value: Any) -> Any:
    """Return the typed value of a non-blank cell, or raise `Bad`."""
    if col.kind == "text":
        if col.names_a_month and isinstance(value, dt.date):  # a datetime is a date too
            return month_key(col, value)
        if isinstance(value, dt.datetime | dt.date | dt.time):
            raise Bad(
                f"{col.name} must be text, got a date/time {_date_shown(value)}; format the cell "
                "as text"
            )
        if isinstance(value, bool):  # said as Excel shows it, as the other columns say it
            if col.free:  # a note of TRUE is that text
                return _show(value)
            raise Bad(
                f"{col.name} must be text, got {_show(value)} (a yes/no value); type the text"
            )
        if col.free:
            return verbatim(value)
        text = clean_period_key(value) if col.names_a_month else clean_key(value)
        control = control_characters(text)
        if control:
            raise Bad(
                f"{col.name} {show_text(verbatim(value))} contains a control character "
                f"({char_name(control[0])}); a key or code must be one line of text: retype the "
                "cell without it"
            )
        return text
    if col.kind == "yesno":
        if isinstance(value, bool):
            return value
        text = clean_text(value).casefold()
        if text in YES:
            return True
        if text in NO:
            return False
        raise Bad(f"{col.name} must be yes or no, got {_show(value)}")
    if col.kind == "choice":
        text = clean_text(value).casefold()
        if text in col.choices:
            return text
        hint = suggest(text, col.choices)
        raise Bad(f"{col.name} must be one of {', '.join(col.choices)}, got {_show(value)}{hint}")
    if col.kind == "date":
        return _date(col, value)
    return _number(col, value)


def percent_text(value: Any) -> Any:
    """A share typed as text with a percent sign (`1%`, `0.5 %`) as its fraction (0.01,
    0.005), as `--within` reads it; any other value as it is (a trial typed `1%` as mip_gap)."""
    if isinstance(value, str):
        text = clean_text(value).replace("\u00a0", "").replace(" ", "")
        if text.endswith("%") and _NUMBER_TEXT.fullmatch(text[:-1]):
            return float(text[:-1]) / 100
    return value


def month_key(col: Column, value: dt.date) -> str:
    """A date cell in a column of period keys: the first of a month at midnight (what Excel
    makes of a typed `2027-01`) is the key `2027-01`. Another date is its month too in a window
    of the workbook (a `from` or `to`: a mandate typed as ending 2027-09-30 ends with
    September; periods are whole months; `dates_as_periods.warn_dates_as_periods` says so),
    but names no period elsewhere (a Periods key, a plan's tour)."""
    key = as_month(value)
    if key is None and col.ref == "Periods":
        day = value.date() if isinstance(value, dt.datetime) else value
        key = f"{day.year:04d}-{day.month:02d}"
    if key is None:
        raise Bad(
            f"{col.name} must be a period (text), got the date {_date_shown(value)}; format "
            "the cell as text and type the period as the Periods sheet names it"
        )
    return key


def as_month(value: object) -> str | None:
    """`2027-01` for a date (or datetime at midnight) on the first of a month, else None."""
    if not isinstance(value, dt.date):
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    midnight = not isinstance(value, dt.datetime) or value.time() == dt.time(0)
    return f"{day.year:04d}-{day.month:02d}" if day.day == 1 and midnight else None


def _date_shown(value: dt.date | dt.time) -> object:
    """A date as Excel shows it: `2027-12-15`, not `2027-12-15 00:00:00` (openpyxl reads
    every date cell as a datetime)."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def _date(col: Column, value: Any) -> dt.date:
    """An Excel date, or text `2027-01-01` / `2027-01` (the first of the month)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = clean_text(value)
        for fmt in ("%Y-%m-%d", "%Y-%m"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        no_such_day = _no_such_day(text)
        if no_such_day:
            raise Bad(f"{col.name} must be a date, got {_show(value)}: {no_such_day}")
    raise Bad(
        f"{col.name} must be a date, got {_show(value)}; format the cell as a date or type it "
        "as 2027-01-01 (year-month-day)"
    )


def _no_such_day(text: str) -> str:
    """Why a year-month-day text is not a date (`2027-02-30`: February 2027 has 28 days), or ''
    when it is not written year-month-day at all."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match is None:
        return ""
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= year <= 9999:
        return f"there is no year {year} (years are 0001 to 9999)"
    if not 1 <= month <= 12:
        return f"there is no month {month} (months are 01 to 12)"
    days = calendar.monthrange(year, month)[1]
    if day < 1:
        return f"there is no day {day} (days are 01 to {days})"
    name = dt.date(year, month, 1).strftime("%B")
    return f"{name} {year} has {days} days, so there is no day {day}"


MAX_MAGNITUDE = 1e15  # no number forcegen reads is larger (beyond it floats lose whole units)
# a whole-number cell this close to a whole number is it (Excel shows 435 for the
# 434.99999999999994 of =4.35*100; a trial was refused `units must be a whole number`), or
# within 4 units of the last place of a large one; not relative (a review: 999999.9995 read as
# 1,000,000)
WHOLE_NOISE = 1e-9


def _number(col: Column, value: Any) -> float | int:
    whole = col.kind == "int"
    what = "a whole number" if whole else "a number"
    bound = _bound_text(col)
    if isinstance(value, bool):
        raise Bad(
            f"{col.name} must be {what}{bound}, got {str(value).upper()} (a yes/no value); "
            "type the number"
        )
    if isinstance(value, dt.datetime | dt.date | dt.time):
        raise Bad(
            f"{col.name} must be {what}{bound}, got the date/time {_date_shown(value)}; format "
            "the cell as Number (Excel turned the entry into a date) and type the value again"
        )
    if isinstance(value, str):
        text = clean_text(value).replace("\u00a0", "").replace(" ", "")
        # as a spreadsheet reads a number: not Python's `1_0` (10), nor a superscript `²` or
        # a fraction `½` that NFKC makes digits of
        if not _NUMBER_TEXT.fullmatch(text) or any(unicodedata.category(c) == "No" for c in value):
            raise Bad(f"{col.name} must be {what}{bound}, got {_show(value)}")
        number = float(text)
    else:
        number = float(value)
    if not math.isfinite(number):
        raise Bad(f"{col.name} must be {what}{bound}, got {_show(value)}")
    if whole and abs(number - round(number)) <= max(WHOLE_NOISE, 4 * math.ulp(number)):
        number = float(round(number))  # a formula's binary noise (=4.35*100: 434.99999999999994)
    if col.maximum_why and col.maximum is not None and number > col.maximum:
        raise Bad(
            f"{col.name} must be at most {col.maximum:,.0f} ({col.maximum_why}), got {_show(value)}"
        )
    if col.minimum is not None and (
        number < col.minimum or (col.exclusive_minimum and number <= col.minimum)
    ):
        raise Bad(f"{col.name} must be {what}{bound}, got {_show(value)}")
    if col.maximum is not None and number > col.maximum:
        raise Bad(f"{col.name} must be {what}{bound}, got {_show(value)}")
    if abs(number) > MAX_MAGNITUDE:  # within the bounds: said as such (1e+300 is >= 0)
        raise Bad(
            f"{col.name} must be {what}{bound} of at most {MAX_MAGNITUDE:,.0f} in size (a larger "
            f"one is taken for a slip), got {_show(value)}"
        )
    if whole and not number.is_integer():
        raise Bad(f"{col.name} must be {what}{bound}, got {_show(value)}")
    return int(number) if whole else number


def _bound_text(col: Column) -> str:
    """The range a type error states; a realistic ceiling (`maximum_why`) has its own message."""
    if col.minimum is not None and col.maximum is not None and not col.maximum_why:
        return f" from {col.minimum:g} to {_limit_text(col.maximum)}"
    if col.minimum is not None:
        return f" {'>' if col.exclusive_minimum else '>='} {col.minimum:g}"
    return ""


def _limit_text(limit: float) -> str:
    """9, 1024, 2,147,483,647: a large whole limit with separators, never `2.14748e+09`."""
    whole = float(limit).is_integer() and abs(limit) >= 10_000
    return f"{int(limit):,}" if whole else f"{limit:g}"


def _show(value: Any) -> str:
    if isinstance(value, bool):  # as Excel shows it, and as the other messages say it
        return str(value).upper()
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


_LETTERS_AS_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})
_LEADING_ZEROS = re.compile(r"(?<![\d.])0+(?=\d)")  # the zeros padding a number: M01, 2027-07


def _unpadded(text: str) -> str:
    return _LEADING_ZEROS.sub("", text.casefold())


def letter_for_digit(word: str, meant: str) -> str:
    """`it has the letter 'O' where '2027-10' has the digit '0'` (the first difference)."""
    for mine, theirs in zip(word, meant, strict=False):
        if mine != theirs:
            return f"it has the letter '{mine}' where '{meant}' has the digit '{theirs}'"
    return "a different length"


def suggest(word: str, choices: Any) -> str:
    """A ` (did you mean 'X'?)` hint, or an empty string."""
    choices = [str(c) for c in choices]
    shape = skeleton(word)
    lookalikes = [c for c in choices if c != word and skeleton(c) == shape]
    if len(lookalikes) == 1:
        alike = lookalikes[0]
        return f" (did you mean '{alike}'? it has {lookalike_difference(word, alike)})"
    as_digits = word.translate(_LETTERS_AS_DIGITS)
    typed = [c for c in choices if c != word and c.translate(_LETTERS_AS_DIGITS) == as_digits]
    if len(typed) == 1:  # '2027-1O' is '2027-10' with the letter O, not '2027-12'
        return f" (did you mean '{typed[0]}'? {letter_for_digit(word, typed[0])})"
    folded = {c.casefold(): c for c in choices}
    if word.casefold() in folded:
        return f" (did you mean '{folded[word.casefold()]}'?)"
    padded = [c for c in choices if c != word and _unpadded(c) == _unpadded(word)]
    if len(padded) == 1:  # 'M1' is 'M01' with its zero left out, not 'M21' (difflib's pick)
        return f" (did you mean '{padded[0]}'?)"
    close = _closest(word, choices)
    if not close:
        close = [folded[c] for c in _closest(word.casefold(), list(folded))]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _closest(word: str, choices: list[str]) -> list[str]:
    """difflib's closest choice (ratio >= 0.6), unless `word` names a month (`2027-04`) and
    another month is as close: a missing 2027-04 beside 2027-03, 2027-05 and 2027-06 is no
    more one of them than another (difflib picked '2027-06', and a planner read it as the fix;
    a trial)."""
    from .periods import typed_month

    close = difflib.get_close_matches(word, choices, n=2, cutoff=0.6)
    if len(close) == 2 and typed_month(word) is not None:
        score = [difflib.SequenceMatcher(None, word, c).ratio() for c in close]
        if score[0] == score[1]:
            return []
    return close[:1]
