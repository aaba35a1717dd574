"""Caveat kinds, one module each, registered here in one place.

To add a kind: write `solver/caveats/<kind>.py` with a `CaveatKind` subclass, add it to `_KINDS`
below, and add its test to `tests/caveats/` (a test fails while a registered kind has none).
"""

from __future__ import annotations

from .base import CaveatKind, SolutionView, ValueRule
from .exclude import Exclude
from .max_personnel import MaxPersonnel
from .max_sites import MaxSites
from .max_units import MaxUnits
from .min_contingent import MinContingent
from .min_units import MinUnits
from .no_weakening import NoWeakening
from .not_with import NotWith
from .only import Only
from .requires import Requires

# Order matters for `forbid`: exclusions first, then rules that react to what is left.
_KINDS: tuple[type[CaveatKind], ...] = (
    NoWeakening,
    Exclude,
    Only,
    MinContingent,
    Requires,
    MaxUnits,
    MaxPersonnel,
    MinUnits,
    MaxSites,
    NotWith,
)

KINDS: dict[str, CaveatKind] = {k.kind: k() for k in _KINDS}

__all__ = ["KINDS", "CaveatKind", "SolutionView", "ValueRule"]
