"""Build the allocation model from validated data: index sets, core rules, caveats, stages.

The core rules (this module; each caveat kind's rows are in its own module, solver/caveats/,
the tours' in model/tours.py, a baseline's in model/baseline.py). A snapshot is one period of
one month (T = {0}).

    x[c,k,s,t] in {0, .., ub}                       units of pledge (c,k) at line (s,k) in t
    x[c,k,s,t] <= ub present[c,s]                   presence over the horizon (ctx.indicators)

    sum_{s} x[c,k,s,t] <= P[c,k]                    pledge, each t (where the bounds allow more)
    sum_{c} x[c,k,s,t] <= R[s,k,t]                  requirement, each line and t
    sum_{c} x[c,k,s,t] >= R[s,k,t]                  ... where the line is hard
    sum_{c} used[c,k,s,t] <= 1,  x <= ub used       single_source lines, each t (with 2+ options)
    sum_{c} present[c,s,t] <= M[s]                  Sites max_contributors, each t (where more
                                                    than M[s] could come)

and the lexicographic stages (model/stages.py `add_stages`), each minimised holding the ones before it:

    shortfall.p  sum_{(s,k) in p, t} months[t] (w[s,k] / w_min[p]) (R[s,k,t] - sum_c x[c,k,s,t])
    changes      units moved from the baseline (re-plans only: model/baseline.py)
    cost         sum cost[c,k,s] a[c,k,s,t] / 10^e   (a: a tour's arrivals; a snapshot's x)
    presence     sum_{c,s} present[c,s]

| symbol      | meaning                                        | where from                     |
|---|---|---|
| c, k, s, t  | contributor, capability, site, period          | Contributors, Capabilities, Sites, Periods |
| ub          | x's bound: min(pledged, required in t)         | model/candidates.py            |
| P[c,k]      | units pledged                                  | Pledges.units                  |
| R[s,k,t]    | units required in t (Profile where given)      | Requirements.units, Profile    |
| M[s]        | most contributors present at once              | Sites.max_contributors         |
| w, w_min[p] | line weight; the lightest of priority p        | Requirements.weight            |
| months[t]   | the period's length                            | Periods.months                 |
| cost        | per-unit cost, else person-km                  | Pledges.cost_per_unit, distances |
| 10^e        | the cost scale: largest coefficient <= 1e6     | model/objective.py             |
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd

from ..caveats import KINDS, active_caveats
from ..data import Data, required_units
from .baseline import add_baseline
from .candidates import candidates
from .context import BuildContext
from .linear import RowBlock, caveat_origin
from .option_columns import X_COLUMNS, checked
from .stages import add_stages
from .tours import add_tours

log = logging.getLogger("forcegen.build")


def build_model(
    data: Data,
    *,
    explain: bool = False,
    formulation: str = "textbook",
    cuts: bool | None = None,
) -> BuildContext:
    """The whole model as blocks in a `LinearModel`, with the index sets that explain it.

    With `explain`, every rule is written as rows a diagnosis can switch off one at a time:
    forbidden options get variables pinned to 0 by a row of the caveat that forbids them, every
    pledge and requirement gets its row, and the bounds of x no longer carry any rule.
    `cuts` (rows every whole plan keeps: `max_personnel`'s hull rows): by default only in a
    model not built to explain, whose LP tells a conflict of fractions from one of whole units
    and whose diagnosis relaxes each rule's own rows; a re-solve for caveat prices asks for them,
    to search as the planner's solve did (lifting a caveat lifts its cuts).
    """
    began = time.perf_counter()
    ctx = BuildContext(
        data,
        pd.DataFrame(),
        explain=explain,
        formulation=formulation,
        cuts=not explain if cuts is None else cuts,
    )
    with ctx.timed_part("index: candidates"):
        ctx.cand = candidates(data)
    rows = active_caveats(data)
    for name, kind in KINDS.items():
        with ctx.timed_part(f"caveat {name}: forbid/harden"):
            kind.forbid(ctx, rows[name])
            kind.harden(ctx, rows[name])
    with ctx.timed_part("variables: x and presence"):
        _variables(ctx)
        if explain:
            _forbid_rows(ctx)
    with ctx.timed_part("rows: pledges and requirements"):
        if ctx.timed:
            add_tours(ctx)  # arrivals, tour lengths, rotation and dwell (the pledge rows)
        else:
            _pledge_rows(ctx)
        _requirement_rows(ctx)
    with ctx.timed_part("rows: single source and site limits"):
        _single_source(ctx)
        _max_contributors(ctx)
    for name, kind in KINDS.items():
        with ctx.timed_part(f"caveat {name}: rows"):
            first = len(ctx.lm.row_blocks)
            kind.add(ctx, rows[name])
            _check_own_rows(name, ctx.lm.row_blocks[first:])
    if data.baseline is not None:
        with ctx.timed_part("rows: baseline"):
            add_baseline(ctx)
    with ctx.timed_part("objective stages"):
        add_stages(ctx)
    for part, seconds in ctx.timings:
        log.info("build %-40s %8.3f s", part, seconds)
    log.info("build %-40s %8.3f s  %s", "total", time.perf_counter() - began, ctx.lm.size())
    return ctx


def _check_own_rows(kind: str, blocks: list[RowBlock]) -> None:
    """The caveat rows a kind's `add` put in carry its name (or `site_use`, a site's use every
    kind may add): another kind's name would turn a rule into that kind's for the explanations
    (linear.py checks any caveat kind's name as a row is added; this, the kind's own). Shared
    rows it asks for on the way (presence per period) are the model's, of their own kinds."""
    for block in blocks:
        if block.origin.startswith("caveat ") and block.kind not in (kind, "site_use"):
            raise ValueError(
                f"internal error: caveat kind {kind} added rows '{block.name}' of kind "
                f"'{block.kind}'"
            )


def _variables(ctx: BuildContext) -> None:
    keep = ctx.kept_mask() if not ctx.explain else np.ones(len(ctx.cand), dtype=bool)
    x = ctx.cand[keep].reset_index(drop=False).rename(columns={"index": "cand_pos"})
    if ctx.explain:  # a bound that no rule sets, so that each rule lives in its own rows
        x["ub"] = x["units_pledge"] + x["units_req"] + _largest_value(ctx.data)
    # plain object arrays: iterating pandas' string arrays element by element is ~5x slower
    con, site = (x[c].to_numpy(dtype=object) for c in ("contributor", "site"))
    ctx.x = x
    keys = ctx.xkeys(np.arange(len(x)))
    x["col"] = ctx.lm.add_vars(
        "x", keys, 0, x["ub"].to_numpy(dtype=float), integer=True, origin="Pledges x Requirements"
    )
    checked(x, X_COLUMNS, "ctx.x")
    # pairs (contributor, site) numbered in sorted order, from the codes of each sorted column
    con_code, con_names = pd.factorize(con, sort=True)
    site_code, site_names = pd.factorize(site, sort=True)
    pair_codes, pair_ids = pd.factorize(con_code * len(site_names) + site_code, sort=True)
    pair_con = con_names[pair_ids // len(site_names)].tolist()
    pair_site = site_names[pair_ids % len(site_names)].tolist()
    cols = ctx.indicators(
        "present",
        pair_codes,
        np.arange(len(x)),
        keys=list(zip(pair_con, pair_site, strict=True)),
        origin="presence of a contributor at a site",
        kind="presence",
    )
    ctx.pairs = pd.DataFrame({"contributor": pair_con, "site": pair_site, "col": cols})


def _largest_value(data: Data) -> int:
    values = data.caveats["value"] if len(data.caveats) else pd.Series(dtype=float)
    values = pd.to_numeric(values, errors="coerce").fillna(0)
    return int(values.abs().max()) + 1 if len(values) else 1


def _forbid_rows(ctx: BuildContext) -> None:
    """Explain mode: the options a caveat forbids are pinned to 0 by a row of that caveat."""
    assert ctx.x is not None
    xcols = ctx.x["col"].to_numpy()  # x holds every candidate in explain mode
    for cid, positions in sorted(ctx.forbidden_by.items()):
        if len(positions):
            ctx.lm.add_rows(
                f"caveat.{cid}.forbid",
                [(cid,)],
                np.zeros(len(positions), np.int64),
                xcols[positions],
                1.0,
                -np.inf,
                0.0,
                origin=caveat_origin(cid),
                kind="forbid",
            )


def _grouped_rows(ctx: BuildContext, by: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(group index per x, sum of bounds per group index, x columns)."""
    assert ctx.x is not None
    idx = ctx.x[by].to_numpy()
    return idx, ctx.x["ub"].to_numpy(dtype=float), ctx.x["col"].to_numpy()


def _pledge_rows(ctx: BuildContext) -> None:
    """sum over sites of x[c,k,s] <= pledged units; only where the bounds alone do not imply it."""
    pl = ctx.data.pledges
    idx, ub, cols = _grouped_rows(ctx, "pledge_idx")
    reach = np.bincount(idx, weights=ub, minlength=len(pl))
    needed = np.flatnonzero((reach > pl["units"].to_numpy()) | ctx.explain)
    _sum_rows(
        ctx,
        "pledge",
        needed,
        idx,
        cols,
        -np.inf,
        pl["units"].to_numpy(dtype=float)[needed],
        keys=list(
            zip(
                pl["contributor"].to_numpy()[needed],
                pl["capability"].to_numpy()[needed],
                strict=True,
            )
        ),
        origin="Pledges",
    )


def _requirement_rows(ctx: BuildContext) -> None:
    """Per line and period: sum over contributors of x <= required; = required where hard."""
    assert ctx.x is not None
    rq = ctx.data.requirements
    n_periods = ctx.n_periods
    required = required_units(ctx.data).astype(float)  # lines x periods
    hard = ctx.hard_matrix()
    x = ctx.x
    idx = x["req_idx"].to_numpy() * n_periods + x["t"].to_numpy()
    reach = np.bincount(
        idx, weights=x["ub"].to_numpy(dtype=float), minlength=len(rq) * n_periods
    ).reshape(len(rq), n_periods)
    line, period = np.nonzero((hard & (required > 0)) | (reach > required) | ctx.explain)
    units = required[line, period]
    lower = np.where(hard[line, period], units, -np.inf)
    _sum_rows(
        ctx,
        "requirement",
        line * n_periods + period,
        idx,
        x["col"].to_numpy(),
        lower,
        units,
        keys=ctx.keyed(
            list(zip(rq["site"].to_numpy()[line], rq["capability"].to_numpy()[line], strict=True)),
            period,
        ),
        origin="Requirements",
    )


def _sum_rows(
    ctx: BuildContext,
    name: str,
    needed: np.ndarray,
    idx: np.ndarray,
    cols: np.ndarray,
    lower: np.ndarray | float,
    upper: np.ndarray | float,
    *,
    keys: list[tuple[Any, ...]],
    origin: str,
) -> None:
    """One row per entry of `needed`: the sum of the x whose group index is that entry."""
    size = max(int(idx.max(initial=-1)), int(needed.max(initial=-1))) + 1
    local = np.full(size, -1, dtype=np.int64)
    local[needed] = np.arange(len(needed))
    member = local[idx] >= 0
    ctx.lm.add_rows(
        name, keys, local[idx][member], cols[member], 1.0, lower, upper, origin=origin, kind=name
    )


def _single_source(ctx: BuildContext) -> None:
    """At most one contributor with x > 0 on a single-source line in each period (one binary
    per option and period)."""
    assert ctx.x is not None
    rq = ctx.data.requirements
    single = rq["single_source"].to_numpy(dtype=bool)
    x = ctx.x
    line_t = x["req_idx"].to_numpy() * ctx.n_periods + x["t"].to_numpy()
    on_line = single[x["req_idx"].to_numpy()]
    counts = np.bincount(line_t[on_line], minlength=len(rq) * ctx.n_periods)
    positions = np.flatnonzero(on_line & (counts[line_t] >= 2))
    if not len(positions):
        return
    used = ctx.indicators(
        "single_source.used",
        positions,
        positions,
        keys=ctx.xkeys(positions),
        origin="Requirements single_source",
        kind="single_source",
    )
    uniq, local = np.unique(line_t[positions], return_inverse=True)
    lines = uniq // ctx.n_periods
    ctx.lm.add_rows(
        "single_source",
        ctx.keyed(
            list(
                zip(rq["site"].to_numpy()[lines], rq["capability"].to_numpy()[lines], strict=True)
            ),
            uniq % ctx.n_periods,
        ),
        local,
        used,
        1.0,
        -np.inf,
        1.0,
        origin="Requirements single_source",
        kind="single_source",
    )


def _max_contributors(ctx: BuildContext) -> None:
    """At most `max_contributors` contributors present at a site in each period (only where
    more could come)."""
    assert ctx.x is not None
    sites = ctx.data.sites
    limit = dict(zip(sites["site"], sites["max_contributors"], strict=True))
    x = ctx.x
    present = x[["contributor", "site", "t"]].drop_duplicates()
    counts = present.groupby(["site", "t"], sort=True).size()
    bound = [
        (s, int(t))
        for (s, t), n in counts.items()
        if limit.get(s) is not None and not np.isnan(limit[s]) and n > limit[s]
    ]
    if not bound:
        return
    chosen = present.set_index(["site", "t"]).loc[bound].reset_index()
    chosen = chosen.sort_values(["site", "t", "contributor"], kind="mergesort")
    group = pd.factorize(pd.MultiIndex.from_frame(chosen[["site", "t"]]), sort=True)[0]
    cols = ctx.period_presence_cols(
        chosen["contributor"].to_numpy(dtype=object),
        chosen["site"].to_numpy(dtype=object),
        chosen["t"].to_numpy(),
    )
    ctx.lm.add_rows(
        "max_contributors",
        ctx.keyed([(s,) for s, _ in bound], np.array([t for _, t in bound], dtype=np.int64)),
        group,
        cols,
        1.0,
        -np.inf,
        np.array([float(limit[s]) for s, _ in bound]),
        origin="Sites max_contributors",
        kind="max_contributors",
    )
