"""`forcegen solve` on a timed workbook end to end, its timed sheets read back; the console's
first gap; sustained only over the periods a line requires units."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from solver import api

from .workbooks import simple_case


def test_solve_writes_the_timed_sheets(tmp_path: Path) -> None:
    """P1..P4, one month each from 2027-01. S1 INF 1 unit (p1) and S2 INF 1 unit (p2) in every
    period. A: 1 unit, cost 1, tour_months 2, dwell_months 2; B: 1 unit, cost 2, from P3.
    S1 first: in P1..P2 only A can serve (B is not ready), so A's tour is P1..P2 and its unit
    dwells P3..P4 (e = 2 <= m < 4); B's only unit holds S1 in P3..P4. S2 gets nothing: short 1
    in each period, 4 unit-months (p2 = 4, p1 = 0); cost 1 x 1 + 1 x 2 = 3; presence 2.
    Unit-months: required 8, allocated 4 (50%); S1 held in every period, S2 short from P1."""
    from click.testing import CliRunner

    from solver.cli import main

    path = simple_case(
        tmp_path / "timed.xlsx",
        periods=[{"period": f"P{i}", "start": "2027-01" if i == 1 else None} for i in range(1, 5)],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 1,
                "cost_per_unit": 1,
                "tour_months": 2,
                "dwell_months": 2,
            },
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 2, "from": "P3"},
        ],
    )
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "sustained: 1 of 2 lines in every period; first priority-2 gap: S2 INF from P1" in (
        result.output
    )
    book = load_workbook(out, read_only=True)
    sheet = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    book.close()
    assert list(sheet)[:8] == [
        "Dashboard",
        "Summary",
        "Tours",
        "Allocation",
        "Coverage",
        "Sustainability",
        "Burden",
        "Timeline",
    ]
    d = dt.datetime
    assert sheet["Tours"][1:] == [
        ("A", "INF", "S1", "P1", "P2", 2, 1, 100, d(2027, 1, 1), d(2027, 2, 28)),
        ("B", "INF", "S1", "P3", "P4", 2, 1, 100, d(2027, 3, 1), d(2027, 4, 30)),
    ]
    s = dict(row[:2] for row in sheet["Summary"])
    assert (s["objective.shortfall.p1"], s["objective.shortfall.p2"]) == (0, 4)
    assert (s["objective.cost"], s["objective.presence"]) == (3, 2)
    assert (s["periods"], s["horizon_months"], s["coverage_pct"]) == (4, 4, 50)
    assert (s["required_unit_months"], s["allocated_unit_months"]) == (8, 4)
    assert [r[:8] for r in sheet["Sustainability"][1:]] == [
        ("S1", "INF", 1, 4, 0, 0, None, "P4"),
        ("S2", "INF", 2, 4, 4, 4, "P1", None),
    ]
    assert sheet["Burden"][1:] == [
        ("A", "P1", 1, 100, 0, 1),
        ("A", "P2", 1, 100, 0, 1),
        ("A", "P3", 0, 0, 1, 1),
        ("A", "P4", 0, 0, 1, 1),
        ("B", "P1", 0, 0, 0, 0),  # every contributor and period, B before its notice to move too
        ("B", "P2", 0, 0, 0, 0),
        ("B", "P3", 1, 100, 0, 1),
        ("B", "P4", 1, 100, 0, 1),
    ]
    assert [r[:7] for r in sheet["Timeline"]] == [
        ("site", "capability", "priority", "P1", "P2", "P3", "P4"),
        ("S1", "INF", 1, "A 1", "A 1", "B 1", "B 1"),
        ("S2", "INF", 2, None, None, None, None),
    ]
    assert [r[:6] for r in sheet["Coverage"][1:]] == [
        ("S1", "INF", t, 1, 1, 0) for t in ("P1", "P2", "P3", "P4")
    ] + [("S2", "INF", t, 1, 0, 1) for t in ("P1", "P2", "P3", "P4")]


def test_the_first_gap_on_the_console_names_the_other_lines_short_from_then() -> None:
    """S1 INF and S2 INF (priority 1) both go short from P2, S3 ENG (p1) from P3, S4 INF (p2)
    from P2: the first priority-1 gap is S1's (line order), and S2's from the same period is
    said with it (named alone, the first of two read as the only one); S3's and S4's are not.
    With a third p1 line short from P2 they are counted."""
    from solver.results.console import also_then
    from solver.results.time_summary import first_gap_row

    rows = [
        ("S1", "INF", 1, 3, "P2"),
        ("S2", "INF", 1, 2, "P2"),
        ("S3", "ENG", 1, 1, "P3"),
        ("S4", "INF", 2, 3, "P2"),
    ]
    columns = ["site", "capability", "priority", "periods_short", "first_short"]
    sus = pd.DataFrame(rows, columns=columns)
    gap = first_gap_row(sus, ["P1", "P2", "P3", "P4"])
    assert (gap.site, gap.capability) == ("S1", "INF")
    assert also_then(sus, gap) == " (and S2 INF then)"
    more = pd.DataFrame([*rows, ("S5", "MED", 1, 1, "P2")], columns=columns)
    assert also_then(more, gap) == " (and 2 more lines then)"
    alone = sus[sus["site"] != "S2"]
    assert also_then(alone, gap) == ""


def test_a_line_is_sustained_only_over_the_periods_it_requires_units(tmp_path: Path) -> None:
    """S2/INF has `units` 0 and a Profile raising it to 1 in P3..P4, where nothing can fill it
    (A's one INF holds S1/INF, priority 1, throughout): it is short from P3, the first period
    it requires a unit, so it was never sustained (it said `sustained_until` P2 and 4 periods
    active). S1/INF, which the Profile sets to 0 in P2, is active in 3 periods."""
    src = simple_case(
        tmp_path / "p.xlsx",
        periods=[{"period": f"P{i}"} for i in range(1, 5)],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 0, "priority": 2},
        ],
        profile=[
            {"site": "S2", "capability": "INF", "from": "P3", "to": "P4", "units": 1},
            {"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 0},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1}],
    )
    sus = api.solve(src).tables.timed["Sustainability"].set_index(["site", "capability"])
    s2 = sus.loc[("S2", "INF")]
    assert (s2["periods_active"], s2["periods_short"], s2["first_short"]) == (2, 2, "P3")
    assert pd.isna(s2["sustained_until"])
    s1 = sus.loc[("S1", "INF")]
    assert (s1["periods_active"], s1["periods_short"], s1["sustained_until"]) == (3, 0, "P4")
