"""What a withdrawal that changes nothing says of base: its plan differs from base's only where
their searches stopped, so where it is better than base's, base's shortfall is not optimal by at
least that much, and a ranked withdrawal's change of that size may be the search's (an analyst
trial: NLD leaving after its last pledge ended was `not ranked, changes nothing` beside p3 -4,
while the ranked withdrawals' p3 changes of a few units were read as their effects)."""

from __future__ import annotations

from collections.abc import Sequence

import click
import pandas as pd

from .tables import DELTA


def base_beaten_lines(rb: pd.DataFrame, priorities: Sequence[int]) -> list[str]:
    """Under the ranking, one line per withdrawal that changes nothing yet whose plan beats
    base's at the first priority where they differ: `withdraw_NLD changes nothing, yet its plan
    is better than base's (p3 -4): base's shortfall is at least that far from its best, and a
    ranked change of that size may be the search's`."""
    unchanged = set(rb.attrs.get("unchanged", []))
    lines = []
    for _, row in rb[rb["scenario"].isin(unchanged)].iterrows():
        first = _first_difference(row, priorities)
        if first is None or first[1] > 0:
            continue
        p, delta = first
        lines.append(
            click.style(
                f"  {row['withdrawn']} changes nothing, yet its plan is better than base's "
                f"(p{p} {delta:+g}): base's shortfall is at least that far from its best, and a "
                "ranked change of that size may be the search's",
                fg="yellow",
            )
        )
    return lines


def _first_difference(row: pd.Series, priorities: Sequence[int]) -> tuple[int, float] | None:
    """The first priority whose weighted shortfall differs from base's, and by how much; None
    where none differs or one before it is not known (a blank: a review saw a later priority's
    -4 said where an earlier one was unknown)."""
    for p in priorities:
        value = row.get(f"{DELTA}objective.shortfall.p{p}")
        if value is None or pd.isna(value):
            return None
        if value != 0:
            return p, float(value)
    return None
