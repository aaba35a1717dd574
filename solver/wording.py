"""Counts as planners read them: `1 line`, `2 lines`, `1 presence`, `0 caveats`."""

from __future__ import annotations

IRREGULAR = {"presence": "presences", "priority": "priorities", "capability": "capabilities"}


def plural_of(word: str) -> str:
    """The plural of one of forcegen's nouns (`line` -> `lines`, `priority` -> `priorities`)."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def count(n: float, word: str, plural: str | None = None) -> str:
    """`n word`, the word in the plural unless n is exactly 1: `1 line`, `0 lines`, `2.5 units`."""
    number = str(int(n)) if float(n).is_integer() else f"{n:g}"
    noun = word if n == 1 else (plural or plural_of(word))
    return f"{number} {noun}"
