"""Sheets whose names are near misses of an optional sheet the workbook lacks (`Caveat`, `Setting`,
`Period`, `Profiles`, `National caveats`): before, each was ignored without a word, as any sheet
of the planner's own, and a trial's `Caveat` sheet made a plan that dropped all 22 caveats.

A name that is the sheet's but for case, spaces, punctuation or a plural (`Caveat`, `caveats_`)
is read as that sheet, with a warning, where it is the only such sheet and its header has the
sheet's required columns: that is what the planner meant. Any other near miss (more words,
`National caveats`, `Caveats (old)`; a misspelling, `Caveets`) is not read: the words may say
it is set aside, and reading a sheet of old caveats would apply rules the planner dropped. It
gets a warning naming the sheet it looks like and what the workbook is without it."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass

from ..addresses import sheet_in_reference
from ..errors import Issues
from ..wording import joined
from .schema_types import Sheet, norm

# what the workbook is without each optional sheet, as the warning about a near miss says it
WITHOUT = {
    "Caveats": "no caveat applies",
    "Settings": "every setting takes its default",
    "Scenarios": "base is the only scenario",
    "Periods": "the workbook is a snapshot, without periods",
    "Profile": "each line requires its units in every period it is active",
    "Baseline": "there is no current plan to re-plan against",
}
CLOSE = 0.8  # difflib's ratio of two names, without case, spaces and a plural, for a misspelling


@dataclass(frozen=True)
class Lookalike:
    """A sheet `title` whose name is a near miss of the optional sheet `sheet` the workbook
    lacks; `same`: it is that sheet's name but for case, spaces, punctuation or a plural, and
    no other sheet's is (`others`: the other sheets so named)."""

    title: str
    sheet: Sheet
    same: bool
    others: tuple[str, ...] = ()


def lookalikes(
    titles: list[str], contract: Collection[str], optional: tuple[Sheet, ...]
) -> dict[str, Lookalike]:
    """The sheets among `titles` that are no sheet of the `contract` (normalised names) but a
    near miss of an `optional` one the workbook lacks, by title."""
    present = {norm(title) for title in titles}
    lacking = [s for s in optional if norm(s.name) not in present]
    found: dict[str, Lookalike] = {}
    for title in titles:
        if norm(title) in contract:
            continue
        near = [(s, _bare(title) == _bare(s.name), _ratio(title, s)) for s in lacking]
        near = [n for n in near if n[1] or n[2] >= CLOSE or _bare(n[0].name) in _words(title)]
        if near:
            sheet, same, _ = max(near, key=lambda n: (n[1], n[2]))
            found[title] = Lookalike(title, sheet, same)
    named = Counter(look.sheet.name for look in found.values() if look.same)
    for title, look in found.items():
        if look.same and named[look.sheet.name] > 1:
            others = tuple(
                t for t, o in found.items() if o.same and o.sheet is look.sheet and t != title
            )
            found[title] = Lookalike(title, look.sheet, False, others)
    return found


def read_as(look: Lookalike, header: Callable[[], set[str]], issues: Issues) -> str | None:
    """The normalised name of the sheet `look` is read as, with a warning that says so; or
    None (not read), with a warning naming the sheet it looks like and what the workbook is
    without it. `header`: the column names of the sheet's header row (none: no header)."""
    name, where = look.sheet.name, sheet_in_reference(look.title)
    required = [c.name for c in look.sheet.columns if c.required]
    lacks = [c for c in required if c not in header()] if look.same else []
    if look.same and not lacks:
        issues.warn(
            where,
            f"this sheet is read as the {name} sheet (its name is '{name}' but for case, "
            f"spaces or an s, and the workbook has no {name} sheet); rename it '{name}' to "
            "silence this warning",
        )
        return norm(name)
    if lacks:
        why = f"its header has no {joined(lacks)} column{'s' if len(lacks) > 1 else ''}"
    elif look.others:
        why = f"so do {joined([repr(t) for t in look.others])}; rename the one meant '{name}'"
    else:
        why = f"rename it '{name}' to have it read"
    issues.warn(
        where,
        f"this sheet is not read: did you mean '{name}'? without a {name} sheet "
        f"{WITHOUT.get(name, 'none of its rows count')} ({why})",
    )
    return None


def _bare(name: str) -> str:
    """A sheet's name without case, spaces, punctuation and a final s: `caveat`."""
    return re.sub(r"[\W_]+", "", name.casefold()).removesuffix("s")


def _words(name: str) -> list[str]:
    """The words of a sheet's name, each without a final s: `National caveats` -> national,
    caveat."""
    return [word.removesuffix("s") for word in re.findall(r"[^\W_]+", name.casefold())]


def _ratio(title: str, sheet: Sheet) -> float:
    return difflib.SequenceMatcher(None, _bare(title), _bare(sheet.name)).ratio()
