"""`forcegen sweep`: solve base and every scenario (and, with `withdraw_each`, one withdrawal per
available contributor) in parallel, each into its own output workbook, plus comparison.xlsx.

    from solver.sweep import run_sweep
    report = run_sweep("inputs/coalition.xlsx", withdraw_each=True, workers=2)
    report.exit_code, report.outputs, report.comparison.overview
    run_sweep("timed.xlsx", withdrawals=(Withdrawal("ITA", after="2027-12"),))
"""

from __future__ import annotations

from ..io.withdrawals import Withdrawal
from .run import COMPARISON, SweepReport, run_sweep
from .scenarios import WITHDRAW, read_scenario, withdraw
from .task import Task, TaskResult, run_task

__all__ = [
    "COMPARISON",
    "WITHDRAW",
    "SweepReport",
    "Task",
    "TaskResult",
    "Withdrawal",
    "read_scenario",
    "run_sweep",
    "run_task",
    "withdraw",
]
