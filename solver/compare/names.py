"""An edited plan's names matched to its input's as `verify` matches them.

A planner who types `kyiv` for `Kyiv` in an output's Allocation or Tours sheet means Kyiv:
`verify` takes a name that matches exactly one of the input's but for case as that name (with
a warning). The comparison reads the same sheets with its own reader, so without the same
matching it counted `kyiv` as a new site: NLD's battery lost at Kyiv (shortfall +2), a
removed and an added row in the differences, while verify said the plan held.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ..data import Data

KEYS = {"contributor": "contributors", "capability": "capabilities", "site": "sites"}


def fold_names(
    frame: pd.DataFrame, data: Data, source: str, sheet: str, periods: bool = False
) -> tuple[pd.DataFrame, list[str]]:
    """`frame` with each contributor, capability and site that is not the input's but matches
    exactly one of its names but for case replaced by that name, and a note per name replaced
    (`v.xlsx: Allocation: site 'kyiv' taken as 'Kyiv' (case differs)`). Names matching none
    or several stay as they are (verify reports them). With `periods`, a Tours sheet's `from`
    and `to` are matched to the input's periods the same way (`p3` for P3)."""
    out, notes = frame.copy(), []
    names = {column: list(getattr(data, table)[column]) for column, table in KEYS.items()}
    if periods and data.periods is not None:
        names |= {column: list(data.periods["period"]) for column in ("from", "to")}
    for column, listed in names.items():
        if column not in out or not len(out):
            continue
        known = [str(v) for v in listed]
        exact = set(known)
        by_fold: dict[str, list[str]] = {}
        for name in known:
            by_fold.setdefault(name.casefold(), []).append(name)
        mapping = {}
        for value in sorted({str(v) for v in out[column]} - exact):
            match = by_fold.get(value.casefold(), [])
            if len(match) == 1:
                mapping[value] = match[0]
                notes.append(
                    f"{Path(source).name}: {sheet}: {column} '{value}' taken as "
                    f"'{match[0]}' (case differs)"
                )
        if mapping:
            out[column] = [mapping.get(str(v), v) for v in out[column]]
    return out, notes
