"""Room to write, checked before the work (results/room.py): a folder that takes an empty file
but no byte more, and a temporary folder with no room, are refused at once with exit 2, not
found after the solve (a fault trial under `ulimit -f 0`: the solve ran, then `internal error:
FileNotFoundError: No usable temporary directory found`, exit 1, the plan lost)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from solver.errors import UsageError
from solver.results import room
from solver.results.safe_write import check_writable

from .workbooks import simple_case

HANG_GUARD = 600  # seconds: a timeout only a hung run reaches, never an assertion on speed
ROOT = Path(__file__).resolve().parent.parent
ENTRY = "from solver.entry import main; main()"


@pytest.mark.parametrize("made", [False, True])
def test_a_folder_that_takes_no_byte_refuses_the_solve_before_it_starts(
    tmp_path: Path, made: bool
) -> None:
    """A file size limit below the probe's few kilobytes (as a disk with no block left): an
    empty probe file passed, and the solve's plan was lost at its end. Now the probe's bytes
    fail, the refusal names the limit, nothing is solved or left behind. An output under
    folders still to be made: only the parent's permission was checked, so on a full disk the
    solve ran and lost its plan (a review); the nearest existing parent takes the probe."""
    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "new" / "sub" / "plan.xlsx" if made else tmp_path / "plan.xlsx"
    proc = _solve_with_tiny_files(src, out)
    assert proc.returncode == 2, proc.stderr
    assert "status:" not in proc.stdout  # refused before solving
    where = f"make folder {out.parent}: {tmp_path}" if made else f"write to folder {tmp_path}"
    assert proc.stderr.strip() == (
        f"error: cannot {where}: File too large (this process's file size limit, ulimit -f); "
        "raise the file size limit (ulimit -f) and run again"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx"]


def test_the_probe_writes_bytes_not_an_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe fails where a write of data fails, and leaves no file behind."""
    real_write = os.write
    sizes: list[int] = []

    def counted(fd: int, data: bytes | memoryview) -> int:
        sizes.append(len(data))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", counted)
    room.probe(tmp_path, "probe-")
    assert sum(sizes) == room.PROBE_BYTES and list(tmp_path.iterdir()) == []

    def full(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space left on device"):
        room.probe(tmp_path, "probe-")
    assert list(tmp_path.iterdir()) == []


def test_a_full_temporary_folder_refuses_a_workbook_output_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl writes each sheet to the temporary folder: a full one is refused with the
    output's other checks, naming the folder and TMPDIR; an HTML output does not need it."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    real_probe = room.probe

    def full_temp(folder: Path, prefix: str) -> None:
        if Path(folder) == temp:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_probe(folder, prefix)

    monkeypatch.setattr(room, "probe", full_temp)
    with pytest.raises(UsageError) as refused:
        check_writable(tmp_path / "plan.xlsx")
    assert str(refused.value) == (
        f"cannot write to the temporary folder {temp}: No space left on device (openpyxl "
        "writes each sheet of a workbook there first); free space there, or set TMPDIR to a "
        "folder with room"
    )
    check_writable(tmp_path / "briefing.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["temp"]


def test_no_usable_temporary_folder_is_said_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's tempfile finds no folder that takes its probe (every candidate full), and
    TMPDIR names none: one line with TMPDIR, not an internal error."""

    def none_usable() -> str:
        raise FileNotFoundError(errno.ENOENT, "No usable temporary directory found in ['/tmp']")

    monkeypatch.setattr(tempfile, "gettempdir", none_usable)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "gone"))
    with pytest.raises(UsageError) as refused:
        room.check_temp_folder()
    assert str(refused.value) == (
        "no usable temporary folder: No usable temporary directory found in ['/tmp'] "
        "(openpyxl writes each sheet of a workbook there first); free space in one, or set "
        "TMPDIR to a folder with room"
    )


@pytest.mark.parametrize(
    ("code", "temporary", "remedy"),
    [
        (errno.ENOSPC, True, "free space there, or set TMPDIR to a folder with room"),
        (errno.EDQUOT, False, "free space there, or write to another folder"),
        (errno.EFBIG, False, "raise the file size limit (ulimit -f) and run again"),
        (errno.EACCES, True, "set TMPDIR to a folder you can write to"),
    ],
)
def test_each_cause_has_its_own_remedy(code: int, temporary: bool, remedy: str) -> None:
    """Freeing space does not lift a file size limit, nor a permission."""
    assert room.no_room(OSError(code, os.strerror(code)), temporary)[1] == remedy


def test_no_usable_temporary_folder_names_the_reason_of_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's tempfile says only `No usable temporary directory found` (a review, under
    `ulimit -f 0`: the message said to free space): TMPDIR is probed for the reason."""

    def none_usable() -> str:
        raise FileNotFoundError(errno.ENOENT, "No usable temporary directory found in ['/t']")

    def too_large(folder: Path, prefix: str) -> None:
        raise OSError(errno.EFBIG, os.strerror(errno.EFBIG))

    monkeypatch.setattr(tempfile, "gettempdir", none_usable)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(room, "probe", too_large)
    with pytest.raises(UsageError) as refused:
        room.check_temp_folder()
    assert str(refused.value).startswith(
        f"cannot write to the temporary folder {tmp_path}: File too large (this process's file "
        "size limit, ulimit -f)"
    )


def test_a_probe_whose_close_fails_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NFS may say a disk is full only when the file is closed: the probe is removed then too."""
    real_close = os.close

    def full_at_close(fd: int) -> None:
        real_close(fd)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "close", full_at_close)
    with pytest.raises(OSError, match="No space left"):
        room.probe(tmp_path, "probe-")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_a_sweep_refuses_a_full_temporary_folder_before_its_scenarios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A local sweep's scratch folder and its workbooks' sheets go in the temporary folder:
    with none usable it was `internal error: FileNotFoundError`, exit 1 (a review); now the
    refusal `solve` gives, before any scenario."""
    from solver.sweep.scratch import held_scratch

    def full(folder: Path, prefix: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(room, "probe", full)
    refused = pytest.raises(UsageError, match="cannot write to the temporary folder")
    with refused, held_scratch():
        pytest.fail("the scratch folder was made")


def _solve_with_tiny_files(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`solve src -o out` in a process that may write files of 1 KiB at most (below the
    probe's PROBE_BYTES, as a disk with no block left)."""
    import resource

    def tiny_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    return subprocess.run(
        [sys.executable, "-c", ENTRY, "solve", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=tiny_files,
        cwd=ROOT,
        timeout=HANG_GUARD,
    )
