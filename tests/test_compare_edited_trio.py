"""`forcegen compare` on hand-edited timed outputs (see test_compare_edited_time.py for how an
edit is found) of a hand-worked case: its figures recomputed from its Tours, said where they
cannot be, and the cells an edit may retype.

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
blank, `unknown`, and their coverage changes are said not known, never `none`.
"""

from __future__ import annotations

import shutil
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


def test_without_its_input_an_edited_plans_figures_are_said_not_recomputed(
    trio: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The three copied where edit.xlsx is not: the solved plan keeps its Summary's figures;
    the edited ones' are blank, their coverage changes `not known` (never `none`), on the
    console and in the workbook; the remark says how to check them, not to re-solve."""
    alone = tmp_path / "else" / "where"
    alone.mkdir(parents=True)
    copies = [Path(shutil.copy(p, alone / p.name)) for p in trio]
    monkeypatch.chdir(alone)
    cmp = compare_timed_files(copies)
    ov = cmp.overview.set_index("scenario")
    assert ov["stages_from"].tolist() == ["Summary", "unknown", "unknown"]
    assert [float(ov.at["edit-out", k]) for k in FIGURES] == [0, 4, 2, 1, 0, 4, 50]
    for name in ("moved", "stretched"):
        assert ov.loc[name, FIGURES].isna().all() and ov.at[name, "violations"] is None
        remark = ov.at[name, "remark"]
        assert "edit.xlsx was not found (looked in" in remark and "--baseline" not in remark
        assert f"`forcegen verify edit.xlsx {name}.xlsx` checks the edited plan" in remark
        assert "pass --input edit.xlsx to compare it" in remark
    assert len(cmp.coverage) == 0 and len(cmp.tours) == 4  # tours are compared as they stand
    assert cmp.priorities["unit_months_short"].isna().all()

    written = tmp_path / "cmp.xlsx"
    result = CliRunner().invoke(main, ["compare", *map(str, copies), "-o", str(written)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "coverage that changes against base, per period: none" not in out
    assert (
        "moved: not known: the Tours of moved.xlsx were edited after solving and its coverage "
        "could not be recomputed (edit.xlsx was not found"
    ) in out
    assert "left blank for moved, stretched (edited after solving" in out
    assert "--baseline" not in out
    sheet = _sheet(written, "Coverage changes")
    assert [(r["scenario"], r["site"], r[DELTA + "units"]) for r in sheet] == [
        ("moved", None, None),
        ("stretched", None, None),
    ]
    assert all("could not be recomputed" in str(r["remark"]) for r in sheet)
    scenarios = {r["scenario"]: r for r in _sheet(written, "Scenarios")}
    assert [scenarios["moved"][k] for k in FIGURES] == [None] * len(FIGURES)

    given = CliRunner().invoke(
        main, ["compare", *map(str, copies), "--input", str(trio[0].with_name("edit.xlsx"))]
    )
    assert given.exit_code == 0, given.output
    assert "  moved: S1/INF (p1): -1 unit in P3..P4" in given.stdout
    assert "recomputed from the Tours sheet for moved, stretched" in given.stdout


def test_an_edited_base_without_its_input_leaves_every_coverage_change_unknown(
    trio: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moved.xlsx as base, the solved plan against it, edit.xlsx nowhere: base's coverage is
    not known, so neither is any change against it."""
    alone = tmp_path / "alone"
    alone.mkdir()
    base, solved_out = (Path(shutil.copy(p, alone / p.name)) for p in (trio[1], trio[0]))
    monkeypatch.chdir(alone)
    result = CliRunner().invoke(main, ["compare", str(base), str(solved_out)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "edit-out: not known: the Tours of moved.xlsx were edited after solving" in out
    assert "per period: none" not in out


def test_an_input_given_that_is_not_timed_is_refused(
    trio: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """--input a snapshot workbook for an edited timed output: exit 2, saying why."""
    from .workbooks import simple_case

    src = simple_case(tmp_path / "snap.xlsx")
    result = CliRunner().invoke(main, ["compare", *map(str, trio[:2]), "--input", str(src)])
    assert result.exit_code == 2, result.output
    assert "no Periods sheet: not a timed input" in result.output


def test_a_tours_name_in_another_case_is_the_inputs_name(
    trio: tuple[Path, Path, Path],
) -> None:
    """case.xlsx: the solved output with its second tour's contributor typed 'a' and its
    first's site 's1'. verify takes both as the input's (case differs): the plan is as solved,
    so the recomputed figures are the solved ones (p1 0, p2 4, cost 2, presence 1) and no tour
    differs from the solved output's; a note says what was taken as what. Without the
    matching the tours read as one removed and one added (and 'a' as a new nation)."""
    solved_out = trio[0]
    cased = _edited(solved_out, "case.xlsx", {"A3": "a", "C2": "s1"})
    cmp = compare_timed_files([solved_out, cased])
    ov = cmp.overview.set_index("scenario")
    assert ov.at["case", "status"] == "edited" and ov.at["case", "stages_from"] == "recomputed"
    assert [float(ov.at["case", k]) for k in STAGES] == [0, 4, 2, 1]
    assert len(cmp.tours) == 0, cmp.tours
    notes = " ".join(cmp.views[1].notes)
    assert "case.xlsx: Tours: contributor 'a' taken as 'A' (case differs)" in notes
    assert "case.xlsx: Tours: site 's1' taken as 'S1' (case differs)" in notes


def test_a_period_in_another_case_is_the_inputs_period(trio: tuple[Path, Path, Path]) -> None:
    """The second tour's from and to typed 'p3' and 'p4': verify takes them as P3 and P4, so
    no tour differs from the solved output's (they read as one removed and one added)."""
    solved_out = trio[0]
    cased = _edited(solved_out, "pcase.xlsx", {"D3": "p3", "E3": "p4"})
    cmp = compare_timed_files([solved_out, cased])
    assert len(cmp.tours) == 0, cmp.tours
    assert [float(cmp.overview.set_index("scenario").at["pcase", k]) for k in STAGES] == [
        0,
        4,
        2,
        1,
    ]
    assert "pcase.xlsx: Tours: from 'p3' taken as 'P3' (case differs)" in " ".join(
        cmp.views[1].notes
    )


def test_a_tour_naming_what_the_input_lacks(trio: tuple[Path, Path, Path]) -> None:
    """The second tour's site typed 'S9' (no such site). Its input found beside it: the input
    does not fit, and the note says to correct the cell it names (passing --input would only
    make that an error). With --input: exit 2, the error naming the output's file, so that
    among several outputs the planner knows whose cell it is."""
    from solver.errors import InputError

    solved_out = trio[0]
    typo = _edited(solved_out, "typo.xlsx", {"C3": "S9"})
    view = compare_timed_files([solved_out, typo]).views[1]
    assert view.stages_from == "unknown" and view.input_unfit
    said = " ".join(view.notes) + " " + ov_remark(typo)
    assert "correct the cell named" in said and "pass --input edit.xlsx" not in said
    with pytest.raises(InputError) as caught:
        compare_timed_files([solved_out, typo], input_workbook=solved_out.with_name("edit.xlsx"))
    assert str(caught.value.errors[0]).startswith("typo.xlsx Tours!C3: site 'S9'")


def ov_remark(path: Path) -> str:
    """The remark compare gives the output at `path`, compared alone after the solved one."""
    cmp = compare_timed_files([path.with_name("edit-out.xlsx"), path])
    return str(cmp.overview.set_index("scenario").at[path.stem, "remark"])
