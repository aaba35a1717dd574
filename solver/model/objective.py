"""The scale of each objective stage, so that HiGHS's tolerances never decide a plan.

HiGHS judges a stage with absolute and relative tolerances fixed in its own units:

- `mip_abs_gap` = 1e-6: a stage whose best plan and bound differ by less is "optimal";
- `mip_feasibility_tolerance` = 1e-6: an integer column is accepted within 1e-6 of a whole
  number, so a column of weight W may be "short" by W * 1e-6 in a plan HiGHS calls feasible;
- `small_matrix_value` = 1e-9 and `large_matrix_value` = 1e15: the coefficients of the row that
  holds a stage at its value (a row like any other) are dropped below, refused above;
- `mip_rel_gap` (the planner's `mip_gap`): relative to the stage's whole value.

**Shortfall stages.** Stage p minimises  sum_l w_l (u_l - y_l)  over its lines l (weight w_l,
u_l units required, y_l allocated). Unscaled, one unit of a line of weight 1e-7 changes the
stage by 1e-7, below `mip_abs_gap`: HiGHS stopped with that line empty and called it optimal.
Dividing the stage by its lightest weight w_min makes one unit of the lightest line worth
exactly 1 (a million times `mip_abs_gap`), and every coefficient w_l / w_min >= 1.
Within one priority the heaviest weight may be at most MAX_WEIGHT_RATIO = 1e6 times the
lightest: a column of the heaviest line, off by HiGHS's integrality tolerance (1e-6), then moves
the stage by at most one light unit (1e6 x 1e-6 = 1), so no light unit is ever traded for
rounding noise; and every coefficient stays within [1, 1e6], far from both matrix limits.
Heavier ratios are refused, naming the cell (give such lines different priorities).
The planner's relative `mip_gap` still applies to the stage's whole value: with a gap g, a
stage of value V may stop up to g * V light units short of its bound (set mip_gap to 0 for an
exact order).

**Cost stage.** Costs reach 1e12 per unit (the schema's maximum), and a total beyond 1e20
is infinite for HiGHS. The stage is divided by a power of ten, COST_SCALE_STEP, chosen so that
its largest coefficient is at most MAX_COST_COEF = 1e6 (no scaling when it already is: the
usual person-km costs are unchanged). A cost 1e15 times smaller than the largest then falls
below `small_matrix_value` in the holding row; such a difference is below double precision's
1e-16 relative anyway.

**Holding rows.** After stage s is solved at value V (its own, scaled units), the row
  scaled_cost_s @ x <= V + max(hold_abs, hold_rel * |V|)
keeps it there. Shortfall: hold_abs = 1e-6 (a millionth of a light unit), hold_rel = 0 (a
relative slack on a large total could give up a light unit). Cost: hold_abs = 1e-6 and
hold_rel = 1e-9: a relative slack only wide enough for the rounding of a large total (a
relative 1e-7, as before, let the presence stage add 1.9 million person-km to a plan whose
cost was dominated by 1e12-per-unit pledges). HiGHS checks the row after scaling it, so where
its coefficients span eight orders of magnitude (1e12 per unit beside person-km) its own
feasibility tolerance still lets a later stage drift by about 1e-8 of the total (164,000 of
2.2e13 on the bundled example with twenty such pledges): far inside any MIP gap.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MAX_WEIGHT_RATIO = 1e6  # 1 / mip_feasibility_tolerance: see the module docstring
MAX_COST_COEF = 1e6
COST_SCALE_STEP = 10.0
SHORTFALL_HOLD_ABS = 1e-6
COST_HOLD_ABS = 1e-6
COST_HOLD_REL = 1e-9


def shortfall_scale(weights: np.ndarray) -> float:
    """The lightest weight of a priority's lines: the stage is divided by it (1 if none)."""
    positive = weights[np.isfinite(weights) & (weights > 0)]
    return float(positive.min()) if len(positive) else 1.0


def cost_scale(coefs: np.ndarray) -> float:
    """10^k, the smallest k >= 0 with max |coef| / 10^k <= MAX_COST_COEF."""
    largest = float(np.abs(coefs).max(initial=0.0))
    if not largest > MAX_COST_COEF:
        return 1.0
    k = math.ceil(math.log(largest / MAX_COST_COEF, COST_SCALE_STEP))
    scale = COST_SCALE_STEP**k
    return scale if largest / scale <= MAX_COST_COEF else scale * COST_SCALE_STEP


def weight_ratio_problems(requirements: pd.DataFrame) -> list[tuple[str, str]]:
    """(cell, message) for each line whose weight is more than MAX_WEIGHT_RATIO times lighter
    than the heaviest line of its priority."""
    rq = requirements
    if not len(rq) or "weight" not in rq or "priority" not in rq:
        return []
    weight = pd.to_numeric(rq["weight"], errors="coerce").to_numpy(dtype=float)
    priority = rq["priority"].to_numpy()
    problems = []
    for p in pd.unique(priority[~pd.isna(priority)]):
        in_p = np.flatnonzero((priority == p) & np.isfinite(weight) & (weight > 0))
        if not len(in_p):
            continue
        heaviest = in_p[np.argmax(weight[in_p])]
        top = weight[heaviest]
        for i in in_p[weight[in_p] * MAX_WEIGHT_RATIO < top]:
            problems.append(
                (
                    _cell(rq, i),
                    f"weight {weight[i]:g} is {top / weight[i]:,.0f} times lighter than the "
                    f"heaviest priority-{p} line ({_cell(rq, heaviest)}, weight {top:g}); "
                    f"within one priority the solver can tell weights apart up to "
                    f"{MAX_WEIGHT_RATIO:,.0f} times: raise this weight, or give the line "
                    f"its own priority",
                )
            )
    return problems


def _cell(rq: pd.DataFrame, i: int) -> str:
    if "_at_weight" in rq:
        where = rq["_at_weight"].iloc[i]
        if isinstance(where, str) and where:
            return where
    where = rq["_where"].iloc[i] if "_where" in rq else None
    return where if isinstance(where, str) and where else "Requirements"
