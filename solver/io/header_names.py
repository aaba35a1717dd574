"""The column a header cell is read as: its name as the contract matches names (`norm`), or a
known column's name written another way, read as it with a warning.

    `cost per unit`, `Cost-per-unit`         spaces or hyphens for its underscores
    `personnel_per_unit (pax)`, `Hard?`      a note or unit in brackets, punctuation around it,
    `hard (y/n)`, `Units*`, `priority:`      read so only where the header has no column of that
                                             name, and no other header reads as it

A trial's `hard (y/n)` and `Hard?` headers were ignored, so every hard line was soft; its
`personnel_per_unit (pax)` left every unit of 0 personnel: each workbook said `valid`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from .schema_types import norm

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOT_A_NAME = re.compile(r"[\W_]+")  # what joins the words of a column's name: `_`


def header_names(typed: list[object], known: Collection[str]) -> list[tuple[str, bool]]:
    """Each header cell's name (`typed`: the cells' values, blanks as None) and whether it is a
    known column's name written another way (said in a warning): with spaces or hyphens for
    its underscores (as always; a second such header is a repeated column), or with a note in
    brackets or other punctuation, where the header has no column of that name and no other
    header is so written (`loosened`)."""
    names = [norm(value) if value is not None else "" for value in typed]
    spaced = [with_underscores(name) for name in names]
    loose = [loosened(name) for name in names]
    exact = set(names) | {s for name, s in zip(names, spaced, strict=True) if s != name}
    claimed = Counter(
        bare for name, bare in zip(names, loose, strict=True) if name and name not in known
    )
    read: list[tuple[str, bool]] = []
    for name, underscored, bare in zip(names, spaced, loose, strict=True):
        if not name or name in known:
            read.append((name, False))
        elif underscored in known:
            read.append((underscored, True))
        elif bare in known and bare not in exact and claimed[bare] == 1:
            read.append((bare, True))
        else:
            read.append((name, False))
    return read


def with_underscores(name: str) -> str:
    """`cost per unit` as `cost_per_unit`."""
    return re.sub(r"[\s-]+", "_", name)


def loosened(name: str) -> str:
    """A header's name without notes in brackets and with its words joined by `_`:
    `personnel per unit (pax)` and `hard?` as `personnel_per_unit` and `hard`."""
    return _NOT_A_NAME.sub("_", _BRACKETED.sub(" ", norm(name))).strip("_")
