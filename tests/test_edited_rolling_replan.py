"""A hand-edited rolling re-plan read by `report` and `compare` without its baseline file: its
own History sheet is read, as `verify` reads it (verify/own_history.py `with_plan_history`).

The case of test_baseline_history.py: A's 2 units served 2027-01..2027-06 (dwell 3 months), so
in the re-plan over 2027-07..2027-12 they are home until 2027-09; the re-plan sends one of them
2027-10..2027-12 and B's unit 2027-07..2027-12. Edited by hand to send A's unit from 2027-08,
the plan has 1 unit deployed + 2 in dwell > 2 pledged in 2027-08..2027-09. Before, the page
said the edit "keeps every rule, and it is better than the solved plan", and the rebuilt
Burden counted no unit in dwell from before the horizon (a house review)."""

from __future__ import annotations

import html
from pathlib import Path

from openpyxl import load_workbook

from solver import api
from solver.compare import compare_timed_files
from solver.outputs.load import load_output
from solver.outputs.rebuilt_time import rebuilt_sheets
from solver.report.command import write_report
from solver.verify.reader import read_raw
from solver.verify.schedule import Schedule
from solver.verify.tours_sheet import read_tours

from .test_baseline_history import _cases

BREACH = "A/INF in 2027-08..2027-09: 1 unit deployed + 2 in dwell > 2 pledged"


def _replanned(tmp_path: Path, edit: bool) -> tuple[Path, Path]:
    """(the re-plan's workbook, its output), A's tour edited to start in 2027-08 or not."""
    later, plan = _cases(tmp_path)
    out = tmp_path / ("edited.xlsx" if edit else "replan.xlsx")
    api.write(api.solve(api.read(later), baseline=plan), out)
    if edit:
        book = load_workbook(out)
        row = next(r for r in book["Tours"].iter_rows(min_row=2) if r[0].value == "A")
        row[3].value = "2027-08"
        book.save(out)
    return later, out


def test_the_page_of_an_edited_rolling_re_plan_names_the_dwell_it_breaks(tmp_path: Path) -> None:
    later, out = _replanned(tmp_path, edit=True)
    page = html.unescape(write_report([out], input_path=later).read_text(encoding="utf-8"))
    assert "it breaks 1 rule" in page and BREACH in page
    assert "keeps every rule" not in page


def test_a_comparison_of_an_edited_rolling_re_plan_names_the_dwell_it_breaks(
    tmp_path: Path,
) -> None:
    (tmp_path / "solved").mkdir()
    (tmp_path / "edited").mkdir()
    later, solved = _replanned(tmp_path / "solved", edit=False)
    _, edited = _replanned(tmp_path / "edited", edit=True)
    cmp = compare_timed_files([solved, edited], input_workbook=later)
    assert [v.edited for v in cmp.views] == [False, True]
    said = cmp.views[1].violations
    assert said is not None and any(v.startswith(BREACH) for v in said)


def test_the_rebuilt_burden_counts_the_units_home_from_before_the_horizon(tmp_path: Path) -> None:
    """A's 2 units home in 2027-07..2027-09 (their tour ended with 2027-06, dwell 3), then 1 of
    them deployed 2027-10..2027-12 and the other at home, not in dwell: 2, 2, 2, 0, 0, 0."""
    from solver.verify.own_history import with_plan_history

    later, out = _replanned(tmp_path, edit=False)
    raw = read_raw(out)
    data = with_plan_history(raw, api.read(later))
    rebuilt = rebuilt_sheets(load_output(out), Schedule(data, read_tours(raw, data)))
    burden = rebuilt["Burden"]
    mine = burden[burden["contributor"] == "A"].set_index("period")["dwell_units"]
    assert mine.reindex([f"2027-{m:02d}" for m in range(7, 13)], fill_value=0).tolist() == [
        2,
        2,
        2,
        0,
        0,
        0,
    ]
