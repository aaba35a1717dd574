"""Workbooks with nothing to do, names that are not .xlsx, and files that are no workbook: a
planner's sentence every time, never an internal exception's name or a library's text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from solver.cli import main

from .workbooks import simple_case

NO_REQUIREMENT = (
    "warning: Requirements: nothing to allocate: no requirement asks for a unit (the sheet has "
    "no row with units > 0), so every plan is empty and trivially optimal"
)
NO_PLEDGE = (
    "warning: Pledges: nothing to allocate: no available contributor pledges a unit (no row "
    "with units > 0 from an available contributor), so every requirement stays short"
)


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"requirements": []}, NO_REQUIREMENT),
        ({"requirements": [{"site": "S1", "capability": "INF", "units": 0}]}, NO_REQUIREMENT),
        ({"pledges": []}, NO_PLEDGE),
        (
            {
                "contributors": [
                    {"contributor": "A", "status": "unavailable"},
                    {"contributor": "B", "status": "unavailable"},
                ]
            },
            NO_PLEDGE,
        ),
    ],
)
def test_nothing_to_allocate_is_said_by_validate_and_solve(
    tmp_path: Path, overrides: dict[str, list[dict[str, object]]], warning: str
) -> None:
    path = simple_case(tmp_path / "empty.xlsx", **overrides)
    checked = CliRunner().invoke(main, ["validate", str(path)])
    assert checked.exit_code == 0, checked.output
    assert warning in checked.output.splitlines()
    solved = CliRunner().invoke(main, ["solve", str(path), "-o", str(tmp_path / "out.xlsx")])
    assert solved.exit_code == 0, solved.output
    assert warning in solved.output.splitlines()


def test_a_workbook_with_work_to_do_has_no_such_warning(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(simple_case(tmp_path / "ok.xlsx"))])
    assert result.exit_code == 0, result.output
    assert "nothing to allocate" not in result.output


@pytest.mark.parametrize("name", ["new.xls", "new.csv", "new", "new.xlsm"])
def test_template_refuses_a_name_that_is_not_xlsx(tmp_path: Path, name: str) -> None:
    """Before: `template new.xls` wrote an .xlsx under an .xls name, which Excel then refused."""
    result = CliRunner().invoke(main, ["template", str(tmp_path / name)])
    assert result.exit_code == 2, result.output
    assert f"error: {name}: the template is an .xlsx workbook; give NAME.xlsx" in result.output
    assert list(tmp_path.iterdir()) == []


def test_template_writes_an_xlsx(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["template", str(tmp_path / "NEW.XLSX")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "NEW.XLSX").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("name", "said"), [("plan.xls", "ends in '.xls'"), ("plan", "has no suffix")]
)
def test_a_workbook_under_another_name_is_read_by_its_content(
    tmp_path: Path, name: str, said: str
) -> None:
    """Before: "InvalidFileException: openpyxl does not support the old .xls file format, please
    use xlrd..." reached the planner."""
    path = tmp_path / name
    path.write_bytes(simple_case(tmp_path / "source.xlsx").read_bytes())
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        f"warning: {name}: the file is an Excel workbook (.xlsx) whose name {said}; it was read "
        "by its content (rename it to .xlsx so that Excel opens it too)"
    ) in result.output
    assert "Exception" not in result.output and "openpyxl" not in result.output


def test_a_workbook_openpyxl_cannot_open_gets_a_planners_sentence(tmp_path: Path) -> None:
    """A zip with the parts of a workbook whose workbook part is not XML."""
    import zipfile

    source = simple_case(tmp_path / "source.xlsx")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, b"not xml" if info.filename == "xl/workbook.xml" else body)
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[0].startswith("error: broken.xlsx: ")
    assert "Error" not in result.output and "Exception" not in result.output, result.output
    assert "open it in Excel and save it again" in result.output


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_an_output_given_as_input_is_named_as_such_in_one_error(
    tmp_path: Path, command: str
) -> None:
    """A planner who hands `solve`'s output back to `validate` or `solve` hears that it is an
    output, once, not a dozen errors about the input sheets it lacks."""
    plan = tmp_path / "plan.xlsx"
    solved = CliRunner().invoke(
        main, ["solve", str(simple_case(tmp_path / "w.xlsx")), "-o", str(plan)]
    )
    assert solved.exit_code == 0, solved.output
    args = [command, str(plan)] + (
        ["-o", str(tmp_path / "again.xlsx")] if command == "solve" else []
    )
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == (
        "error: plan.xlsx: this is a forcegen output (it has the sheets Summary and Allocation "
        "or Tours and no Requirements or Pledges), not an input workbook: give the workbook it "
        "was solved from (its Summary names it as input_file)"
    )
    assert lines[1].startswith("1 problem found") and len(lines) == 2
    assert not (tmp_path / "again.xlsx").exists()


def test_a_timed_plan_without_its_allocation_is_an_output_too(tmp_path: Path) -> None:
    """A Summary and a Tours sheet (a timed plan whose Allocation was deleted) is an output,
    as every other reader takes it (filecheck.is_plan): one error, not one per input sheet
    it lacks (the input reader asked for Summary and Allocation)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Summary"
    book.create_sheet("Tours")
    book.save(tmp_path / "tours.xlsx")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "tours.xlsx")])
    assert result.exit_code == 2
    assert "this is a forcegen output" in result.output
    assert "1 problem found" in result.output
