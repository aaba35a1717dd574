"""The content digest of a plan: what the Summary's `allocation_sha256` (and, in time,
`tours_sha256`) records.

An Allocation sheet edited by hand is recognised by its content, not by its totals: moving a
unit from one site to another keeps every total and changes the digest.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook

KEYS = ("contributor", "capability", "site")


def allocation_digest(alloc: pd.DataFrame) -> str:
    """SHA-256 of the plan's rows, independent of row order and of how rows are split.

    The rows are reduced to one per (contributor, capability, site) with units > 0 (units and
    personnel added up), sorted by key, and each written as the line
    `contributor TAB capability TAB site TAB units TAB personnel` (UTF-8, LF); the digest is that
    text's SHA-256 in hex. A missing `personnel` column counts as 0. A timed Allocation (with a
    `period` column) is keyed by (contributor, capability, site, period) and each line has
    `TAB period` after the site, so a unit moved from one period to another changes the digest.
    """
    if not len(alloc):
        return hashlib.sha256(b"").hexdigest()
    keys = [*KEYS, "period"] if "period" in alloc.columns else list(KEYS)
    frame = alloc[keys].astype(str)
    frame["units"] = pd.to_numeric(alloc["units"]).astype("int64")
    personnel = alloc.get("personnel", pd.Series(0, index=alloc.index))
    frame["personnel"] = pd.to_numeric(personnel).astype("int64")
    summed = frame.groupby(keys, sort=True)[["units", "personnel"]].sum()
    summed = summed[summed["units"] > 0]
    text = "".join(
        "\t".join(map(str, key)) + f"\t{int(u)}\t{int(p)}\n"
        for key, u, p in zip(summed.index, summed["units"], summed["personnel"], strict=True)
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


TOUR_KEYS = ("contributor", "capability", "site", "from", "to")


def tours_digest(tours: pd.DataFrame) -> str:
    """SHA-256 of a timed plan's Tours rows, as `allocation_digest` does for the Allocation:
    one line `contributor TAB capability TAB site TAB from TAB to TAB units` per tour key with
    units > 0 (rows of one key added up), sorted. Splitting a tour in two, or moving its end,
    changes it even where every period's units stay the same."""
    if not len(tours):
        return hashlib.sha256(b"").hexdigest()
    frame = tours[list(TOUR_KEYS)].astype(str)
    frame["units"] = pd.to_numeric(tours["units"]).astype("int64")
    summed = frame.groupby(list(TOUR_KEYS), sort=True)["units"].sum()
    summed = summed[summed > 0]
    text = "".join("\t".join(map(str, key)) + f"\t{int(u)}\n" for key, u in summed.items())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def edited_by_hand(path: Path) -> bool:
    """True when `path` is a forcegen output whose Allocation sheet no longer gives the digest
    its Summary recorded: a plan a planner edited after solving. False for anything else (no
    such file, no digest recorded, unreadable): the output guard judges those. The cells are
    read as they stand (openpyxl): pandas would read a capability `INF` as infinity."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return False
    try:
        if "Summary" not in book.sheetnames or "Allocation" not in book.sheetnames:
            return False
        stored = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
        recorded = stored.get("allocation_sha256")
        if not isinstance(recorded, str) or not recorded:
            return False
        alloc = _sheet(book, "Allocation")
        tours = stored.get("tours_sha256")
        timed = isinstance(tours, str) and bool(tours) and "Tours" in book.sheetnames
        if timed and tours != tours_digest(_sheet(book, "Tours")):
            return True
    finally:
        book.close()
    return recorded != allocation_digest(alloc)


def _sheet(book: Any, name: str) -> pd.DataFrame:
    header, *rows = list(book[name].iter_rows(values_only=True))
    return pd.DataFrame([r for r in rows if any(v is not None for v in r)], columns=header)
