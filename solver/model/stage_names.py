"""The lexicographic stages' names, written and read in one place.

| name           | stage                                              | family      |
|---|---|---|
| shortfall.pN   | weighted shortfall of priority N's lines           | shortfall   |
| changes        | units moved from a baseline (re-plans only)        | changes     |
| cost           | per-unit cost and person-km of the arrivals        | cost        |
| presence       | (contributor, site) pairs present                  | presence    |

The Summary keys of a stage are `objective.<name>`, `stage.<name>.status` and
`stage.<name>.gap` (results/stages.py, results/summary.py).
"""

from __future__ import annotations

SHORTFALL_PREFIX = "shortfall.p"
# the stages after the shortfall ones, in their order (model/build.py)
LATER_STAGES = ("changes", "cost", "presence")


def shortfall_stage(priority: int) -> str:
    """The name of priority `priority`'s shortfall stage: shortfall.p<priority>."""
    return f"{SHORTFALL_PREFIX}{priority}"


def is_shortfall(name: str) -> bool:
    """`name` is a shortfall stage's."""
    return name.startswith(SHORTFALL_PREFIX)


def priority_of(name: str) -> int:
    """The priority of a shortfall stage's `name` (shortfall.p2 -> 2)."""
    if not is_shortfall(name):
        raise ValueError(f"{name!r} is not a shortfall stage")
    return int(name.removeprefix(SHORTFALL_PREFIX))


def family(name: str) -> str:
    """shortfall for every shortfall.pN, else the name itself."""
    return "shortfall" if is_shortfall(name) else name
