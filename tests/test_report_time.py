"""`forcegen report` on a timed output (contract `time.md`, Output): the headline in time, a Gantt
chart per site, coverage over time, the cards, refusals and the command. "The docstring's case"
is tests/report_time_case.py's hand-worked case (three periods, FRA and ITA)."""

from __future__ import annotations

import os
import re
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
from solver.report.timed import Bar, lanes, merge_orders, timed_view
from solver.report.timed_section import first_short_table, timed_cards

from .report_time_case import (
    HOSTILE,
    PPU,
    boxes,
    case,
    gantt_ids,
    report,
)
from .time_outputs import line, timed_output, tour
from .workbooks import simple_case


def test_the_view_in_time(tmp_path: Path) -> None:
    """The bars, bands, coverage and personnel of the docstring's case."""
    timed = timed_view(load_output(case(tmp_path / "plan.xlsx")))
    assert timed.periods == ["P1", "P2", "P3"]
    assert timed.sites == ["Kyiv", "Lviv"]
    assert timed.bars == [
        Bar("FRA", "AD_BTY", "Lviv", 0, 0, 1),
        Bar("FRA", "INF_BN", "Kyiv", 0, 1, 1),
        Bar("ITA", "AD_BTY", "Lviv", 1, 2, 2),
    ]
    assert timed.short == {"Kyiv": {"INF_BN": [2]}, "Lviv": {"AD_BTY": [0], "LOG": [2]}}
    assert timed.coverage == {1: [2 / 3, 1.0, 2 / 3], 2: [None, None, 0.0]}
    assert timed.burden == {"FRA": [700, 600, 0], "ITA": [0, 200, 200]}
    assert str(timed.start) == "2027-01-01"


def test_tours_share_a_lane_when_they_do_not_overlap() -> None:
    """AD_BTY in time order (first, then last period): A 0..0, C 1..1, B 1..2. A opens lane 1;
    C starts after A ends: lane 1; B starts when C is still there: lane 2. INF_BN comes after
    AD_BTY (capabilities sorted). A line's capability without a tour (LOG) has one empty lane;
    one with tours (INF_BN) no extra lane."""
    a, b, c = (
        Bar("A", "AD_BTY", "S", 0, 0, 1),
        Bar("B", "AD_BTY", "S", 1, 2, 2),
        Bar("C", "AD_BTY", "S", 1, 1, 1),
    )
    d = Bar("A", "INF_BN", "S", 0, 2, 1)
    assert lanes([d, c, b, a]) == [("AD_BTY", [a, c]), ("AD_BTY", [b]), ("INF_BN", [d])]
    assert lanes([d, c, b, a], ["LOG", "INF_BN"]) == [
        ("AD_BTY", [a, c]),
        ("AD_BTY", [b]),
        ("INF_BN", [d]),
        ("LOG", []),
    ]
    assert lanes([], ["LOG"]) == [("LOG", [])]


def test_the_page_draws_one_gantt_per_site_with_its_tours_and_red_bands(tmp_path: Path) -> None:
    html = report(tmp_path, case(tmp_path / "plan.xlsx"))
    assert gantt_ids(html) == [
        {"tour:Kyiv:FRA:INF_BN:P1:P2", "short:Kyiv:INF_BN:P3"},
        {
            *("tour:Lviv:FRA:AD_BTY:P1:P1", "tour:Lviv:ITA:AD_BTY:P2:P3"),
            *("short:Lviv:AD_BTY:P1", "short:Lviv:LOG:P3"),
        },
    ]
    assert html.count("red: that line is short") == 2
    assert "In time: 3 periods (P1..P3) over 3 months, from 2027-01-01" in html
    assert 'id="coverage:p1"' in html and 'id="coverage:p2"' in html
    assert html.count('id="burden:') == 6  # FRA and ITA, three periods each
    assert "Coverage over time" in html and "Who carries the force over time" in html
    ids = re.findall(r'\bid="([^"]+)"', html)  # each figure's own (render.unique_ids)
    assert len(ids) == len(set(ids))


def test_a_band_lies_over_the_short_line_only(tmp_path: Path) -> None:
    """One site, Kyiv, P1..P4 of one month, three lines:
        INF_BN 2 (P1..P4): FRA 1 in P1..P4, ITA 1 in P1..P2  -> 2 2 1 1: short in P3, P4
        AD_BTY 1 (P1..P4): GBR 1 in P1..P4                   -> 1 1 1 1: held throughout
        LOG    1 (P2..P3): no tour                           -> 0 0: short in P2, P3
    Lanes, capabilities sorted: AD_BTY (lane 0: GBR), INF_BN (ITA ends first: lane 1; FRA
    overlaps it: lane 2), LOG (lane 3, empty: "no tour"). With p the lane pitch (the distance
    between ITA's and FRA's bars) and c(k) the centre of lane k, INF_BN's bands cover lanes 1..2,
    c(1) - p/2 .. c(2) + p/2, in P3 and P4; LOG's lane 3, c(3) -/+ p/2, in P2 and P3; AD_BTY's lane
    has none. Each band is one period wide: GBR's bar spans the 4 columns."""
    plan = timed_output(
        tmp_path / "kyiv.xlsx",
        periods=["P1", "P2", "P3", "P4"],
        tours=[
            tour("FRA", "INF_BN", "Kyiv", "P1", "P4", 1),
            tour("ITA", "INF_BN", "Kyiv", "P1", "P2", 1),
            tour("GBR", "AD_BTY", "Kyiv", "P1", "P4", 1),
        ],
        lines=[
            line("Kyiv", "INF_BN", 2),
            line("Kyiv", "AD_BTY", 1),
            line("Kyiv", "LOG", 1, first="P2", last="P3"),
        ],
        ppu=PPU,
    )
    timed = timed_view(load_output(plan))
    assert timed.short == {"Kyiv": {"AD_BTY": [], "INF_BN": [2, 3], "LOG": [1, 2]}}
    html = report(tmp_path, plan)
    (chart,) = (
        html.split("<h3>Tours per site</h3>", 1)[1].split("<h3>Who carries", 1)[0].split("<svg")[1:]
    )
    drawn = boxes(chart)
    assert set(drawn) == {
        *("tour:Kyiv:GBR:AD_BTY:P1:P4", "tour:Kyiv:ITA:INF_BN:P1:P2", "tour:Kyiv:FRA:INF_BN:P1:P4"),
        *("short:Kyiv:INF_BN:P3", "short:Kyiv:INF_BN:P4", "short:Kyiv:LOG:P2", "short:Kyiv:LOG:P3"),
    }

    def centre(tour_id: str) -> float:
        return (drawn[tour_id][2] + drawn[tour_id][3]) / 2

    c0 = centre("tour:Kyiv:GBR:AD_BTY:P1:P4")
    c1, c2 = centre("tour:Kyiv:ITA:INF_BN:P1:P2"), centre("tour:Kyiv:FRA:INF_BN:P1:P4")
    pitch = c2 - c1
    assert pitch > 0 and c1 - c0 == pytest.approx(pitch)  # AD_BTY's lane, then INF_BN's two
    c3 = c2 + pitch
    left, right = drawn["tour:Kyiv:GBR:AD_BTY:P1:P4"][:2]
    width = (right - left) / 4

    def column(t: int) -> tuple[float, float]:
        return pytest.approx(left + t * width), pytest.approx(left + (t + 1) * width)

    for t in (2, 3):
        x0, x1, y0, y1 = drawn[f"short:Kyiv:INF_BN:P{t + 1}"]
        assert (x0, x1) == column(t)
        assert (y0, y1) == (pytest.approx(c1 - pitch / 2), pytest.approx(c2 + pitch / 2))
    for t in (1, 2):
        x0, x1, y0, y1 = drawn[f"short:Kyiv:LOG:P{t + 1}"]
        assert (x0, x1) == column(t)
        assert (y0, y1) == (pytest.approx(c3 - pitch / 2), pytest.approx(c3 + pitch / 2))
    assert ">LOG<" in chart and ">no tour<" in chart  # the line without a tour has its lane
    assert "Kyiv: tours by nation; red: that line is short" in chart


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
        ("2", "unit-months short, priority 1"),
        ("1", "unit-months short, priority 2"),
        ("0 of 3", "lines sustained in every period"),
        ("P1", "first priority-1 gap: Lviv/AD_BTY"),
        ("800", "personnel deployed at the busiest period"),
        ("2 of 2", "contributors engaged"),
        ("0", "hard lines short in some period"),
    ]


def test_a_nation_has_one_colour_on_every_figure(tmp_path: Path) -> None:
    """FRA's bars at Kyiv and at Lviv and its burden bars share one fill; ITA's differs."""
    html = report(tmp_path, case(tmp_path / "plan.xlsx"))

    def fill(gid: str) -> str:
        found = re.search(
            rf'<g id="{re.escape(gid)}">\s*<path [^>]*style="fill: (#[0-9a-f]+)', html
        )
        assert found, gid
        return found.group(1)

    fra = fill("tour:Kyiv:FRA:INF_BN:P1:P2")
    assert fill("tour:Lviv:FRA:AD_BTY:P1:P1") == fra == fill("burden:FRA:P1")
    assert fill("tour:Lviv:ITA:AD_BTY:P2:P3") == fill("burden:ITA:P2") != fra


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
    plan = timed_output(
        tmp_path / "inf.xlsx",
        periods=["P1", "P2"],
        tours=[],
        lines=[line("Kyiv", "INF_BN", 1, hard=True)],
        summary={"status": "infeasible", "message": "the hard lines cannot all be held"},
    )
    wb = load_workbook(plan)
    del wb["Sustainability"], wb["Burden"]
    wb.save(plan)
    html = report(tmp_path, plan)
    assert "Infeasible: hard requirements and caveats cannot all hold" in html
    assert "Tours per site" not in html and "No plan exists for this output" in html


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


def test_a_capability_named_inf_stays_text(tmp_path: Path) -> None:
    """`INF` (infantry) is a code, not infinity: the Gantt's bar and the heat map name it."""
    plan = timed_output(
        tmp_path / "inf.xlsx",
        periods=["P1", "P2"],
        tours=[tour("FRA", "INF", "Kyiv", "P1", "P2", 1)],
        lines=[line("Kyiv", "INF", 2)],
    )
    out = load_output(plan)
    assert timed_view(out).bars == [Bar("FRA", "INF", "Kyiv", 0, 1, 1)]
    html = report(tmp_path, plan)
    assert 'id="tour:Kyiv:FRA:INF:P1:P2"' in html and ">inf<" not in html


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
