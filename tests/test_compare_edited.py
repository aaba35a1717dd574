"""`forcegen compare` of outputs edited by hand: without their input, recomputed with the input
they name (or one changed since), a repeated row, names retyped in another case, a plan read
against another workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.compare import compare_files
from solver.compare.audit import Inputs
from solver.compare.views import ScenarioView
from solver.errors import InputError, Issue

from .compare_cases import _edit, compare
from .sweep_case import scen, small_case
from .workbooks import distance_case, write_workbook


def test_hand_edited_output_without_its_input(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """A planner takes one of A's units away from S1, in a folder without the input: the plan
    counts as it stands, is shown as edited, and its stale stage values are not shown."""
    edited = _edit(compared_outputs["base"], tmp_path / "edited.xlsx", {("A", "S1"): 1})

    result = compare(compared_outputs["base"], edited)
    assert result.exit_code == 0, result.output
    cmp = compare_files([compared_outputs["base"], edited])
    ov = cmp.overview.set_index("scenario")
    assert list(ov.index) == ["base", "edited"]  # both are scenario base: labelled by file
    assert ov.at["edited", "status"] == "edited"  # not "optimal": the plan is not the solved one
    assert ov.at["edited", "shortfall_units.p1"] == 1  # from the Allocation as it stands
    assert pd.isna(ov.at["edited", "objective.shortfall.p1"])  # not the Summary's stale 0
    assert pd.isna(ov.at["edited", "violations"])  # not checked: no input
    assert "edited after solving (solved as optimal)" in ov.at["edited", "remark"]
    assert "pass --input WORKBOOK" in result.stderr
    assert "edited: edited after solving (solved as optimal); not checked" in result.stdout
    assert (
        "stage values: recomputed from the Allocation sheet for base; left blank for edited "
        "(edited after solving)" in result.stdout
    )

    recomputed = compare(compared_outputs["base"], edited, "--input", compared_outputs["input"])
    assert recomputed.exit_code == 0, recomputed.output
    assert "stage values: recomputed from each Allocation sheet" in recomputed.stdout
    cmp = compare_files([compared_outputs["base"], edited], compared_outputs["input"])
    ov = cmp.overview.set_index("scenario")
    assert ov.at["edited", "objective.shortfall.p1"] == 1
    assert ov.at["edited", "deployed_personnel"] == 300  # units x unit size, not the stale cell
    assert ov.at["edited", "Δ objective.shortfall.p1"] == 1
    assert (ov["stages_from"] == "recomputed").all()
    assert "recomputed objective.shortfall.p1" in ov.at["edited", "remark"]


def test_a_repeated_allocation_row_is_added_up_with_a_warning_as_verify_does(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """A planner pastes A's S1 row a second time: compare counts both rows (A's 2 units at S1
    become 4), as verify does, and says so, naming the file and the cell of the repeat."""
    wb = load_workbook(compared_outputs["base"])
    ws = wb["Allocation"]
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    repeat = next(r for r in rows if (r[0], r[header.index("site")]) == ("A", "S1"))
    first_row = 2 + rows.index(repeat)
    ws.append(repeat)
    edited = tmp_path / "pasted.xlsx"
    wb.save(edited)

    result = compare(compared_outputs["base"], edited)
    assert result.exit_code == 0, result.output
    said = (
        f"pasted.xlsx: Allocation!A{len(rows) + 2}: A/{repeat[1]}/S1 appears again "
        f"(first at row {first_row}); its units are added up"
    )
    assert said in result.output
    view = compare_files([compared_outputs["base"], edited])
    alloc = view.views[1].allocation.set_index(["contributor", "site"])
    assert alloc.at[("A", "S1"), "units"] == 2 * repeat[header.index("units")]
    assert said in view.overview.set_index("scenario").at["pasted", "remark"]


def test_a_note_about_a_whole_file_names_it_once(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """An output saved as `.bin` is read by its content with a note that names the file: once
    (a note about one of its cells is prefixed with the file's name, this one was twice)."""
    import shutil

    copy = Path(shutil.copy(compared_outputs["base"], tmp_path / "basecopy.bin"))
    result = compare(compared_outputs["base"], copy)
    assert result.exit_code == 0, result.output
    assert "note: basecopy.bin: the file is an Excel workbook" in result.output
    assert "basecopy.bin: basecopy.bin" not in result.output


def test_an_edited_plan_is_recomputed_with_the_input_it_names(
    compared_outputs: dict[str, Path],
) -> None:
    """The edited output lies beside its input (the Summary's input_file): every figure is
    recomputed from the Allocation sheet, none is the Summary's."""
    folder = compared_outputs["input"].parent
    edited = _edit(compared_outputs["b_out"], folder / "b_out_edited.xlsx", {("A", "S1"): 0})
    ov = compare_files([compared_outputs["base"], edited]).overview.set_index("scenario")
    # A's 2 units are gone and B is out: S1 (p1) is short 2, S2 (p2) short 2
    assert ov.at["b_out", "objective.shortfall.p1"] == 2
    assert ov.at["b_out", "shortfall_units.p1"] == 2
    assert ov.at["b_out", "status"] == "edited"
    assert ov.at["b_out", "violations"] == 0
    assert ov.at["b_out", "stages_from"] == "recomputed"


def test_an_edit_that_keeps_every_total_is_detected_and_its_caveat_flagged(
    tmp_path: Path,
) -> None:
    """A and B swap sites: units, personnel and shortfall are unchanged, the content is not; and
    the swap breaks A's caveat (exclude country=Y), which the comparison flags."""
    src = distance_case(
        tmp_path / "swap.xlsx",
        caveats=[{"id": "C1", "contributor": "A", "caveat": "exclude", "country": "Y"}],
        settings={"threads": 1},
    )
    solved = api.write(api.solve(src), tmp_path / "solved.xlsx", [src])
    wb = load_workbook(solved)
    ws = wb["Allocation"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cell = row[header.index("site")]
        cell.value = {"S1": "S2", "S2": "S1"}[cell.value]  # A to S2, B to S1
    swapped = tmp_path / "swapped.xlsx"
    wb.save(swapped)

    cmp = compare_files([solved, swapped])
    ov = cmp.overview.set_index("scenario")
    assert ov.at["swapped", "status"] == "edited"
    assert ov.at["swapped", "Δ shortfall_units"] == 0  # totals do not give the edit away
    assert ov.at["swapped", "Δ deployed_personnel"] == 0
    assert ov.at["solved", "status"] == "optimal"
    assert ov.at["swapped", "violations"] == 1
    assert "caveat C1 (A exclude country=Y)" in ov.at["swapped", "remark"]
    result = compare(solved, swapped)
    assert result.exit_code == 0, result.output
    assert "swapped: edited after solving (solved as optimal); breaks 1 rule" in result.stdout
    assert "caveat C1 (A exclude country=Y): A sends 2 INF to S2" in result.stdout


def test_an_input_changed_since_solving_is_judged_by_the_outputs_sites(tmp_path: Path) -> None:
    """The input beside the output was edited after solving (its SHA-256 differs): it is still
    used when it holds the output's sites and contributors, with a note (it used to crash with
    KeyError 'Coverage'), and refused when it lacks them."""
    src = small_case(tmp_path / "case.xlsx")
    base = api.write(api.solve(src), tmp_path / "base.xlsx", [src])
    small_case(src, scen("b_out", "Contributors", "B", "status", "unavailable"))

    cmp = compare_files([base, base])
    assert (cmp.overview["stages_from"] == "recomputed").all()
    assert "base.xlsx was solved from another version of case.xlsx" in " ".join(cmp.notes)

    write_workbook(
        src,
        contributors=[{"contributor": "A", "lat": 0, "lon": 0}],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "country": "X", "lat": 0, "lon": 0}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
    )
    cmp = compare_files([base, base])
    assert (cmp.overview["stages_from"] != "recomputed").all()  # another workbook: not used


def test_an_input_found_that_does_not_fit_is_named_with_its_first_error(
    compared_outputs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An input found beside the outputs (not given) that fails to read: the comparison goes on
    without it and says why, quoting the first error (it used to crash on `exc.issues`)."""

    def refuse(self: Inputs, view: ScenarioView, workbook: Path) -> None:
        raise InputError([Issue("Sites!B3", "'lat' is not a number")])

    monkeypatch.setattr(Inputs, "data_for", refuse)
    cmp = compare_files([compared_outputs["base"], compared_outputs["b_out"]])
    assert "does not fit (Sites!B3: 'lat' is not a number): correct that cell" in " ".join(
        cmp.notes
    )
    assert (cmp.overview["stages_from"] != "recomputed").all()


def test_a_generated_scenario_is_recomputed_with_its_withdrawal(tmp_path: Path) -> None:
    src = small_case(tmp_path / "case.xlsx")
    result = CliRunner().invoke(
        main, ["sweep", str(src), "-o", str(tmp_path / "out"), "-s", "withdraw_B"]
    )
    assert result.exit_code == 0, result.output
    files = [tmp_path / "out" / "base.xlsx", tmp_path / "out" / "withdraw_B.xlsx"]
    plain = compare_files(files).overview
    again = compare_files(files, src).overview
    cols = ["objective.shortfall.p1", "objective.shortfall.p2", "objective.cost"]
    assert again[cols].values.tolist() == plain[cols].values.tolist()
    assert not again["remark"].fillna("").str.contains("recomputed").any()


def test_a_plan_read_against_another_workbook_is_not_called_edited(tmp_path: Path) -> None:
    """base.xlsx is solved from case.xlsx, unedited; read with --input v1.xlsx, where S1
    requires 3: its stages are recomputed against v1 (priority 1 is 1 short there), but it was
    not edited, so it is not marked so; the note says it was solved from case.xlsx. A trial saw `edited after solving` and `solved
    from another version of v1.xlsx`."""
    src = small_case(tmp_path / "case.xlsx")
    base = api.write(api.solve(src), tmp_path / "base.xlsx", [src])
    v1 = distance_case(tmp_path / "v1.xlsx", second_priority=2, first_units=3)
    cmp = compare_files([base], input_workbook=v1)
    view = cmp.views[0]
    assert not view.edited and view.status == "optimal"
    assert view.violations == []
    notes = " ".join(view.notes)
    assert "base.xlsx: recomputed objective.shortfall.p1" in notes, notes
    assert "the plan is as solved, but its Summary's values are those of the input" in notes
    assert "base.xlsx was solved from case.xlsx, not v1.xlsx (input_sha256 differs)" in notes
    assert "edited by hand" not in notes
    # an output written before allocation_sha256 (the row gone): judged by its totals, which
    # hold; its stages differ because the input does, not because of an edit
    wb = load_workbook(base)
    summary = wb["Summary"]
    (row,) = [r for r in summary.iter_rows() if r[0].value == "allocation_sha256"]
    summary.delete_rows(row[0].row)
    older = tmp_path / "older.xlsx"
    wb.save(older)
    view = compare_files([older], input_workbook=v1).views[0]
    assert not view.edited, view.notes
    assert "edited by hand" not in " ".join(view.notes)
    # nor is it said to be as solved: without the digest a move between sites cannot be told
    assert "no edit that keeps the totals can be told" in " ".join(view.notes)


def test_an_edit_its_found_input_does_not_fit_is_not_said_not_found(tmp_path: Path) -> None:
    """out.xlsx (solved from case.xlsx beside it) with A's row moved by hand to 'S9', no such
    site: compare says the input does not fit the plan, naming the cell, and not that it was
    not found (a trial read both)."""
    case = small_case(tmp_path / "case.xlsx")
    out = api.write(api.solve(case), tmp_path / "out.xlsx", [case])
    wb = load_workbook(out)
    assert wb["Allocation"]["C1"].value == "site"
    wb["Allocation"]["C2"] = "S9"
    wb.save(out)
    result = compare(out, out)
    assert result.exit_code == 0, result.output
    assert "was found but does not fit (Allocation!C2: site 'S9'" in result.output
    assert "not checked: its input does not fit the plan (the note says why)" in result.output
    assert "was not found" not in result.output


def test_a_name_typed_in_another_case_is_the_inputs_name_as_verify_reads_it(
    tmp_path: Path,
) -> None:
    """case.xlsx solved (A 2 INF at S1, B 2 at S2: p1 0, p2 0); a planner retypes A's site as
    's1' and B's contributor as 'b'. verify takes each as the input's name (case differs), so
    the plan is unchanged: compare's stages equal the solved ones, no Allocation row differs
    from base, and a note says what was taken as what. A trial read p1 +2 (S1 short: 's1' a
    new site) and a removed and an added row, while verify said the plan held."""
    case = small_case(tmp_path / "case.xlsx")
    base = api.write(api.solve(case), tmp_path / "base.xlsx", [case])
    wb = load_workbook(base)
    sheet = wb["Allocation"]
    assert [c.value for c in sheet[1][:3]] == ["contributor", "capability", "site"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert (rows["A"][2].value, rows["B"][2].value) == ("S1", "S2")
    rows["A"][2].value, rows["B"][0].value = "s1", "b"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    cmp = compare_files([base, edited], input_workbook=case)
    view = cmp.views[1]
    assert view.edited and view.violations == []
    assert view.stages == cmp.views[0].stages
    assert view.stages["objective.shortfall.p1"] == 0
    assert len(cmp.changes) == 0, cmp.changes
    notes = " ".join(view.notes)
    assert "edited.xlsx: Allocation: site 's1' taken as 'S1' (case differs)" in notes
    assert "edited.xlsx: Allocation: contributor 'b' taken as 'B' (case differs)" in notes


def test_a_row_repeated_under_a_name_in_another_case_is_said_as_verify_says_it(
    tmp_path: Path,
) -> None:
    """A's row pasted again with 'a' for A: verify takes 'a' as A and warns that A's row
    appears again; compare with the input adds the two rows up (A's units at S1 doubled, as
    verify counts them) and says so, where it only said 'a' was taken as A."""
    case = small_case(tmp_path / "case.xlsx")
    base = api.write(api.solve(case), tmp_path / "base.xlsx", [case])
    wb = load_workbook(base)
    sheet = wb["Allocation"]
    a_row = next([c.value for c in r] for r in sheet.iter_rows(min_row=2) if r[0].value == "A")
    sheet.append(["a", *a_row[1:]])
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    cmp = compare_files([base, edited], input_workbook=case)
    view = cmp.views[1]
    alloc = view.allocation.set_index(["contributor", "site"])
    assert alloc.at[("A", a_row[2]), "units"] == 2 * a_row[3]
    notes = " ".join(view.notes)
    assert f"edited.xlsx: Allocation: A/{a_row[1]}/{a_row[2]} appears again" in notes


def test_the_briefing_of_a_name_retyped_in_another_case_says_so(tmp_path: Path) -> None:
    """The same retyped site ('s1' for S1): the briefing's plan is the solved one (nothing
    short) and its note says why the sheet reads as edited."""
    from solver.report.command import write_report

    case = small_case(tmp_path / "case.xlsx")
    base = api.write(api.solve(case), tmp_path / "base.xlsx", [case])
    wb = load_workbook(base)
    row = next(r for r in wb["Allocation"].iter_rows(min_row=2) if r[0].value == "A")
    row[2].value = "s1"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    page = write_report([edited], tmp_path / "edited.html", case).read_text(encoding="utf-8")
    assert "site &#39;s1&#39; taken as &#39;S1&#39; (case differs)" in page
    assert "worse than the solved plan" not in page


def test_every_unreadable_allocation_is_said_at_once_naming_its_file(
    compared_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """Two copies of base with A's units at S1 typed as a word ('two', 'three'): compare and
    report stop with exit 2 on both cells at once, each prefixed with its file's name (`solve
    --baseline`'s way). Before: only the first file's `Allocation!D2: ...`, no file named."""
    base = compared_outputs["base"]
    bad = _edit(base, tmp_path / "bad.xlsx", {("A", "S1"): "two"})  # type: ignore[dict-item]
    worse = _edit(base, tmp_path / "worse.xlsx", {("A", "S1"): "three"})  # type: ignore[dict-item]
    sheet = load_workbook(bad)["Allocation"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "two").coordinate
    page = tmp_path / "p.html"
    for argv in (["compare"], ["report", "-o", str(page)]):
        result = CliRunner().invoke(main, [*argv, str(base), str(bad), str(worse)])
        assert result.exit_code == 2, result.output
        said = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert said == [
            f"error: bad.xlsx Allocation!{cell}: units must be a whole number >= 0, got 'two'",
            f"error: worse.xlsx Allocation!{cell}: units must be a whole number >= 0, got 'three'",
        ]
    assert not page.exists()


def test_outputs_that_do_not_fit_the_input_given_are_all_named_at_once(tmp_path: Path) -> None:
    """Two outputs of case.xlsx, each with a row moved by hand to a site case.xlsx has not
    ('S9' in a.xlsx, 'S8' in b.xlsx), compared with --input case.xlsx: exit 2 naming both
    files' cells, nothing written (before: a.xlsx's alone; b.xlsx's only after a.xlsx was
    corrected)."""
    case = small_case(tmp_path / "case.xlsx")
    plan = api.write(api.solve(case), tmp_path / "plan.xlsx", [case])
    moved = {"a.xlsx": "S9", "b.xlsx": "S8"}
    for name, site in moved.items():
        wb = load_workbook(plan)
        assert wb["Allocation"]["C1"].value == "site"
        wb["Allocation"]["C2"] = site
        wb.save(tmp_path / name)
    out = tmp_path / "cmp.xlsx"
    outputs = [str(plan), *(str(tmp_path / n) for n in moved)]
    result = CliRunner().invoke(main, ["compare", *outputs, "--input", str(case), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "a.xlsx Allocation!C2: site 'S9'" in result.output, result.output
    assert "b.xlsx Allocation!C2: site 'S8'" in result.output, result.output
    assert "Traceback" not in result.output and not out.exists()
    # the input's own bad cell: named by the input's file, once (before: by the first
    # output's, plan.xlsx Pledges!D2, as if the output held it)
    wb = load_workbook(case)
    assert wb["Pledges"]["D1"].value == "personnel_per_unit"
    wb["Pledges"]["D2"] = "many"
    wb.save(tmp_path / "bad.xlsx")
    result = CliRunner().invoke(main, ["compare", *outputs, "--input", str(tmp_path / "bad.xlsx")])
    assert result.exit_code == 2, result.output
    assert result.output.count("Pledges!D2") == 1, result.output
    assert "bad.xlsx Pledges!D2: personnel_per_unit must be a whole number" in result.output
    # and read once for the three outputs of its one scenario, not once each
    from solver.io import generated

    reads: list[str] = []
    real = generated.read_scenario

    def counted(path: Path, name: str, **kw: object) -> object:
        reads.append(name)
        return real(path, name, **kw)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generated, "read_scenario", counted)
        with pytest.raises(InputError):
            compare_files([Path(p) for p in outputs], input_workbook=tmp_path / "bad.xlsx")
    assert reads == ["base"]
