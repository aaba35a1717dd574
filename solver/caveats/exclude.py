"""`exclude`: the contributor sends nothing that matches (e.g. no ground troops in UKR)."""

from __future__ import annotations

import pandas as pd

from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, rows_of


class Exclude(CaveatKind):
    kind = "exclude"
    summary = "c sends nothing that matches the filters"
    binding_rule = (
        "yes when an option it removes would fill a short requirement with a unit the contributor "
        "still has spare"
    )

    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        for row in rows_of(rows):
            ctx.forbid(row["id"], ctx.match_cand(row))

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        return {r["id"]: sol.open_options(ctx.forbidden_by.get(r["id"], [])) for r in rows_of(rows)}
