"""`forcegen sweep`: every scenario into its own output, in parallel, plus comparison.xlsx."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.compare import from_tables
from solver.errors import UsageError
from solver.sweep import run_sweep, withdraw

from .conftest import EXAMPLE
from .sweep_case import SCENARIOS, UNREACHABLE, sheets, small_case, summary, sweep, table
from .workbooks import simple_case


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    """The small case with five scenarios, swept once by two worker processes."""
    folder = tmp_path_factory.mktemp("sweep")
    src = small_case(folder / "case.xlsx", *SCENARIOS)
    out = folder / "out"
    return src, out, sweep(src, "-o", out, "--workers", "2")


def test_every_scenario_is_written_and_a_failure_stops_no_other(swept) -> None:
    _, out, result = swept
    # invalid input (2) is worse than infeasible (3): the worst meaningful code wins
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "b_gone.xlsx",
        "base.xlsx",
        "comparison.xlsx",
        "impossible.xlsx",
        "more.xlsx",
    ]
    lines = result.stdout.splitlines()
    broken = next(i for i, line in enumerate(lines) if "broken" in line)
    assert lines[broken].startswith("FAIL  broken") and "(exit 2, nothing written)" in lines[broken]
    assert (
        lines[broken + 1]
        .strip()
        .startswith("Scenarios!E3: scenario 'broken': units must be a whole number >= 0, got 'two'")
    )
    assert any(line.startswith("FAIL  impossible") and "infeasible" in line for line in lines)
    assert any(line.startswith("ok    b_gone") for line in lines)
    assert "sweep: 5 scenarios: 3 solved, 2 not" in result.stdout
    assert "[5/5] " in result.stderr  # the progress, as plain lines (not a terminal)
    assert summary(out / "impossible.xlsx")["status"] == "infeasible"


def test_comparison_figures_equal_the_outputs(swept) -> None:
    _, out, _ = swept
    cmp = out / "comparison.xlsx"
    ov = table(cmp, "Scenarios").set_index("scenario")
    assert list(ov.index) == ["base", "more", "broken", "impossible", "b_gone"]
    assert ov.at["broken", "status"] == "error"
    assert "scenario 'broken': units must be" in ov.at["broken", "remark"]
    assert "drops Contributors B" in ov.at["b_gone", "remark"]
    # an infeasible scenario's row says where its reason is (a CI reader found it blank)
    assert ov.at["impossible", "remark"].startswith(
        "no plan: the rules in conflict are on the Infeasibility sheet"
    )
    sites, people = table(cmp, "Sites"), table(cmp, "Contributors").set_index("contributor")
    for name in ("base", "more", "impossible", "b_gone"):
        s = summary(out / f"{name}.xlsx")
        row = ov.loc[name]
        assert row["status"] == s["status"]
        for key in [k for k in s if k.startswith(("objective.", "shortfall_units"))] + [
            "coverage_pct",
            "deployed_personnel",
            "allocated_units",
        ]:
            if s["status"] == "infeasible":  # no plan: blank in the comparison
                assert s[key] is None or not key.startswith("objective.")
                assert pd.isna(row[key]), (name, key)
                continue
            assert row[key] == s[key], (name, key)
        if s["status"] == "infeasible":
            assert sites[name].isna().all()
            continue
        coverage = table(out / f"{name}.xlsx", "Coverage")
        got = sites.set_index(["site", "capability"])[name]
        for r in coverage.itertuples():
            assert got[(r.site, r.capability)] == r.allocated
        for r in table(out / f"{name}.xlsx", "Contributors").itertuples():
            assert people.at[r.contributor, f"{name} units"] == r.deployed_units
            assert people.at[r.contributor, f"{name} personnel"] == r.deployed_personnel
    # hand-checked: with S1 raised to 3, one of B's units moves from S2 to S1
    assert sites.set_index(["site", "capability"]).loc[("S2", "INF"), "Δ more"] == -1
    assert people.at["B", "Δ b_gone units"] == -2 and people.at["B", "Δ b_gone personnel"] == -200
    changes = table(cmp, "Changes")
    assert changes[changes["scenario"] == "b_gone"][["contributor", "change"]].values.tolist() == [
        ["B", "removed"]
    ]
    charts = load_workbook(cmp)["Charts"]._charts
    assert len(charts) == 2


def test_sweep_output_equals_solve_scenario(swept, tmp_path: Path) -> None:
    src, out, _ = swept
    for name in ("base", "more"):
        mine = tmp_path / f"{name}.xlsx"
        result = CliRunner().invoke(main, ["solve", str(src), "--scenario", name, "-o", str(mine)])
        assert result.exit_code == 0, result.output
        assert sheets(mine) == sheets(out / f"{name}.xlsx"), name


def test_withdrawing_a_contributor_unavailable_in_base_says_so(tmp_path: Path) -> None:
    """USA is on the Contributors sheet, `unavailable`: `--withdraw USA` said "not an
    available contributor (did you mean 'AUS'?)", pointing the planner at Australia."""
    src = simple_case(
        tmp_path / "c.xlsx",
        contributors=[
            {"contributor": "AUS", "lat": 0, "lon": 0},
            {"contributor": "USA", "lat": 0, "lon": 1, "status": "unavailable"},
        ],
        pledges=[
            {"contributor": "AUS", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "USA", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
    )
    result = sweep(src, "-o", tmp_path / "out", "--withdraw", "USA", "--workers", "1")
    assert result.exit_code == 2
    assert (
        "cannot withdraw 'USA': its status is 'unavailable' in the workbook, so it deploys "
        "nothing already"
    ) in result.output
    assert "did you mean" not in result.output


def test_withdraw_each_adds_one_generated_scenario_per_available_contributor(
    tmp_path: Path,
) -> None:
    src = small_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "--withdraw-each", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "base.xlsx",
        "comparison.xlsx",
        "withdraw_A.xlsx",
        "withdraw_B.xlsx",
    ]
    s = summary(out / "withdraw_A.xlsx")
    assert s["scenario"] == "withdraw_A"
    assert s["note.1"].startswith("generated scenario withdraw_A: A withdraws")
    # S1 is priority 1: B's 2 units move there, S2 (priority 2) goes short; cost breaks the tie
    assert (s["objective.shortfall.p1"], s["objective.shortfall.p2"]) == (0, 2)
    # the output is what the API gives for the same generated scenario
    result_a = api.solve(withdraw(api.read(src), "A"))
    expected = from_tables("withdraw_A", result_a.tables)
    got = table(out / "withdraw_A.xlsx", "Allocation")
    assert got.values.tolist() == expected.allocation.values.tolist()
    robust = table(out / "comparison.xlsx", "Robustness")
    assert robust[["rank", "withdrawn"]].values.tolist() == [[1, "A"], [2, "B"]]
    assert robust.at[0, "where"] == "S2/INF 2->0"
    assert "withdrawals that hurt most" in result.output


def test_dask_local_cluster_gives_the_local_pools_tables(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    src = small_case(tmp_path / "case.xlsx", *SCENARIOS)
    local = run_sweep(src, out_dir=tmp_path / "local", workers=1)
    with warnings.catch_warnings():
        # only while the cluster starts and stops: Dask may warn about its own ports and threads
        warnings.filterwarnings("ignore", module="distributed")
        with distributed.LocalCluster(
            processes=False,
            n_workers=1,
            threads_per_worker=1,
            dashboard_address="127.0.0.1:0",  # in-process; its web pages on loopback only
            worker_dashboard_address="127.0.0.1:0",
        ) as cluster:
            remote = run_sweep(src, out_dir=tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert remote.runner.startswith("Dask at ")
    assert remote.exit_code == local.exit_code == 2
    assert [r.status for r in remote.results] == [r.status for r in local.results]
    for a, b in zip(local.results, remote.results, strict=True):
        pd.testing.assert_frame_equal(a.view.allocation, b.view.allocation)
        pd.testing.assert_frame_equal(a.view.lines, b.view.lines)
        assert a.view.stages == b.view.stages
    assert local.comparison is not None and remote.comparison is not None
    for name in ("overview", "sites", "contributors", "changes"):
        pd.testing.assert_frame_equal(
            getattr(local.comparison, name), getattr(remote.comparison, name)
        )
    for name in ("base.xlsx", "more.xlsx", "b_gone.xlsx", "comparison.xlsx"):
        assert sheets(tmp_path / "local" / name) == sheets(tmp_path / "dask" / name), name


def test_scheduler_without_dask_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    src = small_case(tmp_path / "case.xlsx")
    result = sweep(src, "-o", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2
    assert "pip install 'forcegen[distributed]'" in result.output


def test_an_unknown_scenario_name_is_a_usage_error(tmp_path: Path) -> None:
    src = small_case(tmp_path / "case.xlsx", *SCENARIOS)
    result = sweep(src, "-o", tmp_path / "out", "-s", "mroe")
    assert result.exit_code == 2
    assert "scenario 'mroe' is not in the Scenarios sheet" in result.output
    assert "did you mean 'more'" in result.output
    assert not (tmp_path / "out").exists()


def test_an_unknown_withdrawal_is_refused(tmp_path: Path) -> None:
    data = api.read(small_case(tmp_path / "case.xlsx"))
    with pytest.raises(UsageError, match="cannot withdraw 'Z'"):
        withdraw(data, "Z")


@pytest.mark.slow
def test_coalition_sweep_with_every_withdrawal(tmp_path: Path) -> None:
    """The bundled example end to end: 6 scenarios and 30 withdrawals on two workers (30 s on
    two idle cores, minutes on a busy machine); the comparison's figures are the per-scenario
    outputs'. The time limit cannot bind (each scenario takes about 2 CPU seconds): with the
    20 s it once had, a loaded machine ended a scenario `feasible` and the test failed."""
    out = tmp_path / "coalition"
    limit = str(UNREACHABLE)
    result = sweep(EXAMPLE, "-o", out, "--withdraw-each", "--workers", "2", "--time-limit", limit)
    assert result.exit_code == 0, result.output
    ov = table(out / "comparison.xlsx", "Scenarios").set_index("scenario")
    assert len(ov) == 36 and (ov["status"] == "optimal").all()
    assert ov.index[:6].tolist() == [
        "base",
        "us_backstop",
        "monitoring",
        "surge_p1",
        "italy_out",
        "mandate_raise",
    ]
    for name in ov.index:
        s = summary(out / f"{name}.xlsx")
        for key in ("objective.shortfall.p1", "objective.cost", "coverage_pct"):
            assert ov.at[name, key] == s[key], (name, key)
    assert ov.at["us_backstop", "Δ shortfall_units.p1"] == -3
    robust = table(out / "comparison.xlsx", "Robustness")
    assert robust.at[0, "withdrawn"] == "FRA"


def test_solve_makes_a_generated_withdrawal_as_the_sweep_does(tmp_path: Path) -> None:
    """`solve -s withdraw_A` said "scenario 'withdraw_A' is not in the Scenarios sheet", so one
    withdrawal of a sweep could not be solved alone (priced, explored); it is the sweep's
    output (no stable re-plan: `--no-stable`), its stages and allocation alike."""
    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "--withdraw", "A", "--no-stable", "--workers", "1")
    assert result.exit_code == 0, result.output
    alone = tmp_path / "alone.xlsx"
    solved = CliRunner().invoke(main, ["solve", str(src), "-s", "withdraw_A", "-o", str(alone)])
    assert solved.exit_code == 0, solved.output
    assert summary(alone)["scenario"] == "withdraw_A"
    for key in ("objective.shortfall.p1", "objective.cost", "objective.presence"):
        assert summary(alone)[key] == summary(out / "withdraw_A.xlsx")[key]
    sheets = [pd.read_excel(p, "Allocation") for p in (alone, out / "withdraw_A.xlsx")]
    pd.testing.assert_frame_equal(*sheets)
    refused = CliRunner().invoke(main, ["solve", str(src), "-s", "withdraw_Z", "-o", str(alone)])
    assert refused.exit_code == 2
    # nothing named alike: the names to choose from (a planner trial got none)
    assert (
        "cannot withdraw 'Z': not an available contributor (the available ones: A, B)"
        in refused.output
    )


def test_withdrawals_named_with_s_and_withdraw_each_are_refused_before_any_solve(
    tmp_path: Path,
) -> None:
    """`-s withdraw_A --withdraw-each`: -s asks for A's withdrawal alone, --withdraw-each for
    every one (A's among them): refused, exit 2, nothing written. A workbook scenario named
    with --withdraw-each stays a request for both."""
    src = small_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "-s", "withdraw_A", "--withdraw-each", "--workers", "1")
    assert result.exit_code == 2, result.output
    assert (
        "--withdraw-each solves every contributor's withdrawal, the 1 named with -s "
        "(withdraw_A) among them: give the -s names alone to solve only those, or "
        "--withdraw-each alone to solve every one"
    ) in result.output
    assert not out.exists()


def test_an_unknown_scenario_is_said_with_the_workbooks_errors(tmp_path: Path) -> None:
    """A workbook with a bad cell and `-s nosuch`: both in one run, exit 2 (the unknown name
    was said only once the workbook was fixed). A generated withdrawal's name is judged once
    the workbook can be read."""
    src = simple_case(
        tmp_path / "bad.xlsx",
        pledges=[{"contributor": "A", "capability": "INF", "units": "two", "cost_per_unit": 1}],
    )
    result = sweep(src, "-o", tmp_path / "out", "-s", "nosuch", "-s", "withdraw_A")
    assert result.exit_code == 2, result.output
    assert "Pledges!C2" in result.output
    assert "-s nosuch: scenario 'nosuch' is not in the Scenarios sheet of bad.xlsx" in (
        result.output
    )
    assert "withdraw_A" not in result.output
