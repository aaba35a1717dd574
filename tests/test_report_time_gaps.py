"""`forcegen report` on a timed output: the Gaps in time (periods and unit-months short, by
priority, one reason per nation and period range), the first period each priority-1 line goes
short, a caveat's window, who carries the force and the nations' colours. "The docstring's case"
is tests/report_time_case.py's hand-worked case."""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.outputs.load import load_output
from solver.report.timed import timed_view
from solver.report.timed_section import timed_cards

from .report_time_case import (
    case,
    report,
)
from .workbooks import simple_case


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

    from solver.nation_colours import PALETTE, colours

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
    # a pool's peak against its whole pledge reads as a nation holding back (a trial)
    assert "peak deployed of pledged personnel" in html
    assert "rotating pool deploys part of its units at once" in html


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


def test_the_burden_share_in_time_is_drawn_in_the_order_of_its_bars() -> None:
    """EST's peak is the larger (400 against LVA's 300), LVA carries more personnel-months
    (2,000 against 1,000): the bars show personnel-months, so LVA comes first (a trial saw
    Latvia's 3.1% drawn below Estonia's 2.7%, in the order of the peaks)."""
    from solver.report import figures

    con = pd.DataFrame(
        {
            "contributor": ["EST", "LVA"],
            "status": ["available", "available"],
            "pledged_personnel": [500, 500],
            "deployed_personnel": [400, 300],
            "gdp": [40, 40],
        }
    )
    svg = figures.burden(con, pd.Series({"EST": 1000.0, "LVA": 2000.0}), "personnel-months")
    assert svg is not None and svg.index("LVA") < svg.index("EST")


def test_a_caveat_s_reason_is_one_group_whatever_its_units_do_between_periods() -> None:
    """A Gaps reason `kept out by caveat X1 (...); besides, A's 3 units: ...` names where A's
    units are, which changes from period to period: the briefing groups it as the caveat with
    no unit spare, as it groups every `pledge exhausted: ...` as one (a review: one nation kept
    out by one caveat showed in several groups), and keeps that lifting the caveat frees no
    unit (a trial: the page named the caveat alone, as if lifting it would fill the line)."""
    from solver.report.view import reason_head

    kept = "kept out by caveat X1 (A exclude site=S1)"
    none = f"{kept}; besides, no unit spare (lifting it frees none)"
    assert reason_head(f"{kept}; besides, A's 3 units: 3 at S2 (p1)") == none
    assert reason_head(f"{kept}; besides, A's 3 units: 1 at S2 (p1), 2 in dwell until P5") == none
    assert reason_head(f"{kept}; besides, pledge exhausted: 3 at S2 (p1)") == none
    assert reason_head("pledge exhausted: 2 at S2 (p1)") == "pledge exhausted"
    assert reason_head(kept) == kept
