"""A `min_contingent` in a conflict with the line's cap it needs: the model built to explain no
longer removes an option whose bound min(pledged, required) is below the minimum, since that
bound is two rules of their own (an infeasibility trial: B's 2 units were said `kept out by MC`
at a line needing 1, and the conflict named held without the line's cap).
"""

from __future__ import annotations

from pathlib import Path

from solver import api

from .time_cases import months, timed_case
from .workbooks import simple_case


def hard(site: str, units: int, **extra: object) -> dict:
    return {
        "site": site,
        "capability": "INF",
        "units": units,
        "priority": 1,
        "hard": "yes",
        **extra,
    }


def pledge(contributor: str, units: int) -> dict:
    return {"contributor": contributor, "capability": "INF", "units": units, "cost_per_unit": 1}


MC_B = {"id": "MC", "contributor": "B", "caveat": "min_contingent", "value": 2}


def test_a_contingent_too_large_for_a_line_names_the_line_s_cap(tmp_path: Path) -> None:
    """S1 needs 3 INF, hard and single-source; S2 needs 1, hard. A pledges 3, B 2 under MC
    (B's contingents are 0 or at least 2). Only A can fill S1 alone (3 units), so S2 needs
    B, whose 2 units do not fit a line of 1: the conflict is S1's single source and floor,
    S2's floor and cap, MC and the pledges. Without S2's cap B's 2 would serve it (the trial's
    own model), so the cap is named; and S2 raised to 2 gives a plan."""
    sheets: dict = {
        "pledges": [pledge("A", 3), pledge("B", 2)],
        "caveats": [MC_B],
    }
    lines = [hard("S1", 3, single_source="yes"), hard("S2", 1)]
    result = api.solve(simple_case(tmp_path / "c.xlsx", requirements=lines, **sheets))
    assert result.status == "infeasible" and result.conflict is not None
    rules = [rid for rid, _ in result.conflict.rules]
    assert "requirement_limit:S2/INF" in rules and "caveat:MC" in rules
    assert not any("kept out by MC" in text for _, text in result.conflict.rules)
    raised = [hard("S1", 3, single_source="yes"), hard("S2", 2)]
    fixed = api.solve(simple_case(tmp_path / "f.xlsx", requirements=raised, **sheets))
    assert fixed.status == "optimal"


def test_in_time_the_cap_of_the_period_is_named(tmp_path: Path) -> None:
    """S1/INF is hard, 2 units, but its Profile asks 1 in P2; A pledges 2 under A's minimum
    contingent 2. In P2 A's units are 0 or 2, and S1 takes no more than 1: the conflict is
    MC, S1's floor and its cap, in P2."""
    result = api.solve(
        timed_case(
            tmp_path / "t.xlsx",
            periods=months(3),
            requirements=[hard("S1", 2)],
            pledges=[pledge("A", 2)],
            profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 1}],
            caveats=[{**MC_B, "contributor": "A"}],
        ),
        time_limit=60,
    )
    assert result.status == "infeasible" and result.conflict is not None
    rules = [rid for rid, _ in result.conflict.rules]
    assert sorted(rules) == sorted(
        ["requirement_limit:S1/INF/P2", "caveat:MC/P2", "hard:S1/INF/P2"]
    )


def test_a_re_solve_for_prices_still_pins_the_options_below_the_minimum(tmp_path: Path) -> None:
    """A review: the model a re-solve for caveat prices uses (explain, with cuts) never lifts a
    pledge's or a line's cap, so B's option at S2 (1 required, MC asks 2) stays pinned by MC's
    forbid row there, whose LP is tight; the model built to find a conflict (explain, no cuts)
    keeps it under MC's rows instead, the caps rules of their own."""
    from solver.model.build import build_model

    path = simple_case(
        tmp_path / "c.xlsx",
        requirements=[hard("S1", 3, single_source="yes"), hard("S2", 1)],
        pledges=[pledge("A", 3), pledge("B", 2)],
        caveats=[MC_B],
    )
    data = api.read(path)

    def blocks(**how: bool) -> set[str]:
        return {block.name for block in build_model(data, explain=True, **how).lm.row_blocks}

    assert "caveat.MC.forbid" in blocks(cuts=True)
    assert "caveat.MC.forbid" not in blocks(cuts=False)
