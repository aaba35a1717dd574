"""The cost stage's unit said wherever the cost is shown, and warnings when a valid workbook makes
the cost silently wrong (issue #12, section 3): per-unit costs added to person-km, and a missing
location that makes a distance-based cost 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.results.console import summary_lines

from .idle_warnings import without_idle
from .workbooks import simple_case

MIXED = "mixed: per-unit cost + person-km"


def pledge(contributor: str, units: int = 2, cost: float | None = None) -> dict[str, Any]:
    return {"contributor": contributor, "capability": "INF", "units": units, "cost_per_unit": cost}


def warnings_of(path: Path) -> list[str]:
    return without_idle(str(w) for w in api.read(path).warnings)


def test_pledges_with_and_without_cost_per_unit_are_warned_about_by_cell(tmp_path: Path) -> None:
    path = simple_case(tmp_path / "c.xlsx", pledges=[pledge("A", cost=2.5), pledge("B")])
    assert warnings_of(path) == [
        "warning: Pledges: cost_per_unit is given for Pledges!E2 but blank for Pledges!E3, whose "
        "cost is distance-based (person-km): the cost stage adds the two as one number (a "
        "cost_per_unit of 2.5 counts as 2.5 person-km); give every pledge a cost_per_unit, or none"
    ]
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert "warning: Pledges: cost_per_unit is given for Pledges!E2 but blank" in result.output


def test_many_pledges_are_named_compactly_in_sheet_order(tmp_path: Path) -> None:
    codes = [f"N{i}" for i in range(7)]
    path = simple_case(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": c, "lat": 0, "lon": i} for i, c in enumerate(codes)],
        pledges=[pledge(c, cost=None if c in ("N0", "N3") else 1) for c in codes],
    )
    (warning,) = warnings_of(path)
    assert warning.startswith(
        "warning: Pledges: cost_per_unit is given for Pledges!E3, E4 and 3 more but blank for "
        "Pledges!E2 and E5, whose cost"
    )


def test_only_pledges_that_can_deploy_count(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "c.xlsx",
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "status": "unavailable"},  # and no location
            {"contributor": "C", "lat": 0, "lon": 2},
        ],
        pledges=[pledge("A", cost=1), pledge("B"), pledge("C", units=0)],
    )
    assert warnings_of(path) == []


def test_a_contributor_or_site_without_location_is_warned_about(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "c.xlsx",
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 1},  # lon missing
            {"contributor": "C"},  # its pledge has a cost_per_unit: its location is not used
        ],
        sites=[
            {"site": "S1", "lat": 0, "lon": 0},
            {"site": "S2"},
            {"site": "S3"},  # nothing required there
        ],
        pledges=[pledge("A"), pledge("B"), pledge("C", cost=1)],
    )
    warnings = warnings_of(path)
    assert warnings[1:] == [
        "warning: Contributors: no lat/lon at Contributors!D3 (B): the distance-based cost of "
        "their pledges without cost_per_unit is 0 to every site, so the cost stage takes them as "
        "free; give lat and lon, or a cost_per_unit",
        "warning: Sites: no lat/lon at Sites!D3 (S2): the distance-based cost of every unit sent "
        "there without a cost_per_unit is 0, so the cost stage takes those sites as free to "
        "reach; give lat and lon",
    ]
    assert warnings[0].startswith("warning: Pledges: cost_per_unit is given for Pledges!E4 but")


@pytest.mark.parametrize(
    ("costs", "unit"),
    [((1, 1), "per-unit cost"), ((None, None), "person-km"), ((2.5, None), MIXED)],
)
def test_the_cost_unit_is_in_the_summary_the_console_and_the_dashboard(
    tmp_path: Path, costs: tuple[Any, Any], unit: str
) -> None:
    path = simple_case(
        tmp_path / "c.xlsx", pledges=[pledge("A", cost=costs[0]), pledge("B", cost=costs[1])]
    )
    result = api.solve(path)
    assert result.summary["cost.unit"] == unit
    keys = [k for k, _ in result.tables.summary]
    assert keys.index("cost.unit") == keys.index("objective.cost") + 1
    (cost_line,) = [
        click.unstyle(line) for line in summary_lines(result.tables) if "  cost " in line
    ]
    assert cost_line.endswith(f" ({unit})")
    out = api.write(result, tmp_path / "out.xlsx")
    wb = load_workbook(out, read_only=True)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True)}
    dashboard = {r[0]: r[1] for r in wb["Dashboard"].iter_rows(max_col=2, values_only=True)}
    assert summary["cost.unit"] == unit
    assert dashboard["cost unit"] == unit
    assert dashboard["cost (the cost stage)"] == pytest.approx(summary["objective.cost"])


def test_the_summary_never_shows_gap_0_for_a_stage_that_was_not_solved(tmp_path: Path) -> None:
    """A plan whose cost and presence stages were never solved (a limit stopped the search
    after the shortfall stage): HiGHS gave them no bound, and their values are > 0."""
    from dataclasses import replace

    from solver.results.report import make_tables
    from solver.solve.outcome import StageResult

    solved = api.solve(simple_case(tmp_path / "c.xlsx"))
    assert solved.summary["objective.cost"] > 0 and solved.summary["objective.presence"] > 0
    stages = [
        StageResult("shortfall.p1", "optimal", 0.0, 0.0),
        StageResult("cost", "not_solved"),
        StageResult("presence", "not_solved"),
    ]
    outcome = replace(solved.outcome, status="feasible", stages=stages)
    tables = make_tables(
        solved.data,
        solved.ctx,
        outcome,
        solved.options,
        backend="highs",
        highs_version="test",
        timings={},
    )
    summary = dict(tables.summary)
    assert summary["mip_gap"] == 1.0
    assert summary["stage.shortfall.p1.gap"] == 0.0
    assert summary["stage.cost.gap"] == 1.0 and summary["stage.presence.gap"] == 1.0
    console = click.unstyle(summary_lines(tables)[0])
    # the Summary keeps the fraction; the console says percent, and whose gap it is
    assert "shortfall proven optimal; gap 100% at cost and presence," in console
    # mip_gap is the largest stage's: the message says which stages are proven and which not
    # (those never solved as such: their gap in the Summary is 100%)
    assert summary["message"].startswith(
        "a limit stopped the search: the allocation is valid; proven optimal (within the MIP gap): "
        "shortfall.p1; "
        "not proven optimal: cost (not solved), presence (not solved); "
    )


def test_a_stage_not_solved_whose_value_is_0_has_gap_0(tmp_path: Path) -> None:
    """Nothing beats a cost of 0: a stage not solved at value 0 is honestly at gap 0."""
    from dataclasses import replace

    from solver.results.tables import stage_gaps, summary_gap
    from solver.solve.outcome import SolveOutcome, StageResult

    outcome = SolveOutcome(
        "feasible",
        None,
        [
            StageResult("shortfall.p1", "feasible", 2.0, 0.25),
            StageResult("cost", "not_solved"),
            StageResult("presence", "skipped", 0.0),
        ],
    )
    values = {"objective.shortfall.p1": 2.0, "objective.cost": 0.0, "objective.presence": 0.0}
    assert stage_gaps(outcome, values) == {"shortfall.p1": 0.25, "cost": 0.0, "presence": 0.0}
    assert summary_gap(outcome, values) == 0.25
    assert summary_gap(replace(outcome, stages=outcome.stages[1:]), {}) is None


def test_a_gap_within_the_solvers_tolerances_is_0() -> None:
    """A stage proven optimal whose bound HiGHS gives 4e-09 off its value (its tolerances) has
    gap 0, and so has the Summary's mip_gap when every stage is optimal (a trial read `gap
    <0.01%` beside every stage optimal; the docs say 0). A real gap stays."""
    from solver.results.tables import stage_gaps, summary_gap
    from solver.solve.outcome import SolveOutcome, StageResult

    outcome = SolveOutcome(
        "optimal",
        None,
        [StageResult("cost", "optimal", 5.0, 0.0), StageResult("presence", "optimal", 9.0, 4e-9)],
    )
    values = {"objective.cost": 5.0, "objective.presence": 9.0}
    assert stage_gaps(outcome, values) == {"cost": 0.0, "presence": 0.0}
    assert summary_gap(outcome, values) == 0.0
    outcome.stages[1].gap = 2e-5
    assert summary_gap(outcome, values) == 2e-5


def test_no_stage_proven_lists_each_with_its_gap() -> None:
    """Every stage stopped by a limit: the status line lists each with its gap, where it said
    `not proven optimal (see mip_gap)`, a Summary key the console does not show (a trial)."""
    from solver.results.report import _which_stages
    from solver.solve.outcome import SolveOutcome, StageResult

    outcome = SolveOutcome(
        "feasible",
        None,
        [StageResult("shortfall.p1", "feasible", 12.0, 0.25), StageResult("cost", "heuristic")],
    )
    values = {"objective.shortfall.p1": 12.0, "objective.cost": 40.0}
    assert _which_stages(outcome, values) == (
        "the allocation is valid; no stage proven optimal: shortfall.p1 (gap 25%), cost (gap 100%)"
    )


def test_a_stage_the_search_stopped_before_is_said_not_solved_not_at_a_gap() -> None:
    """Priority 2 and cost `not_solved` (the search stopped before them; their values are the
    start's): `(not solved)`, where `(gap 100%)` read as a stage searched (an analyst trial);
    presence, searched and stopped, keeps its gap."""
    from solver.results.report import _which_stages
    from solver.solve.outcome import SolveOutcome, StageResult

    outcome = SolveOutcome(
        "feasible",
        None,
        [
            StageResult("shortfall.p1", "optimal", 3.0, 0.0),
            StageResult("shortfall.p2", "not_solved", 5.0, 1.0),
            StageResult("cost", "not_solved", 40.0, 1.0),
            StageResult("presence", "feasible", 10.0, 0.2),
        ],
    )
    values = {"objective.shortfall.p2": 5.0, "objective.cost": 40.0, "objective.presence": 10.0}
    assert _which_stages(outcome, values) == (
        "the allocation is valid; proven optimal (within the MIP gap): shortfall.p1; not proven "
        "optimal: shortfall.p2 (not solved), cost (not solved), presence (gap 20%)"
    )
