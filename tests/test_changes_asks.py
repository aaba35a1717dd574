"""Changes and Asks of a re-plan (contract `replanning.md`), hand-worked on plans built here: the
Asks in a planner's words (moves paired, periods grouped, what is asked at once, the
Contributors sheet's order, a re-cut rotation).

The plans are tables written in the tests (an Allocation as `solve` writes it), so each
expectation follows from the baseline and the plan alone; the end-to-end tests through `solve`
are in test_replan_cli.py.
"""

from __future__ import annotations

import pandas as pd

from solver import api
from solver.results.asks import asks_table, console_line
from solver.results.changes import changes_table, planned_presence, unit_changes
from solver.results.replan import replan_tables

from .changes_case import allocation, baseline_rows, ppu, records
from .time_cases import months, timed_case
from .workbooks import write_workbook


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


def test_timed_changes_per_period_in_runs_and_asks_say_when() -> None:
    """Periods P1..P6 of 1 month, P6 of 2 (7 months). Baseline: FRA 1 INF_BN at S1 in P1..P6;
    ESP 2 at S2 in P1, 3 in P2. Plan: FRA at S1 in P1..P3 and at S2 in P4..P6, ITA 1 at S1 in
    P2..P3, ESP 1 at S2 in P1 and 2 in P2. By hand, a row per period (unit-months |change| x
    months(t)), each with its run of equal figures:

        FRA S1 P4, P5, P6 (run P4..P6)  1 -> 0  -1   unit-months 1, 1, 2 = 4
        FRA S2 P4, P5, P6 (run P4..P6)  0 -> 1  +1   1, 1, 2 = 4
        ITA S1 P2, P3 (run P2..P3)      0 -> 1  +1   1, 1 = 2
        ESP S2 P1 (run P1) 2 -> 1  -1   1;   ESP S2 P2 (run P2) 3 -> 2  -1   1 (other figures)

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
        "run",
        "baseline",
        "planned",
        "change",
        "months",
        "unit_months",
        "why",
    ]
    assert records(changes) == [
        ("ESP", "INF_BN", "S2", "P1", "P1", 2, 1, -1, 1, 1, ""),
        ("ESP", "INF_BN", "S2", "P2", "P2", 3, 2, -1, 1, 1, ""),
        ("FRA", "INF_BN", "S1", "P4", "P4..P6", 1, 0, -1, 1, 1, ""),
        ("FRA", "INF_BN", "S1", "P5", "P4..P6", 1, 0, -1, 1, 1, ""),
        ("FRA", "INF_BN", "S1", "P6", "P4..P6", 1, 0, -1, 2, 2, ""),
        ("FRA", "INF_BN", "S2", "P4", "P4..P6", 0, 1, 1, 1, 1, ""),
        ("FRA", "INF_BN", "S2", "P5", "P4..P6", 0, 1, 1, 1, 1, ""),
        ("FRA", "INF_BN", "S2", "P6", "P4..P6", 0, 1, 1, 2, 2, ""),
        ("ITA", "INF_BN", "S1", "P2", "P2..P3", 0, 1, 1, 1, 1, ""),
        ("ITA", "INF_BN", "S1", "P3", "P2..P3", 0, 1, 1, 1, 1, ""),
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
        (
            "Z",
            "withdraw 1 INF from S1 (-100 personnel; forced: the baseline has Z's INF at S1, but "
            "Z is not a contributor)",
        ),
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
        (
            "Z",
            "withdraw 1 INF from S1 (-100 personnel; forced: the baseline has Z's INF at S1, but "
            "Z is not a contributor)",
        ),
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
    # a rotation withdrawn with its units is no re-cut: tours P4..P6 and P7..P9 (x2) all
    # withdrawn; P7's arrival went with the units (a trial was asked to withdraw and to re-cut
    # `Q2 x1, Q3 x1 -> none`); and, as before, P7..P12 withdrawn beside P1..P6 kept
    assert ask(baseline((4, 6, 2), (7, 9, 2)), plan()) == asks.loc[0, "ask"]
    assert ask(baseline((1, 6, 2), (7, 12, 2)), plan((1, 6, 2))) == asks.loc[0, "ask"]
    # an option the baseline did not have, added in two rotations: its rotations are said, not
    # a re-cut of none (an analyst trial read `re-cut INF_BN rotations at POL-East: none ->
    # 2028-01..2028-06 x1, 2028-07..2028-12 x1` of a battalion added)
    assert ask(baseline(), plan((1, 6, 2), (7, 12, 2))).endswith(
        "; INF in rotations at Dnipro: P1..P6 x2, P7..P12 x2"
    )


def test_a_forced_withdrawal_says_why_and_the_plans_choices_do_not() -> None:
    """Baseline: ITA and DEU 1 INF_BN each, at S1 and S2, P1..P6. Plan: ITA at S1 in P1 only;
    DEU at S2 in P1..P3, then at S3. The Changes sheet's `why` (given here, one per DIFF row):
    ITA's decrease in P2..P3 `ITA's mandate ends P1`, in P4..P6 `kept out by caveat C1`; DEU's
    none (the plan moved it). So ITA's withdrawal is two items, one per reason, each saying it
    is forced; DEU's move is the plan's choice and says nothing more. Without the reasons the
    same items as before: ITA one withdrawal from P2."""
    base = baseline_rows([("ITA", "INF_BN", "S1", 0, 5, 1), ("DEU", "INF_BN", "S2", 0, 5, 1)])
    plan = allocation(
        [("ITA", "INF_BN", "S1", "P1", 1)]
        + [("DEU", "INF_BN", "S2", f"P{t}", 1) for t in (1, 2, 3)]
        + [("DEU", "INF_BN", "S3", f"P{t}", 1) for t in (4, 5, 6)]
    )
    diff = unit_changes(base.presence(), planned_presence(plan, TIMED))
    why = [
        ("ITA's mandate ends P1" if t < 3 else "kept out by caveat C1") if c == "ITA" else ""
        for c, t in zip(diff["contributor"], diff["t"], strict=True)
    ]
    asks = asks_table(diff, ["ITA", "DEU"], ppu, TIMED, why)
    assert records(asks[["contributor", "ask", "units_withdrawn", "unit_months_changed"]]) == [
        (
            "ITA",
            "withdraw 1 INF_BN from S1 from P2 to P3 (-600 personnel; forced: ITA's mandate "
            "ends P1); withdraw 1 INF_BN from S1 from P4 (-600 personnel; forced: kept out by "
            "caveat C1)",
            1,
            6,
        ),
        ("DEU", "move 1 INF_BN from S2 to S3 from P4 (600 personnel)", 0, 8),
    ]
    plain = asks_table(diff, ["ITA", "DEU"], ppu, TIMED)
    assert plain["ask"].tolist()[0] == "withdraw 1 INF_BN from S1 from P2 (-600 personnel)"
