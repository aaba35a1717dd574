"""A caveat that changed when a line first went short: the Sustainability sheet's
`first_short_because` (results/first_short.py) for a contributor whose units left the line.

For contributor c, which held units of k at site s in period p (the line's last active period
before it went short) and has fewer there in f (the first short period), a restriction G of
c's (a caveat row, or the rows its kind makes one restriction of: a contributor's `only` rows,
`acting_together`) is said when it keeps the unit off (s, k) in f and did not in p:

    off(G, t) = R(G, t) non-empty and every q in R(G, t) keeps it off
    said when off(G, f) and not off(G, p)

with R(G, t) the rows of G whose window holds t, and "q keeps it off" its kind's `keeps_off`
of whether its filters select (k, s): a cap (`exclude`, `max_units`, `requires`, ...) where it
selects the option, a floor or a home front (`min_units`, `no_weakening`) where it does not, an
`only` row where it does not (so `only` rows keep it off only where none selects it: their
union). And a caveat of c in force in f whose kind waits for its `other` (`waits_for_other`:
`requires`), that selects (k, s) and whose `other` had a pledge in p but none in f: every
pledge of the other ended before f, one at or after p (`caveat RQ (E requires F): F's mandate
ends 2027-03`).

A differential trial lifted each such caveat (or extended the other's mandate) and the line
stayed covered, where the column had said the unit `leaves` or `moves to S2 (priority 2)`.
"""

from __future__ import annotations

import pandas as pd

from ..caveats import KINDS
from ..data import Data, is_blank
from ..explain.gaps_time import ended_words
from ..explain.rules import describe_caveat
from ..model.filters import in_window, selects, with_filter_columns


def caveat_then(data: Data, c: str, k: str, s: str, prev: int, first: int) -> str | None:
    """What a restriction of c's says of its units leaving line (s, k) between periods `prev`
    and `first` (the module's docstring), or None."""
    live = data.live_caveats()
    own = live[live["contributor"] == c] if len(live) else live
    if not len(own):
        return None
    names = [str(n) for n in data.period_names]
    values = _option_values(data, k, s)
    for kind, rows in own.groupby("caveat", sort=False):
        by_id = {str(r["id"]): r for r in rows.to_dict("records")}
        for group in KINDS[str(kind)].acting_together(rows):
            members = [by_id[i] for i in group]
            if _off(members, values, first) and not _off(members, values, prev):
                now = [r for r in members if in_window(r, first)]
                started = any(int(r["from_t"]) > prev for r in now)
                said = "; ".join(describe_caveat(data, str(r["id"])) for r in now)
                return f"{said} {'applies' if started else 'alone applies'} from {names[first]}"
    for row in own.to_dict("records"):
        waits = KINDS[str(row["caveat"])].waits_for_other
        if not waits or not in_window(row, first) or is_blank(row["other"]):
            continue
        last = _last_before(data.pledges, str(row["other"]), prev, first)
        if last is not None and selects(row, values.__getitem__):
            months = int(data.period_months[last])
            ended = ended_words(str(row["other"]), names[last], data.scenario, months)
            return f"{describe_caveat(data, str(row['id']))}: {ended}"
    return None


def _off(rows: list[dict], values: dict[str, object], t: int) -> bool:
    """off(G, t) of the module's docstring: rows of one restriction in force in t, each
    keeping the option whose filter `values` are given off."""
    now = [r for r in rows if in_window(r, t)]
    return bool(now) and all(
        KINDS[str(r["caveat"])].keeps_off(r, selects(r, values.__getitem__)) for r in now
    )


def _option_values(data: Data, k: str, s: str) -> dict[str, object]:
    """The filter values of option (k, s): its capability, category, site, zone, country."""
    option = pd.DataFrame({"capability": [k], "site": [s]})
    return with_filter_columns(option, data).iloc[0].to_dict()


def _last_before(pledges: pd.DataFrame, other: str, prev: int, first: int) -> int | None:
    """The last period of `other`'s pledges when all end before `first` and one at or after
    `prev` (its mandate ended between them); None otherwise."""
    rows = pledges[pledges["contributor"] == other]
    if not len(rows):
        return None
    last = int(rows["to_t"].max())
    return last if prev <= last < first else None
