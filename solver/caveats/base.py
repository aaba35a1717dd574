"""The interface every caveat kind implements, and the solution view it reports binding from.

A caveat module declares what it reads (`reads`, `value_rule`) and implements up to four hooks,
called by the model builder in this order for all rows of its kind at once:

- `forbid(ctx, rows)`: remove allocation options before variables exist (sparse index sets);
- `harden(ctx, rows)`: make requirements hard;
- `add(ctx, rows)`: add rows (and indicator variables) to the model;
- `binds(ctx, rows, sol)`: say, per caveat id, whether it binds in a solved allocation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from ..data import is_blank
from ..model.context import BuildContext


@dataclass(frozen=True)
class ValueRule:
    """What the `value` column must hold for a kind."""

    whole: bool = True
    minimum: float = 0.0
    text: str = "a whole number >= 0"


class CaveatKind:
    """Base class: a caveat kind with no effect until it overrides a hook."""

    kind: ClassVar[str]
    summary: ClassVar[str]  # one line for docs and reports
    binding_rule: ClassVar[str]  # when `binding` is yes, in a planner's words
    value_rule: ClassVar[ValueRule | None] = None
    needs_other: ClassVar[bool] = False

    @property
    def reads(self) -> tuple[str, ...]:
        """The Caveats columns this kind reads besides contributor and the five filters."""
        return tuple(
            c for c, used in (("other", self.needs_other), ("value", self.value_rule)) if used
        )

    # ---- validation --------------------------------------------------------------------------
    def check_rows(self, rows: pd.DataFrame) -> Iterator[tuple[str, str]]:
        """Kind-specific checks of `value` and `other`: (cell, message) pairs; a message that
        starts with "warning: " is a warning (a filled cell this kind ignores)."""
        for _, row in rows.iterrows():
            value = row.get("value")
            has_value = not is_blank(value)
            where_value = row.get("_at_value") if has_value else _cell(row, "value")
            rule = self.value_rule
            if rule is not None:
                if not has_value:
                    yield where_value, f"caveat {self.kind} needs a value ({rule.text})"
                elif (rule.whole and not float(value).is_integer()) or value < rule.minimum:
                    yield where_value, f"value for {self.kind} must be {rule.text}, got {value:g}"
            other = row.get("other")
            has_other = not is_blank(other)
            if self.needs_other and not has_other:
                yield (
                    _cell(row, "other"),
                    f"caveat {self.kind} needs the other contributor in 'other'",
                )
            if has_other and not self.needs_other:
                yield (
                    _cell(row, "other"),
                    f"warning: caveat {self.kind} does not use 'other'; "
                    "the cell is ignored (clear it, or choose requires / not_with)",
                )
            if has_value and rule is None:
                yield (
                    _cell(row, "value"),
                    f"warning: caveat {self.kind} takes no value; the cell is ignored (clear it)",
                )

    # ---- model hooks -------------------------------------------------------------------------
    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """Remove allocation options (phase 1)."""

    def harden(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """Make requirements hard (phase 1)."""

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """Add constraints (phase 3, after x and presence exist)."""

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        raise NotImplementedError


def _cell(row: pd.Series, column: str) -> str:
    at = row.get(f"_at_{column}")
    if isinstance(at, str):
        return at
    sheet = str(row["_where"]).split("!")[0]
    return f"{sheet}!{row['_row']}:{row['_row']}"


def rows_of(rows: pd.DataFrame) -> Iterable[pd.Series]:
    for _, row in rows.iterrows():
        yield row


def value_of(row: pd.Series) -> float:
    return float(row["value"])


@dataclass
class SolutionView:
    """A solved (or hand-edited) allocation seen from the model's index sets."""

    ctx: BuildContext
    xval: np.ndarray  # units per x position

    def __post_init__(self) -> None:
        x = self.ctx.x
        data = self.ctx.data
        assert x is not None
        alloc = np.bincount(x["req_idx"], weights=self.xval, minlength=len(data.requirements))
        self.shortfall = data.requirements["units"].to_numpy(dtype=float) - alloc
        used = np.bincount(x["pledge_idx"], weights=self.xval, minlength=len(data.pledges))
        self.spare = data.pledges["units"].to_numpy(dtype=float) - used

    def total(self, positions: np.ndarray, weights: np.ndarray | None = None) -> float:
        vals = self.xval[positions]
        return float(vals.sum() if weights is None else (vals * weights).sum())

    def usable(self, positions: np.ndarray) -> np.ndarray:
        """Mask over x positions: one more unit there would fill a short requirement from a spare
        pledged unit."""
        x = self.ctx.x
        assert x is not None
        short = self.shortfall[x["req_idx"].to_numpy()[positions]] > 0
        spare = self.spare[x["pledge_idx"].to_numpy()[positions]] > 0
        below = self.xval[positions] < x["ub"].to_numpy()[positions]
        return short & spare & below

    def open_options(self, cand_positions: np.ndarray) -> bool:
        """True if a removed option would meet a short requirement with an unused pledged unit."""
        if not len(cand_positions):
            return False
        cand = self.ctx.cand.iloc[cand_positions]
        short = self.shortfall[cand["req_idx"].to_numpy()] > 0
        spare = self.spare[cand["pledge_idx"].to_numpy()] > 0
        return bool((short & spare).any())
