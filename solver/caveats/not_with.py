"""`not_with`: no site holds both a matching allocation of the contributor and any of `other`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, rows_of
from .max_sites import site_indicators


class NotWith(CaveatKind):
    kind = "not_with"
    summary = "no site holds both a matching allocation of c and any allocation of `other`"
    binding_rule = "yes when, at a site where both have options, one of the two is present and the other is not"
    needs_other = True

    def shared_sites(self, ctx: BuildContext, row: pd.Series) -> tuple[np.ndarray, list[str]]:
        assert ctx.x is not None
        positions = ctx.match_x(row)
        mine = set(ctx.x["site"].to_numpy()[positions])
        theirs = set(ctx.x["site"].to_numpy()[ctx.x_of(row["other"])])
        shared = sorted(mine & theirs)
        keep = np.isin(ctx.x["site"].to_numpy()[positions], shared)
        return positions[keep], shared

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        for row in rows_of(rows):
            if row["other"] == row["contributor"]:
                ctx.notes[row["id"]] = "not_with itself: no effect"
                continue
            positions, shared = self.shared_sites(ctx, row)
            if not shared:
                ctx.notes.setdefault(row["id"], "the two share no site option: no row needed")
                continue
            mine = site_indicators(ctx, row, positions)
            theirs = ctx.presence_cols(
                np.full(len(shared), row["other"], dtype=object), np.array(shared, dtype=object)
            )
            n = len(shared)
            ctx.lm.add_rows(
                f"caveat.{row['id']}",
                [(row["id"], s) for s in shared],
                np.concatenate([np.arange(n), np.arange(n)]),
                np.concatenate([mine, theirs]),
                1.0,
                -np.inf,
                1.0,
                origin=f"caveat {row['id']}",
                kind=self.kind,
            )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        assert ctx.x is not None
        out = {}
        site = ctx.x["site"].to_numpy()
        for row in rows_of(rows):
            if row["other"] == row["contributor"]:
                out[row["id"]] = False
                continue
            positions, shared = self.shared_sites(ctx, row)
            theirs = ctx.x_of(row["other"])
            hit = False
            for s in shared:
                a = sol.xval[positions[site[positions] == s]].sum() > 0
                b = sol.xval[theirs[site[theirs] == s]].sum() > 0
                hit |= a != b
            out[row["id"]] = bool(hit)
        return out
