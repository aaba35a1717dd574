"""Why lines are short, in time: the timed Gaps sheet and Sustainability's main reason.

The world (tests/time_cases.py): contributors A and B, capability INF, sites S1 and S2; the
line S1/INF of 1 unit, priority 1, in every period. Each docstring derives the plan and the
reasons by hand; the Gaps columns are those of the snapshot plus `period`.
"""

from __future__ import annotations

from pathlib import Path

from .explain_time_case import gaps, reasons, solved
from .time_cases import months


def test_timed_gaps_have_the_snapshot_columns_and_period(tmp_path: Path) -> None:
    """The timed Gaps sheet: the snapshot's columns with `period` after capability."""
    result = solved(
        tmp_path,
        periods=months(2),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P1"}],
    )
    assert list(result.tables.extra["Gaps"].columns) == [
        "site",
        "capability",
        "period",
        "priority",
        "required",
        "allocated",
        "shortfall",
        "contributor",
        "pledged",
        "spare",
        "reason",
    ]


def test_notice_to_move_and_mandate_end_as_period_ranges(tmp_path: Path) -> None:
    """A's one unit can be present only in P3..P4 of 6 (ready from P3, mandate to P4): it holds
    S1 then, so S1 is short 1 unit in P1..P2 and P5..P6. In P1..P2 no INF pledge can be
    present at all and one comes in P3: one row, contributor `-`; in P5..P6 A's row says its
    mandate ended (spare 0: the units cannot be present then). Each pair of periods is one row.
    The main reason: 2 unit-months each, the tie goes to the earliest (the notice to move),
    said with the periods it holds in (2 of the 4 short)."""
    result = solved(
        tmp_path,
        periods=months(6),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "from": "P3", "to": "P4"}],
    )
    assert gaps(result) == [
        (
            "S1",
            "INF",
            "P1..P2",
            1,
            0,
            1,
            "-",
            0,
            0,
            "no INF pledge available before P3 (notice to move)",
        ),
        ("S1", "INF", "P5..P6", 1, 0, 1, "A", 1, 0, "A's mandate ends P4"),
    ]
    assert reasons(result) == {
        ("S1", "INF"): "no INF pledge available before P3 (notice to move); in 2 of the 4 "
        "periods short, from P1"
    }


def test_a_line_between_two_pledges_names_the_mandate_that_ended(tmp_path: Path) -> None:
    """B's mandate ends with P2, A is ready from P5 (of 6): no INF pledge can be present in
    P3..P4. That is not "before" any pledge (B was there in P1..P2): the reason says B's mandate
    ended and when the next arrives (it said `no INF pledge available before P5`)."""
    result = solved(
        tmp_path,
        periods=months(6),
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "from": "P5"},
            {"contributor": "B", "capability": "INF", "units": 1, "to": "P2"},
        ],
    )
    assert [(r[2], r[6], r[9]) for r in gaps(result)] == [
        ("P3..P4", "-", "no INF pledge available until P5 (notice to move): B's mandate ends P2"),
    ]


def test_main_reason_covers_the_most_unit_months(tmp_path: Path) -> None:
    """A's unit is present in P3 only (ready from P3, mandate to P3): short P1..P2 (2
    unit-months, no pledge yet) and P4..P6 (3 unit-months, A's mandate ended): the mandate
    is the main reason, in 3 of the 5 periods short."""
    result = solved(
        tmp_path,
        periods=months(6),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "from": "P3", "to": "P3"}],
    )
    assert [(r[2], r[9]) for r in gaps(result)] == [
        ("P1..P2", "no INF pledge available before P3 (notice to move)"),
        ("P4..P6", "A's mandate ends P3"),
    ]
    said = "A's mandate ends P3; in 3 of the 5 periods short, from P4"
    assert reasons(result) == {("S1", "INF"): said}
    sustainability = result.tables.timed["Sustainability"]
    assert sustainability[
        ["site", "capability", "unit_months_short", "reason"]
    ].values.tolist() == [["S1", "INF", 5, said]]


def test_a_line_no_pledge_can_fill_says_so_beside_the_largest_pledge(tmp_path: Path) -> None:
    """S1 needs 4 units in P1..P2; A (2 units), B and C (1 each) are all there: short 1, no
    unit spare anywhere. The main reason is A's (the largest pledge), and says the 2 others
    have none spare either (a trial read `FRA's 1 unit: 1 at Odesa (p2)` as France's fault,
    ten pledges busy beside it). With D's unit spare but kept out by a caveat, D's reason is
    the line's, alone: that is what a planner can act on."""
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2},
        {"contributor": "B", "capability": "INF", "units": 1},
        {"contributor": "C", "capability": "INF", "units": 1},
    ]
    contributors = [{"contributor": c, "lat": 0, "lon": 0} for c in "ABCD"]
    common = {
        "periods": months(2),
        "contributors": contributors,
        "requirements": [{"site": "S1", "capability": "INF", "units": 5, "priority": 1}],
    }
    busy = solved(tmp_path, pledges=pledges, **common)
    assert reasons(busy) == {
        (
            "S1",
            "INF",
        ): "A's 2 units: 2 on this line already; the 2 other pledges have no unit spare either"
    }
    kept_out = solved(
        tmp_path,
        pledges=[*pledges, {"contributor": "D", "capability": "INF", "units": 1}],
        caveats=[{"id": "K1", "contributor": "D", "caveat": "exclude", "site": "S1"}],
        **common,
    )
    (reason,) = reasons(kept_out).values()
    assert reason.startswith("kept out by caveat K1"), reason


def test_a_contributor_not_yet_ready_beside_one_present(tmp_path: Path) -> None:
    """S1 needs 2 units in P1..P3; A (1 unit) is there throughout, B (1 unit) is ready from
    P3. P1..P2 are short 1: A's unit is at S1 itself, B is not ready; per contributor, in the
    order of Pledges. The main reason is B's notice to move, what a planner can ask to move (B
    ready earlier fills the line; A's unit is already on it: a differential trial saw the line
    blamed on a unit deployed elsewhere where a notice to move was what kept it short), and
    says A has none spare either."""
    result = solved(
        tmp_path,
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "from": "P3"},
        ],
    )
    assert gaps(result) == [
        ("S1", "INF", "P1..P2", 2, 1, 1, "A", 1, 0, "A's 1 unit: 1 on this line already"),
        (
            "S1",
            "INF",
            "P1..P2",
            2,
            1,
            1,
            "B",
            1,
            0,
            "B's INF pledge available only from P3 (notice to move)",
        ),
    ]
    assert reasons(result) == {
        ("S1", "INF"): "B's INF pledge available only from P3 (notice to move); the other "
        "pledge has no unit spare either"
    }


def test_dwell_names_when_the_unit_is_back(tmp_path: Path) -> None:
    """One unit, tours of 2 months, 2 months of dwell, 6 periods: P1-P2 and P5-P6 (as in
    test_time_rules); in P3..P4 the unit is at home in dwell, the last period of its dwell
    being P4: one row for both periods."""
    result = solved(
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
    assert gaps(result) == [
        ("S1", "INF", "P3..P4", 1, 0, 1, "A", 1, 0, "A's 1 unit: 1 in dwell until P4"),
    ]
    assert reasons(result) == {("S1", "INF"): "A's 1 unit: 1 in dwell until P4"}


def test_units_deployed_elsewhere_and_in_dwell(tmp_path: Path) -> None:
    """A has 3 units on tours of 1 month with 2 months of dwell; S2 (priority 1) needs 1 unit
    in P1..P4, S1 (priority 2) needs 2. A unit deployed in t is home in t+1 and t+2, so S2
    takes one unit after the other: P1, P2, P3 and the first one again in P4 (the only way to
    hold S2 every month), and S1 gets nothing (a second unit out in any period would leave
    S2 without one two months later). Where A's units are, per period:
      P1: 1 at S2, 2 at home and ready (spare 2): no single rule; a second unit out in P1
          would be home in P2..P3, and in P3 all three are taken (below): it is held for P3;
      P2: 1 at S2, 1 in dwell (tour P1, home P2..P3), spare 1: the same (home P3..P4, held
          for P3), another row;
      P3: 1 at S2, 1 in dwell until P3, 1 until P4 (tour P2, home P3..P4): spare 0;
      P4: 1 at S2, 1 in dwell until P4 (tour P2), 1 home P4..P5 (tour P3): past P4, the
          horizon's end, by 1 month, said so (a planner trial read `until P4` as its end).
    Main reason of S1: 2 unit-months each; the earliest wins, in 2 of the 4 periods short."""
    result = solved(
        tmp_path,
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 2},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 3,
                "tour_months": 1,
                "dwell_months": 2,
            }
        ],
    )
    spare = (
        "not used although spare: no single rule blocks it — filling this line then would cost "
        "a higher-priority line or another period (a tour then keeps a unit at home for 2 "
        "months after it, into P3, when all A's 3 units are taken: 1 at S2 (p1), 1 in dwell "
        "until P3, 1 in dwell until P4), or break a combination of rules (see --price-caveats)"
    )
    assert gaps(result) == [
        ("S1", "INF", "P1", 2, 0, 2, "A", 3, 2, spare),
        ("S1", "INF", "P2", 2, 0, 2, "A", 3, 1, spare),
        (
            "S1",
            "INF",
            "P3",
            2,
            0,
            2,
            "A",
            3,
            0,
            "A's 3 units: 1 at S2 (p1), 1 in dwell until P3, 1 in dwell until P4",
        ),
        (
            "S1",
            "INF",
            "P4",
            2,
            0,
            2,
            "A",
            3,
            0,
            "A's 3 units: 1 at S2 (p1), 1 in dwell until P4, 1 in dwell until P4, the plan's "
            "end, and 1 month beyond",
        ),
    ]
    assert reasons(result) == {("S1", "INF"): spare + "; in 2 of the 4 periods short, from P1"}


def test_a_tour_that_cannot_cover_a_long_period(tmp_path: Path) -> None:
    """Periods of 1, 1, 3, 1 months, tours of at most 2: P3 (3 months) can hold no unit of A
    (as in test_time_rules), so S1 is short there for that reason."""
    result = solved(
        tmp_path,
        periods=months(4, [1, 1, 3, 1]),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "tour_months": 2}],
    )
    assert gaps(result) == [
        (
            "S1",
            "INF",
            "P3",
            1,
            0,
            1,
            "A",
            1,
            1,
            "A's tours of at most 2 months cannot cover P3 (3 months)",
        ),
    ]


def test_a_profile_change_splits_a_range(tmp_path: Path) -> None:
    """A's mandate ends with P1 of 4; the Profile asks 2 units in P3..P4 (1 otherwise): the
    reason is the same in P2..P4, but the figures change in P3, so two rows."""
    result = solved(
        tmp_path,
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P1"}],
        profile=[{"site": "S1", "capability": "INF", "from": "P3", "to": "P4", "units": 2}],
    )
    assert gaps(result) == [
        ("S1", "INF", "P2", 1, 0, 1, "A", 1, 0, "A's mandate ends P1"),
        ("S1", "INF", "P3..P4", 2, 0, 2, "A", 1, 0, "A's mandate ends P1"),
    ]


def test_the_periods_a_main_reason_holds_in_stay_where_the_search_stopped() -> None:
    """A `not used although spare` main reason of a line whose priority was not proven is said
    as the search's; the periods it holds in stay with it (a review: they were dropped, and
    the reason read as holding in every short period again)."""
    import pandas as pd

    from solver.explain.sustain import qualify_unproven
    from solver.wording import SPARE

    gaps = pd.DataFrame({"site": ["S1"], "capability": ["INF"], "priority": [1], "reason": [SPARE]})
    main = {("S1", "INF"): SPARE + "; in 2 of the 4 periods short, from P1"}
    _, said = qualify_unproven(gaps, main, {1: False})
    assert said[("S1", "INF")].startswith(f"{SPARE}, but the search stopped before priority 1")
    assert said[("S1", "INF")].endswith(
        "(raise the time or work limit); in 2 of the 4 periods short, from P1"
    )


def test_where_a_pledges_units_are_is_one_reason_whatever_the_period(tmp_path: Path) -> None:
    """S2 (p1) needs 1 INF and S1 (p2) 2 over P1..P6; A's 3 units serve 1-month tours with 2
    months of dwell, one always at S2. S1 is short 2 in every period: in P1..P2 A has a unit
    spare (held for a later tour), in P3..P6 all 3 are at S2 or in dwell, said each period
    with other dwell dates. Counted by its words, the spare unit's 4 unit-months won against
    four texts of 2 (a review: the main reason held in 2 of 6 periods); where A's units are
    is one reason, 8 unit-months, said in the first period's words."""
    result = solved(
        tmp_path,
        periods=months(6),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 2},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 3}
            | {"tour_months": 1, "dwell_months": 2}
        ],
    )
    assert reasons(result) == {
        ("S1", "INF"): "A's 3 units: 1 at S2 (p1), 1 in dwell until P3, 1 in dwell until P4; "
        "in 4 of the 6 periods short, from P3"
    }
