"""A plan under check: the allocation joined with what the rules read, and the violation record.

Plain Python and pandas over the validated `Data`; nothing here touches the model code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..addresses import sheet_in_reference
from ..data import Data, is_blank
from ..wording import shortened

FILTERS = ("capability", "category", "site", "zone", "country")
SITE_FILTERS = ("site", "zone", "country")
ALLOC_COLUMNS = ["contributor", "capability", "site", "units", "row"]


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, the ids involved, the message, the sheet rows behind it
    (Allocation rows of a snapshot, Tours rows of a timed plan), and `where`: those rows as the
    console names them after the message (`Tours!A17`, `Tours rows 17, 242`), blank when the
    message names them itself or there are none."""

    rule: str
    ids: tuple[str, ...]
    message: str
    rows: tuple[int, ...] = ()
    where: str = ""


CITED = 4  # sheet rows named one by one on the console; the rest are counted


def cite_rows(rows: tuple[int, ...], title: str = "Allocation", limit: int = CITED) -> str:
    """Sheet rows as the console names them after a message: `Allocation row 5`,
    `Allocation rows 2, 5, 9, 12 and 3 more` (the first `limit` in sheet order); blank for none.
    The sheet `title` is named as a reference starts with it (`' tours ' row 5`)."""
    ordered = sorted(set(rows))
    if not ordered:
        return ""
    sheet = sheet_in_reference(title)
    if len(ordered) == 1:
        return f"{sheet} row {ordered[0]}"
    return f"{sheet} rows {shortened(list(map(str, ordered)), limit)}"


def units_text(n: float) -> str:
    """`1 unit`, `3 units`, `2.5 units`."""
    return f"{n:g} unit" if n == 1 else f"{n:g} units"


def caveat_label(row: pd.Series) -> str:
    """`C7 (POL exclude category=ground country=UKR)`: the caveat as a planner wrote it."""
    parts = [str(row["contributor"]), str(row["caveat"])]
    for column in (*FILTERS, "other"):
        value = row.get(column)
        if not is_blank(value):
            parts.append(f"{column}={value}")
    value = row.get("value")
    if not is_blank(value):
        parts.append(f"value={float(value):g}")
    return f"{row['id']} ({' '.join(parts)})"


def normalise(alloc: pd.DataFrame) -> pd.DataFrame:
    """Sum duplicate (contributor, capability, site) rows; `row` is the first sheet row of each."""
    frame = alloc.copy()
    if "row" not in frame:
        frame["row"] = range(2, len(frame) + 2)
    if not len(frame):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ALLOC_COLUMNS})
    frame["units"] = frame["units"].astype("int64")
    keys = ["contributor", "capability", "site"]
    out = frame.groupby(keys, sort=True, as_index=False).agg(
        units=("units", "sum"), row=("row", "min")
    )
    return out[ALLOC_COLUMNS].reset_index(drop=True)


def merged_rows(alloc: pd.DataFrame) -> dict[int, tuple[int, ...]]:
    """The sheet rows `normalise` adds up, by the first of them (the row an allocation is cited
    by): a row pasted twice is cited with the row it repeats."""
    if "row" not in alloc or not len(alloc):
        return {}
    keys = ["contributor", "capability", "site"]
    groups = alloc.groupby(keys, sort=False)["row"].agg(lambda rows: tuple(sorted(map(int, rows))))
    return {rows[0]: rows for rows in groups if len(rows) > 1}


class Plan:
    """An allocation (units > 0 only) enriched with capability, site and pledge attributes."""

    def __init__(self, data: Data, alloc: pd.DataFrame) -> None:
        self.data = data
        self.merged = merged_rows(alloc)
        full = normalise(alloc)
        live = full[full["units"] > 0].reset_index(drop=True)
        cap = data.capabilities.set_index("capability")
        sit = data.sites.set_index("site")
        pl = data.pledges.set_index(["contributor", "capability"])
        live["category"] = cap["category"].reindex(live["capability"]).to_numpy()
        live["country"] = sit["country"].reindex(live["site"]).to_numpy()
        live["zone"] = sit["zone"].reindex(live["site"]).to_numpy()
        default_ppu = cap["personnel_per_unit"].reindex(live["capability"]).to_numpy()
        key = pd.MultiIndex.from_arrays([live["contributor"], live["capability"]])
        ppu = pl["personnel_per_unit"].reindex(key).to_numpy(dtype=float)
        live["ppu"] = [d if pd.isna(p) else p for p, d in zip(ppu, default_ppu, strict=True)]
        self.alloc = live
        con = data.contributors
        self.available: set[str] = set(con.loc[con["status"] == "available", "contributor"])
        self.pledged: dict[tuple[str, str], int] = {
            (c, k): int(u)
            for c, k, u in zip(
                data.pledges["contributor"],
                data.pledges["capability"],
                data.pledges["units"],
                strict=True,
            )
        }
        rq = data.requirements
        self.required: dict[tuple[str, str], int] = {
            (s, k): int(u)
            for s, k, u in zip(rq["site"], rq["capability"], rq["units"], strict=True)
        }

    def rows(self, frame: pd.DataFrame) -> tuple[int, ...]:
        """The Allocation sheet rows behind some allocations."""
        return tuple(sorted(int(r) for r in frame["row"]))

    def of(self, contributor: str) -> pd.DataFrame:
        return self.alloc[self.alloc["contributor"] == contributor]

    def matching(self, caveat: pd.Series) -> pd.DataFrame:
        """The caveat contributor's allocations that match every non-blank filter."""
        return self.alloc[self.match_mask(self.alloc, caveat)]

    @staticmethod
    def match_mask(frame: pd.DataFrame, caveat: pd.Series) -> pd.Series:
        mask = frame["contributor"] == caveat["contributor"]
        for column in FILTERS:
            value = caveat.get(column)
            if not is_blank(value):
                mask &= frame[column] == value
        return mask

    def caveats(self, kind: str) -> Iterable[pd.Series]:
        """Caveat rows of a kind, in sheet order, of available contributors only: the caveats of
        an unavailable contributor have no effect (it deploys nothing)."""
        cav = self.data.caveats
        if not len(cav):
            return []
        live = cav[(cav["caveat"] == kind) & cav["contributor"].isin(self.available)]
        return [row for _, row in live.iterrows()]


def sends(row: Any) -> str:
    """`POL sends 1 INF_BN to Kyiv`."""
    return f"{row.contributor} sends {row.units:g} {row.capability} to {row.site}"


def listing(frame: pd.DataFrame, limit: int = 6) -> str:
    """`1 INF_BN to Kyiv, 2 AD_BTY to Odesa`, shortened after `limit` items."""
    items = [f"{r.units:g} {r.capability} to {r.site}" for r in frame.itertuples(index=False)]
    return shortened(items, limit)
