"""No command overwrites a file it reads, nor a workbook forcegen did not write: one guard
(`results.overwrite_guard.refuse_overwriting_inputs`), called by every command that writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from solver.cli import main

from .conftest import EXAMPLE
from .workbooks import simple_case

NOT_OURS = "is not a forcegen output"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return simple_case(tmp_path / "case.xlsx")


@pytest.fixture
def output(tmp_path: Path, case: Path) -> Path:
    """A plan written by `forcegen solve`."""
    out = tmp_path / "plan.xlsx"
    assert run("solve", case, "-o", out).exit_code == 0
    return out


@pytest.fixture
def other_input(tmp_path: Path) -> Path:
    """Someone's workbook: the bundled example (its Author starts with 'forcegen' too)."""
    return Path(shutil.copy(EXAMPLE, tmp_path / "coalition.xlsx"))


def refused(result: Result, path: Path, before: bytes, why: str = NOT_OURS) -> None:
    assert result.exit_code == 2, result.output
    assert why in result.output and "Traceback" not in result.output
    assert path.read_bytes() == before


def test_solve_refuses_a_workbook_it_did_not_write(case: Path, other_input: Path) -> None:
    before = other_input.read_bytes()
    refused(run("solve", case, "-o", other_input), other_input, before)


def test_solve_replaces_its_own_output(case: Path, output: Path) -> None:
    result = run("solve", case, "-o", output, "--time-limit", "30")
    assert result.exit_code == 0, result.output


def test_report_never_replaces_the_input_workbook(output: Path, other_input: Path) -> None:
    """`forcegen report OUT.xlsx -o inputs/coalition.xlsx` wrote HTML over the input."""
    before = other_input.read_bytes()
    refused(run("report", output, "-o", other_input), other_input, before)
    before = output.read_bytes()
    refused(
        run("report", output, "-o", output), output, before, "is the workbook this command reads"
    )


def test_check_junit_never_replaces_a_reference_workbook(tmp_path: Path) -> None:
    """`forcegen check DIR --junit DIR/tight.xlsx` wrote XML over a reference workbook."""
    folder = tmp_path / "reference"
    folder.mkdir()
    tight = simple_case(folder / "tight.xlsx")
    before = tight.read_bytes()
    refused(
        run("check", folder, "--junit", tight), tight, before, "is the workbook this command reads"
    )
    pin = folder / "tight.json"
    pin.write_text("{}")
    refused(run("check", folder, "--junit", pin), pin, b"{}", "is an input")
    stray = tmp_path / "results.xlsx"
    shutil.copy(tight, stray)
    refused(run("check", folder, "--junit", stray), stray, before)


def test_check_update_never_writes_a_pin_over_a_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    folder.mkdir()
    simple_case(folder / "tight.xlsx")
    pins = tmp_path / "pins"
    pins.mkdir()
    disguised = pins / "tight.json"  # a workbook under a pin's name
    shutil.copy(folder / "tight.xlsx", disguised)
    before = disguised.read_bytes()
    refused(run("check", folder, "--update", "--pins", pins), disguised, before)


def test_verify_output_guarded(case: Path, output: Path, other_input: Path) -> None:
    before = case.read_bytes()
    refused(
        run("verify", case, output, "-o", case), case, before, "is the workbook this command reads"
    )
    before = other_input.read_bytes()
    refused(run("verify", case, output, "-o", other_input), other_input, before)


def test_compare_output_guarded(output: Path, other_input: Path) -> None:
    before = other_input.read_bytes()
    refused(run("compare", output, output, "-o", other_input), other_input, before)


def test_a_comparison_or_findings_never_replace_a_plan(
    case: Path, output: Path, tmp_path: Path
) -> None:
    """`compare A B -o PLAN.xlsx` turned a solved (or hand-edited) plan into a comparison with
    exit 0. Commands that write no plan refuse a plan as their output; their own earlier
    output they replace."""
    plan = Path(shutil.copy(output, tmp_path / "other-plan.xlsx"))
    before = plan.read_bytes()
    said = "is a plan (an output of forcegen solve or sweep)"
    refused(run("compare", output, output, "-o", plan), plan, before, said)
    refused(run("verify", case, output, "-o", plan), plan, before, said)
    diff = tmp_path / "diff.xlsx"
    assert run("compare", output, output, "-o", diff).exit_code == 0
    assert run("compare", output, output, "-o", diff).exit_code == 0  # its own, replaced
    findings = tmp_path / "findings.xlsx"
    assert run("verify", case, output, "-o", findings).exit_code == 0
    assert run("verify", case, output, "-o", findings).exit_code == 0


def test_generate_force_replaces_only_a_generated_workbook(other_input: Path) -> None:
    before = other_input.read_bytes()
    refused(run("generate", other_input, "--force"), other_input, before)


def test_template_force_never_replaces_an_input(other_input: Path, output: Path) -> None:
    before = other_input.read_bytes()
    refused(run("template", other_input, "--force"), other_input, before)
    assert run("template", output, "--force").exit_code == 0  # a plan may be replaced


def test_sweep_never_replaces_a_workbook_in_its_folder(case: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sweep"
    folder.mkdir()
    squatter = Path(shutil.copy(case, folder / "base.xlsx"))
    before = squatter.read_bytes()
    refused(run("sweep", case, "-o", folder, "--workers", "1"), squatter, before)


def test_sweep_never_replaces_a_plan_named_comparison_xlsx(
    case: Path, output: Path, tmp_path: Path
) -> None:
    """A solve written to DIR/comparison.xlsx is a plan, not an earlier sweep's comparison:
    the sweep refuses it (as `compare -o` does) and removes nothing; an earlier sweep's own
    comparison it replaces."""
    folder = tmp_path / "sweep"
    folder.mkdir()
    plan = Path(shutil.copy(output, folder / "comparison.xlsx"))
    before = plan.read_bytes()
    said = "is a plan (an output of forcegen solve or sweep)"
    refused(run("sweep", case, "-o", folder, "--workers", "1"), plan, before, said)
    assert sorted(p.name for p in folder.iterdir()) == ["comparison.xlsx"]
    plan.unlink()
    assert run("sweep", case, "-o", folder, "--workers", "1").exit_code == 0
    assert run("sweep", case, "-o", folder, "--workers", "1").exit_code == 0  # its own, replaced


def test_other_documents_are_guarded_whatever_their_name(case: Path, tmp_path: Path) -> None:
    """A workbook (any zip or OLE document) under another name is no output either; a text
    file forcegen may replace (an old HTML report, say)."""
    from solver.errors import UsageError
    from solver.results.overwrite_guard import refuse_overwriting_inputs

    disguised = Path(shutil.copy(case, tmp_path / "notes.docx"))
    with pytest.raises(UsageError, match=NOT_OURS):
        refuse_overwriting_inputs(disguised, [])
    old_report = tmp_path / "report.html"
    old_report.write_text("<html></html>")
    refuse_overwriting_inputs(old_report, [])


def test_an_input_with_forcegen_as_author_is_still_an_input(tmp_path: Path) -> None:
    """Author 'forcegen' makes an output only without the input sheets."""
    from openpyxl import load_workbook

    from solver.errors import UsageError
    from solver.results.overwrite_guard import refuse_overwriting_inputs

    path = simple_case(tmp_path / "case.xlsx")
    wb = load_workbook(path)
    wb.properties.creator = "forcegen"
    wb.save(path)
    with pytest.raises(UsageError, match=NOT_OURS):
        refuse_overwriting_inputs(path, [])


def test_a_file_of_a_kind_forcegen_never_writes_is_never_replaced(
    output: Path, tmp_path: Path
) -> None:
    """`report OUT.xlsx -o precious.py` wrote HTML over a script, and `check --junit` XML over a
    source file: only files of the kinds forcegen writes (.xlsx, .html, .xml, .json) are ever
    replaced."""
    precious = tmp_path / "precious.py"
    precious.write_text("print('mine')\n")
    why = "is not a kind of file forcegen writes"
    refused(run("report", output, "-o", precious), precious, precious.read_bytes(), why)
    folder = tmp_path / "reference"
    folder.mkdir()
    simple_case(folder / "tight.xlsx")
    notes = folder / "make_reference.py"
    notes.write_text("# the generator\n")
    refused(run("check", folder, "--junit", notes), notes, notes.read_bytes(), why)
    page = tmp_path / "page.html"
    assert run("report", output, "-o", page).exit_code == 0
    assert run("report", output, "-o", page).exit_code == 0  # a briefing replaced by a briefing
    # a page of anyone else's is not (a README trial's own page was replaced), nor one written
    # by report before it had a generator tag, told by its heading
    mine = tmp_path / "mine.html"
    mine.write_text("<html><body><p>my notes</p></body></html>")
    why = "is not a briefing written by forcegen report"
    refused(run("report", output, "-o", mine), mine, mine.read_bytes(), why)
    page.write_text(
        page.read_text().replace('<meta name="generator" content="forcegen report">', "")
    )
    assert run("report", output, "-o", page).exit_code == 0


def test_an_output_carries_the_suffix_of_what_the_command_writes(
    output: Path, case: Path, tmp_path: Path
) -> None:
    """`report -o plan.xlsx` replaced a solved plan with HTML under its name; `verify -o
    page.html` and `compare -o page.html` a briefing with a workbook; `check --junit plan.xlsx` a
    plan with XML. Each command's output must carry its own suffix, new file or not."""
    before = output.read_bytes()
    refused(
        run("report", output, "-o", output.with_name("b.xlsx")), output, before, "must end in .html"
    )
    page = tmp_path / "page.html"
    page.write_text("<p>the briefing</p>")
    html = page.read_bytes()
    refused(run("verify", case, output, "-o", page), page, html, "must end in .xlsx")
    refused(run("compare", output, output, "-o", page), page, html, "must end in .xlsx")
    folder = tmp_path / "reference"
    folder.mkdir()
    simple_case(folder / "tight.xlsx")
    refused(run("check", folder, "--junit", output), output, before, "must end in .xml")
    assert not (tmp_path / "b.xlsx").exists()


def test_an_output_that_is_a_folder_is_refused_before_any_work(
    case: Path, output: Path, tmp_path: Path
) -> None:
    """`-o` naming an existing folder (even one called plan.xlsx) is refused at once, exit 2,
    by solve and verify alike: not after a solve of minutes or a verification printed."""
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    for args in (("solve", case), ("verify", case, output)):
        said = run(*args, "-o", folder)
        assert said.exit_code == 2, said.output
        assert "is a folder" in said.output, said.output
        assert "objective stages" not in said.output and "result:" not in said.output
        assert list(folder.iterdir()) == []


def test_api_arguments_of_the_wrong_type_are_usage_errors(case: Path) -> None:
    """What the command line's types refuse is refused from Python as a UsageError naming the
    argument, before anything is read, not a TypeError deep inside."""
    from solver import api
    from solver.errors import UsageError

    said = {
        "time_limit": ("10", "time_limit must be a number, got '10' (str)"),
        "threads": (2.5, "threads must be a whole number, got 2.5"),
        "seed": (True, "seed must be a whole number, got True"),
        "alternatives": (-1, "alternatives must be 0 or more, got -1"),
        "scenario": (None, "scenario must be a scenario's name (text), got None"),
    }
    for name, (value, message) in said.items():
        with pytest.raises(UsageError) as caught:
            api.solve(case, **{name: value})
        assert str(caught.value) == message
    import numpy as np  # a value read from a DataFrame is numpy's: taken as the number it is

    assert api.solve(case, threads=np.int64(1), work_limit=np.float64(5.0)).status == "optimal"
    with pytest.raises(UsageError, match=r"write takes the Result of api\.solve, got Data"):
        api.write(api.read(case), case.parent / "out.xlsx")  # type: ignore[arg-type]
