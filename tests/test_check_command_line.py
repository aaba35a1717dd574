"""`forcegen check`'s command line: every problem of it said at once before any case is solved
(a --pins folder that does not exist, paths that are no workbooks, a --junit file that cannot
be written or is no report of an earlier check), and --json's report of a refused one."""

from __future__ import annotations

import json
from pathlib import Path

from .check_case import check


def test_a_pins_folder_that_does_not_exist_is_a_usage_error(pinned: Path) -> None:
    """A typo in --pins made every case fail as not pinned (exit 5), with a hint to re-pin
    into the typo: exit 2."""
    result = check("--pins", pinned / "nopins", pinned / "chain.xlsx")
    assert result.exit_code == 2, result.output
    assert "no such folder" in result.output


def test_every_problem_of_the_command_line_is_said_at_once(pinned: Path) -> None:
    """A --pins typo and a --junit file that is the case's workbook: both said in one run
    (exit 2), nothing solved; the first stopped the command, the second came only once it was
    fixed."""
    case = pinned / "chain.xlsx"
    before = case.read_bytes()
    result = check("--pins", pinned / "nopins", "--junit", case, case)
    assert result.exit_code == 2, result.output
    assert "no such folder (--update creates it)" in result.output
    assert "output chain.xlsx is the workbook this command reads" in result.output
    assert "2 problems found; nothing was written." in result.output
    assert case.read_bytes() == before


def test_every_path_problem_is_said_with_the_others(pinned: Path, tmp_path: Path) -> None:
    """A case that does not exist, a file that is no workbook and a JUnit file in no folder:
    all three in one run, exit 2 (a CI trial fixed them one run at a time)."""
    notes = tmp_path / "notes.txt"
    notes.write_text("hi\n")
    junit = tmp_path / "none" / "deeper" / "x.xml"
    (tmp_path / "none").write_text("a file, not a folder\n")
    result = check(pinned / "chain.xlsx", tmp_path / "gone.xlsx", notes, "--junit", junit)
    assert result.exit_code == 2, result.output
    assert "gone.xlsx: no such file" in result.output
    assert "notes.txt is not a workbook (.xlsx)" in result.output
    assert "3 problems found; nothing was written." in result.output


def test_json_of_a_command_line_refused_is_still_json(tmp_path: Path) -> None:
    """`check EMPTY --json`: exit 2, and stdout a JSON report with the error and no results (a
    CI trial's `| jq` read nothing); the error goes to the console too."""
    (tmp_path / "empty").mkdir()
    result = check(tmp_path / "empty", "--json")
    assert result.exit_code == 2
    start = result.output.index("{")
    report, _ = json.JSONDecoder().raw_decode(result.output[start:])
    assert report["exit_code"] == 2 and report["results"] == []
    assert report["errors"] == [f"no workbooks (*.xlsx) in {tmp_path / 'empty'}"]


def test_junit_never_replaces_a_file_that_is_no_report_of_check(
    pinned: Path, tmp_path: Path
) -> None:
    """--junit pointed at a build file (`pom.xml`, a typo in a CI script) replaced it (a CI
    trial): refused, exit 2, the file as it was; a report of an earlier check is replaced as
    before."""
    build = tmp_path / "pom.xml"
    build.write_text("<project/>\\n")
    result = check(pinned / "chain.xlsx", "--junit", build)
    assert result.exit_code == 2, result.output
    assert "is not a JUnit report of forcegen check" in result.output
    assert build.read_text() == "<project/>\\n"
    report = tmp_path / "report.xml"
    assert check(pinned / "chain.xlsx", "--junit", report).exit_code == 0
    assert check(pinned / "chain.xlsx", "--junit", report).exit_code == 0
    # an empty file (a path made ready by `mktemp --suffix=.xml`) holds nothing to lose
    ready = tmp_path / "ready.xml"
    ready.write_text("")
    assert check(pinned / "chain.xlsx", "--junit", ready).exit_code == 0
    assert "forcegen check" in ready.read_text()


def test_a_bad_path_hides_no_problem_of_the_good_ones(pinned: Path, tmp_path: Path) -> None:
    """A case that does not exist and, for a case that does, --update's pin path taken by a
    folder: both in one run (a review: the second came only once the first was fixed)."""
    (pinned / "chain.json").unlink()
    (pinned / "chain.json").mkdir()
    result = check("--update", tmp_path / "gone.xlsx", pinned / "chain.xlsx")
    assert result.exit_code == 2, result.output
    assert "gone.xlsx: no such file" in result.output
    assert "chain.json" in result.output and "2 problems found" in result.output


def test_workbooks_in_subfolders_are_said_not_checked(pinned: Path) -> None:
    """A case moved into a subfolder of the folder checked is not checked (only a folder's own
    .xlsx are): a note on stderr names it (a CI trial lost coverage without a word), and
    --json's report on stdout stays JSON."""
    import shutil

    sub = pinned / "archive"
    sub.mkdir()
    shutil.copy(pinned / "chain.xlsx", sub / "old.xlsx")
    result = check(pinned)
    assert result.exit_code == 0, result.output
    assert (
        f"note: 1 workbook in subfolders not checked ({sub / 'old.xlsx'}): only a folder's own "
        ".xlsx are; name a subfolder to check its cases"
    ) in result.stderr
    assert "old" not in result.stdout
    report = check("--json", pinned)
    assert json.loads(report.stdout)["counts"]["error"] == 0
    # the subfolder named too: its workbook is checked, and no note says otherwise (a review)
    shutil.copy(pinned / "chain.json", sub / "old.json")
    both = check(pinned, sub)
    assert both.exit_code == 0, both.output
    assert "not checked" not in both.stderr


def test_verbose_logs_the_workers_solves(pinned: Path) -> None:
    """`forcegen -v check` with two workers logs each worker's solve as one worker does (the
    workers, started afresh, had no log handler: nothing was logged; a CI trial)."""
    import subprocess
    import sys

    from .conftest import ROOT

    def logged(workers: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "solver", "-v", "check", "--workers", workers, str(pinned)],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        return [line for line in done.stderr.splitlines() if line.startswith("forcegen.solve:")]

    for workers in ("1", "2"):
        stages = {line.split()[2] for line in logged(workers) if line.split()[1] == "stage"}
        assert "shortfall.p1" in stages, workers


def test_json_answers_a_command_line_click_refuses(pinned: Path) -> None:
    """`--workers 0` and a misspelt option are refused by the command line's parser, before
    forcegen's own checks: --json still answers with the report of a refused command line
    (it printed nothing on stdout; a CI trial), the usage text on stderr."""
    for wrong in (["--workers", "0"], ["--workerz", "2"]):
        result = check("--json", *wrong, pinned)
        assert result.exit_code == 2, result.output
        report = json.loads(result.stdout)
        assert (report["exit_code"], report["results"], report["mode"]) == (2, [], "check")
        assert report["report_format"] == 1
        assert len(report["errors"]) == 1 and wrong[0] in report["errors"][0]
        assert "Usage:" in result.stderr


def test_a_pin_saved_with_a_byte_order_mark_is_read(pinned: Path) -> None:
    """A pin re-saved by a Windows editor starts with a UTF-8 byte order mark: it is the same
    pin, and the check passes (it was refused as unreadable, exit 2; a CI trial)."""
    pin = pinned / "chain.json"
    pin.write_bytes(b"\xef\xbb\xbf" + pin.read_bytes())
    result = check(pinned)
    assert result.exit_code == 0, result.output


def test_the_workers_said_are_those_run(pinned: Path) -> None:
    """`--workers 64` on two cases of one scenario each: two worker processes run, and the
    report says 2 (it said 64)."""
    result = check("--workers", "64", pinned)
    assert result.exit_code == 0, result.output
    assert "with 2 workers" in result.output
    assert json.loads(check("--json", "--workers", "64", pinned).stdout)["workers"] == 2
