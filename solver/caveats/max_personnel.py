"""`max_personnel`: matching personnel (units x the contributor's unit size) at most `value`."""

from __future__ import annotations

import numpy as np

from ..model.context import BuildContext
from .limits import TotalLimit


class MaxPersonnel(TotalLimit):
    kind = "max_personnel"
    summary = "the matching personnel of c (units x c's unit size) total at most `value`"
    binding_rule = (
        "yes when a matching unit that could fill a gap (short requirement, spare pledge) no "
        "longer fits under the cap, or not even the smallest matching unit fits"
    )
    sense = "max"

    def weights(self, ctx: BuildContext, positions: np.ndarray) -> np.ndarray:
        assert ctx.x is not None
        return ctx.x["personnel_per_unit"].to_numpy(dtype=float)[positions]
