"""comparison.xlsx's headers: a scenario's name never takes a fixed column's place, and a
timed sweep's counts are named unit-months and person-months (solver/compare/workbook.py).

World: tests/compare_cases.py's two lines and contributor A."""

from __future__ import annotations

import click
import pandas as pd

from solver.compare import error_view
from solver.compare.console_ranking import robustness_lines
from solver.compare.tables import compare_views
from solver.compare.views import ScenarioView
from solver.compare.workbook import comparison_sheets

from .compare_cases import planned


def sheets(views: list[ScenarioView], timed: bool | None = None) -> dict[str, pd.DataFrame]:
    return {s.title: s.frame for s in comparison_sheets(compare_views(views, timed=timed))}


def test_a_scenario_named_like_a_fixed_column_gets_a_column_of_its_own() -> None:
    """A scenario `required` used to overwrite the Sites sheet's `required` (base's 6 became
    its allocation, 5); it is `required (2)` now. Scenario `more` requires 8 at S1: its
    requirement column `required more` and scenario `required more`'s allocation both keep
    their values."""
    views = [
        planned("base", 4, 2, generated=False),
        planned("required", 5, 2, generated=False),
        planned("more", 6, 2, required=8, generated=False),
        planned("required more", 3, 1, generated=False),
    ]
    sites = sheets(views)["Sites"].set_index("site")
    assert sites.loc["S1", "required"] == 6
    assert sites.loc["S1", "required (2)"] == 5
    assert sites.loc["S1", "required more"] == 3  # the scenario's allocation, first in place
    assert sites.loc["S1", "required more (2)"] == 8  # more's requirement


def test_a_timed_comparison_names_unit_months_but_never_a_scenarios_own_words() -> None:
    """Timed: the requirement columns become `required_unit_months ...`; scenario `required
    more`'s allocation column keeps its name. Changes: base's and the scenario's unit-months
    (not `unit_months`, which in a re-planned output is a change's size)."""
    views = [
        planned("base", 4, 2, timed=True, generated=False),
        planned("more", 6, 2, required=8, timed=True, generated=False),
        planned("required more", 3, 1, timed=True, generated=False),
    ]
    got = sheets(views)
    assert list(got["Sites"].columns[:7]) == [
        "site",
        "capability",
        "priority",
        "required_unit_months",
        "base",
        "more",
        "required more",
    ]
    assert "required_unit_months more (2)" in got["Sites"].columns
    assert list(got["Changes"].columns[5:]) == [
        "base_unit_months",
        "scenario_unit_months",
        "Δ unit_months",
        "base_person_months",
        "scenario_person_months",
    ]
    assert "required more unit_months" in got["Contributors"].columns


def test_a_timed_sweep_whose_every_scenario_failed_still_says_unit_months() -> None:
    """No timed view finished (each is an error view, which knows nothing of time): the sweep
    says the comparison is timed, and the headers follow it."""
    views = [error_view("base", "stopped"), error_view("more", "stopped")]
    scenarios = sheets(views, timed=True)["Scenarios"]
    assert "required_unit_months" in scenarios.columns
    assert "required_units" not in scenarios.columns
    assert "required_units" in sheets(views)["Scenarios"].columns


def test_a_withdrawal_that_only_gains_says_gains_and_the_console_counts_them() -> None:
    """withdraw_CZE puts a third unit at S2 (2 -> 3, beyond its need) and loses nowhere: `where` says `gains:`
    (no 'elsewhere' without a loss), and the console says no line loses and 1 gains."""
    views = [planned("base", 4, 2, generated=False), planned("withdraw_CZE", 4, 3)]
    cmp = compare_views(views)
    assert cmp.robustness is not None
    assert cmp.robustness.at[0, "where"] == "gains: S2/INF 2->3"
    lines = [click.unstyle(line) for line in robustness_lines(cmp)]
    assert lines[1] == "  none: no withdrawal changes any priority's shortfall"
    assert lines[2] == "  no shortfall change, ranked by cost (1 withdrawal):"
    assert lines[3].endswith("no line loses units; 1 line gains (Robustness sheet)"), lines


def test_the_ranking_shows_the_weighted_shortfall_it_ranks_by() -> None:
    """Withdrawing A leaves S1 1 unit short at weight 3 (3 weighted), withdrawing B 2 units of
    weight 1 (2): A hurts more, as the objective counts, and the console shows 3 and 2. It used
    to show the units (+1 above +2), an order the numbers did not explain; the sheet keeps both."""
    base = planned("base", 6, 2, generated=False)
    a = planned("withdraw_A", 5, 2)
    a.stages["objective.shortfall.p1"] = 3.0
    b = planned("withdraw_B", 4, 2)
    cmp = compare_views([base, a, b])
    lines = [click.unstyle(line) for line in robustness_lines(cmp)]
    assert lines[1].startswith("   1. A      p1 +3, p2 +0; S1/INF 6->5")
    assert lines[2].startswith("   2. B      p1 +2, p2 +0; S1/INF 6->4")
    assert cmp.robustness is not None
    sheet = cmp.robustness.set_index("withdrawn")
    assert sheet.loc["A", ["Δ objective.shortfall.p1", "Δ shortfall_units.p1"]].tolist() == [3, 1]


def test_the_ranking_says_which_plans_a_limit_stopped() -> None:
    """Base proven, withdraw_B stopped by the limit (feasible): B's changes at the stages it
    did not prove are marked `~` in its line (each stage's own: a trial read `p2 +30, p3 +27
    (not proven)` as p2 proven) and B is named under the ranking as not proven (its shortfall
    may be the search's), unless its Summary says every shortfall stage was proven; with
    every plan proven, nothing."""
    base = planned("base", 6, 2, generated=False)
    a = planned("withdraw_A", 5, 2)
    b = planned("withdraw_B", 4, 2)
    b.status = "feasible"
    lines = [click.unstyle(line) for line in robustness_lines(compare_views([base, a, b]))]
    assert lines[-1].startswith("  not proven optimal: B: a shortfall marked ~ (at or after a")
    assert lines[1].startswith("   1. B      p1 +2~, p2 +0; S1/INF 6->4")
    sheet = compare_views([base, a, b]).robustness
    assert sheet is not None and sheet.set_index("withdrawn").at["B", "not_proven"] == "p1"
    assert lines[2].startswith("   2. A      p1 +1, p2 +0; S1/INF 6->5")
    # its shortfall proven, its cost not (a sweep of the timed example's 60 s): no doubt said
    b.summary = {"stage.shortfall.p1.status": "optimal", "stage.shortfall.p2.status": "skipped"}
    b.summary["stage.cost.status"] = "feasible"
    lines = [click.unstyle(line) for line in robustness_lines(compare_views([base, a, b]))]
    assert not any("not proven" in line for line in lines)
    b.summary["stage.shortfall.p2.status"] = "feasible"
    b.stages["objective.shortfall.p2"] = 1.0  # p2 short by 1 more, not proven: marked; p1 not
    cmp = compare_views([base, a, b])
    lines = [click.unstyle(line) for line in robustness_lines(cmp)]
    assert lines[1].startswith("   1. B      p1 +2, p2 +1~; S1/INF 6->4")
    assert lines[-1].startswith("  not proven optimal: B:")
    # the Robustness sheet says which changes the console marks (an analyst trial found the
    # sheet's ranking without them: its first rank was a search's, not the withdrawal's)
    assert cmp.robustness is not None
    assert cmp.robustness.set_index("withdrawn")["not_proven"].to_dict() == {"B": "p2", "A": ""}
    b.stages["objective.shortfall.p2"] = 0.0
    # the search stopped before priority 2 ran: its shortfall is the start's (a trial saw one
    # ranked second by what no stage had tried to lower)
    b.summary["stage.shortfall.p2.status"] = "not_solved"
    lines = [click.unstyle(line) for line in robustness_lines(compare_views([base, a, b]))]
    assert lines[1].startswith("   1. B      p1 +2, p2 +0 (not optimised); S1/INF 6->4")
    sheet = compare_views([base, a, b]).robustness
    assert sheet is not None
    assert sheet.set_index("withdrawn").loc["B", "where"] == (
        "not optimised: the search stopped before its shortfall stage p2 ran, so its shortfall "
        "there is its start's (raise the time or work limit); S1/INF 6->4"
    )
    b.status = "optimal"
    b.summary["stage.shortfall.p2.status"] = "skipped"
    lines = [click.unstyle(line) for line in robustness_lines(compare_views([base, a, b]))]
    assert not any("not proven" in line for line in lines)


def test_a_withdrawal_that_changes_nothing_is_said_with_its_reason_unless_it_has_no_plan() -> None:
    """withdraw_A_after_P(2) (a period name ending in a bracket) whose note says it changes
    nothing: not ranked, its `where` the note's reason whole; the same withdrawal solved without
    a plan is the worst of all, as any (its note aside): ranked last, `no plan (infeasible)`."""
    base = planned("base", 6, 2, generated=False)
    a = planned("withdraw_A_after_P(2)", 6, 2)
    a.summary = {
        "note.1": "generated scenario withdraw_A_after_P(2): A leaves after P(2) (0 pledges ended "
        "there; it changes nothing: none of A's pledges runs past P(2); others' caveats "
        "unchanged)"
    }
    b = planned("withdraw_B", 4, 2)
    sheet = compare_views([base, a, b]).robustness
    assert sheet is not None
    row = sheet.set_index("withdrawn").loc["A_after_P(2)"]
    assert pd.isna(row["rank"])
    assert row["where"] == "it changes nothing (none of A's pledges runs past P(2)): not ranked"
    a.status = "infeasible"
    sheet = compare_views([base, a, b]).robustness
    assert sheet is not None
    assert sheet.set_index("withdrawn").loc["A_after_P(2)", "where"] == "no plan (infeasible)"


def test_a_withdrawal_that_changes_nothing_yet_beats_base_says_base_is_not_at_its_best() -> None:
    """base (S1 4, S2 2: p1 2); withdraw_A_after_P(2), which changes nothing, found S1 6, S2 2
    (p1 0): its plan is base's problem, so base is at least 2 from its best at priority 1 and a
    ranked change of that size may be the search's (an analyst trial: NLD's `changes nothing`
    beside p3 -4 was never said). One that is worse than base (S1 3: p1 +1) says nothing: a
    search of the same problem stopped elsewhere."""
    base = planned("base", 4, 2, generated=False)
    note = (
        "generated scenario withdraw_A_after_P(2): A leaves after P(2) (0 pledges ended there; "
        "it changes nothing: none of A's pledges runs past P(2); others' caveats unchanged)"
    )
    a = planned("withdraw_A_after_P(2)", 6, 2)
    a.summary = {"note.1": note}
    b = planned("withdraw_B", 2, 2)
    lines = [click.unstyle(line) for line in robustness_lines(compare_views([base, a, b]))]
    assert lines[-1] == (
        "  A_after_P(2) changes nothing, yet its plan is better than base's (p1 -2): base's "
        "shortfall is at least that far from its best, and a ranked change of that size may be "
        "the search's"
    )
    worse = planned("withdraw_A_after_P(2)", 3, 2)
    worse.summary = {"note.1": note}
    lines = [click.unstyle(line) for line in robustness_lines(compare_views([base, worse, b]))]
    assert not any("changes nothing, yet" in line for line in lines)


def test_a_change_beside_a_figure_shown_whole_is_shown_whole() -> None:
    """A cost of 85,542,352.4 against 85,539,730.69: shown whole (85,542,352 and 85,539,731),
    so its change is that of the figures shown, +2,621, not +2,621.71 (a trial) nor the
    +2,622 of the change rounded (a briefing trial: -6,151,305 beside 20,618,315 against
    26,769,619). A small figure keeps its decimals (2.5 against 2: +0.50)."""
    from solver.compare.console import _change

    assert _change(85_542_352.4, 85_542_352.4 - 85_539_730.69) == "+2,621"
    assert _change(20_618_314.845, 20_618_314.845 - 26_769_619.445) == "-6,151,304"
    assert _change(2.5, 0.5) == "+0.50"
    assert _change(91.0, -0.23, fixed=True) == "-0.23"


def test_a_shortfall_stage_of_ten_thousand_and_more_keeps_its_halves() -> None:
    """Weighted unit-months of weights 0.5 end in .5: 13,684.5 was shown 13,684 (Python rounds
    the half to even) beside 7,909.50, and its change against 13,471.5 as -212 where it is
    -213 (a scale trial). Every column but the cost's shows its decimals however large."""
    from solver.compare.console import _cell, _change, _num, exact_figures

    assert exact_figures("objective.shortfall.p3") and not exact_figures("objective.cost")
    assert _num(13_684.5, exact=True) == "13,684.50" and _num(13_684.5) == "13,684"
    assert _change(13_471.5, -213.0, exact=True) == "-213"
    assert click.unstyle(_cell(13_471.5, -213.0, 20, True, exact=True)).strip() == (
        "13,471.50 (-213)"
    )
    assert _change(1_879_991_608.4, 62_639_159.3) == "+62,639,159"  # a cost: whole, as before


def test_a_withdrawal_without_a_plan_is_not_said_not_optimised() -> None:
    """withdraw_B infeasible, its Summary's shortfall stages `not_solved` (no plan, so none ran):
    ranked worst with `no plan (infeasible)`, not marked `(not optimised)` on the console nor
    in the sheet, which say the search stopped too soon (a trial: `FRA p1 -, p2 -, p3 - (not
    optimised); no plan (infeasible)`). A plan whose shortfall stages did not run keeps it."""
    base = planned("base", 6, 2, generated=False)
    b = planned("withdraw_B", 4, 2)
    b.status = "infeasible"
    b.summary = {f"stage.shortfall.p{p}.status": "infeasible" for p in (1, 2)}
    cmp = compare_views([base, b])
    lines = [click.unstyle(line) for line in robustness_lines(cmp)]
    ranked = [line for line in lines if "B " in line and "infeasible" in line]
    assert ranked and "not optimised" not in ranked[0], lines
    assert "~" not in ranked[0], lines  # its blank figures are no change to doubt (a review)
    assert cmp.robustness is not None
    assert cmp.robustness.set_index("withdrawn").loc["B", "where"] == "no plan (infeasible)"
    b.status = "feasible"
    b.summary = {f"stage.shortfall.p{p}.status": "not_solved" for p in (1, 2)}
    lines = [click.unstyle(line) for line in robustness_lines(compare_views([base, b]))]
    assert any("B " in line and "(not optimised)" in line for line in lines), lines


def test_the_first_difference_is_unknown_behind_a_blank() -> None:
    """A withdrawal's p1 delta blank (its Summary lacks the stage) and p2 -4: the first priority
    where it differs from base is not known, so nothing is said of base (a review saw the p2
    -4 said); with p1 0 it is p2's -4."""
    import math

    from solver.compare.noise_floor import _first_difference
    from solver.compare.tables import DELTA

    keys = [f"{DELTA}objective.shortfall.p{p}" for p in (1, 2)]
    assert _first_difference(pd.Series({keys[0]: math.nan, keys[1]: -4.0}), [1, 2]) is None
    assert _first_difference(pd.Series({keys[0]: 0.0, keys[1]: -4.0}), [1, 2]) == (2, -4.0)
    assert _first_difference(pd.Series({keys[0]: 0.0, keys[1]: 0.0}), [1, 2]) is None
