"""`validate` warns of a hard line or a commitment (`min_units`) that every period could meet
alone but no rotation of its pledges can keep (solver/io/rotation_reach.py): a session's note,
`validate` did not see a `min_units` no rotation of the pledge could keep, and the solve was
infeasible. Each expectation is worked by hand; the solves tie the warning to the model, an
independent reading of rotation and dwell (model/tours.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solver import api
from solver.io.read import read_data
from solver.io.rotation_reach import Pool, most_months, rotation_short

from .time_cases import months, timed_case

ROTATING = {
    "contributor": "A",
    "capability": "INF",
    "units": 3,
    "tour_months": 6,
    "dwell_months": 12,
}


def rotation_warnings(path: Path) -> list[str]:
    return [str(w) for w in read_data(path).warnings if "no rotation" in str(w)]


def commitment_case(tmp_path: Path, value: int, periods: int = 24) -> Path:
    """A pledges 3 INF on tours of at most 6 months with 12 of dwell; S1/INF needs 3 in each of
    `periods` months (so each period alone could take all three); K1: A min_units INF `value`."""
    return timed_case(
        tmp_path / f"k{value}_{periods}.xlsx",
        periods=months(periods),
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "priority": 1}],
        pledges=[dict(ROTATING)],
        caveats=[
            {
                "id": "K1",
                "contributor": "A",
                "caveat": "min_units",
                "capability": "INF",
                "value": value,
            }
        ],
    )


def test_most_months_of_one_unit_in_a_run() -> None:
    """T = 6, D = 12: present 6 of any 18 months; 19 months: 6 + 1 (the next tour's first);
    24: 6 + 6; 5 months: all 5. No tour limit: every month."""
    lengths = np.array([5.0, 18.0, 19.0, 24.0, 36.0])
    assert most_months(lengths, np.full(5, 6.0), np.full(5, 12.0)).tolist() == [5, 6, 7, 12, 12]
    assert most_months(lengths, np.full(5, np.nan), np.full(5, 12.0)).tolist() == lengths.tolist()


def test_the_run_furthest_short_is_found() -> None:
    """Asked for 2 in each of 24 months: a run of L months needs 2L; the three units give
    min(3L, 3 m(L)). 7..18 months: 18, short by 2L - 18, most at L = 18 (short by 18); 19..24:
    3(L - 12), short by 36 - L, at most 17. So P1..P18 (the earliest of the 18-month runs),
    36 against 18; at most 1 unit in each period (18 months: 18 / 18)."""
    pool = Pool(np.full((1, 24), 3.0), np.array([3.0]), np.array([6.0]), np.array([12.0]), ["A"])
    short = rotation_short(pool, np.full(24, 2.0), np.arange(24.0), np.ones(24))
    assert short is not None
    assert (short.first, short.last, short.need, short.supply, short.most_units) == (
        0,
        17,
        36,
        18,
        1,
    )
    assert rotation_short(pool, np.full(24, 1.0), np.arange(24.0), np.ones(24)) is None
    assert short.kept() == "at most 1 unit in each period"
    # one unit, tours of 2 months, 2 of dwell, asked for 1 in each of 4 months: 2 unit-months
    # of 4, so not 1 unit in every period (it read `at most 0 units in each period`: a trial)
    one = Pool(np.full((1, 4), 1.0), np.array([1.0]), np.array([2.0]), np.array([2.0]), ["B"])
    none = rotation_short(one, np.full(4, 1.0), np.arange(4.0), np.ones(4))
    assert none is not None and none.most_units == 0
    assert none.kept() == "not even 1 unit in every period"


def test_a_commitment_no_rotation_can_keep_is_warned_at_its_value(tmp_path: Path) -> None:
    """K1 asks for 2 in each of 24 months: warned, with the run of the docstring above; the
    solve is infeasible. Asked for 1 the three units take turns (6 months each, then 12 at
    home): no warning, and the solve meets it."""
    path = commitment_case(tmp_path, 2)
    (said,) = rotation_warnings(path)
    assert said.startswith("warning: Caveats!")
    assert said.endswith(
        "caveat K1 (A min_units capability=INF 2) asks for 2 units in each period of P1..P24, "
        "but no rotation of A's units can keep them: A 3 units (tours of at most 6 months, then "
        "12 months of dwell) can be present for at most 18 unit-months in P1..P18 against the "
        "36 asked then (at most 1 unit in each period); the plan is infeasible; lower its "
        "value, or shorten its window"
    )
    assert api.solve(path, time_limit=60).status == "infeasible"
    met = commitment_case(tmp_path, 1)
    assert rotation_warnings(met) == []
    assert api.solve(met, time_limit=60).status == "optimal"


def test_a_commitment_within_one_tour_is_not_warned(tmp_path: Path) -> None:
    """Over 6 months every unit can stay the whole window: 3 asked of 3 is kept."""
    path = commitment_case(tmp_path, 3, periods=6)
    assert rotation_warnings(path) == []


@pytest.mark.parametrize("units, warned", [(2, True), (1, False)])
def test_a_hard_line_no_rotation_can_keep_is_warned_at_its_hard_cell(
    tmp_path: Path, units: int, warned: bool
) -> None:
    """S1/INF hard, `units` in each of 24 months; only A's 3 rotating units can serve it. 2: the
    run of the docstring above (36 required in P1..P18, 18 at most), and the solve is
    infeasible; 1: kept, no warning."""
    path = timed_case(
        tmp_path / f"hard{units}.xlsx",
        periods=months(24),
        requirements=[{"site": "S1", "capability": "INF", "units": units, "hard": "yes"}],
        pledges=[dict(ROTATING)],
    )
    said = rotation_warnings(path)
    if not warned:
        assert said == []
        assert api.solve(path, time_limit=60).status == "optimal"
        return
    assert said == [
        "warning: Requirements!F2: S1/INF is hard but no rotation of the pledges that could "
        "serve it can keep it: A 3 units (tours of at most 6 months, then 12 months of dwell) "
        "can be present for at most 18 unit-months in P1..P18 against 36 required then; no "
        "plan exists: lower its units, soften it (hard = no), or find another pledge"
    ]
    assert api.solve(path, time_limit=60).status == "infeasible"
