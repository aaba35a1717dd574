"""Every output sheet prints readably: landscape, one page wide, the header row repeated on each
page, and the sheet's name and page numbers in the footer -- read back from the written files
(the table bodies are spliced into openpyxl's XML, so this checks the splice keeps them)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from solver import api
from solver.cli import main

from .sweep_case import scen, small_case


def assert_prints_well(ws: Worksheet, title_row: bool = True) -> None:
    where = f"sheet {ws.title}"
    assert ws.page_setup.orientation == "landscape", where
    assert ws.sheet_properties.pageSetUpPr.fitToPage, where
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), where
    assert ws.print_title_rows == ("$1:$1" if title_row else None), where
    assert ws.oddFooter.left.text == "&A", where
    assert ws.oddFooter.right.text == "Page &P of &N", where


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A solve output, a sweep (outputs and its comparison), a compare and a verify report."""
    folder = tmp_path_factory.mktemp("print")
    src = small_case(
        folder / "case.xlsx", scen("b_out", "Contributors", "B", "status", "unavailable")
    )
    paths = {"solve": api.write(api.solve(src), folder / "solve.xlsx", [src])}
    run = CliRunner()
    sweep = run.invoke(main, ["sweep", str(src), "-o", str(folder / "sweep"), "--workers", "1"])
    assert sweep.exit_code == 0, sweep.output
    paths["sweep"] = folder / "sweep" / "comparison.xlsx"
    paths["sweep_output"] = folder / "sweep" / "b_out.xlsx"
    compare = [str(paths["solve"]), str(paths["sweep_output"]), "-o", str(folder / "diff.xlsx")]
    assert run.invoke(main, ["compare", *compare]).exit_code == 0
    paths["compare"] = folder / "diff.xlsx"
    verify = [str(src), str(paths["solve"]), "-o", str(folder / "verify.xlsx")]
    assert run.invoke(main, ["verify", *verify]).exit_code == 0
    paths["verify"] = folder / "verify.xlsx"
    return paths


@pytest.mark.parametrize("output", ["solve", "sweep_output", "sweep", "compare", "verify"])
def test_every_output_sheet_has_print_setup(written: dict[str, Path], output: str) -> None:
    wb = openpyxl.load_workbook(written[output])
    assert len(wb.sheetnames) >= 3
    for ws in wb.worksheets:
        assert_prints_well(ws, title_row=ws.title != "Charts")


def test_the_spliced_body_is_still_there(written: dict[str, Path]) -> None:
    """The Allocation body goes in as raw XML: it reads back beside the print settings."""
    ws = openpyxl.load_workbook(written["solve"])["Allocation"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("contributor", "capability", "site", "units")
    assert len(rows) == 3  # A -> S1 and B -> S2
