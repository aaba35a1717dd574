"""A hand-edited output as the briefing shows it: judged exactly as `forcegen compare` judges it
(solver/compare/audit.py: edited by content, recomputed with `verify`'s reader and rules).

When the plan was edited and its input is found, the page's tables are rebuilt from the Allocation
sheet as it stands: per line allocated = sum of its rows' units and shortfall = max(required -
allocated, 0); per contributor deployed_units / deployed_personnel = the sums of its rows; the cost
is the recomputed `objective.cost`, and the Summary's totals are recomputed the way the solve
writes them. The Gaps and Caveats sheets belong to the solved plan and are
dropped (their reasons are not recomputed), and so are a re-plan's Asks and Changes (what the
solved plan asked against its baseline; `forcegen compare BASELINE EDITED` recomputes them). Without the input the figures stay the solved plan's,
and the page says so. A timed output's plan is its Tours sheet: edited_time.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..compare.audit import OTHER_INPUT
from ..outputs.load import Output, covered

EDITED = "edited"
# the solved plan's, not the edited one's
STALE_SHEETS = ("Gaps", "Caveats", "CaveatPrices", "Alternatives", "Asks", "Changes")


def audited(out: Output, given: Path | None) -> Output:
    """`out` unchanged when its plan is the solved one; else marked edited, with its figures
    recomputed from the Allocation sheet (a timed output's: its Tours) when the input is found,
    and the rules it breaks."""
    from ..compare.audit import Inputs, audit, edited_by_content
    from ..compare.unfit_cells import read_fully
    from ..compare.views import read_output
    from ..errors import InputError
    from ..verify.reader import REPEATED

    if out.timed:
        from .edited_time import audited_timed

        return audited_timed(out, given)
    view = read_fully(out.path, Inputs(given), read_output)  # every cell at once (unfit_cells)
    if not edited_by_content(view):
        return out
    summary = {**out.summary, "status": EDITED, "solved_status": out.status}
    try:
        audit(view, Inputs(given))
    except InputError as exc:  # a --input that does not fit the plan: the map notes say more
        return replace(out, summary=summary, audit_notes=[without_input(out, exc.listed)])
    if view.stages_from != "recomputed":  # its input not found, or found and not fitting
        return replace(out, summary=summary, audit_notes=[without_input(out, view.unfit)])
    summary["against_solved"] = against_solved(view.stages, out.summary)
    summary = without_priorities(summary, "shortfall_units.p")  # the found input's, below
    for key, value in view.stages.items():
        summary[key] = value
    sheets = {k: v for k, v in out.sheets.items() if k not in STALE_SHEETS}
    sheets["Allocation"] = view.allocation.copy()
    sheets["Coverage"] = _coverage(out.coverage, view.allocation, view.lines)
    sheets["Contributors"] = _contributors(out.contributors, view.allocation)
    summary.update(_totals(sheets["Coverage"], view.allocation))
    notes = [
        f"The Allocation sheet was edited after solving (solved as {out.status}): every figure "
        "below is recomputed from it; the gaps' reasons, the binding caveats, the caveats' "
        "prices and the alternatives are not.",
        *view.taken_as,  # why a name retyped in another case is an edit
        *found_input_notes(view.notes),
        *[n for n in view.notes if REPEATED in n],  # rows added up: a row pasted twice?
    ]
    if "Asks" in out.sheets:
        notes.append(
            "Its Asks and Changes sheets are the solved re-plan's, not the edited plan's, and "
            "are not shown: `forcegen compare BASELINE.xlsx` with this file recomputes what "
            "the edited plan asks of each nation."
        )
    return replace(
        out, summary=summary, sheets=sheets, violations=view.violations or [], audit_notes=notes
    )


def without_input(out: Output, reason: str = "") -> str:
    """The note of an edited plan whose input was not found, or does not fit it (`reason`)."""
    name = str(out.summary.get("input_file") or "its input workbook")
    missing = f"does not fit it ({reason})" if reason else "was not found (use --input)"
    sheet = "Tours" if out.timed else "Allocation"
    # the Gantt charts draw the Tours sheet as it stands: said, or they read as the solved plan
    gantt = " (but the Gantt charts, which draw its Tours as edited)" if out.timed else ""
    return (
        f"The {sheet} sheet was edited after solving (solved as {out.status}), but {name} "
        f"{missing}: the figures below are the solved plan's{gantt}, not the edited one's, "
        "and the rules were not checked."
    )


def _coverage(coverage: pd.DataFrame, alloc: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The Coverage sheet with allocated and shortfall taken from the Allocation rows, and
    each line's required units and priority from the input found (`lines`: it may be another
    version than the plan was solved from); a line only the input has is added, one it lacks
    dropped (its other columns, `hard` and the rest, are the solved plan's)."""
    got = alloc.groupby(["site", "capability"])["units"].sum()
    keys = ["site", "capability"]
    given = lines.set_index(keys)[["required", "priority"]]
    cov = coverage[pd.MultiIndex.from_frame(coverage[keys]).isin(given.index)]  # still lines
    cov = pd.concat([cov, lines[~lines.set_index(keys).index.isin(cov.set_index(keys).index)]])
    cov = cov.reset_index(drop=True)
    key = pd.MultiIndex.from_frame(cov[keys])
    for column in ("required", "priority"):
        cov[column] = given[column].reindex(key).astype("int64").to_numpy()
    cov["allocated"] = got.reindex(key).fillna(0).astype("int64").to_numpy()
    cov["shortfall"] = (cov["required"] - cov["allocated"]).clip(lower=0)
    return cov


def _contributors(contributors: pd.DataFrame, alloc: pd.DataFrame) -> pd.DataFrame:
    """The Contributors sheet with deployed units and personnel taken from the Allocation rows."""
    sums = alloc.groupby("contributor")[["units", "personnel"]].sum()
    con = contributors.copy()
    who = con["contributor"].astype(str)
    con["deployed_units"] = sums["units"].reindex(who).fillna(0).astype("int64").to_numpy()
    con["deployed_personnel"] = sums["personnel"].reindex(who).fillna(0).astype("int64").to_numpy()
    return con


def _totals(coverage: pd.DataFrame, alloc: pd.DataFrame) -> dict[str, int | float]:
    """The Summary's totals of the edited plan, as the solve writes them (results/report.py):
    coverage_pct = 100 x covered / required (100 when nothing is required), covered being
    min(allocated, required) per line: a line an edit gives more than it requires covers no
    other (a solved plan never does, so there it is allocated / required); allocated_units
    counts the same, so that required = allocated + shortfall (a trial saw an edit's surplus
    unit counted +1 allocated, in green, beside an unchanged shortfall)."""
    required = int(coverage["required"].sum())
    filled = int(covered(coverage).sum())
    totals: dict[str, int | float] = {
        "required_units": required,
        "allocated_units": filled,  # up to each line's need, as a solved plan allocates
        "shortfall_units": int(coverage["shortfall"].sum()),
        "coverage_pct": round(100.0 * filled / required, 2) if required else 100.0,
        "deployed_personnel": int(alloc["personnel"].sum()) if len(alloc) else 0,
        "contributors_engaged": int(alloc["contributor"].nunique()) if len(alloc) else 0,
    }
    for p, short in coverage.groupby("priority")["shortfall"].sum().items():
        totals[f"shortfall_units.p{int(p)}"] = int(short)
    return totals


def against_solved(recomputed: dict[str, float | None], solved: dict[str, object]) -> str:
    """How the edited plan scores against the solved one, as `verify` says it, at the first
    objective stage where they differ: `worse than the solved plan at shortfall.p2: 2 against
    1`, `better ...`, `as good as the solved plan at every stage`; blank where that stage cannot
    be compared (a value missing)."""
    from ..verify.report import against_stored, compare_stages

    stages = compare_stages(
        {k: v for k, v in recomputed.items() if v is not None},
        {k: v for k, v in solved.items() if k.startswith("objective.")},
    )
    if all(s.same for s in stages):
        return "as good as the solved plan at every stage"
    found = against_stored(stages)
    if found is None:
        return ""
    word, row = found
    return (
        f"{word} than the solved plan at {row.stage.removeprefix('objective.')}: "
        f"{row.recomputed:,.6g} against {row.stored:,.6g}"
    )


def without_priorities(summary: dict[str, object], per_priority: str) -> dict[str, object]:
    """The Summary without its per-priority figures (`objective.shortfall.pN` and
    `per_priority` N), which the edited plan's recomputation gives again for the priorities
    of the input found: one it no longer has kept the solved plan's (a review: p2 1 beside a
    total of 0 where the input dropped p2's only line)."""
    stale = ("objective.shortfall.p", per_priority)
    return {k: v for k, v in summary.items() if not str(k).startswith(stale)}


def found_input_notes(notes: list[str]) -> list[str]:
    """Of `notes`, those saying the output was solved from another version of the input found
    (compare/audit.py `note_other_version`), with what that means for the page: its rules and
    figures are the found one's (a trial saw the rules checked against the new workbook and the
    figures against the old)."""
    return [
        f"{n}: the rules and figures below are the workbook found's"
        for n in notes
        if n.endswith(OTHER_INPUT)
    ]
