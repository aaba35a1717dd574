"""An edited plan read against another version of its input than it was solved from
(report/edited.py, report/edited_time.py, outputs/rebuilt_time.py `lines_as_found`): its rules
and figures are the found workbook's, lines and priorities it lacks are none, and the page says
the plan was solved from another version."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from openpyxl import load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.outputs.load import load_output
from solver.report.edited import audited

from .edited_time_case import edit, solved_output
from .time_cases import months, timed_case
from .workbooks import simple_case


def _edited_against_a_later_version(tmp_path: Path, units: int) -> tuple[Path, Path]:
    """s.xlsx (S1 and S2 require 2 INF each) solved into plan.xlsx, its Allocation's first row
    set to `units` by hand; then a later s.xlsx with S1 raised to 3: (plan, later folder)."""
    source = simple_case(tmp_path / "s.xlsx")
    out = api.write(api.solve(source), tmp_path / "plan.xlsx")
    book = load_workbook(out)
    sheet = book["Allocation"]
    sheet.cell(2, [c.value for c in sheet[1]].index("units") + 1).value = units
    book.save(out)
    later = tmp_path / "later"
    later.mkdir()
    simple_case(
        later / "s.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
    )
    return out, later


def test_an_edited_snapshot_plan_against_another_version_of_its_input_is_judged_by_it(
    tmp_path: Path,
) -> None:
    """s.xlsx (S1 and S2 require 2 INF each) solved; its Allocation edited by hand (the first
    row's 2 units down to 1); then S1 raised to 3 in the workbook. The page judges the edit
    against the workbook found, and its figures are that workbook's too: S1 requires 3, 5
    units required in all (they were the solved input's 2 and 4 beside rules of the new one:
    a trial), and it says the plan was solved from another version."""
    from solver.outputs.load import load_output
    from solver.report.edited import audited

    out, later = _edited_against_a_later_version(tmp_path, 1)
    page = audited(load_output(out), later / "s.xlsx")
    coverage = page.sheets["Coverage"].set_index("site")
    assert coverage.loc["S1", "required"] == 3 and coverage.loc["S2", "required"] == 2
    assert page.summary["required_units"] == 5
    assert page.summary["shortfall_units"] == 5 - page.summary["allocated_units"]
    assert any(
        "plan.xlsx was solved from another version of s.xlsx (input_sha256 differs): the rules "
        "and figures below are the workbook found's" in n
        for n in page.audit_notes
    ), page.audit_notes


def test_an_edited_plan_against_a_version_that_drops_a_line_counts_it_no_more(
    tmp_path: Path,
) -> None:
    """s.xlsx solved; its Allocation edited (first row 2 -> 1); a later s.xlsx drops S2's line.
    The page's Coverage has S1 only and 2 units required (a review: S2 stayed, covered, with
    its old requirement, where compare counted 2 required)."""
    from solver.outputs.load import load_output
    from solver.report.edited import audited

    lines = [
        {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
        {"site": "S2", "capability": "INF", "units": 3, "priority": 2},
    ]
    source = simple_case(tmp_path / "s.xlsx", requirements=lines)
    out = api.write(api.solve(source), tmp_path / "plan.xlsx")
    book = load_workbook(out)
    sheet = book["Allocation"]
    sheet.cell(2, [c.value for c in sheet[1]].index("units") + 1).value = 1
    book.save(out)
    later = tmp_path / "later"
    later.mkdir()
    simple_case(later / "s.xlsx", requirements=lines[:1])
    page = audited(load_output(out), later / "s.xlsx")
    assert page.sheets["Coverage"]["site"].tolist() == ["S1"]
    assert page.summary["required_units"] == 2
    # priority 2 is no more: none of its figures stay (a review saw p2 1 beside a total of 0)
    assert not [k for k in page.summary if str(k).endswith(".p2")]


def test_an_edited_timed_plan_against_another_version_of_its_input_is_judged_by_it(
    tmp_path: Path,
) -> None:
    """The docstring's edit, read against a later edit.xlsx where S1 needs 2 INF (and S2 is
    gone): by hand, S1 requires 2 in each of 4 months (8 unit-months), A's unit holds it in
    P1..P3, so 5 unit-months short at priority 1 (1 unit in P1..P3, 2 in P4); S2 is no line.
    The page's figures are the workbook found's, as its stages are (a review: the stages were
    recomputed against the new input beside the old requirements), and it says so."""
    later = tmp_path / "later"
    later.mkdir()
    timed_case(
        later / "edit.xlsx",
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "tour_months": 2}],
    )
    out = audited(load_output(edit(solved_output(tmp_path))), later / "edit.xlsx")
    coverage = out.sheets["Coverage"]
    assert sorted(set(coverage["site"])) == ["S1"]
    assert coverage["required"].tolist() == [2, 2, 2, 2]
    assert out.summary["objective.shortfall.p1"] == 5.0
    assert out.summary["required_unit_months"] == 8
    assert out.summary["shortfall_unit_months.p1"] == 5
    # S2, priority 2, is no line of it: none of its figures stay (a review)
    assert out.sheets["Sustainability"]["site"].tolist() == ["S1"]
    assert out.summary["lines"] == 1
    assert not [k for k in out.summary if str(k).endswith(".p2")]
    assert any(
        "edit-out.xlsx was solved from another version of edit.xlsx (input_sha256 differs): the "
        "rules and figures below are the workbook found's" in n
        for n in out.audit_notes
    ), out.audit_notes


def test_the_console_says_the_rules_broken_once_after_the_first_note(tmp_path: Path) -> None:
    """An edited plan that breaks a rule (its first row's units raised past the pledge), read
    against another version of its input: the console's first note says the rules it breaks,
    the second (the version) ends a sentence of its own (an uneven-periods trial read `...the
    workbook found's It breaks 2 rules.`)."""
    from click.testing import CliRunner

    from solver.cli import main

    out, later = _edited_against_a_later_version(tmp_path, 9)
    page = tmp_path / "p.html"
    run = CliRunner().invoke(
        main, ["report", str(out), "--input", str(later / "s.xlsx"), "-o", str(page)]
    )
    assert run.exit_code == 0, run.output
    notes = [line for line in run.output.splitlines() if line.startswith(f"warning: {out}: ")]
    assert len(notes) == 2, notes
    assert re.search(r"\. It breaks \d+ rules?\.$", notes[0]), notes[0]
    assert " It breaks " not in notes[1]
    assert notes[1].endswith("the rules and figures below are the workbook found's."), notes[1]
