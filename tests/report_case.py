"""What the report's tests share (tests/test_report*.py): a headless browser, the hand edits of
an output the tests make, and what a page must or must not hold. The bundled example solved
once (`example_briefing`) and forcegen's default folder layout (`example_layout`) are fixtures
of tests/conftest.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))


HOSTILE = "<script>alert(1)</script>"


MAP = "Sites: circle area ~ allocated personnel"  # the map's title: the map was drawn


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def cells(ws, ref: str) -> list:
    """The values of a range like 'Dashboard'!$B$24:$B$34 (or a single cell)."""
    sheet, _, area = ref.partition("!")
    assert sheet.strip("'") == ws.title
    min_col, min_row, max_col, max_row = range_boundaries(area.replace("$", ""))
    rows = ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
    return [c.value for row in rows for c in row]


def chromium() -> str:
    """Debian's chromium; installed with apt-get when missing (as root), else skip."""
    found = shutil.which("chromium")
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            subprocess.run(cmd, env=env, capture_output=True, timeout=300, check=False)
        found = shutil.which("chromium")
    if not found:
        pytest.skip("chromium is not installed and `apt-get install -y chromium` was not possible")
    return found


def browse(html_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="forcegen-chromium-")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    try:
        return subprocess.run(
            [chromium(), *flags, *args, html_path.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def tidy_headers(output: Path, sheets: tuple[str, ...]) -> None:
    """A planner's tidying of an output: each sheet's headers capitalised, with a space after."""
    book = load_workbook(output)
    for name in sheets:
        for cell in book[name][1]:
            if isinstance(cell.value, str):
                cell.value = cell.value.capitalize() + " "
    book.save(output)


def move_pol_inf_bn_to_kyiv(output: Path) -> None:
    """The new user's hand edit: POL's INF_BN moved from LTU-South to Kyiv (where POL's caveat
    C3 keeps its ground units out), every total unchanged."""
    book = load_workbook(output)
    rows = [
        r
        for r in book["Allocation"].iter_rows(min_row=2)
        if [c.value for c in r[:3]] == ["POL", "INF_BN", "LTU-South"]
    ]
    assert len(rows) == 1
    rows[0][2].value = "Kyiv"
    book.save(output)


def with_cost_unit(out: Path, copy: Path, unit: str | None) -> Path:
    """A copy of `out` whose Summary records `unit` as the cost's unit (key `cost.unit`), or,
    with None, records none (an output written before forcegen recorded it)."""
    book = load_workbook(out)
    summary = book["Summary"]
    rows = [r for r in range(1, summary.max_row + 1) if summary.cell(r, 1).value == "cost.unit"]
    for r in reversed(rows):
        summary.delete_rows(r)
    if unit is not None:
        summary.append(["cost.unit", unit])
    book.save(copy)
    return copy
