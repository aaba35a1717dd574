"""Generalized Assignment Problem instances as forcegen workbooks (for tests and benchmarks).

Mapping (see ../shared/benchmarks/gap/README.md; the tests' instances: tests/data/gap/): agent i -> contributor A<i> with a
`max_personnel` caveat of value b_i; job j -> capability J<j> and site S<j> with a hard
requirement of 1 unit; cost c_ij and resource a_ij -> pledge (A<i>, J<j>) of 1 unit with
`cost_per_unit` c_ij and `personnel_per_unit` a_ij. The GAP optimum is the `cost` stage.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

SHARED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "gap"
# the few small instances the tests solve, committed with them (see its README.md)
TEST_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "gap"


@dataclass(frozen=True)
class GapInstance:
    name: str
    cost: list[list[int]]  # m x n
    resource: list[list[int]]  # m x n
    capacity: list[int]  # m

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.capacity), len(self.cost[0])


def parse(path: Path, *, multi: bool) -> list[GapInstance]:
    """OR-Library layout: [P] then P blocks of `m n`, m x n costs, m x n resources, m capacities."""
    tokens = [int(t) for t in path.read_text().split()]
    pos = 0

    def take(k: int) -> list[int]:
        nonlocal pos
        out = tokens[pos : pos + k]
        pos += k
        return out

    count = take(1)[0] if multi else 1
    instances = []
    for index in range(1, count + 1):
        m, n = take(2)
        cost = [take(n) for _ in range(m)]
        resource = [take(n) for _ in range(m)]
        capacity = take(m)
        instances.append(GapInstance(f"{path.stem}-{index}", cost, resource, capacity))
    return instances


def write_gap_workbook(inst: GapInstance, path: Path, time_limit: float = 60) -> Path:
    m, n = inst.shape
    wb = Workbook(write_only=True)
    sheets = {
        "Contributors": [["contributor"], *[[f"A{i + 1}"] for i in range(m)]],
        "Capabilities": [["capability"], *[[f"J{j + 1}"] for j in range(n)]],
        "Sites": [["site"], *[[f"S{j + 1}"] for j in range(n)]],
        "Requirements": [
            ["site", "capability", "units", "hard"],
            *[[f"S{j + 1}", f"J{j + 1}", 1, "yes"] for j in range(n)],
        ],
        "Pledges": [
            ["contributor", "capability", "units", "personnel_per_unit", "cost_per_unit"],
            *[
                [f"A{i + 1}", f"J{j + 1}", 1, inst.resource[i][j], inst.cost[i][j]]
                for i in range(m)
                for j in range(n)
            ],
        ],
        "Caveats": [
            ["id", "contributor", "caveat", "value"],
            *[[f"CAP{i + 1}", f"A{i + 1}", "max_personnel", inst.capacity[i]] for i in range(m)],
        ],
        "Settings": [
            ["setting", "value"],
            ["time_limit", time_limit],
            ["mip_gap", 0],
            ["threads", 1],
        ],
    }
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def optima(sense: str = "min", root: Path = SHARED) -> dict[tuple[str, int], tuple[float, bool]]:
    """(file, problem index) -> (optimum or best known, proven), from `root`/optima.csv."""
    out = {}
    with (root / "optima.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["sense"] == sense:
                proven = row["is_proven_optimal"].startswith("yes")
                out[(row["file"], int(row["problem_index"]))] = (
                    float(row["optimum_or_best_known"]),
                    proven,
                )
    return out
