"""`sweep --stable`: base first, then every other scenario re-planned with base's plan as its
baseline (solver/sweep/stable.py), so the comparison shows only the changes a scenario forces;
the world is tests/stable_case.py's. A `--baseline FILE` and what the scenarios record of
their baseline: test_sweep_baseline_file.py."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from solver.sweep import run_sweep

from .stable_case import (
    backfill_case,
    base_digest,
    changes,
    sha256,
    summary,
    sweep,
)
from .sweep_case import base_unwritable
from .workbooks import write_workbook


def test_a_stable_withdrawal_moves_only_the_nation_that_backfills(tmp_path: Path) -> None:
    """withdraw_B (see the module's docstring): with --stable only B leaves and C backfills
    at S2 (2 rows); with --no-stable A moves too (4 rows). The shortfall is 0 either way."""
    src = backfill_case(tmp_path / "case.xlsx")
    stable, loose = tmp_path / "stable", tmp_path / "loose"
    for out, flag in ((stable, "--stable"), (loose, "--no-stable")):
        result = sweep(src, "-o", out, "--withdraw", "B", flag, "--workers", "1")
        assert result.exit_code == 0, result.output
    assert changes(stable, "withdraw_B") == {("B", "S2", -1), ("C", "S2", 1)}
    assert changes(loose, "withdraw_B") == {
        ("A", "S1", -1),
        ("A", "S2", 1),
        ("B", "S2", -1),
        ("C", "S1", 1),
    }
    s = summary(stable / "withdraw_B.xlsx")
    assert (
        s["objective.shortfall.p1"]
        == 0
        == summary(loose / "withdraw_B.xlsx")["objective.shortfall.p1"]
    )
    assert s["objective.changes"] == 2
    assert s["baseline_file"] == "base.xlsx"
    assert s["baseline_sha256"] == base_digest(stable / "base.xlsx")  # base's, timings aside
    assert "baseline_file" not in summary(loose / "withdraw_B.xlsx")


def test_the_comparison_says_what_the_baseline_was(tmp_path: Path) -> None:
    """The Scenarios sheet's remark names base as every scenario's baseline; the console
    notes it."""
    src = backfill_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "--withdraw", "B", "--stable", "--workers", "1")
    assert result.exit_code == 0, result.output
    remark = (
        pd.read_excel(out / "comparison.xlsx", sheet_name="Scenarios")
        .set_index("scenario")["remark"]
        .to_dict()
    )
    assert "the baseline of every other scenario (sweep --stable)" in remark["base"]
    assert "re-planned with base's plan as its baseline (sweep --stable)" in remark["withdraw_B"]
    assert "note: --stable: every other scenario re-planned against base's plan (base.xlsx)" in (
        result.output
    )


@pytest.mark.parametrize(
    ("flags", "stable"), [((), True), (("--no-stable",), False), (("--stable",), True)]
)
def test_withdraw_each_is_stable_unless_told_not(
    tmp_path: Path, flags: tuple[str, ...], stable: bool
) -> None:
    """--withdraw-each re-plans every withdrawal against base's plan by default: each output's
    Summary names base.xlsx and its digest; --no-stable solves them from nothing."""
    src = backfill_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "--withdraw-each", *flags, "--workers", "2")
    assert result.exit_code == 0, result.output
    base_sha = base_digest(out / "base.xlsx")
    for code in "ABC":
        s = summary(out / f"withdraw_{code}.xlsx")
        if stable:
            assert (s["baseline_file"], s["baseline_sha256"]) == ("base.xlsx", base_sha), code
        else:
            assert "baseline_file" not in s, code
    assert "baseline_file" not in summary(out / "base.xlsx")  # base itself has none


def test_without_withdrawals_a_sweep_is_not_stable(tmp_path: Path) -> None:
    """A sweep of the workbook's scenarios alone solves each from nothing (as before)."""
    src = backfill_case(
        tmp_path / "case.xlsx",
        scenarios=[
            {
                "scenario": "more",
                "sheet": "Requirements",
                "key": "S1/INF",
                "column": "units",
                "value": 2,
            }
        ],
    )
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "baseline_file" not in summary(out / "more.xlsx")


def test_a_base_without_a_plan_is_no_baseline(tmp_path: Path) -> None:
    """S1 made hard and needing 5 units with 3 pledged: base is infeasible. The withdrawals
    are then solved without a baseline (infeasible too), and the sweep says why."""
    src = write_workbook(
        tmp_path / "case.xlsx",
        contributors=[{"contributor": c} for c in "AB"],
        capabilities=[{"capability": "INF"}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
        pledges=[{"contributor": c, "capability": "INF", "units": 1} for c in "AB"],
    )
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "--withdraw-each", "--workers", "1")
    assert result.exit_code == 3, result.output
    assert (
        "--stable: base has no plan to re-plan against (infeasible), so the scenarios are solved "
        "without a baseline" in (result.output)
    )
    assert "baseline_file" not in summary(out / "withdraw_A.xlsx")


def test_a_base_whose_file_cannot_be_written_is_still_the_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """base.xlsx cannot be written (a full disk, a locked file): base is an error of its own,
    but its plan was solved, so withdraw_B is still re-planned against it: only C backfills
    (2 changes, as in the stable sweep above, not the 4 of one from nothing), its Summary
    names the baseline a sweep that can write base records, and the note says the file is
    missing. Before, the scenarios were solved without a baseline."""
    from solver.io.withdrawals import Withdrawal

    src = backfill_case(tmp_path / "case.xlsx")
    written = tmp_path / "written"
    assert sweep(src, "-o", written, "--withdraw", "B", "--workers", "1").exit_code == 0
    base_unwritable(monkeypatch)
    out = tmp_path / "out"
    report = run_sweep(src, out_dir=out, withdrawals=(Withdrawal("B"),), workers=1)
    assert [r.status for r in report.results] == ["error", "optimal"]
    assert not (out / "base.xlsx").exists()
    s = summary(out / "withdraw_B.xlsx")
    assert s["objective.changes"] == 2
    assert s["baseline_sha256"] == base_digest(written / "base.xlsx")
    assert any(
        "re-planned against base's plan, though base.xlsx could not be written" in note
        for note in report.notes
    )


def test_dask_gives_the_local_pools_stable_tables(tmp_path: Path) -> None:
    """The stable --withdraw-each sweep on an in-process Dask cluster: the same plans,
    stages and comparison as the local process pool (base's output travels as bytes)."""
    distributed = pytest.importorskip("distributed")
    src = backfill_case(tmp_path / "case.xlsx")
    local = run_sweep(src, out_dir=tmp_path / "local", withdraw_each=True, workers=2)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="distributed")
        with distributed.LocalCluster(
            processes=False,
            n_workers=1,
            threads_per_worker=1,
            dashboard_address="127.0.0.1:0",
            worker_dashboard_address="127.0.0.1:0",
        ) as cluster:
            remote = run_sweep(
                src,
                out_dir=tmp_path / "dask",
                withdraw_each=True,
                scheduler=cluster.scheduler_address,
            )
    assert remote.exit_code == local.exit_code == 0
    for a, b in zip(local.results, remote.results, strict=True):
        pd.testing.assert_frame_equal(a.view.allocation, b.view.allocation)
        assert a.view.stages == b.view.stages
    # each run's scenarios name its own base output, by a digest its timings leave alone:
    # the two runs' base.xlsx differ in their timing cells, yet both record the same baseline
    base_sha = base_digest(tmp_path / "local" / "base.xlsx")
    assert base_digest(tmp_path / "dask" / "base.xlsx") == base_sha
    for run in (local, remote):
        assert [r.summary.get("baseline_sha256") for r in run.results[1:]] == [base_sha] * 3
    assert local.comparison is not None and remote.comparison is not None
    pd.testing.assert_frame_equal(local.comparison.changes, remote.comparison.changes)
    assert changes(tmp_path / "dask", "withdraw_B") == {("B", "S2", -1), ("C", "S2", 1)}


def test_sweep_baseline_file_is_every_scenarios_baseline(tmp_path: Path) -> None:
    """--baseline FILE --no-stable: base and every scenario are re-planned against FILE (an
    earlier output of base): base keeps FILE's plan (0 changes), withdraw_B changes 2 units
    as with --stable. Each records FILE's content digest, as `solve --baseline FILE` does."""
    src = backfill_case(tmp_path / "case.xlsx")
    first = tmp_path / "first"
    assert sweep(src, "-o", first, "--workers", "1").exit_code == 0
    earlier = tmp_path / "earlier.xlsx"
    earlier.write_bytes((first / "base.xlsx").read_bytes())
    for flags in (["--no-stable"], []):  # --withdraw with --baseline is not stable by default
        out = tmp_path / f"out{len(flags)}"
        result = sweep(
            src, "-o", out, "--withdraw", "B", "--baseline", earlier, *flags, "--workers", "1"
        )
        assert result.exit_code == 0, result.output
        for name, moved in (("base", 0), ("withdraw_B", 2)):
            s = summary(out / f"{name}.xlsx")
            digest = base_digest(earlier)
            assert (s["baseline_file"], s["baseline_sha256"]) == ("earlier.xlsx", digest)
            assert s["baseline_sha256"] != sha256(earlier)
            assert s["objective.changes"] == moved, name


def test_a_timed_stable_withdrawal_keeps_the_tours_that_can_stay(tmp_path: Path) -> None:
    """The same world over two one-month periods P1, P2 (every line active in both): base's
    tours are A@S1 and B@S2 over P1..P2 (cost as in the snapshot, one deployment each).
    withdraw_B stable: A's tour stays and C's tour P1..P2 at S2 replaces B's: changes =
    2 unit-months (B's) + 2 (C's) = 4. --no-stable: the cheaper A@S2 + C@S1 (8 unit-months
    changed). The shortfall is 0 either way."""
    src = backfill_case(tmp_path / "case.xlsx", periods=[{"period": "P1"}, {"period": "P2"}])
    stable, loose = tmp_path / "stable", tmp_path / "loose"
    for out, flag in ((stable, "--stable"), (loose, "--no-stable")):
        result = sweep(src, "-o", out, "--withdraw", "B", flag, "--workers", "1")
        assert result.exit_code == 0, result.output

    def tours(out: Path) -> set[tuple[str, str, str, str]]:
        table = pd.read_excel(out / "withdraw_B.xlsx", sheet_name="Tours")
        cols = ["contributor", "site", "from", "to"]
        return {tuple(r) for r in table[cols].itertuples(index=False)}

    assert tours(stable) == {("A", "S1", "P1", "P2"), ("C", "S2", "P1", "P2")}
    assert tours(loose) == {("A", "S2", "P1", "P2"), ("C", "S1", "P1", "P2")}
    s = summary(stable / "withdraw_B.xlsx")
    assert (s["objective.shortfall.p1"], s["objective.changes"]) == (0, 4)
    assert (s["baseline_file"], s["baseline_sha256"]) == (
        "base.xlsx",
        base_digest(stable / "base.xlsx"),
    )


def test_a_base_that_failed_says_why_it_is_no_baseline() -> None:
    """A base whose worker could not write its plan in the scratch folder (a full disk) is no
    baseline, and the note says its error, not that it has no plan (a fault trial read `base
    has no plan (error)` of a base solved optimal)."""
    from solver.compare.views import error_view
    from solver.sweep.stable import against_base
    from solver.sweep.task import TaskResult

    said = "cannot write in the scratch folder /tmp/x: File too large"
    base = TaskResult("base", "error", 2, 1.0, error_view("base", said), None, [said])
    tasks, note = against_base([], base, "base.xlsx")
    assert tasks == [] and note == (
        f"--stable: base has no plan to re-plan against (error: {said}), so the scenarios are "
        "solved without a baseline"
    )
