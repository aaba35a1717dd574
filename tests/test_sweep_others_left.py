"""A sweep's folder holding workbooks this run neither writes nor reads (an earlier run's plans
of other scenarios): named in a note (solver/sweep/earlier.py; split from
tests/test_sweep_earlier.py)."""

from __future__ import annotations

from pathlib import Path

from solver.sweep import run_sweep

from .sweep_case import SCENARIOS, small_case


def test_plans_of_scenarios_this_run_does_not_solve_are_named(tmp_path: Path) -> None:
    """A sweep of every scenario, then one of base alone into the same folder: more.xlsx, the
    first run's, is left as it is (this run does not solve `more`), and a note names it as no
    part of this run (an analyst trial compared such a plan, of an earlier version of the
    workbook, with the new run's base)."""
    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])  # more
    out = tmp_path / "out"
    run_sweep(src, out_dir=out, workers=1)
    first_more = (out / "more.xlsx").read_bytes()
    report = run_sweep(src, out_dir=out, workers=1, scenarios=["base"])
    assert (out / "more.xlsx").read_bytes() == first_more
    said = [n for n in report.notes if "which this run does not write" in n]
    assert said == [
        f"{out} also holds more.xlsx, which this run does not write: an earlier run's plans of "
        "other scenarios are left as they are, and are no part of this run's comparison"
    ]
    again = run_sweep(src, out_dir=out, workers=1)
    assert not [n for n in again.notes if "which this run does not write" in n]
