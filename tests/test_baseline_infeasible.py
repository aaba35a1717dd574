"""Locked baseline rows that cannot hold make the workbook infeasible, and the explanation names
them among the conflicting rules in a planner's words (`replanning.md`)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api

from .baseline_infeasible_case import locked
from .idle_warnings import without_idle
from .time_cases import months, timed_case
from .workbooks import simple_case


def test_pledge_reduced_below_a_locked_row(tmp_path: Path) -> None:
    """A's 2 INF at S1 are locked, but A now pledges 1: x(A,INF,S1) >= 2 and <= 1 cannot both
    hold. The conflict is the locked row and A's pledge; the smallest relaxation unlocks one
    unit (by 1)."""
    path = simple_case(
        tmp_path / "w.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
        baseline=[locked(2)],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.exit_code == 3
    assert result.conflict is not None
    texts = [text for _, text in result.conflict.rules]
    # a Baseline sheet's lock: whether A's pledge was ever 2 cannot be told, so no "now"
    assert texts[0] == (
        "locked: A 2 INF at S1 — the baseline locks 2 units of A's INF, more than its pledge of 1 "
        "(Baseline!A2)"
    )
    assert result.conflict.rules[0][0] == "locked:A/INF/S1"
    # A's pledge alone: B's could fill no line of this conflict (it has none), so it is not
    # said to be `held back by the other rules of this conflict` (a trial listed 13 nations)
    assert texts[1:] == ["the INF pledges usable in this conflict are limited to: A 1"]
    assert result.conflict.give_way == [("locked: A 2 INF at S1", 1.0, "unit")]
    sheet = result.tables.extra["Infeasibility"]
    assert (
        "locked: A 2 INF at S1 — the baseline locks 2 units of A's INF, more than its pledge of 1 "
        "(Baseline!A2)" in sheet["explanation"].tolist()
    )


def test_two_locks_above_the_pledge_together_both_say_it(tmp_path: Path) -> None:
    """A's 1 INF at S1 and 1 at S2 are locked, A pledges 1: each lock fits the pledge, the
    two together do not. Each lock says why: the 2 units locked are more than A's pledge (it
    said nothing)."""
    path = simple_case(
        tmp_path / "w.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
        baseline=[locked(1), locked(1, site="S2")],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert [t for _, t in result.conflict.rules if t.startswith("locked:")] == [
        "locked: A 1 INF at S1 — the baseline locks 2 units of A's INF, more than its pledge of 1 "
        "(Baseline!A2)",
        "locked: A 1 INF at S2 — the baseline locks 2 units of A's INF, more than its pledge of 1 "
        "(Baseline!A3)",
    ]


def test_locks_above_the_pledge_are_not_blamed_on_it_where_another_rule_is(
    tmp_path: Path,
) -> None:
    """A pledges 2; A's 1 at S1 and 2 at S2 are locked (3 in all). Where a caveat now keeps A
    out of S1, the conflict is that lock and the caveat: the lock is not said to be over A's
    pledge (a review caught it saying so). Where S1 requires no INF, that is why (a Baseline
    sheet's lock: not said to be `no longer` required, the line may never have been)."""
    locks = [locked(1), locked(2, site="S2")]
    caveat = [{"id": "X1", "contributor": "A", "caveat": "exclude", "site": "S1"}]
    kept_out = api.solve(simple_case(tmp_path / "c.xlsx", caveats=caveat, baseline=locks))
    assert kept_out.conflict is not None
    assert [t for _, t in kept_out.conflict.rules] == [
        "locked: A 1 INF at S1 (Baseline!A2)",
        "caveat X1 (A exclude site=S1)",
    ]
    requirements = [
        {"site": "S1", "capability": "INF", "units": 0},
        {"site": "S2", "capability": "INF", "units": 2},
    ]
    gone = api.solve(simple_case(tmp_path / "g.xlsx", requirements=requirements, baseline=locks))
    assert gone.conflict is not None
    assert [t for _, t in gone.conflict.rules] == [
        "locked: A 1 INF at S1 — the baseline locks A's INF at S1, but S1 does not require INF "
        "(Baseline!A2)"
    ]


def test_caveat_now_forbids_a_locked_row(tmp_path: Path) -> None:
    """Caveat C1 now excludes S1 for A; A's unit at S1 is locked: the conflict is exactly the
    locked row and the caveat."""
    path = simple_case(
        tmp_path / "w.xlsx",
        caveats=[{"id": "C1", "contributor": "A", "caveat": "exclude", "site": "S1"}],
        baseline=[locked(1)],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert [text for _, text in result.conflict.rules] == [
        "locked: A 1 INF at S1 (Baseline!A2)",  # the cell where a planner unlocks it
        "caveat C1 (A exclude site=S1)",
    ]


def test_unlocked_rows_never_make_it_infeasible(tmp_path: Path) -> None:
    """The same two workbooks with the rows unlocked solve: the rows are only changes."""
    path = simple_case(
        tmp_path / "w.xlsx",
        caveats=[{"id": "C1", "contributor": "A", "caveat": "exclude", "site": "S1"}],
        baseline=[locked(1, lock="no")],
    )
    assert api.solve(path).status == "optimal"


def test_locked_tour_outside_the_line(tmp_path: Path) -> None:
    """Timed, P1..P3: S1 requires INF only in P1, but A's tour P2..P3 is locked. The option has
    no column in P2 and P3, so the locked rows (0 >= 1) cannot hold: the explanation says why,
    and relaxing them takes 2 (one unit in each of the two periods)."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "to": "P1"}],
        baseline=[locked(1, **{"from": "P2", "to": "P3"})],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert result.conflict.rules == [
        (
            "locked:A/INF/S1",
            "locked: A 1 INF at S1 in P2..P3 — S1 requires INF only in P1 (Baseline!A2)",
        )
    ]
    assert result.conflict.give_way == [("locked: A 1 INF at S1 in P2..P3", 2.0, "unit-period")]


def test_a_locked_tour_above_its_line_in_some_periods_is_the_conflict(tmp_path: Path) -> None:
    """Timed, P1..P6; S1 requires 2 INF, 1 in P4..P6 (Profile); A pledges 2 and its 2 units at
    S1 in P3..P5 are locked. By hand: 2 locked > 1 required in P4 and P5, so the conflict is
    the lock and the line's limit there, nothing else. Before, while the search looked for one
    period impossible on its own, the lock's rows in the periods it fixed at 0 (x >= 2, x = 0)
    made every period so; it started in P1, found no conflict there and fell back on every
    rule (a trial: 46 rules, cut short, for the same one lock)."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(6),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        profile=[{"site": "S1", "capability": "INF", "from": "P4", "to": "P6", "units": 1}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        baseline=[locked(2, **{"from": "P3", "to": "P5"})],
    )
    # said when read too (a review: validate said nothing of it)
    assert without_idle((w.where, w.message) for w in api.read(path).warnings) == [
        (
            "Baseline!A2",
            "the baseline's locked rows hold more of S1's INF than it requires in P4..P5 (2 "
            "where it requires 1 in P4): a line takes no more than it requires, so they cannot "
            "hold and the solve is infeasible (its Infeasibility sheet names the conflict): "
            "unlock or lower them",
        )
    ]
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert result.conflict.complete
    texts = [text for _, text in result.conflict.rules]
    assert texts == [
        "locked: A 2 INF at S1 in P3..P5 — S1 requires only 1 INF in P4..P5 (Baseline!A2)",
        "S1 needs only 1 INF in P4..P5 (no more can be allocated there)",
    ], texts
    # the search starts in P4, the first period impossible on its own (before: P1)
    from solver.explain.conflict_time import localise, period_columns
    from solver.explain.deletion import Feasibility
    from solver.explain.rules import rules_of, split_hard_lines
    from solver.explain.search_budget import SearchBudget
    from solver.model.build import build_model
    from solver.model.matrix import MatrixModel

    ctx = build_model(result.data, explain=True)
    mm, rules = split_hard_lines(MatrixModel.from_linear(ctx.lm), rules_of(ctx))
    check = Feasibility(mm, 10.0, period_columns(ctx))
    assert localise(check, rules, ctx.n_periods, SearchBudget(float("inf"))) == 3


def test_a_lock_on_a_line_a_profile_raises_is_not_a_line_gone(tmp_path: Path) -> None:
    """S1 needs 0 INF, raised to 1 in P2..P3 by the Profile; A's tour P1..P3 is locked. The
    line is there (from P2): the lock's why is its P1, not "S1 no longer requires INF" (review:
    a line of units 0 was read as gone)."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 0, "priority": 1}],
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P3", "units": 1}],
        baseline=[locked(1, **{"from": "P1", "to": "P3"})],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    (text,) = [t for _, t in result.conflict.rules if t.startswith("locked:")]
    assert text == "locked: A 1 INF at S1 in P1..P3 — S1 requires only 0 INF in P1 (Baseline!A2)"


def _locked_plan(tmp_path: Path, workbook: Path, sheet: str) -> Path:
    """`workbook` solved and written as plan.xlsx, with its first `sheet` row locked."""
    plan = tmp_path / "plan.xlsx"
    api.write(api.solve(workbook), plan)
    wb = load_workbook(plan)
    ws = wb[sheet]
    ws.cell(row=1, column=ws.max_column + 1, value="lock")
    ws.cell(row=2, column=ws.max_column, value="yes")
    wb.save(plan)
    return plan


def test_a_file_s_lock_the_heuristic_cannot_meet_is_named_by_the_file(tmp_path: Path) -> None:
    """Timed, P1..P3: A's tour P1..P3 (1 INF at S1) is the plan; locked in plan.xlsx's Tours,
    it is the baseline of the same workbook with A's pledge now 0 (B pledges 1). The lock
    cannot hold, so the construction heuristic cannot meet it, and says whose lock it is: the
    file's Tours, not the workbook's Baseline sheet. The same lock on the sheet keeps the
    sheet's name."""
    first = timed_case(tmp_path / "first.xlsx", periods=months(3))
    plan = _locked_plan(tmp_path, first, "Tours")
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 0},
        {"contributor": "B", "capability": "INF", "units": 1},
    ]
    again = timed_case(tmp_path / "again.xlsx", periods=months(3), pledges=pledges)
    from_file = api.solve(again, baseline=plan)
    assert from_file.status == "infeasible"
    assert "could not meet plan.xlsx Tours lock A/INF/S1/P" in from_file.summary["heuristic"]
    sheet = timed_case(
        tmp_path / "sheet.xlsx",
        periods=months(3),
        pledges=pledges,
        baseline=[locked(1, **{"from": "P1", "to": "P3"})],
    )
    from_sheet = api.solve(sheet)
    assert "could not meet Baseline lock A/INF/S1/P" in from_sheet.summary["heuristic"]


def test_a_snapshot_file_s_lock_is_named_by_its_allocation(tmp_path: Path) -> None:
    """simple_case's plan (row 2: A INF S1 2) locked in plan.xlsx's Allocation, the baseline of
    a workbook where A pledges 0: the heuristic names `plan.xlsx Allocation lock A/INF/S1`."""
    plan = _locked_plan(tmp_path, simple_case(tmp_path / "first.xlsx"), "Allocation")
    again = simple_case(
        tmp_path / "again.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 0, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
    )
    result = api.solve(again, baseline=plan)
    assert result.status == "infeasible"
    assert "could not meet plan.xlsx Allocation lock A/INF/S1" in result.summary["heuristic"]


def test_a_caveat_outside_the_locked_periods_leaves_the_pledge_said(tmp_path: Path) -> None:
    """Three months; S1 and S2 need 1 INF each, A pledges 1; A's 1 at S1 and 1 at S2 are
    locked over P2..P3: together above the pledge, as each lock says. A caveat keeping A out
    of S1 in P1 only, outside the locks, changes nothing of that (a review found it made the
    S1 lock's reason go)."""
    need = [{"site": s, "capability": "INF", "units": 1, "priority": 1} for s in ("S1", "S2")]
    locks = [
        {"contributor": "A", "capability": "INF", "site": s, "units": 1}
        | {"from": "P2", "to": "P3", "lock": "yes"}
        for s in ("S1", "S2")
    ]
    caveat = {"id": "X1", "contributor": "A", "caveat": "exclude", "site": "S1"}
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(3),
        requirements=need,
        baseline=locks,
        caveats=[caveat | {"from": "P1", "to": "P1"}],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert [t for _, t in result.conflict.rules if t.startswith("locked:")] == [
        "locked: A 1 INF at S1 in P2..P3 — the baseline locks 2 units of A's INF, more than its "
        "pledge of 1 (Baseline!A2)",
        "locked: A 1 INF at S2 in P2..P3 — the baseline locks 2 units of A's INF, more than its "
        "pledge of 1 (Baseline!A3)",
    ]


def test_validate_checks_a_baseline_against_the_base_case_and_each_scenario(
    tmp_path: Path,
) -> None:
    """`validate --baseline plan.xlsx`: the locks of an earlier output read as `solve --baseline`
    reads them, before any solve, against the base case and each scenario. A's tour P1..P4 at
    S1 is locked; scenario `short_mandate` ends A's pledge with P2, so there the lock cannot
    hold (named by the scenario); scenario `a_leaves` drops A, so its lock cannot hold either:
    the verdict names both (a planner trial's named only the first of two); base is fine. A
    baseline that cannot be read is exit 2."""
    from click.testing import CliRunner

    from solver.cli import main

    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1}],
        scenarios=[
            {
                "scenario": "short_mandate",
                "sheet": "Pledges",
                "key": "A/INF",
                "column": "to",
                "value": "P2",
            },
            {"scenario": "a_leaves", "sheet": "Contributors", "key": "A", "column": "drop"},
        ],
    )
    plan = _with_first_tour_locked(tmp_path, path)
    result = CliRunner().invoke(main, ["validate", str(path), "--baseline", str(plan)])
    assert result.exit_code == 0, result.output
    assert (
        "scenario 'short_mandate': warning: plan.xlsx Tours!A2: A's pledge of INF is only in "
        "P1..P2: the row is locked, so it cannot hold"
    ) in result.output
    assert "scenario 'a_leaves': warning: plan.xlsx Tours!A2: contributor 'A'" in result.output
    assert result.output.count("cannot hold") == 2  # not in base
    assert (
        "against this baseline the solve of scenarios 'short_mandate' and 'a_leaves' is infeasible"
    ) in result.output
    missing = CliRunner().invoke(main, ["validate", str(path), "--baseline", "nowhere.xlsx"])
    assert missing.exit_code == 2 and "nowhere.xlsx" in missing.output


def test_validate_names_the_scenarios_a_lock_dooms_as_base_s_does_and_the_sheet_s(
    tmp_path: Path,
) -> None:
    """A review's two cases. A's pledge now ends with P2 while the baseline's locked tour runs
    P1..P4: base is doomed, and so is scenario `more`, which changes a line only (its warning,
    base's, is said once, but the verdict names it too). And a workbook's own Baseline sheet
    locking a unit at S2, which scenario `noS2` drops: the verdict names `noS2`, not the base
    case (it read the sheet's labelled warning as base's)."""
    from click.testing import CliRunner

    from solver.cli import main

    from .workbooks import write_workbook

    first = timed_case(
        tmp_path / "t.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1}],
    )
    plan = _with_first_tour_locked(tmp_path, first)
    more = {"scenario": "more", "sheet": "Requirements", "key": "S1/INF", "column": "units"}
    cut = timed_case(
        tmp_path / "cut.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P2"}],
        scenarios=[{**more, "value": 2}],
    )
    said = CliRunner().invoke(main, ["validate", str(cut), "--baseline", str(plan)]).output
    assert "the solve of the base case and scenario 'more' is infeasible" in said
    lock = {"contributor": "A", "capability": "INF", "site": "S2", "units": 1, "lock": "yes"}
    sheet = write_workbook(
        tmp_path / "sheet.xlsx",
        contributors=[{"contributor": "A", "lat": 50, "lon": 10}],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "lat": 50, "lon": 30}, {"site": "S2", "lat": 48, "lon": 35}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1},
            {"site": "S2", "capability": "INF", "units": 1},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        baseline=[lock],
        scenarios=[{"scenario": "noS2", "sheet": "Sites", "key": "S2", "column": "drop"}],
    )
    said = CliRunner().invoke(main, ["validate", str(sheet)]).output
    assert "the solve of scenario 'noS2' is infeasible" in said and "base case" not in said


def _with_first_tour_locked(tmp_path: Path, workbook: Path) -> Path:
    """`workbook` solved into plan.xlsx, its first tour locked (a `lock` column, yes)."""
    from click.testing import CliRunner

    from solver.cli import main

    plan = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["solve", str(workbook), "-o", str(plan)]).exit_code == 0
    book = load_workbook(plan)
    tours = book["Tours"]
    tours.cell(1, tours.max_column + 1).value = "lock"
    tours.cell(2, tours.max_column).value = "yes"
    book.save(plan)
    return plan
