"""`forcegen compare` with an output that has no plan (infeasible, an error): its rows are not
compared, and the console and the comparison workbook say so where the changes would be listed,
never `none` (which reads as "the same plan"). A base without a plan leaves nothing compared:
its empty allocation was compared as if every row of the other plan had been added."""

from __future__ import annotations

from pathlib import Path

import click
from openpyxl import load_workbook

from solver import api
from solver.compare.console import change_lines, contributor_lines, site_lines
from solver.compare.tables import compare_views
from solver.compare.views import error_view
from solver.compare.workbook import comparison_sheets

from .compare_cases import compare, planned
from .sweep_case import scen, small_case, table


def _said(lines: list[str]) -> list[str]:
    return [click.unstyle(line) for line in lines]


def test_an_infeasible_scenario_is_said_not_compared(tmp_path: Path) -> None:
    """`impossible` makes S1's line hard with 5 units where A pledges 2: infeasible. Its rows
    are not compared: each section of the console says so (it said `none`), and the Changes
    sheet has a row naming it with a remark (it had no row at all)."""
    src = small_case(
        tmp_path / "case.xlsx",
        scen("impossible", "Requirements", "S1/INF", "hard", "yes"),
        scen("impossible", "Requirements", "S1/INF", "units", 5),
    )
    base = api.write(api.solve(src), tmp_path / "base.xlsx", [src])
    bad = api.write(api.solve(src, scenario="impossible"), tmp_path / "bad.xlsx", [src])
    diff = tmp_path / "diff.xlsx"
    result = compare(base, bad, "-o", diff)
    assert result.exit_code == 0, result.output
    said = "  impossible has no plan (infeasible): not compared"
    out = result.stdout.splitlines()
    for title in (
        "site x capability: allocated units that change against base:",
        "contributors: deployed units/personnel that change against base:",
        "allocation rows that differ from base:",
    ):
        assert out[out.index(title) + 1] == said
    assert "none" not in result.stdout
    changes = table(diff, "Changes")
    assert changes[["scenario", "remark"]].values.tolist() == [
        ["impossible", "not compared: impossible has no plan (infeasible)"]
    ]
    assert changes.drop(columns=["scenario", "remark"]).isna().all(axis=None)


def test_a_base_without_a_plan_compares_nothing() -> None:
    """Base infeasible, `more` a plan: no row of `more` is `added` against base's nothing
    (there were two), and every section names base as the output without a plan."""
    views = [error_view("base", "", status="infeasible"), planned("more", 4, 2)]
    cmp = compare_views(views)
    assert not len(cmp.changes)
    said = "  base (base) has no plan (infeasible): nothing is compared"
    for lines in (site_lines(cmp), contributor_lines(cmp), change_lines(cmp)):
        assert _said(lines)[1:] == [said]
    sheet = {s.title: s.frame for s in comparison_sheets(cmp)}["Changes"]
    assert sheet[["scenario", "remark"]].values.tolist() == [
        ["more", "not compared: base (base) has no plan (infeasible)"]
    ]


def test_outputs_without_a_plan_are_grouped_by_status_beside_the_changes() -> None:
    """Among plans that change, those without a plan are one line per status, before the
    changes; a plan that changes nothing has no row."""
    views = [
        planned("base", 6, 2),
        error_view("w_a", "", status="infeasible"),
        planned("less", 5, 2),
        error_view("w_b", "", status="infeasible"),
        error_view("w_c", "read error"),
        error_view("w_d", "", status="not_run"),
    ]
    lines = _said(change_lines(compare_views(views)))
    assert lines[:5] == [
        "allocation rows that differ from base: less 1",
        "  w_a, w_b have no plan (infeasible): not compared",
        "  w_c has no plan (error): not compared",
        "  w_d has no plan (not run): not compared",
        "  less             changed A INF S1: 6 -> 5",
    ]


def test_every_output_planned_keeps_none() -> None:
    """Two plans alike: `none`, as before."""
    cmp = compare_views([planned("base", 6, 2), planned("same", 6, 2)])
    assert _said(change_lines(cmp)) == ["allocation rows that differ from base: none"]
    sheet = {s.title: s.frame for s in comparison_sheets(cmp)}["Changes"]
    assert "remark" not in sheet.columns and not len(sheet)


def test_a_timed_infeasible_output_is_said_not_compared_in_both_sheets(tmp_path: Path) -> None:
    """Timed: the Coverage changes and Tour changes sheets each have a row naming the output
    without a plan, with a remark (they had none)."""
    from .test_compare_time import LINES, MONTHS, outputs
    from .time_outputs import timed_output

    base, _ = outputs(tmp_path)
    inf = timed_output(
        tmp_path / "inf.xlsx",
        periods=MONTHS,
        tours=[],
        lines=LINES,
        summary={"scenario": "no_ita", "status": "infeasible"},
    )
    diff = tmp_path / "diff.xlsx"
    result = compare(base, inf, "-o", diff)
    assert result.exit_code == 0, result.output
    wb = load_workbook(diff, read_only=True)
    for sheet in ("Coverage changes", "Tour changes"):
        rows = list(wb[sheet].iter_rows(values_only=True))
        said = dict(zip(rows[0], rows[1], strict=True))
        assert len(rows) == 2, sheet
        assert said["scenario"] == "no_ita"
        assert said["remark"] == "not compared: no_ita has no plan (infeasible)"
