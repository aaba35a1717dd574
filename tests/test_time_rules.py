"""Every rule of `time.md`'s model, each on a tiny timed workbook solved end to end.

The world (tests/time_cases.py): line S1/INF of 1 unit, priority 1, in every period; pledge A
of 1 INF at cost 1 per unit. Stage values are in weighted unit-months; cost counts tours' units
(each tour is one deployment). Each docstring derives the optimum by hand; the tours are the
unique optimal plan unless the test says otherwise.
"""

from __future__ import annotations

from pathlib import Path

from .time_cases import months, solve_timed


def test_a_tour_limit_with_no_dwell_redeploys_the_unit(tmp_path: Path) -> None:
    """6 months, A's 1 unit on tours of at most 2 months with no dwell: the unit covers the line
    throughout (shortfall 0), on at least 3 tours (6 / 2); the only way with 3 is 2+2+2.
    Cost 3 tours x 1 unit x 1; presence 1 (A at S1)."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(6),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "tour_months": 2}],
    )
    assert tours == {
        ("A", "INF", "S1", "P1", "P2", 1),
        ("A", "INF", "S1", "P3", "P4", 1),
        ("A", "INF", "S1", "P5", "P6", 1),
    }
    assert stages == {"shortfall.p1": 0.0, "cost": 3.0, "presence": 1.0}


def test_dwell_keeps_the_unit_home_after_its_tour(tmp_path: Path) -> None:
    """Tours of 2 months, then 2 months at home: in 6 months one unit can be deployed at most
    2 on, 2 off, 2 on (P1-P2, P5-P6), so P3 and P4 are short: 2 unit-months; 2 tours."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(6),
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 1,
                "tour_months": 2,
                "dwell_months": 2,
            }
        ],
    )
    assert tours == {("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S1", "P5", "P6", 1)}
    assert stages == {"shortfall.p1": 2.0, "cost": 2.0, "presence": 1.0}


def test_rule_of_thirds_three_units_sustain_one(tmp_path: Path) -> None:
    """Tours of 2 months and 4 of dwell: each unit deploys once in 6 months, so 3 units sustain
    1 (staggered P1-P2, P3-P4, P5-P6: shortfall 0, cost 3) and 2 units leave P5-P6 short
    (the first unit is home until m = 6): 2 unit-months."""
    pool = {"contributor": "A", "capability": "INF", "tour_months": 2, "dwell_months": 4}
    tours, stages = solve_timed(tmp_path, periods=months(6), pledges=[{**pool, "units": 3}])
    assert tours == {
        ("A", "INF", "S1", "P1", "P2", 1),
        ("A", "INF", "S1", "P3", "P4", 1),
        ("A", "INF", "S1", "P5", "P6", 1),
    }
    assert stages["shortfall.p1"] == 0.0 and stages["cost"] == 3.0
    _, stages = solve_timed(tmp_path, "two.xlsx", periods=months(6), pledges=[{**pool, "units": 2}])
    assert stages["shortfall.p1"] == 2.0


def test_readiness_and_line_window(tmp_path: Path) -> None:
    """The line is active P2..P5 of 6; A is ready from P3 (no tour limit): one tour P3-P5,
    P2 short (1 unit-month); P1 and P6 require nothing."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(6),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1, "from": "P2", "to": "P5"}
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "from": "P3"}],
    )
    assert tours == {("A", "INF", "S1", "P3", "P5", 1)}
    assert stages == {"shortfall.p1": 1.0, "cost": 1.0, "presence": 1.0}


def test_mandate_expiry(tmp_path: Path) -> None:
    """A's mandate ends with P4 of 6: the line is short P5 and P6."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(6),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P4"}],
    )
    assert tours == {("A", "INF", "S1", "P1", "P4", 1)}
    assert stages["shortfall.p1"] == 2.0


def test_uneven_periods_weigh_shortfall_by_months(tmp_path: Path) -> None:
    """Periods of 1, 1, 3, 1 months; tours of at most 2 months can never cover the 3-month P3,
    so it is short 1 unit x 3 months = 3. P1-P2 is one tour (2 months), P4 another."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4, [1, 1, 3, 1]),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "tour_months": 2}],
    )
    assert tours == {("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S1", "P4", "P4", 1)}
    assert stages == {"shortfall.p1": 3.0, "cost": 2.0, "presence": 1.0}


def test_profile_surge_comes_and_goes(tmp_path: Path) -> None:
    """The Profile asks 2 units in P3..P4 (1 otherwise); A's 2 units have no tour limit: the core
    unit stays P1-P6 and the surge unit P3-P4 (the newest leaves first). 2 tours, cost 2."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(6),
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        profile=[{"site": "S1", "capability": "INF", "from": "P3", "to": "P4", "units": 2}],
    )
    assert tours == {("A", "INF", "S1", "P1", "P6", 1), ("A", "INF", "S1", "P3", "P4", 1)}
    assert stages == {"shortfall.p1": 0.0, "cost": 2.0, "presence": 1.0}


def test_a_profile_raises_a_line_of_zero_units(tmp_path: Path) -> None:
    """S1 needs 0 INF on the Requirements sheet, and the Profile asks 1 in P2 only (time.md:
    required is the Profile's units in its periods); A pledges 1. By hand: A's unit at S1 in
    P2, one tour: shortfall 0, cost 1, presence 1. Before, a line of units 0 made no option
    (candidates kept only lines of units > 0): shortfall 1, "no allocation option", and a hard
    line so raised was called infeasible (an audit)."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 0, "priority": 1}],
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 1}],
    )
    assert tours == {("A", "INF", "S1", "P2", "P2", 1)}
    assert stages == {"shortfall.p1": 0.0, "cost": 1.0, "presence": 1.0}
    hard, hard_stages = solve_timed(
        tmp_path,
        "hard.xlsx",
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 0, "priority": 1, "hard": "yes"},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 1}],
    )
    # hard in P2: A's one unit at S1 then, at S2 (priority 2) in P1 and P3: three tours
    assert hard == {
        ("A", "INF", "S2", "P1", "P1", 1),
        ("A", "INF", "S1", "P2", "P2", 1),
        ("A", "INF", "S2", "P3", "P3", 1),
    }
    assert hard_stages["shortfall.p1"] == 0.0 and hard_stages["shortfall.p2"] == 1.0


def test_hard_only_in_the_caveats_window(tmp_path: Path) -> None:
    """S2 (priority 1) and S1 (priority 2) each need 1 unit; A has 1. A `no_weakening` on S1 in
    P2..P3 makes S1 hard then, so A is at S1 in P2-P3 and at S2 otherwise:
    shortfall p1 = 2 (S2 in P2, P3), p2 = 2 (S1 in P1, P4); 3 tours; presence 2."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 2},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        caveats=[
            {"contributor": "A", "caveat": "no_weakening", "site": "S1", "from": "P2", "to": "P3"}
        ],
    )
    assert tours == {
        ("A", "INF", "S2", "P1", "P1", 1),
        ("A", "INF", "S1", "P2", "P3", 1),
        ("A", "INF", "S2", "P4", "P4", 1),
    }
    assert stages == {"shortfall.p1": 2.0, "shortfall.p2": 2.0, "cost": 3.0, "presence": 2.0}


def test_hard_line_in_every_active_period(tmp_path: Path) -> None:
    """A hard line active P2..P3 of 4 must be met there: A (no limit) stays P2-P3 only."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=[
            {
                "site": "S1",
                "capability": "INF",
                "units": 1,
                "priority": 1,
                "hard": "yes",
                "from": "P2",
                "to": "P3",
            }
        ],
    )
    assert tours == {("A", "INF", "S1", "P2", "P3", 1)}
    assert stages["shortfall.p1"] == 0.0


def test_single_source_hands_over_between_periods(tmp_path: Path) -> None:
    """S1 needs 2 units from one contributor in each period: A (2 units, mandate to P2) holds
    it P1-P2 and B (2 units, ready from P3) P3-P4. Shortfall 0; 2 tours of 2 units, cost 4."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1, "single_source": "yes"}
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "to": "P2"},
            {"contributor": "B", "capability": "INF", "units": 2, "from": "P3"},
        ],
    )
    assert tours == {("A", "INF", "S1", "P1", "P2", 2), ("B", "INF", "S1", "P3", "P4", 2)}
    assert stages == {"shortfall.p1": 0.0, "cost": 4.0, "presence": 2.0}


def test_single_source_binds_in_each_period(tmp_path: Path) -> None:
    """A and B have 1 unit each for all 4 periods; single source lets only one serve S1 (2
    units) in any period: 1 unit short in each, 4 unit-months."""
    _, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1, "single_source": "yes"}
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
    )
    assert stages["shortfall.p1"] == 4.0


def test_max_contributors_per_period(tmp_path: Path) -> None:
    """S1 admits 1 contributor at a time; A (2 units to P2) then B (2 units from P3) fill its 2
    units in turn: shortfall 0 (over the horizon two contributors were there)."""
    _, stages = solve_timed(
        tmp_path,
        periods=months(4),
        sites=[
            {"site": "S1", "country": "X", "lat": 0, "lon": 0, "max_contributors": 1},
            {"site": "S2", "country": "Y", "lat": 0, "lon": 1},
        ],
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "to": "P2"},
            {"contributor": "B", "capability": "INF", "units": 2, "from": "P3"},
        ],
    )
    assert stages["shortfall.p1"] == 0.0
    _, stages = solve_timed(
        tmp_path,
        "both.xlsx",
        periods=months(4),
        sites=[
            {"site": "S1", "country": "X", "lat": 0, "lon": 0, "max_contributors": 1},
            {"site": "S2", "country": "Y", "lat": 0, "lon": 1},
        ],
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
    )
    assert stages["shortfall.p1"] == 4.0  # one of the two, 1 unit short, in each of 4 periods


def test_presence_counts_pairs_over_the_horizon(tmp_path: Path) -> None:
    """A's unit at S1 on two separate tours (P1, P3: the line is inactive in P2) is one
    (contributor, site) pair: presence 1, cost 2 (two tours)."""
    _, stages = solve_timed(
        tmp_path,
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "priority": 1}],
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 0}],
    )
    assert stages == {"shortfall.p1": 0.0, "cost": 2.0, "presence": 1.0}
