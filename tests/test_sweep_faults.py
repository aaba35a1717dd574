"""Faults around `sweep` and `check`: SIGTERM, Ctrl-C and SIGKILL to the command, a worker
killed by the kernel, and the temporary folder. Each command runs as a real process in its own
session, with the fault drill (solver/drill.py) making a chosen scenario hang or die; the tests
wait on the command's output, never on a timer (the deadlines only bound a failure)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from openpyxl import load_workbook

from solver.drill import VARIABLE
from solver.parallel import Lost, WorkerLost, run_jobs
from solver.sweep.folder import LOCK_FILE

from .check_case import unhurried
from .conftest import ROOT
from .sweep_case import SCENARIOS, small_case

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and sessions"),
    pytest.mark.slow,  # each drill starts a sweep or check with its worker processes
]

FORCEGEN = str(Path(sys.executable).with_name("forcegen"))
DEADLINE = 120.0  # seconds: only how long a failing test waits before it says so
STARTED: list[Command] = []  # the commands started (each one's session id is its pid)


@pytest.fixture(autouse=True)
def _no_leftovers() -> Iterator[None]:
    """A failing test leaves nothing running and nothing open: kill what remains of its
    sessions, by pid, then reap each command and close its pipes (left to the garbage
    collector, they were reported as the next test's failure)."""
    yield
    while STARTED:
        command = STARTED.pop()
        for member in session_members(command.proc.pid):
            with contextlib.suppress(OSError):
                os.kill(int(member.split()[0]), signal.SIGKILL)
        command.close()


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Commands started here take SIGINT as a terminal's Ctrl-C would reach them, even when
    this test run was itself started with SIGINT ignored (a background job of a shell without
    job control): an ignored signal stays ignored across exec, a handled one is reset to its
    default action. Without this the Ctrl-C tests hung in such runs."""
    before = signal.getsignal(signal.SIGINT)
    if before is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if before is signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


class Command:
    """`forcegen ARGS` in its own session (its id is the process id), stdout and stderr read to
    their end by threads (the end comes only when every process holding them has exited)."""

    def __init__(self, args: list[str], tmp: Path, drill: str) -> None:
        # a hung command asked to abort prints every thread's stack (`finish`)
        env = {**os.environ, "TMPDIR": str(tmp), VARIABLE: drill, "PYTHONFAULTHANDLER": "1"}
        with _interruptible():
            self.proc = subprocess.Popen(
                [FORCEGEN, *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                start_new_session=True,
            )
        STARTED.append(self)
        self.out: list[str] = []
        self.err: list[str] = []
        self.seen = threading.Condition()
        self.readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.out), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.err), daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            with self.seen:
                lines.append(line)
                self.seen.notify_all()

    def wait_for_line(self, start: str) -> None:
        """Wait until a stdout line starts with `start` (or the process ends)."""
        with self.seen:
            found = self.seen.wait_for(
                lambda: (
                    any(line.startswith(start) for line in self.out) or self.proc.poll() is not None
                ),
                timeout=DEADLINE,
            )
        assert found and self.proc.poll() is None, (self.out, self.err)

    def finish(self) -> int:
        """The exit code, once every process of the session is gone and the pipes are at EOF;
        a command still running at the deadline fails the test with where it was."""
        try:
            code = self.proc.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"still running after {DEADLINE:.0f} s; its stacks:\n{self.stacks()}"
            ) from None
        assert session_empties(self.proc.pid), f"left running: {session_members(self.proc.pid)}"
        for reader in self.readers:
            reader.join(timeout=DEADLINE)
            assert not reader.is_alive(), "a process still holds the caller's pipes"
        for stream in (self.proc.stdout, self.proc.stderr):
            assert stream is not None
            stream.close()
        return code

    def stacks(self) -> str:
        """Abort the command (SIGABRT: faulthandler prints every thread's stack) and give its
        stdout and stderr: where a hung command was stuck."""
        with contextlib.suppress(OSError):
            os.kill(self.proc.pid, signal.SIGABRT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=30)
        self.readers[1].join(timeout=10)
        return f"stdout:\n{self.stdout}\nstderr:\n{self.stderr}"

    def close(self) -> None:
        """Reap the process and close its pipes (once the session is killed)."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=DEADLINE)
        for reader in self.readers:
            reader.join(timeout=DEADLINE)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    @property
    def stdout(self) -> str:
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)


def session_members(session: int) -> list[str]:
    """'pid command' of every live (not zombie) process in `session` (from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, sid = fields[0], int(fields[3])
        if sid == session and state != "Z":
            members.append(f"{entry.name} {stat[: stat.rindex(')') + 1]}")
    return members


def session_empties(session: int) -> bool:
    """Poll until no process of `session` is left, at most DEADLINE seconds."""
    end = time.monotonic() + DEADLINE
    while session_members(session):
        if time.monotonic() > end:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return small_case(tmp_path / "case.xlsx", *SCENARIOS)


@pytest.fixture
def tmpdir_(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def overview(comparison: Path) -> dict[str, tuple[str, str | None]]:
    """{scenario: (status, remark)} of the comparison's Scenarios sheet."""
    book = load_workbook(comparison, read_only=True)  # read-only keeps the file open: close it
    try:
        rows = list(book["Scenarios"].iter_rows(values_only=True))
    finally:
        book.close()
    head = list(rows[0])
    status, remark = head.index("status"), head.index("remark")
    return {str(r[0]): (str(r[status]), r[remark]) for r in rows[1:]}


@needs_proc
@pytest.mark.parametrize(
    ("send", "code", "word"),
    [
        (lambda pid: os.kill(pid, signal.SIGTERM), 143, "terminated (SIGTERM)"),
        (lambda pid: os.killpg(pid, signal.SIGINT), 130, "interrupted"),  # Ctrl-C: the group
        (lambda pid: os.kill(pid, signal.SIGINT), 130, "interrupted"),  # SIGINT to it alone
    ],
    ids=["sigterm", "ctrl-c", "sigint"],
)
def test_a_stopped_sweep_stops_its_workers_and_writes_what_finished(
    case: Path, tmp_path: Path, tmpdir_: Path, send, code: int, word: str
) -> None:
    out = tmp_path / "out"
    sweep = Command(["sweep", str(case), "-o", str(out), "--workers", "2"], tmpdir_, "hang:more")
    sweep.wait_for_line("ok    base")  # base solved; `more` hangs in its worker
    send(sweep.proc.pid)
    assert sweep.finish() == code, (sweep.stdout, sweep.stderr)
    assert f"{word}: the workers were stopped" in sweep.stderr
    # the scenarios not run are named, for a CI log's reader; `more`, running but hung, as such
    assert re.search(r"\bmore\b[^;]* stopped while running, no plan came back", sweep.stderr)
    assert re.search(r"not run \([^)]*\), what finished", sweep.stderr)
    rows = overview(out / "comparison.xlsx")
    assert rows["base"][0] == "optimal"
    assert rows["more"] == ("not_run", f"stopped while running, no plan came back ({word})")
    assert (out / "base.xlsx").is_file() and not (out / "more.xlsx").exists()
    assert not (out / LOCK_FILE).exists()  # the folder is free for the next sweep
    assert list(tmpdir_.iterdir()) == []  # no forcegen-sweep-* copies left


@needs_proc
def test_workers_die_with_a_sweep_killed_by_sigkill(
    case: Path, tmp_path: Path, tmpdir_: Path
) -> None:
    sweep = Command(
        ["sweep", str(case), "-o", str(tmp_path / "out"), "--workers", "2"], tmpdir_, "hang:more"
    )
    sweep.wait_for_line("ok    base")
    os.kill(sweep.proc.pid, signal.SIGKILL)
    assert sweep.finish() == -signal.SIGKILL


def test_a_killed_worker_fails_only_its_scenario(case: Path, tmp_path: Path, tmpdir_: Path) -> None:
    """`more`'s worker is killed every time (as by the kernel when out of memory): it runs again
    alone, dies again, and is reported failed; the others are solved, written and compared, and
    none is said to have lost its worker (one running beside `more` lost it too, before:
    tests/test_pool_slots.py)."""
    out = tmp_path / "out"
    sweep = Command(["sweep", str(case), "-o", str(out), "--workers", "2"], tmpdir_, "kill:more")
    assert sweep.finish() == 1, (sweep.stdout, sweep.stderr)  # internal error: worst code
    rows = overview(out / "comparison.xlsx")
    assert rows["more"][0] == "error"
    assert "its worker was killed (out of memory?)" in str(rows["more"][1])
    assert {k: v[0] for k, v in rows.items() if k != "more"} == {
        "base": "optimal",
        "broken": "error",
        "impossible": "infeasible",
        "b_gone": "optimal",
    }
    assert sorted(p.name for p in out.iterdir()) == [
        "b_gone.xlsx",
        "base.xlsx",
        "comparison.xlsx",
        "impossible.xlsx",
    ]
    assert "FAIL  more" in sweep.stdout and "BrokenProcessPool" not in sweep.stdout + sweep.stderr
    # said when it happens: a scenario that then succeeds alone was re-run without a word
    assert (
        "more: a worker was killed (out of memory?) while it ran; it runs again alone once the "
        "others are done"
    ) in sweep.stderr
    assert sweep.stderr.count("a worker was killed") == 1
    assert list(tmpdir_.iterdir()) == []


def test_a_sweep_leaves_nothing_in_the_temp_folder(
    case: Path, tmp_path: Path, tmpdir_: Path
) -> None:
    sweep = Command(
        ["sweep", str(case), "-o", str(tmp_path / "out"), "--workers", "2"], tmpdir_, ""
    )
    assert sweep.finish() == 2  # `broken` is invalid input
    assert list(tmpdir_.iterdir()) == []


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """Two reference cases, pinned."""
    folder = tmp_path / "reference"
    folder.mkdir()
    for name in ("chain", "tight"):
        unhurried(shutil.copy(ROOT / "inputs" / "reference" / f"{name}.xlsx", folder))
    done = subprocess.run(
        [FORCEGEN, "check", "--update", "--workers", "1", str(folder)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


@needs_proc
def test_a_terminated_check_stops_its_workers_and_reports_what_finished(
    reference: Path, tmp_path: Path, tmpdir_: Path
) -> None:
    junit = tmp_path / "junit.xml"
    check = Command(
        ["check", str(reference), "--workers", "2", "--junit", str(junit)],
        tmpdir_,
        "hang:tight/base",
    )
    check.wait_for_line("PASS    chain/base")  # the first case passed; tight hangs
    os.kill(check.proc.pid, signal.SIGTERM)
    assert check.finish() == 143, (check.stdout, check.stderr)
    lines = check.stdout.splitlines()
    assert lines[0].startswith("PASS    chain/base"), lines
    assert lines[1].startswith("ERROR   tight/base")
    assert lines[2].strip() == "not run (terminated by SIGTERM)"
    assert "1 passed" in lines[3] and "-> terminated (SIGTERM)" in lines[3]
    assert 'type="interrupted"' in junit.read_text()


def test_a_check_with_a_killed_worker_fails_only_that_scenario(
    reference: Path, tmpdir_: Path
) -> None:
    check = Command(["check", str(reference), "--workers", "2"], tmpdir_, "kill:chain/base")
    assert check.finish() == 1, (check.stdout, check.stderr)  # an internal error of chain/base
    lines = check.stdout.splitlines()
    assert lines[0].startswith("ERROR   chain/base")
    assert "its worker was killed (out of memory?)" in lines[1]
    assert (
        "chain.xlsx (base): a worker was killed (out of memory?) while it ran; it runs again"
        in check.stderr
    )
    assert lines[2].startswith("PASS    tight/base")


class FakeRunner:
    """Two slots; the job "oom" kills its worker, and with it the job running beside it."""

    slots, label = 2, "fake"

    def __init__(self) -> None:
        self.running: list[str] = []
        self.alone: list[str] = []

    def submit(self, job: str) -> str:
        self.running.append(job)
        if len(self.running) == 1:
            self.alone.append(job)
        return job

    def done(self, handles: list[str], timeout: float) -> list[str]:
        return list(handles)

    def result(self, handle: str) -> str:
        lost = "oom" in self.running
        self.running.remove(handle)
        if lost:
            raise WorkerLost(handle)
        return handle.upper()

    def close(self, cancel: bool = False) -> None:
        pass


def test_jobs_lost_with_a_killed_worker_run_again_alone_once() -> None:
    runner = FakeRunner()
    got = dict(run_jobs(runner, ["a", "oom", "b", "c"]))
    assert got == {0: "A", 1: Lost(), 2: "B", 3: "C"}
    assert runner.alone[-2:] == ["a", "oom"]  # lost together, run again each alone
