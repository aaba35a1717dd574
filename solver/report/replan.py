"""A re-plan in the briefing (contract `replanning.md`): an output's own section says what the
plan asks of each nation and the changes against its baseline, from its Asks and Changes sheets;
the comparison says which outputs are re-plans of the first, as `forcegen compare` says it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from ..io.baseline_history import WITHDRAWN
from ..outputs.load import Output
from ..results.asks import UNCHANGED, changed_total, console_line
from ..results.baseline_cost import cost_sentence
from ..results.changes import TIMED_CHANGES_COLUMNS
from ..results.console import fewest_note, locks_held
from ..wording import count
from .view import Table, table

ASKED = ["contributor", "ask", "units_changed", "unit_months_changed"]
LISTED = 6  # the history's options named in the sentence (a review's listed 108 units)
CHANGES = "objective.changes"


@dataclass(frozen=True)
class Replan:
    """The headline (`3 units change, 2 nations asked`), the nations asked (one row each), the
    nations unchanged (names) and the Changes rows."""

    headline: str
    asks: Table
    unchanged: list[str]
    changes: Table
    against: str = "the baseline"  # `the baseline plan.xlsx`, or the workbook's Baseline sheet
    history: str = ""  # what came from before the horizon (`history_note`)
    cost: str = ""  # the cost against the baseline's (`results.baseline_cost.cost_sentence`)


def replan_view(out: Output) -> Replan | None:
    """None for an output without an Asks sheet (solved without a baseline)."""
    asks, changes = out.table("Asks"), out.table("Changes")
    if asks is None or changes is None or "ask" not in asks.columns:
        return None
    asked = asks["ask"].astype(str) != UNCHANGED
    return Replan(
        headline=console_line(asks) + locks_held(out.summary) + fewest_note(out.summary),
        asks=table(asks[asked], ASKED, where="the Asks sheet"),
        unchanged=[str(c) for c in asks.loc[~asked, "contributor"]],
        changes=table(by_run(changes), TIMED_CHANGES_COLUMNS, where="the Changes sheet"),
        against=_against(out.summary),
        history=history_note(out.table("History"), _first_period(out)),
        cost=_first_upper(cost_sentence(out.summary)),
    )


def history_note(history: pd.DataFrame | None, first: str) -> str:
    """What a rolling re-plan took from before its first period (its History sheet,
    io/baseline_history.py), in a sentence: the units carried in that stay on and those the
    plan withdraws as it begins, and the units home from tours that ended (in dwell as their
    pledges say); '' without a history. A rolling trial read a briefing silent on both, and
    asked where a battalion had gone."""
    if history is None or not len(history) or "carried" not in history.columns:
        return ""
    flag = history["carried"].astype(str).str.strip().str.lower()
    parts = [
        _units_of(history[flag == "yes"], "carried in and staying on"),
        _units_of(history[flag == WITHDRAWN], "carried in and withdrawn as the plan begins"),
        _units_of(history[flag == "no"], "home from tours that ended, in dwell as pledged"),
    ]
    said = "; ".join(p for p in parts if p)
    return f"Before {first} (the History sheet) — {said}." if said else ""


def _units_of(rows: pd.DataFrame, what: str) -> str:
    """`carried in and staying on: 3 units (FRA 2 INF_BN at Kyiv, GBR 1 AD_BTY at Lviv)`: the
    rows' units by nation, capability and site, in the sheet's order, the first `LISTED` of
    them and how many more; '' for none."""
    units = pd.to_numeric(rows["units"], errors="coerce").fillna(0).astype(int)
    if not units.sum():
        return ""
    keys = ["contributor", "capability", "site"]
    by = units.groupby([rows[k].astype(str) for k in keys], sort=False).sum()
    each = [f"{c} {n} {k} at {s}" for (c, k, s), n in by.items() if n]
    more = f" and {len(each) - LISTED} more: the History sheet" if len(each) > LISTED else ""
    return f"{what}: {count(int(units.sum()), 'unit')} ({', '.join(each[:LISTED])}{more})"


def _first_period(out: Output) -> str:
    """The plan's first period, as its Burden names it (`the horizon` without one)."""
    burden = out.table("Burden")
    if burden is None or not len(burden) or "period" not in burden.columns:
        return "the horizon"
    return str(burden["period"].iloc[0])


def by_run(changes: pd.DataFrame) -> pd.DataFrame:
    """A timed Changes sheet (a row per period, with its `run`) as one row per run, as a
    planner reads it: `period` the run (`2027-07..2027-12`), `months` and `unit_months` added
    up over it. A snapshot's, or one written before the `run` column (whose rows were runs
    already), is shown as it is."""
    if "run" not in changes.columns or not len(changes):
        return changes
    same = ["contributor", "capability", "site", "run", "baseline", "planned", "change", "why"]
    keys = changes[same].astype(str).agg("\x1f".join, axis=1)
    new = (keys != keys.shift()).cumsum()  # runs are consecutive rows of the sheet
    rows = changes.groupby(new, sort=False).agg(
        {**{c: "first" for c in same}, "months": "sum", "unit_months": "sum"}
    )
    return rows.drop(columns="period", errors="ignore").rename(columns={"run": "period"})


def _against(summary: dict) -> str:
    """What the re-plan was made against, in the section's headings: the `--baseline` file's
    name as its Summary records it, else the workbook's Baseline sheet."""
    name = summary.get("baseline_file")
    return f"the baseline {name}" if name else "the Baseline sheet of the workbook"


@dataclass(frozen=True)
class ReplanOfFirst:
    """An output re-planned against the first output: `compare`'s headline (`v1.xlsx is a
    re-plan of base.xlsx (solved with --baseline base.xlsx): 2 units change, 1 nation asked`)
    and its console's line per nation asked (`ESP: move 1 MED_TEAM from Vinnytsia to Lviv`);
    `name` the output's file name and `changes` what its asks add up to (the headline's count,
    `results.asks.changed_total`)."""

    headline: str
    asked: list[str]
    name: str = ""
    changes: int = 0


def with_replan_changes(
    outputs: Sequence[Output], replans: Sequence[ReplanOfFirst]
) -> list[Output]:
    """The outputs, each re-plan of the first with its Summary's `objective.changes` the count
    its headline says: an edited re-plan's was left blank (its input does not hold its
    baseline), beside `2 units change` recomputed against the first, its baseline."""
    counted = {r.name: r.changes for r in replans}
    return [
        replace(o, summary={**o.summary, CHANGES: float(counted[o.path.name])})
        if o is not outputs[0] and o.path.name in counted
        else o
        for o in outputs
    ]


def replans_of_first(outputs: Sequence[Output]) -> list[ReplanOfFirst]:
    """The outputs whose Summary `baseline_sha256` names the first output (`is_replan_of`: its
    content digest, or its file's SHA-256), each read as `forcegen compare` reads it
    (solver/compare/replan.py): a snapshot's asks recomputed from the two Allocation sheets as
    they stand, a timed output's its own Asks sheet. Outputs are named by file, as the page's
    header names them."""
    from ..compare.replan import is_replan_of, snapshot_replans, timed_replans
    from ..compare.views import read_output
    from .compare_time import timed_view_of

    paths = [o.path for o in outputs]
    if not any(is_replan_of(o.summary, paths[0]) for o in outputs[1:]):
        return []  # the usual case: no output is read again
    if outputs[0].timed:
        timed = [replace(timed_view_of(o), name=o.path.name) for o in outputs]
        found = timed_replans(paths, timed)
    else:
        views = [replace(read_output(o.path), name=o.path.name) for o in outputs]
        found = snapshot_replans(paths, views)
    return [
        ReplanOfFirst(
            headline=r.headline,
            asked=[
                f"{c}: {a}"
                for c, a in zip(r.asks["contributor"], r.asks["ask"], strict=True)
                if str(a) != UNCHANGED
            ],
            name=r.name,
            changes=changed_total(r.asks),
        )
        for r in found
    ]


def _first_upper(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
