"""The Changes sheet's `why` (contract `replanning.md`): why the baseline's units could not stay
(a withdrawn pledge, a lower requirement, a mandate ending, a cap, not_with, min_contingent, a
pledge cut through dwell), hand-worked on small workbooks."""

from __future__ import annotations

from solver import api
from solver.model.build import build_model
from solver.results.asks import console_line
from solver.results.replan import replan_tables

from .changes_case import allocation, baseline_rows, caps_case, reasons_case, records
from .time_cases import months, timed_case
from .workbooks import write_workbook


def test_why_the_baseline_could_not_stay(tmp_path) -> None:
    """The plan B 2 at S1, A 1 and D 1 at S2 against the baseline of `reasons_case`. Each
    decrease, by the rules of change_reasons.py:

        A S2 2 -> 1   A's held 2 > pledged 1          `the baseline has 2 units of A's INF,
                                                      more than its pledge of 1`
        B S2 1 -> 0   caveat C1 removed (B, S2)       `kept out by caveat C1 (B exclude site=S2)`
        C S2 1 -> 0   C unavailable                   `C is unavailable`
        D S1 1 -> 0   allowed; S1 held 1 <= 2         blank: the plan's choice
        D S3 1 -> 0   S3 requires no INF              `the baseline has D's INF at S3, but
                                                      S3 does not require INF`
        E S1 1 -> 0   C2: E requires F, F unavailable `caveat C2 (E requires F): F is unavailable`

    and the increases (B S1 +2, D S2 +1) have no why. Asks: B's -1 at S2 and +2 at S1 are a move
    of 1 and an addition of 1; D's -1 at S1 and -1 at S3 against +1 at S2: move 1 from S1 (first
    by name), withdraw 1 from S3. Units changed 1 + 3 + 1 + 3 + 1 = 9, five nations asked: 2
    moved (B, D; each counted twice), 1 added (B), 4 withdrawn (A, C, D from S3, E)."""
    data = reasons_case(tmp_path)
    plan = allocation([("A", "INF", "S2", 1), ("B", "INF", "S1", 2), ("D", "INF", "S2", 1)])
    changes, asks = replan_tables(data, build_model(data), plan, None)
    assert records(changes) == [
        (
            "A",
            "INF",
            "S2",
            2,
            1,
            -1,
            "the baseline has 2 units of A's INF, more than its pledge of 1",
        ),
        ("B", "INF", "S1", 0, 2, 2, ""),
        ("B", "INF", "S2", 1, 0, -1, "kept out by caveat C1 (B exclude site=S2)"),
        ("C", "INF", "S2", 1, 0, -1, "C is unavailable"),
        ("D", "INF", "S1", 1, 0, -1, ""),
        ("D", "INF", "S2", 0, 1, 1, ""),
        ("D", "INF", "S3", 1, 0, -1, "the baseline has D's INF at S3, but S3 does not require INF"),
        ("E", "INF", "S1", 1, 0, -1, "kept out by caveat C2 (E requires F)"),
    ]
    assert records(asks[["contributor", "ask", "units_changed"]]) == [
        (
            "A",
            "withdraw 1 INF from S2 (-100 personnel; forced: the baseline has 2 units of A's "
            "INF, more than its pledge of 1)",
            1,
        ),
        (
            "B",
            "move 1 INF from S2 to S1 (100 personnel; forced: kept out by caveat C1 (B exclude "
            "site=S2)); add 1 INF at S1 (+100 personnel)",
            3,
        ),
        ("C", "withdraw 1 INF from S2 (-100 personnel; forced: C is unavailable)", 1),
        (
            "D",
            "move 1 INF from S1 to S2 (100 personnel); withdraw 1 INF from S3 (-100 personnel; "
            "forced: the baseline has D's INF at S3, but S3 does not require INF)",
            3,
        ),
        (
            "E",
            "withdraw 1 INF from S1 (-100 personnel; forced: kept out by caveat C2 (E requires F))",
            1,
        ),
        ("F", "unchanged", 0),
    ]
    assert console_line(asks) == (
        "9 units change (2 moved, each counted twice; 1 added; 4 withdrawn), 5 nations asked"
    )


def test_why_a_withdrawn_pledge_and_a_lower_requirement(tmp_path) -> None:
    """The workbook of `reasons_case`; baseline G 1 INF at S1 (G is not a contributor any
    more), A 1 at S1, D 2 at S2 and D 1 MP at S2 (D pledges no MP). Plan: A 1, D 1 at S1; D 1
    at S2. By hand:

        D INF S2 2 -> 1   allowed, S2 held 2 <= 2, D held 2 <= 4   blank (a choice)
        D MP  S2 1 -> 0   no pledge of MP by D                   `D does not pledge MP`
        G INF S1 1 -> 0   G not on Contributors                  `the baseline has G's INF at S1,
                                                                 but G is not a contributor`

    G is listed in Asks after the workbook's nations, personnel from the capability (INF 100;
    MP has no personnel given: 0, so no personnel text)."""
    data = reasons_case(tmp_path)
    data.baseline = baseline_rows(
        [
            ("A", "INF", "S1", 0, 0, 1),
            ("D", "INF", "S2", 0, 0, 2),
            ("D", "MP", "S2", 0, 0, 1),
            ("G", "INF", "S1", 0, 0, 1),
        ]
    )
    plan = allocation([("A", "INF", "S1", 1), ("D", "INF", "S1", 1), ("D", "INF", "S2", 1)])
    changes, asks = replan_tables(data, build_model(data), plan, None)
    assert records(changes) == [
        ("D", "INF", "S1", 0, 1, 1, ""),
        ("D", "INF", "S2", 2, 1, -1, ""),
        ("D", "MP", "S2", 1, 0, -1, "D does not pledge MP"),
        ("G", "INF", "S1", 1, 0, -1, "the baseline has G's INF at S1, but G is not a contributor"),
    ]
    assert asks["contributor"].tolist() == ["A", "B", "C", "D", "E", "F", "G"]
    assert asks.set_index("contributor").at["D", "ask"] == (
        "move 1 INF from S2 to S1 (100 personnel); withdraw 1 MP from S2 (forced: D does not "
        "pledge MP)"
    )
    assert asks.set_index("contributor").at["G", "ask"] == (
        "withdraw 1 INF from S1 (-100 personnel; forced: the baseline has G's INF at S1, but G "
        "is not a contributor)"
    )


def test_why_in_time_a_mandate_ends_and_a_line_shrinks(tmp_path) -> None:
    """Periods P1..P4. A pledges 1 INF until P2 (`to` = P2), B 2. S1/INF needs 1; S2/INF
    needs 2 in P1..P2 and 1 in P3..P4 (Profile). Baseline: A 1 at S1 in P1..P4; B 2 at S2 in
    P1..P4. Plan: A at S1 in P1..P2, B 1 at S1 in P3..P4, B 2 at S2 in P1..P2 and 1 in P3..P4.
    By hand:

        A S1 P3..P4  1 -> 0   t > to(A) = P2           `A's mandate ends P2`
        B S1 P3..P4  0 -> 1   an increase              blank
        B S2 P3..P4  2 -> 1   held 2 > required 1      `S2 requires only 1 INF`

    Asks: A `withdraw 1 INF from S1 from P3`; B's -1 at S2 and +1 at S1 over P3..P4 are a move."""
    path = timed_case(
        tmp_path / "timed.xlsx",
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 2, "priority": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "to": "P2"},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        profile=[{"site": "S2", "capability": "INF", "from": "P3", "to": "P4", "units": 1}],
    )
    data = api.read(path)
    data.baseline = baseline_rows([("A", "INF", "S1", 0, 3, 1), ("B", "INF", "S2", 0, 3, 2)])
    plan = allocation(
        [("A", "INF", "S1", f"P{t}", 1) for t in (1, 2)]
        + [("B", "INF", "S1", f"P{t}", 1) for t in (3, 4)]
        + [("B", "INF", "S2", "P1", 2), ("B", "INF", "S2", "P2", 2)]
        + [("B", "INF", "S2", f"P{t}", 1) for t in (3, 4)]
    )
    changes, asks = replan_tables(data, build_model(data), plan, data.periods)
    assert records(changes[["contributor", "site", "period", "run", "change", "why"]]) == [
        ("A", "S1", "P3", "P3..P4", -1, "A's mandate ends P2"),
        ("A", "S1", "P4", "P3..P4", -1, "A's mandate ends P2"),
        ("B", "S1", "P3", "P3..P4", 1, ""),
        ("B", "S1", "P4", "P3..P4", 1, ""),
        ("B", "S2", "P3", "P3..P4", -1, "S2 requires only 1 INF"),
        ("B", "S2", "P4", "P3..P4", -1, "S2 requires only 1 INF"),
    ]
    assert changes["unit_months"].tolist() == [1] * 6
    assert records(asks[["contributor", "ask", "unit_months_changed"]]) == [
        ("A", "withdraw 1 INF from S1 from P3 (-100 personnel; forced: A's mandate ends P2)", 2),
        (
            "B",
            "move 1 INF from S2 to S1 from P3 (100 personnel; forced: S2 requires only 1 INF)",
            4,
        ),
    ]


def test_why_a_cap_caveat_below_the_baseline(tmp_path) -> None:
    """The plan keeps only A's 2 INF at S1. Under K1 (A max_units INF 2) the baseline held
    2 + 1 = 3 INF > 2, so the INF leaving S2 is capped by K1; K1 does not match MP, but K2
    (A max_sites 2) does, and the baseline held A at S1, S2, S3: 3 sites > 2. With K3 alone
    (A max_personnel 250): 3 x 100 + 1 x 50 = 350 personnel > 250, for both decreases."""
    plan = allocation([("A", "INF", "S1", 2)])
    data = caps_case(
        tmp_path,
        [
            {
                "id": "K1",
                "contributor": "A",
                "caveat": "max_units",
                "capability": "INF",
                "value": 2,
            },
            {"id": "K2", "contributor": "A", "caveat": "max_sites", "value": 2},
        ],
    )
    changes, _ = replan_tables(data, build_model(data), plan, None)
    assert records(changes[["capability", "site", "why"]]) == [
        (
            "INF",
            "S2",
            "caveat K1 (A max_units capability=INF 2) caps what the baseline held (3 units)",
        ),
        ("MP", "S3", "caveat K2 (A max_sites 2) caps what the baseline held (3 sites)"),
    ]
    data = caps_case(
        tmp_path, [{"id": "K3", "contributor": "A", "caveat": "max_personnel", "value": 250}]
    )
    changes, _ = replan_tables(data, build_model(data), plan, None)
    said = "caveat K3 (A max_personnel 250) caps what the baseline held (350 personnel)"
    assert changes["why"].tolist() == [said, said]


def test_why_a_not_with_or_min_contingent_caveat_against_the_baseline(tmp_path) -> None:
    """B joins with 1 INF; the baseline held A 1 INF at S2 and B 1 INF at S2 (S2 needs 2).
    N1 (A not_with B): one of the two must leave S2; the plan keeps B's there and moves A's to
    S1: the decrease at S2 is N1's (`rules out what the baseline held: B at S2 too`). With
    M1 (A min_contingent 2) instead, A's single unit at S2 is below the minimum, so it cannot
    stay as it was: `asks at least 2 units where the baseline held 1`. And B's decrease, under
    N1 of A, is said of A (the caveat restricts both)."""
    path = write_workbook(
        tmp_path / "nw.xlsx",
        contributors=[{"contributor": "A"}, {"contributor": "B"}],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": s} for s in ("S1", "S2")],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 4},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
        caveats=[{"id": "N1", "contributor": "A", "caveat": "not_with", "other": "B"}],
    )
    baseline = [("A", "INF", "S2", 0, 0, 1), ("B", "INF", "S2", 0, 0, 1)]
    data = api.read(path)
    data.baseline = baseline_rows(baseline)
    moved = allocation([("A", "INF", "S1", 2), ("B", "INF", "S2", 1)])
    changes, _ = replan_tables(data, build_model(data), moved, None)
    decrease = changes[changes["change"] < 0]
    assert records(decrease[["contributor", "site", "why"]]) == [
        ("A", "S2", "caveat N1 (A not_with B) rules out what the baseline held: B at S2 too")
    ]
    kept_a = allocation([("A", "INF", "S2", 2), ("A", "INF", "S1", 2)])
    changes, _ = replan_tables(data, build_model(data), kept_a, None)
    decrease = changes[changes["change"] < 0]
    assert records(decrease[["contributor", "site", "why"]]) == [
        ("B", "S2", "caveat N1 (A not_with B) rules out what the baseline held: A at S2 too")
    ]
    data = api.read(path)
    data.caveats = data.caveats.assign(caveat="min_contingent", other=None, value=2.0, id="M1")
    data.baseline = baseline_rows(baseline)
    changes, _ = replan_tables(data, build_model(data), moved, None)
    decrease = changes[changes["change"] < 0]
    said = "caveat M1 (A min_contingent 2) asks at least 2 units where the baseline held 1"
    assert records(decrease[["contributor", "site", "why"]]) == [("A", "S2", said)]

    def why_a_left(table: str, column: str, key: str, units: int) -> list[str]:
        """A's why under M1 (min_contingent 2), the baseline holding A's 2 at S2, with the
        `table` row whose `column` is `key` set to `units`; the plan has B's 1 there."""
        data = api.read(path)
        data.caveats = data.caveats.assign(caveat="min_contingent", other=None, value=2.0, id="M1")
        frame = getattr(data, table)
        frame.loc[frame[column] == key, "units"] = units
        data.baseline = baseline_rows([("A", "INF", "S2", 0, 0, 2)])
        plan = allocation([("B", "INF", "S2", 1)])
        changes, _ = replan_tables(data, build_model(data), plan, None)
        return changes.loc[changes["contributor"] == "A", "why"].tolist()

    # A's pledge cut to 1: M1 then keeps A out, led by the cut (a re-plan trial read the
    # caveat alone as the cause)
    assert why_a_left("pledges", "contributor", "A", 1) == [
        "the baseline has 2 units of A's INF, more than its pledge of 1; with it, kept out by "
        "caveat M1 (A min_contingent 2)"
    ]
    # S2 cut to 1 (pledge 4): led by the line's cut (a re-plan trial read `kept out by` a
    # caveat in force when the baseline was made)
    assert why_a_left("requirements", "site", "S2", 1) == [
        "S2 requires only 1 INF; with it, kept out by caveat M1 (A min_contingent 2)"
    ]
    # A's pledge of 1 (the baseline held A's 1 and B's 1 at S2, S2 cut to 1): the pledge,
    # below the contingent, keeps A out whatever S2 requires: not the line's words (a review)
    data = api.read(path)
    data.caveats = data.caveats.assign(caveat="min_contingent", other=None, value=2.0, id="M1")
    data.pledges.loc[data.pledges["contributor"] == "A", "units"] = 1
    data.requirements.loc[data.requirements["site"] == "S2", "units"] = 1
    data.baseline = baseline_rows([("A", "INF", "S2", 0, 0, 1), ("B", "INF", "S2", 0, 0, 1)])
    changes, _ = replan_tables(data, build_model(data), allocation([("B", "INF", "S2", 1)]), None)
    assert changes.loc[changes["contributor"] == "A", "why"].tolist() == [
        "kept out by caveat M1 (A min_contingent 2)"
    ]
    # with B unavailable, N1 has no effect (B cannot be at S2): A's move is the plan's choice
    data = api.read(path)
    data.contributors = data.contributors.assign(
        status=[
            "available" if c == "A" else "unavailable" for c in data.contributors["contributor"]
        ]
    )
    data.baseline = baseline_rows(baseline)
    changes, _ = replan_tables(data, build_model(data), allocation([("A", "INF", "S1", 2)]), None)
    decrease = changes[(changes["change"] < 0) & (changes["contributor"] == "A")]
    assert decrease["why"].tolist() == [""]


def test_why_a_pledge_cut_forces_a_decrease_through_dwell(tmp_path) -> None:
    """P1..P6 of a month; A's pledge of INF is now 1 unit on tours of at most 2 months with 2
    months of dwell; the baseline (made when A pledged 2) held 1 unit at S1 in every period, in
    three tours P1..P2, P3..P4, P5..P6. With 1 unit: P1..P2 at S1, at home in dwell P3..P4,
    back P5..P6, so P3..P4 cannot stay. There the baseline held only 1 unit, no more than the
    pledge, yet with the first tour's unit in dwell it needs 2: the reason is the pledge cut,
    with the dwell that makes it bite (it was blank, as if the plan chose the move). p1 = 2,
    changes = 2 unit-months."""

    path = timed_case(
        tmp_path / "dwell.xlsx",
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
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1, "from": f, "to": t}
            for f, t in (("P1", "P2"), ("P3", "P4"), ("P5", "P6"))
        ],
    )
    result = api.solve(path, time_limit=60)
    assert result.status == "optimal"
    assert result.stage_values["objective.changes"] == 2
    changes = result.tables.extra["Changes"]
    said = (
        "the baseline has 1 unit of A's INF deployed and 1 in dwell then, more than its pledge of 1"
    )
    assert records(changes[["period", "run", "change", "why"]]) == [
        ("P3", "P3..P4", -1, said),
        ("P4", "P3..P4", -1, said),
    ]
