"""The input workbook an output was solved from, found the way a planner lays out files, and the
map's coordinates read from it.

An output records the input's file name (`input_file`) and SHA-256 (`input_sha256`), never a
folder. Candidates, in order: the recorded path (absolute, or relative to the output's folder and
to the current folder); then that file name in the output's folder, its parent, the current
folder, ./inputs and inputs/ beside the output's folder; for a sweep's output
(outputs/<input stem>/<scenario>.xlsx) also the folder above outputs/ and its inputs/. The first
candidate whose SHA-256 is the recorded one is the input. Failing that, the first that reads as a
forcegen input holding every site and contributor of the output is taken (it changed since the
solve: the page says so); any other candidate is refused, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ForcegenError, InputError, Issue, UsageError
from ..io.filecheck import is_plan, sheet_names
from ..io.open_book import PROPERTIES, ignored_text
from ..memory_failure import is_out_of_memory
from .load import Geo, Output

SEARCHED = "the output's folder, its parent, the current folder and inputs/"


@dataclass
class Candidate:
    """A file that may be the input, and (once tried) why it is not."""

    path: Path
    refused: str = ""


@dataclass
class Source:
    """The input found (None when none) and its validated data; `how` says how it was chosen
    (or that none was found), `notes` what to know about it, `refused` the candidates not taken."""

    path: Path | None
    how: str
    notes: list[str] = field(default_factory=list)
    refused: list[Candidate] = field(default_factory=list)
    data: Any = None
    unread: str = ""  # why the input given could not be read (its data None)


def candidates(output: Output) -> list[Path]:
    """Every place the output's input may be, in the order they are tried, each once."""
    recorded = str(output.summary.get("input_file") or "").strip()
    if not recorded:
        return []
    folder, cwd = output.path.absolute().parent, Path.cwd()
    rec = Path(recorded)
    paths = [rec] if rec.is_absolute() else [folder / rec, cwd / rec]
    folders = [folder, folder.parent, cwd, cwd / "inputs", folder.parent / "inputs"]
    if folder.name == rec.stem:  # a sweep's folder, outputs/<input stem>/
        folders += [folder.parent.parent, folder.parent.parent / "inputs"]
    paths += [f / rec.name for f in folders]
    seen: set[Path] = {output.path.resolve()}
    unique = []
    for path in paths:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


def shown(path: Path, output: Output) -> str:
    """`path` as the page names it: its file name only (the page is mailed: a folder relative to
    the output's, such as ../inputs/, means nothing to its reader; the console gives the path)."""
    del output  # the name is the same from wherever the page is read
    return path.name


def find_source(output: Output, given: Path | None) -> Source:
    """The input workbook of `output`: `given` (--input), else the first candidate with the
    recorded SHA-256, else the first whose sites and contributors cover the output's."""
    from ..io.read import file_sha256

    sha = str(output.summary.get("input_sha256") or "")
    if given is not None:
        given = Path(given)
        if not given.is_file():
            raise UsageError(f"--input {given}: no such file")
        source = Source(given, f"Coordinates from {shown(given, output)} (given with --input).")
        source.data, source.unread = _read_or_why(given, output)
        if source.data is not None and sha and file_sha256(given) != sha:
            source.notes.append(_changed(given, output, _missing_keys(output, source.data)))
        return source
    tried = [Candidate(p) for p in candidates(output) if p.is_file()]
    for cand in tried:
        if sha and file_sha256(cand.path) == sha and (data := _read(cand.path, output)):
            how = (
                f"Coordinates from {shown(cand.path, output)}: the very workbook this output was "
                "solved from (its SHA-256 matches)."
            )
            return Source(cand.path, how, data=data)
    for cand in tried:
        data, cand.refused = _judge(cand.path, output, sha)
        if data is not None:
            how = f"Coordinates from {shown(cand.path, output)}."
            refused = [c for c in tried if c.refused]
            return Source(cand.path, how, [_changed(cand.path, output)], refused, data)
    name = output.summary.get("input_file") or "(not recorded)"
    how = f"input workbook {name} not found (use --input): no map drawn"
    return Source(None, how, [f"Looked for it in {SEARCHED}."], tried)


def _changed(path: Path, output: Output, missing: str = "") -> str:
    """The note for an input whose SHA-256 is not the one `output` recorded."""
    match = f"and {missing}" if missing else "its sites and contributors still match"
    if path.name == Path(str(output.summary.get("input_file") or "")).name:
        what = f"has changed since {output.path.name} was solved"
    else:
        what = f"is not the workbook {output.path.name} was solved from"
    return f"{path.name} {what} (its SHA-256 differs), {match}: coordinates are those of the current file"


def _judge(path: Path, output: Output, sha: str) -> tuple[Any, str]:
    """The validated input at `path` if it may be the output's (it holds the output's sites
    and contributors), else None and why not."""
    where = shown(path, output)
    if _is_output(path):
        return None, f"{where} is a forcegen output, not an input"
    data = _read(path, output)
    if data is None:
        return None, f"{where} cannot be read as a forcegen input"
    missing = _missing_keys(output, data)
    if missing:
        digest = "its SHA-256 differs and " if sha else ""
        return None, f"{where} is another workbook: {digest}{missing}"
    return data, ""


def _missing_keys(output: Output, data: Any) -> str:
    """The output's sites and contributors the input lacks, as a phrase ('' when none)."""
    sites = set(data.sites["site"].astype(str))
    homes = set(data.contributors["contributor"].astype(str))
    out_sites = set(output.coverage["site"].astype(str))
    out_homes = set(output.contributors["contributor"].astype(str))
    parts = []
    if lost := sorted(out_sites - sites):
        parts.append(f"site(s) {', '.join(lost[:3])}{' ...' if len(lost) > 3 else ''} not in it")
    if lost := sorted(out_homes - homes):
        parts.append(
            f"contributor(s) {', '.join(lost[:3])}{' ...' if len(lost) > 3 else ''} not in it"
        )
    return "; ".join(parts)


def _read(path: Path, output: Output) -> Any:
    """The validated input with the output's scenario applied (base for a scenario the
    workbook does not define, e.g. a sweep's generated withdraw_<CODE>); None if unreadable."""
    return _read_or_why(path, output)[0]


def _read_or_why(path: Path, output: Output) -> tuple[Any, str]:
    """`_read`'s input, and "" or, when it is None, why: the first problem reading it found
    (`Pledges!D2: ...`), the scenario's, else base's."""
    from ..api import read

    why = ""
    for scenario in dict.fromkeys([output.scenario, "base"]):
        try:
            return read(path, scenario, allow_timed=True), ""  # a timed output's input is timed
        except InputError as exc:
            why = why or str(exc.errors[0] if exc.errors else exc)
        except ForcegenError as exc:
            why = why or str(exc)
        except Exception as exc:  # a damaged file is not the input; never a traceback here
            if is_out_of_memory(exc):  # not the file's fault (a fault trial: `not found`)
                raise
            return None, why or "the file is damaged"
    return None, why


def properties_warnings(data: Any) -> list[Issue]:
    """The warnings of the input `data` that a document properties part of its workbook is
    damaged and was ignored, in the words every reader gives them (io/open_book.py)."""
    said = {ignored_text(part) for part in PROPERTIES}
    return [w for w in data.warnings if w.message in said]


def _is_output(path: Path) -> bool:
    """A forcegen output (another scenario's, say) is never taken for the input: a workbook
    the input reader would refuse as one (`is_plan`), or one that cannot be opened."""
    names = sheet_names(path)
    return names is None or is_plan(names)


def load_geo(output: Output, given: Path | None) -> Geo:
    """Site and home coordinates for the map, with notes saying which input gave them, or
    why there is no map."""
    source = find_source(output, given)
    geo = Geo(source=source.path, notes=[source.how, *source.notes])
    if source.path is None:
        geo.notes += [f"Not used: {c.refused}." for c in source.refused if c.refused]
        return geo
    data = source.data
    if data is None:
        why = f" ({source.unread})" if source.unread else ""
        geo.notes.append(f"input workbook {source.path.name} could not be read{why}: no map drawn")
        return geo
    geo.warnings = properties_warnings(data)
    geo.periods = data.periods
    geo.sites = data.sites[["site", "country", "lat", "lon"]].copy()
    geo.homes = data.contributors[["contributor", "lat", "lon"]].copy()
    for frame in (geo.sites, geo.homes):
        for col in ("lat", "lon"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    placed = geo.sites.dropna(subset=["lat", "lon"])["site"].astype(str)
    if not placed.isin(output.coverage["site"].astype(str)).any():
        geo.notes.append(
            f"no site of {output.path.name} has lat/lon in {source.path.name}: no map drawn"
        )
        geo.sites = None
    return geo
