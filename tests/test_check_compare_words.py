"""What `check` says when an answer moved (solver/check/compare.py), from a CI trial: a
conflict compared as a set, a failure on the model's size alone, and an answer that became (or
stopped being) infeasible said in a few lines, not one per line of the plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.check.compare import (
    FAIL,
    NO_PLAN_TO_COMPARE,
    NOTE,
    ONLY_THE_MODEL_MOVED,
    compare,
)
from solver.check.pin_sums import check_sums
from solver.check.pins import PinError

FEASIBLE = {
    "status": "optimal",
    "objective": {"shortfall.p1": 0, "cost": 10.0},
    "model": {"constraints": 47, "variables": 20},
    "coverage": {
        "S1/INF": {"required": 2, "allocated": 2},
        "S2/INF": {"required": 1, "allocated": 1},
    },
    "contributors": {"A": {"units": 3}},
    "allocation": {"A/INF/S1": {"units": 2}, "A/INF/S2": {"units": 1}},
}
INFEASIBLE = {
    "status": "infeasible",
    "objective": {},
    "model": {"constraints": 47, "variables": 20},
    "conflict": ["hard:S1/INF", "pledge:A/INF"],
}


def said(pinned: dict, current: dict) -> list[tuple[str, str]]:
    return [(f.level, f.text) for f in compare(pinned, current, mip_gap=1e-4)]


def test_a_conflict_is_compared_as_a_set() -> None:
    """The same rule ids in another order (a pin edited by hand) moved nothing; another set
    fails, sorted both sides; an empty pinned conflict reads `none`, not an empty list."""
    reordered = {**INFEASIBLE, "conflict": ["pledge:A/INF", "hard:S1/INF"]}
    assert said(INFEASIBLE, reordered) == []
    moved = {**INFEASIBLE, "conflict": ["pledge:B/INF", "hard:S2/INF"]}
    assert said(INFEASIBLE, moved) == [
        (FAIL, "conflict: pinned hard:S1/INF, pledge:A/INF; now hard:S2/INF, pledge:B/INF")
    ]
    empty = {**INFEASIBLE, "conflict": []}
    assert said(empty, INFEASIBLE) == [
        (FAIL, "conflict: pinned none; now hard:S1/INF, pledge:A/INF")
    ]


def test_an_answer_that_became_infeasible_is_said_in_few_lines() -> None:
    """Status and the stages that have no value now, then one line for the rest: not a line per
    coverage row (every line at 0) and contributor."""
    assert said(FEASIBLE, INFEASIBLE) == [
        (FAIL, "status pinned optimal, now infeasible"),
        (FAIL, "objective.shortfall.p1 pinned 0, now none"),
        (FAIL, "objective.cost pinned 10, now none"),
        (FAIL, NO_PLAN_TO_COMPARE),
    ]
    assert said(INFEASIBLE, FEASIBLE)[-1] == (FAIL, NO_PLAN_TO_COMPARE)


def test_a_failure_on_the_models_size_alone_says_the_answer_held() -> None:
    """Two more rows in the model, everything else the same: the size fails (a new forcegen's
    model is worth a look), with a note that the answer held; with the coverage moved too, no
    such note."""
    bigger = {**FEASIBLE, "model": {"constraints": 49, "variables": 20}}
    assert said(FEASIBLE, bigger) == [
        (FAIL, "model.constraints pinned 47, now 49"),
        (NOTE, ONLY_THE_MODEL_MOVED),
    ]
    short = {
        **bigger,
        "coverage": {**FEASIBLE["coverage"], "S2/INF": {"required": 1, "allocated": 0}},
    }
    assert (NOTE, ONLY_THE_MODEL_MOVED) not in said(FEASIBLE, short)


def test_a_smallest_change_that_moved_fails() -> None:
    """The same conflict's rules, but what must give way grew from 1 to 3 (a CI trial's added
    caveat): a failure; a pin without it (an older forcegen) or a run that did not prove it, a
    note."""
    pinned = {**INFEASIBLE, "smallest_change": 1}
    assert said(pinned, {**INFEASIBLE, "smallest_change": 3}) == [
        (
            FAIL,
            "smallest change pinned 1, now 3 (what must give way, each rule's amount in its own "
            "unit, added up)",
        )
    ]
    assert said(pinned, dict(pinned)) == []
    assert [level for level, _ in said(INFEASIBLE, pinned)] == [NOTE]
    assert [level for level, _ in said(pinned, INFEASIBLE)] == [NOTE]


def test_the_model_size_note_is_not_said_beside_a_moved_conflict() -> None:
    """An infeasible scenario whose model grew and whose conflict and smallest change moved:
    three failures, and no note that the answer held (a review: the note was decided before
    the conflict was compared)."""
    pinned = {**INFEASIBLE, "smallest_change": 1}
    now = {
        **INFEASIBLE,
        "model": {"constraints": 49, "variables": 20},
        "conflict": ["caveat:K1", "hard:S1/INF", "pledge:A/INF"],
        "smallest_change": 3,
    }
    found = said(pinned, now)
    assert [level for level, _ in found] == [FAIL, FAIL, FAIL]
    assert (NOTE, ONLY_THE_MODEL_MOVED) not in found


def test_no_plan_either_side_is_not_said_one_side() -> None:
    """Pinned infeasible, now without a plan in time: neither side has a plan, so no line
    says one side has one; pinned with a plan, now none in time: said so, in one line."""
    none = {"status": "no_solution", "objective": {}, "model": INFEASIBLE["model"]}
    assert (FAIL, NO_PLAN_TO_COMPARE) not in said(INFEASIBLE, none)
    assert said(FEASIBLE, {**none, "model": FEASIBLE["model"]})[-1] == (FAIL, NO_PLAN_TO_COMPARE)


def test_a_pin_whose_allocation_does_not_add_up_to_its_coverage_fails() -> None:
    """A CI trial emptied a pin's allocation: the coverage, stages and contributors held, so
    the run read as `an equally good plan`, a pass. A plan's allocation adds up to its coverage,
    line by line (S1's 2 units, S2's 1); the pin's 0 does not: it is refused when loaded,
    saying where (`pin_sums.check_sums`). Another plan as good (one of S1's units B's, adding
    up line by line) is still a note."""
    emptied = {**FEASIBLE, "allocation": {}}
    with pytest.raises(PinError) as info:
        check_sums({"scenarios": {"base": emptied}}, Path("p.json"))
    assert str(info.value) == (
        "p.json: scenario 'base': the pin does not add up (coverage S1/INF allocated 2, its "
        "allocation there 0 units; coverage S2/INF allocated 1, its allocation there 0 units): "
        "the pin was edited or damaged (check --update pins the answer again)"
    )
    placed = {"A/INF/S1": {"units": 1}, "B/INF/S1": {"units": 1}, "A/INF/S2": {"units": 1}}
    other = {**FEASIBLE, "allocation": placed}
    assert {f.level for f in compare(other, FEASIBLE, mip_gap=1e-4)} == {NOTE}
