"""`forcegen check` on a timed reference case: the pin holds the tours and the stage values.

The world (tests/time_cases.py) over P1..P4 of one month each: line S1/INF of 1 unit, priority 1,
active throughout; A pledges 1 INF for P1 only at cost 2, B 1 INF throughout at cost 1.

- base: B stays P1..P4 (one tour, cost 1; A's P1 plus B's P2..P4 would cost 3): shortfall 0,
  cost 1, presence 1.
- scenario b_short (B's pledge `to` P2): B P1..P2 (cost 1; A's P1 plus B's P2 costs 3), P3..P4
  short: 2 unit-months, cost 1, presence 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from solver.check.compare import FAIL, TOURS_DIFFER, compare
from solver.check.pins import PinError, answer, check_kind
from solver.cli import main

from .time_cases import months, timed_case

PLEDGES = [
    {"contributor": "A", "capability": "INF", "units": 1, "to": "P1", "cost_per_unit": 2},
    {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 1},
]


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    folder.mkdir()
    timed_case(
        folder / "timed.xlsx",
        periods=months(4),
        pledges=[dict(p) for p in PLEDGES],
        scenarios=[
            {
                "scenario": "b_short",
                "sheet": "Pledges",
                "key": "B/INF",
                "column": "to",
                "value": "P2",
            }
        ],
    )
    return folder


def check(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["check", *(str(a) for a in args), "--workers", "1"])


def test_a_timed_pin_holds_the_tours_and_the_stages_and_passes(case: Path) -> None:
    """check --update pins each scenario's tours and stage values (derived in the module's
    docstring); check then passes."""
    result = check(case, "--update")
    assert result.exit_code == 0, result.output
    pin = json.loads((case / "timed.json").read_text(encoding="utf-8"))
    base, short = pin["scenarios"]["base"], pin["scenarios"]["b_short"]
    assert base["tours"] == {"B/INF/S1/P1..P4": {"months": 4, "units": 1}}
    assert base["objective"] == {"shortfall.p1": 0, "cost": 1, "presence": 1}
    assert short["tours"] == {"B/INF/S1/P1..P2": {"months": 2, "units": 1}}
    assert short["objective"] == {"shortfall.p1": 2, "cost": 1, "presence": 1}
    result = check(case)
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.output


def test_a_changed_tour_fails_the_pin(case: Path) -> None:
    """The pin says A served P1 and B P2..P4 (stages edited to today's, so only the tours
    differ): the tours the model picks now (B P1..P4) are not those pinned, and check fails
    (exit 5) naming both tours, without --strict."""
    assert check(case, "--update").exit_code == 0
    path = case / "timed.json"
    pin = json.loads(path.read_text(encoding="utf-8"))
    pin["scenarios"]["base"]["tours"] = {
        "A/INF/S1/P1..P1": {"months": 1, "units": 1},
        "B/INF/S1/P2..P4": {"months": 3, "units": 1},
    }
    path.write_text(json.dumps(pin), encoding="utf-8")
    result = check(case)
    assert result.exit_code == 5, result.output
    text = " ".join(result.output.split())
    assert "tour A/INF/S1/P1..P1 removed (months 1, units 1)" in text
    assert "tour B/INF/S1/P1..P4 added (months 4, units 1)" in text
    assert "tour B/INF/S1/P2..P4 removed (months 3, units 1)" in text


def test_a_timed_pin_without_its_tours_is_no_pin(case: Path) -> None:
    """A timed workbook's pin whose `tours` were deleted (by hand, or a bad merge) is not a pin
    of a timed plan: invalid input (exit 2) naming the pin and the scenario, as a pin of
    another shape is; it read as every tour added, a regression (exit 5). `--update` re-pins
    it. The other kind too: a snapshot pin given `tours` is no pin."""
    assert check(case, "--update").exit_code == 0
    path = case / "timed.json"
    pin = json.loads(path.read_text(encoding="utf-8"))
    del pin["scenarios"]["b_short"]["tours"]
    path.write_text(json.dumps(pin), encoding="utf-8")
    result = check(case)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert (
        "timed.json: not a pin (scenario 'b_short' lacks 'tours', which a timed workbook's plan "
        "has); fix it or re-pin with --update" in text
    )
    assert check(case, "--update").exit_code == 0
    assert "tours" in json.loads(path.read_text(encoding="utf-8"))["scenarios"]["b_short"]
    assert check(case).exit_code == 0
    snapshot_pin = {"scenarios": {"base": {"allocation": {"A/INF/S1": {}}, "tours": {}}}}
    with pytest.raises(PinError, match="has 'tours', which a snapshot workbook's plan has not"):
        check_kind(snapshot_pin, path, timed=False)


def test_tours_that_differ_fail_even_with_equal_stages() -> None:
    """Snapshot pins take a moved allocation with equal stages as an equally good plan (a
    note); a moved tour is a failure, with or without strict, led by a line that says the
    stages held; the same tour with more units says so."""
    old = {
        "status": "optimal",
        "objective": {"shortfall.p1": 0},
        "tours": {"A/K/S/P1..P2": {"units": 1}},
    }
    new = {**old, "tours": {"A/K/S/P1..P3": {"units": 1}}}
    findings = compare(old, new, mip_gap=1e-4)
    assert [(f.level, f.text) for f in findings] == [
        (FAIL, TOURS_DIFFER.format(n="2 tour lines")),
        (FAIL, "tour A/K/S/P1..P2 removed (units 1)"),
        (FAIL, "tour A/K/S/P1..P3 added (units 1)"),
    ]
    more = {**old, "tours": {"A/K/S/P1..P2": {"units": 2}}}
    assert [f.text for f in compare(old, more, mip_gap=1e-4)] == [
        TOURS_DIFFER.format(n="1 tour line"),
        "tour A/K/S/P1..P2 units pinned 1, now 2",
    ]
    assert compare(old, dict(old), mip_gap=1e-4) == []


def test_timed_table_rows_are_keyed_by_their_period() -> None:
    """Coverage and Allocation in time have one row per period: the pin keys them
    site/capability/period and contributor/capability/site/period, so no row hides another."""
    tables = SimpleNamespace(
        coverage=pd.DataFrame(
            [
                {
                    "site": "S1",
                    "capability": "INF",
                    "period": p,
                    "required": 1,
                    "allocated": a,
                    "shortfall": 1 - a,
                    "priority": 1,
                    "hard": "no",
                }
                for p, a in (("P1", 1), ("P2", 0))
            ]
        ),
        contributors=pd.DataFrame(
            [
                {
                    "contributor": "A",
                    "pledged_units": 1,
                    "deployed_units": 1,
                    "deployed_personnel": 100,
                    "sites": 1,
                    "unit_months": 1,
                    "tours": 1,
                }
            ]
        ),
        allocation=pd.DataFrame(
            [
                {
                    "contributor": "A",
                    "capability": "INF",
                    "site": "S1",
                    "period": "P1",
                    "units": 1,
                    "personnel": 100,
                }
            ]
        ),
    )
    result = SimpleNamespace(
        status="optimal",
        summary={"mip_gap": 0.0},
        tables=tables,
        stage_values={"objective.shortfall.p1": 1.0},
        plan=None,
    )
    pinned = answer(result)
    assert sorted(pinned["coverage"]) == ["S1/INF/P1", "S1/INF/P2"]
    assert pinned["coverage"]["S1/INF/P2"]["shortfall"] == 1
    assert list(pinned["allocation"]) == ["A/INF/S1/P1"]
    assert pinned["contributors"]["A"]["unit_months"] == 1
