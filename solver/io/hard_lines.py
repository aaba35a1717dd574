"""Hard lines no plan can meet, however the pledges are placed: a warning at the line's `hard`
cell when the units that could ever serve it are fewer than it requires.

A line (s, k) marked hard must be met in full in every period it requires units. The units that
could ever serve it in period t are at most

    reach(s, k, t) = sum over options o = (c, k, s, t) of
                     min(pledged(c, k), required(s, k, t), cap(o))

over the options as the model has them (`model.candidates`: an available contributor's pledge
of k, in its window, a tour no shorter than the period) less those a caveat removes
(`CaveatKind.forbid`: `exclude`, `only`, a `requires` whose `other` has no option anywhere,
asked of every option, not of the hard lines' alone), each
option's bound lowered to what a cap lets it hold alone (`CaveatKind.unit_caps`: a `max_units`
of v, v units; a `max_personnel` of v, v over the unit's people, rounded down; a cap of 0
keeps it out: a trial's `max_units` 0 was `valid`; cap(o) = inf where none caps it). Where
reach(s, k, t) < required(s, k, t) no plan exists, whatever else holds: `validate` said
`valid` of such a workbook and the solve was infeasible (an infeasibility trial). The caveats'
other rows, rotation and dwell can only lower the reach, so the warning never fires for a line
a plan can meet. A line each period could meet alone is then checked against its pledges'
rotation over every run of periods (io/rotation_reach.py: 3 units on 6-month tours with 12
months of dwell keep at most 1 present); a line neither check flags may still be impossible
for the caveats' other rows (the solve's Infeasibility sheet names them). Lines a caveat hardens (`no_weakening`) are the solve's to
explain: their hardness depends on the caveat's rows.

    Requirements!F9: Kyiv/SIGINT_TM is hard but too few SIGINT_TM units can ever serve it
    (FRA 1, GBR 1, DEU 2 (at most 1 under C8); ITA 1 kept out by C6): at most 3 can against 4
    required; no plan exists: lower its units, soften it (hard = no), or find another pledge
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..data import Data, required_units
from ..errors import Issues
from ..model.candidates import candidates
from ..model.forbidden import capped_to_none, capped_units, kept_out_positions
from ..wording import count
from .periods import span, spans
from .rotation_reach import rotation_gap

LISTED = 4  # pledges named in a warning, then `and N more`


def warn_unmeetable_hard_lines(data: Data, issues: Issues) -> None:
    """One warning per hard line of the workbook (its `hard` cell yes) whose reach falls short
    of its requirement in some period (see the module's docstring), at its `hard` cell."""
    req = data.requirements
    hard = req["hard"].to_numpy(dtype=bool)
    if not hard.any():
        return
    cand = _hard_line_options(data, hard)
    data = _hard_lines_only(data, hard)
    required = required_units(data)
    single = data.requirements["single_source"].to_numpy(dtype=bool)
    reach = _reach(cand[cand["kept_out_by"] == ""], required.shape, single)
    short = reach < required
    for line in np.flatnonzero(short.any(axis=1)).tolist():
        issues.warn(
            str(data.requirements.iloc[line].get("_at_hard") or "Requirements"),
            _said(data, cand, line, short[line], reach[line], required[line]),
        )
    if data.periods is None:
        return
    for line in np.flatnonzero(~short.any(axis=1) & ~single).tolist():
        _warn_beyond_rotation(data, cand, line, required[line].astype(float), issues)


def _warn_beyond_rotation(
    data: Data, cand: pd.DataFrame, line: int, need: np.ndarray, issues: Issues
) -> None:
    """A hard line that each period could be met alone but no rotation of the pledges that
    could serve it can keep (io/rotation_reach.py; a single-source line is not checked):

        Requirements!F2: S1/INF is hard but no rotation of the pledges that could serve it
        can keep it: A 3 units (tours of at most 6 months, then 12 months of dwell) can be
        present for at most 18 unit-months in P1..P18 against 36 required then; no plan
        exists: lower its units, soften it (hard = no), or find another pledge
    """
    options = cand[(cand["req_idx"] == line) & (cand["kept_out_by"] == "")]
    found = rotation_gap(data, options, need)
    if found is None:
        return
    pool, short = found
    row = data.requirements.iloc[line]
    issues.warn(
        str(row.get("_at_hard") or "Requirements"),
        f"{row['site']}/{row['capability']} is hard but no rotation of the pledges that could "
        f"serve it can keep it: {pool.described()} can be present for at most "
        f"{count(short.supply, 'unit-month')} in "
        f"{span(data.period_names, short.first, short.last)} against {short.need:,.0f} "
        "required then; no plan exists: lower its units, soften it (hard = no), or find "
        "another pledge",
    )


def _hard_line_options(data: Data, hard: np.ndarray) -> pd.DataFrame:
    """The options of the hard lines with what the caveats do to them (`_with_caveats`), their
    `req_idx` renumbered as `_hard_lines_only` numbers the lines. The caveats are asked of every
    option, not of the hard lines' alone: a `requires` removes its
    contributor's options where its `other` has none left, and the other's may all be on lines
    that are not hard (a prices trial: `N005 3 kept out by C0005` of N005 requires N006, N006
    pledging only a capability no hard line needs, and `no plan exists` of a workbook whose
    solve met the line)."""
    lines = np.flatnonzero(hard)
    cand = _with_caveats(data, candidates(data))
    cand = cand[np.isin(cand["req_idx"], lines)].reset_index(drop=True)
    renumbered = np.searchsorted(lines, cand["req_idx"].to_numpy(dtype=np.int64))
    return cand.assign(req_idx=renumbered)


def _hard_lines_only(data: Data, hard: np.ndarray) -> Data:
    """`data` with the hard lines alone among its requirements (and their Profile rows)."""
    req = data.requirements[hard].reset_index(drop=True)
    profile = data.profile
    if profile is not None and len(profile):
        lines = set(zip(req["site"], req["capability"], strict=True))
        keys = zip(profile["site"], profile["capability"], strict=True)
        profile = profile[[key in lines for key in keys]].reset_index(drop=True)
    return replace(data, requirements=req, profile=profile)


def _reach(cand: pd.DataFrame, shape: tuple[int, ...], single: np.ndarray) -> np.ndarray:
    """reach[l, t]: the units that could ever serve line l in period t (module docstring); of
    a single-source line, the most one contributor could (its options' largest bound)."""
    total, most = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    if len(cand):
        at = (cand["req_idx"].to_numpy(dtype=np.int64), cand["t"].to_numpy(dtype=np.int64))
        np.add.at(total, at, cand["ub"].to_numpy(dtype=np.int64))
        np.maximum.at(most, at, cand["ub"].to_numpy(dtype=np.int64))
    return np.where(single[:, None], most, total)


def _said(
    data: Data,
    cand: pd.DataFrame,
    line: int,
    short: np.ndarray,
    reach: np.ndarray,
    required: np.ndarray,
) -> str:
    """The warning of one line: what could serve it against what it needs, in each run of
    periods of the same two numbers, and the pledges that could."""
    row = data.requirements.iloc[line]
    site, cap = row["site"], row["capability"]
    periods = [int(t) for t in np.flatnonzero(short)]
    mine = cand[(cand["req_idx"] == line) & cand["t"].isin(periods)]
    serving = mine[mine["kept_out_by"] == ""]
    serve = _pledges(
        serving, lambda o: f" (at most {o.ub} under {o.capped_by})" if o.capped_by else ""
    )
    kept_out = mine[(mine["kept_out_by"] != "") & ~mine["contributor"].isin(serving["contributor"])]
    out = _pledges(kept_out, lambda o: f" kept out by {o.kept_out_by}")  # not where it serves
    listed = "; ".join(part for part in (serve, out) if part)
    serve = f" ({listed})" if listed else ""
    runs: dict[tuple[int, int], list[int]] = {}
    for t in periods:
        runs.setdefault((int(reach[t]), int(required[t])), []).append(t)
    said = []
    for (most, need), ts in runs.items():
        could = "no unit can serve it" if most == 0 else f"at most {most} can"
        when = f" in {spans(data.period_names, ts)}" if data.periods is not None else ""
        said.append(f"{could}{when} against {need} required")
    one = " from a single contributor (single_source)" if row["single_source"] else ""
    return (
        f"{site}/{cap} is hard{one} but too few {cap} units can ever serve it{serve}: "
        f"{'; '.join(said)}; no plan exists: lower its units, soften it (hard = no), or find "
        "another pledge"
    )


def _pledges(options: pd.DataFrame, why: Callable[[Any], str]) -> str:
    """`FRA 1, GBR 1`: each contributor of `options` once with its pledge, and `why` of its
    first option (the caveats that keep it out, or cap it); past LISTED, `and N more`."""
    first = options.drop_duplicates("contributor")
    names = [
        f"{o.contributor} {int(o.units_pledge)}{why(o)}" for o in first.itertuples(index=False)
    ]
    more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
    return ", ".join(names[:LISTED]) + more


def _with_caveats(data: Data, cand: pd.DataFrame) -> pd.DataFrame:
    """`cand` with what the caveats of its contributors do to each option (asked of theirs
    alone: the kinds' `forbid` costs more per caveat than the rest of the check): `kept_out_by`
    (`kept_out_positions`, or a cap that lets it hold no unit), `capped_by` (a cap below its
    bound that lets it hold some) and `ub` lowered to the least cap (`capped_units`)."""
    mine = data.caveats[data.caveats["contributor"].isin(set(cand["contributor"]))]
    n = len(cand)
    if not len(mine):
        return cand.assign(kept_out_by=[""] * n, capped_by=[""] * n)
    theirs = replace(data, caveats=mine)
    kept_out = kept_out_positions(theirs, cand)
    cap, capped = capped_units(theirs, cand)
    bound = np.minimum(cand["ub"].to_numpy(dtype=float), cap)
    for p, caps in capped.items():
        if bound[p] <= 0 and p not in kept_out:
            kept_out[p] = capped_to_none(caps)
    return cand.assign(
        ub=bound.astype(np.int64),
        kept_out_by=[", ".join(kept_out.get(p, [])) for p in range(n)],
        capped_by=[
            ", ".join(cid for cid, _ in capped[p]) if p in capped and p not in kept_out else ""
            for p in range(n)
        ],
    )
