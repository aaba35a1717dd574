"""The interface every caveat kind implements, and the solution view it reports binding from.

A caveat module states in its docstring the inequality (or, for a kind that removes options, the
index-set rule) it adds, with a table of its symbols. It declares what it reads (`reads`,
`value_rule`) and implements these hooks.

Model hooks, called by the model builder in this order for all rows of its kind at once:

- `forbid(ctx, rows)`: remove allocation options before variables exist (sparse index sets);
- `unit_caps(ctx, rows)`: the most units each option could hold under a caveat alone (not a
  model hook: `validate`'s reach of a hard line, io/hard_lines.py);
- `harden(ctx, rows)`: make requirements hard;
- `add(ctx, rows)`: add rows (and indicator variables) to the model;
- `binds(ctx, rows, sol)`: say, per caveat id, whether it binds in a solved allocation.

Explanation hooks, called by the Gaps sheet (`solver/explain/gaps.py`) for one short line:

- `gap_text(gaps, row, pos)`: why this caveat keeps its own contributor's spare unit from the
  allocation option at x position `pos`, or None;
- `gap_text_for_other(gaps, row, pos)`: the same for the contributor the caveat names in `other`;
- `kept_out_why(gaps, row, t)`: why the caveat removed options in period t, beyond its words;
- `holds_there(gaps, row, pos, line)`: what keeps the contributor's units at `pos` from moving
  to the short line (a commitment at its floor), or None;
- `keeps_off(row, selected)`: whether the caveat, in force, can keep its contributor's unit off
  an option its filters select or not (`first_short_because`, results/first_short_caveats.py).

Generator hooks, called by `forcegen generate` (`solver/generate/`), which first builds a witness
allocation and then places caveats so that the witness stays feasible:

- `draw(rng, world, c)`: one random caveat of this kind for contributor c that the witness
  already satisfies, as (filters, other cells), or None; or, for a *witness rule*
  (`witness_rule = True`, a hard rule the witness is extended to meet),
- `place(rng, world)`: place the kind's caveats over the whole case, extending the witness.

`draw_order` fixes where the kind's random draws happen, so that a seed keeps giving the same
workbook for the same kinds: witness rules below `HARD_LINES_ORDER` are placed before the
generator marks hard lines, the others after; restrictions are drawn in increasing order. A new
kind takes the next number; it changes every seed's workbook all the same (the generator draws a
restriction's kind from the list of kinds), so `tests/test_generate.py`'s pinned digest is
rewritten on purpose with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pandas as pd

from ..addresses import address, sheet_of
from ..data import Data, is_blank
from ..errors import WARNING, Issue
from ..model.context import BuildContext
from ..model.linear import caveat_origin
from .solution_view import SolutionView

if TYPE_CHECKING:  # hooks receive these; importing them at run time would make a cycle
    from ..explain.gaps import GapExplainer
    from ..generate.draws import Drawn, DrawWorld
    from ..results.change_caps import HeldUnder

HARD_LINES_ORDER = 100


@dataclass(frozen=True)
class ValueRule:
    """What the `value` column must hold for a kind, and how it is read. The contract types
    `value` as a number; every kind counts whole things (units, people, sites), so a fraction
    is read as the whole number it allows, with a warning: `rounds` "down" for a most (at most
    3.5 units: 3), "up" for a least (at least 2.5 units: 3). A kind whose value is not a count
    (a share, with a maximum) overrides `CaveatKind.check_rows` for what this rule cannot say."""

    rounds: str = "down"  # "down" (a most) or "up" (a least)
    noun: str = "units"  # what the value counts, in a planner's words
    minimum: float = 0.0
    text: str = "a number >= 0"
    # values worth trying on the tests' small worlds (tests/test_properties.py draws from them):
    # where a value of 0..3 allows almost nothing (people, a share), give ones that bite and not
    examples: tuple[float, ...] = (0, 1, 2, 3)

    def read(self, value: float) -> float:
        """The whole number the model holds `value` to: the nearest one where `value` is
        within rounding noise of it (`whole`), else the next one down or up."""
        if self.whole(value):
            return float(round(value))
        return float(math.floor(value) if self.rounds == "down" else math.ceil(value))

    def read_as(self, value: float) -> str:
        """`read as at most 3`, `read as at least 3`: how a fraction is read."""
        most = "at most" if self.rounds == "down" else "at least"
        return f"read as {most} {self.read(value):,.0f}"

    @staticmethod
    def whole(value: float) -> bool:
        """`value` is a whole number but for floating-point noise (1e-9 of it, at least 1e-9):
        a cell showing 3 that holds 3.0000000000000004 (=0.1*30) is 3, not 4 read up."""
        return abs(value - round(value)) <= 1e-9 * max(1.0, abs(value))


def kinds_with_other() -> list[str]:
    """The kinds that read `other` (`needs_other`), from the registry: the caveats' words for
    them are never a list to keep by hand."""
    from . import KINDS  # the registry imports this module

    return [name for name, kind in KINDS.items() if kind.needs_other]


class CaveatKind:
    """Base class: a caveat kind with no effect until it overrides a hook."""

    kind: ClassVar[str]
    summary: ClassVar[str]  # one line for docs and reports
    binding_rule: ClassVar[str]  # when `binding` is yes, in a planner's words
    # how a timed workbook reads it, in each period of its from..to (`time.md`'s table)
    in_time: ClassVar[str]
    value_rule: ClassVar[ValueRule | None] = None
    needs_other: ClassVar[bool] = False
    # its contributor deploys what it matches only while `other` deploys (`requires`): an
    # `other` that pledges nothing is warned about at its cell (io/idle_entries.py), and an
    # `other` whose pledges ended is why a line went short (results/first_short_caveats.py)
    waits_for_other: ClassVar[bool] = False
    # asks for units in every period of its window (a firm commitment: `min_units`); a period
    # without an option it matches then has no plan (`io/commitments.py` warns, a conflict says
    # why). `min_contingent` does not: 0 units always meet it.
    asks_for_units: ClassVar[bool] = False
    # binds beyond the contributor's own units (`no_weakening` makes lines hard for everyone):
    # a nation whose pledges have all ended still changes the plan through it
    acts_beyond_own_units: ClassVar[bool] = False
    # what it does beyond them, as a planner reads it (`no_weakening` `made lines hard`): said
    # where a withdrawal beats base by lifting it (compare/robustness_where.py)
    beyond_own_units: ClassVar[str] = ""
    witness_rule: ClassVar[bool] = False  # generated by `place` (True) or by `draw` (False)
    draw_order: ClassVar[int]
    # what a filter value that matches nothing (a warning, not an error) does to this kind
    matching_nothing: ClassVar[str] = "the caveat applies to no allocation"
    # what one step of relaxing the kind's rows (not their links) counts: `relax ... by 2 units`.
    # The smallest change adds up each row's excess unweighted (explain/relaxation.py), so a
    # kind's rows are scaled so that an excess of 1 is one relax_noun (divide a row whose
    # coefficients are not whole counts, a share's, by its factor)
    relax_noun: ClassVar[str] = "unit"

    @property
    def reads(self) -> tuple[str, ...]:
        """The Caveats columns this kind reads besides contributor and the five filters."""
        return tuple(
            c for c, used in (("other", self.needs_other), ("value", self.value_rule)) if used
        )

    # ---- validation --------------------------------------------------------------------------
    def check_rows(self, rows: pd.DataFrame) -> Iterator[Issue]:
        """Kind-specific checks of `value` and `other`: errors, and warnings of a filled cell
        this kind ignores or reads otherwise than typed."""
        for _, row in rows.iterrows():
            value = row.get("value")
            has_value = not is_blank(value)
            where_value = row.get("_at_value") if has_value else _cell(row, "value")
            rule = self.value_rule
            if rule is not None:
                if not has_value:
                    yield Issue(where_value, f"caveat {self.kind} needs a value ({rule.text})")
                elif value < rule.minimum:
                    yield Issue(
                        where_value, f"value for {self.kind} must be {rule.text}, got {value:g}"
                    )
                elif not rule.whole(float(value)):
                    yield Issue(
                        where_value,
                        f"value {float(value)!r} for {self.kind} counts whole "
                        f"{rule.noun}: {rule.read_as(float(value))}",
                        WARNING,
                    )
            other = row.get("other")
            has_other = not is_blank(other)
            if self.needs_other and not has_other:
                yield Issue(
                    _cell(row, "other"),
                    f"caveat {self.kind} needs the other contributor in 'other'",
                )
            if has_other and not self.needs_other:
                yield Issue(
                    _cell(row, "other"),
                    f"caveat {self.kind} does not use 'other'; the cell is ignored (clear it, "
                    f"or choose {' / '.join(kinds_with_other())})",
                    WARNING,
                )
            if has_value and rule is None:
                yield Issue(
                    _cell(row, "value"),
                    f"caveat {self.kind} takes no value; the cell is ignored (clear it)",
                    WARNING,
                )

    def read_values(self, rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        """The `value` of this kind's `rows` as the model reads it (`ValueRule.read`: a valid
        number's whole part in the rule's direction; anything else as it is, reported by
        `check_rows`), and the value as typed where a fraction was so read (else NaN)."""
        rule, values = self.value_rule, rows["value"]
        typed = pd.Series(np.nan, index=rows.index, dtype=float)
        if rule is None:
            return values, typed
        numbers = pd.to_numeric(values, errors="coerce")
        valid = numbers.notna() & (numbers >= rule.minimum)
        fraction = valid & ~numbers.map(lambda v: pd.isna(v) or rule.whole(float(v)))
        return values.where(~valid, numbers[valid].map(rule.read)), typed.where(~fraction, numbers)

    def check_against(self, rows: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> Iterator[Issue]:
        """Checks of this kind's rows against the other sheets (`tables`, read and typed),
        as `check_rows` gives them. None by default."""
        return iter(())

    # ---- model hooks -------------------------------------------------------------------------
    def forbid(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """Remove allocation options (phase 1)."""

    def unit_caps(
        self, ctx: BuildContext, rows: pd.DataFrame
    ) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """Per caveat of `rows`: its id, the x positions it caps, and the most units each of
        them could hold under it alone, whatever else is sent (what `validate`'s hard-line
        reach takes: io/hard_lines.py). None by default."""
        return iter(())

    def harden(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """Make requirements hard (phase 1)."""

    def add(self, ctx: BuildContext, rows: pd.DataFrame) -> None:
        """Add constraints (phase 3, after x and presence exist)."""

    def binds(self, ctx: BuildContext, rows: pd.DataFrame, sol: SolutionView) -> dict[str, bool]:
        raise NotImplementedError

    def acting_together(self, rows: pd.DataFrame) -> list[list[str]]:
        """The ids of this kind's `rows` grouped into the restrictions they make: each group is
        lifted, priced and named in a conflict together (lifting one row of a group alone
        changes nothing). Each row alone, unless a kind says otherwise."""
        return [[str(i)] for i in rows["id"]]

    # ---- re-planning hook ----------------------------------------------------------------------
    def baseline_breach(self, row: dict, held: HeldUnder, c: str, k: str, s: str, t: int) -> str:
        """Why the baseline's units of c's k at s in period t cannot all stay under caveat `row`
        (c's own, or naming c as its `other`), in words that follow the caveat's description
        (`caps what the baseline held (4 units)`); '' when it lets them stay. A kind that
        caps or rules out what a plan holds says so (results/change_caps.py)."""
        return ""

    # ---- explanation hooks ---------------------------------------------------------------------
    def gap_text(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """Why caveat `row` keeps its contributor's spare unit from x position `pos` (which its
        filters match), or None. Every kind states its answer, even when it is always None."""
        raise NotImplementedError(f"caveat kind {self.kind} has no gap_text")

    def gap_text_for_other(self, gaps: GapExplainer, row: dict, pos: int) -> str | None:
        """Why caveat `row` keeps its `other` contributor from x position `pos`, or None."""
        return None

    def kept_out_why(self, gaps: GapExplainer, row: dict, t: int) -> str:
        """Why caveat `row` removed its contributor's options in period t, beyond its own
        words (`requires`: why its other is absent), or ''."""
        return ""

    def conflict_why(self, data: Data, row: pd.Series, periods: list[int]) -> str:
        """What in the data makes caveat `row` bite in a conflict over `periods` (positions;
        [0] in a snapshot), said after its text in the Infeasibility section, or ''."""
        return ""

    def keeps_off(self, row: dict, selected: bool) -> bool:
        """Caveat `row`, in force, can keep its contributor's unit off an option its filters
        select (`selected`) or not: a cap only what it selects (a floor, a home front, `only`
        say otherwise)."""
        return selected

    def holds_there(self, gaps: GapExplainer, row: dict, pos: int, line: int) -> str | None:
        """What caveat `row` says of its contributor's units at x position `pos` (which its
        filters match) that keeps one from moving to requirement `line` then, or None."""
        return None

    # ---- generator hooks -----------------------------------------------------------------------
    def draw(self, rng: np.random.Generator, world: DrawWorld, c: str) -> Drawn:
        """A random caveat of this kind for contributor c that the witness satisfies, or None."""
        raise NotImplementedError(f"caveat kind {self.kind} has no generator draw")

    def place(self, rng: np.random.Generator, world: DrawWorld) -> None:
        """Place this witness rule's caveats over the whole case, extending the witness."""
        raise NotImplementedError(f"caveat kind {self.kind} has no generator placement")


def _cell(row: pd.Series, column: str) -> str:
    at = row.get(f"_at_{column}")
    if isinstance(at, str):
        return at
    return address(sheet_of(str(row["_where"])), f"{row['_row']}:{row['_row']}")


def rows_of(rows: pd.DataFrame) -> Iterable[pd.Series]:
    for _, row in rows.iterrows():
        yield row


def by_period(ctx: BuildContext, positions: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """x positions grouped by period, in time order: [(t, positions in t)] (a snapshot: one)."""
    assert ctx.x is not None
    t = ctx.x["t"].to_numpy()[positions]
    return [(int(p), positions[t == p]) for p in np.unique(t)]


def window(ctx: BuildContext, row: pd.Series) -> range:
    """The periods a caveat applies in: its from..to in a timed workbook, else the one period."""
    if not ctx.timed:
        return range(1)
    return range(int(row["from_t"]), int(row["to_t"]) + 1)


def site_indicators(
    ctx: BuildContext, row: pd.Series, positions: np.ndarray
) -> tuple[list[tuple[str, int]], np.ndarray]:
    """The (site, period) pairs of `positions`, sorted, and for each a 0/1 column that is 1 when
    the caveat's matching allocations use the site then (the pairs say which column is which).
    Without a capability filter every allocation of the contributor at a site matches, so the
    site's (per-period) presence variable serves and no new binary is needed."""
    assert ctx.x is not None
    sites = ctx.x["site"].to_numpy()[positions]
    ts = ctx.x["t"].to_numpy()[positions]
    pairs = sorted(set(zip(sites.tolist(), ts.tolist(), strict=True)))
    if is_blank(row.get("capability")) and is_blank(row.get("category")):
        return pairs, ctx.period_presence_cols(
            np.full(len(pairs), row["contributor"], dtype=object),
            np.array([s for s, _ in pairs], dtype=object),
            np.array([t for _, t in pairs], dtype=np.int64),
        )
    keys = ctx.keyed(
        [(row["contributor"], s) for s, _ in pairs], np.array([t for _, t in pairs], dtype=np.int64)
    )
    order = {pair: i for i, pair in enumerate(pairs)}
    group = np.array(
        [order[pair] for pair in zip(sites.tolist(), ts.tolist(), strict=True)], dtype=np.int64
    )
    return pairs, ctx.indicators(
        f"caveat.{row['id']}.at",
        group,
        positions,
        keys=keys,
        origin=caveat_origin(row["id"]),
        kind="site_use",
    )


def value_of(row: pd.Series) -> float:
    return float(row["value"])
