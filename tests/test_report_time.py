"""`forcegen report` on a timed output (contract `time.md`, Output): the headline in time,
coverage over time, the cards, refusals and the command (the view in time and its Gantt chart
per site: test_report_time_gantt.py). "The docstring's case" is tests/report_time_case.py's
hand-worked case (three periods, FRA and ITA)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.cli import main
from solver.outputs.load import load_output
from solver.report.command import write_report
from solver.report.timed import merge_orders, timed_view
from solver.report.timed_section import first_short_table, timed_cards

from .report_time_case import (
    HOSTILE,
    PPU,
    case,
    report,
)
from .time_outputs import line, timed_output, tour
from .workbooks import simple_case


def test_the_first_period_each_priority_1_line_goes_short(tmp_path: Path) -> None:
    """Lviv AD_BTY goes short in P1 (from its start), Kyiv INF_BN in P3 (sustained until P2);
    the p2 line is not listed."""
    out = load_output(case(tmp_path / "plan.xlsx"))
    table, note = first_short_table(out, timed_view(out))
    assert table is not None
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["Lviv", "AD_BTY", "P1", "–", "1", "1", "notice to move"],
        ["Kyiv", "INF_BN", "P3", "P2", "1", "1", "ITA's tour ends P2"],
    ]
    assert note == "0 of 2 priority-1 lines are sustained in every period they are active."
    html = report(tmp_path, out.path)
    assert "ITA&#39;s tour ends P2" in html  # the reason, escaped by autoescape


def test_the_cards_in_time(tmp_path: Path) -> None:
    out = load_output(case(tmp_path / "plan.xlsx"))
    assert timed_cards(out, timed_view(out)) == [
        ("70.0%", "coverage in unit-months, all priorities"),
        ("2", "unit-months short, priority 1 (not weighted)"),
        ("1", "unit-month short, priority 2 (not weighted)"),  # a trial: `1 unit-months`
        ("0 of 3", "lines sustained in every period"),
        ("P1", "first priority-1 gap: Lviv/AD_BTY"),
        ("800", "personnel deployed at the busiest period"),
        ("2 of 2", "contributors engaged"),
        ("0", "hard lines short in some period"),
    ]


def test_one_hard_line_short_is_said_in_the_singular(tmp_path: Path) -> None:
    """The docstring's case with Kyiv INF_BN hard (short in P3): one hard line short (a
    planner trial read `1 hard lines short in some period`)."""
    plan = timed_output(
        tmp_path / "hard.xlsx",
        periods=["P1", "P2", "P3"],
        tours=[tour("FRA", "INF_BN", "Kyiv", "P1", "P2", 1)],
        lines=[line("Kyiv", "INF_BN", 1, 1, hard=True)],
        ppu=PPU,
    )
    out = load_output(plan)
    cards = timed_cards(out, timed_view(out))
    assert cards[-1] == ("1", "hard line short in some period")
    # one line: said in the singular too (a briefing trial: `1 of 1 priority-1 lines are`)
    assert ("0 of 1", "line sustained in every period") in cards
    assert first_short_table(out, timed_view(out))[1] == (
        "0 of 1 priority-1 line is sustained in every period it is active."
    )


def test_the_same_output_gives_the_same_bytes(tmp_path: Path) -> None:
    plan = case(tmp_path / "plan.xlsx")
    first = write_report([plan], tmp_path / "a.html").read_bytes()
    again = write_report([plan], tmp_path / "b.html").read_bytes()
    assert first == again


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    html = report(tmp_path, case(tmp_path / "plan.xlsx", fra=HOSTILE))
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # drawn as text in the Gantt
    assert 'id="tour:Kyiv:_script_alert_1___script_:INF_BN:P1:P2"' in html


def test_periods_in_time_order_from_the_sheets() -> None:
    """Burden lists P1 P2 Q3, a line only P2 Q3 Q4: one order keeps both."""
    assert merge_orders([["P1", "P2", "Q3"], ["P2", "Q3", "Q4"], ["Q4"]]) == [
        "P1",
        "P2",
        "Q3",
        "Q4",
    ]
    assert merge_orders([["B", "C"], ["A", "B"]]) == ["A", "B", "C"]


def test_an_incomplete_timed_output_is_refused(tmp_path: Path) -> None:
    plan = case(tmp_path / "plan.xlsx")
    wb = load_workbook(plan)
    del wb["Burden"]
    wb.save(plan)
    result = CliRunner().invoke(main, ["report", str(plan), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2, result.output
    assert "plan.xlsx has a Tours sheet but not Burden" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_a_timed_and_a_snapshot_output_on_one_page_are_refused(tmp_path: Path) -> None:
    src = simple_case(tmp_path / "snap.xlsx")
    snap = api.write(api.solve(src), tmp_path / "snap-out.xlsx", [src])
    plan = case(tmp_path / "plan.xlsx")
    result = CliRunner().invoke(
        main, ["report", str(plan), str(snap), "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 2, result.output
    assert "cannot compare timed output(s) (plan.xlsx) with snapshot output(s) (snap-out.xlsx)" in (
        result.output
    )
    assert not (tmp_path / "x.html").exists()


def test_two_timed_outputs_compared_per_period(tmp_path: Path) -> None:
    """The docstring's case with periods named M9, M10, M11 (text order M10, M11, M9). The
    what-if gives ITA one AD_BTY at Lviv in M9..M10 instead of two in M10..M11: Lviv AD_BTY has
    1+1 = 2 in M9 (base 1: +1), 1 in M10 (base 2: -1), 0 in M11 (base 2: -2): three runs of one
    period each (the change differs), in time order; ITA's tours overlap (M10): one tour changed.
    As `forcegen compare` says it."""
    from solver.report.compare import comparison_section

    names = ("M9", "M10", "M11")
    base = case(tmp_path / "base.xlsx", names=names)
    what_if = timed_output(
        tmp_path / "whatif.xlsx",
        periods=list(names),
        tours=[
            tour("FRA", "INF_BN", "Kyiv", "M9", "M10", 1),
            tour("FRA", "AD_BTY", "Lviv", "M9", "M9", 1),
            tour("ITA", "AD_BTY", "Lviv", "M9", "M10", 1),
        ],
        lines=[
            line("Kyiv", "INF_BN", 1, 1),
            line("Lviv", "AD_BTY", 2, 1),
            line("Lviv", "LOG", 1, 2, first="M11", last="M11"),
        ],
        ppu=PPU,
        summary={"scenario": "what_if"},
    )
    section = comparison_section([load_output(base), load_output(what_if)])
    assert section.timed and section.coverage is not None and section.tours is not None
    assert [[c.text for c in r.cells] for r in section.coverage.rows] == [
        ["whatif.xlsx (what_if)", "Lviv", "AD_BTY", "1", "M9", "M9", "1", "+1"],
        ["whatif.xlsx (what_if)", "Lviv", "AD_BTY", "1", "M10", "M10", "1", "-1"],
        ["whatif.xlsx (what_if)", "Lviv", "AD_BTY", "1", "M11", "M11", "1", "-2"],
    ]
    assert [r.short for r in section.coverage.rows] == [False, True, True]
    assert [[c.text for c in r.cells] for r in section.tours.rows] == [
        [
            *("whatif.xlsx (what_if)", "ITA", "AD_BTY", "Lviv", "changed"),
            *("M10", "M11", "2", "M9", "M10", "1"),
        ],
    ]
    figures = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in section.figures.rows}
    # required 3 + 6 + 1 = 10 unit-months in both; covered 2 + 5 + 0 = 7 (base), 2 + 3 + 0 = 5
    assert figures["required_unit_months"] == ["10", "10"]
    assert figures["allocated_unit_months"] == ["7", "5"]
    assert "shortfall_units" not in figures  # a snapshot's total, not a timed one's
    # the Summary's peak, beside totals in unit-months, says it is one (an analyst trial)
    assert (
        "deployed_personnel (peak in a period)" in figures and "deployed_personnel" not in figures
    )
    # ITA: 2 units over M10..M11 (4 unit-months, peak 200 personnel) -> 1 over M9..M10 (2,
    # peak 100); FRA's tours are the same. In time the unit-months decide who is listed: a
    # nation leaving for a year keeps its peak personnel
    assert section.contributors is not None
    assert section.contributors.columns == [
        "contributor",
        "peak_personnel: base.xlsx (base)",
        "peak_personnel: whatif.xlsx (what_if)",
        "unit_months: base.xlsx (base)",
        "unit_months: whatif.xlsx (what_if)",
    ]
    assert [[c.text for c in r.cells] for r in section.contributors.rows] == [
        ["ITA", "200", "100", "4", "2"]
    ]
    # the peak's change is shown as the unit-months' is (a trial read 1,700 | 2,300 with none)
    (ita,) = section.contributors.rows
    assert [c.change for c in ita.cells] == ["", "", "-100", "", "-2"]
    html = report(tmp_path, base, what_if)
    assert "<h2>Comparison</h2>" in html and "<h3>Tours that change</h3>" in html
    assert "<h3>Contributors whose unit-months deployed or peak personnel change</h3>" in html


@pytest.mark.parametrize("name", ["plan.xlsx"])
def test_cli_writes_the_timed_briefing(tmp_path: Path, name: str) -> None:
    plan = case(tmp_path / name)
    result = CliRunner().invoke(main, ["report", str(plan)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plan.html").is_file()
    assert "no map for" in result.output  # the input is not beside it: said, not fatal


def test_a_timed_output_without_plan_shows_its_status_only(tmp_path: Path) -> None:
    """An infeasible timed solve: no tours, and no Sustainability or Burden sheet to read."""
    html = _planless_report(
        tmp_path,
        line("Kyiv", "INF_BN", 1, hard=True),
        {"status": "infeasible", "message": "the hard lines cannot all be held"},
    )
    assert "Infeasible: hard requirements and caveats cannot all hold" in html
    assert "Tours per site" not in html and "This output holds no plan" in html


def test_a_browser_renders_the_timed_briefing(tmp_path: Path) -> None:
    """Headless Chromium: two Gantt charts, coverage and personnel over time, the coverage bars
    (no input: no map), heat map and contributions: 7 figures, and no console error."""
    from .report_case import browse

    html = write_report([case(tmp_path / "plan.xlsx")], tmp_path / "brief.html")
    dom = browse(html, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<svg") == 7
    assert "Tours per site" in dom.stdout
    assert not [x for x in dom.stderr.splitlines() if ":CONSOLE" in x]


def test_periods_and_start_come_from_the_input_when_found(tmp_path: Path) -> None:
    """The input (found beside the output by the Summary's input_file) has periods P1..P4 from
    2027-01-01; the output's sheets name only P1..P3 (its one line is active P1..P3, A's tour
    P1..P2). The page has four period columns, the start from the input and the map from the
    input's coordinates; coverage p1 = 1/1, 1/1, 0/1 in P1..P3 and nothing due in P4."""
    from .time_cases import timed_case

    timed_case(
        tmp_path / "plan_input.xlsx",
        periods=[
            {"period": "P1", "start": "2027-01-01"},
            *({"period": f"P{i}"} for i in (2, 3, 4)),
        ],
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "to": "P3"}],
    )
    plan = timed_output(
        tmp_path / "plan.xlsx",
        periods=["P1", "P2", "P3"],
        tours=[tour("A", "INF", "S1", "P1", "P2", 1)],
        lines=[line("S1", "INF", 1)],
        contributors=["A", "B"],
        summary={"periods": 4, "horizon_months": 4},
    )
    out = load_output(plan)
    from solver.outputs.source import load_geo

    geo = load_geo(out, None)
    assert geo.source == tmp_path / "plan_input.xlsx"
    timed = timed_view(out, geo.periods)
    assert timed.periods == ["P1", "P2", "P3", "P4"]
    assert timed.coverage == {1: [1.0, 1.0, 0.0, None]}
    html = report(tmp_path, plan)
    assert "In time: 4 periods (P1..P4) over 4 months, from 2027-01-01" in html
    assert "Sites: circle area ~ allocated personnel" in html  # the map was drawn


def test_a_solve_that_found_no_plan_is_not_called_infeasible(tmp_path: Path) -> None:
    """A solve stopped by its limit before any plan (`no_solution`) of a workbook a plan may
    exist for: the page says the search found none within its limit, not that none exists (a
    scale trial read `Status no_solution: there is no plan` as infeasible)."""
    html = _planless_report(
        tmp_path,
        line("Kyiv", "INF_BN", 1),
        {"status": "no_solution", "message": "no feasible allocation found"},
    )
    assert "No plan found: the search found none within its limit, though one may exist" in html
    assert "Infeasible" not in html and "This output holds no plan" in html


def _planless_report(tmp_path: Path, only_line: dict, summary: dict) -> str:
    """The briefing of a timed output without a plan: no tours, and no Sustainability or
    Burden sheet to read (a solve with no plan writes neither)."""
    plan = timed_output(
        tmp_path / "planless.xlsx",
        periods=["P1", "P2"],
        tours=[],
        lines=[only_line],
        summary=summary,
    )
    wb = load_workbook(plan)
    del wb["Sustainability"], wb["Burden"]
    wb.save(plan)
    return report(tmp_path, plan)
