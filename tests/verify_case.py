"""What the verify tests share (tests/test_verify*.py, the re-plan and message tests): the
command, a small case solved, its Allocation broken by hand, a caveat row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.verify import verify_file

from .workbooks import simple_case

Alloc = list[tuple[str, str, str, Any]]


def run(*args: object) -> Result:
    return CliRunner().invoke(main, ["verify", *map(str, args)])


def solved(tmp_path: Path, **overrides: Any) -> tuple[Path, Path]:
    """Solve a variant of the simple case; return (input, output) paths."""
    src = simple_case(tmp_path / "case.xlsx", **overrides)
    result = api.solve(src)
    assert result.status == "optimal"
    return src, api.write(result, tmp_path / "case-out.xlsx", [src])


def set_allocation(path: Path, rows: Alloc) -> None:
    """Replace the Allocation rows of an output by hand, as a planner would in Excel."""
    wb = load_workbook(path)
    ws = wb["Allocation"]
    ws.delete_rows(2, ws.max_row)
    for row in rows:
        ws.append([*row, None])
    wb.save(path)


def broken(tmp_path: Path, rows: Alloc, **overrides: Any) -> tuple[Result, list[str]]:
    """Solve, check the solved output holds, break it, verify it: (result, violation lines)."""
    src, out = solved(tmp_path, **overrides)
    clean = run(src, out)
    assert clean.exit_code == 0, clean.output
    set_allocation(out, rows)
    res = run(src, out)
    assert res.exit_code == 3, res.output
    report = verify_file(src, out)
    return res, [v.message for v in report.violations]


def caveat(kind: str, cid: str = "K1", contributor: str = "A", **fields: Any) -> dict[str, Any]:
    return {"id": cid, "contributor": contributor, "caveat": kind, **fields}
