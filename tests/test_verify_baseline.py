"""`verify` against a baseline (replanning.md): locked rows kept, `changes` recomputed beside
the stored value; hand-worked on solved outputs edited as a planner would."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.verify import verify_file

from .time_cases import months, timed_case
from .verify_case import set_allocation
from .workbooks import simple_case, write_workbook


def run(*args: object) -> Result:
    return CliRunner().invoke(main, ["verify", *map(str, args)])


def stages(path_in: Path, path_out: Path, baseline: Path | None = None) -> dict:
    report = verify_file(path_in, path_out, baseline=baseline)
    return {s.stage: (s.recomputed, s.stored) for s in report.stages}


def test_a_locked_allocation_and_the_changes_stage_from_the_baseline_sheet(tmp_path) -> None:
    """The simple case (S1, S2 need 2 INF each; A, B pledge 2 each) with a Baseline sheet: A 2
    at S1 locked, B 1 at S2. No shortfall needs all four units: A's 2 stay at S1 (locked), B's 2
    go to S2, so changes = |2 - 2| + |2 - 1| = 1, and verify finds it beside the stored 1, in
    the stage order shortfall, changes, cost, presence.

    Edited to A 1 at S1 and S2, B 1 at S1 and S2: the lock breaks (1 of 2 at S1), and
    changes = |1-2| (A S1) + |1-0| (A S2) + |1-0| (B S1) + |1-1| (B S2) = 3 beside the stored
    1 (`(differs)`)."""
    src = simple_case(
        tmp_path / "case.xlsx",
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 2, "lock": "yes"},
            {"contributor": "B", "capability": "INF", "site": "S2", "units": 1},
        ],
    )
    out = api.write(api.solve(src), tmp_path / "out.xlsx", [src])
    clean = run(src, out)
    assert clean.exit_code == 0, clean.output
    assert list(stages(src, out)) == [
        "objective.shortfall.p1",
        "objective.changes",
        "objective.cost",
        "objective.presence",
    ]
    assert stages(src, out)["objective.changes"] == (1.0, 1.0)

    set_allocation(
        out,
        [
            ("A", "INF", "S1", 1),
            ("A", "INF", "S2", 1),
            ("B", "INF", "S1", 1),
            ("B", "INF", "S2", 1),
        ],
    )
    res = run(src, out)
    assert res.exit_code == 3, res.output
    report = verify_file(src, out)
    assert [v.message for v in report.violations] == [
        "Baseline!A2: locked A 2 INF at S1, the allocation has 1",
    ]
    assert [v.rows for v in report.violations] == [(2,)]
    assert "changes" in res.output and "(differs)" in res.output


def distance_world(path: Path, b_units: int) -> Path:
    """A at S1's place, B at S2's (distance cost: A->S1, B->S2 cheapest); S1 and S2 need 2 INF
    each at priority 1; A pledges 2, B `b_units`."""
    return write_workbook(
        path,
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1},
        ],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "lat": 0, "lon": 0}, {"site": "S2", "lat": 0, "lon": 1}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": b_units},
        ],
    )


def test_verify_with_baseline_file_of_a_re_plan(tmp_path) -> None:
    """Base: the distance case (A next to S1, B next to S2, each line 2 INF, pledges 2 each)
    gives A 2 at S1 and B 2 at S2. B's pledge drops to 1 and the case is re-planned against the
    base output: one unit of S2 is short whatever the plan (3 units for 4), and the fewest
    changes keep A 2 at S1 and B 1 at S2: changes = |1 - 2| = 1.

    verify with --baseline base.xlsx recomputes 1 (= stored) and holds; with the re-plan itself
    as the baseline it recomputes 0 and warns that the plan was solved against another
    baseline: the stored 1 counts against that one, so it is not shown beside the 0 (no
    `(differs)`, no verdict; no rule broken: exit 0); without --baseline it warns to give it."""
    base_in = distance_world(tmp_path / "base.xlsx", 2)
    base = api.write(api.solve(base_in), tmp_path / "base-out.xlsx", [base_in])
    new_in = distance_world(tmp_path / "new.xlsx", 1)
    replanned = api.solve(new_in, baseline=base)
    out = api.write(replanned, tmp_path / "new-out.xlsx", [new_in, base])
    assert stages(new_in, out, base)["objective.changes"] == (1.0, 1.0)
    assert run(new_in, out, "--baseline", base).exit_code == 0

    wrong = verify_file(new_in, out, baseline=out)
    assert wrong.violations == []
    assert stages(new_in, out, out)["objective.changes"] == (0.0, None)
    other = run(new_in, out, "--baseline", out)
    assert other.exit_code == 0 and "(differs)" not in other.output, other.output
    assert any(
        "solved against another baseline than new-out.xlsx" in str(w) for w in wrong.warnings
    )
    plain = verify_file(new_in, out)
    assert not plain.violations
    assert any("give it with --baseline" in str(w) for w in plain.warnings)


def test_verify_help_says_a_changes_value_that_differs_breaks_no_rule() -> None:
    """The test above: a stored `changes` that differs from the recomputed one is marked
    `(differs)` with exit 0, no violation. The help said the opposite ("a stored value that
    differs is a violation"), which would send a planner to undo an edit that breaks nothing."""
    text = " ".join(run("--help").output.split())
    assert "is a violation" not in text
    assert "marked `(differs)` like any stage: what a plan changes breaks no rule" in text


def set_tours(path: Path, rows: list[tuple]) -> None:
    """Replace a timed output's Tours rows (contributor, capability, site, from, to, units)."""
    wb = load_workbook(path)
    ws = wb["Tours"]
    header = [c.value for c in ws[1]]
    ws.delete_rows(2, ws.max_row)
    for c, k, s, first, last, n in rows:
        values = {"contributor": c, "capability": k, "site": s, "from": first, "to": last}
        ws.append([values.get(h, n if h == "units" else None) for h in header])
    wb.save(path)


def test_a_locked_tour_in_time(tmp_path) -> None:
    """Periods P1..P4 of one month; S1 needs 1 INF; A and B pledge 1 each (cost 1 a tour).
    Baseline: A 1 at S1 in P1..P4, locked. The plan keeps that tour: changes 0.

    Edited to A at S1 in P1..P2 and B in P3..P4: the locked tour has 0 of 1 units in P3 and P4
    (a violation naming the Baseline row and the periods), and changes = A's 2 unit-months
    gone + B's 2 added = 4 beside the stored 0."""
    src = timed_case(
        tmp_path / "timed.xlsx",
        periods=months(4),
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
        baseline=[
            {
                "contributor": "A",
                "capability": "INF",
                "site": "S1",
                "units": 1,
                "from": "P1",
                "to": "P4",
                "lock": "yes",
            }
        ],
    )
    out = api.write(api.solve(src), tmp_path / "out.xlsx", [src])
    assert run(src, out).exit_code == 0
    assert stages(src, out)["objective.changes"] == (0.0, 0.0)

    set_tours(out, [("A", "INF", "S1", "P1", "P2", 1), ("B", "INF", "S1", "P3", "P4", 1)])
    report = verify_file(src, out)
    assert [v.message for v in report.violations] == [
        "Baseline!A2: locked tour A INF at S1 in P1..P4: fewer units present in P3..P4 "
        "(P3: 0 of 1)",
    ]
    assert stages(src, out)["objective.changes"] == (4.0, 0.0)
    assert report.violations[0].rows == (2,)


def test_a_locked_tour_re_cut_is_a_violation(tmp_path) -> None:
    """Periods P1, P2; S1 needs 1 INF in both; A pledges 1. Baseline: A's tour P1..P1, locked.
    The solved plan keeps it (A P1..P1, then A P2..P2): verify passes. Edited to one tour
    A P1..P2, the units present are the same, but the locked tour no longer ends with P1:
    a violation naming the Baseline row."""
    src = timed_case(
        tmp_path / "timed.xlsx",
        periods=months(2),
        baseline=[
            {
                "contributor": "A",
                "capability": "INF",
                "site": "S1",
                "units": 1,
                "from": "P1",
                "to": "P1",
                "lock": "yes",
            }
        ],
    )
    out = api.write(api.solve(src), tmp_path / "out.xlsx", [src])
    assert not verify_file(src, out).violations
    set_tours(out, [("A", "INF", "S1", "P1", "P2", 1)])
    messages = [v.message for v in verify_file(src, out).violations]
    assert (
        "Baseline!A2: locked tour A INF at S1: 1 unit must leave after P1, the Tours have 0"
        in messages
    )


def test_verify_says_when_the_sheet_and_a_file_are_two_baselines(tmp_path) -> None:
    """case.xlsx has a Baseline sheet (A 2 at S2, B 2 at S1) and is re-planned against it
    (out.xlsx). Verified with --baseline other.xlsx (another plan), its changes are counted
    against another baseline: a warning, and the stored value is not judged. Re-planned
    against other.xlsx instead (out2.xlsx) and verified without --baseline, the sheet is not
    its baseline either: the same. A review found both judged `worse than the solved`."""
    case = simple_case(
        tmp_path / "case.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 1},
        ],
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S2", "units": 2},
            {"contributor": "B", "capability": "INF", "site": "S1", "units": 2},
        ],
    )
    out = api.write(api.solve(case), tmp_path / "out.xlsx", [case])
    plain = simple_case(tmp_path / "plain.xlsx")
    other = api.write(api.solve(plain), tmp_path / "other.xlsx", [plain])
    checked = run(case, out, "--baseline", other)
    assert checked.exit_code == 0, checked.output
    assert "re-planned against its input's Baseline sheet, not other.xlsx" in checked.output
    assert "(differs)" not in checked.output and "worse" not in checked.output
    out2 = api.write(api.solve(case, baseline=other), tmp_path / "out2.xlsx", [case, other])
    again = run(case, out2)
    assert again.exit_code == 0, again.output
    assert "re-planned against other.xlsx, not the workbook's Baseline sheet" in again.output
    assert "(differs)" not in again.output and "worse" not in again.output
