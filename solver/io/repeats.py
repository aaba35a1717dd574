"""A plan's warnings that repeat down a sheet, said once: the same message at several cells of
one sheet (a key retyped with a space, or in another case, in every row) is one warning at its
first cell naming the others, whether `verify` reads the plan or `--baseline FILE` takes it
(io/baseline_input.py): a re-plan trial's three retyped names made some sixty warnings."""

from __future__ import annotations

from ..addresses import sheet_of
from ..errors import Issue
from ..wording import cells_text


def repeats_merged(warnings: list[Issue]) -> list[Issue]:
    """`warnings` with those of one message on one sheet made one, at the first one's place,
    `(also Tours!B5, B9 and 12 more)` after its message; in the order of their first."""
    groups: dict[tuple[str, str], list[Issue]] = {}
    for w in warnings:
        groups.setdefault((sheet_of(w.where), w.message), []).append(w)
    out = []
    for same in groups.values():
        first = same[0]
        if len(same) == 1:
            out.append(first)
            continue
        also = cells_text([w.where for w in same[1:]])
        out.append(Issue(first.where, f"{first.message} (also {also})", first.level))
    return out
