"""Whether a pin agrees with itself: a plan's coverage is read off its allocation
(results/tables.py, results/time_tables.py), so a pin whose rows disagree was edited or damaged
(by hand, by a bad merge), and what moved against it says nothing of forcegen.

What the pin's own rows allow to be checked, per coverage row (a line, in time a line in one
period: its key `site/capability[/period]`):

    allocated = the units of the allocation rows `contributor/capability/site[/period]` there
    shortfall = max(required - allocated, 0)

An allocation row at no coverage row counts on none, as in the plan (units at a site that
does not ask for the capability). The stages are not checked against the coverage: the lines'
weights, and in time the periods' months, are not in the pin.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

from ..wording import count, shortened
from .pins import PinError

SHOWN = 3  # disagreements named in the failure; the rest counted
DAMAGED = "the pin was edited or damaged (check --update pins the answer again)"


def check_sums(pin: dict[str, Any], path: Path) -> None:
    """`PinError` naming the first scenario whose rows disagree (`pin_disagrees`): a pin
    edited or damaged is invalid input (exit 2), as a pin of another shape is, and `--update`
    replaces it. It failed as a regression (exit 5) though its line said the pin was edited."""
    for name, scenario in pin["scenarios"].items():
        if said := pin_disagrees(scenario):
            raise PinError(f"{path}: scenario {name!r}: {said}")


def pin_disagrees(pinned: dict[str, Any]) -> str:
    """The failure of a pin whose rows disagree: `the pin does not add up (coverage
    Kyiv/AD_BTY/2027-01 allocated 0, its allocation there 1 unit): the pin was edited or
    damaged; ...`, each row that disagrees named (the first SHOWN). '' where they agree, or
    the pin has no coverage (an infeasible scenario's may have none)."""
    coverage = pinned.get("coverage")
    if not isinstance(coverage, dict) or not coverage:
        return ""
    said = _shortfalls(coverage) + _allocated(coverage, pinned.get("allocation"), "tours" in pinned)
    if not said:
        return ""
    return f"the pin does not add up ({shortened(said, SHOWN, '; ')}): {DAMAGED}"


def _number(value: Any) -> float | None:
    """A pinned figure as a float; None where it is none (text, a flag, missing)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _shown(value: float) -> str:
    """`2`, `2.5`: a figure as the pin writes it."""
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _shortfalls(coverage: dict[str, Any]) -> list[str]:
    """The coverage rows whose shortfall is not what their required and allocated leave."""
    out = []
    for key in sorted(coverage):
        row = coverage[key]
        required, allocated, shortfall = (
            _number(row.get(f)) for f in ("required", "allocated", "shortfall")
        )
        if required is None or allocated is None or shortfall is None:
            continue  # a row of another shape: moved rows say what it holds
        if abs(shortfall - max(required - allocated, 0.0)) > 1e-9:
            out.append(
                f"coverage {key} shortfall {_shown(shortfall)} with required {_shown(required)} "
                f"and allocated {_shown(allocated)}"
            )
    return out


def _allocated(coverage: dict[str, Any], allocation: Any, timed: bool) -> list[str]:
    """The coverage rows whose allocated is not the units of the allocation rows there. Not
    checked where an allocation row could be at either of two coverage rows (names holding `/`)."""
    if not isinstance(allocation, dict):
        return []
    units: dict[str, float] = defaultdict(float)
    for key, row in allocation.items():
        at = _lines_of(key, coverage, timed)
        if len(at) > 1:
            return []
        if at:
            units[at[0]] += _number((row or {}).get("units")) or 0.0
    out = []
    for key in sorted(coverage):
        allocated = _number(coverage[key].get("allocated"))
        if allocated is not None and abs(allocated - units[key]) > 1e-9:
            out.append(
                f"coverage {key} allocated {_shown(allocated)}, its allocation there "
                f"{count(units[key], 'unit')}"
            )
    return out


def _lines_of(key: str, coverage: dict[str, Any], timed: bool) -> list[str]:
    """The coverage rows the allocation row `key` may be at: its parts split every way into
    contributor, capability, site (and period, in time), since a name may hold a `/`."""
    parts = key.split("/")
    groups = 4 if timed else 3
    found = set()
    for cuts in combinations(range(1, len(parts)), groups - 1):
        names = ["/".join(parts[a:b]) for a, b in pairwise((0, *cuts, len(parts)))]
        _, capability, site, *period = names
        line = "/".join([site, capability, *period])
        if line in coverage:
            found.add(line)
    return sorted(found)
