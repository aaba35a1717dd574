"""`forcegen check`: re-solve reference workbooks and compare each answer with its pinned JSON.

cases.py finds the workbooks and their pins; run.py solves one scenario (in a worker process);
pins.py turns a result into the pinned answer and writes it as stable text; compare.py says what
moved (pin_sums.py: whether a pin agrees with itself); outcome.py holds the verdicts; runner.py
runs every scenario, and collate.py turns the runs, finishing in any order, into verdicts in
case order (and pins: pin_fate.py); report.py and junit.py render the outcome; command.py is
the click command.
"""

from __future__ import annotations

from .outcome import CheckReport, Outcome
from .runner import run_check

__all__ = ["CheckReport", "Outcome", "run_check"]
