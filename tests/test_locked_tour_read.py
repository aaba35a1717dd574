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
