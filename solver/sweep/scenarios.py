"""Which scenarios a sweep solves, and the generated ones (see `withdrawals`): `withdraw_<CODE>`
(N-1 robustness) and, in a timed workbook, `withdraw_<CODE>_after_<PERIOD>`.

A generated scenario is made from the validated base case, never by editing the workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data import Data
from ..errors import Issues, UsageError, raise_all
from ..io.coerce import suggest
from ..io.read import read_data, read_raw
from ..io.scenarios import BASE, scenario_names
from .withdrawals import (
    WITHDRAW,
    Withdrawal,
    apply,
    available,
    check,
    check_period,
    parse_name,
)

__all__ = ["WITHDRAW", "Planned", "available", "known_scenario", "plan", "read_scenario"]


@dataclass(frozen=True)
class Planned:
    """One scenario to solve: its name, and whether the sweep generated it."""

    name: str
    generated: bool = False


def workbook_scenarios(path: Path) -> list[str]:
    """The scenarios of the workbook's Scenarios sheet, in order (without validating it)."""
    return [n for n in scenario_names(read_raw(Path(path), Issues())) if n != BASE]


def withdraw(data: Data, contributor: str, after: str | None = None) -> Data:
    """The generated scenario `withdraw_<contributor>` (or `..._after_<after>`) of `data`."""
    return apply(data, Withdrawal(contributor, after))


def _makes(data: Data, name: str) -> bool:
    """Whether `name` is a generated withdrawal `data` can make."""
    withdrawal = parse_name(name)
    if withdrawal is None:
        return False
    try:
        check(data, withdrawal)
    except UsageError:
        return False
    return True


def known_scenario(path: Path, name: str) -> bool:
    """True for base, a scenario of the workbook, or a generated withdrawal it can make."""
    if name == BASE or name in workbook_scenarios(path):
        return True
    return parse_name(name) is not None and _makes(read_data(Path(path)), name)


def generated_scenario(base: Data, name: str) -> Data | None:
    """The generated withdrawal `name` made from the validated `base`; None when `name` is no
    withdrawal `base` can make, or is a scenario of the workbook's own (which wins)."""
    withdrawal = parse_name(name)
    if withdrawal is None or name in base.scenarios or not _makes(base, name):
        return None
    return apply(base, withdrawal)


def read_scenario(path: Path, name: str, *, allow_timed: bool = True) -> Data:
    """`read_data(path, name)`, plus the generated withdrawals (the workbook's own scenario of
    that name, if it has one, wins); one that cannot be made says why (`UsageError`)."""
    path = Path(path)
    withdrawal = parse_name(name)
    if withdrawal is None:
        return read_data(path, name, allow_timed=allow_timed)
    base = read_data(path, allow_timed=allow_timed)
    if name in base.scenarios:
        return read_data(path, name, allow_timed=allow_timed)
    check(base, withdrawal)
    return apply(base, withdrawal)


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
        elif _makes(base, name):
            add(name, True)
        else:
            problems.append(_unknown(path, name, defined, base))
    if after is not None:
        problems += _failed(check_period, base, after, "--after")
    asked = list(withdrawals)
    if withdraw_each and not problems:
        asked += [Withdrawal(code, after) for code in available(base)]
    for withdrawal in asked:
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
