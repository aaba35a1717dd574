"""`min_units`: the matching units of the contributor total at least `value` (a firm commitment)."""

from __future__ import annotations

from .limits import TotalLimit


class MinUnits(TotalLimit):
    kind = "min_units"
    summary = "the matching units of c total at least `value` (a firm commitment)"
    binding_rule = "yes when the matching units are exactly at the commitment (no more is deployed)"
    sense = "min"
