"""A re-plan whose baseline no longer fits is repaired, and starts from it, at small limits too
(solver/solve/start.py, `repair_limit`).

The bundled timed example's base plan under `--work-limit 5`, then its scenario `italy_leaves`
(ITA leaves after month 12) re-planned against it, also under `--work-limit 5` (deterministic:
the same plans on any machine). The baseline's units then leave one hard line short in one
month; HiGHS meets it by re-planning one capability (4,558 columns), which needs 1-1.5 work
units, more than REPAIR_SHARE of FALLBACK_SHARE of 5 gave. Without the repair the re-plan
started from the construction heuristic's plan, and came back with priority 2 at 1,041 and
2,236 unit-months of changes (the base: 77); repaired, from the baseline: 93 and 220."""

from __future__ import annotations

from pathlib import Path

from solver import api

from .conftest import ROOT

TIMED = ROOT / "inputs" / "coalition_timed.xlsx"


def test_a_withdrawal_re_plan_starts_from_its_repaired_baseline(tmp_path: Path) -> None:
    base = api.solve(TIMED, work_limit=5)
    assert base.plan is not None
    plan = tmp_path / "base.xlsx"
    api.write(base, plan)
    assert base.summary["objective.shortfall.p2"] < 100
    replan = api.solve(TIMED, scenario="italy_leaves", baseline=plan, work_limit=5)
    heuristic = str(replan.summary["heuristic"])
    assert heuristic.startswith("the construction heuristic from the baseline could not meet")
    assert heuristic.endswith("HiGHS then met them, re-planning one capability at a time")
    assert replan.summary["objective.shortfall.p2"] < 200  # 1,041 from the heuristic's start
    assert replan.summary["objective.changes"] < 500  # 2,236 from there
