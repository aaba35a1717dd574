"""Faults during a solve: time limits, Ctrl-C (real signals), unwritable outputs, out of memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from bench.gap import TEST_DATA, parse, write_gap_workbook
from solver.cli import main

from .workbooks import simple_case

INJECT = [sys.executable, "-m", "tests.inject"]
HANG_GUARD = 600  # seconds: a timeout only a hung run reaches, never an assertion on speed


@pytest.fixture(scope="module")
def hard_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A GAP instance of type D (10 x 200) that HiGHS cannot close within seconds."""
    inst = parse(TEST_DATA / "yagiura" / "d10200", multi=False)[0]
    return write_gap_workbook(inst, tmp_path_factory.mktemp("hard") / "d10200.xlsx", time_limit=60)


def summary(path: Path) -> dict:
    frame = pd.read_excel(path, sheet_name="Summary", keep_default_na=False)
    return dict(frame[["key", "value"]].itertuples(index=False))


def test_time_limit_with_incumbent_is_feasible(hard_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    args = ["solve", str(hard_case), "-o", str(out), "--time-limit", "3", "--backend", "highs"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    s = summary(out)
    assert s["status"] == "feasible"
    assert float(s["mip_gap"]) > 0
    assert "not proven optimal" in s["message"]
    assert len(pd.read_excel(out, sheet_name="Allocation")) == 200


def start_solve(case: Path, out: Path, stage: int = 2) -> subprocess.Popen:
    """forcegen solve, returned once HiGHS has found a plan in its `stage`-th run (the GAP's
    cost stage, the hard one) while forcegen waits for it (the run says so: tests/inject.py),
    where a Ctrl-C cancels HiGHS: no sleep, no timer."""
    args = [*INJECT, "solve", str(stage), "incumbent", "solve", str(case), "-o", str(out)]
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "inject: solve reached" in line:
            return proc
    raise AssertionError(f"the solve never reached HiGHS (exit {proc.wait(HANG_GUARD)})")


def test_ctrl_c_keeps_best_plan(hard_case: Path, tmp_path: Path) -> None:
    """Ctrl-C stops HiGHS (status interrupted, where a solve left to its time limit would be
    feasible) and keeps the best plan; a Ctrl-C that HiGHS ignored would hang the test."""
    out = tmp_path / "o.xlsx"
    proc = start_solve(hard_case, out)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    s = summary(out)
    assert s["status"] == "interrupted"
    assert len(pd.read_excel(out, sheet_name="Allocation")) > 0  # the incumbent


def test_second_ctrl_c_exits_at_once_without_partial_file(hard_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    proc = start_solve(hard_case, out)
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert all(not n.startswith(".~tmp") for n in leftovers), leftovers
    if out.exists():  # either no file, or a complete one
        assert summary(out)["status"] == "interrupted"


def test_unwritable_output_is_a_clear_error_before_the_solve(tmp_path: Path) -> None:
    """-o under a path that is a file (as root a read-only folder is still writable, so this
    is the case a test can make): exit 2 before any solve (a timed solve or --price-caveats
    lost minutes of work when this was found at the end), nothing written; a writable
    folder's probe leaves nothing behind."""
    from solver.results.safe_write import check_writable

    src = simple_case(tmp_path / "c.xlsx")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(blocker / "o.xlsx")])
    assert result.exit_code == 2
    assert "status:" not in result.output  # refused before solving
    assert "cannot make folder" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx", "not-a-folder"]
    check_writable(tmp_path / "o.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx", "not-a-folder"]


def test_a_name_too_long_for_the_file_system_is_refused_before_the_solve(tmp_path: Path) -> None:
    """A scenario of 300 characters named the default output outputs/c-xxx...xlsx: with no
    outputs folder yet nothing could be tried, and the solve ran to its end before the write
    said 'File name too long'. Now: exit 2 before solving, in a folder to be made as in one
    that exists; a name that fits with the temporary file's prefix is taken."""
    import os

    from solver.results.safe_write import check_writable

    src = simple_case(tmp_path / "c.xlsx")
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    for folder in (tmp_path / "new", tmp_path):
        long_name = folder / ("x" * (limit - 5) + ".xlsx")
        result = CliRunner().invoke(main, ["solve", str(src), "-o", str(long_name)])
        assert result.exit_code == 2, result.output
        assert "status:" not in result.output
        assert "is too long" in result.output and "shorter one with -o" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx"]
    check_writable(tmp_path / ("x" * 100 + ".xlsx"))


def test_a_name_is_not_measured_where_the_system_has_no_pathconf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no os.pathconf: the check of a name's length is skipped there (the write
    says what is wrong), never an AttributeError before every write."""
    import os

    from solver.results.safe_write import check_writable

    monkeypatch.delattr(os, "pathconf")
    check_writable(tmp_path / "new" / ("x" * 300 + ".xlsx"))


def test_an_output_that_cannot_be_replaced_is_refused_before_the_solve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An earlier o.xlsx that cannot be replaced (immutable: opening it for update fails with
    EPERM; open in Excel on Windows is the same refusal): exit 2 before any solve, the file as
    it was. Before, the plan was solved and printed, and then lost to `cannot write`. A file
    made read-only (`chmod 444`) is refused alike, though the rename could replace it (POSIX):
    it was kept so on purpose (a trial's read-only plan was replaced, and its mode)."""
    import builtins
    import errno

    from solver.results import safe_write

    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    assert CliRunner().invoke(main, ["solve", str(src), "-o", str(out)]).exit_code == 0
    earlier = out.read_bytes()

    def refusing(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if Path(str(file)) == out and "+" in mode:
            raise PermissionError(errno.EPERM, "Operation not permitted")
        return builtins.open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(safe_write, "open", refusing, raising=False)
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "status:" not in result.output  # refused before solving
    assert "cannot write o.xlsx: Operation not permitted" in result.output
    assert out.read_bytes() == earlier

    monkeypatch.undo()
    out.chmod(0o444)
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "status:" not in result.output
    assert "cannot write o.xlsx: the file is read-only (its write permission is off)" in (
        " ".join(result.output.split())
    )
    assert out.read_bytes() == earlier and out.stat().st_mode & 0o777 == 0o444
    out.chmod(0o644)
    before = out.stat().st_ino
    assert CliRunner().invoke(main, ["solve", str(src), "-o", str(out)]).exit_code == 0
    assert out.stat().st_ino != before  # replaced by the rename of the new output


def test_out_of_memory_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import solver.solve_steps

    def exhausted(data, **kwargs):
        raise MemoryError

    monkeypatch.setattr(solver.solve_steps, "build_model", exhausted)
    src = simple_case(tmp_path / "c.xlsx")
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 1
    assert "out of memory" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.xlsx").exists()


def test_temp_files_never_left_behind_on_failed_write(tmp_path: Path) -> None:
    from solver.errors import UsageError
    from solver.results.safe_write import atomic_write

    target = tmp_path / "dir-as-target"
    target.mkdir()
    with pytest.raises(UsageError):
        atomic_write(target, b"data")  # renaming over a folder fails
    assert [p.name for p in tmp_path.iterdir()] == ["dir-as-target"]
    assert os.listdir(target) == []


STUCK_HIGHS = """
import sys, threading
from solver.solve import watchdog
never = threading.Event()
watchdog.run_masked = lambda h, done: never.wait()  # HiGHS ignoring its limit and every cancel
watchdog.abandon_after = lambda limit: 0.5
from solver.cli import main
sys.argv = ["forcegen", "solve", sys.argv[1], "-o", sys.argv[2], "--time-limit", "1"]
main()
"""


def test_highs_that_never_returns_still_gives_the_plan_and_exits(tmp_path: Path) -> None:
    """The hard stop, end to end: the CLI writes the construction heuristic's plan and leaves,
    though HiGHS's thread is still running."""
    case = tmp_path / "case.xlsx"
    simple_case(case)
    out = tmp_path / "out.xlsx"
    done = subprocess.run(  # forcegen waiting for HiGHS would hang here: the guard fails it
        [sys.executable, "-c", STUCK_HIGHS, str(case), str(out)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert "stopped waiting" in done.stderr and "written:" in done.stdout
    s = summary(out)
    assert s["status"] == "feasible"
    assert s["stage.shortfall.p1.status"] == "heuristic"
    assert len(pd.read_excel(out, sheet_name="Allocation")) > 0


def test_a_full_temporary_folder_is_said_as_such() -> None:
    """openpyxl writes each sheet to a temporary file first: a full temporary folder (ENOSPC
    there) is one clear line naming the folder and TMPDIR, exit 2, nothing written (it was an
    'internal error' with openpyxl's ignored exceptions after it: checked by hand with
    TMPDIR on a full 64 kB tmpfs); any other OSError is not dressed up as a full disk."""
    import errno

    from solver.errors import UsageError
    from solver.results import writer

    class FullDisk:
        def __init__(self, code: int) -> None:
            self.code = code

        def save(self, target: object) -> None:
            raise OSError(self.code, os.strerror(self.code))

    with pytest.raises(UsageError, match="No space left on device in the temporary folder"):
        writer.workbook_bytes(FullDisk(errno.ENOSPC))  # type: ignore[arg-type]
    with pytest.raises(OSError, match="Permission denied"):
        writer.workbook_bytes(FullDisk(errno.EACCES))  # type: ignore[arg-type]


def test_a_plan_that_cannot_be_written_says_so_where_its_status_is(tmp_path: Path) -> None:
    """The output's file system takes no more (a file size limit: EFBIG, as a full disk's
    ENOSPC): stdout, which showed the status and stages, ends `not written: ...` instead of
    `written: ...`, stderr says why, exit 2, and no file or temporary file is left. Before,
    stdout read as a result and only stderr said it was lost."""
    import resource
    import shutil

    src = tmp_path / "coalition.xlsx"
    shutil.copy(Path(__file__).resolve().parent.parent / "inputs" / "coalition.xlsx", src)
    out = tmp_path / "out" / "plan.xlsx"
    limit = src.stat().st_size + 1  # the input can be read; the plan, larger, cannot be written

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from solver.entry import main; main()",
            "solve",
            str(src),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=HANG_GUARD,
    )
    assert proc.returncode == 2, proc.stderr
    assert "status: optimal" in proc.stdout
    assert proc.stdout.rstrip().splitlines()[-1] == (
        f"not written: {out} (the plan above is in no file; see the error)"
    )
    assert "written: " not in proc.stdout.replace("not written: ", "")
    assert "error: cannot write plan.xlsx: File too large" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_generate_that_cannot_write_its_sheets_is_one_clear_line(tmp_path: Path) -> None:
    """`generate` streams each sheet to a temporary file as it fills it (openpyxl's write-only
    mode): a file size limit (EFBIG, as a full disk's ENOSPC) there was an 'internal error'
    with openpyxl's ignored exceptions and their tracebacks after it (a trial under
    `ulimit -f 8`). Now: one line naming the temporary folder and the file size limit (freeing
    space would not help), exit 2, no file."""
    import resource

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    out = tmp_path / "g.xlsx"
    command = ["generate", str(out), "--contributors", "200", "--sites", "200"]
    proc = subprocess.run(
        [sys.executable, "-c", "from solver.entry import main; main()", *command],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=HANG_GUARD,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(
        "error: cannot write the workbook: File too large (this process's file size limit, "
        "ulimit -f) in the "
    )
    assert "raise the file size limit (ulimit -f)" in proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert not list(tmp_path.iterdir())
