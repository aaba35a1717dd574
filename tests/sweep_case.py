"""The small sweep world and readers of the sweep tests (tests/test_sweep*.py, and the compare,
fault, lock and print tests): base and its scenarios, the sweep command, output sheets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver.cli import main

from .workbooks import distance_case

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


def dead_pid() -> int:
    """The process id of a process that has ended (reaped: nothing answers to it now)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout)


def base_unwritable(monkeypatch: Any) -> None:
    """A full disk as a sweep writes base.xlsx (atomic_write raising, as it does for ENOSPC);
    every other output is written."""
    from solver.errors import UsageError
    from solver.sweep import run as sweep_run

    real = sweep_run.atomic_write

    def full_for_base(path: Path, data: bytes) -> None:
        if path.name == "base.xlsx":
            raise UsageError("cannot write base.xlsx: No space left on device")
        real(path, data)

    monkeypatch.setattr(sweep_run, "atomic_write", full_for_base)


def stopped_at_more(task: Any) -> Any:
    """A sweep task's run (`backends.run_task`) that is stopped by a Ctrl-C at scenario
    `more`, and runs the others."""
    from solver.sweep.task import run_task

    if task.scenario == "more":
        raise KeyboardInterrupt
    return run_task(task)
