"""A timed re-plan keeps the baseline's rotations where its plan keeps the baseline's units and
another cut would cost the same (solve/baseline_cuts.py). A trial's re-plan asked DEU to
`re-cut MECH_COY rotations at Dnipro: 2027-05..2027-10 x1, 2027-11..2028-02 x1 -> 2027-05..2027-09
x1, 2027-10..2028-02 x1`, 0 unit-months changed: a tie HiGHS broke, taken to a nation."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api

from .time_cases import months, timed_case

# A's 1 INF unit holds S1 (1 unit, P1..P4) in two tours of at most 3 months: each of these
# cuts costs 2 tours and changes no unit-month
CUTS = [(("P1", "P1"), ("P2", "P4")), (("P1", "P2"), ("P3", "P4")), (("P1", "P3"), ("P4", "P4"))]


def world(path: Path, cut: tuple[tuple[str, str], ...], tour_months: int = 3) -> Path:
    return timed_case(
        path,
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "tour_months": tour_months}],
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
            | {"from": first, "to": last}
            for first, last in cut
        ],
    )


@pytest.mark.parametrize("cut", CUTS)
def test_every_cut_of_equal_cost_is_kept_as_the_baseline_has_it(tmp_path: Path, cut) -> None:
    """Whichever of the three cuts the baseline has, the plan's tours are those, and A is
    asked nothing. (HiGHS, left to itself, gives one cut for all three baselines, so at least
    two of them were re-cut before.)"""
    result = api.solve(world(tmp_path / "w.xlsx", cut))
    assert result.summary["objective.changes"] == 0
    tours = result.tables.timed["Tours"]
    assert list(zip(tours["from"], tours["to"], strict=True)) == list(cut)
    assert result.tables.extra["Asks"].set_index("contributor").loc["A", "ask"] == "unchanged"


def test_a_cut_the_rules_no_longer_allow_is_re_cut(tmp_path: Path) -> None:
    """The baseline's tours P1..P3 and P4, with tours now of at most 2 months: P1..P3 cannot
    stand, so the plan cuts otherwise (two tours of two months), still no unit-month changed,
    and A is asked to re-cut."""
    result = api.solve(world(tmp_path / "w.xlsx", CUTS[2], tour_months=2))
    assert result.summary["objective.changes"] == 0
    tours = result.tables.timed["Tours"]
    assert list(zip(tours["from"], tours["to"], strict=True)) == [("P1", "P2"), ("P3", "P4")]
    ask = result.tables.extra["Asks"].set_index("contributor").loc["A", "ask"]
    assert ask.startswith("re-cut INF rotations at S1: P1..P3 x1, P4 x1 -> ")


def test_a_baseline_cut_of_more_tours_is_not_taken_beside_a_large_cost(tmp_path: Path) -> None:
    """A's INF at S1 (P1..P4, tours of at most 4 months, cost 1 a tour) was two tours in the
    baseline; one tour is cheaper. B's ART at S2 costs 1e10 a tour, so the cost stage is 1e10 +
    1, and a stage value read within 1e-9 of itself would take the baseline's 2 tours (cost 1e10
    + 2, still `optimal`: a review). The plan keeps one tour, at the proven cost."""
    path = timed_case(
        tmp_path / "w.xlsx",
        periods=months(4),
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "ART", "category": "ground", "personnel_per_unit": 100},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "ART", "units": 1, "priority": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 4},
            {"contributor": "B", "capability": "ART", "units": 1, "tour_months": 4}
            | {"cost_per_unit": 1e10},
        ],
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
            | {"from": "P1", "to": "P2"},
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
            | {"from": "P3", "to": "P4"},
            {"contributor": "B", "capability": "ART", "site": "S2", "units": 1}
            | {"from": "P1", "to": "P4"},
        ],
    )
    result = api.solve(path)
    assert result.summary["objective.cost"] == 1e10 + 1
    tours = result.tables.timed["Tours"]
    mine = tours[tours["contributor"] == "A"]
    assert list(zip(mine["from"], mine["to"], strict=True)) == [("P1", "P4")]


def test_a_rolling_re_plan_keeps_the_carried_tour_and_adds_only_what_its_new_month_needs(
    tmp_path: Path,
) -> None:
    """The first plan, 2027-01..2027-04: S1 needs 1 INF; A pledges 2 (tours of at most 2
    months, 2 months of dwell, 10 a tour): tours 2027-01..02 and 2027-03..04, the only cut of 2
    tours. The re-plan rolls on a month (2027-02..2027-05): the first tour is carried into
    2027-02 with a month left, the second is the baseline's, and 2027-05 is new. Keeping both
    and sending the carried unit (home from 2027-03, its dwell over by 2027-05) for 2027-05
    costs 2 tours, as does withdrawing the carried unit at once and cutting 02..03 and 04..05:
    a tie, with as many unit-months changed (2027-05's). A trial's re-plan took the second and
    asked A to re-cut its rotation; the baseline's cut is kept now, and A is asked only for
    2027-05."""
    from .baseline_input_case import solved_output

    def months(first: int, last: int) -> list[dict[str, object]]:
        return [{"period": f"2027-{m:02d}", "months": 1} for m in range(first, last + 1)]

    pledge = {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 10}
    pledge |= {"tour_months": 2, "dwell_months": 2}
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    first = timed_case(
        tmp_path / "first.xlsx", periods=months(1, 4), requirements=line, pledges=[pledge]
    )
    plan = solved_output(tmp_path, first, "plan.xlsx")
    later = timed_case(
        tmp_path / "later.xlsx", periods=months(2, 5), requirements=line, pledges=[dict(pledge)]
    )
    result = api.solve(later, baseline=plan)
    assert result.summary["objective.changes"] == 1 and result.summary["objective.cost"] == 20
    tours = result.tables.timed["Tours"]
    assert list(zip(tours["from"], tours["to"], strict=True)) == [
        ("2027-02", "2027-02"),
        ("2027-03", "2027-04"),
        ("2027-05", "2027-05"),
    ]
    ask = result.tables.extra["Asks"].set_index("contributor").loc["A", "ask"]
    assert ask == "add 1 INF at S1 in 2027-05 (+100 personnel)"


def test_the_arrivals_the_baseline_run_its_tours_on_within_their_limit() -> None:
    """Monthly periods, tours of at most 3 months; one baseline unit has served 2 months by
    t*. Present 1, 1, 2, 0, 1 after it: it stays a third month (0 arrive), then leaves (1
    arrives); 2 present: the new one stays and 1 arrives; none; then 1 arrives. With a period
    without a column between (t 5 -> 7), the units there leave and 1 arrives again."""
    import numpy as np

    from solver.solve.baseline_cuts import _arrivals

    months = np.ones(9, dtype=np.int64)
    present = np.array([1, 1, 2, 0, 1])
    arrivals = _arrivals(present, np.arange(1, 6), months, 3, [[1, 2]])
    assert arrivals.tolist() == [0, 1, 1, 0, 1]
    gap = _arrivals(np.array([1, 1]), np.array([5, 7]), months, 3, [])
    assert gap.tolist() == [1, 1]


def test_a_unit_added_before_a_baseline_tour_leaves_that_tour_as_it_was(tmp_path: Path) -> None:
    """The reference case rotation.xlsx, its `gbr_late` scenario (GBR's battalion ready only
    from 2027-05) re-planned against its base plan: FRA covers Kyiv's 2027-04 with a unit more.
    A trial's re-plan asked FRA to re-cut its baseline tour 2027-05..2027-06 into 2027-04..05
    and 2027-06, which verify showed no better at any stage than that tour kept and a tour of
    2027-04 beside it; FRA is asked only for 2027-04 now."""
    from .conftest import ROOT

    source = ROOT / "inputs" / "reference" / "rotation.xlsx"
    base = api.write(api.solve(source, work_limit=5), tmp_path / "base.xlsx", [source])
    late = api.solve(source, scenario="gbr_late", baseline=base, work_limit=5)
    ask = late.tables.extra["Asks"].set_index("contributor").loc["FRA", "ask"]
    assert ask == "add 1 INF_BN at Kyiv in 2027-04 (+600 personnel)"


def test_a_carried_tour_runs_on_only_for_the_months_its_limit_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rolling re-plan (a review's case): the earlier plan's tours X 2027-01..03 and Y
    2027-02..03 (tours of at most 3 months) both end in t* = 2027-03; the new horizon
    2027-02..05 needs 2 in 2027-02..04 and 1 in 2027-05. X, carried in with a month served,
    cannot run on; Y can: the baseline's cut is X and Y to 2027-03, Y on to 2027-04, and a
    fresh tour from 2027-04: arrivals [1, 0, 1, 0] (Y's in 2027-02, X carried). A plan re-cut
    as [1, 1, 0, 0] (as cheap, every row holding) was kept: X's month before the horizon was
    not counted, so the only try let X run past its limit and the rows refused it."""
    import numpy as np

    from solver.solve import baseline_cuts

    from .baseline_input_case import solved_output

    def months_of(first: int, last: int) -> list[dict[str, object]]:
        return [{"period": f"2027-{m:02d}", "months": 1} for m in range(first, last + 1)]

    pledge = {"contributor": "A", "capability": "INF", "units": 3, "tour_months": 3}
    first = timed_case(
        tmp_path / "first.xlsx",
        periods=months_of(1, 4),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "to": "2027-03"}],
        profile=[
            {"site": "S1", "capability": "INF", "from": "2027-02", "to": "2027-03", "units": 2}
        ],
        pledges=[dict(pledge)],
    )
    plan = solved_output(tmp_path, first, "plan.xlsx")
    later = timed_case(
        tmp_path / "later.xlsx",
        periods=months_of(2, 5),
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        profile=[
            {"site": "S1", "capability": "INF", "from": "2027-05", "to": "2027-05", "units": 1}
        ],
        pledges=[dict(pledge)],
    )
    kept: list[list[int]] = []
    real = baseline_cuts.keep_baseline_rotations

    def re_cut_first(ctx, solver, x):  # type: ignore[no-untyped-def]
        arrive = ctx.x["arrive"].to_numpy()
        forced = x.copy()
        forced[arrive] = [1, 1, 0, 0]
        out = real(ctx, solver, forced)
        kept.append(np.rint(out[arrive]).astype(int).tolist())
        return out

    monkeypatch.setattr(api, "keep_baseline_rotations", re_cut_first)
    result = api.solve(later, baseline=plan, work_limit=5)
    assert result.status == "optimal" and kept == [[1, 0, 1, 0]]


@pytest.mark.parametrize("unlocked", [("P3", "P4"), ("P3", "P3")])
def test_the_unlocked_tours_of_a_locked_option_keep_their_cut(tmp_path: Path, unlocked) -> None:
    """A's 1 INF unit holds S1 (1 unit, P1..P5) in tours of at most 2 months. The baseline has
    P1..P2 locked and one unlocked tour after it, P3..P4 or P3 alone, and nothing in P5: the
    plan adds a tour to cover P5 (and P4 after P3 alone), and either cut of P3..P5 costs the
    same 3 tours and as many unit-months changed. Whichever the baseline has is kept and A is asked only for P5 (a
    review: a locked option's other tours were free to be re-cut, `re-cut INF rotations at
    S1: P3..P4 x1 -> P3 x1, P4..P5 x1`, at equal stage values)."""
    path = timed_case(
        tmp_path / "w.xlsx",
        periods=months(5),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "tour_months": 2}],
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
            | {"from": "P1", "to": "P2", "lock": "yes"},
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
            | {"from": unlocked[0], "to": unlocked[1]},
        ],
    )
    result = api.solve(path)
    rest = ("P4", "P5") if unlocked == ("P3", "P3") else ("P5", "P5")
    assert result.summary["objective.changes"] == (2 if rest == ("P4", "P5") else 1)
    tours = result.tables.timed["Tours"]
    assert list(zip(tours["from"], tours["to"], strict=True)) == [("P1", "P2"), unlocked, rest]
    ask = result.tables.extra["Asks"].set_index("contributor").loc["A", "ask"]
    assert ask.startswith("add 1 INF at S1 " + ("from P4" if rest == ("P4", "P5") else "in P5"))
