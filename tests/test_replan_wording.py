"""Why baseline units cannot stay against a pledge, a contributor, a site or a line says the
workbook changed only where it did (`solver/baseline_words.py`): a baseline that is a plan as its
solve wrote it fitted the workbook then, so a pledge now below it was cut, a key or line now
missing was dropped; a plan edited by hand may never have fitted it. The Changes sheet (and so
the Asks) and the Infeasibility sheet's locked rows alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api
from solver.errors import InputError
from solver.model.build import build_model
from solver.results.replan import replan_tables

from .changes_case import allocation, baseline_rows, records
from .time_cases import months, timed_case
from .workbooks import write_workbook


def _world(path: Path, b_inf: int = 2, b_mp: bool = True) -> Path:
    """A next to S1, B next to S2 (distance cost: A->S1, B->S2); S1 and S2 need 2 INF each,
    S2 1 MP. A pledges 2 INF, B `b_inf` INF and (`b_mp`) 1 MP. Solved: A 2 INF at S1, B 2 INF
    and 1 MP at S2 (Allocation rows 2, 3, 4 in that order)."""
    return write_workbook(
        path,
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1},
        ],
        capabilities=[
            {"capability": "INF", "personnel_per_unit": 100},
            {"capability": "MP", "personnel_per_unit": 10},
        ],
        sites=[{"site": "S1", "lat": 0, "lon": 0}, {"site": "S2", "lat": 0, "lon": 1}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "MP", "units": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": b_inf},
            *([{"contributor": "B", "capability": "MP", "units": 1}] if b_mp else []),
        ],
    )


def _base(tmp_path: Path) -> Path:
    """The world solved, written as an output (the baseline file)."""
    result = api.solve(_world(tmp_path / "base.xlsx"))
    assert result.status == "optimal"
    out = tmp_path / "base-out.xlsx"
    api.write(result, out)
    rows = load_workbook(out)["Allocation"].iter_rows(min_row=2, max_col=4, values_only=True)
    assert [tuple(r) for r in rows] == [
        ("A", "INF", "S1", 2),
        ("B", "INF", "S2", 2),
        ("B", "MP", "S2", 1),
    ]
    return out


def _edit(path: Path, lock: dict[int, str] | None = None, **cells: object) -> None:
    """Cells of the output's Allocation set by hand (`D3=3`, a row appended with `A5=...`),
    and a `lock` column (F) with the given rows' cells."""
    book = load_workbook(path)
    sheet = book["Allocation"]
    for at, value in cells.items():
        sheet[at] = value
    if lock:
        sheet["F1"] = "lock"
        for row, value in lock.items():
            sheet[f"F{row}"] = value
    book.save(path)


def _why(result: api.Result) -> dict[tuple[str, str], str]:
    changes = result.tables.extra["Changes"]
    return {(c, k): w for c, k, w in changes[["contributor", "capability", "why"]].values}


def test_a_hand_edited_baseline_above_an_unchanged_pledge(tmp_path: Path) -> None:
    """The base plan edited by hand: B 3 INF at S2 (B pledges 2, as when it was solved) and a
    row A 1 MP at S2 (A never pledged MP). Re-planned against the same workbook, both go; the
    pledges did not change, so neither is said to have: `is now 2` and `no longer pledges` read
    as if B and A had cut their pledges since."""
    base = _base(tmp_path)
    _edit(base, D3=3, A5="A", B5="MP", C5="S2", D5=1, E5=10)
    result = api.solve(_world(tmp_path / "new.xlsx"), baseline=base)
    assert result.status == "optimal"
    assert _why(result) == {
        ("B", "INF"): "the baseline has 3 units of B's INF, more than its pledge of 2",
        ("A", "MP"): "A does not pledge MP",
    }
    asks = result.tables.extra["Asks"].set_index("contributor")["ask"]
    assert asks["A"] == "withdraw 1 MP from S2 (-10 personnel; forced: A does not pledge MP)"


def test_a_hand_edited_locked_row_above_or_without_a_pledge(tmp_path: Path) -> None:
    """The same edits, one of them locked at a time: the Infeasibility sheet names the locked
    row in the same words (what the lock holds: `locks`)."""
    said = {
        3: "locked: B 3 INF at S2 — the baseline locks 3 units of B's INF, more than its pledge "
        "of 2 (base-out.xlsx Allocation!A3)",
        5: "locked: A 1 MP at S2 — A does not pledge MP (base-out.xlsx Allocation!A5)",
    }
    for row, text in said.items():
        (folder := tmp_path / f"row{row}").mkdir()
        base = _base(folder)
        _edit(base, lock={row: "yes"}, D3=3, A5="A", B5="MP", C5="S2", D5=1, E5=10)
        result = api.solve(_world(folder / "new.xlsx"), baseline=base)
        assert result.status == "infeasible" and result.conflict is not None
        assert [t for _, t in result.conflict.rules if t.startswith("locked:")] == [text]


def test_a_pledge_cut_since_a_solved_baseline_is_said_to_have_changed(tmp_path: Path) -> None:
    """The base plan as solved (a lock column added is no edit), against a workbook where B
    pledges 1 INF and no MP: the pledges did change since the plan was made, and say so."""
    base = _base(tmp_path)
    new = _world(tmp_path / "new.xlsx", b_inf=1, b_mp=False)
    result = api.solve(new, baseline=base)
    assert result.status == "optimal"
    assert _why(result) == {
        ("B", "INF"): "B's pledge of INF is now 1",
        ("B", "MP"): "B no longer pledges MP",
    }
    _edit(base, lock={3: "yes"})
    locked = api.solve(new, baseline=base)
    assert locked.status == "infeasible" and locked.conflict is not None
    assert [t for _, t in locked.conflict.rules if t.startswith("locked:")] == [
        "locked: B 2 INF at S2 — B's pledge of INF is now 1 (base-out.xlsx Allocation!A3)"
    ]


# a contributor, a site and a line a baseline edited by hand has and the workbook lacks: rows
# 5, 6, 7 of the Allocation (G is on no sheet, Nowhere neither, S1 requires no MP)
UNKNOWN_ROWS = {
    **{"A5": "G", "B5": "INF", "C5": "S1", "D5": 1, "E5": 100},
    **{"A6": "A", "B6": "INF", "C6": "Nowhere", "D6": 1, "E6": 100},
    **{"A7": "B", "B7": "MP", "C7": "S1", "D7": 1, "E7": 10},
}


def _why_at(result: api.Result) -> dict[tuple[str, str, str], str]:
    changes = result.tables.extra["Changes"]
    keys = changes[["contributor", "capability", "site", "why"]].values
    return {(c, k, s): w for c, k, s, w in keys if w}


def test_a_hand_edited_baseline_on_keys_and_lines_the_workbook_lacks(tmp_path: Path) -> None:
    """The base plan with three rows typed by hand: G's INF at S1 (G is not a contributor),
    A's INF at Nowhere (not a site), B's MP at S1 (S1 requires no MP). Re-planned against the
    same workbook, all three go. Nothing was dropped from the workbook, so nothing is said to
    have been: `G is no longer a contributor`, `Nowhere is no longer a site` and `S1 no longer
    requires MP` read as if the workbook had changed since the plan was made."""
    base = _base(tmp_path)
    _edit(base, **UNKNOWN_ROWS)
    result = api.solve(_world(tmp_path / "new.xlsx"), baseline=base)
    assert result.status == "optimal"
    assert _why_at(result) == {
        ("G", "INF", "S1"): "the baseline has G's INF at S1, but G is not a contributor",
        ("A", "INF", "Nowhere"): "the baseline has A's INF at Nowhere, but Nowhere is not a site",
        ("B", "MP", "S1"): "the baseline has B's MP at S1, but S1 does not require MP",
    }
    asks = result.tables.extra["Asks"].set_index("contributor")["ask"]
    assert asks["G"] == (
        "withdraw 1 INF from S1 (-100 personnel; forced: the baseline has G's INF at S1, but G "
        "is not a contributor)"
    )


def test_hand_edited_locked_rows_on_keys_and_lines_the_workbook_lacks(tmp_path: Path) -> None:
    """The same rows, one of them locked at a time. A lock on a line the workbook lacks: the
    Infeasibility sheet names the locked row in the same words (what the lock holds: `locks`).
    A lock on a contributor or a site the workbook lacks is an input error at its cell (a
    typo's lock cannot hold: it read as an infeasible plan)."""
    refused = {
        5: "base-out.xlsx Allocation!A5: contributor 'G' is not on the Contributors sheet of the "
        "workbook, and the row is locked",
        6: "base-out.xlsx Allocation!C6: site 'Nowhere' is not on the Sites sheet of the "
        "workbook, and the row is locked",
    }
    for row, text in refused.items():
        (folder := tmp_path / f"row{row}").mkdir()
        base = _base(folder)
        _edit(base, lock={row: "yes"}, **UNKNOWN_ROWS)
        with pytest.raises(InputError) as refusal:
            api.solve(_world(folder / "new.xlsx"), baseline=base)
        assert any(str(issue).startswith(text) for issue in refusal.value.errors), refusal.value
    (folder := tmp_path / "row7").mkdir()
    base = _base(folder)
    _edit(base, lock={7: "yes"}, **UNKNOWN_ROWS)
    result = api.solve(_world(folder / "new.xlsx"), baseline=base)
    assert result.status == "infeasible" and result.conflict is not None
    assert [t for _, t in result.conflict.rules if t.startswith("locked:")] == [
        "locked: B 1 MP at S1 — the baseline locks B's MP at S1, but S1 does not require MP "
        "(base-out.xlsx Allocation!A7)"
    ]


def test_a_site_and_a_line_dropped_since_a_solved_baseline_are_said_to_be(tmp_path: Path) -> None:
    """The base plan as solved, against the workbook without S2's MP line (B's MP at S2 goes),
    then without the site S2 and its lines (B's INF and MP at S2 go): the workbook did change
    since the plan was made, and says so (a contributor dropped:
    test_baseline_infeasible_why.py)."""
    base = _base(tmp_path)
    no_line = _world(tmp_path / "no-line.xlsx")
    book = load_workbook(no_line)
    book["Requirements"].delete_rows(4)  # S2 MP
    book.save(no_line)
    result = api.solve(no_line, baseline=base)
    assert result.status == "optimal"
    assert _why_at(result) == {("B", "MP", "S2"): "S2 no longer requires MP"}
    no_site = _world(tmp_path / "no-site.xlsx")
    book = load_workbook(no_site)
    book["Sites"].delete_rows(3)  # S2
    book["Requirements"].delete_rows(3, 2)  # S2 INF, S2 MP
    book.save(no_site)
    result = api.solve(no_site, baseline=base)
    assert result.status == "optimal"
    assert _why_at(result) == {
        ("B", "INF", "S2"): "S2 is no longer a site",
        ("B", "MP", "S2"): "S2 is no longer a site",
    }


def test_in_time_a_line_not_required_in_a_period_says_then(tmp_path: Path) -> None:
    """Periods P1..P3; S1 requires 1 INF in P1..P2 only; the baseline keeps A's unit at S1 over
    P1..P3. Its P3 cannot stay: of a baseline as solved, `S1 no longer requires INF then`; of
    any other, `the baseline has A's INF at S1, but S1 does not require INF then` (the line does
    require INF, in P1..P2: `then` is the row's period; as solved, the words said S1 required
    no INF at all)."""
    path = timed_case(
        tmp_path / "timed.xlsx",
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "priority": 1, "to": "P2"}],
    )
    plan = allocation([("A", "INF", "S1", f"P{t}", 1) for t in (1, 2)])
    said = {}
    for as_solved in (False, True):
        data = api.read(path)
        data.baseline = baseline_rows([("A", "INF", "S1", 0, 2, 1)])
        data.baseline.as_solved = as_solved
        changes, _ = replan_tables(data, build_model(data), plan, data.periods)
        said[as_solved] = records(changes[["site", "period", "change", "why"]])
    assert said == {
        False: [
            ("S1", "P3", -1, "the baseline has A's INF at S1, but S1 does not require INF then")
        ],
        True: [("S1", "P3", -1, "S1 no longer requires INF then")],
    }


def test_in_time_a_line_shortened_since_a_solved_baseline_says_then(tmp_path: Path) -> None:
    """Periods P1..P3; S1 requires 1 INF throughout, A's unit holds it: the plan as solved is
    the baseline. The workbook then ends the line with P1: A's unit goes in P2 and P3, where S1
    no longer requires INF; in P1 it still does, so `S1 no longer requires INF` (as the rows
    said) read as if the line were gone. Each row says `then` (its `period`), and the two
    rows' words being the same, their `run` is P2..P3."""
    workbook = timed_case(tmp_path / "timed.xlsx", periods=months(3))
    base = tmp_path / "base-out.xlsx"
    api.write(api.solve(workbook), base)
    shortened = timed_case(
        tmp_path / "shortened.xlsx",
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "priority": 1, "to": "P1"}],
    )
    result = api.solve(shortened, baseline=base)
    assert result.status == "optimal"
    changes = result.tables.extra["Changes"]
    assert records(changes[["contributor", "site", "period", "run", "change", "why"]]) == [
        ("A", "S1", "P2", "P2..P3", -1, "S1 no longer requires INF then"),
        ("A", "S1", "P3", "P2..P3", -1, "S1 no longer requires INF then"),
    ]
