"""`forcegen report` on a timed output (contract `time.md`, Output): the headline in time, a Gantt
chart per site, coverage over time, the first period each priority-1 line goes short, and who
carries the force over time. Outputs are built by tests/time_outputs.py (no timed solver).

The hand-worked case (`case`): periods P1, P2, P3 of one month from 2027-01-01; INF_BN has 600
people a unit, AD_BTY 100, LOG 50.
    tours  FRA INF_BN Kyiv P1..P2 x1;  FRA AD_BTY Lviv P1..P1 x1;  ITA AD_BTY Lviv P2..P3 x2
    lines  Kyiv INF_BN 1 (p1, P1..P3);  Lviv AD_BTY 2 (p1, P1..P3);  Lviv LOG 1 (p2, P3 only)
Per period, allocated/required:
    Kyiv INF_BN  1/1  1/1  0/1   -> short in P3: first_short P3, sustained_until P2
    Lviv AD_BTY  1/2  2/2  2/2   -> short in P1: first_short P1, sustained_until blank
    Lviv LOG      -    -   0/1   -> short in P3 (p2)
so the red bands are Kyiv INF_BN: P3, Lviv AD_BTY: P1 and Lviv LOG: P3 (each over its own line's
lanes; LOG has no tour, so an empty lane of its own); coverage p1 = (1+1)/(1+2) = 2/3 in P1,
(1+2)/(1+2) = 1 in P2, (0+2)/(1+2) = 2/3 in P3; p2 = nothing due in P1, P2, 0/1 = 0 in P3.
Personnel present: FRA 600+100 = 700 in P1, 600 in P2, 0 in P3; ITA 0, 200, 200: the busiest
period is P2 with 800. Unit-months short: p1 = 1 (Kyiv, P3) + 1 (Lviv AD_BTY, P1) = 2; p2 = 1;
required 3 + 6 + 1 = 10 unit-months, 3 short: the Summary's coverage_pct is 70.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.cli import main
from solver.report.command import write_report
from solver.report.load import load_output
from solver.report.timed import Bar, lanes, merge_orders, timed_view
from solver.report.timed_section import first_short_table, timed_cards

from .time_outputs import line, timed_output, tour
from .workbooks import simple_case

HOSTILE = "<script>alert(1)</script>"
PPU = {"INF_BN": 600, "AD_BTY": 100, "LOG": 50}


def case(path: Path, fra: str = "FRA", names: tuple[str, str, str] = ("P1", "P2", "P3")) -> Path:
    """The docstring's case; `names` renames the periods P1, P2, P3."""
    p1, p2, p3 = names
    return timed_output(
        path,
        periods=list(names),
        tours=[
            tour(fra, "INF_BN", "Kyiv", p1, p2, 1),
            tour(fra, "AD_BTY", "Lviv", p1, p1, 1),
            tour("ITA", "AD_BTY", "Lviv", p2, p3, 2),
        ],
        lines=[
            line("Kyiv", "INF_BN", 1, 1, reason="ITA's tour ends P2"),
            line("Lviv", "AD_BTY", 2, 1, reason="notice to move"),
            line("Lviv", "LOG", 1, 2, first=p3, last=p3),
        ],
        ppu=PPU,
        start="2027-01-01",
    )


def report(tmp_path: Path, *outputs: Path) -> str:
    html = write_report(list(outputs), tmp_path / "brief.html")
    return html.read_text(encoding="utf-8")


def gantt_ids(html: str) -> list[set[str]]:
    """The ids of each Gantt chart's bars and bands, in page order."""
    part = html.split("<h3>Tours per site</h3>", 1)[1].split("<h3>Who carries", 1)[0]
    return [set(re.findall(r'id="((?:tour|short):[^"]*)"', svg)) for svg in part.split("<svg")[1:]]


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


def boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """The extent (x0, x1, y0, y1, in SVG points: y grows down) of each bar and band of `svg`."""
    out = {}
    for found in re.finditer(r'<g id="((?:tour|short):[^"]*)">\s*<path d="([^"]*)"', svg):
        at = [float(v) for v in re.findall(r"-?[\d.]+", found.group(2))]
        xs, ys = at[0::2], at[1::2]
        out[found.group(1)] = (min(xs), max(xs), min(ys), max(ys))
    return out


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
        ("0", "hard lines short"),
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
    from .test_report import browse

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
    from solver.report.source import load_geo

    geo = load_geo(out, None)
    assert geo.source == tmp_path / "plan_input.xlsx"
    timed = timed_view(out, geo.periods)
    assert timed.periods == ["P1", "P2", "P3", "P4"]
    assert timed.coverage == {1: [1.0, 1.0, 0.0, None]}
    html = report(tmp_path, plan)
    assert "In time: 4 periods (P1..P4) over 4 months, from 2027-01-01" in html
    assert "Sites: circle area ~ allocated personnel" in html  # the map was drawn


def rotation_case(path: Path) -> Path:
    """P1..P4 of one month; S1 needs 2 INF (priority 1), S2 1 INF (priority 2); A pledges 2 INF
    with tours of at most 2 months and 1 month of dwell, B 1 INF from P2 (scenario b_early:
    from P1). Shared with test_compare_time.py."""
    from .time_cases import months, timed_case

    return timed_case(
        path,
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 2}
            | {"dwell_months": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "from": "P2"},
        ],
        scenarios=[
            {"scenario": "b_early", "sheet": "Pledges", "key": "B/INF", "column": "from"}
            | {"value": "P1"}
        ],
    )


def test_a_timed_solve_through_the_report(tmp_path: Path) -> None:
    """`rotation_case` solved in time. S1 (p1) can be held throughout only so: in P1 A's two
        units (all there is); in P2 and P3 one A unit and B (two A units in P2 would both dwell in
        P3, leaving B alone); in P4 both A units and B. So S2 (p2) gets a unit only in P4: short in
        P1, P2, P3 (3 unit-months), and its Gantt has red bands on its INF line at P1, P2, P3, S1's
    none."""
    src = rotation_case(tmp_path / "rot.xlsx")
    out = api.write(api.solve(src), tmp_path / "rot-out.xlsx", [src])
    timed = timed_view(load_output(out))
    assert timed.periods == ["P1", "P2", "P3", "P4"]
    assert timed.short == {"S1": {"INF": []}, "S2": {"INF": [0, 1, 2]}}
    assert timed.coverage == {1: [1.0, 1.0, 1.0, 1.0], 2: [0.0, 0.0, 0.0, 1.0]}
    html = report(tmp_path, out)
    rows = list(load_workbook(out)["Tours"].iter_rows(min_row=2, values_only=True))
    bands = {"S1": set(), "S2": {"short:S2:INF:P1", "short:S2:INF:P2", "short:S2:INF:P3"}}
    assert timed.sites == ["S1", "S2"]
    assert gantt_ids(html) == [
        {f"tour:{s}:{c}:{k}:{a}:{b}" for c, k, s, a, b, *_ in rows if s == site} | bands[site]
        for site in ("S1", "S2")
    ]
    assert "In time: 4 periods (P1..P4) over 4 months" in html


def test_a_caveat_keeps_its_window_on_the_sheet_and_the_page(tmp_path: Path) -> None:
    """P1..P4 of one month; S1 needs 1 INF in each, A pledges 1 (time_cases' world). C1: A
    max_units 0 in P2..P3, so S1 is short there with A at C1's limit: C1 binds. C2: A max_units 5,
    no window (the whole horizon): A has 1 unit, never 5, so C2 does not bind. The Caveats sheet
    repeats each row's window as written (C2's blank) before `binding`; the briefing's table of
    binding caveats holds C1 with its window P2, P3 (both were left out)."""
    from solver.report.html import caveats_table

    from .time_cases import months, timed_case

    src = timed_case(
        tmp_path / "window.xlsx",
        periods=months(4),
        caveats=[
            {"id": "C1", "contributor": "A", "caveat": "max_units", "value": 0}
            | {"from": "P2", "to": "P3"},
            {"id": "C2", "contributor": "A", "caveat": "max_units", "value": 5},
        ],
    )
    out = api.write(api.solve(src), tmp_path / "window-out.xlsx", [src])
    sheet = list(load_workbook(out)["Caveats"].iter_rows(values_only=True))
    header = list(sheet[0])
    assert header[header.index("note") :] == ["note", "from", "to", "binding", "remark"]
    at = [header.index(c) for c in ("id", "from", "to", "binding")]
    assert [tuple(r[i] for i in at) for r in sheet[1:]] == [
        ("C1", "P2", "P3", "yes"),
        ("C2", None, None, "no"),
    ]
    table, _ = caveats_table(load_output(out))
    assert table is not None
    assert table.columns == ["id", "contributor", "caveat", "value", "from", "to"]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["C1", "A", "max_units", "0", "P2", "P3"]
    ]


def test_gaps_in_time_give_periods_and_unit_months_short(tmp_path: Path) -> None:
    """The docstring's case: three lines short in some period (Sustainability), each with one
    period and 1 unit-month short. Kyiv INF_BN has Gaps rows (FRA's pledge exhausted, ITA kept
    out by a caveat: the specific reason first); the others have none and give Sustainability's
    reason (blank for Lviv LOG)."""
    from solver.report.html import grouped_reasons
    from solver.report.timed_section import timed_gaps_table

    plan = case(tmp_path / "plan.xlsx")
    wb = load_workbook(plan)
    gaps = wb.create_sheet("Gaps")
    gaps.append(["site", "capability", "priority", "contributor", "reason"])
    gaps.append(["Kyiv", "INF_BN", 1, "FRA", "pledge exhausted: 1 at Lviv (p1)"])
    gaps.append(["Kyiv", "INF_BN", 1, "ITA", "kept out by caveat C1 (ITA exclude)"])
    wb.save(plan)
    table = timed_gaps_table(load_output(plan), grouped_reasons)
    assert table is not None
    assert [[c.text for c in r.cells[:-1]] + [r.cells[-1].reasons] for r in table.rows] == [
        [
            "Kyiv",
            "INF_BN",
            "1",
            "1",
            "1",
            "P3",
            (("kept out by caveat C1 (ITA exclude)", "ITA"), ("pledge exhausted", "FRA")),
        ],
        ["Lviv", "AD_BTY", "1", "1", "1", "P1", (("notice to move", ""),)],
        ["Lviv", "LOG", "2", "1", "1", "P3", (("–", ""),)],
    ]
    html = report(tmp_path, plan)
    assert "<li>notice to move</li>" in html


def test_a_legend_of_30_nations_stays_inside_its_figure() -> None:
    """30 nations on the personnel chart (3.8 in high): every legend entry is drawn inside the
    SVG's height (in one column the last 5 ran off its bottom), and each nation is named."""
    from solver.report.figures_time import legend_columns, personnel_over_time

    nations = [f"N{k:02d}" for k in range(30)]
    periods = ["2027-01", "2027-02", "2027-03"]
    svg = personnel_over_time({n: [100, 100, 100] for n in nations}, periods, {})
    height = float(re.search(r'<svg[^>]* height="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    drawn = re.findall(r'<text[^>]* x="([\d.]+)" y="([\d.]+)"[^>]*>(N\d\d)<', svg)
    assert sorted(name for _, _, name in drawn) == nations
    assert all(0 < float(y) < height for _, y, _ in drawn)
    assert legend_columns(30, 3.8) == 2 and legend_columns(5, 3.8) == 1


def test_a_nation_is_named_once_per_reason_of_a_line() -> None:
    """A timed Gaps sheet has a row per period range: FRA's pledge exhausted in two ranges is
    one 'pledge exhausted: FRA' (it read 'FRA, FRA'), beside ITA's own reason."""
    import pandas as pd

    from solver.report.html import grouped_reasons

    gaps = pd.DataFrame(
        {
            "contributor": ["FRA", "FRA", "ITA", "DEU"],
            "reason": [
                "pledge exhausted: 1 at Lviv (p1)",
                "pledge exhausted: 1 at Kyiv (p1)",
                "kept out by caveat C1 (ITA exclude)",
                "pledge exhausted: 2 at Odesa (p2)",
            ],
        }
    )
    assert grouped_reasons(gaps) == (
        ("kept out by caveat C1 (ITA exclude)", "ITA"),
        ("pledge exhausted", "FRA, DEU"),
    )


def test_a_contributor_with_two_reasons_on_a_line_is_named_with_their_periods() -> None:
    """FRA is spare in 2027-04..2027-06 and in dwell from 2027-07 (the Gaps sheet splits that
    range at 2028-01, where the line's own figures change); NLD gives one reason in two
    ranges; USA one. FRA is named with the periods of each of its reasons, the ranges of one
    reason that follow each other made one (2027-07..2027-12 and 2028-01..2028-12 are
    2027-07..2028-12); NLD and USA alone, once each: a nation spare early and in dwell later reads
    as a change over time, not a contradiction, and a line split by its own figures does not
    repeat every name."""
    import pandas as pd

    from solver.report.html import grouped_reasons
    from solver.report.timed_section import _when

    gaps = pd.DataFrame(
        {
            "contributor": ["FRA", "FRA", "FRA", "NLD", "NLD", "USA"],
            "period": [
                "2027-04..2027-06",
                "2027-07..2027-12",
                "2028-01..2028-12",
                "2027-04..2027-12",
                "2028-01..2028-12",
                "2027-04..2028-12",
            ],
            "reason": [
                "not used although spare",
                "FRA's 5 units: 2 in dwell",
                "FRA's 5 units: 2 in dwell",
                "NLD's 1 unit: 1 at Kyiv (p1)",
                "NLD's 1 unit: 1 at Kyiv (p1)",
                "unavailable",
            ],
        }
    )
    order = [f"{y}-{m:02d}" for y in (2027, 2028) for m in range(1, 13)]
    said = dict(grouped_reasons(_when(gaps, order)))
    assert said["not used although spare"] == "FRA (2027-04..2027-06)"
    assert said["FRA's 5 units: 2 in dwell"] == "FRA (2027-07..2028-12)"
    assert said["NLD's 1 unit: 1 at Kyiv (p1)"] == "NLD"
    assert said["unavailable"] == "USA"


def test_ranges_of_one_reason_are_joined_only_where_they_follow_each_other() -> None:
    """P1..P6. DEU gives a reason in P1..P2, P3 and P4 (one after another: P1..P4) and again
    in P6, and another reason in P5, between them: `DEU (P1..P4,
    P6)` and `DEU (P5)`."""
    import pandas as pd

    from solver.report.html import grouped_reasons
    from solver.report.timed_section import _when

    gaps = pd.DataFrame(
        {
            "contributor": ["DEU"] * 5,
            "period": ["P1..P2", "P3", "P4", "P5", "P6"],
            "reason": ["DEU's 2 units: 2 in dwell"] * 3
            + ["unavailable", "DEU's 2 units: 2 in dwell"],
        }
    )
    said = dict(grouped_reasons(_when(gaps, [f"P{i}" for i in range(1, 7)])))
    assert said["DEU's 2 units: 2 in dwell"] == "DEU (P1..P4, P6)"
    assert said["unavailable"] == "DEU (P5)"


def test_nations_next_to_each_other_get_different_hues() -> None:
    """tab20 lists a dark and a light shade of each hue in turn, so nations next to each other
    in code order got one hue (FRA and GBR two browns). Now the first 18 nations get 18
    different hues of the three palettes (the reds left out), and no two of 30 neighbours share
    a tab20 hue."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from solver.report.figures_time import PALETTE, colours

    tab20 = [to_hex(c) for c in colormaps["tab20"].colors]  # type: ignore[attr-defined]
    hue = {c: i // 2 for i, c in enumerate(tab20)}
    nations = [f"N{k:02d}" for k in range(30)]
    shown = colours(nations)
    assert len(set(PALETTE)) == 54 and len({shown[n] for n in nations}) == 30
    for a, b in itertools.pairwise(nations):
        if shown[a] in hue and shown[b] in hue:
            assert hue[shown[a]] != hue[shown[b]], (a, b)
    assert len({shown[n] for n in nations[:20]}) == 20
    assert not any(shown[n] in tab20[1::2] for n in nations[:18])  # no light tab20 shade yet
    # no red or pink: the band over a short line is red (tab20's red pair, tab20b's reds)
    reds = {"#d62728", "#ff9896", "#843c39", "#ad494a", "#d6616b", "#e7969c"}
    assert not reds & set(PALETTE)


def test_the_briefings_burden_in_time_is_personnel_months(tmp_path: Path) -> None:
    """The docstring's tours: FRA AD_BTY 1 month x 100 + INF_BN 2 months x 600 = 1,300
    personnel-months, ITA 2 months x 200 = 400 (the peaks, 700 and 200, would give other
    shares). With gdp given, the briefing's burden chart says personnel-months."""

    from solver.report.html import personnel_months

    plan = case(tmp_path / "plan.xlsx")
    assert personnel_months(load_output(plan)).to_dict() == {"FRA": 1300, "ITA": 400}
    wb = load_workbook(plan)
    ws = wb["Contributors"]
    gdp = [c.value for c in ws[1]].index("gdp") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=gdp, value=100)
    wb.save(plan)
    html = report(tmp_path, plan)
    assert "Burden share: personnel-months vs gdp" in html
    assert "share of personnel-months" in html


def test_gaps_in_time_come_by_priority(tmp_path: Path) -> None:
    """The same plan with its Sustainability rows in site order as an edited plan's rebuilt
    sheet gives them (Lviv LOG, priority 2, before Kyiv INF_BN, priority 1): the table puts the
    priority-1 lines first (a trial's priority-1 line came last)."""
    from solver.report.html import grouped_reasons
    from solver.report.timed_section import timed_gaps_table

    plan = case(tmp_path / "plan.xlsx")
    wb = load_workbook(plan)
    ws = wb["Sustainability"]
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    header = [c.value for c in ws[1]]
    ws.delete_rows(2, ws.max_row)
    for r in sorted(rows, key=lambda r: -int(r[header.index("priority")] or 0)):
        ws.append(r)
    wb.save(plan)
    table = timed_gaps_table(load_output(plan), grouped_reasons)
    assert table is not None
    assert [(r.cells[0].text, r.cells[2].text) for r in table.rows] == [
        ("Kyiv", "1"),
        ("Lviv", "1"),
        ("Lviv", "2"),
    ]


def ita_changed(path: Path, *ita: dict) -> Path:
    """The docstring's case with ITA's tours `ita` instead of its two AD_BTY over P2..P3 (the
    scenario named after the file)."""
    return timed_output(
        path,
        periods=["P1", "P2", "P3"],
        tours=[
            tour("FRA", "INF_BN", "Kyiv", "P1", "P2", 1),
            tour("FRA", "AD_BTY", "Lviv", "P1", "P1", 1),
            *ita,
        ],
        lines=[
            line("Kyiv", "INF_BN", 1, 1),
            line("Lviv", "AD_BTY", 2, 1),
            line("Lviv", "LOG", 1, 2, first="P3", last="P3"),
        ],
        ppu=PPU,
        summary={"scenario": path.stem},
    )


def test_a_nation_leaving_early_is_listed_though_its_peak_is_the_same(tmp_path: Path) -> None:
    """The docstring's case against one where ITA's two AD_BTY leave after P2 (P2 only: 2
    unit-months against 4, the same peak of 200 personnel). By the peak alone ITA was not
    listed among the contributors that change (a trial: ITA leaving the bundled timed example
    after month 12 kept its 1,150 personnel); by unit-months it is."""
    from solver.report.compare import comparison_section

    base = case(tmp_path / "base.xlsx")
    early = ita_changed(tmp_path / "early.xlsx", tour("ITA", "AD_BTY", "Lviv", "P2", "P2", 2))
    section = comparison_section([load_output(base), load_output(early)])
    assert section.contributors is not None
    assert [[c.text for c in r.cells] for r in section.contributors.rows] == [
        ["ITA", "200", "4", "2"]
    ]


def test_a_change_of_the_peak_alone_is_listed_too(tmp_path: Path) -> None:
    """ITA's two AD_BTY over P2..P3 (4 unit-months, peak 200 personnel) against one AD_BTY over
    P1..P3 and one LOG in P3 (4 unit-months, peak 100 + 50 = 150): the unit-months are the same,
    the peak is not (a mandate caps it), so ITA is listed. A comparison with an output written
    before `unit_months` was a column is by the peak alone, and its heading says so."""
    from solver.report.compare import comparison_section

    base = case(tmp_path / "base.xlsx")
    spread = ita_changed(
        tmp_path / "spread.xlsx",
        tour("ITA", "AD_BTY", "Lviv", "P1", "P3", 1),
        tour("ITA", "LOG", "Lviv", "P3", "P3", 1),
    )
    section = comparison_section([load_output(base), load_output(spread)])
    assert section.contributors_by == "unit-months deployed or peak personnel"
    assert section.contributors is not None
    assert [[c.text for c in r.cells] for r in section.contributors.rows] == [
        ["ITA", "200", "150", "4", "4"]
    ]
    book = load_workbook(spread)
    book["Contributors"].delete_cols(
        next(c.column for c in book["Contributors"][1] if c.value == "unit_months")
    )
    book.save(spread)
    section = comparison_section([load_output(base), load_output(spread)])
    assert section.contributors_by == "deployed personnel"
    assert section.contributors is not None
    assert [[c.text for c in r.cells] for r in section.contributors.rows] == [["ITA", "200", "150"]]


def test_an_edited_allocation_cell_makes_no_period_of_its_own() -> None:
    """A timed output's Allocation is derived from its Tours: a period cell edited there to `7`
    made a 25th period on every chart (HTML trial). The periods come from Burden and Coverage,
    with or without the input's Periods sheet."""
    import pandas as pd

    from solver.report.load import Output
    from solver.report.timed import period_order

    burden = pd.DataFrame({"contributor": ["A"] * 3, "period": ["P1", "P2", "P3"]})
    coverage = pd.DataFrame(
        {"site": ["S"] * 3, "capability": ["K"] * 3, "period": ["P1", "P2", "P3"]}
    )
    allocation = pd.DataFrame(
        {"contributor": ["A"] * 3, "capability": ["K"] * 3, "site": ["S"] * 3}
    ).assign(period=["P1", "7", "P3"])
    out = Output(
        Path("t.xlsx"), {}, {"Burden": burden, "Coverage": coverage, "Allocation": allocation}
    )
    assert period_order(out) == ["P1", "P2", "P3"]
    assert period_order(out, ["P1", "P2", "P3"]) == ["P1", "P2", "P3"]


def test_a_nation_coded_with_a_leading_underscore_is_in_the_legend() -> None:
    """matplotlib leaves a label starting with `_` out of a legend: a nation coded `_GBR` was
    drawn but not named under 'Who carries the force' (HTML trial)."""
    from solver.report.figures_time import colours, personnel_over_time

    drawn = personnel_over_time(
        {"_GBR": [100, 200], "FRA": [50, 50]}, ["P1", "P2"], colours(["_GBR", "FRA"])
    )
    assert ">_GBR</text>" in drawn and ">FRA</text>" in drawn


def test_the_gantt_legend_names_a_nation_coded_with_a_leading_underscore() -> None:
    """As in the personnel chart (where `_GBR` was left out): the Gantt chart's legend names
    every nation, one coded with a leading underscore too."""
    from solver.report.figures_time import colours, gantt
    from solver.report.timed import Bar

    bars = [Bar("_GBR", "INF", "S1", 0, 1, 2), Bar("FRA", "INF", "S1", 1, 1, 1)]
    drawn = gantt("S1", bars, {"INF": []}, ["P1", "P2"], colours(["_GBR", "FRA"]))
    assert ">_GBR</text>" in drawn and ">FRA</text>" in drawn


def test_a_name_too_long_for_a_chart_is_cut_there_and_no_warning_is_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A 300-character site name squeezed the bar chart's axes to nothing: matplotlib warned
    on the console ('constrained_layout not applied') and drew a blank chart. Charts cut it
    to 40 characters with an ellipsis."""
    from solver.report.figures import LABEL_CHARACTERS, coverage_bars, label

    long_site = "Kyiv " + "very long site name " * 15
    coverage = pd.DataFrame(
        {
            "site": [long_site, "S2"],
            "capability": ["INF", "INF"],
            "allocated": [1, 0],
            "required": [2, 1],
            "shortfall": [1, 1],
        }
    )
    drawn = coverage_bars(coverage)
    assert label(long_site) in drawn and long_site not in drawn
    assert len(label(long_site)) == LABEL_CHARACTERS
    assert "Warning" not in capfd.readouterr().err


def test_the_first_gap_card_names_the_lines_short_from_the_same_period() -> None:
    """Two priority-1 lines short from 2027-04 (the bundled example's LTU-South and POL-East
    AD_BTY): the card named the first alone where the console says `(and POL-East AD_BTY
    then)` (a trial); three: `(and 2 more lines then)`; a later one is not counted."""
    from solver.report.timed_section import _then_too
    from solver.report.view import Cell, Row, Table

    def table(*lines: tuple[str, str, str]) -> Table:
        return Table(
            ["site", "capability", "first_short"], [Row([Cell(v) for v in r]) for r in lines]
        )

    first = ("LTU-South", "AD_BTY", "2027-04")
    later = ("Kyiv", "INF_BN", "2027-07")
    assert _then_too(table(first, later), "2027-04") == ""
    assert (
        _then_too(table(first, ("POL-East", "AD_BTY", "2027-04"), later), "2027-04")
        == " (and POL-East/AD_BTY then)"
    )
    three = table(first, ("POL-East", "AD_BTY", "2027-04"), ("Odesa", "ENG_COY", "2027-04"))
    assert _then_too(three, "2027-04") == " (and 2 more lines then)"


def month_and_quarter(path: Path) -> Path:
    """Periods P1 (1 month) and P2 (3 months); S1 needs 1 INF throughout, S2 1 INF in P1
    only; A pledges one INF."""
    return simple_case(
        path,
        periods=[{"period": "P1", "months": 1}, {"period": "P2", "months": 3}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1, "to": "P1"},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1}],
    )


def test_the_comparisons_coverage_bars_are_in_unit_months(tmp_path: Path, monkeypatch) -> None:
    """Periods P1 (1 month) and P2 (3 months); S1 needs 1 INF throughout, S2 1 INF in P1
    only; A's one INF holds S1 throughout (S2 short in P1). Required 1 + 3 + 1 = 5 unit-months,
    covered 4: coverage 80%, the Summary's coverage_pct. Counted in unit-periods (P2 as one
    period) the bars said 2/3 = 67%."""
    from solver.report import compare as compare_section
    from solver.report import figures

    src = month_and_quarter(tmp_path / "q.xlsx")
    outputs = []
    for name in ("a.xlsx", "b.xlsx"):
        result = api.solve(src)
        outputs.append(api.write(result, tmp_path / name, [src]))
    assert dict(result.tables.summary)["coverage_pct"] == 80.0
    drawn: list[list[dict[str, float]]] = []
    monkeypatch.setattr(
        figures, "compare_coverage", lambda labels, by: drawn.append(by) or "<svg/>"
    )
    assert compare_section.figures is figures
    write_report(outputs, tmp_path / "r.html")
    assert drawn and [bars["all"] for bars in drawn[0]] == pytest.approx([0.8, 0.8])
    assert [bars["p1"] for bars in drawn[0]] == pytest.approx([0.8, 0.8])


def test_the_map_and_heat_map_add_up_the_periods_by_their_months(tmp_path: Path) -> None:
    """As above (P1 1 month, P2 3 months; S1 held throughout, S2 short in P1): with the input's
    Periods the heat map's S1/INF is 4/4 unit-months and S2/INF 0/1, as the Matrix sheet says;
    without, 2/2 unit-periods, and the page's note says which."""
    from solver.report.timed_section import COLLAPSED, COLLAPSED_MONTHS, collapsed
    from solver.report.view import period_months

    src = month_and_quarter(tmp_path / "q.xlsx")
    result = api.solve(src)
    out = load_output(api.write(result, tmp_path / "q-out.xlsx", [src]))
    periods = api.read(src).periods

    def lines(flat) -> dict[str, tuple[float, float]]:
        cov = flat.coverage
        return {
            f"{s}/{k}": (a, r)
            for s, k, a, r in zip(
                cov["site"], cov["capability"], cov["allocated"], cov["required"], strict=True
            )
        }

    assert lines(collapsed(out, period_months(periods))) == {"S1/INF": (4, 4), "S2/INF": (0, 1)}
    matrix = result.tables.matrix.set_index("site")
    assert (matrix.at["S1", "INF"], matrix.at["S2", "INF"]) == ("4/4", "0/1")
    assert lines(collapsed(out)) == {"S1/INF": (2, 2), "S2/INF": (0, 1)}
    html = report(tmp_path, tmp_path / "q-out.xlsx")
    assert "counts unit-months, as the Matrix sheet does" in COLLAPSED_MONTHS
    assert "counts unit-months, as the Matrix sheet does" in html
    assert "counts unit-periods" in COLLAPSED and "counts unit-periods" not in html


def test_the_first_gap_card_names_the_most_important_priority_with_one(tmp_path: Path) -> None:
    """No priority-1 line is short, S2/INF (priority 2) is from P3: the card said "first
    priority-1 gap: none"; it names the priority-2 gap, as the Summary's first_gap does."""
    src = simple_case(
        tmp_path / "p.xlsx",
        periods=[{"period": f"P{i}"} for i in range(1, 5)],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2, "from": "P3"},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1}],
    )
    result = api.solve(src)
    assert dict(result.tables.summary)["first_gap"] == "p2 S2 INF from P3"
    out = load_output(api.write(result, tmp_path / "p-out.xlsx", [src]))
    cards = dict((label, value) for value, label in timed_cards(out, timed_view(out)))
    assert cards["first priority-2 gap: S2/INF"] == "P3"
    assert not [label for label in cards if "priority-1 gap" in label]
