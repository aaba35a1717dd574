"""The columns of the options tables, declared once as data and checked where each is made:
`ctx.cand`, every option o = (c, k, s[, t]) (model/candidates.py), and `ctx.x`, the options kept
with their model columns (model/build.py; `arrive` in time, model/tours.py). A column a module
adds or drops on its way is then an error at once, not a KeyError in a caveat module later.

| column             | meaning                                                        | table |
|---|---|---|
| contributor        | c                                                              | both  |
| capability         | k                                                              | both  |
| units_pledge       | n(c,k): the units pledged                                      | both  |
| personnel_per_unit | ppu(c,k): the pledge's people per unit                         | both  |
| cost_per_unit      | the pledge's cost_per_unit (NaN: distance-based)               | both  |
| pledge_idx         | the pledge's row in `data.pledges`                             | both  |
| site               | s                                                              | both  |
| units_req          | the line's `units` (a Profile may set other values per period) | both  |
| priority, weight   | the line's                                                     | both  |
| req_idx            | the line's row in `data.requirements`                          | both  |
| category           | k's category (caveat filters)                                  | both  |
| country, zone      | s's (caveat filters)                                           | both  |
| ub                 | x[o]'s upper bound, min(n(c,k), r(s,k[,t]))                    | both  |
| unit_cost          | cost(c,k,s) of one unit (model/candidates.py)                  | both  |
| t                  | the period's position (0 in a snapshot)                        | both  |
| months             | months(t) (1 in a snapshot)                                    | both  |
| cand_pos           | o's row in `ctx.cand`                                          | x     |
| col                | x[o]'s model column                                            | x     |
| arrive             | a[o]'s model column: units arriving in t (in time only)        | x     |
"""

from __future__ import annotations

import pandas as pd

OPTION_COLUMNS: tuple[str, ...] = (
    "contributor",
    "capability",
    "units_pledge",
    "personnel_per_unit",
    "cost_per_unit",
    "pledge_idx",
    "site",
    "units_req",
    "priority",
    "weight",
    "req_idx",
    "category",
    "country",
    "zone",
    "ub",
    "unit_cost",
    "t",
    "months",
)
X_COLUMNS: tuple[str, ...] = ("cand_pos", *OPTION_COLUMNS, "col")
X_TIMED_COLUMNS: tuple[str, ...] = (*X_COLUMNS, "arrive")


def checked(frame: pd.DataFrame, declared: tuple[str, ...], name: str) -> pd.DataFrame:
    """`frame`, whose columns must be `declared`, in that order; else an internal error naming
    the table and the columns missing or not declared."""
    columns = tuple(str(c) for c in frame.columns)
    if columns != declared:
        missing = [c for c in declared if c not in columns]
        extra = [c for c in columns if c not in declared]
        raise ValueError(
            f"internal error: {name}'s columns are not those declared in "
            f"model/option_columns.py (missing {missing}, not declared {extra}, or out of order)"
        )
    return frame
