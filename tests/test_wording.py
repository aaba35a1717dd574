"""Counts as planners read them: one of a thing in the singular, the stage named as the Summary
names it (`presence`, never `presences` beside it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from solver import api
from solver.results.console import summary_lines
from solver.verify import verify
from solver.verify.report import text_lines
from solver.wording import count

from .workbooks import simple_case


def test_count_in_the_singular_only_for_exactly_one() -> None:
    assert [count(n, "line") for n in (0, 1, 2)] == ["0 lines", "1 line", "2 lines"]
    assert count(1, "presence") == "1 presence" and count(3, "presence") == "3 presences"
    assert count(2.5, "weighted priority-1 unit") == "2.5 weighted priority-1 units"
    assert count(1.0, "rule") == "1 rule"


def _solved(tmp_path: Path, s2_units: int) -> api.Result:
    """A pledges 2, B nothing: S1 needs 2 (filled); S2 needs `s2_units` (short)."""
    src = simple_case(
        tmp_path / f"case{s2_units}.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": s2_units, "priority": 2},
            *([{"site": "S3", "capability": "INF", "units": 1}] if s2_units > 1 else []),
        ],
        sites=[
            {"site": "S1", "country": "X", "lat": 0, "lon": 0},
            {"site": "S2", "country": "Y", "lat": 0, "lon": 1},
            {"site": "S3", "country": "Z", "lat": 0, "lon": 2},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
    )
    return api.solve(src)


def test_solve_console_with_one_and_with_two(tmp_path: Path) -> None:
    one = "\n".join(summary_lines(_solved(tmp_path, 1).tables))
    assert "top gaps (1 line short):" in one
    assert ", 1 contributor" in one and "1 contributors" not in one
    assert "  presence " in one and "presences" not in one  # as the Summary's objective.presence
    two = "\n".join(summary_lines(_solved(tmp_path, 2).tables))
    assert "top gaps (2 lines short):" in two


def test_verify_counts_in_the_singular(tmp_path: Path) -> None:
    data = api.read(_solved_input(tmp_path))
    alloc = pd.DataFrame(
        {"contributor": ["A"], "capability": ["INF"], "site": ["S1"], "units": [3]}
    )  # one row, 3 units: more than the pledge of 2 and the line's 2
    lines = text_lines(verify(data, alloc), "verify")
    assert lines[0].endswith("3 units in 1 allocation row")
    assert lines[-1] == "result: the allocation violates 2 rules"
    single = pd.DataFrame(
        {"contributor": ["A"], "capability": ["INF"], "site": ["S2"], "units": [1]}
    )
    lines = text_lines(verify(data, single), "verify")
    assert lines[0].endswith("1 unit in 1 allocation row")


def _solved_input(tmp_path: Path) -> Path:
    return simple_case(tmp_path / "v.xlsx")


def test_percent_of_a_gap() -> None:
    """A trial saw `gap 1e-07%` beside `optimal`: a gap within HiGHS's tolerance reads `<0.01%`."""
    from solver.wording import percent

    assert [percent(v) for v in (0, 1e-9, 9.9e-5, 1e-4, 0.0123, 1, None)] == [
        "0%",
        "<0.01%",
        "<0.01%",
        "0.01%",
        "1.23%",
        "100%",
        "-",
    ]


def test_a_list_is_shortened_only_where_two_or_more_are_left_out() -> None:
    """Three shown: four items are all listed (`and 1 more` would hide one to save nothing),
    five give the first three and `and 2 more`; with `; ` the tail is `; and 2 more`."""
    from solver.wording import shortened

    assert shortened(["a", "b", "c", "d"], 3) == "a, b, c, d"
    assert shortened(["a", "b", "c", "d", "e"], 3) == "a, b, c and 2 more"
    assert shortened(["a", "b", "c", "d", "e"], 3, "; ") == "a; b; c; and 2 more"
    assert shortened([], 3) == ""
