"""What a caveat kind's generator hook sees (`DrawWorld`), and the registry's kinds in draw order.

Each kind draws its own caveats (`CaveatKind.draw` or, for a witness rule, `CaveatKind.place`, in
`solver/caveats/<kind>.py`); this module gives them the case, the witness and the filter shapes
planners write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..caveats import KINDS as REGISTRY
from ..caveats import CaveatKind
from ..caveats.base import HARD_LINES_ORDER
from .case import Case, Filter
from .witness import Witness

Drawn = tuple[Filter, dict[str, Any]] | None


def _in_draw_order(witness_rule: bool) -> tuple[CaveatKind, ...]:
    kinds = [k for k in REGISTRY.values() if k.witness_rule == witness_rule]
    return tuple(sorted(kinds, key=lambda k: k.draw_order))


WITNESS_RULES = _in_draw_order(True)
RESTRICTING_KINDS = _in_draw_order(False)
RESTRICTING = tuple(k.kind for k in RESTRICTING_KINDS)
DRAWN_KINDS = (*(k.kind for k in WITNESS_RULES), *RESTRICTING)  # every kind, in draw order
BEFORE_HARD_LINES = tuple(k for k in WITNESS_RULES if k.draw_order < HARD_LINES_ORDER)
AFTER_HARD_LINES = tuple(k for k in WITNESS_RULES if k.draw_order >= HARD_LINES_ORDER)


@dataclass
class DrawWorld:
    """The case being generated, its witness allocation, and the contributor codes.

    `frontline` lists the contributors whose home sites are near the front (the first to claim a
    `no_weakening`)."""

    case: Case
    witness: Witness
    codes: list[str]
    frontline: list[str]

    def random_filter(self, rng: np.random.Generator, c: str) -> Filter:
        """A random filter of the shapes planners write: a category, a zone, a country, a site..."""
        case = self.case
        roll = rng.random()
        cats = sorted({cap["category"] for cap in case.capabilities})
        if roll < 0.3:
            return {"category": cats[rng.integers(len(cats))], "country": "UKR"}
        if roll < 0.5:
            return {"zone": "forward"}
        if roll < 0.65:
            return {"category": cats[rng.integers(len(cats))]}
        if roll < 0.8:
            own = [k for (who, k) in case.pledges if who == c]
            return {"capability": own[rng.integers(len(own))]}
        return {"site": case.sites[rng.integers(len(case.sites))]["site"]}

    def known(self, f: Filter) -> bool:
        """Only zone and country values that some site has (a planner's filter names real ones)."""
        sites = self.case.sites
        return all(f[col] in {s[col] for s in sites} for col in ("zone", "country") if col in f)

    def has(self, c: str, kind: str) -> bool:
        """True if contributor c already has a caveat of this kind."""
        return any(cv["contributor"] == c and cv["caveat"] == kind for cv in self.case.caveats)

    def add(
        self,
        c: str,
        kind: str,
        f: Filter,
        *,
        other: str | None = None,
        value: int | None = None,
        note: str = "",
    ) -> None:
        """Append a caveat row with the next id."""
        self.case.caveats.append(
            {
                "id": f"C{len(self.case.caveats) + 1:04d}",
                "contributor": c,
                "caveat": kind,
                **f,
                "other": other,
                "value": value,
                "note": note,
            }
        )
