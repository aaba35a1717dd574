"""A caveat that changed when a line first went short: the Sustainability sheet's
`first_short_because` (results/first_short.py) for a contributor whose units left the line.

For contributor c, which held units of k at site s in period p (the line's last active period
before it went short) and has fewer there in f (the first short period), a caveat row q of c's
is said when it comes into force between them,

    p < from(q) <= f <= to(q)

and can keep c's unit off (s, k): an `exclude` whose filters select (k, s), an `only` whose
filters do not, any other kind (a cap, `not_with`, `no_weakening`, ... which can take the unit
elsewhere) whatever its filters. And a `requires` of c in force in f whose `other` had a
pledge then but none past p.. f: every pledge of the other ended before f, one at or after p
(`caveat RQ (E requires F): F's mandate ends 2027-03`).

A differential trial lifted each such caveat (or extended the other's mandate) and the line
stayed covered, where the column had said the unit `leaves` or `moves to S2 (priority 2)`.
"""

from __future__ import annotations

import pandas as pd

from ..caveats import KINDS
from ..data import Data, is_blank
from ..explain.gaps_time import ended_words
from ..explain.rules import describe_caveat
from ..model.filters import in_window, selects


def caveat_then(data: Data, c: str, k: str, s: str, prev: int, first: int) -> str | None:
    """What a caveat of c's says of its units leaving line (s, k) between periods `prev` and
    `first` (the module's docstring), or None."""
    live = data.live_caveats()
    if not len(live):
        return None
    own = live[live["contributor"] == c].to_dict("records")
    names = [str(n) for n in data.period_names]
    for row in own:
        starts = prev < int(row["from_t"]) <= first <= int(row["to_t"])
        if starts and _keeps_off(data, row, k, s):
            return f"{describe_caveat(data, str(row['id']))} applies from {names[first]}"
    for row in own:
        if row["caveat"] != "requires" or not in_window(row, first) or is_blank(row["other"]):
            continue
        last = _last_before(data.pledges, str(row["other"]), prev, first)
        if last is not None:
            months = int(data.period_months[last])
            ended = ended_words(str(row["other"]), names[last], data.scenario, months)
            return f"{describe_caveat(data, str(row['id']))}: {ended}"
    return None


def _keeps_off(data: Data, row: dict, k: str, s: str) -> bool:
    """Caveat `row` can keep its contributor's unit off (s, k): its kind's `keeps_off` of
    whether its filters select (k, s)."""
    cap = data.capabilities.set_index("capability")
    site = data.sites.set_index("site")
    values = {
        "capability": k,
        "category": cap.at[k, "category"],
        "site": s,
        "zone": site.at[s, "zone"],
        "country": site.at[s, "country"],
    }
    return KINDS[str(row["caveat"])].keeps_off(row, selects(row, values.__getitem__))


def _last_before(pledges: pd.DataFrame, other: str, prev: int, first: int) -> int | None:
    """The last period of `other`'s pledges when all end before `first` and one at or after
    `prev` (its mandate ended between them); None otherwise."""
    rows = pledges[pledges["contributor"] == other]
    if not len(rows):
        return None
    last = int(rows["to_t"].max())
    return last if prev <= last < first else None
