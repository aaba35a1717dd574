"""The output tables of the contract (and a few more), built from data and a solution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..caveats import KINDS, SolutionView, active_caveats
from ..data import Data
from ..io.copied_columns import copied_in
from ..io.output_schema import ALLOCATION, CONTRIBUTORS
from ..model.context import BuildContext
from ..model.stage_names import SETTLED
from ..solve.outcome import SolveOutcome, stage_gap
from .stages import allocated_per_requirement

CAVEAT_COLUMNS = [
    "id",
    "contributor",
    "caveat",
    "capability",
    "category",
    "site",
    "zone",
    "country",
    "other",
    "value",
    "note",
]
CAVEAT_WINDOW = ["from", "to"]  # a timed workbook's caveat rows carry their window

CONTRIBUTOR_COLUMNS = CONTRIBUTORS.names  # io/output_schema.py

# the Summary's `explanation` when a stop skipped it (solve_steps.explained): `not given: ...`
NOT_GIVEN = "not given"


@dataclass
class Tables:
    """Every output sheet as a DataFrame, plus Summary rows (key, value)."""

    summary: list[tuple[str, Any]]
    allocation: pd.DataFrame
    coverage: pd.DataFrame
    contributors: pd.DataFrame
    caveats: pd.DataFrame
    matrix: pd.DataFrame
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    # timed outputs only: the Periods (period, months, start, phase, offset) and the sheets of
    # time (Tours, Sustainability, Burden); None and empty for a snapshot
    periods: pd.DataFrame | None = None
    timed: dict[str, pd.DataFrame] = field(default_factory=dict)


def allocation_table(ctx: BuildContext, xval: np.ndarray | None) -> pd.DataFrame:
    """One row per x > 0, sorted by contributor, capability, site."""
    cols = ALLOCATION.names
    if xval is None or ctx.x is None or not len(ctx.x):
        return pd.DataFrame(columns=cols)
    x = ctx.x.assign(units=np.round(xval).astype(np.int64))
    x = x[x["units"] > 0]
    x = x.assign(personnel=x["units"] * x["personnel_per_unit"].astype(np.int64))
    return x[cols].sort_values(cols[:3], kind="mergesort").reset_index(drop=True)


def coverage_table(
    data: Data, alloc: pd.DataFrame, hard: np.ndarray, hard_reason: list[str]
) -> pd.DataFrame:
    rq = data.requirements
    allocated = allocated_per_requirement(data, alloc).astype(np.int64)
    required = rq["units"].to_numpy(dtype=np.int64)
    return pd.DataFrame(
        {
            "site": rq["site"],
            "capability": rq["capability"],
            "required": required,
            "allocated": allocated,
            "shortfall": np.maximum(required - allocated, 0),
            "priority": rq["priority"].astype(np.int64),
            "hard": np.where(hard, "yes", "no"),
            "weight": rq["weight"].astype(float),
            "single_source": np.where(rq["single_source"].astype(bool), "yes", "no"),
            "hard_because": hard_reason,
        }
    )


def contributors_table(data: Data, alloc: pd.DataFrame) -> pd.DataFrame:
    con = data.contributors
    pledged = data.pledges.groupby("contributor")["units"].sum()
    pledged_pers = (
        (data.pledges["units"] * data.pledges["personnel_per_unit"])
        .groupby(data.pledges["contributor"])
        .sum()
    )
    dep = alloc.groupby("contributor")[["units", "personnel"]].sum() if len(alloc) else None
    sites = alloc.groupby("contributor")["site"].agg(lambda s: sorted(set(s))) if len(alloc) else {}
    rows = []
    for c in con["contributor"]:
        where = sites.get(c, []) if len(alloc) else []
        rows.append(
            {
                "contributor": c,
                "pledged_units": int(pledged.get(c, 0)),
                "deployed_units": int(dep["units"].get(c, 0)) if dep is not None else 0,
                "deployed_personnel": int(dep["personnel"].get(c, 0)) if dep is not None else 0,
                "sites": len(where),
                "name": con.set_index("contributor").at[c, "name"],
                "status": con.set_index("contributor").at[c, "status"],
                "pledged_personnel": int(pledged_pers.get(c, 0)),
                "site_list": ", ".join(where),
            }
        )
    return CONTRIBUTORS.table(rows)


def caveat_columns(data: Data) -> list[str]:
    """The input caveat columns the Caveats sheet repeats: in a timed workbook with the window
    `from`/`to` as the planner wrote it (blank: the first/last period)."""
    return [*CAVEAT_COLUMNS, *CAVEAT_WINDOW] if data.timed else list(CAVEAT_COLUMNS)


def caveats_table(
    ctx: BuildContext, xval: np.ndarray | None, aval: np.ndarray | None = None
) -> pd.DataFrame:
    """The input caveat rows (`caveat_columns`, then the planner's own columns as typed:
    io/copied_columns.py), plus `binding` and `remark` (judged on the
    solution `xval`, in time with its arrivals `aval`: who is in dwell, as the Gaps sheet;
    `binding` blank without a plan)."""
    cav = ctx.data.caveats
    columns = caveat_columns(ctx.data)
    if not len(cav):
        return pd.DataFrame(columns=[*columns, *copied_in(cav).values(), "binding", "remark"])
    binding: dict[str, bool] = {}
    if xval is not None and ctx.x is not None:
        sol = SolutionView(ctx, np.round(xval), aval)
        for name, rows in active_caveats(ctx.data).items():
            if len(rows):
                binding.update(KINDS[name].binds(ctx, rows, sol))
    available = ctx.data.available
    remarks = []
    for cid, c in zip(cav["id"], cav["contributor"], strict=True):
        if c not in available:
            remarks.append("contributor unavailable: no effect")
        else:
            remarks.append(ctx.notes.get(cid, ""))
    out = cav[columns].copy()
    for column, header in copied_in(cav).items():  # a planner's own columns, as typed
        out[header] = cav[column].to_numpy()
    # no plan (infeasible, none found): nothing to judge, not `no` (a prices trial read a
    # no_weakening, binding in every plan, as `no` beside a solve that found none)
    judged = xval is not None and ctx.x is not None
    out["binding"] = [
        ("yes" if binding.get(i, False) else "no") if judged else "" for i in cav["id"]
    ]
    out["remark"] = remarks
    if "_value_typed" in cav:  # a fraction read as a whole number: the input's value, and why
        typed = cav["_value_typed"]
        said = [_read_as(k, t) for k, t in zip(cav["caveat"], typed, strict=True)]
        out["value"] = typed.where(typed.notna(), cav["value"])
        out["remark"] = [
            "; ".join(filter(None, [s, r])) for s, r in zip(said, remarks, strict=True)
        ]
    return out.reset_index(drop=True)


def _read_as(kind: str, typed: float) -> str:
    """`value 3.5 read as at most 3 (whole units)`, for a caveat whose value was a fraction;
    else ''."""
    rule = KINDS[kind].value_rule
    if pd.isna(typed) or rule is None:
        return ""
    return f"value {float(typed)!r} {rule.read_as(float(typed))} (whole {rule.noun})"


def matrix_table(coverage: pd.DataFrame, data: Data) -> pd.DataFrame:
    """Sites x capabilities, each cell 'allocated/required'."""
    caps = data.capabilities["capability"].tolist()
    cells = {
        (s, k): f"{a}/{r}"
        for s, k, a, r in zip(
            coverage["site"],
            coverage["capability"],
            coverage["allocated"],
            coverage["required"],
            strict=True,
        )
    }
    used = [k for k in caps if any((s, k) in cells for s in data.sites["site"])]
    rows = []
    for s in data.sites["site"]:
        if not any((s, k) in cells for k in used):
            continue
        rows.append({"site": s, **{k: cells.get((s, k), "") for k in used}})
    return pd.DataFrame(rows, columns=["site", *used])


def hard_reasons(ctx: BuildContext) -> tuple[np.ndarray, list[str]]:
    """A snapshot's hard lines and why (its one period of `hard_matrix`, `hard_because_matrix`)."""
    return ctx.hard_matrix()[:, 0], [str(why) for why in ctx.hard_because_matrix()[:, 0]]


GAP_NOISE = 1e-6  # a stage's relative gap below this is the solver's tolerance: read as 0


def stage_gaps(outcome: SolveOutcome, values: dict[str, float]) -> dict[str, float | None]:
    """The relative gap of each stage as the Summary shows it.

    A stage with a gap from the solver keeps it; one proven optimal or skipped without one has
    0. Any other stage (not solved, no plan of its own, the heuristic's plan) has no bound from
    the solver; every stage counts something >= 0, so its honest gap is (value - 0) / value of
    the plan's value for it (`values`, `objective.<stage>`): 100%, or 0 when that value is 0
    (nothing is better than 0). None when the stage has no value (no plan)."""
    gaps: dict[str, float | None] = {}
    for stage in outcome.stages:
        value = values.get(f"objective.{stage.name}")
        if stage.gap is not None:  # below GAP_NOISE: HiGHS's tolerances, not a gap (4e-09)
            gaps[stage.name] = stage.gap if stage.gap >= GAP_NOISE else 0.0
        elif stage.status in SETTLED:
            gaps[stage.name] = 0.0
        else:
            gaps[stage.name] = None if value is None else stage_gap(float(value), float("nan"))
    return gaps


def summary_gap(outcome: SolveOutcome, values: dict[str, float]) -> float | None:
    """The Summary's `mip_gap`: the largest stage gap of `stage_gaps`, so never 0 while a stage
    that counts something was not solved; None (blank) if a stage's gap cannot be told."""
    gaps = list(stage_gaps(outcome, values).values())
    if any(g is None for g in gaps):
        return None
    return round(max((g for g in gaps if g is not None), default=0.0), 9)


def explanation_skipped(summary: dict[str, Any]) -> bool:
    """A stop skipped the explanation (the gaps' reasons, or an infeasible workbook's
    conflict): its Summary's `explanation` is `not given: ...`."""
    return str(summary.get("explanation") or "").startswith(NOT_GIVEN)
