"""The generator's witness is a plan `verify` accepts: every caveat drawn (each kind's generator
hook) and every hard rule kept, checked by verify's own reading of the contract, not by the
generator's reasoning. A kind's draw that breaks the witness was seen only as an `infeasible`
solve of some seed (a successor's trial: its `max_share` draw); here it names the caveat.

Snapshot: the witness allocation w[c, k, s] against the generated workbook. Timed: the witness
tours (`Case.witness_tours`, first and last period of each) written as a Tours sheet and read
back by `verify_file`, as a planner's edited plan would be.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from solver.api import read
from solver.caveats import KINDS
from solver.generate import TimeOptions, generate_case, generate_workbook
from solver.verify import verify, verify_file

from .verify_outputs import write_plan

TINY = {"contributors": 5, "sites": 3, "capabilities": 2, "density": 0.5}
SMALL = {"contributors": 10, "sites": 8, "capabilities": 5, "density": 0.4}


@pytest.mark.parametrize(("seed", "size"), [*((s, TINY) for s in range(6)), (3, SMALL)])
def test_the_snapshot_witness_keeps_every_rule_verify_knows(
    seed: int, size: dict, tmp_path: Path
) -> None:
    path = tmp_path / "g.xlsx"
    generate_workbook(path, seed=seed, **size)
    case = generate_case(seed=seed, **size)
    data = read(path)
    assert set(data.caveats["caveat"]) == set(KINDS)  # every kind's draw is on trial
    alloc = pd.DataFrame(
        [(c, k, s, n) for (c, k, s), n in sorted(case.witness.items()) if n > 0],
        columns=["contributor", "capability", "site", "units"],
    )
    report = verify(data, alloc)
    assert [v.message for v in report.violations] == []


@pytest.mark.parametrize(
    ("seed", "time"),
    [
        (1, TimeOptions(6)),
        (4, TimeOptions(8, months=3, tour_months=9, dwell_months=6, pool_share=1.0)),
        (7, TimeOptions(12, tour_months=4, dwell_months=0, pool_share=0.6)),
    ],
)
def test_the_timed_witness_tours_keep_every_rule_verify_knows(
    seed: int, time: TimeOptions, tmp_path: Path
) -> None:
    path = tmp_path / "g.xlsx"
    generate_workbook(path, seed=seed, **TINY, time=time)
    case = generate_case(seed=seed, **TINY, time=time)
    data = read(path)
    assert set(data.caveats["caveat"]) == set(KINDS)
    names = [str(n) for n in data.period_names]
    tours = [
        (c, k, s, names[first], names[last], n)
        for c, k, s, first, last, n in sorted(case.witness_tours)
        if n > 0
    ]
    assert tours
    report = verify_file(path, write_plan(tmp_path / "witness.xlsx", tours))
    assert [v.message for v in report.violations] == []
