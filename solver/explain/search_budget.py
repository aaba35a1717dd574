"""What the search for conflicts may spend (explain/infeasibility.py): wall-clock seconds under
a time limit, as before; under a work limit, feasibility checks, so that the same workbook gets
the same conflicts on any machine and under any load (a trial's three runs of one rotation case
under `--work-limit 15` named three different conflicts, one of them with a smallest change
that gave no plan: its 30 s ran out at another point each time). A wall-clock cap stays as a
safety stop only (a search it stops is said to be cut short, as any).

    spent  =  seconds since the start > `seconds`               (a time limit)
           or checks made >= `checks`                           (a work limit)

A check's cost grows with the explain model, so a work limit's checks are counted against the
timed example's model (REFERENCE_NNZ nonzeros) and a smaller model gets more of them, in
proportion, up to SMALL_MODEL_FACTOR times (`sized`): a planner trial's 8-nation workbook
(10,577 nonzeros) under `--work-limit 20` had its second conflict cut short at 200 checks of
12 ms each, and needed 246. The smallest change's relaxation counts its steps per check
(explain/relaxation.py), so a smaller model gives it more steps in the same proportion: its
steps cost less too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

# under a work limit: the checks a search may make, per unit of the limit (at least MIN_CHECKS:
# the timed example made infeasible three ways took 312 checks for its three conflicts, and
# its `work_limit` is 60: 600), and the wall-clock safety stop
CHECKS_PER_UNIT = 10
MIN_CHECKS = 200
SAFETY_SECONDS = 600.0
REFERENCE_NNZ = 171_092  # the timed example's explain model (CHECKS_PER_UNIT was set on it)
SMALL_MODEL_FACTOR = 10


@dataclass
class SearchBudget:
    seconds: float
    checks: int | None = None  # a work limit's count; None: seconds alone
    used: int = 0  # checks made (`Feasibility.infeasible`)
    began: float = field(default_factory=time.perf_counter)

    @classmethod
    def of(cls, time_limit: float, work_limit: float) -> SearchBudget:
        """A work limit's budget in checks (the solve's own time limit, if any, the safety
        stop); else at most 30 s of a time limit, as before."""
        if work_limit > 0:
            checks = max(MIN_CHECKS, int(CHECKS_PER_UNIT * work_limit))
            return cls(min(SAFETY_SECONDS, time_limit), checks)
        return cls(min(30.0, time_limit))

    def sized(self, nnz: int) -> None:
        """A work limit's checks for an explain model of `nnz` nonzeros (module docstring):
        checks x min(SMALL_MODEL_FACTOR, max(1, REFERENCE_NNZ / nnz)), the same count on any
        machine. Called once, before the first check."""
        if self.checks is not None and nnz > 0:
            factor = min(SMALL_MODEL_FACTOR, max(1.0, REFERENCE_NNZ / nnz))
            self.checks = int(self.checks * factor)

    def past_safety_stop(self) -> bool:
        """Counting checks, whether the wall-clock safety stop was reached: what the search
        found then depends on the machine's speed (SAFETY_STOPPED)."""
        return self.checks is not None and time.perf_counter() - self.began > self.seconds

    def spent(self) -> bool:
        over = time.perf_counter() - self.began > self.seconds
        return over or (self.checks is not None and self.used >= self.checks)

    def per_check(self) -> float:
        """A check's HiGHS time limit: a tenth of the seconds (at least 1), or, counting
        checks, what is left of the safety stop (a check cut by time is undecided, said cut
        short)."""
        if self.checks is None:
            return max(1.0, self.seconds / 10)
        return max(1.0, self.seconds - (time.perf_counter() - self.began))
