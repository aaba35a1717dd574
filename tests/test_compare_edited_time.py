"""`forcegen compare` on a hand-edited timed output: its Tours sheet, the plan, no longer gives
the Summary's `tours_sha256` (found as the briefing finds it, report/edited_time.py
`edited_tours`). It is shown as `edited` on the console and the Scenarios sheet, its tours
compared as they stand; with its input found its stage values, coverage and unit-months short
are recomputed from its Tours (compare/timed_audit.py), else left blank and said not recomputed.

The first cases are test_compare_time.py's: base and ita_out, both recording the digest of their
tours, their input (war.xlsx) nowhere. The planner's edit of ita_out: GBR's Lviv tour
2027-03..2027-04 ends at 2027-03 instead.

The hand-worked case of solved, edited plans (`trio`) is in test_compare_edited_trio.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook

from solver.cli import main
from solver.compare import compare_timed_files
from solver.outputs.load import load_output
from solver.report.command import write_report
from solver.report.edited_time import edited_tours
from solver.results.digest import tours_digest

from .test_compare_time import BASE_TOURS, LINES, MONTHS
from .time_outputs import Row, timed_output, tour

ITA_OUT_TOURS = [
    tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-04", 1),
    tour("ITA", "AD_BTY", "Kyiv", "2027-01", "2027-01", 1),
    tour("GBR", "AD_BTY", "Lviv", "2027-03", "2027-04", 1),
]


def solved(path: Path, tours: list[Row], scenario: str) -> Path:
    """A timed output recording its tours' digest, as a solve does."""
    digest = tours_digest(pd.DataFrame(tours))
    summary = {"scenario": scenario, "tours_sha256": digest, "input_file": "war.xlsx"}
    return timed_output(path, periods=MONTHS, tours=tours, lines=LINES, summary=summary)


def outputs(folder: Path) -> tuple[Path, Path]:
    """base as solved; ita_out with the docstring's edit (its `to` cell only)."""
    base = solved(folder / "base.xlsx", BASE_TOURS, "base")
    ita_out = solved(folder / "ita_out.xlsx", ITA_OUT_TOURS, "ita_out")
    book = load_workbook(ita_out)
    tours = book["Tours"]
    row = next(r for r in tours.iter_rows(min_row=2) if r[0].value == "GBR")
    row[4].value = "2027-03"
    book.save(ita_out)
    return base, ita_out


def test_an_edited_timed_output_is_found_as_the_briefing_finds_it(tmp_path: Path) -> None:
    base, ita_out = outputs(tmp_path)
    assert (edited_tours(load_output(base)), edited_tours(load_output(ita_out))) == (False, True)
    cmp = compare_timed_files([base, ita_out])
    assert [v.edited for v in cmp.views] == [False, True]
    ov = cmp.overview.set_index("scenario")
    assert ov["status"].tolist() == ["optimal", "edited"]
    assert pd.isna(ov.at["base", "remark"])
    remark = ov.at["ita_out", "remark"]
    assert "ita_out.xlsx: the Tours sheet was edited after solving (solved as optimal)" in remark
    assert "war.xlsx was not found (looked in the output's folder, its parent" in remark
    assert "could not be recomputed and are left blank" in remark
    assert "`forcegen verify war.xlsx ita_out.xlsx` checks the edited plan" in remark
    assert "--baseline" not in remark
    # its input nowhere: its figures are blank, not the solved plan's; its tours compared as edited
    assert pd.isna(ov.at["ita_out", "objective.shortfall.p1"])
    assert (
        ov.at["ita_out", "stages_from"] == "unknown" and ov.at["base", "stages_from"] == "Summary"
    )
    changed = cmp.tours.set_index("contributor")
    assert changed.loc["GBR", ["change", "from", "to"]].tolist() == ["added", "2027-03", "2027-03"]


def test_the_console_and_the_scenarios_sheet_say_edited(tmp_path: Path) -> None:
    base, ita_out = outputs(tmp_path)
    written = tmp_path / "cmp.xlsx"
    result = CliRunner().invoke(main, ["compare", str(base), str(ita_out), "-o", str(written)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("ita_out "))
    assert row.split()[1] == "edited"
    said = " ".join(result.stdout.split())
    assert "ita_out.xlsx: the Tours sheet was edited after solving (solved as optimal)" in said
    assert "checks the edited plan" in said
    sheet = list(load_workbook(written)["Scenarios"].iter_rows(values_only=True))
    head = list(sheet[0])
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in sheet[1:]}
    assert (rows["base"]["status"], rows["ita_out"]["status"]) == ("optimal", "edited")
    assert "the Tours sheet was edited after solving" in rows["ita_out"]["remark"]


def test_tours_reordered_or_without_a_digest_are_not_an_edit(tmp_path: Path) -> None:
    """The digest does not depend on the rows' order; an output that records none (written
    before the key existed) is taken as solved, as the briefing takes it."""
    base = solved(tmp_path / "base.xlsx", BASE_TOURS[::-1], "base")
    book = load_workbook(base)
    tours = book["Tours"]
    rows = [[c.value for c in r] for r in tours.iter_rows(min_row=2)]
    for r, values in zip(tours.iter_rows(min_row=2), rows[::-1], strict=True):
        for cell, value in zip(r, values, strict=True):
            cell.value = value
    book.save(base)
    old = timed_output(
        tmp_path / "old.xlsx",
        periods=MONTHS,
        tours=ITA_OUT_TOURS[:1],
        lines=LINES,
        summary={"scenario": "old"},
    )
    cmp = compare_timed_files([base, old])
    assert cmp.overview["status"].tolist() == ["optimal", "optimal"]


def test_an_edited_timed_re_plan_does_not_show_the_solved_asks(tmp_path: Path) -> None:
    """test_replan_cli's timed re-plan (A's mandate ends P2: B takes S1 in P3..P4), its tour
    of B then shortened by hand to P3: its Asks and Changes sheets are the solved re-plan's, so
    compare and the briefing no longer show them as the edited plan's asks (compare says why;
    the briefing's section of the output says so, edited_time.py)."""
    from solver import api
    from solver.report.command import write_report

    from .test_replan_cli_time import timed_world

    base_in, new_in = (
        timed_world(tmp_path / "base.xlsx", None),
        timed_world(tmp_path / "new.xlsx", "P2"),
    )
    base = api.write(api.solve(base_in), tmp_path / "base-out.xlsx", [base_in])
    new = tmp_path / "new-out.xlsx"
    run = CliRunner().invoke(main, ["solve", str(new_in), "-o", str(new), "--baseline", str(base)])
    assert run.exit_code == 0, run.output
    book = load_workbook(new)
    row = next(r for r in book["Tours"].iter_rows(min_row=2) if r[0].value == "B")
    assert (row[3].value, row[4].value) == ("P3", "P4")
    row[4].value = "P3"
    book.save(new)
    result = CliRunner().invoke(main, ["compare", str(base), str(new)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "re-plan: new-out is a re-plan of base-out" not in said
    assert "add 1 INF at S1 from P3" not in said
    assert "new-out.xlsx is a re-plan of base-out.xlsx edited after solving" in said
    assert "not shown (`forcegen verify INPUT.xlsx new-out.xlsx --baseline base-out.xlsx`" in said
    html = write_report([base, new], tmp_path / "page.html").read_text(encoding="utf-8")
    assert "Re-plan: new-out.xlsx is a re-plan" not in html
    assert "Its Asks and Changes sheets are the solved re-plan&#39;s" in html


def test_a_period_excel_made_a_date_is_that_period(tmp_path: Path) -> None:
    """ita_out's edited `to` cell (GBR's Lviv tour ends 2027-03) typed in Excel, which makes
    2027-03 a date: verify reads it as the period 2027-03, and so does compare now (it refused
    the output: `Tours!E4: to must be text, got a date/time`). The tours that differ are those
    of the same edit typed as text."""
    from datetime import datetime

    base, as_text = outputs(tmp_path)
    typed = tmp_path / "typed" / "ita_out.xlsx"
    typed.parent.mkdir()
    book = load_workbook(as_text)
    row = next(r for r in book["Tours"].iter_rows(min_row=2) if r[0].value == "GBR")
    assert row[4].value == "2027-03"
    row[4].value = datetime(2027, 3, 1)
    book.save(typed)
    by_text = compare_timed_files([base, as_text]).tours
    by_date = compare_timed_files([base, typed]).tours
    assert len(by_text) > 0
    pd.testing.assert_frame_equal(by_date, by_text)


def test_a_period_retyped_as_excel_makes_it_is_no_edit(tmp_path: Path) -> None:
    """base.xlsx as solved, with ITA's Kyiv tour's `to` (2027-02) retyped in Excel, which
    makes it the date 2027-02-01: the same plan, so neither the briefing nor compare calls it
    edited (the briefing did: its digest read the cell as a date), and the Gantt draws the
    tour."""
    from datetime import datetime

    base, _ = outputs(tmp_path)
    retyped = tmp_path / "retyped" / "base.xlsx"
    retyped.parent.mkdir()
    book = load_workbook(base)
    row = next(r for r in book["Tours"].iter_rows(min_row=2) if r[0].value == "ITA")
    assert row[4].value == "2027-02"
    row[4].value = datetime(2027, 2, 1)
    book.save(retyped)
    assert not edited_tours(load_output(retyped))
    assert not compare_timed_files([base, retyped]).views[1].edited
    from solver.report.command import write_report

    page = write_report([retyped], tmp_path / "retyped.html", None).read_text(encoding="utf-8")
    assert 'id="tour:Kyiv:ITA:AD_BTY:2027-01:2027-02"' in page  # its bar drawn (it was not)
    row[4].value = datetime(2027, 3, 1)  # another period: an edit
    book.save(retyped)
    assert edited_tours(load_output(retyped))


def _units_typed(output: Path, to: Path, word: str) -> Path:
    """Save `output` as `to` with its first tour's units typed as a word (a hand edit)."""
    book = load_workbook(output)
    tours = book["Tours"]
    column = [c.value for c in tours[1]].index("units") + 1
    tours.cell(2, column).value = word
    book.save(to)
    return to


def test_every_unreadable_output_is_said_at_once_naming_its_file(tmp_path: Path) -> None:
    """base, then two copies of ita_out, each with its first tour's units typed as a word
    ('two', 'three'): compare stops with exit 2 on both cells at once, each prefixed with its
    file's name as `solve --baseline` says it. Before, only the first file's `Tours!G2: ...`
    was said, with no file named. report judges an edited plan as compare does: the same
    errors, and no page (before, it drew the solved plan's figures with a warning, exit 0)."""
    base, ita_out = outputs(tmp_path)
    bad = _units_typed(ita_out, tmp_path / "bad.xlsx", "two")
    worse = _units_typed(ita_out, tmp_path / "worse.xlsx", "three")
    page = tmp_path / "p.html"
    for argv in (["compare"], ["report", "-o", str(page)]):
        result = CliRunner().invoke(main, [*argv, str(base), str(bad), str(worse)])
        assert result.exit_code == 2, result.output
        said = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert said == [
            "error: bad.xlsx Tours!G2: units must be a whole number >= 0, got 'two'",
            "error: worse.xlsx Tours!G2: units must be a whole number >= 0, got 'three'",
        ]
    assert not page.exists()


def test_a_plan_edited_after_a_stopped_solve_is_not_said_to_differ_by_its_search(
    tmp_path: Path,
) -> None:
    """An edit trial: a hand edit of a plan a limit stopped was said to differ from base by
    "where the search stopped"; its difference is the edit. ita_out solved `feasible` (a limit
    stopped it), then edited as above: no such caution on the console, in its remark or in the
    briefing."""
    from solver.compare.caution import unproven_caution

    base = solved(tmp_path / "base.xlsx", BASE_TOURS, "base")
    ita_out = solved(tmp_path / "ita_out.xlsx", ITA_OUT_TOURS, "ita_out")
    book = load_workbook(ita_out)
    summary = book["Summary"]
    next(r for r in summary.iter_rows() if r[0].value == "status")[1].value = "feasible"
    next(r for r in book["Tours"].iter_rows(min_row=2) if r[0].value == "GBR")[4].value = "2027-03"
    book.save(ita_out)
    words = unproven_caution(["ita_out"]).split(": ", 2)[2]
    result = CliRunner().invoke(main, ["compare", str(base), str(ita_out)])
    assert result.exit_code == 0, result.output
    assert "edited after solving (solved as feasible)" in result.stdout
    assert words not in result.stdout
    html = write_report([base, ita_out], tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert words not in html
