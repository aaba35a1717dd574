"""Why a timed workbook has no plan: the Infeasibility sheet naming periods, pledges' windows,
tour limits and tours too short for a period.

The world (tests/time_cases.py): contributors A and B, capability INF, sites S1 and S2; the
line S1/INF of 1 unit, priority 1, in every period. Each docstring derives the conflict by
hand.
"""

from __future__ import annotations

from pathlib import Path

from solver import api

from .time_cases import months, timed_case


def conflict(tmp_path: Path, **sheets: object) -> api.Result:
    result = api.solve(timed_case(tmp_path / "case.xlsx", **sheets), time_limit=60)
    assert result.status == "infeasible", result.status
    assert result.conflict is not None
    return result


def test_infeasible_hard_line_before_the_pledge_is_ready(tmp_path: Path) -> None:
    """S1/INF is hard (1 unit) in all 6 periods; A's only unit is ready from P4. In P1..P3 no
    option exists, so the line cannot be met there; each of them alone is already impossible
    (the search finds P1 first, the shifts by 1 and 2 find P2 and P3), from P4 A fills it.
    The smallest change giving a plan in P1..P3 (the conflict found and its shifts) gives up
    its 1 unit in each: 3 unit-periods (it said P1 alone, 1 unit, a change that gave no plan:
    a trial)."""
    result = conflict(
        tmp_path,
        periods=months(6),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1, "hard": "yes"}
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "from": "P4"}],
    )
    assert result.conflict is not None
    assert result.conflict.rules == [
        (
            "hard:S1/INF/P1..P3",
            "S1/INF is hard in P1..P3 (needs 1 INF in full; hard because of the workbook "
            "(hard = yes)) but no INF pledge is available before P4",
        )
    ]
    assert result.conflict.give_way == [("S1 needs 1 INF in full in P1..P3", 3.0, "unit-period")]
    assert result.conflict.give_way_in == "P1..P3"
    assert result.conflict.repeated
    sheet = result.tables.extra["Infeasibility"]
    assert sheet["rule"].tolist()[0] == "hard:S1/INF/P1..P3"


def test_infeasible_cap_of_a_hard_line_is_named_as_the_cap(tmp_path: Path) -> None:
    """S1 (hard) and S2 each need 1 INF in all 6 periods; A pledges 2 INF, may go only to S1 in
    P1..P2 and must deploy 2 in P1 (min_units): in P1 A's 2 units can go only to S1, which
    takes at most 1. The conflict is S1's cap in P1 and the two caveats, as when S1 is not
    hard: S1's hardness is not needed (softening it gives no plan), so it is not named. In P2
    min_units no longer holds, so the conflict does not repeat."""
    result = conflict(
        tmp_path,
        periods=months(6),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1, "hard": "yes"},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[
            {"id": "C1", "contributor": "A", "caveat": "only", "site": "S1", "to": "P2"},
            {"id": "C2", "contributor": "A", "caveat": "min_units", "value": 2, "to": "P1"},
        ],
    )
    assert result.conflict is not None
    assert result.conflict.rules == [
        (
            "requirement_limit:S1/INF/P1",
            "S1 needs only 1 INF in P1 (no more can be allocated there)",
        ),
        ("caveat:C1", "caveat C1 (A only site=S1, P1..P2)"),
        ("caveat:C2", "caveat C2 (A min_units 2, P1)"),
    ]
    assert result.conflict.give_way == [("caveat C2 (A min_units 2, P1)", 1.0, "unit")]
    assert not result.conflict.repeated


def test_infeasible_hard_by_a_caveat_after_the_mandate_ends(tmp_path: Path) -> None:
    """A's no_weakening on S1 in P3..P4 makes S1/INF hard then; A's mandate (its only pledge)
    ends with P2: in P3 and in P4 nobody can be present. The caveat is named in the line's
    text (with its window), not as a rule of its own: the hard rows are the line's."""
    result = conflict(
        tmp_path,
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P2"}],
        caveats=[
            {
                "id": "NW",
                "contributor": "A",
                "caveat": "no_weakening",
                "site": "S1",
                "from": "P3",
                "to": "P4",
            }
        ],
    )
    assert result.conflict is not None
    assert result.conflict.rules == [
        (
            "hard:S1/INF/P3..P4",
            "S1/INF is hard in P3..P4 (needs 1 INF in full; hard because of caveat NW "
            "(A no_weakening site=S1, P3..P4)) but no INF pledge is available after P2",
        )
    ]


def test_infeasible_rotation_names_the_tour_and_the_periods(tmp_path: Path) -> None:
    """S1/INF is hard (1 unit) in P1..P3; A's one unit serves tours of at most 2 months, then
    1 month at home. Covering 3 months takes two tours, and the month at home between them
    leaves a period uncovered (P1-P2 then P3: home in P3; P1 then P2-P3: home in P2).
    Every part is needed: without the tour limit one tour covers P1..P3; without the line in
    P1 (P2-P3), P2 (P1, P3) or P3 (P1-P2) it can be met; without the pledge's row of P2 (the
    plan P1, P2-P3) or of P3 (P1-P2, P3) too. Its row of P1 is not needed: the filter drops it.
    No shift exists in a 3-period horizon."""
    result = conflict(
        tmp_path,
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1, "hard": "yes"}
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 1,
                "tour_months": 2,
                "dwell_months": 1,
            }
        ],
    )
    assert result.conflict is not None
    assert result.conflict.rules == [
        ("tour:A/INF", "A's tours of INF last at most 2 months (tour_months)"),
        (
            "hard:S1/INF/P1..P3",
            "S1/INF is hard in P1..P3 (needs 1 INF in full; hard because of the workbook "
            "(hard = yes)); INF is pledged by A 1",
        ),
        (
            "pledge:A/INF/P2..P3",
            "the INF pledges usable here are limited to: A 1 in P2..P3 (units present, or at "
            "home for 1 month of dwell after a tour)",
        ),
    ]
    assert not result.conflict.repeated


def test_infeasible_conflict_repeats_with_a_pledge_that_joins_later(tmp_path: Path) -> None:
    """S1/INF is hard, 3 units, in P1..P3; A pledges 1 unit throughout, B 1 unit from P2. In P1
    A's one unit cannot make 3 (the conflict found: the line and A's pledge in P1). Shifted to
    P2 and P3 the same holds once B's pledge, available then, is limited too (1 + 1 < 3): so
    the line is named in P1..P3, A's pledge in P1..P3 and B's in P2..P3. The smallest change
    giving a plan in P1..P3 gives up 2 of the 3 units in P1 and 1 in each of P2, P3: 4
    unit-periods."""
    result = conflict(
        tmp_path,
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3, "priority": 1, "hard": "yes"}
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "from": "P2"},
        ],
    )
    assert result.conflict is not None
    assert result.conflict.rules == [
        (
            "hard:S1/INF/P1..P3",
            "S1/INF is hard in P1..P3 (needs 3 INF in full; hard because of the workbook "
            "(hard = yes)); INF is pledged by A 1, B 1 (from P2)",
        ),
        (
            "pledge:A/INF/P1..P3,pledge:B/INF/P2..P3",
            "the INF pledges usable here are limited to: A 1 in P1..P3, B 1 in P2..P3",
        ),
    ]
    assert result.conflict.give_way == [("S1 needs 3 INF in full in P1..P3", 4.0, "unit-period")]


def test_a_conflict_names_the_tours_too_short_for_the_line_s_period(tmp_path: Path) -> None:
    """Periods Q1 (3 months) and M4 (1); S1/INF is hard, 1 unit, in Q1 only. A pledges 1 INF
    with tours of at most 2 months (a tour covers whole periods: none in Q1), B 1 INF with
    tours of 1 month: nobody can be at S1 in Q1, and the line's text says why of each pledge
    (a trial saw `INF is pledged by A 1`, as if A's unit could come). The smallest change
    gives up the line's 1 unit in Q1."""
    result = conflict(
        tmp_path,
        periods=[{"period": "Q1", "months": 3}, {"period": "M4", "months": 1}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1, "hard": "yes"}
            | {"to": "Q1"}
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 2},
            {"contributor": "B", "capability": "INF", "units": 1, "tour_months": 1},
        ],
    )
    assert result.conflict is not None
    (line,) = [text for key, text in result.conflict.rules if key.startswith("hard:")]
    assert line.endswith(
        "INF is pledged by A 1 (tours of at most 2 months cannot cover Q1 (3 months)), "
        "B 1 (tours of at most 1 month cannot cover Q1 (3 months))"
    )
    assert result.conflict.give_way == [("S1 needs 1 INF in full in Q1", 1.0, "unit")]


def test_a_pledge_that_ends_is_limited_only_in_its_own_periods(tmp_path: Path) -> None:
    """S1/INF is hard, 3 units, in P1..P3, and single-source; A pledges 2 units and C 1
    throughout, B 1 unit to P1 (its mandate ends then). In P1 no one nation has 3: the conflict
    found there (the line, single-source, the three pledges). Shifted to P2 and P3 it holds
    too, B having no pledge then (a limit of 0, stricter still). B's pledge is named in P1
    only: the explanation said `B 1 in P1..P3` of a pledge that ends P1 (a new planner's
    trial: ESP's pledge to 2027-08 said usable in 2027-01..2027-12)."""
    result = conflict(
        tmp_path,
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3, "priority": 1, "hard": "yes"}
            | {"single_source": "yes"}
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": 1, "to": "P1"},
            {"contributor": "C", "capability": "INF", "units": 1},
        ],
        contributors=[{"contributor": c} for c in "ABC"],
    )
    assert result.conflict is not None
    texts = dict(result.conflict.rules)
    limited = next(text for key, text in texts.items() if key.startswith("pledge:"))
    assert "A 2 in P1..P3" in limited and "C 1 in P1..P3" in limited, limited
    assert "B 1 in P1," in limited or limited.endswith("B 1 in P1"), limited
    assert result.conflict.repeated


def test_a_pledge_whose_window_misses_the_conflict_says_so(tmp_path: Path) -> None:
    """S1/INF is hard, 2 units, in P2..P3; B pledges 1 unit throughout, A 1 unit to P1 (its
    mandate ends then). In P2 only B's 1 unit can come: the conflict found there (the line
    and B's pledge), shifted to P3 the same. A's pledge is out of it by its window, not by the
    conflict's other rules (a planner trial: ITA's mandate ending was said `held back by the
    other rules of this conflict`, sending the planner to look for a caveat)."""
    result = conflict(
        tmp_path,
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1, "hard": "yes"}
            | {"from": "P2"}
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "to": "P1"},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
    )
    assert result.conflict is not None
    limited = next(text for key, text in result.conflict.rules if key.startswith("pledge:"))
    assert limited == (
        "the INF pledges usable here are limited to: B 1 in P2..P3 (A 1 is available only to "
        "P1 (its mandate ends))"
    )


def test_requires_in_a_conflict_says_why_its_other_deploys_nothing(tmp_path: Path) -> None:
    """A new planner's trial: P1 of 1 month, P2 of 12; A pledges 2 INF with tours of at most
    6 months, B 1 ENG; B requires A (K1) and commits 1 unit in P2 (K2). A tour covers whole
    periods, so no A unit can be at S1 in P2, B then cannot deploy, and K2 cannot hold. The
    conflict named K1 and K2 alone, which read as puzzling beside A's 2 units; K1 now says A
    can deploy nothing in P2 and why (the words of validate's warning)."""
    result = conflict(
        tmp_path,
        periods=months(2, [1, 12]),
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "ENG", "category": "ground", "personnel_per_unit": 100},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S1", "capability": "ENG", "units": 1, "priority": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 6},
            {"contributor": "B", "capability": "ENG", "units": 1},
        ],
        caveats=[
            {"id": "K1", "contributor": "B", "caveat": "requires", "other": "A"},
            {"id": "K2", "contributor": "B", "caveat": "min_units", "value": 1, "from": "P2"},
        ],
    )
    assert result.conflict is not None
    assert dict(result.conflict.rules) == {
        "caveat:K1": "caveat K1 (B requires A): A can deploy nothing in P2 (A's tours of at "
        "most 6 months cannot cover P2 (12 months))",
        "caveat:K2": "caveat K2 (B min_units 1, P2)",
    }
