"""`forcegen report` on a timed output: the view in time (bars, bands, coverage, personnel) and
its Gantt chart per site: tours in lanes, red bands over the short lines only, one colour per
nation on every figure, a capability named INF kept as text. "The docstring's case" is
tests/report_time_case.py's hand-worked case (split from tests/test_report_time.py)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver.outputs.load import load_output
from solver.report.timed import Bar, lanes, timed_view

from .report_time_case import (
    PPU,
    boxes,
    case,
    gantt_ids,
    report,
)
from .time_outputs import line, timed_output, tour


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
