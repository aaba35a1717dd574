"""Ctrl-C and SIGTERM during a timed solve: a real signal at a point the run reaches (the HiGHS
run of the cost stage's first fix-and-optimise neighbourhood, on an instance of its own:
solve/submodel.py), so that nothing depends on speed. The plan of the stages solved so far is
written, with its tours."""

from __future__ import annotations

import signal
from pathlib import Path

import pandas as pd
import pytest

from .test_interrupts import finish, run_injected, start_injected, summary
from .test_polish import case


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_polishing_writes_the_plan_in_time(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    out = tmp_path / "o.xlsx"
    proc = start_injected("neighbourhood", 1, "solve", case(tmp_path), "-o", out)
    proc.send_signal(sig)
    stdout, stderr = finish(proc)
    assert proc.returncode == code, stderr
    assert "written:" in stdout and "Traceback" not in stderr
    assert summary(out)["status"] == "interrupted"
    tours = pd.read_excel(out, sheet_name="Tours")
    assert len(tours) > 0  # the shortfall stage's plan, as tours
    assert summary(out)["objective.shortfall.p1"] == 0


@pytest.mark.parametrize(("sig", "code"), [("INT", 130), ("TERM", 143)])
def test_a_signal_while_a_neighbourhood_is_built_writes_the_plan(
    tmp_path: Path, sig: str, code: int
) -> None:
    """The signal arrives in forcegen's own code, between two HiGHS runs (as the cost stage's
    first neighbourhood is being built): the plan so far is written all the same."""
    out = tmp_path / "o.xlsx"
    done = run_injected("building", 1, sig, "solve", case(tmp_path), "-o", out)
    assert done.returncode == code, done.stderr
    assert "written:" in done.stdout and "Traceback" not in done.stderr
    assert summary(out)["status"] == "interrupted"
    assert len(pd.read_excel(out, sheet_name="Tours")) > 0
    assert summary(out)["objective.shortfall.p1"] == 0
