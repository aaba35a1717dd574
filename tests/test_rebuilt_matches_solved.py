"""A hand-edited plan's sheets are rebuilt from its Allocation (snapshot: report/edited.py) or
its Tours (timed: outputs/rebuilt_time.py). The plan of output O1 (solved from W) edited by
hand into the plan of O2 (solved from W', which is W with one caveat more: the same pledges,
lines and Contributors, another plan) must rebuild O2's sheets: every declared column, or a
column added to a sheet and not to its rebuild keeps O1's value on the edited plan's page (a
developer trial). Columns the rebuild says it does not recompute (a short line's reason) are
left out, as the page says.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from solver import api
from solver.io.output_schema import declared
from solver.outputs.load import load_output
from solver.outputs.rebuilt_time import NOT_RECOMPUTED, rebuilt_sheets
from solver.report import edited
from solver.verify.reader import read_raw
from solver.verify.schedule import Schedule
from solver.verify.tours_sheet import read_tours

from .conftest import ROOT

REFERENCE = ROOT / "inputs" / "reference"


def _with_exclude(case: Path, to: Path, plan: Path) -> Path:
    """`case` with an `exclude` of the first Allocation row of `plan` (its contributor,
    capability and site): another plan, the same pledges and lines."""
    row = next(load_workbook(plan)["Allocation"].iter_rows(min_row=2, values_only=True))
    book = load_workbook(case)
    sheet = book["Caveats"]
    header = [c.value for c in sheet[1]]
    cells = {"id": "EDIT", "contributor": row[0], "caveat": "exclude", "capability": row[1]}
    sheet.append([{**cells, "site": row[2]}.get(str(h)) for h in header])
    book.save(to)
    return to


def _edited(o1: Path, o2: Path, sheet: str, to: Path) -> Path:
    """O1 with its `sheet` (the plan) replaced by O2's: a planner's edit into O2's plan."""
    book, theirs = load_workbook(o1), load_workbook(o2)[sheet]
    mine = book[sheet]
    mine.delete_rows(1, mine.max_row)
    for values in theirs.iter_rows(values_only=True):
        mine.append(values)
    book.save(to)
    return to


def _said_not_recomputed(column: pd.Series) -> bool:
    """Every filled cell of the rebuilt column says it is not recomputed."""
    filled = column.dropna().astype(str)
    filled = filled[filled != ""]
    return bool(len(filled)) and bool((filled == NOT_RECOMPUTED).all())


def _same(rebuilt: pd.DataFrame, solved: pd.DataFrame, name: str, timed: bool) -> None:
    """Every declared column of sheet `name`, rebuilt, equal to the solved sheet's (row order
    and number types aside)."""
    sheet = declared(name, timed)
    assert sheet is not None
    columns = [c for c in sheet.names if c in solved.columns]
    assert set(columns) <= set(rebuilt.columns), (name, set(columns) - set(rebuilt.columns))
    columns = [c for c in columns if not _said_not_recomputed(rebuilt[c])]
    keys = [c for c, kind in sheet.columns if kind in ("key", "period") and c in columns]

    def text(value: object) -> str | None:
        if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
            return None
        return f"{value:.6g}" if isinstance(value, int | float) else str(value)

    def tidy(frame: pd.DataFrame) -> pd.DataFrame:
        cells = frame[columns].astype(object).map(text)
        return cells.sort_values(keys).reset_index(drop=True)

    pd.testing.assert_frame_equal(tidy(rebuilt), tidy(solved), obj=name)


def test_a_timed_plan_edited_into_another_rebuilds_that_ones_sheets(tmp_path: Path) -> None:
    case = REFERENCE / "rotation.xlsx"
    o1 = api.write(api.solve(case), tmp_path / "o1.xlsx", [case])
    other = _with_exclude(case, tmp_path / "other.xlsx", o1)
    o2 = api.write(api.solve(other), tmp_path / "o2.xlsx", [other])
    edit = _edited(o1, o2, "Tours", tmp_path / "edit.xlsx")
    data = api.read(case)
    schedule = Schedule(data, read_tours(read_raw(edit), data))
    rebuilt = rebuilt_sheets(load_output(edit), schedule)
    solved = load_output(o2).sheets
    assert not load_output(o1).sheets["Tours"].equals(solved["Tours"])  # another plan
    names = {"Tours", "Allocation", "Coverage", "Sustainability", "Burden", "Contributors"}
    assert names <= set(rebuilt)
    for name in names:
        _same(rebuilt[name], solved[name], name, timed=True)


def test_a_snapshot_plan_edited_into_another_rebuilds_that_ones_sheets(tmp_path: Path) -> None:
    case = REFERENCE / "backfill.xlsx"
    o1 = api.write(api.solve(case), tmp_path / "o1.xlsx", [case])
    other = _with_exclude(case, tmp_path / "other.xlsx", o1)
    o2 = api.write(api.solve(other), tmp_path / "o2.xlsx", [other])
    edit = load_output(_edited(o1, o2, "Allocation", tmp_path / "edit.xlsx"))
    solved = load_output(o2).sheets
    alloc = edit.sheets["Allocation"]
    assert not load_output(o1).sheets["Allocation"].equals(solved["Allocation"])  # another plan
    coverage = edited._coverage(edit.sheets["Coverage"], alloc, edit.sheets["Coverage"])
    _same(coverage, solved["Coverage"], "Coverage", timed=False)
    contributors = edited._contributors(edit.sheets["Contributors"], alloc)
    _same(contributors, solved["Contributors"], "Contributors", timed=False)


def test_a_timed_output_without_its_tours_is_refused(tmp_path: Path) -> None:
    """The Tours sheet of a timed output deleted: `report` refuses it (exit 2) as a timed
    output missing its plan (it read the Allocation's monthly rows as one snapshot plan and
    said it broke 169 rules, exit 0; a fault trial)."""
    from click.testing import CliRunner

    from solver.cli import main

    case = REFERENCE / "rotation.xlsx"
    out = api.write(api.solve(case), tmp_path / "plan.xlsx", [case])
    book = load_workbook(out)
    del book["Tours"]
    book.save(out)
    page = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["report", str(out), "-o", str(page)])
    assert result.exit_code == 2, result.output
    assert "is a timed output (its Summary has periods" in result.output
    assert not page.exists()
