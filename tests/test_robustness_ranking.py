"""The Robustness ranking of `--withdraw-each`: only withdrawals with an answer are ranked."""

from __future__ import annotations

import click

from solver.compare import error_view
from solver.compare.console import unproven_lines
from solver.compare.console_ranking import robustness_lines
from solver.compare.robustness_where import BETTER_THAN_BASE, BETTER_THAN_UNPROVEN
from solver.compare.tables import compare_views
from solver.compare.views import ScenarioView

from .compare_cases import planned


def not_run(name: str) -> ScenarioView:
    return error_view(name, "not run (terminated (SIGTERM))", status="not_run", generated=True)


def test_withdrawals_that_did_not_run_are_listed_after_the_ranked_ones_without_a_rank() -> None:
    views = [
        planned("base", 4, 2, generated=False),
        not_run("withdraw_DEU"),
        planned("withdraw_CZE", 2, 2),  # p1 shortfall 2 -> 4: harmful
        not_run("withdraw_FRA"),
        planned("withdraw_ITA", 4, 1),  # p2 shortfall 0 -> 1: less harmful
    ]
    rb = compare_views(views).robustness
    assert rb is not None
    assert rb["withdrawn"].tolist() == ["CZE", "ITA", "DEU", "FRA"]
    assert rb["rank"].tolist() == [1, 2, None, None]
    assert rb.at[0, "where"] == "S1/INF 4->2"
    assert rb.at[2, "where"] == "not run (terminated (SIGTERM))"

    lines = [click.unstyle(line) for line in robustness_lines(compare_views(views))]
    assert lines[1].startswith("   1. CZE ")
    assert lines[2].startswith("   2. ITA ")
    assert lines[3] == "  not ranked, not run (2 withdrawals): DEU, FRA"
    assert len(lines) == 4


def test_an_infeasible_withdrawal_still_ranks_worst_and_all_not_run_ranks_none() -> None:
    infeasible = ScenarioView(name="withdraw_POL", status="infeasible", generated=True)
    views = [planned("base", 4, 2, generated=False), planned("withdraw_CZE", 2, 2), infeasible]
    rb = compare_views(views).robustness
    assert rb is not None
    assert rb[["rank", "withdrawn"]].values.tolist() == [[1, "POL"], [2, "CZE"]]

    views = [planned("base", 4, 2, generated=False), not_run("withdraw_DEU")]
    lines = [click.unstyle(line) for line in robustness_lines(compare_views(views))]
    assert lines[1:] == [
        "  nothing to rank: no withdrawal gave an answer",
        "  not ranked, not run (1 withdrawal): DEU",
    ]


def test_a_withdrawal_better_than_base_says_why_it_can_be() -> None:
    """Base leaves S1 2 short at priority 1; the withdrawal of ITA found a plan 1 short. A
    withdrawal takes ITA's pledges away but also ITA's own caveats (a no_weakening of ITA's
    made lines hard): with base optimal that is why; with base not proven, base's search may be
    too. Either way it is ranked after the harmful one; CZE (S2 loses one) says only where it
    loses. (The remark once said a withdrawal cannot be better, and to raise the time or work limit,
    beside a base proven optimal.)"""
    for status, why in (("optimal", BETTER_THAN_BASE), ("feasible", BETTER_THAN_UNPROVEN)):
        base = planned("base", 4, 2, generated=False)
        base.status = status
        views = [base, planned("withdraw_ITA", 5, 2), planned("withdraw_CZE", 4, 1)]
        rb = compare_views(views).robustness
        assert rb is not None
        assert rb["withdrawn"].tolist() == ["CZE", "ITA"]
        assert rb.at[0, "where"] == "S2/INF 2->1"
        assert rb.at[1, "where"] == f"{why}; gains: S1/INF 4->5"
    assert "raise the time or work limit" not in BETTER_THAN_BASE
    assert "caveats" in BETTER_THAN_BASE and "raise the time or work limit" in BETTER_THAN_UNPROVEN


def test_a_withdrawal_from_a_period_on_or_beside_an_edited_base_says_so() -> None:
    """A withdrawal from a period on lifts the nation's caveats from that period: that, or the
    MIP gap, beside an optimal base; that, or base not proven, beside one stopped by a limit.
    Beside a base edited by hand, that is why."""
    from solver.compare.robustness_where import (
        BETTER_FROM_A_PERIOD,
        BETTER_FROM_A_PERIOD_UNPROVEN,
        BETTER_THAN_EDITED,
    )

    cases = (
        ("optimal", False, BETTER_FROM_A_PERIOD),
        ("feasible", False, BETTER_FROM_A_PERIOD_UNPROVEN),
        ("optimal", True, BETTER_THAN_EDITED),
    )
    for status, edited, why in cases:
        base = planned("base", 4, 2, generated=False)
        base.status, base.edited = status, edited
        views = [base, planned("withdraw_ITA_after_P2", 5, 2)]
        rb = compare_views(views).robustness
        assert rb is not None
        assert rb.at[0, "where"] == f"{why}; gains: S1/INF 4->5", (status, edited)
    assert "from that period on" in BETTER_FROM_A_PERIOD and "MIP gap" in BETTER_FROM_A_PERIOD
    assert "raise the time or work limit" in BETTER_FROM_A_PERIOD_UNPROVEN


def test_compare_says_which_plans_are_not_proven_optimal() -> None:
    """A comparison of plans stopped by a limit: the differences may be the search's."""
    base = planned("base", 4, 2, generated=False)
    other = planned("withdraw_ITA", 4, 1)
    assert unproven_lines(compare_views([base, other])) == []
    base.status, other.status = "feasible", "optimal"
    lines = [click.unstyle(line) for line in unproven_lines(compare_views([base, other]))]
    assert lines == [
        "not proven optimal: base: a difference may come from where the search stopped, not "
        "from the scenario (raise the time or work limit)"
    ]


def test_where_names_the_lines_that_gain_beside_those_that_lose() -> None:
    """Withdrawing CZE moves a unit from S1 (4 -> 3) to S2 (1 -> 2): `where` lists the loss and
    then the gain, so a reshuffle does not read as pure harm; the console counts the gains and
    leaves them to the sheet. A withdrawal that only loses says nothing of gains."""
    views = [
        planned("base", 4, 1, generated=False),
        planned("withdraw_CZE", 3, 2),
        planned("withdraw_ITA", 4, 0),
    ]
    cmp = compare_views(views)
    rb = cmp.robustness
    assert rb is not None
    where = dict(zip(rb["withdrawn"], rb["where"], strict=True))
    assert where == {"CZE": "S1/INF 4->3; gains elsewhere: S2/INF 1->2", "ITA": "S2/INF 1->0"}
    lines = [click.unstyle(line) for line in robustness_lines(cmp)]
    assert lines[1] == "   1. CZE    p1 +1, p2 -1; S1/INF 4->3; 1 line gains (Robustness sheet)"
    assert lines[2] == "   2. ITA    p1 +0, p2 +1; S2/INF 1->0"


def test_a_stable_withdrawal_whose_changes_are_not_proven_fewest_doubts_its_moves() -> None:
    """A stable sweep re-plans each withdrawal from base's plan, its `changes` stage keeping
    the moves to those the withdrawal forces. CZE's changes stage ended `feasible` (a work
    limit): its `where` says that some moves may be the search's before listing them (a review:
    they read as the withdrawal's). ITA's, proven, lists its moves alone."""
    base = planned("base", 4, 2, generated=False)
    cze, ita = planned("withdraw_CZE", 2, 2), planned("withdraw_ITA", 4, 1)
    for view, status in ((cze, "feasible"), (ita, "optimal")):
        view.summary = {"stage.shortfall.p1.status": "optimal", "stage.changes.status": status}
    rb = compare_views([base, cze, ita]).robustness
    assert rb is not None
    assert rb["where"].tolist() == [
        "changes not proven the fewest (stage changes feasible): some of the moves below may be "
        "the search's, not the withdrawal's (raise the time or work limit); S1/INF 4->2",
        "S2/INF 2->1",
    ]


def test_the_lines_a_withdrawal_loses_are_said_by_priority_then_the_largest_loss() -> None:
    """A trial's sweep listed `Dnipro/AD_BTY 17->16` (priority 1, -1) and three priority-2 and
    -3 lines before the priority-1 losses of -15 and -14 that decided the rank, which it hid
    behind `+12 more`: by name. Now by priority, then the largest loss, then name; the
    gains likewise."""
    import pandas as pd

    from solver.compare.robustness_where import moves

    keys = pd.MultiIndex.from_tuples(
        [("A", "LOG"), ("B", "AD"), ("C", "AD"), ("D", "AD"), ("E", "INF"), ("F", "INF")]
    )
    base = pd.Series([48, 17, 54, 21, 0, 1], index=keys)
    now = pd.Series([33, 16, 40, 6, 2, 5], index=keys)
    priority = pd.Series([3, 1, 1, 1, 2, 1], index=keys)
    lost, gained = moves(base, now, priority)
    assert lost == ["D/AD 21->6", "C/AD 54->40", "B/AD 17->16", "A/LOG 48->33"]
    assert gained == ["F/INF 1->5", "E/INF 0->2"]


def test_withdrawals_that_change_no_shortfall_are_said_apart_with_their_cost() -> None:
    """withdraw_CZE leaves S1 short (p1 +2); withdraw_DEU and withdraw_ITA change no shortfall
    but cost 20 and 5 more. A trial's sweep listed such withdrawals among those that `hurt
    most`, `p1 +0, p2 +0` and no reason, once as the first; they follow under their own
    heading now, ranked by cost as the Robustness sheet ranks them."""
    views = [planned("base", 4, 2, generated=False)]
    views += [planned("withdraw_CZE", 2, 2), planned("withdraw_DEU", 4, 2)]
    views += [planned("withdraw_ITA", 4, 2)]
    for view, cost in zip(views, [100.0, 100.0, 120.0, 105.0], strict=True):
        view.stages["objective.cost"] = cost
    lines = [click.unstyle(line) for line in robustness_lines(compare_views(views))]
    assert lines[1].startswith("   1. CZE    p1 +2, p2 +0; S1/INF 4->2")
    assert lines[2] == "  no shortfall change, ranked by cost (2 withdrawals):"
    assert lines[3] == "   2. DEU    p1 +0, p2 +0, cost +20; no line loses units"
    assert lines[4] == "   3. ITA    p1 +0, p2 +0, cost +5; no line loses units"


def test_where_no_withdrawal_changes_the_shortfall_the_heading_says_none() -> None:
    """Both withdrawals keep every priority's shortfall: the heading of those that hurt most
    stood over nothing, and the cost group below it read as its ranking (a review)."""
    views = [planned("base", 4, 2, generated=False)]
    views += [planned("withdraw_DEU", 4, 2), planned("withdraw_ITA", 4, 2)]
    for view, cost in zip(views, [100.0, 120.0, 105.0], strict=True):
        view.stages["objective.cost"] = cost
    lines = [click.unstyle(line) for line in robustness_lines(compare_views(views))]
    assert lines[1:3] == [
        "  none: no withdrawal changes any priority's shortfall",
        "  no shortfall change, ranked by cost (2 withdrawals):",
    ]
