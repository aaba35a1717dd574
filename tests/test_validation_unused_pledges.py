"""`validate` warns of pledges no line can use: their capability is required by no line in any
period (solver/io/unused_pledges.py). A planner trial's workbook pledged SOF_TM that no site
required, and nothing said so. Worked by hand."""

from __future__ import annotations

from pathlib import Path

from solver.io.read import read_data

from .workbooks import write_workbook

CAPABILITIES = [
    {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
    {"capability": "SOF", "category": "ground", "personnel_per_unit": 20},
]


def said(path: Path) -> list[str]:
    return [str(w) for w in read_data(path).warnings if "no line requires" in str(w)]


def case(tmp_path: Path, sof_line: int) -> Path:
    """S1 needs 1 INF (and `sof_line` SOF); A pledges 1 INF and 2 SOF, B 1 SOF, C (unavailable)
    1 SOF: Pledges rows 2..5, capability in column B."""
    return write_workbook(
        tmp_path / f"u{sof_line}.xlsx",
        contributors=[
            {"contributor": "A"},
            {"contributor": "B"},
            {"contributor": "C", "status": "unavailable"},
        ],
        capabilities=CAPABILITIES,
        sites=[{"site": "S1", "country": "X"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1},
            {"site": "S1", "capability": "SOF", "units": sof_line},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "A", "capability": "SOF", "units": 2},
            {"contributor": "B", "capability": "SOF", "units": 1},
            {"contributor": "C", "capability": "SOF", "units": 1},
        ],
    )


def test_pledges_of_a_capability_no_line_requires_are_warned(tmp_path: Path) -> None:
    """S1's SOF line requires 0: the two available SOF pledges can never deploy (C's, of an
    unavailable nation, deploys nothing anyway: not named); one warning at the first one's
    capability cell. With the line requiring 1: none."""
    assert said(case(tmp_path, 0)) == [
        "warning: Pledges!B3: no line requires SOF, so its 2 pledges (A 2 units, B 1 unit) can "
        "never be deployed: add a requirement line of SOF, or check the pledge's capability"
    ]
    assert said(case(tmp_path, 1)) == []
