"""The baseline of a re-plan (contract `replanning.md`): the plan nations have already been asked
for, as rows of units per option and (in time) per tour.

A baseline row is (contributor c, capability k, site s, first period, last period, units b, lock):
b units of c's pledge of k at s in every period first..last (a snapshot's rows have
first = last = 0). What the model and every table read from it is

    b[c,k,s,t] = sum of units over the rows of (c,k,s) with first <= t <= last

and, for the rows with lock = yes, the same sum over locked rows only (the units that must stay).
The rows come from the `Baseline` sheet or from an earlier output's `Allocation` (snapshot) or
`Tours` (timed) sheet given with `--baseline FILE` (the option wins over the sheet).

A rolling re-plan's file (io/baseline_horizon.py) also gives its `history`: the tours that
ended before the workbook's first period (`carried` False) and those running into it (`carried`
True, also rows here from the first period), each with its months relative to the first
period's start, `start` < 0 (and `end` <= 0 for an ended tour: the month after its last). The
units of an ended tour are at home in dwell in every period t with m(t) < end + dwell_months;
a carried tour's units have served -start months when the horizon begins (model/history.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import Issue

HISTORY_COLUMNS = ["contributor", "capability", "site", "start", "end", "units", "carried", "where"]

BASELINE_COLUMNS = [
    "contributor",
    "capability",
    "site",
    "first_t",
    "last_t",
    "units",
    "lock",
    "where",
]


@dataclass
class Baseline:
    """Baseline rows: contributor, capability, site, first_t, last_t (0-based period positions,
    inclusive; 0 and 0 in a snapshot), units (whole, > 0), lock (bool), where (the row's place
    for messages, e.g. `Baseline!A5` or `plan.xlsx Tours!A5`); sorted by the first five.

    `file` and `sha256` name the `--baseline` output it was read from (None for the sheet),
    `file_sha256` the SHA-256 of its bytes (what `sha256sum` says of it).
    `as_solved`: its rows are that output's plan as its solve wrote it (the plan's digest in its
    Summary holds), so every pledge held them then: a pledge now below them was cut since
    (`baseline_words`). False for the sheet and for a plan edited by hand: its rows may never
    have fitted the pledges.
    `unit_personnel`: (contributor, capability) -> personnel per unit as the `--baseline`
    output wrote it (its rows' personnel / units); what a withdrawal of a pledge, contributor or
    capability the workbook no longer has asks back (empty for the sheet: it has no personnel).
    `read_warnings`: what reading its rows warned about (keys the workbook lacks, a lock column
    misnamed), not what they look like against the workbook (`io.baseline_odd.odd_rows`):
    a `Data` edited and checked again keeps them and looks at its rows again."""

    rows: pd.DataFrame
    file: str | None = None
    sha256: str | None = None
    read_warnings: tuple[Issue, ...] = ()
    as_solved: bool = False
    unit_personnel: dict[tuple[str, str], float] = field(default_factory=dict)
    file_sha256: str | None = None
    # the `where` of rows a rolling re-plan cut to the workbook's horizon (io/baseline_horizon.py)
    clipped: frozenset[str] = frozenset()
    # a rolling re-plan's tours before its first period (module docstring; HISTORY_COLUMNS)
    history: pd.DataFrame | None = None
    # the history alone, of a plan's own History sheet (verify/own_history.py): no rows to
    # keep or change against
    history_only: bool = False

    def __post_init__(self) -> None:
        if self.history is None or not len(self.history):
            self.history = pd.DataFrame(
                {c: pd.Series(dtype=bool if c == "carried" else _dtype(c)) for c in HISTORY_COLUMNS}
            )
        rows = self.rows[BASELINE_COLUMNS].copy() if len(self.rows) else _empty()
        for c in ("first_t", "last_t", "units"):
            rows[c] = rows[c].astype(np.int64)
        rows["lock"] = rows["lock"].astype(bool)
        rows = rows[rows["units"] > 0]
        key = BASELINE_COLUMNS[:5]
        self.rows = rows.sort_values(key, kind="mergesort").reset_index(drop=True)

    def presence(self, locked_only: bool = False) -> pd.DataFrame:
        """b[c,k,s,t] > 0 as rows: contributor, capability, site, t, units; summed over rows,
        sorted (a snapshot has t = 0 only)."""
        rows = self.rows[self.rows["lock"]] if locked_only else self.rows
        cols = ["contributor", "capability", "site", "t", "units"]
        if not len(rows):
            return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in cols})
        span = (rows["last_t"] - rows["first_t"] + 1).to_numpy()
        out = rows.loc[rows.index.repeat(span), ["contributor", "capability", "site", "units"]]
        out = out.reset_index(drop=True)
        out["t"] = np.repeat(rows["first_t"].to_numpy(), span) + np.concatenate(
            [np.arange(n) for n in span]
        )
        out = out.groupby(cols[:4], sort=True, as_index=False)["units"].sum()
        return out[cols].astype({"t": np.int64, "units": np.int64})


def dwell_before(
    baseline: Baseline | None,
    offset: np.ndarray,
    dwell_months: Mapping[tuple[str, str], Any],
    withdrawn: Mapping[tuple[str, str, str], int] | None = None,
) -> pd.DataFrame:
    """Units at home in dwell in the workbook's periods from a rolling re-plan's `history`: a
    tour of (c, k) that ended at `end` (<= 0, months from the first period's start) keeps its
    units at home in every period t with m(t) < end + dwell_months(c, k) (`offset`: m(t);
    m(t) >= 0 >= end always); and `withdrawn`, the carried units of each option the plan
    withdrew as the first period began (`time_plan.carried_reading`), from end 0. Rows
    contributor, capability, t, until (the last period of their dwell), units (> 0), summed,
    sorted; none without a history."""
    cols = ["contributor", "capability", "t", "until", "units"]
    history = pd.DataFrame() if baseline is None or baseline.history is None else baseline.history
    gone: list[tuple[str, str, int, int]] = []  # (c, k, end, units)
    if len(history):
        ended = history[~history["carried"].astype(bool)]
        keys = ("contributor", "capability", "end", "units")
        gone += list(zip(*(ended[key] for key in keys), strict=True))
    gone += [(c, k, 0, n) for (c, k, _), n in (withdrawn or {}).items() if n]
    found: dict[tuple[str, str, int, int], int] = {}
    for c, k, end, n in gone:
        dwell = dwell_months.get((c, k), 0)
        dwell = int(dwell) if dwell == dwell and dwell else 0  # blank (NaN) or None: 0
        home = np.flatnonzero(offset < int(end) + dwell).tolist()
        for t in home:
            found[(c, k, t, home[-1])] = found.get((c, k, t, home[-1]), 0) + int(n)
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in cols})
    return pd.DataFrame([(*key, n) for key, n in sorted(found.items())], columns=cols)


def _dtype(column: str) -> type:
    whole = ("t", "units", "first_t", "last_t", "start", "end", "until")
    return np.int64 if column in whole else object


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype=bool if c == "lock" else _dtype(c)) for c in BASELINE_COLUMNS}
    )


def changes_value(baseline: Baseline, planned: pd.DataFrame, months: np.ndarray) -> float:
    """The `changes` stage of a plan, from the plan and the baseline alone (not the model):

        changes = sum over (c,k,s,t) of months(t) |x[c,k,s,t] - b[c,k,s,t]|

    `planned`: contributor, capability, site, t, units (x > 0); `months`: months(t) per period
    (a snapshot: one period of one month). Units in a snapshot, unit-months in time."""
    key = ["contributor", "capability", "site", "t"]
    b = baseline.presence().set_index(key)["units"]
    x = planned[[*key, "units"]].astype({"t": np.int64}).groupby(key, sort=True)["units"].sum()
    both = pd.concat([x.rename("x"), b.rename("b")], axis=1).fillna(0)
    if not len(both):
        return 0.0
    t = both.index.get_level_values("t").to_numpy(dtype=np.int64)
    return float((months[t] * (both["x"] - both["b"]).abs().to_numpy(dtype=float)).sum())
