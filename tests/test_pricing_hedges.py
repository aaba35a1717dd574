"""--price-caveats: the hedges on a price a search may have made (solver/explain/pricing.py): a
re-solve cut short, a least price where the re-solve did not prove the stage priced."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_pricing import priced
from .workbooks import simple_case


def test_a_re_solve_cut_short_says_its_later_losses_may_be_the_search_s() -> None:
    """A price at priority 1 (65) whose re-solve its limit stopped (`feasible`) with priorities
    2 and 3 worse than base (-1,126, -460) and cost better: the losses are named as the
    unfinished search's; a proven re-solve, or one no worse after the priced stage, says
    nothing more."""
    from solver.explain.pricing import _cut_short

    stages = ["objective.shortfall.p1", "objective.shortfall.p2", "objective.shortfall.p3"]
    stages.append("objective.cost")
    row = {
        "status": "feasible",
        "costs.shortfall.p1": 65.0,
        "costs.shortfall.p2": -1126.0,
        "costs.shortfall.p3": -460.0,
        "costs.cost": 1e6,
    }
    assert _cut_short(row, stages) == (
        "; the re-solve was cut short (feasible): what it lost at shortfall.p2, shortfall.p3 "
        "may be the search's, not the rule's"
    )
    assert _cut_short({**row, "status": "optimal"}, stages) == ""
    assert _cut_short({**row, "costs.shortfall.p2": 0.0, "costs.shortfall.p3": 3.0}, stages) == ""
    # priced at cost (its first gain): the losses before it are the cut-short search's too
    assert _cut_short({**row, "costs.shortfall.p1": 0.0}, stages) == (
        "; the re-solve was cut short (feasible): what it lost at shortfall.p2, shortfall.p3 "
        "may be the search's, not the rule's"
    )


def test_a_price_on_a_stage_its_re_solve_did_not_prove_is_a_least_price(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The re-solve without CAPB (B may deploy 1 of 2) made to report its priority 1 not
    proven: its plan is no better than the best without the rule, so CAPB costs at least what
    it shows (an analyst trial: C8 priced 43 weighted priority-1 unit-months, 72 by a solve
    without it run to its proof); proven, it costs exactly that, as before."""
    import dataclasses

    from solver.explain import pricing_inplace

    path = simple_case(
        tmp_path / "p.xlsx",
        caveats=[{"id": "CAPB", "contributor": "B", "caveat": "max_units", "value": 1}],
    )
    exact = priced(path).loc["caveat CAPB", "summary"]
    assert exact.startswith("caveat CAPB costs 1 weighted priority-1 unit")
    real = pricing_inplace.InPlacePricer.solve

    def unproven(self, caveat_ids, soften, start):  # type: ignore[no-untyped-def]
        found = real(self, caveat_ids, soften, start)
        return dataclasses.replace(found, unproven=frozenset({"shortfall.p1"}))

    monkeypatch.setattr(pricing_inplace.InPlacePricer, "solve", unproven)
    least = priced(path).loc["caveat CAPB", "summary"]
    assert least.startswith("caveat CAPB costs at least 1 weighted priority-1 unit")
    assert least.endswith(
        "; the re-solve's shortfall.p1 is not proven optimal: a longer search may find it dearer"
    )


def test_no_least_price_against_a_base_not_proven_and_one_before_the_stage_priced() -> None:
    """`costs at least` only where base proved every stage up to the priced one: against a base
    not proven there, its own hedge says the price may be the search's, and there is no
    bound either way (a review: both said at once, contradicting each other). A re-solve that
    did not prove a stage before the priced one makes a least price too (a longer search may
    find the rule dearer there)."""
    from solver.explain.pricing import _at_least

    stages = ["objective.shortfall.p1", "objective.shortfall.p2", "objective.cost"]
    row = {
        "rule": "caveat C7",
        "summary": "caveat C7 costs 3 weighted priority-2 unit-months",
        "costs.shortfall.p1": 0.0,
        "costs.shortfall.p2": 3.0,
        "costs.cost": -5.0,
    }
    assert _at_least(row, stages, frozenset({"shortfall.p2"}), frozenset()) == (
        "caveat C7 costs at least 3 weighted priority-2 unit-months; the re-solve's "
        "shortfall.p2 is not proven optimal: a longer search may find it dearer"
    )
    # an earlier stage not proven by the re-solve: a least price as well
    assert _at_least(row, stages, frozenset({"shortfall.p1"}), frozenset()).startswith(
        "caveat C7 costs at least 3"
    )
    # base not proven up to the priced stage: no bound
    assert (
        _at_least(row, stages, frozenset({"shortfall.p2"}), frozenset({"shortfall.p1"}))
        == (row["summary"])
    )
    # only a later stage open: exact
    assert _at_least(row, stages, frozenset({"cost"}), frozenset()) == row["summary"]
