"""The comparison's table of Summary figures, one column per output (split from
report/compare.py): each stage, total and the gap beside the first output's, its change
coloured where a direction is better, and marked `~` where a plan behind it was not proven
(as `forcegen compare` marks it); the caution naming the plans not proven optimal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..compare.caution import MARK, UNPROVEN, search_may_differ, unproven_caution, unproven_stages
from ..compare.console import exact_figures
from ..compare.marks import edit_of
from ..model.stage_names import solve_order, stage_records
from ..outputs.load import Output
from .view import BLANK, Cell, Row, Table, change, cost_unit, is_number, text

COST = "objective.cost"
GAP, GAP_LABEL = "mip_gap", "mip_gap (%)"  # the Summary's fraction, shown in percent
PEAK_LABEL = "deployed_personnel (peak in a period)"  # beside sums in unit-months (a trial)
# figures of the input, not of a plan: shown for an output without one too, as compare does
OF_THE_INPUT = {"status", "required_units", "periods", "horizon_months", "required_unit_months"}
TOTALS = [
    "required_units",
    "allocated_units",
    "shortfall_units",
    "coverage_pct",
    "deployed_personnel",
    "contributors_engaged",
]

TIMED_TOTALS = [  # a timed Summary's totals: unit-months, peak personnel, lines held throughout
    "periods",
    "horizon_months",
    "required_unit_months",
    "allocated_unit_months",
    "shortfall_unit_months",
    "coverage_pct",
    "deployed_personnel",
    "contributors_engaged",
    "lines_sustained",
]


def summary_keys(outputs: Sequence[Output]) -> list[str]:
    """Status, the objective stages (in the first output's order), the gap and the totals (of
    a timed output: in unit-months)."""
    keys = ["status"]
    for out in outputs:
        keys += [k for k in out.summary if k.startswith("objective.") and k not in keys]
    keys.append(GAP)
    timed = bool(outputs) and outputs[0].timed
    short = "shortfall_unit_months.p" if timed else "shortfall_units.p"
    for out in outputs:
        keys += [k for k in out.summary if k.startswith(short) and k not in keys]
    return keys + (TIMED_TOTALS if timed else TOTALS)


def side_by_side(outputs: Sequence[Output]) -> Table:
    """One row per Summary figure, one column per output; each value's change against the first.
    The cost's unit follows `objective.cost` when the outputs record it (once when they agree;
    beside each value, and no change, when they do not)."""
    rows = []
    timed = bool(outputs) and outputs[0].timed
    keys = summary_keys(outputs)
    stages = [k.removeprefix("objective.") for k in keys if k.startswith("objective.")]
    for key in keys:
        cells = [_figure(o, outputs[0], key, stages) for o in outputs]
        label = GAP_LABEL if key == GAP else key
        if timed and key == "deployed_personnel":  # a timed Summary's: the busiest period's
            label = PEAK_LABEL
        rows.append(Row([Cell(label), *cells]) if key != COST else cost_row(outputs, cells))
        if key == "status" and any(o.edited for o in outputs):
            rows.append(Row([Cell("rules broken"), *(_broken(o) for o in outputs)]))
    return Table(["figure", *(o.label for o in outputs)], rows)


def _broken(out: Output) -> Cell:
    """How many rules a plan edited by hand breaks (`not checked` without its input); a solved
    plan keeps them all."""
    if not out.edited:
        return Cell("0", num=True)
    return Cell("not checked" if out.violations is None else str(len(out.violations)), num=True)


def breaks_rules(out: Output) -> bool:
    """A plan edited by hand that breaks a rule, or whose rules could not be checked."""
    return out.edited and (out.violations is None or len(out.violations) > 0)


def _figure(out: Output, first: Output, key: str, stages: Sequence[str] = ()) -> Cell:
    """One output's Summary figure and its change against the first's. An output without a
    plan (infeasible, stopped before one) has no plan figures: blank, as `forcegen compare`
    shows it (its Summary's zeros read as a plan that lost everything); nor is a change shown
    against a first output without one. A stage's change at or after a stage that either plan
    did not prove is marked `~`, as `forcegen compare` marks it (`stages`: the stages shown,
    in order; an analyst trial could not tell a proven +45 from an unproven +30). A change for
    the better beside a plan that breaks rules is not coloured so; one for the worse still is."""
    if key not in OF_THE_INPUT and not out.has_plan:
        return Cell(BLANK, num=True)
    if key == GAP and out.edited:  # the solved plan's gap: of no meaning after an edit
        return Cell(BLANK, num=True)
    value = out.summary.get(key)
    against = first.summary.get(key) if first.has_plan or key in OF_THE_INPUT else None
    if key == GAP:  # a fraction in the Summary, in percent here (beside coverage_pct)
        value, against = _percent(value), _percent(against)
    exact = exact_figures(key)  # a cost's cents say nothing; a shortfall's halves do
    said = change(value, against, exact)
    better = _better(key, value, against, said)
    if better and (breaks_rules(out) or breaks_rules(first)):
        better = None  # no plan is better by breaking rules (an analyst trial saw it green)
    if said and out is not first and _unproven_change(out, first, key, stages):
        said += MARK
    return Cell(text(value, exact), num=True, change=said, better=better)


# the figures a shortfall stage's plan decides: each priority's units (unit-months) short
# follows its stage's mark, the totals allocated and short, the coverage and the lines
# sustained any shortfall stage's (an analyst trial saw `shortfall_unit_months.p2 77 (-69)` and `coverage_pct (+2.16)` unmarked
# beside `shortfall.p2 (-69~)`, coloured better)
SHORT_BY_PRIORITY = ("shortfall_unit_months.p", "shortfall_units.p")
FOLLOW_THE_SHORTFALL = (
    "allocated_units",
    "shortfall_units",
    "allocated_unit_months",
    "shortfall_unit_months",
    "coverage_pct",
    "lines_sustained",
)


def _unproven_change(out: Output, first: Output, key: str, stages: Sequence[str]) -> bool:
    """Whether stage `key` (`objective.<stage>`) is solved at or after (`solve_order`) a stage
    that `out` or `first` did not prove (their Summaries' stage statuses), shown among
    `stages` or not (a re-plan's `changes`), or `key` is a
    figure such a stage decides (SHORT_BY_PRIORITY, FOLLOW_THE_SHORTFALL); never of an output
    that is the first's plan edited by hand (it differs by the edit: compare/marks.edit_of)."""
    priority = next((key.removeprefix(p) for p in SHORT_BY_PRIORITY if key.startswith(p)), None)
    if priority is not None:  # follows its priority's stage, as the console's mark does
        return _unproven_change(out, first, f"objective.shortfall.p{priority}", stages)
    if key in FOLLOW_THE_SHORTFALL:  # follow any shortfall stage (compare/marks.py `_following`)
        shortfall = [f"objective.{s}" for s in stages if s.startswith("shortfall.")]
        return any(_unproven_change(out, first, k, stages) for k in shortfall)
    stage = key.removeprefix("objective.")
    if (
        not key.startswith("objective.")
        or stage not in stages
        or edit_of(out.summary, first.summary)
    ):
        return False
    # every stage not proven counts, shown or not: a re-plan's `changes` holds its cost
    open_stages = {**_open_stages(out, stages), **_open_stages(first, stages)}
    return any(solve_order(stage) >= solve_order(name) for name in open_stages)


def _open_stages(out: Output, stages: Sequence[str]) -> dict[str, str]:
    """The stages `out` did not prove: its Summary's, or, a plan not proven whose Summary
    gives no stage statuses, every one (as the console's ranking reads it)."""
    said = unproven_stages(out.summary)
    status = out.summary.get("solved_status") if out.edited else out.status
    if status in UNPROVEN and not stage_records(out.summary):
        return dict.fromkeys(stages, "")
    return said


def _percent(fraction: Any) -> Any:
    return 100 * float(fraction) if is_number(fraction) else fraction


# Summary figures where more is better (coverage, what is allocated and held), and where less
# is (every stage, what is short); the others (personnel, contributors, what is required, the
# horizon, and the gap: the largest stage's, so 100% of a presence with no bound beside 3% of
# a cost says nothing of which plan is better, an analyst trial saw it green) are neither:
# their changes are not coloured
MORE_IS_BETTER = ("coverage_pct", "allocated_", "lines_sustained")
LESS_IS_BETTER = ("objective.", "shortfall_")


def _better(key: str, value: Any, against: Any, said: str) -> bool | None:
    """Whether the change of figure `key` from `against` to `value` is for the better; None
    where there is no change or the figure has no better direction."""
    if not said:
        return None
    up = float(value) > float(against)
    if key.startswith(MORE_IS_BETTER):
        return up
    if key.startswith(LESS_IS_BETTER):
        return not up
    return None


def cost_row(outputs: Sequence[Output], cells: list[Cell]) -> Row:
    """The `objective.cost` row with the cost's unit: in the label when every output records
    the same unit, else beside each value (costs in different units are not compared)."""
    units = [cost_unit(o) for o in outputs]
    if len(set(units)) == 1:
        label = f"{COST} ({units[0]})" if units[0] else COST
        return Row([Cell(label), *cells])
    return Row(
        [
            Cell(COST),
            *(
                Cell(f"{c.text} {u}".strip() if c.text != BLANK else c.text, num=True)
                for c, u in zip(cells, units, strict=True)
            ),
        ]
    )


def caution(outputs: Sequence[Output]) -> str:
    """One sentence naming the outputs whose plans were not proven optimal (not an edited
    one: its differences are the edit's), in `forcegen compare`'s words (compare/caution.py);
    blank when all were."""
    unproven = [o.label for o in outputs if search_may_differ(o.status, o.edited)]
    if not unproven:
        return ""
    said = unproven_caution(unproven)
    return (
        f"{said[:1].upper()}{said[1:]}. {MARK} marks a stage's change at or after a stage that "
        "one of the two plans did not prove."
    )
