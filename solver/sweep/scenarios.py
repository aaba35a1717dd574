"""Which scenarios a sweep solves, and the generated ones: `withdraw_<CODE>` (N-1 robustness).

A generated scenario is made from the validated base case, never by editing the workbook: the
contributor's status is set to `unavailable`, so it deploys nothing, its own caveats have no
effect, and other contributors' caveats that require it (`requires`) bind as they would if it
stayed home. (Dropping it through the Scenarios sheet would instead drop those caveats too.)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ..data import Data
from ..errors import Issues, UsageError
from ..io.coerce import suggest
from ..io.read import read_data, read_raw
from ..io.scenarios import BASE, scenario_names
from ..wording import count

WITHDRAW = "withdraw_"


@dataclass(frozen=True)
class Planned:
    """One scenario to solve: its name, and whether the sweep generated it."""

    name: str
    generated: bool = False


def workbook_scenarios(path: Path) -> list[str]:
    """The scenarios of the workbook's Scenarios sheet, in order (without validating it)."""
    return [n for n in scenario_names(read_raw(Path(path), Issues())) if n != BASE]


def available(data: Data) -> list[str]:
    """Contributors whose status is available, in the workbook's (sorted) order."""
    con = data.contributors
    return list(con.loc[con["status"] == "available", "contributor"])


def withdraw(data: Data, contributor: str) -> Data:
    """The generated scenario `withdraw_<contributor>` of `data` (the base case)."""
    con = data.contributors
    if contributor not in set(available(data)):
        raise UsageError(
            f"cannot withdraw '{contributor}': not an available contributor"
            + suggest(contributor, available(data))
        )
    con = con.copy()
    con.loc[con["contributor"] == contributor, "status"] = "unavailable"
    pledges = int((data.pledges["contributor"] == contributor).sum())
    caveats = int((data.caveats["contributor"] == contributor).sum())
    name = WITHDRAW + contributor
    note = (
        f"generated scenario {name}: {contributor} withdraws (status set to unavailable: "
        f"its {count(pledges, 'pledge')} and {count(caveats, 'caveat')} no longer apply)"
    )
    return dataclasses.replace(data, contributors=con, scenario=name, notes=[*data.notes, note])


def known_scenario(path: Path, name: str) -> bool:
    """True for base, a scenario of the workbook, or `withdraw_<CODE>` of an available one."""
    if name == BASE or name in workbook_scenarios(path):
        return True
    if not name.startswith(WITHDRAW):
        return False
    return name.removeprefix(WITHDRAW) in set(available(read_data(Path(path))))


def read_scenario(path: Path, name: str) -> Data:
    """`api.read(path, name)`, plus the generated `withdraw_<CODE>` scenarios (the workbook's
    own scenario of that name, if it has one, wins)."""
    path = Path(path)
    if not name.startswith(WITHDRAW):
        return read_data(path, name)
    base = read_data(path)
    if name in base.scenarios:
        return read_data(path, name)
    return withdraw(base, name.removeprefix(WITHDRAW))


def plan(
    path: Path, names: list[str], withdraw_each: bool, base: Data | None
) -> tuple[list[Planned], list[str]]:
    """base first, then the scenarios named (default: all of the workbook's), then one
    withdrawal per available contributor; returns the plan and notes on what was left out.

    `base` is the validated base case (None when it is invalid: no withdrawals then)."""
    defined = workbook_scenarios(path)
    codes = available(base) if base is not None else []
    out = [Planned(BASE)]
    notes: list[str] = []
    for name in names or defined:
        if name == BASE or name in [p.name for p in out]:
            continue
        if name in defined:
            out.append(Planned(name))
        elif name.startswith(WITHDRAW) and name.removeprefix(WITHDRAW) in codes:
            out.append(Planned(name, generated=True))
        else:
            known = ", ".join([BASE, *defined]) + (f", {WITHDRAW}<CODE>" if codes else "")
            raise UsageError(
                f"scenario '{name}' is not in the Scenarios sheet of {path.name} (known: {known})"
                + suggest(name, [*defined, *(WITHDRAW + c for c in codes)])
            )
    if withdraw_each:
        if base is None:
            notes.append("--withdraw-each needs a valid base case: no withdrawals solved")
        for code in codes:
            name = WITHDRAW + code
            if name in defined:
                notes.append(f"{name} is a scenario of the workbook: its own definition is used")
                if name not in [p.name for p in out]:
                    out.append(Planned(name))
            elif name not in [p.name for p in out]:
                out.append(Planned(name, generated=True))
    return out, notes
