"""`max_units`: the matching units of the contributor total at most `value`."""

from __future__ import annotations

from .limits import TotalLimit


class MaxUnits(TotalLimit):
    kind = "max_units"
    summary = "the matching units of c total at most `value`"
    binding_rule = "yes when the matching units reach the limit"
    sense = "max"
