"""Ctrl-C and SIGTERM during a timed solve: a real signal at a point the run reaches (the HiGHS
run of the cost stage's first fix-and-optimise neighbourhood, on an instance of its own:
solve/submodel.py), so that nothing depends on speed. The plan of the stages solved so far is
written, with its tours."""

from __future__ import annotations

import signal
from pathlib import Path

import pandas as pd
import pytest

from .test_interrupts import finish, start_injected, summary
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
