"""A rolling re-plan whose baseline's periods are several months long and named by their first
month (`2027-03` of two months): the file's own calendar, not the name alone, says when its
tours ended (a review: a tour to `2027-08` of two months was read as ending a month early, and
its units' dwell with it).

The hand-worked case. The first plan, over 2027-01 (2 months) and 2027-03 (2 months): S1 needs
2 INF, A pledges 2 (dwell 3 months): A's 2 units at S1 throughout, one tour of 4 months ending
at the start of 2027-05. The re-plan, over 2027-05..2027-10 monthly: S1 needs 2 INF; A pledges
2 (dwell 3), B 1 (no dwell). A's units are home in 2027-05..2027-07, so only B's unit holds S1
there: short 1 unit in each of 3 months, shortfall.p1 = 3. Read by the names alone, the tour
ended at the start of 2027-04 and A's units were home only in 2027-05..2027-06 (shortfall 2)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api
from solver.verify import verify_file

from .baseline_input_case import solved_output
from .time_cases import timed_case


def test_a_tour_ending_in_a_longer_period_named_by_its_first_month(tmp_path: Path) -> None:
    line = [{"site": "S1", "capability": "INF", "units": 2, "priority": 1}]
    a = {"contributor": "A", "capability": "INF", "units": 2, "dwell_months": 3}
    periods = [{"period": "2027-01", "months": 2}, {"period": "2027-03", "months": 2}]
    first = timed_case(tmp_path / "first.xlsx", periods=periods, requirements=line, pledges=[a])
    plan = solved_output(tmp_path, first, "plan.xlsx")
    tours = list(load_workbook(plan)["Tours"].iter_rows(min_row=2, max_col=7, values_only=True))
    assert tours == [("A", "INF", "S1", "2027-01", "2027-03", 4, 2)]
    b = {"contributor": "B", "capability": "INF", "units": 1}
    monthly = [{"period": f"2027-{m:02d}", "months": 1} for m in range(5, 11)]
    later = timed_case(
        tmp_path / "later.xlsx", periods=monthly, requirements=line, pledges=[dict(a), b]
    )
    data = api.read(later)
    baseline = api.read_baseline(plan, data)
    assert baseline.history is not None
    assert baseline.history[["contributor", "start", "end", "units"]].values.tolist() == [
        ["A", -4, 0, 2]
    ]
    result = api.solve(data, baseline=plan)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert values["shortfall.p1"] == 3
    out = tmp_path / "replan.xlsx"
    api.write(result, out)
    assert verify_file(later, out, baseline=plan).ok


def _first_plan(tmp_path: Path, periods: list[dict[str, object]]) -> Path:
    """The first plan: S1 needs 1 INF throughout, A (no tour limit) holds it in one tour."""
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    a = {"contributor": "A", "capability": "INF", "units": 1}
    first = timed_case(tmp_path / "first.xlsx", periods=periods, requirements=line, pledges=[a])
    return solved_output(tmp_path, first, "plan.xlsx")


def _monthly(first: int, last: int) -> list[dict[str, object]]:
    return [{"period": f"2027-{m:02d}", "months": 1} for m in range(first, last + 1)]


def test_a_baseline_of_quarters_read_by_its_months_in_a_monthly_workbook(tmp_path: Path) -> None:
    """The first plan over 2027-01 and 2027-04, three months each: A's tour 2027-01..2027-04
    holds S1 for six months. Re-planned over the same six months cut monthly (2027-01 and
    2027-04 are now one month each): the baseline is A at S1 in every month, the plan keeps it,
    and nothing changes (changes 0). Read by name, the tour was 2027-01..2027-04 of the new
    periods, four months, and the re-plan asked A to add a unit for May and June (changes 2)."""
    quarters = [{"period": "2027-01", "months": 3}, {"period": "2027-04", "months": 3}]
    plan = _first_plan(tmp_path, quarters)
    tours = list(load_workbook(plan)["Tours"].iter_rows(min_row=2, max_col=7, values_only=True))
    assert tours == [("A", "INF", "S1", "2027-01", "2027-04", 6, 1)]
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    a = {"contributor": "A", "capability": "INF", "units": 1}
    later = timed_case(
        tmp_path / "later.xlsx", periods=_monthly(1, 6), requirements=line, pledges=[a]
    )
    data = api.read(later)
    baseline = api.read_baseline(plan, data)
    assert baseline.rows[["first_t", "last_t", "units"]].values.tolist() == [[0, 5, 1]]
    assert [(w.where, w.message) for w in baseline.read_warnings] == [
        (
            "plan.xlsx Tours!D2",
            "2 from/to cells of the baseline's tours name periods cut otherwise than this "
            "workbook's (the baseline's 2027-01 is 2027-01..2027-03, this workbook's 2027-01): "
            "each tour is read by the "
            "calendar months it covers, in this workbook's periods (also Tours!E2)",
        )
    ]
    result = api.solve(data, baseline=plan)
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert (values["shortfall.p1"], values["changes"]) == (0, 0)


def test_a_horizon_beginning_inside_a_baseline_period(tmp_path: Path) -> None:
    """The first plan over 2027-01 and 2027-03, two months each: A's one tour 2027-01..2027-03
    holds S1 for four months. The re-plan over 2027-02..2027-04 monthly (it begins inside the
    baseline's 2027-01), A's pledge now with tours of at most 3 months and 2 months of dwell (so
    its one unit cannot be relieved in place), B (no limit) a second pledge. A's tour runs into
    the horizon having served January: it may stay for February and March, then goes home; B
    holds S1 in April. Changes: A's unit withdrawn in April (1) and B's
    added there (1), 2. Before, the tour was refused (its from was no period of the input), or
    read as beginning in February, A then staying to April (changes 0, a tour of 4 months)."""
    plan = _first_plan(
        tmp_path, [{"period": "2027-01", "months": 2}, {"period": "2027-03", "months": 2}]
    )
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    a = {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 3, "dwell_months": 2}
    b = {"contributor": "B", "capability": "INF", "units": 1}
    later = timed_case(
        tmp_path / "later.xlsx", periods=_monthly(2, 4), requirements=line, pledges=[a, b]
    )
    data = api.read(later)
    baseline = api.read_baseline(plan, data)
    assert baseline.rows[["first_t", "last_t", "units"]].values.tolist() == [[0, 2, 1]]
    assert baseline.history is not None
    assert baseline.history[["contributor", "start", "end", "carried"]].values.tolist() == [
        ["A", -1, 0, True]
    ]
    result = api.solve(data, baseline=plan)
    assert result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert (values["shortfall.p1"], values["changes"]) == (0, 2)
    names = list(data.periods["period"])  # type: ignore[index]
    tours = {
        (c, names[f], names[t]) for c, _, _, f, t, _ in result.plan.tours.itertuples(index=False)
    }
    assert tours == {("A", "2027-02", "2027-03"), ("B", "2027-04", "2027-04")}
    out = tmp_path / "replan.xlsx"
    api.write(result, out)
    assert verify_file(later, out, baseline=plan).ok


def test_a_baseline_period_no_calendar_places_is_refused_saying_why(tmp_path: Path) -> None:
    """Periods P1..P3 (no month names, no start dates), A's tour P1..P3; re-planned over P2..P3:
    the tour's `from` P1 cannot be placed, and the error says why and what to do (an
    uneven-periods trial was refused with no reason and no way forward)."""
    import pytest

    from solver.errors import InputError

    plan = _first_plan(tmp_path, [{"period": f"P{i}", "months": 1} for i in (1, 2, 3)])
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    a = {"contributor": "A", "capability": "INF", "units": 1}
    later = timed_case(
        tmp_path / "later.xlsx",
        periods=[{"period": f"P{i}", "months": 1} for i in (2, 3)],
        requirements=line,
        pledges=[a],
    )
    with pytest.raises(InputError) as refused:
        api.read_baseline(plan, api.read(later))
    (error,) = refused.value.errors
    assert error.message == (
        "from 'P1' is not a period of the input (P2..P3): it is a period of the baseline's own "
        "plan, but the baseline's periods are not named by their months, so a re-plan over "
        "another horizon cannot place it (name the Periods of both workbooks by their months, "
        "`2027-04`, or delete the baseline's tours in periods this workbook lacks)"
    )
