"""`forcegen compare` and `report` of outputs damaged or edited out of shape: every cell an
input found does not fit named, a renamed header said once, a Summary status no solve writes
refused (split from tests/test_compare_edited.py)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main

from .compare_cases import compare
from .sweep_case import small_case


def test_every_cell_its_found_input_does_not_fit_is_named(tmp_path: Path) -> None:
    """Two rows moved by hand to sites the input lacks ('S9', 'S8'): the note names both cells,
    and the briefing's too (it named only the first: a planner fixed it, ran again and met
    the second; a trial)."""
    case = small_case(tmp_path / "case.xlsx")
    out = api.write(api.solve(case), tmp_path / "out.xlsx", [case])
    wb = load_workbook(out)
    wb["Allocation"]["C2"], wb["Allocation"]["C3"] = "S9", "S8"
    wb.save(out)
    result = compare(out, out)
    assert result.exit_code == 0, result.output
    assert (
        "was found but does not fit (Allocation!C2: site 'S9' is not on the Sites sheet of the "
        "input; Allocation!C3: site 'S8' is not on the Sites sheet of the input): correct those "
        "cells"
    ) in " ".join(result.output.split())
    page = tmp_path / "page.html"
    assert CliRunner().invoke(main, ["report", str(out), "-o", str(page)]).exit_code == 0
    assert "Allocation!C3: site &#39;S8&#39;" in page.read_text(encoding="utf-8")


def test_a_renamed_header_is_one_error_not_one_per_row(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """Allocation's `contributor` header retyped `Nation`: compare and report say the column
    is missing once, at the header, as verify does (they said `contributor is required` at
    every row: 99 lines on the bundled example)."""
    renamed = tmp_path / "renamed.xlsx"
    wb = load_workbook(compared_outputs["base"])
    wb["Allocation"]["A1"] = "Nation"
    wb.save(renamed)
    page = tmp_path / "p.html"
    for argv in (["compare", str(compared_outputs["base"])], ["report", "-o", str(page)]):
        result = CliRunner().invoke(main, [*argv, str(renamed)])
        assert result.exit_code == 2, result.output
        said = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert said == [
            "error: renamed.xlsx Allocation!1:1: required column 'contributor' is missing "
            "(columns found: nation, capability, site, units, personnel)"
        ]
    assert not page.exists()


def test_a_summary_status_no_solve_writes_is_refused(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """The Summary's status retyped `optimall` (or cleared) beside a full plan: compare and
    report refuse the output, naming the cell (they read it as an output without a plan:
    `report` said there was none, `compare` left it out, exit 0; a fault trial)."""
    for typed in ("optimall", None):
        damaged = tmp_path / "damaged.xlsx"
        wb = load_workbook(compared_outputs["base"])
        sheet = wb["Summary"]
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "status")
        row[1].value = typed
        wb.save(damaged)
        page = tmp_path / "p.html"
        for argv in (["compare", str(compared_outputs["base"])], ["report", "-o", str(page)]):
            result = CliRunner().invoke(main, [*argv, str(damaged)])
            assert result.exit_code == 2, result.output
            assert "not one forcegen writes (optimal, feasible, interrupted, infeasible" in (
                result.output
            )
        assert not page.exists()
    said = CliRunner().invoke(main, ["compare", str(compared_outputs["base"]), str(damaged)])
    assert f"damaged.xlsx Summary!B{row[0].row}: status is blank" in said.output


def test_outputs_with_a_sheet_deleted_are_refused_every_one_at_once(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """Coverage deleted from one output, Allocation from another: compare and report refuse
    both, each named (compare read the one without Coverage as a plan filling no line, every
    line 'changed to 0', exit 0; report stopped at the first file)."""
    damaged = []
    for sheet in ("Coverage", "Allocation"):
        wb = load_workbook(compared_outputs["base"])
        del wb[sheet]
        damaged.append(tmp_path / f"no_{sheet.lower()}.xlsx")
        wb.save(damaged[-1])
    page = tmp_path / "p.html"
    for argv in (["compare", str(compared_outputs["base"])], ["report", "-o", str(page)]):
        result = CliRunner().invoke(main, [*argv, *map(str, damaged)])
        assert result.exit_code == 2, result.output
        said = " ".join(line for line in result.output.splitlines() if line.startswith("error:"))
        assert "no_coverage.xlsx" in said and "Coverage" in said, result.output
        assert "no_allocation.xlsx" in said and "Allocation" in said, result.output
    assert not page.exists()


def test_an_excel_error_value_is_one_error_not_two(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """`#REF!` typed over an Allocation units cell: compare says the Excel error once (it also
    said `units is required` at the same cell: a fault trial)."""
    damaged = tmp_path / "ref.xlsx"
    wb = load_workbook(compared_outputs["base"])
    wb["Allocation"]["D2"] = "#REF!"
    wb.save(damaged)
    result = CliRunner().invoke(main, ["compare", str(compared_outputs["base"]), str(damaged)])
    assert result.exit_code == 2, result.output
    said = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert said == [
        "error: ref.xlsx Allocation!D2: Excel error value #REF!; fix the formula or type the value"
    ]
