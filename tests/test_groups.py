"""The levels of fix-and-optimise (solver/solve/groups.py), on a small timed case.

World: two capabilities (INF, AD), two nations pledging each, two sites, over 8 periods of
lengths 3, 3, 3, 3, 1, 1, 1, 1 months (offsets 0, 3, 6, 9, 12, 13, 14, 15). With windows of 6
months a column of a period starting at month m belongs to window m // 6 (periods 1-2 in 0,
3-4 in 1, 5-8 in 2: months 12-15) and, in the staggered partition, (m + 3) // 6 (period 1 in
0; periods 2-3 in 1: 6 // 6 = 9 // 6 = 1; periods 4-7 in 2: 12, 15, 16, 17 over 6; period 8
in 3: 18 // 6). The capabilities' windows are tried first, then the windows over every
capability (the same two partitions; at the shortfall stages only), then the capabilities,
then the pledges."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve.groups import group_levels, set_polish_groups

from .time_cases import months, timed_case


def case(tmp_path: Path) -> Path:
    return timed_case(
        tmp_path / "groups.xlsx",
        periods=months(8, [3, 3, 3, 3, 1, 1, 1, 1]),
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "AD", "category": "air", "personnel_per_unit": 50},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "AD", "units": 1, "priority": 1},
        ],
        pledges=[
            {"contributor": c, "capability": k, "units": 1, "tour_months": 6, "cost_per_unit": 1}
            for c in ("A", "B")
            for k in ("INF", "AD")
        ],
    )


def test_capabilities_pledges_and_staggered_windows(tmp_path: Path) -> None:
    ctx = build_model(api.read(case(tmp_path)))
    mm = MatrixModel.from_linear(ctx.lm)
    set_polish_groups(ctx, mm)
    assert ctx.x is not None and len(mm.col_levels) == 6
    assert mm.col_group is not None and np.array_equal(mm.col_group, mm.col_levels[4])
    assert mm.shortfall_levels == {2, 3}
    x = ctx.x
    window = {0: 0, 1: 0, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2}
    staggered = {0: 0, 1: 1, 2: 1, 3: 2, 4: 2, 5: 2, 6: 2, 7: 3}
    keys = {
        0: [(k, window[t]) for k, t in zip(x["capability"], x["t"], strict=True)],
        1: [(k, staggered[t]) for k, t in zip(x["capability"], x["t"], strict=True)],
        2: [window[t] for t in x["t"]],
        3: [staggered[t] for t in x["t"]],
        4: list(x["capability"]),
        5: list(zip(x["contributor"], x["capability"], strict=True)),
    }
    for level, expected in keys.items():
        groups = mm.col_levels[level]
        for cols in (x["col"].to_numpy(), x["arrive"].to_numpy()):  # arrivals go with x
            same = groups[cols][:, None] == groups[cols][None, :]
            expect = np.array([[a == b for b in expected] for a in expected])
            assert np.array_equal(same, expect), level
    outside = np.setdiff1d(np.arange(mm.n_cols), np.r_[x["col"], x["arrive"]])
    assert all(np.all(level[outside] == -1) for level in mm.col_levels)


def test_a_small_snapshot_has_no_levels(tmp_path: Path) -> None:
    """Below polish.LNS_MIN_COLUMNS a snapshot is not polished: no levels, no col_group."""
    from .workbooks import simple_case

    ctx = build_model(api.read(simple_case(tmp_path / "snap.xlsx")))
    assert group_levels(ctx, 10) == []


def test_windows_over_every_capability_only_where_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each period has 4 options (A and B for INF at S1, for AD at S2), each an x and an
    arrival column. The largest window over every capability holds 4 periods (5-8 in the first
    partition, 4-7 in the staggered one): 4 x 4 x 2 = 32 columns. With WIDE_MAX_COLUMNS 32 both
    partitions are levels; with 31 neither is, and the capability level is still `col_group`."""
    from solver.solve import groups

    ctx = build_model(api.read(case(tmp_path)))
    assert ctx.x is not None and len(ctx.x) == 8 * 4
    for limit, levels in ((32, 6), (31, 4)):
        monkeypatch.setattr(groups, "WIDE_MAX_COLUMNS", limit)
        mm = MatrixModel.from_linear(ctx.lm)
        set_polish_groups(ctx, mm)
        assert len(mm.col_levels) == levels
        assert mm.shortfall_levels == ({2, 3} if levels == 6 else set())
        assert mm.col_group is not None and np.array_equal(mm.col_group, mm.col_levels[-2])
