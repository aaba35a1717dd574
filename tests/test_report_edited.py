"""`forcegen report` of an output edited by hand (the edits named with the rules they break) and
how it finds the input workbook an output was solved from (the default layout, a sweep's, one
that does not match)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.cli import main
from solver.report.command import write_report
from solver.report.view import BLANK

from .conftest import EXAMPLE
from .report_case import MAP, move_pol_inf_bn_to_kyiv, tidy_headers
from .workbooks import simple_case


def test_report_finds_the_input_in_the_default_layout(example_layout: Path) -> None:
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    assert "input of outputs/coalition.xlsx: coalition.xlsx" in result.output
    text = (example_layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert MAP in text
    assert (
        "Coordinates from coalition.xlsx: the very workbook this output was solved from "
        "(its SHA-256 matches)." in text
    )


def test_an_edited_plan_is_shown_as_edited_with_the_rules_it_breaks(example_layout: Path) -> None:
    shutil.copy(
        example_layout / "outputs" / "coalition.xlsx", example_layout / "outputs" / "solved.xlsx"
    )
    move_pol_inf_bn_to_kyiv(example_layout / "outputs" / "coalition.xlsx")
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (example_layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert "Optimal: the best plan at every stage" not in text
    assert "Edited: the Allocation sheet was changed after solving (solved as optimal)" in text
    assert "Rules the edited plan breaks" in text
    # the solver's words are said to be of the plan before the edit (they read 'it breaks 3
    # rules' / 'solver, of the plan as solved: optimal at every stage ...')
    assert (
        "<small>the solver&#39;s message on the plan as solved, before the edit: optimal at "
        "every stage (within the MIP gap)</small>" in text
    )
    assert "warning: outputs/coalition.xlsx: The Allocation sheet was edited" in result.output
    assert "caveat C3 (POL exclude category=ground country=UKR)" in text
    # the figures are the edited plan's: LTU-South's INF_BN line is now short
    assert "<tr><td>LTU-South</td><td>INF_BN</td>" in text
    # and Kyiv's unit beyond its line's requirement covers nothing: 106 of 117 units (90.6%),
    # not 107 (91.5%, the over-allocated line counted), as compare says
    cards = re.findall(r"(\d+\.\d%)</[^>]+>\s*<[^>]+>coverage, all priorities", text)
    assert cards == ["90.6%"], cards
    # beside the plan as solved, the moved unit is a change (the same POL personnel: none there)
    text = write_report(
        [example_layout / "outputs" / "solved.xlsx", example_layout / "outputs" / "coalition.xlsx"],
        example_layout / "both.html",
    ).read_text(encoding="utf-8")
    changes = text.split("Requirement lines whose allocation changes")[1].split("<h3>")[0]
    assert "<td>LTU-South</td><td>INF_BN</td>" in changes and "Kyiv" in changes
    assert ">edited<" in text
    assert '<td>shortfall_units</td><td class="num">10</td><td class="num">11 <span' in text
    # changes for the worse in red, whichever way the figure runs (a trial: all alike)
    assert '<td class="num">11 <span class="chg worse">(+1)</span>' in text
    assert re.search(r'<td>coverage_pct</td>.*?<span class="chg worse">\(-', text, re.S)
    # side by side, the rules the edited plan breaks (Kyiv's INF_BN line over-filled, POL's
    # caveat C3), and no MIP gap of the plan before its edit
    broken = re.search(r"<td>rules broken</td><td[^>]*>(\w+)</td><td[^>]*>(\w+)</td>", text)
    assert broken is not None and broken.groups() == ("0", "2"), broken
    gap = re.search(r"<td>mip_gap \(%\)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>", text)
    assert gap is not None and gap.group(2) == BLANK, gap.groups()


def test_an_edited_plan_with_a_row_pasted_twice_says_its_units_are_added_up(
    example_layout: Path,
) -> None:
    """POL's LTU-South battalion row pasted a second time: the briefing counts both rows, as
    verify and compare do, and says so (it added them up without a word)."""
    path = example_layout / "outputs" / "coalition.xlsx"
    book = load_workbook(path)
    sheet = book["Allocation"]
    first = next(
        n
        for n, r in enumerate(sheet.iter_rows(min_row=2), start=2)
        if [c.value for c in r[:3]] == ["POL", "INF_BN", "LTU-South"]
    )
    sheet.append([c.value for c in sheet[first]])
    book.save(path)
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (example_layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert f"POL/INF_BN/LTU-South appears again (first at row {first}); its units are" in text


def test_an_edited_plan_deploying_an_unavailable_contributor_says_it_apart(
    example_layout: Path,
) -> None:
    """A row for USA (unavailable in the example) added by hand: the card said "31 of 30
    contributors engaged"; it counts the available ones and names USA apart."""
    path = example_layout / "outputs" / "coalition.xlsx"
    book = load_workbook(path)
    book["Allocation"].append(["USA", "INF_BN", "Kyiv", 1])
    book.save(path)
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (example_layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    engaged = re.search(r"<b>(\d+) of (\d+)</b><span>contributors engaged([^<]*)", text)
    assert engaged is not None
    assert int(engaged[1]) <= int(engaged[2])
    assert engaged[3] == " (and USA, not available)"


def test_an_edited_plan_without_its_input_says_its_figures_are_the_solved_ones(
    example_briefing, tmp_path: Path, monkeypatch
) -> None:
    _, out, _ = example_briefing
    alone = tmp_path / "coalition.xlsx"
    shutil.copy(out, alone)
    move_pol_inf_bn_to_kyiv(alone)
    monkeypatch.chdir(tmp_path)
    text = write_report([alone], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Optimal: the best plan at every stage" not in text
    assert "the rules were not checked (see the note below)" in text
    assert "the figures below are the solved plan&#39;s, not the edited one&#39;s" in text


def test_report_finds_a_sweeps_input(tmp_path: Path, monkeypatch) -> None:
    """A sweep writes outputs/<input stem>/<scenario>.xlsx; its input is two folders up, and
    found from any working folder."""
    from solver.sweep.prepare import default_dir, file_names
    from solver.sweep.task import Task, run_task

    shutil.copy(EXAMPLE, tmp_path / "coalition.xlsx")
    task = Task("us_backstop", False, EXAMPLE.name, EXAMPLE.read_bytes())
    done = run_task(task)
    assert done.output is not None, done.errors
    out = tmp_path / default_dir(EXAMPLE) / file_names(["us_backstop"])["us_backstop"]
    out.parent.mkdir(parents=True)
    out.write_bytes(done.output)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    text = write_report([out], elsewhere / "r.html").read_text(encoding="utf-8")
    assert MAP in text and "USA" in text
    assert "Coordinates from coalition.xlsx: the very workbook" in text


def test_report_takes_only_an_input_whose_content_matches(example_layout: Path) -> None:
    """A different workbook under the same name is refused with the reason; the real input,
    re-saved since the solve (another SHA-256, the same sites and contributors), is used."""
    simple_case(example_layout / "coalition.xlsx")  # not the solved workbook
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (example_layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert "input workbook coalition.xlsx not found (use --input): no map drawn" in text
    assert "Not used: coalition.xlsx is another workbook: its SHA-256 differs and site(s)" in text
    assert "warning: no map for outputs/coalition.xlsx" in result.output
    (example_layout / "inputs").mkdir()
    book = load_workbook(EXAMPLE)
    book.save(example_layout / "inputs" / "coalition.xlsx")  # same content, other bytes
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert "input of outputs/coalition.xlsx: inputs/coalition.xlsx" in result.output
    text = (example_layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert MAP in text and "Coordinates from coalition.xlsx." in text
    assert (
        "coalition.xlsx has changed since coalition.xlsx was solved (its SHA-256 differs)" in text
    )


def test_a_given_input_that_does_not_match_is_noted(example_briefing, tmp_path: Path) -> None:
    _, out, _ = example_briefing
    other = simple_case(tmp_path / "other.xlsx")
    result = CliRunner().invoke(
        main, ["report", str(out), "--input", str(other), "-o", str(tmp_path / "r.html")]
    )
    assert result.exit_code == 0, result.output
    note = (
        "other.xlsx is not the workbook coalition.xlsx was solved from (its SHA-256 differs), "
        "and site(s) "
    )
    assert note in result.output
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert note in text and MAP not in text  # none of its sites: no map (it crashed before)
    assert "no site of coalition.xlsx has lat/lon in other.xlsx: no map drawn" in text


def test_report_never_overwrites_the_input_it_found(example_layout: Path) -> None:
    before = (example_layout / "coalition.xlsx").read_bytes()
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx", "-o", "coalition.xlsx"])
    assert result.exit_code == 2, result.output
    assert (example_layout / "coalition.xlsx").read_bytes() == before


def test_an_edited_plan_whose_input_is_found_but_does_not_fit_says_why(tmp_path: Path) -> None:
    """case.xlsx solved to out.xlsx beside it, then A's row moved by hand to 'S9' (a typo: no
    such site). The input is found, but does not fit the edit: the page says so, naming the
    cell, where it said the input `was not found (use --input)` (HTML trial)."""
    case = simple_case(tmp_path / "case.xlsx")
    out = api.write(api.solve(case), tmp_path / "out.xlsx", [case])
    wb = load_workbook(out)
    assert wb["Allocation"]["C1"].value == "site"
    wb["Allocation"]["C2"] = "S9"
    wb.save(out)
    html = write_report([out], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "was not found" not in html
    assert "but case.xlsx does not fit it (Allocation!C2: site &#39;S9&#39;" in html, html
    assert "the rules were not checked (see the note below)" in html


def test_an_edited_plans_gaps_are_listed_most_important_first() -> None:
    """An edited snapshot has no Gaps of its own: its short lines come from Coverage, in sheet
    order, where a priority-2 line at S1 came before a priority-1 line at S2 (HTML trial):
    listed by priority now, sheet order within."""
    import pandas as pd

    from solver.outputs.load import Output
    from solver.report.html import gaps_table

    coverage = pd.DataFrame(
        {
            "site": ["S1", "S1", "S2", "S3"],
            "capability": ["INF", "AD", "INF", "AD"],
            "priority": [2, 3, 1, 1],
            "required": [2, 1, 2, 1],
            "allocated": [1, 0, 0, 0],
            "shortfall": [1, 1, 2, 1],
        }
    )
    summary = {"status": "edited", "solved_status": "optimal"}
    out = Output(Path("edited.xlsx"), summary, {"Coverage": coverage, "Allocation": None})
    table = gaps_table(out)
    assert table is not None
    assert [(r.cells[0].text, r.cells[2].text) for r in table.rows] == [
        ("S2", "1"),
        ("S3", "1"),
        ("S1", "2"),
        ("S1", "3"),
    ]


def test_headers_tidied_by_hand_are_read_as_written(example_layout: Path) -> None:
    """`Site ` for `site` on every table of the output: the briefing reads the tables (before,
    an internal error `KeyError: 'site'`, exit 1), and shows the plan as solved."""
    sheets = ("Summary", "Allocation", "Coverage", "Contributors", "Gaps")
    tidy_headers(example_layout / "outputs" / "coalition.xlsx", sheets)
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (example_layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert MAP in text and "edited after solving" not in text


def test_a_plan_that_breaks_rules_is_never_coloured_better() -> None:
    """An analyst trial: beside the solved plan (p1 4), an edit that breaks 3 rules (a hard
    line among them) read `objective.shortfall.p1 3 (-1)` in green. A change for the better
    beside a plan that breaks rules, or whose rules could not be checked, is not coloured so;
    one for the worse still is; between two plans that keep every rule, as before."""
    from solver.outputs.load import Output
    from solver.report.compare_figures import _figure

    def plan(status: str, p1: float, violations: list[str] | None = None) -> Output:
        summary = {"status": status, "objective.shortfall.p1": p1}
        return Output(Path(f"{status}{p1}.xlsx"), summary, {}, violations=violations)

    solved = plan("optimal", 4)
    key = "objective.shortfall.p1"
    assert _figure(plan("edited", 3, ["a", "b", "c"]), solved, key).better is None
    assert _figure(plan("edited", 3, None), solved, key).better is None
    assert _figure(plan("edited", 5, ["a"]), solved, key).better is False
    assert _figure(solved, plan("edited", 5, ["a"]), key).better is None
    assert _figure(plan("edited", 3, []), solved, key).better is True
    assert _figure(plan("optimal", 3), solved, key).better is True
