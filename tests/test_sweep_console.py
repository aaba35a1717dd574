"""`forcegen sweep`'s console: exit codes, file names, progress, the scenario lines (stages not
proven or not optimised, alignment, width)."""

from __future__ import annotations

import io
from pathlib import Path

from solver.compare import error_view
from solver.sweep.prepare import file_names
from solver.sweep.progress import Progress
from solver.sweep.run import SweepReport
from solver.sweep.task import TaskResult

from .sweep_case import SCENARIOS, scen, small_case, sweep


def test_exit_code_is_the_worst_meaningful_one() -> None:
    def report(*codes: int) -> SweepReport:
        results = [
            TaskResult(str(i), "x", c, 0.0, error_view(str(i), "")) for i, c in enumerate(codes)
        ]
        return SweepReport(results, {})

    assert report(0, 0).exit_code == 0
    assert report(0, 3, 4).exit_code == 4
    assert report(3, 2, 4).exit_code == 2
    assert report(2, 1).exit_code == 1
    interrupted = report(0)
    interrupted.interrupted = True
    assert interrupted.exit_code == 130
    # SIGTERM stopped the sweep while a scenario solved in this process (--workers 1), which
    # ended `interrupted` (130): the sweep exits 143, as it says "terminated (SIGTERM)"
    terminated = report(0, 130)
    terminated.interrupted, terminated.interrupt_code = True, 143
    assert terminated.exit_code == 143


def test_file_names_are_safe_and_distinct() -> None:
    assert file_names(["base", "a/b", "a:b", "comparison"]) == {
        "base": "base.xlsx",
        "a/b": "a_b.xlsx",
        "a:b": "a_b-2.xlsx",
        "comparison": "comparison-2.xlsx",
    }


def test_progress_on_a_terminal_and_in_plain_lines() -> None:
    """A clock of the test's own: 70 s pass before the first scenario finishes."""
    now = [1000.0]
    plain = io.StringIO()
    p = Progress(0, stream=plain, tty=False, clock=lambda: now[0])
    p.start(3)
    p.update(0, ["base", "more"])  # nothing finished: no line
    now[0] += 70
    p.update(1, ["more"])
    p.close()
    assert plain.getvalue().count("\n") == 1
    assert plain.getvalue().startswith("[1/3] 1:10 elapsed, ETA 2:20; running: more")
    term = io.StringIO()
    p = Progress(0, stream=term, tty=True, clock=lambda: now[0])
    p.start(2)
    p.update(1, ["base"], force=True)
    p.clear()
    assert term.getvalue() == "\r\x1b[K[1/2] 0:00 elapsed, ETA 0:00; running: base\r\x1b[K"


def test_a_scenario_line_marks_the_stages_not_proven() -> None:
    """A stage a limit stopped carries its gap (or `not proven` without one; `not optimised`
    when the search stopped before it ran) on the scenario's line, so that a 15 s sweep's cost is not read beside a 60 s solve's as if both were best."""
    from solver.sweep.command import _unproven

    summary = {
        "stage.shortfall.p1.status": "optimal",
        "stage.cost.status": "feasible",
        "stage.cost.gap": 0.507,
        "stage.presence.status": "time_limit",
        "stage.presence.gap": None,
        "stage.changes.status": "not_solved",
        "stage.changes.gap": 1.0,
    }
    assert _unproven(summary, "shortfall.p1") == ""
    assert _unproven(summary, "cost") == " (gap 50.7%)"
    assert _unproven(summary, "presence") == " (not proven)"
    # the search stopped before the stage ran: its value is the start's, which no gap says
    # (a trial read `changes 1,159 (gap 100%)` as a stage searched)
    assert _unproven(summary, "changes") == " (not optimised)"
    assert _unproven({}, "cost") == ""


def test_result_lines_align_on_the_longest_scenario_name(tmp_path: Path) -> None:
    """A scenario name longer than the usual column (20) widens it for every line, so that
    status, time and stages stay in one column each; names beyond 48 push only their own."""
    long_name = "more_infantry_at_s1_after_the_review"  # 36 characters
    src = small_case(tmp_path / "case.xlsx", scen(long_name, "Requirements", "S1/INF", "units", 3))
    result = sweep(src, "-o", tmp_path / "out", "--workers", "1")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("ok")]
    assert len(rows) == 2
    assert len({row.index("optimal") for row in rows}) == 1
    assert rows[0].index("optimal") == len(f"ok    {long_name} ")


def test_the_name_column_is_at_most_48_wide() -> None:
    """20 at least, the longest name up to 48, and 48 beside a longer one (whose own line is
    pushed right)."""
    from solver.sweep.command import MAX_NAME_WIDTH, NAME_WIDTH, ResultPrinter

    printer = ResultPrinter()
    assert printer.width == NAME_WIDTH == 20
    printer.plan(["base", "x" * 30])
    assert printer.width == 30
    printer.plan(["base", "x" * 60])
    assert printer.width == MAX_NAME_WIDTH == 48
    printer.plan(["base"])
    assert printer.width == 20


def test_a_scenario_line_says_its_output_has_no_explanation() -> None:
    """A stop during base's Gaps step: its output is written without Gaps and its Summary says
    `explanation not given: interrupted`; its line said only `ok` (an operator's trial)."""
    from solver.sweep.command import result_lines

    view = error_view("base", "")
    result = TaskResult(
        "base", "optimal", 0, 1.0, view, summary={"explanation": "not given: interrupted"}
    )
    (line,) = result_lines(result, Path("out/base.xlsx"))
    assert line.endswith("(explanation not given: interrupted)  -> out/base.xlsx")
    result.summary = {"explanation": "given"}
    assert "explanation" not in result_lines(result, None)[0]


def test_an_infeasible_scenario_names_its_conflict_under_its_line(tmp_path: Path) -> None:
    """`impossible` makes S1 hard at 5 INF where A and B pledge 2 each: its FAIL line is
    followed by the rules that conflict, as `solve` says them (the line said only `hard
    requirements and caveats cannot all hold`: a trial)."""
    case = small_case(
        tmp_path / "case.xlsx", *(s for s in SCENARIOS if s["scenario"] == "impossible")
    )
    result = sweep(case, "-o", tmp_path / "out", "--workers", "1")
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "impossible" in line and "infeasible" in line)
    assert lines[at + 1] == "      these rules cannot all hold together:"
    assert lines[at + 2].startswith("        - S1 needs 5 INF in full")


def test_a_scenario_out_of_memory_in_a_stage_fails_and_says_why() -> None:
    """A scenario whose stage ran out of memory keeps its plan (written) but failed, exit 1: its
    line is FAIL, not `ok`, with a line below saying which stage and what to do (a fault
    trial: `ok ... feasible`, `2 solved, 0 not`, exit 0)."""
    from solver.sweep.command import result_lines

    summary = {
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "feasible",
        "stage.shortfall.p2.stopped": "memory",
    }
    result = TaskResult("base", "feasible", 1, 1.0, error_view("base", ""), summary=summary)
    first, why = result_lines(result, Path("out/base.xlsx"))
    assert "FAIL" in first
    assert "nothing written" not in first
    assert why.strip().startswith("out of memory in stage shortfall.p2: the plan so far is written")


def test_a_sweep_keeps_an_earlier_better_plan_over_one_kept_out_of_memory(
    tmp_path: Path,
) -> None:
    """At a sweep's end an earlier run's plan set aside stays when this run's scenario ran out
    of memory with a worse plan (as `solve` keeps an output's), and the note says so (a fault
    trial: the earlier plans were removed as `a better plan ... a longer run's?`); a worse plan
    of a run that ran to its end replaces it as asked."""
    from solver import api
    from solver.sweep.earlier import EARLIER, settle

    from .workbooks import simple_case

    src = simple_case(tmp_path / "c.xlsx")
    result = api.solve(src)
    folder = tmp_path / "sweep"
    (folder / EARLIER).mkdir(parents=True)
    earlier = api.write(result, folder / EARLIER / "base.xlsx", [src])
    mine = folder / "base.xlsx"
    worse = dict(result.tables.summary)
    worse["objective.shortfall.p1"] = float(worse["objective.shortfall.p1"]) + 1
    worse["stage.shortfall.p1.stopped"] = "memory"
    (note,) = settle(folder, {mine: worse})
    assert note.startswith(f"kept {earlier}: a better plan of the same workbook and scenario")
    assert "in this out of memory run's plan" in note and earlier.is_file()
    del worse["stage.shortfall.p1.stopped"]
    notes = settle(folder, {mine: worse})
    assert not earlier.exists() and not any(n.startswith("kept") for n in notes)
