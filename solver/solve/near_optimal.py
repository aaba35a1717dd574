"""Near-optimal alternatives (`--alternatives K --within W`): the holds that replace "as good at
every stage" by "as good before cost, cost within a share W of the plan's".

Write x* for the plan solved, f_i for stage i's scaled cost row (`MatrixModel.costs[i]`, the
stage in the planner's units being scale_i (f_i x + offset_i)) and c for the cost stage. An
alternative x keeps

    f_i x <= f_i x* + hold_i             every stage i before cost (the shortfall per priority,
                                         and `changes` with a baseline): hold_i is below one unit
                                         of the stage's lightest line, so the stage is exactly
                                         as good (model/objective.py);
    f_c x <= (1 + W) (f_c x* + o_c) - o_c + hold_c
                                         the cost, in the planner's units, at most (1 + W) times
                                         the plan's (o_c the cost stage's offset, 0 today);

and the stages after cost (presence) are free: they rank plans of equal cost, and the band has
given up cost equality already. The rows the lexicographic solve added to hold its stages are
loosened (to -inf..inf, not deleted: row positions stay as the solve left them), so only these
rows, all measured on x*, bind. With W = 0 the search keeps its exact-tie rows
(solve/alternatives.py), not these.

The band is measured from the plan's cost. When the cost stage was stopped by the time limit
that cost is not proven optimal; the caller says so (`band_note`).
"""

from __future__ import annotations

import highspy
import numpy as np

from ..model.portable import dot
from ..model.stage_names import SETTLED
from .highs import LexicographicSolver
from .outcome import SolveOutcome


def hold_within(solver: LexicographicSolver, base_x: np.ndarray, within: float) -> None:
    """Replace the solve's holds by the band's (see the module's docstring)."""
    mm, h = solver.mm, solver.h
    for row, _ in solver.holds:
        if row >= 0:  # a stage held on its optimal face has no row: its bounds keep it exactly
            h.changeRowBounds(row, -highspy.kHighsInf, highspy.kHighsInf)
    cost_at = cost_stage(solver)
    for i in range(cost_at + 1):
        stage, f = mm.stages[i], mm.costs[i]
        value = dot(f, base_x)
        tolerance = max(stage.hold_abs, stage.hold_rel * abs(value))
        if i == cost_at:
            offset = mm.offsets[i]
            value = (1.0 + within) * (value + offset) - offset
        nz = np.flatnonzero(f)
        if len(nz):
            h.addRow(-highspy.kHighsInf, value + tolerance, len(nz), nz.astype(np.int32), f[nz])


def cost_stage(solver: LexicographicSolver) -> int:
    """The position of the cost stage among the model's stages."""
    return [s.name for s in solver.mm.stages].index("cost")


def band_note(outcome: SolveOutcome) -> str:
    """What the band is measured from, when that is not a proven optimum ('' when it is)."""
    cost = next((s for s in outcome.stages if s.name == "cost"), None)
    if cost is None or cost.status in SETTLED:
        return ""
    return "the plan's cost is not proven optimal (the band is measured from it)"


def within_text(within: float) -> str:
    """The band as a planner writes it: `5%`, `2.5%`, `0.01%`."""
    return f"{100 * within:.6g}%"
