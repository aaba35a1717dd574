"""What a comparison trusts of an output file: was its plan edited, what does it really give, and
does it still keep the rules?

- **edited** is decided by content: the digest of the Allocation rows as they stand against the
  `allocation_sha256` the Summary recorded when the plan was solved (outputs written before that
  key existed fall back to their totals). Moving a unit between sites keeps every total and is
  still an edit.
- Whenever the input workbook can be found (`--input`, else the Summary's `input_file` where
  `forcegen report` looks for it), every figure is recomputed from the Allocation sheet and the
  plan is checked by `verify`'s rules (its reader and its independent implementation).
- Without the input, an edited plan's stage values are left blank: the Summary's belong to the
  plan that was solved, not to the one in the file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..data import Data
from ..errors import InputError, Issue
from ..results.digest import allocation_digest
from ..results.stages import as_stored, stage_values
from ..results.tables import explanation_skipped
from ..verify.baseline import STAGE as CHANGES
from ..verify.baseline import in_stage_order
from ..verify.reader import REPEATED
from ..wording import count
from .each_file import in_file
from .names import fold_names
from .views import ScenarioView, close, number, typed_allocation

MAX_SHOWN = 3  # violations quoted in the remark; the console and the sheet count them all


class Inputs:
    """The input workbook of each output: the one given, else the one its Summary names (found
    as `forcegen report` finds it); each (workbook, scenario) is read once."""

    def __init__(self, given: Path | None) -> None:
        self.given = None if given is None else Path(given)
        self._read: dict[tuple[Path, str], tuple[Data, bool]] = {}  # -> (data, scenario known)
        self._noted: set[Path] = set()  # the inputs whose damaged properties were noted
        # what reading a (workbook, scenario) refused: refused again, not read again
        self._refused: dict[tuple[Path, str], InputError] = {}

    def workbook_for(self, view: ScenarioView) -> Path | None:
        if self.given is not None:
            return self.given
        from ..outputs.load import Output
        from ..outputs.source import find_source

        # an input whose SHA-256 differs is judged by the output's sites and contributors
        sheets = {
            "Coverage": view.lines,
            "Contributors": pd.DataFrame({"contributor": view.contributors}, dtype=object),
        }
        return find_source(Output(Path(view.source), view.summary, sheets), None).path

    def data_for(self, view: ScenarioView, workbook: Path) -> Data:
        """The input with the scenario the output was solved for (a generated `withdraw_<CODE>`
        too); base, with a note, when the input does not define it."""
        from ..io.generated import known_scenario, read_scenario

        scenario = str(view.summary.get("scenario") or "base")
        key = (workbook.resolve(), scenario)
        if key in self._refused:
            raise self._refused[key]
        if key not in self._read:
            try:
                known = known_scenario(workbook, scenario)
                self._read[key] = (read_scenario(workbook, scenario if known else "base"), known)
            except InputError as exc:
                self._refused[key] = exc
                raise
        data, known = self._read[key]
        self._note_properties(view, workbook, data)
        if not known:
            view.notes.append(
                f"{Path(view.source).name} was solved for scenario '{scenario}', which "
                f"{workbook.name} does not define: recomputed against base"
            )
        return data

    def _note_properties(self, view: ScenarioView, workbook: Path, data: Data) -> None:
        """The input's damaged document properties, ignored: noted once, on the first output
        read against it, in the words every reader gives them (as `report` warns of them)."""
        from ..outputs.source import properties_warnings
        from .views import note_in_file

        if workbook.resolve() in self._noted:
            return
        self._noted.add(workbook.resolve())
        view.notes += [note_in_file(w, workbook.name) for w in properties_warnings(data)]


def audit(view: ScenarioView, inputs: Inputs, baseline: Path | None = None) -> None:
    """Mark edits, recompute from the input when it is found, and check the rules; with
    `baseline` (the output this one re-plans, compared beside it), its locked rows too."""
    view.edited = edited_by_content(view)
    workbook = inputs.workbook_for(view)
    if workbook is None:
        _without_input(view)
        return
    try:
        data = inputs.data_for(view, workbook)
    except InputError as exc:  # the input's own cells: named by its file
        if inputs.given is not None:
            raise in_file(exc, str(workbook)) from None
        _unfit(view, workbook, exc)
        return
    try:
        violations = _verify(view, against(data, baseline))
    except InputError as exc:  # the plan's cells the input does not fit: named by its file
        if inputs.given is not None:
            raise in_file(exc, view.source) from None
        _unfit(view, workbook, exc)
        return
    recompute(view, data)
    view.violations = violations if view.has_plan else None


def _unfit(view: ScenarioView, workbook: Path, exc: InputError) -> None:
    """The input found beside the output (not given) does not fit it: said in a note, the
    edited plan's figures left blank."""
    view.unfit = exc.listed
    cells = "that cell" if len(exc.errors) <= 1 else "those cells"
    view.notes.append(
        f"{Path(view.source).name}: its input {workbook} was found but does not fit "
        f"({view.unfit}): correct {cells}, or pass --input WORKBOOK if the plan is "
        "another workbook's"
    )
    _without_input(view)


def edited_by_content(view: ScenarioView) -> bool:
    """Whether the Allocation rows differ from the plan that was solved."""
    if not view.has_plan:
        return False
    if _has_digest(view):
        return view.summary["allocation_sha256"] != allocation_digest(view.allocation)
    return _totals_differ(view)


def _without_input(view: ScenarioView) -> None:
    """An edited plan's stages left blank: its input not found, or found and not fitting
    (`view.unfit`: `audit`'s note says why)."""
    if not (view.has_plan and view.edited):
        return
    view.stages = {k: None for k in view.stages}
    view.stages_from = "unknown"
    if view.unfit:
        return
    name = str(view.summary.get("input_file") or "the input workbook")
    view.notes.append(
        f"{Path(view.source).name}: the Allocation sheet was edited after solving; {name} was "
        "not found next to it or in ./inputs, so its stage values are left blank (the "
        "Summary's are the solved plan's): pass --input WORKBOOK to recompute them"
    )


def against(data: Data, baseline: Path | None) -> Data:
    """`data` with the plan `baseline` as its baseline (its `lock` column read, as `verify
    --baseline` reads it), so that a re-plan compared beside its baseline has its locked rows
    checked; `data` itself when there is none (a copy: `data` is shared among the views)."""
    if baseline is None:
        return data
    from ..io.baseline_input import read_baseline

    copy = replace(data, warnings=list(data.warnings))
    copy.baseline = read_baseline(baseline, copy)
    return copy


def _verify(view: ScenarioView, data: Data) -> list[str]:
    """The violations `verify` finds in the Allocation sheet as it stands (its reader gives
    the sheet rows and refuses keys the input does not have)."""
    from ..verify import verify
    from ..verify.reader import load, read_raw

    if not view.has_plan:
        return []
    file = load(read_raw(Path(view.source)), data)
    report = verify(data, file.alloc, file.summary)
    return [v.message for v in report.violations]


def recompute(view: ScenarioView, data: Data) -> None:
    """Take lines, contributors, personnel and stages from the input instead of the file (its
    Allocation's names matched to the input's as verify matches them: names.fold_names)."""
    folded, said = fold_names(view.allocation, data, view.source, "Allocation")
    if said:
        keys = ["contributor", "capability", "site"]
        merged = folded[folded.duplicated(keys, keep="first")][keys].drop_duplicates()
        view.allocation = typed_allocation(folded)
        view.notes.extend(said)
        view.taken_as = said
        view.notes.extend(
            f"{Path(view.source).name}: Allocation: {c}/{k}/{s} {REPEATED} (its name typed "
            "in another case); its units are added up"
            for c, k, s in merged.itertuples(index=False)
        )
    known = set(data.contributors["contributor"])
    unknown = sorted(set(view.allocation["contributor"]) - known)
    if unknown:
        raise InputError(
            [
                Issue(
                    view.source,
                    f"{count(len(unknown), 'contributor')} of the Allocation sheet "
                    f"({', '.join(unknown)}) not in the input {data.source_name}",
                )
            ]
        )
    view.allocation = _with_personnel(view.allocation, data)
    rq = data.requirements
    view.lines = pd.DataFrame(
        {
            "site": rq["site"].to_numpy(),
            "capability": rq["capability"].to_numpy(),
            "required": rq["units"].astype("int64").to_numpy(),
            "priority": rq["priority"].astype("int64").to_numpy(),
        }
    )
    view.contributors = list(data.contributors["contributor"])
    if view.has_plan:
        before = {k: number(v) for k, v in view.stages.items()}
        live = view.allocation[["contributor", "capability", "site", "units"]]
        view.stages = {k: as_stored(v) for k, v in stage_values(data, live).items()}
        moved = [k for k, v in view.stages.items() if not close(v, before.get(k))]
        # an output without the digest (older) was judged by its totals: a move between sites
        # keeps them, so stages that differ against its own input still say it was edited
        same_input = view.summary.get("input_sha256") in (None, "", data.source_sha256)
        if moved and (view.edited or (not _has_digest(view) and same_input)):
            view.notes.append(
                f"{Path(view.source).name}: recomputed {', '.join(moved)} from the Allocation "
                "sheet (they differ from its Summary: edited by hand?)"
            )
            view.edited = True
        elif moved:  # read against another input than it was solved from
            as_solved = (
                "the plan is as solved"
                if _has_digest(view)
                else "no edit that keeps the totals can be told (the output has no "
                "allocation_sha256)"
            )
            view.notes.append(
                f"{Path(view.source).name}: recomputed {', '.join(moved)} against "
                f"{data.source_name}: {as_solved}, but its Summary's values are those of the "
                "input it was solved from"
            )
        if CHANGES in before and CHANGES not in view.stages:
            # a re-plan's changes need its baseline, which the input does not hold: the stored
            # value stands for the plan as solved (compare's table dropped it where report,
            # reading the Summary, showed it); an edited plan's is not known
            view.stages = in_stage_order(view.stages, None if view.edited else before[CHANGES])
    view.stages_from = "recomputed"
    note_other_version(view.notes, view.summary, view.source, data)


OTHER_INPUT = "(input_sha256 differs)"  # how the notes below end


def note_other_version(notes: list[str], summary: dict, source: str, data: Data) -> None:
    """A note when the output (at `source`) records another input SHA-256 than `data`'s: another
    workbook where its Summary names one by another name, else another version of it."""
    sha = summary.get("input_sha256")
    if not isinstance(sha, str) or not sha or sha == data.source_sha256:
        return
    solved_from = Path(str(summary.get("input_file") or "")).name
    if solved_from and solved_from != data.source_name:
        notes.append(
            f"{Path(source).name} was solved from {solved_from}, not {data.source_name} "
            f"{OTHER_INPUT}"
        )
        return
    notes.append(
        f"{Path(source).name} was solved from another version of {data.source_name} {OTHER_INPUT}"
    )


def _has_digest(view: ScenarioView) -> bool:
    stored = view.summary.get("allocation_sha256")
    return isinstance(stored, str) and bool(stored)


def _with_personnel(alloc: pd.DataFrame, data: Data) -> pd.DataFrame:
    """Personnel = units x the pledge's unit size (the file's cell where the input has none)."""
    alloc = alloc.copy()
    if not len(alloc):
        return alloc
    key = pd.MultiIndex.from_arrays([alloc["contributor"], alloc["capability"]])
    size = data.pledge_ppu().reindex(key).to_numpy()
    given = alloc["personnel"].to_numpy()
    alloc["personnel"] = [
        int(u * s) if pd.notna(s) else int(g)
        for u, s, g in zip(alloc["units"], size, given, strict=True)
    ]
    return alloc


def _totals_differ(view: ScenarioView) -> bool:
    """For outputs without `allocation_sha256`: the Allocation's totals are not its Summary's."""
    alloc = view.allocation
    units = int(alloc["units"].sum()) if len(alloc) else 0
    personnel = int(alloc["personnel"].sum()) if len(alloc) else 0
    allocated = number(view.summary.get("allocated_units"))
    deployed = number(view.summary.get("deployed_personnel"))
    lines = view.lines
    if len(lines) and len(alloc):
        got = alloc.groupby(["site", "capability"])["units"].sum()
        key = pd.MultiIndex.from_arrays([lines["site"], lines["capability"]])
        units = int(got.reindex(key).fillna(0).sum())
    return (allocated is not None and allocated != units) or (
        deployed is not None and deployed != personnel
    )


def remark_of(view: ScenarioView) -> list[Any]:
    """What the overview's remark says of an edit and of the rules it breaks."""
    said = []
    if view.edited:
        said.append(f"edited after solving (solved as {view.status})")
    broken = violations_remark(view.violations)
    return [*said, broken] if broken else said


def no_plan_remark(status: str, source: str, summary: dict[str, Any]) -> str:
    """Where an infeasible output says why: its Infeasibility sheet (the conflicting rules and
    what would have to give way), unless its explanation was not given (interrupted); empty
    for any other status."""
    if status != "infeasible":
        return ""
    if explanation_skipped(summary):
        return f"no plan; the conflict was {summary['explanation']}"
    where = f" of {Path(source).name}" if source else ""
    return f"no plan: the rules in conflict are on the Infeasibility sheet{where}"


def violations_remark(violations: list[str] | None) -> str:
    """`violates 2 rules: a; b` (the first MAX_SHOWN quoted); empty when none was found."""
    if not violations:
        return ""
    shown = "; ".join(violations[:MAX_SHOWN])
    more = len(violations) - MAX_SHOWN
    return f"violates {count(len(violations), 'rule')}: {shown}" + (
        f"; and {more} more" if more > 0 else ""
    )
