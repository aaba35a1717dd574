"""An earlier run's outputs in a sweep's folder: set aside before solving again, and kept
until this run has replaced them.

Before a sweep solves, the plans an earlier run wrote for the scenarios it is about to solve
move into the folder's `earlier/` subfolder, and so does the earlier comparison: nothing in the
folder itself can then pass for this run's. The comparison stays there only while no run has
ended without a stop since. When the sweep ends, whatever ended it, a plan
this run wrote removes its earlier one from `earlier/`, unless that one is the better answer
to the same question (this run's was stopped with a worse plan, or ended with none: as `solve`
keeps an output's better plan). The ones left there (also: a scenario stopped before it
finished, one that failed, one whose output could not be written) stay, the notes say which
and why, so a stopped re-run loses no answer. A plan that ran to its end (its time or work
limit included) replaces a better earlier one as asked, as `solve` replaces an output's, and
the notes say which was better and by what.
Before, they were deleted as the sweep started, and a re-run stopped after a minute left
nothing of either run.

The moves are all or none: a file that cannot be moved (locked, immutable), a Ctrl-C or a
SIGTERM while they are moved, puts back those moved (and the sweep is refused, or stopped,
with the folder as it was). A plan already in `earlier/` (left by an earlier stopped run) is
replaced by the newer one of its scenario, unless it is the better of the two by the rule
above (then the newer is removed); a plan edited by hand, in the folder or in `earlier/`, is
refused instead (UsageError): it is a planner's work. What the moves displace is removed
once they are all done; a stop or a kill just then leaves it under a temporary name, which
the next setting aside or settling removes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..results.earlier_plan import better_stage, cut_short, earlier_plan, summary_of
from ..results.safe_write import TEMP_PREFIX, is_alive, temp_prefix

EARLIER = "earlier"  # the subfolder holding an earlier run's plans until this run replaces them
log = logging.getLogger("forcegen.sweep")
_LEFTOVER = re.compile(re.escape(TEMP_PREFIX) + r".+-(\d+)-removed$")


@dataclass(frozen=True)
class _Move:
    """One rename of the setting aside: `source` to `target`; `displaced` is the file that was
    at `target` (an older plan of the same scenario), renamed aside first, or None."""

    source: Path
    target: Path
    displaced: Path | None = None


def set_aside(plans: list[Path], comparison: Path, inputs: Sequence[Path] = ()) -> list[str]:
    """Move the earlier run's `plans` (those of the scenarios this sweep solves that exist)
    into `earlier/` beside them and remove the earlier `comparison`: all or none. The note
    says what was set aside; an edited plan (in the folder or in `earlier/`, which this run
    may replace) and an input of the sweep in `earlier/` (its `--baseline`, which this run
    would remove) are refused before anything moves."""
    _remove_leftovers(comparison.parent)
    earlier = [p for p in plans if p.is_file()]
    _refuse_edited([*earlier, *(_earlier_of(p) for p in plans)])
    _refuse_inputs([_earlier_of(p) for p in plans], inputs)
    moves, replaced = [], []
    for plan in earlier:
        target, why = _set_aside_to(plan)
        moves.append(_Move(plan, target))
        if why:
            replaced.append(f"removed {target}, {why}")
    if comparison.is_file():  # kept too, until a run that is not stopped writes its own
        kept = _earlier_of(comparison)
        # one kept there already is the last whole run's: the one here is a stopped run's
        moves.append(_Move(comparison, _removed_name(comparison) if kept.is_file() else kept))
    folder = (earlier[0].parent if earlier else comparison.parent) / EARLIER
    made = any(m.target.parent == folder for m in moves) and not folder.is_dir()
    if made:
        try:
            folder.mkdir()
        except OSError as exc:
            raise UsageError(
                f"cannot make folder {folder}, where a sweep keeps an earlier run's plans: "
                f"{exc.strerror or exc}; move what is there, or choose another folder (-o)"
            ) from None
    try:
        done = _move_all_or_none(moves)
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()  # the folder is as it was
        raise
    # all moved: now the older plans they displaced and the earlier comparison can go
    gone = [m.displaced for m in done if m.displaced is not None]
    gone += [m.target for m in done if m.target.name.startswith(TEMP_PREFIX)]
    for path in gone:
        with contextlib.suppress(OSError):
            path.unlink()
    moved = [m for m in done if m.source in earlier and m.target.parent == folder]
    notes = []
    if moved:
        notes.append(
            f"moved {len(moved)} plan(s) of an earlier run to {folder} before solving again: "
            "none of them can pass for this run's, and each stays there until this run writes "
            "its scenario"
        )
    if worse := [m.source.name for m in done if m.source in earlier and m not in moved]:
        notes.append(f"removed {_listed(worse)}: {folder} holds a better plan of the same question")
    return notes + replaced + _others_left(plans, comparison, inputs)


def _others_left(plans: list[Path], comparison: Path, inputs: Sequence[Path]) -> list[str]:
    """A note naming the workbooks in the sweep's folder that this run neither writes nor
    reads (an earlier run's plans of scenarios it does not solve, left as they are): an
    analyst trial compared one, solved from an earlier version of the workbook, with this
    run's base, and read an edit of the workbook as a withdrawal's effect."""
    folder = comparison.parent
    if not folder.is_dir():
        return []
    mine = {p.resolve() for p in [*plans, comparison, *inputs]}
    others = sorted(
        p.name
        for p in folder.glob("*.xlsx")
        if p.is_file() and p.resolve() not in mine and not p.name.startswith(("~$", TEMP_PREFIX))
    )
    if not others:
        return []
    return [
        f"{folder} also holds {_listed(others)}, which this run does not write: an earlier "
        "run's plans of other scenarios are left as they are, and are no part of this run's "
        "comparison"
    ]


def settle(
    folder: Path, written: dict[Path, dict[str, Any]], comparison: str = "", stopped: bool = False
) -> list[str]:
    """At the sweep's end: remove from `earlier/` the plans this run replaced (`written`: each
    output it wrote, with its Summary), and the subfolder once empty. An earlier plan stays
    when it is still the better answer to the same question: this run's was stopped (Ctrl-C,
    SIGTERM) with a worse plan, or ended with none (as `solve` keeps an output's better plan,
    results/earlier_plan.py). The earlier comparison (file name `comparison`) stays when this
    run was `stopped` (a scenario stopped, a plan or its comparison not written: what it wrote
    covers what it finished and wrote; a fault trial lost a whole run's comparison to a stopped
    re-run's, and another to a re-run on a full disk, which wrote no plan), else it goes. The notes name what was kept, and
    why."""
    earlier = folder / EARLIER
    if not earlier.is_dir():
        return []
    _remove_leftovers(folder)
    notes = []
    if comparison and (earlier / comparison).is_file():
        if stopped:
            notes.append(
                f"kept {earlier / comparison}: the earlier run's comparison (this run was "
                "stopped, or a plan or its comparison not written: its own covers the scenarios "
                "it finished and wrote); the next run that is not stopped removes it"
            )
        else:
            with contextlib.suppress(OSError):
                (earlier / comparison).unlink()
    for path, summary in written.items():
        kept = _earlier_of(path)
        if why := _still_better(kept, summary):
            notes.append(f"kept {kept}: {why}")
            continue
        if was := _better_replaced(kept, summary):
            notes.append(f"removed {kept}, {was}")
        with contextlib.suppress(OSError):
            kept.unlink(missing_ok=True)
    replaced = {path.name for path in written}
    unwritten = sorted(
        p.name
        for p in earlier.iterdir()
        if p.suffix.lower() == ".xlsx" and p.name not in replaced and p.name != comparison
    )
    if unwritten:
        notes.append(
            f"kept in {earlier}: the earlier plans of {len(unwritten)} scenario(s) this run did "
            f"not write ({_listed(unwritten)}); the next run that writes a scenario removes its "
            "earlier plan"
        )
    with contextlib.suppress(OSError):
        earlier.rmdir()  # only when empty: a file someone put there stays
    return notes


def _still_better(earlier: Path, summary: dict[str, Any]) -> str:
    """Why `earlier` (a plan set aside) is a better answer to the question this run's output
    with `summary` answered, "" when this run's replaces it."""
    status = summary.get("status")
    stopped = cut_short(summary)
    if status != "no_solution" and not stopped:
        return ""
    before = _same_question(earlier, summary)
    if not before:
        return ""
    values = {k: v for k, v in summary.items() if k.startswith("objective.")}
    if not any(isinstance(v, int | float) for v in values.values()):
        return f"this run ended {status} without a plan; that plan (solved {before['status']}) is the answer"
    found = better_stage(before, values)
    if found is None:
        return ""
    stage, was, now = found
    return (
        f"a better plan of the same workbook and scenario (solved {before['status']}; {stage} "
        f"{was:,.6g} against {now:,.6g} in this {stopped} run's plan)"
    )


def _better_replaced(earlier: Path, summary: dict[str, Any]) -> str:
    """What to say when this run's plan (`summary`: it ran to its end, a time or work limit
    included) replaces `earlier`, a better plan of the same question (a longer run's): it is
    replaced as asked, as `solve` replaces an output's, but not unnoticed; "" otherwise."""
    before = _same_question(earlier, summary)
    values = {k: v for k, v in summary.items() if k.startswith("objective.")}
    found = better_stage(before, values) if before else None
    if found is None:
        return ""
    stage, was, now = found
    return (
        f"a better plan of the same workbook and scenario (solved {before['status']}; {stage} "
        f"{was:,.6g} against {now:,.6g} in this {summary.get('status')} run's plan, a longer "
        "run's?): replaced as asked; give the sweep another folder (-o) to keep both"
    )


def _same_question(earlier: Path, summary: dict[str, Any]) -> dict[Any, Any]:
    """The Summary of the plan `earlier` holds when it answers the question of the output
    whose Summary is `summary` (same workbook, scenario and baseline), {} otherwise."""
    if not earlier.is_file():
        return {}
    return earlier_plan(
        earlier,
        str(summary.get("input_sha256") or ""),
        str(summary.get("scenario") or ""),
        str(summary.get("baseline_sha256") or ""),
    )


def _remove_leftovers(folder: Path) -> None:
    """Remove the files a setting aside renamed to be removed (`.~tmp-<name>-<pid>-removed`:
    an older plan it displaced, an earlier comparison) and left, in `folder` and its
    `earlier/`: a stop that came between the moves and their removal, or a sweep killed
    there. Those of a process still running, other than this one, are left alone."""
    for where in (folder, folder / EARLIER):
        try:
            names = [p.name for p in where.iterdir()]
        except OSError:
            continue
        for name in names:
            match = _LEFTOVER.match(name)
            if match and (int(match.group(1)) == os.getpid() or not is_alive(int(match.group(1)))):
                with contextlib.suppress(OSError):
                    (where / name).unlink()


def _set_aside_to(plan: Path) -> tuple[Path, str]:
    """Where `plan` goes: to `earlier/`, over an older plan of its scenario there, unless that
    one is the better answer to the same question (a run stopped before `settle` judged them,
    killed outright, left both): then `plan` is removed. With it, what to say of an older plan
    it replaces that was better (`plan` ran to its limit: replaced as `settle` would have)."""
    earlier = _earlier_of(plan)
    if not earlier.is_file():
        return earlier, ""
    summary = summary_of(plan)
    if _still_better(earlier, summary):
        return _removed_name(plan), ""
    return earlier, _better_replaced(earlier, summary)


def _earlier_of(path: Path) -> Path:
    return path.parent / EARLIER / path.name


def _removed_name(path: Path) -> Path:
    # named as a temporary file of `path`: left by a stop or a kill before its removal, it is
    # removed by the next setting aside or settling (`_remove_leftovers`), or by the next write
    return path.with_name(f"{temp_prefix(path)}removed")


def _refuse_inputs(kept: list[Path], inputs: Sequence[Path]) -> None:
    """An input of the sweep that is one of the plans `earlier/` keeps until this run replaces
    them (a `--baseline` taken from there) would be removed by this run: refused."""
    for path in kept:
        for given in inputs:
            with contextlib.suppress(OSError):
                if path.is_file() and Path(given).is_file() and path.samefile(given):
                    raise UsageError(
                        f"{given} is the earlier plan this sweep keeps in {path.parent} until "
                        "it writes that scenario again, when it is removed: copy it out of "
                        f"{path.parent} and give the copy"
                    )


def _refuse_edited(paths: list[Path]) -> None:
    from ..results.hand_edit import hand_edit

    edited = [(p, why) for p in paths if p.is_file() and (why := hand_edit(p))]
    if edited:
        said = "; ".join(f"{p} {why}" for p, why in edited)
        them = "it" if len(edited) == 1 else "them"
        raise UsageError(
            f"{said}: this sweep would replace {them}; choose another folder (-o), or move "
            f"{them} away first"
        )


def _move_all_or_none(moves: list[_Move]) -> list[_Move]:
    """Do every move, or none (those done are undone when one fails or an interrupt comes)."""
    done: list[_Move] = []
    failed: Path | None = None  # the file being renamed
    try:
        for move in moves:
            displaced = _removed_name(move.target) if move.target.is_file() else None
            step = _Move(move.source, move.target, displaced)
            done.append(step)  # before the renames: a signal between them is covered
            if displaced is not None:
                failed = move.target  # an older plan of the scenario in earlier/
                move.target.rename(displaced)
            failed = move.source
            move.source.rename(move.target)
    except BaseException as exc:
        lost = _undo(done)
        if not isinstance(exc, OSError):
            if lost:  # an interrupt: said before it goes on, or the next write deletes them
                log.warning("could not put back %s", ", ".join(lost))
            raise
        kept = "nothing was moved" if not lost else f"could not put back {', '.join(lost)}"
        raise UsageError(
            f"cannot move {failed or 'a file'}, an earlier run's output, aside: "
            f"{exc.strerror}; {kept}"
        ) from None
    return done


def _undo(done: list[_Move]) -> list[str]:
    """Put back the moves done, last first; those that could not be, as `name (now temp)`."""
    lost = []
    for move in reversed(done):
        for now, was in ((move.target, move.source), (move.displaced, move.target)):
            if now is None or not now.exists() or was.exists():
                continue  # its rename did not happen (or was undone)
            try:
                now.rename(was)
            except OSError:
                lost.append(f"{was.name} (now {now})")
    return lost


def _listed(names: list[str], shown: int = 5) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"
