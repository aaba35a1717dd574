"""The timed output tables (`time.md`, Output), from a plan of tours built by hand.

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

import datetime as dt
import hashlib
import io
from pathlib import Path
from types import SimpleNamespace

import click
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from solver import api
from solver.data import Data
from solver.results.console import summary_lines
from solver.results.digest import allocation_digest
from solver.results.report import make_tables, output_sheets
from solver.results.time_stages import timed_stage_values
from solver.results.time_tables import data_reason, timed_tables
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


def test_tours_lengths_personnel_and_dates(tmp_path: Path) -> None:
    """months = m(last) + months(last) - m(first): A S1 P1..P2 = 1 + 2 - 0 = 3; B S2 P1..P3 =
    3 + 1 - 0 = 4. end_date = the day before the next period's start (for the last period,
    start(last) + months(last) - 1 day): P2 starts 02-01, 2 months
    -> 03-31; P4 05-01 -> 05-31; P1 -> 01-31; P3 04-01 -> 04-30. Sorted c, k, s, from."""
    data = case(tmp_path)
    tours = timed_tables(plan_of(data), *no_hard(data))["Tours"]
    d = dt.date
    assert rows(tours) == [
        ("A", "INF", "S1", "P1", "P2", 3, 1, 100, d(2027, 1, 1), d(2027, 3, 31)),
        ("A", "INF", "S2", "P4", "P4", 1, 1, 100, d(2027, 5, 1), d(2027, 5, 31)),
        ("B", "INF", "S1", "P1", "P1", 1, 1, 100, d(2027, 1, 1), d(2027, 1, 31)),
        ("B", "INF", "S2", "P1", "P3", 4, 1, 100, d(2027, 1, 1), d(2027, 4, 30)),
    ]


def test_tours_without_start_dates_have_no_date_columns(tmp_path: Path) -> None:
    """No `start` in Periods: Tours has no start_date / end_date."""
    data = case(
        tmp_path, periods=[{"period": p["period"], "months": p.get("months", 1)} for p in PERIODS]
    )
    tours = timed_tables(plan_of(data), *no_hard(data))["Tours"]
    assert list(tours.columns) == [
        "contributor",
        "capability",
        "site",
        "from",
        "to",
        "months",
        "units",
        "personnel",
    ]


def test_tour_end_dates_leave_no_day_between_periods(tmp_path: Path) -> None:
    """M1..M4 of one month, start 2027-01-31 on M1 only: the starts follow with the day kept
    within the month, Jan 31, Feb 28, Mar 31, Apr 30. A tour ends the day before the next
    period starts: M1 on Feb 27, M2 on Mar 30 (Feb 28 + 1 month - 1 day gave Mar 27, and 28-30
    March were in no period); M4, the last, the day before a fifth period would start, Jan 31 + 4
    months = May 31: May 30 (its own start + 1 month, Apr 30 -> May 30, would lose a day)."""
    data = case(
        tmp_path,
        periods=[
            {"period": "M1", "start": "2027-01-31"},
            *({"period": f"M{i}"} for i in (2, 3, 4)),
        ],
        requirements=[{"site": "S1", "capability": "INF", "units": 1}],
        profile=None,
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1}],
    )
    tours = [("A", "INF", "S1", 0, 0, 1), ("A", "INF", "S1", 1, 1, 1), ("A", "INF", "S1", 2, 3, 1)]
    table = timed_tables(plan_of(data, tours), *no_hard(data))["Tours"]
    d = dt.date
    assert [(r.to, r.start_date, r.end_date) for r in table.itertuples()] == [
        ("M1", d(2027, 1, 31), d(2027, 2, 27)),
        ("M2", d(2027, 2, 28), d(2027, 3, 30)),
        ("M4", d(2027, 3, 31), d(2027, 5, 30)),
    ]


def test_allocation_and_coverage_per_period(tmp_path: Path) -> None:
    """Allocation: one row per (c, k, s, t) present, in time order within a key. Coverage: one
    row per line and active period (S1 P1..P3, S2 P1..P4) as in the module docstring; S1 is
    made hard in P1..P2 by `caveat C1` (the lead's hard_t), and only there."""
    data = case(tmp_path)
    hard, because = no_hard(data)
    hard[0, :2] = True
    because[0, :2] = "caveat C1"
    tables = timed_tables(plan_of(data), hard, because)
    assert rows(tables["Allocation"]) == [
        ("A", "INF", "S1", "P1", 1, 100),
        ("A", "INF", "S1", "P2", 1, 100),
        ("A", "INF", "S2", "P4", 1, 100),
        ("B", "INF", "S1", "P1", 1, 100),
        ("B", "INF", "S2", "P1", 1, 100),
        ("B", "INF", "S2", "P2", 1, 100),
        ("B", "INF", "S2", "P3", 1, 100),
    ]
    assert rows(tables["Coverage"]) == [
        ("S1", "INF", "P1", 2, 2, 0, 1, "yes", 2.0, "no", "caveat C1"),
        ("S1", "INF", "P2", 2, 1, 1, 1, "yes", 2.0, "no", "caveat C1"),
        ("S1", "INF", "P3", 2, 0, 2, 1, "no", 2.0, "no", ""),
        ("S2", "INF", "P1", 2, 1, 1, 2, "no", 1.0, "no", ""),
        ("S2", "INF", "P2", 2, 1, 1, 2, "no", 1.0, "no", ""),
        ("S2", "INF", "P3", 2, 1, 1, 2, "no", 1.0, "no", ""),
        ("S2", "INF", "P4", 1, 1, 0, 2, "no", 1.0, "no", ""),
    ]


def test_sustainability(tmp_path: Path) -> None:
    """S1: active 3 periods, short in P2 (1) and P3 (2): unit-months short = 2 x 1 + 1 x 2 = 4;
    first short P2, sustained until P1; its reason is the one given. S2: short P1..P3, 1 each:
    1 x 1 + 2 x 1 + 1 x 1 = 4; short from the start, so sustained_until is blank; no reason
    given and the pledges (A 2 + B 2 in P1) cover both lines (4): the data says nothing."""
    data = case(tmp_path)
    sus = timed_tables(plan_of(data), *no_hard(data), reasons={("S1", "INF"): "A dwells in P3"})[
        "Sustainability"
    ]
    assert rows(sus) == [
        ("S1", "INF", 1, 3, 2, 4, "P2", "P1", "A dwells in P3"),
        ("S2", "INF", 2, 4, 3, 4, "P1", None, ""),
    ]


def test_a_line_never_short_is_sustained_until_its_last_active_period(tmp_path: Path) -> None:
    """One line, S1 P1..P2 2 units, held by A 1 and B 1 in P1..P2: never short, so sustained
    until P2, its last active period."""
    data = case(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "to": "P2"}],
        profile=[],
    )
    tours = [("A", "INF", "S1", 0, 1, 1), ("B", "INF", "S1", 0, 1, 1)]
    sus = timed_tables(plan_of(data, tours), *no_hard(data))["Sustainability"]
    assert rows(sus) == [("S1", "INF", 1, 2, 0, 0, None, "P2", "")]


@pytest.mark.parametrize(
    ("pledges", "t", "reason"),
    [
        # A from P4, B to P2: nothing in P3; the earliest later from is P4
        ([("A", 2, "P4", None), ("B", 2, None, "P2")], 2, "no pledge of INF available before P4"),
        # both end by P2: the latest to is P2
        ([("A", 2, None, "P2"), ("B", 1, None, "P1")], 2, "no pledge of INF available after P2"),
        # in P1 only B's 1 unit is pledged; S1 and S2 require 2 each
        ([("A", 2, "P3", None), ("B", 1, None, "P2")], 0, "INF in P1: 4 units required, 1 pledged"),
        # 2 + 2 pledged, 4 required: the data alone does not explain a gap
        ([("A", 2, None, None), ("B", 2, None, None)], 0, ""),
    ],
)
def test_reasons_read_from_the_data(tmp_path: Path, pledges, t, reason) -> None:
    """Lines S1 and S2 require 2 INF each in every period (no Profile)."""
    data = case(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        profile=[],
        pledges=[
            {"contributor": c, "capability": "INF", "units": n, "from": f, "to": to}
            for c, n, f, to in pledges
        ],
    )
    assert data_reason(data, "INF", t) == reason


def test_no_available_pledge_is_the_reason(tmp_path: Path) -> None:
    """A and B unavailable: no pledge of INF can deploy."""
    data = case(
        tmp_path,
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0, "status": "unavailable"},
            {"contributor": "B", "lat": 0, "lon": 1, "status": "unavailable"},
        ],
    )
    assert data_reason(data, "INF", 0) == "no available pledge of INF"


def test_burden(tmp_path: Path) -> None:
    """A: 1 unit in P1, P2 (S1) and P4 (S2); its S1 unit dwells in P3; pledged 2 throughout.
    B: 2 units in P1 (S1 and S2), 1 in P2, P3; pledged 2 in P1..P3 and nothing after: its P4
    row is all 0 (time.md: one row per contributor and period)."""
    data = case(tmp_path)
    burden = timed_tables(plan_of(data), *no_hard(data))["Burden"]
    assert rows(burden) == [
        ("A", "P1", 1, 100, 0, 2),
        ("A", "P2", 1, 100, 0, 2),
        ("A", "P3", 0, 0, 1, 2),
        ("A", "P4", 1, 100, 0, 2),
        ("B", "P1", 2, 200, 0, 2),
        ("B", "P2", 1, 100, 0, 2),
        ("B", "P3", 1, 100, 0, 2),
        ("B", "P4", 0, 0, 0, 0),
    ]


def test_stage_values_in_weighted_unit_months(tmp_path: Path) -> None:
    """p1: weight 2 x (months(P2) 2 x 1 + months(P3) 1 x 2) = 2 x 4 = 8; p2: 1 x (1 x 1 +
    2 x 1 + 1 x 1) = 4. cost: per tour, not per period: A 3 x (1 + 1) + B 2 x (1 + 1) = 10.
    presence: (A, S1), (A, S2), (B, S1), (B, S2) = 4."""
    data = case(tmp_path)
    assert timed_stage_values(plan_of(data)) == {
        "objective.shortfall.p1": 8.0,
        "objective.shortfall.p2": 4.0,
        "objective.cost": 10.0,
        "objective.presence": 4.0,
    }


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


def test_summary_in_unit_months(tmp_path: Path) -> None:
    """required: S1 2 x (1 + 2 + 1) = 8, S2 2 x 1 + 2 x 2 + 2 x 1 + 1 x 1 = 9: 17; allocated:
    S1 2 x 1 + 1 x 2 = 4, S2 1 + 2 + 1 + 1 = 5: 9; short 8 (p1 4, p2 4); 9 / 17 = 52.94%.
    Peak personnel: P1 A 100 + B 200 = 300. No line held in every period; the first p1 gap is
    S1 from P2. Console: the same figures."""
    data = case(tmp_path)
    tables = make(data)
    s = dict(tables.summary)
    assert s["periods"] == 4 and s["horizon_months"] == 5
    assert (s["required_unit_months"], s["allocated_unit_months"], s["shortfall_unit_months"]) == (
        17,
        9,
        8,
    )
    assert s["coverage_pct"] == 52.94
    assert (s["shortfall_unit_months.p1"], s["shortfall_unit_months.p2"]) == (4, 4)
    assert s["deployed_personnel"] == 300 and s["contributors_engaged"] == 2
    assert (s["lines"], s["lines_sustained"], s["first_gap"]) == (2, 0, "p1 S1 INF from P2")
    assert s["objective.shortfall.p1"] == 8.0 and s["objective.cost"] == 10.0
    assert "required_units" not in s
    text = [click.unstyle(line) for line in summary_lines(tables)]
    assert (
        "unit-months: 9 allocated of 17 required (52.94%) over 5 months, peak 300 personnel, 2 contributors"
        in text
    )
    assert "sustained: 0 of 2 lines in every period; first priority-1 gap: S1 INF from P2" in text


def test_deploy_to_dwell_counts_the_rotating_pledges_only(tmp_path: Path) -> None:
    """A also pledges 1 ART that sustains itself (no dwell) and keeps it at S1 over P1..P4:
    5 unit-months (1 + 2 + 1 + 1). A's unit_months grow to 4 + 5 = 9, but its deploy-to-dwell
    stays that of its rotating INF: 4 unit-months to 1 of dwell, 4.0 (counting ART made it
    9.0, a ratio no rotation has)."""
    data = case(
        tmp_path,
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "ART", "category": "ground", "personnel_per_unit": 50},
        ],
        pledges=[
            *(dict(p) for p in PLEDGES),
            {"contributor": "A", "capability": "ART", "units": 1, "cost_per_unit": 1},
        ],
    )
    tables = make(data, plan_of(data, [*TOURS, ("A", "ART", "S1", 0, 3, 1)]))
    con = tables.contributors.set_index("contributor")
    assert (con.at["A", "unit_months"], con.at["A", "dwell_unit_months"]) == (9, 1)
    assert con.at["A", "deploy_to_dwell"] == 4.0


def test_contributors_in_time(tmp_path: Path) -> None:
    """A: peak 1 unit (100), sites S1, S2, unit-months 1 x 1 + 1 x 2 + 1 x 1 = 4, dwell 1 unit
    x months(P3) 1 = 1: deploy-to-dwell 4.0, 2 tours. B: peak 2 units (P1, 200), unit-months
    2 x 1 + 1 x 2 + 1 x 1 = 5, no dwell (blank ratio), 2 tours. Matrix in unit-months:
    S1 4/8, S2 5/9."""
    tables = make(case(tmp_path))
    con = tables.contributors.set_index("contributor")
    cols = [
        "deployed_units",
        "deployed_personnel",
        "sites",
        "site_list",
        "unit_months",
        "dwell_unit_months",
        "tours",
    ]
    assert tuple(con.loc["A", cols]) == (1, 100, 2, "S1, S2", 4, 1, 2)
    assert tuple(con.loc["B", cols]) == (2, 200, 2, "S1, S2", 5, 0, 2)
    assert con.at["A", "deploy_to_dwell"] == 4.0 and pd.isna(con.at["B", "deploy_to_dwell"])
    assert rows(tables.matrix) == [("S1", "4/8"), ("S2", "5/9")]


def test_the_digest_of_a_timed_allocation_counts_the_period(tmp_path: Path) -> None:
    """The documented text: `c TAB k TAB s TAB period TAB units TAB personnel` per row, sorted;
    moving A's unit from P1 to P2 changes it."""
    one = pd.DataFrame(
        [("A", "INF", "S1", "P1", 1, 100)],
        columns=["contributor", "capability", "site", "period", "units", "personnel"],
    )
    moved = one.assign(period="P2")
    assert allocation_digest(one) == hashlib.sha256(b"A\tINF\tS1\tP1\t1\t100\n").hexdigest()
    assert allocation_digest(moved) != allocation_digest(one)


def written(tables) -> bytes:
    return workbook_bytes(build_workbook(output_sheets(tables)))


def test_sheet_order_and_timeline(tmp_path: Path) -> None:
    """Sheets in order; the Timeline: header, the phase row, then one row per line; cells
    `A 1, B 1`; the shortfall block at I..L (blank where S1 is not active, P4)."""
    book = load_workbook(io.BytesIO(written(make(case(tmp_path)))))
    assert book.sheetnames[:8] == [
        "Dashboard",
        "Summary",
        "Tours",
        "Allocation",
        "Coverage",
        "Sustainability",
        "Burden",
        "Timeline",
    ]
    ws = book["Timeline"]
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    assert got == [
        [
            "site",
            "capability",
            "priority",
            "P1",
            "P2",
            "P3",
            "P4",
            None,
            "short P1",
            "short P2",
            "short P3",
            "short P4",
        ],
        ["phase", None, None, "IOC", None, "FOC", None, None, "IOC", None, "FOC", None],
        ["S1", "INF", 1, "A 1, B 1", "A 1", None, None, None, 0, 1, 2, None],
        ["S2", "INF", 2, "B 1", "B 1", "B 1", "A 1", None, 1, 1, 1, 0],
    ]
    assert ws.freeze_panes == "D3"


def test_a_period_a_profile_sets_to_zero_is_blank_on_the_timeline(tmp_path: Path) -> None:
    """S1/INF asks 1 unit in P1..P4 but the Profile 0 in P3; A's one unit ends with P2. The
    line is short only in P4: its short cells read 0, 0, blank (nothing required, as outside
    a window), 1; Sustainability counts 3 periods active."""
    from .time_cases import months, timed_case

    case = timed_case(
        tmp_path / "case.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P2"}],
        profile=[{"site": "S1", "capability": "INF", "from": "P3", "to": "P3", "units": 0}],
    )
    out = tmp_path / "plan.xlsx"
    api.write(api.solve(case, time_limit=60), out)
    book = load_workbook(out, read_only=True)
    rows = list(book["Timeline"].iter_rows(values_only=True))
    assert rows[1] == ("S1", "INF", 1, "A 1", "A 1", None, None, None, 0, 0, None, 1)
    sustainability = list(book["Sustainability"].iter_rows(values_only=True))
    assert sustainability[1][3:6] == (3, 1, 1)  # periods_active, periods_short, unit-months


def test_timeline_colours_are_conditional_formats(tmp_path: Path) -> None:
    """Red first where the shortfall cell (4 + 1 columns to the right: D3 -> I3) is > 0, and it
    stops the nation rules; then one fill per contributor, matched by the text starting
    `CODE ` (so `A` never colours a cell of a contributor `AB`)."""
    ws = load_workbook(io.BytesIO(written(make(case(tmp_path)))))["Timeline"]
    rules = {
        str(cf.sqref): [(r.formula, r.stopIfTrue) for r in cf.rules]
        for cf in ws.conditional_formatting
    }
    assert rules == {
        "D3:G4": [(["N(I3)>0"], True), (['LEFT(D3,2)="A "'], None), (['LEFT(D3,2)="B "'], None)],
        "I3:L4": [(["N(I3)>0"], None)],
    }


def test_dashboard_in_time_has_its_charts(tmp_path: Path) -> None:
    """Coverage by priority per period: p1 in P1 2/2 = 1, P2 1/2, P3 0/2, P4 nothing required
    (blank); p2 1/2, 1/2, 1/2, 1/1. Four charts: coverage by priority, personnel per period,
    and the two burden charts."""
    ws = load_workbook(io.BytesIO(written(make(case(tmp_path)))))["Dashboard"]
    cells = [list(r) for r in ws.iter_rows(min_col=1, max_col=3, values_only=True)]
    title = cells.index(["Chart data: coverage by priority per period", None, None])
    assert cells[title + 1 : title + 6] == [
        ["period", "p1", "p2"],
        ["P1", 1.0, 0.5],
        ["P2", 0.5, 0.5],
        ["P3", 0.0, 0.5],
        ["P4", None, 1.0],
    ]
    assert len(ws._charts) == 4


def test_the_dashboards_burden_in_time_is_peaks_and_personnel_months(tmp_path: Path) -> None:
    """Peaks: A has 1 unit (100) in P1, P2 and P4, B 2 in P1 (200). Personnel-months: A's S1
    tour 1 unit x (1 + 2) months + S2 1 x 1 = 4 unit-months, 400; B's S1 1 x 1 + S2 1 x (1 +
    2 + 1) = 5, 500; shares 4/9 and 5/9 (the peaks' would be 1/3 and 2/3). Most first by
    peak; the first chart says peaks."""
    from solver.results.time_dashboard import peaks_and_months

    tables = make(case(tmp_path))
    frame = peaks_and_months(tables)
    assert list(frame.columns) == [
        "contributor",
        "peak personnel",
        "personnel-months share",
        "gdp share",
    ]
    assert frame["contributor"].tolist() == ["B", "A"]
    assert frame["peak personnel"].tolist() == [200, 100]
    assert frame["personnel-months share"].tolist() == pytest.approx([5 / 9, 4 / 9])
    ws = load_workbook(io.BytesIO(written(tables)))["Dashboard"]
    titles = [c.title.tx.rich.p[0].r[0].t for c in ws._charts]
    assert "Peak personnel per contributor" in titles
    assert "Burden share: personnel-months vs gdp" in titles


def test_written_bytes_are_deterministic(tmp_path: Path) -> None:
    """Two builds of the same plan give the same bytes."""
    data = case(tmp_path)
    assert written(make(data)) == written(make(data))


def test_a_timed_solve_without_a_plan_has_empty_timed_tables(tmp_path: Path) -> None:
    """No plan (infeasible): Tours and Allocation empty, every active line-period short."""
    data = case(tmp_path)
    ctx = SimpleNamespace(data=data, x=None, notes={}, lm=SimpleNamespace(size=lambda: {}))
    tables = make_tables(
        data,
        ctx,
        SolveOutcome("infeasible", None),
        SolveOptions(),
        backend="highs",
        highs_version="test",
        timings={},
    )
    assert len(tables.allocation) == 0 and len(tables.timed["Tours"]) == 0
    assert list(tables.coverage["allocated"]) == [0] * 7
    book = load_workbook(io.BytesIO(written(tables)))
    figures = dict(book["Dashboard"].iter_rows(min_row=2, values_only=True))
    assert figures["plan"] == "none: no allocation exists (the Infeasibility sheet says why)"
    assert not any(str(k).startswith(("coverage", "unit-months", "first gap")) for k in figures)


def test_make_tables_passes_the_reasons_on(tmp_path: Path) -> None:
    """A reason given for S2 (short from P1) is Sustainability's; S1 keeps the data's (blank:
    A 2 + B 2 pledged in P2 cover S1's 2 and S2's 2)."""
    tables = make(case(tmp_path), reasons={("S2", "INF"): "B's second unit is held back"})
    assert list(tables.timed["Sustainability"]["reason"]) == ["", "B's second unit is held back"]


def test_an_edited_timed_allocation_is_told_by_its_digest(tmp_path: Path) -> None:
    """The written output's Allocation gives the recorded allocation_sha256 (not edited);
    moving A's S1 unit of P2 to P3 (cell D3: the rows are A S1 P1, A S1 P2, ...) keeps every
    total per (c, k, s) but changes the digest: edited."""
    from openpyxl import load_workbook as load

    from solver.results.digest import hand_edit

    out = tmp_path / "out.xlsx"
    out.write_bytes(written(make(case(tmp_path))))
    assert not hand_edit(out)
    book = load(out)
    assert book["Allocation"]["D3"].value == "P2"
    book["Allocation"]["D3"] = "P3"
    book.save(out)
    assert hand_edit(out)


def test_a_split_tour_is_told_by_the_tours_digest(tmp_path: Path) -> None:
    """Splitting a tour in the Tours sheet (its `to` moved one period earlier, a new row for the
    last period) keeps every period's units, so the Allocation's digest cannot see it; the
    recorded tours_sha256 does: edited."""
    from openpyxl import load_workbook as load

    from solver.results.digest import hand_edit

    out = tmp_path / "out.xlsx"
    out.write_bytes(written(make(case(tmp_path))))
    book = load(out)
    sheet = book["Tours"]
    header = [c.value for c in sheet[1]]
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, header.index("from") + 1).value
        != sheet.cell(r, header.index("to") + 1).value
    )
    values = [sheet.cell(row, c + 1).value for c in range(len(header))]
    periods = [c.value for c in book["Timeline"][1]][3:]
    last = values[header.index("to")]
    before = periods[periods.index(last) - 1]
    sheet.cell(row, header.index("to") + 1, before)
    sheet.append([last if h == "from" else v for h, v in zip(header, values, strict=True)])
    book.save(out)
    assert hand_edit(out)


def test_one_period_of_one_month_gives_the_snapshot_stage_values(tmp_path: Path) -> None:
    """One period of one month: A 1 at S1, B 2 at S2 (S1, S2 require 2 each, weight 1): short
    1 unit-month at S1, so p1 = 1; cost 1 x 3 + 2 x 2 = 7; presence 2 -- as the snapshot's
    stage values of the same allocation on the same workbook without Periods."""
    from solver.results.stages import stage_values

    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 3},
        {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 2},
    ]
    data = case(
        tmp_path, periods=[{"period": "M1"}], profile=[], requirements=None, pledges=pledges
    )
    plan = plan_of(data, [("A", "INF", "S1", 0, 0, 1), ("B", "INF", "S2", 0, 0, 2)])
    snapshot = api.read(simple_case(tmp_path / "snap.xlsx", pledges=pledges))
    alloc = pd.DataFrame(
        [("A", "INF", "S1", 1, 100), ("B", "INF", "S2", 2, 200)],
        columns=["contributor", "capability", "site", "units", "personnel"],
    )
    expected = {
        "objective.shortfall.p1": 1.0,
        "objective.cost": 7.0,
        "objective.presence": 2.0,
    }
    assert timed_stage_values(plan) == expected == stage_values(snapshot, alloc)


def test_sustainability_rows_short_are_red_by_a_live_rule(tmp_path: Path) -> None:
    """periods_short is column E: rows A2:I3 red where $E > 0 (both lines here)."""
    ws = load_workbook(io.BytesIO(written(make(case(tmp_path)))))["Sustainability"]
    rules = {str(cf.sqref): [r.formula for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules == {"A2:I3": [["$E2>0"]]}


# --- end to end: `forcegen solve` on a timed workbook, the sheets read back ------------------


def test_solve_writes_the_timed_sheets(tmp_path: Path) -> None:
    """P1..P4, one month each from 2027-01. S1 INF 1 unit (p1) and S2 INF 1 unit (p2) in every
    period. A: 1 unit, cost 1, tour_months 2, dwell_months 2; B: 1 unit, cost 2, from P3.
    S1 first: in P1..P2 only A can serve (B is not ready), so A's tour is P1..P2 and its unit
    dwells P3..P4 (e = 2 <= m < 4); B's only unit holds S1 in P3..P4. S2 gets nothing: short 1
    in each period, 4 unit-months (p2 = 4, p1 = 0); cost 1 x 1 + 1 x 2 = 3; presence 2.
    Unit-months: required 8, allocated 4 (50%); S1 held in every period, S2 short from P1."""
    from click.testing import CliRunner

    from solver.cli import main

    path = simple_case(
        tmp_path / "timed.xlsx",
        periods=[{"period": f"P{i}", "start": "2027-01" if i == 1 else None} for i in range(1, 5)],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 1,
                "cost_per_unit": 1,
                "tour_months": 2,
                "dwell_months": 2,
            },
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 2, "from": "P3"},
        ],
    )
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "sustained: 1 of 2 lines in every period; first priority-2 gap: S2 INF from P1" in (
        result.output
    )
    book = load_workbook(out, read_only=True)
    sheet = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    book.close()
    assert list(sheet)[:8] == [
        "Dashboard",
        "Summary",
        "Tours",
        "Allocation",
        "Coverage",
        "Sustainability",
        "Burden",
        "Timeline",
    ]
    d = dt.datetime
    assert sheet["Tours"][1:] == [
        ("A", "INF", "S1", "P1", "P2", 2, 1, 100, d(2027, 1, 1), d(2027, 2, 28)),
        ("B", "INF", "S1", "P3", "P4", 2, 1, 100, d(2027, 3, 1), d(2027, 4, 30)),
    ]
    s = dict(row[:2] for row in sheet["Summary"])
    assert (s["objective.shortfall.p1"], s["objective.shortfall.p2"]) == (0, 4)
    assert (s["objective.cost"], s["objective.presence"]) == (3, 2)
    assert (s["periods"], s["horizon_months"], s["coverage_pct"]) == (4, 4, 50)
    assert (s["required_unit_months"], s["allocated_unit_months"]) == (8, 4)
    assert [r[:8] for r in sheet["Sustainability"][1:]] == [
        ("S1", "INF", 1, 4, 0, 0, None, "P4"),
        ("S2", "INF", 2, 4, 4, 4, "P1", None),
    ]
    assert sheet["Burden"][1:] == [
        ("A", "P1", 1, 100, 0, 1),
        ("A", "P2", 1, 100, 0, 1),
        ("A", "P3", 0, 0, 1, 1),
        ("A", "P4", 0, 0, 1, 1),
        ("B", "P1", 0, 0, 0, 0),  # every contributor and period, B before its notice to move too
        ("B", "P2", 0, 0, 0, 0),
        ("B", "P3", 1, 100, 0, 1),
        ("B", "P4", 1, 100, 0, 1),
    ]
    assert [r[:7] for r in sheet["Timeline"]] == [
        ("site", "capability", "priority", "P1", "P2", "P3", "P4"),
        ("S1", "INF", 1, "A 1", "A 1", "B 1", "B 1"),
        ("S2", "INF", 2, None, None, None, None),
    ]
    assert [r[:6] for r in sheet["Coverage"][1:]] == [
        ("S1", "INF", t, 1, 1, 0) for t in ("P1", "P2", "P3", "P4")
    ] + [("S2", "INF", t, 1, 0, 1) for t in ("P1", "P2", "P3", "P4")]


def test_the_first_gap_on_the_console_names_the_other_lines_short_from_then() -> None:
    """S1 INF and S2 INF (priority 1) both go short from P2, S3 ENG (p1) from P3, S4 INF (p2)
    from P2: the first priority-1 gap is S1's (line order), and S2's from the same period is
    said with it (named alone, the first of two read as the only one); S3's and S4's are not.
    With a third p1 line short from P2 they are counted."""
    from solver.results.console import _also_then
    from solver.results.time_summary import first_gap_row

    rows = [
        ("S1", "INF", 1, 3, "P2"),
        ("S2", "INF", 1, 2, "P2"),
        ("S3", "ENG", 1, 1, "P3"),
        ("S4", "INF", 2, 3, "P2"),
    ]
    columns = ["site", "capability", "priority", "periods_short", "first_short"]
    sus = pd.DataFrame(rows, columns=columns)
    gap = first_gap_row(sus, ["P1", "P2", "P3", "P4"])
    assert (gap.site, gap.capability) == ("S1", "INF")
    assert _also_then(sus, gap) == " (and S2 INF then)"
    more = pd.DataFrame([*rows, ("S5", "MED", 1, 1, "P2")], columns=columns)
    assert _also_then(more, gap) == " (and 2 more lines then)"
    alone = sus[sus["site"] != "S2"]
    assert _also_then(alone, gap) == ""


def test_a_line_is_sustained_only_over_the_periods_it_requires_units(tmp_path: Path) -> None:
    """S2/INF has `units` 0 and a Profile raising it to 1 in P3..P4, where nothing can fill it
    (A's one INF holds S1/INF, priority 1, throughout): it is short from P3, the first period
    it requires a unit, so it was never sustained (it said `sustained_until` P2 and 4 periods
    active). S1/INF, which the Profile sets to 0 in P2, is active in 3 periods."""
    src = simple_case(
        tmp_path / "p.xlsx",
        periods=[{"period": f"P{i}"} for i in range(1, 5)],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 0, "priority": 2},
        ],
        profile=[
            {"site": "S2", "capability": "INF", "from": "P3", "to": "P4", "units": 1},
            {"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 0},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1}],
    )
    sus = api.solve(src).tables.timed["Sustainability"].set_index(["site", "capability"])
    s2 = sus.loc[("S2", "INF")]
    assert (s2["periods_active"], s2["periods_short"], s2["first_short"]) == (2, 2, "P3")
    assert pd.isna(s2["sustained_until"])
    s1 = sus.loc[("S1", "INF")]
    assert (s1["periods_active"], s1["periods_short"], s1["sustained_until"]) == (3, 0, "P4")
