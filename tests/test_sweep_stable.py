"""`sweep --stable`: base first, then every other scenario re-planned with base's plan as its
baseline (solver/sweep/stable.py), so the comparison shows only the changes a scenario forces.

The world (`backfill_case`): sites S1 at (0, 0) and S2 at (0, 10) each need 1 INF (priority 1,
100 personnel a unit); A at (0, 4), B at (0, 10), C at (0, -5) pledge 1 INF each, distance cost
(person-km; on the equator a degree of longitude is the same distance everywhere, so costs
compare as degrees: A->S1 4, A->S2 6, B->S1 10, B->S2 0, C->S1 5, C->S2 15).

base: two units fill both lines (shortfall 0); the cheapest pair is A@S1 + B@S2 (4 + 0 = 4;
C@S1 + B@S2 is 5, A@S2 + C@S1 is 11). withdraw_B: S2 loses its unit and A and C fill both
lines (shortfall 0) in one of two ways:
  - A@S1 + C@S2: cost 4 + 15 = 19; against base, B@S2 -1 and C@S2 +1: 2 units, 2 rows change;
  - A@S2 + C@S1: cost 6 + 5 = 11; against base, A@S1 -1, A@S2 +1, B@S2 -1, C@S1 +1: 4 units,
    4 rows change.
Solved from nothing the cost decides: A moves to S2 (4 rows change). Against base's plan the
changes stage comes first: A stays at S1 and only C backfills at S2 (2 rows change).
"""

from __future__ import annotations

import dataclasses
import hashlib
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver.cli import main
from solver.results.digest import output_sha256
from solver.sweep import run_sweep

from .workbooks import write_workbook

UNREACHABLE = 3600  # a time limit no solve here comes near: the answers cannot depend on it


def backfill_case(path: Path, **extra: Any) -> Path:
    return write_workbook(
        path,
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 4},
            {"contributor": "B", "lat": 0, "lon": 10},
            {"contributor": "C", "lat": 0, "lon": -5},
        ],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "lat": 0, "lon": 0}, {"site": "S2", "lat": 0, "lon": 10}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1},
            {"site": "S2", "capability": "INF", "units": 1},
        ],
        pledges=[{"contributor": c, "capability": "INF", "units": 1} for c in "ABC"],
        settings={"threads": 1, "time_limit": UNREACHABLE},
        **extra,
    )


def sweep(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["sweep", *(str(a) for a in args)])


def changes(out: Path, scenario: str) -> set[tuple[str, str, int]]:
    """The comparison's Changes rows of `scenario`: (contributor, site, change of units)."""
    table = pd.read_excel(out / "comparison.xlsx", sheet_name="Changes")
    rows = table[table["scenario"] == scenario]
    return set(zip(rows["contributor"], rows["site"], rows["Δ units"].astype(int), strict=True))


def summary(path: Path) -> dict[str, Any]:
    table = pd.read_excel(path, sheet_name="Summary", dtype=object)
    return dict(zip(table["key"], table["value"], strict=True))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def base_digest(path: Path) -> str:
    """What a stable sweep's scenarios (and `solve --baseline`) record as base's
    `baseline_sha256`: base.xlsx's cells without its timings (results.digest.output_sha256),
    never the file's bytes."""
    return output_sha256(path.read_bytes())


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
        "--stable: base has no plan (infeasible), so the scenarios are solved without a baseline"
        in (result.output)
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
    from solver.errors import UsageError
    from solver.io.withdrawals import Withdrawal
    from solver.sweep import run as sweep_run

    src = backfill_case(tmp_path / "case.xlsx")
    written = tmp_path / "written"
    assert sweep(src, "-o", written, "--withdraw", "B", "--workers", "1").exit_code == 0
    real = sweep_run.atomic_write

    def full_for_base(path: Path, data: bytes) -> None:
        if path.name == "base.xlsx":
            raise UsageError("cannot write base.xlsx: No space left on device")
        real(path, data)

    monkeypatch.setattr(sweep_run, "atomic_write", full_for_base)
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


TIMING = ("solve_seconds", "seconds.")  # the Summary rows a run's speed decides


def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values, the Summary's timing rows left out."""
    book = load_workbook(path, read_only=True)
    try:
        return {
            ws.title: [
                row
                for row in ws.iter_rows(values_only=True)
                if not (ws.title == "Summary" and str(row[0]).startswith(TIMING))
            ]
            for ws in book.worksheets
        }
    finally:
        book.close()


def test_two_stable_sweeps_differ_only_in_their_timing_cells(tmp_path: Path) -> None:
    """The same workbook and settings swept twice (--withdraw-each, stable): every output
    has the same cells but its own timing rows (solve_seconds, seconds.*), the comparison the
    same bytes. Before, each scenario's baseline_sha256 was base.xlsx's file SHA-256, which
    changes with base's solve time: the runs' withdrawals differed there too."""
    src = backfill_case(tmp_path / "case.xlsx")
    runs = [tmp_path / "first", tmp_path / "second"]
    for out in runs:
        result = sweep(src, "-o", out, "--withdraw-each", "--workers", "2")
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in runs[0].iterdir())
    assert names == sorted(p.name for p in runs[1].iterdir())
    assert names == [
        "base.xlsx",
        "comparison.xlsx",
        "withdraw_A.xlsx",
        "withdraw_B.xlsx",
        "withdraw_C.xlsx",
    ]
    for name in names:
        assert cells(runs[0] / name) == cells(runs[1] / name), name
    comparison = [(out / "comparison.xlsx").read_bytes() for out in runs]
    assert comparison[0] == comparison[1]
    digests = {summary(out / "withdraw_B.xlsx")["baseline_sha256"] for out in runs}
    assert len(digests) == 1


def test_a_baseline_file_that_is_no_baseline_is_refused_before_any_solve(tmp_path: Path) -> None:
    """--baseline the output of an infeasible solve (no plan): one error, exit 2, nothing
    solved and the output folder not made (before, every scenario failed with it)."""
    from solver import api

    src = backfill_case(tmp_path / "case.xlsx")
    wb = load_workbook(src)
    ws = wb["Requirements"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("units") + 1, 99)  # more than all the pledges: infeasible when hard
    ws.cell(2, header.index("hard") + 1, "yes")
    wb.save(src)
    none = tmp_path / "none.xlsx"
    result = api.solve(src)
    assert result.status == "infeasible"
    api.write(result, none)
    out = tmp_path / "out"
    refused = sweep(src, "-o", out, "--withdraw", "B", "--baseline", none, "--workers", "1")
    assert refused.exit_code == 2, refused.output
    assert refused.output.count("the baseline has no plan") == 1
    assert "ok " not in refused.output and not out.exists()


def test_the_baseline_recorded_ignores_base_timings(tmp_path: Path) -> None:
    """Two base outputs of one solve that differ only in their timing cells (so in their
    bytes): withdraw_B re-planned against each (as the stable sweep does, against_base) records
    the same baseline_sha256, and its outputs differ only in their own timing rows. A base
    edited elsewhere (a unit moved in Allocation) is another baseline."""
    from solver import api
    from solver.sweep.stable import against_base
    from solver.sweep.task import Task, run_task

    src = backfill_case(tmp_path / "case.xlsx")
    content = src.read_bytes()
    base = run_task(Task("base", False, src.name, content))
    solved = api.solve(src)
    first = api.write(solved, tmp_path / "first.xlsx", [src]).read_bytes()
    solved.tables.summary = [
        (k, 99.0 if str(k).startswith(TIMING) else v) for k, v in solved.tables.summary
    ]
    slower = api.write(solved, tmp_path / "slower.xlsx", [src]).read_bytes()
    assert first != slower
    edited_path = tmp_path / "edited.xlsx"
    book = load_workbook(tmp_path / "first.xlsx")
    sheet = book["Allocation"]
    head = [c.value for c in sheet[1]]
    sheet.cell(2, head.index("site") + 1).value = "S2"  # A moved from S1 to S2 by hand
    book.save(edited_path)
    edited = edited_path.read_bytes()

    recorded, outputs = [], []
    for output in (first, slower, edited):
        withdrawal = Task("withdraw_B", True, src.name, content)
        base_output = dataclasses.replace(base, output=output)
        (task,), note = against_base([withdrawal], base_output, "base.xlsx")
        assert note is None
        done = run_task(task)
        assert done.status == "optimal", done.errors
        assert done.output is not None
        recorded.append(done.summary["baseline_sha256"])
        path = tmp_path / f"withdraw_B_{len(outputs)}.xlsx"
        path.write_bytes(done.output)
        outputs.append(path)
    assert recorded[0] == recorded[1] == output_sha256(first) == output_sha256(slower)
    assert cells(outputs[0]) == cells(outputs[1])
    assert recorded[2] == output_sha256(edited) != recorded[0]


def test_solve_compare_report_and_verify_name_base_as_the_sweep_does(tmp_path: Path) -> None:
    """A stable sweep's withdraw_B and `solve --baseline base.xlsx` (base's own workbook, so
    nothing changes) record the same baseline_sha256: base.xlsx's content digest. compare and
    report then see both as re-plans of base.xlsx (withdraw_B: B withdraws its unit at S2, C
    backfills it: 2 units change, 2 nations asked; the other 0 and 0), and verify --baseline
    base.xlsx checks withdraw_B without saying it was solved against another baseline. Before,
    the sweep recorded the content digest and the others read the file's SHA-256: no re-plan
    was seen and verify warned."""
    src = backfill_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    assert sweep(src, "-o", out, "--withdraw", "B", "--stable", "--workers", "1").exit_code == 0
    base, withdrawal, again = out / "base.xlsx", out / "withdraw_B.xlsx", tmp_path / "again.xlsx"
    solved = cli("solve", src, "--baseline", base, "-o", again)
    assert solved.exit_code == 0, solved.output
    recorded = {summary(p)["baseline_sha256"] for p in (withdrawal, again)}
    assert recorded == {base_digest(base)}

    compared = cli("compare", base, withdrawal, again)
    assert compared.exit_code == 0, compared.output
    assert (
        "re-plan: withdraw_B is a re-plan of base (solved with --baseline base.xlsx): "
        "2 units change, 2 nations asked" in compared.output
    )
    assert (
        "re-plan: again is a re-plan of base (solved with --baseline base.xlsx): "
        "0 units change, 0 nations asked" in compared.output
    )

    page = tmp_path / "page.html"
    reported = cli("report", base, withdrawal, again, "-o", page)
    assert reported.exit_code == 0, reported.output
    html = page.read_text(encoding="utf-8")
    for name, said in (("withdraw_B", "2 units change"), ("again", "0 units change")):
        assert (
            f"Re-plan: {name}.xlsx is a re-plan of base.xlsx (solved with --baseline "
            f"base.xlsx): {said}" in html
        ), name

    checked = cli("verify", src, withdrawal, "--baseline", base)
    assert checked.exit_code == 0, checked.output
    assert "another baseline" not in checked.output


def cli(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_what_a_baseline_file_warns_of_is_said_once(tmp_path: Path) -> None:
    """--baseline FILE whose row names a site the workbook lacks (S9): the sweep says so once,
    from base's reading, as `solve --baseline FILE` does; it said nothing (a trial gave a sweep
    an unrelated workbook's output and read no warning). A stable sweep's baseline is base's own
    plan: what its withdrawal changes is not warned of."""
    src = backfill_case(tmp_path / "case.xlsx")
    first = tmp_path / "first"
    stable = sweep(src, "-o", first, "--withdraw", "B", "--workers", "1")
    assert stable.exit_code == 0, stable.output
    assert "warning" not in stable.output
    earlier = tmp_path / "earlier.xlsx"
    wb = load_workbook(first / "base.xlsx")
    sheet = wb["Allocation"]
    assert sheet["C1"].value == "site"
    sheet["C2"] = "S9"
    wb.save(earlier)
    result = sweep(src, "-o", tmp_path / "out", "--withdraw", "B", "--baseline", earlier)
    assert result.exit_code == 0, result.output
    said = [t for t in result.output.splitlines() if "'S9' is not on the Sites sheet" in t]
    assert len(said) == 1, result.output
    assert said[0].startswith("warning: earlier.xlsx Allocation!C2: site 'S9'")


def test_a_scenario_says_what_the_baseline_file_warns_of_there_alone(tmp_path: Path) -> None:
    """plan.xlsx, base's own output (A's 1 INF at S1, B's at S2), is every scenario's
    --baseline; scenario cutA cuts A's pledge to 0. Base's reading warns of nothing; cutA's
    says the baseline holds more of A's INF than A now pledges: said once, for cutA (a review
    found it dropped, only base's reading being said)."""
    cut = {"scenario": "cutA", "sheet": "Pledges", "key": "A/INF", "column": "units", "value": 0}
    src = backfill_case(tmp_path / "case.xlsx", scenarios=[cut])
    first = tmp_path / "first"
    assert sweep(src, "-o", first, "--no-stable", "--workers", "1").exit_code == 0
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes((first / "base.xlsx").read_bytes())
    result = sweep(src, "-o", tmp_path / "out", "--baseline", plan, "--workers", "1")
    assert result.exit_code == 0, result.output
    said = [t for t in result.output.splitlines() if t.startswith("warning")]
    assert len(said) == 1, result.output
    assert "above its pledge of 0" in said[0] and "plan.xlsx Allocation!A" in said[0], said
    # A's units in the plan raised to 2 by hand: base's reading warns at that cell too (above
    # its pledge of 1), and cutA's own warning there (of 0) is still said (a review found the
    # cell alone decided)
    wb = load_workbook(plan)
    sheet = wb["Allocation"]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "A"]
    assert sheet.cell(1, 4).value == "units"
    row[3].value = 2
    wb.save(plan)
    result = sweep(src, "-o", tmp_path / "out2", "--baseline", plan, "--workers", "1")
    assert result.exit_code == 0, result.output
    said = [t for t in result.output.splitlines() if t.startswith("warning")]
    assert len(said) == 2, result.output
    assert "above its pledge of 1" in said[0] and "above its pledge of 0" in said[1], said
