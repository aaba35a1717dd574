"""How a scenario's messages are labelled (`scenario 'name': ...`), and how a warning's finding
is told from the cells it lists, so that a scenario's warnings that say what base's say are
not said again (io/read.py, sweep/run.py)."""

from __future__ import annotations

import re

from ..addresses import SHEET
from ..errors import Issue
from .scenarios import BASE


def scenario_label(name: str) -> str:
    """How a message from scenario `name` (not base) begins: `scenario 'name': `."""
    return f"scenario '{name}': "


def scenario_of(message: str, names: list[str]) -> str:
    """The scenario a labelled message is of (the longest of `names` whose label begins it:
    a name may hold an apostrophe), else `base`."""
    labelled = [n for n in names if message.startswith(scenario_label(n))]
    return max(labelled, key=len) if labelled else BASE


def doomed_by_sheet(warnings: list[Issue], names: list[str]) -> list[str]:
    """The cases (`base`, scenario names) whose Baseline sheet rows are warned as unable to
    hold, from `validate`'s labelled warnings (a review: a scenario's was read as base's)."""
    from ..baseline_words import cannot_hold_in

    found = [scenario_of(w.message, names) for w in warnings if cannot_hold_in(w.message)]
    return list(dict.fromkeys(found))


def label_warnings(warnings: list[Issue], name: str) -> list[Issue]:
    """The warnings of scenario `name`, each one naming it (base's are left as they are; one
    that names its scenario already, as a Scenarios sheet's own do, is too)."""
    if name == BASE:
        return list(warnings)
    return [
        w
        if w.message.startswith("scenario '")
        else Issue(w.where, scenario_label(name) + w.message, w.level)
        for w in warnings
    ]


def own_warnings(warnings: list[Issue], name: str, base: list[Issue]) -> list[Issue]:
    """The warnings of scenario `name` (labelled, `label_warnings`) but those whose finding
    base reports too (`finding`): a scenario adding a pledge changes which cells the cost-mix
    warning lists, not what it says."""
    in_base = {finding(str(w)) for w in base}
    return [w for w in warnings if finding(unlabelled(str(w), name)) not in in_base]


_CELL = r"\$?[A-Z]{1,3}\$?\d+\b"
# a cell, or a list of them as `wording.cells_text` writes it: `Pledges!E3, E11 and 49 more`,
# `' pledges '!E3 and E11` (the first named with its sheet, so that a key such as CAP02 is not
# taken for a cell)
_CELLS = re.compile(rf"{SHEET}!{_CELL}(?:(?:, | and )(?:{SHEET}!)?{_CELL})*(?: and \d+ more)?")
_WARNING = "warning: "


def finding(text: str) -> str:
    """A warning's text (`str(issue)`) with the cells its message lists left out: what it says
    at its place, whichever rows it names."""
    level = _WARNING if text.startswith(_WARNING) else ""
    where, sep, message = text.removeprefix(level).partition(": ")
    return level + where + sep + _CELLS.sub("<cells>", message)


def unlabelled(text: str, name: str) -> str:
    """A warning's text as printed for scenario `name`, without the label `label_warnings` gave
    it: what base would print for the same finding."""
    return text.replace(scenario_label(name), "", 1)
