"""The caveats the baseline breaks: the `why` of a decrease a caveat forces.

What the baseline held, b[c,k,s,t] (units of c's k at s in period t), is read under each caveat
of c in each period t of its window, over the options (k', s') its filters match. Each kind says
in its own module (`CaveatKind.baseline_breach`) when that cannot stay, and in which words:

    max_units       sum of b[c,k',s',t] over the matched (k', s')                > value
    max_personnel   the same sum, each unit times c's personnel per unit of k'    > value
    max_sites       the number of sites s' with a matched b[c,k',s',t] > 0        > value
    min_contingent  0 < b[c,k,s,t] < value at the option (k, s) itself
    not_with        c (matched) and its `other` (any capability) both held units at s in t;
                    the caveat is read for the other's decrease too

A decrease of (k, s) in t is then said `caveat C16 (ESP max_units 3) caps what the baseline held
(4 units)`, the caveat described as on the Gaps sheet.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from ..caveats import KINDS
from ..data import Data, is_blank
from ..explain.rules import describe_caveat
from ..model.candidates import candidates
from ..model.filters import selects


class HeldUnder:
    """What the baseline held, read under the caveats (for `CaveatKind.baseline_breach`)."""

    def __init__(self, data: Data, held: pd.DataFrame) -> None:
        self.timed = data.periods is not None
        self.category = dict(
            zip(data.capabilities["capability"], data.capabilities["category"], strict=True)
        )
        self.place = data.sites.set_index("site")[["country", "zone"]].to_dict("index")
        self.size = data.pledge_ppu().to_dict()
        self.by: dict[tuple[str, int], list[tuple[str, str, int]]] = defaultdict(list)
        columns = ["contributor", "capability", "site", "t", "units"]
        for c, k, s, t, n in held[columns].itertuples(index=False):
            self.by[(c, int(t))].append((k, s, int(n)))
        self.data = data
        self._options: set[tuple[str, str, str, int]] | None = None
        self._at: set[tuple[str, str, int]] | None = None

    def options(self) -> set[tuple[str, str, str, int]]:
        """(c, k, s, t): c can send k to s in t in the new workbook, before any caveat
        (available, pledging k, which s requires then, within the pledge's window); read once,
        when first asked (a caveat's rule, or a line's: `change_lines`)."""
        if self._options is None:
            cand = candidates(self.data)
            times = cand["t"].astype(int).tolist()
            self._options = set(
                zip(cand["contributor"], cand["capability"], cand["site"], times, strict=True)
            )
        return self._options

    def can_be_at(self, c: str, s: str, t: int) -> bool:
        """c can have a unit (of any capability) at s in t (`options`)."""
        if self._at is None:
            self._at = {(c2, s2, t2) for c2, _, s2, t2 in self.options()}
        return (c, s, t) in self._at

    def matched(self, row: dict, t: int) -> list[tuple[str, str, int]]:
        """(k, s, units) the baseline held of the caveat's contributor in t, matched by it."""
        held = self.by.get((row["contributor"], t), [])
        return [(k, s, n) for k, s, n in held if self.matches(row, k, s, t)]

    def units(self, c: str, k: str | None, s: str, t: int) -> int:
        """The units c held at s in t (of capability k; of any when k is None)."""
        return sum(n for k2, s2, n in self.by.get((c, t), []) if s2 == s and k in (None, k2))

    def personnel(self, c: str, k: str) -> float:
        return float(self.size.get((c, k), 0))

    def matches(self, row: dict, k: str, s: str, t: int) -> bool:
        """The caveat's filters (and, in time, its window) select (k, s) in t."""
        place = self.place.get(s, {})
        value_of = {
            "capability": k,
            "category": self.category.get(k),
            "site": s,
            "zone": place.get("zone"),
            "country": place.get("country"),
        }
        return selects(row, value_of.__getitem__, t if self.timed else None)


class Caps:
    """The caveats of each available contributor (its own, and those naming it as `other`) and
    what the baseline held under them; an unavailable contributor's caveats have no effect."""

    def __init__(self, data: Data, held: pd.DataFrame) -> None:
        self.data = data
        self.held = HeldUnder(data, held)
        self.caveats: dict[str, list[dict]] = defaultdict(list)
        rows = data.caveats.to_dict("records") if len(data.caveats) else []
        for row in rows:
            if row["caveat"] not in KINDS or row["contributor"] not in data.available:
                continue
            self.caveats[row["contributor"]].append(row)
            other = row.get("other")
            if not is_blank(other) and other != row["contributor"]:
                self.caveats[str(other)].append(row)

    def why(self, c: str, k: str, s: str, t: int) -> str:
        """The first caveat whose reading says c's units of k at s in t cannot all stay."""
        for row in self.caveats.get(c, []):
            said = KINDS[row["caveat"]].baseline_breach(row, self.held, c, k, s, t)
            if said:
                return f"{describe_caveat(self.data, row['id'])} {said}"
        return ""
