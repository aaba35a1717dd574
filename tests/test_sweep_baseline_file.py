"""A stable sweep's baseline as recorded (`baseline_sha256`: base's cells without its timings)
and a `sweep --baseline FILE`: what each scenario records, says and is checked against (the
world: tests/stable_case.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver.cli import main
from solver.results.digest import output_sha256

from .stable_case import (
    backfill_case,
    base_digest,
    summary,
    sweep,
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
    # base's file SHA-256 (its bytes hold its solve time) is not written for base's own plan
    written = summary(runs[0] / "withdraw_B.xlsx").get("baseline_file_sha256")
    assert written is None or written != written  # blank (read as NaN)


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


def test_a_baseline_named_as_the_workbook_is_named_as_given_in_a_scenarios_warning(
    tmp_path: Path,
) -> None:
    """The workbook in/t.xlsx and its plan out/t.xlsx as the sweep's baseline: A's 1 INF on a
    tour P1..P4; `--withdraw A@P2` ends A's pledge with P2, so the scenario warns that the
    baseline's tour changes. The warning named the task's scratch copy (`/tmp/forcegen-sweep-
    .../baseline/t.xlsx`, a planner trial); it names out/t.xlsx as given."""
    from solver import api

    from .time_cases import months, timed_case

    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    workbook = timed_case(
        tmp_path / "in" / "t.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1}],
    )
    plan = api.write(api.solve(workbook), tmp_path / "out" / "t.xlsx", [workbook])
    args = ["sweep", str(workbook), "-o", str(tmp_path / "swept"), "--withdraw", "A@P2"]
    result = CliRunner().invoke(main, [*args, "--baseline", str(plan), "--workers", "1"])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert any(line.startswith(f"warning: {plan} Tours!") for line in warned), warned
    assert not any("forcegen-sweep" in line for line in warned), warned
