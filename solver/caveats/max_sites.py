"""`max_sites`: the sites where the contributor has matching allocations number at most `value`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import is_blank
from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, ValueRule, rows_of, value_of


def site_indicators(ctx: BuildContext, row: pd.Series, positions: np.ndarray) -> np.ndarray:
    """A 0/1 column per site that is 1 when the caveat's matching allocations use the site.

    Without a capability filter every allocation of the contributor at a site matches, so the
    site's presence variable serves and no new binary is needed.
    """
    assert ctx.x is not None
    sites = ctx.x["site"].to_numpy()[positions]
    if is_blank(row.get("capability")) and is_blank(row.get("category")):
        unique = np.array(sorted(set(sites)), dtype=object)
        return ctx.presence_cols(np.full(len(unique), row["contributor"], dtype=object), unique)
    keys = [(row["contributor"], s) for s in sorted(set(sites))]
    order = {k[1]: i for i, k in enumerate(keys)}
    group = np.array([order[s] for s in sites], dtype=np.int64)
    return ctx.indicators(
        f"caveat.{row['id']}.at",
        group,
        positions,
        keys=keys,
        origin=f"caveat {row['id']}",
        kind="site_use",
    )


class MaxSites(CaveatKind):
    kind = "max_sites"
    summary = "the sites where c has matching allocations number at most `value`"
    binding_rule = "yes when the contributor's matching allocations use exactly `value` sites"
    value_rule = ValueRule()

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        assert ctx.x is not None
        for row in rows_of(rows):
            positions = ctx.match_x(row)
            n_sites = len(set(ctx.x["site"].to_numpy()[positions]))
            if n_sites <= value_of(row):
                ctx.notes.setdefault(
                    row["id"], "fewer matching sites than the limit: no row needed"
                )
                continue
            cols = site_indicators(ctx, row, positions)
            ctx.lm.add_rows(
                f"caveat.{row['id']}",
                [(row["id"],)],
                np.zeros(len(cols), dtype=np.int64),
                cols,
                1.0,
                -np.inf,
                value_of(row),
                origin=f"caveat {row['id']}",
                kind=self.kind,
            )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        assert ctx.x is not None
        out = {}
        for row in rows_of(rows):
            positions = ctx.match_x(row)
            used = {
                s
                for s, v in zip(
                    ctx.x["site"].to_numpy()[positions], sol.xval[positions], strict=True
                )
                if v > 0
            }
            n_options = len(set(ctx.x["site"].to_numpy()[positions]))
            out[row["id"]] = n_options > value_of(row) and len(used) >= value_of(row)
        return out
