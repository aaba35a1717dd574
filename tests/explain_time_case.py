"""The timed worlds of the explanation tests in time (tests/test_explain_time*.py,
tests/test_infeasible_time.py): solved, and their Gaps rows and Sustainability reasons read
back."""

from __future__ import annotations

from pathlib import Path

from solver import api
from solver.explain.sustain import gaps_and_reasons

from .time_cases import timed_case

Row = tuple[str, str, str, int, int, int, str, int, int, str]


def solved(tmp_path: Path, **sheets: object) -> api.Result:
    result = api.solve(timed_case(tmp_path / "case.xlsx", **sheets), time_limit=60)
    assert result.status == "optimal", result.status
    return result


def gaps(result: api.Result) -> list[Row]:
    """The Gaps rows without `priority`: site, capability, period, required, allocated,
    shortfall, contributor, pledged, spare, reason."""
    table = result.tables.extra["Gaps"].drop(columns=["priority"])
    return [tuple(r) for r in table.itertuples(index=False)]  # type: ignore[misc]


def reasons(result: api.Result) -> dict[tuple[str, str], str]:
    ctx, x = result.ctx, result.outcome.x
    assert ctx.x is not None and x is not None
    return gaps_and_reasons(ctx, x[ctx.x["col"].to_numpy()], x[ctx.x["arrive"].to_numpy()])[1]
