"""The tiny timed world of the `verify` tests on timed plans (test_verify_time*.py).

The input, unless a test says otherwise, is simple_case in time: contributors A (at S1's place)
and B (at S2's), capability INF (category ground, 100 people a unit), sites S1 (country X, zone
front) and S2 (country Y, zone rear), each requiring 2 INF at priority 1; A and B pledge 2 INF at
cost 1 a unit. Periods P1 (1 month), P2 (1), P3 (2 months), P4 (1): m = 0, 1, 2, 4; M = 5.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from solver.cli import main
from solver.verify import verify_file

from .verify_outputs import write_plan
from .workbooks import simple_case

PERIODS = [{"period": "P1"}, {"period": "P2"}, {"period": "P3", "months": 2}, {"period": "P4"}]
Tour = tuple[Any, ...]
_plans = itertools.count(1)


def timed(tmp_path: Path, **sheets: Any) -> Path:
    sheets.setdefault("periods", PERIODS)
    return simple_case(tmp_path / "timed.xlsx", **sheets)


def pledges(a: int = 2, b: int = 2, **a_fields: Any) -> list[dict[str, Any]]:
    return [
        {"contributor": "A", "capability": "INF", "units": a, "cost_per_unit": 1, **a_fields},
        {"contributor": "B", "capability": "INF", "units": b, "cost_per_unit": 1},
    ]


def caveat(kind: str, **fields: Any) -> list[dict[str, Any]]:
    return [{"id": "K1", "contributor": "A", "caveat": kind, **fields}]


def plan(tmp_path: Path, tours: list[Tour] | None, **kw: Any) -> Path:
    return write_plan(tmp_path / f"plan{next(_plans)}.xlsx", tours, **kw)


def found(tmp_path: Path, tours: list[Tour], **sheets: Any) -> list[str]:
    """The violation messages of `tours` against the timed input with `sheets`."""
    report = verify_file(timed(tmp_path, **sheets), plan(tmp_path, tours))
    return [v.message for v in report.violations]


def both(tmp_path: Path, good: list[Tour], bad: list[Tour], **sheets: Any) -> list[str]:
    """`good` holds; the messages of `bad`."""
    assert found(tmp_path, good, **sheets) == []
    return found(tmp_path, bad, **sheets)


def run(*args: object) -> Result:
    return CliRunner().invoke(main, ["verify", *map(str, args)])
