"""A sweep's temporary folder: removed at its end, and a killed sweep's removed by the next."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from solver.sweep import run_sweep

from .sweep_case import small_case


def _dead_pid() -> int:
    """The process id of a process that has ended (reaped: nothing answers to it now)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout)


def test_a_killed_sweeps_folder_is_removed_by_the_next_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder left by a sweep killed outright (its pid no longer runs, a copy of the workbook
    in it) goes when the next sweep starts; a live sweep's folder, a folder of another naming
    and a file of the sweep's naming stay, and the sweep leaves no folder of its own."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    killed = temp / f"forcegen-sweep-{_dead_pid()}-k1ll3d"
    (killed / "forcegen-sweep-x1").mkdir(parents=True)
    (killed / "forcegen-sweep-x1" / "case.xlsx").write_bytes(b"a copy of a workbook")
    live = temp / f"forcegen-sweep-{os.getppid()}-l1ve"  # pytest's parent runs
    other = temp / "forcegen-sweep-notapid"
    a_file = temp / f"forcegen-sweep-{_dead_pid()}-file"
    for folder in (live, other):
        folder.mkdir()
    a_file.write_bytes(b"")

    src = small_case(tmp_path / "case.xlsx")
    report = run_sweep(src, out_dir=tmp_path / "out", workers=1)
    assert report.exit_code == 0
    assert sorted(p.name for p in temp.iterdir()) == sorted([live.name, other.name, a_file.name])
