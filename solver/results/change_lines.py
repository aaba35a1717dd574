"""The site and line rules the baseline breaks: the `why` of a decrease that `single_source` or
`max_contributors` forces (workbook.md's model, read in each period in time).

With b[c,k,s,t] the baseline's units and C(s,k,t) = {c : b[c,k,s,t] > 0 and c can still send
k to s in t} (available, pledging k within its window: the model's candidates, less the options
a caveat removed), C(s,t) their union over every capability k:

    single_source(s,k)      |C(s,k,t)| > 1     `S1/INF is single-source: the baseline has A and B
                                                there` (said of each one's decrease: which of
                                                them stays is the plan's choice)
    max_contributors(s) = m |C(s,t)| > m       `S1 takes at most 1 contributor: the baseline has 2
                                                there (A and B)`

A contributor that can no longer be at s is not counted: its decrease has its own reason, and
the others' units may stay (a review: B alone under a limit of 1, with A kept out by a caveat,
was said forced). These rules come after the line's own (`requires only`): a contributor that
stays on a line the baseline overfilled is short of units by that, not by the line's rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet

import pandas as pd

from ..data import Data, is_blank
from ..wording import count, joined
from .change_caps import HeldUnder


class LineRules:
    """The single-source lines and contributor limits of the new workbook, with what the
    baseline held under them."""

    def __init__(
        self,
        data: Data,
        held: pd.DataFrame,
        forbidden: AbstractSet[tuple[str, str, str, int]],
        under: HeldUnder,
    ) -> None:
        """`forbidden`: the options a caveat removed; `under` gives the options before caveats
        (`HeldUnder.options`, read once for the caveats' rules and these)."""
        rq = data.requirements
        self.single = {
            (s, k)
            for s, k, one in zip(rq["site"], rq["capability"], rq["single_source"], strict=True)
            if bool(one)
        }
        self.limit = {
            str(s): int(m)
            for s, m in zip(data.sites["site"], data.sites["max_contributors"], strict=True)
            if not is_blank(m)
        }
        self.on_line: dict[tuple[str, str, int], set[str]] = defaultdict(set)
        self.at_site: dict[tuple[str, int], set[str]] = defaultdict(set)
        if not (self.single or self.limit) or not len(held):
            return
        options = under.options()
        columns = ["contributor", "capability", "site", "t", "units"]
        for c, k, s, t, n in held[columns].itertuples(index=False):
            key = (c, k, s, int(t))
            if n > 0 and key in options and key not in forbidden:
                self.on_line[(s, k, int(t))].add(c)
                self.at_site[(s, int(t))].add(c)

    def why(self, c: str, k: str, s: str, t: int) -> str:
        """Why c's units of k at s in t cannot all stay by a line's or a site's rule ('')."""
        there = self.on_line.get((s, k, t), set())
        if (s, k) in self.single and c in there and len(there) > 1:
            return f"{s}/{k} is single-source: the baseline has {joined(sorted(there))} there"
        limit = self.limit.get(s)
        present = self.at_site.get((s, t), set())
        if limit is not None and c in present and len(present) > limit:
            return (
                f"{s} takes at most {count(limit, 'contributor')}: the baseline has "
                f"{len(present)} there ({joined(sorted(present))})"
            )
        return ""
