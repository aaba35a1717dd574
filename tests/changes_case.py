"""Baselines and plans written as tables for the Changes and Asks tests
(tests/test_changes_asks.py, tests/test_changes_why.py): an Allocation as `solve` writes it, and
the small workbooks whose re-plans say why the baseline could not stay."""

from __future__ import annotations

import pandas as pd

from solver import api
from solver.baseline import Baseline

from .workbooks import write_workbook

PPU = {"INF_BN": 600, "MP_PLT": 35}


def baseline_rows(rows: list[tuple]) -> Baseline:
    """Baseline rows (c, k, s, first_t, last_t, units[, lock])."""
    frame = pd.DataFrame(
        [
            {
                "contributor": r[0],
                "capability": r[1],
                "site": r[2],
                "first_t": r[3],
                "last_t": r[4],
                "units": r[5],
                "lock": r[6] if len(r) > 6 else False,
                "where": f"Baseline!A{i + 2}",
            }
            for i, r in enumerate(rows)
        ]
    )
    return Baseline(frame)


def allocation(rows: list[tuple]) -> pd.DataFrame:
    """An Allocation table: (c, k, s, units) or, timed, (c, k, s, period, units)."""
    timed = bool(rows) and len(rows[0]) == 5
    cols = ["contributor", "capability", "site", *(["period"] if timed else []), "units"]
    return pd.DataFrame(rows, columns=cols)


def ppu(c: str, k: str) -> int:
    return PPU[k]


def records(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.itertuples(index=False)]


def reasons_case(tmp_path):
    """Contributors A, B, D, E (available), C and F unavailable; INF of 100 personnel; sites S1,
    S2 (2 INF each) and S3 (no requirement). Pledges: A 1, B 2, C 1, D 4, E 1. Caveats: C1 B
    excludes S2; C2 E requires F."""
    path = write_workbook(
        tmp_path / "reasons.xlsx",
        contributors=[
            {"contributor": c, "status": "unavailable" if c in ("C", "F") else "available"}
            for c in "ABCDEF"
        ],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": s, "country": "X"} for s in ("S1", "S2", "S3")],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        pledges=[
            {"contributor": c, "capability": "INF", "units": n, "cost_per_unit": 1}
            for c, n in (("A", 1), ("B", 2), ("C", 1), ("D", 4), ("E", 1))
        ],
        caveats=[
            {"id": "C1", "contributor": "B", "caveat": "exclude", "site": "S2"},
            {"id": "C2", "contributor": "E", "caveat": "requires", "other": "F"},
        ],
    )
    data = api.read(path)
    data.baseline = baseline_rows(
        [
            ("A", "INF", "S2", 0, 0, 2),
            ("B", "INF", "S2", 0, 0, 1),
            ("C", "INF", "S2", 0, 0, 1),
            ("D", "INF", "S1", 0, 0, 1),
            ("D", "INF", "S3", 0, 0, 1),
            ("E", "INF", "S1", 0, 0, 1),
        ]
    )
    return data


def caps_case(tmp_path, caveats: list[dict]):
    """A alone pledges 4 INF (100 personnel) and 1 MP (50); S1, S2 need 2 INF each, S3 1 MP.
    Baseline: A 2 INF at S1, 1 INF at S2, 1 MP at S3."""
    path = write_workbook(
        tmp_path / "caps.xlsx",
        contributors=[{"contributor": "A"}],
        capabilities=[
            {"capability": "INF", "personnel_per_unit": 100},
            {"capability": "MP", "personnel_per_unit": 50},
        ],
        sites=[{"site": s} for s in ("S1", "S2", "S3")],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "INF", "units": 2},
            {"site": "S3", "capability": "MP", "units": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 4},
            {"contributor": "A", "capability": "MP", "units": 1},
        ],
        caveats=caveats,
    )
    data = api.read(path)
    data.baseline = baseline_rows(
        [("A", "INF", "S1", 0, 0, 2), ("A", "INF", "S2", 0, 0, 1), ("A", "MP", "S3", 0, 0, 1)]
    )
    return data
