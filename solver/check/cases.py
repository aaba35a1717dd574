"""Reference cases: the workbooks named on the command line and where each one's pin lives."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError, raise_all
from ..io.filecheck import not_a_file

DEFAULT_DIR = Path("inputs") / "reference"


@dataclass(frozen=True)
class Case:
    """One reference workbook and its pin file."""

    name: str  # unique among the cases checked together: see `case_names`
    workbook: Path
    pin: Path


def pin_path(workbook: Path, pins_dir: Path | None = None) -> Path:
    """Where the pin of `workbook` lives.

    With `pins_dir`: `pins_dir/<stem>.json`. Otherwise, if the workbook sits below a folder
    `inputs` of a project, the same place below the project's `outputs` (inputs/reference/x.xlsx
    -> outputs/reference/x.json); else next to the workbook (reference/x.xlsx -> reference/x.json).
    One decision from the workbook's absolute path (the logical one, through a symlinked
    folder), whatever folder the check runs from and however the path is typed: the nearest
    `inputs` counts when the folder holding it holds `outputs/` or marks a project (`.git`,
    `pyproject.toml`) and no such mark lies between it and the workbook. A checkout below some
    `inputs` folder of a runner's (a CI trial) had its pins looked for, and written, outside
    the checkout; a pin's place depended on the folder `check` ran from (two reviews).
    """
    name = f"{workbook.stem}.json"
    if pins_dir is not None:
        return pins_dir / name
    parts = _logical_absolute(workbook).parts
    at = next((i for i in range(len(parts) - 2, -1, -1) if parts[i] == "inputs"), None)
    if at is None:
        return workbook.with_suffix(".json")
    home = Path(*parts[:at])
    between = [Path(*parts[: j + 1]) for j in range(at + 1, len(parts) - 1)]
    if any(_marks_a_project(folder) for folder in between):
        return workbook.with_suffix(".json")  # a project below that `inputs`: its own layout
    if not ((home / "outputs").is_dir() or _marks_a_project(home)):
        return workbook.with_suffix(".json")
    mirrored = Path(*parts[:at], "outputs", *parts[at + 1 : -1], name)
    typed = Path(os.path.normpath(workbook))
    if not typed.is_absolute() and "inputs" in typed.parts[:-1]:  # as typed, where it is that
        i = len(typed.parts) - 2 - typed.parts[-2::-1].index("inputs")
        relative = Path(*typed.parts[:i], "outputs", *typed.parts[i + 1 : -1], name)
        if _logical_absolute(relative) == mirrored:
            return relative
    return mirrored


def _logical_absolute(path: Path) -> Path:
    """`path` made absolute from the logical working folder (`$PWD`, through any symlinked
    folder, when it is the working folder), normalised; `Path.absolute` gives the physical one."""
    here = os.getcwd()
    logical = os.environ.get("PWD", "")
    try:
        if logical and logical != here and os.path.samefile(logical, here):
            here = logical
    except OSError:
        pass
    return Path(os.path.normpath(os.path.join(here, path)))


def _marks_a_project(folder: Path) -> bool:
    return (folder / ".git").exists() or (folder / "pyproject.toml").exists()


def _workbooks_in(folder: Path) -> list[Path]:
    found = [p for p in folder.iterdir() if _is_workbook(p)]
    if not found:
        below = (
            " (its subfolders are not searched: name them)"
            if any(p.is_dir() for p in folder.iterdir())
            else ""
        )
        raise UsageError(f"no workbooks (*.xlsx) in {folder}{below}")
    return found


def unsearched(paths: list[Path]) -> list[Path]:
    """The workbooks directly in the subfolders of the folders named that no path names (a
    folder's own .xlsx are checked, not its subfolders'): said in a note, or a planner who
    sorts reference cases into subfolders loses them without a word (a CI trial). One level
    down only: `check .` at a project's root would list every output below it."""
    named = paths or [DEFAULT_DIR]
    checked = {p.resolve() for path in named for p in _quietly_named(path)}
    below: list[Path] = []
    for path in named:
        if path.is_dir():
            for sub in sorted(
                p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")
            ):
                below += [p for p in sorted(sub.iterdir()) if _is_workbook(p)]
    return [p for p in below if p.resolve() not in checked]


def _quietly_named(path: Path) -> list[Path]:
    """The workbooks `path` names, none where it names none (its error is said elsewhere)."""
    try:
        return _workbooks_named(path)
    except UsageError:
        return []


def _is_workbook(path: Path) -> bool:
    return (
        path.suffix.lower() == ".xlsx" and path.is_file() and not path.name.startswith(("~$", "."))
    )


def _workbooks_named(path: Path) -> list[Path]:
    """The workbooks a path names: a folder's every .xlsx, or the file itself."""
    if path.is_dir():
        return _workbooks_in(path)
    if path.is_file():
        if path.suffix.lower() != ".xlsx":
            raise UsageError(f"{path} is not a workbook (.xlsx)")
        return [path]
    raise UsageError(f"{path}: {not_a_file(path)}")


def find_cases(
    paths: list[Path], pins_dir: Path | None = None, problems: list[UsageError] | None = None
) -> list[Case]:
    """The cases named by files and folders (every .xlsx directly in a folder), sorted by name.
    Every path's problem is raised at once (a CI trial fixed them one run at a time), or, with
    `problems`, added to it and the cases of the other paths returned, so that the command
    line's other checks still see them."""
    workbooks: list[Path] = []
    found: list[UsageError] = []
    for path in paths or [DEFAULT_DIR]:
        try:
            workbooks.extend(_workbooks_named(path))
        except UsageError as problem:
            found.append(problem)
    if problems is None:
        raise_all(found)
    else:
        problems += found
    names = case_names(workbooks)
    cases: dict[Path, Case] = {}
    for wb in workbooks:
        case = Case(names[wb], wb, pin_path(wb, pins_dir))
        key = case.pin.absolute()
        previous = cases.get(key)
        if previous is not None and previous.workbook.resolve() != wb.resolve():
            way = (
                "a --pins folder holds pins by file name: rename one, or check each folder "
                "with its own --pins"
                if pins_dir is not None
                else "rename one or use --pins"
            )
            raise UsageError(
                f"{previous.workbook} and {wb} would share the pin {display(case.pin)}; {way}"
            )
        cases[key] = case
    return sorted(cases.values(), key=lambda c: (c.name, str(c.workbook)))


def case_names(workbooks: list[Path]) -> dict[Path, str]:
    """Each workbook's case name: its path below the deepest folder that holds every workbook
    checked, without `.xlsx`, with `/` between folders. Workbooks in one folder are named by
    their stems (`coalition`); `inputs/reference/a/case.xlsx` checked with
    `inputs/reference/b/case.xlsx` is `a/case` (the other `b/case`), so no two cases (and no
    two JUnit testcases) share a name."""
    where = {wb: Path(os.path.abspath(wb)) for wb in workbooks}
    try:
        base = Path(os.path.commonpath([p.parent for p in where.values()])) if where else None
    except ValueError:  # on different drives (Windows): no common folder
        base = None
    return {
        wb: (p.relative_to(base) if base is not None else p).with_suffix("").as_posix()
        for wb, p in where.items()
    }


def display(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when below it."""
    try:
        rel = os.path.relpath(path.absolute(), Path.cwd())
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if rel.startswith("..") else rel


def lost_workbooks(
    paths: list[Path], cases: list[Case], pins_dir: Path | None = None
) -> list[tuple[Path, Path]]:
    """(pin, the workbook it expects) for each pin where a folder checked keeps its pins that
    belongs to none of `cases` (the cases checked): a reference workbook lost in a bad merge or
    a rename left its pin, and the check passed green with one case fewer. Only folders named
    (or the default one) are looked at, and only where their pins live by default (next to
    them, or below outputs/): a --pins folder may hold other folders' pins. A .json there that
    does not read as a pin with a `workbook` (`pins.load_pin`) is left alone, as no case's."""
    from .pins import PinError, load_pin

    if pins_dir is not None:
        return []
    owned = {c.pin.absolute() for c in cases}
    out, seen = [], set()
    for folder in [p for p in paths or [DEFAULT_DIR] if p.is_dir()]:
        pins = pin_path(folder / "x.xlsx").parent
        if not pins.is_dir():
            continue
        for pin in sorted(pins.glob("*.json")):
            if pin.absolute() in owned or pin.absolute() in seen:
                continue
            seen.add(pin.absolute())
            try:
                read = load_pin(pin)
            except PinError:
                continue
            if read is None or not isinstance(read.get("workbook"), str):
                continue
            workbook = folder / read["workbook"]
            if not workbook.exists():  # else a copy of another case's pin: not a lost case
                out.append((pin, workbook))
    return out
