"""A path that is no regular file is said for what it is, by every reader alike (a fault trial:
a named pipe was `no such file` to report, `does not exist` to check; a folder path through a
file was `not a writable folder`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from solver.cli import main

PIPE = "is not a file (a pipe, socket or device), not a workbook"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("command", ["report", "check"])
def test_a_named_pipe_given_as_a_workbook_is_said_to_be_one(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)
    args = [command, str(fifo)] + (["-o", str(tmp_path / "b.html")] if command == "report" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert f"fifo.xlsx: {PIPE}" in result.output


def test_a_folder_below_a_file_is_said_to_be_below_a_file(tmp_path: Path) -> None:
    from solver.errors import UsageError
    from solver.results.safe_write import check_writable

    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    with pytest.raises(UsageError) as said:
        check_writable(notes / "out" / "plan.xlsx")
    assert str(said.value).endswith(f"{notes} is a file, not a folder")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_an_output_given_as_a_link_is_written_where_it_points(tmp_path: Path) -> None:
    """`latest.xlsx` -> `runs/plan.xlsx`: the write goes to runs/plan.xlsx and the link stays
    (a fault trial: the link was replaced by a file, the target left stale); a dangling link
    makes its target."""
    from solver.results.safe_write import atomic_write

    (tmp_path / "runs").mkdir()
    target = tmp_path / "runs" / "plan.xlsx"
    target.write_bytes(b"old")
    link = tmp_path / "latest.xlsx"
    link.symlink_to(target)
    atomic_write(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    dangling = tmp_path / "next.xlsx"
    dangling.symlink_to(tmp_path / "runs" / "next.xlsx")
    atomic_write(dangling, b"made")
    assert dangling.is_symlink() and (tmp_path / "runs" / "next.xlsx").read_bytes() == b"made"
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["next.xlsx", "plan.xlsx"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_the_guard_judges_where_a_link_points(tmp_path: Path) -> None:
    """An output link is judged by its target, as the write goes there (a review: `report -o
    page.html`, page.html -> a plan, wrote the page over the plan; -> notes.txt, over the
    notes): a link to a file of another kind, or to a file forcegen would not replace, is
    refused; a link to an earlier page of the same kind is followed."""
    from solver.errors import UsageError
    from solver.results.overwrite_guard import refuse_overwriting_inputs

    plan, notes = tmp_path / "planB.xlsx", tmp_path / "notes.txt"
    plan.write_bytes(b"PK\x03\x04 a workbook")
    notes.write_text("mine")
    for target, name in ((plan, "page.html"), (notes, "x.html"), (notes, "y.txt")):
        link = tmp_path / name
        link.symlink_to(target)
        with pytest.raises(UsageError):
            refuse_overwriting_inputs(link, [], kind=(".html", "an HTML page"))
    page = tmp_path / "old.html"
    page.write_text("<html></html>")
    (tmp_path / "latest.html").symlink_to(page)
    refuse_overwriting_inputs(tmp_path / "latest.html", [], kind=(".html", "an HTML page"))
