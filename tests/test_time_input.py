"""Time in the workbook (`time.md`), the data layer: windows, required units, the Profile,
and their errors and warnings.

Every expected value is derived by hand in the test's docstring from the contract:
m(first) = 0, m(t+1) = m(t) + months(t), M = m(last) + months(last); required(s, k, t) is the
Profile's units in its periods, else the line's units while the line is active, else 0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from solver.data import required_units

from .time_input_case import problems, read, timed, warnings
from .workbooks import simple_case


def test_required_units_line_window_and_profile(tmp_path: Path) -> None:
    """Five periods P1..P5. S1 (units 2) is active P2..P4 with a Profile of 3 units in P3..P3:
    required = [0, 2, 3, 2, 0]. S2 (units 2, no window) has a Profile of 0 in P1..P2 and of 5
    in P5..P5: [0, 0, 2, 2, 5]."""
    path = timed(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "from": "P2", "to": "P4"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        profile=[
            {"site": "S2", "capability": "INF", "from": "P5", "to": "P5", "units": 5},
            {"site": "S1", "capability": "INF", "from": "P3", "to": "P3", "units": 3},
            {"site": "S2", "capability": "INF", "from": "P1", "to": "P2", "units": 0},
        ],
    )
    data = read(path)
    assert required_units(data).tolist() == [[0, 2, 3, 2, 0], [0, 0, 2, 2, 5]]
    assert list(data.requirements["from_t"]) == [1, 0]
    assert list(data.requirements["to_t"]) == [3, 4]
    profile = data.profile
    rows = profile[["site", "from_t", "to_t", "units"]].itertuples(index=False, name=None)
    assert list(rows) == [
        ("S1", 2, 2, 3),
        ("S2", 0, 1, 0),
        ("S2", 4, 4, 5),
    ]


def test_windows_default_to_first_and_last_period(tmp_path: Path) -> None:
    """Blank from/to: 0 and 4 of five periods; A's pledge P2..P3 is 1..2; tour_months blank is
    NaN (no limit), dwell_months blank is 0; a caveat's window C2 (from P4) is 3..4."""
    path = timed(
        tmp_path,
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "from": "P2", "to": "P3"},
            {
                "contributor": "B",
                "capability": "INF",
                "units": 2,
                "tour_months": 6,
                "dwell_months": 12,
            },
        ],
        caveats=[{"contributor": "A", "caveat": "max_units", "value": 1, "from": "P4"}],
    )
    data = read(path)
    pl = data.pledges
    assert list(pl["from_t"]) == [1, 0] and list(pl["to_t"]) == [2, 4]
    assert np.isnan(pl["tour_months"].iloc[0]) and pl["tour_months"].iloc[1] == 6
    assert list(pl["dwell_months"]) == [0, 12]
    assert list(data.caveats["from_t"]) == [3] and list(data.caveats["to_t"]) == [4]
    assert list(data.requirements["from_t"]) == [0, 0]
    assert list(data.requirements["to_t"]) == [4, 4]


def test_window_errors_all_at_once(tmp_path: Path) -> None:
    """An unknown period (with a did-you-mean), a `from` after its `to`, on three sheets."""
    path = timed(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "from": "P4", "to": "P2"},
            {"site": "S2", "capability": "INF", "units": 2, "to": "P55"},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2, "from": "Q1"}],
        caveats=[{"contributor": "A", "caveat": "max_units", "value": 1, "from": "P3", "to": "P1"}],
    )
    found = problems(path)
    assert (
        "Requirements!H2: from 'P4' is after to 'P2' (on the Periods sheet 'P2' comes first); "
        "correct the one mistyped, or swap them"
    ) in found
    assert "Requirements!I3: to 'P55' is not on the Periods sheet (did you mean 'P5'?)" in found
    assert any(e.startswith("Pledges!F2: from 'Q1' is not on the Periods sheet") for e in found)
    assert any(e.startswith("Caveats!L2: from 'P3' is after to 'P1'") for e in found)
    assert len(found) == 4


def test_a_period_in_another_case_is_taken_with_a_warning(tmp_path: Path) -> None:
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "from": "p2"}],
    )
    data = read(path)
    assert list(data.requirements["from_t"]) == [1]
    assert any("from 'p2' taken as 'P2'" in str(w) for w in data.warnings)


def test_profile_rows_must_name_a_line_stay_inside_it_and_not_overlap(tmp_path: Path) -> None:
    """S1 is active P2..P4. Its Profile rows P1..P2 (leaves the window, starts before P2),
    P2..P3 (overlaps P1..P2 in P2) and S2's row (S2 has no line) are three errors."""
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "from": "P2", "to": "P4"}],
        profile=[
            {"site": "S1", "capability": "INF", "from": "P1", "to": "P2", "units": 1},
            {"site": "S1", "capability": "INF", "from": "P2", "to": "P3", "units": 3},
            {"site": "S2", "capability": "INF", "from": "P1", "to": "P1", "units": 1},
        ],
    )
    found = problems(path)
    assert any(
        e.startswith(
            "Profile!C2: Profile row P1..P2 of S1/INF lies outside the line's window P2..P4 "
            "(Requirements row 2)"  # a row, said as a row (it read 'Requirements!2')
        )
        for e in found
    )
    assert any(
        e.startswith("Profile!C3: Profile row P2..P3 of S1/INF overlaps the row at row 2 (P1..P2)")
        for e in found
    )
    assert any(
        e.startswith("Profile!A4: Profile row for S2/INF: there is no such line") for e in found
    )
    assert len(found) == 3


def test_a_line_whose_window_is_in_error_gives_its_profile_rows_no_second_error(
    tmp_path: Path,
) -> None:
    """S1's window runs backwards (from P3 to P2) and S2's `from` is no period: one error
    each, on the Requirements cell. Their Profile rows are not measured against a window that
    does not exist (it read 'outside the line's window P3..P2'), nor said to name no line."""
    path = timed(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "from": "P3", "to": "P2"},
            {"site": "S2", "capability": "INF", "units": 2, "from": "P9"},
        ],
        profile=[
            {"site": "S1", "capability": "INF", "from": "P1", "to": "P4", "units": 1},
            {"site": "S2", "capability": "INF", "from": "P1", "to": "P1", "units": 1},
        ],
    )
    found = problems(path)
    assert len(found) == 2, found
    assert all(e.startswith("Requirements!") for e in found)


def test_a_line_whose_row_has_a_bad_cell_gives_its_profile_rows_no_second_error(
    tmp_path: Path,
) -> None:
    """S1's `units` is 'three' (its row is dropped for that error): its Profile row names a
    line that is there, so the one error is the cell's (it read 'there is no such line (no
    Requirements row for INF at S1)')."""
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": "three"}],
        profile=[{"site": "S1", "capability": "INF", "from": "P1", "to": "P2", "units": 1}],
    )
    found = problems(path)
    assert len(found) == 1, found
    assert found[0].startswith("Requirements!C2: units must be a whole number >= 0, got 'three'")


def test_profile_rows_that_overlap_are_said_while_their_lines_window_is_in_error(
    tmp_path: Path,
) -> None:
    """S1's `to` is P9, no period; S2's window runs backwards (P3..P2). Each line's Profile rows
    overlap: S1's P2..P4 the row P1..P3 (in P2..P3), S2's P2 the row P1..P2 (in P2). An overlap
    does not depend on the window, so all four errors come in one run (the overlaps came only
    once the windows were fixed)."""
    path = timed(
        tmp_path,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "to": "P9"},
            {"site": "S2", "capability": "INF", "units": 2, "from": "P3", "to": "P2"},
        ],
        profile=[
            {"site": "S1", "capability": "INF", "from": "P1", "to": "P3", "units": 1},
            {"site": "S1", "capability": "INF", "from": "P2", "to": "P4", "units": 2},
            {"site": "S2", "capability": "INF", "from": "P1", "to": "P2", "units": 1},
            {"site": "S2", "capability": "INF", "from": "P2", "to": "P2", "units": 2},
        ],
    )
    overlap = "; a line's Profile rows must not overlap in time"
    assert problems(path) == [
        "Requirements!I2: to 'P9' is not on the Periods sheet",
        "Requirements!H3: from 'P3' is after to 'P2' (on the Periods sheet 'P2' comes first); "
        "correct the one mistyped, or swap them",
        "Profile!C3: Profile row P2..P4 of S1/INF overlaps the row at row 2 (P1..P3)" + overlap,
        "Profile!C5: Profile row P2 of S2/INF overlaps the row at row 4 (P1..P2)" + overlap,
    ]


def test_profile_requires_its_columns(tmp_path: Path) -> None:
    path = timed(tmp_path, profile=[{"site": "S1", "capability": "INF", "from": "P1"}])
    found = problems(path)
    assert "Profile!D2: to is required; fill in the cell" in found
    assert "Profile!E2: units is required; fill in the cell" in found


def test_time_cells_in_a_snapshot_are_errors_naming_each_cell(tmp_path: Path) -> None:
    """No Periods sheet rows: every filled time cell (even dwell_months 0) and every Profile row
    is an error, all at once: there are no periods to refer to."""
    path = simple_case(
        tmp_path / "snap.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "to": "2027-03"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 6},
            {"contributor": "B", "capability": "INF", "units": 2, "dwell_months": 0},
        ],
        caveats=[{"contributor": "A", "caveat": "max_units", "value": 1, "from": "M1"}],
        profile=[{"site": "S1", "capability": "INF", "from": "M1", "to": "M2", "units": 1}],
    )
    found = problems(path)
    cells = sorted(e.split(":")[0] for e in found)
    assert cells == ["Caveats!L2", "Pledges!H2", "Pledges!I3", "Profile!A2", "Requirements!I2"]
    assert all("there are no periods to refer to" in e for e in found)
    assert any(
        e.startswith("Requirements!I2: to is '2027-03' but there are no periods") for e in found
    )


def test_a_tour_shorter_than_a_period_warns_naming_the_periods(tmp_path: Path) -> None:
    """Periods of 1, 3, 3, 1 months; A's tour of 2 months can cover neither 3-month period
    (a tour covers whole periods): warn naming Q2..Q3. B's window P4 only: no warning. C's
    window Q3..P4 holds one such period: said in the singular."""
    path = timed(
        tmp_path,
        periods=[
            {"period": "P1"},
            {"period": "Q2", "months": 3},
            {"period": "Q3", "months": 3},
            {"period": "P4"},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 2},
            {"contributor": "B", "capability": "INF", "units": 2, "tour_months": 1, "from": "P4"},
            {"contributor": "C", "capability": "INF", "units": 1, "tour_months": 1, "from": "Q3"},
        ],
        contributors=[{"contributor": c} for c in "ABC"],
    )
    found = [w for w in warnings(path) if "tour_months" in w]
    assert found == [
        "warning: Pledges!H2: A/INF: tour_months 2 is shorter than each of the periods Q2..Q3 "
        "(3 months long each) inside the pledge's window: a tour covers whole periods, so these "
        "units can never deploy in those periods",
        "warning: Pledges!H4: C/INF: tour_months 1 is shorter than the period Q3 (3 months "
        "long) inside the pledge's window: a tour covers whole periods, so these units can "
        "never deploy in that period",
    ]


def test_a_dwell_without_a_tour_limit_is_explained(tmp_path: Path) -> None:
    path = timed(
        tmp_path,
        pledges=[{"contributor": "A", "capability": "INF", "units": 2, "dwell_months": 12}],
    )
    (found,) = [w for w in warnings(path) if "dwell_months" in w]
    assert found.startswith("warning: Pledges!I2: A/INF: dwell_months 12 with no tour_months")


def test_windows_that_never_meet_warn(tmp_path: Path) -> None:
    """S1/INF is active P4..P5 only, S2 has no INF line. A's pledge is available P1..P2 (never
    when INF is required: unusable, warned at its `to`, the end that keeps it from P4..P5; a
    planner trial saw the blank `from` named), B's P4..P5: no warning for B and none for S1.
    Then with B gone, S1 is short in every period: warned at its `from` cell. A pledge that
    starts after the last period needed is warned at its `from`."""
    lines = [{"site": "S1", "capability": "INF", "units": 2, "from": "P4"}]
    a = {"contributor": "A", "capability": "INF", "units": 2, "from": "P1", "to": "P2"}
    b = {"contributor": "B", "capability": "INF", "units": 2, "from": "P4"}
    found = warnings(timed(tmp_path, requirements=lines, pledges=[a, b]))
    assert found == [
        "warning: Pledges!G2: A/INF is available only in P1..P2, when no INF line requires a "
        "unit (INF is required in P4..P5): the pledge can never be used"
    ]
    found = warnings(timed(tmp_path, requirements=lines, pledges=[a]))
    assert (
        "warning: Requirements!H2: S1/INF requires units only in P4..P5, when no INF pledge is "
        "available (pledges of INF are available in P1..P2): the line is short in every period"
    ) in found
    early = [{"site": "S1", "capability": "INF", "units": 2, "to": "P2"}]
    late = {"contributor": "A", "capability": "INF", "units": 2, "from": "P4"}
    found = warnings(timed(tmp_path, requirements=early, pledges=[late, b | {"from": "P1"}]))
    assert [w for w in found if "never be used" in w] == [
        "warning: Pledges!F2: A/INF is available only in P4..P5, when no INF line requires a "
        "unit (INF is required in P1..P2): the pledge can never be used"
    ]


def test_a_profile_of_zero_units_is_no_requirement_for_the_window_warnings(tmp_path: Path) -> None:
    """S1 (units 2, P1..P5) requires 0 in P1..P3 by its Profile; A is available P1..P3 only:
    it is never usable (required(S1, INF, t) = 0 there)."""
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        profile=[{"site": "S1", "capability": "INF", "from": "P1", "to": "P3", "units": 0}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "to": "P3"},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
    )
    assert [w for w in warnings(path) if "never be used" in w] == [
        "warning: Pledges!G2: A/INF is available only in P1..P3, when no INF line requires a "
        "unit (INF is required in P4..P5): the pledge can never be used"
    ]


def test_a_row_with_a_bad_cell_has_its_keys_and_periods_checked_too(tmp_path: Path) -> None:
    """A's pledge row has dwell_months 'x' and from 'P9'; a caveat has value 'lots' and from
    'P7'; a pledge of units 'x' names contributor ZZZ. Every error at once: before, a row
    dropped for one bad cell had its unknown period and contributor said only on the next run
    (an audit)."""
    path = timed(
        tmp_path,
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "dwell_months": "x"}
            | {"from": "P9"},
            {"contributor": "ZZZ", "capability": "INF", "units": "x"},
        ],
        caveats=[
            {"id": "C1", "contributor": "A", "caveat": "max_units", "value": "lots", "from": "P7"}
        ],
    )
    found = problems(path)
    for cell, start in [
        ("Pledges!", "dwell_months must be a whole number >= 0, got 'x'"),
        ("Pledges!", "from 'P9' is not on the Periods sheet"),
        ("Pledges!A3", "contributor 'ZZZ' is not on the Contributors sheet"),
        ("Pledges!", "units must be a whole number >= 0, got 'x'"),
        ("Caveats!", "value must be a number, got 'lots'"),
        ("Caveats!", "from 'P7' is not on the Periods sheet"),
    ]:
        assert any(p.startswith(cell) and start in p for p in found), (start, found)
    assert len(found) == 6, found


def test_a_line_only_a_profile_raises_is_something_to_allocate(tmp_path: Path) -> None:
    """Every line of units 0, one raised to 1 in P2 by the Profile: no "nothing to allocate"."""
    path = timed(
        tmp_path,
        requirements=[{"site": "S1", "capability": "INF", "units": 0, "priority": 1}],
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 1}],
    )
    assert not any("nothing to allocate" in w for w in warnings(path))
    flat = timed(tmp_path, requirements=[{"site": "S1", "capability": "INF", "units": 0}])
    assert any("nothing to allocate" in w for w in warnings(flat))
