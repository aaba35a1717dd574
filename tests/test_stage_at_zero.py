"""A stage's plan at 0 is optimal whatever stopped its search: no stage counts below 0
(shortfall, changes, cost and presence are amounts). A re-plan against its own plan whose
`changes` stage got no time was said `changes 0 (not proven optimal, gap 0%)` and `not proven
the fewest`, though no plan has fewer than 0 changes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from solver import api
from solver.results.console import fewest_note
from solver.solve import highs
from solver.solve.polish import plan_at_bound

from .workbooks import simple_case


def test_a_plan_at_zero_reaches_the_bound_no_relaxation_gave() -> None:
    """A cost row (1, 2) without offset: (0, 0) is at 0, (1, 0) is not. A shortfall row
    counts minus the units allocated plus the requirement (offset 2): allocating both is 0,
    one of them is 1. A relaxation's bound above 0 still decides: at 1, (1, 0) reaches it.
    Only for stages that count amounts (`Stage.at_least_zero`)."""
    amounts = SimpleNamespace(at_least_zero=True)
    mm = SimpleNamespace(
        costs=[np.array([1.0, 2.0]), np.array([-1.0, -1.0])],
        offsets=[0.0, 2.0],
        stages=[amounts, amounts],
    )
    assert plan_at_bound(mm, np.array([0.0, 0.0]), 0, None)  # type: ignore[arg-type]
    assert not plan_at_bound(mm, np.array([1.0, 0.0]), 0, None)  # type: ignore[arg-type]
    assert plan_at_bound(mm, np.array([1.0, 1.0]), 1, None)  # type: ignore[arg-type]
    assert not plan_at_bound(mm, np.array([1.0, 0.0]), 1, None)  # type: ignore[arg-type]
    assert plan_at_bound(mm, np.array([1.0, 0.0]), 0, 1.0)  # type: ignore[arg-type]
    assert not plan_at_bound(mm, np.array([1.0, 0.0]), 0, -5.0)  # type: ignore[arg-type]
    assert not plan_at_bound(mm, None, 0, None)  # type: ignore[arg-type]
    # a stage that may go below 0 (a model of other amounts: tests/test_held_back_rows.py's
    # costs are negative) has no bound but its relaxation's
    mm.stages = [SimpleNamespace(at_least_zero=False)] * 2
    assert not plan_at_bound(mm, np.array([0.0, 0.0]), 0, None)  # type: ignore[arg-type]
    assert plan_at_bound(mm, np.array([0.0, 0.0]), 0, 0.0)  # type: ignore[arg-type]


def test_a_re_plan_s_changes_stage_of_0_without_time_is_proven(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan re-planned against itself: its changes stage ends at once (its share made
    nothing), with 0 changes from its start; it is optimal and the fewest."""
    first = simple_case(tmp_path / "first.xlsx")
    plan = tmp_path / "plan.xlsx"
    api.write(api.solve(first), plan)
    real = highs.stage_end

    def no_time_for_changes(stages, costs, i, now, deadline, total):  # type: ignore[no-untyped-def]
        return now if stages[i].name == "changes" else real(stages, costs, i, now, deadline, total)

    monkeypatch.setattr(highs, "stage_end", no_time_for_changes)
    result = api.solve(first, baseline=plan)
    assert result.summary["objective.changes"] == 0
    assert result.summary["stage.changes.status"] == "optimal"
    assert fewest_note(result.summary) == ""
