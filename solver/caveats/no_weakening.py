"""`no_weakening`: requirements at the contributor's home (or the matching) sites become hard.

Index-set rule on requirements (before the rows exist; no row of its own):

    H  :=  H  union  Q(r)

so that the requirement row of each (s,k) in Q(r) (block `requirement`, key (s, k)) holds with
equality:

    sum_{c'} x[c',k,s]  =  n[s,k]        for (s,k) in Q(r), n[s,k] > 0

    r         a `no_weakening` row of the Caveats sheet
    c         its contributor
    H         the hard requirements (the Requirements sheet's `hard`, then every caveat's Q(r))
    Q(r)      the requirements (s,k) whose capability k matches the caveat's `capability` and
              `category` filters and whose site s matches its `site`, `zone` and `country`
              filters; with no site filter at all, the sites whose `country` is c's code
    x[c',k,s] whole units of capability k that any contributor c' sends to site s
    n[s,k]    the units the requirement asks for

In time: Q(r) is hard only in the periods of the caveat's window in which the line is
active: the requirement rows (s, k, t) of those periods hold with equality.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import is_blank, required_units
from ..errors import WARNING, Issue
from ..io.schema import SITE_FILTERS
from ..model.context import BuildContext
from ..model.filters import TableIndex, with_filter_columns
from .base import CaveatKind, SolutionView, rows_of, window

if TYPE_CHECKING:
    from ..explain.gaps import GapExplainer
    from ..generate.draws import DrawWorld


class NoWeakening(CaveatKind):
    kind = "no_weakening"
    summary = (
        "every requirement at the matching sites is hard (met in full, by c or by others "
        "backfilling); with no site filter, the sites whose country is c's code"
    )
    binding_rule = "yes when it makes at least one requirement hard that the workbook left soft"
    in_time = (
        "the matching lines are hard in every period of the caveat's window in which they are"
        " active"
    )
    witness_rule = True
    acts_beyond_own_units = True
    beyond_own_units = "made lines hard"
    draw_order = 10

    def matching_requirements(self, ctx: BuildContext, row: pd.Series) -> np.ndarray:
        """The lines (Requirements positions) the row's filters select, of any contributor
        and in any period (the window is `harden`'s); with no site filter, at the sites whose
        country is c's code."""
        if all(is_blank(row.get(f)) for f in SITE_FILTERS):
            row = pd.Series({**dict(row), "country": row["contributor"]})
        lines = ctx.data.requirements[["site", "capability"]].copy()
        index = TableIndex(with_filter_columns(lines, ctx.data))
        return np.flatnonzero(index.match(row, contributor=False))

    def check_against(self, rows: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> Iterator[Issue]:
        """A row without site filters protects the sites whose `country` is c's code: where
        no site has it, the caveat protects nothing (a warning at its contributor cell). A row
        of an unavailable contributor has no effect, as every caveat of one (`active_caveats`),
        though this kind's lines concern others too: said at its contributor cell."""
        countries = set(tables["Sites"].get("country", pd.Series(dtype=object)))
        contributors = tables["Contributors"]
        status = dict(zip(contributors["contributor"], contributors["status"], strict=True))
        for row in rows_of(rows):
            at = str(row.get("_at_contributor") or row.get("_where") or "Caveats")
            said = f"caveat {row['id']} ({row['contributor']} no_weakening)"
            if status.get(row["contributor"]) == "unavailable":
                yield Issue(
                    at,
                    f"{said} has no effect: {row['contributor']} is unavailable, and a caveat "
                    "of an unavailable contributor is lifted, so its lines are not made hard "
                    "(mark them hard on the Requirements sheet to keep them so)",
                    WARNING,
                )
            elif all(is_blank(row.get(f)) for f in SITE_FILTERS) and (
                row["contributor"] not in countries
            ):
                yield Issue(
                    at,
                    f"{said} has no site filter, so it protects the sites whose country is "
                    f"{row['contributor']}, and no site has that country: it has no effect "
                    "(give it a site, zone or country, or check the Sites' country codes)",
                    WARNING,
                )

    def harden(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        for row in rows_of(rows):
            idx = self.matching_requirements(ctx, row)
            span = window(ctx, row)
            ctx.harden(row["id"], idx, (span.start, span.stop - 1) if ctx.timed else None)
            if not len(idx):
                ctx.notes[row["id"]] = "matches no requirement: no effect"

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        """Yes when a line it hardens is soft in the workbook and requires units in a period of
        the caveat's window (a line whose window, or Profile, asks nothing then has no row
        there to harden)."""
        soft = ~ctx.data.requirements["hard"].to_numpy(dtype=bool)
        requires = required_units(ctx.data) > 0  # lines x periods; a Profile may raise a 0
        out = {}
        for row in rows_of(rows):
            idx = ctx.hardened_by.get(row["id"], np.zeros(0, np.int64))
            first, last = ctx.hard_window.get(row["id"], (0, ctx.n_periods - 1))
            then = requires[idx, first : last + 1]
            out[row["id"]] = bool((soft[idx][:, None] & then).any())
        return out

    def keeps_off(self, row: dict, selected: bool) -> bool:
        """An option it does not select: the home front it makes hard takes the unit home."""
        return not selected

    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """None: it keeps no unit out (it only makes requirements hard)."""
        return None

    def place(self, rng: np.random.Generator, world: DrawWorld) -> None:
        """One for each frontline contributor whose home lines the witness can fill; if none,
        one on a single line (named by site and capability) that it can."""
        case, w = world.case, world.witness
        for c in world.frontline:
            lines = [key for key in case.requirements if w.site[key[0]]["country"] == c]
            if lines and w.fill(lines):
                world.add(c, self.kind, {}, note="home front: requirements there are hard")
        if not any(cv["caveat"] == self.kind for cv in case.caveats):
            for s, k in case.requirements:
                if w.fill([(s, k)]):
                    world.add(world.frontline[0], self.kind, {"site": s, "capability": k})
                    break
