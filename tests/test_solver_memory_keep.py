"""A plan kept after running out of memory in a stage is no whole run's answer: it is not
written over an output's better plan of the same question (results/earlier_plan.py)."""

from __future__ import annotations

from pathlib import Path

from solver.solve.highs import LexicographicSolver

from .workbooks import simple_case


def test_a_plan_kept_out_of_memory_does_not_replace_a_better_one(
    tmp_path: Path, monkeypatch
) -> None:
    """An output holds a better plan of the same question (its Summary's priority-1 value
    made 1 lower than this run's can be); a run out of memory in its first stage, the
    construction heuristic's plan kept, does not write over it, as an interrupted run does not
    (a fault trial: a plan of 31% coverage replaced one of 91%, exit 0). Exit 1: the run
    failed."""
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from solver.cli import main
    from solver.solve.instance import MS

    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    assert CliRunner().invoke(main, ["solve", str(src), "-o", str(out)]).exit_code == 0
    book = load_workbook(out)
    summary = book["Summary"]
    for row in summary.iter_rows(min_row=2):
        if row[0].value == "objective.shortfall.p1":
            row[1].value = float(row[1].value) - 1
    book.save(out)
    before = out.read_bytes()
    monkeypatch.setattr(LexicographicSolver, "run_highs", lambda self, remaining: MS.kMemoryLimit)
    run = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert run.exit_code == 1, run.output
    assert out.read_bytes() == before
    assert f"not written: {out} holds a better plan of this workbook and scenario" in run.output
    assert "in this out of memory run's plan" in run.output
