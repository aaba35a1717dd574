"""A re-plan in a comparison (contract `replanning.md`): an output B solved with `--baseline A`,
where A is the comparison's base, is told by B's Summary `baseline_sha256` naming A: the SHA-256
of A's content without its timing cells (`results.digest.baseline_sha256`, what `solve
--baseline A` and a stable sweep record), or of A's file (what outputs written before recorded).
The comparison then says so and shows B's changes and asks against A, and B's `changes` in its
table is what those asks add up to (`take_changes`), edited by hand or not.

A snapshot's are recomputed as every other figure of `compare` is, from the two Allocation sheets
as they stand (`results.changes`, `results.asks`): b = A's units, planned = B's; `why` is B's
Changes sheet's for the same (contributor, capability, site) and the nations come in the order
of B's Asks sheet (both need the input, which solve had), personnel per unit are the Allocation
sheets' (personnel / units, B's first). A timed output's are its own Asks and Changes sheets,
as written, like the rest of a timed comparison (its stage values are its Summary's).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..io.open_book import workbook_at
from ..results.asks import (
    ASKS_COLUMNS,
    TIMED_ASKS_COLUMNS,
    asks_table,
    changed_total,
    console_line,
)
from ..results.changes import (
    CHANGES_COLUMNS,
    TIMED_CHANGES_COLUMNS,
    changes_table,
    planned_presence,
    unit_changes,
)
from ..results.console import fewest_note
from ..results.digest import baseline_sha256s
from ..results.writer import OutSheet
from ..verify.baseline import in_stage_order
from .timed_views import TimedView
from .views import ScenarioView

SHEETS = ("Asks", "Re-plan changes")


@dataclass
class Replan:
    """Scenario `name` re-planned against the base `base` (file `base_file`)."""

    name: str
    base: str
    base_file: str
    changes: pd.DataFrame
    asks: pd.DataFrame
    note: str = ""  # `; not proven the fewest: ...` (results.console.fewest_note)
    recorded: str = ""  # the baseline file its Summary names (`baseline_file`)

    @property
    def headline(self) -> str:
        """`v1 is a re-plan of base (solved with --baseline base.xlsx): ...`; where the
        Summary names another file with the same plan, that file (a briefing trial read
        `--baseline base2.xlsx` of a re-plan solved against base.xlsx)."""
        given = self.base_file
        if self.recorded and self.recorded != self.base_file:
            given = f"{self.recorded}, whose plan {self.base_file} holds"
        return (
            f"{self.name} is a re-plan of {self.base} (solved with --baseline "
            f"{given}): {console_line(self.asks)}{self.note}"
        )


def recorded_baseline(summary: dict) -> str:
    """The name of the baseline file a re-plan's Summary records, '' for none."""
    return Path(str(summary.get("baseline_file") or "")).name


def is_replan_of(summary: dict, base_path: Path) -> bool:
    """B's Summary names A as its baseline: its `baseline_sha256` is A's content digest, or
    A's file SHA-256 (`results.digest.baseline_sha256s`)."""
    stored = summary.get("baseline_sha256")
    return isinstance(stored, str) and bool(stored) and stored in baseline_sha256s(base_path)


def snapshot_replans(paths: list[Path], views: list[ScenarioView]) -> list[Replan]:
    """The re-plans of the base among the other outputs, recomputed from Allocation sheets."""
    base, out = views[0], []
    for path, view in zip(paths[1:], views[1:], strict=True):
        if not (view.has_plan and base.has_plan and is_replan_of(view.summary, paths[0])):
            continue
        diff = unit_changes(
            planned_presence(base.allocation, None), planned_presence(view.allocation, None)
        )
        why = _reasons(Path(path), diff)
        nations = list(
            dict.fromkeys([*_nation_order(Path(path)), *view.contributors, *base.contributors])
        )
        ppu = UnitSizes(view.allocation, base.allocation)
        out.append(
            Replan(
                view.name,
                base.name,
                Path(paths[0]).name,
                changes_table(diff, None, why),
                asks_table(diff, nations, ppu.size, None, why),
                fewest_note(view.summary),
                recorded_baseline(view.summary),
            )
        )
    return out


def timed_replans(paths: list[Path], views: list[TimedView]) -> list[Replan]:
    """The re-plans of the base among the other timed outputs: their Asks and Changes sheets."""
    base, out = views[0], []
    for path, view in zip(paths[1:], views[1:], strict=True):
        if not (view.has_plan and is_replan_of(view.summary, paths[0])):
            continue
        changes, asks = _sheet(path, "Changes"), _sheet(path, "Asks")
        if changes is None or asks is None:
            continue
        note = fewest_note(view.summary)
        recorded = recorded_baseline(view.summary)
        out.append(Replan(view.name, base.name, Path(paths[0]).name, changes, asks, note, recorded))
    return out


def take_changes(views: list[ScenarioView], replans: list[Replan]) -> None:
    """Each re-plan's view given, as its `objective.changes`, what its asks add up to
    (`changed_total`, which its headline says): the table and the headline then say one
    number. An edited re-plan's changes were left unknown (its input does not hold its
    baseline), though the asks against the base, its baseline, count them."""
    named = {view.name: view for view in views}
    for r in replans:
        view = named[r.name]
        view.stages = in_stage_order(view.stages, float(changed_total(r.asks)))


def replan_sheets(replans: list[Replan]) -> list[OutSheet]:
    """`Asks` and `Re-plan changes` of the comparison workbook, a `scenario` column first;
    none without a re-plan."""
    if not replans:
        return []
    asks = pd.concat([r.asks.assign(scenario=r.name) for r in replans], ignore_index=True)
    changes = pd.concat([r.changes.assign(scenario=r.name) for r in replans], ignore_index=True)
    timed = "period" in changes.columns
    ask_cols = ["scenario", *(TIMED_ASKS_COLUMNS if timed else ASKS_COLUMNS)]
    change_cols = ["scenario", *(TIMED_CHANGES_COLUMNS if timed else CHANGES_COLUMNS)]
    return [
        OutSheet(SHEETS[0], asks.reindex(columns=ask_cols), widths={"ask": 100}),
        OutSheet(SHEETS[1], changes.reindex(columns=change_cols), widths={"why": 80}),
    ]


ASKS_SHOWN = 15  # nations per re-plan on the console; the Asks sheet has them all
ASK_CHARS = 200  # of one nation's ask on the console (a timed ask lists every tour it changes)


def replan_lines(replans: list[Replan], top: int = ASKS_SHOWN) -> list[str]:
    """Per re-plan: what it is, then one line per nation asked (the first `top`, each ask cut
    at ASK_CHARS): a re-plan that asks all 30 nations for dozens of moves printed 86 KB."""
    lines = []
    for r in replans:
        lines.append(f"re-plan: {r.headline}")
        asked = r.asks[r.asks["ask"].astype(str) != "unchanged"]
        for c, a in list(zip(asked["contributor"], asked["ask"].astype(str), strict=True))[:top]:
            cut = a if len(a) <= ASK_CHARS else a[: ASK_CHARS - 1].rstrip(" ,;") + "…"
            lines.append(f"  {c}: {cut}")
        if len(asked) > top:
            lines.append(
                f"  ... {len(asked) - top} more nations asked: the Asks sheet of the output"
            )
        if any(len(str(a)) > ASK_CHARS for a in asked["ask"]):
            lines.append("  (asks cut short here are whole in the Asks sheet)")
    return lines


def mark_replans(overview: pd.DataFrame, replans: list[Replan]) -> None:
    """`re-plan of A` in the remark of each re-planned scenario's overview row."""
    for r in replans:
        at = overview["scenario"] == r.name
        said = f"re-plan of {r.base} ({r.base_file})"
        overview.loc[at, "remark"] = [
            f"{said}; {old}" if isinstance(old, str) and old else said
            for old in overview.loc[at, "remark"]
        ]


def _reasons(path: Path, diff: pd.DataFrame) -> list[str]:
    """B's own `why` per (contributor, capability, site), for the decreases."""
    sheet = _sheet(path, "Changes")
    if sheet is None or "why" not in sheet.columns:
        return [""] * len(diff)
    said = {
        (c, k, s): str(w)
        for c, k, s, w in sheet[["contributor", "capability", "site", "why"]].itertuples(
            index=False
        )
        if str(w).strip()
    }
    return [
        said.get((c, k, s), "") if p < b else ""
        for c, k, s, b, p in diff[
            ["contributor", "capability", "site", "baseline", "planned"]
        ].itertuples(index=False)
    ]


def _nation_order(path: Path) -> list[str]:
    """The nations of B's own Asks sheet, in its order: the input's Contributors order, which
    solve knew and the output's Contributors sheet (sorted by code) does not keep."""
    sheet = _sheet(path, "Asks")
    if sheet is None or "contributor" not in sheet.columns:
        return []
    return [str(c) for c in sheet["contributor"]]


class UnitSizes:
    """(c, k) -> personnel / units from Allocation sheets (the first given wins), else 0."""

    def __init__(self, *allocations: pd.DataFrame) -> None:
        self.sizes: dict[tuple[str, str], int] = {}
        for alloc in reversed(allocations):
            cols = alloc[["contributor", "capability", "units", "personnel"]]
            for c, k, n, p in cols.itertuples(index=False):
                if n and p is not None and p == p:
                    self.sizes[(c, k)] = round(float(p) / float(n))

    def size(self, c: str, k: str) -> int:
        return self.sizes.get((c, k), 0)


def _sheet(path: Path, name: str) -> pd.DataFrame | None:
    """One sheet of an output as written (keys as text, blanks as ''), None when absent."""
    with (
        workbook_at(path, keep_links=False) as opened,
        pd.ExcelFile(opened, engine="openpyxl") as book,
    ):
        if name not in book.sheet_names:
            return None
        keys = dict.fromkeys(("contributor", "capability", "site", "period", "ask", "why"), str)
        return pd.read_excel(book, sheet_name=name, keep_default_na=False, dtype=keys)
