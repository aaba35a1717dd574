"""A sweep's output folder (solver/sweep/folder.py): one sweep at a time writes in it, and a
folder the sweep could not write in is refused before anything is solved.

The concurrent sweep is never raced: the test holds the folder's lock itself (as a running
sweep does: `flock` on `.forcegen-sweep.lock` in it) and starts the second sweep."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver.errors import UsageError
from solver.sweep import run_sweep
from solver.sweep.folder import LOCK_FILE

from .sweep_case import SCENARIOS, small_case, stopped_at_more

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock, POSIX permissions")


def sweep(*args: str | Path) -> Result:
    from solver.cli import main

    return CliRunner().invoke(main, ["sweep", *(str(a) for a in args)])


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return small_case(tmp_path / "case.xlsx", SCENARIOS[0])  # base and `more`


@pytest.fixture
def no_solve(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The scenarios a sweep (with one worker: in this process) started to solve; none
    should be."""
    from solver.sweep import backends

    started: list[str] = []

    def record(task):  # type: ignore[no-untyped-def]
        started.append(task.scenario)
        raise AssertionError(f"{task.scenario} solved")

    monkeypatch.setattr(backends, "run_task", record)
    return started


@contextlib.contextmanager
def held(folder: Path) -> Iterator[None]:
    """The folder's lock, held the way a running sweep holds it (another open file, flock)."""
    import fcntl

    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)


def free(folder: Path) -> bool:
    """No sweep holds the folder and none left its lock file behind."""
    return not (folder / LOCK_FILE).exists()


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def error_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def test_a_second_sweep_into_a_held_folder_refuses_at_once(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another sweep writes to `out` (its lock held): this one exits 2 with one line saying
    so, solves nothing and leaves the folder as it was (the earlier outputs are not removed).
    Before, it removed them and wrote its own among the other sweep's."""
    out = tmp_path / "out"
    assert sweep(case, "-o", out, "--workers", "1").exit_code == 0
    before = contents(out)
    assert sorted(before) == ["base.xlsx", "comparison.xlsx", "more.xlsx"]
    from solver.sweep import backends

    real_task = backends.run_task
    started: list[str] = []

    def record(task):  # type: ignore[no-untyped-def]
        started.append(task.scenario)
        return real_task(task)

    monkeypatch.setattr(backends, "run_task", record)
    with held(out):
        result = sweep(case, "-o", out, "--workers", "1")
        assert result.exit_code == 2, result.output
        assert error_lines(result) == [
            f"error: another sweep is writing to {out}: wait for it to end, or choose another "
            "output folder (-o)"
        ]
        assert started == []
        assert contents(out) == {**before, LOCK_FILE: b""}  # only the holder's lock file
    result = sweep(case, "-o", out, "--workers", "1")  # once the other sweep has ended
    assert result.exit_code == 0, result.output
    assert started == ["base", "more"] and free(out)


def test_the_refusal_names_the_process_that_holds_the_folder(case: Path, tmp_path: Path) -> None:
    """A sweep writes its process id in the lock file: the refusal names it."""
    from solver.sweep.folder import holding

    out = tmp_path / "out"
    with holding(out):
        with pytest.raises(UsageError, match=f"another sweep is writing to {out}") as refused:
            run_sweep(case, out_dir=out, workers=1)
        assert f"(process {os.getpid()})" in str(refused.value)
        assert sorted(p.name for p in out.iterdir()) == [LOCK_FILE]
    assert not out.exists()  # made for the lock, left empty: removed with it


def test_a_sweep_refused_after_taking_a_new_folder_leaves_no_folder(
    case: Path, tmp_path: Path
) -> None:
    """A sweep into a folder still to be made, refused once it held it (no Dask scheduler
    there): the folder it made, still empty, goes too."""
    out = tmp_path / "new" / "out"
    with pytest.raises(UsageError):
        run_sweep(case, out_dir=out, scheduler="tcp://127.0.0.1:1")
    assert not out.exists()


def test_the_folder_is_free_again_after_an_error_or_an_interrupt(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock goes with the sweep however it ends: refused after taking it (a plan edited by
    hand in the folder), stopped by Ctrl-C part way, or an internal error as it writes the
    comparison. Each time the next sweep takes the folder."""
    from solver.sweep import backends
    from solver.sweep import run as sweep_run

    out = tmp_path / "out"
    assert run_sweep(case, out_dir=out, workers=1).exit_code == 0 and free(out)

    book = load_workbook(out / "base.xlsx")
    book["Allocation"]["D2"] = 1  # a planner's edit: the sweep refuses to replace it
    book.save(out / "base.xlsx")
    with pytest.raises(UsageError, match="edited by hand"):
        run_sweep(case, out_dir=out, workers=1)
    assert free(out)
    (out / "base.xlsx").unlink()

    with monkeypatch.context() as patch:
        patch.setattr(backends, "run_task", stopped_at_more)
        report = run_sweep(case, out_dir=out, workers=1)
    assert report.interrupted and report.exit_code == 130
    assert free(out)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    with monkeypatch.context() as patch:
        patch.setattr(sweep_run, "write_comparison", broken)
        with pytest.raises(RuntimeError, match="disk on fire"):
            run_sweep(case, out_dir=out, workers=1)
    assert free(out)
    with held(out):  # nothing of the failed sweeps holds it
        pass
    assert run_sweep(case, out_dir=out, workers=1).exit_code == 0


def test_a_killed_sweeps_lock_file_does_not_block_the_next(case: Path, tmp_path: Path) -> None:
    """A sweep killed by SIGKILL leaves its lock file behind, but the system released its lock
    with the process: the next sweep into the folder runs, and removes the file at its end."""
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from solver.sweep.folder import holding\n"
            f"with holding({str(out)!r}):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(3600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        refused = sweep(case, "-o", out, "--workers", "1")
        assert refused.exit_code == 2
        assert f"another sweep is writing to {out} (process {holder.pid})" in refused.output
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert (out / LOCK_FILE).exists()  # left behind by the killed sweep
    result = sweep(case, "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["base.xlsx", "comparison.xlsx", "more.xlsx"]


def test_an_output_folder_that_is_a_file_fails_before_any_solve(
    case: Path, tmp_path: Path, no_solve: list[str]
) -> None:
    """-o naming a file (through the API: the command line's -o refuses one itself): one
    line, exit 2, nothing solved, the file untouched. Before, every scenario was solved and
    each reported 'not written'."""
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(UsageError) as refused:
        run_sweep(case, out_dir=a_file, workers=1)
    assert str(refused.value) == (
        f"cannot write the sweep's outputs to {a_file}: it is a file, not a folder; choose "
        "another output folder (-o)"
    )
    assert refused.value.exit_code == 2
    assert no_solve == [] and a_file.read_text() == "mine"


def test_an_output_folder_inside_a_file_fails_before_any_solve(
    case: Path, tmp_path: Path, no_solve: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """-o notes.txt/out, and the default outputs/<stem> where `outputs` is a file: exit 2,
    one line, nothing solved or written."""
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    result = sweep(case, "-o", a_file / "out", "--workers", "1")
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"error: cannot make folder {a_file / 'out'}: {a_file} is a file, not a folder"
    ]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outputs").write_text("mine too")
    result = sweep(case, "--workers", "1")  # into outputs/case
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"error: cannot make folder {Path('outputs') / 'case'}: outputs is a file, not a folder"
    ]
    assert no_solve == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.xlsx", "notes.txt", "outputs"]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes in a read-only folder"
)
def test_a_read_only_output_folder_fails_before_any_solve(
    case: Path, tmp_path: Path, no_solve: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = sweep(case, "-o", out, "--workers", "1")
        assert result.exit_code == 2, result.output
        assert error_lines(result) == [
            f"error: cannot write to folder {out}: Permission denied; write to another folder"
        ]
        assert no_solve == [] and list(out.iterdir()) == []
    finally:
        out.chmod(0o755)
