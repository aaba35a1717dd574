"""A local sweep's temporary folder: each worker writes its scenario's workbook there, and the
sweep removes it at its end, whatever ended it (an error, Ctrl-C, SIGTERM).

A sweep killed outright (SIGKILL, the out-of-memory killer, a power cut) cannot remove its
folder, so the next sweep on the machine removes the folders of sweeps that no longer run (as
an output's stale temporary files are removed, results/safe_write.py). Whether a sweep still
runs is told by a lock, not by its process id: the sweep holds an advisory lock (folder.py's
`lock`) on the file `.lock` in its folder for as long as it runs, and the operating system
lets go of a dead process's locks. A process id would mislead where sweeps in containers with
their own process ids share one temporary folder (another's live sweep would look dead, and
its workbooks be removed from under it), and after the id is reused (a dead one's would look
alive). A folder without the lock file (made by a sweep before the lock, or killed between
making the folder and locking) falls back to the id its name carries
(`forcegen-sweep-<pid>-<random>`). The folder is made and locked under a name no clean-up
takes (`forcegen-sweep-new-<random>`) and only then renamed, so under its name it is never
without its held lock. A sweep killed in that instant leaves its `new-` folder behind: a
clean-up removes one whose lock nobody holds (or that has no lock file) once it is
NEW_GRACE_SECONDS old, far more than a live sweep takes from making it to renaming it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ..results.room import check_temp_folder
from ..results.safe_write import is_alive
from .folder import UNSUPPORTED, lock

SCRATCH = "forcegen-sweep-"  # the prefix of the sweep's temporary folder
SCRATCH_LOCK = ".lock"  # held by the sweep that runs in the folder
NEW = "new-"  # a folder being made, not yet locked (never taken by a clean-up)
_OWNED = re.compile(re.escape(SCRATCH) + r"(\d+)-[^-]+$")
_NEW = re.compile(re.escape(SCRATCH + NEW) + r"[^-]+$")
NEW_GRACE_SECONDS = 60.0  # a live sweep makes, locks and renames its folder in milliseconds


@contextlib.contextmanager
def scratch(local: bool) -> Iterator[str | None]:
    """The sweep's temporary folder for a local run (None for a remote, Dask, one: its workers
    use their own machine's), locked while the sweep runs, with the stale folders of killed
    sweeps removed first."""
    if not local:
        yield None
        return
    with held_scratch() as folder:
        yield folder


@contextlib.contextmanager
def held_scratch() -> Iterator[str]:
    """A new temporary folder on this machine, locked while in use and removed after, with the
    stale folders of killed sweeps (and killed remote tasks, sweep/task.py) removed first; a
    temporary folder with no room refused first, as `solve` refuses it (a review: with every
    candidate full, `internal error: FileNotFoundError`, exit 1)."""
    check_temp_folder()
    remove_stale_scratch()
    folder, held = _made_and_held()
    try:
        yield str(folder)
    finally:
        if held is not None:
            os.close(held)
        shutil.rmtree(folder, ignore_errors=True)


def _made_and_held() -> tuple[Path, int | None]:
    """A new folder `forcegen-sweep-<pid>-<random>` whose lock this sweep holds, and the
    lock's descriptor (None where locks are not to be had). The folder is made under a name
    no clean-up takes (`forcegen-sweep-new-...`), locked, and only then given its name: under
    its name it is never without its held lock (another container's clean-up, which cannot
    see this process id, would otherwise remove it in between)."""
    made = Path(tempfile.mkdtemp(prefix=f"{SCRATCH}{NEW}"))
    try:
        held = _hold(made)
        folder = made.with_name(f"{SCRATCH}{os.getpid()}-{made.name.removeprefix(SCRATCH + NEW)}")
        try:
            made.rename(folder)
        except OSError:  # a system that renames no folder with an open file: kept as made
            folder = made
    except BaseException:
        shutil.rmtree(made, ignore_errors=True)
        raise
    return folder, held


def remove_stale_scratch() -> list[Path]:
    """Remove the temporary folders of sweeps that no longer run: named as a sweep's, this
    user's, and whose lock no process holds (or, without a lock file, whose process id is not
    alive; a `new-` folder, by its age: `_take_if_stale_new`). Others' and live sweeps' are
    left alone."""
    root = Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        match, new = _OWNED.match(entry.name), _NEW.match(entry.name)
        if not match and not new:
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or not _ours(stat := entry.stat()):
                continue
        except OSError:
            continue
        if match:
            taken = _take_if_stale(Path(entry.path), int(match.group(1)))
        else:
            taken = _take_if_stale_new(Path(entry.path), stat)
        if taken is None:
            continue
        if taken >= 0:
            os.close(taken)  # before removing: Windows removes no open file
        shutil.rmtree(entry.path, ignore_errors=True)
        if not os.path.lexists(entry.path):
            removed.append(Path(entry.path))
    return removed


def _ours(stat: os.stat_result) -> bool:
    """The folder is this user's (on Windows, which has no user ids here, the temporary
    folder is the user's own)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or stat.st_uid == getuid()


def _hold(folder: Path) -> int | None:
    """The descriptor of `folder`'s lock file, locked by this sweep; None where locks are not
    to be had (then the folder's name, with this process's id, is all that tells it live).
    Any other failure (the folder just made cannot take a file) is an OSError."""
    fd = os.open(folder / SCRATCH_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        lock(fd)
    except OSError as exc:
        os.close(fd)
        if exc.errno in UNSUPPORTED:
            return None
        raise
    return fd


def _take_if_stale(folder: Path, pid: int) -> int | None:
    """When `folder` belongs to a sweep that no longer runs: the descriptor of its lock file,
    now locked by us (-1 when it has none: its process id is not alive); None when it may
    still run (its lock is held, or, without one, its process id is alive)."""
    try:
        fd = os.open(folder / SCRATCH_LOCK, os.O_RDWR)
    except FileNotFoundError:
        return -1 if not is_alive(pid) else None
    except OSError:
        return None
    try:
        lock(fd)
    except OSError as exc:
        os.close(fd)
        if exc.errno in UNSUPPORTED:
            return -1 if not is_alive(pid) else None
        return None
    return fd


def _take_if_stale_new(folder: Path, stat: os.stat_result) -> int | None:
    """When `folder` (`forcegen-sweep-new-...`) was left by a sweep killed as it made it: at
    least NEW_GRACE_SECONDS old, and its lock file missing (-1) or now locked by us (its
    descriptor); None when it may be a live sweep's (younger, its lock held, or no lock to be
    had on this file system)."""
    if time.time() - stat.st_mtime < NEW_GRACE_SECONDS:
        return None
    try:
        fd = os.open(folder / SCRATCH_LOCK, os.O_RDWR)
    except FileNotFoundError:
        return -1
    except OSError:
        return None
    try:
        lock(fd)
    except OSError:
        os.close(fd)
        return None
    return fd
