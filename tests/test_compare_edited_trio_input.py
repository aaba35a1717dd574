"""`forcegen compare` on the hand-edited timed outputs of test_compare_edited_trio.py's
hand-worked case (`trio`, see its docstring), where the input is missing or does not fit: the
edited plans' figures said not recomputed and their coverage changes not known (never `none`),
an input given that is not timed refused, and Tours cells retyped in another case or naming
what the input lacks (split from tests/test_compare_edited_trio.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from solver.cli import main
from solver.compare import compare_timed_files
from solver.compare.tables import DELTA

from . import test_compare_edited_trio
from .test_compare_edited_trio import FIGURES, STAGES, _edited, _sheet

trio = test_compare_edited_trio.trio  # the fixture: the solved output and its two edits


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
    # nor do the stage values' and coverage's lines say to pass it (an edit trial)
    from solver.compare.timed_output import timed_stage_source, unknown_coverage

    cmp = compare_timed_files([solved_out, typo])
    told = timed_stage_source(cmp) + " ".join(why for _, why in unknown_coverage(cmp))
    assert "correct the cells named" in told and "pass --input" not in told
    with pytest.raises(InputError) as caught:
        compare_timed_files([solved_out, typo], input_workbook=solved_out.with_name("edit.xlsx"))
    assert str(caught.value.errors[0]).startswith("typo.xlsx Tours!C3: site 'S9'")


def ov_remark(path: Path) -> str:
    """The remark compare gives the output at `path`, compared alone after the solved one."""
    cmp = compare_timed_files([path.with_name("edit-out.xlsx"), path])
    return str(cmp.overview.set_index("scenario").at[path.stem, "remark"])


def test_every_tour_naming_what_the_input_lacks_is_named_at_once(
    trio: tuple[Path, Path, Path],
) -> None:
    """Two edits, one's second tour at site 'S9', the other's at 'S8', compared with --input:
    one error naming both files' cells (before: the first file's alone)."""
    from solver.errors import InputError

    solved_out = trio[0]
    first = _edited(solved_out, "typo1.xlsx", {"C3": "S9"})
    second = _edited(solved_out, "typo2.xlsx", {"C3": "S8"})
    with pytest.raises(InputError) as caught:
        compare_timed_files(
            [solved_out, first, second], input_workbook=solved_out.with_name("edit.xlsx")
        )
    said = [str(e) for e in caught.value.errors]
    assert any(e.startswith("typo1.xlsx Tours!C3: site 'S9'") for e in said), said
    assert any(e.startswith("typo2.xlsx Tours!C3: site 'S8'") for e in said), said
