"""The re-plan's sheets in a solved output, on the console and in the HTML briefing; none of
it without a baseline."""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from solver import api
from solver.cli import main
from solver.results.console import summary_lines

from .changes_case import reasons_case
from .workbooks import simple_case


def test_a_solve_with_a_baseline_writes_asks_and_changes_after_the_plan(tmp_path) -> None:
    """`reasons_case`: whatever plan the solve picks among its equals, C (unavailable) and E
    (its backstop F unavailable) can keep nothing of the baseline, so both withdraw their one
    INF (100 personnel), and F, with no baseline and nothing to give, is unchanged. The sheets
    come right after Allocation; the console says how many units change and nations are asked,
    and the sum of |change| on Changes is the first number."""
    result = api.solve(reasons_case(tmp_path))
    out = api.write(result, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(out, read_only=True)
    names = wb.sheetnames
    assert names[names.index("Allocation") + 1 : names.index("Allocation") + 3] == [
        "Asks",
        "Changes",
    ]
    asks = {row[0]: row[1] for row in wb["Asks"].iter_rows(min_row=2, values_only=True)}
    assert asks["C"] == "withdraw 1 INF from S2 (-100 personnel; forced: C is unavailable)"
    assert asks["E"] == (
        "withdraw 1 INF from S1 (-100 personnel; forced: kept out by caveat C2 (E requires F))"
    )
    assert asks["F"] == "unchanged"
    changed = sum(abs(r[5]) for r in wb["Changes"].iter_rows(min_row=2, values_only=True))
    asked = sum(1 for a in asks.values() if a != "unchanged")
    header = [c.value for c in next(wb["Asks"].iter_rows(max_row=1))]
    rows = list(wb["Asks"].iter_rows(min_row=2, values_only=True))
    moved, added, withdrawn = (
        sum(r[header.index(f"units_{kind}")] for r in rows)
        for kind in ("moved", "added", "withdrawn")
    )
    assert withdrawn >= 2  # C's and E's
    assert 2 * moved + added + withdrawn == changed  # a move is a unit removed and one added
    parts = [f"{moved} moved, each counted twice"] if moved else []
    parts += [f"{n} {word}" for n, word in ((added, "added"), (withdrawn, "withdrawn")) if n]
    made_of = f" ({'; '.join(parts)})" if moved else ""  # said only where a move counts twice
    line = (
        f"{changed} units change{made_of}, {asked} nations asked (see the Asks and Changes sheets)"
    )
    assert line in summary_lines(result.tables)


def test_the_briefing_shows_the_asks_of_a_re_plan(tmp_path) -> None:
    """The HTML report of that output has the asks section, with C's ask and F unchanged."""
    result = api.solve(reasons_case(tmp_path))
    out = api.write(result, tmp_path / "out.xlsx")
    page = tmp_path / "out.html"
    run = CliRunner().invoke(main, ["report", str(out), "-o", str(page)])
    assert run.exit_code == 0, run.output
    html = page.read_text()
    assert "What the plan asks of each nation, against the Baseline sheet of the workbook" in html
    assert "<td>withdraw 1 INF from S2 (-100 personnel; forced: C is unavailable)</td>" in html
    assert "unchanged: F" in html
    assert "Changes against the Baseline sheet of the workbook" in html
    # re-planned against an earlier output (`--baseline plan.xlsx`): the headings name it
    from openpyxl import load_workbook

    book = load_workbook(out)
    book["Summary"].append(["baseline_file", "plan.xlsx"])
    book.save(out)
    page.unlink()
    assert CliRunner().invoke(main, ["report", str(out), "-o", str(page)]).exit_code == 0
    assert "Changes against the baseline plan.xlsx" in page.read_text()


def test_without_a_baseline_nothing_of_a_re_plan_is_written(tmp_path) -> None:
    """No baseline: no Asks or Changes sheet, no console line, no briefing section."""
    result = api.solve(simple_case(tmp_path / "case.xlsx"))
    out = api.write(result, tmp_path / "out.xlsx")
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert "Asks" not in names and "Changes" not in names
    assert not any("nations asked" in line for line in summary_lines(result.tables))
    page = tmp_path / "out.html"
    assert CliRunner().invoke(main, ["report", str(out), "-o", str(page)]).exit_code == 0
    assert "against the baseline" not in page.read_text()


def test_a_changes_stage_not_solved_is_said_on_the_console(tmp_path) -> None:
    """A search stopped before the `changes` stage (a time limit in an earlier stage) keeps
    what the earlier stage's plan moved: the console must not pass that off as the fewest
    changes. The same tables with the stage optimal say nothing more."""
    result = api.solve(reasons_case(tmp_path))
    plain = [line for line in summary_lines(result.tables) if "nations asked" in line]
    assert len(plain) == 1 and "the fewest" not in plain[0]
    result.tables.summary = [
        (k, "not_solved" if k == "stage.changes.status" else v) for k, v in result.tables.summary
    ]
    stopped = [line for line in summary_lines(result.tables) if "nations asked" in line]
    assert stopped == [
        plain[0] + "; not proven the fewest: the search stopped before the changes stage"
    ]
    result.tables.summary = [
        (k, "feasible" if k == "stage.changes.status" else v) for k, v in result.tables.summary
    ]
    stopped = [line for line in summary_lines(result.tables) if "nations asked" in line]
    assert stopped == [
        plain[0] + "; not proven the fewest: the changes stage ended feasible, not optimal"
    ]


def test_an_edited_re_plan_does_not_show_the_solved_plans_asks(tmp_path) -> None:
    """Edited by hand after solving, the re-plan's Asks and Changes are the solved plan's: the
    briefing leaves them out and says how to get the edited plan's (before, it showed them as
    if they were the edited plan's)."""
    result = api.solve(reasons_case(tmp_path))
    out = api.write(result, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(out)
    book["Allocation"].delete_rows(2)
    book.save(out)
    page = tmp_path / "out.html"
    run = CliRunner().invoke(main, ["report", str(out), "-o", str(page)])
    assert run.exit_code == 0, run.output
    html = page.read_text()
    assert "What the plan asks of each nation, against the baseline" not in html
    assert "withdraw 1 INF from S2" not in html
    assert "Its Asks and Changes sheets are the solved re-plan&#39;s" in html
