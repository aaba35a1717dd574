"""What a caveat's filter columns select: one definition, read by the model, the explanations
and the baseline's reasons (verify keeps its own).

A caveat row of contributor c selects an option (k, s) in period t when every filter it gives
equals the option's value, and t lies in its window:

    selects(row, (k, s, t)) = AND over f in F with row[f] given:  row[f] = value_f(k, s)
                              AND  from(row) <= t <= to(row)        (timed workbooks only)

| symbol      | meaning                                                                 |
|-------------|-------------------------------------------------------------------------|
| F           | the filter columns, `io.schema.CAVEAT_FILTERS` (capability, category, site, zone, country) |
| value_f     | capability k; category of k (Capabilities); site s; zone and country of s (Sites) |
| from, to    | the row's window as period positions (`from_t`, `to_t`), whole horizon when blank |

A blank filter selects every value. `TableIndex.match` reads the definition over a whole table
(vectorised, with the table's `contributor` column when asked); `selects` reads it for one
option; a test draws random worlds and holds the two to each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from ..data import Data, is_blank
from ..io.schema import CAVEAT_FILTERS

FILTER_COLUMNS = CAVEAT_FILTERS


def with_filter_columns(table: pd.DataFrame, data: Data) -> pd.DataFrame:
    """`table` (with `capability` and `site` columns) with the filter values read through them:
    `category` from Capabilities, `country` and `zone` from Sites (set in place, returned)."""
    cap = data.capabilities.set_index("capability")
    sit = data.sites.set_index("site")
    table["category"] = cap["category"].reindex(table["capability"]).to_numpy()
    table["country"] = sit["country"].reindex(table["site"]).to_numpy()
    table["zone"] = sit["zone"].reindex(table["site"]).to_numpy()
    return table


def in_window(caveat: Mapping, t: int) -> bool:
    """Period position t lies in the caveat's window (a blank window is the whole horizon)."""
    first, last = caveat.get("from_t"), caveat.get("to_t")
    return is_blank(first) or int(first) <= t <= int(last)  # type: ignore[arg-type]


def selects(caveat: Mapping, value_of: Callable[[str], object], t: int | None = None) -> bool:
    """The caveat's filters select the option whose filter values `value_of(column)` gives
    (and, when t is given, t lies in its window)."""
    if t is not None and not in_window(caveat, t):
        return False
    for column in FILTER_COLUMNS:
        wanted = caveat.get(column)
        if not is_blank(wanted) and value_of(column) != wanted:
            return False
    return True


class TableIndex:
    """`selects` over a whole table, by equality masks on its text columns, each column
    factorised once.

    Comparing a million-row text column with a value costs ~13 ms in pandas; comparing its
    integer codes ~1 ms. Caveat modules filter the same tables hundreds of times.
    """

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self._codes: dict[str, tuple[np.ndarray, dict]] = {}

    def equals(self, column: str, value: object) -> np.ndarray:
        if column not in self._codes:
            codes, uniques = pd.factorize(self.table[column])
            self._codes[column] = (codes, {u: i for i, u in enumerate(uniques.tolist())})
        codes, code_of = self._codes[column]
        code = code_of.get(value)
        return np.zeros(len(codes), dtype=bool) if code is None else codes == code

    def match(self, caveat: pd.Series | Mapping, *, contributor: bool = True) -> np.ndarray:
        """Rows a caveat's filters select (of its contributor, unless `contributor` is False);
        with a `t` column, only rows in the caveat's window."""
        mask = np.ones(len(self.table), dtype=bool)
        if contributor:
            mask &= self.equals("contributor", caveat["contributor"])
        for column in FILTER_COLUMNS:
            value = caveat.get(column)
            if not is_blank(value):
                mask &= self.equals(column, value)
        first, last = caveat.get("from_t"), caveat.get("to_t")
        if "t" in self.table and not is_blank(first):  # a timed caveat's window
            t = self.table["t"].to_numpy()
            mask &= (t >= int(first)) & (t <= int(last))  # type: ignore[arg-type]
        return mask
