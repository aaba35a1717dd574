"""The caveats that cap what the baseline held: the `why` of a decrease a cap forces.

A `max_units`, `max_personnel` or `max_sites` caveat of contributor c caps, in each period t of
its window, c's units present at the options (k', s') its filters match. The baseline cannot stay
under it when what it held of them in t is above the caveat's value:

    max_units      sum of b[c,k',s',t] over the matched (k', s')                     > value
    max_personnel  the same sum, each unit times c's personnel per unit of k'         > value
    max_sites      the number of sites s' with a matched b[c,k',s',t] > 0             > value

A decrease of a matched option (k, s) in t is then said `caveat C16 (ESP max_units 3) caps what
the baseline held (4 units)`, as the caveat is described on the Gaps sheet.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from ..data import Data, is_blank
from ..explain.rules import FILTERS, describe_caveat

CAPS = {"max_units": "unit", "max_personnel": "personnel", "max_sites": "site"}


class Caps:
    """The cap caveats of each contributor and what the baseline held under them."""

    def __init__(self, data: Data, held: pd.DataFrame) -> None:
        self.data = data
        self.timed = data.periods is not None
        cav = data.caveats
        rows = cav[cav["caveat"].isin(list(CAPS))].to_dict("records") if len(cav) else []
        self.caveats: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            self.caveats[row["contributor"]].append(row)
        self.category = dict(
            zip(data.capabilities["capability"], data.capabilities["category"], strict=True)
        )
        self.place = data.sites.set_index("site")[["country", "zone"]].to_dict("index")
        self.size = data.pledge_ppu().to_dict()
        self.held: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
        for c, k, s, t, n in held[["contributor", "capability", "site", "t", "units"]].itertuples(
            index=False
        ):
            self.held[c].append((k, s, int(t), int(n)))
        self._figure: dict[tuple[str, int], float] = {}

    def why(self, c: str, k: str, s: str, t: int) -> str:
        """The first cap caveat of c over (k, s) in t that the baseline held too much under."""
        for row in self.caveats.get(c, []):
            if not self.matches(row, k, s, t) or is_blank(row.get("value")):
                continue
            figure = self.figure(row, c, t)
            if figure > float(row["value"]):
                what = CAPS[row["caveat"]]
                amount = f"{figure:g} {what if what == 'personnel' or figure == 1 else what + 's'}"
                return f"{describe_caveat(self.data, row['id'])} caps what the baseline held ({amount})"
        return ""

    def figure(self, row: dict, c: str, t: int) -> float:
        """What the baseline held in t under the caveat: units, personnel or sites."""
        key = (str(row["id"]), t)
        if key not in self._figure:
            matched = [(k, s, n) for k, s, at, n in self.held.get(c, []) if at == t]
            matched = [(k, s, n) for k, s, n in matched if self.matches(row, k, s, t)]
            if row["caveat"] == "max_sites":
                value = float(len({s for _, s, _ in matched}))
            elif row["caveat"] == "max_personnel":
                value = float(sum(n * float(self.size.get((c, k), 0)) for k, _, n in matched))
            else:
                value = float(sum(n for _, _, n in matched))
            self._figure[key] = value
        return self._figure[key]

    def matches(self, row: dict, k: str, s: str, t: int) -> bool:
        """The caveat's filters (and, in time, its window) select (k, s) in t."""
        if self.timed and not row["from_t"] <= t <= row["to_t"]:
            return False
        place = self.place.get(s, {})
        value_of = {
            "capability": k,
            "category": self.category.get(k),
            "site": s,
            "zone": place.get("zone"),
            "country": place.get("country"),
        }
        return all(is_blank(row.get(f)) or row[f] == value_of[f] for f in FILTERS)
