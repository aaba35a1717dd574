"""`verify INPUT PLAN --baseline FILE` says every file's problems in one run, each named with
its file, sheet and cell (exit 2): the first file refused stopped the run, and a plan missing
its `units` column hid the baseline's bad cells, a bad input cell both files'
(verify/all_files.py). `solve` and `validate` beside a refused workbook say plainly that the
baseline's names and periods are not checked (io/baseline_cells.py).

rotation.xlsx's timed output's Tours: A contributor, C site, D from, G units.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main

from .baseline_input_case import solved_output
from .conftest import ROOT
from .workbooks import simple_case

ROTATION = ROOT / "inputs" / "reference" / "rotation.xlsx"
HEADER = (
    "error: hdr.xlsx Tours!1:1: required column 'units' is missing (columns found: "
    "contributor, capability, site, from, to, months, unit, personnel, start_date, end_date)"
)
UNITS = "error: many.xlsx Tours!G4: units must be a whole number >= 0, got 'two'"
PERIOD = (
    "error: many.xlsx Tours!D6: from '2027-13' is not a period of the input (2027-01..2027-08) "
    "(did you mean '2027-08'?)"
)
BLANK = "error: many.xlsx Tours!A8: contributor is required"
UNCHECKED = (
    "its contributors, capabilities, sites and periods are not checked against bad.xlsx, "
    "which could not be read (its errors say why): they are once it reads"
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of rotation.xlsx's output (rot.xlsx), it with Tours' `units` header renamed
    `unit` (hdr.xlsx), it with four bad cells (many.xlsx: G4 'two', D6 '2027-13', C7 'Kyev',
    A8 blank), and rotation.xlsx with Pledges!C3 'two' (bad.xlsx)."""
    folder = tmp_path_factory.mktemp("files")
    rot = folder / "rot.xlsx"
    api.write(api.solve(ROTATION, work_limit=5), rot)
    for name, cells in (
        ("hdr.xlsx", {"G1": "unit"}),
        ("many.xlsx", {"G4": "two", "D6": "2027-13", "C7": "Kyev", "A8": None}),
    ):
        book = load_workbook(rot)
        for cell, value in cells.items():
            book["Tours"][cell] = value
        book.save(folder / name)
    book = load_workbook(ROTATION)
    book["Pledges"]["C3"] = "two"
    book.save(folder / "bad.xlsx")
    return folder


def _said(files: Path, *args: str) -> tuple[list[str], list[str]]:
    """verify's exit 2 (asserted) with the files named from `files`: its error lines, its
    warning lines."""
    named = [str(files / a) if a.endswith(".xlsx") else a for a in args]
    result = CliRunner().invoke(main, ["verify", *named])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    return [x for x in lines if x.startswith("error:")], [x for x in lines if "warning:" in x]


def test_a_plan_missing_a_column_and_a_baseline_s_bad_cells_said_at_once(files: Path) -> None:
    """The plan hdr.xlsx lacks `units`, the baseline many.xlsx has four bad cells (C7 'Kyev',
    unlocked, is a warning): all in one run, each named with its file; swapped, the same
    (before: only the baseline's, then only the other half)."""
    errors, warnings = _said(files, str(ROTATION), "hdr.xlsx", "--baseline", "many.xlsx")
    assert errors[0] == HEADER
    assert errors[1:] == [UNITS, PERIOD, BLANK + "; fill in the cell"]
    assert any("many.xlsx Tours!C7: site 'Kyev'" in w for w in warnings), warnings
    errors, _ = _said(files, str(ROTATION), "many.xlsx", "--baseline", "hdr.xlsx")
    assert errors[:2] == [UNITS, PERIOD] and errors[3] == BLANK
    assert errors[2].startswith("error: many.xlsx Tours!C7: site 'Kyev' is not on the Sites")
    assert errors[4:] == [HEADER]


def test_a_refused_input_beside_the_plan_s_own_bad_cells(files: Path) -> None:
    """bad.xlsx (Pledges!C3 'two') and the plan many.xlsx: the input's error, the plan's cells
    that need no input (G4, A8), and a warning that its names and periods are not checked
    (before: only the input's error)."""
    errors, warnings = _said(files, "bad.xlsx", "many.xlsx")
    assert errors == [
        "error: bad.xlsx Pledges!C3: units must be a whole number >= 0, got 'two'",
        UNITS,
        BLANK,
    ]
    assert f"warning: many.xlsx: {UNCHECKED}" in warnings


def test_every_one_of_three_files_said_at_once(files: Path) -> None:
    """bad.xlsx, the plan hdr.xlsx and the baseline many.xlsx: each file's errors, named with
    it, and the plan's and baseline's names and periods said unchecked (before: the input's
    error alone)."""
    errors, warnings = _said(files, "bad.xlsx", "hdr.xlsx", "--baseline", "many.xlsx")
    assert errors == [
        "error: bad.xlsx Pledges!C3: units must be a whole number >= 0, got 'two'",
        HEADER,
        UNITS,
        BLANK + "; fill in the cell",
    ]
    assert f"warning: hdr.xlsx: {UNCHECKED}" in warnings
    assert f"warning: many.xlsx: {UNCHECKED}" in warnings


def test_a_plan_that_is_no_file_beside_the_baseline_s_errors(files: Path) -> None:
    """A plan path that does not exist and the baseline many.xlsx: both (before: the plan's)."""
    errors, _ = _said(files, str(ROTATION), "gone.xlsx", "--baseline", "many.xlsx")
    assert errors[0].startswith("error: ") and errors[0].endswith("gone.xlsx: file not found")
    assert errors[1:] == [UNITS, PERIOD, BLANK + "; fill in the cell"]


def test_solve_says_the_baseline_s_names_are_not_checked(files: Path) -> None:
    """solve bad.xlsx --baseline many.xlsx: the input's error and the file's own (G4, A8), and,
    of its 'Kyev' and '2027-13' that need the workbook, a warning that they are not checked
    (before: nothing said of them)."""
    out = files / "out.xlsx"
    bad, many = str(files / "bad.xlsx"), str(files / "many.xlsx")
    result = CliRunner().invoke(
        main, ["solve", bad, "--baseline", many, "-o", str(out), "--work-limit", "5"]
    )
    assert result.exit_code == 2, result.output
    assert "warning: many.xlsx: its contributors, capabilities, sites and periods are not " in (
        result.output
    )
    assert not out.exists()


def test_a_snapshot_plan_s_own_bad_cells_beside_a_refused_input(tmp_path: Path) -> None:
    """A snapshot input with Pledges!C2 'two' and its plan with Allocation D2 'two', B3 blank:
    all three errors (the Allocation read without the input)."""
    good = simple_case(tmp_path / "good.xlsx")
    plan = solved_output(tmp_path, good, "plan.xlsx")
    book = load_workbook(plan)
    book["Allocation"]["D2"], book["Allocation"]["B3"] = "two", None
    book.save(plan)
    bad = simple_case(
        tmp_path / "bad.xlsx",
        pledges=[{"contributor": "A", "capability": "INF", "units": "two", "cost_per_unit": 1}],
    )
    errors, _ = _said(tmp_path, "bad.xlsx", "plan.xlsx")
    assert errors == [
        "error: bad.xlsx Pledges!C2: units must be a whole number >= 0, got 'two'",
        "error: plan.xlsx Allocation!D2: units must be a whole number >= 0, got 'two'",
        "error: plan.xlsx Allocation!B3: capability is required",
    ]
    assert bad.exists()
