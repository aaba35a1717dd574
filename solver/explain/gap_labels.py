"""What a Gaps reason says of the lines that hold a contributor's units: a lock that keeps them
there, and the sites a cap has them at, with why each line holds them where that is no choice
of the plan's (`GapExplainer.line_label`: a hard line, a lock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..baseline import Baseline
    from .gaps import GapExplainer

Lock = tuple[str, str, str, int]  # (contributor, capability, site, period)


def locked_units(baseline: Baseline | None) -> dict[Lock, tuple[int, str]]:
    """(c, k, s, t) -> the units the baseline's locked rows keep there then, and where the first
    such row is (its cell: `Baseline!A2`, `plan.xlsx Tours!A5`); empty without a baseline."""
    out: dict[Lock, tuple[int, str]] = {}
    if baseline is None:
        return out
    locked = baseline.rows[baseline.rows["lock"]]
    for row in locked.itertuples(index=False):
        for t in range(int(row.first_t), int(row.last_t) + 1):
            key = (str(row.contributor), str(row.capability), str(row.site), t)
            units, where = out.get(key, (0, str(row.where)))
            out[key] = (units + int(row.units), where)
    return out


def sites_held(g: GapExplainer, positions: np.ndarray) -> str:
    """`Rzeszow (p3, hard: caveat C1), Tallinn`: the sites of these x positions that hold units,
    in name order, each with why its line holds them where that is no choice of the plan's (a
    hard line, a lock), the line's capability named where the site has several, so that a
    lower priority held is not read as the plan's error (a trial)."""
    held = positions[g.xval[positions] > 0]
    lines: dict[str, dict[str, str]] = {}  # site -> capability -> label ('' for a plain one)
    for pos in held.tolist():
        label = g.line_label(pos)
        plain = label == f"p{int(g.col['priority'][pos])}"
        lines.setdefault(str(g.site[pos]), {})[str(g.col["capability"][pos])] = (
            "" if plain else label
        )
    said = []
    for site, labels in sorted(lines.items()):
        several = len(labels) > 1
        notes = [
            f"{cap} {label}" if several else label for cap, label in sorted(labels.items()) if label
        ]
        said.append(f"{site} ({'; '.join(notes)})" if notes else site)
    return ", ".join(said)


def held_there(g: GapExplainer, pos: int, line: int) -> str:
    """`, committed: caveat C3`: what the caveats of the unit's contributor say keeps its
    units at x position `pos` from moving to requirement `line` (each kind's `holds_there`: a
    commitment at its floor), where that line is no more important than theirs (a review: at
    a more important line the priority holds them, and lifting the caveat frees none for
    `line`); '' when none does, or no line is named (line -1)."""
    if line < 0 or g.line_priority[g.req_of[pos]] < g.line_priority[line]:
        return ""
    c = g.col["contributor"][pos]
    said = [
        text
        for kind, row in g.caveats_of.get(c, [])
        if g.applies(row, pos) and (text := kind.holds_there(g, row, pos, line))
    ]
    one = "committed: caveat "
    if len(said) > 1 and all(text.startswith(one) for text in said):  # one label, not one each
        said = ["committed: caveats " + ", ".join(text.removeprefix(one) for text in said)]
    return "".join(f", {text}" for text in said)
