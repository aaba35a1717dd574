"""The timed output written (`time.md`, Output): sheet order, the Timeline and its conditional
formats, the Dashboard in time, bytes, digests of edited plans, a run without a plan. "The
case" is tests/time_tables_case.py's (four uneven periods, A and B)."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook

from solver import api
from solver.results.report import make_tables
from solver.results.time_stages import timed_stage_values
from solver.solve.options import SolveOptions
from solver.solve.outcome import SolveOutcome

from .time_tables_case import case, make, plan_of, written
from .workbooks import simple_case


def test_sheet_order_and_timeline(tmp_path: Path) -> None:
    """Sheets in order; the Timeline: header, the phase row, then one row per line; cells
    `A 1, B 1`; the shortfall block at I..L (blank where S1 is not active, P4)."""
    book = load_workbook(io.BytesIO(written(make(case(tmp_path)))))
    assert book.sheetnames[:8] == [
        "Dashboard",
        "Summary",
        "Tours",
        "Allocation",
        "Coverage",
        "Sustainability",
        "Burden",
        "Timeline",
    ]
    ws = book["Timeline"]
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    assert got == [
        [
            "site",
            "capability",
            "priority",
            "P1",
            "P2",
            "P3",
            "P4",
            None,
            "short P1",
            "short P2",
            "short P3",
            "short P4",
        ],
        ["phase", None, None, "IOC", None, "FOC", None, None, "IOC", None, "FOC", None],
        ["S1", "INF", 1, "A 1, B 1", "A 1", None, None, None, 0, 1, 2, None],
        ["S2", "INF", 2, "B 1", "B 1", "B 1", "A 1", None, 1, 1, 1, 0],
    ]
    assert ws.freeze_panes == "D3"


def test_a_period_a_profile_sets_to_zero_is_blank_on_the_timeline(tmp_path: Path) -> None:
    """S1/INF asks 1 unit in P1..P4 but the Profile 0 in P3; A's one unit ends with P2. The
    line is short only in P4: its short cells read 0, 0, blank (nothing required, as outside
    a window), 1; Sustainability counts 3 periods active."""
    from .time_cases import months, timed_case

    case = timed_case(
        tmp_path / "case.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P2"}],
        profile=[{"site": "S1", "capability": "INF", "from": "P3", "to": "P3", "units": 0}],
    )
    out = tmp_path / "plan.xlsx"
    api.write(api.solve(case, time_limit=60), out)
    book = load_workbook(out, read_only=True)
    rows = list(book["Timeline"].iter_rows(values_only=True))
    assert rows[1] == ("S1", "INF", 1, "A 1", "A 1", None, None, None, 0, 0, None, 1)
    sustainability = list(book["Sustainability"].iter_rows(values_only=True))
    assert sustainability[1][3:6] == (3, 1, 1)  # periods_active, periods_short, unit-months


def test_timeline_colours_are_conditional_formats(tmp_path: Path) -> None:
    """Red first where the shortfall cell (4 + 1 columns to the right: D3 -> I3) is > 0, and it
    stops the nation rules; then one fill per contributor, matched by the text starting
    `CODE ` (so `A` never colours a cell of a contributor `AB`)."""
    ws = load_workbook(io.BytesIO(written(make(case(tmp_path)))))["Timeline"]
    rules = {
        str(cf.sqref): [(r.formula, r.stopIfTrue) for r in cf.rules]
        for cf in ws.conditional_formatting
    }
    assert rules == {
        "D3:G4": [(["N(I3)>0"], True), (['LEFT(D3,2)="A "'], None), (['LEFT(D3,2)="B "'], None)],
        "I3:L4": [(["N(I3)>0"], None)],
    }


def test_dashboard_in_time_has_its_charts(tmp_path: Path) -> None:
    """Coverage by priority per period: p1 in P1 2/2 = 1, P2 1/2, P3 0/2, P4 nothing required
    (blank); p2 1/2, 1/2, 1/2, 1/1. Four charts: coverage by priority, personnel per period,
    and the two burden charts."""
    ws = load_workbook(io.BytesIO(written(make(case(tmp_path)))))["Dashboard"]
    cells = [list(r) for r in ws.iter_rows(min_col=1, max_col=3, values_only=True)]
    title = cells.index(["Chart data: coverage by priority per period", None, None])
    assert cells[title + 1 : title + 6] == [
        ["period", "p1", "p2"],
        ["P1", 1.0, 0.5],
        ["P2", 0.5, 0.5],
        ["P3", 0.0, 0.5],
        ["P4", None, 1.0],
    ]
    assert len(ws._charts) == 4


def test_the_dashboards_burden_in_time_is_peaks_and_personnel_months(tmp_path: Path) -> None:
    """Peaks: A has 1 unit (100) in P1, P2 and P4, B 2 in P1 (200). Personnel-months: A's S1
    tour 1 unit x (1 + 2) months + S2 1 x 1 = 4 unit-months, 400; B's S1 1 x 1 + S2 1 x (1 +
    2 + 1) = 5, 500; shares 4/9 and 5/9 (the peaks' would be 1/3 and 2/3). Most first by
    peak; the first chart says peaks."""
    from solver.results.time_dashboard import peaks_and_months

    tables = make(case(tmp_path))
    frame = peaks_and_months(tables)
    assert list(frame.columns) == [
        "contributor",
        "peak personnel",
        "personnel-months share",
        "gdp share",
    ]
    assert frame["contributor"].tolist() == ["B", "A"]
    assert frame["peak personnel"].tolist() == [200, 100]
    assert frame["personnel-months share"].tolist() == pytest.approx([5 / 9, 4 / 9])
    ws = load_workbook(io.BytesIO(written(tables)))["Dashboard"]
    titles = [c.title.tx.rich.p[0].r[0].t for c in ws._charts]
    assert "Peak personnel per contributor" in titles
    assert "Burden share: personnel-months vs gdp" in titles


def test_written_bytes_are_deterministic(tmp_path: Path) -> None:
    """Two builds of the same plan give the same bytes."""
    data = case(tmp_path)
    assert written(make(data)) == written(make(data))


def test_a_timed_solve_without_a_plan_has_empty_timed_tables(tmp_path: Path) -> None:
    """No plan (infeasible): Tours and Allocation empty, every active line-period short."""
    data = case(tmp_path)
    ctx = SimpleNamespace(data=data, x=None, notes={}, lm=SimpleNamespace(size=lambda: {}))
    tables = make_tables(
        data,
        ctx,
        SolveOutcome("infeasible", None),
        SolveOptions(),
        backend="highs",
        highs_version="test",
        timings={},
    )
    assert len(tables.allocation) == 0 and len(tables.timed["Tours"]) == 0
    assert list(tables.coverage["allocated"]) == [0] * 7
    book = load_workbook(io.BytesIO(written(tables)))
    figures = dict(book["Dashboard"].iter_rows(min_row=2, values_only=True))
    assert figures["plan"] == "none: no allocation exists (the Infeasibility sheet says why)"
    assert not any(str(k).startswith(("coverage", "unit-months", "first gap")) for k in figures)


def test_make_tables_passes_the_reasons_on(tmp_path: Path) -> None:
    """A reason given for S2 (short from P1) is Sustainability's; S1 keeps the data's (blank:
    A 2 + B 2 pledged in P2 cover S1's 2 and S2's 2)."""
    tables = make(case(tmp_path), reasons={("S2", "INF"): "B's second unit is held back"})
    assert list(tables.timed["Sustainability"]["reason"]) == ["", "B's second unit is held back"]


def test_an_edited_timed_allocation_is_told_by_its_digest(tmp_path: Path) -> None:
    """The written output's Allocation gives the recorded allocation_sha256 (not edited);
    moving A's S1 unit of P2 to P3 (cell D3: the rows are A S1 P1, A S1 P2, ...) keeps every
    total per (c, k, s) but changes the digest: edited."""
    from openpyxl import load_workbook as load

    from solver.results.hand_edit import hand_edit

    out = tmp_path / "out.xlsx"
    out.write_bytes(written(make(case(tmp_path))))
    assert not hand_edit(out)
    book = load(out)
    assert book["Allocation"]["D3"].value == "P2"
    book["Allocation"]["D3"] = "P3"
    book.save(out)
    assert hand_edit(out)


def test_a_split_tour_is_told_by_the_tours_digest(tmp_path: Path) -> None:
    """Splitting a tour in the Tours sheet (its `to` moved one period earlier, a new row for the
    last period) keeps every period's units, so the Allocation's digest cannot see it; the
    recorded tours_sha256 does: edited."""
    from openpyxl import load_workbook as load

    from solver.results.hand_edit import hand_edit

    out = tmp_path / "out.xlsx"
    out.write_bytes(written(make(case(tmp_path))))
    book = load(out)
    sheet = book["Tours"]
    header = [c.value for c in sheet[1]]
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, header.index("from") + 1).value
        != sheet.cell(r, header.index("to") + 1).value
    )
    values = [sheet.cell(row, c + 1).value for c in range(len(header))]
    periods = [c.value for c in book["Timeline"][1]][3:]
    last = values[header.index("to")]
    before = periods[periods.index(last) - 1]
    sheet.cell(row, header.index("to") + 1, before)
    sheet.append([last if h == "from" else v for h, v in zip(header, values, strict=True)])
    book.save(out)
    assert hand_edit(out)


def test_one_period_of_one_month_gives_the_snapshot_stage_values(tmp_path: Path) -> None:
    """One period of one month: A 1 at S1, B 2 at S2 (S1, S2 require 2 each, weight 1): short
    1 unit-month at S1, so p1 = 1; cost 1 x 3 + 2 x 2 = 7; presence 2 -- as the snapshot's
    stage values of the same allocation on the same workbook without Periods."""
    from solver.results.stages import stage_values

    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 3},
        {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 2},
    ]
    data = case(
        tmp_path, periods=[{"period": "M1"}], profile=[], requirements=None, pledges=pledges
    )
    plan = plan_of(data, [("A", "INF", "S1", 0, 0, 1), ("B", "INF", "S2", 0, 0, 2)])
    snapshot = api.read(simple_case(tmp_path / "snap.xlsx", pledges=pledges))
    alloc = pd.DataFrame(
        [("A", "INF", "S1", 1, 100), ("B", "INF", "S2", 2, 200)],
        columns=["contributor", "capability", "site", "units", "personnel"],
    )
    expected = {
        "objective.shortfall.p1": 1.0,
        "objective.cost": 7.0,
        "objective.presence": 2.0,
    }
    assert timed_stage_values(plan) == expected == stage_values(snapshot, alloc)


def test_sustainability_rows_short_are_red_by_a_live_rule(tmp_path: Path) -> None:
    """periods_short is column E: rows A2:J3 red where $E > 0 (both lines here)."""
    ws = load_workbook(io.BytesIO(written(make(case(tmp_path)))))["Sustainability"]
    rules = {str(cf.sqref): [r.formula for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules == {"A2:J3": [["$E2>0"]]}


def test_the_dashboards_charts_do_not_overlap_with_forty_contributors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 contributors make the two contributor charts 0.5 x 40 + 2.5 = 22.5 cm tall from row
    21, 43 rows of 15 points (0.529 cm): the personnel chart, fixed at row 40, hid their lower
    half (a scale trial). It now starts below them, and its table below it."""
    from solver.results import time_dashboard

    real = time_dashboard.peaks_and_months

    def forty(tables: object) -> pd.DataFrame:
        frame = real(tables)  # type: ignore[arg-type]
        many = pd.concat([frame.iloc[[0]]] * 40, ignore_index=True)
        return many.assign(contributor=[f"N{i:02d}" for i in range(40)])

    monkeypatch.setattr(time_dashboard, "peaks_and_months", forty)
    ws = load_workbook(io.BytesIO(written(make(case(tmp_path)))))["Dashboard"]
    emu_per_row = 15 / 72 * 914400  # 15 points
    spans = {
        c.title.tx.rich.p[0].r[0].t: (c.anchor._from.row, c.anchor.ext.height / emu_per_row)
        for c in ws._charts
    }
    top, rows = spans["Peak personnel per contributor"]
    assert (top, round(rows, 1)) == (20, 42.5)
    below, _ = spans["Personnel per contributor over time"]
    assert below >= top + rows
    cells = [r[0] for r in ws.iter_rows(min_col=1, max_col=1, values_only=True)]
    table = cells.index("Chart data: personnel per contributor per period")
    assert table >= below + spans["Personnel per contributor over time"][1]
    # its legend of 40 nations, one entry about 0.45 cm, gets the height it needs (39 in 9 cm)
    assert time_dashboard.personnel_chart_cm(2) == 9 and time_dashboard.personnel_chart_cm(40) == 20


def test_a_timeline_of_many_nations_keeps_its_periods_narrow(tmp_path: Path) -> None:
    """A cell naming twelve nations (`N00 1, N01 1, ...`, 82 characters) set its period's column
    to 60 wide (a scale trial: 36 periods of 40-48 characters, five to a screen). Its column is
    now PERIOD_WIDTH wide and the cell wraps; a period of short cells keeps its own width; the
    `short` block is grouped and collapsed (the separator left visible)."""
    from solver.results.timeline import PERIOD_WIDTH, timeline_sheet
    from solver.results.writer import build_workbook, workbook_bytes

    nations = [f"N{i:02d}" for i in range(12)]
    periods = pd.DataFrame({"period": ["P1", "P2"], "months": [1, 1]})
    coverage = pd.DataFrame(
        {
            "site": "S1",
            "capability": "INF",
            "priority": 1,
            "period": ["P1", "P2"],
            "required": [12, 1],
            "allocated": [12, 1],
            "shortfall": [0, 0],
        }
    )
    allocation = pd.DataFrame(
        {
            "contributor": [*nations, "N00"],
            "capability": "INF",
            "site": "S1",
            "period": ["P1"] * 12 + ["P2"],
            "units": 1,
        }
    )
    sheet = timeline_sheet(coverage, allocation, periods, nations)
    ws = load_workbook(io.BytesIO(workbook_bytes(build_workbook([sheet]))))["Timeline"]
    assert ws["D2"].value == ", ".join(f"{n} 1" for n in nations)
    assert ws.column_dimensions["D"].width == PERIOD_WIDTH and ws["D2"].alignment.wrap_text
    assert ws.column_dimensions["E"].width == 8 and not ws["E2"].alignment.wrap_text
    assert not ws.column_dimensions["F"].hidden  # the separator
    short = ws.column_dimensions["G"]
    assert (short.min, short.max, short.hidden, short.outline_level) == (7, 8, True, 1)
    assert ws.sheet_format.outlineLevelCol == 1
