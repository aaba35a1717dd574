"""A reference case solved in seconds that used much of its time limit, though nothing stopped
it, gets a note when pinned and checked (solver/check/run.py `near_the_clock`): a CI trial
pinned such a case on an idle machine without a word and saw it fail under load. The rule is
tested on summaries and runs built by hand: a test that times a solve would depend on the
machine."""

from __future__ import annotations

from solver.check.collate import NEAR_LIMIT, UNSTEADY, _unsteady
from solver.check.run import NEAR_SHARE, Run, near_the_clock


def test_a_run_past_a_quarter_of_its_time_limit_is_near_it() -> None:
    """0.12 s of a 0.15 s limit is near it (past NEAR_SHARE = 1/4); 0.03 s is not; a work
    limit, or no time limit, never is (its shares are counted, not timed)."""
    assert NEAR_SHARE == 0.25
    summary = {"option.time_limit": 0.15}
    assert near_the_clock(summary, 0.12) == "0.12 s of its 0.15 s time limit"
    assert near_the_clock(summary, 0.03) == ""
    assert near_the_clock({**summary, "option.work_limit": 10}, 0.12) == ""
    assert near_the_clock({"option.time_limit": None}, 100.0) == ""


def test_the_note_says_what_to_do_and_a_stop_says_more() -> None:
    """The note leads with NEAR_LIMIT and says to give a work limit; a run a limit did stop
    keeps its own note (UNSTEADY), not both."""
    near = Run("w.xlsx", "base", near_limit="0.12 s of its 0.15 s time limit")
    (note,) = _unsteady(near)
    assert note.startswith(f"{NEAR_LIMIT} (0.12 s of its 0.15 s time limit): ")
    assert "work_limit" in note
    stopped = Run("w.xlsx", "base", unsteady=["cost"])
    (note,) = _unsteady(stopped)
    assert note.startswith(f"{UNSTEADY} (cost)")
