"""`forcegen compare` on hand-edited timed outputs (see test_compare_edited_time.py for how an
edit is found) of a hand-worked case: its figures recomputed from its Tours (said where they
cannot be, and the cells an edit may retype: test_compare_edited_trio_input.py).

The hand-worked case (`trio`) is test_report_edited_time.py's, solved: periods P1..P4 of one
month; S1 needs 1 INF (priority 1), S2 1 INF (priority 2), in every period; A pledges 1 INF,
tours of at most 2 months, cost 1 a unit and tour. The solve (edit-out.xlsx): A holds S1 in
P1..P2 and P3..P4: shortfall.p1 0, shortfall.p2 4 (S2 short 1 unit x 4 months), cost 2 (two
tours of a unit), presence 1 (one nation-site pair), coverage 4 of 8 unit-months = 50%;
unit-months short p1 0, p2 4.

- moved.xlsx, the trial's kind of edit: the tour P3..P4 moved from S1 to S2 (its `site` cell).
  S1 is held P1..P2, short 1 unit in P3 and P4; S2 short in P1 and P2, held P3..P4. So
  shortfall.p1 = 2 (+2), shortfall.p2 = 2 (-2), cost 2 (+0: still two tours of a unit),
  presence 2 (+1: A at S1 and at S2), coverage 4 of 8 = 50% (+0); unit-months short p1 2
  (+2), p2 2 (-2); every rule kept. Coverage changes: S1/INF (p1) -1 unit in P3..P4 (covered
  1 -> 0), S2/INF (p2) +1 unit in P3..P4 (0 -> 1). Tours: A INF S1 P3..P4 removed, A INF S2
  P3..P4 added.
- stretched.xlsx, the briefing test's edit: P1..P2 extended to P1..P3, P3..P4 deleted. One
  tour of 3 months > tour_months 2 (one violation); S1 held P1..P3, short in P4: shortfall.p1
  = 1 (+1), shortfall.p2 = 4 (+0), cost 1 (-1), presence 1 (+0), coverage 3 of 8 = 37.5%
  (-12.5); unit-months short p1 1 (+1), p2 4; coverage changes: S1/INF (p1) -1 unit in P4.
  Tours: A INF S1 P1..P2 and P3..P4 -> one changed, P1..P2 x1 -> P1..P3 x1; P3..P4 removed.

Without the input (the three copied where edit.xlsx is not), the edited plans' figures are
blank, `unknown`, and their coverage changes are said not known, never `none`
(test_compare_edited_trio_input.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver.cli import main
from solver.compare import compare_timed_files
from solver.compare.tables import DELTA


def _solved_case(folder: Path) -> Path:
    """The module docstring's case solved: input edit.xlsx beside its output edit-out.xlsx."""
    from solver import api

    from .time_cases import months, timed_case

    src = timed_case(
        folder / "edit.xlsx",
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "tour_months": 2}],
    )
    out = api.write(api.solve(src), folder / "edit-out.xlsx", [src])
    tours = list(load_workbook(out)["Tours"].iter_rows(min_row=2, max_col=7, values_only=True))
    assert tours == [("A", "INF", "S1", "P1", "P2", 2, 1), ("A", "INF", "S1", "P3", "P4", 2, 1)]
    return out


def _edited(solved_out: Path, name: str, cells: dict[str, str], drop: int | None = None) -> Path:
    """A copy of the solved output named `name`, its Tours cells set (and a row deleted)."""
    path = solved_out.with_name(name)
    book = load_workbook(solved_out)
    for cell, value in cells.items():
        book["Tours"][cell] = value
    if drop is not None:
        book["Tours"].delete_rows(drop)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def trio(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """edit-out.xlsx as solved, moved.xlsx and stretched.xlsx (the docstring's edits), with
    their input edit.xlsx beside them."""
    solved_out = _solved_case(tmp_path_factory.mktemp("trio"))
    moved = _edited(solved_out, "moved.xlsx", {"C3": "S2"})
    stretched = _edited(solved_out, "stretched.xlsx", {"E2": "P3"}, drop=3)
    return solved_out, moved, stretched


STAGES = ["objective.shortfall.p1", "objective.shortfall.p2", "objective.cost"]


STAGES += ["objective.presence"]


FIGURES = [*STAGES, "unit_months_short.p1", "unit_months_short.p2", "coverage_pct"]


def test_an_edited_timed_plan_is_compared_with_its_figures_recomputed_from_its_tours(
    trio: tuple[Path, Path, Path],
) -> None:
    cmp = compare_timed_files(list(trio))
    ov = cmp.overview.set_index("scenario")
    assert ov["status"].tolist() == ["optimal", "edited", "edited"]
    assert ov["stages_from"].tolist() == ["Summary", "recomputed", "recomputed"]
    figures = {k: [float(v) for v in ov[k]] for k in FIGURES}
    assert figures == {
        "objective.shortfall.p1": [0, 2, 1],
        "objective.shortfall.p2": [4, 2, 4],
        "objective.cost": [2, 2, 1],
        "objective.presence": [1, 2, 1],
        "unit_months_short.p1": [0, 2, 1],
        "unit_months_short.p2": [4, 2, 4],
        "coverage_pct": [50, 50, 37.5],
    }
    deltas = {k: [float(v) for v in ov[DELTA + k].iloc[1:]] for k in FIGURES}
    assert deltas == {
        "objective.shortfall.p1": [2, 1],
        "objective.shortfall.p2": [-2, 0],
        "objective.cost": [0, -1],
        "objective.presence": [1, 0],
        "unit_months_short.p1": [2, 1],
        "unit_months_short.p2": [-2, 0],
        "coverage_pct": [0, -12.5],
    }
    assert ov["violations"].tolist() == [None, 0, 1]
    assert [v.violations for v in cmp.views[1:2]] == [[]]
    assert "3 months > tour_months 2" in cmp.views[2].violations[0]  # type: ignore[index]
    cov = cmp.coverage[["scenario", "site", "capability", "priority", "from", "to"]]
    runs = [tuple(r) for r in cov.itertuples(index=False)]
    changes = cmp.coverage[[DELTA + "units", "base_covered", "covered"]].astype(int)
    assert list(zip(runs, map(tuple, changes.to_numpy().tolist()), strict=True)) == [
        (("moved", "S1", "INF", 1, "P3", "P4"), (-1, 1, 0)),
        (("moved", "S2", "INF", 2, "P3", "P4"), (1, 0, 1)),
        (("stretched", "S1", "INF", 1, "P4", "P4"), (-1, 1, 0)),
    ]
    tours = cmp.tours[["scenario", "site", "change", "base_from", "base_to", "from", "to"]]
    assert [tuple(r) for r in tours.itertuples(index=False)] == [
        ("moved", "S1", "removed", "P3", "P4", None, None),
        ("moved", "S2", "added", None, None, "P3", "P4"),
        ("stretched", "S1", "changed", "P1", "P2", "P1", "P3"),
        ("stretched", "S1", "removed", "P3", "P4", None, None),
    ]
    short = cmp.priorities.set_index(["scenario", "priority"])["unit_months_short"]
    assert short.to_dict() == {
        ("moved", 1): 2,
        ("moved", 2): 2,
        ("stretched", 1): 1,
        ("stretched", 2): 4,
    }
    remark = ov.at["moved", "remark"]
    assert "moved.xlsx: the Tours sheet was edited after solving (solved as optimal)" in remark
    assert "recomputed from the Tours as they stand, with edit.xlsx" in remark
    assert "`forcegen verify edit.xlsx moved.xlsx`" in remark and "--baseline" not in remark
    assert "violates 1 rule: " in ov.at["stretched", "remark"]
    assert "3 months > tour_months 2" in ov.at["stretched", "remark"]


def test_an_edit_of_the_allocation_alone_is_said_not_in_the_plan(
    trio: tuple[Path, Path, Path],
) -> None:
    """alloc.xlsx: the solved output with its first Allocation row (A INF S1 in P1, 1 unit)
    set to 2 units, the Tours untouched. A timed plan is its Tours, so it is compared as
    solved (optimal, the Summary's figures: shortfall.p1 0, p2 4), and its remark says the
    Allocation edit is not in the plan, as the briefing and verify say. It was listed with
    the solved figures and no word. Neither the solved output nor moved.xlsx (its Tours
    edited, its Allocation not) gets that remark."""
    solved_out, moved, _ = trio
    alloc = solved_out.with_name("alloc.xlsx")
    book = load_workbook(solved_out)
    sheet = book["Allocation"]
    header = [c.value for c in sheet[1]]
    first = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert (first["contributor"], first["site"], first["period"], first["units"]) == (
        "A",
        "S1",
        "P1",
        1,
    )
    sheet.cell(row=2, column=header.index("units") + 1, value=2)
    book.save(alloc)
    ov = compare_timed_files([solved_out, moved, alloc]).overview.set_index("scenario")
    assert ov.at["alloc", "status"] == "optimal"
    assert ov.at["alloc", "stages_from"] == "Summary"
    assert float(ov.at["alloc", "objective.shortfall.p1"]) == 0
    assert float(ov.at["alloc", "objective.shortfall.p2"]) == 4
    said = "alloc.xlsx: the Allocation sheet was edited after solving, but the Tours sheet was not"
    assert said in ov.at["alloc", "remark"]
    assert "`forcegen verify edit.xlsx alloc.xlsx`" in ov.at["alloc", "remark"]
    for other in (solved_out.stem, moved.stem):
        assert "Allocation sheet was edited" not in str(ov.at[other, "remark"])


def test_notes_beside_the_allocation_are_no_edit_and_a_deleted_one_is_said(
    trio: tuple[Path, Path, Path],
) -> None:
    """noted.xlsx: the solved output with a planner's note typed beside the Allocation table
    (in merged cells of columns without a header) and one below it: compared as solved with no
    remark and no error (the Allocation is read on its own, leniently; the strict reader made
    compare exit 2 on it). gone.xlsx: the Allocation sheet deleted: said "deleted"."""
    solved_out = trio[0]
    noted = solved_out.with_name("noted.xlsx")
    book = load_workbook(solved_out)
    sheet = book["Allocation"]
    aside = sheet.max_column + 2
    sheet.cell(row=2, column=aside, value="ask DEU about this one")
    sheet.merge_cells(start_row=2, start_column=aside, end_row=2, end_column=aside + 2)
    sheet.cell(row=sheet.max_row + 2, column=1, value="checked by J3, 2 Dec")
    book.save(noted)
    gone = solved_out.with_name("gone.xlsx")
    book = load_workbook(solved_out)
    del book["Allocation"]
    book.save(gone)
    result = CliRunner().invoke(main, ["compare", str(solved_out), str(noted), str(gone)])
    assert result.exit_code == 0, result.output
    assert "noted.xlsx: the Allocation sheet" not in result.output
    assert "gone.xlsx: the Allocation sheet was deleted after solving" in result.output


def _sheet(path: Path, title: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path)[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_the_console_and_the_workbook_give_the_recomputed_figures(
    trio: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The console's table, coverage runs and rules, and the -o workbook's sheets, agree with
    the docstring; no line tells the planner to re-solve an edit with --baseline."""
    written = tmp_path / "cmp.xlsx"
    args = ["compare", *map(str, trio), "-o", str(written)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = result.stdout
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line[:1] in "ems"}
    # scenario status periods p1 p2 cost presence um-p1 um-p2 coverage (each change after it)
    assert " ".join(rows["moved"]) == "moved edited 4 2 (+2) 2 (-2) 2 2 (+1) 2 (+2) 2 (-2) 50"
    said = "stretched edited 4 1 (+1) 4 1 (-1) 1 1 (+1) 4 37.50 (-12.50)"
    assert " ".join(rows["stretched"]) == said
    assert "moved: keeps every rule" in out
    assert "stretched: breaks 1 rule" in out and "3 months > tour_months 2" in out
    assert "  moved: S1/INF (p1): -1 unit in P3..P4" in out
    assert "  moved: S2/INF (p2): +1 unit in P3..P4" in out
    assert "  stretched: S1/INF (p1): -1 unit in P4" in out
    assert "coverage that changes against base, per period: none" not in out
    assert "--baseline" not in out
    assert (
        "stage values: as in the Summary for edit-out (as solved); recomputed from the Tours "
        "sheet for moved, stretched (edited after solving)"
    ) in out
    scenarios = {r["scenario"]: r for r in _sheet(written, "Scenarios")}
    assert [scenarios["moved"][k] for k in FIGURES] == [2, 2, 2, 2, 2, 2, 50]
    assert [scenarios["stretched"][k] for k in FIGURES] == [1, 4, 1, 1, 1, 4, 37.5]
    assert [scenarios[s]["violations"] for s in ("edit-out", "moved", "stretched")] == [None, 0, 1]
    assert scenarios["moved"]["stages_from"] == "recomputed"
    coverage = [
        (r["scenario"], r["site"], r["from"], r["to"], r[DELTA + "units"])
        for r in _sheet(written, "Coverage changes")
    ]
    assert coverage == [
        ("moved", "S1", "P3", "P4", -1),
        ("moved", "S2", "P3", "P4", 1),
        ("stretched", "S1", "P4", "P4", -1),
    ]
    short = [
        (r["scenario"], r["priority"], r["base_unit_months_short"], r["unit_months_short"])
        for r in _sheet(written, "Shortfall by priority")
    ]
    assert short == [
        ("moved", 1, 0, 2),
        ("moved", 2, 4, 2),
        ("stretched", 1, 0, 1),
        ("stretched", 2, 4, 4),
    ]
