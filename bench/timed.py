"""Timed cases for `make bench` (issue #13): the bundled timed example and generated timed cases,
each solved once in a fresh process with the default settings, phases against the floor.

    BENCH_PARTS=timed make bench        # or: .venv/bin/python -m bench.timed

Targets: the example with every stage optimal within 15 s end to end; the generated cases
40 x 40 x 20 over 36 monthly periods and 50 x 100 x 30 over 12 quarters with a valid plan within
the time limit, the stage reached and its gap reported.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench.run import ROOT, machine, phases

# (label, contributors, sites, capabilities, periods, months per period, density)
GENERATED = [
    ("40x40x20, 36 months", 40, 40, 20, 36, 1, 0.3),
    ("50x100x30, 12 quarters", 50, 100, 30, 12, 3, 0.15),
]
HEADER = [
    "| case | columns (integer) | rows | read (floor) | build | handoff (floor) | heuristic | solve | "
    "tables | write (floor) | total | stages (status, value, gap) | status |",
    "|---" * 13 + "|",
]


def row(label: str, path: Path, limit: float, tmp: Path) -> str:
    out = tmp / f"{path.stem}-out.xlsx"
    run = phases("forcegen", str(path), "highs", str(limit), "--keep", str(out))
    floor = phases("floor", str(path), str(out))
    size = run["size"]
    stages = "; ".join(
        f"{name} {status} {value if value is None else f'{value:g}'}"
        + ("" if gap is None else f" ({100 * gap:.1f}%)")
        for name, status, value, gap, _ in run["stage_runs"]
    )
    return (
        f"| {label} | {size['variables']:,} ({size['integer_variables'] + size['binary_variables']:,})"
        f" | {size['constraints']:,} | {run['read']:.2f} ({floor['read']:.2f}) | {run['build']:.2f}"
        f" | {run['handoff']:.3f} ({floor['handoff']:.3f}) | {run.get('heuristic', 0):.2f}"
        f" | {run.get('solve', 0):.1f} | {run.get('tables', 0):.2f}"
        f" | {run['write']:.2f} ({floor['write']:.2f}) | {run['total']:.1f} | {stages}"
        f" | {run['status']} |"
    )


def bench_timed(limit: float | None, tmp: Path) -> list[str]:
    from solver import api
    from solver.generate import generate_workbook
    from solver.generate.timed import TimeOptions

    lines = list(HEADER)
    example = ROOT / "inputs" / "coalition_timed.xlsx"
    own = float(api.read(example).settings.get("time_limit", 60.0))
    lines.append(row("coalition_timed (bundled)", example, limit or own, tmp))
    print(lines[-1], flush=True)
    for label, c, s, k, periods, months, density in GENERATED:
        path = tmp / f"timed-{c}x{s}x{k}.xlsx"
        generate_workbook(
            path, c, s, k, seed=1, density=density, time=TimeOptions(periods, months, 6, 12)
        )
        lines.append(row(label, path, limit or 60.0, tmp))
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    limit = os.environ.get("BENCH_TIME_LIMIT")
    with tempfile.TemporaryDirectory() as tmp:
        lines = bench_timed(float(limit) if limit else None, Path(tmp))
    out = ROOT / "outputs" / "bench-timed.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join([f"machine: {machine()}", "", *lines, ""]))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
