"""`forcegen sweep`: every scenario into its own output, in parallel, plus comparison.xlsx."""

from __future__ import annotations

import io
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.compare import error_view, from_tables
from solver.errors import UsageError
from solver.sweep import run_sweep, withdraw
from solver.sweep.prepare import file_names
from solver.sweep.progress import Progress
from solver.sweep.run import SweepReport
from solver.sweep.task import TaskResult

from .conftest import EXAMPLE
from .workbooks import distance_case, simple_case

TIMING = ("solve_seconds", "seconds.")
# seconds: a time limit no solve in these tests comes near (they take well under 10 CPU seconds),
# so that no result depends on how busy the machine is: a limit that binds changes the answer
UNREACHABLE = 3600
SECONDS = re.compile(r"in \d+(\.\d+)? s\b")


def scen(name: str, sheet: str, key: str, column: str, value: Any = None) -> dict[str, Any]:
    return {"scenario": name, "sheet": sheet, "key": key, "column": column, "value": value}


def small_case(path: Path, *scenarios: dict[str, Any]) -> Path:
    """A at S1's place, B at S2's (distance cost: A->S1 and B->S2 is the unique optimum);
    S1 is priority 1, S2 priority 2; each needs 2 INF, each contributor pledges 2."""
    return distance_case(
        path,
        second_priority=2,
        caveats=[{"id": "C1", "contributor": "B", "caveat": "max_units", "value": 2}],
        scenarios=list(scenarios),
        settings={"threads": 1, "time_limit": UNREACHABLE},
    )


SCENARIOS = (
    scen("more", "Requirements", "S1/INF", "units", 3),
    scen("broken", "Pledges", "A/INF", "units", "two"),
    scen("impossible", "Requirements", "S1/INF", "hard", "yes"),
    scen("impossible", "Requirements", "S1/INF", "units", 5),
    scen("b_gone", "Contributors", "B", "drop"),
)


def sweep(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["sweep", *(str(a) for a in args)])


def sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values, without the Summary's timings (its timing rows, and a time
    in seconds inside a text such as 'placed in 0.02 s')."""
    wb = load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if ws.title == "Summary":
            rows = [
                (k, SECONDS.sub("in <t> s", v) if isinstance(v, str) else v)
                for k, v in rows
                if not str(k).startswith(TIMING)
            ]
        out[ws.title] = rows
    wb.close()
    return out


def table(path: Path, sheet: str) -> pd.DataFrame:
    rows = sheets(path)[sheet]
    return pd.DataFrame(rows[1:], columns=rows[0])


def summary(path: Path) -> dict[str, Any]:
    return dict(sheets(path)["Summary"][1:])


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    """The small case with five scenarios, swept once by two worker processes."""
    folder = tmp_path_factory.mktemp("sweep")
    src = small_case(folder / "case.xlsx", *SCENARIOS)
    out = folder / "out"
    return src, out, sweep(src, "-o", out, "--workers", "2")


def test_every_scenario_is_written_and_a_failure_stops_no_other(swept) -> None:
    _, out, result = swept
    # invalid input (2) is worse than infeasible (3): the worst meaningful code wins
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "b_gone.xlsx",
        "base.xlsx",
        "comparison.xlsx",
        "impossible.xlsx",
        "more.xlsx",
    ]
    lines = result.stdout.splitlines()
    broken = next(i for i, line in enumerate(lines) if "broken" in line)
    assert lines[broken].startswith("FAIL  broken") and "(exit 2, nothing written)" in lines[broken]
    assert (
        lines[broken + 1]
        .strip()
        .startswith("Scenarios!E3: scenario 'broken': units must be a whole number >= 0, got 'two'")
    )
    assert any(line.startswith("FAIL  impossible") and "infeasible" in line for line in lines)
    assert any(line.startswith("ok    b_gone") for line in lines)
    assert "sweep: 5 scenarios: 3 solved, 2 not" in result.stdout
    assert "[5/5] " in result.stderr  # the progress, as plain lines (not a terminal)
    assert summary(out / "impossible.xlsx")["status"] == "infeasible"


def test_comparison_figures_equal_the_outputs(swept) -> None:
    _, out, _ = swept
    cmp = out / "comparison.xlsx"
    ov = table(cmp, "Scenarios").set_index("scenario")
    assert list(ov.index) == ["base", "more", "broken", "impossible", "b_gone"]
    assert ov.at["broken", "status"] == "error"
    assert "scenario 'broken': units must be" in ov.at["broken", "remark"]
    assert "drops Contributors B" in ov.at["b_gone", "remark"]
    # an infeasible scenario's row says where its reason is (a CI reader found it blank)
    assert ov.at["impossible", "remark"].startswith(
        "no plan: the rules in conflict are on the Infeasibility sheet"
    )
    sites, people = table(cmp, "Sites"), table(cmp, "Contributors").set_index("contributor")
    for name in ("base", "more", "impossible", "b_gone"):
        s = summary(out / f"{name}.xlsx")
        row = ov.loc[name]
        assert row["status"] == s["status"]
        for key in [k for k in s if k.startswith(("objective.", "shortfall_units"))] + [
            "coverage_pct",
            "deployed_personnel",
            "allocated_units",
        ]:
            if s["status"] == "infeasible":  # no plan: blank in the comparison
                assert s[key] is None or not key.startswith("objective.")
                assert pd.isna(row[key]), (name, key)
                continue
            assert row[key] == s[key], (name, key)
        if s["status"] == "infeasible":
            assert sites[name].isna().all()
            continue
        coverage = table(out / f"{name}.xlsx", "Coverage")
        got = sites.set_index(["site", "capability"])[name]
        for r in coverage.itertuples():
            assert got[(r.site, r.capability)] == r.allocated
        for r in table(out / f"{name}.xlsx", "Contributors").itertuples():
            assert people.at[r.contributor, f"{name} units"] == r.deployed_units
            assert people.at[r.contributor, f"{name} personnel"] == r.deployed_personnel
    # hand-checked: with S1 raised to 3, one of B's units moves from S2 to S1
    assert sites.set_index(["site", "capability"]).loc[("S2", "INF"), "Δ more"] == -1
    assert people.at["B", "Δ b_gone units"] == -2 and people.at["B", "Δ b_gone personnel"] == -200
    changes = table(cmp, "Changes")
    assert changes[changes["scenario"] == "b_gone"][["contributor", "change"]].values.tolist() == [
        ["B", "removed"]
    ]
    charts = load_workbook(cmp)["Charts"]._charts
    assert len(charts) == 2


def test_sweep_output_equals_solve_scenario(swept, tmp_path: Path) -> None:
    src, out, _ = swept
    for name in ("base", "more"):
        mine = tmp_path / f"{name}.xlsx"
        result = CliRunner().invoke(main, ["solve", str(src), "--scenario", name, "-o", str(mine)])
        assert result.exit_code == 0, result.output
        assert sheets(mine) == sheets(out / f"{name}.xlsx"), name


def test_withdrawing_a_contributor_unavailable_in_base_says_so(tmp_path: Path) -> None:
    """USA is on the Contributors sheet, `unavailable`: `--withdraw USA` said "not an
    available contributor (did you mean 'AUS'?)", pointing the planner at Australia."""
    src = simple_case(
        tmp_path / "c.xlsx",
        contributors=[
            {"contributor": "AUS", "lat": 0, "lon": 0},
            {"contributor": "USA", "lat": 0, "lon": 1, "status": "unavailable"},
        ],
        pledges=[
            {"contributor": "AUS", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "USA", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
    )
    result = sweep(src, "-o", tmp_path / "out", "--withdraw", "USA", "--workers", "1")
    assert result.exit_code == 2
    assert (
        "cannot withdraw 'USA': its status is 'unavailable' in the workbook, so it deploys "
        "nothing already"
    ) in result.output
    assert "did you mean" not in result.output


def test_withdraw_each_adds_one_generated_scenario_per_available_contributor(
    tmp_path: Path,
) -> None:
    src = small_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "--withdraw-each", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "base.xlsx",
        "comparison.xlsx",
        "withdraw_A.xlsx",
        "withdraw_B.xlsx",
    ]
    s = summary(out / "withdraw_A.xlsx")
    assert s["scenario"] == "withdraw_A"
    assert s["note.1"].startswith("generated scenario withdraw_A: A withdraws")
    # S1 is priority 1: B's 2 units move there, S2 (priority 2) goes short; cost breaks the tie
    assert (s["objective.shortfall.p1"], s["objective.shortfall.p2"]) == (0, 2)
    # the output is what the API gives for the same generated scenario
    result_a = api.solve(withdraw(api.read(src), "A"))
    expected = from_tables("withdraw_A", result_a.tables)
    got = table(out / "withdraw_A.xlsx", "Allocation")
    assert got.values.tolist() == expected.allocation.values.tolist()
    robust = table(out / "comparison.xlsx", "Robustness")
    assert robust[["rank", "withdrawn"]].values.tolist() == [[1, "A"], [2, "B"]]
    assert robust.at[0, "where"] == "S2/INF 2->0"
    assert "withdrawals that hurt most" in result.output


def test_dask_local_cluster_gives_the_local_pools_tables(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    src = small_case(tmp_path / "case.xlsx", *SCENARIOS)
    local = run_sweep(src, out_dir=tmp_path / "local", workers=1)
    with warnings.catch_warnings():
        # only while the cluster starts and stops: Dask may warn about its own ports and threads
        warnings.filterwarnings("ignore", module="distributed")
        with distributed.LocalCluster(
            processes=False,
            n_workers=1,
            threads_per_worker=1,
            dashboard_address="127.0.0.1:0",  # in-process; its web pages on loopback only
            worker_dashboard_address="127.0.0.1:0",
        ) as cluster:
            remote = run_sweep(src, out_dir=tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert remote.runner.startswith("Dask at ")
    assert remote.exit_code == local.exit_code == 2
    assert [r.status for r in remote.results] == [r.status for r in local.results]
    for a, b in zip(local.results, remote.results, strict=True):
        pd.testing.assert_frame_equal(a.view.allocation, b.view.allocation)
        pd.testing.assert_frame_equal(a.view.lines, b.view.lines)
        assert a.view.stages == b.view.stages
    assert local.comparison is not None and remote.comparison is not None
    for name in ("overview", "sites", "contributors", "changes"):
        pd.testing.assert_frame_equal(
            getattr(local.comparison, name), getattr(remote.comparison, name)
        )
    for name in ("base.xlsx", "more.xlsx", "b_gone.xlsx", "comparison.xlsx"):
        assert sheets(tmp_path / "local" / name) == sheets(tmp_path / "dask" / name), name


def test_scheduler_without_dask_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    src = small_case(tmp_path / "case.xlsx")
    result = sweep(src, "-o", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2
    assert "pip install 'forcegen[distributed]'" in result.output


def test_an_unknown_scenario_name_is_a_usage_error(tmp_path: Path) -> None:
    src = small_case(tmp_path / "case.xlsx", *SCENARIOS)
    result = sweep(src, "-o", tmp_path / "out", "-s", "mroe")
    assert result.exit_code == 2
    assert "scenario 'mroe' is not in the Scenarios sheet" in result.output
    assert "did you mean 'more'" in result.output
    assert not (tmp_path / "out").exists()


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


def test_an_unknown_withdrawal_is_refused(tmp_path: Path) -> None:
    data = api.read(small_case(tmp_path / "case.xlsx"))
    with pytest.raises(UsageError, match="cannot withdraw 'Z'"):
        withdraw(data, "Z")


@pytest.mark.slow
def test_coalition_sweep_with_every_withdrawal(tmp_path: Path) -> None:
    """The bundled example end to end: 6 scenarios and 30 withdrawals on two workers (30 s on
    two idle cores, minutes on a busy machine); the comparison's figures are the per-scenario
    outputs'. The time limit cannot bind (each scenario takes about 2 CPU seconds): with the
    20 s it once had, a loaded machine ended a scenario `feasible` and the test failed."""
    out = tmp_path / "coalition"
    limit = str(UNREACHABLE)
    result = sweep(EXAMPLE, "-o", out, "--withdraw-each", "--workers", "2", "--time-limit", limit)
    assert result.exit_code == 0, result.output
    ov = table(out / "comparison.xlsx", "Scenarios").set_index("scenario")
    assert len(ov) == 36 and (ov["status"] == "optimal").all()
    assert ov.index[:6].tolist() == [
        "base",
        "us_backstop",
        "monitoring",
        "surge_p1",
        "italy_out",
        "mandate_raise",
    ]
    for name in ov.index:
        s = summary(out / f"{name}.xlsx")
        for key in ("objective.shortfall.p1", "objective.cost", "coverage_pct"):
            assert ov.at[name, key] == s[key], (name, key)
    assert ov.at["us_backstop", "Δ shortfall_units.p1"] == -3
    robust = table(out / "comparison.xlsx", "Robustness")
    assert robust.at[0, "withdrawn"] == "FRA"


def test_an_interrupted_solve_stops_the_sweep_and_keeps_what_finished(
    tmp_path: Path, monkeypatch
) -> None:
    from solver.sweep import backends
    from solver.sweep.task import run_task

    def interrupted_at_more(task):
        result = run_task(task)
        if task.scenario == "more":
            result.status, result.exit_code = "interrupted", 130
        return result

    monkeypatch.setattr(backends, "run_task", interrupted_at_more)
    src = small_case(tmp_path / "case.xlsx", *SCENARIOS)
    report = run_sweep(src, out_dir=tmp_path / "out", workers=1)
    assert report.interrupted and report.exit_code == 130
    assert [r.status for r in report.results] == [
        "optimal",
        "interrupted",
        "not_run",
        "not_run",
        "not_run",
    ]
    assert (tmp_path / "out" / "comparison.xlsx").is_file()


def test_an_output_that_cannot_be_written_fails_only_its_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk as base.xlsx is written (atomic_write raising, as it does for ENOSPC): base
    is an error of its own, saying it was solved but not written; the other scenarios are
    solved and written, and so is the comparison (before, the sweep ended there, exit 2)."""
    from solver.sweep import run as sweep_run

    real = sweep_run.atomic_write

    def full_for_base(path: Path, data: bytes) -> None:
        if path.name == "base.xlsx":
            raise UsageError("cannot write base.xlsx: No space left on device")
        real(path, data)

    monkeypatch.setattr(sweep_run, "atomic_write", full_for_base)
    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0], SCENARIOS[4])  # more, b_gone
    report = run_sweep(src, out_dir=tmp_path / "out", workers=1, stable=False)
    by_name = {r.scenario: r for r in report.results}
    assert by_name["base"].status == "error"
    assert by_name["base"].errors == [
        "solved (optimal) but not written: cannot write base.xlsx: No space left on device"
    ]
    others = [r for r in report.results if r.scenario != "base"]
    assert others and all(r.status == "optimal" for r in others)
    assert all((tmp_path / "out" / f"{r.scenario}.xlsx").is_file() for r in others)
    assert not (tmp_path / "out" / "base.xlsx").exists()
    assert (tmp_path / "out" / "comparison.xlsx").is_file()
    assert report.exit_code == 2  # as `solve` exits for an output it cannot write


def test_an_earlier_runs_outputs_are_removed_before_solving_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep into a folder that holds an earlier run's outputs: they are removed before it
    solves, so that a scenario this run does not finish (here `more`, stopped) leaves no
    earlier plan that looks like this run's. A plan edited by hand there is refused, exit 2."""
    from solver.sweep import backends
    from solver.sweep.task import run_task

    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])  # more
    out = tmp_path / "out"
    run_sweep(src, out_dir=out, workers=1)
    assert (out / "more.xlsx").is_file()

    def stopped_at_more(task):  # type: ignore[no-untyped-def]
        if task.scenario == "more":
            raise KeyboardInterrupt
        return run_task(task)

    monkeypatch.setattr(backends, "run_task", stopped_at_more)
    report = run_sweep(src, out_dir=out, workers=1)
    assert [r.status for r in report.results] == ["optimal", "not_run"]
    assert not (out / "more.xlsx").exists()
    assert any("removed 3 output(s) of an earlier run" in n for n in report.notes)

    book = load_workbook(out / "base.xlsx")
    book["Allocation"]["D2"] = 1  # a planner's edit
    book.save(out / "base.xlsx")
    with pytest.raises(UsageError, match="edited by hand"):
        run_sweep(src, out_dir=out, workers=1)
    # a sweep refused for another reason (here: no Dask scheduler there) removes nothing
    book["Allocation"]["D2"] = None
    (out / "base.xlsx").unlink()
    kept = sorted(p.name for p in out.iterdir())
    with pytest.raises(UsageError):
        run_sweep(src, out_dir=out, scheduler="tcp://127.0.0.1:1")
    assert sorted(p.name for p in out.iterdir()) == kept and kept


def test_earlier_outputs_are_removed_all_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An earlier run's base.xlsx, more.xlsx and comparison.xlsx, the second one not removable
    (immutable, or locked by another program; here its rename fails): the sweep is refused and
    the folder is as it was. Before, base.xlsx was gone already, the comparison naming it."""
    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])  # more
    out = tmp_path / "out"
    run_sweep(src, out_dir=out, workers=1)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"base.xlsx", "more.xlsx", "comparison.xlsx"} <= set(before)
    rename = Path.rename

    def immutable_more(self: Path, target: Any) -> Path:
        if self.name == "more.xlsx":
            raise PermissionError(1, "Operation not permitted")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", immutable_more)
    with pytest.raises(UsageError, match=r"cannot remove .*more\.xlsx.*nothing was removed"):
        run_sweep(src, out_dir=out, workers=1)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before

    # a Ctrl-C while they are moved aside: put back too, and the Ctrl-C goes on
    from solver.sweep.folder import clear_earlier_outputs

    def interrupted_at_more(self: Path, target: Any) -> Path:
        if self.name == "more.xlsx":
            raise KeyboardInterrupt
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", interrupted_at_more)
    with pytest.raises(KeyboardInterrupt):
        clear_earlier_outputs([out / "base.xlsx", out / "more.xlsx"])
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


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


def test_a_workbook_that_cannot_be_read_is_refused_at_once_with_every_error(
    tmp_path: Path,
) -> None:
    """Three mistakes in the base case (two units cells, a blank contributor) and two
    scenarios: every error once, with its cell, exit 2, and no folder, output or comparison
    written (before, each scenario's row repeated the first few and comparison.xlsx was
    written)."""
    src = small_case(tmp_path / "case.xlsx", *SCENARIOS[:1], SCENARIOS[-1])
    wb = load_workbook(src)
    requirements, pledges = wb["Requirements"], wb["Pledges"]
    units = next(c.column_letter for c in requirements[1] if c.value == "units")
    requirements[f"{units}2"], requirements[f"{units}3"] = "three", "four"
    pledges["A2"] = None
    wb.save(src)
    out = tmp_path / "out"
    result = sweep(src, "-o", out)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: Requirements!{units}2: units must be a whole number >= 0, got 'three'",
        f"error: Requirements!{units}3: units must be a whole number >= 0, got 'four'",
        "error: Pledges!A2: contributor is required; fill in the cell",
    ]
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_solve_makes_a_generated_withdrawal_as_the_sweep_does(tmp_path: Path) -> None:
    """`solve -s withdraw_A` said "scenario 'withdraw_A' is not in the Scenarios sheet", so one
    withdrawal of a sweep could not be solved alone (priced, explored); it is the sweep's
    output (no stable re-plan: `--no-stable`), its stages and allocation alike."""
    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "--withdraw", "A", "--no-stable", "--workers", "1")
    assert result.exit_code == 0, result.output
    alone = tmp_path / "alone.xlsx"
    solved = CliRunner().invoke(main, ["solve", str(src), "-s", "withdraw_A", "-o", str(alone)])
    assert solved.exit_code == 0, solved.output
    assert summary(alone)["scenario"] == "withdraw_A"
    for key in ("objective.shortfall.p1", "objective.cost", "objective.presence"):
        assert summary(alone)[key] == summary(out / "withdraw_A.xlsx")[key]
    sheets = [pd.read_excel(p, "Allocation") for p in (alone, out / "withdraw_A.xlsx")]
    pd.testing.assert_frame_equal(*sheets)
    refused = CliRunner().invoke(main, ["solve", str(src), "-s", "withdraw_Z", "-o", str(alone)])
    assert refused.exit_code == 2
    assert "cannot withdraw 'Z': not an available contributor" in refused.output
