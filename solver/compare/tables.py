"""The comparison tables: base (the first view) against every other scenario.

- `overview`: per scenario, status, every objective stage, coverage, personnel, shortfall units
  per priority, and their change against base; a remark (its error, its edit and the rules it
  breaks, the caution of a plan not proven optimal, notes);
- `sites`: per site x capability, units allocated in each scenario and the change against base;
- `contributors`: per contributor, deployed units and personnel in each scenario and the change;
- `changes`: the allocation rows that differ from base (added, removed, changed units);
- `robustness`: the generated withdrawals, the most harmful first; those not run after them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..io.withdrawals import WITHDRAW
from .audit import no_plan_remark, remark_of
from .caution import cautions, first_open
from .robustness_where import (
    better,
    better_than_base,
    changes_nothing,
    changes_unproven,
    line_priority,
    moves,
    not_optimised,
    where_text,
)
from .views import ScenarioView

if TYPE_CHECKING:
    from .replan import Replan

DELTA = "Δ "
KEYS = ["contributor", "capability", "site"]
SOLVED_WITHOUT_PLAN = ("infeasible", "no_solution")  # solved: the withdrawal leaves no plan
EDITED = "edited"  # the overview's status of a plan edited after solving (optimality unknown)


@dataclass
class Comparison:
    """Every comparison table, and the notes to show beside them."""

    views: list[ScenarioView]
    overview: pd.DataFrame
    sites: pd.DataFrame
    contributors: pd.DataFrame
    changes: pd.DataFrame
    robustness: pd.DataFrame | None
    priorities: list[int]
    notes: list[str] = field(default_factory=list)
    replans: list[Replan] = field(default_factory=list)  # outputs re-planned against the base
    timed: bool = False  # a timed sweep's: every count is in unit-months (person-months)

    @property
    def base(self) -> ScenarioView:
        return self.views[0]


def compare_views(views: list[ScenarioView], timed: bool | None = None) -> Comparison:
    """All the tables for `views` (base first); labels must be unique. `timed`: the views
    count unit-months (a timed workbook's sweep; None: when some view says so, which a sweep
    whose every scenario failed cannot)."""
    if not views:
        raise ValueError("nothing to compare")
    priorities = sorted({int(p) for v in views for p in v.lines["priority"]})
    notes = [n for v in views for n in v.notes]
    return Comparison(
        views=views,
        overview=overview(views, priorities),
        sites=sites(views),
        contributors=contributors(views),
        changes=changes(views),
        robustness=robustness(views, priorities),
        priorities=priorities,
        notes=notes,
        timed=any(v.timed for v in views) if timed is None else timed,
    )


def _changed(delta: object) -> bool:
    """A change that is a number other than 0 (a blank is no change to mark)."""
    return isinstance(delta, int | float) and not pd.isna(delta) and delta != 0


def stage_keys(views: list[ScenarioView]) -> list[str]:
    """Objective stages in lexicographic order: shortfall by priority, cost, presence."""
    keys = {k for v in views for k in v.stages}
    shortfall = sorted(
        (k for k in keys if k.startswith("objective.shortfall.p")),
        key=lambda k: int(k.rsplit("p", 1)[1]),
    )
    rest = [k for k in ("objective.cost", "objective.presence") if k in keys]
    return [*shortfall, *rest, *sorted(keys - set(shortfall) - set(rest))]


def line_allocated(view: ScenarioView) -> pd.Series:
    """Units allocated per requirement line (site, capability) of the view."""
    key = pd.MultiIndex.from_frame(view.lines[["site", "capability"]].astype(object))
    if not len(view.allocation):
        return pd.Series(0, index=key, dtype="int64")
    got = view.allocation.groupby(["site", "capability"])["units"].sum()
    return got.reindex(key).fillna(0).astype("int64")


def metrics(view: ScenarioView, priorities: list[int], stages: list[str]) -> dict[str, Any]:
    """One overview row: as the Summary computes them, but from the allocation as it stands."""
    row: dict[str, Any] = {
        "scenario": view.name,
        "status": EDITED if view.edited else view.status,
        "violations": None if view.violations is None else len(view.violations),
    }
    for key in stages:
        row[key] = view.stages.get(key) if view.has_plan else None
    lines = view.lines
    required = int(lines["required"].sum()) if len(lines) else 0
    row["required_units"] = required if len(lines) or view.has_plan else None
    plan = view.has_plan
    alloc = line_allocated(view).to_numpy() if plan else None
    # coverage and allocated units count what fills a line: units beyond a line's requirement
    # (an edit gone too far) do not hide another line's gap, and required = allocated +
    # shortfall as in a solved plan (report's briefing counts them alike: a review)
    filled = (
        int(np.minimum(alloc, lines["required"].to_numpy()).sum()) if alloc is not None else None
    )
    row["allocated_units"] = filled
    row["coverage_pct"] = (
        (round(100.0 * filled / required, 2) if required else 100.0) if filled is not None else None
    )
    row["deployed_personnel"] = int(view.allocation["personnel"].sum()) if plan else None
    row["contributors_engaged"] = int(view.allocation["contributor"].nunique()) if plan else None
    short = np.maximum(lines["required"].to_numpy(dtype="int64") - alloc, 0) if plan else None
    row["shortfall_units"] = int(short.sum()) if short is not None else None
    for p in priorities:
        sel = (lines["priority"] == p).to_numpy()
        row[f"shortfall_units.p{p}"] = int(short[sel].sum()) if short is not None else None
    return row


CHANGE_COLUMNS = ("coverage_pct", "deployed_personnel", "shortfall_units")


def overview(views: list[ScenarioView], priorities: list[int]) -> pd.DataFrame:
    stages = stage_keys(views)
    rows = [metrics(v, priorities, stages) for v in views]
    changed = [*stages, *CHANGE_COLUMNS, *(f"shortfall_units.p{p}" for p in priorities)]
    base = rows[0]
    for row, view in zip(rows, views, strict=True):
        for key in changed:
            row[DELTA + key] = None if view is views[0] else _delta(row[key], base[key])
        row["stages_from"] = view.stages_from
        said = [str(v) for k, v in view.summary.items() if k.startswith("note.") and v]
        audit = remark_of(view)
        why = no_plan_remark(view.status, view.source, view.summary)
        doubt = cautions(view.summary, str(view.name), view.status, view.edited)
        parts = (view.error, why, *audit, *doubt)
        parts += (*said, *view.notes)
        row["remark"] = "; ".join(t for t in parts if t) or None
    return pd.DataFrame(rows)


def _delta(value: Any, base: Any) -> Any:
    if value is None or base is None:
        return None
    diff = value - base
    if isinstance(diff, float):
        diff = round(diff, 6)
        return int(diff) if diff.is_integer() and abs(diff) < 2**53 else diff
    return diff


def sites(views: list[ScenarioView]) -> pd.DataFrame:
    """Site x capability: allocated per scenario, the priority and the required units where a
    scenario's differ from base's (`priority <scenario>`, `required <scenario>`: listed in
    attrs `priority_columns` and `required_columns`, each with base's first), and the change
    of allocated units against base."""
    frames = [v.lines for v in views if len(v.lines)]
    if not frames:
        return pd.DataFrame(columns=["site", "capability", "priority", "required"])
    lines = pd.concat(frames, ignore_index=True).drop_duplicates(["site", "capability"])
    lines = lines[["site", "capability", "priority", "required"]].reset_index(drop=True)
    key = pd.MultiIndex.from_frame(lines[["site", "capability"]].astype(object))
    cols: dict[str, Any] = {c: lines[c].to_list() for c in lines.columns}
    allocated: dict[str, np.ndarray | None] = {}
    for view in views:
        allocated[view.name] = (
            line_allocated(view).groupby(level=[0, 1]).sum().reindex(key).fillna(0).to_numpy()
            if view.has_plan
            else None
        )
        cols[_free(cols, view.name)] = _ints(allocated[view.name], len(lines))
    priority_columns = _differing(views, lines, key, cols, "priority")
    required_columns = _differing(views, lines, key, cols, "required")
    base = allocated[views[0].name]
    for view in views[1:]:
        now = allocated[view.name]
        cols[_free(cols, DELTA + view.name)] = (
            [None] * len(lines) if now is None or base is None else _ints(now - base, len(lines))
        )
    frame = pd.DataFrame(cols)
    frame.attrs["priority_columns"] = priority_columns
    frame.attrs["required_columns"] = required_columns  # the rest: units allocated, changes
    return frame


def _differing(
    views: list[ScenarioView],
    lines: pd.DataFrame,
    key: pd.MultiIndex,
    cols: dict[str, Any],
    column: str,
) -> list[str]:
    """Add to `cols` a column `<column> <scenario>` (`priority odesa`, `required v1`) for each
    scenario whose `column` differs from base's on some line (blank where the scenario has no
    such line), so no scenario's figure is read as base's; the labels, `column` first. Base's
    is `lines[column]` (a line base lacks: the first scenario's that has it)."""
    labels = [column]
    first = lines[column].to_numpy(dtype=float)
    for view in views[1:]:
        values = (
            view.lines.set_index(["site", "capability"])[column].reindex(key).to_numpy(dtype=float)
        )
        if not np.array_equal(values, first, equal_nan=True):
            label = _free(cols, f"{column} {view.name}")
            cols[label] = [None if np.isnan(v) else int(v) for v in values]
            labels.append(label)
    return labels


def _free(cols: dict[str, Any], label: str) -> str:
    """`label`, or `label (2)`, ... when a column has it already: a scenario named `site` or
    `required`, or `required X` beside a scenario X whose requirement differs, would otherwise
    overwrite that column."""
    free, n = label, 1
    while free in cols:
        n += 1
        free = f"{label} ({n})"
    return free


def _ints(values: np.ndarray | None, n: int) -> list[Any]:
    if values is None:
        return [None] * n
    return [int(v) for v in values]


def contributors(views: list[ScenarioView]) -> pd.DataFrame:
    """Deployed units and personnel per contributor in each scenario, and the change."""
    names: list[str] = []
    for view in views:
        for c in [*view.contributors, *view.allocation["contributor"]]:
            if c not in names:
                names.append(c)
    cols: dict[str, Any] = {"contributor": names}
    totals: dict[str, pd.DataFrame | None] = {}
    for view in views:
        totals[view.name] = None
        if view.has_plan:
            sums = view.allocation.groupby("contributor")[["units", "personnel"]].sum()
            totals[view.name] = sums.reindex(names).fillna(0).astype("int64")
        for what in ("units", "personnel"):
            frame = totals[view.name]
            cols[f"{view.name} {what}"] = _ints(
                None if frame is None else frame[what].to_numpy(), len(names)
            )
    base = totals[views[0].name]
    for view in views[1:]:
        now = totals[view.name]
        for what in ("units", "personnel"):
            diff = None if now is None or base is None else (now[what] - base[what]).to_numpy()
            cols[f"{DELTA}{view.name} {what}"] = _ints(diff, len(names))
    return pd.DataFrame(cols)


CHANGE_TABLE = [
    "scenario",
    *KEYS,
    "change",
    "base_units",
    "units",
    DELTA + "units",
    "base_personnel",
    "personnel",
]


def changes(views: list[ScenarioView]) -> pd.DataFrame:
    """The allocation rows of each scenario that differ from base's; none of a scenario whose
    output, or base's, has no plan (unplanned.py says it `not compared`)."""
    base = views[0].allocation[[*KEYS, "units", "personnel"]]
    frames = []
    for view in views[1:]:
        if not (view.has_plan and views[0].has_plan):
            continue
        now = view.allocation[[*KEYS, "units", "personnel"]]
        both = base.merge(now, on=KEYS, how="outer", suffixes=("_base", "_now"))
        counts = [f"{c}_{w}" for c in ("units", "personnel") for w in ("base", "now")]
        both[counts] = both[counts].fillna(0).astype("int64")
        both = both[both["units_base"] != both["units_now"]].reset_index(drop=True)
        if not len(both):
            continue
        kind = np.where(
            both["units_base"] == 0, "added", np.where(both["units_now"] == 0, "removed", "changed")
        )
        frames.append(
            pd.DataFrame(
                {
                    "scenario": view.name,
                    **{k: both[k] for k in KEYS},
                    "change": kind,
                    "base_units": both["units_base"],
                    "units": both["units_now"],
                    DELTA + "units": both["units_now"] - both["units_base"],
                    "base_personnel": both["personnel_base"],
                    "personnel": both["personnel_now"],
                }
            ).sort_values(KEYS, kind="mergesort")
        )
    if not frames:
        return pd.DataFrame(columns=CHANGE_TABLE)
    return pd.concat(frames, ignore_index=True)[CHANGE_TABLE]


def robustness(views: list[ScenarioView], priorities: list[int]) -> pd.DataFrame | None:
    """The generated withdrawals, most harmful first (lexicographically: more shortfall at a
    more important priority, then higher cost; a solve without any plan is the worst);
    `where` lists the lines that lose units. Withdrawals with no answer (not run, or failed)
    say nothing of the harm: they come after the ranked ones, with no rank."""
    withdrawals = [v for v in views[1:] if v.generated and v.name.startswith(WITHDRAW)]
    base = views[0]
    if not withdrawals or not base.has_plan:
        return None
    stages = stage_keys(views)
    shortfall = [f"shortfall.p{p}" for p in priorities]
    base_open = first_open(base.summary, str(base.status), base.has_plan, shortfall)
    base_row = metrics(base, priorities, stages)
    base_lines = line_allocated(base)
    rows = []
    moved: dict[str, tuple[str, list[str], list[str]]] = {}
    unchanged: list[str] = []  # withdrawals that change nothing: not ranked
    for view in withdrawals:
        row = metrics(view, priorities, stages)
        out: dict[str, Any] = {
            "scenario": view.name,
            "withdrawn": view.name.removeprefix(WITHDRAW),
            "status": view.status,
        }
        for p in priorities:  # what ranks (weighted, the objective's) and what it counts
            for key in (f"objective.shortfall.p{p}", f"shortfall_units.p{p}"):
                out[DELTA + key] = _delta(row.get(key), base_row.get(key))
        out[DELTA + "objective.cost"] = _delta(
            row.get("objective.cost"), base_row.get("objective.cost")
        )
        out[DELTA + "deployed_personnel"] = _delta(
            row["deployed_personnel"], base_row["deployed_personnel"]
        )
        # the changes the console marks `~`: at or after a priority either plan did not prove
        opened = min(
            first_open(view.summary, str(view.status), view.has_plan, shortfall), base_open
        )
        out["not_proven"] = ", ".join(
            f"p{p}"
            for i, p in enumerate(priorities)
            if i >= opened and _changed(out[f"{DELTA}objective.shortfall.p{p}"])
        )
        if view.has_plan and (nothing := changes_nothing(view)):
            out["where"], out["_rank"] = nothing, None
            unchanged.append(view.name)
        elif view.has_plan:
            out["_rank"] = tuple((row[k] or 0.0) - (base_row[k] or 0.0) for k in stages)
            lost, gained = moves(base_lines, line_allocated(view), line_priority(base))
            why = better_than_base(base, view.name) if better(out["_rank"]) else ""
            # the sheet says it in words; the console marks the rank `(not optimised)`
            said = [not_optimised(view), changes_unproven(view), why]
            out["where"] = where_text("; ".join(filter(None, said)), lost, gained)
            moved[view.name] = (why, lost, gained)
        else:  # solved without a plan: worst of all; not run or failed: not ranked
            out["where"] = view.error or f"no plan ({view.status})"
            out["_rank"] = (float("inf"),) if view.status in SOLVED_WITHOUT_PLAN else None
        rows.append(out)
    ranked = sorted(
        (r for r in rows if r["_rank"] is not None), key=lambda r: tuple(-x for x in r["_rank"])
    )
    unranked = [r for r in rows if r["_rank"] is None]  # in the sweep's order, after the ranked
    for i, r in enumerate(ranked, start=1):
        r["rank"] = i
    for r in unranked:
        r["rank"] = None
    for r in rows:
        r.pop("_rank")
    frame = pd.DataFrame(ranked + unranked, columns=[*rows[0]])
    frame["rank"] = pd.Series([r["rank"] for r in ranked + unranked], dtype=object)  # 1, not 1.0
    frame = frame[["rank", *[c for c in frame.columns if c != "rank"]]]
    frame.attrs["moves"] = moved  # per scenario with a plan: (why better, losing, gaining)
    frame.attrs["unchanged"] = unchanged
    return frame
