"""A sweep's output folder: checked before any work and written by one sweep at a time (an
earlier run's outputs in it: earlier.py).

The lock is an advisory lock (`flock`; on Windows `msvcrt.locking`) on the file
`.forcegen-sweep.lock` in the folder, taken without waiting: a second sweep into the same folder
refuses at once (exit 2) instead of removing the first one's files. The lock file holds its
sweep's process id (for the message only) and is removed when the sweep ends, whatever ended it
(an error, Ctrl-C, SIGTERM: each unwinds through `holding`). A sweep killed outright (SIGKILL, a
power cut) leaves the file behind, but the operating system releases a dead process's locks, so
the next sweep takes it over: a stale lock file never blocks. A sweep that takes the lock checks
that the file it locked is still the one in the folder (a finishing sweep removes it while
holding it), so two sweeps never both hold it. On a file system without locks (some network
shares) the sweep goes on unguarded, as before there was a lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from ..errors import UsageError
from ..results.safe_write import check_writable

LOCK_FILE = ".forcegen-sweep.lock"
ATTEMPTS = 5  # a lock file removed by its finishing holder as we opened it: open the new one
HELD = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK}  # locked by another
# a file system without locks (some network shares): the sweep goes on, unguarded, as before
UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS}


def check_folder(folder: Path) -> None:
    """Refuse now (UsageError, exit 2) an output folder the sweep could not write in, rather
    than after solving every scenario: a file where the folder should be, a folder that cannot
    take a file, or one that cannot be made. Nothing is left behind by the check."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"cannot write the sweep's outputs to {folder}: it is a file, not a folder; "
            "choose another output folder (-o)"
        )
    check_writable(folder / LOCK_FILE)


@contextlib.contextmanager
def holding(folder: Path) -> Iterator[None]:
    """Within: this sweep alone writes in `folder` (made first, with its parents). Raises
    UsageError (exit 2) at once, having written nothing, when another sweep holds it. A folder
    made here that is still empty at the end (the sweep refused before writing) is removed."""
    folder = Path(folder)
    made = not folder.is_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make folder {folder}: {exc.strerror or exc}") from None
    path = folder / LOCK_FILE
    try:
        fd = _acquire(path)
        try:
            yield
        finally:
            _release(path, fd)
    finally:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: a sweep's outputs are never removed


def _acquire(path: Path) -> int:
    """The descriptor of `path`, open and locked by this process, with our pid written in."""
    for _ in range(ATTEMPTS):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise UsageError(f"cannot write to folder {path.parent}: {exc.strerror}") from None
        try:
            lock(fd)
        except OSError as exc:
            if exc.errno in UNSUPPORTED:
                return fd
            holder = _holder(fd)
            os.close(fd)
            if exc.errno not in HELD:
                raise UsageError(f"cannot lock folder {path.parent}: {exc.strerror}") from None
            raise UsageError(
                f"another sweep is writing to {path.parent}{holder}: wait for it to end, or "
                "choose another output folder (-o)"
            ) from None
        if _same_file(fd, path):
            try:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            except OSError as exc:  # a full disk: refused before any work, as a folder unwritable
                _release(path, fd)
                raise UsageError(f"cannot write to folder {path.parent}: {exc.strerror}") from None
            return fd
        os.close(fd)  # its holder removed it as it finished: lock the one there now
    raise UsageError(f"another sweep is writing to {path.parent}: choose another folder (-o)")


def _release(path: Path, fd: int) -> None:
    """Remove the lock file, then let go of it (on Windows, whose open files cannot be
    removed, the other way round)."""
    if sys.platform == "win32":
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        return
    with contextlib.suppress(OSError):
        path.unlink()
    os.close(fd)  # closing the last descriptor releases the lock


def lock(fd: int) -> None:
    """Lock `fd` without waiting; OSError (errno in HELD) when another holds it."""
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _same_file(fd: int, path: Path) -> bool:
    """`fd` is still the file at `path` (not one its holder removed as we opened it)."""
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _holder(fd: int) -> str:
    """` (process N)` from a lock file's content, '' when it says nothing readable."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip() if hasattr(os, "pread") else ""
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {text})" if text.isdigit() else ""
