"""The timed output tables' hand-built case (tests/test_time_tables.py, tests/test_time_sheets.py):
a plan of tours built by hand.

The case (`case`): periods P1 (1 month, from 2027-01-01, phase IOC), P2 (2 months), P3 (1,
phase FOC), P4 (1): m = 0, 1, 3, 4; M = 5; starts 2027-01-01, 02-01, 04-01, 05-01.
Lines: S1 INF 2 units P1..P3, priority 1, weight 2; S2 INF 2 units P1..P4, priority 2, and the
Profile makes it 1 unit in P4. Pledges: A 2 INF at 3 a unit, tour_months 3, dwell_months 1;
B 2 INF at 2 a unit, P1..P3. 100 personnel a unit.

Tours (the plan): A S1 P1..P2 1 unit; A S2 P4 1 unit; B S1 P1 1 unit; B S2 P1..P3 1 unit.
So x: S1 gets A 1 + B 1 in P1, A 1 in P2, nothing in P3; S2 gets B 1 in P1..P3, A 1 in P4.
A's S1 tour ends at e = m(P2) + 2 = 3: its unit dwells in P3 (m = 3 < 3 + 1).

    required   S1: 2 2 2 -    S2: 2 2 2 1
    allocated  S1: 2 1 0 -    S2: 1 1 1 1
    shortfall  S1: 0 1 2 -    S2: 1 1 1 0
    months        1 2 1 1
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from solver import api
from solver.data import Data
from solver.results.report import make_tables, output_sheets
from solver.results.writer import build_workbook, workbook_bytes
from solver.solve.options import SolveOptions
from solver.solve.outcome import SolveOutcome, StageResult
from solver.time_plan import TOUR_KEY, TimedPlan

from .workbooks import simple_case

PERIODS = [
    {"period": "P1", "start": "2027-01", "phase": "IOC"},
    {"period": "P2", "months": 2},
    {"period": "P3", "phase": "FOC"},
    {"period": "P4"},
]


TOURS = [
    ("A", "INF", "S1", 0, 1, 1),
    ("A", "INF", "S2", 3, 3, 1),
    ("B", "INF", "S1", 0, 0, 1),
    ("B", "INF", "S2", 0, 2, 1),
]


PLEDGES = [
    {
        "contributor": "A",
        "capability": "INF",
        "units": 2,
        "cost_per_unit": 3,
        "tour_months": 3,
        "dwell_months": 1,
    },
    {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 2, "to": "P3"},
]


def case(tmp_path: Path, **sheets) -> Data:
    """The module docstring's case; a sheet given replaces its rows (None: simple_case's)."""
    sheets.setdefault("periods", PERIODS)
    sheets.setdefault(
        "requirements",
        [
            {"site": "S1", "capability": "INF", "units": 2, "weight": 2, "to": "P3"},
            {"site": "S2", "capability": "INF", "units": 2, "priority": 2},
        ],
    )
    sheets.setdefault(
        "profile", [{"site": "S2", "capability": "INF", "from": "P4", "to": "P4", "units": 1}]
    )
    sheets.setdefault("pledges", [dict(p) for p in PLEDGES])
    sheets = {k: v for k, v in sheets.items() if v is not None}
    return api.read(simple_case(tmp_path / "timed.xlsx", **sheets), allow_timed=True)


def plan_of(data, tours=TOURS) -> TimedPlan:
    return TimedPlan(data, pd.DataFrame(tours, columns=[*TOUR_KEY, "units"]))


def no_hard(data) -> tuple[np.ndarray, np.ndarray]:
    shape = (len(data.requirements), len(data.periods))
    return np.zeros(shape, dtype=bool), np.full(shape, "", dtype=object)


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [
        tuple(None if v is None or v != v else v for v in r) for r in frame.itertuples(index=False)
    ]


def make(data, plan=None, **kwargs):
    """make_tables with a stand-in for the model's context (only caveat notes and the model's
    size are read from it) and a solved outcome."""
    ctx = SimpleNamespace(
        data=data, x=None, notes={}, lm=SimpleNamespace(size=lambda: {"variables": 1})
    )
    outcome = SolveOutcome(
        "optimal", np.zeros(1), [StageResult("shortfall.p1", "optimal", 8.0, 0.0)]
    )
    return make_tables(
        data,
        ctx,
        outcome,
        SolveOptions(),
        backend="highs",
        highs_version="test",
        timings={},
        plan=plan if plan is not None else plan_of(data),
        **kwargs,
    )


def written(tables) -> bytes:
    return workbook_bytes(build_workbook(output_sheets(tables)))
