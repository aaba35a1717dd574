"""The hostile-workbook corpus (`tests/corpus/make_corpus.py`) through the real CLI.

Every case has its exact outcome in `tests/corpus/expected.py`. A refused case: exit 2, exactly the listed `error:` lines
(each says where and what to do), no traceback, nothing written, no temp file. Either way the
file given is left as it was (a damaged part is ignored where it is, never repaired). A legal case:
solved (exit 0) with exactly the listed warnings and the asserted plan or output cells.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from solver.cli import main
from solver.io import excel
from solver.wording import count

from .corpus.expected import EXPECTED
from .corpus.make_corpus import (
    CASES,
    make_corpus,
)
from .corpus.outcomes import INTERNAL_NAMES, Refused, plan_of, rows


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 40
    assert set(EXPECTED) == set(CASES)


def test_the_readme_counts_the_corpus() -> None:
    """README "Limits and safety" says how many workbooks the corpus holds (a README trial
    counted 90 where it said 74)."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"({len(CASES)} hostile and broken workbooks" in " ".join(readme.split())


def test_corpus_is_small_on_disk(tmp_path: Path) -> None:
    """Hostile sizes are declared, never written: the corpus stays cheap to build and keep
    (bytes on disk, not seconds, so a loaded machine cannot fail it)."""
    paths = make_corpus(tmp_path, list(CASES))
    assert set(paths) == set(CASES)
    sizes = {name: path.stat().st_size for name, path in paths.items() if path.is_file()}
    assert max(sizes.values()) < 8 * 2**20, max(sizes, key=sizes.__getitem__)
    assert sum(sizes.values()) < 16 * 2**20


@dataclass
class ReadWork:
    """What reading a workbook's sheets cost, in rows and cells pulled from openpyxl."""

    rows: dict[str, int] = field(default_factory=dict)
    cells: int = 0


class CountingSheet:
    """A worksheet that counts the rows and cells `_read_sheet` pulls from it."""

    def __init__(self, ws: Any, title: str, work: ReadWork) -> None:
        self._ws, self._title, self._work = ws, title, work

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)

    def iter_rows(self, *args: Any, **kwargs: Any) -> Iterator[tuple[Any, ...]]:
        for row in self._ws.iter_rows(*args, **kwargs):
            self._work.rows[self._title] = self._work.rows.get(self._title, 0) + 1
            self._work.cells += len(row)
            yield row


@pytest.fixture
def read_work(monkeypatch: pytest.MonkeyPatch) -> ReadWork:
    work = ReadWork()
    original = excel._read_sheet

    def counted(ws: Any, title: str, *args: Any, **kwargs: Any) -> Any:
        return original(CountingSheet(ws, title, work), title, *args, **kwargs)

    monkeypatch.setattr(excel, "_read_sheet", counted)
    return work


# Reading a sheet pulls at most its title rows, header, data and one run of blank rows; a row is
# never wider than its own last cell (a stray cell at XFD1048576 must not make rows 16,384 wide).
MAX_ROWS_PER_SHEET = excel.HEADER_SEARCH_ROWS + excel.MAX_BLANK_RUN + 50
MAX_CELLS_PER_ROW = 12


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")} if folder.exists() else set()


def lines(output: str, prefix: str) -> list[str]:
    return [line[len(prefix) :] for line in output.splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize("name", list(CASES))
def test_case(name: str, tmp_path: Path, read_work: ReadWork) -> None:
    expected = EXPECTED[name]
    path = make_corpus(tmp_path / "in", [name])[name]
    before = files_under(tmp_path)
    given = path.read_bytes() if path.is_file() else None
    out = tmp_path / "out" / "result.xlsx"
    args = ["solve", str(path), "-o", str(out), *getattr(expected, "args", ())]
    result = CliRunner().invoke(main, args)
    output = result.output
    # nothing in the corpus may make the reader's work grow with a hostile declared size
    assert max(read_work.rows.values(), default=0) <= MAX_ROWS_PER_SHEET, read_work.rows
    assert read_work.cells <= MAX_CELLS_PER_ROW * sum(read_work.rows.values()), read_work.cells
    assert "Traceback" not in output and "internal error" not in output, output
    assert not INTERNAL_NAMES.search(output), output  # a planner's sentence, never a library's
    assert not [p for p in files_under(tmp_path) if p.name.startswith(".~tmp")]
    assert (path.read_bytes() if path.is_file() else None) == given  # read, never repaired
    if isinstance(expected, Refused):
        assert result.exit_code == 2, output
        errors = [e.format(path=path) for e in expected.errors]
        assert lines(output, "error: ") == errors
        assert lines(output, "warning: ") == list(expected.warnings)
        assert f"{count(len(errors), 'problem')} found; nothing was written." in output
        assert files_under(tmp_path) == before  # no output, no folder, nothing else
        return
    assert result.exit_code == 0, output
    assert lines(output, "warning: ") == list(expected.warnings)
    assert lines(output, "error: ") == []
    assert f"written: {out}" in output
    assert files_under(tmp_path) - before == {out.parent, out}
    if expected.plan is not None:
        assert plan_of(out) == expected.plan
    if expected.check is not None:
        expected.check(out)
    assert_no_paths(out, tmp_path)


def assert_no_paths(out: Path, *folders: Path) -> None:
    """No part of the output names a folder of the planner's machine."""
    needles = {str(f.resolve()) for f in folders} | {str(Path.home()), os.getcwd()}
    needles = {n for n in needles if len(n) > 4}  # never "/" itself
    with zipfile.ZipFile(out) as zf:
        for info in zf.infolist():
            text = zf.read(info).decode("utf-8", "replace")
            for needle in needles:
                assert needle not in text, (info.filename, needle)


def test_example_output_names_no_folder(tmp_path: Path) -> None:
    """Solved from an absolute path into an absolute path: only the file's name is written."""
    from .conftest import EXAMPLE

    out = tmp_path / "deep" / "folder" / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(EXAMPLE.resolve()), "-o", str(out)])
    assert result.exit_code == 0, result.output
    summary = {r["key"]: r["value"] for r in rows(out, "Summary")}
    assert summary["input_file"] == "coalition.xlsx"
    assert_no_paths(out, tmp_path, EXAMPLE.parent.parent)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    """A pipe named like a workbook, given to each command that reads or writes one: opening
    it would wait for a writer for ever. Refused at once, exit 2, saying what it is (each
    command in a process of its own, so that a hang fails the test)."""
    import subprocess
    import sys

    from .conftest import EXAMPLE

    pipe = tmp_path / "plan.xlsx"
    os.mkfifo(pipe)
    commands = {
        "validate": ["validate", str(pipe)],
        "verify, the plan": ["verify", str(EXAMPLE), str(pipe)],
        "verify, the input": ["verify", str(pipe), str(EXAMPLE)],
        "compare": ["compare", str(pipe), str(EXAMPLE)],
        "solve -o": ["solve", str(EXAMPLE), "-o", str(pipe)],
        # it opened the pipe to see whether it was a blank template (a fault trial)
        "template --force": ["template", "--force", str(pipe)],
    }
    for what, args in commands.items():
        done = subprocess.run(
            [sys.executable, "-m", "solver.cli", *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert done.returncode == 2, (what, done.stderr)
        assert "is not a file (a pipe, socket or device)" in done.stderr, (what, done.stderr)
        assert "Traceback" not in done.stderr, what


def test_issues_dropped_leave_no_stale_error_cell() -> None:
    """`Issues.drop` (a header formula's errors superseding those below it) re-indexes the
    cells with errors: a dropped one is no longer said to have an error."""
    from solver.errors import Issues

    issues = Issues()
    issues.error("S!B5", "a value under a column without a header; add a header or delete it")
    assert issues.has_error_at("S!B5")
    issues.drop(lambda i: i.where == "S!B5")
    issues.error("S!B1", "the header is a formula")
    assert not issues.has_error_at("S!B5") and issues.has_error_at("S!B1")
