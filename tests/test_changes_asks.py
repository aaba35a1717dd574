"""Changes and Asks of a re-plan (contract `replanning.md`), hand-worked on plans built here.

The plans are tables written in the tests (an Allocation as `solve` writes it), so each
expectation follows from the baseline and the plan alone; the end-to-end tests through `solve`
are in test_replan_cli.py.
"""

from __future__ import annotations

import pandas as pd

from solver import api
from solver.baseline import Baseline
from solver.model.build import build_model
from solver.results.asks import asks_table, console_line
from solver.results.changes import changes_table, planned_presence, unit_changes
from solver.results.replan import replan_tables

from .time_cases import months, timed_case
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


def test_snapshot_changes_and_asks_in_a_planners_words() -> None:
    """Baseline: ESP 2 INF_BN at Sarajevo, FRA 1 INF_BN at Mitrovica. Plan: ESP 1 at Sarajevo,
    FRA 1 at Sarajevo, GBR 1 MP_PLT at Mitrovica. By hand, change = planned - baseline:

        ESP INF_BN Sarajevo   2 -> 1  -1      FRA INF_BN Mitrovica 1 -> 0  -1
        FRA INF_BN Sarajevo   0 -> 1  +1      GBR MP_PLT Mitrovica 0 -> 1  +1

    FRA's -1 at Mitrovica and +1 at Sarajevo (same capability, one nation) are a move of 1
    (600 personnel); ESP withdraws 1 (-600), GBR adds 1 MP_PLT (+35); ITA has no change. Units
    changed = |-1| + |-1| + |+1| + |+1| = 4, three nations asked; the headline says what the 4
    is made of (a move counts twice: 2 x 1 moved + 1 added + 1 withdrawn)."""
    base = baseline_rows(
        [("ESP", "INF_BN", "Sarajevo", 0, 0, 2), ("FRA", "INF_BN", "Mitrovica", 0, 0, 1)]
    )
    plan = allocation(
        [
            ("ESP", "INF_BN", "Sarajevo", 1),
            ("FRA", "INF_BN", "Sarajevo", 1),
            ("GBR", "MP_PLT", "Mitrovica", 1),
        ]
    )
    diff = unit_changes(base.presence(), planned_presence(plan, None))
    changes = changes_table(diff, None)
    assert list(changes.columns) == [
        "contributor",
        "capability",
        "site",
        "baseline",
        "planned",
        "change",
        "why",
    ]
    assert records(changes) == [
        ("ESP", "INF_BN", "Sarajevo", 2, 1, -1, ""),
        ("FRA", "INF_BN", "Mitrovica", 1, 0, -1, ""),
        ("FRA", "INF_BN", "Sarajevo", 0, 1, 1, ""),
        ("GBR", "MP_PLT", "Mitrovica", 0, 1, 1, ""),
    ]
    asks = asks_table(diff, ["ESP", "FRA", "GBR", "ITA"], ppu)
    assert records(asks) == [
        ("ESP", "withdraw 1 INF_BN from Sarajevo (-600 personnel)", 0, 1, 0, 1, 0, 600, 0),
        ("FRA", "move 1 INF_BN from Mitrovica to Sarajevo (600 personnel)", 0, 0, 1, 2, 0, 0, 600),
        ("GBR", "add 1 MP_PLT at Mitrovica (+35 personnel)", 1, 0, 0, 1, 35, 0, 0),
        ("ITA", "unchanged", 0, 0, 0, 0, 0, 0, 0),
    ]
    assert console_line(asks) == (
        "4 units change (1 moved, each counted twice; 1 added; 1 withdrawn), 3 nations asked"
    )


def test_a_move_pairs_what_it_can_and_the_rest_stays_an_addition() -> None:
    """FRA: baseline 1 INF_BN at A and 1 at B; plan 3 at C. Withdrawals A (1), B (1) and the
    addition C (3): paired in site order, move 1 from A to C, move 1 from B to C, and 1 more
    added at C. Units changed 1 + 1 + 3 = 5."""
    base = baseline_rows([("FRA", "INF_BN", "A", 0, 0, 1), ("FRA", "INF_BN", "B", 0, 0, 1)])
    diff = unit_changes(
        base.presence(), planned_presence(allocation([("FRA", "INF_BN", "C", 3)]), None)
    )
    asks = asks_table(diff, ["FRA"], ppu)
    assert asks["ask"].tolist() == [
        "move 1 INF_BN from A to C (600 personnel); move 1 INF_BN from B to C (600 personnel); "
        "add 1 INF_BN at C (+600 personnel)"
    ]
    assert records(asks[["units_added", "units_withdrawn", "units_moved", "units_changed"]]) == [
        (1, 0, 2, 5)
    ]


def test_no_change_at_all_lists_every_nation_unchanged() -> None:
    """The plan is the baseline: no Changes row, every nation `unchanged`, 0 units change."""
    base = baseline_rows([("FRA", "INF_BN", "A", 0, 0, 2)])
    diff = unit_changes(
        base.presence(), planned_presence(allocation([("FRA", "INF_BN", "A", 2)]), None)
    )
    assert changes_table(diff, None).empty
    asks = asks_table(diff, ["ESP", "FRA"], ppu)
    assert asks["ask"].tolist() == ["unchanged", "unchanged"]
    assert console_line(asks) == "0 units change, 0 nations asked"


TIMED = pd.DataFrame({"period": [f"P{i}" for i in range(1, 7)], "months": [1, 1, 1, 1, 1, 2]})


def test_timed_changes_group_periods_and_asks_say_when() -> None:
    """Periods P1..P6 of 1 month, P6 of 2 (7 months). Baseline: FRA 1 INF_BN at S1 in P1..P6;
    ESP 2 at S2 in P1, 3 in P2. Plan: FRA at S1 in P1..P3 and at S2 in P4..P6, ITA 1 at S1 in
    P2..P3, ESP 1 at S2 in P1 and 2 in P2. By hand:

        FRA S1 P4..P6  1 -> 0  -1   months 1+1+2 = 4, unit-months 4
        FRA S2 P4..P6  0 -> 1  +1   4 unit-months
        ITA S1 P2..P3  0 -> 1  +1   2 unit-months
        ESP S2 P1      2 -> 1  -1   1;   ESP S2 P2  3 -> 2  -1   1 (other figures: two rows)

    Asks: FRA's withdrawal and addition run over the same periods P4..P6, to the horizon's end:
    `move 1 INF_BN from S1 to S2 from P4`; ITA `add ... from P2 to P3`; ESP's change is -1 in
    both P1 and P2 (one item): `withdraw 1 INF_BN from S2 until P2`. Unit-months changed
    4 + 4 + 2 + 1 + 1 = 12, three nations asked; FRA's move counts twice, which the headline
    says."""
    base = baseline_rows(
        [
            ("ESP", "INF_BN", "S2", 0, 0, 2),
            ("ESP", "INF_BN", "S2", 1, 1, 3),
            ("FRA", "INF_BN", "S1", 0, 5, 1),
        ]
    )
    plan = allocation(
        [("ESP", "INF_BN", "S2", "P1", 1), ("ESP", "INF_BN", "S2", "P2", 2)]
        + [("FRA", "INF_BN", "S1", f"P{t}", 1) for t in (1, 2, 3)]
        + [("FRA", "INF_BN", "S2", f"P{t}", 1) for t in (4, 5, 6)]
        + [("ITA", "INF_BN", "S1", f"P{t}", 1) for t in (2, 3)]
    )
    diff = unit_changes(base.presence(), planned_presence(plan, TIMED))
    changes = changes_table(diff, TIMED)
    assert list(changes.columns) == [
        "contributor",
        "capability",
        "site",
        "period",
        "baseline",
        "planned",
        "change",
        "months",
        "unit_months",
        "why",
    ]
    assert records(changes) == [
        ("ESP", "INF_BN", "S2", "P1", 2, 1, -1, 1, 1, ""),
        ("ESP", "INF_BN", "S2", "P2", 3, 2, -1, 1, 1, ""),
        ("FRA", "INF_BN", "S1", "P4..P6", 1, 0, -1, 4, 4, ""),
        ("FRA", "INF_BN", "S2", "P4..P6", 0, 1, 1, 4, 4, ""),
        ("ITA", "INF_BN", "S1", "P2..P3", 0, 1, 1, 2, 2, ""),
    ]
    asks = asks_table(diff, ["ESP", "FRA", "GBR", "ITA"], ppu, TIMED)
    assert "unit_months_changed" in asks and "units_changed" not in asks
    assert records(asks[["contributor", "ask", "units_moved", "unit_months_changed"]]) == [
        ("ESP", "withdraw 1 INF_BN from S2 until P2 (-600 personnel)", 0, 2),
        ("FRA", "move 1 INF_BN from S1 to S2 from P4 (600 personnel)", 1, 8),
        ("GBR", "unchanged", 0, 0),
        ("ITA", "add 1 INF_BN at S1 from P2 to P3 (+600 personnel)", 0, 2),
    ]
    assert console_line(asks) == "12 unit-months change (a move counts twice), 3 nations asked"


def test_timed_one_period_and_whole_horizon_items() -> None:
    """An addition in P3 only says `in P3`; one over the whole horizon P1..P6 says no time."""
    base = baseline_rows([])
    plan = allocation(
        [("GBR", "MP_PLT", "S1", "P3", 1)]
        + [("ITA", "MP_PLT", "S2", f"P{t}", 2) for t in range(1, 7)]
    )
    diff = unit_changes(base.presence(), planned_presence(plan, TIMED))
    asks = asks_table(diff, [], ppu, TIMED)
    assert asks["ask"].tolist() == [
        "add 1 MP_PLT at S1 in P3 (+35 personnel)",
        "add 2 MP_PLT at S2 (+70 personnel)",
    ]


def test_timed_asks_pair_moves_period_by_period_and_count_what_is_asked_at_once() -> None:
    """Periods P1..P6 (7 months). Baseline: FRA 1 INF_BN at S1 in P1..P6; nothing of CZE.
    Plan: FRA at S2 in P1..P3 and at S3 in P4..P6; CZE's one MP_PLT hops S1, S2, S1, S2 in
    P1..P4, and 1 INF_BN at S3 in P4. By hand, period by period:

        FRA P1..P3: S1 -1, S2 +1 -> move S1 to S2;  P4..P6: S1 -1, S3 +1 -> move S1 to S3
        CZE P1: MP_PLT S1 +1; P2: S2 +1; P3: S1 +1; P4: S2 +1 and INF_BN S3 +1

        ESP P1..P2: INF_BN S1 +1;  P3: MP_PLT S2 +1

    FRA is asked two moves of its one battalion: units_moved 1 (at once), not 2, and no
    addition or withdrawal. CZE is asked four additions of one platoon and one of a
    battalion: 1 MP_PLT at most at once + 1 INF_BN = 2 units and 635 personnel, not the 5
    units the items add up to. ESP's battalion and platoon are never asked for together, but
    they are two units to generate: 2 units, 635 personnel (the most of each capability in one
    period, added up). Unit-months: FRA 2 x (1+1+1+1+1+2) = 14, CZE 4 + 1 = 5, ESP 3."""
    base = baseline_rows([("FRA", "INF_BN", "S1", 0, 5, 1)])
    plan = allocation(
        [("FRA", "INF_BN", "S2", f"P{t}", 1) for t in (1, 2, 3)]
        + [("FRA", "INF_BN", "S3", f"P{t}", 1) for t in (4, 5, 6)]
        + [
            ("CZE", "MP_PLT", site, f"P{t}", 1)
            for t, site in zip((1, 2, 3, 4), ["S1", "S2", "S1", "S2"], strict=True)
        ]
        + [("CZE", "INF_BN", "S3", "P4", 1)]
        + [("ESP", "INF_BN", "S1", "P1", 1), ("ESP", "INF_BN", "S1", "P2", 1)]
        + [("ESP", "MP_PLT", "S2", "P3", 1)]
    )
    diff = unit_changes(base.presence(), planned_presence(plan, TIMED))
    asks = asks_table(diff, ["CZE", "ESP", "FRA"], ppu, TIMED)
    assert asks["ask"].tolist() == [
        "add 1 MP_PLT at S1 in P1 (+35 personnel); add 1 MP_PLT at S2 in P2 (+35 personnel); "
        "add 1 MP_PLT at S1 in P3 (+35 personnel); add 1 INF_BN at S3 in P4 (+600 personnel); "
        "add 1 MP_PLT at S2 in P4 (+35 personnel)",
        "add 1 INF_BN at S1 until P2 (+600 personnel); add 1 MP_PLT at S2 in P3 (+35 personnel)",
        "move 1 INF_BN from S1 to S2 until P3 (600 personnel); "
        "move 1 INF_BN from S1 to S3 from P4 (600 personnel)",
    ]
    numbers = ["units_added", "units_withdrawn", "units_moved", "unit_months_changed"]
    people = ["personnel_added", "personnel_withdrawn", "personnel_moved"]
    assert records(asks[["contributor", *numbers, *people]]) == [
        ("CZE", 2, 0, 0, 5, 635, 0, 0),
        ("ESP", 2, 0, 0, 3, 635, 0, 0),
        ("FRA", 0, 0, 1, 14, 0, 0, 600),
    ]


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


def test_why_the_baseline_could_not_stay(tmp_path) -> None:
    """The plan B 2 at S1, A 1 and D 1 at S2 against the baseline of `reasons_case`. Each
    decrease, by the rules of change_reasons.py:

        A S2 2 -> 1   A's held 2 > pledged 1          `A's pledge of INF is now 1`
        B S2 1 -> 0   caveat C1 removed (B, S2)       `kept out by caveat C1 (B exclude site=S2)`
        C S2 1 -> 0   C unavailable                   `C is unavailable`
        D S1 1 -> 0   allowed; S1 held 1 <= 2         blank: the plan's choice
        D S3 1 -> 0   S3 requires no INF              `S3 no longer requires INF`
        E S1 1 -> 0   C2: E requires F, F unavailable `caveat C2 (E requires F): F is unavailable`

    and the increases (B S1 +2, D S2 +1) have no why. Asks: B's -1 at S2 and +2 at S1 are a move
    of 1 and an addition of 1; D's -1 at S1 and -1 at S3 against +1 at S2: move 1 from S1 (first
    by name), withdraw 1 from S3. Units changed 1 + 3 + 1 + 3 + 1 = 9, five nations asked: 2
    moved (B, D; each counted twice), 1 added (B), 4 withdrawn (A, C, D from S3, E)."""
    data = reasons_case(tmp_path)
    plan = allocation([("A", "INF", "S2", 1), ("B", "INF", "S1", 2), ("D", "INF", "S2", 1)])
    changes, asks = replan_tables(data, build_model(data), plan, None)
    assert records(changes) == [
        ("A", "INF", "S2", 2, 1, -1, "A's pledge of INF is now 1"),
        ("B", "INF", "S1", 0, 2, 2, ""),
        ("B", "INF", "S2", 1, 0, -1, "kept out by caveat C1 (B exclude site=S2)"),
        ("C", "INF", "S2", 1, 0, -1, "C is unavailable"),
        ("D", "INF", "S1", 1, 0, -1, ""),
        ("D", "INF", "S2", 0, 1, 1, ""),
        ("D", "INF", "S3", 1, 0, -1, "S3 no longer requires INF"),
        ("E", "INF", "S1", 1, 0, -1, "kept out by caveat C2 (E requires F)"),
    ]
    assert records(asks[["contributor", "ask", "units_changed"]]) == [
        ("A", "withdraw 1 INF from S2 (-100 personnel)", 1),
        ("B", "move 1 INF from S2 to S1 (100 personnel); add 1 INF at S1 (+100 personnel)", 3),
        ("C", "withdraw 1 INF from S2 (-100 personnel)", 1),
        (
            "D",
            "move 1 INF from S1 to S2 (100 personnel); withdraw 1 INF from S3 (-100 personnel)",
            3,
        ),
        ("E", "withdraw 1 INF from S1 (-100 personnel)", 1),
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
        D MP  S2 1 -> 0   no pledge of MP by D                   `D no longer pledges MP`
        G INF S1 1 -> 0   G not on Contributors                  `G is no longer a contributor`

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
        ("D", "MP", "S2", 1, 0, -1, "D no longer pledges MP"),
        ("G", "INF", "S1", 1, 0, -1, "G is no longer a contributor"),
    ]
    assert asks["contributor"].tolist() == ["A", "B", "C", "D", "E", "F", "G"]
    assert asks.set_index("contributor").at["D", "ask"] == (
        "move 1 INF from S2 to S1 (100 personnel); withdraw 1 MP from S2"
    )
    assert asks.set_index("contributor").at["G", "ask"] == "withdraw 1 INF from S1 (-100 personnel)"


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
    assert records(changes[["contributor", "site", "period", "change", "unit_months", "why"]]) == [
        ("A", "S1", "P3..P4", -1, 2, "A's mandate ends P2"),
        ("B", "S1", "P3..P4", 1, 2, ""),
        ("B", "S2", "P3..P4", -1, 2, "S2 requires only 1 INF"),
    ]
    assert records(asks[["contributor", "ask", "unit_months_changed"]]) == [
        ("A", "withdraw 1 INF from S1 from P3 (-100 personnel)", 2),
        ("B", "move 1 INF from S2 to S1 from P3 (100 personnel)", 4),
    ]


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


SHEET_ORDER = [{"contributor": c} for c in "CAB"]  # not the codes' order


def test_asks_list_the_nations_in_the_contributors_sheet_order(tmp_path) -> None:
    """Contributors sheet C, A, B; scenario d_joins adds D; the baseline also has Z, on no
    sheet. Baseline A 1 and Z 1 at S1; plan A 1 and B 1 at S1. Asks: C, A, B as on the sheet,
    D (added by the scenario) after them, Z (gone) last: C unchanged, A unchanged, B adds 1, D
    unchanged, Z withdraws 1."""
    path = write_workbook(
        tmp_path / "order.xlsx",
        contributors=SHEET_ORDER,
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "country": "X"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        pledges=[
            {"contributor": c, "capability": "INF", "units": 1, "cost_per_unit": 1} for c in "CAB"
        ],
        scenarios=[
            {"scenario": "d_joins", "sheet": "Contributors", "key": "D", "column": "name"}
            | {"value": "Delta"}
        ],
    )
    data = api.read(path, "d_joins")
    data.baseline = baseline_rows([("A", "INF", "S1", 0, 0, 1), ("Z", "INF", "S1", 0, 0, 1)])
    plan = allocation([("A", "INF", "S1", 1), ("B", "INF", "S1", 1)])
    _, asks = replan_tables(data, None, plan, None)
    assert records(asks[["contributor", "ask"]]) == [
        ("C", "unchanged"),
        ("A", "unchanged"),
        ("B", "add 1 INF at S1 (+100 personnel)"),
        ("D", "unchanged"),
        ("Z", "withdraw 1 INF from S1 (-100 personnel)"),
    ]


def test_timed_asks_list_the_nations_in_the_contributors_sheet_order(tmp_path) -> None:
    """The same rule in time: sheet C, A, B; baseline Z 1 at S1 in P1..P2; plan B 1 at S1 in
    P1..P2. Asks: C, A, B, then Z; B adds 1 over the whole horizon, Z withdraws 1."""
    path = timed_case(
        tmp_path / "order-timed.xlsx",
        periods=months(2),
        contributors=SHEET_ORDER,
        pledges=[{"contributor": "B", "capability": "INF", "units": 1}],
    )
    data = api.read(path)
    data.baseline = baseline_rows([("Z", "INF", "S1", 0, 1, 1)])
    plan = allocation([("B", "INF", "S1", "P1", 1), ("B", "INF", "S1", "P2", 1)])
    _, asks = replan_tables(data, None, plan, data.periods)
    assert records(asks[["contributor", "ask"]]) == [
        ("C", "unchanged"),
        ("A", "unchanged"),
        ("B", "add 1 INF at S1 (+100 personnel)"),
        ("Z", "withdraw 1 INF from S1 (-100 personnel)"),
    ]


def test_a_re_cut_beside_a_withdrawal_of_the_same_line_is_said() -> None:
    """FRA's INF at Dnipro over P1..P12 (tours of at most 6), a baseline edited by hand: tours
    P1..P9 x2 (one tour made 9 months), P7..P12 x2. The plan keeps 2 throughout in tours P1..P3,
    P4..P9, P10..P12 (x2 each): 2 withdrawn in P7..P9, which FRA's items say; that it now
    arrives in P4 and P10 instead of P7 (in P4 and P10 as many are present as before) they did
    not say: the trial's France was asked only to withdraw. A plan that only adds a tour after
    the baseline's (arrivals where the units present change) or only shortens one is no
    re-cut: its items say it all."""
    from solver.results.asks import with_rotations_recut

    names = [f"P{t}" for t in range(1, 13)]
    keys = ("FRA", "INF", "Dnipro")
    asks = pd.DataFrame(
        {"contributor": ["FRA"], "ask": ["withdraw 2 INF from Dnipro from P7 to P9"]}
    )

    def baseline(*tours: tuple[int, int, int]) -> pd.DataFrame:
        return pd.DataFrame(
            [(*keys, a - 1, b - 1, n) for a, b, n in tours],
            columns=["contributor", "capability", "site", "first_t", "last_t", "units"],
        )

    def plan(*tours: tuple[int, int, int]) -> pd.DataFrame:
        return pd.DataFrame(
            [(*keys, f"P{a}", f"P{b}", n) for a, b, n in tours],
            columns=["contributor", "capability", "site", "from", "to", "units"],
        )

    def ask(before: pd.DataFrame, after: pd.DataFrame) -> str:
        out = with_rotations_recut(asks, before, after, names, {("FRA", "INF")}, {keys})
        return str(out.loc[0, "ask"])

    recut = ask(baseline((1, 9, 2), (7, 12, 2)), plan((1, 3, 2), (4, 9, 2), (10, 12, 2)))
    assert recut == (
        "withdraw 2 INF from Dnipro from P7 to P9; "
        "re-cut INF rotations at Dnipro: P1..P9 x2, P7..P12 x2 -> P1..P3 x2, P4..P9 x2, P10..P12 x2"
    )
    # an added tour after the baseline's, a tour shortened at either end, or started earlier:
    # the items say it all (review: a tour now starting later was called re-cut too)
    assert ask(baseline((1, 6, 2)), plan((1, 6, 2), (7, 12, 2))) == asks.loc[0, "ask"]
    assert ask(baseline((1, 6, 2)), plan((1, 3, 2))) == asks.loc[0, "ask"]
    assert ask(baseline((1, 6, 2)), plan((4, 6, 2))) == asks.loc[0, "ask"]
    assert ask(baseline((4, 6, 2)), plan((1, 6, 2))) == asks.loc[0, "ask"]
    # but a rotation beside an addition is said: one tour P1..P12 x2 becomes P1..P6 x3 and
    # P7..P12 x2 (1 added until P6; the 2 now leave after P6 and 2 others arrive in P7)
    assert ask(baseline((1, 12, 2)), plan((1, 6, 3), (7, 12, 2))).endswith(
        "; re-cut INF rotations at Dnipro: P1..P12 x2 -> P1..P6 x3, P7..P12 x2"
    )


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
    assert records(changes[["period", "change", "why"]]) == [
        ("P3..P4", -1, "A's pledge of INF is now 1 (1 of the baseline's in dwell then)")
    ]
