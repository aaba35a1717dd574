"""`forcegen report` on a hand-edited timed output (solver/report/edited_time.py): its Tours
sheet, the plan, no longer gives the Summary's `tours_sha256`.

The hand-worked case (`solved`): periods P1..P4 of one month; S1 needs 1 INF (priority 1), S2
1 INF (priority 2), in every period; A pledges 1 INF with tours of at most 2 months
(tour_months 2, no dwell), at cost 1 a unit and tour; B pledges nothing. A's one unit holds S1
(priority 1 first) throughout, in the fewest tours: P1..P2 and P3..P4. So the solve gives
shortfall.p1 0, shortfall.p2 4 (S2 short 1 unit in each of 4 months), cost 2 (two tours of one
unit), presence 1, coverage 4 of 8 unit-months = 50%, and S2's gap is A's unit being at S1.

The planner's edit (`edit`): the tour P3..P4 deleted and P1..P2 extended to P1..P3. As verify
reads it: tour A/INF/S1 P1..P3 lasts 3 months > tour_months 2 (one violation); S1 is held
P1..P3 and short in P4, so shortfall.p1 = 1 month x 1 unit x weight 1 = 1; shortfall.p2 = 4;
cost = 1 (one tour of one unit); presence 1; unit-months: required 8, allocated 3, coverage
3/8 = 37.5%; S1/INF first short in P4, sustained until P3; the busiest period has A's 100.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.cli import main
from solver.errors import InputError
from solver.outputs.load import load_output
from solver.report.command import write_report
from solver.report.edited import audited

from .edited_time_case import edit, solved_output
from .report_time_case import rotation_case

# the solved plan's gap at S2, as the page escapes it
SOLVED_REASON = "A&#39;s 1 unit: 1 at S1 (p1)"


@pytest.fixture
def solved(tmp_path: Path) -> Path:
    """The docstring's case solved; input edit.xlsx beside its output edit-out.xlsx."""
    return solved_output(tmp_path)


def page(output: Path, html: Path) -> str:
    return write_report([output], html).read_text(encoding="utf-8")


def cards(html: str) -> dict[str, str]:
    """The headline cards: label -> value."""
    return {k: v for v, k in re.findall(r"<b>([^<]*)</b><span>([^<]*)</span>", html)}


def test_an_edited_plan_s_recomputed_figures_carry_no_proof_of_the_solve(
    solved: Path, tmp_path: Path
) -> None:
    """The solve stopped at cost (as a limit leaves it), then edited: the cards' figures are the
    edit's, recomputed, and say nothing of the solve's gap (an edit trial read a recomputed cost
    below the solve's bound marked `not proven: cost, gap 2.09%`)."""
    book = load_workbook(solved)
    for key, value in book["Summary"].iter_rows(min_row=2, max_col=2):
        if key.value in ("status", "stage.cost.status"):
            value.value = "feasible"
    book.save(solved)
    assert "(not proven: cost" in str(cards(page(solved, tmp_path / "solved.html")))
    said = cards(page(edit(solved), tmp_path / "edited.html"))
    assert "not proven" not in str(said), said


def test_an_edited_timed_plan_is_recomputed_from_its_tours(solved: Path, tmp_path: Path) -> None:
    before = page(solved, tmp_path / "solved.html")
    assert "Optimal: the best plan at every stage" in before and SOLVED_REASON in before
    shutil.copy(solved, tmp_path / "solved.xlsx")
    out = audited(load_output(edit(solved)), None)
    assert (out.status, out.summary["solved_status"]) == ("edited", "optimal")
    stages = {k: out.summary[f"objective.{k}"] for k in ("shortfall.p1", "shortfall.p2")}
    stages |= {k: out.summary[f"objective.{k}"] for k in ("cost", "presence")}
    assert stages == {"shortfall.p1": 1.0, "shortfall.p2": 4.0, "cost": 1.0, "presence": 1.0}
    assert out.violations is not None and len(out.violations) == 1
    assert "3 months > tour_months 2" in out.violations[0]
    assert out.summary["coverage_pct"] == 37.5 and out.summary["first_gap"] == "p1 S1 INF from P4"
    assert {s for s in ("Gaps", "Caveats") if s in out.sheets} == set()

    html = page(solved, tmp_path / "edited.html")
    assert "Optimal: the best plan at every stage" not in html
    assert "The Tours sheet was edited after solving (solved as optimal)" in html
    broken = html.split("<h3>Rules the edited plan breaks</h3>", 1)[1].split("</ul>", 1)[0]
    assert "3 months &gt; tour_months 2" in broken and broken.count("<li>") == 1
    shown = cards(html)
    assert shown["coverage in unit-months, all priorities"] == "37.5%"
    assert shown["unit-month short, priority 1 (not weighted)"] == "1"
    assert shown["unit-months short, priority 2 (not weighted)"] == "4"
    assert shown["cost (per-unit cost)"] == "1"
    assert shown["first priority-1 gap: S1/INF"] == "P4"
    assert shown["personnel deployed at the busiest period"] == "100"
    # the Gantt chart draws the tour as edited, the gaps' reasons are not the solved plan's
    assert 'id="tour:S1:A:INF:P1:P3"' in html and 'id="tour:S1:A:INF:P3:P4"' not in html
    assert SOLVED_REASON not in html and "(edited plan: not recomputed)" in html
    assert "which caveats bind is not recomputed" in html
    # beside the plan as solved, the stage is the edited plan's: 0 then 1
    both = write_report([tmp_path / "solved.xlsx", solved], tmp_path / "both.html")
    row = r"<td>objective\.shortfall\.p1</td><td[^>]*>0</td><td[^>]*>1 <span"
    assert re.search(row, both.read_text(encoding="utf-8"))


def test_an_unedited_timed_output_is_shown_as_solved(solved: Path, tmp_path: Path) -> None:
    """The Tours as solved: the output is not touched (the page is the one it always was)."""
    out = load_output(solved)
    assert audited(out, None) is out
    html = page(solved, tmp_path / "p.html")
    assert "Optimal: the best plan at every stage" in html and "Edited" not in html


def test_an_edit_of_the_allocation_alone_is_said_not_to_be_the_plan(
    solved: Path, tmp_path: Path
) -> None:
    """The Allocation's P4 row of A at S1 deleted, the Tours as solved: the plan (the Tours)
    is unchanged, so the figures stay the solved plan's (S1 held in every period: shortfall.p1
    0), and the page and the console say the edit is not in the plan."""
    book = load_workbook(solved)
    sheet = book["Allocation"]
    header = [c.value for c in sheet[1]]
    last = [
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, header.index("period") + 1).value == "P4"
    ]
    assert len(last) == 1
    sheet.delete_rows(last[0])
    book.save(solved)
    out = audited(load_output(solved), None)
    assert out.audit_notes and "the Tours sheet was not" in out.audit_notes[0]
    assert out.summary["objective.shortfall.p1"] == 0 and out.summary["status"] != "edited"
    html = page(solved, tmp_path / "p.html")
    assert "The Allocation sheet was edited after solving, but the Tours sheet was not" in html
    from click.testing import CliRunner

    from solver.cli import main

    res = CliRunner().invoke(main, ["report", str(solved), "-o", str(tmp_path / "q.html")])
    assert res.exit_code == 0, res.output
    assert "the Tours sheet was not" in res.output


def test_without_its_input_the_figures_are_said_to_be_the_solved_plans(
    solved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = tmp_path / "else" / "where" / "edit-out.xlsx"  # neither here nor above: edit.xlsx
    alone.parent.mkdir(parents=True)
    shutil.copy(edit(solved), alone)
    monkeypatch.chdir(alone.parent)
    out = audited(load_output(alone), None)
    assert out.status == "edited" and out.violations is None
    assert out.summary["objective.cost"] == 2.0  # the solved plan's, said so
    html = page(alone, alone.parent / "p.html")
    assert "The Tours sheet was edited after solving (solved as optimal), but edit.xlsx" in html
    # the Gantt charts draw the Tours as they stand: said, so that they do not read as solved
    assert (
        "the figures below are the solved plan&#39;s (but the Gantt charts, which draw its "
        "Tours as edited), not the edited one&#39;s" in html
    )
    assert "the rules were not checked (see the note below)" in html


def test_an_unreadable_tours_cell_stops_the_page_as_it_stops_compare(
    solved: Path, tmp_path: Path
) -> None:
    """Units typed `two`: the page is not drawn (exit 2, the cell named with its file), as
    `compare` and `verify` refuse the plan; before, it showed the solved plan's figures with a
    note (report and compare disagreed about the same file)."""
    book = load_workbook(solved)
    book["Tours"]["G2"] = "two"
    book.save(solved)
    with pytest.raises(InputError) as caught:
        audited(load_output(solved), None)
    assert [str(e) for e in caught.value.errors] == [
        "Tours!G2: units must be a whole number >= 0, got 'two'"
    ]
    result = CliRunner().invoke(main, ["report", str(solved), "-o", str(tmp_path / "p.html")])
    assert result.exit_code == 2, result.output
    assert "error: edit-out.xlsx Tours!G2: units must be a whole number >= 0, got 'two'" in (
        result.output
    )
    assert not (tmp_path / "p.html").exists()


def test_a_tour_naming_what_the_input_lacks_leaves_the_figures_the_solved_plans(
    solved: Path, tmp_path: Path
) -> None:
    """A site typed `S9`, which the input lacks: the input does not fit the plan, so the page
    says so, naming the cell, and its figures stay the solved plan's; the Gantt chart draws the
    other tour. Its contributor typed `X` too: the solved plan's 1 of 2 contributors engaged
    (an edit trial read `31 of 30`, the unknown nation counted)."""
    book = load_workbook(solved)
    book["Tours"]["C2"] = "S9"
    book["Tours"]["A2"] = "X"
    book.save(solved)
    out = audited(load_output(solved), None)
    assert out.status == "edited" and out.violations is None
    assert "cannot be read against its input (Tours!A2: contributor 'X'" in out.audit_notes[0]
    assert "Tours!C2: site 'S9'" in out.audit_notes[0]
    assert out.summary["objective.cost"] == 2.0
    html = page(solved, tmp_path / "p.html")
    assert 'id="tour:S1:A:INF:P3:P4"' in html
    assert cards(html)["contributors engaged"] == "1 of 2"


def _same(frame: pd.DataFrame) -> pd.DataFrame:
    """A sheet as compared here: blanks as None, dates as their day, counts as floats."""

    def cell(v: object) -> object:
        if v is None or v == "" or (isinstance(v, float) and v != v):
            return None
        if hasattr(v, "year"):
            return str(v)[:10]
        return float(v) if isinstance(v, int | float) else v

    return frame.map(cell).astype(object).reset_index(drop=True)


def test_recomputing_the_solved_tours_gives_the_solves_own_figures(tmp_path: Path) -> None:
    """`rotation_case` (tour_months 2, dwell 1 month: Burden's dwell_units and Contributors'
    deploy_to_dwell depend on it) solved, its Summary's tours_sha256 blanked out of true: the
    Tours are the solved ones, so every sheet rebuilt from them is the solve's (but the gaps'
    reasons and what changed when a line first went short), every stage the stored one, every total the Summary's, and no rule is broken."""
    src = rotation_case(tmp_path / "rot.xlsx")
    path = api.write(api.solve(src), tmp_path / "rot-out.xlsx", [src])
    solved = load_output(path)
    book = load_workbook(path)
    summary = book["Summary"]
    for (cell,) in summary.iter_rows(min_col=1, max_col=1):
        if cell.value == "tours_sha256":
            summary.cell(row=cell.row, column=2, value="0" * 64)
    book.save(path)
    out = audited(load_output(path), None)
    assert out.status == "edited" and out.violations == []
    for name in ("Tours", "Allocation", "Coverage", "Sustainability", "Burden", "Contributors"):
        not_recomputed = ("reason", "first_short_because")  # the gap analysis', the solve's
        columns = [c for c in solved.sheets[name].columns if c not in not_recomputed]
        assert list(out.sheets[name].columns) == list(solved.sheets[name].columns), name
        pd.testing.assert_frame_equal(
            _same(out.sheets[name][columns]), _same(solved.sheets[name][columns]), obj=name
        )
    for key, value in solved.summary.items():
        if key.startswith(("objective.", "shortfall_unit_months", "lines")) or key in (
            "required_unit_months",
            "allocated_unit_months",
            "coverage_pct",
            "deployed_personnel",
            "contributors_engaged",
            "first_gap",
        ):
            expected = value if isinstance(value, str) else pytest.approx(value)
            assert out.summary[key] == expected, key


def test_an_edited_timed_plan_beside_the_solved_one_shows_its_changes(
    solved: Path, tmp_path: Path
) -> None:
    """The docstring's edit beside the plan as solved: S1 loses its unit in P4 (the edit ends
    A's tour at P3), A's tour P1..P2 became P1..P3 (changed) and P3..P4 is gone (removed); the
    edited output's status is `edited`, in the figures and as compare's view reads it. Before,
    an edited output was read as one without plan: `No change against the first output`."""
    from solver.compare.timed_tables import compare_timed
    from solver.report.compare import comparison_section
    from solver.report.compare_time import timed_view_of

    shutil.copy(solved, tmp_path / "solved.xlsx")
    first, edited = load_output(tmp_path / "solved.xlsx"), audited(load_output(edit(solved)), None)
    section = comparison_section([first, edited])
    assert section.coverage is not None and section.tours is not None
    label = "edit-out.xlsx (base)"
    assert [[c.text for c in r.cells] for r in section.coverage.rows] == [
        [label, "S1", "INF", "1", "P4", "P4", "1", "-1"]
    ]
    assert [[c.text for c in r.cells] for r in section.tours.rows] == [
        [label, "A", "INF", "S1", "changed", "P1", "P2", "1", "P1", "P3", "1"],
        [label, "A", "INF", "S1", "removed", "P3", "P4", "1", "–", "–", "–"],
    ]
    figures = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in section.figures.rows}
    assert figures["status"] == ["optimal", "edited"]
    view = timed_view_of(edited)
    assert view.edited and view.has_plan
    assert compare_timed([timed_view_of(first), view]).overview["status"].tolist() == [
        "optimal",
        "edited",
    ]
    html = write_report([tmp_path / "solved.xlsx", solved], tmp_path / "both.html")
    shown = html.read_text(encoding="utf-8").split("<h2>Comparison</h2>", 1)[1]
    shown = shown.split("<h3>Contributors", 1)[0]
    assert "No change against the first output" not in shown


def test_the_banner_of_an_edited_timed_plan_names_its_tours(solved: Path, tmp_path: Path) -> None:
    html = page(edit(solved), tmp_path / "p.html")
    assert "Edited: the Tours sheet was changed after solving (solved as optimal)" in html
    assert "the Allocation sheet was changed" not in html


def test_a_valid_edit_says_how_it_scores_against_the_solved_plan(
    solved: Path, tmp_path: Path
) -> None:
    """The tour P3..P4 deleted, P1..P2 kept: every rule holds, S1 is short 1 unit in P3 and P4
    (shortfall.p1 2 against the solved 0). The banner says so, as verify's result line does,
    instead of "no longer proven the best plan"."""
    book = load_workbook(solved)
    book["Tours"].delete_rows(3)
    book.save(solved)
    html = page(solved, tmp_path / "p.html")
    assert (
        "it keeps every rule, but it is worse than the solved plan at shortfall.p1: 2 against 0"
        in html
    )


def test_against_solved_reads_the_first_stage_that_differs() -> None:
    """Lexicographic: equal p1, cost 6 against 5 is worse; p1 0 against 6 is better whatever
    follows; equal everywhere says so; a missing value at the first difference: blank."""
    from solver.report.edited import against_solved

    solved = {"objective.shortfall.p1": 0, "objective.cost": 5, "status": "optimal"}
    worse = {"objective.shortfall.p1": 0.0, "objective.cost": 6.0}
    assert against_solved(worse, solved) == "worse than the solved plan at cost: 6 against 5"
    better = {"objective.shortfall.p1": 0.0, "objective.cost": 4.0}
    assert against_solved(better, solved) == "better than the solved plan at cost: 4 against 5"
    same = {"objective.shortfall.p1": 0.0, "objective.cost": 5.0}
    assert against_solved(same, solved) == "as good as the solved plan at every stage"
    assert against_solved({"objective.shortfall.p1": 0.0, "objective.cost": None}, solved) == ""


def test_headers_tidied_by_hand_are_no_edit_of_the_plan(solved: Path, tmp_path: Path) -> None:
    """Every table's headers capitalised with a space after (`Contributor `): the briefing and
    compare read the plan as solved (before, report failed with an internal error on the
    Allocation's, and compare called the Allocation edited)."""
    from click.testing import CliRunner

    from solver.cli import main

    from .report_case import tidy_headers

    names = ("Summary", "Allocation", "Coverage", "Contributors", "Tours", "Sustainability")
    tidy_headers(solved, (*names, "Burden"))
    html = page(solved, tmp_path / "p.html")
    assert "Optimal: the best plan at every stage" in html and "Edited" not in html
    res = CliRunner().invoke(main, ["compare", str(solved), str(solved)])
    assert res.exit_code == 0, res.output
    assert "edited" not in res.output


def test_a_column_of_notes_named_like_a_tidied_header_is_left_alone(
    solved: Path, tmp_path: Path
) -> None:
    """A `Site ` column of notes beside `site` on a timed output's Allocation: the briefing
    reads the table by its own `site` and ignores the notes (before: two `site` columns after
    tidying, an internal error `Grouper for 'site' not 1-dimensional`)."""
    book = load_workbook(solved)
    sheet = book["Allocation"]
    column = sheet.max_column + 1
    sheet.cell(1, column, "Site ")
    sheet.cell(2, column, "a note")
    book.save(solved)
    html = page(solved, tmp_path / "p.html")
    assert "Optimal: the best plan at every stage" in html
