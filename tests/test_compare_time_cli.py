"""`forcegen compare` on timed outputs, as a command: the console's changes per scenario and its
cautions, the comparison workbook written, outputs it refuses or reads as they are (a snapshot
output beside, a missing file or an input, a missing sheet or a bad cell, no plan, unrelated
workbooks), and two timed solves compared. The hand-worked case is tests/test_compare_time.py's
(split from tests/test_compare_time.py)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from openpyxl import load_workbook

from solver import api
from solver.compare import compare_timed_files
from solver.compare.console import ALL_IN_WORKBOOK
from solver.compare.timed_output import timed_lines

from .test_compare_time import BASE_TOURS, LINES, MONTHS, compare, outputs
from .time_outputs import line, timed_output, tour
from .workbooks import simple_case


def test_the_console_gives_each_scenario_its_own_changes_most_important_first(
    tmp_path: Path,
) -> None:
    """Base holds Aden's priority-2 line (FRA) and Kyiv's priority-1 line (ITA) in every
    month. `a_out` loses both, `b_out` only Kyiv's. With room for one change per scenario the
    console gives each scenario its priority-1 loss (not Aden's, first by name) and says how
    many of `a_out`'s are left; before, one cap over all of them, in line order, left later
    scenarios unseen."""
    lines = [line("Aden", "ENG_COY", 1, 2), line("Kyiv", "INF_BN", 1)]
    both = [
        tour("FRA", "ENG_COY", "Aden", "2027-01", "2027-04"),
        tour("ITA", "INF_BN", "Kyiv", "2027-01", "2027-04"),
    ]
    base = timed_output(tmp_path / "base.xlsx", periods=MONTHS, tours=both, lines=lines)
    a_out = timed_output(
        tmp_path / "a.xlsx", periods=MONTHS, tours=[], lines=lines, summary={"scenario": "a_out"}
    )
    b_out = timed_output(
        tmp_path / "b.xlsx",
        periods=MONTHS,
        tours=both[:1],
        lines=lines,
        summary={"scenario": "b_out"},
    )
    cmp = compare_timed_files([base, a_out, b_out])
    said = [click.unstyle(t) for t in timed_lines(cmp, top=1)]
    start = said.index("coverage that changes against base, per period:")
    assert said[start + 1 : start + 5] == [
        "  a_out: Kyiv/INF_BN (p1): -1 unit in 2027-01..2027-04",
        f"  ... 1 more of a_out: {ALL_IN_WORKBOOK}",
        "  b_out: Kyiv/INF_BN (p1): -1 unit in 2027-01..2027-04",
        "tours that differ from base:",
    ]


def test_cli_prints_the_changes_and_writes_the_workbook(tmp_path: Path) -> None:
    base, ita_out = outputs(tmp_path)
    result = compare(base, ita_out, "-o", tmp_path / "diff.xlsx")
    assert result.exit_code == 0, result.output
    assert "ita_out: Kyiv/AD_BTY (p1): -1 unit in 2027-02" in result.output
    assert "ita_out: Lviv/AD_BTY (p2): -1 unit in 2027-03..2027-04" in result.output
    assert "changed ITA AD_BTY Kyiv: 2027-01..2027-02 x1 -> 2027-01 x1" in result.output
    assert "added   GBR AD_BTY Lviv: 2027-03..2027-04 x1" in result.output
    assert load_workbook(tmp_path / "diff.xlsx").sheetnames == [
        "Scenarios",
        "Coverage changes",
        "Tour changes",
        "Shortfall by priority",
    ]
    first = (tmp_path / "diff.xlsx").read_bytes()
    (tmp_path / "diff.xlsx").unlink()
    assert compare(base, ita_out, "-o", tmp_path / "diff.xlsx").exit_code == 0
    assert (tmp_path / "diff.xlsx").read_bytes() == first


def test_the_console_cautions_about_unproven_plans_and_scenarios_solved_afresh(
    tmp_path: Path,
) -> None:
    """ita_out was solved without base as its baseline: a line says how to see only what the
    scenario changes. Both plans optimal: no caution about the search; with ita_out stopped by
    a limit (feasible), one naming it."""
    base, ita_out = outputs(tmp_path)
    result = compare(base, ita_out)
    assert result.exit_code == 0, result.output
    assert (
        "solved without the base as baseline: ita_out: where the scenario changes nothing, "
        "tours may still differ"
    ) in result.output
    assert f"solve it with --baseline {base}" in result.output
    assert "not proven optimal" not in result.output
    stopped = timed_output(
        tmp_path / "stopped.xlsx",
        periods=MONTHS,
        tours=[tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-04", 1)],
        lines=LINES,
        summary={"scenario": "stopped", "status": "feasible"},
    )
    result = compare(base, stopped)
    assert "not proven optimal: stopped: a difference may come from where" in result.output
    same = timed_output(
        tmp_path / "same.xlsx",
        periods=MONTHS,
        tours=BASE_TOURS,
        lines=LINES,
        summary={"scenario": "same"},
    )
    assert "solved without the base" not in compare(base, same).output  # no tour differs
    # re-planned against another file: its own note says so, not "solved without a baseline"
    other = timed_output(
        tmp_path / "other.xlsx",
        periods=MONTHS,
        tours=[tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-04", 1)],
        lines=LINES,
        summary={"scenario": "other", "baseline_file": "elsewhere.xlsx", "baseline_sha256": "ab"},
    )
    said = compare(base, other).output
    assert "solved without the base" not in said
    assert "other was re-planned against elsewhere.xlsx, not against base.xlsx" in said


def test_a_timed_and_a_snapshot_output_are_refused(tmp_path: Path) -> None:
    base, _ = outputs(tmp_path)
    src = simple_case(tmp_path / "snap.xlsx")
    snap = api.write(api.solve(src), tmp_path / "snap-out.xlsx", [src])
    result = compare(snap, base, "-o", tmp_path / "diff.xlsx")
    assert result.exit_code == 2, result.output
    assert (
        "cannot compare timed output(s) (base.xlsx) with snapshot output(s) (snap-out.xlsx)"
        in result.output
    )
    assert "Traceback" not in result.output and not (tmp_path / "diff.xlsx").exists()
    # a bad cell in the snapshot output does not hide that it cannot be compared with a plan
    # in time (the planner would fix the cell only to be told so)
    wb = load_workbook(snap)
    wb["Allocation"]["D2"] = "many"
    wb.save(snap)
    result = compare(snap, base)
    assert result.exit_code == 2
    assert "cannot compare timed output(s) (base.xlsx) with snapshot output(s)" in result.output


@pytest.mark.parametrize("first", [True, False])
def test_a_missing_file_or_an_input_beside_a_timed_output_is_called_what_it_is(
    tmp_path: Path, first: bool
) -> None:
    """A typo in a file name, or the input workbook given for an output, beside a timed
    output: said as such (file not found; not an output), not as a snapshot output."""
    base, _ = outputs(tmp_path)
    src = simple_case(tmp_path / "input.xlsx")
    for other, said in (
        (tmp_path / "typo.xlsx", "typo.xlsx: file not found"),
        (src, "input.xlsx: not an output of forcegen solve or sweep"),
    ):
        pair = (other, base) if first else (base, other)
        result = compare(*pair)
        assert result.exit_code == 2, result.output
        assert said in result.output
        assert "snapshot output" not in result.output and "Traceback" not in result.output


def test_a_timed_output_missing_a_sheet_or_with_a_bad_cell(tmp_path: Path) -> None:
    base, ita_out = outputs(tmp_path)
    wb = load_workbook(ita_out)
    del wb["Sustainability"]
    wb["Tours"]["G2"] = "two"  # units of ita_out's first tour
    wb.save(ita_out)
    result = compare(base, ita_out)
    assert result.exit_code == 2, result.output
    assert "sheet 'Sustainability' is missing" in result.output
    # all problems at once, each in the words of its own column
    assert "Tours!G2: units must be a whole number >= 0, got 'two'" in result.output
    assert "Traceback" not in result.output
    wb = load_workbook(ita_out)
    # titled with spaces around (read all the same): the sheet named as a reference names it
    wb.create_sheet(" Sustainability ").append(["site", "capability", "priority"])
    wb.save(ita_out)
    result = compare(base, ita_out)
    assert result.exit_code == 2, result.output
    assert "Tours!G2" in result.output
    # one error per column missing, at the header, as verify and solve say it
    for column in ("periods_short", "unit_months_short"):
        assert (
            f"error: ita_out.xlsx ' Sustainability '!1:1: required column '{column}' is missing "
            "(columns found: site, capability, priority)" in result.output
        )


def test_a_timed_output_without_plan_is_compared_by_its_status(tmp_path: Path) -> None:
    """An infeasible what-if (no tours, no Sustainability sheet): its row says so, and no line
    or tour is listed as changed: each section says it is not compared (there is no plan to
    compare), where it said `none`, which reads as the same plan."""
    base, _ = outputs(tmp_path)
    inf = timed_output(
        tmp_path / "inf.xlsx",
        periods=MONTHS,
        tours=[],
        lines=LINES,
        summary={"scenario": "no_ita", "status": "infeasible"},
    )
    wb = load_workbook(inf)
    del wb["Sustainability"]
    wb.save(inf)
    result = compare(base, inf)
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    for title in (
        "coverage that changes against base, per period:",
        "tours that differ from base:",
    ):
        assert out[out.index(title) + 1] == "  no_ita has no plan (infeasible): not compared"
    assert "none" not in result.stdout
    cmp = compare_timed_files([base, inf])
    ov = cmp.overview.set_index("scenario")
    assert ov.at["no_ita", "status"] == "infeasible"
    assert ov.loc["no_ita", ["unit_months_short.p1", "objective.shortfall.p1"]].isna().all()


def test_two_timed_solves_compared(tmp_path: Path) -> None:
    """`rotation_case` (report_time_case.py) solved for base and b_early (B from P1). In both,
    S1 (p1) is held throughout; S2 (p2) gets the units S1 does not need: base only P4 (see the
    report's test); b_early, with B from P1, also P1 (A's two units and B: three), while P2 and P3
    still hold one A unit and B only. So S2 gains 1 unit in P1; unit-months short p2: 3 -> 2."""
    from .report_time_case import rotation_case

    src = rotation_case(tmp_path / "rot.xlsx")
    base = api.write(api.solve(src), tmp_path / "base.xlsx", [src])
    early = api.write(api.solve(src, scenario="b_early"), tmp_path / "early.xlsx", [src])
    result = compare(base, early)
    assert result.exit_code == 0, result.output
    assert "b_early: S2/INF (p2): +1 unit in P1" in result.output
    cmp = compare_timed_files([base, early])
    assert cmp.coverage[["site", "from", "to", "Δ units"]].values.tolist() == [
        ["S2", "P1", "P1", 1]
    ]
    assert cmp.priorities.values.tolist() == [["b_early", 1, 0, 0, 0], ["b_early", 2, 3, 2, -1]]


def test_timed_outputs_of_unrelated_workbooks_are_compared_with_a_note(tmp_path: Path) -> None:
    base, _ = outputs(tmp_path)
    other = timed_output(
        tmp_path / "other.xlsx",
        periods=MONTHS,
        tours=[tour("POL", "ENG_COY", "Odesa", "2027-01", "2027-04", 1)],
        lines=[line("Odesa", "ENG_COY", 1)],
        summary={"scenario": "other"},
    )
    result = compare(base, other)
    assert result.exit_code == 0, result.output
    assert "other shares no requirement line (site x capability) with base" in " ".join(
        result.output.split()
    )
