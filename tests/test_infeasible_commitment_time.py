"""A caveat in an infeasible timed workbook is named with the periods the conflict needs, and a
commitment (`min_units`) with no option in some periods of its window is explained there and
warned about by `validate`.

The world (tests/time_cases.py): contributors A and B, capability INF (category ground), sites
S1 (country X, zone front) and S2 (country Y, zone rear); A pledges 1 INF unless a test says
otherwise. Periods P1..Pn of one month. A caveat's `min_units` row in period t reads
sum of A's matching x[A,k,s,t] >= value; with no option of A matching it in t the row is
0 >= value: impossible on its own, whatever else the workbook says.

The texts below are worked out from the rules of `solver/explain/rules_time.py` (a caveat's
periods are named when they are not its whole window) and `solver/io/validate_time.py`
(`no_option_reason`, `window_fix`).
"""

from __future__ import annotations

from pathlib import Path

from solver import api

from .idle_warnings import without_idle
from .time_cases import months, timed_case

C1 = {"id": "C1", "contributor": "A", "caveat": "min_units", "capability": "INF", "value": 1}


def conflict(tmp_path: Path, **sheets: object) -> api.Result:
    result = api.solve(timed_case(tmp_path / "case.xlsx", **sheets), time_limit=60)
    assert result.status == "infeasible", result.status
    assert result.conflict is not None
    return result


def warnings(tmp_path: Path, **sheets: object) -> list[str]:
    data = api.read(timed_case(tmp_path / "case.xlsx", **sheets), allow_timed=True)
    return without_idle(str(w) for w in data.warnings)


def test_a_commitment_before_its_line_is_named_in_that_period(tmp_path: Path) -> None:
    """The trial's case in small: S1/INF requires 1 unit from P2 of P1..P4; A must deploy 1 INF
    over the whole horizon (C1). In P1 no INF line requires a unit, so A has no option and C1's
    row of P1 is 0 >= 1: P1 alone is impossible (the search finds it first), and the filter
    keeps C1's row of P1 only. Shifted to P2..P4, C1 alone is met (A's unit at S1): no repeat.
    Named: C1 in P1 (not its whole window P1..P4), why (S1/INF from P2) and the fix (C1 from
    P2). The smallest change giving a plan in P1 lowers C1 there by 1 (from 1 to 0)."""
    result = conflict(
        tmp_path,
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "from": "P2"}],
        caveats=[C1],
    )
    assert result.conflict is not None
    assert result.conflict.rules == [
        (
            "caveat:C1/P1",
            "caveat C1 (A min_units capability=INF 1) in P1: no A unit can count towards it "
            "then, as no INF line requires a unit (S1/INF from P2); set the caveat's from to P2",
        )
    ]
    assert result.conflict.give_way == [
        ("caveat C1 (A min_units capability=INF 1) in P1", 1.0, "unit")
    ]
    assert result.conflict.give_way_in == "P1"
    assert not result.conflict.repeated
    sheet = result.tables.extra["Infeasibility"]
    assert sheet["rule"].tolist()[0] == "caveat:C1/P1"
    lines = result.conflict.lines()
    assert "The smallest change that gives a plan in P1 relaxes:" in lines
    summary = dict(result.tables.summary)  # the heuristic's note names C1 once (not `C1 C1/P1`)
    assert str(summary["heuristic"]).startswith(
        "the construction heuristic could not meet caveat C1 P1 (1 rule unmet)"
    )


def test_a_commitment_before_the_pledge_is_ready_repeats_over_those_periods(
    tmp_path: Path,
) -> None:
    """A's pledge is ready from P3 of P1..P4 (the line S1/INF of 1 unit in every period); A
    must deploy 1 unit (C1, no capability filter). In P1 and P2 A has no option: the conflict
    found is C1 in P1; shifted by 1 it holds in P2 (0 >= 1 again), by 2 not (A can be at S1 in
    P3); no period before P1. Named in P1..P2 (a note says the conflict repeats), why: A's INF
    pledge is not available then (A/INF from P3). The relaxation is for P1..P2, by 1 in each
    (2 unit-periods)."""
    result = conflict(
        tmp_path,
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "from": "P3"}],
        caveats=[{"id": "C1", "contributor": "A", "caveat": "min_units", "value": 1}],
    )
    assert result.conflict is not None
    assert result.conflict.rules == [
        (
            "caveat:C1/P1..P2",
            "caveat C1 (A min_units 1) in P1..P2: no A unit can count towards it then, as no "
            "INF pledge of A is available (A/INF from P3); set the caveat's from to P3",
        )
    ]
    assert result.conflict.give_way == [("caveat C1 (A min_units 1) in P1..P2", 2.0, "unit-period")]
    assert result.conflict.give_way_in == "P1..P2"
    assert result.conflict.repeated


def test_a_caveat_named_in_the_periods_of_a_conflict_with_a_hard_line(tmp_path: Path) -> None:
    """S1/INF (1 unit) is active and hard from P3 of P1..P4; A (the only pledge, 1 INF) may
    deploy 0 units (C2 max_units 0, whole horizon). C2 has rows only in P3..P4 (in P1..P2 A has
    no option: nothing to cap). P1 and P2 are possible; P3 alone is not: the hard line needs
    A's unit, C2 forbids it. The filter keeps C2's row and the line's floor in P3 (A's pledge
    is not needed: without it nothing changes). Shifted by 1 (P4) the same holds; by -1 the
    line has no row in P2: no shift. C2 is named in P3..P4 (its window is P1..P4), with no
    reason (a cap is no commitment); A's pledge is said kept out by C2 (a cap of 0 lets it
    send none). Either rule relaxed by 1 in P3 and P4 gives a plan there (2 unit-periods)."""
    result = conflict(
        tmp_path,
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "hard": "yes", "from": "P3"}],
        caveats=[{"id": "C2", "contributor": "A", "caveat": "max_units", "value": 0}],
    )
    assert result.conflict is not None
    assert result.conflict.rules == [
        ("caveat:C2/P3..P4", "caveat C2 (A max_units 0) in P3..P4"),
        (
            "hard:S1/INF/P3..P4",
            "S1/INF is hard in P3..P4 (needs 1 INF in full; hard because of the workbook "
            "(hard = yes)); INF is pledged by A 1 (kept out by C2)",
        ),
    ]
    assert result.conflict.give_way_in == "P3..P4"
    assert result.conflict.give_way in (
        [("caveat C2 (A max_units 0) in P3..P4", 2.0, "unit-period")],
        [("S1 needs 1 INF in full in P3..P4", 2.0, "unit-period")],
    )


def test_a_caveat_over_its_whole_window_is_named_without_periods(tmp_path: Path) -> None:
    """C1 (A min_units INF 1) applies in P1 only (to P1) of P1..P2; no line requires INF in P1
    (S1/INF from P2): its one row, of P1, is the conflict. Its periods are its whole window,
    which its text gives already: id and text without periods; the reason and the fix stay
    (no period left in its window: check its filters, or delete it)."""
    result = conflict(
        tmp_path,
        periods=months(2),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "from": "P2"}],
        caveats=[{**C1, "to": "P1"}],
    )
    assert result.conflict is not None
    assert result.conflict.rules == [
        (
            "caveat:C1",
            "caveat C1 (A min_units capability=INF 1, P1): no A unit can count towards it, as "
            "no INF line requires a unit (S1/INF from P2); check its filters, or delete the "
            "caveat",
        )
    ]
    assert result.conflict.give_way == [
        ("caveat C1 (A min_units capability=INF 1, P1)", 1.0, "unit")
    ]


# --- validate -------------------------------------------------------------------------------
# Caveats columns (contract order): id A, contributor B, caveat C, capability D, category E,
# site F, zone G, country H, other I, value J, note K, from L, to M.


def test_validate_warns_of_a_commitment_before_its_line(tmp_path: Path) -> None:
    """The first case above: C1 asks for units in P1..P4, none can count in P1; the periods
    start its window, so the warning is at its `from` cell (L2) and the fix moves it to P2."""
    found = warnings(
        tmp_path,
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "from": "P2"}],
        caveats=[C1],
    )
    assert found == [
        "warning: Caveats!L2: caveat C1 (A min_units capability=INF 1) asks for units in "
        "P1..P4, but no A unit can count towards it in P1, as no INF line requires a unit "
        "(S1/INF from P2): the plan is infeasible; set the caveat's from to P2"
    ]


def test_validate_warns_of_a_commitment_after_the_mandate_ends(tmp_path: Path) -> None:
    """A's pledge ends with P2 of P1..P4: C1 (whole horizon) cannot be met in P3..P4, the end
    of its window: the warning is at its `to` cell (M2), the fix ends it with P2."""
    found = warnings(
        tmp_path,
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P2"}],
        caveats=[C1],
    )
    assert found == [
        "warning: Caveats!M2: caveat C1 (A min_units capability=INF 1) asks for units in "
        "P1..P4, but no A unit can count towards it in P3..P4, as no INF pledge of A is "
        "available (A/INF to P2): the plan is infeasible; set the caveat's to to P2"
    ]


def test_validate_warns_of_a_gap_inside_the_window(tmp_path: Path) -> None:
    """S1/INF requires 0 units in P2 (Profile) of P1..P3: C1 cannot be met in P2 only; one row
    per run of the periods left (P1, P3) would fix it. The line's note names when it requires
    a unit (P1, P3)."""
    found = warnings(
        tmp_path,
        periods=months(3),
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 0}],
        caveats=[C1],
    )
    assert found == [
        "warning: Caveats!L2: caveat C1 (A min_units capability=INF 1) asks for units in "
        "P1..P3, but no A unit can count towards it in P2, as no INF line requires a unit "
        "(S1/INF P1, P3): the plan is infeasible; split the caveat into one row per run of "
        "P1, P3"
    ]


def test_validate_warns_of_a_commitment_no_line_can_meet(tmp_path: Path) -> None:
    """C1 limited to site S2, where no INF line is: no option in any period; keys that exist,
    so no filter warning: this one says so, and that only its filters (or its removal) can
    help."""
    found = warnings(tmp_path, periods=months(2), caveats=[{**C1, "site": "S2"}])
    assert found == [
        "warning: Caveats!L2: caveat C1 (A min_units capability=INF site=S2 1) asks for units "
        "in P1..P2, but no A unit can count towards it in P1..P2, as there is no INF line at "
        "a site the caveat matches: the plan is infeasible; check its filters, or delete the "
        "caveat"
    ]


def test_validate_says_nothing_more_when_a_filter_matches_nothing(tmp_path: Path) -> None:
    """C1 limited to zone `frnot` (no site has it): the filter's own warning (at G2) says the
    commitment cannot be met; no second warning for the same caveat."""
    found = warnings(tmp_path, periods=months(2), caveats=[{**C1, "zone": "frnot"}])
    assert len(found) == 1 and found[0].startswith("warning: Caveats!G2: zone 'frnot'")


def test_validate_is_quiet_when_a_commitment_can_be_met_or_asks_for_nothing(
    tmp_path: Path,
) -> None:
    """C1 over P1..P2, with A's option at S1 in both periods; C3 (min_units 0 at S2) and C4
    (min_contingent 2 at S2) match no option of A in any period, but ask for no unit (0 units
    meet them): no warning."""
    found = warnings(
        tmp_path,
        periods=months(2),
        caveats=[
            C1,
            {"id": "C3", "contributor": "A", "caveat": "min_units", "site": "S2", "value": 0},
            {"id": "C4", "contributor": "A", "caveat": "min_contingent", "site": "S2", "value": 2},
        ],
    )
    assert found == []


def test_a_commitment_in_periods_longer_than_the_pledges_tours_says_so(tmp_path: Path) -> None:
    """Periods P1 (1 month), P2 (2 months), P3 (1 month); A's INF pledge is open from P2 with
    tours of at most 1 month, and C1 (A min_units 1) asks for units in P1..P3. A has no option
    in P1 (before its pledge) nor in P2 (a 1-month tour cannot cover a 2-month period): the
    warning said both were `no INF pledge of A is available (A/INF from P3)`, a window the
    Pledges sheet does not have (a trial). Each now has its own reason, the pledge's window as
    written (from P2), and the fix is the same (C1 from P3)."""
    periods = [
        {"period": "P1", "months": 1},
        {"period": "P2", "months": 2},
        {"period": "P3", "months": 1},
    ]
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 1, "from": "P2", "tour_months": 1}
    ]
    caveat = {"id": "C1", "contributor": "A", "caveat": "min_units", "value": 1}
    said = warnings(tmp_path, periods=periods, pledges=pledges, caveats=[caveat])
    assert any(
        "caveat C1 (A min_units 1) asks for units in P1..P3, but no A unit can count towards "
        "it in P1..P2, as no INF pledge of A is available in P1 (A/INF from P2), and A's tours "
        "of INF of at most 1 month cannot cover P2 (2 months): the plan is infeasible; set the "
        "caveat's from to P3" in w
        for w in said
    ), said
    open_throughout = [{**pledges[0], "from": None}]
    said = warnings(tmp_path, periods=periods, pledges=open_throughout, caveats=[caveat])
    assert any(
        "no A unit can count towards it in P2, as A's tours of INF of at most 1 month cannot "
        "cover P2 (2 months): the plan is infeasible; split the caveat into one row per run of "
        "P1, P3" in w
        for w in said
    ), said
