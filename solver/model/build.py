"""Build the allocation model from validated data: index sets, core rules, caveats, stages."""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd

from ..caveats import KINDS
from ..data import Data
from .candidates import candidates
from .context import BuildContext
from .linear import Stage
from .objective import (
    COST_HOLD_ABS,
    COST_HOLD_REL,
    SHORTFALL_HOLD_ABS,
    cost_scale,
    shortfall_scale,
)

log = logging.getLogger("forcegen.build")


def build_model(
    data: Data, *, explain: bool = False, formulation: str = "textbook"
) -> BuildContext:
    """The whole model as blocks in a `LinearModel`, with the index sets that explain it.

    With `explain`, every rule is written as rows a diagnosis can switch off one at a time:
    forbidden options get variables pinned to 0 by a row of the caveat that forbids them, every
    pledge and requirement gets its row, and the bounds of x no longer carry any rule.
    """
    began = time.perf_counter()
    ctx = BuildContext(data, pd.DataFrame(), explain=explain, formulation=formulation)
    with ctx.timed("index: candidates"):
        ctx.cand = candidates(data)
    rows = active_caveats(data)
    for name, kind in KINDS.items():
        with ctx.timed(f"caveat {name}: forbid/harden"):
            kind.forbid(ctx, rows[name])
            kind.harden(ctx, rows[name])
    with ctx.timed("variables: x and presence"):
        _variables(ctx)
        if explain:
            _forbid_rows(ctx)
    with ctx.timed("rows: pledges and requirements"):
        _pledge_rows(ctx)
        _requirement_rows(ctx)
    with ctx.timed("rows: single source and site limits"):
        _single_source(ctx)
        _max_contributors(ctx)
    for name, kind in KINDS.items():
        with ctx.timed(f"caveat {name}: rows"):
            kind.add(ctx, rows[name])
    with ctx.timed("objective stages"):
        _stages(ctx)
    for part, seconds in ctx.timings:
        log.info("build %-40s %8.3f s", part, seconds)
    log.info("build %-40s %8.3f s  %s", "total", time.perf_counter() - began, ctx.lm.size())
    return ctx


def active_caveats(data: Data) -> dict[str, pd.DataFrame]:
    """Caveats by kind. A caveat of an unavailable contributor has no effect: it deploys nothing."""
    con = data.contributors
    available = set(con.loc[con["status"] == "available", "contributor"])
    cav = data.caveats
    live = cav[cav["contributor"].isin(available)] if len(cav) else cav
    return {name: live[live["caveat"] == name] if len(live) else live for name in KINDS}


def _variables(ctx: BuildContext) -> None:
    keep = ctx.kept_mask() if not ctx.explain else np.ones(len(ctx.cand), dtype=bool)
    x = ctx.cand[keep].reset_index(drop=False).rename(columns={"index": "cand_pos"})
    if ctx.explain:  # a bound that no rule sets, so that each rule lives in its own rows
        x["ub"] = x["units_pledge"] + x["units_req"] + _largest_value(ctx.data)
    # plain object arrays: iterating pandas' string arrays element by element is ~5x slower
    con, cap, site = (x[c].to_numpy(dtype=object) for c in ("contributor", "capability", "site"))
    keys = list(zip(con, cap, site, strict=True))
    x["col"] = ctx.lm.add_vars(
        "x", keys, 0, x["ub"].to_numpy(dtype=float), integer=True, origin="Pledges x Requirements"
    )
    ctx.x = x
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
                origin=f"caveat {cid}",
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
    """sum over contributors of x <= required; = required where the requirement is hard."""
    rq = ctx.data.requirements
    hard = ctx.hard_mask()
    units = rq["units"].to_numpy(dtype=float)
    idx, ub, cols = _grouped_rows(ctx, "req_idx")
    reach = np.bincount(idx, weights=ub, minlength=len(rq))
    needed = np.flatnonzero((hard & (units > 0)) | (reach > units) | ctx.explain)
    lower = np.where(hard[needed], units[needed], -np.inf)
    _sum_rows(
        ctx,
        "requirement",
        needed,
        idx,
        cols,
        lower,
        units[needed],
        keys=list(
            zip(rq["site"].to_numpy()[needed], rq["capability"].to_numpy()[needed], strict=True)
        ),
        origin="Requirements",
    )


def _sum_rows(ctx, name, needed, idx, cols, lower, upper, *, keys, origin) -> None:
    """One row per entry of `needed`: the sum of the x whose group index is that entry."""
    size = max(int(idx.max(initial=-1)), int(needed.max(initial=-1))) + 1
    local = np.full(size, -1, dtype=np.int64)
    local[needed] = np.arange(len(needed))
    member = local[idx] >= 0
    ctx.lm.add_rows(
        name, keys, local[idx][member], cols[member], 1.0, lower, upper, origin=origin, kind=name
    )


def _single_source(ctx: BuildContext) -> None:
    """At most one contributor with x > 0 on a single-source line (one binary per option)."""
    assert ctx.x is not None
    rq = ctx.data.requirements
    single = rq["single_source"].to_numpy(dtype=bool)
    x = ctx.x
    on_line = single[x["req_idx"].to_numpy()]
    counts = np.bincount(x["req_idx"].to_numpy()[on_line], minlength=len(rq))
    positions = np.flatnonzero(on_line & (counts[x["req_idx"].to_numpy()] >= 2))
    if not len(positions):
        return
    keys = list(
        zip(
            x["contributor"].to_numpy()[positions],
            x["capability"].to_numpy()[positions],
            x["site"].to_numpy()[positions],
            strict=True,
        )
    )
    used = ctx.indicators(
        "single_source.used",
        positions,
        positions,
        keys=keys,
        origin="Requirements single_source",
        kind="single_source",
    )
    lines = x["req_idx"].to_numpy()[positions]
    uniq, local = np.unique(lines, return_inverse=True)
    ctx.lm.add_rows(
        "single_source",
        list(zip(rq["site"].to_numpy()[uniq], rq["capability"].to_numpy()[uniq], strict=True)),
        local,
        used,
        1.0,
        -np.inf,
        1.0,
        origin="Requirements single_source",
        kind="single_source",
    )


def _max_contributors(ctx: BuildContext) -> None:
    """At most `max_contributors` contributors present at a site (only where more could come)."""
    assert ctx.pairs is not None
    sites = ctx.data.sites
    limit = dict(zip(sites["site"], sites["max_contributors"], strict=True))
    pairs = ctx.pairs
    counts = pairs.groupby("site", sort=True).size()
    bound = [
        s
        for s, n in counts.items()
        if limit.get(s) is not None and not np.isnan(limit[s]) and n > limit[s]
    ]
    if not bound:
        return
    chosen = pairs[pairs["site"].isin(bound)]
    local, _ = pd.factorize(chosen["site"], sort=True)
    ctx.lm.add_rows(
        "max_contributors",
        [(s,) for s in sorted(bound)],
        local,
        chosen["col"].to_numpy(),
        1.0,
        -np.inf,
        np.array([float(limit[s]) for s in sorted(bound)]),
        origin="Sites max_contributors",
        kind="max_contributors",
    )


def _stages(ctx: BuildContext) -> None:
    """Lexicographic stages: shortfall per priority (most important first), cost, presence.

    Each stage is scaled so that HiGHS's tolerances cannot decide it (see model/objective.py):
    shortfall p is  sum_l (w_l / w_min) (u_l - y_l)  (one unit of the lightest line counts 1),
    cost is  sum c_j x_j / 10^k  (largest coefficient at most 1e6), presence counts pairs."""
    assert ctx.x is not None and ctx.pairs is not None
    rq = ctx.data.requirements
    x = ctx.x
    xcols = x["col"].to_numpy()
    weight = rq["weight"].to_numpy(dtype=float)
    units = rq["units"].to_numpy(dtype=float)
    for p in ctx.data.priorities:
        in_p = (rq["priority"] == p).to_numpy()
        scale = shortfall_scale(weight[in_p])
        scaled = weight / scale
        on = in_p[x["req_idx"].to_numpy()]
        ctx.lm.add_stage(
            Stage(
                f"shortfall.p{p}",
                xcols[on],
                -scaled[x["req_idx"].to_numpy()][on],
                float((scaled[in_p] * units[in_p]).sum()),
                hold_abs=SHORTFALL_HOLD_ABS,
                hold_rel=0.0,
                scale=scale,
            )
        )
    cost = x["unit_cost"].to_numpy(dtype=float)
    scale = cost_scale(cost)
    ctx.lm.add_stage(
        Stage(
            "cost",
            xcols,
            cost / scale,
            0.0,
            hold_abs=COST_HOLD_ABS,
            hold_rel=COST_HOLD_REL,
            scale=scale,
        )
    )
    ctx.lm.add_stage(
        Stage(
            "presence",
            ctx.pairs["col"].to_numpy(),
            np.ones(len(ctx.pairs)),
            0.0,
            hold_abs=0.5,
            hold_rel=0.0,
        )
    )
