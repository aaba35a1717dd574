"""The tour rows of a timed model (solver/model/tours.py: flow, arrive.stay, tour, pledge)
pinned as LP-like text on a tiny world with uneven periods, like the caveat kinds' golden
files (tests/caveats/golden.py). Rewrite after a change made on purpose:
FORCEGEN_UPDATE_GOLDEN=1.

World (tests/caveats/helpers.py): periods P1..P5 of 1, 2, 1, 3 and 1 months (m = 0, 1, 3, 4,
7); S1 needs 1 INF throughout, S2 1 INF in P3..P5. A pledges 2 INF, tour_months 3 and
dwell_months 2 (a pool); B 1 INF, no tour limit and no dwell; C 1 INF, tour_months 1.
By the module docstring of solver/model/tours.py, among the rows:

    tour(A,INF,S1,P4): m + months = 7, W = {t': 7 - m(t') <= 3} = {P4}:
        x(A,INF,S1,P4) - arrive(A,INF,S1,P4) <= 0
    C's 1-month tour fits no period of 2 or 3 months, so its options have no column in P2
    and P4 (an option with gaps); tour(C,INF,S1,P3): W = {P3}, which is not the option's
    first period P1: x(C,INF,S1,P3) - arrive(C,INF,S1,P3) <= 0
    pledge(A,INF,P3): D(P3) = {l >= 1: m(l) <= 3 < m(l) + 2} = {P3}, and
        sum_s x(A,s,P3) + sum_s [x(A,s,P2) + a(A,s,P3) - x(A,s,P3)] <= 2, so
        x(A,INF,S1,P2) + arrive(A,INF,S1,P3) + arrive(A,INF,S2,P3) <= 2 (S2 starts in P3)
    pledge(B,INF,t): B has no dwell, but its two options' bounds (1 + 1) exceed its 1 unit
        in P3..P5: x(B,INF,S1,t) + x(B,INF,S2,t) <= 1 there, and no row in P1..P2.
    tour(A,INF,S1,P1..P2), tour(C,INF,S1,P1): every arrival since the option's first period
        counts; flow implies them, so no row.
    pledge(A,INF,P4): D(P4) = {P3, P4}; the x terms of P3 and P4 cancel:
        x(A,INF,S1,P2) + arrive(A,INF,S1,P3) + arrive(A,INF,S1,P4) + the same of S2 <= 2

The golden file was written by the loop this module's vectorised rows replaced (same rows).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.model.build import build_model
from solver.model.context import BuildContext

from .caveats.golden import assert_text_golden, rows_text
from .caveats.helpers import need, pledge, world

GOLDEN = Path(__file__).resolve().parent / "golden" / "tours.timed.lp"
BLOCKS = ("flow", "arrive.stay", "tour", "pledge")

SHEETS = {
    "periods": [
        {"period": p, "months": m}
        for p, m in zip(["P1", "P2", "P3", "P4", "P5"], [1, 2, 1, 3, 1], strict=True)
    ],
    "requirements": [need("S1", "INF", 1), need("S2", "INF", 1, **{"from": "P3"})],
    "pledges": [
        pledge("A", "INF", 2, 1.0, tour_months=3, dwell_months=2),
        pledge("B", "INF", 1, 1.0),
        pledge("C", "INF", 1, 1.0, tour_months=1),
    ],
}


def lp_text(ctx: BuildContext) -> str:
    """The rows of the tour blocks in the model's order (HiGHS's search follows it), and the
    columns they use, sorted."""
    return rows_text(
        ctx.lm,
        lambda block: block.name in BLOCKS,
        "the tour rows of a timed model (tests/test_tours_model.py)",
    )


@pytest.mark.parametrize("explain", [False, True], ids=["solve", "explain"])
def test_tour_rows_golden(tmp_path: Path, explain: bool) -> None:
    """Built to explain (gaps, infeasibility), every pledge has its rotation row in every
    period, its bounds reached or not: pledge(B,INF,P1..P2) and pledge(C,INF,P1) too."""
    data = api.read(world(tmp_path / "tours.xlsx", **SHEETS))
    text = lp_text(build_model(data, explain=explain))
    golden = GOLDEN.with_suffix(".explain.lp") if explain else GOLDEN
    assert_text_golden(golden, text, "the tour rows")
