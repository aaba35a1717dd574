"""Sweep scaling: `forcegen sweep` over 100 scenarios on 1 and on 2 workers, and the speed-up.

    python -m bench.sweep_scaling [CONTRIBUTORS SITES CAPABILITIES] [SCENARIOS] [TIME_LIMIT]

Each scenario raises one requirement line by one unit (a different line each time) on a generated
case. The default size is the small generated case (solved to optimality); the medium case
(100 300 20) does not solve to optimality within minutes, so give it a time limit per scenario:
`python -m bench.sweep_scaling 100 300 20 100 5`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent


def with_scenarios(path: Path, count: int) -> None:
    wb = load_workbook(path)
    rq = wb["Requirements"]
    header = [c.value for c in rq[1]]
    site_col, cap_col, units_col = (header.index(k) for k in ("site", "capability", "units"))
    lines = [
        (r[site_col].value, r[cap_col].value, r[units_col].value) for r in rq.iter_rows(min_row=2)
    ]
    if "Scenarios" in wb.sheetnames:
        del wb["Scenarios"]
    ws = wb.create_sheet("Scenarios")
    ws.append(["scenario", "sheet", "key", "column", "value"])
    for i in range(count):
        site, cap, units = lines[i % len(lines)]
        ws.append(
            [
                f"s{i:03d}",
                "Requirements",
                f"{site}/{cap}",
                "units",
                int(units) + 1 + i // len(lines),
            ]
        )
    wb.save(path)


def main() -> None:
    args = [int(a) for a in sys.argv[1:]]
    c, s, k = args[:3] if len(args) >= 3 else (30, 40, 12)
    count = args[3] if len(args) >= 4 else 100
    limit = ["--time-limit", sys.argv[5]] if len(sys.argv) > 5 else []
    from solver.generate import generate_workbook

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep.xlsx"
        generate_workbook(path, contributors=c, sites=s, capabilities=k, seed=3)
        with_scenarios(path, count)
        seconds = {}
        for workers in (1, 2):
            out = Path(tmp) / f"w{workers}"
            t0 = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "from solver.cli import main; main()",
                    "sweep",
                    str(path),
                    "-o",
                    str(out),
                    "--workers",
                    str(workers),
                    "--threads",
                    "1",
                    "--backend",
                    "highs",
                    *limit,
                ],
                cwd=ROOT,
                check=False,
                capture_output=True,
                text=True,
            )
            seconds[workers] = time.perf_counter() - t0
            print(
                f"{count + 1} scenarios of {c}x{s}x{k} on {workers} worker(s)"
                f"{' with ' + ' '.join(limit) if limit else ''}: {seconds[workers]:.1f} s "
                f"(exit {done.returncode}; {done.stdout.strip().splitlines()[-1:]})",
                flush=True,
            )
        print(f"speed-up with 2 workers: {seconds[1] / seconds[2]:.2f}x")


if __name__ == "__main__":
    main()
