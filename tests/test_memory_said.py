"""A plan kept after running out of memory, where it is compared and briefed (split from
test_solver_memory.py)."""

from __future__ import annotations

from pathlib import Path

from solver import api
from solver.solve.highs import LexicographicSolver

from .workbooks import simple_case


def test_a_plan_kept_out_of_memory_is_said_so_in_a_comparison_and_a_briefing(
    tmp_path: Path, monkeypatch
) -> None:
    """The plan of a run out of memory in its cost stage, beside the whole run's: its status is
    `feasible` (the contract's), and the comparison's remark, its console and the briefing's
    banner say it ran out of memory, not that a limit stopped its search (a fault trial: a plan
    of 31% coverage listed beside one of 91%, `raise the time or work limit`)."""
    from click.testing import CliRunner

    from solver.cli import main
    from solver.compare import compare_files
    from solver.report.command import write_report
    from solver.solve.instance import MS

    src = simple_case(tmp_path / "c.xlsx")
    whole = api.write(api.solve(src), tmp_path / "whole.xlsx", [src])
    real = LexicographicSolver.run_highs
    calls: list[int] = []

    def second_run_exhausted(self, remaining):
        calls.append(1)
        return real(self, remaining) if len(calls) == 1 else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "run_highs", second_run_exhausted)
    cut = api.write(api.solve(src), tmp_path / "cut.xlsx", [src])
    said = "out of memory in stage cost: the plan so far, not a whole run's answer"
    remark = compare_files([whole, cut]).overview["remark"].tolist()
    assert said in remark[1] and "raise the time" not in remark[1]
    assert said not in str(remark[0])
    run = CliRunner().invoke(main, ["compare", str(whole), str(cut)])
    assert f"cut: {said}" in run.output
    page = write_report([cut]).read_text(encoding="utf-8")
    assert "Out of memory (" in page and "ran out of memory in stage cost" in page
