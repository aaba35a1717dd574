"""A hand-edited timed output as the briefing shows it (edited.py does a snapshot's).

The plan of a timed output is its Tours sheet (contract `time.md`, Output). It was edited when
its rows no longer give the `tours_sha256` the Summary recorded (`results.digest.tours_edited`;
an output without that key is taken as solved). When the input is found (`--input`, else the
Summary's input_file where `forcegen report` looks for it), the Tours are read and checked by
`verify` (its reader, `verify_timed`'s rules, its `Schedule`: x[c,k,s,t] = the units of the tours
of (c, k, s) covering period t), and every figure the page shows is rebuilt from them:

- Tours: the tours verify places (a row naming what the input lacks, or with `from` after `to`,
  is a violation and not drawn), months = m(to) + months(to) - m(from), personnel = units x unit
  size, start_date / end_date when the sheet had them and the periods have start dates;
- Allocation: x[c,k,s,t] > 0 per (contributor, capability, site, period), personnel = units x
  unit size; Coverage (its rows kept): allocated = sum over c of x[c,k,s,t] on the row's line and
  period, shortfall = max(required - allocated, 0);
- Sustainability: per line, periods_short, unit_months_short = sum of months(t) x shortfall,
  first_short and sustained_until from that Coverage; `reason` is not recomputed (said so);
- Burden per contributor and period: units and personnel present, dwell_units (a tour ending at
  e = m(to) + months(to) keeps its units home in every t with e <= m(t) < e + dwell_months);
- Contributors: deployed_units / deployed_personnel (the busiest period's), sites, unit_months,
  dwell_unit_months, deploy_to_dwell and tours, as the solve writes them (results/time_summary);
- Summary: every objective stage as verify recomputes it (blank where it cannot: a re-plan's
  changes without its baseline), and the totals in unit-months as the solve writes them, but
  coverage_pct = 100 x sum months(t) x min(allocated, required) / required_unit_months (a line
  an edit gives more than it requires covers no other).

The Gaps, Caveats, CaveatPrices and Alternatives sheets and a re-plan's Asks and Changes belong to
the solved plan and are dropped. Without the input the figures stay the solved plan's, and the
page says so. A cell of the plan that cannot be read at all (units `two`, a blank `from`) stops
the page, exit 2, as it stops `compare` (its reader, `read_timed`), the input found or not;
only what the input lacks (a site, a period) is said in the page's note.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..outputs.load import Output
from ..outputs.rebuilt_time import rebuilt_sheets, rebuilt_totals
from ..results.digest import allocation_digest, tours_edited
from .edited import (
    EDITED,
    STALE_SHEETS,
    against_solved,
    found_input_notes,
    without_input,
    without_priorities,
)

if TYPE_CHECKING:
    from ..compare.views import ScenarioView
    from ..data import Data

    pass


def edited_tours(out: Output) -> bool:
    """Whether the output holds a plan whose Tours were edited after solving
    (`results.digest.tours_edited`)."""
    return out.has_plan and tours_edited(out.summary, out.sheets["Tours"])


ALLOCATION_ONLY = (
    "The Allocation sheet was edited after solving, but the Tours sheet was not: the Tours are "
    "the plan of a timed output, and every figure below is theirs, the solved plan's, not the "
    "edit's. Make the change in the Tours sheet (`forcegen verify` checks it, and the briefing "
    "then shows it)."
)


def edited_allocation_only(out: Output) -> bool:
    """Whether a timed output's Allocation no longer gives the `allocation_sha256` its Summary
    recorded while its Tours are as solved: an edit the plan (the Tours) does not carry."""
    stored = out.summary.get("allocation_sha256")
    if not (out.has_plan and isinstance(stored, str) and stored):
        return False
    alloc = out.sheets.get("Allocation")
    if alloc is None or not {"contributor", "capability", "site", "units"} <= set(alloc.columns):
        return True
    try:
        return allocation_digest(alloc.dropna(how="all")) != stored
    except (TypeError, ValueError):  # a units cell that is no number: an edit
        return True


def audited_timed(out: Output, given: Path | None) -> Output:
    """`out` unchanged when its Tours are the solved ones; else marked edited, with its figures
    rebuilt from the Tours when the input is found, and the rules they break."""
    from ..compare.audit import Inputs
    from ..compare.timed_views import read_timed
    from ..compare.unfit_cells import read_fully
    from ..compare.views import ScenarioView
    from ..verify.own_history import with_plan_history
    from ..verify.reader import read_raw
    from ..verify.schedule import Schedule
    from ..verify.timed import verify_timed
    from ..verify.tours_sheet import read_tours

    if not edited_tours(out):
        if edited_allocation_only(out):
            return replace(out, audit_notes=[ALLOCATION_ONLY])
        return out
    # a cell it cannot read stops the page, as it stops compare (exit 2), with every cell the
    # input does not fit where it is found
    read_fully(out.path, Inputs(given), read_timed)
    summary = {**out.summary, "status": EDITED, "solved_status": out.status}
    contributors = list(out.contributors["contributor"].astype(str))
    view = ScenarioView(
        out.scenario, out.status, out.summary, lines=out.coverage, contributors=contributors
    )
    view.source = str(out.path)
    inputs = Inputs(given)
    try:
        workbook = inputs.workbook_for(view)
        data = None if workbook is None else inputs.data_for(view, workbook)
    except InputError as exc:
        return replace(out, summary=summary, audit_notes=[without_input(out, exc.listed)])
    if data is None:
        return replace(out, summary=summary, audit_notes=[without_input(out)])
    if not data.timed:
        why = f"{data.source_name} has no Periods: not a timed workbook"
        return replace(out, summary=summary, audit_notes=[without_input(out, why)])
    try:
        raw = read_raw(out.path)
        data = with_plan_history(raw, data)
        schedule = Schedule(data, read_tours(raw, data))
        report = verify_timed(data, raw, raw.summary)
    except InputError as exc:
        return replace(out, summary=summary, audit_notes=[_unreadable(out, exc.listed)])
    summary["against_solved"] = against_solved(
        {s.stage: s.recomputed for s in report.stages}, out.summary
    )
    summary = without_priorities(summary, "shortfall_unit_months.p")  # the found input's
    # the solve's proof (`stage.<name>.status`, gap) is of the solved plan, not of figures
    # recomputed from an edit: a card read `45,139,753 cost (not proven: cost, gap 2.09%)`,
    # below the solve's own bound (an edit trial)
    summary = {k: v for k, v in summary.items() if not str(k).startswith("stage.")}
    priorities = {f"objective.shortfall.p{p}" for p in data.priorities}
    for stage in report.stages:  # a stage of a priority the input lacks is none (a review)
        if stage.stage in priorities or not stage.stage.startswith("objective.shortfall.p"):
            summary[stage.stage] = stage.recomputed
    sheets = {k: v for k, v in out.sheets.items() if k not in STALE_SHEETS}
    sheets.update(rebuilt_sheets(out, schedule))
    summary.update(rebuilt_totals(sheets, schedule))
    notes = [
        f"The Tours sheet was edited after solving (solved as {out.status}): every figure "
        "below is recomputed from it as `forcegen verify` reads it (the stages, coverage per "
        "line and period, how long each line is sustained, personnel per nation and period); "
        "the gaps' reasons, the binding caveats, the caveats' prices and the alternatives are "
        "not.",
        *view.notes,
        *_other_version(view, data),
    ]
    if "Asks" in out.sheets:
        notes.append(
            "Its Asks and Changes sheets are the solved re-plan's, not the edited plan's, and "
            "are not shown: `forcegen verify INPUT.xlsx` with this file and --baseline "
            "BASELINE.xlsx recomputes its changes and checks its locked tours."
        )
    violations = [v.message for v in report.violations]
    return replace(out, summary=summary, sheets=sheets, violations=violations, audit_notes=notes)


def _unreadable(out: Output, reason: str) -> str:
    return (
        f"The Tours sheet was edited after solving (solved as {out.status}), but it cannot be "
        f"read against its input ({reason}): the figures below are the solved plan's, not the "
        "edited one's, and the rules were not checked (`forcegen verify` lists every cell it "
        "cannot read or that names what the input lacks)."
    )


def _other_version(view: ScenarioView, data: Data) -> list[str]:
    """Where the output was solved from another version of the input found, that its rules and
    figures are the found one's (as the snapshot's page says it: report/edited.py)."""
    from ..compare.audit import note_other_version

    said: list[str] = []
    note_other_version(said, view.summary, view.source, data)
    return found_input_notes(said)
