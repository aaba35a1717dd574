"""Locked baseline rows a caveat's cap rules out are said before the solve
(solver/results/baseline_lock_caps.py): a re-plan trial lowered DEU's, ESP's and NOR's caps below
their locked rows, and `validate --baseline` said `valid` of a workbook every solve then found
infeasible.

simple_case: A and B pledge 2 INF each; S1 and S2 require 2 INF each. Baseline columns: A
contributor, B capability, C site, D units, E from, F to, G lock."""

from __future__ import annotations

import html
from pathlib import Path

from click.testing import CliRunner

from solver import api
from solver.cli import main

from .baseline_input_case import row
from .time_cases import months, timed_case
from .workbooks import simple_case

LOCKED = [row(s="S1", lock="yes"), row(s="S2", lock="yes"), row(c="B", s="S1", lock="yes")]


def _said(path: Path) -> list[str]:
    return [str(w) for w in api.read(path).warnings if w.message.startswith("caveat ")]


def test_a_cap_below_the_locked_units_is_said_and_the_solve_is_infeasible(
    tmp_path: Path,
) -> None:
    """A's locked units: 1 at S1, 1 at S2. `max_units` 1 (2 locked above it) and `max_sites` 1
    (2 sites locked) rule them out; `max_personnel` 200 (2 x 100 locked) does not. The
    validate verdict says the solve is infeasible, and it is."""
    caveats = [
        {"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1},
        {"id": "K2", "contributor": "A", "caveat": "max_sites", "value": 1},
        {"id": "K3", "contributor": "A", "caveat": "max_personnel", "value": 200},
    ]
    path = simple_case(tmp_path / "w.xlsx", caveats=caveats, baseline=LOCKED[:2])
    assert _said(path) == [
        "warning: Baseline!A2: caveat K1 (A max_units 1) caps what the locked rows hold (2 "
        "units) (Baseline!A2 and A3): the 2 rows are locked, so they cannot hold and the solve "
        "is infeasible (its Infeasibility sheet names the conflict): unlock or remove them",
        "warning: Baseline!A2: caveat K2 (A max_sites 1) caps what the locked rows hold (2 "
        "sites) (Baseline!A2 and A3): the 2 rows are locked, so they cannot hold and the solve "
        "is infeasible (its Infeasibility sheet names the conflict): unlock or remove them",
    ]
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert "against this baseline the solve of the base case is infeasible" in result.output
    solved = api.solve(path)
    assert solved.status == "infeasible"
    # the locks named among what cannot hold (it said `hard requirements and caveats`)
    said = "hard requirements, caveats and the baseline's locked rows cannot all hold"
    assert solved.summary["message"] == f"{said}: no allocation exists"
    out = api.write(solved, tmp_path / "out.xlsx", [path])
    page = tmp_path / "out.html"
    assert CliRunner().invoke(main, ["report", str(out), "-o", str(page)]).exit_code == 0
    assert f"Infeasible: {said}." in html.unescape(page.read_text(encoding="utf-8"))
    unlocked = simple_case(tmp_path / "u.xlsx", caveats=caveats, baseline=[row(), row(s="S2")])
    assert _said(unlocked) == []  # unlocked rows may change: the plan keeps what it can


def test_a_not_with_between_two_locked_nations_at_one_site_is_said(tmp_path: Path) -> None:
    """A must not be where B is; both are locked at S1 (A also at S2, which B is not)."""
    caveats = [{"id": "N1", "contributor": "A", "caveat": "not_with", "other": "B"}]
    path = simple_case(tmp_path / "w.xlsx", caveats=caveats, baseline=LOCKED)
    said = [str(w) for w in api.read(path).warnings if "N1" in w.message]
    assert said == [
        "warning: Baseline!A2: caveat N1 (A not_with B) rules out what the locked rows hold: B "
        "at S1 too (Baseline!A2 and A4): the 2 rows are locked, so they cannot hold and the "
        "solve is infeasible (its Infeasibility sheet names the conflict): unlock or remove them"
    ]
    assert api.solve(path).status == "infeasible"


def test_a_cap_in_a_window_names_the_periods_it_rules_out(tmp_path: Path) -> None:
    """Four months; A's 2 units locked at S1 (which requires 2) in P1..P4; A's `max_units` 1
    only in P3..P4: said for P3..P4 alone."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1, "from": "P3"}],
        baseline=[row(units=2, lock="yes") | {"from": "P1", "to": "P4"}],
    )
    assert _said(path) == [
        "warning: Baseline!A2: caveat K1 (A max_units 1, P3..P4) caps what the locked rows hold "
        "(2 units) in P3..P4 (Baseline!A2): the row is locked, so it cannot hold and the solve "
        "is infeasible (its Infeasibility sheet names the conflict): unlock or remove it"
    ]


def test_locks_raised_to_their_contingent_are_read_under_a_cap(tmp_path: Path) -> None:
    """A's 1 unit locked at S1 and at S2, `min_contingent` 2 and `max_units` 3 (a review): each
    site then holds at least 2 of A's, 4 against the cap of 3, so no plan keeps the locks; the
    warning says the contingent raised them. With a cap of 4, nothing is said (a contingent
    alone rules out nothing: the plan adds a unit to each lock), and the solve keeps both locks
    (2 at each site)."""
    caveats = [
        {"id": "K1", "contributor": "A", "caveat": "max_units", "value": 3},
        {"id": "K2", "contributor": "A", "caveat": "min_contingent", "value": 2},
    ]
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 4, "cost_per_unit": 1},
        {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
    ]
    path = simple_case(tmp_path / "w.xlsx", caveats=caveats, pledges=pledges, baseline=LOCKED[:2])
    assert _said(path) == [
        "warning: Baseline!A2: caveat K1 (A max_units 3) caps what the locked rows hold with the "
        "contingents of caveat K2 (A min_contingent 2) (4 units) (Baseline!A2 and A3): the 2 "
        "rows are locked, so they cannot hold and the solve is infeasible (its Infeasibility "
        "sheet names the conflict): unlock or remove them"
    ]
    assert api.solve(path).status == "infeasible"
    room = [{**caveats[0], "value": 4}, caveats[1]]
    path = simple_case(tmp_path / "r.xlsx", caveats=room, pledges=pledges, baseline=LOCKED[:2])
    assert _said(path) == [] and api.solve(path).status == "optimal"
