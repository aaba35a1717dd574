"""A sweep read and planned before any work (`prepare`): the workbook's bytes, its data, the
scenarios, their output files, `--baseline`; whatever cannot be done is refused here, before a
worker starts or an earlier output is removed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..data import Data
from ..errors import ForcegenError, InputError, Issue, UsageError
from ..io.generated import workbook_scenarios
from ..io.read import read_data
from ..io.scenarios import BASE
from ..io.withdrawals import Withdrawal, parse_name
from ..results.overwrite_guard import refuse_overwriting_inputs
from ..results.safe_write import file_stem
from .folder import check_folder
from .scenarios import Planned, plan
from .stable import BASE_NOTE, is_stable
from .task import BaselineFile, Task

if TYPE_CHECKING:
    from ..solve.options import SolveArgs

COMPARISON = "comparison.xlsx"


def default_dir(workbook: Path) -> Path:
    return Path("outputs") / Path(workbook).stem


def file_names(names: list[str]) -> dict[str, str]:
    """A safe, distinct file name per scenario (never comparison.xlsx)."""
    out: dict[str, str] = {}
    taken = {COMPARISON.casefold()}
    for name in names:
        stem = file_stem(name)
        candidate, n = f"{stem}.xlsx", 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem}-{n}.xlsx"
        taken.add(candidate.casefold())
        out[name] = candidate
    return out


@dataclass
class Prepared:
    """A sweep read and planned, before any work: the workbook, its scenarios and their files."""

    workbook: Path
    out_dir: Path
    content: bytes  # the workbook's bytes, which travel with each task
    base: Data
    planned: list[Planned]
    notes: list[str]
    names: dict[str, str]  # scenario -> its output's file name
    paths: dict[str, Path]  # scenario -> its output
    given: BaselineFile | None  # --baseline
    stable: bool
    said_by_base: tuple[str, ...] = ()  # what reading --baseline against base warns of

    def tasks(self, options: SolveArgs, scratch: str | None) -> list[Task]:
        """A task per scenario planned, in their order. What reading `--baseline FILE` warns
        of is said by base's task, and by a scenario's only where base's reading does not say
        the same (a scenario that cuts a pledge below the baseline's units): each scenario reads
        the file again, and would otherwise repeat base's warnings in its own words."""
        return [
            Task(
                p.name,
                p.generated,
                self.workbook.name,
                self.content,
                options.copy(),
                scratch,
                self.given,
                BASE_NOTE if self.stable and p.name == BASE else "",
                baseline_said=() if p.name == BASE else self.said_by_base,
            )
            for p in self.planned
        ]


def _read_with_names(workbook: Path, names: list[str]) -> Data:
    """The workbook's base case; where the workbook is refused, each `-s` name its Scenarios
    sheet lacks (and that names no generated withdrawal) is said with its errors, not on the
    next run (a trial)."""
    try:
        return read_data(workbook)
    except InputError as exc:
        try:
            defined = workbook_scenarios(workbook)
        except ForcegenError:
            raise exc from None
        unknown = [
            Issue(f"-s {n}", f"scenario '{n}' is not in the Scenarios sheet of {workbook.name}")
            for n in names
            if n != BASE and n not in defined and parse_name(n) is None
        ]
        if not unknown:
            raise
        raise exc.plus(unknown) from None


def prepare(
    workbook: Path,
    out_dir: Path | None,
    scenarios: list[str],
    withdraw_each: bool,
    after: str | None,
    withdrawals: tuple[Withdrawal, ...],
    baseline: Path | None,
    stable: bool | None,
    on_plan: Callable[[list[str]], None] | None,
) -> Prepared:
    """Read the workbook and plan the scenarios, refusing at once what cannot be done: a
    folder that cannot be written, a workbook that cannot be read (every error, as by
    `solve`: no scenario could be solved from it; a scenario's own invalid override fails its
    row only), a baseline no scenario can take, an output over an input."""
    out = Path(out_dir) if out_dir is not None else default_dir(workbook)
    check_folder(out)  # before any work: a folder that cannot be written fails at once
    content = read_bytes(workbook)
    base = _read_with_names(workbook, scenarios)
    planned, notes = plan(
        workbook, scenarios, withdraw_each, base, after=after, withdrawals=withdrawals
    )
    names = file_names([p.name for p in planned])
    if on_plan is not None:
        on_plan([p.name for p in planned])
    paths = {p.name: out / names[p.name] for p in planned}
    given = baseline_file(baseline)
    said: tuple[str, ...] = ()
    if baseline is not None:  # a baseline no scenario can take: refused now
        said = check_baseline(Path(baseline), base)
    read = [workbook, *([baseline] if baseline else [])]
    try:
        for path in paths.values():
            refuse_overwriting_inputs(path, read)
        # comparison.xlsx is no plan: a plan under that name (a solve's -o) is refused, as by
        # compare -o
        refuse_overwriting_inputs(out / COMPARISON, read, keeps_plans=True)
    except UsageError as exc:  # a sweep's outputs are a folder: say which option moves them
        told = str(exc).replace("choose another output path (-o)", "choose another output path")
        raise UsageError(
            told.replace("choose another output path", "choose another folder (-o)")
        ) from None
    # --withdraw is stable unless an earlier output is every scenario's baseline (--baseline)
    stable = is_stable(stable, withdraw_each or (bool(withdrawals) and baseline is None))
    return Prepared(workbook, out, content, base, planned, notes, names, paths, given, stable, said)


def baseline_file(path: Path | None) -> BaselineFile | None:
    """`--baseline FILE` as tasks carry it (its bytes travel to any worker)."""
    if path is None:
        return None
    return BaselineFile(Path(path).name, read_bytes(Path(path)), str(path))


def check_baseline(path: Path, base: Data) -> tuple[str, ...]:
    """`--baseline FILE` read against base, as each scenario will read it: a file that is no
    baseline (no plan, the other kind, a bad cell) is one error before any solve, not one per
    scenario after them all. What it warns of."""
    from ..io.baseline_input import read_baseline

    read = replace(base, warnings=list(base.warnings))
    read_baseline(path, read)
    before = {str(w) for w in base.warnings}
    return tuple(sorted({str(w) for w in read.warnings if str(w) not in before}))


def read_bytes(workbook: Path) -> bytes:
    from ..io.filecheck import check_file

    check_file(workbook)  # a missing or non-workbook file: exit 2 with what it is
    return workbook.read_bytes()
