"""HiGHS runs that do not return when told to stop (solve/watchdog.py): the plan found before
is written, and the command leaves without waiting for them.

HiGHS is replaced by a run that never returns (its presolve or a long root LP, where it does not
look at a cancel: the bundled timed example's cost stage once took 38 s). Each script prints
`inject: ...` when that run starts, so the test signals it at a known moment, and `atexit ran`
if it left by a normal exit, which with a real HiGHS still running can abort (exit 134): a
command must leave by os._exit then (solve/threads.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd

from .sweep_case import small_case
from .test_faults import HANG_GUARD, summary
from .workbooks import simple_case

ROOT = Path(__file__).resolve().parent.parent

PRELUDE = """
import atexit, sys, threading
from solver.solve import watchdog
never = threading.Event()
real = watchdog.run_masked
stuck_from = {"on": STUCK_AT_ONCE}

def run(h, done):
    if not stuck_from["on"]:
        return real(h, done)
    print("inject: HiGHS runs", file=sys.stderr, flush=True)
    never.wait()

watchdog.run_masked = run
watchdog.STOP_GRACE = 0.5
watchdog.abandon_after = lambda limit: 0.5
atexit.register(lambda: print("atexit ran", flush=True))
"""

MAIN = """
import sys
from solver.cli import main
sys.argv = ["forcegen", *sys.argv[1:]]
main()
"""

PRICING = """
from solver.explain import pricing_inplace
reprice = pricing_inplace.InPlacePricer.reprice

def stuck_reprice(self, lift, start):  # the main solve ran; its re-solves do not return
    stuck_from["on"] = True
    return reprice(self, lift, start)

pricing_inplace.InPlacePricer.reprice = stuck_reprice
"""


def start(script: str, *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *(str(a) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def when_highs_runs(proc: subprocess.Popen[str]) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        if "inject: HiGHS runs" in line:
            return
    raise AssertionError(f"HiGHS never ran (exit {proc.wait(HANG_GUARD)})")


def finish(proc: subprocess.Popen[str]) -> tuple[str, str]:
    try:
        return proc.communicate(timeout=HANG_GUARD)  # waiting for ever: the guard fails it
    finally:
        proc.kill()


def test_highs_that_does_not_stop_after_ctrl_c_still_gives_the_plan(tmp_path: Path) -> None:
    """Ctrl-C while HiGHS does not look at its cancel: after STOP_GRACE the plan so far is
    written and the command leaves (exit 130), so that a planner's second Ctrl-C does not come
    while it still waits and lose the plan."""
    case, out = simple_case(tmp_path / "case.xlsx"), tmp_path / "out.xlsx"
    script = PRELUDE.replace("STUCK_AT_ONCE", "True") + MAIN
    proc = start(script, "solve", case, "-o", out, "--time-limit", "600")
    when_highs_runs(proc)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = finish(proc)
    assert proc.returncode == 130, stderr
    assert "HiGHS did not stop within 0 s" in stderr and "written:" in stdout
    assert "atexit ran" not in stdout
    assert summary(out)["status"] == "interrupted"
    assert len(pd.read_excel(out, sheet_name="Allocation")) > 0  # the heuristic's plan


def test_a_one_worker_sweep_leaves_without_waiting_for_a_highs_left_running(
    tmp_path: Path,
) -> None:
    """The sweep solves in its own process with one worker: stopped, it writes the plan and
    the comparison, then leaves by os._exit while the abandoned run is still busy."""
    case, out = simple_case(tmp_path / "case.xlsx"), tmp_path / "out"
    script = PRELUDE.replace("STUCK_AT_ONCE", "True") + MAIN
    proc = start(script, "sweep", case, "-o", out, "--workers", "1", "--time-limit", "600")
    when_highs_runs(proc)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = finish(proc)
    assert proc.returncode == 130, stderr
    assert "atexit ran" not in stdout, stdout
    assert (out / "comparison.xlsx").is_file() and (out / "base.xlsx").is_file()
    assert summary(out / "base.xlsx")["status"] == "interrupted"


def test_pricing_ends_at_a_re_solve_left_running_and_the_plan_is_written(tmp_path: Path) -> None:
    """A caveat's re-solve that overran its limit and did not return after its cancel: the
    instance cannot serve the next rule, so pricing ends there (the rules not priced say why),
    and the plan is written; before, the next re-solve failed the command with no output.
    Nobody pressed Ctrl-C: the exit code is the plan's (0), not 130 "interrupted" as it was,
    and the console does not say "nothing to price"."""
    case, out = small_case(tmp_path / "case.xlsx"), tmp_path / "out.xlsx"  # a caveat to price
    script = PRELUDE.replace("STUCK_AT_ONCE", "False") + PRICING + MAIN
    args = ["solve", case, "-o", out, "--price-caveats", "--time-limit", "2"]
    proc = start(script, *args)
    stdout, stderr = finish(proc)
    assert "stopped waiting" in stderr and "written:" in stdout, (stdout, stderr)
    assert "atexit ran" not in stdout
    assert proc.returncode == 0, stderr
    assert "HiGHS did not stop at its time limit" in stderr
    assert "nothing to price" not in stdout and "interrupted" not in stdout + stderr
    prices = pd.read_excel(out, sheet_name="CaveatPrices")
    overrun = "not priced: a re-solve did not stop at its time limit"
    assert len(prices) > 0 and (prices["status"] == overrun).all()
    assert f"{overrun} ({len(prices)} of {len(prices)} rules)" in stdout
    assert summary(out)["status"] == "optimal"
    note = summary(out)["caveat_prices"]
    assert note.startswith(f"a re-solve overran its limit: 0 of {len(prices)} rule"), note


def test_pricing_a_workbook_with_nothing_to_price_writes_the_plan(tmp_path: Path) -> None:
    """No caveat and no hard line: an empty CaveatPrices sheet, not an internal error that
    lost the plan (it did)."""
    case, out = simple_case(tmp_path / "case.xlsx"), tmp_path / "out.xlsx"
    stdout, stderr = finish(
        start(
            MAIN,
            "solve",
            case,
            "-o",
            out,
            "--price-caveats",
        )
    )
    assert "internal error" not in stderr and "nothing to price" in stdout, (stdout, stderr)
    assert summary(out)["status"] == "optimal"
    assert pd.read_excel(out, sheet_name="CaveatPrices").empty
