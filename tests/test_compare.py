"""`forcegen compare`: outputs side by side (base first): the console, the workbook, lines whose
requirement or priority differ, unrelated workbooks."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd
from openpyxl import load_workbook

from solver import api
from solver.compare import compare_files, write_comparison
from solver.compare.console import overview_lines, site_lines
from solver.compare.tables import compare_views
from solver.compare.views import ScenarioView

from .compare_cases import compare, planned, with_priority
from .conftest import ROOT
from .sweep_case import table


def test_base_against_a_scenario(compared_outputs: dict[str, Path]) -> None:
    cmp = compare_files([compared_outputs["base"], compared_outputs["b_out"]])
    ov = cmp.overview.set_index("scenario")
    # hand-checked: without B, A's 2 units stay at S1 (priority 1) and S2 (priority 2) is short 2
    assert ov.loc["base", ["objective.shortfall.p1", "objective.shortfall.p2"]].tolist() == [0, 0]
    assert ov.loc["b_out", ["objective.shortfall.p1", "objective.shortfall.p2"]].tolist() == [0, 2]
    assert ov.at["b_out", "Δ shortfall_units.p2"] == 2
    assert ov.at["b_out", "Δ deployed_personnel"] == -200
    assert ov.at["b_out", "Δ coverage_pct"] == -50
    assert (ov["stages_from"] == "recomputed").all()  # the input lies beside the outputs
    assert ov["status"].tolist() == ["optimal", "optimal"]
    assert ov["violations"].tolist() == [0, 0]
    sites = cmp.sites.set_index(["site", "capability"])
    assert sites.loc[("S2", "INF"), ["base", "b_out", "Δ b_out"]].tolist() == [2, 0, -2]
    assert sites.loc[("S1", "INF"), "Δ b_out"] == 0
    people = cmp.contributors.set_index("contributor")
    assert people.loc["B"].tolist() == [2, 200, 0, 0, -2, -200]
    assert cmp.changes[["scenario", "contributor", "site", "change", "units"]].values.tolist() == [
        ["b_out", "B", "S2", "removed", 0]
    ]
    assert cmp.robustness is None  # no generated withdrawals here


def test_console_highlights_changes(compared_outputs: dict[str, Path]) -> None:
    cmp = compare_files([compared_outputs["base"], compared_outputs["b_out"]])
    lines = overview_lines(cmp)
    b_out = next(line for line in lines if line.startswith("b_out"))
    assert click.style(" (+2)", fg="red") in b_out  # more shortfall: worse
    assert click.style(" (-50.00)", fg="red") in b_out  # less coverage: worse
    assert click.style(" (-1)", fg="green") in b_out  # fewer contingents: better
    # coverage with 2 decimals throughout (a whole 91 stood as "91" beside 90.77: a trial)
    base = next(line for line in lines if line.startswith("base"))
    assert " 100.00 " in click.unstyle(base) and " 50.00 (-50.00)" in click.unstyle(b_out)
    assert click.unstyle(lines[0]).split() == [
        "scenario",
        "status",
        "p1",
        "p2",
        "cost",
        "presence",
        "coverage",
        "%",
        "personnel",
    ]


def test_compare_command_writes_the_workbook_with_charts(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    diff = tmp_path / "diff.xlsx"
    result = compare(compared_outputs["base"], compared_outputs["b_out"], "-o", diff)
    assert result.exit_code == 0, result.output
    assert "S2/INF (p2, required 2): base 2; b_out 0 (-2)" in result.stdout
    assert "B: base 2/200; b_out 0/0 (-2)/(-200)" in result.stdout
    assert "stage values: recomputed from each Allocation sheet" in result.stdout
    wb = load_workbook(diff)
    assert wb.sheetnames == ["Scenarios", "Charts", "Sites", "Contributors", "Changes"]
    assert len(wb["Charts"]._charts) == 2
    again = tmp_path / "again.xlsx"
    write_comparison(compare_files([compared_outputs["base"], compared_outputs["b_out"]]), again)
    assert again.read_bytes() == diff.read_bytes()  # deterministic


def test_compare_refuses_what_is_not_an_output(compared_outputs: dict[str, Path]) -> None:
    """An input workbook is said as what it is, once (it said each missing sheet: a trial);
    a workbook of no kind forcegen writes, by its missing sheets."""
    from openpyxl import Workbook

    result = compare(compared_outputs["base"], compared_outputs["input"])
    assert result.exit_code == 2
    assert "case.xlsx: is an input workbook, not an output of forcegen solve" in result.output
    assert "is missing" not in result.output
    other = compared_outputs["input"].with_name("other.xlsx")
    Workbook().save(other)
    result = compare(compared_outputs["base"], other)
    assert result.exit_code == 2
    assert "other.xlsx: sheet 'Summary' is missing: not an output of forcegen" in result.output


def test_two_files_of_one_name_are_told_apart_by_their_paths(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """`compare outputs/case.xlsx inputs/case.xlsx`: the refusal names the input by its path
    as given (a README trial read `coalition.xlsx: is an input workbook`, not knowing which)."""
    import shutil

    solved = tmp_path / "outputs" / "case.xlsx"
    solved.parent.mkdir()
    shutil.copy(compared_outputs["base"], solved)
    given = str(compared_outputs["input"])
    result = compare(solved, given)
    assert result.exit_code == 2
    assert f"{given}: is an input workbook, not an output of forcegen solve" in result.output


def test_comparison_table_reads_back(compared_outputs: dict[str, Path], tmp_path: Path) -> None:
    diff = tmp_path / "diff.xlsx"
    write_comparison(compare_files([compared_outputs["base"], compared_outputs["b_out"]]), diff)
    sites = table(diff, "Sites")
    assert list(sites.columns) == [
        "site",
        "capability",
        "priority",
        "required",
        "base",
        "b_out",
        "Δ b_out",
    ]


def test_over_allocation_does_not_hide_a_gap(tmp_path: Path) -> None:
    """Coverage counts only what fills a line: 2 extra units on S1 do not cover S2's gap."""
    import openpyxl

    from solver.compare.tables import metrics
    from solver.compare.views import load_output

    from .workbooks import simple_case

    src = simple_case(tmp_path / "c.xlsx")
    out = api.write(api.solve(src), tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Allocation"]
    for row in ws.iter_rows(min_row=2):
        row[2].value = "S1"  # everything to S1: 4 units on a 2-unit line, S2 empty
    wb.save(out)
    view = load_output(out)
    assert metrics(view, [1], [])["coverage_pct"] == 50.0


def test_a_line_whose_requirement_differs_gives_each_outputs() -> None:
    """S1/INF requires 6 in base and `same`, 8 in `more` (compare_cases). Allocated at S1: base
    4, same 5, more 6; S2 (2 everywhere) 2, 2, 1. S1's line names base's requirement and the
    one output that requires otherwise (it used to say `required 6`, base's, for all); S2's,
    required alike, keeps one number."""
    views = [
        planned("base", 4, 2, generated=False),
        planned("same", 5, 2, generated=False),
        planned("more", 6, 1, required=8, generated=False),
    ]
    lines = [click.unstyle(line) for line in site_lines(compare_views(views))]
    assert lines[1:] == [
        "  S1/INF (p1, required base 6, more 8): base 4; same 5 (+1), more 6 (+2)",
        "  S2/INF (p2, required 2): base 2; more 1 (-1)",
    ]


def test_outputs_of_unrelated_workbooks_are_compared_with_a_note(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """The small case's lines are S1/INF and S2/INF; the reference case tight's (Kyiv, Odesa...)
    share none of them: the comparison still runs, and says that it says little. A scenario of
    the same workbook (b_out) shares every line and gets no such note."""
    other_src = ROOT / "inputs" / "reference" / "tight.xlsx"
    other = api.write(api.solve(other_src), tmp_path / "other_out.xlsx", [other_src])
    result = compare(compared_outputs["base"], other)
    assert result.exit_code == 0, result.output
    note = (
        "other_out shares no requirement line (site x capability) with base: they look like "
        "outputs of unrelated workbooks, so the comparison says little"
    )
    assert note in result.output
    assert note not in compare(compared_outputs["base"], compared_outputs["b_out"]).output


def test_a_line_whose_priority_differs_gives_each_outputs() -> None:
    """compare_cases' S1/INF p1 (6) and S2/INF p2 (2); scenario `urgent` makes S2 priority 1,
    as a what-if may make Odesa/AD_BTY p1. Allocated at S1: base 4, same 5, urgent 5; at S2:
    2, 2, 1. The Sites table gets `priority urgent` (1 and 1; none for `same`, whose
    priorities are base's), and S2's console line gives base's p2 and urgent's 1 (it said p2
    for all, while urgent's 1 unit short counts against priority 1: S1 short 1 + S2 short 1
    = 2 units at p1, 0 at p2). S1's line, p1 everywhere, keeps `p1`."""
    views = [
        planned("base", 4, 2, generated=False),
        planned("same", 5, 2, generated=False),
        with_priority(planned("urgent", 5, 1, generated=False), "S2", 1),
    ]
    cmp = compare_views(views)
    sites = cmp.sites.set_index("site")
    assert sites.attrs["priority_columns"] == ["priority", "priority urgent"]
    assert sites.attrs["required_columns"] == ["required"]
    assert sites["priority"].tolist() == [1, 2]  # base's
    assert sites["priority urgent"].tolist() == [1, 1]
    assert "priority same" not in sites.columns
    lines = [click.unstyle(line) for line in site_lines(cmp)]
    assert lines[1:] == [
        "  S1/INF (p1, required 6): base 4; same 5 (+1), urgent 5 (+1)",
        "  S2/INF (priority base 2, urgent 1, required 2): base 2; urgent 1 (-1)",
    ]
    shortfall = cmp.overview.set_index("scenario")
    assert shortfall.loc["urgent", ["shortfall_units.p1", "shortfall_units.p2"]].tolist() == [2, 0]


def test_a_priority_and_a_requirement_that_differ_are_both_given() -> None:
    """`more` requires 8 at S1 and makes S1 priority 2; scenario `priority more` (priorities
    base's) is named like more's priority column. S1's line gives each figure per output; the
    Sites table keeps `priority more` for the scenario's allocation (3, first in place) and
    `priority more (2)` for more's priority (2 at S1, 2 at S2), with `required more` beside
    it; a timed sweep's headers rename the requirement columns, never the priority ones."""
    views = [
        planned("base", 4, 2, generated=False),
        with_priority(planned("more", 6, 2, required=8, generated=False), "S1", 2),
        planned("priority more", 3, 2, generated=False),
    ]
    cmp = compare_views(views)
    sites = cmp.sites.set_index("site")
    assert sites.loc["S1", ["priority more", "priority more (2)", "required more"]].tolist() == [
        3,
        2,
        8,
    ]
    assert sites.attrs["priority_columns"] == ["priority", "priority more (2)"]
    lines = [click.unstyle(line) for line in site_lines(cmp)]
    assert lines[1] == (
        "  S1/INF (priority base 1, more 2, required base 6, more 8): base 4; more 6 (+2), "
        "priority more 3 (-1)"
    )
    from solver.compare.workbook import comparison_sheets

    timed = [
        planned("base", 4, 2, timed=True, generated=False),
        with_priority(planned("more", 6, 2, required=8, timed=True, generated=False), "S1", 2),
    ]
    sheet = {s.title: s.frame for s in comparison_sheets(compare_views(timed))}["Sites"]
    assert [c for c in sheet.columns if "more" in str(c)] == [
        "more",
        "priority more",
        "required_unit_months more",
        "Δ more",
    ]


def test_the_console_lists_the_most_important_changes_first() -> None:
    """S1 is priority 2 and S2 priority 1 in every output here; `v1` moves S1 by +1 and S2 by
    -2, `v2` S1 by +2. In name order S1 came first, and with a scale trial's 300 sites the
    first 15 by name hid the largest changes. Now S2 (p1) first; and B (3 units fewer in v1)
    before A (2 more in v2: 8 against 6)."""
    from solver.compare.console import contributor_lines

    def view(name: str, s1: int, s2: int, b: int) -> ScenarioView:
        v = with_priority(with_priority(planned(name, s1, s2, generated=False), "S1", 2), "S2", 1)
        extra = pd.DataFrame([["B", "INF", "S3", b, 100 * b]], columns=v.allocation.columns)
        v.allocation = pd.concat([v.allocation, extra], ignore_index=True)
        v.contributors = ["A", "B"]
        return v

    cmp = compare_views([view("base", 4, 2, 3), view("v1", 5, 0, 0), view("v2", 6, 2, 3)])
    sites = [click.unstyle(line) for line in site_lines(cmp, top=1)]
    assert sites[1] == "  S2/INF (p1, required 2): base 2; v1 0 (-2)"
    assert sites[2].startswith("  ... 1 more")
    people = [click.unstyle(line) for line in contributor_lines(cmp)]
    assert [line.split(":")[0] for line in people[1:]] == ["  B", "  A"]
