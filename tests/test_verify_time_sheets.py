"""`forcegen verify` on a timed plan: one period of one month agrees with the snapshot's verify,
the Allocation sheet and the derived cells beside the Tours, and the command's exit codes and
report sheets (the world of tests/verify_time_world.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from solver import api
from solver.verify import verify_file

from .conftest import EXAMPLE
from .verify_outputs import write_plan
from .verify_time_world import PERIODS, Tour, plan, run, timed
from .workbooks import simple_case


# ---- one period of one month is the snapshot -----------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_period_agrees_with_snapshot_verify(tmp_path: Path, seed: int) -> None:
    """time.md: with one period of one month the timed rules are the snapshot's. The coalition
    example gets a Periods sheet with one month; a random allocation (one row per contributor,
    capability and site, 0..3 units, over every pledge and site) is checked by snapshot verify
    as an Allocation sheet and by timed verify as one tour M1..M1 per row. Two independent
    implementations: the same rules break as often (the snapshot's `pledge` is the timed
    `rotation`), and the stages are equal."""
    snapshot = tmp_path / "snap.xlsx"
    snapshot.write_bytes(EXAMPLE.read_bytes())
    wb = load_workbook(snapshot)
    periods = wb.create_sheet("Periods")
    periods.append(["period", "months"])
    periods.append(["M1", 1])
    wb.save(tmp_path / "timed.xlsx")
    data = api.read(snapshot)
    rng = random.Random(seed)
    rows = [
        (c, k, s, rng.choice([0, 0, 0, 1, 2, 3]))
        for c, k in zip(data.pledges["contributor"], data.pledges["capability"], strict=True)
        for s in data.sites["site"]
        if rng.random() < 0.2
    ]
    as_allocation = tmp_path / "alloc.xlsx"
    wb = Workbook()
    wb.active.title = "Allocation"
    wb.active.append(["contributor", "capability", "site", "units"])
    for row in rows:
        wb.active.append(list(row))
    wb.save(as_allocation)
    as_tours = plan(tmp_path, [(c, k, s, "M1", "M1", n) for c, k, s, n in rows])

    snap = verify_file(snapshot, as_allocation)
    timed_report = verify_file(tmp_path / "timed.xlsx", as_tours)
    rename = {"pledge": "rotation"}
    assert Counter(rename.get(v.rule, v.rule) for v in snap.violations) == Counter(
        v.rule for v in timed_report.violations
    )
    assert len(snap.violations) > 3  # the comparison is not vacuous
    assert timed_report.stage_values() == pytest.approx(snap.stage_values())


# ---- the Allocation sheet and derived cells beside the Tours ---------------------------------------
def test_allocation_disagreeing_with_the_tours_is_reported(tmp_path: Path) -> None:
    """The Tours give A 2 at S1 in P1..P2. The Allocation sheet says 1 in P1 (row 2), nothing in
    P2, and B 2 at S2 in P3 (row 3), which no tour gives: three warnings, the plan still holds."""
    out = plan(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2)],
        allocation=[("A", "INF", "S1", "P1", 1), ("B", "INF", "S2", "P3", 2)],
    )
    report = verify_file(timed(tmp_path), out)
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        "warning: Allocation: 3 rows disagree with the Tours sheet: in a timed output the Tours "
        "are the plan, and verify checks them, not the Allocation sheet (derived from them). To "
        "change the plan, edit the Tours sheet; the Allocation rows below are not checked. The "
        "solve wrote Coverage, Timeline, Sustainability, Burden and Dashboard from its plan "
        "too: `forcegen report` and `forcegen compare` recompute them from the Tours",
        "warning: Allocation!E2: A/INF/S1 in P1: 1 unit here, the Tours give 2",
        "warning: Allocation: A/INF/S1 in P2: the Tours give 2 units, no row here",
        "warning: Allocation!E3: B/INF/S2 in P3: 2 units here, the Tours give 0",
    ]


def test_a_run_of_periods_off_the_tours_is_one_warning(tmp_path: Path) -> None:
    """The Tours give A 2 at S1 in P1..P4; the Allocation sheet says 1 in each of P1..P3 and 2
    in P4 (a tour edited, the sheet left): P1..P3 differ alike, one warning at the first cell
    (nine months of one edited tour were nine lines: a trial)."""
    out = plan(
        tmp_path,
        [("A", "INF", "S1", "P1", "P4", 2)],
        allocation=[("A", "INF", "S1", p, 1) for p in ("P1", "P2", "P3")]
        + [("A", "INF", "S1", "P4", 2)],
    )
    report = verify_file(timed(tmp_path), out)
    said = [str(w) for w in report.warnings if "the Tours give" in str(w)]
    assert said == ["warning: Allocation!E2: A/INF/S1 in P1..P3: 1 unit here, the Tours give 2"]
    assert "3 rows disagree" in str(report.warnings[0])


def test_a_whole_sheet_warning_names_the_sheet_as_a_reference_does(tmp_path: Path) -> None:
    """The Allocation sheet retitled ' allocation ' (read all the same): its warnings about the
    sheet as a whole name it quoted, as its cells are (`' allocation '!E2`); before,
    ` allocation : 1 row disagrees ...`."""
    out = plan(tmp_path, [("A", "INF", "S1", "P1", "P1", 2)], allocation=[])
    book = load_workbook(out)
    book["Allocation"].title = " allocation "
    book.save(out)
    report = verify_file(timed(tmp_path), out)
    assert [str(w) for w in report.warnings] == [
        "warning: ' allocation ': 1 row disagrees with the Tours sheet: in a timed output the "
        "Tours are the plan, and verify checks them, not the Allocation sheet (derived from "
        "them). To change the plan, edit the Tours sheet; the Allocation rows below are not "
        "checked. The solve wrote Coverage, Timeline, Sustainability, Burden and Dashboard "
        "from its plan too: `forcegen report` and `forcegen compare` recompute them from the "
        "Tours",
        "warning: ' allocation ': A/INF/S1 in P1: the Tours give 2 units, no row here",
    ]


def test_stale_months_and_personnel_are_warned(tmp_path: Path) -> None:
    """A planner lengthened the tour to P3 (2 + 2 - 0 = 4 months, 2 x 100 = 200 people) but left
    months 2 and personnel 100: warnings at those cells; from, to and units count."""
    out = write_plan(
        tmp_path / "plan.xlsx",
        [("A", "INF", "S1", "P1", "P3", 4 // 2, 2, 100)],
        tour_header=[
            "contributor",
            "capability",
            "site",
            "from",
            "to",
            "units",
            "months",
            "personnel",
        ],
    )
    report = verify_file(timed(tmp_path), out)
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        "warning: Tours!G2: months 2 is not the tour's 4; verify counts from, to and units "
        "(months is derived)",
        "warning: Tours!H2: personnel 100 is not the tour's 200; verify counts from, to and "
        "units (personnel is derived)",
    ]


NAMES = ["contributor", "capability", "site", "from", "to"]


def test_stale_dates_are_warned(tmp_path: Path) -> None:
    """Periods from 2027-01-01 (P3 is 2 months: March and April). A tour P1..P3 runs from
    2027-01-01 to 2027-04-30; its end_date left at 2027-02-28 (from before it was lengthened)
    is warned at its cell, its right start_date is not."""
    dated = [{**PERIODS[0], "start": dt.date(2027, 1, 1)}, *PERIODS[1:]]
    out = write_plan(
        tmp_path / "plan.xlsx",
        [("A", "INF", "S1", "P1", "P3", 2, dt.date(2027, 1, 1), dt.date(2027, 2, 28))],
        tour_header=[*NAMES, "units", "start_date", "end_date"],
    )
    report = verify_file(timed(tmp_path, periods=dated), out)
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        "warning: Tours!H2: end_date 2027-02-28 is not the tour's 2027-04-30; verify counts "
        "from, to and units (end_date is derived)"
    ]


def test_an_end_date_is_the_day_before_the_next_period_starts(tmp_path: Path) -> None:
    """Periods from 2027-01-31: P2 starts Feb 28 (the day kept within the month), P3 Mar 31.
    A tour of P2 ends Mar 30, the day before P3: that end_date is not warned; the Mar 27 of
    Feb 28 + 1 month - 1 day (which left 28-30 March in no period) is, at its cell."""
    dated = [{**PERIODS[0], "start": dt.date(2027, 1, 31)}, *PERIODS[1:]]
    out = write_plan(
        tmp_path / "plan.xlsx",
        [
            ("A", "INF", "S1", "P2", "P2", 1, dt.date(2027, 2, 28), dt.date(2027, 3, 30)),
            ("A", "INF", "S2", "P2", "P2", 1, dt.date(2027, 2, 28), dt.date(2027, 3, 27)),
        ],
        tour_header=[*NAMES, "units", "start_date", "end_date"],
    )
    report = verify_file(timed(tmp_path, periods=dated), out)
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        "warning: Tours!H3: end_date 2027-03-27 is not the tour's 2027-03-30; verify counts "
        "from, to and units (end_date is derived)"
    ]


def test_a_period_that_excel_made_a_date_is_read_as_its_month(tmp_path: Path) -> None:
    """A planner types 2027-02 into a Tours `to` cell and Excel stores 2027-02-01: verify reads
    the period '2027-02' (before: 'must be text, got a date/time')."""
    months = [{"period": "2027-01"}, {"period": "2027-02"}]
    out = plan(tmp_path, [("A", "INF", "S1", "2027-01", dt.date(2027, 2, 1), 2)])
    report = verify_file(timed(tmp_path, periods=months), out)
    assert report.ok, [v.message for v in report.violations]
    assert report.rows == 1


def test_dates_in_the_tours_windows_are_warned_once_per_column(tmp_path: Path) -> None:
    """Excel made dates of the typed periods in Tours!D2 (2027-01 in `from`, a datetime at
    midnight as openpyxl reads it back) and Tours!E3 (2027-03 in `to`): each is read as its
    month's period, as in the input, and said in one warning per column naming its cell, on
    the console too (verify read them silently)."""
    months = [{"period": f"2027-0{m}"} for m in (1, 2, 3)]
    out = plan(
        tmp_path,
        [
            ("A", "INF", "S1", dt.datetime(2027, 1, 1), "2027-01", 1),
            ("A", "INF", "S2", "2027-02", dt.datetime(2027, 3, 1), 1),
        ],
    )
    src = timed(tmp_path, periods=months)
    report = verify_file(src, out)
    assert report.ok, [v.message for v in report.violations]
    said = [
        "warning: Tours!D2: 1 date in from (Tours!D2) read as the period of its month "
        "(2027-01-01 as '2027-01'): Excel turns a typed 2027-01 into a date; format the column "
        "as text to keep what is typed",
        "warning: Tours!E3: 1 date in to (Tours!E3) read as the period of its month "
        "(2027-03-01 as '2027-03'): Excel turns a typed 2027-03 into a date; format the column "
        "as text to keep what is typed",
    ]
    assert [str(w) for w in report.warnings] == said
    res = run(src, out)
    assert res.exit_code == 0, res.output
    assert all(w in res.output for w in said)


# ---- the command ---------------------------------------------------------------------------------
def test_cli_exit_3_and_report_sheets(tmp_path: Path) -> None:
    """A 3 units at S1 in P1 (pledge 2, requirement 2): exit 3, both rules named; `-o` writes
    the Violations with the Tours rows."""
    src = timed(tmp_path)
    out = plan(tmp_path, [("A", "INF", "S1", "P1", "P1", 3)])
    report = tmp_path / "findings.xlsx"
    res = run(src, out, "-o", report)
    assert res.exit_code == 3, res.output
    assert "  A/INF in P1: 3 units deployed > 2 pledged; deployed: 3 at S1 P1 (Tours!A2)\n" in (
        res.output
    )
    assert "  requirement S1/INF in P1: 3 units allocated (A 3), 2 required (Tours!A2)\n" in (
        res.output
    )
    assert "result: the plan violates 2 rules" in res.output
    rows = list(load_workbook(report)["Violations"].iter_rows(values_only=True))
    assert rows[0] == ("rule", "ids", "message", "tours_rows")
    assert rows[1] == (
        "rotation",
        "A/INF",
        "A/INF in P1: 3 units deployed > 2 pledged; deployed: 3 at S1 P1 (Tours!A2)",
        "2",
    )
    assert rows[2][2] == "requirement S1/INF in P1: 3 units allocated (A 3), 2 required"
    summary = dict(load_workbook(report)["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["allocated_unit_tours"] == 3 and "allocated_units" not in summary


@pytest.mark.parametrize(
    ("tours", "header", "expected"),
    [
        (
            [
                ("A", "INF", "S1", "P1", "P2", "two"),
                ("A", "INF", None, "P1", "P2", 1),
                ("A", "INF", "S1", "P1", None, 1),  # a Baseline row's blank to: not a plan's
            ],
            None,
            [
                "Tours!F2: units must be a whole number >= 0, got 'two'",
                "Tours!C3: site is required",
                "Tours!E4: to is required (a tour's last period: a plan's tour names both its "
                "ends; only a Baseline row's blank to means the last period)",
            ],
        ),
        (  # an unreadable cell: the names the input lacks and from after to come with it
            [
                ("A", "INF", "S1", "P1", "P9", 1),
                ("A", "INF", "S1", "P1", "P2", -1),
                ("A", "INF", "S1", "P3", "P2", 1),
                ("A", "INF", "Sx", "P1", "P2", 1),
            ],
            None,
            [
                "Tours!E2: to 'P9' is not a period of the input (P1..P4)",
                "Tours!F3: units must be a whole number >= 0, got -1",
                "Tours!D4: tour A/INF/S1: from P3 is after to P2",
                "Tours!C5: site 'Sx' is not on the Sites sheet of the input",
            ],
        ),
        (
            [("A", "INF", "S1", "P1", 2)],
            ["contributor", "capability", "site", "from", "units"],
            [
                "Tours!1:1: required column 'to' is missing (columns found: contributor, "
                "capability, site, from, units)"
            ],
        ),
        (
            None,
            None,
            [
                "plan.xlsx: sheet 'Tours' is missing (sheets found: Summary); the input is a timed "
                "workbook, whose plan is the Tours sheet of a timed solve's output"
            ],
        ),
    ],
)
def test_cli_exit_2_for_an_unreadable_tours_sheet(
    tmp_path: Path, tours: list[Tour] | None, header: list[str] | None, expected: list[str]
) -> None:
    src = timed(tmp_path)
    out = write_plan(tmp_path / "plan.xlsx", tours, tour_header=header)
    res = run(src, out)
    assert res.exit_code == 2, res.output
    assert [line.removeprefix("error: ") for line in res.output.splitlines()][:-1] == expected
    assert "Traceback" not in res.output
    # verify writes only with -o: without it, its problems are not followed by "nothing written"
    assert res.output.splitlines()[-1].endswith(" found.")
    written = run(src, out, "-o", tmp_path / "findings.xlsx")
    assert written.output.splitlines()[-1].endswith(" found; nothing was written.")


def test_a_snapshot_plan_against_a_timed_input_exits_2(tmp_path: Path) -> None:
    """A plan solved from the snapshot workbook has no Tours sheet: there is no plan in time."""
    snapshot = simple_case(tmp_path / "snap.xlsx")
    out = api.write(api.solve(snapshot), tmp_path / "plan.xlsx", [snapshot])
    res = run(timed(tmp_path), out)
    assert res.exit_code == 2
    assert "error: plan.xlsx: sheet 'Tours' is missing (sheets found: " in res.output
    assert "the input is a timed workbook, whose plan is the Tours sheet" in res.output


def test_a_timed_plan_against_a_snapshot_input_exits_2(tmp_path: Path) -> None:
    src = simple_case(tmp_path / "snap.xlsx")
    out = plan(tmp_path, [("A", "INF", "S1", "P1", "P1", 1)])
    res = run(src, out)
    assert res.exit_code == 2
    assert "a Tours sheet with 1 row) but snap.xlsx is a snapshot workbook" in res.output


def test_many_stale_derived_cells_are_counted_after_ten(tmp_path: Path) -> None:
    """Twelve one-month tours of 1 unit (A and B at S1 in P1 and P2, each three times) whose
    months say 2:
    twelve stale cells, ten warned at their cells, then one count of the other two (a period
    lengthened by hand warned once per tour over it: 130 lines)."""
    tours = [(c, "INF", "S1", p, p, 1, 2) for c in ("A", "B") for p in ("P1", "P2")] * 3
    out = write_plan(tmp_path / "plan.xlsx", tours, tour_header=[*NAMES, "units", "months"])
    report = verify_file(timed(tmp_path), out)
    derived = [str(w) for w in report.warnings if "derived" in str(w)]
    assert len(derived) == 11
    assert derived[0] == (
        "warning: Tours!G2: months 2 is not the tour's 1; verify counts from, to and units "
        "(months is derived)"
    )
    assert derived[-1] == (
        "warning: Tours: and 2 more derived cells (months) disagree with their tours; verify "
        "counts from, to and units"
    )


def test_eleven_allocation_rows_off_the_tours_are_all_listed(tmp_path: Path) -> None:
    """Ten are listed one by one and the rest counted; eleven are all listed (`and 1 more`
    hid one to save nothing: a review): ten rows no tour gives (1 and 2 units by turns, so
    that no two neighbours are one run), and A's P1 tour with no row."""
    periods = ("P1", "P2", "P3", "P4", "P5")
    rows = [(c, "INF", "S2", p, 1 + i % 2) for c in ("A", "B") for i, p in enumerate(periods)]
    out = plan(tmp_path, [("A", "INF", "S1", "P1", "P1", 1)], allocation=rows)
    report = verify_file(timed(tmp_path), out)
    listed = [str(w) for w in report.warnings if "the Tours give" in str(w)]
    assert len(listed) == 11
    assert not any("more" in str(w) for w in report.warnings if "Allocation" in str(w))
