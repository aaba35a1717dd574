"""`forcegen verify` on a timed plan: the Tours sheet checked against every rule of `time.md`
(the tiny timed world of tests/verify_time_world.py). Each rule gets one plan that holds and one
that breaks it, the message derived by hand. The caveat kinds in their windows are in
test_verify_time_caveats.py; the one-period agreement, the sheets beside the Tours and the
command in test_verify_time_sheets.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from solver.errors import InputError
from solver.verify import verify_file

from .verify_time_world import both, found, plan, pledges, run, timed
from .workbooks import write_workbook


# ---- a plan that holds, and the stages in time ----------------------------------------------------
def test_a_valid_plan_holds_and_its_stages_are_recomputed(tmp_path: Path) -> None:
    """A covers S1 in every period (2 units P1..P4, 5 months <= no limit), B covers S2 with two
    tours (P1..P2 and P3..P4, 2 units each): no shortfall (p1 = 0), cost = sum over tours of
    units x 1 = 2 + 2 + 2 = 6 (a second tour is a second deployment), presence = pairs (A, S1),
    (B, S2) = 2. The Allocation sheet lists x per period as the tours imply: no warning."""
    tours = [
        ("A", "INF", "S1", "P1", "P4", 2),
        ("B", "INF", "S2", "P1", "P2", 2),
        ("B", "INF", "S2", "P3", "P4", 2),
    ]
    allocation = [
        *(("A", "INF", "S1", p, 2) for p in ("P1", "P2", "P3", "P4")),
        *(("B", "INF", "S2", p, 2) for p in ("P1", "P2", "P3", "P4")),
    ]
    summary = {
        "scenario": "base",
        "objective.shortfall.p1": 0,
        "objective.cost": 6,
        "objective.presence": 2,
    }
    src = timed(tmp_path)
    out = plan(tmp_path, tours, allocation=allocation, summary=summary)
    report = verify_file(src, out)
    assert report.ok and report.warnings == []
    assert [(s.stage, s.recomputed, s.same) for s in report.stages] == [
        ("objective.shortfall.p1", 0.0, True),
        ("objective.cost", 6.0, True),
        ("objective.presence", 2.0, True),
    ]
    res = run(src, out)
    assert res.exit_code == 0, res.output
    assert "(scenario base): 3 tours, 6 unit-tours (a unit deployed twice" in res.output
    assert "no violations: the plan respects every rule and caveat in every period" in res.output
    assert "result: the plan holds" in res.output


def test_shortfall_is_weighted_unit_months_per_priority(tmp_path: Path) -> None:
    """S1 (priority 1, weight 3) gets A's 2 units in P1..P2 only: short 2 in P3 (2 months) and
    P4 (1 month): 3 x (2 x 2 + 2 x 1) = 18. S2 (priority 2) gets nothing: short 2 in every
    period, 2 x 5 months = 10. Cost 2 units x 1 = 2, presence 1."""
    report = verify_file(
        timed(
            tmp_path,
            requirements=[
                {"site": "S1", "capability": "INF", "units": 2, "weight": 3},
                {"site": "S2", "capability": "INF", "units": 2, "priority": 2},
            ],
        ),
        plan(tmp_path, [("A", "INF", "S1", "P1", "P2", 2)]),
    )
    assert report.ok
    assert report.stage_values() == {
        "objective.shortfall.p1": 18.0,
        "objective.shortfall.p2": 10.0,
        "objective.cost": 2.0,
        "objective.presence": 1.0,
    }


# ---- tour validity --------------------------------------------------------------------------------
def test_unknown_names_and_periods_are_errors_at_their_cells_all_at_once(tmp_path: Path) -> None:
    """Row 2 names contributor Z, row 3 site S9, row 4 capability AD, row 5 period P9, row 6 a
    `from` after its `to`; row 7 writes `a` for A (taken, with a warning). Rows 2-6 cannot be
    placed in time: every one is an error at its cell, all at once, exit 2, as a snapshot
    plan's Allocation naming a site the input lacks is (they were violations, exit 3, and a
    CI job read a typo as a broken rule)."""
    tours = [
        ("Z", "INF", "S1", "P1", "P1", 1),
        ("B", "INF", "S9", "P1", "P1", 1),
        ("B", "AD", "S2", "P1", "P1", 1),
        ("B", "INF", "S2", "P1", "P9", 1),
        ("B", "INF", "S2", "P3", "P2", 1),
        ("a", "INF", "S1", "P1", "P4", 2),
    ]
    with pytest.raises(InputError) as caught:
        verify_file(timed(tmp_path), plan(tmp_path, tours))
    assert [f"{e.where}: {e.message}" for e in caught.value.errors] == [
        "Tours!A2: contributor 'Z' is not on the Contributors sheet of the input",
        "Tours!C3: site 'S9' is not on the Sites sheet of the input",
        "Tours!B4: capability 'AD' is not on the Capabilities sheet of the input",
        "Tours!E5: to 'P9' is not a period of the input (P1..P4)",
        "Tours!D6: tour B/INF/S2: from P3 is after to P2",
    ]
    res = run(timed(tmp_path), plan(tmp_path, tours))
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "error: Tours!C3: site 'S9' is not on the Sites sheet of the input" in res.output
    # a name differing only in case is taken, with a warning: the plan holds
    held = verify_file(timed(tmp_path), plan(tmp_path, tours[-1:]))
    assert held.violations == []
    assert [str(w) for w in held.warnings] == [
        "warning: Tours!A2: contributor 'a' taken as 'A' (case differs)"
    ]


def test_every_mistake_of_a_tours_row_is_said_beside_an_unreadable_cell(tmp_path: Path) -> None:
    """A mutation trial: row 2 has units 'two' and site S9, row 3 contributor Z and a `from`
    after its `to`, row 4 a blank `from` and capability AD. A row with a cell that cannot be
    read was left out of the name and date checks (only F2 and A3 and D4 were said, and a
    planner fixed one cell per run); a row with an unknown name was left out of the date
    check. Each cell is now an error, all at once."""
    tours = [
        ("B", "INF", "S9", "P1", "P1", "two"),
        ("Z", "INF", "S1", "P3", "P2", 1),
        ("B", "AD", "S2", None, "P2", 1),
    ]
    with pytest.raises(InputError) as caught:
        verify_file(timed(tmp_path), plan(tmp_path, tours))
    assert sorted(str(e.where) for e in caught.value.errors) == [
        "Tours!A3",
        "Tours!B4",
        "Tours!C2",
        "Tours!D3",
        "Tours!D4",
        "Tours!F2",
    ]


def test_a_month_in_a_tours_window_is_the_period_it_starts_or_ends(tmp_path: Path) -> None:
    """Quarters 2027-Q1, 2027-Q2: a Tours `to` of 2027-03 is the quarter ending in March,
    2027-Q1, and a `from` of 2027-04 the quarter starting in April, each with a warning, as a
    Pledges window reads them (a mutation trial: the `to` was refused, `it falls inside the
    period '2027-Q1'`); 2027-02 names neither end of a quarter, still an error."""
    quarters = [{"period": "2027-Q1", "months": 3}, {"period": "2027-Q2", "months": 3}]
    tours = [
        ("A", "INF", "S1", "2027-Q1", "2027-03", 1),
        ("B", "INF", "S2", "2027-04", "2027-Q2", 1),
    ]
    report = verify_file(timed(tmp_path, periods=quarters), plan(tmp_path, tours))
    assert report.violations == []
    assert [str(w) for w in report.warnings if "taken as" in str(w)] == [
        "warning: Tours!E2: to '2027-03' taken as the period ending that month, '2027-Q1'",
        "warning: Tours!D3: from '2027-04' taken as the period starting that month, '2027-Q2'",
    ]
    with pytest.raises(InputError):
        verify_file(
            timed(tmp_path, periods=quarters),
            plan(tmp_path, [("A", "INF", "S1", "2027-Q1", "2027-02", 1)]),
        )


def test_a_tour_of_a_contributor_the_scenario_drops_names_the_drop(tmp_path: Path) -> None:
    """Scenario `no_b` drops B (Scenarios!C2): B's tour, checked with the scenario, names the
    drop and its cell, not "not on the Contributors sheet" (B is on it)."""
    src = timed(
        tmp_path,
        scenarios=[{"scenario": "no_b", "sheet": "Contributors", "key": "B", "column": "drop"}],
    )
    with pytest.raises(InputError) as caught:
        verify_file(src, plan(tmp_path, [("B", "INF", "S2", "P1", "P2", 1)]), "no_b")
    assert [f"{e.where}: {e.message}" for e in caught.value.errors] == [
        "Tours!A2: contributor 'B' is dropped by scenario 'no_b' (Scenarios!C2), and this plan "
        "has it: the plan cannot hold under the scenario (`forcegen solve -s no_b` plans "
        "without it)"
    ]


def test_unavailable_and_not_pledged(tmp_path: Path) -> None:
    """B is unavailable; A pledged no AD (and no site requires AD)."""
    messages = found(
        tmp_path,
        [("B", "INF", "S2", "P1", "P2", 1), ("A", "AD", "S1", "P4", "P4", 1)],
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1, "status": "unavailable"},
        ],
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "AD", "category": "air", "personnel_per_unit": 50},
        ],
    )
    assert messages == [
        "tour B/INF/S2 P1..P2: contributor B is unavailable",
        "tour A/AD/S1 P4: A pledged no AD",
        "tour A/AD/S1 P4: S1 does not require AD",
    ]


def test_tour_inside_the_pledge_window(tmp_path: Path) -> None:
    """A's pledge runs P2..P3 (readiness, then a mandate's end): P2..P3 holds; P1..P4 has P1
    and P4 outside it."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P2", "P3", 2)],
        [("A", "INF", "S1", "P1", "P4", 2)],
        pledges=pledges(**{"from": "P2", "to": "P3"}),
    )
    assert messages == ["tour A/INF/S1 P1..P4: A/INF is pledged only in P2..P3 (not in P1, P4)"]


def test_site_requires_the_capability_in_a_tour_period_and_per_period(tmp_path: Path) -> None:
    """S1's line runs P3..P4 and its Profile asks 0 units in P3: required(S1) = 0, 0, 0, 2.
    A tour P1..P3 meets no period with required > 0 (invalid); a tour P3..P4 is valid but
    exceeds the requirement in P3 (2 allocated, 0 required). P4 alone holds."""
    sheets: dict[str, Any] = {
        "requirements": [
            {"site": "S1", "capability": "INF", "units": 2, "from": "P3"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        "profile": [{"site": "S1", "capability": "INF", "from": "P3", "to": "P3", "units": 0}],
    }
    assert found(tmp_path, [("A", "INF", "S1", "P4", "P4", 2)], **sheets) == []
    messages = found(
        tmp_path, [("A", "INF", "S1", "P1", "P3", 2), ("B", "INF", "S1", "P3", "P4", 2)], **sheets
    )
    assert messages == [
        "tour A/INF/S1 P1..P3: S1 requires no INF in P1..P3",
        "requirement S1/INF in P1..P2: 2 units allocated (A 2), 0 required",
        "requirement S1/INF in P3: 4 units allocated (A 2, B 2), 0 required",
    ]


def test_tour_length(tmp_path: Path) -> None:
    """tour_months 3. P1..P2: m(P2) + 1 - m(P1) = 2; P3..P4: 4 + 1 - 2 = 3: both hold.
    P1..P3: 2 + 2 - 0 = 4 > 3."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S1", "P3", "P4", 1)],
        [("A", "INF", "S1", "P1", "P3", 1)],
        pledges=pledges(tour_months=3),
    )
    assert messages == ["tour A/INF/S1 P1..P3: 4 months > tour_months 3"]


def issue_example(tmp_path: Path) -> Path:
    """The issue's wording: monthly periods 2027-01..2027-12; FRA pledges 1 INF_BN with
    six-month tours; EST pledges 2 AD_BTY with a month of dwell; Kyiv requires 1 INF_BN and 2
    AD_BTY."""
    return write_workbook(
        tmp_path / "kyiv.xlsx",
        contributors=[{"contributor": "FRA"}, {"contributor": "EST"}],
        capabilities=[{"capability": "INF_BN"}, {"capability": "AD_BTY"}],
        sites=[{"site": "Kyiv", "country": "UKR"}],
        requirements=[
            {"site": "Kyiv", "capability": "INF_BN", "units": 1},
            {"site": "Kyiv", "capability": "AD_BTY", "units": 2},
        ],
        pledges=[
            {"contributor": "FRA", "capability": "INF_BN", "units": 1, "tour_months": 6},
            {"contributor": "EST", "capability": "AD_BTY", "units": 2, "dwell_months": 1},
        ],
        periods=[{"period": f"2027-{m:02d}"} for m in range(1, 13)],
    )


def test_the_issue_messages(tmp_path: Path) -> None:
    """FRA's tour 2027-01..2027-09 lasts 9 months > 6. EST: 1 unit 2027-01..2027-03 ends at
    e = 3, so it is in dwell in the period with 3 <= m < 4, 2027-04; 2 units 2027-04..2027-06:
    in 2027-04, 2 deployed + 1 in dwell = 3 > 2 pledged; from 2027-05 on 2 <= 2. The rotation
    message names the tour deployed then (row 4) and the one whose dwell it is (row 3)."""
    out = plan(
        tmp_path,
        [
            ("FRA", "INF_BN", "Kyiv", "2027-01", "2027-09", 1),
            ("EST", "AD_BTY", "Kyiv", "2027-01", "2027-03", 1),
            ("EST", "AD_BTY", "Kyiv", "2027-04", "2027-06", 2),
        ],
    )
    report = verify_file(issue_example(tmp_path), out)
    assert [v.message for v in report.violations] == [
        "tour FRA/INF_BN/Kyiv 2027-01..2027-09: 9 months > tour_months 6",
        "EST/AD_BTY in 2027-04: 2 units deployed + 1 in dwell > 2 pledged; deployed: 2 at Kyiv "
        "2027-04..2027-06 (Tours!A4); in dwell: 1 back from Kyiv 2027-01..2027-03 (Tours!A3)",
    ]
    assert [v.rows for v in report.violations] == [(2,), (3, 4)]


def test_rotation_and_dwell(tmp_path: Path) -> None:
    """A pledges 2 with 2 months of dwell. Good: 2 units P1..P2 end at e = 2 and rest while
    2 <= m < 4 (P3 only, m = 2); 2 units again in P4 (m = 4): at most 2 out or resting.
    Bad: 1 unit in P3 beside the 2 resting: 3 > 2 in P3; and 1 unit at S2 P1..P2 beside the 2 at
    S1: 3 deployed > 2 in P1..P2 (it rests in P3 too: 1 + 3 = 4)."""
    good = [("A", "INF", "S1", "P1", "P2", 2), ("A", "INF", "S1", "P4", "P4", 2)]
    bad = [
        ("A", "INF", "S1", "P1", "P2", 2),
        ("A", "INF", "S2", "P1", "P2", 1),
        ("A", "INF", "S1", "P3", "P3", 1),
    ]
    messages = both(tmp_path, good, bad, pledges=pledges(dwell_months=2))
    assert messages == [
        "A/INF in P1..P2: 3 units deployed > 2 pledged; deployed: 2 at S1 P1..P2 (Tours!A2), "
        "1 at S2 P1..P2 (Tours!A3)",
        "A/INF in P3: 1 unit deployed + 3 in dwell > 2 pledged; deployed: 1 at S1 P3 "
        "(Tours!A4); in dwell: 2 back from S1 P1..P2 (Tours!A2), 1 back from S2 P1..P2 "
        "(Tours!A3)",
    ]


# ---- the rules per period -------------------------------------------------------------------------
def test_hard_in_every_period_the_line_is_active(tmp_path: Path) -> None:
    """S1 is hard from P2 (required 0 in P1): covering P2..P4 holds; covering P1..P2 leaves
    P3..P4 short 2 (and P1 over: 2 allocated, 0 required)."""
    sheets: dict[str, Any] = {
        "requirements": [
            {"site": "S1", "capability": "INF", "units": 2, "hard": "yes", "from": "P2"},
            {"site": "S2", "capability": "INF", "units": 2},
        ]
    }
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P2", "P4", 2)],
        [("A", "INF", "S1", "P1", "P2", 2)],
        **sheets,
    )
    assert messages == [
        "requirement S1/INF in P1: 2 units allocated (A 2), 0 required",
        "hard requirement S1/INF in P3..P4: 0 units allocated, 2 required (short 2)",
    ]


def test_single_source_per_period_allows_a_hand_over(tmp_path: Path) -> None:
    """S1 single-source: A then B (hand-over between P2 and P3) holds; A P1..P3 and B P2..P4
    overlap in P2..P3."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("B", "INF", "S1", "P3", "P4", 2)],
        [("A", "INF", "S1", "P1", "P3", 1), ("B", "INF", "S1", "P2", "P4", 1)],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "single_source": "yes"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
    )
    assert messages == [
        "single-source line S1/INF in P2..P3: 2 contributors (A 1, B 1), at most 1 allowed"
    ]


def test_max_contributors_per_period(tmp_path: Path) -> None:
    """S1 takes at most 1 contributor at a time: as for single_source."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("B", "INF", "S1", "P3", "P4", 2)],
        [("A", "INF", "S1", "P1", "P3", 1), ("B", "INF", "S1", "P2", "P4", 1)],
        sites=[
            {
                "site": "S1",
                "country": "X",
                "zone": "front",
                "lat": 0,
                "lon": 0,
                "max_contributors": 1,
            },
            {"site": "S2", "country": "Y", "zone": "rear", "lat": 0, "lon": 1},
        ],
    )
    assert messages == ["site S1 in P2..P3: 2 contributors present (A, B), at most 1 allowed"]


def test_a_partly_met_hard_line_names_the_tours_it_has(tmp_path: Path) -> None:
    """S1 hard, 2 units required; A sends 1 unit over P1..P4 (Tours row 2) and B 2 to S2 (row
    3): S1 is short 1 in every period, and the finding names row 2, the tour to add to (it
    named no row: a trial; the snapshot's names its Allocation rows). A line with nothing
    there names none."""
    report = verify_file(
        timed(
            tmp_path,
            requirements=[
                {"site": "S1", "capability": "INF", "units": 2, "hard": "yes"},
                {"site": "S2", "capability": "INF", "units": 2},
            ],
        ),
        plan(tmp_path, [("A", "INF", "S1", "P1", "P4", 1), ("B", "INF", "S2", "P1", "P4", 2)]),
    )
    (hard,) = [v for v in report.violations if v.rule == "hard"]
    assert hard.message == (
        "hard requirement S1/INF in P1..P4: 1 unit allocated, 2 required (short 1)"
    )
    assert (hard.rows, hard.where) == ((2,), "Tours!A2")
