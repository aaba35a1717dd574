"""bench/scale.py's logic (no timing): the lexicographic comparison behind --record, the table
made from given runs, and plain HiGHS (bench/plain.py) agreeing with forcegen where both are
optimal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.plain import solve_stages
from bench.scale_table import StageRow, case_rows, lex_compare, record, stage_rows
from solver import api
from solver.generate import generate_workbook
from solver.generate.timed import TimeOptions
from solver.model.build import build_model

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["shortfall.p1", "shortfall.p2", "cost", "presence"]


def rows(*values: float | None) -> list[StageRow]:
    return [
        StageRow(n, "optimal" if v is not None else "not reached", v, 0.0)
        for n, v in zip(NAMES, values, strict=True)
    ]


# --- the lexicographic comparison ---------------------------------------------------------


def test_an_earlier_better_stage_wins_whatever_comes_after() -> None:
    assert lex_compare([1, 5, 900, 10], [2, 0, 100, 1]) == (-1, 0)
    assert lex_compare([2, 0, 100, 1], [1, 5, 900, 10]) == (1, 0)


def test_equal_stages_hand_over_to_the_next() -> None:
    assert lex_compare([1, 5, 900, 10], [1, 5, 901, 1]) == (-1, 2)
    assert lex_compare([1, 5, 900, 10], [1, 5, 900, 9]) == (1, 3)
    assert lex_compare([1, 5, 900, 10], [1, 5, 900, 10]) == (0, -1)


def test_values_within_the_tolerance_are_equal() -> None:
    assert lex_compare([1e9, 3], [1e9 + 1, 4]) == (-1, 1)  # 1e-9 apart: the next stage decides
    assert lex_compare([1e9, 3], [1.001e9, 4]) == (-1, 0)


def test_a_stage_without_a_value_is_worse_than_any_value() -> None:
    assert lex_compare([1, None, None], [1, 1e12, 5]) == (1, 1)
    assert lex_compare([1, 7, None], [1, 7, None]) == (0, -1)


def test_record_replaces_an_entry_only_with_a_lexicographically_better_plan() -> None:
    known: dict = {}
    assert record(known, "c", rows(2, 10, 500, 9), "forcegen 60 s")
    assert known["c"]["cost"] == {"value": 500, "source": "forcegen 60 s"}
    # worse earlier stage, much better later ones: not better
    assert not record(known, "c", rows(3, 0, 1, 1), "plain HiGHS 60 s")
    # equal plan: not better; the source stays
    assert not record(known, "c", rows(2, 10, 500, 9), "plain HiGHS 300 s")
    assert known["c"]["presence"]["source"] == "forcegen 60 s"
    # equal up to cost, better presence
    assert record(known, "c", rows(2, 10, 500, 8), "forcegen 300 s")
    assert [v["value"] for v in known["c"].values()] == [2, 10, 500, 8]
    # a plan that reaches a stage the recorded one did not is better
    known["d"] = {"shortfall.p1": {"value": 2, "source": "x"}}
    assert record(known, "d", rows(2, 10, 500, 8), "forcegen 300 s")
    # stages without a value are not recorded
    assert record(known, "e", rows(1, 4, None, None), "forcegen 60 s")
    assert list(known["e"]) == ["shortfall.p1", "shortfall.p2"]


# --- the table from given runs ------------------------------------------------------------


FORCEGEN = {
    "stage_runs": [
        ["shortfall.p1", "optimal", 14.0, 0.0, 3.0],
        ["shortfall.p2", "feasible", 270.0, 0.034, 57.0],
        ["cost", "not_solved", None, None, 0.0],
        ["presence", "not_solved", None, None, 0.0],
    ]
}
PLAIN = {
    "stages": [
        {"name": "shortfall.p1", "status": "optimal", "value": 14.0, "gap": 0.0, "seconds": 9.0},
        {"name": "shortfall.p2", "status": "feasible", "value": 280.0, "gap": 0.1, "seconds": 51},
        {"name": "cost", "status": "not reached", "value": None, "gap": None, "seconds": 0.0},
        {"name": "presence", "status": "not reached", "value": None, "gap": None, "seconds": 0},
    ]
}


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_stage_rows_read_both_runs_in_the_same_words() -> None:
    f, p = stage_rows(FORCEGEN), stage_rows(PLAIN)
    assert [r.status for r in f] == ["optimal", "feasible", "not reached", "not reached"]
    assert [r.name for r in f] == [r.name for r in p] == NAMES
    assert stage_rows({"error": "MemoryError"}) == []


def test_the_table_gives_each_stage_both_runs_the_best_known_and_the_verdicts() -> None:
    best = {"snap100": {"shortfall.p1": {"value": 14.0}, "shortfall.p2": {"value": 268.0}}}
    lines = case_rows("snap100", "100x300x20", 60, FORCEGEN, PLAIN, best)
    table = [cells(line) for line in lines]
    assert len(table) == 4
    assert table[0][:3] == ["100x300x20", "60 s", "shortfall.p1"]
    assert table[0][3] == "14 (0.00%, optimal, 3.0 s)"
    assert table[0][4] == "14 (0.00%, optimal, 9.0 s)"
    assert table[0][5:] == ["14", "yes", "forcegen better at shortfall.p2"]
    assert table[1][3] == "270 (3.40%, feasible, 57.0 s)"
    assert table[1][5:7] == ["268", "yes"]  # 0.75% above
    assert table[2][3:7] == ["not reached", "not reached", "—", "—"]
    assert all(row[0] == row[1] == row[7] == "" for row in table[1:])


def test_a_stage_after_one_that_differs_from_the_best_known_is_marked() -> None:
    best = {
        "c": {
            "shortfall.p1": {"value": 13.0},
            "shortfall.p2": {"value": 300.0},
        }
    }
    table = [cells(line) for line in case_rows("c", "c", 5, FORCEGEN, PLAIN, best)]
    assert table[0][6] == "no"  # 14 against 13: 7.7% above
    assert table[1][6] == "yes †"  # better than the best known, after a worse stage


def test_a_failed_run_shows_its_error_and_the_other_run_still_shows() -> None:
    failed = {"error": "MemoryError: HiGHS ran out of | memory"}
    table = [cells(line) for line in case_rows("c", "c", 60, failed, PLAIN, {})]
    assert table[0][3] == "error: MemoryError: HiGHS ran out of / memory"
    assert table[1][3] == "—" and table[1][4].startswith("280 (10.00%, feasible")
    assert table[0][7] == "—"


# --- plain HiGHS against forcegen ---------------------------------------------------------


def plain(workbook: Path, limit: float) -> list[dict]:
    """bench/plain.py as the benchmark runs it: a fresh process, one JSON line."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.plain", str(workbook), str(limit)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(out.stdout)["stages"])


@pytest.mark.parametrize("time", [None, TimeOptions(6, 1, 6, 12)], ids=["snapshot", "timed"])
def test_plain_highs_and_forcegen_agree_where_both_are_optimal(
    tmp_path: Path, time: TimeOptions | None
) -> None:
    """Two independent lexicographic solves of a tiny case, both optimal at every stage (30 s is
    never reached), must find the same value at every stage."""
    path = tmp_path / "tiny.xlsx"
    generate_workbook(path, 6, 6, 3, seed=0, time=time)
    theirs = plain(path, 30)
    ours = api.solve(path, time_limit=30, explain=False).outcome.stages
    assert [s["name"] for s in theirs] == [s.name for s in ours]
    assert {s["status"] for s in theirs} == {s.status for s in ours} == {"optimal"}
    for p, f in zip(theirs, ours, strict=True):
        assert f.value is not None
        assert p["value"] == pytest.approx(f.value, rel=1e-9, abs=1e-9), p["name"]
    assert any(s["value"] > 0 for s in theirs)  # not a case with nothing to solve


def test_plain_with_no_time_left_reaches_no_stage(tmp_path: Path) -> None:
    path = tmp_path / "tiny.xlsx"
    generate_workbook(path, 6, 6, 3, seed=0)
    mm, _ = api.to_matrix(build_model(api.read(path)), "highs")
    stages = solve_stages(mm, 0.0, 1e-4)
    assert [s.status for s in stages] == ["not reached"] * len(mm.stages)
    assert all(s.value is None for s in stages)
