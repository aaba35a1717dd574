"""A locked tour under a tour limit comes back as one tour of the plan's Tours (a re-plan
trial): its arrival and its departure paired with other units, first in, first out, it was
read as no tour first..last, and the plan was cheaper than the lock allows.

The case: periods 2027-01..2027-04 of one month; S1 needs 2 INF in each; C pledges 2 INF at 10
an arrival (tours of at most 3 months, no dwell), B 2 at 100. The Baseline sheet: C's 1 unit at
S1 in 2027-02..2027-03, locked. Worked by hand: both of C's units are needed in every period (B
costs 10 times as much). The locked unit's tour is exactly 02..03, so that unit serves 01..01,
02..03 (locked) and 04..04: three arrivals; the other serves at most 3 months at once, 01..03,
then 04..04: two more. 5 arrivals, cost 50 (before: 40, as tours 01..01, 01..03, 02..04 and
04..04, in which no tour is 02..03). Shortfall 0; changes |x - b| = 2 + 1 + 1 + 2 = 6
unit-months; presence 1."""

from __future__ import annotations

from pathlib import Path

from solver import api
from solver.verify import verify_file

from .time_cases import timed_case


def test_a_locked_tour_under_a_tour_limit_is_one_tour_of_the_plan(tmp_path: Path) -> None:
    periods = [{"period": f"2027-0{m}", "months": 1} for m in range(1, 5)]
    path = timed_case(
        tmp_path / "lock.xlsx",
        periods=periods,
        contributors=[{"contributor": c, "lat": 0, "lon": 0} for c in ("B", "C")],
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {
                "contributor": "C",
                "capability": "INF",
                "units": 2,
                "cost_per_unit": 10,
                "tour_months": 3,
                "dwell_months": 0,
            },
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 100},
        ],
        baseline=[
            {
                "contributor": "C",
                "capability": "INF",
                "site": "S1",
                "from": "2027-02",
                "to": "2027-03",
                "units": 1,
                "lock": "yes",
            }
        ],
    )
    result = api.solve(path)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert values == {"shortfall.p1": 0, "changes": 6, "cost": 50, "presence": 1}
    names = list(result.data.periods["period"])  # type: ignore[index]
    tours = {(names[f], names[t]): int(n) for *_, f, t, n in result.plan.tours.itertuples(False)}
    assert tours.get(("2027-02", "2027-03"), 0) >= 1
    out = tmp_path / "out.xlsx"
    api.write(result, out)
    assert verify_file(path, out).ok


def test_verify_names_a_locked_tour_re_paired_into_others(tmp_path: Path) -> None:
    """The plan above edited by hand into the tours the solve once gave, 01..01, 01..03, 02..04
    and 04..04: S1 holds 2 in every period, a unit arrives in 02 and one leaves after 03, but
    no tour is the locked 02..03; verify said `the plan holds`."""
    from openpyxl import load_workbook

    path = tmp_path / "lock.xlsx"
    test_a_locked_tour_under_a_tour_limit_is_one_tour_of_the_plan(tmp_path)
    out = tmp_path / "out.xlsx"
    book = load_workbook(out)
    sheet = book["Tours"]
    header = [c.value for c in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for first, last in (
        ("2027-01", "2027-01"),
        ("2027-01", "2027-03"),
        ("2027-02", "2027-04"),
        ("2027-04", "2027-04"),
    ):
        cells = {
            "contributor": "C",
            "capability": "INF",
            "site": "S1",
            "from": first,
            "to": last,
            "units": 1,
        }
        sheet.append([cells.get(str(h)) for h in header])
    book.save(out)
    report = verify_file(path, out)
    said = [v.message for v in report.violations]
    assert said == [
        "Baseline!A2: locked tour C INF at S1 2027-02..2027-03: 1 unit must serve it as one "
        "tour, the Tours have 0 (C's tours of INF last at most 3 months)"
    ]


def test_a_locked_tour_may_leave_before_an_older_unit(tmp_path: Path) -> None:
    """A re-plan trial: P1..P3 of one month; S1 needs 2 INF in each; A pledges 3 INF at 10 an
    arrival, tours of at most 3 months. The baseline: A's tours P1..P3, P1..P1, P2..P2 (locked)
    and P3..P3, one unit each: 4 arrivals, cost 40, every rule kept. Read first in, first out,
    the locked unit of P2 could not leave while the older P1..P3 unit stayed, so the plan
    re-cut the rotation (5 arrivals, cost 50) and was said optimal. Held apart
    (model/locked_apart.py), the baseline is the plan: changes 0, cost 40, the locked tour
    one of its Tours, and verify agrees."""
    periods = [{"period": f"P{m}", "months": 1} for m in (1, 2, 3)]

    def tour(first: str, last: str, lock: str | None = None) -> dict:
        row = {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
        return row | {"from": first, "to": last} | ({"lock": lock} if lock else {})

    path = timed_case(
        tmp_path / "apart.xlsx",
        periods=periods,
        contributors=[{"contributor": "A", "lat": 0, "lon": 0}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 3,
                "cost_per_unit": 10,
                "tour_months": 3,
            }
        ],
        baseline=[tour("P1", "P3"), tour("P1", "P1"), tour("P2", "P2", "yes"), tour("P3", "P3")],
    )
    result = api.solve(path)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert values == {"shortfall.p1": 0, "changes": 0, "cost": 40, "presence": 1}
    # the start is the baseline's: the heuristic begins with the locked tour's column at its
    # units (it began at 0, outside its bounds, and no start from the baseline was valid)
    assert result.outcome.heuristic.startswith("construction heuristic from the baseline: a valid")
    names = list(result.data.periods["period"])  # type: ignore[index]
    tours = {(names[f], names[t]): int(n) for *_, f, t, n in result.plan.tours.itertuples(False)}
    assert tours == {("P1", "P3"): 1, ("P1", "P1"): 1, ("P2", "P2"): 1, ("P3", "P3"): 1}
    out = tmp_path / "out.xlsx"
    api.write(result, out)
    assert verify_file(path, out).ok


def test_locked_tours_that_overlap_are_both_tours_of_the_plan(tmp_path: Path) -> None:
    """A re-plan trial's case c266: P1..P4 of one month; S1 needs 3 INF and S2 1 (priority
    1); A pledges 4 INF at 7 an arrival (tours of at most 3 months), B 2 at 3 (tours of 1
    month). The Baseline sheet: A 1 at S2 in P2, A 1 at S1 in P3..P3 (locked), B 1 at S1 in
    P1, A 1 at S1 in P1..P3 (locked). First in, first out, no reading of the plan's units held
    both locked tours: its Tours had A's P1..P3 twice and P3..P4, no P3..P3, at cost 43, and
    `2 locked rows held`. Held apart, both are tours of the plan, and its stages are the
    trial's own model's optimum (a MIP of explicit tours written from the contract): changes
    10, cost 47; verify agrees."""
    periods = [{"period": f"P{m}", "months": 1} for m in range(1, 5)]

    def row(c: str, site: str, first: str, last: str, lock: str | None = None) -> dict:
        cells = {"contributor": c, "capability": "INF", "site": site, "units": 1}
        return cells | {"from": first, "to": last} | ({"lock": lock} if lock else {})

    path = timed_case(
        tmp_path / "overlap.xlsx",
        periods=periods,
        contributors=[{"contributor": c, "lat": 0, "lon": 0} for c in ("A", "B")],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 4, "cost_per_unit": 7}
            | {"tour_months": 3},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 3}
            | {"tour_months": 1},
        ],
        baseline=[
            row("A", "S2", "P2", "P2"),
            row("A", "S1", "P3", "P3", "yes"),
            row("B", "S1", "P1", "P1"),
            row("A", "S1", "P1", "P3", "yes"),
        ],
    )
    result = api.solve(path)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert values == {"shortfall.p1": 0, "changes": 10, "cost": 47, "presence": 4}
    names = list(result.data.periods["period"])  # type: ignore[index]
    tours = result.plan.tours
    on_s1 = tours[(tours["contributor"] == "A") & (tours["site"] == "S1")]
    spans = {(names[f], names[t]) for f, t in zip(on_s1["first_t"], on_s1["last_t"], strict=True)}
    assert {("P1", "P3"), ("P3", "P3")} <= spans, spans
    out = tmp_path / "out.xlsx"
    api.write(result, out)
    assert verify_file(path, out).ok


def test_a_carried_locked_tour_ending_with_a_held_one_leaves_as_locked(tmp_path: Path) -> None:
    """A review: 2027-01..2027-12, S1 needs 2 INF; A pledges 2 (tours of at most 6 months, no
    dwell). The first plan's Tours edited to two locked tours, A 1 INF at S1 in 2027-05..2027-08
    and 1 in 2027-08..2027-08; the re-plan runs 2027-07..2027-10, so the first is carried in
    and the second held apart (model/locked_apart.py). Both leave after 2027-08: the rows of
    the carried tour's departure count the held unit too (D = 2). With D = 1, the held unit's
    departure met it, the carried unit stayed on (cost 3), and verify refused the re-plan
    (`2 units must leave after 2027-08, the Tours have 1`); now cost 4 and verify agrees."""
    from openpyxl import load_workbook

    from .baseline_input_case import solved_output

    def months(a: int, b: int) -> list[dict]:
        return [{"period": f"2027-{m:02d}", "months": 1} for m in range(a, b + 1)]

    pledge = {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 6}
    pledge["dwell_months"] = 0
    line = [{"site": "S1", "capability": "INF", "units": 2, "priority": 1}]
    first = timed_case(
        tmp_path / "first.xlsx", periods=months(1, 12), requirements=line, pledges=[pledge]
    )
    plan = solved_output(tmp_path, first, "plan.xlsx")
    book = load_workbook(plan)
    tours = book["Tours"]
    width = tours.max_column
    tours.delete_rows(2, tours.max_row)
    tours.cell(1, width + 1, "lock")
    for first_month, months_long in (("2027-05", 4), ("2027-08", 1)):
        row = ["A", "INF", "S1", first_month, "2027-08", months_long, 1]
        tours.append([*row, *[None] * (width - len(row)), "yes"])
    book.save(plan)
    later = timed_case(
        tmp_path / "later.xlsx", periods=months(7, 10), requirements=line, pledges=[pledge]
    )
    result = api.solve(later, baseline=plan, work_limit=5)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert values["cost"] == 4 and values["shortfall.p1"] == 0
    out = tmp_path / "replan.xlsx"
    api.write(result, out)
    assert verify_file(later, out, baseline=plan).ok


def test_a_held_tour_over_two_baseline_rows_starts_from_the_baseline(tmp_path: Path) -> None:
    """A review: P1..P4; S1 needs 3 INF; A pledges 5 (tours of at most 4 months). The Baseline:
    A 1 at S1 in P1..P4, and two locked rows of 1 unit each in P2..P2, one tour held apart of
    2 units (its column fixed at 2). The start placed each row alone, a move the held column's
    rows refused, and the solve started from the heuristic's plan, not the baseline's; the
    rows of one held tour are now placed together, as one row of 2 units is."""
    periods = [{"period": f"P{m}", "months": 1} for m in (1, 2, 3, 4)]

    def tour(first: str, last: str, lock: str | None = None) -> dict:
        row = {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
        return row | {"from": first, "to": last} | ({"lock": lock} if lock else {})

    path = timed_case(
        tmp_path / "split.xlsx",
        periods=periods,
        contributors=[{"contributor": "A", "lat": 0, "lon": 0}],
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "priority": 1}],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 5,
                "cost_per_unit": 10,
                "tour_months": 4,
            }
        ],
        baseline=[tour("P1", "P4"), tour("P2", "P2", "yes"), tour("P2", "P2", "yes")],
    )
    result = api.solve(path, work_limit=5)
    assert result.status == "optimal"
    assert result.outcome.heuristic.startswith("construction heuristic from the baseline: a valid")
