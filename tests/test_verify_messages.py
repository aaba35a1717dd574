"""`forcegen verify`'s messages traced back to the sheet a planner edits (a planner's trial on the
bundled example): (1) every console message about tours names its Tours rows (a snapshot's, its
Allocation rows); (2) a rotation message names the tours that broke it; (3) consecutive periods
of one violation with the same numbers are one message, whoever shares the line. Its result
line against the solved plan: test_verify_result_line.py.

The timed input is `test_verify_time`'s: A and B pledge 2 INF each; S1 and S2 require 2 INF;
periods P1 (1 month), P2 (1), P3 (2 months), P4 (1): m = 0, 1, 2, 4. Tours rows start at 2.
Every expectation is worked by hand.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from solver.verify import verify_file
from solver.verify.tours_sheet import TourRows

from .time_cases import months, timed_case
from .verify_case import run as run_snapshot
from .verify_case import set_allocation, solved
from .verify_outputs import write_plan
from .verify_time_world import caveat, found, plan, pledges, run, timed


def violation_lines(output: str) -> list[str]:
    """The console's violation lines, without their indent."""
    lines = output.splitlines()
    if not any(line.startswith("violations (") for line in lines):
        return []
    start = next(i for i, line in enumerate(lines) if line.startswith("violations ("))
    end = next(i for i, line in enumerate(lines) if "objective stage" in line)
    return [line.strip() for line in lines[start + 1 : end]]


# ---- (1) the console names the Tours rows ------------------------------------------------------
def test_a_message_about_one_tour_names_its_row(tmp_path: Path) -> None:
    """tour_months 3: A's tour P1..P3 (row 3) lasts 2 + 2 - 0 = 4 months > 3; row 2 (P4, 1
    month) holds. The console names Tours!A3; the Violations sheet's message is unchanged."""
    src = timed(tmp_path, pledges=pledges(tour_months=3))
    out = plan(tmp_path, [("B", "INF", "S2", "P4", "P4", 1), ("A", "INF", "S1", "P1", "P3", 1)])
    res = run(src, out)
    assert res.exit_code == 3, res.output
    assert violation_lines(res.output) == [
        "tour A/INF/S1 P1..P3: 4 months > tour_months 3 (Tours!A3)"
    ]
    assert [v.message for v in verify_file(src, out).violations] == [
        "tour A/INF/S1 P1..P3: 4 months > tour_months 3"
    ]


def test_a_message_about_several_tours_names_them_compactly(tmp_path: Path) -> None:
    """A pledges 6 and sends 6 tours of 1 unit to S1 in P1 (rows 2-7): 6 allocated > 2
    required; the console names the first four rows and counts the rest. Two tours (rows 2-3)
    on S1 with 2 + 1 = 3 > 2: both rows named."""
    src = timed(tmp_path, pledges=pledges(a=6))
    many = plan(tmp_path, [("A", "INF", "S1", "P1", "P1", 1)] * 6)
    assert violation_lines(run(src, many).output) == [
        "requirement S1/INF in P1: 6 units allocated (A 6), 2 required "
        "(Tours rows 2, 3, 4, 5 and 2 more)"
    ]
    two = plan(tmp_path, [("A", "INF", "S1", "P1", "P1", 2), ("B", "INF", "S1", "P1", "P1", 1)])
    assert violation_lines(run(src, two).output) == [
        "requirement S1/INF in P1: 3 units allocated (A 2, B 1), 2 required (Tours rows 2, 3)"
    ]


def test_rows_of_a_sheet_titled_with_spaces_are_named_as_its_cells_are(tmp_path: Path) -> None:
    """The Tours sheet titled ` tours ` (read as Tours): its rows in words name it as a
    reference to its cells starts (`' tours ' rows 2, 3`, beside `' tours '!A2`), and so
    does the row a cell of which is not at hand. Before: `( tours  rows 2, 3)`, the raw title."""
    src = timed(tmp_path, pledges=pledges(a=6))
    two = plan(tmp_path, [("A", "INF", "S1", "P1", "P1", 2), ("B", "INF", "S1", "P1", "P1", 1)])
    book = openpyxl.load_workbook(two)
    book["Tours"].title = " tours "
    book.save(two)
    assert violation_lines(run(src, two).output) == [
        "requirement S1/INF in P1: 3 units allocated (A 2, B 1), 2 required (' tours ' rows 2, 3)"
    ]
    assert TourRows(pd.DataFrame(), title=" tours ").cell(5, "from") == "' tours ' row 5"


def test_rows_of_a_snapshot_allocation_titled_with_spaces_name_its_title(tmp_path: Path) -> None:
    """The simple case's Allocation sheet titled ` allocation `, A's 2 INF at S1 typed twice
    (rows 2, 3): 4 > 2 pledged, cited `(' allocation ' rows 2, 3)`, as its cells are named.
    Before: `(Allocation rows 2, 3)`, the contract's name whatever the title."""
    src, out = solved(tmp_path)
    set_allocation(out, [("A", "INF", "S1", 2), ("A", "INF", "S1", 2)])
    book = openpyxl.load_workbook(out)
    book["Allocation"].title = " allocation "
    book.save(out)
    res = run_snapshot(src, out)
    assert "warning: ' allocation '!A3: A/INF/S1 appears again" in res.output
    assert [line for line in violation_lines(res.output) if line.startswith("pledge")] == [
        "pledge A/INF: 4 units allocated, 2 pledged (4 INF to S1) (' allocation ' rows 2, 3)"
    ]


def test_a_snapshot_violation_names_its_allocation_rows(tmp_path: Path) -> None:
    """The simple case (A pledged 2 INF, B 2; S1 and S2 need 2 INF each) with A 2 at S1 (row
    2), B 2 at S2 (row 3) and A 1 more at S2 (row 4): A's pledge is broken by rows 2 and 4,
    S2's requirement by rows 3 and 4; each message is followed by those rows, as on the sheet."""
    src, out = solved(tmp_path)
    set_allocation(out, [("A", "INF", "S1", 2), ("B", "INF", "S2", 2), ("A", "INF", "S2", 1)])
    res = run_snapshot(src, out)
    assert res.exit_code == 3, res.output
    lines = [line.strip() for line in res.output.splitlines()]
    assert (
        "pledge A/INF: 3 units allocated, 2 pledged (2 INF to S1, 1 INF to S2) "
        "(Allocation rows 2, 4)"
    ) in lines
    assert (
        "requirement S2/INF: 3 units allocated (A 1, B 2), 2 required (Allocation rows 3, 4)"
    ) in lines


def test_the_row_is_named_by_its_contributor_cell_wherever_that_column_is(
    tmp_path: Path,
) -> None:
    """A planner moved the contributor column to B: row 2's cell is Tours!B2. The caveat
    message (A excludes S1) names it too."""
    header = ["site", "contributor", "capability", "from", "to", "units"]
    out = write_plan(
        tmp_path / "plan.xlsx", [("S1", "A", "INF", "P1", "P2", 1)], tour_header=header
    )
    res = run(timed(tmp_path, caveats=caveat("exclude", site="S1")), out)
    assert violation_lines(res.output) == [
        "caveat K1 (A exclude site=S1): tour A/INF/S1 P1..P2 sends 1 INF to S1 in P1..P2 (Tours!B2)"
    ]


def test_a_locked_tour_names_the_tours_rows_of_its_option(tmp_path: Path) -> None:
    """Baseline sheet: A 1 INF at S1 in P1..P4, locked. The plan (row 2: A at S1 P1..P2, row
    3: B at S1 P3..P4) has 0 of 1 in P3..P4: the message names the Baseline row, the console
    adds the plan's row of that option (A at S1: row 2)."""
    src = timed_case(
        tmp_path / "timed.xlsx",
        periods=months(4),
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1,
             "from": "P1", "to": "P4", "lock": "yes"},
        ],
    )  # fmt: skip
    out = plan(tmp_path, [("A", "INF", "S1", "P1", "P2", 1), ("B", "INF", "S1", "P3", "P4", 1)])
    assert violation_lines(run(src, out).output) == [
        "Baseline!A2: locked tour A INF at S1 in P1..P4: fewer units present in P3..P4 "
        "(P3: 0 of 1) (Tours!A2)"
    ]


def test_a_message_that_names_its_cell_or_no_tour_is_not_cited_again(tmp_path: Path) -> None:
    """Row 2 names site S9 (its cell, Tours!C2, leads the error: an input error since session
    26); with row 2 at S2 instead, S1 is hard and left short in every period (a line, no tour
    behind it): neither gets a row reference."""
    sheets = {
        "requirements": [
            {"site": "S1", "capability": "INF", "units": 2, "hard": "yes"},
            {"site": "S2", "capability": "INF", "units": 2},
        ]
    }
    out = plan(tmp_path, [("A", "INF", "S9", "P1", "P1", 1)])
    said = run(timed(tmp_path, **sheets), out)
    assert said.exit_code == 2
    assert said.output.splitlines()[0] == (
        "error: Tours!C2: site 'S9' is not on the Sites sheet of the input"
    )
    out = plan(tmp_path, [("A", "INF", "S2", "P1", "P1", 1)])
    assert violation_lines(run(timed(tmp_path, **sheets), out).output) == [
        "hard requirement S1/INF in P1..P4: 0 units allocated, 2 required (short 2)",
    ]


# ---- (2) a rotation message names the tours behind it -------------------------------------------
def test_rotation_names_the_tours_deployed_and_in_dwell(tmp_path: Path) -> None:
    """A pledges 2 with 3 months of dwell. Row 2: 1 unit at S1 in P1, ends at e = 1, at home
    while 1 <= m < 4: P2 (m = 1), P3 (m = 2). Row 3: 2 units at S2 in P2, ends at e = 2, at
    home while 2 <= m < 5: P3, P4 (m = 4).
    P2: 2 deployed (row 3) + 1 in dwell (row 2) = 3 > 2.
    P3: 0 deployed + 1 + 2 in dwell (rows 2, 3) = 3 > 2: no tour deployed, only the dwell.
    P1 (1) and P4 (2 in dwell) hold."""
    messages = found(
        tmp_path,
        [("A", "INF", "S1", "P1", "P1", 1), ("A", "INF", "S2", "P2", "P2", 2)],
        pledges=pledges(dwell_months=3),
    )
    assert messages == [
        "A/INF in P2: 2 units deployed + 1 in dwell > 2 pledged; deployed: 2 at S2 P2 "
        "(Tours!A3); in dwell: 1 back from S1 P1 (Tours!A2)",
        "A/INF in P3: 0 units deployed + 3 in dwell > 2 pledged; in dwell: 1 back from S1 P1 "
        "(Tours!A2), 2 back from S2 P2 (Tours!A3)",
    ]


def test_rotation_over_a_span_names_every_tour_of_it_in_time_order(tmp_path: Path) -> None:
    """A pledges 1 (no dwell): row 2 keeps 1 at S1 in P1..P4, and rows 3-6 add 1 at S2 in P1,
    P2, P3, P4 in turn: 2 deployed > 1 in every period, one message P1..P4. Its tours in time
    order (first period, then last): row 3 (P1), row 2 (P1..P4), row 4 (P2), then 2 more."""
    tours = [("A", "INF", "S1", "P1", "P4", 1)]
    tours += [("A", "INF", "S2", p, p, 1) for p in ("P1", "P2", "P3", "P4")]
    src = timed(tmp_path, pledges=pledges(a=1))
    out = plan(tmp_path, tours)
    report = verify_file(src, out)
    assert [v.message for v in report.violations] == [
        "A/INF in P1..P4: 2 units deployed > 1 pledged; deployed: 1 at S2 P1 (Tours!A3), "
        "1 at S1 P1..P4 (Tours!A2), 1 at S2 P2 (Tours!A4) and 2 more"
    ]
    assert report.violations[0].rows == (2, 3, 4, 5, 6)
    assert violation_lines(run(src, out).output) == [report.violations[0].message]


# ---- (3) one violation over its span, whoever shares the line ----------------------------------
HAND_OVER = [
    ("A", "INF", "S1", "P1", "P2", 2),
    ("B", "INF", "S1", "P1", "P2", 1),
    ("A", "INF", "S1", "P3", "P4", 1),
    ("B", "INF", "S1", "P3", "P4", 2),
]


def test_a_requirement_exceeded_by_the_same_units_is_one_message(tmp_path: Path) -> None:
    """S1 requires 2: A 2 + B 1 in P1..P2 (rows 2, 3), A 1 + B 2 in P3..P4 (rows 4, 5): 3
    allocated, 2 required in every period. One message P1..P4, the shares per sub-range (two
    messages before, split only by who holds which share)."""
    src = timed(tmp_path)
    out = plan(tmp_path, HAND_OVER)
    assert [v.message for v in verify_file(src, out).violations] == [
        "requirement S1/INF in P1..P4: 3 units allocated (A 2, B 1 in P1..P2; A 1, B 2 in "
        "P3..P4), 2 required"
    ]
    assert violation_lines(run(src, out).output)[0].endswith(", 2 required (Tours rows 2, 3, 4, 5)")


def test_different_numbers_stay_separate_messages(tmp_path: Path) -> None:
    """As above but B brings 2 in P1..P2: 4 allocated there, 3 in P3..P4. The numbers differ,
    so the periods are two messages."""
    tours = [HAND_OVER[0], ("B", "INF", "S1", "P1", "P2", 2), *HAND_OVER[2:]]
    assert found(tmp_path, tours) == [
        "requirement S1/INF in P1..P2: 4 units allocated (A 2, B 2), 2 required",
        "requirement S1/INF in P3..P4: 3 units allocated (A 1, B 2), 2 required",
    ]


def test_a_detail_changing_every_period_lists_a_few_sub_ranges(tmp_path: Path) -> None:
    """S1 gets A 2 + B 1 and A 1 + B 2 in turn, one period each (rows 2-9): 3 > 2 in every
    period, one message; its shares change three times: four sub-ranges, all listed (one more
    than the three shown is not elided: `wording.shortened`)."""
    shares = [(2, 1), (1, 2), (2, 1), (1, 2)]
    tours = [
        (c, "INF", "S1", p, p, n)
        for p, (a, b) in zip(("P1", "P2", "P3", "P4"), shares, strict=True)
        for c, n in (("A", a), ("B", b))
    ]
    src = timed(tmp_path)
    out = plan(tmp_path, tours)
    assert violation_lines(run(src, out).output) == [
        "requirement S1/INF in P1..P4: 3 units allocated (A 2, B 1 in P1; A 1, B 2 in P2; "
        "A 2, B 1 in P3; A 1, B 2 in P4), 2 required (Tours rows 2, 3, 4, 5 and 4 more)"
    ]


def test_single_source_over_a_hand_over_is_one_message(tmp_path: Path) -> None:
    """S1 single-source, requiring 4: A and B both there in every period (HAND_OVER), with
    shares that change in P3: 2 contributors in P1..P4, one message."""
    messages = found(
        tmp_path,
        HAND_OVER,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 4, "single_source": "yes"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
    )
    assert messages == [
        "single-source line S1/INF in P1..P4: 2 contributors (A 2, B 1 in P1..P2; A 1, B 2 in "
        "P3..P4), at most 1 allowed"
    ]


def test_a_caveat_total_over_moving_contingents_is_one_message(tmp_path: Path) -> None:
    """A pledges 4 and caps itself at 2 present (K1). P1..P2: 2 at S1 + 1 at S2 (rows 2, 3);
    P3..P4: 1 at S1 + 2 at S2 (rows 4, 5): 3 > 2 in every period, one message."""
    tours = [
        ("A", "INF", "S1", "P1", "P2", 2),
        ("A", "INF", "S2", "P1", "P2", 1),
        ("A", "INF", "S1", "P3", "P4", 1),
        ("A", "INF", "S2", "P3", "P4", 2),
    ]
    messages = found(tmp_path, tours, pledges=pledges(a=4), caveats=caveat("max_units", value=2))
    assert messages == [
        "caveat K1 (A max_units value=2) in P1..P4: A has 3 units matching (2 INF at S1, 1 INF "
        "at S2 in P1..P2; 1 INF at S1, 2 INF at S2 in P3..P4), at most 2 allowed"
    ]
