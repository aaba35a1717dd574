"""A re-plan end to end through the CLI (replanning.md): `solve --baseline`, its Asks and
Changes, `verify --baseline` and `compare A B`; hand-worked, snapshot and timed."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from solver import api
from solver.cli import main
from solver.io.read import file_sha256
from solver.results.digest import output_sha256

from .changes_case import reasons_case
from .test_verify_baseline import distance_world
from .time_cases import months, timed_case
from .workbooks import write_workbook


def cli(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def rows(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [tuple(r) for r in wb[sheet].iter_rows(min_row=2, values_only=True)]


def solved_with_re_plan(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """The worlds of `test_snapshot_solve_verify_compare` (B withdraws 1 INF from S2): base
    solved, and new re-planned against base's output; (base_in, new_in, base, new)."""
    base_in, new_in = (
        distance_world(tmp_path / "base.xlsx", 2),
        distance_world(tmp_path / "new.xlsx", 1),
    )
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    assert cli("solve", new_in, "-o", new, "--baseline", base).exit_code == 0
    return base_in, new_in, base, new


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
    assert asks["A"] == "withdraw 1 INF from S2 (-100 personnel)"
    assert asks["C"] == "withdraw 1 INF from S2 (-100 personnel)"
    assert asks["E"] == "withdraw 1 INF from S1 (-100 personnel)"
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
        ("B", "withdraw 1 INF from S2 (-100 personnel)"),
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
    assert "  B: withdraw 1 INF from S2 (-100 personnel)" in compared.output
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
        ("new-out", "B", "withdraw 1 INF from S2 (-100 personnel)"),
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
        ("new-out", "B", "withdraw 1 INF from S2 (-100 personnel)"),
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


def timed_world(path: Path, a_to: str | None) -> Path:
    """P1..P4 of one month; S1 needs 1 INF; A pledges 1 (until `a_to`) at 1 a tour, B 1 at 2."""
    return timed_case(
        path,
        periods=months(4),
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "to": a_to},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 2},
        ],
    )


def test_timed_solve_verify_compare(tmp_path) -> None:
    """Base: one tour of A (the cheaper) at S1 in P1..P4. A's mandate then ends P2: the
    re-plan keeps A in P1..P2 and B takes P3..P4. By hand: A's unit-months in P3, P4 go (2),
    B's come (2): 4 unit-months change, 2 nations asked; A `withdraw 1 INF from S1 from P3`
    because its mandate ends P2, B `add 1 INF at S1 from P3`. verify holds against the base;
    compare says the re-plan and its headline."""
    base_in, new_in = (
        timed_world(tmp_path / "base.xlsx", None),
        timed_world(tmp_path / "new.xlsx", "P2"),
    )
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    assert [r[:5] for r in rows(base, "Tours")] == [("A", "INF", "S1", "P1", "P4")]
    run = cli("solve", new_in, "-o", new, "--baseline", base)
    assert run.exit_code == 0, run.output
    assert "4 unit-months change, 2 nations asked" in run.output
    assert [(r[0], r[3], r[4], r[7], r[9], r[10]) for r in rows(new, "Changes")] == [
        ("A", "P3", "P3..P4", -1, 1, "A's mandate ends P2"),
        ("A", "P4", "P3..P4", -1, 1, "A's mandate ends P2"),
        ("B", "P3", "P3..P4", 1, 1, ""),
        ("B", "P4", "P3..P4", 1, 1, ""),
    ]
    assert [r[:2] for r in rows(new, "Asks")] == [
        ("A", "withdraw 1 INF from S1 from P3 (-100 personnel)"),
        ("B", "add 1 INF at S1 from P3 (+100 personnel)"),
    ]
    assert cli("verify", new_in, new, "--baseline", base).exit_code == 0
    # the briefing lists the runs a planner reads, months and unit-months added up over each
    brief = tmp_path / "new.html"
    assert cli("report", new, "-o", brief).exit_code == 0
    changes = brief.read_text(encoding="utf-8").split("<h3>Changes against", 1)[1]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", changes.split("</table>", 1)[0])
    assert cells == [
        *("A", "INF", "S1", "P3..P4", "1", "0", "-1", "2", "2", "A&#39;s mandate ends P2"),
        *("B", "INF", "S1", "P3..P4", "0", "1", "1", "2", "2", "–"),  # blank: a dash
    ]

    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert (
        "re-plan: new-out is a re-plan of base-out (solved with --baseline base-out.xlsx): "
        "4 unit-months change, 2 nations asked" in compared.output
    )
    assert "  A: withdraw 1 INF from S1 from P3 (-100 personnel)" in compared.output

    page = tmp_path / "page.html"
    assert cli("report", base, new, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert (
        "Re-plan: new-out.xlsx is a re-plan of base-out.xlsx (solved with --baseline "
        "base-out.xlsx): 4 unit-months change, 2 nations asked" in html
    )
    assert "<li>B: add 1 INF at S1 from P3 (+100 personnel)</li>" in html


def test_the_dashboard_says_the_plan_is_a_re_plan_and_what_it_asks(tmp_path) -> None:
    """The re-plans of `test_snapshot_solve_verify_compare` (B withdraws 1 INF from S2: 1 unit
    change, 1 nation asked) and of the timed test above (A's mandate ends P2, B adds 1 INF from
    P3: 4 unit-months change, 2 nations asked). The Dashboard, the sheet the output opens on,
    says what the console says, with the baseline's file; it said nothing of a re-plan. A base
    solved without a baseline has neither row."""

    def dashboard(path: Path) -> dict:
        wb = openpyxl.load_workbook(path, read_only=True)
        return {
            r[0]: r[1] for r in wb["Dashboard"].iter_rows(min_row=2, max_col=2, values_only=True)
        }

    _, _, base, new = solved_with_re_plan(tmp_path)
    assert dashboard(new)["re-planned against"] == "base-out.xlsx"
    assert dashboard(new)["re-plan"] == (
        "1 unit change, 1 nation asked (see the Asks and Changes sheets)"
    )
    assert "re-plan" not in dashboard(base) and "re-planned against" not in dashboard(base)

    base_in = timed_world(tmp_path / "tbase.xlsx", None)
    new_in = timed_world(tmp_path / "tnew.xlsx", "P2")
    base, new = tmp_path / "tbase-out.xlsx", tmp_path / "tnew-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    assert cli("solve", new_in, "-o", new, "--baseline", base).exit_code == 0
    assert dashboard(new)["re-planned against"] == "tbase-out.xlsx"
    assert dashboard(new)["re-plan"] == (
        "4 unit-months change, 2 nations asked (see the Asks and Changes sheets)"
    )
    assert "re-plan" not in dashboard(base)


def test_compare_and_the_briefing_say_when_the_changes_are_not_proven_the_fewest(
    tmp_path,
) -> None:
    """The timed re-plan above (A's mandate ends P2: 4 unit-months change, 2 nations asked),
    its Summary's `stage.changes.status` set to `feasible`, as a limit that stops the changes
    stage leaves it. The solve's console says `not proven the fewest` then; compare's re-plan
    line and the briefing's (the output's own section and the comparison's) said only `4
    unit-months change, 2 nations asked`, as if the moves were the fewest, which a planner
    takes to the nations. Solved to optimality, none of them says it."""
    base_in = timed_world(tmp_path / "base.xlsx", None)
    new_in = timed_world(tmp_path / "new.xlsx", "P2")
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    assert cli("solve", new_in, "-o", new, "--baseline", base).exit_code == 0
    note = "; not proven the fewest: the changes stage ended feasible, not optimal"
    headline = "4 unit-months change, 2 nations asked"
    assert note not in cli("compare", base, new).output
    set_summary(new, "stage.changes.status", "feasible")
    compared = cli("compare", base, new)
    assert f"(solved with --baseline base-out.xlsx): {headline}{note}" in compared.output
    own, both = tmp_path / "own.html", tmp_path / "both.html"
    assert cli("report", new, "-o", own).exit_code == 0
    assert f"{headline}{note}" in own.read_text(encoding="utf-8")
    assert cli("report", base, new, "-o", both).exit_code == 0
    assert f"base-out.xlsx): {headline}{note}" in both.read_text(encoding="utf-8")


def test_compare_checks_the_base_s_locked_tours_in_an_edited_re_plan(tmp_path) -> None:
    """The timed base (A's tour at S1 in P1..P4) with that tour locked; re-planned against it
    (the same workbook): the plan keeps the tour. Edited to A in P1..P2 and
    B in P3..P4: `compare base new` names the broken lock (A has 0 of 1 in P3..P4)."""
    from .test_verify_baseline import set_tours

    base_in = timed_world(tmp_path / "base.xlsx", None)
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    wb = openpyxl.load_workbook(base)
    ws = wb["Tours"]
    column = ws.max_column + 1
    ws.cell(1, column, "lock")
    ws.cell(2, column, "yes")
    wb.save(base)
    assert cli("solve", base_in, "-o", new, "--baseline", base).exit_code == 0
    set_tours(new, [("A", "INF", "S1", "P1", "P2", 1), ("B", "INF", "S1", "P3", "P4", 1)])
    compared = cli("compare", base, new)
    assert "new-out: breaks 1 rule" in compared.output, compared.output
    assert (
        "base-out.xlsx Tours!A2: locked tour A INF at S1 in P1..P4: fewer units present in "
        "P3..P4 (P3: 0 of 1)" in compared.output
    )


def test_a_nation_whose_tours_are_re_cut_is_asked_to_re_cut_them(tmp_path) -> None:
    """P1..P4; S1 needs 1 INF; A pledges 1 at 1 a tour, tours of at most 3 months (B at 2 a
    tour). Baseline: A's three tours P1, P2..P3, P4. Two tours keep every unit-month (changes
    0) and cost 2 against 3, so the plan re-cuts A's rotations (which two is a tie). A is not
    `unchanged`: it is asked to re-cut them, its numbers 0; B is unchanged.

    Without a tour limit A rotates its own unit: the plan has no tours of its own (the Tours
    sheet reads the fewest), so the same baseline is no re-cut and A is unchanged."""
    three = [("P1", "P1"), ("P2", "P3"), ("P4", "P4")]

    def world(name: str, tour_months: int | None) -> Path:
        return timed_case(
            tmp_path / name,
            periods=months(4),
            pledges=[
                {"contributor": "A", "capability": "INF", "units": 1, "tour_months": tour_months},
                {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 2},
            ],
            baseline=[
                {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
                | {"from": f, "to": t}
                for f, t in three
            ],
        )

    result = api.solve(world("limited.xlsx", 3))
    assert result.summary["objective.changes"] == 0
    tours = result.tables.timed["Tours"]
    assert tours["contributor"].tolist() == ["A", "A"]  # two tours, cheaper than three
    asks = result.tables.extra["Asks"].set_index("contributor")
    after = ", ".join(
        f"{a} x1" if a == b else f"{a}..{b} x1"
        for a, b in zip(tours["from"], tours["to"], strict=True)
    )
    assert asks.loc["A", "ask"] == (
        f"re-cut INF rotations at S1: P1 x1, P2..P3 x1, P4 x1 -> {after}"
    )
    assert asks.loc["A", "unit_months_changed"] == 0
    assert asks.loc["B", "ask"] == "unchanged"

    free = api.solve(world("free.xlsx", None)).tables.extra["Asks"].set_index("contributor")
    assert free.loc["A", "ask"] == "unchanged"


def test_a_nation_asked_for_more_is_also_asked_to_re_cut_its_rotations(tmp_path) -> None:
    """The world of the test above (A's INF at S1 in three tours P1, P2..P3, P4, at most 3
    months a tour), and S2 needs 1 ENG (50 people a unit) that only A pledges, none in the
    baseline. The plan adds A's ENG at S2 in P1..P4 (priority 1, changes 4 unit-months) and,
    as above, cuts A's INF at S1 into two tours (changes 0 there, cost 2 against 3). A's ask
    says both: the ENG to add, and the INF rotations it was told of that no longer hold (a
    nation asked for other things was told nothing of its re-cut rotations)."""
    path = timed_case(
        tmp_path / "both.xlsx",
        periods=months(4),
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "ENG", "category": "enabler", "personnel_per_unit": 50},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "ENG", "units": 1, "priority": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 3},
            {"contributor": "A", "capability": "ENG", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 2},
        ],
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
            | {"from": f, "to": t}
            for f, t in [("P1", "P1"), ("P2", "P3"), ("P4", "P4")]
        ],
    )
    result = api.solve(path)
    assert result.summary["objective.changes"] == 4
    tours = result.tables.timed["Tours"]
    inf = tours[tours["capability"] == "INF"]
    assert inf["contributor"].tolist() == ["A", "A"]  # two tours, cheaper than three
    after = ", ".join(
        f"{a} x1" if a == b else f"{a}..{b} x1" for a, b in zip(inf["from"], inf["to"], strict=True)
    )
    asks = result.tables.extra["Asks"].set_index("contributor")
    assert asks.loc["A", "ask"] == (
        "add 1 ENG at S2 (+50 personnel); "
        f"re-cut INF rotations at S1: P1 x1, P2..P3 x1, P4 x1 -> {after}"
    )
    assert asks.loc["A", "units_added"] == 1 and asks.loc["A", "unit_months_changed"] == 4
    assert asks.loc["B", "ask"] == "unchanged"


def set_summary(path: Path, key: str, value: object) -> None:
    """Write `value` in the Summary row `key` of an output, as a planner's Excel would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Summary"]
    (cell,) = [r[1] for r in ws.iter_rows(min_row=2) if r[0].value == key]
    cell.value = value
    wb.save(path)


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
