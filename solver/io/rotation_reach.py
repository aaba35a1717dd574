"""What no rotation of a set of pledges can keep present: the unit-months their tours and dwell
allow over every run of periods, against what a hard line or a commitment (`min_units`) needs.

The checks of io/hard_lines.py and io/commitments.py count the units that could serve a period
alone. A pledge with a tour limit cannot keep its units present period after period, though: a
unit present for T months goes home for D months before it deploys again (`time.md`, rule 3), so
in any L consecutive months it is present for at most

    m(L) = floor(L / (T + D)) * T + min(T, L mod (T + D))        (T blank: m(L) = L)

months (present from the first month of the run is the best a unit can do). Over a run of
periods a..b, pledge p can be present for at most

    supply_p(a, b) = min( sum_{t=a..b} reach[p, t] * months(t),  U_p * m(span_p(a, b)) )

unit-months, and the run needs

    need(a, b) = sum_{t=a..b} need[t] * months(t)

    reach[p, t]     the units p could hold in period t alone (the per-period checks' bound)
    U_p, T_p, D_p   the pledge's units, tour_months and dwell_months
    span_p(a, b)    the months from the start of the first period of a..b in which
                    reach[p, t] > 0 to the end of the last (the months between count: a unit
                    away in them is in dwell)
    need[t]         the units the line or the commitment asks for in period t

Where need(a, b) > sum_p supply_p(a, b) for some run, no plan exists (every supply is an upper
bound, so a run found short is short in every plan). A rolling re-plan's units carried in or at
home from before the horizon only lower the supply. Worked example: 3 units on tours of at most
6 months with 12 months of dwell, asked for 2 in every month: any 18 months need 36 unit-months,
and the three units give at most 3 x 6 = 18.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data import Data
from ..wording import count


@dataclass(frozen=True)
class Pool:
    """The pledges that could serve one line or commitment, one row each: `reach[p, t]` as in
    the module's docstring, `units`, `tour` (NaN: no limit) and `dwell` months, and how each is
    named in a message (`ITA 3`)."""

    reach: np.ndarray
    units: np.ndarray
    tour: np.ndarray
    dwell: np.ndarray
    names: list[str]

    def rotates(self) -> bool:
        """Some pledge's tours are limited and followed by dwell: only then can a run of periods
        hold fewer unit-months than its periods one by one."""
        limited = ~np.isnan(self.tour) & (self.dwell > 0) & (self.reach.sum(axis=1) > 0)
        return bool(limited.any())

    def described(self) -> str:
        """`ITA 3 (tours of at most 6 months, then 12 months of dwell), FRA 1`: each pledge that
        could serve, with its rotation where it has one."""
        said = []
        for name, tour, dwell, reach in zip(
            self.names, self.tour, self.dwell, self.reach, strict=True
        ):
            if not reach.any():
                continue
            if np.isnan(tour) or dwell <= 0:
                said.append(name)
                continue
            said.append(
                f"{name} (tours of at most {count(int(tour), 'month')}, then "
                f"{count(int(dwell), 'month')} of dwell)"
            )
        return ", ".join(said)


@dataclass(frozen=True)
class Short:
    """The run of periods first..last (inclusive) whose need exceeds the most the pool's
    rotation can supply, in unit-months; `most_units` the most units per period (asked of
    every period alike) the pool could keep there."""

    first: int
    last: int
    need: float
    supply: float
    most_units: int

    def kept(self) -> str:
        """`at most 1 unit in each period`; `not even 1 unit in every period` for none (a
        trial read `at most 0 units in each period` as never present)."""
        if self.most_units == 0:
            return "not even 1 unit in every period"
        return f"at most {count(self.most_units, 'unit')} in each period"


def most_months(length: np.ndarray, tour: np.ndarray, dwell: np.ndarray) -> np.ndarray:
    """m(L) of the module's docstring, elementwise: the most months one unit is present in
    `length` consecutive months (L where the tour is not limited)."""
    cycle = tour + dwell
    limited = ~np.isnan(tour)
    safe_cycle = np.where(limited & (cycle > 0), cycle, 1.0)
    safe_tour = np.where(limited, tour, 0.0)
    rotated = np.floor(length / safe_cycle) * safe_tour + np.minimum(
        safe_tour, np.mod(length, safe_cycle)
    )
    return np.where(limited, rotated, length)


def rotation_short(
    pool: Pool, need: np.ndarray, offset: np.ndarray, months: np.ndarray
) -> Short | None:
    """The run a..b that falls furthest short of its need (the earliest, then the shortest, of
    equals), or None where every run can be kept. `offset[t]` is the month period t starts at,
    `months[t]` its length."""
    n = len(months)
    a, b = np.triu_indices(n)  # every run a..b, a-major: the earliest run first among equals
    needed = np.concatenate([[0.0], np.cumsum(need * months)])
    need_ab = needed[b + 1] - needed[a]
    supply = np.zeros(len(a))
    for p in range(len(pool.units)):
        supply += _pledge_supply(pool, p, a, b, offset, months)
    over = need_ab - supply
    worst = int(np.argmax(over))
    if over[worst] <= 1e-9:
        return None
    asked = need_ab > 0
    ratio = np.where(asked, supply / np.where(asked, need_ab, 1.0), np.inf)
    most_units = int(np.floor(float(np.min(ratio * need.max())) + 1e-9)) if need.max() else 0
    return Short(
        int(a[worst]), int(b[worst]), float(need_ab[worst]), float(supply[worst]), most_units
    )


def _pledge_supply(
    pool: Pool, p: int, a: np.ndarray, b: np.ndarray, offset: np.ndarray, months: np.ndarray
) -> np.ndarray:
    """supply_p(a, b) of the module's docstring, for every run a..b at once."""
    reach = pool.reach[p]
    served = np.concatenate([[0.0], np.cumsum(reach * months)])
    by_periods = served[b + 1] - served[a]
    if np.isnan(pool.tour[p]) or pool.dwell[p] <= 0:
        return by_periods
    n = len(months)
    active = reach > 0
    index = np.arange(n)
    # the first active period at or after a, the last at or before b
    next_active = np.minimum.accumulate(np.where(active, index, n)[::-1])[::-1]
    last_active = np.maximum.accumulate(np.where(active, index, -1))
    first, last = next_active[a], last_active[b]
    some = (first < n) & (last >= 0) & (first <= last)
    first_c, last_c = np.clip(first, 0, n - 1), np.clip(last, 0, n - 1)
    span = np.where(some, offset[last_c] + months[last_c] - offset[first_c], 0.0)
    rotation = pool.units[p] * most_months(
        span.astype(float), np.full(len(a), pool.tour[p]), np.full(len(a), float(pool.dwell[p]))
    )
    return np.minimum(by_periods, rotation)


def pool_of(data: Data, options: pd.DataFrame) -> Pool:
    """The pledges of `options` (rows of `model.candidates`: `pledge_idx`, `t`, `ub`) as a
    Pool: reach[p, t] = min(U_p, the sum of p's options' bounds in t)."""
    assert data.periods is not None
    summed = options.groupby(["pledge_idx", "t"])["ub"].sum()
    pledges = sorted({int(p) for p in summed.index.get_level_values(0)})
    row = {p: i for i, p in enumerate(pledges)}
    pl = data.pledges.iloc[pledges]
    units = pl["units"].to_numpy(dtype=float)
    reach = np.zeros((len(pledges), len(data.periods)))
    for (p, t), ub in summed.items():
        reach[row[int(p)], int(t)] = ub
    return Pool(
        reach=np.minimum(reach, units[:, None]),
        units=units,
        tour=pl["tour_months"].to_numpy(dtype=float),
        dwell=pl["dwell_months"].fillna(0).to_numpy(dtype=float),
        names=[f"{c} {count(u, 'unit')}" for c, u in zip(pl["contributor"], units, strict=True)],
    )


def rotation_gap(data: Data, options: pd.DataFrame, need: np.ndarray) -> tuple[Pool, Short] | None:
    """The pledges of `options` (`pool_of`) and the run of the workbook's periods furthest
    short of `need[t]` units in each period (`rotation_short`); None where no pledge rotates
    or every run can be kept."""
    assert data.periods is not None
    if not len(options):
        return None
    pool = pool_of(data, options)
    if not pool.rotates():
        return None
    offset = data.periods["offset"].to_numpy(dtype=float)
    months = data.periods["months"].to_numpy(dtype=float)
    short = rotation_short(pool, need, offset, months)
    return None if short is None else (pool, short)
