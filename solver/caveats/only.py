"""`only`: the contributor sends only what matches at least one of its `only` rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, rows_of


class Only(CaveatKind):
    kind = "only"
    summary = "c sends only what matches at least one of its `only` rows"
    binding_rule = (
        "yes when an option outside the contributor's `only` rows would fill a short requirement "
        "with a unit it still has spare (all `only` rows of one contributor bind together)"
    )

    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        for contributor, group in rows.groupby("contributor", sort=True):
            allowed = np.zeros(len(ctx.cand), dtype=bool)
            for row in rows_of(group):
                allowed |= ctx.match_cand(row)
            outside = (ctx.cand["contributor"] == contributor).to_numpy() & ~allowed
            for row in rows_of(group):
                ctx.forbid(row["id"], outside)

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        return {r["id"]: sol.open_options(ctx.forbidden_by.get(r["id"], [])) for r in rows_of(rows)}
