"""Numbers HiGHS could get wrong: light weights, heavy weight ratios, costs near the schema's
maximum. Each optimum is derived by hand in the test's docstring (see model/objective.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from solver import api
from solver.cli import main
from solver.errors import InputError
from solver.model.objective import cost_scale, shortfall_scale
from tests.caveats.helpers import need, pledge, world
from tests.conftest import allocation_dict


def two_lines(path: Path, light: float, heavy: float = 1.0) -> Path:
    """One pledge of 4 units of A; two priority-1 lines of 2 units at S1 (weight `heavy`) and S2
    (weight `light`)."""
    return world(
        path,
        requirements=[
            need("S1", "INF", 2, priority=1, weight=heavy),
            need("S2", "INF", 2, priority=1, weight=light),
        ],
        pledges=[pledge("A", "INF", 4, 1)],
    )


@pytest.mark.parametrize(("heavy", "light"), [(1.0, 1e-6), (2e-7, 1e-7), (1e-9, 1e-9)])
def test_light_weights_count(tmp_path: Path, heavy: float, light: float) -> None:
    """4 units pledged, 2 + 2 required: the shortfall stage is
    heavy * (2 - y1) + light * (2 - y2) with y1 + y2 <= 4, minimised at y1 = y2 = 2 (value 0)
    since both weights are > 0; filling S2 is free of any trade-off (the units are spare).
    Before the stages were scaled, a unit of weight <= 1e-6 was below HiGHS's mip_abs_gap and
    the S2 line stayed empty, 'optimal'."""
    result = api.solve(two_lines(tmp_path / "w.xlsx", light, heavy))
    assert result.status == "optimal"
    assert allocation_dict(result) == {("A", "INF", "S1"): 2, ("A", "INF", "S2"): 2}
    assert result.stage_values["objective.shortfall.p1"] == 0


def test_weights_too_far_apart_are_refused_with_the_cell(tmp_path: Path) -> None:
    """Weights 1 and 1e-7 within priority 1: a heavy unit off by HiGHS's integrality tolerance
    (1e-6) would outweigh ten light units, so the solver cannot honour the lighter line: refused
    (exit 2), naming its weight cell (row 3, column E), nothing written."""
    path = two_lines(tmp_path / "w.xlsx", 1e-7)
    with pytest.raises(InputError) as exc:
        api.read(path)
    assert [str(e).split(":")[0] for e in exc.value.errors] == ["Requirements!E3"]
    assert "10,000,000 times lighter" in str(exc.value)
    assert "Requirements!E2" in str(exc.value)
    out = tmp_path / "out.xlsx"
    run = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert run.exit_code == 2 and "Requirements!E3" in run.output
    assert not out.exists()


def test_weights_far_apart_in_different_priorities_are_accepted(tmp_path: Path) -> None:
    """The cap is within one priority: 1 at priority 1 and 1e-9 at priority 2 are each their
    own stage, each scaled by its own lightest weight; both lines filled (4 units, 2 + 2)."""
    path = world(
        tmp_path / "w.xlsx",
        requirements=[
            need("S1", "INF", 2, priority=1, weight=1),
            need("S2", "INF", 2, priority=2, weight=1e-9),
        ],
        pledges=[pledge("A", "INF", 4, 1)],
    )
    result = api.solve(path)
    assert allocation_dict(result) == {("A", "INF", "S1"): 2, ("A", "INF", "S2"): 2}


def cost_case(path: Path, top: float) -> Path:
    """S1 needs 1 INF and 1 AD, S2 needs 1 INF. INF comes from A (1 unit, 100) and from D
    (1 unit, `top` per unit, near the schema's maximum); AD from A (1 unit, 20,000) or B (1
    unit, 10,000)."""
    return world(
        path,
        requirements=[need("S1", "INF", 1), need("S1", "AD", 1), need("S2", "INF", 1)],
        pledges=[
            pledge("A", "INF", 1, 100),
            pledge("A", "AD", 1, 20_000),
            pledge("B", "AD", 1, 10_000),
            pledge("D", "INF", 1, top),
        ],
    )


@pytest.mark.parametrize("top", [1e12, 9.99e11])
def test_cost_near_the_maximum_keeps_small_differences(tmp_path: Path, top: float) -> None:
    """Every line can be filled (shortfall 0): both INF units are needed (A's and D's), and the
    AD unit from B is 10,000 cheaper than A's. So the cost stage is top + 100 + 10,000 and its
    plan has B at S1; presence is then 3 (A, B and D each at one site). A's own AD unit would
    make presence 2 for 10,000 more: the presence stage must not buy that. With the cost stage
    held within a relative 1e-7 (1e5 here) it did; with the costs unscaled, a cost of 1e14
    stopped HiGHS early."""
    result = api.solve(cost_case(tmp_path / "c.xlsx", top), mip_gap=0)
    assert result.status == "optimal"
    assert {s.name: s.status for s in result.outcome.stages} == {
        "shortfall.p1": "optimal",
        "cost": "optimal",
        "presence": "optimal",
    }
    alloc = allocation_dict(result)
    assert alloc[("B", "AD", "S1")] == 1 and ("A", "AD", "S1") not in alloc
    assert result.stage_values["objective.cost"] == top + 10_100
    assert result.stage_values["objective.presence"] == 3


def test_scales_are_powers_and_lightest_weights() -> None:
    """Cost: divided by 10^k so that the largest coefficient is at most 1e6; shortfall: by the
    lightest weight of the priority."""
    assert cost_scale(np.array([0.0, 5.0, 1e6])) == 1.0
    assert cost_scale(np.array([3.0, 1e12])) == 1e6
    assert cost_scale(np.array([2.5e9])) == 1e4
    assert shortfall_scale(np.array([1.0, 1e-7, 3.0])) == 1e-7
    assert shortfall_scale(np.array([])) == 1.0
