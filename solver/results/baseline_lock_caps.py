"""Locked baseline rows a caveat rules out, said by `validate --baseline` before any solve.

A lock keeps its units: x[c,k,s,t] >= L[c,k,s,t] (replanning.md). Read under the caveats as
the Changes sheet reads the baseline (`CaveatKind.baseline_breach`, results/change_caps.py),
with L in place of what the baseline held, these kinds rule out every plan keeping the locks:

    max_units       sum of L[c,k',s',t] over the matched (k', s')                > value
    max_personnel   the same sum, each unit times c's personnel per unit of k'    > value
    max_sites       the number of sites s' with a matched L[c,k',s',t] > 0        > value
    not_with        c (matched) and its `other` both locked at s in t

L raised first, at each locked option, to the largest `min_contingent` m of c matching it then:
x >= L > 0 and (x = 0 or x >= m) give x >= m (a `min_contingent` alone rules out nothing: the
plan may add units to the locked ones, where its pledge and line allow; where they do not,
the option is kept out, which io/baseline_odd.py says). One
warning per caveat, at its first locked row broken, with the periods and the rows: the solve
would be infeasible, and a re-plan trial's `validate` said `valid` of such locks.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..baseline import Baseline
from ..baseline_words import locked_cannot_hold
from ..caveats import KINDS
from ..data import Data
from ..explain.rules import describe_caveat
from ..io.periods import spans
from ..wording import cells_text
from .change_caps import HeldUnder

RULING_OUT = ("max_units", "max_personnel", "max_sites", "not_with")


def locks_over_caps(baseline: Baseline, data: Data) -> list[tuple[str, str]]:
    """(where, message) per caveat of a kind in RULING_OUT that the locked rows break, read
    with each locked option raised to the min_contingents matching it (`_contingents`)."""
    locked = baseline.presence(locked_only=True)
    if not len(locked) or not len(data.caveats):
        return []
    needed, contingents = _contingents(data, locked)
    held = HeldUnder(data, needed)
    rows = baseline.rows[baseline.rows["lock"]]
    names = list(data.periods["period"]) if data.periods is not None else []
    out = []
    for caveat in data.caveats.to_dict("records"):
        if caveat["caveat"] not in RULING_OUT or caveat["contributor"] not in data.available:
            continue
        broken, said = _broken(caveat, held, needed)
        if not broken:
            continue
        if contingents.get(caveat["contributor"]) and "(" in said:
            raised = " and ".join(contingents[caveat["contributor"]])
            said = said.replace(" (", f" with the contingents of {raised} (", 1)
        cells = _rows_of(rows, broken)
        when = f" in {spans(names, sorted({t for _, _, _, t in broken}))}" if names else ""
        out.append(
            (
                cells[0],
                f"{describe_caveat(data, caveat['id'])} {said}{when} ({cells_text(cells)}): "
                + locked_cannot_hold(len(cells)),
            )
        )
    return out


def _contingents(data: Data, locked: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The locked presence with each option's units raised to the largest min_contingent of
    its contributor matching it then (x >= L > 0 and x = 0 or x >= m give x >= m: a review's
    1 unit locked at each of two sites under `min_contingent` 2 and `max_units` 3 was said
    `valid`), and per contributor the caveats that raised one."""
    held = HeldUnder(data, locked)
    rows = [r for r in data.caveats.to_dict("records") if r["caveat"] == "min_contingent"]
    units = locked["units"].to_numpy(dtype=float).copy()
    raised: dict[str, list[str]] = {}
    keys = locked[["contributor", "capability", "site", "t"]].itertuples(index=False)
    for i, (c, k, s, t) in enumerate(keys):
        for row in rows:
            value = float(row["value"])
            if row["contributor"] == c and value > units[i] and held.matches(row, k, s, int(t)):
                units[i] = math.ceil(value)
                said = describe_caveat(data, row["id"])
                if said not in raised.setdefault(c, []):
                    raised[c].append(said)
    return locked.assign(units=units.astype(np.int64)), raised


def _broken(
    caveat: dict, held: HeldUnder, locked: pd.DataFrame
) -> tuple[list[tuple[str, str, str, int]], str]:
    """The locked (c, k, s, t) the caveat rules out, and what it says of the first."""
    kind = KINDS[caveat["caveat"]]
    broken, first = [], ""
    for c, k, s, t in locked[["contributor", "capability", "site", "t"]].itertuples(index=False):
        said = kind.baseline_breach(caveat, held, c, k, s, int(t))
        if said:
            broken.append((c, k, s, int(t)))
            first = first or said.replace("the baseline held", "the locked rows hold")
    return broken, first


def _rows_of(rows: pd.DataFrame, broken: list[tuple[str, str, str, int]]) -> list[str]:
    """The cells of the locked rows holding a broken (c, k, s, t), in sheet order."""
    found = []
    for c, k, s, first, last, where in rows[
        ["contributor", "capability", "site", "first_t", "last_t", "where"]
    ].itertuples(index=False):
        if any((c, k, s) == b[:3] and first <= b[3] <= last for b in broken):
            found.append(str(where))
    return list(dict.fromkeys(found))
