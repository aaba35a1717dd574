"""A reference case whose answer a limit in seconds stopped: its pin depends on the machine's
speed and load (the CI trial's pin, made with time_limit 1, failed beside a CPU hog). `check`
says so when it pins it and when it compares it; a work limit's stops are not such."""

from __future__ import annotations

from pathlib import Path

from solver.check.cases import Case
from solver.check.collate import CaseInfo, compare_run
from solver.check.report import outcome_lines
from solver.check.run import Run, stopped_by_the_clock


def test_the_stages_a_limit_in_seconds_stopped() -> None:
    summary = {
        "status": "feasible",
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "feasible",
        "stage.shortfall.p2.stopped": "share",
        "stage.cost.status": "feasible",
        "stage.cost.stopped": "time limit",
        "stage.presence.stopped": "interrupted",
    }
    assert stopped_by_the_clock(summary) == ["shortfall.p2", "cost"]
    with_work = {**summary, "option.work_limit": 10.0, "stage.presence.stopped": "work limit"}
    assert stopped_by_the_clock(with_work) == ["cost"]  # a time limit beside it is a hard stop
    assert stopped_by_the_clock({"stage.cost.status": "optimal"}) == []
    # no plan within a time limit (a trial pinned time_limit 0.001's no_solution without a word)
    nothing = {
        "status": "no_solution",
        "stage.shortfall.p1.status": "no_solution",
        "option.time_limit": 0.001,
    }
    assert stopped_by_the_clock(nothing) == ["no plan found"]
    assert stopped_by_the_clock({**nothing, "option.work_limit": 10.0}) == []
    # no time limit at all (out of memory before a plan, say): no clock stopped it
    assert stopped_by_the_clock({**nothing, "option.time_limit": "none"}) == []


def info(tmp_path: Path, pinned: dict | None) -> CaseInfo:
    case = Case("c", tmp_path / "c.xlsx", tmp_path / "c.json")
    pin = None if pinned is None else {"input_sha256": "x", "scenarios": {"base": pinned}}
    return CaseInfo(case, ["base"], sha256="x", pin=pin)


def test_pinning_and_failing_such_a_run_say_why(tmp_path: Path) -> None:
    answer = {"status": "feasible", "objective": {"objective.shortfall.p1": 3.0}}
    run = Run("c.xlsx", "base", answer=answer, unsteady=["shortfall.p2", "cost"])
    new = compare_run(info(tmp_path, None), run, strict=False, update=True)
    expected = (
        "stopped by a time limit (shortfall.p2, cost): its answer depends on the machine's speed "
        "and load; give a reference case a work_limit on its Settings sheet (the same plan on "
        "every machine)"
    )
    assert new.notes == [expected]
    moved = {"status": "feasible", "objective": {"objective.shortfall.p1": 5.0}}
    failed = compare_run(info(tmp_path, moved), run, strict=False, update=False)
    assert failed.failures and failed.notes[0] == expected
    lines = outcome_lines(failed)
    assert lines[1].strip() == f"note: {expected}"  # first, never cut
    steady = Run("c.xlsx", "base", answer=answer)
    assert compare_run(info(tmp_path, None), steady, strict=False, update=True).notes == []


def test_a_workbook_changed_that_moves_no_answer_is_noted(tmp_path: Path) -> None:
    """The CI trial: a pledge edited that moved nothing passed without a word, and the pin's
    input_sha256 went stale. It still passes, with a note saying so."""
    answer = {"status": "optimal", "objective": {"objective.shortfall.p1": 3.0}}
    run = Run("c.xlsx", "base", answer=answer)
    stale = info(tmp_path, answer)
    stale.sha256 = "y"  # the workbook's now; the pin says x
    out = compare_run(stale, run, strict=False, update=False)
    assert out.outcome == "pass" and out.failures == []
    assert out.notes == [
        "the workbook changed since it was pinned, the answer did not; if intended, run "
        f"`forcegen check --update {tmp_path / 'c.xlsx'}` to record it"
    ]
    assert outcome_lines(out)[0].endswith("(1 note)")
    assert compare_run(info(tmp_path, answer), run, strict=False, update=False).notes == []


def test_a_pin_made_with_other_versions_or_without_its_workbook_s_hash_is_noted(
    tmp_path: Path,
) -> None:
    """A CI trial: a pin made with forcegen 0.0.9 and HiGHS 1.9.0 passed without a word (the
    versions were named only on a failure), and one stripped of `input_sha256` could no longer
    notice a changed workbook, silently. Both still pass, each with a note; a failure names
    the versions without `the answer still holds`."""
    from solver import __version__
    from solver.solve.instance import highs_version

    answer = {"status": "optimal", "objective": {"objective.shortfall.p1": 3.0}}
    run = Run("c.xlsx", "base", answer=answer)
    older = info(tmp_path, answer)
    assert older.pin is not None
    older.pin["pinned_with"] = {"forcegen": "0.0.9", "highs": "1.9.0"}
    out = compare_run(older, run, strict=False, update=False)
    versions = (
        f"pinned with forcegen 0.0.9, highs 1.9.0; now forcegen {__version__}, highs "
        f"{highs_version()}"
    )
    assert out.outcome == "pass" and out.notes == [f"{versions}: the answer still holds"]
    moved = {"status": "optimal", "objective": {"objective.shortfall.p1": 4.0}}
    older.pin["scenarios"]["base"] = moved
    failed = compare_run(older, run, strict=False, update=False)
    assert failed.outcome == "fail" and failed.notes == [versions]
    # said once per case on a pass (of its first scenario), and of the versions a pin records
    older.pin["scenarios"] = {"base": answer, "other": answer}
    older.scenarios = ["base", "other"]
    other = Run("c.xlsx", "other", answer=answer)
    assert compare_run(older, other, strict=False, update=False).notes == []
    older.pin["pinned_with"] = {"forcegen": __version__}
    assert compare_run(older, run, strict=False, update=False).notes == []
    bare = info(tmp_path, answer)
    assert bare.pin is not None
    del bare.pin["input_sha256"]
    out = compare_run(bare, run, strict=False, update=False)
    assert out.outcome == "pass" and out.notes == [
        "the pin records no input_sha256, so a change of the workbook cannot be noticed: run "
        f"`forcegen check --update {tmp_path / 'c.xlsx'}` to record it"
    ]
