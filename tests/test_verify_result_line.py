"""`forcegen verify`'s result line against the solved plan (a planner's trial on the bundled
example): a valid plan worse (or better) than the solved one says so in its result line, and
`-o`'s Summary carries the same verdict; the objective stages beside it, stored and recomputed,
in the stored order and in columns as wide as their numbers. Its messages naming the rows
behind them: test_verify_messages.py.

The timed input is `test_verify_time`'s: A and B pledge 2 INF each; S1 and S2 require 2 INF;
periods P1 (1 month), P2 (1), P3 (2 months), P4 (1): m = 0, 1, 2, 4. Tours rows start at 2.
Every expectation is worked by hand.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from solver import api
from solver.cli import main
from solver.verify.report import StageRow, VerifyReport, text_lines

from .verify_case import run as run_snapshot
from .verify_case import set_allocation, solved
from .verify_time_world import plan, run, timed
from .workbooks import write_workbook

# ---- a valid plan worse or better than the solved one -------------------------------------------
VALID = [
    ("A", "INF", "S1", "P1", "P4", 2),
    ("B", "INF", "S2", "P1", "P2", 2),
    ("B", "INF", "S2", "P3", "P4", 2),
]
SOLVED = {"objective.shortfall.p1": 0, "objective.cost": 6, "objective.presence": 2}


def result_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("result: "))


def test_a_deleted_tour_holds_but_is_worse_than_the_solved_plan(tmp_path: Path) -> None:
    """The valid plan of test_verify_time (stored: shortfall 0, cost 6, presence 2) with B's
    second tour deleted: S2 is short 2 in P3 (2 months) and P4 (1): 2 x 2 + 2 x 1 = 6
    unit-months against 0. Still valid: exit 0, the result line says it is worse."""
    src = timed(tmp_path)
    out = plan(tmp_path, VALID[:2], summary={"scenario": "base", **SOLVED})
    res = run(src, out)
    assert res.exit_code == 0, res.output
    assert result_line(res.output) == (
        "result: the plan holds (valid), but it is worse than the solved plan: shortfall.p1 6 "
        "against 0"
    )


def test_the_first_stage_that_differs_decides(tmp_path: Path) -> None:
    """Shortfall equal (0), cost 6 against a stored 5: worse at cost. Stored shortfall 6 and
    the plan's 0: better, at shortfall (a later cost of 6 against 9 does not matter), with the
    note that the stored solve was not optimal."""
    src = timed(tmp_path)
    worse = plan(tmp_path, VALID, summary={**SOLVED, "objective.cost": 5})
    assert result_line(run(src, worse).output) == (
        "result: the plan holds (valid), but it is worse than the solved plan: cost 6 against 5"
    )
    better = plan(
        tmp_path, VALID, summary={**SOLVED, "objective.shortfall.p1": 6, "objective.cost": 9}
    )
    res = run(src, better)
    assert res.exit_code == 0
    assert result_line(res.output) == (
        "result: the plan holds (valid), and it is better than the solved plan: shortfall.p1 0 "
        "against 6"
    )
    assert "note: the plan is lexicographically better than the stored solution" in res.output


def test_equal_stages_or_a_broken_rule_keep_the_plain_result(tmp_path: Path) -> None:
    """The stored stages as recomputed: `result: the plan holds`. A broken rule: the count of
    rules, whatever the stages."""
    src = timed(tmp_path)
    same = plan(tmp_path, VALID, summary=SOLVED)
    assert result_line(run(src, same).output) == "result: the plan holds"
    broken = plan(tmp_path, [*VALID[:2], ("B", "INF", "S2", "P3", "P4", 3)], summary=SOLVED)
    assert result_line(run(src, broken).output) == "result: the plan violates 2 rules"


def test_a_snapshot_allocation_worse_than_the_solved_one(tmp_path: Path) -> None:
    """The snapshot shares the result line: the simple case solved (A 2 at S1, B 2 at S2, no
    shortfall), B's row deleted: S2 short 2 (weight 1), shortfall.p1 2 against 0, exit 0."""
    src, out = solved(tmp_path)
    set_allocation(out, [("A", "INF", "S1", 2)])
    res = run_snapshot(src, out)
    assert res.exit_code == 0, res.output
    assert result_line(res.output) == (
        "result: the allocation holds (valid), but it is worse than the solved allocation: "
        "shortfall.p1 2 against 0"
    )


def test_the_report_workbook_carries_the_verdict(tmp_path: Path) -> None:
    """`-o`'s Summary says what the console's result line says: the snapshot above (B's row
    deleted, shortfall.p1 2 against 0) is `worse`; the solved allocation as it was, `same`."""
    from openpyxl import load_workbook

    src, out = solved(tmp_path)
    same = tmp_path / "same.xlsx"
    assert run_snapshot(src, out, "-o", same).exit_code == 0
    set_allocation(out, [("A", "INF", "S1", 2)])
    worse = tmp_path / "worse.xlsx"
    assert run_snapshot(src, out, "-o", worse).exit_code == 0

    def summary(path: Path) -> dict[str, object]:
        wb = load_workbook(path, read_only=True)
        rows = {k: v for k, v in list(wb["Summary"].values)[1:]}
        wb.close()
        return rows

    assert summary(same)["against_solved"] == "same"
    assert summary(same)["verdict"] == "the allocation holds"
    got = summary(worse)
    assert (got["result"], got["against_solved"]) == ("holds", "worse")
    assert got["verdict"] == (
        "the allocation holds (valid), but it is worse than the solved allocation: "
        "shortfall.p1 2 against 0"
    )


# ---- the objective stages, stored and recomputed ------------------------------------------------
def test_a_stage_only_stored_keeps_its_place_among_the_stages() -> None:
    """A re-plan's output verified without its baseline: `changes` is stored, not recomputed.
    It came last, after presence (a trial); it stands after the shortfall stages, as stored."""
    from solver.verify.report import compare_stages

    recomputed = {"objective.shortfall.p1": 0.0, "objective.cost": 3.0, "objective.presence": 2.0}
    stored = {
        "status": "optimal",
        "objective.shortfall.p1": 0,
        "objective.changes": 4,
        "objective.cost": 3,
        "objective.presence": 2,
    }
    rows = compare_stages(recomputed, stored)
    assert [(r.stage, r.recomputed, r.stored) for r in rows] == [
        ("objective.shortfall.p1", 0.0, 0.0),
        ("objective.changes", None, 4.0),
        ("objective.cost", 3.0, 3.0),
        ("objective.presence", 2.0, 2.0),
    ]


def test_the_stage_columns_are_as_wide_as_their_widest_number() -> None:
    """A cost of 10^18 (a value the contract allows: 10^12 per unit x 10^6 units) is written
    with its thousands separators; its two columns stay apart, the numbers right-aligned under
    their headers."""
    cost = 1_001_000_866_669_342_848.0
    report = VerifyReport(
        [], [StageRow("objective.shortfall.p1", 0.0, 0.0), StageRow("objective.cost", cost, cost)]
    )
    lines = text_lines(report, "verify")
    header = next(line for line in lines if line.lstrip().startswith("objective stage"))
    row = next(line for line in lines if line.lstrip().startswith("cost"))
    assert row.split() == ["cost", "1,001,000,866,669,342,848", "1,001,000,866,669,342,848"]
    assert len(row) == len(header)
    assert header.endswith("  stored") and row.endswith("  1,001,000,866,669,342,848")


def test_the_stages_sheet_shows_no_rounding_noise_as_a_difference() -> None:
    """A cost recomputed as 107,919,711.955 against 107,919,711.95500001 stored (the sum in
    another order) is the same value: the Stages sheet's difference is 0, not -1e-08; a real
    difference (1 presence; 0.5 on 1e8, within verify's tolerance but no rounding) and a
    missing value show as they are."""
    report = VerifyReport(
        [],
        [
            StageRow("cost", 107_919_711.955, 107_919_711.95500001),
            StageRow("presence", 131.0, 130.0),
            StageRow("shortfall.p1", 100_000_000.5, 100_000_000.0),
            StageRow("changes", None, 4.0),
        ],
    )
    rows = report.stages_frame().values.tolist()
    assert [row[3] for row in rows[:3]] == [0.0, 1.0, 0.5]
    assert rows[3][3] is None or rows[3][3] != rows[3][3]  # blank (None or NaN)


def test_an_infeasible_output_is_said_to_hold_no_plan(tmp_path: Path) -> None:
    """S1 needs 3 INF, hard; A pledges 2 and B 2, but B excludes S1: infeasible. verify of that
    output checks its empty Allocation (the hard line short by 3: one violation) and says the
    file holds no plan, its result line too (it listed the violations as a plan's: a trial)."""

    case = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}, {"contributor": "B"}],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "country": "X"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "hard": "yes"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        caveats=[{"id": "NOB", "contributor": "B", "caveat": "exclude", "site": "S1"}],
    )
    out = api.write(api.solve(case), tmp_path / "out.xlsx", [case])

    result = CliRunner().invoke(main, ["verify", str(case), str(out)])
    assert result.exit_code == 3, result.output
    assert (
        "note: out.xlsx holds no plan: its solve found the workbook infeasible: its "
        "Infeasibility sheet names the conflict" in result.output
    )
    assert result_line(result.output) == (
        "result: no plan to verify; the empty allocation violates 1 rule"
    )


def test_a_plan_typed_into_an_infeasible_output_is_verified_as_a_plan(tmp_path: Path) -> None:
    """The timed world's valid plan typed into an output whose Summary says infeasible (a
    planner trying a plan by hand): it has rows, so it is verified as any plan; an empty one
    is said to be no plan, and breaks no rule of this world (no hard line)."""
    src = timed(tmp_path)
    typed = run(src, plan(tmp_path, VALID, summary={"scenario": "base", "status": "infeasible"}))
    assert "holds no plan" not in typed.output
    assert result_line(typed.output).startswith("result: the plan holds")
    empty = run(src, plan(tmp_path, [], summary={"scenario": "base", "status": "infeasible"}))
    assert empty.exit_code == 0, empty.output
    assert result_line(empty.output) == "result: no plan to verify; the empty plan violates no rule"


def test_a_stored_stage_that_is_no_number_is_said_and_left_out(tmp_path: Path) -> None:
    """The valid plan with its Summary's `objective.cost` retyped as `lots`: the stage is left
    out of the comparison with a warning saying so (a mutation trial saw `-` without a word);
    the other stages compare as stored."""
    src = timed(tmp_path)
    out = plan(tmp_path, VALID, summary={"scenario": "base", **SOLVED, "objective.cost": "lots"})
    res = run(src, out)
    assert res.exit_code == 0, res.output
    assert (
        "warning: Summary: objective.cost 'lots' is no number: the stored stage is left out of "
        "the comparison" in res.output
    )
    assert result_line(res.output) == "result: the plan holds"
