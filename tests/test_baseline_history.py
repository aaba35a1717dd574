"""A rolling re-plan's history: the baseline file's tours that ended before the workbook's first
period keep their units at home in dwell into it (a re-plan trial: a rolling re-plan asked GBR
for a battalion still at home from a tour that ended the month before, and called the plan
valid).

The hand-worked case. The first plan, over 2027-01..2027-06: S1 needs 2 INF, A pledges 2
(dwell 3 months): A's 2 units at S1 in 2027-01..2027-06 (one tour, ending at the start of
2027-07). The re-plan, over 2027-07..2027-12: S1 needs 2 INF throughout; A pledges 2 (dwell 3),
B pledges 1 (no dwell). A's 2 units are at home in 2027-07..2027-09 (end 0, m(t) < 0 + 3), so
there only B's 1 unit can hold S1: short 1 unit in each of 3 months, shortfall.p1 = 3
(weight 1); from 2027-10 one of A's units joins B's (the fewest arrivals: B stays throughout). Without the history, A's units were sent at once
and S1 was never short (shortfall.p1 0)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api
from solver.explain.pricing_time import stage_values_in_time
from solver.verify import verify_file

from .baseline_input_case import solved_output
from .time_cases import timed_case


def _months(first: int, last: int) -> list[dict[str, object]]:
    return [{"period": f"2027-{m:02d}", "months": 1} for m in range(first, last + 1)]


def _cases(tmp_path: Path) -> tuple[Path, Path]:
    """(the re-plan's workbook, the first plan's output)."""
    line = [{"site": "S1", "capability": "INF", "units": 2, "priority": 1}]
    a = {"contributor": "A", "capability": "INF", "units": 2, "dwell_months": 3}
    first = timed_case(
        tmp_path / "first.xlsx", periods=_months(1, 6), requirements=line, pledges=[a]
    )
    plan = solved_output(tmp_path, first, "plan.xlsx")
    tours = list(load_workbook(plan)["Tours"].iter_rows(min_row=2, max_col=7, values_only=True))
    assert tours == [("A", "INF", "S1", "2027-01", "2027-06", 6, 2)]
    b = {"contributor": "B", "capability": "INF", "units": 1}
    later = timed_case(
        tmp_path / "later.xlsx", periods=_months(7, 12), requirements=line, pledges=[dict(a), b]
    )
    return later, plan


def test_units_home_from_a_tour_before_the_horizon_are_not_sent_again(tmp_path: Path) -> None:
    later, plan = _cases(tmp_path)
    data = api.read(later)
    baseline = api.read_baseline(plan, data)
    assert baseline.history is not None
    assert baseline.history[
        ["contributor", "start", "end", "units", "carried"]
    ].values.tolist() == [["A", -6, 0, 2, False]]
    result = api.solve(data, baseline=plan)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert values["shortfall.p1"] == 3
    names = list(data.periods["period"])  # type: ignore[index]
    tours = {
        (c, names[f], names[t], int(n))
        for c, _, _, f, t, n in result.plan.tours.itertuples(index=False)
    }
    assert tours == {("A", "2027-10", "2027-12", 1), ("B", "2027-07", "2027-12", 1)}
    out = tmp_path / "replan.xlsx"
    api.write(result, out)
    assert verify_file(later, out, baseline=plan).ok
    import pandas as pd

    burden = pd.read_excel(out, sheet_name="Burden")
    dwell = next(c for c in burden.columns if "dwell" in str(c))
    home = burden[burden["contributor"] == "A"].set_index("period")[dwell]
    assert home.loc[["2027-07", "2027-08", "2027-09"]].tolist() == [2, 2, 2]


def _carried_cases(tmp_path: Path) -> tuple[Path, Path]:
    """(the re-plan's workbook, the first plan) of the carried case below."""
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    a = {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 6, "dwell_months": 3}
    plan = _plan_of(tmp_path, a, [["A", "INF", "S1", "2027-03", "2027-08", 6, 1]])
    later = timed_case(
        tmp_path / "later.xlsx", periods=_months(7, 12), requirements=line, pledges=[a]
    )
    return later, plan


def test_a_tour_running_into_the_horizon_keeps_its_months_served(tmp_path: Path) -> None:
    """The first plan (edited by hand): A's one unit at S1 in 2027-03..2027-08, tours of at
    most 6 months, dwell 3. The re-plan over 2027-07..2027-12, S1 needing 1 INF, A its only
    pledge. A's unit is carried into 2027-07 having served 4 months: it may stay 2 more
    (2027-07..2027-08), then goes home for 2027-09..2027-11 and may come back in 2027-12. So
    S1 is short in 2027-09..2027-11: shortfall.p1 = 3 (before, the carried tour was read as
    arriving in 2027-07 with 6 months ahead: S1 held throughout, A's tour 10 months long).
    Withdrawing it at once instead (home 2027-07..2027-09, back 2027-10..2027-12) is as short
    but changes 5 unit-months against 1: the plan keeps the carried tour and adds 2027-12."""
    later, plan = _carried_cases(tmp_path)
    data = api.read(later)
    result = api.solve(data, baseline=plan)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert (values["shortfall.p1"], values["changes"]) == (3, 1)
    names = list(data.periods["period"])  # type: ignore[index]
    tours = {
        (names[f], names[t], int(n)) for *_, f, t, n in result.plan.tours.itertuples(index=False)
    }
    assert tours == {("2027-07", "2027-08", 1), ("2027-12", "2027-12", 1)}
    out = tmp_path / "replan.xlsx"
    api.write(result, out)
    assert verify_file(later, out, baseline=plan).ok
    # the plan's stages as its prices and alternatives read it: the carried unit arrives
    # nowhere, so the cost is the one unit arriving in 2027-12 (a copy of the arrivals'
    # reading that read the carried unit as arriving in 2027-07 priced it 2)
    assert stage_values_in_time(result.ctx, result.outcome.x) == {
        "objective.shortfall.p1": 3.0,
        "objective.changes": 1.0,
        "objective.cost": 1.0,
        "objective.presence": 1.0,
    }


def _plan_of(tmp_path: Path, pledge: dict, rows: list[list[object]]) -> Path:
    """A first plan over 2027-01..2027-12 (S1 needing 2 INF), its Tours replaced by `rows`."""
    line = [{"site": "S1", "capability": "INF", "units": 2, "priority": 1}]
    first = timed_case(
        tmp_path / "first.xlsx", periods=_months(1, 12), requirements=line, pledges=[dict(pledge)]
    )
    plan = solved_output(tmp_path, first, "plan.xlsx")
    book = load_workbook(plan)
    tours = book["Tours"]
    tours.delete_rows(2, tours.max_row)
    for row in rows:
        tours.append(row)
    book.save(plan)
    return plan


def _pledge_cut(tmp_path: Path) -> tuple[Path, Path]:
    """(the re-plan's workbook, the first plan) of the pledge-cut case below."""
    a = {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 6, "dwell_months": 3}
    plan = _plan_of(tmp_path, a, [["A", "INF", "S1", "2027-05", "2027-08", 4, 2]])
    line = [{"site": "S1", "capability": "INF", "units": 2, "priority": 1}]
    later = timed_case(
        tmp_path / "later.xlsx",
        periods=_months(7, 12),
        requirements=line,
        pledges=[{**a, "units": 1}],
    )
    return later, plan


def test_a_pledge_cut_below_the_units_carried_in(tmp_path: Path) -> None:
    """A review's case: A's 2 units at S1 in 2027-05..2027-08 (tours of at most 6 months, dwell
    3); the re-plan over 2027-07..2027-12 cuts A's pledge to 1 (S1 still needs 2). What is
    deployed stays within the pledge (1), and the units committed before the horizon never make
    the plan infeasible (deployed + at home <= max(1, 2 carried)): one carried unit stays to
    2027-10 (2 + 4 = 6 months), the other goes home for 2027-07..2027-09. Short 1 in
    2027-07..2027-10 and 2 in 2027-11..2027-12 (the last unit home): shortfall.p1 8; changes
    |1 - 2| x 2 + 1 x 2 = 4; cost 0 (the unit that stays is deployed already, no new tour).
    Verify agrees (it rejected the plan before, the model and verify
    reading the cut differently); the Burden has the withdrawn unit at home."""
    later, plan = _pledge_cut(tmp_path)
    result = api.solve(api.read(later), baseline=plan)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert (values["shortfall.p1"], values["changes"], values["cost"]) == (8, 4, 0)
    assert result.plan.tours[["first_t", "last_t", "units"]].values.tolist() == [[0, 3, 1]]
    out = tmp_path / "replan.xlsx"
    api.write(result, out)
    assert verify_file(later, out, baseline=plan).ok
    import pandas as pd

    burden = pd.read_excel(out, sheet_name="Burden")
    assert burden.loc[burden["contributor"] == "A", "dwell_units"].tolist() == [1, 1, 1, 0, 1, 1]
    # the History sheet: the unit that stayed is carried on, the one withdrawn marked so (a rolling
    # trial: both written as carried, the next roll read a fresh unit as six months served)
    assert list(load_workbook(out)["History"].iter_rows(min_row=2, values_only=True)) == [
        ("A", "INF", "S1", "2027-05", "2027-06", 1, "yes"),
        ("A", "INF", "S1", "2027-05", "2027-06", 1, "withdrawn"),
    ]


def test_a_locked_tour_running_into_the_horizon_past_its_limit_cannot_stand(
    tmp_path: Path,
) -> None:
    """A's tour 2027-03..2027-10 locked, A's one unit, tours of at most 6 months: carried into
    2027-07 with 4 months served, it may stay to 2027-08 only, and its lock keeps it carried
    (not withdrawn and relieved by a fresh unit, as a review found): infeasible, as
    replanning.md says of a lock that cannot hold. (With a second unit pledged, it relieves the
    first in place in 2027-09: units are interchangeable.) A typed `a` for `A` in the plan
    reads as A (the history kept)."""
    a = {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 6, "dwell_months": 3}
    plan = _plan_of(tmp_path, a, [["a", "INF", "S1", "2027-03", "2027-10", 8, 1]])
    book = load_workbook(plan)
    tours = book["Tours"]
    tours.cell(1, tours.max_column + 1, "lock")
    tours.cell(2, tours.max_column, "yes")
    book.save(plan)
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    later = timed_case(
        tmp_path / "later.xlsx", periods=_months(7, 12), requirements=line, pledges=[a]
    )
    data = api.read(later)
    assert api.read_baseline(plan, data).history["contributor"].tolist() == ["A"]  # type: ignore[index]
    assert api.solve(data, baseline=plan).status == "infeasible"


def test_a_second_roll_keeps_the_history_the_first_knew(tmp_path: Path) -> None:
    """A review's chain: A's tour 2027-03..2027-08 (tours of at most 6 months, dwell 3), S1
    needing 1 INF. Re-planned over 2027-05..2027-12: carried in with 2 months served, it stays
    to 2027-08, A home 2027-09..2027-11, back in 2027-12; its output's History sheet keeps the
    tour's part before 2027-05 (2027-03..2027-04, carried). Re-planned again over
    2027-07..2027-12 against that output: its Tours row 2027-05..2027-08 continues the
    History's, so the tour began 2027-03 and may stay to 2027-08 only (before, read as begun in
    2027-05, it was kept to 2027-10: eight months). Against its own baseline and the first plan
    alike, verify agrees; and a re-plan of the same horizon as the output keeps it too."""
    a = {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 6, "dwell_months": 3}
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    plan = _plan_of(tmp_path, a, [["A", "INF", "S1", "2027-03", "2027-08", 6, 1]])
    outputs: list[Path] = []
    for first in (5, 7, 7):  # the first plan, then each against the output before
        workbook = timed_case(
            tmp_path / f"from{first}.xlsx",
            periods=_months(first, 12),
            requirements=line,
            pledges=[dict(a)],
        )
        against = outputs[-1] if outputs else plan
        result = api.solve(api.read(workbook), baseline=against)
        assert result.status == "optimal" and result.plan is not None
        names = [str(n) for n in result.data.periods["period"]]  # type: ignore[index]
        tours = [
            (names[f], names[t], n) for *_, f, t, n in result.plan.tours.itertuples(index=False)
        ]
        start = f"2027-{first:02d}"
        assert tours == [(start, "2027-08", 1), ("2027-12", "2027-12", 1)]
        out = tmp_path / f"out{len(outputs)}.xlsx"
        api.write(result, out)
        assert verify_file(workbook, out, baseline=against).ok
        assert verify_file(workbook, out, baseline=plan).ok
        outputs.append(out)
    history = list(load_workbook(outputs[0])["History"].iter_rows(values_only=True))
    assert history == [
        ("contributor", "capability", "site", "from", "to", "units", "carried"),
        ("A", "INF", "S1", "2027-03", "2027-04", 1, "yes"),
    ]
    assert list(load_workbook(outputs[1])["History"].iter_rows(min_row=2, values_only=True)) == [
        ("A", "INF", "S1", "2027-03", "2027-06", 1, "yes")
    ]


def test_a_second_re_plan_of_the_same_horizon_reads_planned_withdrawals_as_planned(
    tmp_path: Path,
) -> None:
    """A review's case: A's 2 units at S1 in 2027-03..2027-12 (tours of at most 12 months,
    dwell 3). R1 from 2027-07, S1 needing none (S2 one, B's at cost 5): R1 withdraws A's units
    as 2027-07 begins (its History: `withdrawn`). R2 of the same horizon against R1, S1 needing
    2 again: R1's withdrawal is only planned, so A's units are still carried in and stay (cost
    0); before, read as at home, B's were sent (cost 10)."""
    a = {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 12, "dwell_months": 3}
    b = {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 5}
    plan = _plan_of(tmp_path, a, [["A", "INF", "S1", "2027-03", "2027-12", 10, 2]])
    none_at_s1 = [
        {"site": "S1", "capability": "INF", "units": 0, "priority": 1},
        {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
    ]
    first = timed_case(
        tmp_path / "r1.xlsx", periods=_months(7, 12), requirements=none_at_s1, pledges=[a, b]
    )
    r1 = tmp_path / "r1-out.xlsx"
    api.write(api.solve(api.read(first), baseline=plan), r1)
    withdrawn = list(load_workbook(r1)["History"].iter_rows(min_row=2, values_only=True))
    assert ("A", "INF", "S1", "2027-03", "2027-06", 2, "withdrawn") in withdrawn
    line = [{"site": "S1", "capability": "INF", "units": 2, "priority": 1}]
    again = timed_case(
        tmp_path / "r2.xlsx", periods=_months(7, 12), requirements=line, pledges=[a, b]
    )
    result = api.solve(api.read(again), baseline=r1)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert (values["shortfall.p1"], values["cost"]) == (0, 0)
    assert set(result.plan.tours["contributor"]) == {"A"}
    out = tmp_path / "r2-out.xlsx"
    api.write(result, out)
    assert verify_file(again, out, baseline=r1).ok


def test_a_locked_row_of_carried_and_new_units_holds(tmp_path: Path) -> None:
    """A review's case: R1 keeps A's 1 carried unit at S1 (2027-03.., tours of at most 12
    months) and adds 2 new ones from 2027-07, one Tours row of 3 units; that row locked, a
    re-plan of the same horizon against R1 holds it (1 carried, 2 arriving), not infeasible as
    3 carried units it does not have."""
    a = {"contributor": "A", "capability": "INF", "units": 3, "tour_months": 12}
    plan = _plan_of(tmp_path, a, [["A", "INF", "S1", "2027-03", "2027-12", 10, 1]])
    line = [{"site": "S1", "capability": "INF", "units": 3, "priority": 1}]
    workbook = timed_case(
        tmp_path / "r.xlsx", periods=_months(7, 12), requirements=line, pledges=[a]
    )
    r1 = tmp_path / "r1-out.xlsx"
    api.write(api.solve(api.read(workbook), baseline=plan), r1)
    book = load_workbook(r1)
    tours = book["Tours"]
    assert [c.value for c in tours[2]][:7] == ["A", "INF", "S1", "2027-07", "2027-12", 6, 3]
    tours.cell(1, tours.max_column + 1, "lock")
    tours.cell(2, tours.max_column, "yes")
    book.save(r1)
    result = api.solve(api.read(workbook), baseline=r1)
    assert result.status == "optimal"


def test_a_history_row_that_cannot_be_read_is_said_at_its_cell(tmp_path: Path) -> None:
    """The History sheet of a re-plan edited by hand (`from` typed `soon`): the next re-plan
    against it leaves the row out and says so at its cell, and why it matters (its dwell and
    months served are not counted)."""
    a = {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 6, "dwell_months": 3}
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    plan = _plan_of(tmp_path, a, [["A", "INF", "S1", "2027-03", "2027-08", 6, 1]])
    workbook = timed_case(
        tmp_path / "r.xlsx", periods=_months(5, 12), requirements=line, pledges=[a]
    )
    out = tmp_path / "r-out.xlsx"
    api.write(api.solve(api.read(workbook), baseline=plan), out)
    book = load_workbook(out)
    book["History"]["D2"] = "soon"
    book.save(out)
    data = api.read(workbook)
    history = api.read_baseline(out, data).history
    assert history is not None and not len(history)
    said = [str(w) for w in data.warnings if "History" in w.where]
    assert said == [
        "warning: r-out.xlsx History!D2: this History row is not read (from: not a key, a "
        "month YYYY-MM or a number of units): its tour's dwell and months served before the "
        "horizon are not counted"
    ]
