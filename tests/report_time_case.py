"""The timed outputs the report's tests read (tests/test_report_time*.py, and the timed compare
and edited-plan tests), built by tests/time_outputs.py (no timed solver) or solved from
`rotation_case`, `month_and_quarter`.

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

import os
import re
import tempfile
from pathlib import Path

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver.report.command import write_report

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


def boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """The extent (x0, x1, y0, y1, in SVG points: y grows down) of each bar and band of `svg`."""
    out = {}
    for found in re.finditer(r'<g id="((?:tour|short):[^"]*)">\s*<path d="([^"]*)"', svg):
        at = [float(v) for v in re.findall(r"-?[\d.]+", found.group(2))]
        xs, ys = at[0::2], at[1::2]
        out[found.group(1)] = (min(xs), max(xs), min(ys), max(ys))
    return out


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
