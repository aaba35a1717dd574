"""The baseline's rows and the `changes` stage pinned as LP-like text (like the caveat kinds'
golden files, tests/caveats/golden.py), and the model without a baseline left as it was.

World (tests/caveats/helpers.py): S1 needs 2 INF, S2 needs 1 INF; A pledges 2 INF, B 1 INF;
caveat C1: B excludes S2, so the option (B,INF,S2) has no column. Baseline: A INF S1 2 locked,
A INF S2 1, B INF S2 1. By the module docstring of solver/model/baseline.py the model gains

    kept columns w(A,INF,S1) in [0, 2] and w(A,INF,S2) in [0, 1] (B,INF,S2 has no x column);
    rows  w(A,INF,S1) - x(A,INF,S1) <= 0,  w(A,INF,S2) - x(A,INF,S2) <= 0;
    locked row  x(A,INF,S1) >= 2;
    stage changes = x(A,INF,S1) + x(A,INF,S2) + x(B,INF,S1)
                    - 2 w(A,INF,S1) - 2 w(A,INF,S2) + 4   (4 = 2 + 1 + 1 baseline units)

The timed file pins the same on three periods of 1, 2 and 1 months with the baseline rows as
tours P1..P2: every coefficient is months(t) (1 in P1, 2 in P2, 1 in P3 where b = 0), the
constant 3 x 4 = 12; A's locked tour stands with its dates: A's 2 units at S1 arrive in P1
(locked.arrive: a >= 2) and leave at the start of P3 (locked.leave: x[P2] - x[P3] + a[P3] >= 2).
"""

from __future__ import annotations

from pathlib import Path

from solver import api
from solver.data import Data
from solver.model.build import build_model
from solver.model.context import BuildContext

from .caveats.golden import assert_text_golden, rows_text
from .caveats.helpers import need, pledge, world

GOLDEN = Path(__file__).resolve().parent / "golden"

SHEETS = {
    "requirements": [need("S1", "INF", 2), need("S2", "INF", 1)],
    "pledges": [pledge("A", "INF", 2, 1.0), pledge("B", "INF", 1, 1.0)],
    "caveats": [{"id": "C1", "contributor": "B", "caveat": "exclude", "site": "S2"}],
    "baseline": [
        {"contributor": "A", "capability": "INF", "site": "S1", "units": 2, "lock": "yes"},
        {"contributor": "A", "capability": "INF", "site": "S2", "units": 1},
        {"contributor": "B", "capability": "INF", "site": "S2", "units": 1},
    ],
}


def lp_text(ctx: BuildContext) -> str:
    """The baseline's rows, the columns they use and the `changes` stage, sorted."""
    return rows_text(
        ctx.lm,
        lambda block: block.kind in ("baseline", "locked"),
        "the baseline's rows (tests/test_baseline_model.py)",
        stages=["changes"],
        sort=True,
    )


def assert_golden(tmp_path: Path, name: str, **sheets) -> None:
    data = api.read(world(tmp_path / f"{name}.xlsx", **sheets))
    text = lp_text(build_model(data))
    assert_text_golden(GOLDEN / f"{name}.lp", text, "the baseline's rows")


def test_baseline_rows_golden(tmp_path: Path) -> None:
    assert_golden(tmp_path, "baseline", **SHEETS)


def test_baseline_rows_golden_timed(tmp_path: Path) -> None:
    tours = [{**row, "from": "P1", "to": "P2"} for row in SHEETS["baseline"]]
    periods = [
        {"period": "P1", "months": 1},
        {"period": "P2", "months": 2},
        {"period": "P3", "months": 1},
    ]
    assert_golden(tmp_path, "baseline.timed", **{**SHEETS, "baseline": tours, "periods": periods})


def test_without_baseline_no_stage_no_column(tmp_path: Path) -> None:
    """The same world without Baseline rows: stages shortfall.p1, cost, presence only, and no
    column or row of the baseline's blocks."""
    data = api.read(world(tmp_path / "plain.xlsx", **{**SHEETS, "baseline": []}))
    assert data.baseline is None
    lm = build_model(data).lm
    assert [s.name for s in lm.stages] == ["shortfall.p1", "cost", "presence"]
    assert not [b for b in lm.var_blocks if b.name.startswith("baseline")]
    assert not [b for b in lm.row_blocks if b.kind in ("baseline", "locked")]


def test_baseline_rows_golden_timed_under_a_tour_limit(tmp_path: Path) -> None:
    """The timed world with A's tours of at most 3 months: A's locked tour P1..P2 (3 months)
    is held apart (model/locked_apart.py), which adds no baseline row (before, two rows read
    it first in, first out and put a dearer plan out of reach: a re-plan trial)."""
    tours = [{**row, "from": "P1", "to": "P2"} for row in SHEETS["baseline"]]
    periods = [
        {"period": "P1", "months": 1},
        {"period": "P2", "months": 2},
        {"period": "P3", "months": 1},
    ]
    limited = [pledge("A", "INF", 2, 1.0, tour_months=3), pledge("B", "INF", 1, 1.0)]
    sheets = {**SHEETS, "baseline": tours, "periods": periods, "pledges": limited}
    assert_golden(tmp_path, "baseline.timed.limit", **sheets)


def test_a_locked_tour_held_apart_golden(tmp_path: Path) -> None:
    """Periods P1..P4 of one month; A's tours of at most 3 months; A's 1 unit at S1 in P2..P2
    locked, held apart (model/locked_apart.py): its column h = locked.apart(A,INF,S1,P2,P2)
    fixed at 1, L = h in P2, AL = h in P2. A's other units alone in the rows of (A,INF,S1):
    arrive.stay in P2, a[P2] - x[P2] - AL + L <= 0 (no h: it arrives in P2); the tour row of
    P4, whose window P2..P4 holds the locked arrival though the tour ended, x[P4] - a[P2] -
    a[P3] - a[P4] + h <= 0 (its units present in P4 arrived among the others'); the rows of
    P1..P3 reach the option's first period (implied by flow: none)."""
    months4 = [{"period": f"P{m}", "months": 1} for m in range(1, 5)]
    limited = [pledge("A", "INF", 2, 1.0, tour_months=3), pledge("B", "INF", 1, 1.0)]
    locked = {"contributor": "A", "capability": "INF", "site": "S1", "units": 1, "lock": "yes"}
    sheets = {
        **SHEETS,
        "periods": months4,
        "pledges": limited,
        "baseline": [locked | {"from": "P2", "to": "P2"}],
    }
    data = api.read(world(tmp_path / "apart.xlsx", **sheets))
    text = rows_text(
        build_model(data).lm,
        lambda block: block.name in ("tour", "arrive.stay") or block.kind == "locked",
        "a locked tour held apart (tests/test_baseline_model.py)",
        sort=True,
    )
    assert_text_golden(GOLDEN / "baseline.timed.apart.lp", text, "a locked tour's rows")


def _locked_in_four_months(path: Path, first: str, last: str) -> Data:
    """Periods P1..P4 of one month; A pledges 2 INF, tours of at most 3 months, B 1; A's 1 INF
    at S1 locked from `first` to `last`."""
    months4 = [{"period": f"P{m}", "months": 1} for m in range(1, 5)]
    limited = [pledge("A", "INF", 2, 1.0, tour_months=3), pledge("B", "INF", 1, 1.0)]
    locked = {"contributor": "A", "capability": "INF", "site": "S1", "units": 1, "lock": "yes"}
    sheets = {
        **SHEETS,
        "periods": months4,
        "pledges": limited,
        "baseline": [locked | {"from": first, "to": last}],
    }
    return api.read(world(path, **sheets))


def test_a_locked_tour_held_apart_in_the_explain_model_golden(tmp_path: Path) -> None:
    """The world above with A's locked tour P2..P3, in the model built to explain
    infeasibility: h = locked.apart(A,INF,S1,P2,P3) may fall to 0, and the row
    locked.apart h >= 1 is part of the lock (switched off with it). The other units' rows:
    arrive.stay in P3, a[P3] - x[P3] + h <= 0 (h stays from P2); flow in P4, x[P4] - x[P3] -
    a[P4] + h <= 0 (the tour ended with P3); apart.present x - h >= 0 in P2 and P3,
    apart.arrive a[P2] - h >= 0 (the units held apart are there); the tour row of P4 (window
    P2..P4), x[P4] - a[P2] - a[P3] - a[P4] + h <= 0."""
    data = _locked_in_four_months(tmp_path / "apart.xlsx", "P2", "P3")
    text = rows_text(
        build_model(data, explain=True).lm,
        lambda block: (
            block.name in ("tour", "arrive.stay", "flow", "apart.present", "apart.arrive")
            or block.kind == "locked"
        ),
        "a locked tour held apart, explain model (tests/test_baseline_model.py)",
        sort=True,
    )
    assert_text_golden(GOLDEN / "baseline.timed.apart.explain.lp", text, "a locked tour's rows")


def test_a_locked_tour_longer_than_its_limit_golden(tmp_path: Path) -> None:
    """Periods P1..P4 of one month; A's tours of at most 3 months; A's 1 unit at S1 in P1..P4
    locked: 4 months, longer than 3. Held apart as the others (model/locked_apart.py), h =
    locked.apart(A,INF,S1,P1,P4), in the model built to explain infeasibility 0 <= h <= 1 with
    the lock's row locked.apart h >= 1, and the tour limit's row tour.apart(A,INF,S1,P1,P4)
    h <= 0 (kind `tour`: part of rule tour:A/INF): the lock and the limit cannot both hold.
    With the rows of the lock, x >= 1 in P1..P4, and of the tour limit for the other units,
    the tour row of P4 (window P2..P4) x[P4] - a[P2] - a[P3] - a[P4] - h <= 0 (the locked unit
    present in P4 arrived before the window)."""
    data = _locked_in_four_months(tmp_path / "long.xlsx", "P1", "P4")
    text = rows_text(
        build_model(data, explain=True).lm,
        lambda block: block.kind in ("tour", "locked"),
        "a locked tour longer than its limit, explain model (tests/test_baseline_model.py)",
        sort=True,
    )
    assert_text_golden(GOLDEN / "baseline.timed.long.explain.lp", text, "a locked tour's rows")
