"""A re-plan end to end through the CLI (replanning.md): `solve --baseline`, its Asks and
Changes, `verify --baseline` and `compare A B`; hand-worked, snapshot (timed:
test_replan_cli_time.py)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from solver import api
from solver.io.read import file_sha256
from solver.results.digest import output_sha256

from .changes_case import reasons_case
from .replan_cli_case import cli, rows, set_summary, solved_with_re_plan
from .test_verify_baseline import distance_world
from .workbooks import write_workbook


def test_the_fewest_changes_and_what_they_ask(tmp_path) -> None:
    """`reasons_case` solved against its baseline (A 2 at S2, B 1 at S2, C 1 at S2, D 1 at S1
    and 1 at S3, E 1 at S1): S1 and S2 need 2 INF each; A can give 1, B 2 (not at S2), D 4;
    C and E nothing. Forced: B, C leave S2, D leaves S3, E leaves S1 (4 units). With no
    shortfall, changes = 4 + |a2 - 2| + a1 + b1 + |d1 - 1| + d2 with a1 + b1 + d1 = 2,
    a2 + d2 = 2, a1 + a2 <= 1: a2 = 1, d2 = 1 (2; a2 = 0 costs 4), a1 = 0, and b1 + d1 = 2 at
    |d1 - 1| + b1 = 1 either way (d1 = 1 or 2); cost (1 a unit each) ties too. So
    changes = 4 + 1 + 0 + 1 + 1 = 7, and whatever tie is taken A withdraws 1 from S2, C and E
    withdraw their one, F is unchanged; the console's units are the stage's 7."""
    result = api.solve(reasons_case(tmp_path))
    assert result.summary["objective.changes"] == 7
    asks = result.tables.extra["Asks"].set_index("contributor")["ask"]
    # each says why it is forced, in the Changes sheet's words
    assert (
        asks["A"] == "withdraw 1 INF from S2 (-100 personnel; forced: A's pledge of INF is now 1)"
    )
    assert asks["C"] == "withdraw 1 INF from S2 (-100 personnel; forced: C is unavailable)"
    assert asks["E"] == (
        "withdraw 1 INF from S1 (-100 personnel; forced: kept out by caveat C2 (E requires F))"
    )
    assert "forced: S3 no longer requires INF" in asks["D"]  # its other items: the tie's
    assert asks["F"] == "unchanged"
    assert int(result.tables.extra["Asks"]["units_changed"].sum()) == 7


def test_snapshot_solve_verify_compare(tmp_path) -> None:
    """Base: A 2 at S1, B 2 at S2 (`distance_world`). B's pledge drops to 1; re-planned against
    the base output, the fewest changes keep A and leave B 1 at S2 (changes 1): B withdraws 1
    INF from S2 (100 personnel), because its pledge is now 1; A is unchanged. verify with the
    base as baseline holds; compare base new says new is a re-plan of base and lists B's ask,
    and its workbook has the Asks and Re-plan changes sheets."""
    base_in, new_in = (
        distance_world(tmp_path / "base.xlsx", 2),
        distance_world(tmp_path / "new.xlsx", 1),
    )
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    run = cli("solve", new_in, "-o", new, "--baseline", base)
    assert run.exit_code == 0, run.output
    assert "1 unit change, 1 nation asked" in run.output
    assert rows(new, "Changes") == [("B", "INF", "S2", 2, 1, -1, "B's pledge of INF is now 1")]
    assert [r[:2] for r in rows(new, "Asks")] == [
        ("A", "unchanged"),
        ("B", "withdraw 1 INF from S2 (-100 personnel; forced: B's pledge of INF is now 1)"),
    ]
    check = cli("verify", new_in, new, "--baseline", base)
    assert check.exit_code == 0, check.output
    assert "changes" in check.output

    table = tmp_path / "cmp.xlsx"
    compared = cli("compare", base, new, "-o", table)
    assert compared.exit_code == 0, compared.output
    assert (
        "re-plan: new-out is a re-plan of base-out (solved with --baseline base-out.xlsx): "
        "1 unit change, 1 nation asked" in compared.output
    )
    assert (
        "  B: withdraw 1 INF from S2 (-100 personnel; forced: B's pledge of INF is now 1)"
        in compared.output
    )
    # the changes stage stands beside the others, as the re-plan's Summary (and report) has it
    # (compare recomputed the stages from the input, which holds no baseline, and dropped it)
    header, base_row, new_row = compared.output.splitlines()[:3]
    assert header.split()[:6] == ["scenario", "status", "p1", "cost", "presence", "changes"]
    end = header.index("changes") + len("changes")  # its column, right-aligned under it
    assert new_row[:end].split()[-1] == "1" and base_row[:end].split()[-1] == "-"
    assert rows(table, "Re-plan changes") == [
        ("new-out", "B", "INF", "S2", 2, 1, -1, "B's pledge of INF is now 1")
    ]
    assert [r[:3] for r in rows(table, "Asks")] == [
        ("new-out", "A", "unchanged"),
        (
            "new-out",
            "B",
            "withdraw 1 INF from S2 (-100 personnel; forced: B's pledge of INF is now 1)",
        ),
    ]


def test_compare_checks_the_base_s_locks_in_its_re_plan(tmp_path) -> None:
    """The base output (A 2 at S1, B 2 at S2) with A's row locked by hand; B's pledge drops to
    1 and the re-plan keeps the lock (A 2 at S1, B 1 at S2). Edited to A 1 at S1 and 1 at S2:
    `compare base new` breaks the lock (1 of A's 2 at S1), as verify --baseline says; before,
    compare checked only the input's rules and said the plan kept every rule."""
    from .verify_case import set_allocation

    base_in, new_in = (
        distance_world(tmp_path / "base.xlsx", 2),
        distance_world(tmp_path / "new.xlsx", 1),
    )
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    wb = openpyxl.load_workbook(base)
    ws = wb["Allocation"]
    header = [c.value for c in ws[1]]
    ws.cell(1, len(header) + 1, "lock")
    (a_row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "A"]
    ws.cell(a_row, len(header) + 1, "yes")
    wb.save(base)
    replanned = cli("solve", new_in, "-o", new, "--baseline", base)
    assert replanned.exit_code == 0, replanned.output
    assert "1 unit change, 1 nation asked; 1 locked row of the baseline held" in replanned.output
    solved = cli("compare", base, new)
    assert solved.exit_code == 0 and "breaks" not in solved.output, solved.output
    set_allocation(new, [("A", "INF", "S1", 1), ("A", "INF", "S2", 1), ("B", "INF", "S2", 1)])
    compared = cli("compare", base, new)
    assert "new-out: edited after solving (solved as optimal); breaks 1 rule" in compared.output
    assert f"base-out.xlsx Allocation!A{a_row}: locked A 2 INF at S1, the allocation has 1" in (
        compared.output
    )


def test_compare_says_where_an_output_comes_from_when_not_from_the_first(tmp_path) -> None:
    """new-out is solved from another workbook (new.xlsx) against a copy of base-out with a lock
    column (locked.xlsx, another baseline by content): compare base-out new-out is no re-plan
    section, and says both, where before it said neither."""
    import shutil

    base_in, new_in = (
        distance_world(tmp_path / "base.xlsx", 2),
        distance_world(tmp_path / "new.xlsx", 1),
    )
    base, locked, new = (tmp_path / f"{n}.xlsx" for n in ("base-out", "locked", "new-out"))
    assert cli("solve", base_in, "-o", base).exit_code == 0
    shutil.copy(base, locked)
    wb = openpyxl.load_workbook(locked)
    wb["Allocation"].cell(1, wb["Allocation"].max_column + 1, "lock")
    wb.save(locked)
    assert cli("solve", new_in, "-o", new, "--baseline", locked).exit_code == 0
    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert "re-plan:" not in compared.output
    assert (
        "note: new-out was solved from new.xlsx, base-out from base.xlsx: the comparison is of "
        "two workbooks" in compared.output
    )
    assert (
        "note: new-out was re-planned against locked.xlsx, not against base-out.xlsx: its "
        "changes and asks are against that baseline, and are not shown here" in compared.output
    )


def test_a_snapshot_comparison_lists_the_nations_as_the_re_plan_does(tmp_path) -> None:
    """The re-plan of `test_snapshot_solve_verify_compare` (A unchanged, B withdraws 1), its
    Asks sheet reordered by hand to B, A (as solve writes a Contributors sheet listing B
    first): compare's Asks, recomputed from the Allocation sheets, keep that order, which the
    outputs' Contributors sheets (sorted by code) do not have."""
    _, _, base, new = solved_with_re_plan(tmp_path)
    wb = openpyxl.load_workbook(new)
    asks = wb["Asks"]
    a_row, b_row = ([c.value for c in asks[r]] for r in (2, 3))
    assert (a_row[0], b_row[0]) == ("A", "B")
    for col, (b_value, a_value) in enumerate(zip(b_row, a_row, strict=True), start=1):
        asks.cell(row=2, column=col, value=b_value)
        asks.cell(row=3, column=col, value=a_value)
    wb.save(new)
    table = tmp_path / "cmp.xlsx"
    compared = cli("compare", base, new, "-o", table)
    assert compared.exit_code == 0, compared.output
    assert [r[:3] for r in rows(table, "Asks")] == [
        (
            "new-out",
            "B",
            "withdraw 1 INF from S2 (-100 personnel; forced: B's pledge of INF is now 1)",
        ),
        ("new-out", "A", "unchanged"),
    ]


def test_an_output_not_solved_against_the_base_is_no_re_plan(tmp_path) -> None:
    """new solved without --baseline: compare shows no re-plan and no Asks sheet."""
    base_in, new_in = (
        distance_world(tmp_path / "base.xlsx", 2),
        distance_world(tmp_path / "new.xlsx", 1),
    )
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    assert cli("solve", new_in, "-o", new).exit_code == 0
    table = tmp_path / "cmp.xlsx"
    compared = cli("compare", base, new, "-o", table)
    assert compared.exit_code == 0, compared.output
    assert "re-plan" not in compared.output
    assert "Asks" not in openpyxl.load_workbook(table, read_only=True).sheetnames
    page = tmp_path / "page.html"
    assert cli("report", base, new, "-o", page).exit_code == 0
    assert "Re-plan" not in page.read_text(encoding="utf-8")


def growing_world(path: Path, s2_units: int) -> Path:
    """`distance_world` with B pledging 3 and S2 requiring `s2_units`: A next to S1, B next to
    S2, each line priority 1, every unit 100 personnel."""
    return write_workbook(
        path,
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1},
        ],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "lat": 0, "lon": 0}, {"site": "S2", "lat": 0, "lon": 1}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "INF", "units": s2_units},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": 3},
        ],
    )


def test_a_re_plan_for_a_grown_line_in_compare_and_report(tmp_path) -> None:
    """Base (S2 requires 2): A 2 at S1, B 2 at S2 (each next to its site). S2 then requires 3
    (new.xlsx), re-planned against base's output: B adds 1 at S2 (1 unit change, B asked, A
    unchanged). compare's line gives each output's requirement of S2 (it said base's 2 for
    both). The briefing names each output's input (it said base.xlsx only), says new-out is
    a re-plan of base-out with B's ask (it did not say it), and gives S2's requirement per
    output in the lines that change (it gave base's 2)."""
    base_in, new_in = (
        growing_world(tmp_path / "base.xlsx", 2),
        growing_world(tmp_path / "new.xlsx", 3),
    )
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    assert cli("solve", new_in, "-o", new, "--baseline", base).exit_code == 0
    assert [r[:4] for r in rows(new, "Allocation")] == [
        ("A", "INF", "S1", 2),
        ("B", "INF", "S2", 3),
    ]

    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert (
        "  S2/INF (p1, required base-out 2, new-out 3): base-out 2; new-out 3 (+1)"
        in compared.output
    )

    page = tmp_path / "page.html"
    reported = cli("report", base, new, "-o", page)
    assert reported.exit_code == 0, reported.output
    html = page.read_text(encoding="utf-8")
    assert "· inputs: base-out.xlsx from base.xlsx, new-out.xlsx from new.xlsx ·" in html
    assert (
        "Re-plan: new-out.xlsx is a re-plan of base-out.xlsx (solved with --baseline "
        "base-out.xlsx): 1 unit change, 1 nation asked" in html
    )
    assert "<li>B: add 1 INF at S2 (+100 personnel)</li>" in html
    assert (
        "<th>priority</th><th>required: base-out.xlsx (base)</th>"
        "<th>required: new-out.xlsx (base)</th><th>allocated: base-out.xlsx (base)</th>" in html
    )
    # each output's requirement, the later one's change against the first's too (+1)
    assert re.search(
        r"<td>S2</td><td>INF</td><td>1</td><td[^>]*>2</td><td[^>]*>3 <span[^>]*>\(\+1\)</span>"
        r"</td><td[^>]*>2</td><td[^>]*>3 <span[^>]*>\(\+1\)",
        html,
    )


def test_a_re_plan_recorded_with_the_base_files_sha256_is_still_one(tmp_path) -> None:
    """The re-plan of `test_snapshot_solve_verify_compare` (B withdraws 1 INF from S2), its
    Summary's baseline_sha256 set to base-out.xlsx's file SHA-256, as outputs written before
    the content digest recorded: compare and report still see a re-plan of base-out, and verify
    --baseline base-out.xlsx does not warn of another baseline. The base with one cell changed
    (A's units at S1, 2 made 1) is another baseline: neither of its digests is recorded,
    compare sees no re-plan and verify warns."""
    _, new_in, base, new = solved_with_re_plan(tmp_path)
    recorded = summary(new)["baseline_sha256"]
    assert recorded == output_sha256(base.read_bytes()) != file_sha256(base)
    set_summary(new, "baseline_sha256", file_sha256(base))

    headline = (
        "re-plan: new-out is a re-plan of base-out (solved with --baseline base-out.xlsx): "
        "1 unit change, 1 nation asked"
    )
    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert headline in compared.output
    page = tmp_path / "page.html"
    assert cli("report", base, new, "-o", page).exit_code == 0
    assert "Re-plan: new-out.xlsx is a re-plan of base-out.xlsx" in page.read_text(encoding="utf-8")
    checked = cli("verify", new_in, new, "--baseline", base)
    assert checked.exit_code == 0, checked.output
    assert "another baseline" not in checked.output

    wb = openpyxl.load_workbook(base)
    ws = wb["Allocation"]
    units = [c.value for c in ws[1]].index("units") + 1
    assert (ws.cell(2, 1).value, ws.cell(2, units).value) == ("A", 2)
    ws.cell(2, units).value = 1  # one cell changed by hand
    wb.save(base)
    assert output_sha256(base.read_bytes()) != recorded
    assert file_sha256(base) != summary(new)["baseline_sha256"]
    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert "re-plan:" not in compared.output
    assert (
        "note: new-out was re-planned against another version of base-out.xlsx (or another "
        "file of that name): its changes and asks are against that baseline, and are not shown "
        "here"
    ) in compared.output
    checked = cli("verify", new_in, new, "--baseline", base)
    assert "solved against another baseline than base-out.xlsx" in checked.output


def summary(path: Path) -> dict:
    return {r[0]: r[1] for r in rows(path, "Summary")}


def test_the_console_shows_the_first_nations_asked_and_cuts_long_asks() -> None:
    """A re-plan that asks 20 nations, one of them for a long list of moves: the console names
    15 and says how many more, and cuts the long ask (the Asks sheet has every word)."""
    import pandas as pd

    from solver.compare.replan import ASK_CHARS, Replan, replan_lines

    long_ask = ", ".join(f"move 1 INF from S{i} to T{i}" for i in range(30))
    asks = pd.DataFrame(
        {
            "contributor": [f"N{i:02d}" for i in range(21)],
            "ask": [long_ask] + [f"withdraw 1 INF from S{i}" for i in range(1, 20)] + ["unchanged"],
            "units_changed": [30] + [1] * 19 + [0],
        }
    )
    lines = replan_lines([Replan("new", "base", "base.xlsx", pd.DataFrame(), asks)])
    shown = [line for line in lines if line.startswith("  N")]
    assert len(shown) == 15 and shown[1] == "  N01: withdraw 1 INF from S1"
    assert len(shown[0]) == len("  N00: ") + ASK_CHARS and shown[0].endswith("…")
    assert "  ... 5 more nations asked: the Asks sheet of the output" in lines
    assert lines[-1] == "  (asks cut short here are whole in the Asks sheet)"


def _digest_as_read(content: bytes) -> str:
    """The content digest as outputs written before `canonical_value` recorded it: each row's
    values as openpyxl reads them, the Summary's timing rows left out (written out here, not
    taken from solver.results.digest)."""
    import hashlib
    import io
    import json

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    digest = hashlib.sha256()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            timing = (
                sheet.title == "Summary"
                and values
                and str(values[0]).startswith(("solve_seconds", "seconds."))
            )
            if values and not timing:
                line = json.dumps([sheet.title, *values], default=str, ensure_ascii=False)
                digest.update(f"{line}\n".encode())
    book.close()
    return digest.hexdigest()


def test_a_base_opened_and_saved_again_is_still_the_re_plan_s_baseline(tmp_path) -> None:
    """A planner opens base-out.xlsx and saves it without an edit: openpyxl (as other writers)
    writes 4.0 as 4, a cost to 16 digits, and drops empty text cells. The re-plan against it is
    still its re-plan (compare says so, verify --baseline does not warn); before, every such
    save made it 'another version of base-out.xlsx'. A re-plan whose Summary recorded the
    digest as outputs did before (the cells as read) is one too."""
    _, new_in, base, new = solved_with_re_plan(tmp_path)
    written = base.read_bytes()
    openpyxl.load_workbook(base).save(base)  # no edit
    assert base.read_bytes() != written and _digest_as_read(base.read_bytes()) != (
        _digest_as_read(written)
    )  # the save changed what the cells read as
    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert "re-plan: new-out is a re-plan of base-out" in compared.output
    checked = cli("verify", new_in, new, "--baseline", base)
    assert checked.exit_code == 0 and "another baseline" not in checked.output, checked.output

    base.write_bytes(written)
    set_summary(new, "baseline_sha256", _digest_as_read(written))  # an older re-plan's record
    compared = cli("compare", base, new)
    assert "re-plan: new-out is a re-plan of base-out" in compared.output, compared.output


def test_verify_against_another_baseline_does_not_compare_the_changes(tmp_path) -> None:
    """new-out was re-planned against base-out (changes 1). Verified with --baseline new-out
    itself, its changes recompute to 0: the warning says the baselines differ, so the stored 1
    is not shown beside it and no verdict is drawn from it. A trial read `changes 13 vs 14
    (differs)` and `it is better than the solved allocation` right under that warning."""
    _, new_in, _, new = solved_with_re_plan(tmp_path)
    other = tmp_path / "other-baseline.xlsx"
    other.write_bytes(new.read_bytes())
    check = cli("verify", new_in, new, "--baseline", other)
    assert check.exit_code == 0, check.output
    assert "another baseline than other-baseline.xlsx" in check.output
    (line,) = [t for t in check.output.splitlines() if t.strip().startswith("changes")]
    assert line.split() == ["changes", "0", "-"]
    assert "better" not in check.output and "(differs)" not in check.output
    assert check.output.rstrip().endswith("result: the allocation holds")
