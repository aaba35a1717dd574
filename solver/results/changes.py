"""The Changes sheet of a re-plan (contract `replanning.md`): where the new plan differs from
the baseline, unit by unit.

With b[c,k,s,t] the baseline's units (solver/baseline.py) and p[c,k,s,t] the plan's units
present (its Allocation), a change is every (contributor c, capability k, site s, period t) with

    change = p[c,k,s,t] - b[c,k,s,t] != 0

and `why` says, for a decrease only, why the baseline's units could not stay (a withdrawal, a
pledge reduced, an option no longer allowed: `change_reasons.py`); it is blank when the move was
a choice of the plan (to fill a line, or to absorb a change elsewhere).

A snapshot has one row per (c,k,s). A timed plan has one row per (c,k,s,t), as the contract
says (`replanning.md`: "one row per (contributor, capability, site[, period])"), with `months`
= months(t) and `unit_months` = |change| x months(t): so the sum of `unit_months` is the plan's
unit-months changed, as the sum of |change| is a snapshot's units changed (the value of the
`changes` stage). `run` names the run of consecutive periods with the same baseline, planned
units and why that the row is part of (`2027-07..2027-12`, as on Gaps): a planner reads a
change as "from July to December", and the briefing lists the runs (a sheet of runs had a
`period` that was no period, which a pipeline reading per period could not join).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from ..io.output_schema import CHANGES, TIMED_CHANGES
from ..io.periods import span

KEY = ["contributor", "capability", "site"]
CHANGES_COLUMNS = CHANGES.names  # io/output_schema.py
TIMED_CHANGES_COLUMNS = TIMED_CHANGES.names
PRESENCE = [*KEY, "t", "units"]  # b[c,k,s,t] or p[c,k,s,t] > 0 as rows
DIFF = [*KEY, "t", "baseline", "planned"]  # the rows where they differ


def planned_presence(allocation: pd.DataFrame, periods: pd.DataFrame | None) -> pd.DataFrame:
    """p[c,k,s,t] > 0 as rows (PRESENCE) from an Allocation table: t is the position of its
    `period` among the periods (0 in a snapshot), units summed per key, sorted."""
    if not len(allocation):
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in PRESENCE})
    rows = allocation[[*KEY, "units"]].copy()
    if periods is None:
        rows["t"] = 0
    else:
        position = {str(name): t for t, name in enumerate(periods["period"])}
        rows["t"] = [position[str(name)] for name in allocation["period"]]
    rows["units"] = rows["units"].astype(np.int64)
    rows = rows.groupby([*KEY, "t"], sort=True, as_index=False)["units"].sum()
    return rows[rows["units"] > 0][PRESENCE].astype({"t": np.int64}).reset_index(drop=True)


def unit_changes(baseline: pd.DataFrame, planned: pd.DataFrame) -> pd.DataFrame:
    """The (c,k,s,t) where b != p (DIFF: baseline and planned units), sorted by key and t; both
    arguments are PRESENCE rows (`Baseline.presence()`, `planned_presence`)."""
    both = pd.merge(
        baseline[PRESENCE].rename(columns={"units": "baseline"}),
        planned[PRESENCE].rename(columns={"units": "planned"}),
        on=[*KEY, "t"],
        how="outer",
    )
    for column in ("baseline", "planned"):
        both[column] = both[column].fillna(0).astype(np.int64)
    both["t"] = both["t"].astype(np.int64)
    both = both[both["baseline"] != both["planned"]]
    return both.sort_values([*KEY, "t"], kind="mergesort")[DIFF].reset_index(drop=True)


def changes_table(
    diff: pd.DataFrame, periods: pd.DataFrame | None, why: Sequence[str] | None = None
) -> pd.DataFrame:
    """The Changes sheet of `diff` (DIFF rows; `why` one text per row, blank if None): one row
    per (c,k,s) in a snapshot, per (c,k,s,t) in a timed plan, with its run (module docstring)."""
    reasons = list(why) if why is not None else [""] * len(diff)
    rows = diff.assign(why=reasons, change=diff["planned"] - diff["baseline"])
    if periods is None:
        return rows[CHANGES_COLUMNS].reset_index(drop=True)
    names = [str(n) for n in periods["period"]]
    months = periods["months"].to_numpy(dtype=np.int64)
    out = []
    for run in runs(rows, ["baseline", "planned", "why"]):
        said = span(names, int(run["t"].iloc[0]), int(run["t"].iloc[-1]))
        for row in run.itertuples(index=False):
            t, change = int(row.t), int(row.change)
            out.append(
                {
                    **{c: getattr(row, c) for c in KEY},
                    "period": names[t],
                    "run": said,
                    "baseline": int(row.baseline),
                    "planned": int(row.planned),
                    "change": change,
                    "months": int(months[t]),
                    "unit_months": abs(change) * int(months[t]),
                    "why": row.why,
                }
            )
    return TIMED_CHANGES.table(out)


def runs(rows: pd.DataFrame, same: list[str]) -> list[pd.DataFrame]:
    """Rows sorted by key and t cut into runs: one (c,k,s), consecutive t, equal `same`."""
    if not len(rows):
        return []
    key = rows[[*KEY, *same]].astype(str).agg("\x1f".join, axis=1).to_numpy()
    t = rows["t"].to_numpy(dtype=np.int64)
    new = np.ones(len(rows), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (t[1:] != t[:-1] + 1)
    starts = [*np.flatnonzero(new).tolist(), len(rows)]
    return [rows.iloc[a:b] for a, b in pairwise(starts)]


def _dtype(column: str) -> type:
    return np.int64 if column in ("t", "units") else object
