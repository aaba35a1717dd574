"""What a command that reads several files refuses, every file's at once: each issue named by
the file whose cell it is (`b.xlsx Tours!G2`, as `solve --baseline FILE` says them), one
file's bad cells never hiding the next one's (compare, report)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from ..errors import InputError, Issue, UsageError

T = TypeVar("T")


def in_file(exc: InputError, source: str, whole_path: bool = False) -> InputError:
    """`exc` with each issue's place prefixed by the file's name (`b.xlsx Tours!C3`; an
    output's, or the input's for its own cells): with --input given, an output that does not
    fit it is exit 2, and among several files the planner must know whose cell it is. With
    `whole_path`, by `source` as given: two files of one name (`outputs/coalition.xlsx` and
    `inputs/coalition.xlsx`) are told apart (a trial read `coalition.xlsx: is an input
    workbook` not knowing which)."""
    name = Path(source).name
    label = source if whole_path else name

    def placed(issue: Issue) -> Issue:
        if issue.where.startswith(name):
            return Issue(label + issue.where[len(name) :], issue.message, issue.level)
        return Issue(f"{label} {issue.where}", issue.message, issue.level)

    return InputError([placed(e) for e in exc.errors], [placed(w) for w in exc.warnings], exc.note)


def read_each(paths: Sequence[Path], read: Callable[[Path], T]) -> list[T]:
    """`read` of every output file; what they cannot read, every file's at once, as one
    `InputError` (exit 2) whose issues are prefixed by their file's name (`b.xlsx Tours!G2`,
    as `solve --baseline FILE` says them, `in_file`): one file's bad cells no longer hide the
    next file's, nor leave the planner to guess whose cell `Tours!G2` is. A file that is no
    output at all (`UsageError`, which names it) is one of those problems too: report stopped at
    the first of several."""
    read_files: list[T] = []
    errors: list[Issue] = []
    warnings: list[Issue] = []
    names = [Path(path).name for path in paths]
    for path in paths:
        try:
            read_files.append(read(Path(path)))
        except InputError as exc:
            placed = in_file(exc, str(path), whole_path=names.count(Path(path).name) > 1)
            errors += placed.errors
            warnings += placed.warnings
        except UsageError as exc:  # not an output at all (a sheet missing): it names the file
            errors.append(Issue("", str(exc)))
    if errors:
        raise InputError(errors, warnings)
    return read_files


def audit_each(views: Sequence[T], audit_one: Callable[[int, T], None]) -> None:
    """`audit_one(i, view)` of every output; what it refuses (an output that does not fit the
    input given with --input: `in_file`'s issues), every output's at once as one `InputError`
    (exit 2), an issue of the input itself once: one output's misfit no longer hides the
    next one's."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    notes: list[str] = []
    for i, view in enumerate(views):
        try:
            audit_one(i, view)
        except InputError as exc:
            errors += exc.errors
            warnings += exc.warnings
            notes += [exc.note] if exc.note else []
    if errors:
        raise InputError(_once(errors), _once(warnings), next(iter(notes), ""))


def _once(issues: list[Issue]) -> list[Issue]:
    """`issues` without repeats, in their order (the input's own cell, refused for each
    output read against it)."""
    return list(dict.fromkeys(issues))
