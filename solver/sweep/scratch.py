"""A local sweep's temporary folder: each worker writes its scenario's workbook there, and the
sweep removes it at its end, whatever ended it (an error, Ctrl-C, SIGTERM).

A sweep killed outright (SIGKILL, the out-of-memory killer, a power cut) cannot remove its
folder; its name carries the sweep's process id (`forcegen-sweep-<pid>-<random>`), so the next
sweep on the machine removes the folders of sweeps that no longer run (as an output's stale
temporary files are removed, results/safe_write.py). Before, every killed sweep left copies of
its workbook in the temporary folder for good.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..results.safe_write import is_alive

SCRATCH = "forcegen-sweep-"  # the prefix of the sweep's temporary folder
_OWNED = re.compile(re.escape(SCRATCH) + r"(\d+)-[^-]+$")


@contextlib.contextmanager
def scratch(local: bool) -> Iterator[str | None]:
    """The sweep's temporary folder for a local run (None for a remote, Dask, one: its workers
    use their own machine's), with the stale folders of killed sweeps removed first."""
    if not local:
        yield None
        return
    remove_stale_scratch()
    folder = tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale_scratch() -> list[Path]:
    """Remove the temporary folders of sweeps that no longer run: named as a sweep's, this
    user's, and whose process id is not alive. Others' and live sweeps' are left alone."""
    root = Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        match = _OWNED.match(entry.name)
        if not match or is_alive(int(match.group(1))):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed
