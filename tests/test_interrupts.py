"""Ctrl-C and SIGTERM during a solve, caveat pricing, alternatives and the write: real signals,
sent at a point the run itself reaches (tests/inject.py), so that nothing depends on speed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from solver.cli import main

from .conftest import EXAMPLE, ROOT
from .workbooks import simple_case

TIMED_EXAMPLE = ROOT / "inputs" / "coalition_timed.xlsx"

HANG_GUARD = 600  # seconds: only a hung run ever gets near this


def run_injected(hook: str, nth: int, sig: str, *args: str | Path) -> subprocess.CompletedProcess:
    """forcegen ARGS with SIGsig sent to itself when `hook` is reached the `nth` time."""
    return subprocess.run(
        [sys.executable, "-m", "tests.inject", hook, str(nth), sig, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=ROOT,
    )


def start_injected(hook: str, nth: int, *args: str | Path) -> subprocess.Popen:
    """forcegen ARGS, held when `hook` is reached the `nth` time until the test signals it;
    returns once it is held (it said so on stderr)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.inject", hook, str(nth), "wait", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if f"inject: {hook} reached" in line:
            return proc
    proc.wait(HANG_GUARD)
    raise AssertionError(f"never reached {hook}: {''.join(seen)}")


def finish(proc: subprocess.Popen) -> tuple[str, str]:
    out, err = proc.communicate(timeout=HANG_GUARD)
    return out, err


def sheet_names(path: Path) -> list[str]:
    with pd.ExcelFile(path) as book:
        return [str(name) for name in book.sheet_names]


def summary(path: Path) -> dict:
    frame = pd.read_excel(path, sheet_name="Summary", keep_default_na=False)
    return dict(frame[["key", "value"]].itertuples(index=False))


def test_ctrl_c_while_pricing_writes_unpriced_rules_as_interrupted(tmp_path: Path) -> None:
    """The example's third rule is being re-solved when Ctrl-C arrives: C1 and C2 keep their
    prices (1 priority-1 unit each), C3 and every later rule say `not priced: interrupted`,
    never `costs nothing` (C8 costs 3 units); the plan is written; exit 130."""
    out = tmp_path / "o.xlsx"
    done = run_injected("pricing", 3, "INT", "solve", EXAMPLE, "-o", out, "--price-caveats")
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert "costs nothing" not in done.stdout
    assert "not priced: interrupted (20 of 22 rules): caveat C" in done.stdout
    # the warning says what the Ctrl-C stops: the pricing, not the search for the plan
    assert "ending the caveat prices (the plan is kept" in done.stderr, done.stderr
    assert "best plan found so far" not in done.stderr
    assert "written:" in done.stdout
    prices = pd.read_excel(out, sheet_name="CaveatPrices").set_index("rule")
    assert prices.loc["caveat C1", "costs.shortfall.p1"] == 1
    assert prices.loc["caveat C2", "costs.shortfall.p1"] == 1
    not_priced = prices[prices["status"] == "not priced: interrupted"]
    assert len(not_priced) == 20 and "caveat C8" in not_priced.index
    assert not_priced["costs.shortfall.p1"].isna().all()
    assert (not_priced["summary"] == not_priced.index + ": not priced: interrupted").all()
    s = summary(out)
    assert s["status"] == "optimal"  # the plan itself was solved in full
    assert s["caveat_prices"].startswith("interrupted: 2 of 22 rules priced")
    assert len(pd.read_excel(out, sheet_name="Allocation")) > 0


def test_sigterm_while_pricing_is_the_same_with_exit_143(tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    proc = start_injected("pricing", 1, "solve", EXAMPLE, "-o", out, "--price-caveats")
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = finish(proc)
    assert proc.returncode == 143, stderr
    assert "stopped by SIGTERM" in stderr and "Traceback" not in stderr
    prices = pd.read_excel(out, sheet_name="CaveatPrices")
    assert (prices["status"] == "not priced: interrupted").all()
    assert "costs nothing" not in stdout and "nothing to price" not in stdout


def test_interrupt_between_re_solves_keeps_the_prices_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A KeyboardInterrupt outside HiGHS (in forcegen's own code between two re-solves)."""
    from solver.explain import pricing_inplace

    src = simple_case(
        tmp_path / "c.xlsx",
        caveats=[
            {"id": "CAPB", "contributor": "B", "caveat": "max_units", "value": 1},
            {"id": "MAXA", "contributor": "A", "caveat": "max_units", "value": 5},
        ],
    )
    reprice = pricing_inplace.InPlacePricer.reprice
    calls = []

    def interrupted_second(self, lift, start):
        calls.append(lift.rule)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return reprice(self, lift, start)

    monkeypatch.setattr(pricing_inplace.InPlacePricer, "reprice", interrupted_second)
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--price-caveats"])
    assert result.exit_code == 130, result.output
    prices = pd.read_excel(out, sheet_name="CaveatPrices").set_index("rule")
    assert prices.loc["caveat CAPB", "costs.shortfall.p1"] == 1
    assert prices.loc["caveat MAXA", "status"] == "not priced: interrupted"
    assert "caveat MAXA: not priced: interrupted" in prices["summary"].tolist()


def test_ctrl_c_while_searching_alternatives_says_so(tmp_path: Path) -> None:
    """Ctrl-C during the search for the second of three alternatives: one is kept, the
    Summary and console say interrupted, exit 130 (not 'found before the time limit', 0)."""
    out = tmp_path / "o.xlsx"
    done = run_injected("alternatives", 2, "INT", "solve", EXAMPLE, "-o", out, "--alternatives", 3)
    assert done.returncode == 130, done.stderr
    assert "interrupted: 1 alternative plan found before the interrupt (asked for 3)" in (
        done.stdout
    )
    assert "time limit" not in done.stdout
    s = summary(out)
    assert s["alternatives.status"] == "interrupted"
    assert s["alternatives.found"] == 1
    with pd.ExcelFile(out) as book:
        sheets = book.sheet_names
    assert "Allocation.2" in sheets and "Allocation.3" not in sheets


def test_sigterm_during_solve_writes_the_best_plan_and_exits_143(tmp_path: Path) -> None:
    """SIGTERM while HiGHS runs the first stage: the plan found so far (the construction
    heuristic's) is written, a message names SIGTERM, exit 143."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    proc = start_injected("solve", 1, "solve", case, "-o", out)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = finish(proc)
    assert proc.returncode == 143, stderr
    assert "stopped by SIGTERM" in stderr and "Traceback" not in stderr
    assert "forcegen.solve" not in stderr  # a planner reads messages, not module names
    assert "written:" in stdout
    assert summary(out)["status"] == "interrupted"
    assert len(pd.read_excel(out, sheet_name="Allocation")) > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~tmp")] == []


def test_ctrl_c_during_solve_writes_the_best_plan_and_exits_130(tmp_path: Path) -> None:
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    proc = start_injected("solve", 1, "solve", case, "-o", out)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = finish(proc)
    assert proc.returncode == 130, stderr
    assert "written:" in stdout
    assert "stopped by Ctrl-C" in stderr and "Traceback" not in stderr
    assert summary(out)["status"] == "interrupted"


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_while_writing_still_writes_the_plan(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    """The signal arrives after `status:` is printed, while the output is being written: the
    write completes, then forcegen exits 130 (143 for SIGTERM)."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    proc = start_injected("write", 1, "solve", case, "-o", out)
    proc.send_signal(sig)
    stdout, stderr = finish(proc)
    assert proc.returncode == code, stderr
    assert "status: optimal" in stdout and "written:" in stdout
    assert summary(out)["status"] == "optimal"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~tmp")] == []


def test_temp_file_of_a_killed_writer_is_removed_by_the_next_run(tmp_path: Path) -> None:
    """SIGKILL while the output is being written leaves its temporary file (nothing can remove
    it then); the next write of the same output removes it, and only it: a temp file of
    another output, or of a writer still alive, stays."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    proc = start_injected("fsync", 1, "solve", case, "-o", out)
    proc.kill()
    finish(proc)
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".~tmp-o.xlsx-")]
    assert left == [
        p.name for p in tmp_path.iterdir() if p.name.startswith(f".~tmp-o.xlsx-{proc.pid}-")
    ]
    assert len(left) == 1 and not out.exists()
    other = tmp_path / f".~tmp-other.xlsx-{proc.pid}-abc123"  # another output's, same dead pid
    other.write_bytes(b"partial")
    alive = tmp_path / f".~tmp-o.xlsx-{os.getpid()}-abc123"  # a live writer's (this test)
    alive.write_bytes(b"partial")
    result = CliRunner().invoke(main, ["solve", str(case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    temps = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".~tmp"))
    assert temps == sorted([other.name, alive.name])
    assert summary(out)["status"] == "optimal"


def test_ctrl_c_as_a_stage_finishes_is_no_optimal_plan(tmp_path: Path) -> None:
    """Ctrl-C just after HiGHS finished the first stage, before forcegen saw it: the later
    stages are not solved, so the plan is `interrupted`, never `optimal` (it said `optimal at
    every stage` with the cost not optimised)."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    done = run_injected("solve", 1, "INT-finished", "solve", case, "-o", out)
    assert done.returncode == 130, done.stderr
    s = summary(out)
    assert s["status"] == "interrupted"
    assert s["stage.shortfall.p1.status"] == "optimal"
    assert s["stage.cost.status"] == "not_solved"
    assert "optimal at every stage" not in done.stdout


def test_interrupt_before_the_first_re_solve_still_writes_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the pricing model is built (before any rule): the plan is written, the
    Summary says no rule was priced, exit 130."""
    from solver.explain import pricing_inplace

    def interrupted(self, data, options):
        raise KeyboardInterrupt

    monkeypatch.setattr(pricing_inplace.InPlacePricer, "__init__", interrupted)
    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--price-caveats"])
    assert result.exit_code == 130, result.output
    assert "no rule priced" in result.output
    s = summary(out)
    assert s["status"] == "optimal" and s["caveat_prices"] == "interrupted: no rule priced"


def test_solve_from_another_thread_runs_without_signal_handlers(tmp_path: Path) -> None:
    """Signal handlers can only be set in the main thread: a CLI run from a worker thread (a
    notebook, a GUI) solves as before."""
    import threading

    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    codes = []

    def solve() -> None:
        codes.append(CliRunner().invoke(main, ["solve", str(src), "-o", str(out)]).exit_code)

    worker = threading.Thread(target=solve)
    worker.start()
    worker.join()
    assert codes == [0]


def test_ctrl_c_before_alternatives_writes_the_plan(tmp_path: Path) -> None:
    """Ctrl-C during the solve with --alternatives: no alternative is searched, the plan is
    written (it was an internal error, KeyError, and nothing written)."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    done = run_injected("solve", 1, "INT", "solve", case, "-o", out, "--alternatives", 2)
    assert done.returncode == 130, done.stderr
    assert "alternatives not searched: the solve ended interrupted" in done.stdout
    assert summary(out)["status"] == "interrupted"


def test_infeasible_with_alternatives_exits_3(tmp_path: Path) -> None:
    src = simple_case(
        tmp_path / "c.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 9, "hard": "yes"}],
    )
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--alternatives", "2"])
    assert result.exit_code == 3, result.output
    assert "alternatives not searched: the solve ended infeasible" in result.output


def test_ctrl_c_during_solve_skips_pricing_and_says_so(tmp_path: Path) -> None:
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    done = run_injected("solve", 1, "INT", "solve", case, "-o", out, "--price-caveats")
    assert done.returncode == 130, done.stderr
    assert "caveat prices skipped" in done.stderr
    s = summary(out)
    assert s["status"] == "interrupted" and s["caveat_prices"] == "interrupted: no rule priced"


def test_ctrl_c_while_the_highs_thread_starts_keeps_the_plan(tmp_path: Path) -> None:
    """Ctrl-C inside Thread.start() of HiGHS's worker (it escaped the solver's handler: the
    plan was lost, `interrupted`, nothing written)."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    done = run_injected("start", 1, "INT", "solve", case, "-o", out)
    assert done.returncode == 130, done.stderr
    assert "written:" in done.stdout
    assert summary(out)["status"] == "interrupted"


@pytest.mark.parametrize("sig", ["INT", "TERM"])
def test_a_signal_while_the_tables_are_made_still_writes_the_plan(tmp_path: Path, sig: str) -> None:
    """HiGHS has returned and the result tables are being made: the signal is remembered, the
    plan tabulated, explained and written, then the exit says it came (it lost the plan)."""
    out = tmp_path / "o.xlsx"
    done = run_injected("tables", 1, sig, "solve", EXAMPLE, "-o", out)
    assert done.returncode == (130 if sig == "INT" else 143), done.stderr
    # the plan is the whole run's: not "found so far" (a trial read it as cut short)
    assert "once the search had ended: the plan is the whole run's (optimal)" in done.stderr
    s = summary(out)
    assert s["status"] == "optimal" and "explanation" not in s
    assert "Gaps" in sheet_names(out)


def test_ctrl_c_during_the_gaps_explanation_skips_it_and_keeps_the_plan(tmp_path: Path) -> None:
    """The Gaps explanation (seconds at scale) is what a planner may stop: the plan is written
    without it, the Summary says why, exit 130."""
    out = tmp_path / "o.xlsx"
    done = run_injected("gaps", 1, "INT", "solve", EXAMPLE, "-o", out)
    assert done.returncode == 130, done.stderr
    s = summary(out)
    assert s["status"] == "optimal"
    assert s["explanation"] == "not given: interrupted"
    assert "Gaps" not in sheet_names(out)
    # the console does not send the planner to a sheet that is not there
    assert "Gaps sheet" not in done.stdout.replace("no Gaps sheet:", "")
    assert "no Gaps sheet: Ctrl-C came while the gaps' reasons were worked out" in done.stdout


def test_sigterm_while_the_conflict_is_worked_out_is_said(tmp_path: Path) -> None:
    """The bundled infeasible example: a SIGTERM while its conflict is worked out leaves the
    Infeasibility sheet out; the Summary, the console and the Dashboard say so (the Dashboard
    said 'the Infeasibility sheet says why')."""
    out = tmp_path / "o.xlsx"
    infeasible = ROOT / "inputs" / "coalition_infeasible.xlsx"
    done = run_injected("conflict", 1, "TERM", "solve", infeasible, "-o", out)
    assert done.returncode == 143, done.stderr
    s = summary(out)
    assert s["status"] == "infeasible"
    assert s["explanation"] == "not given: terminated (SIGTERM)"
    assert "Infeasibility" not in sheet_names(out)
    said = "no Infeasibility sheet: SIGTERM came while the conflict was worked out"
    assert said in done.stdout
    dashboard = pd.read_excel(out, sheet_name="Dashboard", header=None)
    cells = [str(v) for v in dashboard.to_numpy().ravel()]
    assert "none: no allocation exists (why not given: terminated (SIGTERM))" in cells
    assert not any("the Infeasibility sheet says why" in c for c in cells)


@pytest.mark.parametrize("timed", [False, True])
def test_sigterm_during_the_gaps_explanation_is_named(tmp_path: Path, timed: bool) -> None:
    """A SIGTERM there: exit 143, the Summary and the console name it, not Ctrl-C. In time the
    Sustainability sheet is written, with the reasons found before the stop only. (The timed
    example under a work limit of 2: a plan, and lines short.)"""
    out = tmp_path / "o.xlsx"
    args = [TIMED_EXAMPLE, "--work-limit", "2"] if timed else [EXAMPLE]
    done = run_injected("gaps", 1, "TERM", "solve", *args, "-o", out)
    assert done.returncode == 143, done.stderr
    assert summary(out)["explanation"] == "not given: terminated (SIGTERM)"
    assert "Gaps" not in sheet_names(out)
    missing = "no Gaps sheet, some reasons blank in Sustainability" if timed else "no Gaps sheet"
    assert f"{missing}: SIGTERM came while the gaps' reasons were worked out" in done.stdout
    assert "with reasons in the Gaps sheet" not in done.stdout


@pytest.mark.parametrize(
    ("sig", "code", "name"), [("INT", 130, "Ctrl-C"), ("TERM", 143, "SIGTERM")]
)
def test_a_signal_just_after_the_plan_is_written_says_it_is_written(
    tmp_path: Path, sig: str, code: int, name: str
) -> None:
    """The signal comes as `written: ...` has been printed: the output is complete, and the
    message says so (it said 'nothing was written', or the process died without a word)."""
    out = tmp_path / "o.xlsx"
    done = run_injected("written", 1, sig, "solve", simple_case(tmp_path / "c.xlsx"), "-o", out)
    assert done.returncode == code, done.stderr
    assert "written:" in done.stdout and "Traceback" not in done.stderr
    assert f"stopped by {name}" in done.stderr and "once the search had ended" in done.stderr
    assert "the plan is the whole run's (optimal) and is written" in done.stderr
    assert "nothing was written" not in done.stderr
    assert summary(out)["status"] == "optimal"
