"""A re-plan end to end through the CLI (replanning.md): `solve --baseline`, its Asks and
Changes, `verify --baseline` and `compare A B`; hand-worked, snapshot (timed:
test_replan_cli_time.py)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from solver import api

from .changes_case import reasons_case
from .replan_cli_case import cli, rows, solved_with_re_plan
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
    # the workbook's Baseline sheet: A's pledge is not said to have changed
    assert asks["A"] == (
        "withdraw 1 INF from S2 (-100 personnel; forced: the baseline has 2 units of A's INF, "
        "more than its pledge of 1)"
    )
    assert asks["C"] == "withdraw 1 INF from S2 (-100 personnel; forced: C is unavailable)"
    assert asks["E"] == (
        "withdraw 1 INF from S1 (-100 personnel; forced: kept out by caveat C2 (E requires F))"
    )
    # its other items: the tie's
    assert "forced: the baseline has D's INF at S3, but S3 does not require INF" in asks["D"]
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
    # the briefing and verify say so too (a re-plan trial: neither said a word of the locks)
    assert "1 locked row of the baseline held" in cli(
        "report", new, "-o", tmp_path / "r.html"
    ).output + (tmp_path / "r.html").read_text(encoding="utf-8")
    checked = cli("verify", new_in, new, "--baseline", base)
    assert "note: 1 locked row of the baseline checked: all held" in checked.output
    solved = cli("compare", base, new)
    assert solved.exit_code == 0 and "breaks" not in solved.output, solved.output
    set_allocation(new, [("A", "INF", "S1", 1), ("A", "INF", "S2", 1), ("B", "INF", "S2", 1)])
    compared = cli("compare", base, new)
    assert "new-out: edited after solving (solved as optimal); breaks 1 rule" in compared.output
    assert f"base-out.xlsx Allocation!A{a_row}: locked A 2 INF at S1, the allocation has 1" in (
        compared.output
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
