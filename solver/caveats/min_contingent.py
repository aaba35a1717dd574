"""`min_contingent`: each matching allocation is either 0 or at least `value` units."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, ValueRule, rows_of, value_of


class MinContingent(CaveatKind):
    kind = "min_contingent"
    summary = "each matching allocation x[c,k,s] is either 0 or at least `value` (minimum viable contingent)"
    binding_rule = (
        "yes when an allocation sits exactly at the minimum, or an option too small to reach it "
        "would have filled a short requirement"
    )
    value_rule = ValueRule()

    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """An option whose bound is below the minimum can only be 0: it is not created at all."""
        ub = ctx.cand["ub"].to_numpy()
        for row in rows_of(rows):
            ctx.forbid(row["id"], ctx.match_cand(row) & (ub < value_of(row)))

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        assert ctx.x is not None
        ub = ctx.x["ub"].to_numpy(dtype=float)
        xcols = ctx.x["col"].to_numpy()
        for row in rows_of(rows):
            value = value_of(row)
            positions = ctx.match_x(row)
            if value <= 1 or not len(positions):
                continue  # whole units are already 0 or >= 1
            x = ctx.x.iloc[positions]
            keys = list(zip(x["contributor"], x["capability"], x["site"], strict=True))
            name = f"caveat.{row['id']}"
            on = ctx.lm.add_vars(
                f"{name}.on", keys, 0, 1, binary=True, origin=f"caveat {row['id']}"
            )
            n = len(positions)
            local = np.arange(n)
            # x >= value * on   and   x <= ub * on
            for suffix, lower, upper, coef in (
                ("min", 0.0, np.inf, -value),
                ("max", -np.inf, 0.0, None),
            ):
                on_coef = np.full(n, coef) if coef is not None else -ub[positions]
                ctx.lm.add_rows(
                    f"{name}.{suffix}",
                    keys,
                    np.concatenate([local, local]),
                    np.concatenate([xcols[positions], on]),
                    np.concatenate([np.ones(n), on_coef]),
                    lower,
                    upper,
                    origin=f"caveat {row['id']}",
                    kind=self.kind,
                    link="forces" if suffix == "max" else "",
                )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        out = {}
        for row in rows_of(rows):
            at_min = bool((sol.xval[ctx.match_x(row)] == value_of(row)).any())
            removed = sol.open_options(ctx.forbidden_by.get(row["id"], np.zeros(0, np.int64)))
            out[row["id"]] = value_of(row) > 1 and (at_min or removed)
        return out
