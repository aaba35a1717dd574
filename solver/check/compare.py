"""Compare a pinned answer with a fresh one and say, line by line, what moved.

Tolerances: status equal; shortfall and presence stages within 1e-6 (absolute); cost within a
relative max(1e-6, g), g the larger of the two runs' achieved gaps (how far either plan may lie
from its optimum) where both are known, never more than the scenario's mip_gap setting, else the
setting (`cost_tolerance`); model size, coverage and per-contributor
totals exact. An allocation that differs while everything else holds is an equally good
alternative: a note, or a failure with `strict`. In time the tours are pinned: a tour added,
removed or changed (units, length) fails, whatever `strict` says, since which tours the model
picks is the plan a planner acts on (with a lead line saying so where the rest held). Where
one side is infeasible, the rows of the plan are not compared (one line says so); an
infeasible scenario's conflict is compared as a set of rule ids; a failure on the model's size
alone says the answer held. A pin whose rows disagree with each other was edited or damaged:
it is refused when loaded (pin_sums.py), never compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..wording import count

ABS_TOL = 1e-6
MIN_REL_TOL = 1e-6
FAIL, NOTE = "fail", "note"
# one side infeasible: its coverage rows (every line at 0) and stages' none said nothing more (a
# CI trial counted 19 such lines under the status that said it)
NO_PLAN_TO_COMPARE = (
    "coverage, contributors and tours not compared: one side has a plan, the other none"
)
# in time, tours that moved while the stages, coverage and contributors held (a CI trial: a
# time_limit that never bound picked another of equally good plans, with no word of it)
TOURS_DIFFER = (
    "tours differ ({n}) with equal stages, coverage and contributors: an equally good plan, but the "
    "tours are the plan a planner acts on, so they are pinned (another time or work limit, or "
    "another forcegen, can pick another of the equally good plans)"
)
# a failure on the model's size alone (a CI trial: `model.constraints pinned 47, now 49`, and
# nothing said the answer held)
ONLY_THE_MODEL_MOVED = (
    "the answer is the same (status, stages, coverage, contributors, tours): only the model "
    "forcegen builds changed size (a forcegen that writes the model otherwise than the pin's)"
)


@dataclass(frozen=True)
class Finding:
    """One thing that moved; `level` is fail or note."""

    level: str
    text: str


def fmt(value: Any) -> str:
    """A value as a planner reads it: none, 4, 1.5, 26769618.9."""
    if value is None:
        return "none"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}" if abs(value) >= 1e5 else f"{value:.6g}"


def moved_text(old: Any, new: Any) -> str:
    """`pinned 2, now 1`: the value in the pin, then the value solved now."""
    return f"pinned {fmt(old)}, now {fmt(new)}"


def stage_key(name: str) -> tuple[int, int, str]:
    """Lexicographic order of stages: shortfall.p1, p2, ..., cost, presence, anything else."""
    m = re.fullmatch(r"shortfall\.p(\d+)", name)
    if m:
        return (0, int(m.group(1)), name)
    return ({"cost": 1, "presence": 2}.get(name, 3), 0, name)


def _moved(name: str, old: Any, new: Any, cost_rel: float) -> bool:
    if old is None or new is None:
        return old is not new
    if not isinstance(old, int | float) or not isinstance(new, int | float):
        return old != new
    diff = abs(float(new) - float(old))
    if name == "cost":
        return diff > cost_rel * max(abs(float(old)), abs(float(new))) + ABS_TOL
    return diff > ABS_TOL


def cost_tolerance(pinned: dict[str, Any], current: dict[str, Any], mip_gap: float) -> float:
    """The relative tolerance of the cost stage (the module's docstring). The setting alone let
    a workbook edited to a 5% `mip_gap` pass its own check with a proven cost 3.6% higher: both
    runs had proven theirs at gap 0, so the costs were each model's optimum and differed."""
    gaps = [pinned.get("mip_gap"), current.get("mip_gap")]
    known = [float(g) for g in gaps if isinstance(g, int | float) and not isinstance(g, bool)]
    setting = max(MIN_REL_TOL, float(mip_gap))
    return setting if len(known) < 2 else max(MIN_REL_TOL, min(setting, max(known)))


def _stage_text(name: str, old: Any, new: Any) -> str:
    text = f"objective.{name} {moved_text(old, new)}"
    if name == "cost" and isinstance(old, int | float) and isinstance(new, int | float) and old:
        text += f" ({_relative(new - old, old)})"
    return text


def _relative(change: float, old: float) -> str:
    """`+3.60%`; a change too small for two decimals in three significant digits (`-0.00167%`,
    not `-0.00%`: a CI trial)."""
    share = change / abs(old)
    return f"{share:+.2%}" if abs(share) >= 5e-5 or share == 0 else f"{100 * share:+.3g}%"


def _rows(label: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Row-by-row differences of two tables keyed by row name: a row added or removed (since
    the pin), or the fields that moved (`allocated pinned 2, now 1; shortfall pinned 0, now 1`)."""
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if a is None or b is None:
            row = a if b is None else b
            assert row is not None  # both missing compared equal above
            cells = ", ".join(f"{f} {fmt(v)}" for f, v in row.items())
            out.append(f"{label} {key} {'removed' if b is None else 'added'} ({cells})")
            continue
        moved = [
            f"{f} {moved_text(a.get(f), b.get(f))}"
            for f in list(dict.fromkeys([*a, *b]))
            if a.get(f) != b.get(f)
        ]
        out.append(f"{label} {key} " + "; ".join(moved))
    return out


def _allocation(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(old) | set(new)):
        a = (old.get(key) or {}).get("units", 0)
        b = (new.get(key) or {}).get("units", 0)
        if a != b:
            out.append(f"allocation {key} units {moved_text(a, b)}")
    return out


def compare(
    pinned: dict[str, Any], current: dict[str, Any], *, mip_gap: float, strict: bool = False
) -> list[Finding]:
    """What moved from the pinned answer of a scenario to the current one (empty: nothing)."""
    answer = _answer_moved(pinned, current, cost_tolerance(pinned, current, mip_gap))
    old_size, new_size = pinned.get("model", {}), current.get("model", {})
    size = [
        f"model.{name} {moved_text(old_size.get(name), new_size.get(name))}"
        for name in sorted(set(old_size) | set(new_size))
        if old_size.get(name) != new_size.get(name)
    ]
    if _has_plan(pinned) != _has_plan(current):
        return [Finding(FAIL, t) for t in [*answer, *size, NO_PLAN_TO_COMPARE]]
    rows = _rows("coverage", pinned.get("coverage", {}), current.get("coverage", {}))
    rows += _rows("contributors", pinned.get("contributors", {}), current.get("contributors", {}))
    tours = _rows("tour", pinned.get("tours", {}), current.get("tours", {}))
    fails, notes = [*answer, *size, *rows], list[str]()
    if tours and not (answer or rows):
        fails.append(TOURS_DIFFER.format(n=count(len(tours), "tour line")))
    fails += tours
    if pinned.get("status") == current.get("status") == "infeasible":
        for fails_now, said in (
            _conflict(pinned.get("conflict"), current.get("conflict")),
            _smallest_change(pinned.get("smallest_change"), current.get("smallest_change")),
        ):
            (fails if fails_now else notes).extend([said] if said else [])
    old_gap, new_gap = pinned.get("mip_gap"), current.get("mip_gap")
    if _moved("mip_gap", old_gap, new_gap, 0.0) and not (old_gap is None or new_gap is None):
        notes.append(f"mip_gap {moved_text(old_gap, new_gap)}")
    moved = _allocation(pinned.get("allocation", {}), current.get("allocation", {}))
    if moved and not fails:
        lead = (
            f"allocation differs with equal stages ({count(len(moved), 'row')}): "
            "an equally good plan"
        )
        (fails if strict else notes).extend([lead, *moved])
    elif moved:
        notes.extend(moved)  # the failures above say why; these say how the plan moved
    if size and fails == size and not (moved and strict):  # the model's size alone moved
        notes.insert(0, ONLY_THE_MODEL_MOVED)
    return [Finding(FAIL, t) for t in fails] + [Finding(NOTE, t) for t in notes]


def _has_plan(answer: dict[str, Any]) -> bool:
    """Whether a pinned or current answer holds a plan (not infeasible, nor without one in
    time)."""
    return answer.get("status") not in ("infeasible", "no_solution")


def _answer_moved(pinned: dict[str, Any], current: dict[str, Any], cost_rel: float) -> list[str]:
    """The status and the stage values that moved, in the stages' order."""
    out = []
    if pinned.get("status") != current.get("status"):
        out.append(f"status {moved_text(pinned.get('status'), current.get('status'))}")
    old_obj, new_obj = pinned.get("objective", {}), current.get("objective", {})
    for name in sorted(set(old_obj) | set(new_obj), key=stage_key):
        a, b = old_obj.get(name), new_obj.get(name)
        if _moved(name, a, b, cost_rel):
            out.append(_stage_text(name, a, b))
    return out


def _conflict(pinned: list[str] | None, current: list[str] | None) -> tuple[bool, str]:
    """Whether an infeasible scenario's conflict moved, and what to say: `conflict: pinned
    hard:S1/INF, pledge:A/INF; now ...` (a failure: the reason for no plan changed, though the
    status did not: a trial's scenario failed on its model's size alone); a note where one side
    has none (a pin from an older forcegen, or a search cut short by its budget when pinned or
    now); '' when nothing moved."""
    if pinned is not None and current is not None and sorted(pinned) == sorted(current):
        return False, ""  # the same rules, in any order (a pin edited by hand)
    if pinned is None:
        return False, (
            "the conflict is not pinned (a pin from an older forcegen, or its search was cut "
            "short when pinned): check --update pins it"
        )
    if current is None:
        return False, "the conflict was not worked out in full this time (its time budget)"
    return True, f"conflict: pinned {_ids(pinned)}; now {_ids(current)}"


def _smallest_change(pinned: float | None, current: float | None) -> tuple[bool, str]:
    """Whether an infeasible scenario's smallest change moved (a failure: a CI trial's added
    caveat took it from 1 unit to 3 with the same conflict's rules, and only the model's size
    said anything), and what to say; a note where one side has none."""
    if pinned is None and current is None:
        return False, ""
    if pinned is None:
        return (
            False,
            "the smallest change is not pinned (a pin from an older forcegen): check --update pins it",
        )
    if current is None:
        return False, "the smallest change was not proven this time (its budget)"
    if abs(float(pinned) - float(current)) <= ABS_TOL:
        return False, ""
    return True, (
        f"smallest change {moved_text(pinned, current)} (what must give way, each rule's "
        "amount in its own unit, added up)"
    )


def _ids(ids: list[str]) -> str:
    return ", ".join(sorted(ids)) or "none"
