"""`forcegen verify` against `forcegen solve` in time: two independent readings of `time.md`.

A solved timed plan, written as it is, holds under verify with every stored stage recomputed;
a hand edit of its Tours is caught; and on random small timed workbooks the model's optimal
tours break no rule of verify's (a property test).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from solver import api
from solver.verify import verify_file

from .conftest import EXAMPLE
from .verify_time_world import caveat, run
from .workbooks import simple_case, write_workbook


# ---- end to end: solve, then verify -------------------------------------------------------------
def rotating(tmp_path: Path) -> Path:
    """S1, S2 need 2 INF each in P1..P4 (P2 lasts 2 months: m = 0, 1, 3, 4). A (cost 1) pledges
    2 from P2 with 2-month tours and a month of dwell, at most 1 unit present from P3 (K1);
    B (cost 2) pledges 3 with 3-month tours."""
    return simple_case(
        tmp_path / "rotating.xlsx",
        periods=[{"period": "P1"}, {"period": "P2", "months": 2}, {"period": "P3"}, {"period": "P4"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "from": "P2",
             "tour_months": 2, "dwell_months": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 3, "tour_months": 3,
             "cost_per_unit": 2},
        ],
        caveats=caveat("max_units", value=1, **{"from": "P3"}),
    )  # fmt: skip


def solved(tmp_path: Path, src: Path) -> Path:
    """Solve in time and write the output (Summary, Tours, Allocation per period, ...)."""
    result = api.solve(src)
    assert result.status == "optimal" and result.plan is not None
    return api.write(result, tmp_path / "solved.xlsx", [src])


def holds_as_solved(src: Path, out: Path) -> None:
    """verify finds no violation, recomputes every stored stage, and the Allocation sheet
    agrees with the Tours."""
    report = verify_file(src, out)
    assert [v.message for v in report.violations] == []
    assert [s.stored for s in report.stages] != [None] * len(report.stages)
    assert [s.stage for s in report.stages if not s.same] == []
    assert [str(w) for w in report.warnings if w.where.startswith(("Allocation", "Tours"))] == []


def test_solve_then_verify_holds(tmp_path: Path) -> None:
    """The timed solve's output holds every rule, and verify's stages (its own reading of
    time.md) equal the stored ones. By hand, the first stage: in P1 only B (3 units) is ready
    for 4 required, so at least 1 unit-month is short, and from P2 A's 2 can fill the rest: 1."""
    src = rotating(tmp_path)
    out = solved(tmp_path, src)
    holds_as_solved(src, out)
    assert verify_file(src, out).stage_values()["objective.shortfall.p1"] == 1
    res = run(src, out)
    assert res.exit_code == 0, res.output
    assert "result: the plan holds" in res.output


def test_the_rotation_reference_case_verifies_clean(tmp_path: Path) -> None:
    """The timed reference case (rule-of-thirds pool, rotating air defence, readiness, two
    mandates): its solved output holds every rule of verify's, stages recomputed as stored."""
    src = tmp_path / "rotation.xlsx"
    src.write_bytes((EXAMPLE.parent / "reference" / "rotation.xlsx").read_bytes())
    holds_as_solved(src, solved(tmp_path, src))


def test_a_hand_edit_lengthening_a_tour_is_caught(tmp_path: Path) -> None:
    """B's 3 units must all serve in P1 (the shortfall stage), so the Tours sheet has a row of
    B from P1. A planner sets its `to` to P4: the tour lasts m(P4) + 1 - m(P1) = 4 + 1 - 0 = 5
    months > tour_months 3."""
    src = rotating(tmp_path)
    out = solved(tmp_path, src)
    wb = load_workbook(out)
    ws = wb["Tours"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in ("contributor", "site", "from", "to")}
    row = next(
        r
        for r in ws.iter_rows(min_row=2)
        if (r[col["contributor"]].value, r[col["from"]].value) == ("B", "P1")
    )
    row[col["to"]].value = "P4"
    site = row[col["site"]].value
    wb.save(out)
    res = run(src, out)
    assert res.exit_code == 3, res.output
    assert f"  tour B/INF/{site} P1..P4: 5 months > tour_months 3" in res.output
    # the Allocation sheet still shows the solved plan: its differences are warned, not picked
    assert "warning: Allocation: " in res.output


def random_timed_case(rng: random.Random, path: Path) -> Path:
    """A small random timed workbook that always has a plan: 2-5 periods of 1 or 2 months, 2-3
    contributors, 1-2 capabilities, 2-3 sites (the first sometimes limited to one contributor),
    lines, pledges and caveats with random windows; pledges with random tour and dwell lengths;
    caveats of the kinds that cannot make it infeasible (no hard lines, no_weakening, min_units)."""
    n = rng.randint(2, 5)
    names = [f"P{i + 1}" for i in range(n)]
    contributors = ["A", "B", "C"][: rng.randint(2, 3)]
    capabilities = ["INF", "AD"][: rng.randint(1, 2)]
    sites = [
        {"site": s, "country": rng.choice(["A", "X"]), "zone": rng.choice(["front", "rear"]),
         "lat": rng.uniform(0, 5), "lon": rng.uniform(0, 5)}
        for s in ["S1", "S2", "S3"][: rng.randint(2, 3)]
    ]  # fmt: skip
    if rng.random() < 0.3:
        sites[0]["max_contributors"] = 1

    def window() -> dict[str, str]:
        a = rng.randrange(n)
        return {"from": names[a], "to": names[rng.randrange(a, n)]} if rng.random() < 0.5 else {}

    requirements = [
        {"site": s["site"], "capability": k, "units": rng.randint(1, 3),
         "priority": rng.choice([1, 2]), "single_source": rng.choice(["yes", "no", "no"]),
         **window()}
        for s in sites for k in capabilities if rng.random() < 0.8
    ]  # fmt: skip
    pledges = []
    for c in contributors:
        for k in capabilities:
            if rng.random() < 0.8:
                pledge = {"contributor": c, "capability": k, "units": rng.randint(1, 3),
                          "cost_per_unit": rng.choice([None, 1, 2, 5]), **window()}  # fmt: skip
                if rng.random() < 0.6:
                    pledge["tour_months"] = rng.randint(2, 4)
                if rng.random() < 0.5:
                    pledge["dwell_months"] = rng.randint(0, 3)
                pledges.append(pledge)
    kinds = ["exclude", "only", "requires", "max_units", "max_personnel", "min_contingent",
             "max_sites", "not_with"]  # fmt: skip
    caveats = []
    for i in range(rng.randint(0, 3)):
        kind, c = rng.choice(kinds), rng.choice(contributors)
        row: dict[str, Any] = {"id": f"K{i}", "contributor": c, "caveat": kind, **window()}
        if kind in ("requires", "not_with"):
            row["other"] = rng.choice([o for o in contributors if o != c])
        if kind in ("max_units", "max_sites", "min_contingent"):
            row["value"] = rng.randint(1, 2)
        if kind == "max_personnel":
            row["value"] = rng.choice([100, 200])
        if kind in ("exclude", "only") or rng.random() < 0.3:
            row["site"] = rng.choice(sites)["site"]
        caveats.append(row)
    return write_workbook(
        path,
        periods=[{"period": p, "months": rng.choice([1, 1, 2])} for p in names],
        contributors=[
            {"contributor": c, "lat": rng.uniform(0, 5), "lon": rng.uniform(0, 5)}
            for c in contributors
        ],
        capabilities=[{"capability": k, "personnel_per_unit": 100} for k in capabilities],
        sites=sites,
        requirements=requirements,
        pledges=pledges,
        caveats=caveats,
    )


@pytest.mark.parametrize("seed", range(20))
def test_verify_agrees_with_solve_on_random_timed_workbooks(tmp_path: Path, seed: int) -> None:
    """Two independent readings of time.md: the written optimal tours break no rule of
    verify's, verify recomputes the stored stage values, and Allocation agrees with Tours."""
    src = random_timed_case(random.Random(seed), tmp_path / "case.xlsx")
    holds_as_solved(src, solved(tmp_path, src))
