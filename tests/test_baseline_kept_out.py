"""A baseline row on an option a caveat removes (`exclude`, `only`) is said before any solve,
as the other options no plan can keep are (io/baseline_odd.py): a planner trial locked POL's
battalion at Kyiv against POL's `exclude` of Ukraine, `validate --baseline` said `valid`, and
the solve was infeasible.

World (tests/workbooks.simple_case): A and B pledge 2 INF each; S1 (country X, zone front) and
S2 (country Y, zone rear) require 2 each. Baseline columns: A contributor, B capability, C
site, D units, E from, F to, G lock.
"""

from __future__ import annotations

from pathlib import Path

from solver import api

from .baseline_input_case import row
from .time_cases import months, timed_case
from .workbooks import simple_case

CANNOT_HOLD = (
    "the row is locked, so it cannot hold and the solve is infeasible (its Infeasibility sheet "
    "names the conflict): unlock or remove it"
)


def _said(path: Path) -> list[str]:
    return [str(w) for w in api.read(path).warnings if w.where.startswith("Baseline")]


def test_a_locked_row_an_exclude_keeps_out_is_said_to_make_the_solve_infeasible(
    tmp_path: Path,
) -> None:
    """K1: A excludes zone front (S1); K2: B only at S1. Baseline: A 1 at S1 locked (K1 keeps
    it out), B 1 at S2 not locked (K2 keeps it out: its unit changes), A 1 at S2 and B 1 at S1
    (allowed: nothing said). The solve of it is infeasible, as the warning says."""
    path = simple_case(
        tmp_path / "case.xlsx",
        caveats=[
            {"id": "K1", "contributor": "A", "caveat": "exclude", "zone": "front"},
            {"id": "K2", "contributor": "B", "caveat": "only", "site": "S1"},
        ],
        baseline=[row(lock="yes"), row(c="B", s="S2"), row(s="S2"), row(c="B")],
    )
    assert _said(path) == [
        f"warning: Baseline!A2: caveat K1 (A exclude zone=front) keeps A's INF out of S1: "
        f"{CANNOT_HOLD}",
        "warning: Baseline!A3: caveat K2 (B only site=S1) keeps B's INF out of S2: its 1 unit "
        "changes",
    ]
    assert api.solve(path).status == "infeasible"
    # validate's verdict says it too, exit 0 (the workbook is valid): a re-plan trial read
    # `valid` alone and ran the solve
    from click.testing import CliRunner

    from solver.cli import main

    checked = CliRunner().invoke(main, ["validate", str(path)])
    assert checked.exit_code == 0
    assert checked.stdout.rstrip().endswith(
        "; but against this baseline the solve of the base case is infeasible (a locked row; "
        "see the warnings above)"
    ), checked.stdout


def test_in_time_the_periods_a_caveat_keeps_out_are_named(tmp_path: Path) -> None:
    """P1..P4; A (1 INF) may not be at S1 in P3..P4 (K1). Baseline tours of A at S1: P1..P4
    locked (K1 keeps it out in P3..P4) and, in a copy, P1..P2 (inside: nothing said)."""
    caveats = [{"id": "K1", "contributor": "A", "caveat": "exclude", "site": "S1", "from": "P3"}]
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(4),
        caveats=caveats,
        baseline=[row(lock="yes")],
    )
    assert _said(path) == [
        "warning: Baseline!A2: caveat K1 (A exclude site=S1) keeps A's INF out of S1 in "
        f"P3..P4: {CANNOT_HOLD}"
    ]
    inside = timed_case(
        tmp_path / "inside.xlsx",
        periods=months(4),
        caveats=caveats,
        baseline=[row(lock="yes", **{"from": "P1", "to": "P2"})],
    )
    assert _said(inside) == []
