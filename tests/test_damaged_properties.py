"""A workbook whose document properties (docProps/core.xml: title, author, dates) are damaged
holds all its data: every command reads it, with a warning naming the part, where openpyxl
refused the whole file ("cannot be opened"). The input workbooks are the corpus's
(tests/test_corpus.py); here an output so damaged is read by verify, compare, report and a
re-plan against it (`solve --baseline`), each through the one opener (solver/io/open_book.py)."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver.cli import main

from .workbooks import simple_case

DAMAGED = (
    "plan_damaged.xlsx: the workbook's document properties (docProps/core.xml) are damaged and "
    "were ignored: they hold its title, author and dates, none of its data"
)


def with_core(source: Path, target: Path, core: bytes) -> Path:
    """A copy of `source` whose docProps/core.xml is `core`."""
    return with_part(source, target, "docProps/core.xml", core)


def with_part(source: Path, target: Path, part: str, content: bytes) -> Path:
    """A copy of `source` whose `part` is `content` (added when `source` has none)."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == part else src.read(info))
        if part not in src.namelist():
            dst.writestr(part, content)
    target.write_bytes(out.getvalue())
    return target


def summary(path: Path) -> dict[object, object]:
    book = load_workbook(path, read_only=True)
    try:
        return {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    finally:
        book.close()


@pytest.fixture
def plans(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The input, its plan, and the plan with its core.xml no XML."""
    case = simple_case(tmp_path / "case.xlsx")
    plan = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(case), "-o", str(plan)])
    assert result.exit_code == 0, result.output
    return case, plan, with_core(plan, tmp_path / "plan_damaged.xlsx", b"<not xml")


def test_verify_reads_a_plan_with_damaged_properties(plans: tuple[Path, Path, Path]) -> None:
    case, _, damaged = plans
    result = CliRunner().invoke(main, ["verify", str(case), str(damaged)])
    assert result.exit_code == 0, result.output
    assert f"warning: {DAMAGED}" in result.output
    assert "result: the allocation holds" in result.output


def test_compare_reads_it(plans: tuple[Path, Path, Path]) -> None:
    _, plan, damaged = plans
    result = CliRunner().invoke(main, ["compare", str(plan), str(damaged)])
    assert result.exit_code == 0, result.output
    assert f"note: {DAMAGED}" in result.output


def test_report_reads_it(plans: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """With the warning verify gives, naming the part (before, report said nothing)."""
    case, _, damaged = plans
    page = tmp_path / "plan.html"
    args = ["report", str(damaged), "-o", str(page), "--input", str(case)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"warning: {DAMAGED}" in result.output
    # and on the page, for the planner who reads it and not the console (before: not there)
    assert f"warning: {DAMAGED}" in html.unescape(page.read_text(encoding="utf-8"))


def test_report_names_damaged_custom_properties(
    plans: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """docProps/custom.xml (custom properties) no XML: said by its own name, as verify says it."""
    case, plan, _ = plans
    damaged = with_part(plan, tmp_path / "custom.xlsx", "docProps/custom.xml", b"<not xml")
    page = tmp_path / "custom.html"
    said = {}
    for command in (["verify", str(case)], ["report", "-o", str(page), "--input", str(case)]):
        result = CliRunner().invoke(main, [*command, str(damaged)])
        assert result.exit_code == 0, result.output
        said[command[0]] = [line for line in result.output.splitlines() if "custom.xml" in line]
    expected = (
        "warning: custom.xlsx: the workbook's custom document properties (docProps/custom.xml) "
        "are damaged and were ignored: they hold names and values added to it by hand, none of "
        "its data"
    )
    assert said["report"] == said["verify"] == [expected]


def test_compare_and_report_of_a_timed_output_say_it(tmp_path: Path) -> None:
    """A timed output (read by compare's and report's timed readers) with its core.xml no XML:
    each names the part."""
    from .time_cases import months, timed_case

    case = timed_case(tmp_path / "t.xlsx", periods=months(2))
    plan = tmp_path / "t-plan.xlsx"
    assert CliRunner().invoke(main, ["solve", str(case), "-o", str(plan)]).exit_code == 0
    damaged = with_core(plan, tmp_path / "plan_damaged.xlsx", b"<not xml")
    compared = CliRunner().invoke(main, ["compare", str(plan), str(damaged)])
    assert compared.exit_code == 0, compared.output
    assert f"note: {DAMAGED}" in compared.output
    page = tmp_path / "t.html"
    args = ["report", str(damaged), "-o", str(page), "--input", str(case)]
    reported = CliRunner().invoke(main, args)
    assert reported.exit_code == 0, reported.output
    assert f"warning: {DAMAGED}" in reported.output


def test_a_replan_against_it_records_the_plans_digest(
    plans: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The re-plan's baseline_sha256 is the plan's content digest, the properties no part of
    it: the same as against the sound plan."""
    case, plan, damaged = plans
    recorded = []
    for baseline in (plan, damaged):
        out = tmp_path / f"replan_{baseline.stem}.xlsx"
        args = ["solve", str(case), "--baseline", str(baseline), "-o", str(out)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        recorded.append(summary(out)["baseline_sha256"])
    assert f"warning: {DAMAGED}" in result.output
    assert recorded[0] == recorded[1]


def test_a_damaged_sheet_is_still_refused(plans: tuple[Path, Path, Path]) -> None:
    """Only the properties are ignored: a sheet that is no XML refuses the plan, as before."""
    case, plan, _ = plans
    out = io.BytesIO()
    with zipfile.ZipFile(plan) as src, zipfile.ZipFile(out, "w") as dst:
        names = {n for n in src.namelist() if n.startswith("xl/worksheets/")}
        for info in src.infolist():
            dst.writestr(info, b"<not xml" if info.filename in names else src.read(info))
    broken = plan.with_name("plan_sheets.xlsx")
    broken.write_bytes(out.getvalue())
    result = CliRunner().invoke(main, ["verify", str(case), str(broken)])
    assert result.exit_code == 2, result.output
    assert "damaged" in result.output and "Traceback" not in result.output


def test_every_reader_opens_a_workbook_through_the_one_opener() -> None:
    """No module calls openpyxl's `load_workbook` or has pandas open a file itself: a reader
    that did would refuse what the others read (a damaged core.xml)."""
    solver = Path(__file__).resolve().parent.parent / "solver"
    found = [
        str(path.relative_to(solver))
        for path in sorted(solver.rglob("*.py"))
        if path.name != "open_book.py"
        and re.search(r"\bload_workbook\(|ExcelFile\((?!opened\b)", path.read_text())
    ]
    assert found == []


def test_solve_leaves_it_and_says_why(plans: tuple[Path, Path, Path]) -> None:
    """`solve -o` onto the damaged plan: refused (its Author, in core.xml, cannot be read), the
    message saying so, and the file left as it was. Before, it was called `not a forcegen
    output`. A damaged input workbook is still said to be no output (it has input sheets)."""
    case, _, damaged = plans
    before = damaged.read_bytes()
    result = CliRunner().invoke(main, ["solve", str(case), "-o", str(damaged)])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"error: {damaged} exists and its document properties (docProps/core.xml) are damaged, "
        "so forcegen cannot tell it is its own output: it is left as it is; choose another "
        "output path (-o), or remove that file first"
    )
    assert damaged.read_bytes() == before
    other = with_core(case, case.with_name("other_input.xlsx"), b"<not xml")
    result = CliRunner().invoke(main, ["solve", str(case), "-o", str(other)])
    assert result.exit_code == 2, result.output
    assert f"{other} exists and is not a forcegen output (an input workbook" in result.output


def without_part(source: Path, target: Path, part: str) -> Path:
    """A copy of `source` without `part`, as a program zipping it again may leave it out."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info))
    target.write_bytes(out.getvalue())
    return target


def test_solve_leaves_an_output_without_properties_and_says_so(
    plans: tuple[Path, Path, Path],
) -> None:
    """`solve -o` onto the plan zipped again without docProps/core.xml (verify reads it, a
    missing part being no damage): refused naming what is missing, in the words of the
    damaged case, and left as it was. Before: `not a forcegen output (an input workbook, or
    someone's work)`. An input workbook without one is still said to be no output."""
    case, plan, _ = plans
    bare = without_part(plan, plan.with_name("plan_bare.xlsx"), "docProps/core.xml")
    assert CliRunner().invoke(main, ["verify", str(case), str(bare)]).exit_code == 0
    before = bare.read_bytes()
    result = CliRunner().invoke(main, ["solve", str(case), "-o", str(bare)])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"error: {bare} exists and has no document properties (docProps/core.xml), so forcegen "
        "cannot tell it is its own output: it is left as it is; choose another output path "
        "(-o), or remove that file first"
    )
    assert bare.read_bytes() == before
    other = without_part(case, case.with_name("bare_input.xlsx"), "docProps/core.xml")
    result = CliRunner().invoke(main, ["solve", str(case), "-o", str(other)])
    assert result.exit_code == 2, result.output
    assert f"{other} exists and is not a forcegen output (an input workbook" in result.output


def test_report_warns_at_an_input_with_damaged_properties(tmp_path: Path) -> None:
    """The input workbook whose core.xml is no XML, solved (solve warns) and then read by report
    for the map, found beside the output or given with --input: report warns in solve's words,
    once for the outputs it serves, and draws the map. Before, report said nothing of it."""
    sound = simple_case(tmp_path / "sound.xlsx")
    case = with_core(sound, tmp_path / "case_damaged.xlsx", b"<not xml")
    plan = tmp_path / "plan.xlsx"
    solved = CliRunner().invoke(main, ["solve", str(case), "-o", str(plan)])
    assert solved.exit_code == 0, solved.output
    said = (
        "warning: case_damaged.xlsx: the workbook's document properties (docProps/core.xml) are "
        "damaged and were ignored: they hold its title, author and dates, none of its data"
    )
    assert said in solved.output.splitlines()
    page = tmp_path / "plan.html"
    for given in ([], ["--input", str(case)]):
        args = ["report", str(plan), str(plan), "-o", str(page), *given]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert [line for line in result.output.splitlines() if "docProps" in line] == [said]
        assert f"input of {plan}: " in result.output
        # the page says it under each output's map, as the console says it (before: not there)
        shown = html.unescape(page.read_text(encoding="utf-8"))
        assert shown.count(f'<p class="note">{said}</p>') == 2


def test_compare_notes_an_input_with_damaged_properties_once(tmp_path: Path) -> None:
    """The input whose core.xml is no XML, read by compare to recompute two outputs' figures,
    found beside them or given with --input: one note in the words report warns in. Before,
    compare said nothing of it."""
    sound = simple_case(tmp_path / "sound.xlsx")
    case = with_core(sound, tmp_path / "case_damaged.xlsx", b"<not xml")
    plan = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["solve", str(case), "-o", str(plan)]).exit_code == 0
    said = (
        "note: case_damaged.xlsx: the workbook's document properties (docProps/core.xml) are "
        "damaged and were ignored: they hold its title, author and dates, none of its data"
    )
    for given in ([], ["--input", str(case)]):
        result = CliRunner().invoke(main, ["compare", str(plan), str(plan), *given])
        assert result.exit_code == 0, result.output
        assert [line for line in result.output.splitlines() if "docProps" in line] == [said]


def test_report_of_an_output_without_a_plan_says_its_inputs_warning_on_the_page(
    tmp_path: Path,
) -> None:
    """An infeasible output has no map, so its input's warning (core.xml no XML) goes under
    its status on the page, as on the console (a review found it lost there)."""
    sound = simple_case(
        tmp_path / "sound.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
    )
    case = with_core(sound, tmp_path / "case_damaged.xlsx", b"<not xml")
    plan = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["solve", str(case), "-o", str(plan)]).exit_code == 3
    page = tmp_path / "plan.html"
    result = CliRunner().invoke(main, ["report", str(plan), "-o", str(page)])
    assert result.exit_code == 0, result.output
    said = (
        "warning: case_damaged.xlsx: the workbook's document properties (docProps/core.xml) are "
        "damaged and were ignored: they hold its title, author and dates, none of its data"
    )
    assert said in result.output.splitlines()
    assert f'<p class="note">{said}</p>' in html.unescape(page.read_text(encoding="utf-8"))
