"""The caution about plans not proven optimal (a time-limited solve) travels with what is
shared: besides the console's line, the remark of each unproven output on the comparison
workbook's Scenarios sheet (snapshot and timed comparisons) and one sentence at the top of the
briefing's comparison, all in the console's words (compare/caution.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.cli import main
from solver.compare.caution import unproven_caution
from solver.compare.tables import compare_views
from solver.report.command import write_report

from .compare_cases import planned
from .test_compare_time import BASE_TOURS, LINES, MONTHS
from .time_outputs import timed_output
from .workbooks import simple_case

WORDS = "a difference may come from where the search stopped, not from the scenario"


def remarks(workbook: Path) -> dict[str, str | None]:
    """scenario -> remark of the Scenarios sheet."""
    rows = list(load_workbook(workbook)["Scenarios"].iter_rows(values_only=True))
    at = list(rows[0]).index("remark")
    return {str(r[0]): r[at] for r in rows[1:]}


def stopped(output: Path, scenario: str) -> Path:
    """`output` as a time-limited solve would have left it: status feasible (its plan, and so
    its digest, unchanged), solved for `scenario`."""
    book = load_workbook(output)
    for key, value in book["Summary"].iter_rows(min_row=2, max_col=2):
        if key.value == "status":
            value.value = "feasible"
        elif key.value == "scenario":
            value.value = scenario
    book.save(output)
    return output


def test_the_wording_is_the_consoles() -> None:
    said = unproven_caution(["base", "italy_leaves"])
    assert said.startswith(f"not proven optimal: base, italy_leaves: {WORDS}")


def test_each_unproven_snapshot_output_carries_the_caution_in_its_remark() -> None:
    base, other = planned("base", 6, 2, generated=False), planned("b_out", 6, 0, generated=False)
    base.status = "feasible"
    ov = compare_views([base, other]).overview.set_index("scenario")
    assert ov.at["base", "remark"] == unproven_caution(["base"])
    assert pd.isna(ov.at["b_out", "remark"])


def test_compare_writes_the_caution_into_the_scenarios_sheet(tmp_path: Path) -> None:
    src = simple_case(tmp_path / "case.xlsx")
    base = stopped(api.write(api.solve(src), tmp_path / "base.xlsx", [src]), "base")
    italy = api.write(api.solve(src), tmp_path / "italy.xlsx", [src])
    italy = stopped(italy, "italy_leaves")
    result = CliRunner().invoke(
        main, ["compare", str(base), str(italy), "-o", str(tmp_path / "cmp.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert f"not proven optimal: base, italy_leaves: {WORDS}" in result.stdout
    said = remarks(tmp_path / "cmp.xlsx")
    assert said["base"] is not None and said["base"].startswith(
        f"not proven optimal: base: {WORDS}"
    )
    assert said["italy_leaves"] is not None and f"italy_leaves: {WORDS}" in said["italy_leaves"]


def test_the_briefings_comparison_says_it_at_the_top(tmp_path: Path) -> None:
    src = simple_case(tmp_path / "case.xlsx")
    base = api.write(api.solve(src), tmp_path / "base.xlsx", [src])
    italy = stopped(api.write(api.solve(src), tmp_path / "italy.xlsx", [src]), "italy_leaves")
    html = write_report([base, italy], tmp_path / "cmp.html").read_text(encoding="utf-8")
    top = html.split("<h2>Comparison</h2>", 1)[1].split("<table>", 1)[0]
    assert (
        f"Not proven optimal: italy.xlsx (italy_leaves): {WORDS} (raise the time or work limit)."
        in top
    )
    proven = write_report([base, base], tmp_path / "same.html").read_text(encoding="utf-8")
    assert "not proven optimal" not in proven.lower()


def test_timed_outputs_carry_it_too(tmp_path: Path) -> None:
    base = timed_output(tmp_path / "base.xlsx", periods=MONTHS, tours=BASE_TOURS, lines=LINES)
    late = timed_output(
        tmp_path / "late.xlsx",
        periods=MONTHS,
        tours=BASE_TOURS[:1],
        lines=LINES,
        # a scenario of base's input (a late_input.xlsx would add a note of another workbook)
        summary={"scenario": "late", "status": "feasible", "input_file": "base_input.xlsx"},
    )
    result = CliRunner().invoke(
        main, ["compare", str(base), str(late), "-o", str(tmp_path / "cmp.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert remarks(tmp_path / "cmp.xlsx") == {"base": None, "late": unproven_caution(["late"])}
    html = write_report([base, late], tmp_path / "cmp.html").read_text(encoding="utf-8")
    top = html.split("<h2>Comparison</h2>", 1)[1].split("<table>", 1)[0]
    assert f"Not proven optimal: late.xlsx (late): {WORDS}" in top


def test_an_infeasible_output_s_remark_says_where_its_conflict_is_or_why_not() -> None:
    from solver.compare.audit import no_plan_remark

    assert no_plan_remark("infeasible", "/x/impossible.xlsx", {}) == (
        "no plan: the rules in conflict are on the Infeasibility sheet of impossible.xlsx"
    )
    interrupted = {"explanation": "not given: interrupted"}
    assert no_plan_remark("infeasible", "impossible.xlsx", interrupted) == (
        "no plan; the conflict was not given: interrupted"
    )
    assert no_plan_remark("optimal", "base.xlsx", {}) == ""


def test_a_change_at_a_stage_not_proven_is_marked_and_its_gap_said() -> None:
    """base (S1 6, S2 2): shortfall.p1 proven, p2 stopped at gap 2.5%. b_out (S1 2, S2 0):
    p1 4 (+4), proven in both plans; p2 2 (+2), a stage base did not prove. c_out (S1 6,
    S2 0): p2 2 (+2), not proven in either (its own gap 10%). The p2 changes are marked `~`,
    the p1 change is not, and the legend names the unproven stages behind the marks with their
    gaps (a trial: us_late's p3 (+2), inside its own 2.13% gap, read as an effect)."""
    from solver.compare.console import overview_lines

    base = planned("base", 6, 2, generated=False)
    base.summary = {
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "feasible",
        "stage.shortfall.p2.gap": 0.025,
    }
    b_out = planned("b_out", 2, 0)
    b_out.summary = {"stage.shortfall.p1.status": "optimal", "stage.shortfall.p2.status": "optimal"}
    c_out = planned("c_out", 6, 0)
    c_out.summary = {
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "feasible",
        "stage.shortfall.p2.gap": 0.1,
    }
    lines = [click.unstyle(line) for line in overview_lines(compare_views([base, b_out, c_out]))]
    row = {line.split()[0]: line for line in lines[1:4]}
    assert "4 (+4)~" not in row["b_out"] and "4 (+4) " in row["b_out"]
    assert "2 (+2)~" in row["b_out"] and "2 (+2)~" in row["c_out"]
    # the coverage follows the shortfall stages: marked beside a marked one (a quick trial)
    assert "75.00 (-25.00)~" in row["c_out"]
    assert lines[-1] == (
        "~ a change at or after a stage one of the two plans did not prove: base: shortfall.p2 (gap "
        "2.5%); c_out: shortfall.p2 (gap 10%)"
    )
    # all proven: no mark, no legend, the table as before
    for view in (base, b_out, c_out):
        view.summary = {"stage.shortfall.p1.status": "optimal"}
    lines = [click.unstyle(line) for line in overview_lines(compare_views([base, b_out, c_out]))]
    assert not any("~" in line for line in lines)


def test_a_change_after_a_stage_not_proven_is_marked_too() -> None:
    """base's p2 is not proven, its cost is: b_out's cost change (+5) was solved holding an
    unproven p2 in base, so it is marked as well; b_out's p1 change, before it, is not (a
    review: cost changes beside an unproven p2 were not marked)."""
    from solver.compare.console import overview_lines

    base = planned("base", 6, 2, generated=False)
    base.summary = {
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "feasible",
        "stage.shortfall.p2.gap": 0.025,
        "stage.cost.status": "optimal",
    }
    b_out = planned("b_out", 2, 2)
    b_out.summary = {"stage.shortfall.p1.status": "optimal", "stage.cost.status": "optimal"}
    base.stages["objective.cost"], b_out.stages["objective.cost"] = 10.0, 15.0
    lines = [click.unstyle(line) for line in overview_lines(compare_views([base, b_out]))]
    row = next(line for line in lines if line.startswith("b_out"))
    assert "4 (+4)~" not in row and "15 (+5)~" in row
    assert lines[-1].endswith("did not prove: base: shortfall.p2 (gap 2.5%)")


def test_a_change_after_a_re_plan_s_unproven_changes_stage_is_marked() -> None:
    """A re-plan's `changes` stage has no column beside base, which has none; re_plan's is
    not proven (gap 40%), its cost is, solved holding those changes: the cost change (+5) is
    marked and the legend names `changes` (an adoption trial: neither was said); its p1
    change, solved before, is not marked."""
    from solver.compare.console import overview_lines

    base = planned("base", 6, 2, generated=False)
    base.summary = {
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "optimal",
        "stage.cost.status": "optimal",
    }
    re_plan = planned("re_plan", 2, 2)
    re_plan.summary = {
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "optimal",
        "stage.changes.status": "feasible",
        "stage.changes.gap": 0.4,
        "stage.cost.status": "optimal",
    }
    base.stages["objective.cost"], re_plan.stages["objective.cost"] = 10.0, 15.0
    lines = [click.unstyle(line) for line in overview_lines(compare_views([base, re_plan]))]
    row = next(line for line in lines if line.startswith("re_plan"))
    assert "4 (+4)~" not in row and "15 (+5)~" in row
    assert lines[-1].endswith("did not prove: re_plan: changes (gap 40%)")


def test_base_s_own_plan_edited_by_hand_is_not_marked() -> None:
    """base (S1 6, S2 2), p2 not proven (gap 2.5%); `edited`: base's own output with S2's 2
    units deleted by hand (its Summary records base's solved plan and input). Its p2 +2 is the
    edit's, not where a search stopped: not marked, no legend (an analyst trial saw a hand
    edit's +24 marked `~`). The same figures from another solve (`other`: its own digest) are
    marked as before."""
    from solver.compare.console import overview_lines

    recorded = {
        "input_sha256": "in",
        "scenario": "base",
        "allocation_sha256": "plan-of-base",
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "feasible",
        "stage.shortfall.p2.gap": 0.025,
    }
    base = planned("base", 6, 2, generated=False)
    base.summary = dict(recorded)
    edited = planned("edited", 6, 0, generated=False)
    edited.summary = dict(recorded)
    lines = [click.unstyle(line) for line in overview_lines(compare_views([base, edited]))]
    row = next(line for line in lines if line.startswith("edited"))
    assert "2 (+2)" in row and "~" not in row
    assert not any(line.startswith("~") for line in lines)
    other = planned("other", 6, 0, generated=False)
    other.summary = {**recorded, "allocation_sha256": "plan-of-other"}
    lines = [click.unstyle(line) for line in overview_lines(compare_views([base, other]))]
    assert "2 (+2)~" in next(line for line in lines if line.startswith("other"))
