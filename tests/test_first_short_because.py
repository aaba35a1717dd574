"""Sustainability's `first_short_because` (solver/results/first_short.py,
first_short_caveats.py) on plans of tours built by hand: what changed when a line first went
short. "The case" is tests/time_tables_case.py's (four uneven periods, A and B); split from
tests/test_time_tables.py."""

from __future__ import annotations

from pathlib import Path

from solver.results.time_tables import timed_tables

from .time_tables_case import case, no_hard, plan_of


def test_what_changed_when_a_line_first_went_short(tmp_path: Path) -> None:
    """The analyst trial: a line short from 2028-01 gave caveat C8 as its reason, when what
    happened then was NLD's mandate ending. Here S1 needs 2 INF in P1..P4 (3 from P4, a
    Profile); A (2 units, mandate to P2) holds it alone in P1..P2, B (1 unit) comes in P3:
    first short P3, after P2, A's 2 units gone because its pledge ends P2 (the Gaps sheet's
    words, `A's mandate ends P2`). Alone, S2 (1 INF in P1..P4) held by B in P1..P2, then by
    nobody: B's unit moves to S1 (priority 1) after P2 (no rule ended it; "leaves" read as a
    withdrawal, an analyst trial). With S1 held in full to
    P3 instead (A's mandate to P3), it first goes short in P4, where its Profile rises."""
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2, "to": "P2"},
        {"contributor": "B", "capability": "INF", "units": 1},
    ]
    data = case(
        tmp_path,
        pledges=pledges,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        profile=[{"site": "S1", "capability": "INF", "from": "P4", "to": "P4", "units": 3}],
    )
    tours = [("A", "INF", "S1", 0, 1, 2), ("B", "INF", "S2", 0, 1, 1), ("B", "INF", "S1", 2, 3, 1)]
    sus = timed_tables(plan_of(data, tours), *no_hard(data))["Sustainability"]
    because = dict(zip(sus["site"], sus["first_short_because"], strict=True))
    assert because == {
        "S1": "A's mandate ends P2 (A held 2 units here until then)",
        "S2": "B's 1 unit here moves to S1 (priority 1) after P2",
    }
    # B with a dwell: the unit that left S2 is at home, the one at S1 another (a review)
    rested = [pledges[0], {**pledges[1], "dwell_months": 1}]
    lines = [
        {"site": "S1", "capability": "INF", "units": 2},
        {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
    ]
    data = case(tmp_path, pledges=rested, requirements=lines)
    sus = timed_tables(plan_of(data, tours), *no_hard(data))["Sustainability"]
    assert sus["first_short_because"].tolist()[1] == "B's 1 unit here leaves after P2"
    # no mandate end, but tours of at most 3 months: A's tour P1..P2 (3 months) ends, no relief
    rotating = [{**pledges[0], "to": None, "tour_months": 3}, pledges[1]]
    lines = [
        {"site": "S1", "capability": "INF", "units": 2},
        {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
    ]
    data = case(tmp_path, pledges=rotating, requirements=lines)
    sus = timed_tables(plan_of(data, tours), *no_hard(data))["Sustainability"]
    assert (
        sus["first_short_because"].tolist()[0]
        == "A's tour here ends P2 (tours of at most 3 months)"
    )
    # tours of at most 6 months: the 3-month tour could have gone on into P3, so its end is
    # the plan's, not the limit's (a review)
    rotating[0]["tour_months"] = 6
    data = case(tmp_path, pledges=rotating, requirements=lines)
    sus = timed_tables(plan_of(data, tours), *no_hard(data))["Sustainability"]
    assert sus["first_short_because"].tolist()[0] == "A's 2 units here leave after P2"
    pledges[0]["to"] = "P3"
    data = case(
        tmp_path,
        pledges=pledges,
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        profile=[{"site": "S1", "capability": "INF", "from": "P4", "to": "P4", "units": 3}],
    )
    tours = [("A", "INF", "S1", 0, 2, 2), ("B", "INF", "S1", 3, 3, 1)]
    sus = timed_tables(plan_of(data, tours), *no_hard(data))["Sustainability"]
    assert sus["first_short"].tolist() == ["P4"]
    assert sus["first_short_because"].tolist() == [
        "S1 requires 3 INF from P4 (2 before); A's mandate ends P3 (A held 2 units here until then)"
    ]


def test_a_caveat_in_force_or_a_partner_gone_when_a_line_first_went_short(
    tmp_path: Path,
) -> None:
    """A differential trial lifted each and the line stayed covered, where the column said
    the unit `leaves` or `moves to S2`. S1 needs 2 INF in P1..P4; A holds it with 2 units in
    P1..P2, and from P3 it is short. (1) A's exclude X1 of S1 from P3: said, with its window.
    An exclude of S2 from P3 is no cause of S1's: `leaves`. (2) A's `requires` of B, whose
    mandate ends P2: said. (3) A's mandate ends P3 but S1's Profile is 0 in P3, so S1 is
    active in P1..P2 and P4 and first short in P4: A held it until P2, not `until then` (the
    trial read it as held to the mandate's end).

    Not said (a review): a cap that selects another site (max_units of S2), a `requires`
    that selects another site, a floor at S1 itself (min_units of S1: it asks for units
    here); an `only` of S2 from P3 beside an `only` of S1 all along (their union still allows
    S1). Said: a floor elsewhere (min_units of S2 from P3, which takes the units there), an
    `only` of S2 left alone when the `only` of S1 ends. A tour limit that ended the tour is
    said before a caveat that begins with it."""
    lines = [{"site": "S1", "capability": "INF", "units": 2}]
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2},
        {"contributor": "B", "capability": "INF", "units": 1, "to": "P2"},
    ]
    tours = [("A", "INF", "S1", 0, 1, 2)]

    def because(caveats: list[dict], **sheets) -> str:
        sheets.setdefault("pledges", pledges)
        data = case(tmp_path, requirements=lines, profile=[], caveats=caveats, **sheets)
        sus = timed_tables(plan_of(data, tours), *no_hard(data))["Sustainability"]
        return str(sus["first_short_because"].tolist()[0])

    exclude = {"id": "X1", "contributor": "A", "caveat": "exclude", "from": "P3"}
    assert because([exclude | {"site": "S1"}]) == (
        "caveat X1 (A exclude site=S1, P3..P4) applies from P3 (A held 2 units here until P2)"
    )
    assert because([exclude | {"site": "S2"}]) == "A's 2 units here leave after P2"
    requires = {"id": "R1", "contributor": "A", "caveat": "requires", "other": "B"}
    assert because([requires]) == (
        "caveat R1 (A requires B): B's mandate ends P2 (A held 2 units here until P2)"
    )
    leaves = "A's 2 units here leave after P2"
    cap = {"id": "M1", "contributor": "A", "caveat": "max_units", "value": 1, "from": "P3"}
    assert because([cap | {"site": "S2"}]) == leaves
    assert because([requires | {"site": "S2"}]) == leaves
    floor = {"id": "F1", "contributor": "A", "caveat": "min_units", "value": 2, "from": "P3"}
    assert because([floor | {"site": "S1"}]) == leaves
    assert because([floor | {"site": "S2"}]) == (
        "caveat F1 (A min_units site=S2 2, P3..P4) applies from P3 (A held 2 units here until P2)"
    )
    only = {"contributor": "A", "caveat": "only"}
    s1 = only | {"id": "O1", "site": "S1"}
    s2 = only | {"id": "O2", "site": "S2"}
    assert because([s1, s2 | {"from": "P3"}]) == leaves
    assert because([s1 | {"to": "P2"}, s2]) == (
        "caveat O2 (A only site=S2) alone applies from P3 (A held 2 units here until P2)"
    )
    limited = [{**pledges[0], "tour_months": 3}, pledges[1]]
    assert because([exclude | {"site": "S1"}], pledges=limited) == (
        "A's tour here ends P2 (tours of at most 3 months)"
    )
    ended = [{**pledges[0], "to": "P3"}, pledges[1]]
    zero = [{"site": "S1", "capability": "INF", "from": "P3", "to": "P3", "units": 0}]
    data = case(tmp_path, requirements=lines, profile=zero, pledges=ended, caveats=[])
    sus = timed_tables(plan_of(data, tours), *no_hard(data))["Sustainability"]
    assert sus["first_short"].tolist() == ["P4"]
    assert sus["first_short_because"].tolist() == [
        "A's mandate ends P3 (A held 2 units here until P2)"
    ]


def test_a_unit_that_moves_to_a_hard_line_says_why_it_moved(tmp_path: Path) -> None:
    """The first case's S2, held by B in P1..P2, then B at S1 (priority 1) from P3; with S1
    hard in P3..P4 (by a caveat K1, say) the move reads `S1 (priority 1, hard: caveat K1)`, as
    the Gaps sheet labels a hard line (a planner trial read a move to a hard p2 line as the
    plan's choice)."""
    pledges = [{"contributor": "B", "capability": "INF", "units": 1}]
    lines = [
        {"site": "S1", "capability": "INF", "units": 1},
        {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
    ]
    data = case(tmp_path, pledges=pledges, requirements=lines)
    tours = [("B", "INF", "S2", 0, 1, 1), ("B", "INF", "S1", 2, 3, 1)]
    hard, because = no_hard(data)
    hard, because = hard.copy(), because.copy()
    hard[0, 2:] = True
    because[0, 2:] = "caveat K1"
    sus = timed_tables(plan_of(data, tours), hard, because)["Sustainability"]
    assert sus["first_short_because"].tolist()[1] == (
        "B's 1 unit here moves to S1 (priority 1, hard: caveat K1) after P2"
    )
