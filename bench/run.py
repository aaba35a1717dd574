"""`make bench`: forcegen's phases against the floor, on generated cases and GAP instances.

Prints medians per phase, ratios to the floor and peak memory, and writes the tables to
outputs/bench.md (with the machine they came from). Sizes: BENCH_SIZES=small,medium,large,xlarge
(default small,medium); BENCH_REPEAT (default 3); BENCH_TIME_LIMIT (default 60);
BENCH_PARTS=generated,variants,gap,timed,scale (default the first four; timed: bench/timed.py;
scale, issue #15's table against plain HiGHS and the best known values, is opt-in: about 72
minutes at its default cases and limits; bench/scale.py, BENCH_CASES and BENCH_LIMITS).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"small": (30, 40, 12), "medium": (100, 300, 20), "large": (300, 1000, 30)}
# density per size (default 0.3); "xlarge" is the large shape at ~2.9M columns, the size of
# ../shared/research/performance.md's large case
SIZES["xlarge"] = SIZES["large"]
DENSITY = {"xlarge": 0.55}
PHASES = ("read", "build", "handoff", "heuristic", "solve", "write")


def phases(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.phases", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def median(runs: list[dict], key: str) -> float:
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else 0.0


MODELLING = ("read", "build", "handoff", "tables", "write")  # the issue's "modelling overhead"


def bench_generated(sizes: list[str], repeat: int, limit: float, tmp: Path) -> list[str]:
    from solver.generate import generate_workbook

    lines = [
        "| case | columns | rows | backend | read (floor) | build | handoff (floor) | tables | "
        "write (floor) | modelling overhead | floor | ratio | heuristic | gaps | solve | "
        "peak MiB before solve (floor) | peak MiB with solve | status |",
        "|---" * 18 + "|",
    ]
    for name in sizes:
        c, s, k = SIZES[name]
        path = tmp / f"{name}.xlsx"
        out = tmp / f"{name}-out.xlsx"
        generate_workbook(
            path, contributors=c, sites=s, capabilities=k, seed=1, density=DENSITY.get(name, 0.3)
        )
        floor: list[dict] = []
        for backend in ("highs", "pyomo"):
            if backend == "pyomo" and name in ("large", "xlarge"):
                continue  # measured in docs/pyomo-routes.md; minutes per run at this size
            runs = [
                phases("forcegen", str(path), backend, str(limit), "--keep", str(out))
                for _ in range(repeat)
            ]
            if not floor:
                floor = [phases("floor", str(path), str(out)) for _ in range(repeat)]
            size = runs[0]["size"]
            m = {p: median(runs, p) for p in (*PHASES, "tables", "gaps")}
            f = {p: median(floor, p) for p in ("read", "handoff", "write")}
            overhead = sum(m[p] for p in MODELLING)
            f_total = sum(f.values())
            lines.append(
                f"| {name} {c}x{s}x{k} | {size['variables']:,} | {size['constraints']:,} | "
                f"{backend} | {m['read']:.2f} ({f['read']:.2f}) | {m['build']:.2f} | "
                f"{m['handoff']:.3f} ({f['handoff']:.3f}) | {m['tables']:.2f} | "
                f"{m['write']:.2f} ({f['write']:.2f}) | {overhead:.2f} | {f_total:.2f} | "
                f"{overhead / max(f_total, 1e-9):.1f}x | {m['heuristic']:.2f} | {m['gaps']:.2f} | "
                f"{m['solve']:.1f} | {median(runs, 'peak_before_solve_mib'):.0f} "
                f"({median(floor, 'peak_mib'):.0f}) | {median(runs, 'peak_mib'):.0f} | "
                f"{runs[0]['status']}, gap {runs[0]['mip_gap']} |"
            )
            print(lines[-1], flush=True)
    return lines


def bench_heuristic(limit: float, tmp: Path) -> list[str]:
    """Within the time limit: with and without the construction heuristic, and the aggregated
    presence link against the textbook one (a row per allocation)."""
    lines = [
        "| case | variant | status | stage values | gap | rows | solve s |",
        "|---|---|---|---|---|---|---|",
    ]
    path = tmp / "medium.xlsx"
    variants = {
        "per-allocation links + heuristic (default)": [],
        "per-allocation links, no heuristic": ["--no-heuristic"],
        "aggregated links + heuristic": ["--aggregated"],
        "aggregated links, no heuristic": ["--aggregated", "--no-heuristic"],
    }
    for label, flags in variants.items():
        run = phases("forcegen", str(path), "highs", str(limit), *flags)
        stages = ", ".join(
            f"{k.removeprefix('objective.')} {v:g}" for k, v in run["stages"].items()
        )
        lines.append(
            f"| medium | {label} | {run['status']} | {stages} | {run['mip_gap']} | "
            f"{run['size']['constraints']:,} | {run.get('solve', 0):.1f} |"
        )
        print(lines[-1], flush=True)
    return lines


def bench_gap(limit: float, tmp: Path) -> list[str]:
    from bench.gap import SHARED, optima, parse, write_gap_workbook

    if not SHARED.exists():
        return ["(../shared/benchmarks/gap not present)"]
    known = optima()
    picks = [
        ("orlib/gap12.txt", True, 1),
        ("orlib/gapa.txt", True, 1),
        ("orlib/gapc.txt", True, 3),
        ("orlib/gapd.txt", True, 3),
        ("yagiura/e10100", False, 1),
    ]
    lines = [
        "| instance | m x n | published | forcegen cost | reached | status | gap | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for file, multi, index in picks:
        inst = parse(SHARED / file, multi=multi)[index - 1]
        path = write_gap_workbook(inst, tmp / f"{inst.name}.xlsx", time_limit=limit)
        run = phases("forcegen", str(path), "highs", str(limit))
        best, _ = known.get((file, index), (float("nan"), False))
        cost = run["stages"].get("objective.cost")
        reached = "yes" if cost is not None and abs(cost - best) < 1e-6 else "no"
        m, n = inst.shape
        lines.append(
            f"| {file}#{index} | {m}x{n} | {best:g} | {cost:g} | {reached} | "
            f"{run['status']} | {run['mip_gap']} | {run.get('solve', 0):.1f} |"
        )
        print(lines[-1], flush=True)
    return lines


def machine() -> str:

    from importlib.metadata import version

    import pyomo

    return (
        f"{platform.node() and 'this project machine'}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Pyomo {pyomo.__version__}, "
        f"highspy {version('highspy')}, {time.strftime('%Y-%m-%d')}"
    )


def _scale(tmp: Path) -> list[str]:
    """bench/scale.py's table, also written to outputs/bench-scale.md."""
    from bench.scale import OUT, bench_scale, env_cases, env_limits, write

    lines, _ = bench_scale(env_cases(), env_limits(), tmp)
    write(OUT, lines)
    return lines


def main() -> None:
    sizes = os.environ.get("BENCH_SIZES", "small,medium").split(",")
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    limit = float(os.environ.get("BENCH_TIME_LIMIT", "60"))
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        print(f"machine: {machine()}")
        parts = os.environ.get("BENCH_PARTS", "generated,variants,gap,timed").split(",")
        gen = bench_generated(sizes, repeat, limit, tmpdir) if "generated" in parts else []
        if "variants" in parts and "medium" in sizes:
            if not (tmpdir / "medium.xlsx").exists():
                from solver.generate import generate_workbook

                c, s, k = SIZES["medium"]
                generate_workbook(
                    tmpdir / "medium.xlsx", contributors=c, sites=s, capabilities=k, seed=1
                )
            heur = bench_heuristic(limit, tmpdir)
        else:
            heur = []
        gap = bench_gap(limit, tmpdir) if "gap" in parts else []
        if "timed" in parts:
            from bench.timed import bench_timed

            timed = bench_timed(
                float(os.environ["BENCH_TIME_LIMIT"]) if "BENCH_TIME_LIMIT" in os.environ else None,
                tmpdir,
            )
        else:
            timed = []
        scale = _scale(tmpdir) if "scale" in parts else []
    out = ROOT / "outputs" / "bench.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        "\n".join(
            [f"machine: {machine()}", "", *gen, "", *heur, "", *gap, "", *timed, "", *scale, ""]
        )
    )
    print(f"written: {out}")


if __name__ == "__main__":
    main()
