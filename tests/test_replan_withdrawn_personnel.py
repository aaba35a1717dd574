"""The personnel of a withdrawal the new workbook forces by no longer having the pledge
(replanning.md, Asks: "units and personnel to ... withdraw"): what the baseline output wrote
for those units, not the capability's default (a trial: E's 120-strong INF companies were
asked back as 100 each, and compare, reading the same two outputs, said 120)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from solver import api

from .replan_cli_case import cli
from .workbooks import write_workbook


def world(
    path: Path, *, a_pledges: bool, a_present: bool = True, baseline: list | None = None
) -> Path:
    """S1 needs 2 INF, S2 1 LOG (priority 1); the capabilities' own sizes are 100 (INF) and
    50 (LOG). A pledges 2 INF of 120 people and 1 LOG of 80 (`a_pledges`), B 2 INF of the
    default size; cost 1 a unit for A, 5 for B, so the base plan is A's 2 INF at S1 and A's LOG
    at S2. `a_present` False drops A from Contributors too; `baseline` gives the Baseline
    sheet's rows."""
    pledges = [{"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 5}]
    if a_pledges:
        pledges += [
            {
                "contributor": "A",
                "capability": "INF",
                "units": 2,
                "personnel_per_unit": 120,
                "cost_per_unit": 1,
            },
            {
                "contributor": "A",
                "capability": "LOG",
                "units": 1,
                "personnel_per_unit": 80,
                "cost_per_unit": 1,
            },
        ]
    contributors = [{"contributor": "A"}] if a_present else []
    return write_workbook(
        path,
        contributors=[*contributors, {"contributor": "B"}],
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "LOG", "category": "enabler", "personnel_per_unit": 50},
        ],
        sites=[{"site": "S1", "country": "X"}, {"site": "S2", "country": "X"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "LOG", "units": 1},
        ],
        pledges=pledges,
        baseline=baseline or [],
    )


@pytest.mark.parametrize("a_present", [True, False], ids=["pledges-gone", "contributor-gone"])
def test_a_withdrawal_forced_by_a_pledge_gone_asks_back_the_personnel_sent(
    tmp_path: Path, a_present: bool
) -> None:
    """Base: A 2 INF at S1 (2 x 120 = 240 personnel) and 1 LOG at S2 (80). Without A's pledges
    (or without A) the re-plan withdraws them all: A's ask is -240 and -80, personnel_withdrawn
    320, by the base output's Allocation (the capabilities' 100 and 50 would give 250); B adds
    its 2 INF (+200, its pledge's size: the capability's)."""
    base = tmp_path / "base-out.xlsx"
    assert cli("solve", world(tmp_path / "base.xlsx", a_pledges=True), "-o", base).exit_code == 0
    written = pd.read_excel(base, "Allocation").set_index(["contributor", "capability"])
    assert written.loc[("A", "INF"), "personnel"] == 240  # the numbers the ask must give back
    new = world(tmp_path / "new.xlsx", a_pledges=False, a_present=a_present)
    asks = api.solve(new, baseline=base).tables.extra["Asks"].set_index("contributor")
    assert "withdraw 2 INF from S1 (-240 personnel; forced: " in asks.loc["A", "ask"]
    assert "withdraw 1 LOG from S2 (-80 personnel; forced: " in asks.loc["A", "ask"]
    assert asks.loc["A", "personnel_withdrawn"] == 320
    assert asks.loc["B", "personnel_added"] == 200


def test_the_baseline_sheet_has_no_personnel_so_the_capabilitys_size_is_asked(
    tmp_path: Path,
) -> None:
    """A `Baseline` sheet gives units only: A's 2 INF at S1 withdrawn for a pledge gone are
    asked back at the capability's 100 each (200), the only size the workbook still has."""
    path = world(
        tmp_path / "new.xlsx",
        a_pledges=False,
        baseline=[{"contributor": "A", "capability": "INF", "site": "S1", "units": 2}],
    )
    asks = api.solve(path).tables.extra["Asks"].set_index("contributor")
    assert asks.loc["A", "ask"].startswith("withdraw 2 INF from S1 (-200 personnel; forced: ")
    assert asks.loc["A", "personnel_withdrawn"] == 200


def test_a_unit_withdrawn_after_its_pledge_grew_is_asked_back_at_the_size_it_was_sent(
    tmp_path: Path,
) -> None:
    """Base: A's 2 INF of 120 at S1. The new workbook cuts A's INF pledge to 1 and makes its
    companies 150 strong: the unit withdrawn is one of the 120 sent (-120, as the base output
    wrote it), where the ask said -150 (a re-plan trial's battalion of 650 withdrawn as
    700)."""
    base = tmp_path / "base-out.xlsx"
    assert cli("solve", world(tmp_path / "base.xlsx", a_pledges=True), "-o", base).exit_code == 0
    new = world(tmp_path / "new.xlsx", a_pledges=True)
    book = pd.read_excel(new, sheet_name=None)
    pledges = book["Pledges"]
    a_inf = (pledges["contributor"] == "A") & (pledges["capability"] == "INF")
    pledges.loc[a_inf, ["units", "personnel_per_unit"]] = [1, 150]
    with pd.ExcelWriter(new) as writer:
        for name, frame in book.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    asks = api.solve(new, baseline=base).tables.extra["Asks"].set_index("contributor")
    assert asks.loc["A", "ask"].startswith("withdraw 1 INF from S1 (-120 personnel; forced: ")
    assert asks.loc["A", "personnel_withdrawn"] == 120
