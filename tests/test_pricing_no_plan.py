"""A base that found no plan within its limit (`no_solution`) has nothing to price against:
every rule is `not priced`, and no caveat is said binding or not (a prices trial: every rule
read `costs nothing in this plan` beside blank stages, and a no_weakening binding in every
plan read `no`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.explain.pricing import NOT_PRICED_NO_PLAN, price_caveats, pricing_note
from solver.results.tables import caveats_table

from .workbooks import simple_case


def test_a_base_without_a_plan_prices_nothing_and_judges_no_caveat(tmp_path: Path) -> None:
    """S1 needs 1 INF; A pledges 1 under K1 (max_units 1), B 1. Solved, then read as a solve
    that found no plan (its column values gone, status no_solution): no re-solve runs, both
    rules (K1 and the hard line) say why they are not priced, and K1's binding is blank."""
    path = simple_case(
        tmp_path / "c.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "hard": "yes"}],
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1}],
    )
    result = api.solve(path)
    result.outcome.x, result.outcome.status = None, "no_solution"

    def resolve(*_: object) -> None:
        pytest.fail("a rule was re-solved against a base without a plan")

    table = price_caveats(result, resolve)  # type: ignore[arg-type]
    assert table["status"].tolist() == [NOT_PRICED_NO_PLAN] * 2
    assert table["rule"].tolist() == ["caveat K1", "hard S1/INF"]
    assert pricing_note(table, "no_solution") == (
        "base has no plan: 0 of 2 rules priced, 2 not priced (see CaveatPrices)"
    )
    assert caveats_table(result.ctx, None)["binding"].tolist() == [""]
