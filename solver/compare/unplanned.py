"""The scenarios whose rows a comparison does not hold against base's: its output, or base's,
has no plan (infeasible, no_solution, an error, not run), so there is no allocation, coverage
or tour on that side to compare. Wherever a comparison lists what changes (the console's
sections, the Changes, Coverage changes and Tour changes sheets) these are said `not compared`,
naming the output without a plan and its status, never left out: a section that says `none`
reads as "the same plan", and a plan that does not exist is not the same plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pandas as pd


class Planned(Protocol):
    """What is read of an output here (a snapshot's ScenarioView, a TimedView)."""

    name: str
    status: str

    @property
    def has_plan(self) -> bool: ...


def _status(view: Planned) -> str:
    return str(view.status).replace("_", " ")


def not_compared(views: Sequence[Planned]) -> list[tuple[str, str]]:
    """(scenario, why) for each scenario after base whose rows are not compared with base's:
    `not compared: bcut has no plan (infeasible)`; every one of them when base has none
    (`not compared: base (base) has no plan (error)`)."""
    base = views[0]
    said = []
    for view in views[1:]:
        if base.has_plan and view.has_plan:
            continue
        whose = str(view.name) if base.has_plan else f"{base.name} (base)"
        shown = _status(view if base.has_plan else base)
        said.append((str(view.name), f"not compared: {whose} has no plan ({shown})"))
    return said


def not_compared_said(views: Sequence[Planned]) -> list[str]:
    """What a console section says of them: `coal_inf (base) has no plan (infeasible): nothing
    is compared`, or one line per status naming the outputs without a plan (`bcut has no plan
    (infeasible): not compared`; `withdraw_A, withdraw_B have no plan (error): ...`)."""
    base = views[0]
    if not base.has_plan:
        return [f"{base.name} (base) has no plan ({_status(base)}): nothing is compared"]
    by_status: dict[str, list[str]] = {}
    for view in views[1:]:
        if not view.has_plan:
            by_status.setdefault(_status(view), []).append(str(view.name))
    return [
        f"{', '.join(names)} {'has' if len(names) == 1 else 'have'} no plan ({status}): "
        "not compared"
        for status, names in by_status.items()
    ]


def with_not_compared(frame: pd.DataFrame, views: Sequence[Planned]) -> pd.DataFrame:
    """A sheet of changes with, first, a row for each scenario not compared: its name, blank
    cells and a `remark` saying why (the column only then: a sheet with no row of a scenario
    would say nothing of it changes)."""
    said = not_compared(views)
    if not said:
        return frame
    return remarked(frame, said)


def remarked(frame: pd.DataFrame, said: list[tuple[str, str]]) -> pd.DataFrame:
    """`frame` after one row per (scenario, remark) of `said`, in a `remark` column; `frame`'s
    own rows, if it has a `remark` column, keep theirs."""
    columns = [*frame.columns, *([] if "remark" in frame.columns else ["remark"])]
    head = pd.DataFrame(
        [{"scenario": name, "remark": why} for name, why in said], dtype=object
    ).reindex(columns=columns)
    if not len(frame):
        return head
    rows = frame.reindex(columns=columns).astype(object)
    return pd.concat([head, rows], ignore_index=True)
