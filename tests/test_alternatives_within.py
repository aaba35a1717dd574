"""--alternatives K --within W: other plans whose cost is at most (1 + W) times the plan's, every
stage before cost exactly as good, as different as possible in presence
(solver/solve/near_optimal.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main

from .time_cases import months, timed_case
from .workbooks import write_workbook


def presence(alloc: pd.DataFrame) -> frozenset:
    return frozenset(zip(alloc["contributor"], alloc["site"], strict=True))


def plans_of(result: api.Result) -> list[frozenset]:
    """The presence pattern of each alternative, Allocation.2 first."""
    n = int(dict(result.tables.summary)["alternatives.found"])
    return [presence(result.tables.extra[f"Allocation.{i}"]) for i in range(2, n + 2)]


def three_prices(path: Path, settings: dict | None = None) -> Path:
    """S1 needs 1 INF (priority 1); A, B and C pledge 1 each at 100, 103 and 110 a unit."""
    return write_workbook(
        path,
        contributors=[{"contributor": c} for c in "ABC"],
        capabilities=[{"capability": "INF"}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 1}],
        pledges=[
            {"contributor": c, "capability": "INF", "units": 1, "cost_per_unit": v}
            for c, v in zip("ABC", (100, 103, 110), strict=True)
        ],
        settings=settings,
    )


def test_within_finds_the_plan_inside_the_band_and_not_the_one_outside(tmp_path: Path) -> None:
    """Plans with S1 filled: A (cost 100, the optimum), B (103 = 100 x 1.03) and C (110 =
    100 x 1.10). Shortfall 0 in all three; leaving S1 empty costs 0, inside any band, but is
    1 unit short, so the shortfall hold excludes it. Within 5% (cost <= 105): exactly B, 3%
    above the plan; C is outside. Asked for 3, only 1 exists."""
    result = api.solve(three_prices(tmp_path / "band.xlsx"), alternatives=3, within=0.05)
    summary = dict(result.tables.summary)
    assert presence(result.tables.allocation) == {("A", "S1")}
    assert plans_of(result) == [frozenset({("B", "S1")})]
    assert summary["alternatives.within"] == 0.05
    assert summary["alternatives.status"] == "exhausted"
    assert summary["alternatives.message"] == (
        "only 1 alternative plan exists with a different presence pattern, shortfall as good "
        "and cost within 5% of the plan's (asked for 3)"
    )
    table = result.tables.extra["Alternatives"].set_index("plan")
    assert list(table["shortfall.p1"]) == [0, 0]  # shortfall exactly as good
    assert list(table["cost"]) == [100, 103]
    assert list(table["cost_above_plan_pct"]) == [0, 3]  # inside the 5% band


def test_without_within_the_dearer_plan_is_no_alternative(tmp_path: Path) -> None:
    """The same world without a band: B costs 3% more than A, far outside the MIP gap (0.01%),
    and presence is held too, so no plan is as good at every stage: none is found."""
    result = api.solve(three_prices(tmp_path / "tie.xlsx"), alternatives=3)
    summary = dict(result.tables.summary)
    assert summary["alternatives.found"] == 0
    assert summary["alternatives.within"] == 0
    assert summary["alternatives.message"].startswith("no alternative plan exists")


def test_a_wider_band_admits_the_dearest_plan(tmp_path: Path) -> None:
    """Within 10% (cost <= 110): B (103) and C (110, exactly at the edge) are both in."""
    result = api.solve(three_prices(tmp_path / "wide.xlsx"), alternatives=3, within=0.10)
    assert set(plans_of(result)) == {frozenset({("B", "S1")}), frozenset({("C", "S1")})}
    table = result.tables.extra["Alternatives"]
    assert (table["cost_above_plan_pct"] <= 10 + 1e-6).all()


def two_units(path: Path) -> Path:
    """S1 needs 2 INF; A pledges 2 at 100 a unit, B 1 at 101, C 1 at 101.5."""
    return write_workbook(
        path,
        contributors=[{"contributor": c} for c in "ABC"],
        capabilities=[{"capability": "INF"}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 100},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 101},
            {"contributor": "C", "capability": "INF", "units": 1, "cost_per_unit": 101.5},
        ],
    )


def test_the_most_different_plan_comes_first(tmp_path: Path) -> None:
    """Plans filling S1: A 2 (cost 200, the optimum, presence {A}), A 1 + B 1 (201), A 1 + C 1
    (201.5), B 1 + C 1 (202.5); all inside 5% (<= 210). Against {A}, {A,B} and {A,C} differ in
    one presence (+B or +C), {B,C} in three (-A, +B, +C): asked for one, the search returns
    {B,C}, although {A,B} is cheaper. Asked for 4, the three exist."""
    path = two_units(tmp_path / "far.xlsx")
    one = api.solve(path, alternatives=1, within=0.05)
    assert presence(one.tables.allocation) == {("A", "S1")}
    assert plans_of(one) == [frozenset({("B", "S1"), ("C", "S1")})]
    assert dict(one.tables.summary)["alternatives.message"] == (
        "1 alternative plan found, each with shortfall as good and cost within 5% of the plan's"
    )
    every = api.solve(path, alternatives=4, within=0.05)
    assert plans_of(every)[0] == frozenset({("B", "S1"), ("C", "S1")})
    assert set(plans_of(every)[1:]) == {
        frozenset({("A", "S1"), ("B", "S1")}),
        frozenset({("A", "S1"), ("C", "S1")}),
    }
    costs = list(every.tables.extra["Alternatives"]["cost"])
    assert costs[:2] == [200, 202.5] and sorted(costs[2:]) == [201, 201.5]
    assert dict(every.tables.summary)["alternatives.found"] == 3


def test_every_shortfall_stage_is_held(tmp_path: Path) -> None:
    """S1 needs 1 INF at priority 1 and S2 1 INF at priority 2; A pledges 1 at 100, B 1 at 10,
    both usable at either site. Optimum: both lines filled (shortfall 0 and 0), cost 110, one
    plan pattern or the other ({A@S1, B@S2} or {A@S2, B@S1}, same cost). Within 100% (cost
    <= 220) every other pattern leaves a line short (one nation alone), so the only
    alternative is the swap, and it keeps both shortfall stages at 0."""
    path = write_workbook(
        tmp_path / "two.xlsx",
        contributors=[{"contributor": c} for c in "AB"],
        capabilities=[{"capability": "INF"}],
        sites=[{"site": "S1"}, {"site": "S2"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 100},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 10},
        ],
    )
    result = api.solve(path, alternatives=3, within=1.0)
    patterns = {presence(result.tables.allocation), *plans_of(result)}
    assert patterns == {
        frozenset({("A", "S1"), ("B", "S2")}),
        frozenset({("A", "S2"), ("B", "S1")}),
    }
    table = result.tables.extra["Alternatives"]
    assert list(table["shortfall.p1"]) == [0, 0] and list(table["shortfall.p2"]) == [0, 0]


def test_the_settings_key_and_the_option_that_wins(tmp_path: Path) -> None:
    """Settings alternatives_within 0.05 gives the 5% band without the option (B found, as in
    the first test); `within=0` on the call wins over it (nothing found)."""
    path = three_prices(tmp_path / "set.xlsx", settings={"alternatives_within": 0.05})
    assert plans_of(api.solve(path, alternatives=2)) == [frozenset({("B", "S1")})]
    assert plans_of(api.solve(path, alternatives=2, within=0)) == []


def test_cli_within_percent(tmp_path: Path) -> None:
    out = tmp_path / "alt.xlsx"
    path = three_prices(tmp_path / "cli.xlsx")
    result = CliRunner().invoke(
        main, ["solve", str(path), "-o", str(out), "--alternatives", "2", "--within", "5%"]
    )
    assert result.exit_code == 0, result.output
    assert "only 1 alternative plan exists" in result.output
    table = pd.read_excel(out, sheet_name="Alternatives")
    assert list(table["sheet"]) == ["Allocation", "Allocation.2"]
    assert list(table["cost_above_plan_pct"]) == [0, 3]
    assert set(pd.read_excel(out, sheet_name="Allocation.2")["contributor"]) == {"B"}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--alternatives", "2", "--within", "5"], "not between 0% and 100%"),
        (["--alternatives", "2", "--within", "five"], "not a share"),
        (["--within", "5%"], "give --alternatives too"),
    ],
)
def test_cli_within_refused(tmp_path: Path, args: list[str], says: str) -> None:
    out = tmp_path / "never.xlsx"
    path = three_prices(tmp_path / "bad.xlsx")
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out), *args])
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert not out.exists()


def test_settings_key_out_of_range_names_the_cell(tmp_path: Path) -> None:
    path = three_prices(tmp_path / "cell.xlsx", settings={"alternatives_within": 5})
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Settings!B2" in result.output


def test_timed_within(tmp_path: Path) -> None:
    """Timed: S1 needs 1 INF in P1 and P2; A, B, C pledge 1 each at 100, 103, 110 a unit (the
    cost of a tour is its units x unit cost). Optimum: A's one tour P1..P2, cost 100. Within
    5% (<= 105): B's tour P1..P2 (103); C's (110) and every hand-over (two tours, >= 203) are
    outside. Exactly one alternative, shortfall 0 as in the plan."""
    path = timed_case(
        tmp_path / "timed.xlsx",
        contributors=[{"contributor": c} for c in "ABC"],
        periods=months(2),
        pledges=[
            {"contributor": c, "capability": "INF", "units": 1, "cost_per_unit": v}
            for c, v in zip("ABC", (100, 103, 110), strict=True)
        ],
    )
    result = api.solve(path, alternatives=3, within=0.05, time_limit=60)
    summary = dict(result.tables.summary)
    assert summary["alternatives.found"] == 1
    tours = result.tables.extra["Tours.2"]
    assert [tuple(r) for r in tours[["contributor", "from", "to"]].itertuples(index=False)] == [
        ("B", "P1", "P2")
    ]
    table = result.tables.extra["Alternatives"]
    assert list(table["shortfall.p1"]) == [0, 0]
    assert list(table["cost_above_plan_pct"]) == [0, 3]


def test_time_limit_stopping_the_search_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two-unit world asked for 3 within 5% (3 exist): the search for the second plan
    starts with its deadline already passed (as when the time limit is spent), so 1 is kept
    and the message says the time limit stopped it, not that only 1 exists."""
    from solver.solve import alternatives

    real = alternatives._next_plan
    calls = {"n": 0}

    def spent_after_one(solver, cols, patterns, deadline):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return real(solver, cols, patterns, deadline if calls["n"] == 1 else float("-inf"))

    monkeypatch.setattr(alternatives, "_next_plan", spent_after_one)
    result = api.solve(two_units(tmp_path / "late.xlsx"), alternatives=3, within=0.05)
    summary = dict(result.tables.summary)
    assert summary["alternatives.found"] == 1
    assert summary["alternatives.status"] == "time_limit"
    assert summary["alternatives.message"] == (
        "1 alternative plan found before the time limit (asked for 3)"
    )


def test_band_from_an_unproven_cost_says_so() -> None:
    """A cost stage stopped by the time limit (status feasible) is no proven optimum: the band
    measured from it is named as such; a proven (or skipped, all-zero) cost stage needs no note."""
    from solver.solve.near_optimal import band_note
    from solver.solve.outcome import SolveOutcome, StageResult

    def outcome(status: str) -> SolveOutcome:
        return SolveOutcome("feasible", None, [StageResult("cost", status, 100.0)])

    assert band_note(outcome("feasible")) == (
        "the plan's cost is not proven optimal (the band is measured from it)"
    )
    assert band_note(outcome("optimal")) == ""
    assert band_note(outcome("skipped")) == ""


def test_with_a_baseline_the_changes_stage_is_held_too(tmp_path: Path) -> None:
    """The three-price world with a Baseline sheet: C has 1 INF at S1. The changes stage (after
    shortfall, before cost) keeps C's unit: the plan is C@S1, 0 changes, cost 110. Within 5%
    (cost <= 115.5) A's plan (100) and B's (103) would be in the band, but each changes 2
    units (C's removed, its own added): the changes stage, before cost, is held exactly, so
    no alternative exists."""
    path = three_prices(tmp_path / "base.xlsx")
    wb = load_workbook(path)
    wb["Baseline"].append(["C", "INF", "S1", 1])
    wb.save(path)
    result = api.solve(path, alternatives=2, within=0.05)
    summary = dict(result.tables.summary)
    assert presence(result.tables.allocation) == {("C", "S1")}
    assert summary["objective.changes"] == 0
    assert summary["alternatives.found"] == 0
