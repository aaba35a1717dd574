"""What the page shows, as plain values the templates render: cell texts, tables, headline figures.

Shared by html.py and compare.py (both import it; it imports neither). Nothing here escapes:
the templates are rendered with autoescape, so every text is escaped exactly once, there."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..outputs.load import Output, covered
from ..wording import BESIDES

BLANK = "–"
COST_UNIT_KEY = "cost.unit"  # absent in outputs written before the cost's unit was recorded


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, right-aligned when a number, the change against the first
    output (e.g. '+3'), and for a gap the reasons as (reason, contributors) pairs."""

    text: str
    num: bool = False
    change: str = ""
    reasons: tuple[tuple[str, str], ...] = ()
    better: bool | None = None  # the change is for the better (green), worse (red), or neither


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    short: bool = False


# rows a table of the briefing shows, then `and N more rows` with where they all are: a scale
# trial's page printed to 258 pages, 235 of them one Gaps table of 459 lines
ROWS_SHOWN = 100


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    # where every row is, said under a table cut at ROWS_SHOWN (`the Gaps sheet`)
    where: str = "the output workbook"

    @property
    def shown(self) -> list[Row]:
        """The rows on the page: all of them up to ROWS_SHOWN + 1 (eliding one saves
        nothing), else the first ROWS_SHOWN."""
        return self.rows if len(self.rows) <= ROWS_SHOWN + 1 else self.rows[:ROWS_SHOWN]

    @property
    def more(self) -> str:
        """`and 359 more rows: the Gaps sheet lists them all`, or '' where none is cut."""
        left = len(self.rows) - len(self.shown)
        return f"and {left:,} more rows: {self.where} lists them all" if left else ""


def scalar(value: Any) -> Any:
    """A numpy scalar as the Python value it holds."""
    return value.item() if isinstance(value, np.generic) else value


def is_number(value: Any) -> bool:
    value = scalar(value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def text(value: Any, exact: bool = False) -> str:
    """The text of a cell: numbers with thousands separators, blanks as an en dash. A number of
    1,000 or more is shown whole (a cost's cents say nothing), but with `exact` to 2 decimals
    where it has them (a shortfall stage's 1,984.5 weighted unit-months, whose halves come
    from weights of 0.5: shown 1,984, a trial read +2 between 1,984.5 and 1,985.5)."""
    value = scalar(value)
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return BLANK
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if _shown_whole(value, exact):
            return f"{value:,.0f}"
        return _two_decimals(value, "") if exact and abs(value) >= 1000 else f"{value:,.4g}"
    return str(value)


def change(value: Any, base: Any, exact: bool = False) -> str:
    """'+3' for `value` against the first output's `base`; '' when equal or not numbers. A
    change of 1,000 or more is shown whole, with thousands separators (a cost's +14,931,845,
    not +1.493e+07), a smaller one with 4 significant digits (+0.05, -2.5). Between two
    figures shown whole (`text`) it is the change of the figures shown, so that the page adds
    up: 20,618,315 against 26,769,619 is -6,151,304, not the -6,151,305 of 20,618,314.845
    against 26,769,619.445 (a briefing trial). With `exact` (`text`'s), the change itself, to 2
    decimals where it has them."""
    if not (is_number(value) and is_number(base)):
        return ""
    value, base = scalar(value), scalar(base)
    if value == base or pd.isna(value) or pd.isna(base):  # a row one output lacks: no change
        return ""
    diff = value - base
    if exact:  # the change itself; one below a hundredth with its digits (no figure rounds)
        if abs(diff) < 0.005:
            return f"{diff:+,.4g}"
        return f"{diff:+,.0f}" if float(diff).is_integer() else _two_decimals(diff, "+")
    if _shown_whole(value) and _shown_whole(base):
        # the figures as shown, rounded as `{:,.0f}` rounds
        shown = float(f"{value:.0f}") - float(f"{base:.0f}")
        if shown:
            return f"{shown:+,.0f}"
    return f"{diff:+,.0f}" if _shown_whole(diff) else f"{diff:+,.4g}"


def _shown_whole(value: Any, exact: bool = False) -> bool:
    """Whether `text` shows the number whole (an int, a whole float, or one of 1,000 or more
    unless `exact`)."""
    whole = isinstance(value, int) or float(value).is_integer()
    return whole or (not exact and abs(float(value)) >= 1000)


def _two_decimals(value: float, sign: str) -> str:
    """`1,984.5`, `+0.25`: to 2 decimals, the trailing zeros left out."""
    return f"{value:{sign},.2f}".rstrip("0").rstrip(".")


def table(
    frame: pd.DataFrame,
    columns: Sequence[str],
    short: Iterable[bool] | None = None,
    where: str = "the output workbook",
) -> Table:
    """The `columns` of `frame` (those present and not blank throughout) as a Table; rows
    flagged in `short` are highlighted; `where` holds every row (`Table.more`)."""
    cols = [c for c in columns if c in frame.columns and frame[c].map(text).ne(BLANK).any()]
    flags = list(short) if short is not None else [False] * len(frame)
    rows = [
        Row([Cell(text(v), num=isinstance(scalar(v), int | float)) for v in values], flag)
        for flag, values in zip(flags, frame[cols].itertuples(index=False, name=None), strict=True)
    ]
    return Table(cols, rows, where)


def cost_unit(out: Output) -> str:
    """The cost's unit recorded in the Summary (e.g. 'EUR', 'person-km'); '' when not recorded."""
    unit = scalar(out.summary.get(COST_UNIT_KEY))
    return "" if unit is None or text(unit) == BLANK else str(unit).strip()


def inputs_said(outputs: Sequence[Output]) -> str:
    """The page header's input: `input coalition.xlsx` when every output was solved from the
    same workbook (same name and SHA-256), else each output's, `inputs: base.xlsx from
    coalition.xlsx, v1.xlsx from v1.xlsx`; a name an earlier output gave with other content
    is marked `(another version)`."""
    recorded = [
        (text(o.summary.get("input_file")), text(o.summary.get("input_sha256"))) for o in outputs
    ]
    if len(set(recorded)) == 1:
        return f"input {recorded[0][0]}"
    said: list[str] = []
    seen: dict[str, str] = {}
    for out, (name, sha) in zip(outputs, recorded, strict=True):
        other = name in seen and seen[name] != sha
        said.append(f"{out.path.name} from {name}" + (" (another version)" if other else ""))
        seen.setdefault(name, sha)
    return "inputs: " + ", ".join(said)


SPARE_NONE = "no unit spare (lifting it frees none)"


def reason_head(reason: object) -> str:
    """The reason a Gaps row gives, as the briefing groups it: every `pledge exhausted: ...`
    is one reason, and a caveat's `kept out by ...; besides, <where the pledge's units are>`
    is the caveat and `besides, no unit spare (lifting it frees none)`: where the units are
    changes from period to period, but that lifting the caveat would free no unit is the point
    (a trial: the page said the caveat alone, and a planner would ask the nation to lift it
    for nothing)."""
    head, besides, _ = str(reason).partition(BESIDES)
    if head.startswith("pledge exhausted"):
        return "pledge exhausted"
    return f"{head}{BESIDES}{SPARE_NONE}" if besides else head


def period_months(periods: pd.DataFrame | None) -> dict[str, float] | None:
    """period -> months, of an input's Periods sheet as read (`Geo.periods`); None without."""
    if periods is None or "months" not in periods:
        return None
    return dict(zip(periods["period"].astype(str), periods["months"].astype(float), strict=True))


def by_months(
    table: pd.DataFrame, amounts: list[str], months: dict[str, float] | None
) -> pd.DataFrame:
    """`table`'s `amounts` times their row's period's months (`period_months`); unchanged
    without `months` or a `period` column (a snapshot's)."""
    if not months or "period" not in table:
        return table
    weight = table["period"].astype(str).map(months).fillna(1.0).astype(float)
    return table.assign(**{a: table[a].fillna(0) * weight for a in amounts})


def headline(out: Output, months: dict[str, float] | None = None) -> dict[str, Any]:
    """The figures a briefing opens with, from the Coverage and Contributors sheets:
    coverage = sum(w x min(allocated, required)) / sum(w x required) overall and per priority
    (1 when nothing is required; a line given more than it requires, as a hand edit may,
    covers no other), w being a timed Coverage row's period's months where `months` (period ->
    months, the input's Periods) is given, so that coverage is in unit-months as the Summary's
    is (a quarter among months weighed as one month), else 1; personnel deployed,
    contributors engaged (deployed_units > 0) of those available (and, apart, those engaged
    though not available: an edited plan's), units unmet =
    sum(shortfall), hard lines short."""
    cov, con = out.coverage, out.contributors
    weighted = by_months(cov.assign(_covered=covered(cov)), ["_covered", "required"], months)
    filled, needed = weighted["_covered"], weighted["required"].fillna(0)
    required = float(needed.sum())
    figs: dict[str, Any] = {"coverage": float(filled.sum()) / required if required else 1.0}
    for p in sorted(cov["priority"].dropna().unique()):
        sel = cov["priority"] == p
        req = float(needed[sel].sum())
        figs[f"p{int(p)}"] = float(filled[sel].sum()) / req if req else 1.0
    figs["personnel"] = int(con["deployed_personnel"].sum())
    deployed = con["deployed_units"].fillna(0) > 0
    available = con["status"].astype(str) == "available"
    figs["engaged"] = int((deployed & available).sum())
    figs["available"] = int(available.sum())
    # an edited plan may deploy a contributor that is not available: said apart ("31 of 30")
    figs["engaged_unavailable"] = sorted(con.loc[deployed & ~available, "contributor"].astype(str))
    figs["unmet"] = int(cov["shortfall"].sum())
    figs["hard_short"] = int(((cov["hard"].astype(str) == "yes") & (cov["shortfall"] > 0)).sum())
    return figs


def weighted(coverage: pd.DataFrame, column: str = "shortfall") -> pd.Series:
    """`column` times each row's line weight (`weight`, 1 where blank or absent), as the
    shortfall stages and the console's top gaps weigh it (a review: the page ranked by the
    unweighted figure, the console by the weighted one)."""
    weight = coverage["weight"] if "weight" in coverage else pd.Series(1.0, index=coverage.index)
    amount = pd.to_numeric(coverage[column], errors="coerce").fillna(0)
    return amount * pd.to_numeric(weight, errors="coerce").fillna(1.0)


def line_weights(coverage: pd.DataFrame) -> pd.Series:
    """Each line's weight, by (site, capability) as text (1 where blank or absent)."""
    if "weight" not in coverage:
        return pd.Series(dtype=float)
    # as text first: an edited cell's 101 beside another's "101" is one line (a review: two,
    # and the reindex of a non-unique index failed)
    lines = pd.DataFrame(
        {
            "site": coverage["site"].astype(str),
            "capability": coverage["capability"].astype(str),
            "weight": pd.to_numeric(coverage["weight"], errors="coerce").fillna(1.0),
        }
    ).drop_duplicates(["site", "capability"])
    return lines.set_index(["site", "capability"])["weight"]


def site_severity(coverage: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Per site with a line short (a Coverage frame: `site`, `priority`, `shortfall`, a row per
    line, or per line and period), how badly, lowest first: the most important priority short
    there, then minus its weighted shortfall at that priority (`weighted`: units, or
    unit-months in time, times the line's weight)."""
    short = coverage[pd.to_numeric(coverage["shortfall"], errors="coerce").fillna(0) > 0]
    if not len(short):
        return {}
    frame = pd.DataFrame(
        {
            "site": short["site"].astype(str),
            "priority": pd.to_numeric(
                short["priority"] if "priority" in short else pd.Series(index=short.index),
                errors="coerce",
            ).fillna(float("inf")),
            "shortfall": weighted(short),
        }
    )
    best = frame.groupby("site", sort=False)["priority"].transform("min")
    at_best = frame[frame["priority"] == best]
    sizes = at_best.groupby("site", sort=False).agg(p=("priority", "first"), s=("shortfall", "sum"))
    return {str(site): (float(r.p), -float(r.s)) for site, r in sizes.iterrows()}


def short_first(
    sites: Sequence[str], severity: dict[str, tuple[float, float]], shown: int
) -> tuple[list[str], list[str]]:
    """A figure's sites: those with a line short (`severity`, `site_severity`) first, the worst
    first (a scale trial: taken in the sites' order, the charts of 100 sites left out the ten
    most short, priority-1 lines among them), then the others in the sites' order; the first
    `shown` of them (all up to one more: a note of one left out would take the space of its
    row); and those left out."""
    held = (float("inf"), 0.0)
    ordered = sorted(sites, key=lambda s: severity.get(s, held))  # stable: ties in sites' order
    if len(ordered) <= shown + 1:
        return ordered, []
    return ordered[:shown], ordered[shown:]


def left_out_note(left: Sequence[str], short: set[str], where: str, when: str = "") -> str:
    """What a figure says of the sites `short_first` left out: how many, how many of them
    short (`when`: ' in some period'), and `where` every site is shown; '' where none is left
    out."""
    if not left:
        return ""
    left_short = sum(1 for s in left if s in short)
    which = f", {left_short} of them short{when}" if left_short else ", each held"
    return (
        f"The sites with a line short come first, the most short first; {len(left)} more "
        f"sites{which}: {where}."
    )
