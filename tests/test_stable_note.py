"""A stable sweep's scenario note (sweep/stable_note.py): that the changes against base are
those the scenario forces holds only where the stages up to `changes` are proven."""

from __future__ import annotations

from solver.sweep.stable_note import SCENARIO_NOTE, scenario_note


def test_every_stage_up_to_changes_proven_keeps_the_note() -> None:
    summary = {
        "status": "feasible",
        "objective.shortfall.p1": 0,
        "stage.shortfall.p1.status": "optimal",
        "stage.changes.status": "optimal",
        "stage.cost.status": "feasible",  # after changes: not what the note speaks of
        "stage.cost.gap": 0.2,
    }
    assert scenario_note(SCENARIO_NOTE, summary) == SCENARIO_NOTE


def test_an_unproven_stage_before_or_at_changes_is_named_with_its_gap() -> None:
    summary = {
        "status": "feasible",
        "objective.shortfall.p1": 3,
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "skipped",
        "stage.shortfall.p3.status": "feasible",
        "stage.shortfall.p3.gap": 0.036,
        "stage.changes.status": "feasible",
        "stage.changes.gap": 1,
        "stage.cost.status": "feasible",
    }
    assert scenario_note(SCENARIO_NOTE, summary) == (
        "re-planned with base's plan as its baseline (sweep --stable), but shortfall.p3 "
        "(gap 3.6%), changes (gap 100%) are not proven: some changes against base may be the "
        "search's, not the scenario's (raise the work or time limit)"
    )


def test_another_note_is_left_as_it_is() -> None:
    assert scenario_note("a note", {"stage.changes.status": "feasible"}) == "a note"


def test_a_scenario_without_a_plan_keeps_the_note() -> None:
    """An infeasible scenario's stages are not solved, but it has no changes to doubt, nor a
    limit to raise (a review)."""
    summary = {"status": "infeasible", "stage.shortfall.p1.status": "not_solved"}
    assert scenario_note(SCENARIO_NOTE, summary) == SCENARIO_NOTE


def test_an_interrupted_or_out_of_memory_scenario_is_doubted_and_says_why() -> None:
    """A scenario interrupted in its changes stage (a fault trial: 344 unit-months of changes
    against 72 in a whole run, said to be those the scenario forces), and one out of memory in
    priority 2: each names the stages not proven and why, not a limit to raise."""
    interrupted = {
        "status": "interrupted",
        "objective.shortfall.p1": 0,
        "stage.shortfall.p1.status": "optimal",
        "stage.changes.status": "interrupted",
        "stage.changes.gap": 1,
    }
    assert scenario_note(SCENARIO_NOTE, interrupted) == (
        "re-planned with base's plan as its baseline (sweep --stable), but changes (gap 100%) "
        "is not proven: some changes against base may be the search's, not the scenario's (it "
        "was interrupted)"
    )
    memory = {
        "status": "feasible",
        "objective.shortfall.p1": 2.5,
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "feasible",
        "stage.shortfall.p2.stopped": "memory",
        "stage.changes.status": "not_solved",
    }
    assert scenario_note(SCENARIO_NOTE, memory).endswith(
        "shortfall.p2, changes are not proven: some changes against base may be the search's, "
        "not the scenario's (it ran out of memory)"
    )


def test_a_scenario_interrupted_before_any_plan_keeps_the_note() -> None:
    """Interrupted before its first plan: no values, no changes to doubt (a review saw its
    `changes` said not proven)."""
    summary = {
        "status": "interrupted",
        "objective.shortfall.p1": None,
        "stage.shortfall.p1.status": "no_solution",
        "stage.changes.status": "not_solved",
    }
    assert scenario_note(SCENARIO_NOTE, summary) == SCENARIO_NOTE
