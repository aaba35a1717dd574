"""--price-caveats on timed workbooks: each rule's price in the stages' units (weighted unit-months
short, the cost of the tours, presences), the changes per line and period range.

The world (tests/time_cases.py): contributors A, B; sites S1 (country X), S2; capability INF;
every pledge costs 1 a unit unless the test says otherwise, and the cost stage counts a tour's
units once whatever its length (each tour is one deployment).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from solver import api
from solver.caveats import KINDS
from solver.cli import main
from solver.explain.pricing import repriced

from .time_cases import months, timed_case

# S1 needs 2 INF at priority 2 in every period; S2 needs 1 at priority 1, which B (1 unit)
# fills throughout; A pledges 2 INF (no tour limit) for S1.
TWO_PRIORITIES: dict[str, Any] = {
    "periods": months(4),
    "requirements": [
        {"site": "S1", "capability": "INF", "units": 2, "priority": 2},
        {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
    ],
    "pledges": [
        {"contributor": "A", "capability": "INF", "units": 2},
        {"contributor": "B", "capability": "INF", "units": 1},
    ],
}


def cap_a(cid: str, value: int, first: str, last: str) -> dict[str, Any]:
    """A caveat: at most `value` of A's units present at once in periods first..last."""
    return {
        "id": cid,
        "contributor": "A",
        "caveat": "max_units",
        "value": value,
        "from": first,
        "to": last,
    }


def priced(path: Path, **solve: Any) -> pd.DataFrame:
    result = api.solve(path, time_limit=60, **solve)
    return api.price_caveats(result).set_index("rule")


def test_a_windowed_cap_costs_its_window_in_unit_months(tmp_path: Path) -> None:
    """A may have at most 1 unit present in P3..P4 (CAP). B serves S2 (priority 1) throughout,
    so S1 has A's 2 units in P1-P2 and 1 in P3-P4: 1 unit short in each of P3 and P4, 2
    weighted unit-months of priority 2 (weight 1, months 1). Without CAP, A's 2 units stay all
    4 months: 0 short. CAP costs 2 of shortfall.p2 and nothing of p1 (S2 is full either way);
    the tours (A 1 unit P1-P4 + 1 unit P1-P2, against 2 units P1-P4) cost 2 in both plans:
    cost 0; presence A@S1, B@S2 in both: 0. The change is S1 INF +1 in P3..P4.
    BIG, a cap of 5 on A's units, never binds: every price 0. The base: p1 0, p2 2, cost 3
    (A's two tours and B's one), presence 2."""
    path = timed_case(
        tmp_path / "t.xlsx",
        **TWO_PRIORITIES,
        caveats=[
            cap_a("CAP", 1, "P3", "P4"),
            cap_a("BIG", 5, "P1", "P4"),
        ],
    )
    base = api.solve(path, time_limit=60)
    # the pricing reads the base off the model; the Summary reads it off the tours
    assert (
        repriced(base).values
        == base.stage_values
        == {
            "objective.shortfall.p1": 0,
            "objective.shortfall.p2": 2,
            "objective.cost": 3,
            "objective.presence": 2,
        }
    )
    table = api.price_caveats(base).set_index("rule")
    assert list(table.index) == ["caveat CAP", "caveat BIG"]
    cap = table.loc["caveat CAP"]
    assert cap["costs.shortfall.p2"] == 2
    assert cap["costs.shortfall.p1"] == 0
    assert cap["costs.cost"] == 0
    assert cap["costs.presence"] == 0
    assert cap["changes"] == "S1 INF +1 in P3..P4"
    assert cap["summary"] == (
        "caveat CAP costs 2 weighted priority-2 unit-months (lifted: S1 INF +1 in P3..P4)"
    )
    big = table.loc["caveat BIG"]
    assert [big[c] for c in table.columns if c.startswith("costs.")] == [0, 0, 0, 0]
    assert big["summary"] == "caveat BIG costs nothing in this plan"


def test_the_same_cap_prices_only_its_window(tmp_path: Path) -> None:
    """CAP of the test above in P4 only: S1 is 1 short in P4 alone, 1 unit-month; and in a
    period 3 months long (P4 of months 1, 1, 1, 3) the same unit short weighs 3 unit-months."""
    path = timed_case(
        tmp_path / "one.xlsx", **TWO_PRIORITIES, caveats=[cap_a("CAP", 1, "P4", "P4")]
    )
    assert priced(path).loc["caveat CAP", "costs.shortfall.p2"] == 1
    longer = {**TWO_PRIORITIES, "periods": months(4, [1, 1, 1, 3])}
    path = timed_case(tmp_path / "long.xlsx", **longer, caveats=[cap_a("CAP", 1, "P4", "P4")])
    table = priced(path)
    assert table.loc["caveat CAP", "costs.shortfall.p2"] == 3
    assert table.loc["caveat CAP", "changes"] == "S1 INF +1 in P4"


def test_a_price_in_the_cost_of_tours(tmp_path: Path) -> None:
    """S1 needs 1 INF in P1..P4; A (1 unit, cost 1) is kept out of S1 in P3..P4 (XA); B (1
    unit) costs 5. A tour costs its units x unit cost once, however long it is. With XA: B alone
    P1-P4 costs 5 (A P1-P2 then B P3-P4 would cost 1 + 5 = 6), no shortfall. Without XA: A
    P1-P4 costs 1. XA costs 4 in the cost of tours; presence 1 either way; coverage unchanged."""
    path = timed_case(
        tmp_path / "cost.xlsx",
        periods=months(4),
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 5},
        ],
        caveats=[
            {"id": "XA", "contributor": "A", "caveat": "exclude", "site": "S1"}
            | {"from": "P3", "to": "P4"}
        ],
    )
    row = priced(path).loc["caveat XA"]
    assert row["costs.shortfall.p1"] == 0
    assert row["costs.cost"] == 4
    assert row["costs.presence"] == 0
    assert row["changes"] == ""
    assert row["summary"] == "caveat XA costs 4 in the cost of tours (per-unit cost)"


def test_lifting_a_windowed_no_weakening_frees_only_its_periods(tmp_path: Path) -> None:
    """S1 (country X) needs 1 INF in P1..P4; NW makes lines in X hard in P3..P4 only. A's
    mandate ends with P2 and nobody else pledges: S1 cannot be filled in P3..P4, so the base has
    no plan. Lifting NW softens S1 in P3..P4 (the only periods it hardened): A serves P1-P2,
    2 unit-months short, a plan. In place (row bounds of one model) and rebuilt without NW agree."""
    path = timed_case(
        tmp_path / "nw.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P2"}],
        caveats=[
            {"id": "NW", "contributor": "A", "caveat": "no_weakening", "country": "X"}
            | {"from": "P3", "to": "P4"}
        ],
    )
    base = api.solve(path, time_limit=60, explain=False)
    assert base.status == "infeasible"
    for in_place in (True, False):
        row = api.price_caveats(base, in_place=in_place).set_index("rule").loc["caveat NW"]
        assert row["status"] == "optimal"
        assert row["summary"] == "lifting caveat NW makes a plan possible"


def test_a_hard_line_softened_in_time(tmp_path: Path) -> None:
    """S1 needs 1 INF in P1..P4, hard in the workbook; A's mandate ends with P2: no plan.
    Softening S1 (rule `hard S1/INF`, every period it is active) gives one: A P1-P2."""
    path = timed_case(
        tmp_path / "hard.xlsx",
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "hard": "yes"}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P2"}],
    )
    base = api.solve(path, time_limit=60, explain=False)
    assert base.status == "infeasible"
    row = api.price_caveats(base).set_index("rule").loc["hard S1/INF"]
    assert (
        row["description"]
        == "S1 needs 1 INF in full in every period it is active (hard in the workbook)"
    )
    assert row["summary"] == "lifting hard S1/INF makes a plan possible"


@pytest.mark.parametrize("in_place", [True, False])
def test_in_place_and_rebuilt_prices_agree_in_time(tmp_path: Path, in_place: bool) -> None:
    """The windowed cap of the first test, priced by relaxing rows of one loaded model and by a
    fresh build and solve without the caveat: CAP 2 unit-months of p2 either way."""
    path = timed_case(tmp_path / "t.xlsx", **TWO_PRIORITIES, caveats=[cap_a("CAP", 1, "P3", "P4")])
    base = api.solve(path, time_limit=60)
    row = api.price_caveats(base, in_place=in_place).set_index("rule").loc["caveat CAP"]
    assert (row["costs.shortfall.p2"], row["costs.cost"], row["changes"]) == (
        2,
        0,
        "S1 INF +1 in P3..P4",
    )


def test_interrupt_between_re_solves_keeps_the_prices_found_in_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C after the first re-solve of a timed pricing: CAP (priced first, it binds) keeps
    its 2 unit-months, BIG is `not priced: interrupted`, exit 130."""
    from solver.explain import pricing_inplace

    path = timed_case(
        tmp_path / "t.xlsx",
        **TWO_PRIORITIES,
        caveats=[cap_a("CAP", 1, "P3", "P4"), cap_a("BIG", 5, "P1", "P4")],
    )
    reprice = pricing_inplace.InPlacePricer.reprice
    calls: list[str] = []

    def interrupted_second(self, lift, start):  # type: ignore[no-untyped-def]
        calls.append(lift.rule)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return reprice(self, lift, start)

    monkeypatch.setattr(pricing_inplace.InPlacePricer, "reprice", interrupted_second)
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out), "--price-caveats"])
    assert result.exit_code == 130, result.output
    prices = pd.read_excel(out, sheet_name="CaveatPrices").set_index("rule")
    assert prices.loc["caveat CAP", "costs.shortfall.p2"] == 2
    assert prices.loc["caveat BIG", "status"] == "not priced: interrupted"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_prices_alike_in_place_and_rebuilt(tmp_path: Path, kind: str) -> None:
    """Each caveat kind in a window (P2..P3 of 3, the world of tests/caveats/test_time_kinds.py,
    A with tours of at most 2 months): lifting it by relaxing its rows in one loaded model
    gives the same status and stage prices as building and solving the workbook without it."""
    from .caveats.test_time_kinds import TIMED_CASES

    path = timed_case(
        tmp_path / f"{kind}.xlsx",
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 2, "priority": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 2},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        caveats=[
            {"id": "C1", "contributor": "A", "caveat": kind, **TIMED_CASES[kind]}
            | {"from": "P2", "to": "P3"}
        ],
    )
    base = api.solve(path, time_limit=60, mip_gap=0, explain=False)
    in_place = api.price_caveats(base).set_index("rule").sort_index()
    rebuilt = api.price_caveats(base, in_place=False).set_index("rule").sort_index()
    cols = [c for c in in_place.columns if c.startswith("costs.")] + ["status"]
    pd.testing.assert_frame_equal(in_place[cols], rebuilt[cols], rtol=1e-6)


def test_softening_a_hard_line_leaves_a_no_weakening_in_force(tmp_path: Path) -> None:
    """One reading for snapshot and time, in place as rebuilt: S1 needs 5 INF, hard in the
    workbook, and NW (A's no_weakening on country X) makes it hard too; only 4 are pledged, so
    no plan. Softening the workbook's `hard` (rule `hard S1/INF`) leaves NW's: still no plan.
    Lifting NW leaves the workbook's: no plan either. (A snapshot's in-place pricing used to
    soften the line whatever else held it hard, and priced `hard S1/INF` as making a plan
    possible while a rebuild without it found none.)"""
    from .workbooks import simple_case

    path = simple_case(
        tmp_path / "s.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
        caveats=[{"id": "NW", "contributor": "A", "caveat": "no_weakening", "country": "X"}],
    )
    base = api.solve(path, time_limit=60, explain=False)
    assert base.status == "infeasible"
    for in_place in (True, False):
        table = api.price_caveats(base, in_place=in_place).set_index("rule")
        assert table.loc["hard S1/INF", "status"] == "infeasible"
        assert table.loc["caveat NW", "status"] == "infeasible"
