"""The core rules' rows of a snapshot model (solver/model/build.py: pledge, requirement, the
presence links, single_source, max_contributors) pinned as LP-like text on a tiny world, like
the caveat kinds' golden files (tests/caveats/golden.py), built to solve and built to explain
(every rule switchable). Rewrite after a change made on purpose: FORCEGEN_UPDATE_GOLDEN=1.

World (tests/caveats/helpers.py, contributors A..D): S1 (max_contributors 1) needs 2 INF, hard;
S2 needs 1 INF from a single source; S1 needs 1 AD. A pledges 2 INF and 1 AD, B 1 INF, C 1 INF.
By the contract (workbook.md, The model), among the rows:

    requirement(S1,INF): 2 <= x(A,INF,S1) + x(B,INF,S1) + x(C,INF,S1) <= 2   (hard: met in full)
    requirement(S2,INF): x(A,INF,S2) + x(B,INF,S2) + x(C,INF,S2) <= 1       (soft: at most)
    pledge(A,INF): x(A,INF,S1) + x(A,INF,S2) <= 2, and B's and C's pledges of 1 unit bound
        their two options (1 + 1 > 1): B's and C's rows exist too
    single_source(S2,INF): used(A) + used(B) + used(C) <= 1, each x <= ub x used
    max_contributors(S1): present(A,S1) + present(B,S1) + present(C,S1) <= 1
and the objective stages (workbook.md, The objective), each as the model minimises it:
    shortfall.p1 = sum over lines of (required - allocated) x weight = 4 - sum of every x
        (each line's units at most required, so its shortfall is what is left of it; weight 1;
        in time each period counts its months: 12 - x(.,P1) - 2 x(.,P2))
    cost = sum of cost_per_unit x units: A 1, B 2, C 3 (in time per arrival: arrive.free)
    presence = sum of present(c, s)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.model.build import build_model
from solver.model.context import BuildContext

from .caveats.golden import assert_text_golden, rows_text
from .caveats.helpers import SITES, need, pledge, world

GOLDEN = Path(__file__).resolve().parent / "golden"
SHEETS = {
    "sites": [{**s, "max_contributors": 1} if s["site"] == "S1" else s for s in SITES],
    "requirements": [
        need("S1", "INF", 2, hard="yes"),
        need("S2", "INF", 1, single_source="yes"),
        need("S1", "AD", 1),
    ],
    "pledges": [
        pledge("A", "INF", 2, 1.0),
        pledge("A", "AD", 1, 1.0),
        pledge("B", "INF", 1, 2.0),
        pledge("C", "INF", 1, 3.0),
    ],
}
PERIODS = [{"period": p, "months": m} for p, m in (("P1", 1), ("P2", 2))]


def lp_text(ctx: BuildContext, title: str) -> str:
    """Every row block that is no caveat's, in the model's order, the columns they use, and the
    objective stages as the model minimises them (`minimise shortfall.p1: ...`, the cost
    stage's scale before its terms)."""
    return rows_text(
        ctx.lm,
        lambda block: not block.origin.startswith("caveat "),
        f"the core rules' rows of {title} (tests/test_core_rows.py)",
        stages=[stage.name for stage in ctx.lm.stages],
    )


@pytest.mark.parametrize("timed", [False, True], ids=["snapshot", "timed"])
@pytest.mark.parametrize("explain", [False, True], ids=["solve", "explain"])
def test_core_rows_golden(tmp_path: Path, timed: bool, explain: bool) -> None:
    """The rows as the contract writes them (module docstring); in time (P1 of 1 month, P2 of
    2, no tour limit) each per period; built to explain, the requirement rows of a hard line
    and every pledge's row are there whether or not they can bind."""
    sheets = {**SHEETS, **({"periods": PERIODS} if timed else {})}
    data = api.read(world(tmp_path / "core.xlsx", **sheets))
    name = "core" + (".timed" if timed else "") + (".explain" if explain else "")
    text = lp_text(build_model(data, explain=explain), name)
    assert_text_golden(GOLDEN / f"{name}.lp", text, "the core rules' rows")
