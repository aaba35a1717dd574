"""What a lexicographic solve carries from stage to stage (solve/highs.py): its budget, its
start, the plans in hand and the plan so far."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Progress:
    """What a solve carries from stage to stage."""

    deadline: float  # the clock's time (solve/clock.py) at which the budget is spent
    total: float  # the budget the solve had when it began (solve/budget.py)
    start: tuple[np.ndarray, np.ndarray] | None  # the MIP start given (maybe partial)
    fallback: np.ndarray | None  # the start as a full valid plan, kept if HiGHS finds none
    # other valid plans in hand (a re-plan's start from its baseline), adopted by a stage
    # where better (`LexicographicSolver._adopt`)
    plans: list[np.ndarray] = field(default_factory=list)
    x: np.ndarray | None = None  # the plan so far
    status: str = "optimal"  # the overall status so far; "cut": a stage stopped by its share
    # per LP method, the longest limit a stage's relaxation ran out of (polish.relaxation_bound)
    lp_ran_out: dict[str, float] = field(default_factory=dict)

    def seed(self) -> bool:
        """No plan yet: a search starts from the start (a valid full plan); True if so."""
        seeded = self.x is None and self.fallback is not None
        if seeded:
            self.x = self.fallback
        return seeded

    def unseed(self, seeded: bool, proven: bool) -> None:
        """After a search `seeded` from the start: if it found nothing better (and did not
        prove the start optimal), the start stays only the start (HiGHS's MIP start)."""
        if seeded and self.x is self.fallback and not proven:
            self.x = None
