"""Validation scaling: `forcegen validate` on a generated case with many scenarios.

    python -m bench.validate_scaling [SCENARIOS ...]

Each scenario raises one requirement line by one unit (a different line each time, as in
`bench.sweep_scaling`) on the small generated case (30x40x12, seed 3). Prints the wall seconds
of one `forcegen validate` process per count (default: 1,000 and 5,000), and its CPU seconds (user +
system), which vary far less than wall seconds on a shared machine. A count given as
COUNT:SECONDS stops that run after SECONDS of wall time.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .sweep_scaling import ROOT, with_scenarios


def main() -> None:
    runs = [a.split(":") for a in sys.argv[1:]] or [["1000"], ["5000"]]
    from solver.generate import generate_workbook

    with tempfile.TemporaryDirectory() as tmp:
        for run in runs:
            count, limit = int(run[0]), float(run[1]) if len(run) > 1 else None
            path = Path(tmp) / f"scenarios-{count}.xlsx"
            generate_workbook(path, contributors=30, sites=40, capabilities=12, seed=3)
            with_scenarios(path, count)
            cpu0 = _children_cpu()
            t0 = time.perf_counter()
            try:
                done = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        "from solver.cli import main; main()",
                        "validate",
                        str(path),
                    ],
                    cwd=ROOT,
                    check=False,
                    capture_output=True,
                    text=True,
                    timeout=limit,
                )
                outcome = f"exit {done.returncode}"
            except subprocess.TimeoutExpired:
                outcome = f"stopped after {limit:.0f} s"
            seconds, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
            print(
                f"validate, {count} scenarios of 30x40x12: {seconds:.1f} s wall, {cpu:.1f} s CPU "
                f"({outcome})",
                flush=True,
            )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
