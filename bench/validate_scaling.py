"""Validation scaling: `forcegen validate` on a generated case with many scenarios.

    python -m bench.validate_scaling [SCENARIOS ...]

Each scenario raises one requirement line by one unit (a different line each time, as in
`bench.sweep_scaling`) on the small generated case (30x40x12, seed 3). Prints the wall seconds
of one `forcegen validate` process per count (default: 1,000 and 5,000).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .sweep_scaling import ROOT, with_scenarios


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [1000, 5000]
    from solver.generate import generate_workbook

    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            path = Path(tmp) / f"scenarios-{count}.xlsx"
            generate_workbook(path, contributors=30, sites=40, capabilities=12, seed=3)
            with_scenarios(path, count)
            t0 = time.perf_counter()
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
            )
            seconds = time.perf_counter() - t0
            print(
                f"validate, {count} scenarios of 30x40x12: {seconds:.1f} s (exit {done.returncode})",
                flush=True,
            )


if __name__ == "__main__":
    main()
