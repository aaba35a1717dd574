"""A sweep's temporary folder: removed at its end, and a killed sweep's removed by the next."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from solver.sweep import run_sweep
from solver.sweep.folder import lock
from solver.sweep.scratch import NEW_GRACE_SECONDS, remove_stale_scratch, scratch

from .sweep_case import dead_pid, small_case


def test_a_killed_sweeps_folder_is_removed_by_the_next_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder left by a sweep killed outright (its pid no longer runs, a copy of the workbook
    in it) goes when the next sweep starts; a live sweep's folder, a folder of another naming
    and a file of the sweep's naming stay, and the sweep leaves no folder of its own."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    killed = temp / f"forcegen-sweep-{dead_pid()}-k1ll3d"
    (killed / "forcegen-sweep-x1").mkdir(parents=True)
    (killed / "forcegen-sweep-x1" / "case.xlsx").write_bytes(b"a copy of a workbook")
    live = temp / f"forcegen-sweep-{os.getppid()}-l1ve"  # pytest's parent runs
    other = temp / "forcegen-sweep-notapid"
    a_file = temp / f"forcegen-sweep-{dead_pid()}-file"
    for folder in (live, other):
        folder.mkdir()
    a_file.write_bytes(b"")

    src = small_case(tmp_path / "case.xlsx")
    report = run_sweep(src, out_dir=tmp_path / "out", workers=1)
    assert report.exit_code == 0
    assert sorted(p.name for p in temp.iterdir()) == sorted([live.name, other.name, a_file.name])


def test_a_sweeps_lock_not_its_process_id_says_whether_it_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sweeps in containers sharing one temporary folder see other process ids: a folder whose
    name carries an id dead here but whose lock a live process holds stays (its workbooks are
    in use); one whose id is alive here (reused) but whose lock nobody holds goes."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    elsewhere = temp / f"forcegen-sweep-{dead_pid()}-0th3r"
    reused = temp / f"forcegen-sweep-{os.getppid()}-r3us3d"
    for folder in (elsewhere, reused):
        (folder / "forcegen-sweep-x1").mkdir(parents=True)
        (folder / ".lock").write_bytes(b"")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()",
            str(elsewhere / ".lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        report = run_sweep(small_case(tmp_path / "case.xlsx"), out_dir=tmp_path / "out", workers=1)
        assert report.exit_code == 0
        assert sorted(p.name for p in temp.iterdir()) == [elsewhere.name]
    finally:
        holder.communicate("")
    assert remove_stale_scratch() == [elsewhere]  # let go of: removed


def test_a_running_sweep_holds_its_folders_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a sweep runs, another's clean-up leaves its folder alone: its lock is held."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with scratch(local=True) as folder:
        assert folder is not None and Path(folder, ".lock").is_file()
        assert remove_stale_scratch() == []
        assert Path(folder).is_dir()
    assert list(temp.iterdir()) == []


def test_a_folder_is_never_under_its_name_without_its_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another container's clean-up, which sees no process of this sweep's id, runs as the
    folder is being locked (and again once it is): the folder is not taken. Before, it was
    made under its name and locked after, and that clean-up removed it in between."""
    from solver.sweep import scratch as module

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(module, "is_alive", lambda pid: False)  # as another container sees it
    real, cleaning = module.lock, []

    def cleaned_up_first(fd: int) -> None:
        if not cleaning:  # the clean-up's own locking goes straight through
            cleaning.append(fd)
            assert remove_stale_scratch() == []
        real(fd)

    monkeypatch.setattr(module, "lock", cleaned_up_first)
    with scratch(local=True) as folder:
        assert folder is not None
        assert remove_stale_scratch() == []
        assert Path(folder).is_dir()
        assert Path(folder).name.startswith(f"forcegen-sweep-{os.getpid()}-")
    assert list(temp.iterdir()) == []


def test_a_folder_left_as_it_was_made_is_removed_once_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep killed between making its folder and naming it leaves `forcegen-sweep-new-...`:
    a clean-up removes it once NEW_GRACE_SECONDS old, its lock file free or missing. A younger
    one (a sweep making it now) and an old one whose lock is held (a live sweep on a system
    that could not rename it) stay. Before, every `new-` folder stayed for ever."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    free, bare, young, held = (
        temp / f"forcegen-sweep-new-{name}" for name in ("fr33", "b4r3", "y0ung", "h3ld")
    )
    for folder in (free, bare, young, held):
        (folder / "forcegen-sweep-x1").mkdir(parents=True)
    for folder in (free, young, held):
        (folder / ".lock").write_bytes(b"")
    past = time.time() - NEW_GRACE_SECONDS - 5
    for folder in (free, bare, held):
        os.utime(folder, (past, past))
    fd = os.open(held / ".lock", os.O_RDWR)
    try:
        lock(fd)
        removed = remove_stale_scratch()
    finally:
        os.close(fd)
    assert sorted(p.name for p in removed) == sorted([free.name, bare.name])
    assert sorted(p.name for p in temp.iterdir()) == sorted([young.name, held.name])


def test_a_remote_task_s_folder_is_locked_and_a_killed_one_s_removed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task on a Dask worker (no sweep scratch folder on that machine) copies the workbook
    into a folder of its own, locked while it runs and removed after; the folder of a task
    whose worker was killed (its lock held by nobody) goes when the next task starts (a fault
    trial: a killed Dask worker's copy of the workbook stayed in /tmp for good)."""
    from solver.sweep import task as task_module
    from solver.sweep.task import Task, run_task

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    killed = temp / f"forcegen-sweep-{dead_pid()}-k1ll3d"
    killed.mkdir()
    (killed / ".lock").write_bytes(b"")
    (killed / "case.xlsx").write_bytes(b"a copy of a workbook")
    seen: list[tuple[str, bool, list[str]]] = []

    def solved(task: Task, path: Path, began: float, stop: object) -> object:
        folder = path.parent
        seen.append(
            (folder.name, (folder / ".lock").exists(), sorted(p.name for p in temp.iterdir()))
        )
        raise RuntimeError("stop here")

    monkeypatch.setattr(task_module, "_solve", solved)
    src = small_case(tmp_path / "case.xlsx")
    run_task(Task("base", False, "case.xlsx", src.read_bytes()))
    ((name, locked, present),) = seen
    assert name.startswith(f"forcegen-sweep-{os.getpid()}-") and locked
    assert present == [name]  # the killed task's folder went first
    assert list(temp.iterdir()) == []  # and the task's own after it
