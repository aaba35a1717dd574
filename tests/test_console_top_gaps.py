"""The console's top gaps in the order the objective weighs them (solver/results/console.py
`_by_weighted`): by priority, then shortfall times the line's weight. Before, a line of weight 2
short 1 came below a line of weight 0.5 short 3 of the same priority."""

from __future__ import annotations

from pathlib import Path

from solver import api
from solver.results.console import summary_lines

from .workbooks import simple_case


def test_top_gaps_rank_by_weighted_shortfall(tmp_path: Path) -> None:
    """Nothing is pledged of INF; three priority-1 lines: S1 short 3 at weight 0.5 (1.5
    weighted), S2 short 1 at weight 2 (2), S3 short 2 at weight 1 (2; after S2 by site). Ranked:
    S2, S3, S1; weights other than 1 shown."""
    path = simple_case(
        tmp_path / "c.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3, "priority": 1, "weight": 0.5},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1, "weight": 2},
            {"site": "S3", "capability": "INF", "units": 2, "priority": 1, "weight": 1},
        ],
        sites=[
            {"site": s, "country": "X", "lat": 0, "lon": i}
            for i, s in enumerate(["S1", "S2", "S3"])
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 0}],
    )
    lines = summary_lines(api.solve(path).tables)
    at = lines.index("top gaps (3 lines short):")
    assert [line.split()[1] for line in lines[at + 1 : at + 4]] == ["S2", "S3", "S1"]
    assert lines[at + 1].endswith("0/1 (short 1, weight 2: 2 weighted)")
    assert lines[at + 2].endswith("0/2 (short 2)")
    assert lines[at + 3].endswith("0/3 (short 3, weight 0.5: 1.5 weighted)")
