"""A locked tour longer than its pledge's `tour_months` (replanning.md: a locked tour is part of
the plan as it stands; time.md rule 2: no tour lasts longer than tour_months): infeasible.

The case (a contract audit's): periods P1..P4 of one month; S1 needs 2 INF in each (priority
1, not hard); A pledges 2 INF at 1 a tour, tours of at most 2 months, no dwell; the Baseline
sheet locks A's 1 INF at S1 in P1..P4. Worked by hand:

- without the lock, A's 2 units serve P1..P2 and P3..P4 (4 arrivals, cost 4, shortfall 0);
- without the tour limit, the locked unit serves P1..P4 as one tour, and so may the other;
- with both, the locked tour is one tour of the plan of 4 months, more than 2: no plan. The
  model holds it apart (h = 1, model/locked_apart.py) and the tour limit's row h <= 0 is part
  of rule `tour:A/INF`; either rule alone is satisfiable, so the conflict is exactly
  {locked:A/INF/S1, tour:A/INF}, and the smallest change is 1 unit (the lock's unit no longer
  one tour, or the tour limit by that unit).

Before, the solve was optimal with tours P1..P2 x2 and P3..P4 x2, its Asks asked A to re-cut
the locked tour, and verify said the lock held; only a read warning said it would be re-cut.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from solver import api
from solver.verify import verify_file

from .replan_cli_case import cli, rows
from .test_verify_baseline import set_tours
from .time_cases import months, timed_case

LOCK = "locked: A 1 INF at S1 in P1..P4"
WHY = "a tour of 4 months, longer than the 2 months A's tours of INF may last"
TOUR = "A's tours of INF last at most 2 months (tour_months)"


def long_lock_case(path: Path, tour_months: int = 2, lock: str | None = "yes") -> Path:
    """The module's case (`tour_months`: A's tour limit; `lock`: the Baseline row's lock, None:
    no Baseline sheet)."""
    return timed_case(
        path,
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 2,
                "tour_months": tour_months,
                "dwell_months": 0,
            }
        ],
        baseline=[
            {
                "contributor": "A",
                "capability": "INF",
                "site": "S1",
                "units": 1,
                "from": "P1",
                "to": "P4",
                "lock": lock,
            }
        ]
        if lock is not None
        else [],
    )


def test_the_solve_is_infeasible_naming_the_lock_and_the_tour_limit(tmp_path: Path) -> None:
    """Exit 3; the console's and the Infeasibility sheet's conflict is the lock, with why and
    its Baseline cell, and A's tour limit; the smallest change is 1 unit of one of them."""
    path, out = long_lock_case(tmp_path / "r05.xlsx"), tmp_path / "out.xlsx"
    solved = cli("solve", path, "-o", out)
    assert solved.exit_code == 3, solved.output
    assert "status: infeasible" in solved.output
    assert f"  - {LOCK} — {WHY} (Baseline!A2)\n  - {TOUR}\n" in solved.output, solved.output
    sheet = rows(out, "Infeasibility")
    assert [(part, rule, text) for part, rule, text, *_ in sheet if part == "conflict"] == [
        ("conflict", "locked:A/INF/S1", f"{LOCK} — {WHY} (Baseline!A2)"),
        ("conflict", "tour:A/INF", TOUR),
    ]
    relaxed = [(text, by, unit) for part, _, text, by, unit, _ in sheet if part == "relax"]
    assert relaxed in ([(f"{LOCK}, as one tour", 1, "unit")], [(TOUR, 1, "unit")]), relaxed


def test_validate_says_the_solve_will_be_infeasible(tmp_path: Path) -> None:
    """The workbook is valid (exit 0), its row warned at, and the verdict says the solve
    against this baseline is infeasible (it said `valid` and the lock would be kept in
    shorter tours); unlocked, the row's warning says the re-plan relieves it, no verdict."""
    checked = cli("validate", long_lock_case(tmp_path / "r05.xlsx"))
    assert checked.exit_code == 0, checked.output
    assert (
        "Baseline!A2: locked tour A 1 INF at S1 in P1..P4 lasts 4 months, longer than A's tours "
        "of INF (tour_months 2), and a lock keeps its tour as it stands, so it cannot hold and "
        "the solve is infeasible" in checked.output
    )
    assert "but against this baseline the solve of the base case is infeasible" in checked.output
    free = cli("validate", long_lock_case(tmp_path / "free.xlsx", lock="no"))
    assert "the re-plan relieves its units" in free.output
    assert "is infeasible" not in free.output


def test_verify_says_a_plan_holding_it_in_rotations_breaks_the_lock(tmp_path: Path) -> None:
    """The plan the solve once gave (A P1..P2 x2, P3..P4 x2): every rule of the workbook
    kept, the locked unit present in every period, but no tour P1..P4: verify names the lock
    broken (it said `1 locked row of the baseline checked: all held`)."""
    free = long_lock_case(tmp_path / "free.xlsx", lock="no")
    out = api.write(api.solve(free), tmp_path / "out.xlsx", [free])
    set_tours(out, [("A", "INF", "S1", "P1", "P2", 2), ("A", "INF", "S1", "P3", "P4", 2)])
    locked = long_lock_case(tmp_path / "r05.xlsx")
    said = [v.message for v in verify_file(locked, out).violations]
    assert said == [
        "Baseline!A2: locked tour A INF at S1 P1..P4: 1 unit must serve it as one tour, the "
        "Tours have 0 (it lasts 4 months, and A's tours of INF last at most 2 months: no plan "
        "keeps this lock)"
    ]
    checked = cli("verify", locked, out)
    assert checked.exit_code == 3, checked.output
    assert "1 locked row of the baseline checked: 1 lock broken (above)" in checked.output


def test_a_baseline_file_s_locked_tour_under_a_shortened_tour_limit(tmp_path: Path) -> None:
    """The base solved with tours of at most 4 months: A's 2 units serve P1..P4 as one tour
    (cost 2), locked in its output's Tours. A's tours are then cut to 2 months: `validate
    --baseline` says the solve is infeasible, `solve --baseline` is (exit 3), naming the lock
    with the output's cell, and `verify --baseline` of the new plan (P1..P2, P3..P4) says the
    lock is broken."""
    base_in = long_lock_case(tmp_path / "base.xlsx", tour_months=4, lock=None)
    base = tmp_path / "base-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    book = openpyxl.load_workbook(base)
    tours = book["Tours"]
    assert [c.value for c in tours[2]][:5] == ["A", "INF", "S1", "P1", "P4"]
    tours.cell(1, tours.max_column + 1, "lock")
    tours.cell(2, tours.max_column, "yes")
    book.save(base)
    new_in = long_lock_case(tmp_path / "new.xlsx", lock=None)
    checked = cli("validate", new_in, "--baseline", base)
    assert "the solve of the base case is infeasible" in checked.output, checked.output
    solved = cli("solve", new_in, "-o", tmp_path / "new-out.xlsx", "--baseline", base)
    assert solved.exit_code == 3, solved.output
    assert (
        "  - locked: A 2 INF at S1 in P1..P4 — a tour of 4 months, longer than the 2 months A's "
        f"tours of INF may last (base-out.xlsx Tours!A2)\n  - {TOUR}\n" in solved.output
    )
    plan = api.write(api.solve(new_in), tmp_path / "plan.xlsx", [new_in])
    verified = cli("verify", new_in, plan, "--baseline", base)
    assert verified.exit_code == 3, verified.output
    assert "base-out.xlsx Tours!A2: locked tour A INF at S1 P1..P4: 2 units must serve it" in (
        verified.output
    )
