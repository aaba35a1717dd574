"""Caveats that ask for units in periods in which their contributor has no option they match.

A `min_units` caveat (value > 0) asks for units in every period of its window; where its
contributor has no option the caveat's filters match (the options before any caveat, as the
model builds them: `model.candidates`), no plan exists. `validate` warns at the caveat's cell and
the infeasibility explanation (solver/explain/rules_time.py) says the same words, with the
window that would fix it:

    caveat C9 (POL min_units capability=LOG_COY 1) asks for units in 2027-01..2027-06, but no
    POL unit can count towards it in 2027-01, as no LOG_COY line requires a unit (Lviv/LOG_COY
    from 2027-02): the plan is infeasible; set the caveat's from to 2027-02
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..caveats import caveat_text
from ..data import Data, is_blank, required_units, requiring
from ..errors import Issues
from ..model.candidates import TableIndex, candidates, pledge_periods
from ..model.filters import with_filter_columns
from ..wording import count
from .periods import runs, span, spans
from .rotation_reach import rotation_gap
from .schema import SITE_FILTERS

LISTED = 3  # notes listed in a reason, then `and N more`


def commitments() -> list[str]:
    """The caveat kinds that ask for units in every period of their window
    (`CaveatKind.asks_for_units`)."""
    from ..caveats import KINDS

    return [name for name, kind in KINDS.items() if kind.asks_for_units]


def warn_commitments(data: Data, issues: Issues) -> None:
    """A caveat that asks for units (`min_units` above 0) above what its contributor's options
    could ever hold (`_warn_above_reach`, snapshot and time); in time, one in periods of its
    window in which its contributor has no option it matches (`commitment_gaps`): legal, but no
    plan exists. The
    warning names the caveat's `from` cell (its `to` cell when the periods end its window), the
    periods, why (`no_option_reason`) and the window that would fix it (`window_fix`). A caveat
    that matches no option at all because a filter names nothing has its warning at that filter
    already (validate.py): it gets no second one."""
    cav = data.caveats
    if not len(cav):
        return
    asks = cav[cav["caveat"].isin(commitments()) & cav["contributor"].isin(data.available)]
    asks = asks[pd.to_numeric(asks["value"], errors="coerce").fillna(0) > 0]
    if not len(asks):
        return
    index = TableIndex(candidates(data))
    names = data.period_names if data.timed else []
    for _, row in asks.iterrows():
        if not data.timed:  # one period: no option at all is a reach of 0
            _warn_above_reach(data, index, row, set(), issues)
            continue
        gaps = commitment_gaps(index, row)
        first, last = int(row["from_t"]), int(row["to_t"])
        if not _warn_above_reach(data, index, row, set(gaps), issues) and not gaps:
            warn_beyond_rotation(data, index, row, issues)
        if not gaps or (len(gaps) == last - first + 1 and _filter_warned(row, issues)):
            continue
        where = row["_at_to"] if gaps[0] > first and gaps[-1] == last else row["_at_from"]
        issues.warn(
            where,
            f"caveat {row['id']} ({caveat_text(row)}) asks for units in "
            f"{span(names, first, last)}, but no {row['contributor']} unit can count towards "
            f"it in {spans(names, gaps)}, as {no_option_reason(data, row, gaps)}: the plan is "
            f"infeasible; {window_fix(names, first, last, gaps)}",
        )


def _warn_above_reach(
    data: Data, index: TableIndex, row: pd.Series, gaps: set[int], issues: Issues
) -> bool:
    """A commitment above what its contributor's matching options could ever hold, in the
    periods they exist (`commitment_reach`; those without one are `commitment_gaps`'), at its
    `value` cell:

        caveat C9 (POL min_units capability=LOG_COY 3) asks for 3 units, but at most 2 POL
        units can ever count towards it in 2027-01..2027-06: the plan is infeasible; lower its
        value to 2, or widen its filters
    """
    need = float(row["value"])
    reach = commitment_reach(index, row)
    short: dict[int, list[int]] = {}
    for t in _window(row):
        most = reach.get(t, 0.0)
        if t not in gaps and most < need - 1e-9:
            short.setdefault(int(most), []).append(t)
    if not short:
        return False
    if 0 in short and _filter_warned(row, issues):
        return True
    c = row["contributor"]
    when = [
        (f"at most {count(most, f'{c} unit')}" if most else f"no {c} unit")
        + " can ever count towards it"
        + (f" in {spans(data.period_names, ts)}" if data.timed else "")
        for most, ts in sorted(short.items())
    ]
    issues.warn(
        row.get("_at_value") or row.get("_at_from") or "Caveats",
        f"caveat {row['id']} ({caveat_text(row)}) asks for {count(need, 'unit')}, but "
        f"{'; '.join(when)}: the plan is infeasible; lower its value to {min(short)}, or widen "
        "its filters",
    )
    return True


def warn_beyond_rotation(data: Data, index: TableIndex, row: pd.Series, issues: Issues) -> None:
    """A commitment that every period could meet alone but no rotation of its contributor's
    matching pledges can keep (io/rotation_reach.py), at its `value` cell:

        caveat K1 (A min_units capability=INF 2) asks for 2 units in each period of P1..P24,
        but no rotation of A's units can keep them: A 3 units (tours of at most 6 months, then
        12 months of dwell) can be present for at most 18 unit-months in P1..P18 against the
        36 asked then (at most 1 unit in each period); the plan is infeasible; lower its
        value, or shorten its window
    """
    window = _window(row)
    matched = index.table.iloc[index.match(row)]
    need = np.zeros(len(data.period_names))
    need[window.start : window.stop] = float(row["value"])
    found = rotation_gap(data, matched[matched["t"].isin(window)], need)
    if found is None:
        return
    pool, short = found
    names, c = data.period_names, row["contributor"]
    issues.warn(
        row.get("_at_value") or row.get("_at_from") or "Caveats",
        f"caveat {row['id']} ({caveat_text(row)}) asks for {count(need.max(), 'unit')} in each "
        f"period of {span(names, window.start, window.stop - 1)}, but no rotation of {c}'s "
        f"units can keep them: {pool.described()} can be present for at most "
        f"{count(short.supply, 'unit-month')} in {span(names, short.first, short.last)} "
        f"against the {short.need:,.0f} asked then ({short.kept()}); the plan is infeasible; "
        "lower its value, or shorten its window",
    )


def commitment_reach(index: TableIndex, row: pd.Series) -> dict[int, float]:
    """{t: the most units the caveat's contributor could have on the options its filters match
    in period t of its window} (the options before any caveat, as `commitment_gaps`'):

        reach(t) = sum over c's pledges p of min(n_p, sum_{o of p matched in t} ub_o)
    """
    matched = index.table.iloc[index.match(row)]
    matched = matched[matched["t"].isin(_window(row))]
    per_pledge = matched.groupby(["t", "pledge_idx"]).agg(
        ub=("ub", "sum"), n=("units_pledge", "max")
    )
    most = np.minimum(per_pledge["ub"], per_pledge["n"]).groupby(level="t").sum()
    return {int(t): float(v) for t, v in most.items()}


def _window(row: pd.Series) -> range:
    """The periods of a caveat's from..to (a snapshot's caveat: its one period)."""
    if "from_t" not in row:
        return range(1)
    return range(int(row["from_t"]), int(row["to_t"]) + 1)


def commitment_gaps(index: TableIndex, row: pd.Series) -> list[int]:
    """The periods of a caveat's window in which its contributor has no option its filters
    match, the options being those before any caveat (`candidates`: an available pledge of
    units > 0 in its from..to, a line requiring a unit then, a period no longer than the
    pledge's tour_months)."""
    matched = set(index.table["t"].to_numpy()[index.match(row)].tolist())
    return [t for t in _window(row) if t not in matched]


def no_option_reason(data: Data, row: pd.Series, periods: list[int]) -> str:
    """Why a caveat's contributor c has no option its filters match in `periods`, the first
    that holds: c pledges nothing that matches; no line of those capabilities (at a site the
    filters match); c's matching pledges are not available in any of the periods (their
    windows: `no INF pledge of A is available (A/INF from P3)`, or tours shorter than the
    periods: `A's tours of INF of at most 1 month cannot cover P2 (2 months)`, or both, each for
    its periods); no such line requires a unit in any of them;
    else both exist then, but never in the same period.

    `no LOG_COY line requires a unit (Lviv/LOG_COY from 2027-02)`."""
    c = row["contributor"]
    pledges = _matching_pledges(data, row)
    if not len(pledges):
        return f"{c} pledges no {_what(row)}"
    caps = "/".join(dict.fromkeys(pledges["capability"]))
    lines = _matching_lines(data, row, set(pledges["capability"]))
    at = " at a site the caveat matches" if any(_has(row, f) for f in SITE_FILTERS) else ""
    if not len(lines):
        return f"there is no {caps} line{at}"
    window, fits = pledge_periods(data, pledges)
    ready = window & fits
    required = required_units(data)[lines.index.to_numpy()] > 0
    names = data.period_names
    pledge_notes = _notes(
        [f"{c}/{k} {_when(names, r)}" for k, r in zip(pledges["capability"], window, strict=True)]
    )
    line_notes = _notes(
        [
            f"{s}/{k} {_when(names, r)}"
            for s, k, r in zip(lines["site"], lines["capability"], required, strict=True)
        ]
    )
    if not ready[:, periods].any():
        closed = [t for t in periods if not window[:, t].any()]
        short = [t for t in periods if window[:, t].any()]  # open, but no tour fits the period
        said = [_tours_too_short(data, pledges, window, short)] if short else []
        if closed:
            within = f" in {spans(names, closed)}" if short else ""
            said.insert(0, f"no {caps} pledge of {c} is available{within} ({pledge_notes})")
        return ", and ".join(said)
    if not required[:, periods].any():
        return f"no {caps} line{at} requires a unit ({line_notes})"
    return (
        f"{c}'s {caps} pledge and the lines it could serve are never available in the same "
        f"period ({pledge_notes}; {line_notes})"
    )


def window_fix(names: list[str], first: int, last: int, gaps: list[int]) -> str:
    """The window of a caveat first..last that leaves out its `gaps`: `set the caveat's from
    to P2` (and/or its to), or one row per run of the periods left, or none left."""
    left = [t for t in range(first, last + 1) if t not in set(gaps)]
    if not left:
        return "check its filters, or delete the caveat"
    if len(runs(left)) > 1:
        return f"split the caveat into one row per run of {spans(names, left)}"
    changes = [f"from to {names[left[0]]}"] if left[0] > first else []
    changes += [f"to to {names[left[-1]]}"] if left[-1] < last else []
    return "set the caveat's " + " and its ".join(changes)


def _matching_pledges(data: Data, row: pd.Series) -> pd.DataFrame:
    """The contributor's pledges of units > 0 whose capability the caveat's filters select
    (its capability and category filters: `model.filters`' one definition)."""
    pl = data.pledges[data.pledges["units"] > 0]
    table = pl.assign(
        category=data.capabilities.set_index("capability")["category"]
        .reindex(pl["capability"])
        .to_numpy()
    )
    wanted = {f: row.get(f) for f in ("contributor", "capability", "category")}
    return pl[TableIndex(table).match(wanted)]


def _matching_lines(data: Data, row: pd.Series, caps: set[str]) -> pd.DataFrame:
    """The lines of `caps` requiring a unit in some period (`data.requiring`) at sites the
    caveat's site filters select (`model.filters`' one definition)."""
    req = data.requirements
    req = req[req["capability"].isin(caps) & requiring(data)]
    table = with_filter_columns(req.copy(), data)
    wanted = {f: row.get(f) for f in SITE_FILTERS}
    return req[TableIndex(table).match(wanted, contributor=False)]


def _tours_too_short(
    data: Data, pledges: pd.DataFrame, window: np.ndarray, periods: list[int]
) -> str:
    """`A's tours of INF of at most 1 month cannot cover P2 (2 months)` for each pledge open in
    some of `periods`, none of whose tours fits them (the Gaps sheet's words)."""
    names, months = data.period_names, data.period_months
    said = []
    for (_, pledge), open_ in zip(pledges.iterrows(), window, strict=True):
        mine = [t for t in periods if open_[t]]
        if mine:
            covered = ", ".join(f"{names[t]} ({count(int(months[t]), 'month')})" for t in mine)
            tours = count(int(pledge["tour_months"]), "month")
            said.append(
                f"{pledge['contributor']}'s tours of {pledge['capability']} of at most {tours} "
                f"cannot cover {covered}"
            )
    return _notes(said)


def _when(names: list[str], mask: np.ndarray) -> str:
    """`from P2`, `to P3`, `P2..P3, P5`, `never` (a row of a ready/required matrix)."""
    on = np.flatnonzero(mask).tolist()
    if not on:
        return "never"
    if len(runs(on)) == 1 and on[0] > 0 and on[-1] == len(names) - 1:
        return f"from {names[on[0]]}"
    if len(runs(on)) == 1 and on[0] == 0 and on[-1] < len(names) - 1:
        return f"to {names[on[-1]]}"
    return spans(names, on)


def _notes(parts: list[str]) -> str:
    more = len(parts) - LISTED
    return ", ".join(parts[:LISTED]) + (f" and {more} more" if more > 0 else "")


def _what(row: pd.Series) -> str:
    if _has(row, "capability"):
        return str(row["capability"])
    if _has(row, "category"):
        return f"capability of category {row['category']}"
    return "unit"


def _has(row: pd.Series, column: str) -> bool:
    return not is_blank(row.get(column))


def _filter_warned(row: pd.Series, issues: Issues) -> bool:
    """A warning stands at one of the caveat's text filters (it names nothing)."""
    cells = {row.get(f"_at_{f}") for f in ("category", "zone", "country")}
    return any(w.where in cells for w in issues.warnings)
