"""`no_weakening`: requirements at the contributor's home (or the matching) sites become hard."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import is_blank
from ..model.context import BuildContext
from .base import CaveatKind, SolutionView, rows_of

SITE_FILTERS = ("site", "zone", "country")


class NoWeakening(CaveatKind):
    kind = "no_weakening"
    summary = (
        "every requirement at the matching sites is hard (met in full, by c or by others "
        "backfilling); with no site filter, the sites whose country is c's code"
    )
    binding_rule = "yes when it makes at least one requirement hard that the workbook left soft"

    def matching_requirements(self, ctx: BuildContext, row: pd.Series) -> np.ndarray:
        req = ctx.data.requirements
        sites = ctx.data.sites.set_index("site")
        cats = ctx.data.capabilities.set_index("capability")["category"]
        mask = np.ones(len(req), dtype=bool)
        if all(is_blank(row.get(f)) for f in SITE_FILTERS):
            mask &= (sites["country"].reindex(req["site"]) == row["contributor"]).to_numpy()
        for column in SITE_FILTERS:
            if not is_blank(row.get(column)):
                values = req["site"] if column == "site" else sites[column].reindex(req["site"])
                mask &= values.to_numpy() == row[column]
        if not is_blank(row.get("capability")):
            mask &= (req["capability"] == row["capability"]).to_numpy()
        if not is_blank(row.get("category")):
            mask &= cats.reindex(req["capability"]).to_numpy() == row["category"]
        return np.flatnonzero(mask)

    def harden(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        for row in rows_of(rows):
            idx = self.matching_requirements(ctx, row)
            ctx.harden(row["id"], idx)
            if not len(idx):
                ctx.notes[row["id"]] = "matches no requirement: no effect"

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        soft = ~ctx.data.requirements["hard"].to_numpy(dtype=bool)
        units = ctx.data.requirements["units"].to_numpy()
        out = {}
        for row in rows_of(rows):
            idx = ctx.hardened_by.get(row["id"], np.zeros(0, np.int64))
            out[row["id"]] = bool((soft[idx] & (units[idx] > 0)).any())
        return out
