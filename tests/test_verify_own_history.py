"""verify of a rolling re-plan's output without its baseline file reads the output's own
History sheet (verify/own_history.py): an uneven-periods trial's re-plan, unedited, was said to
cost 46 against its stored 41 (its carried units, which stay and cost nothing, counted as new
tours), and an edit sending a unit still at home passed.

The case (test_baseline_history's carried one): A's one unit at S1 since 2027-03, tours of at
most 6 months, dwell 3; the re-plan over 2027-07..2027-12 keeps it to 2027-08 (cost 0: carried)
and sends it again in 2027-12 (cost 1): cost 1 stored and recomputed alike."""

from __future__ import annotations

from pathlib import Path

from solver import api
from solver.verify import verify_file

from .test_baseline_history import _carried_cases


def test_an_unedited_rolling_re_plan_verifies_without_its_baseline(tmp_path: Path) -> None:
    later, plan = _carried_cases(tmp_path)
    out = tmp_path / "replan.xlsx"
    api.write(api.solve(api.read(later), baseline=plan), out)
    report = verify_file(later, out)
    assert report.ok, [v.message for v in report.violations]
    cost = next(s for s in report.stages if s.stage == "objective.cost")
    assert (cost.recomputed, cost.stored) == (1, 1)
    assert any(n.startswith("the plan's History sheet was read") for n in report.notes)
