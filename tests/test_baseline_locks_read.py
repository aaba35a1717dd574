"""Locked baseline rows that no plan can keep, said when the baseline is read (io/baseline_odd.py),
before any solve: past a pledge's mandate, outside a line's from..to or where a Profile sets it to
0, above what a line requires, on a line that requires nothing; rows that cannot hold anyway are
not counted against a line. The solves these locks make infeasible: test_baseline_infeasible.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api
from solver.errors import InputError

from .baseline_infeasible_case import locked
from .baseline_input_case import dropping_case
from .time_cases import months, timed_case
from .workbooks import simple_case


def test_a_locked_tour_past_its_mandate_is_warned_when_read(tmp_path: Path) -> None:
    """Timed, P1..P4: A's pledge ends with P2 (its mandate), and A's tour P1..P4 at S1 is
    locked. No plan can keep it: the baseline's reading says so at its cell, before any
    solve (a trial saw only a solve that ran out of its limit: `raise the limit`), and the
    solve is infeasible. The same tour unlocked is a tour that changes."""

    def case(lock: str) -> Path:
        return timed_case(
            tmp_path / f"m-{lock}.xlsx",
            periods=months(4),
            pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P2"}],
            baseline=[locked(1, lock=lock, **{"from": "P1", "to": "P4"})],
        )

    data = api.read(case("yes"))
    said = [str(w) for w in data.warnings]
    assert any(
        "A's pledge of INF is only in P1..P2: the row is locked, so it cannot hold and the "
        "solve is infeasible" in w
        for w in said
    ), said
    assert api.solve(data).status == "infeasible"
    said = [str(w) for w in api.read(case("no")).warnings]
    assert any("A's pledge of INF is only in P1..P2: its tour changes" in w for w in said), said


def test_a_locked_tour_outside_its_line_is_warned_when_read(tmp_path: Path) -> None:
    """Timed, P1..P4: S1 requires INF only in P2..P3, and A's tour P1..P2 at S1 is locked. No
    plan can keep it (the line takes no unit in P1): the baseline's reading says so at its
    cell, as for a tour past its pledge's mandate (a trial saw `valid` from validate, then an
    infeasible solve). The same tour unlocked is a tour that changes."""

    def case(lock: str) -> Path:
        return timed_case(
            tmp_path / f"l-{lock}.xlsx",
            periods=months(4),
            requirements=[
                {"site": "S1", "capability": "INF", "units": 1, "from": "P2", "to": "P3"}
            ],
            baseline=[locked(1, lock=lock, **{"from": "P1", "to": "P2"})],
        )

    data = api.read(case("yes"))
    said = [str(w) for w in data.warnings]
    assert any(
        "Baseline!A2: S1 requires INF only in P2..P3: the row is locked, so it cannot hold and "
        "the solve is infeasible" in w
        for w in said
    ), said
    assert api.solve(data).status == "infeasible"
    said = [str(w) for w in api.read(case("no")).warnings]
    assert any("S1 requires INF only in P2..P3: its tour changes" in w for w in said), said


def test_a_locked_tour_where_a_profile_sets_its_line_to_0_is_warned_when_read(
    tmp_path: Path,
) -> None:
    """Timed, P1..P4: S1 requires 1 INF over the whole horizon but 0 in P2..P3 (Profile), and
    A's tour P1..P4 at S1 is locked. The line takes no unit in P2 and P3, so the lock cannot
    hold: said when read, naming the periods it requires units (a review: only the line's
    from..to was read, and validate said nothing)."""
    path = timed_case(
        tmp_path / "p.xlsx",
        periods=months(4),
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P3", "units": 0}],
        baseline=[locked(1, **{"from": "P1", "to": "P4"})],
    )
    data = api.read(path)
    said = [str(w) for w in data.warnings]
    assert any(
        "Baseline!A2: S1 requires INF only in P1, P4: the row is locked, so it cannot hold" in w
        for w in said
    ), said
    assert api.solve(data).status == "infeasible"


def test_a_snapshot_lock_above_its_line_is_warned_when_read(tmp_path: Path) -> None:
    """Snapshot: S1 requires 2 INF; A's 2 and B's 1 there are locked (3 > 2). No plan keeps
    them (x <= what the line requires): said when read, at the first locked row, without
    periods; the solve is infeasible."""
    path = simple_case(
        tmp_path / "s.xlsx",
        baseline=[locked(2), {**locked(1), "contributor": "B"}],
    )
    data = api.read(path)
    assert [(w.where, w.message) for w in data.warnings] == [
        (
            "Baseline!A2",
            "the baseline's locked rows hold more of S1's INF than it requires (3 where it "
            "requires 2): a line takes no more than it requires, so they cannot hold and the "
            "solve is infeasible (its Infeasibility sheet names the conflict): unlock or lower "
            "them",
        )
    ]
    assert api.solve(data).status == "infeasible"


def test_a_snapshot_lock_on_a_line_that_requires_nothing_is_warned_when_read(
    tmp_path: Path,
) -> None:
    """Snapshot: S1 requires 0 INF (a scenario's cut, say) and A's 2 there are locked: no plan
    keeps them, said when read (a review: only a timed workbook's was). The excess of locks
    that cannot hold anyway (B has no pledge) is not blamed on the line: S2 requires 2, A's 2
    and B's 1 locked there, B's said as no pledge and not counted."""
    path = simple_case(
        tmp_path / "z.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 0},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 4, "cost_per_unit": 1}],
        baseline=[
            locked(2),
            {**locked(2), "site": "S2"},
            {**locked(1), "contributor": "B", "site": "S2"},
        ],
    )
    said = [(w.where, w.message) for w in api.read(path).warnings]
    assert (
        "Baseline!A2",
        "S1 requires no INF: the row is locked, so it cannot hold and the "
        "solve is infeasible (its Infeasibility sheet names the conflict): unlock or remove "
        "it",
    ) in said, said
    assert not any("hold more of S2's INF" in m for _, m in said), said
    assert any(w == "Baseline!A4" and m.startswith("B has no pledge of INF") for w, m in said)


def test_a_lock_of_a_contributor_a_scenario_drops_is_not_counted_against_a_line(
    tmp_path: Path,
) -> None:
    """S1 requires 2; A's 2 locked there fit, B's 1 (a contributor the scenario b_gone drops)
    is said as a key the scenario lacks: no `hold more than it requires` blaming the line (a
    review). Against base, with ZZ (no such contributor) in B's place, the lock is an error
    at its cell: it can never hold (it was a warning, and the solve infeasible)."""
    path = dropping_case(tmp_path, [])
    plan = api.write(api.solve(path), tmp_path / "plan.xlsx")
    book = load_workbook(plan)
    sheet = book["Allocation"]
    header = [c.value for c in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    sheet.cell(1, len(header) + 1).value = "lock"
    for who, units in (("A", 2), ("B", 1)):
        row = {"contributor": who, "capability": "INF", "site": "S1", "units": units}
        sheet.append([row.get(h) for h in header] + ["yes"])
    book.save(plan)
    data = api.read(path, "b_gone")
    api.read_baseline(plan, data)
    said = [w.message for w in data.warnings]
    assert any("'B'" in m and "cannot hold" in m for m in said), said
    assert not any("than it requires" in m for m in said), said
    sheet["A3"] = "ZZ"
    book.save(plan)
    with pytest.raises(InputError) as info:
        api.read_baseline(plan, api.read(path))
    assert [e.where for e in info.value.errors] == ["plan.xlsx Allocation!A3"]
    assert "'ZZ'" in info.value.errors[0].message
