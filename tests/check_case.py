"""What the check tests share (tests/test_check*.py, the fault, console and late-stop tests):
the reference cases, the command, a pledge changed by hand, a generous time limit. The `pinned`
fixture (two small reference cases pinned in a temporary folder) is tests/conftest.py's."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver.check.pins import format_pin
from solver.cli import main

from .conftest import ROOT

REFERENCE = ROOT / "inputs" / "reference"


PINS = ROOT / "outputs" / "reference"


CASES = ("chain", "tight")  # two small reference cases; tight's answer moves with one pledge


UNREACHABLE = 3600  # seconds: a time limit that cannot bind (see `unhurried`)


def check(*args: str | Path) -> Result:
    """Run `forcegen check ARGS` (one worker unless given)."""
    argv = ["check", *(str(a) for a in args)]
    if "--workers" not in argv:
        argv += ["--workers", "1"]
    return CliRunner().invoke(main, argv)


def set_pledge(workbook: Path, contributor: str, capability: str, units: int) -> None:
    """Change one pledge's units with openpyxl."""
    wb = load_workbook(workbook)
    ws = wb["Pledges"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == contributor and row[1].value == capability:
            row[2].value = units
            break
    else:
        raise AssertionError(f"no pledge {contributor}/{capability}")
    wb.save(workbook)


def unhurried(workbook: str | Path) -> None:
    """Raise the workbook's time limit to one its solve cannot reach (it takes under a CPU
    second), so that no answer depends on how busy the machine is."""
    wb = load_workbook(workbook)
    for row in wb["Settings"].iter_rows(min_row=2):
        if row[0].value == "time_limit":
            row[1].value = UNREACHABLE
    wb.save(workbook)


def _edit_pin(path: Path, edit: Callable[[dict[str, Any]], Any]) -> None:
    """Change a pin file in place, keeping its format."""
    pin = json.loads(path.read_text())
    edit(pin)
    path.write_text(format_pin(pin))
