"""`requires`: the contributor deploys anything (matching) only if `other` deploys at least one unit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, rows_of


class Requires(CaveatKind):
    kind = "requires"
    summary = "c deploys (what matches) only if `other` deploys at least one unit"
    binding_rule = (
        "yes when `other` deploys nothing, so the contributor's matching options stay unused"
    )
    needs_other = True

    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """Where `other` has no option left at all, the matching options go (to a fixed point,
        so that a chain A requires B requires C collapses when C cannot deploy)."""
        changed = True
        while changed:
            changed = False
            # explain mode keeps every rule switchable on its own: only an `other` with no
            # option at all forbids here; chains are left to the rows that model them
            keep = ctx.kept_mask() if not ctx.explain else np.ones(len(ctx.cand), dtype=bool)
            deployable = set(ctx.cand.loc[keep, "contributor"])
            for row in rows_of(rows):
                if row["other"] == row["contributor"] or row["other"] in deployable:
                    continue
                mask = ctx.match_cand(row) & keep
                if mask.any():
                    ctx.forbid(row["id"], mask)
                    changed = not ctx.explain

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        assert ctx.x is not None
        ub = ctx.x["ub"].to_numpy(dtype=float)
        xcols = ctx.x["col"].to_numpy()
        deploys: dict[str, int] = {}
        for row in rows_of(rows):
            positions = ctx.match_x(row)
            if row["other"] == row["contributor"]:
                ctx.notes[row["id"]] = "requires itself: no effect"
                continue
            if not len(positions):
                continue
            other = row["other"]
            if not len(ctx.x_of(other)):
                continue  # other has no option at all: `forbid` already removed these (or pins them)
            if other not in deploys:
                mine = ctx.x_of(other)
                deploys[other] = int(
                    ctx.indicators(
                        f"deploys.{other}",
                        np.zeros(len(mine), dtype=np.int64),
                        mine,
                        keys=[(other,)],
                        upper_link=False,
                        lower_link=True,
                        origin=f"caveat {row['id']}",
                        kind=self.kind,
                    )[0]
                )
            big_m = ub[positions].sum()
            ctx.lm.add_rows(
                f"caveat.{row['id']}",
                [(row["id"],)],
                np.zeros(len(positions) + 1, dtype=np.int64),
                np.concatenate([xcols[positions], [deploys[other]]]),
                np.concatenate([np.ones(len(positions)), [-big_m]]),
                -np.inf,
                0.0,
                origin=f"caveat {row['id']}",
                kind=self.kind,
            )

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        out = {}
        for row in rows_of(rows):
            if row["other"] == row["contributor"]:
                out[row["id"]] = False
                continue
            other_total = sol.total(ctx.x_of(row["other"]))
            held_back = len(ctx.match_x(row)) > 0 or len(ctx.forbidden_by.get(row["id"], [])) > 0
            out[row["id"]] = other_total == 0 and held_back
        return out
