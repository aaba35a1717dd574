"""`validate` warns of a hard line no plan can meet, however the pledges are placed
(solver/io/hard_lines.py): the units that could ever serve it, less those a caveat keeps out,
fewer than it requires (an infeasibility trial: `valid`, then an infeasible solve).
Each expectation is worked by hand."""

from __future__ import annotations

from pathlib import Path

from solver.io.read import read_data

from .time_cases import months, timed_case
from .workbooks import write_workbook

INF = [{"capability": "INF", "category": "ground", "personnel_per_unit": 100}]


def warnings_of(path: Path) -> list[str]:
    return [str(w) for w in read_data(path).warnings]


def test_a_hard_line_above_what_can_serve_it_is_warned_at_its_hard_cell(tmp_path: Path) -> None:
    """S1 needs 3 INF, hard (its cell F2); A pledges 1, B 2, C 1, but caveat NOC excludes C from
    S1: at most 1 + 2 = 3 units can serve S1, as many as it needs: no warning. Raised to 4:
    at most 3 against 4, C named as kept out by NOC."""
    rows = dict(
        contributors=[{"contributor": c} for c in "ABC"],
        capabilities=INF,
        sites=[{"site": "S1", "country": "X"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 2},
            {"contributor": "C", "capability": "INF", "units": 1},
        ],
        caveats=[{"id": "NOC", "contributor": "C", "caveat": "exclude", "site": "S1"}],
    )
    line = {"site": "S1", "capability": "INF", "units": 3, "hard": "yes"}
    met = write_workbook(tmp_path / "met.xlsx", requirements=[line], **rows)
    assert not [w for w in warnings_of(met) if "is hard but" in w]
    short = write_workbook(tmp_path / "short.xlsx", requirements=[{**line, "units": 4}], **rows)
    said = [w for w in warnings_of(short) if "is hard but" in w]
    assert said == [
        "warning: Requirements!F2: S1/INF is hard but too few INF units can ever serve it (A 1, "
        "B 2; C 1 kept out by NOC): at most 3 can against 4 required; no plan exists: lower "
        "its units, soften it (hard = no), or find another pledge"
    ]


def test_a_hard_line_before_any_pledge_is_ready_names_those_periods(tmp_path: Path) -> None:
    """S1/INF is hard (1 unit) in P1..P6; A's only unit is ready from P4 (B pledges nothing):
    nothing can serve the line in P1..P3, where it needs 1; from P4 A can."""
    path = timed_case(
        tmp_path / "case.xlsx",
        periods=months(6),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "hard": "yes"}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "from": "P4"}],
    )
    said = [w for w in warnings_of(path) if "is hard but" in w]
    assert len(said) == 1
    assert (
        "S1/INF is hard but too few INF units can ever serve it: no unit can serve it in "
        "P1..P3 against 1 required; no plan exists" in said[0]
    )


def test_another_lines_profile_is_not_read_as_the_hard_lines(tmp_path: Path) -> None:
    """S1/INF (1 unit, hard) is met by A's 1 unit in every period; S2/INF (not hard) is raised
    to 5 in P2 by the Profile: no plan meets S2 there, but S2 is not hard, so no warning (the
    check reads the hard lines alone, their Profile rows with them)."""
    path = timed_case(
        tmp_path / "case.xlsx",
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "hard": "yes"},
            {"site": "S2", "capability": "INF", "units": 1},
        ],
        profile=[{"site": "S2", "capability": "INF", "from": "P2", "to": "P2", "units": 5}],
    )
    assert not [w for w in warnings_of(path) if "is hard but" in w]


def test_a_hard_single_source_line_counts_one_contributor(tmp_path: Path) -> None:
    """S1 needs 2 INF, hard and from a single contributor; A and B pledge 1 each: together 2,
    but one contributor at most 1, against 2: warned (a trial's V2 read `valid`)."""
    path = write_workbook(
        tmp_path / "s.xlsx",
        contributors=[{"contributor": c} for c in "AB"],
        capabilities=INF,
        sites=[{"site": "S1", "country": "X"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "hard": "yes", "single_source": "yes"}
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
    )
    said = [w for w in warnings_of(path) if "is hard" in w]
    assert len(said) == 1
    assert (
        "S1/INF is hard from a single contributor (single_source) but too few INF units can "
        "ever serve it (A 1, B 1): at most 1 can against 2 required" in said[0]
    )


def capped_case(
    tmp_path: Path, name: str, caveat: dict, units: int = 3, more: tuple[dict, ...] = ()
) -> Path:
    """S1 needs `units` INF, hard; A pledges 1, B 2 (100 people a unit); `caveat` (id K1) and
    `more` (their own ids) are B's."""
    return write_workbook(
        tmp_path / name,
        contributors=[{"contributor": c} for c in "AB"],
        capabilities=INF,
        sites=[{"site": "S1", "country": "X"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        caveats=[{"id": "K1", "contributor": "B", **caveat}]
        + [{"contributor": "B", **c} for c in more],
        requirements=[{"site": "S1", "capability": "INF", "units": units, "hard": "yes"}],
    )


def hard_warnings(path: Path) -> list[str]:
    return [w for w in warnings_of(path) if "is hard but" in w]


def test_a_cap_of_zero_keeps_a_pledge_out_of_a_hard_line(tmp_path: Path) -> None:
    """B's `max_units` 0 lets B send nothing: only A's 1 unit can serve S1 against 3 (a trial's
    `max_units` 0 was `valid`, then infeasible); B named as kept out by K1. A `max_personnel`
    of 50 (less than B's unit of 100 people) does the same."""
    expected = (
        "warning: Requirements!F2: S1/INF is hard but too few INF units can ever serve it (A 1; "
        "B 2 kept out by K1): at most 1 can against 3 required; no plan exists: lower its "
        "units, soften it (hard = no), or find another pledge"
    )
    units = capped_case(tmp_path, "u.xlsx", {"caveat": "max_units", "value": 0})
    assert hard_warnings(units) == [expected]
    people = capped_case(tmp_path, "p.xlsx", {"caveat": "max_personnel", "value": 50})
    assert hard_warnings(people) == [expected]


def test_a_cap_above_zero_lowers_what_a_pledge_can_serve(tmp_path: Path) -> None:
    """B's `max_personnel` 150 lets B send 1 of its 2 units (100 people each, 150 // 100):
    A 1 + B 1 = 2 against 3, B said capped; the same cap against a line of 2 is met: no warning.
    A `max_units` 5 (above B's pledge) caps nothing: 1 + 2 = 3, no warning."""
    people = {"caveat": "max_personnel", "value": 150}
    assert hard_warnings(capped_case(tmp_path, "p3.xlsx", people)) == [
        "warning: Requirements!F2: S1/INF is hard but too few INF units can ever serve it (A 1, "
        "B 2 (at most 1 under K1)): at most 2 can against 3 required; no plan exists: lower its "
        "units, soften it (hard = no), or find another pledge"
    ]
    assert hard_warnings(capped_case(tmp_path, "p2.xlsx", people, units=2)) == []
    loose = {"caveat": "max_units", "value": 5}
    assert hard_warnings(capped_case(tmp_path, "u5.xlsx", loose)) == []


def test_a_cap_counts_in_its_window_only(tmp_path: Path) -> None:
    """S1/INF (2 units, hard) over P1..P4; A pledges 2 with a `max_units` 0 in P3..P4 only:
    nothing can serve S1 in P3..P4; in P1..P2 A's 2 can."""
    path = timed_case(
        tmp_path / "case.xlsx",
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "hard": "yes"}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 0, "from": "P3"}],
    )
    said = hard_warnings(path)
    assert len(said) == 1
    assert "no unit can serve it in P3..P4 against 2 required" in said[0]
    assert "(A 2 kept out by K1)" in said[0]


def test_kept_out_names_only_the_caps_that_allow_nothing(tmp_path: Path) -> None:
    """B pledges 2 with K0 (`max_units` 0) and K1 (`max_units` 1): K0 keeps B out, K1 alone
    would let it send 1; the warning names K0 only (a review: `kept out by K0, K1`)."""
    path = capped_case(
        tmp_path,
        "two_caps.xlsx",
        {"caveat": "max_units", "value": 1},
        more=({"id": "K0", "caveat": "max_units", "value": 0},),
    )
    (said,) = hard_warnings(path)
    assert "(A 1; B 2 kept out by K0): at most 1 can against 3 required" in said


def test_a_requires_whose_other_serves_only_lines_that_are_not_hard_keeps_nothing_out(
    tmp_path: Path,
) -> None:
    """A prices trial: S1/INF is hard (1 unit); A pledges 1 INF under R1 (A requires B), and B
    pledges 1 AD, which only S2's AD line (not hard) requires. B can deploy there, so A can
    serve S1: reach 1 against 1, no warning (the check asked the caveats of the hard lines'
    options alone, where B has none, read R1 as keeping A out and said `no plan exists`). With
    S2's AD line gone B has no option anywhere, and R1 keeps A out: warned, naming R1."""
    rows = dict(
        contributors=[{"contributor": c} for c in "AB"],
        capabilities=[*INF, {"capability": "AD", "category": "air", "personnel_per_unit": 50}],
        sites=[{"site": "S1", "country": "X"}, {"site": "S2", "country": "Y"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "AD", "units": 1},
        ],
        caveats=[{"id": "R1", "contributor": "A", "caveat": "requires", "other": "B"}],
    )
    hard = {"site": "S1", "capability": "INF", "units": 1, "hard": "yes"}
    ad = {"site": "S2", "capability": "AD", "units": 1}
    met = write_workbook(tmp_path / "met.xlsx", requirements=[hard, ad], **rows)
    assert not [w for w in warnings_of(met) if "is hard but" in w]
    alone = write_workbook(tmp_path / "alone.xlsx", requirements=[hard], **rows)
    said = [w for w in warnings_of(alone) if "is hard but" in w]
    assert len(said) == 1 and "A 1 kept out by R1" in said[0]
