"""Writing a file so that it is never half-written: to a temporary file in the same folder,
flushed to disk, then renamed over the target; the temporary files a killed writer left are
removed, and a folder that cannot take a file is refused before any work (`check_writable`)."""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import UsageError
from .room import check_temp_folder, no_room, probe
from .signals_held import signals_held


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


TEMP_PREFIX = ".~tmp-"

# every file `atomic_write` has put in place while a command runs (`commands_common.guarded`
# keeps the record; none outside a command): a stop after a write must not say "nothing was
# written"
_WRITTEN: list[Path] | None = None


@contextmanager
def recording_written() -> Iterator[None]:
    """A command's record of the files written while it runs, started afresh."""
    global _WRITTEN
    _WRITTEN = []
    try:
        yield
    finally:
        _WRITTEN = None


def written() -> list[Path]:
    """The files written whole (renamed into place) within `recording_written`, each once, in
    the order first written."""
    return list(dict.fromkeys(_WRITTEN or []))


def temp_prefix(path: Path) -> str:
    """The start of the name of `path`'s temporary files: `.~tmp-<name>-<writer's pid>-`."""
    return f"{TEMP_PREFIX}{path.name}-{os.getpid()}-"


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporary files of `path` left by a writer that no longer runs (killed by
    SIGKILL, out of memory, a power cut): those named after `path` whose pid is not alive.
    Files of other outputs, of a live writer and of another naming are left alone."""
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(re.escape(f"{TEMP_PREFIX}{path.name}-") + r"(\d+)-[^-]+$")
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = pattern.match(name)
        if match and not is_alive(int(match.group(1))):
            try:
                (folder / name).unlink()
                removed.append(folder / name)
            except OSError:
                pass
    return removed


def is_alive(pid: int) -> bool:
    """A process `pid` runs (or cannot be asked about: counted alive, to be safe)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or not a pid we can ask about: keep its file
    return True


def check_writable(path: Path) -> None:
    """Refuse now (UsageError, exit 2) an output whose folder cannot take a file, rather than
    after a solve of minutes: a temporary file of a few kilobytes is written in the folder and
    removed (in its nearest existing parent, by permission, when the folder is still to be
    made), and for a workbook in the temporary folder too (results/room.py). An output that
    names a folder is refused too: the write would fail only at its end."""
    path = through_links(Path(path))
    if Path(path).is_dir():
        raise UsageError(f"output {path} is a folder: give a file name")
    folder = Path(path).parent if str(Path(path).parent) else Path(".")
    _check_name_length(Path(path), folder)
    if folder.is_dir():
        try:
            probe(folder, temp_prefix(Path(path)))
        except OSError as exc:
            reason, remedy = no_room(exc, temporary=False)
            raise UsageError(f"cannot write to folder {folder}: {reason}; {remedy}") from None
        _check_replaceable(Path(path))
    else:
        _check_makeable(folder)
    if Path(path).suffix.lower() == ".xlsx":
        check_temp_folder()


def _check_makeable(folder: Path) -> None:
    """Refuse a folder still to be made whose nearest existing parent is not a writable folder."""
    parent = folder
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():  # a file where a folder of the path should be
        raise UsageError(f"cannot make folder {folder}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"cannot make folder {folder}: {parent} is not a writable folder")
    try:  # the folder is made on the parent's file system: room there is room for it
        probe(parent, TEMP_PREFIX)
    except OSError as exc:
        reason, remedy = no_room(exc, temporary=False)
        raise UsageError(f"cannot make folder {folder}: {parent}: {reason}; {remedy}") from None


# what a temporary file's name adds to its target's (`temp_prefix`, `atomic_write`): the
# prefix, two dashes, a process id of up to 7 digits (Linux's pid_max is at most 4,194,304),
# and the 8 characters mkstemp draws; fixed, so that the refusal says the same on every run
TEMP_NAME_EXTRA = len(TEMP_PREFIX) + 2 + 7 + 8


def _check_name_length(path: Path, folder: Path) -> None:
    """Refuse now a file name longer than the folder's file system takes (with its temporary
    file's additions, TEMP_NAME_EXTRA): a 300-character scenario name made `solve -s` fail
    only once the plan was found, as the folder did not exist yet to try a file in."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    pathconf = getattr(os, "pathconf", None)  # not on Windows: there the write will say
    try:
        limit = pathconf(existing, "PC_NAME_MAX") if pathconf is not None else None
    except (OSError, ValueError):  # no such limit known for this file system
        limit = None
    size, extra = len(os.fsencode(path.name)), TEMP_NAME_EXTRA
    if limit is not None and size + extra > limit:
        raise UsageError(
            f"output name {path.name[:40]}... is too long: {size} bytes, where the folder's file "
            f"system takes {limit - extra} at most (with forcegen's temporary name); give a "
            "shorter one with -o (or a shorter scenario name)"
        )


def _check_replaceable(path: Path) -> None:
    """Refuse now an existing output the write could not replace: one open in Excel on
    Windows (a sharing violation), or immutable (`chattr +i`). Opened for update and closed,
    nothing written. A file made read-only (no write permission for its owner, or for this
    user) is refused too: the rename would replace it on POSIX, but somebody kept it so on
    purpose (a trial's `chmod 444` plan was replaced, and its mode with it)."""
    if not path.is_file():
        return
    if not path.stat().st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise UsageError(
            f"cannot write {path.name}: the file is read-only (its write permission is off); "
            "make it writable to replace it, or give another output with -o"
        )
    try:
        with open(path, "r+b"):
            pass
    except OSError as exc:
        if sys.platform == "win32" or exc.errno == errno.EPERM:
            hint = " (is it open in Excel? close it and retry)" if sys.platform == "win32" else ""
            raise UsageError(f"cannot write {path.name}: {exc.strerror or exc}{hint}") from None


def through_links(path: Path) -> Path:
    """The file a symbolic link names (at the end of a chain, dangling or not), else `path`:
    an output given as a link (`latest.xlsx` -> `runs/plan.xlsx`) is written where it points,
    the link kept (a fault trial: the rename replaced the link with a file, and its target
    stayed stale)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename over the target (a symbolic
    link's target: `through_links`). Stale temp files of the same target (see
    remove_stale_temps) are removed first."""
    given = Path(path)
    path = through_links(given)
    folder = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        with signals_held():  # the temporary file made and named together: a stop removes it
            try:
                folder.mkdir(parents=True, exist_ok=True)
                remove_stale_temps(path)
                fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), dir=folder)
            except OSError as exc:
                said = f"cannot write to folder {folder}: {exc.strerror or exc}"
                raise UsageError(said) from None
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        with signals_held():  # renamed and recorded together: never one without the other
            os.replace(tmp, path)
            if _WRITTEN is not None:
                _WRITTEN.append(given)
        _sync_folder(folder)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        hint = (
            " (is it open in Excel? close it and retry)" if isinstance(exc, PermissionError) else ""
        )
        reason = no_room(exc, temporary=False)[0]  # a file size limit named as such
        raise UsageError(f"cannot write {path.name}: {reason}{hint}") from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry of the renamed file to disk (a power cut after the rename
    could otherwise lose it); where a folder cannot be opened for that (Windows), skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # a file system that cannot sync a folder: the file itself is synced
    finally:
        os.close(fd)


def file_stem(name: str, blank: str = "scenario") -> str:
    """A scenario's name as a file name's stem: anything but letters, digits, `.` and `-` made
    `_` (no folder separator, no `..`), `blank` if nothing is left."""
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or blank
