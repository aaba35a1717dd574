"""A `lock` column in the plan `verify` checks (locks a planner typed for the next re-plan): not
rules of this plan, so not read, but a cell that `solve --baseline FILE` refuses is said now,
in its words, as a warning (solver/verify/baseline.py `plan_lock_warnings`); `compare` and
`report`, which read the plan too, say it alike."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver.errors import InputError
from solver.io.read import read_data
from solver.verify import verify_file

from .replan_cli_case import cli
from .time_cases import months, timed_case
from .verify_case import solved


def _lock(path: Path, sheet: str, cells: dict[int, str]) -> str:
    """A `lock` column typed after the sheet's last one, with `cells` by row; its letter."""
    book = load_workbook(path)
    ws = book[sheet]
    column = ws.max_column + 1
    ws.cell(1, column, "lock")
    for row, value in cells.items():
        ws.cell(row, column, value)
    book.save(path)
    return ws.cell(1, column).column_letter


def test_an_unreadable_lock_in_the_verified_plan_is_a_warning_in_solve_s_words(
    tmp_path: Path,
) -> None:
    """The solved output with `lock` = `perhaps` in its first row and `yes` in its second:
    verify holds (exit 0: its locks are no rules of the plan) and warns at the `perhaps` cell
    (not the `yes` one) with the words `solve --baseline` refuses it with, exit 2. Before, it
    said nothing, and the planner learnt of it at the re-plan."""
    src, out = solved(tmp_path)
    letter = _lock(out, "Allocation", {2: "perhaps", 3: "yes"})
    report = verify_file(src, out)
    assert report.ok
    said = [(w.where, w.message) for w in report.warnings if "lock" in w.message]
    assert said == [
        (
            f"Allocation!{letter}2",
            "lock must be yes or no, got 'perhaps': verify does not read the plan's own locks, "
            f"but a re-plan against this file (`solve --baseline {out.name}`) refuses the cell; "
            "write yes or no",
        )
    ]
    checked = cli("verify", src, out)
    assert checked.exit_code == 0, checked.output
    replanned = cli("solve", src, "--baseline", out, "-o", tmp_path / "again.xlsx")
    assert replanned.exit_code == 2
    assert f"error: {out.name} Allocation!{letter}2: lock must be yes or no, got 'perhaps'" in (
        replanned.output
    )


def test_a_timed_plan_s_locks_are_its_tours(tmp_path: Path) -> None:
    """Timed, the plan (and a re-plan's baseline) is the Tours sheet: its `lock` cell `maybe`
    is warned about, at its cell; `api`'s reading of the file as a baseline refuses it."""
    from solver.io.baseline_input import read_baseline

    src = timed_case(tmp_path / "t.xlsx", periods=months(2))
    out = tmp_path / "t-out.xlsx"
    assert cli("solve", src, "-o", out).exit_code == 0
    letter = _lock(out, "Tours", {2: "maybe"})
    report = verify_file(src, out)
    assert [w.where for w in report.warnings if "lock must be yes or no" in w.message] == [
        f"Tours!{letter}2"
    ]
    with pytest.raises(InputError) as refused:
        read_baseline(out, read_data(src))
    assert [(e.where, e.message) for e in refused.value.errors] == [
        (f"{out.name} Tours!{letter}2", "lock must be yes or no, got 'maybe'")
    ]


def test_a_lock_cell_holding_an_excel_error_is_said_to(tmp_path: Path) -> None:
    """A `lock` cell holding the Excel error #N/A (a formula's) is named as the readers name
    an error cell, `Excel error value #N/A` (the re-plan refuses it in those words); the text
    `#N/A` typed as text is a text that is no yes or no. Before, both said `got '#N/A'`."""
    src, out = solved(tmp_path)
    letter = _lock(out, "Allocation", {2: "#N/A", 3: "#N/A"})
    book = load_workbook(out)
    text = book["Allocation"][f"{letter}3"]
    text.data_type = "s"  # the same characters typed as text ('#N/A)
    book.save(out)
    report = verify_file(src, out)
    tail = (
        ": verify does not read the plan's own locks, but a re-plan against this file "
        f"(`solve --baseline {out.name}`) refuses the cell; write yes or no"
    )
    assert [(w.where, w.message) for w in report.warnings if "lock" in w.message] == [
        (f"Allocation!{letter}2", f"Excel error value #N/A{tail}"),
        (f"Allocation!{letter}3", f"lock must be yes or no, got '#N/A'{tail}"),
    ]
    replanned = cli("solve", src, "--baseline", out, "-o", tmp_path / "again.xlsx")
    assert replanned.exit_code == 2
    assert (
        f"error: {out.name} Allocation!{letter}2: Excel error value #N/A; fix the formula or "
        "type the value"
    ) in replanned.output


def _said(command: str, file: str, cell: str, got: str) -> str:
    return (
        f"{file}: {cell}: lock must be yes or no, got '{got}': {command} does not read the "
        f"plan's own locks, but a re-plan against this file (`solve --baseline {file}`) "
        "refuses the cell; write yes or no"
    )


def test_compare_and_report_warn_at_it_in_the_same_words(tmp_path: Path) -> None:
    """compare and report read the plan too, and not its locks: each warns at the `perhaps`
    cell as verify does (compare among its notes, report on the console), naming the file;
    both still exit 0. Before, neither said a word."""
    src, out = solved(tmp_path)
    letter = _lock(out, "Allocation", {2: "perhaps", 3: "yes"})
    compared = cli("compare", out)
    assert compared.exit_code == 0, compared.output
    notes = [line for line in compared.output.splitlines() if "lock" in line]
    assert notes == [f"note: {_said('compare', out.name, f'Allocation!{letter}2', 'perhaps')}"]
    reported = cli("report", out, "-o", tmp_path / "page.html", "--input", src)
    assert reported.exit_code == 0, reported.output
    warnings = [line for line in reported.output.splitlines() if "lock" in line]
    said = _said("report", out.name, f"Allocation!{letter}2", "perhaps")
    assert warnings == [f"warning: {said}"]
    # the page says it too, under the status (before: the console alone)
    page = html.unescape((tmp_path / "page.html").read_text(encoding="utf-8"))
    assert f'<p class="note">warning: {said}</p>' in page


def test_compare_and_report_of_a_timed_plan_warn_at_its_tours(tmp_path: Path) -> None:
    """Timed, the plan is the Tours sheet: its `maybe` is warned about by compare and report."""
    src = timed_case(tmp_path / "t.xlsx", periods=months(2))
    out = tmp_path / "t-out.xlsx"
    assert cli("solve", src, "-o", out).exit_code == 0
    letter = _lock(out, "Tours", {2: "maybe"})
    compared = cli("compare", out)
    assert compared.exit_code == 0, compared.output
    assert f"note: {_said('compare', out.name, f'Tours!{letter}2', 'maybe')}" in (
        compared.output.splitlines()
    )
    reported = cli("report", out, "-o", tmp_path / "page.html", "--input", src)
    assert reported.exit_code == 0, reported.output
    assert f"warning: {_said('report', out.name, f'Tours!{letter}2', 'maybe')}" in (
        reported.output.splitlines()
    )


def test_a_lock_cell_holding_a_formula_without_its_value_is_said_to(tmp_path: Path) -> None:
    """A `lock` cell holding a formula written by a program (openpyxl), so with no calculated
    value: it is no blank (its value may be yes), and the re-plan refuses it, as it refuses
    such a cell in any column it reads; verify, compare and report warn at it in those words
    (the formula named), a typed `yes` below saying nothing. Before, the three read it as
    blank and said nothing, and the planner learnt of it at the re-plan."""
    src, out = solved(tmp_path)
    formula = '=IF(1=1,"yes","no")'
    letter = _lock(out, "Allocation", {2: formula, 3: "yes"})
    cell = f"Allocation!{letter}2"
    got = (
        f"formula {formula} has no calculated value (the file was written by a program, not Excel)"
    )
    replanned = cli("solve", src, "--baseline", out, "-o", tmp_path / "again.xlsx")
    assert replanned.exit_code == 2
    assert f"error: {out.name} {cell}: {got}; open and save it in Excel, or type the value" in (
        replanned.output.splitlines()
    )
    checked = cli("verify", src, out)
    assert checked.exit_code == 0, checked.output
    tail = (
        "does not read the plan's own locks, but a re-plan against this file "
        f"(`solve --baseline {out.name}`) refuses the cell; write yes or no"
    )
    assert [line for line in checked.output.splitlines() if "own locks" in line] == [
        f"warning: {cell}: {got}: verify {tail}"
    ]
    compared = cli("compare", out)
    assert compared.exit_code == 0, compared.output
    assert [line for line in compared.output.splitlines() if "own locks" in line] == [
        f"note: {out.name}: {cell}: {got}: compare {tail}"
    ]
    reported = cli("report", out, "-o", tmp_path / "page.html", "--input", src)
    assert reported.exit_code == 0, reported.output
    assert [line for line in reported.output.splitlines() if "own locks" in line] == [
        f"warning: {out.name}: {cell}: {got}: report {tail}"
    ]


def test_an_unreadable_lock_is_said_beside_the_plan_s_cell_errors(tmp_path: Path) -> None:
    """The `perhaps` lock cell and a units cell typed `two` in another row: verify and compare
    refuse the plan (exit 2) and say the lock cell's warning with the error (every problem at
    once; they dropped it while another cell was in error: a planner trial)."""
    src, out = solved(tmp_path)
    letter = _lock(out, "Allocation", {2: "perhaps"})
    book = load_workbook(out)
    book["Allocation"]["D3"] = "two"
    book.save(out)
    with pytest.raises(InputError) as refused:
        verify_file(src, out)
    assert [e.where for e in refused.value.errors] == ["Allocation!D3"]
    assert [w.where for w in refused.value.warnings if "lock" in w.message] == [
        f"Allocation!{letter}2"
    ]
    for argv in (["verify", src, out], ["compare", out, out]):
        said = cli(*argv)
        assert said.exit_code == 2, said.output
        assert "lock must be yes or no, got 'perhaps'" in said.output, argv
