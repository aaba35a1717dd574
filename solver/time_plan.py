"""A plan in time as tours, and what follows from it period by period (contract `time.md`).

A tour is (contributor c, capability k, site s, first period, last period, units n): n units of
c's pledge of k stay at s in every period first..last. Everything else a timed output shows is
derived from the tours:

    x[c,k,s,t]  = sum of n over the tours of (c,k,s) with first <= t <= last
    dwell[c,k,t] = sum of n over the tours of (c,k) that end at e = m(last) + months(last)
                   with e <= m(t) < e + dwell_months(c,k)

where m(t) is the month offset of period t. Period positions are 0-based (`Data.periods` order).
This module is the one shape the timed tables, the report and the stage values read; `verify`
keeps its own independent reading of a Tours sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .baseline import dwell_before
from .data import Data

TOUR_KEY = ["contributor", "capability", "site", "first_t", "last_t"]


def dwell_periods(
    offset: np.ndarray, months: np.ndarray, last: int, dwell_months: Any
) -> np.ndarray:
    """The periods t a tour ending with period `last` keeps its units at home in dwell: with
    e = m(last) + months(last), every t with e <= m(t) < e + dwell_months (m(t): the month
    period t starts at, `offset`; a blank dwell_months is 0)."""
    end = int(offset[last] + months[last])
    dwell = int(dwell_months or 0) if dwell_months == dwell_months else 0
    return np.flatnonzero((offset >= end) & (offset < end + dwell))


def deploy_to_dwell(
    rotating_unit_months: Mapping[str, int],
    tours: Iterable[tuple[str, str, int]],
    dwell_months: Mapping[tuple[str, str], Any],
) -> dict[str, float | None]:
    """Per contributor of `rotating_unit_months` (the unit-months deployed of its pledges with
    a dwell): those unit-months over the dwell its `tours` ((contributor, capability, units)
    each) are owed in full, units x the pledge's dwell_months, after the horizon too; None
    when no tour of it is owed dwell. A tour ending near the horizon's end owes its dwell
    all the same: counting only the dwell inside the horizon read FRA's 6-out-12-home
    battalions as 0.79 (a trial), where the rotation allows at most 0.5."""
    owed: dict[str, int] = {}
    for c, k, units in tours:
        dwell = dwell_months.get((c, k), 0)
        months = int(dwell) if dwell == dwell and dwell else 0  # blank (NaN) or None: 0
        owed[c] = owed.get(c, 0) + int(units) * months
    return {
        c: round(int(n) / owed[c], 4) if owed.get(c) else None
        for c, n in rotating_unit_months.items()
    }


@dataclass
class TimedPlan:
    """Tours of a timed workbook: columns contributor, capability, site, first_t, last_t
    (0-based period positions, inclusive) and units (whole, > 0), sorted by TOUR_KEY."""

    data: Data
    tours: pd.DataFrame

    def __post_init__(self) -> None:
        assert self.data.periods is not None, "a TimedPlan needs a timed workbook"
        cols = [*TOUR_KEY, "units"]
        tours = self.tours[cols].copy() if len(self.tours) else pd.DataFrame(columns=cols)
        for c in ("first_t", "last_t", "units"):
            tours[c] = tours[c].astype(np.int64)
        tours = tours[tours["units"] > 0]
        self.tours = tours.sort_values(TOUR_KEY, kind="mergesort").reset_index(drop=True)

    @property
    def periods(self) -> pd.DataFrame:
        assert self.data.periods is not None
        return self.data.periods

    def presence(self) -> pd.DataFrame:
        """x[c,k,s,t] > 0 as rows: contributor, capability, site, t, units; sorted."""
        cols = ["contributor", "capability", "site", "t", "units"]
        if not len(self.tours):
            empty = {c: pd.Series(dtype=np.int64 if c in ("t", "units") else object) for c in cols}
            return pd.DataFrame(empty)
        span = (self.tours["last_t"] - self.tours["first_t"] + 1).to_numpy()
        rows = self.tours.loc[self.tours.index.repeat(span)].reset_index(drop=True)
        rows["t"] = np.repeat(self.tours["first_t"].to_numpy(), span) + np.concatenate(
            [np.arange(n) for n in span]
        )
        out = rows.groupby(["contributor", "capability", "site", "t"], sort=True)["units"].sum()
        return out.reset_index()[cols]

    def dwell(self) -> pd.DataFrame:
        """Units of each pledge at home in dwell per period: contributor, capability, t, units
        (only rows with units > 0); sorted. The sum of `dwell_rows` per period."""
        cols = ["contributor", "capability", "t", "units"]
        rows = self.dwell_rows()
        if not len(rows):
            empty = {c: pd.Series(dtype=np.int64 if c in ("t", "units") else object) for c in cols}
            return pd.DataFrame(empty)
        frame = pd.DataFrame(rows, columns=[*cols[:3], "until", "beyond", "units"])
        summed = frame.groupby(cols[:3], sort=True)["units"].sum().reset_index()
        return summed.astype({"t": np.int64, "units": np.int64})[cols]

    def dwell_rows(self) -> list[tuple[str, str, int, int, int, int]]:
        """Each dwell, per period: (contributor, capability, t, until, beyond, units), with
        `until` the dwell's last period within the horizon and `beyond` its months past the
        horizon's end (0 where it ends within). A tour of (c, k) ending at e = m(last) +
        months(last) keeps its units home in every t with e <= m(t) < e + dwell_months(c, k)
        (`dwell_periods`); a rolling re-plan's units home from tours before the first period
        (`baseline.dwell_before`: their `beyond` is 0) follow the plan's."""
        offset = self.periods["offset"].to_numpy(dtype=np.int64)
        months = self.periods["months"].to_numpy(dtype=np.int64)
        horizon = int(offset[-1] + months[-1])
        pl = self.data.pledges.set_index(["contributor", "capability"])["dwell_months"]
        out: list[tuple[str, str, int, int, int, int]] = []
        tours = self.tours
        for c, k, last, n in zip(
            tours["contributor"], tours["capability"], tours["last_t"], tours["units"], strict=True
        ):
            dwell = pl.get((c, k), 0)
            home = dwell_periods(offset, months, int(last), dwell).tolist()
            end = int(offset[last] + months[last]) + (int(dwell) if dwell == dwell and dwell else 0)
            out += [(c, k, t, home[-1], max(end - horizon, 0), int(n)) for t in home]
        withdrawn = {o: sum(n for _, n in gone) for o, (_, gone) in self.carried().items()}
        before = dwell_before(self.data.baseline, offset, pl, withdrawn)
        out += [
            (c, k, int(t), int(until), 0, int(n))
            for c, k, t, until, n in before.itertuples(index=False, name=None)
        ]
        return out

    def carried(self) -> Carried:
        """The rolling re-plan's carried units that continue and those withdrawn, per option
        (`carried_reading`)."""
        return carried_reading(self.data, self.tours)

    def tour_months(self) -> np.ndarray:
        """Length in months of each tour: m(last) + months(last) - m(first)."""
        offset = self.periods["offset"].to_numpy(dtype=np.int64)
        months = self.periods["months"].to_numpy(dtype=np.int64)
        last = self.tours["last_t"].to_numpy(dtype=np.int64)
        first = self.tours["first_t"].to_numpy(dtype=np.int64)
        return offset[last] + months[last] - offset[first]


Carried = dict[tuple[str, str, str], tuple[list[tuple[int, int]], list[tuple[int, int]]]]


def carried_reading(data: Data, tours: pd.DataFrame) -> Carried:
    """Per option with units carried into the first period (a rolling re-plan's history):
    ([(start, units)] of the carried tours that continue in the plan's tours from the first
    period, [(start, units)] of those withdrawn as it begins), oldest first. As many continue
    as can: the oldest leave first, the j-th oldest continuing unit in the j-th plan unit to
    leave, each within tour_months with the months it served (model/history.py; the model
    continues as many whenever a withdrawal gains nothing, and verify reads alike)."""
    baseline = data.baseline
    history = None if baseline is None else baseline.history
    if history is None or not len(history) or not history["carried"].any() or data.periods is None:
        return {}
    offset = data.periods["offset"].to_numpy(dtype=np.int64)
    months = data.periods["months"].to_numpy(dtype=np.int64)
    limits = data.pledges.set_index(["contributor", "capability"])["tour_months"]
    carried = history[history["carried"].astype(bool)]
    out: Carried = {}
    for (c, k, s), rows in carried.groupby(["contributor", "capability", "site"], sort=True):
        units = [
            (int(r.start), 1)
            for r in rows.sort_values("start").itertuples()
            for _ in range(int(r.units))
        ]
        mine = tours[
            (tours["contributor"] == c)
            & (tours["capability"] == k)
            & (tours["site"] == s)
            & (tours["first_t"] == 0)
        ]
        ends = sorted(
            int(offset[t] + months[t])
            for t, n in zip(mine["last_t"], mine["units"], strict=True)
            for _ in range(int(n))
        )
        limit = limits.get((c, k))
        q = min(len(units), len(ends))
        if limit is not None and limit == limit:
            while q and not all(
                e - st <= limit for (st, _), e in zip(units[len(units) - q :], ends, strict=False)
            ):
                q -= 1
        out[(str(c), str(k), str(s))] = (
            _runs(units[len(units) - q :]),
            _runs(units[: len(units) - q]),
        )
    return out


def _runs(units: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[(start, 1), ...] as [(start, units)], one per start, in order."""
    out: list[tuple[int, int]] = []
    for start, n in units:
        if out and out[-1][0] == start:
            out[-1] = (start, out[-1][1] + n)
        else:
            out.append((start, n))
    return out
