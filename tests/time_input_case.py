"""The timed workbooks and readers of the data layer's tests (tests/test_time_*input*.py,
tests/test_time_periods.py): simple_case with five periods P1..P5."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.errors import InputError

from .idle_warnings import without_idle
from .workbooks import simple_case

FIVE = [{"period": f"P{i}"} for i in range(1, 6)]


def timed(tmp_path: Path, **sheets) -> Path:
    """simple_case (A, B pledge 2 INF each; S1, S2 require 2 INF each) with periods."""
    sheets.setdefault("periods", FIVE)
    return simple_case(tmp_path / "timed.xlsx", **sheets)


def read(path: Path, scenario: str = "base"):
    return api.read(path, scenario, allow_timed=True)


def problems(path: Path, scenario: str = "base") -> list[str]:
    with pytest.raises(InputError) as info:
        read(path, scenario)
    return [str(e) for e in info.value.errors]


def warnings(path: Path) -> list[str]:
    return without_idle(str(w) for w in read(path).warnings)
