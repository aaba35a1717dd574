"""What the re-plan CLI tests share (test_replan_cli.py, test_replan_cli_baseline.py,
test_replan_cli_time.py)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from solver.cli import main

from .test_verify_baseline import distance_world


def cli(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def rows(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [tuple(r) for r in wb[sheet].iter_rows(min_row=2, values_only=True)]


def solved_with_re_plan(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """The worlds of `test_snapshot_solve_verify_compare` (B withdraws 1 INF from S2): base
    solved, and new re-planned against base's output; (base_in, new_in, base, new)."""
    base_in, new_in = (
        distance_world(tmp_path / "base.xlsx", 2),
        distance_world(tmp_path / "new.xlsx", 1),
    )
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    assert cli("solve", new_in, "-o", new, "--baseline", base).exit_code == 0
    return base_in, new_in, base, new


def set_summary(path: Path, key: str, value: object) -> None:
    """Write `value` in the Summary row `key` of an output, as a planner's Excel would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Summary"]
    (cell,) = [r[1] for r in ws.iter_rows(min_row=2) if r[0].value == key]
    cell.value = value
    wb.save(path)
