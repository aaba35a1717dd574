"""--alternatives K: distinct plans, equally good at every stage (cost within the MIP gap)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from solver import api
from solver.cli import main

from .conftest import EXAMPLE
from .workbooks import write_workbook


def presence(alloc: pd.DataFrame) -> frozenset:
    return frozenset(zip(alloc["contributor"], alloc["site"], strict=True))


def two_nations(path: Path, units: int, cost_b: float = 5) -> Path:
    """S1 needs `units` INF; A and B pledge as many each, A at cost 5 a unit, B at `cost_b`."""
    return write_workbook(
        path,
        contributors=[{"contributor": "A"}, {"contributor": "B"}],
        capabilities=[{"capability": "INF"}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": units}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": units, "cost_per_unit": 5},
            {"contributor": "B", "capability": "INF", "units": units, "cost_per_unit": cost_b},
        ],
    )


def test_example_three_distinct_alternatives(tmp_path: Path) -> None:
    out = tmp_path / "alt.xlsx"
    result = CliRunner().invoke(
        main, ["solve", str(EXAMPLE), "-o", str(out), "--alternatives", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "3 alternative plans found" in result.output
    table = pd.read_excel(out, sheet_name="Alternatives")
    assert list(table["sheet"]) == ["Allocation", "Allocation.2", "Allocation.3", "Allocation.4"]
    for col in ("shortfall.p1", "shortfall.p2", "shortfall.p3", "presence"):
        assert table[col].nunique() == 1, col
    base_cost = table["cost"].iloc[0]
    assert (table["cost"] <= base_cost * (1 + 1e-4) + 1e-6).all()
    plans = [pd.read_excel(out, sheet_name=s) for s in table["sheet"]]
    patterns = {presence(p) for p in plans}
    assert len(patterns) == 4  # every plan has its own presence pattern
    data = api.read(EXAMPLE)
    pledged = data.pledges.set_index(["contributor", "capability"])["units"]
    for plan in plans:  # each plan keeps every pledge limit (verify checks every rule)
        used = plan.groupby(["contributor", "capability"])["units"].sum()
        assert (used <= pledged.reindex(used.index)).all()


def test_fewer_alternatives_than_asked(tmp_path: Path) -> None:
    """S1 needs 1 unit; A and B pledge one each at the same cost: exactly one other plan."""
    path = two_nations(tmp_path / "tie.xlsx", 1)
    result = api.solve(path, alternatives=3)
    summary = dict(result.tables.summary)
    assert summary["alternatives.found"] == 1
    assert summary["alternatives.message"].startswith("only 1 alternative plan exists")
    first = presence(result.tables.allocation)
    second = presence(result.tables.extra["Allocation.2"])
    assert {first, second} == {frozenset({("A", "S1")}), frozenset({("B", "S1")})}


def test_alternatives_count_units_changed_as_asks_do(tmp_path: Path) -> None:
    """S1 needs 2 INF; A and B pledge 2 each at the same cost: the other plan sends B's 2
    instead of A's 2. That is 4 units changed (A -2, B +2), the sum Asks calls
    `units_changed`; there `units_moved` counts a relocated unit once, so the Alternatives
    sheet, which would say 2 plans apart by 4 units moved, has no column of that name."""
    path = two_nations(tmp_path / "swap.xlsx", 2)
    table = api.solve(path, alternatives=1).tables.extra["Alternatives"]
    assert list(table["units_changed"]) == [0, 4]
    assert "units_moved" not in table.columns


@pytest.mark.parametrize("cost_b", [5.0001, 6])
def test_alternative_respects_the_cost_gap(tmp_path: Path, cost_b: float) -> None:
    """B costs 0.002% more (within the 0.01% gap: an alternative) or 20% more (not one)."""
    path = two_nations(tmp_path / "gap.xlsx", 1, cost_b)
    found = dict(api.solve(path, alternatives=1).tables.summary)["alternatives.found"]
    assert found == (1 if cost_b < 5.001 else 0)
