"""A timed plan under check: the Tours as verify reads them, and what they put where and when.

verify's own reading of contract `time.md`, written from its text (it shares nothing with the
model or `solver/time_plan.py`). With periods t in time order, m(t) their month offsets:

    tour        (c, k, s, first, last, n): n units of c's pledge of k at s in first..last
    x[c,k,s,t]  sum of n over the tours of (c, k, s) with first <= t <= last
    length      m(last) + months(last) - m(first)
    dwell       a tour ending at e = m(last) + months(last) keeps its n units of (c, k) at home in
                every period t with e <= m(t) < e + dwell_months(c, k)

A Tours row naming a contributor, capability, site or period the input does not have, or whose
`from` is after its `to`, cannot be placed in time: it is listed in `unplaceable`, which the
reader (tours_sheet.read_tours) reports as errors at their cells, exit 2.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..data import Data, is_blank, required_units
from ..errors import Issue
from ..io.period_names import period_named
from ..io.periods import span
from ..wording import shortened
from .plan import FILTERS, Violation, caveat_label
from .reader import SHEET_OF, dropped_text, unknown_text
from .tours_sheet import TourRows

TOUR_COLUMNS = ["contributor", "capability", "site", "first", "last", "units", "row", "label"]


class Present(NamedTuple):
    """One x[c,k,s,t] > 0 and the Tours rows behind it."""

    contributor: str
    capability: str
    units: int
    rows: tuple[int, ...]


class Schedule:
    """The placeable tours (units > 0) and x[c,k,s,t] with the attributes caveats filter on."""

    def __init__(self, data: Data, rows: TourRows) -> None:
        assert data.periods is not None, "a Schedule needs a timed workbook"
        self.data = data
        self.sheet = rows
        self.periods = data.periods
        self.names: list[str] = [str(p) for p in data.periods["period"]]
        self.months = data.periods["months"].to_numpy(dtype=np.int64)
        self.offset = np.concatenate([[0], np.cumsum(self.months)[:-1]]).astype(np.int64)
        self.warnings: list[Issue] = []
        self.unplaceable: list[Violation] = []
        self.tours = self._place(rows)
        self.x = self._presence()
        con = data.contributors
        self.available = set(con.loc[con["status"] == "available", "contributor"])
        self.pledges = data.pledges.set_index(["contributor", "capability"])
        rq = data.requirements
        self.line_index = {
            (s, k): i for i, (s, k) in enumerate(zip(rq["site"], rq["capability"], strict=True))
        }
        self.required = required_units(data)  # lines x periods

    # --- reading -------------------------------------------------------------------------------
    def _place(self, rows: TourRows) -> pd.DataFrame:
        """Resolve each row's names and periods; keep the rows that can be placed in time."""
        known = {
            "contributor": list(self.data.contributors["contributor"]),
            "capability": list(self.data.capabilities["capability"]),
            "site": list(self.data.sites["site"]),
            "from": self.names,
            "to": self.names,
        }
        records = []
        for rec in rows.frame.to_dict("records"):
            row = int(rec["row"])
            resolved = {  # a cell that could not be read (blank) is said already, at its cell
                n: None
                if _unread(rec[n])
                else self._resolve(n, rec[n], known[n], rows.cell(row, n), row)
                for n in known
            }
            if resolved["from"] is None or resolved["to"] is None:
                continue
            first, last = self.names.index(resolved["from"]), self.names.index(resolved["to"])
            c, k, s = (resolved[n] or rec[n] for n in ("contributor", "capability", "site"))
            if first > last:  # said beside an unknown name of the row too: every mistake at once
                self.unplaceable.append(
                    Violation(
                        "tour_order",
                        (f"{c}/{k}/{s}",),
                        f"{rows.cell(row, 'from')}: tour {c}/{k}/{s}: from {resolved['from']} is "
                        f"after to {resolved['to']}",
                        (row,),
                    )
                )
                continue
            if any(v is None for v in resolved.values()) or _unread(rec["units"]):
                continue
            if int(rec["units"]) > 0:
                label = f"tour {c}/{k}/{s} {span(self.names, first, last)}"
                records.append((c, k, s, first, last, int(rec["units"]), row, label))
        return pd.DataFrame.from_records(records, columns=TOUR_COLUMNS)

    def _resolve(self, name: str, value: Any, known: list[str], where: str, row: int) -> Any:
        """The input's key; a unique match differing only in case is taken, with a warning. A
        period is read as a re-plan's baseline reads the same cell (`period_named`)."""
        if name not in SHEET_OF:
            key, said = period_named(name, value, self.periods)
        elif value in known:
            key, said = value, ""
        else:
            folded = [k for k in known if k.casefold() == str(value).casefold()]
            key = folded[0] if len(folded) == 1 else None
            said = (
                f"{name} '{value}' taken as '{key}' (case differs)"
                if key is not None
                else dropped_text(self.data, name, value)
                or unknown_text(name, value, known, self.data)
            )
        if key is None:
            self.unplaceable.append(Violation("unknown", (str(value),), f"{where}: {said}", (row,)))
        elif said:
            self.warnings.append(Issue(where, said, "warning"))
        return key

    def _presence(self) -> pd.DataFrame:
        """x[c,k,s,t] > 0 with the Tours rows behind it, category, zone, country and unit size."""
        cols = ["contributor", "capability", "site", "t", "units", "rows"]
        spread = [
            (c, k, s, t, n, row)
            for c, k, s, first, last, n, row in self.tours[TOUR_COLUMNS[:7]].itertuples(index=False)
            for t in range(first, last + 1)
        ]
        frame = pd.DataFrame.from_records(spread, columns=[*cols[:5], "row"])
        if len(frame):
            frame = frame.groupby(cols[:4], sort=True, as_index=False).agg(
                units=("units", "sum"), rows=("row", lambda r: tuple(sorted(set(r))))
            )
        else:
            frame = pd.DataFrame(columns=cols)
        cap = self.data.capabilities.set_index("capability")
        sit = self.data.sites.set_index("site")
        frame["category"] = cap["category"].reindex(frame["capability"]).to_numpy()
        frame["zone"] = sit["zone"].reindex(frame["site"]).to_numpy()
        frame["country"] = sit["country"].reindex(frame["site"]).to_numpy()
        frame["ppu"] = self._unit_sizes(frame)
        return frame.reset_index(drop=True)

    def _unit_sizes(self, frame: pd.DataFrame) -> list[float]:
        """c's unit size of k: the pledge's personnel_per_unit, else the capability's."""
        pl = self.data.pledges.set_index(["contributor", "capability"])["personnel_per_unit"]
        cap = self.data.capabilities.set_index("capability")["personnel_per_unit"]
        out = []
        for c, k in zip(frame["contributor"], frame["capability"], strict=True):
            size = pl.get((c, k))
            out.append(float(cap.get(k, 0) if size is None or is_blank(size) else size))
        return out

    # --- what the rules read -------------------------------------------------------------------
    @cached_property
    def allocated(self) -> np.ndarray:
        """sum over c of x[c,k,s,t] for every requirement line (rows) and period (columns)."""
        out = np.zeros(self.required.shape, dtype=np.int64)
        for s, k, t, n in zip(
            self.x["site"], self.x["capability"], self.x["t"], self.x["units"], strict=True
        ):
            line = self.line_index.get((s, k))
            if line is not None:
                out[line, int(t)] += int(n)
        return out

    @cached_property
    def by_site(self) -> dict[tuple[str, int], list[Present]]:
        """x[c,k,s,t] > 0 by (site, period), in contributor order."""
        out: dict[tuple[str, int], list[Present]] = {}
        for c, k, s, t, n, rows in self.x[
            ["contributor", "capability", "site", "t", "units", "rows"]
        ].itertuples(index=False):
            out.setdefault((s, int(t)), []).append(Present(c, k, int(n), tuple(rows)))
        return out

    def on_line(self, s: str, k: str, t: int) -> list[Present]:
        """The x[c,k,s,t] > 0 of line (s, k) in period t."""
        return [p for p in self.by_site.get((s, t), []) if p.capability == k]

    def span(self, first: int, last: int) -> str:
        return span(self.names, first, last)

    def cite(self, rows: tuple[int, ...]) -> str:
        """Tours rows as the console names them: `Tours!A17`, `Tours rows 17, 242`."""
        return self.sheet.cite(rows)

    def length(self, first: int, last: int) -> int:
        """m(last) + months(last) - m(first)."""
        return int(self.offset[last] + self.months[last] - self.offset[first])

    def at(self, t: int) -> pd.DataFrame:
        """The x[c,k,s,t] > 0 of period t."""
        return self._by_period.get(t, self.x.iloc[:0])

    @cached_property
    def _by_period(self) -> dict[int, pd.DataFrame]:
        return {int(t): group for t, group in self.x.groupby("t", sort=True)}

    def caveats(self, kind: str) -> list[pd.Series]:
        """Caveat rows of a kind, in sheet order, of available contributors only."""
        cav = self.data.caveats
        if not len(cav):
            return []
        live = cav[(cav["caveat"] == kind) & cav["contributor"].isin(self.available)]
        return [row for _, row in live.iterrows()]

    def window(self, row: pd.Series) -> range:
        """The periods of a caveat's (or line's, or pledge's) from..to."""
        return range(int(row["from_t"]), int(row["to_t"]) + 1)

    def label(self, cav: pd.Series) -> str:
        """`caveat K1 (A max_units value=1 from=P2 to=P4)`: the caveat as written, with both
        ends of its window when it is not the whole horizon (a trial missed the `to` it had
        typed, the last period, where the Gaps say `P2..P4`)."""
        text = caveat_label(cav)
        first, last = int(cav["from_t"]), int(cav["to_t"])
        if first > 0 or last < len(self.names) - 1:
            text = f"{text[:-1]} from={self.names[first]} to={self.names[last]})"
        return f"caveat {text}"

    @staticmethod
    def matches(frame: pd.DataFrame, cav: pd.Series) -> pd.Series:
        """Rows of the caveat's contributor whose capability and site match every filter."""
        mask = frame["contributor"] == cav["contributor"]
        for column in FILTERS:
            value = cav.get(column)
            if not is_blank(value):
                mask &= frame[column] == value
        return mask

    def tour_attributes(self) -> pd.DataFrame:
        """The tours with category, zone and country, for caveat filters on whole tours."""
        tours = self.tours.copy()
        cap = self.data.capabilities.set_index("capability")
        sit = self.data.sites.set_index("site")
        tours["category"] = cap["category"].reindex(tours["capability"]).to_numpy()
        tours["zone"] = sit["zone"].reindex(tours["site"]).to_numpy()
        tours["country"] = sit["country"].reindex(tours["site"]).to_numpy()
        return tours


def at_listing(frame: pd.DataFrame, who: bool = False, limit: int = 6) -> str:
    """`2 INF at S1, 1 AD at S2` (with `who`: `A 2 INF at S1`), shortened after `limit`."""
    items = [
        f"{r.contributor + ' ' if who else ''}{r.units:g} {r.capability} at {r.site}"
        for r in frame.itertuples(index=False)
    ]
    return shortened(items, limit)


def rows_of(frame: pd.DataFrame | list[Present]) -> tuple[int, ...]:
    """The Tours rows behind some x[c,k,s,t]."""
    found = frame["rows"] if isinstance(frame, pd.DataFrame) else [p.rows for p in frame]
    return tuple(sorted({r for rows in found for r in rows}))


def _unread(value: Any) -> bool:
    """A Tours cell that could not be read (None, NaN in a frame: its error said already)."""
    return value is None or (isinstance(value, float) and np.isnan(value))
