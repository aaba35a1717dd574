"""How the time limit is shared among the objective stages.

Without shares the first stages ate the whole limit at scale: on a generated 100 x 300 x 20
snapshot the priority-2 stage took 51 of 60 s at its root and priority 3, cost and presence were
never reached (docs/performance.md, "Good plans at scale"). But the order is lexicographic: an
earlier stage matters more than every later one, and the timed example's shortfall stages need
7.7, 2.1 and 2.5 s of a 60 s limit to be proven (an even split cut priority 1 short at 115
against its optimum 111). So each later stage keeps a *reserve*, a fixed part of the solve's
time T (the limit less the construction heuristic), and stage i, starting at `now` with the
deadline D, may run until

    end_i = max( D - T * sum_{j > i} RESERVE_j ,  now + (D - now) * w_i / sum_{j >= i} w_j )

over the later stages j that are not skipped (a stage whose cost row is all zero takes no time).
The first term lets an early stage use all but the reserves; the second still gives it its
weighted share of what is left when an earlier stage overran. Time a stage does not use is
carried to the later ones; the last stage runs until the deadline. A stage stopped by its share
with a plan is held at that plan's value and the next stage starts from it
(`LexicographicSolver._carry_on`); the Summary says which stages were stopped so
(`stage.<name>.stopped`).

Where a solve does not work on the whole model (polish.on_whole_model: above LARGE_LP_COLUMNS
in a solve under WHOLE_MODEL_SECONDS, above LNS_MAX_COLUMNS always) the shares are the same,
and each stage is fix-and-optimise alone (solve/polish.py): HiGHS's MIP on the whole model did not leave its root
there.

With five stages and 60 s: priority 1 may use 60 - 60 * (0.08 + 0.08 + 0.2 + 0.08) = 33.6 s,
priority 2 until 38.4 s, priority 3 until 43.2 s, cost until 55.2 s, presence until 60 s.
"""

from __future__ import annotations

import numpy as np

from ..model.linear import Stage
from ..model.stage_names import family

RESERVE = {"shortfall": 0.08, "changes": 0.08, "cost": 0.2, "presence": 0.08}
WEIGHT = {"shortfall": 3.0, "changes": 2.0, "cost": 3.0, "presence": 1.0}


def _kind(stage: Stage) -> str:
    """shortfall.pN reads as shortfall."""
    return family(stage.name)


def stage_end(
    stages: list[Stage],
    costs: list[np.ndarray],
    i: int,
    now: float,
    deadline: float,
    total: float,
) -> float:
    """When stage i, starting at `now`, must stop so that the stages after it keep their
    reserves of the solve's `total` seconds (the last stage: the deadline itself)."""
    later = [stages[j] for j in range(i + 1, len(stages)) if costs[j].any()]
    if not later:
        return deadline
    reserved = total * sum(RESERVE[_kind(s)] for s in later)
    mine = WEIGHT[_kind(stages[i])]
    share = mine / (mine + sum(WEIGHT[_kind(s)] for s in later))
    return max(deadline - reserved, now + share * max(deadline - now, 0.0))
