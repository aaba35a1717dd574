"""Which scenarios a sweep solves, and the generated ones (io/withdrawals.py): `withdraw_<CODE>`
(N-1 robustness) and, in a timed workbook, `withdraw_<CODE>_after_<PERIOD>`.

A generated scenario is made from the validated base case, never by editing the workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data import Data
from ..errors import UsageError, raise_all
from ..io.coerce import suggest
from ..io.generated import known_scenario, makes, read_scenario, withdraw, workbook_scenarios
from ..io.scenarios import BASE
from ..io.withdrawals import (
    WITHDRAW,
    Withdrawal,
    as_period_ending,
    available,
    check,
    check_period,
    parse_name,
    period_ending,
)

__all__ = [
    "WITHDRAW",
    "Planned",
    "available",
    "known_scenario",
    "plan",
    "read_scenario",
    "withdraw",
    "workbook_scenarios",
]


@dataclass(frozen=True)
class Planned:
    """One scenario to solve: its name, and whether the sweep generated it."""

    name: str
    generated: bool = False


def plan(
    path: Path,
    names: list[str],
    withdraw_each: bool,
    base: Data,
    *,
    after: str | None = None,
    withdrawals: tuple[Withdrawal, ...] = (),
) -> tuple[list[Planned], list[str]]:
    """base first, then the scenarios named (default: all of the workbook's), then the withdrawals asked for (`withdrawals`), then one
    withdrawal per available contributor (`withdraw_each`, after the period `after` if given);
    returns the plan and notes on what was left out.

    `base` is the validated base case (a workbook that cannot be read is refused before). A
    withdrawal that cannot be made (an unknown contributor or period, a period in a snapshot)
    is a `UsageError` (several: an `InputError` listing each), before anything is solved."""
    if after is not None and not withdraw_each:
        raise UsageError("--after goes with --withdraw-each (or use --withdraw CODE@PERIOD)")
    defined = workbook_scenarios(path)
    out = [Planned(BASE)]
    notes: list[str] = []
    problems: list[UsageError] = []

    def add(name: str, generated: bool) -> None:
        if name not in [p.name for p in out]:
            out.append(Planned(name, generated))

    for name in names or defined:
        if name == BASE:
            continue
        if name in defined:
            add(name, False)
        elif makes(base, name):
            add(name, True)
        else:
            problems.append(_unknown(path, name, defined, base))
    if after is not None and (ending := period_ending(base, after)):
        notes.append(f"--after {after} taken as {ending[0]}: {ending[1]}")
        after = ending[0]
    if after is not None:
        problems += _failed(check_period, base, after, "--after")
    asked = list(withdrawals)
    if withdraw_each and not problems:
        each = [Withdrawal(code, after) for code in available(base)]
        _refuse_named_among_each(names, defined, each)
        asked += each
    for withdrawal in asked:
        withdrawal, taken = as_period_ending(base, withdrawal)
        notes += [taken] if taken else []
        if failed := _failed(check, base, withdrawal):
            problems += failed
            continue
        if withdrawal.name in defined:
            notes.append(
                f"{withdrawal.name} is a scenario of the workbook: its own definition is used"
            )
            add(withdrawal.name, False)
        else:
            add(withdrawal.name, True)
    raise_all(problems)
    return out, notes


def _refuse_named_among_each(names: list[str], defined: list[str], each: list[Withdrawal]) -> None:
    """`-s` naming only withdrawals that `--withdraw-each` makes anyway asks for two things at
    once: those alone (as `-s` does) or every one (a trial solved all 30 for 3 named, 249 s,
    without a word). Refused before anything is solved."""
    made = {w.name for w in each}
    named = [n for n in names if n != BASE]
    if named and all(n in made and n not in defined for n in named):
        raise UsageError(
            f"--withdraw-each solves every contributor's withdrawal, the {len(named)} named "
            f"with -s ({', '.join(named)}) among them: give the -s names alone to solve only "
            "those, or --withdraw-each alone to solve every one"
        )


def _failed(check_it: Callable[..., None], *args: Any) -> list[UsageError]:
    """The UsageError of `check_it(*args)`, or none."""
    try:
        check_it(*args)
    except UsageError as exc:
        return [exc]
    return []


def _unknown(path: Path, name: str, defined: list[str], base: Data) -> UsageError:
    codes = available(base)
    generated = (
        f", {WITHDRAW}<CODE>" + (f", {WITHDRAW}<CODE>_after_<PERIOD>" if base.timed else "")
        if codes
        else ""
    )
    known = ", ".join([BASE, *defined]) + generated
    withdrawal = parse_name(name)
    if withdrawal is not None and withdrawal.after is not None:
        try:
            check(base, withdrawal)
        except UsageError as exc:
            return UsageError(f"scenario '{name}': {exc}")
    return UsageError(
        f"scenario '{name}' is not in the Scenarios sheet of {path.name} (known: {known})"
        + suggest(name, [*defined, *(WITHDRAW + c for c in codes)])
    )
