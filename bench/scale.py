"""Issue #15's benchmark: every stage within the time limit, at scale, against plain HiGHS.

    python -m bench.scale [--record]       # or: BENCH_PARTS=scale make bench
    python -m bench.scale --under-load     # the same plan on a loaded machine?
    BENCH_WORK=1 python -m bench.scale --under-load   # the same, with a work limit

For each case and time limit, two fresh processes, one after the other, each with one thread:
forcegen as `forcegen solve` runs it (bench/phases.py: `api.solve`, threads=1, the limit given)
and plain HiGHS on the textbook formulation (bench/plain.py: the same model, HiGHS's own MIP
stage by stage, each held by a row, no start, no heuristic). The table gives per stage the value
(planner's units), gap against the solver's bound, status and seconds of each, the best known
value, whether forcegen is within 1% of it, and which plan is lexicographically better. It is
written to outputs/bench-scale.md with the machine (and the runs as JSON beside it).

Opt-in: `make bench` runs it only when BENCH_PARTS names `scale` (all cases at 60 and 300 s is
about 2 x 6 x 360 s = 72 minutes). Environment:
  BENCH_CASES   comma list of case names (default: snap50,snap100,snap300,coalition_timed,
                timed40,timed50; `smoke` and `smoke_timed` are tiny cases for trying the harness)
  BENCH_LIMITS  comma list of time limits in seconds (default 60,300)
Generated cases: `solver.generate.generate_workbook`, seed 0, as `forcegen generate` makes them.

Best known values: bench/best_known.json, per case, per stage name in lexicographic order:
    {"snap100": {"shortfall.p1": {"value": 14.0, "source": "forcegen 300 s, 2026-11-30"},
                 "shortfall.p2": {"value": 260.0, "source": "forcegen 300 s, 2026-11-30"}, ...}}
Values in the planner's units, as the Summary's `objective.*` rows; all stages of an entry come
from one plan (a stage's value is only comparable when every earlier stage is equal). `--record`
replaces a case's entry with a run's stages (forcegen's or plain's, any limit) only when that
run's plan is lexicographically better: a better earlier stage wins, equal goes on to the next.

`--under-load`: the first case of BENCH_CASES (default snap50) at the first limit, solved by
forcegen twice: alone, then beside one `yes > /dev/null` per core (killed after); reports
whether the two plans' Summary `allocation_sha256` are equal (outputs/bench-scale-load.md).
With BENCH_WORK=1 the limit is a work limit (`--work-limit`, solve/clock.py) instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.run import ROOT, machine, phases
from bench.scale_table import FOOTNOTE, HEADER, case_rows, record, stage_rows

BEST_KNOWN = ROOT / "bench" / "best_known.json"
OUT = ROOT / "outputs" / "bench-scale.md"


@dataclass(frozen=True)
class Case:
    label: str
    size: tuple[int, int, int] = (0, 0, 0)  # contributors, sites, capabilities (generated)
    density: float = 0.3
    periods: int = 0  # timed: periods of `months` months each
    months: int = 1
    bundled: str = ""  # a workbook under inputs/ instead of a generated one

    def workbook(self, name: str, tmp: Path) -> Path:
        """The case's workbook: the bundled file, or generated (seed 0) into tmp."""
        if self.bundled:
            return ROOT / "inputs" / self.bundled
        from solver.generate import generate_workbook
        from solver.generate.timed import TimeOptions

        path = tmp / f"{name}.xlsx"
        if not path.exists():
            time_options = TimeOptions(self.periods, self.months, 6, 12) if self.periods else None
            generate_workbook(path, *self.size, seed=0, density=self.density, time=time_options)
        return path


CASES = {
    "snap50": Case("50x100x15", (50, 100, 15)),
    "snap100": Case("100x300x20", (100, 300, 20)),
    "snap300": Case("300x1000x30", (300, 1000, 30)),
    "coalition_timed": Case("coalition_timed (bundled)", bundled="coalition_timed.xlsx"),
    "timed40": Case("40x40x20, 36 months", (40, 40, 20), periods=36),
    "timed50": Case("50x100x30, 12 quarters", (50, 100, 30), 0.15, periods=12, months=3),
    # tiny cases to try the harness with (not in the default list)
    "smoke": Case("smoke 8x10x4", (8, 10, 4)),
    "smoke_timed": Case("smoke 6x6x3, 6 months", (6, 6, 3), periods=6),
}
DEFAULT_CASES = "snap50,snap100,snap300,coalition_timed,timed40,timed50"


def run_forcegen(path: Path, limit: float, work: bool = False) -> dict[str, Any]:
    """forcegen in a fresh process (bench/phases.py), one thread; {"error": ...} on failure.
    `work`: the limit is in work units (solve/clock.py), not seconds."""
    try:
        return phases("forcegen", str(path), "highs", str(limit), *(["--work"] if work else []))
    except subprocess.CalledProcessError as e:
        return {"error": _last_line(e.stderr, e.returncode)}


def run_plain(path: Path, limit: float) -> dict[str, Any]:
    """Plain HiGHS in a fresh process (bench/plain.py); {"error": ...} on failure."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.plain", str(path), str(limit)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        return {"error": _last_line(out.stderr, out.returncode)}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _last_line(stderr: str | None, code: int) -> str:
    """What a failed process said last (a traceback's last line names the error)."""
    said = (stderr or "").strip().splitlines()
    return said[-1] if said else f"exit {code}"


def bench_scale(
    names: list[str], limits: list[float], tmp: Path, known: dict[str, Any] | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """The table's lines and the runs; with `known`, record better plans in it (see --record)."""
    best = known if known is not None else load_best_known()
    lines, runs = list(HEADER), []
    day = time.strftime("%Y-%m-%d")
    for name in names:
        case = CASES[name]
        path = case.workbook(name, tmp)
        for limit in limits:
            forcegen, plain = run_forcegen(path, limit), run_plain(path, limit)
            runs.append({"case": name, "limit": limit, "forcegen": forcegen, "plain": plain})
            if known is not None:
                for who, run in (("forcegen", forcegen), ("plain HiGHS", plain)):
                    record(known, name, stage_rows(run), f"{who} {limit:g} s, {day}")
            rows = case_rows(name, case.label, limit, forcegen, plain, best)
            print("\n".join(rows), flush=True)
            lines += rows
    return [*lines, "", FOOTNOTE], runs


def load_best_known() -> dict[str, Any]:
    return dict(json.loads(BEST_KNOWN.read_text())) if BEST_KNOWN.exists() else {}


def save_best_known(known: dict[str, Any]) -> None:
    BEST_KNOWN.write_text(json.dumps(known, indent=2) + "\n")


def under_load(name: str, limit: float, tmp: Path, work: bool = False) -> list[str]:
    """The case solved by forcegen alone and then beside a CPU hog per core: same plan?
    `work`: with the limit in work units (BENCH_WORK=1) instead of seconds."""
    path = CASES[name].workbook(name, tmp)
    alone = run_forcegen(path, limit, work)
    hogs = [
        subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(os.cpu_count() or 1)
    ]
    try:
        loaded = run_forcegen(path, limit, work)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    digests = [run.get("allocation_sha256") for run in (alone, loaded)]
    same = digests[0] is not None and digests[0] == digests[1]
    stages = ["; ".join(f"{r.name} {r.value}" for r in stage_rows(run)) for run in (alone, loaded)]
    seconds = [run.get("total", 0.0) for run in (alone, loaded)]
    unit = "work units" if work else "s"
    return [
        "| case | limit | alone: stages (seconds) | loaded: stages (seconds) | same "
        "allocation_sha256 |",
        "|---|---|---|---|---|",
        f"| {CASES[name].label} | {limit:g} {unit} | {stages[0]} ({seconds[0]:.1f}) | "
        f"{stages[1]} ({seconds[1]:.1f}) | {'yes' if same else 'no'} |",
    ]


def env_cases() -> list[str]:
    names = [n.strip() for n in os.environ.get("BENCH_CASES", DEFAULT_CASES).split(",")]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        raise SystemExit(f"unknown BENCH_CASES {unknown}; known: {', '.join(CASES)}")
    return names


def env_limits() -> list[float]:
    return [float(v) for v in os.environ.get("BENCH_LIMITS", "60,300").split(",")]


def write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join([f"machine: {machine()}", "", *lines, ""]))
    print(f"written: {path}")


def main(argv: list[str]) -> None:
    names, limits = env_cases(), env_limits()
    with tempfile.TemporaryDirectory() as tmp:
        if "--under-load" in argv:
            work = os.environ.get("BENCH_WORK", "") == "1"
            lines = under_load(names[0], limits[0], Path(tmp), work)
            write(OUT.with_name("bench-scale-load.md"), lines)
            return
        known = load_best_known() if "--record" in argv else None
        lines, runs = bench_scale(names, limits, Path(tmp), known)
    if known is not None:
        save_best_known(known)
    write(OUT, lines)
    OUT.with_suffix(".json").write_text(json.dumps(runs, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
