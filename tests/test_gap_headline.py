"""The headline's gap (console status line, the briefing's banner): a trial's 2,201-column timed
plan read `feasible, gap 92.3%` although every shortfall stage was proven; only presence (92.3%)
and cost (13.2%) were not. A commander read that as doubt about the coverage."""

from __future__ import annotations

from solver.wording import gap_headline

PROVEN_SHORTFALL = {
    "status": "feasible",
    "mip_gap": 0.923,
    "stage.shortfall.p1.status": "optimal",
    "stage.shortfall.p2.status": "optimal",
    "stage.shortfall.p3.status": "skipped",
    "stage.cost.status": "feasible",
    "stage.cost.gap": 0.132,
    "stage.presence.status": "feasible",
    "stage.presence.gap": 0.923,
}


def test_proven_shortfall_is_said_first_with_the_stage_of_the_gap() -> None:
    assert gap_headline(PROVEN_SHORTFALL) == "shortfall proven optimal; gap 92.3% at presence"


def test_an_open_shortfall_stage_leads_the_largest_gap() -> None:
    """p2 stopped before its proof: it leads (the largest gap, presence's, hid that the
    coverage itself is not proven: an analyst trial), with its gap when it has one."""
    unproven = {**PROVEN_SHORTFALL, "stage.shortfall.p2.status": "feasible"}
    assert gap_headline(unproven) == "shortfall.p2 not proven; gap 92.3% at presence"
    with_gap = {**unproven, "stage.shortfall.p2.gap": 0.0213}
    assert gap_headline(with_gap) == "shortfall.p2 not proven, gap 2.13%; gap 92.3% at presence"
    # its gap the largest, with later stages' as large: said once (a README trial's stop in
    # priority 1 read `shortfall.p1 not proven, gap 100%; gap 100% at cost and presence`)
    whole = {**with_gap, "mip_gap": 1.0, "stage.shortfall.p2.gap": 1.0}
    whole |= {"stage.cost.gap": 1.0, "stage.presence.gap": 1.0}
    assert gap_headline(whole) == "shortfall.p2 not proven, gap 100%"


def test_otherwise_the_gap_alone() -> None:
    no_stages = {"status": "feasible", "mip_gap": 0.923}
    assert gap_headline(no_stages) == "gap 92.3%"
    assert gap_headline({**PROVEN_SHORTFALL, "status": "optimal", "mip_gap": 0}) == "gap 0%"
    assert gap_headline({"status": "feasible", "mip_gap": None}) == "gap -"
    # a gap no stage row gives (the Summary's own) names no stage; a tie names both
    odd = {**PROVEN_SHORTFALL, "mip_gap": 0.5}
    assert gap_headline(odd) == "shortfall proven optimal; gap 50%"
    tie = {**PROVEN_SHORTFALL, "stage.cost.gap": 0.923}
    assert gap_headline(tie) == "shortfall proven optimal; gap 92.3% at cost and presence"


def test_the_banner_uses_it() -> None:
    from pathlib import Path

    from solver.outputs.load import Output
    from solver.report.status import status_view

    sentence = status_view(Output(Path("plan.xlsx"), PROVEN_SHORTFALL, {})).text
    assert sentence.startswith(
        "Feasible (shortfall proven optimal; gap 92.3% at presence): a valid plan, not proven "
        "optimal at every stage"
    )


def test_three_stages_of_one_gap_read_as_a_list() -> None:
    replan = {**PROVEN_SHORTFALL, "stage.cost.gap": 0.923, "stage.changes.status": "feasible"}
    replan["stage.changes.gap"] = 0.923
    assert gap_headline(replan) == (
        "shortfall proven optimal; gap 92.3% at cost, presence and changes"
    )


def test_a_stop_after_the_shortfall_was_proven_says_so() -> None:
    """Ctrl-C in the timed example's cost stage read `interrupted (gap 100%)`, its three
    shortfall stages proven."""
    stopped = {**PROVEN_SHORTFALL, "status": "interrupted", "mip_gap": 1.0}
    stopped |= {"stage.cost.gap": 1.0, "stage.presence.status": "not_solved"}
    stopped["stage.presence.gap"] = 1.0
    assert gap_headline(stopped) == "shortfall proven optimal; gap 100% at cost and presence"
    early = {**stopped, "stage.shortfall.p2.status": "not_solved"}
    assert gap_headline(early) == "shortfall.p2 not optimised; gap 100% at cost and presence"


def test_the_banner_of_a_stopped_solve_says_what_was_proven() -> None:
    from pathlib import Path

    from solver.outputs.load import Output
    from solver.report.status import status_view

    stopped = {**PROVEN_SHORTFALL, "status": "interrupted", "stage.cost.stopped": "interrupted"}
    view = status_view(Output(Path("plan.xlsx"), stopped, {"Allocation": None}))
    assert view.css == "warn"
    assert view.text == (
        "Interrupted (shortfall proven optimal; gap 92.3% at presence): the best plan found "
        "before the stop. Stages not proven: cost (gap 13.2%, interrupted); presence (gap 92.3%)"
    )
