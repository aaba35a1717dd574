"""The template's README sheet says what each sheet is for, whether it is required, and what
happens to a column of the planner's own (solver/io/template.py); before, it listed the
columns only, so the Caveats sheet's copy rule was nowhere in the workbook."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from solver.cli import main


def test_the_readme_sheet_describes_every_sheet_before_its_columns(tmp_path: Path) -> None:
    out = tmp_path / "new.xlsx"
    assert CliRunner().invoke(main, ["template", str(out)]).exit_code == 0
    readme = load_workbook(out)["README"]
    rows = [tuple(r) for r in readme.iter_rows(values_only=True)]
    start = rows.index(("sheet", "required", None, None, "meaning"))
    table = {r[0]: r for r in rows[start + 1 : start + 12]}
    assert list(table) == [
        "Contributors",
        "Capabilities",
        "Sites",
        "Requirements",
        "Pledges",
        "Caveats",
        "Settings",
        "Scenarios",
        "Periods",
        "Profile",
        "Baseline",
    ]
    assert table["Pledges"][:2] == ("Pledges", "yes")
    assert table["Caveats"][1] == "no"
    assert "copied to the output's Caveats sheet" in table["Caveats"][4]
    own = rows[start + 12][4]
    assert own.startswith("Columns of your own: a header beginning _ is private")
    assert rows.index(("sheet", "column", "type", "default", "meaning")) > start + 12
    assert readme.cell(start + 1, 1).font.b
