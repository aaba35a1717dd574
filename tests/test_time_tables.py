"""The timed output tables (`time.md`, Output), from a plan of tours built by hand: Tours,
Allocation and Coverage per period, Sustainability and its reasons, Burden, the stage values and
Summary in unit-months, Contributors, the digest. "The case" is tests/time_tables_case.py's
(four uneven periods, A and B)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import click
import pandas as pd
import pytest

from solver.results.console import summary_lines
from solver.results.digest import allocation_digest
from solver.results.time_stages import timed_stage_values
from solver.results.time_tables import data_reason, timed_tables

from .time_tables_case import PERIODS, PLEDGES, TOURS, case, make, no_hard, plan_of, rows


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
    given and the pledges (A 2 + B 2 in P1) cover both lines (4): the data says nothing.
    What changed when S1 went short: B's unit there in P1 is gone in P2 (B's pledge runs to
    P3, with no tour limit: the plan moved it), `B's 1 unit here leaves after P1`; S2, short
    from its first period, changed nothing."""
    data = case(tmp_path)
    sus = timed_tables(plan_of(data), *no_hard(data), reasons={("S1", "INF"): "A dwells in P3"})[
        "Sustainability"
    ]
    assert rows(sus) == [
        ("S1", "INF", 1, 3, 2, 4, "P2", "P1", "A dwells in P3", "B's 1 unit here leaves after P1"),
        ("S2", "INF", 2, 4, 3, 4, "P1", None, "", ""),
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
    assert rows(sus) == [("S1", "INF", 1, 2, 0, 0, None, "P2", "", "")]


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


def inf_and(second: str) -> list[dict[str, object]]:
    """The case's INF (100 a unit) and a second ground capability of 50 a unit."""
    return [
        {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
        {"capability": second, "category": "ground", "personnel_per_unit": 50},
    ]


def test_deploy_to_dwell_counts_the_rotating_pledges_only(tmp_path: Path) -> None:
    """A also pledges 1 ART that sustains itself (no dwell) and keeps it at S1 over P1..P4:
    5 unit-months (1 + 2 + 1 + 1). A's unit_months grow to 4 + 5 = 9, but its deploy-to-dwell
    stays that of its rotating INF: 4 unit-months to the 2 of dwell its two tours are owed
    (1 unit x 1 month each), 2.0 (counting ART too would make it 4.5, a ratio no rotation has)."""
    data = case(
        tmp_path,
        capabilities=inf_and("ART"),
        pledges=[
            *(dict(p) for p in PLEDGES),
            {"contributor": "A", "capability": "ART", "units": 1, "cost_per_unit": 1},
        ],
    )
    tables = make(data, plan_of(data, [*TOURS, ("A", "ART", "S1", 0, 3, 1)]))
    con = tables.contributors.set_index("contributor")
    assert (con.at["A", "unit_months"], con.at["A", "dwell_unit_months"]) == (9, 1)
    assert con.at["A", "deploy_to_dwell"] == 2.0


def test_contributors_in_time(tmp_path: Path) -> None:
    """A: peak 1 unit (100), sites S1, S2, unit-months 1 x 1 + 1 x 2 + 1 x 1 = 4, dwell 1 unit
    x months(P3) 1 = 1 in the horizon; deploy-to-dwell 4 / 2.0 = 2.0, the dwell its two tours
    are owed in full (1 unit x 1 month each; the second's falls after P4: counting only the
    dwell in the horizon gave 4.0, above what a 1-month dwell allows), 2 tours. B: peak 2
    units (P1, 200), unit-months
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
    assert con.at["A", "deploy_to_dwell"] == 2.0 and pd.isna(con.at["B", "deploy_to_dwell"])
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


def test_a_line_that_requires_nothing_is_not_counted_among_the_lines(tmp_path: Path) -> None:
    """The module's case with a third line, S1 ENG of 0 units (a scenario's 0): it is active
    in no period, so it is neither among the `lines` (2, as without it) nor among those
    sustained (0: S1 INF is short from P2, S2 INF in P1..P3); counted, it read `1 of 3` where
    no line the plan was asked for holds (an analyst trial)."""
    data = case(
        tmp_path,
        capabilities=inf_and("ENG"),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "weight": 2, "to": "P3"},
            {"site": "S2", "capability": "INF", "units": 2, "priority": 2},
            {"site": "S1", "capability": "ENG", "units": 0},
        ],
    )
    tables = make(data)
    summary = dict(tables.summary)
    assert (summary["lines"], summary["lines_sustained"]) == (2, 0)
    sus = tables.timed["Sustainability"].set_index(["site", "capability"])
    assert sus.at[("S1", "ENG"), "periods_active"] == 0  # still listed, with its 0
