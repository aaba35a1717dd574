"""`time.md`: "a timed workbook with one period of one month and no time columns gives the same
allocation and stage values as the same workbook without the sheet" — on the bundled example.

One period of one month: x[c,k,s,P1] = x[c,k,s] of the snapshot, arrivals a = x (nothing is
present before P1), so every row, every stage coefficient and every stage value is the
snapshot's; the plan is one tour P1..P1 per allocation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_example_with_one_month_solves_as_the_snapshot(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot.xlsx"
    shutil.copy(ROOT / "inputs" / "coalition.xlsx", snapshot)
    timed = tmp_path / "one_month.xlsx"
    wb = load_workbook(snapshot)
    ws = wb["Periods"] if "Periods" in wb.sheetnames else wb.create_sheet("Periods")
    ws.delete_rows(1, ws.max_row)
    ws.append(["period", "months"])
    ws.append(["M1", 1])
    wb.save(timed)

    plain = api.solve(snapshot)
    one = api.solve(timed)
    assert one.data.timed and not plain.data.timed
    assert plain.status == one.status == "optimal"
    stages = {s.name: s.value for s in plain.outcome.stages}
    assert {s.name: s.value for s in one.outcome.stages} == pytest.approx(stages, rel=1e-9)
    snapshot_plan = {
        (c, k, s, int(n))
        for c, k, s, n in plain.tables.allocation[
            ["contributor", "capability", "site", "units"]
        ].itertuples(index=False)
    }
    assert one.plan is not None
    tours = one.plan.tours
    assert set(tours["first_t"]) <= {0} and set(tours["last_t"]) <= {0}
    assert {
        (c, k, s, int(n))
        for c, k, s, n in tours[["contributor", "capability", "site", "units"]].itertuples(
            index=False
        )
    } == snapshot_plan
