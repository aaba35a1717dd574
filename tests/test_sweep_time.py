"""`forcegen sweep` on a timed workbook: withdrawals for the whole horizon and from a period on.

The world (tests/time_cases.py) over P1..P4 of one month each: line S1/INF of 1 unit, priority 1,
active throughout. A pledges 1 INF from P1 to P1 at cost 2 (its mandate ends with P1); B pledges
1 INF over the whole horizon at cost 1. Cost counts a tour's units x cost_per_unit.

- base: B stays P1..P4 (one tour, cost 1; A's P1 plus B's P2..P4 would cost 3): shortfall 0.
- withdraw_B (whole horizon): only A's P1 is left: P2..P4 short, 3 unit-months; cost 2.
- withdraw_B_after_P2: B's pledge ends with P2; B P1..P2 (cost 1; A's P1 plus B's P2 would cost
  3): P3..P4 short, 2 unit-months.
- withdraw_A: B alone as in base: shortfall 0, cost 1.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from solver import api
from solver.cli import main
from solver.sweep import withdraw
from solver.sweep.timed_view import deployed_unit_months, line_unit_months

from .time_cases import months, timed_case

PLEDGES = [
    {"contributor": "A", "capability": "INF", "units": 1, "to": "P1", "cost_per_unit": 2},
    {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 1},
]


@pytest.fixture
def world(tmp_path: Path) -> Path:
    return timed_case(
        tmp_path / "world.xlsx", periods=months(4), pledges=[dict(p) for p in PLEDGES]
    )


def sweep(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["sweep", *(str(a) for a in args)])


def tours_of(result: api.Result) -> set[tuple[str, str, str, str, str, int]]:
    assert result.plan is not None and result.data.periods is not None
    names = list(result.data.periods["period"])
    return {
        (c, k, s, names[a], names[b], int(n))
        for c, k, s, a, b, n in result.plan.tours.itertuples(index=False)
    }


def stages_of(result: api.Result) -> dict[str, float]:
    return {s.name: round(float(s.value), 6) for s in result.outcome.stages}


# --- solved -------------------------------------------------------------------------------------


def test_withdrawing_b_after_p2_leaves_the_line_short_p3_p4(world: Path) -> None:
    """See the module's docstring: B P1..P2 only, 2 unit-months short (P3, P4), cost 1; for the
    whole horizon A's P1 only, 3 unit-months short, cost 2."""
    base = api.solve(world)
    assert tours_of(base) == {("B", "INF", "S1", "P1", "P4", 1)}
    assert stages_of(base) == {"shortfall.p1": 0.0, "cost": 1.0, "presence": 1.0}
    after = api.solve(withdraw(api.read(world), "B", "P2"))
    assert tours_of(after) == {("B", "INF", "S1", "P1", "P2", 1)}
    assert stages_of(after) == {"shortfall.p1": 2.0, "cost": 1.0, "presence": 1.0}
    whole = api.solve(withdraw(api.read(world), "B"))
    assert tours_of(whole) == {("A", "INF", "S1", "P1", "P1", 1)}
    assert stages_of(whole) == {"shortfall.p1": 3.0, "cost": 2.0, "presence": 1.0}


def test_sweep_of_two_scenarios_in_unit_months(world: Path, tmp_path: Path) -> None:
    """base and withdraw_B_after_P2 (`--withdraw B@P2`): the console's stages are the model's
    (p1 0 and 2 unit-months), coverage 4 of 4 and 2 of 4 unit-months; Robustness ranks the
    withdrawal with +2 unit-months short, S1/INF losing 2 of its 4 unit-months."""
    out = tmp_path / "out"
    result = sweep(world, "-o", out, "--withdraw", "B@P2", "--workers", "1")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.stdout.splitlines()]
    rows = {w[1]: w for w in lines if w and w[0] == "ok"}
    assert set(rows) == {"base", "withdraw_B_after_P2"}
    assert " ".join(rows["base"][5:13]) == "p1 0 cost 1 presence 1 coverage 100.0%"
    # --withdraw is stable: re-planned against base, B's 2 unit-months after P2 are the changes
    assert (
        " ".join(rows["withdraw_B_after_P2"][5:15])
        == "p1 2 changes 2 cost 1 presence 1 coverage 50.0%"
    )
    assert (
        "withdrawals that hurt most (weighted shortfall by priority vs base: unit-months short "
        "times their line's weight, as the objective ranks them; then the lines that lose, "
        "unit-months allocated base->withdrawal):" in " ".join(result.stdout.split())
    )
    assert "1. B_after_P2 p1 +2; S1/INF 4->2" in " ".join(result.stdout.split())
    assert (
        "note: world.xlsx is timed: the comparison counts unit-months (a unit for a month), its "
        "stages are weighted unit-months"
    ) in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "base.xlsx",
        "comparison.xlsx",
        "withdraw_B_after_P2.xlsx",
    ]
    robust = pd.read_excel(out / "comparison.xlsx", sheet_name="Robustness")
    assert robust[["rank", "withdrawn", "Δ shortfall_unit_months.p1"]].values.tolist() == [
        [1, "B_after_P2", 2]
    ]
    # every count of a timed comparison is in unit-months (person-months), and its headers
    # say so: B's 4 unit-months and 400 person-months in base, 2 and 200 after P2
    scenarios = pd.read_excel(out / "comparison.xlsx", sheet_name="Scenarios")
    assert scenarios[["required_unit_months", "shortfall_unit_months.p1"]].values.tolist() == [
        [4, 0],
        [4, 2],
    ]
    assert not [c for c in scenarios.columns if "units" in c or "personnel" in c]
    people = pd.read_excel(out / "comparison.xlsx", sheet_name="Contributors")
    assert people.loc[
        people["contributor"] == "B",
        [
            "base unit_months",
            "base person_months",
            "withdraw_B_after_P2 unit_months",
            "withdraw_B_after_P2 person_months",
        ],
    ].values.tolist() == [[4, 400, 2, 200]]
    sites = pd.read_excel(out / "comparison.xlsx", sheet_name="Sites")
    assert list(sites.columns[:5]) == [
        "site",
        "capability",
        "priority",
        "required_unit_months",
        "base",
    ]
    summary = pd.read_excel(out / "withdraw_B_after_P2.xlsx", sheet_name="Summary")
    notes = summary.loc[summary["key"] == "note.1", "value"].tolist()
    assert notes == [
        "generated scenario withdraw_B_after_P2: B leaves after P2 (1 pledge ended there; "
        "others' caveats unchanged)"
    ]


@pytest.mark.slow
def test_withdraw_each_in_time_and_after_a_period(world: Path, tmp_path: Path) -> None:
    """--withdraw-each: withdraw_B (+3 unit-months) hurts more than withdraw_A (+0, said apart:
    no shortfall change);
    --withdraw-each --after P2: withdraw_B_after_P2 +2; withdraw_A_after_P2 changes nothing
    (A's pledge ends with P1 anyway): not ranked."""
    result = sweep(world, "-o", tmp_path / "each", "--withdraw-each", "--workers", "1")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert (
        "1. B p1 +3; S1/INF 4->1 no shortfall change, ranked by cost (1 withdrawal): "
        "2. A p1 +0, cost +0; no line loses unit-months"
    ) in text
    result = sweep(
        world, "-o", tmp_path / "after", "--withdraw-each", "--after", "P2", "--workers", "1"
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "1. B_after_P2 p1 +2; S1/INF 4->2" in text
    assert "not ranked, changes nothing (1 withdrawal): A_after_P2" in text


def test_lines_and_deployments_count_unit_months(world: Path) -> None:
    """S1/INF needs 1 unit in each of 4 one-month periods: 4 unit-months; with B's tour P1..P2
    (withdraw_B_after_P2) B has deployed 1 unit x 2 months = 2 unit-months, 200 person-months."""
    data = api.read(world)
    assert line_unit_months(data).values.tolist() == [["S1", "INF", 4, 1]]
    after = api.solve(withdraw(data, "B", "P2"))
    assert after.plan is not None
    assert deployed_unit_months(after.data, after.plan).values.tolist() == [
        ["B", "INF", "S1", 2, 200]
    ]


def test_a_timed_scenario_without_plan_counts_its_lines_in_unit_months(tmp_path: Path) -> None:
    """Scenario `impossible` makes S1/INF hard and ends B's pledge with P2: nothing can serve
    P3..P4, so it is infeasible (exit 3). The Scenarios sheet still counts the line's need in
    unit-months for both: 1 unit x 4 months = 4; base covers all 4 (100%)."""
    path = timed_case(
        tmp_path / "world.xlsx",
        periods=months(4),
        pledges=[dict(p) for p in PLEDGES],
        scenarios=[
            {
                "scenario": "impossible",
                "sheet": "Requirements",
                "key": "S1/INF",
                "column": "hard",
                "value": "yes",
            },
            {
                "scenario": "impossible",
                "sheet": "Pledges",
                "key": "B/INF",
                "column": "to",
                "value": "P2",
            },
        ],
    )
    out = tmp_path / "out"
    result = sweep(path, "-o", out, "--workers", "1")
    assert result.exit_code == 3, result.output
    assert "FAIL  impossible           infeasible" in result.stdout
    scenarios = pd.read_excel(out / "comparison.xlsx", sheet_name="Scenarios")
    rows = scenarios.set_index("scenario")
    assert (
        rows.at["base", "required_unit_months"] == 4
        and rows.at["impossible", "required_unit_months"] == 4
    )
    assert rows.at["base", "coverage_pct"] == 100


def test_verify_checks_a_withdrawal_against_the_withdrawal_not_base(tmp_path: Path) -> None:
    """B (pledged P1..P4) must deploy 1 INF in P3..P4 (min_units from P3); leaving after P2, its
    own caveats end there too, so the sweep's plan has B home in P3..P4. `verify` reads the
    output's scenario as the sweep made it: the plan keeps every rule (exit 0). Checked against
    base, as before, B's min_units failed in P3..P4 (exit 3), and `--scenario` refused the
    generated name."""
    path = timed_case(
        tmp_path / "v.xlsx",
        periods=months(4),
        pledges=[dict(p) for p in PLEDGES],
        caveats=[{"contributor": "B", "caveat": "min_units", "value": 1, "from": "P3"}],
    )
    out = tmp_path / "out"
    result = sweep(path, "-o", out, "--withdraw", "B@P2", "--workers", "1", "--no-stable")
    assert result.exit_code == 0, result.output
    plan_file = out / "withdraw_B_after_P2.xlsx"
    for extra in ([], ["--scenario", "withdraw_B_after_P2"]):
        checked = CliRunner().invoke(main, ["verify", str(path), str(plan_file), *extra])
        assert checked.exit_code == 0, checked.output
        assert "checking against base" not in checked.output


def test_a_withdrawal_that_changes_nothing_is_not_ranked(world: Path, tmp_path: Path) -> None:
    """`--withdraw A@P2 --withdraw B@P2`: A's mandate ends with P1, so A leaving after P2 changes
    nothing, and its plan may differ from base's only where the searches stopped: it is not
    ranked (a trial saw two such withdrawals ranked as gains, p3 -132 each), and the console and
    the Robustness sheet say why. B leaving after P2 is ranked first (+2)."""
    out = tmp_path / "out"
    result = sweep(world, "-o", out, "--withdraw", "A@P2", "--withdraw", "B@P2", "--workers", "1")
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "1. B_after_P2 p1 +2; S1/INF 4->2" in said
    assert "2. A_after_P2" not in said
    assert "not ranked, changes nothing (1 withdrawal): A_after_P2" in said
    robustness = pd.read_excel(out / "comparison.xlsx", sheet_name="Robustness")
    row = robustness.set_index("withdrawn").loc["A_after_P2"]
    assert pd.isna(row["rank"])
    assert row["where"] == ("it changes nothing (none of A's pledges runs past P2): not ranked")


def test_a_no_weakening_running_past_the_period_is_a_change(tmp_path: Path) -> None:
    """A's pledge ends with P1 but its no_weakening (its home lines hard) runs to P4: A leaving
    after P2 lifts it from P3, so the withdrawal does change the plan (`CaveatKind.
    acts_beyond_own_units`); an exclude of A's alone, on A's own units, would not."""

    def a_leaving_after_p2(name: str, caveat: dict) -> str:
        path = timed_case(
            tmp_path / name, periods=months(4), pledges=[dict(p) for p in PLEDGES], caveats=[caveat]
        )
        return withdraw(api.read(path, allow_timed=True), "A", "P2").notes[-1]

    hardens = {"id": "N1", "contributor": "A", "caveat": "no_weakening", "site": "S1"}
    keeps_out = {"id": "X1", "contributor": "A", "caveat": "exclude", "site": "S1"}
    assert "it changes nothing" not in a_leaving_after_p2("n.xlsx", hardens)
    assert "it changes nothing: none of A's pledges runs past P2" in a_leaving_after_p2(
        "x.xlsx", keeps_out
    )
