"""Room to write: a folder probed before a command's work, and a full disk or a file size limit
said in a planner's words with what to do about it.

A probe writes `PROBE_BYTES`, not an empty file: a folder on a disk with no byte left takes an
empty file, so a probe of an empty file passed and the solve failed only once its plan was
found (a fault trial, `ulimit -f 0`). The temporary folder is probed for workbooks, as openpyxl
writes each sheet there first: Python's `tempfile` itself found no usable folder on that disk,
which was an internal error after the solve.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ..errors import UsageError
from .signals_held import signals_held

# the errors of a write that finds no room: a full disk, a user's quota, the process's file
# size limit (`ulimit -f`: Python ignores SIGXFSZ, so a write past it fails with EFBIG)
DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)

PROBE_BYTES = 4096  # one block of the usual file systems


def no_room(exc: OSError, temporary: bool) -> tuple[str, str]:
    """The system's reason for a failed write, and what the planner can do:
    `("No space left on device", "free space there, or set TMPDIR to a folder with room")`;
    for a file size limit the limit is named, since freeing space does not help."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.EFBIG:
        return (
            f"{reason} (this process's file size limit, ulimit -f)",
            "raise the file size limit (ulimit -f) and run again",
        )
    if exc.errno not in DISK_FULL:  # not for want of room: a folder this user cannot write
        return reason, (
            "set TMPDIR to a folder you can write to" if temporary else "write to another folder"
        )
    if temporary:
        return reason, "free space there, or set TMPDIR to a folder with room"
    return reason, "free space there, or write to another folder"


def probe(folder: Path, prefix: str) -> None:
    """Make a file in `folder`, write PROBE_BYTES to disk and remove it (OSError if any step
    fails), with stops held: made and removed whole, a stop leaves no probe behind."""
    with signals_held():
        _probe(folder, prefix)


def _probe(folder: Path, prefix: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=folder)
    try:
        try:
            left = memoryview(bytes(PROBE_BYTES))
            while left:
                left = left[os.write(fd, left) :]
            os.fsync(fd)  # some file systems say they are full only when data reaches the disk
        finally:
            os.close(fd)  # NFS may say ENOSPC here: the probe is removed all the same
    finally:
        os.unlink(tmp)


def detached(exc: OSError) -> OSError:
    """`exc`'s number and words without its traceback, whose frames hold openpyxl's sheet
    writers: kept, they were collected (and complained of) only at exit."""
    return OSError(exc.errno, exc.strerror)


def check_temp_folder() -> None:
    """Refuse now (UsageError, exit 2) a workbook output whose temporary folder cannot take a
    file: openpyxl writes each sheet there before the workbook is put together."""
    try:
        folder = Path(tempfile.gettempdir())
    except FileNotFoundError as exc:  # tempfile tried every candidate and none took a file
        folder = Path(os.environ.get("TMPDIR") or "/tmp")  # its first, probed for the reason
        if not folder.is_dir():
            raise UsageError(
                f"no usable temporary folder: {exc.strerror or exc} (openpyxl writes each "
                "sheet of a workbook there first); free space in one, or set TMPDIR to a "
                "folder with room"
            ) from None
    try:
        probe(folder, "forcegen-probe-")
    except OSError as exc:
        reason, remedy = no_room(exc, temporary=True)
        raise UsageError(
            f"cannot write to the temporary folder {folder}: {reason} (openpyxl writes each "
            f"sheet of a workbook there first); {remedy}"
        ) from None
