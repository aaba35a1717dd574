"""Why the baseline could not stay, by a line's or a site's rule (`results/change_lines.py`):
a single-source line or a site's `max_contributors` below the contributors the baseline held
there. A trial found such withdrawals with a blank `why`, so Asks gave them as the plan's
choice, even where a lock left only one plan."""

from __future__ import annotations

from pathlib import Path

from solver import api
from solver.model.build import build_model
from solver.results.replan import replan_tables

from .changes_case import allocation, baseline_rows, records
from .time_cases import months, timed_case
from .workbooks import write_workbook


def three_nations(path: Path, *, single: bool = False, limit: int | None = None) -> Path:
    """S1 needs 3 INF (single-source when `single`; S1 takes at most `limit` contributors);
    A and B pledge 1 INF, C 2, D 1 but D is unavailable; S2 needs 1 LOG, which A pledges."""
    return write_workbook(
        path,
        contributors=[
            {"contributor": c, "status": "unavailable" if c == "D" else "available"} for c in "ABCD"
        ],
        capabilities=[
            {"capability": "INF", "personnel_per_unit": 100},
            {"capability": "LOG", "personnel_per_unit": 50},
        ],
        sites=[{"site": "S1", "max_contributors": limit}, {"site": "S2"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3, "single_source": single},
            {"site": "S2", "capability": "LOG", "units": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "A", "capability": "LOG", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1},
            {"contributor": "C", "capability": "INF", "units": 2},
            {"contributor": "D", "capability": "INF", "units": 1},
        ],
    )


BASELINE = [
    ("A", "INF", "S1", 0, 0, 1),
    ("B", "INF", "S1", 0, 0, 1),
    ("D", "INF", "S1", 0, 0, 1),
    ("A", "LOG", "S2", 0, 0, 1),
]
C_FILLS_S1 = allocation([("C", "INF", "S1", 2), ("A", "LOG", "S2", 1)])


def test_a_single_source_line_the_baseline_shared(tmp_path: Path) -> None:
    """The baseline held A, B and D on S1/INF, now single-source. D is unavailable (its own
    reason), so A and B are the two that can still be there: one of them must go whatever the
    plan, and each one's decrease says so; A's LOG at S2 stays. The plan (C's 2 at S1) withdraws
    both, marked forced in Asks."""
    data = api.read(three_nations(tmp_path / "ss.xlsx", single=True))
    data.baseline = baseline_rows(BASELINE)
    changes, asks = replan_tables(data, build_model(data), C_FILLS_S1, None)
    said = "S1/INF is single-source: the baseline has A and B there"
    assert records(changes[["contributor", "site", "change", "why"]]) == [
        ("A", "S1", -1, said),
        ("B", "S1", -1, said),
        ("C", "S1", 2, ""),
        ("D", "S1", -1, "D is unavailable"),
    ]
    ask = asks.set_index("contributor")["ask"]
    assert ask["B"] == f"withdraw 1 INF from S1 (-100 personnel; forced: {said})"
    # not single-source: nothing forces them out, so the same plan's withdrawals are its choice
    data = api.read(three_nations(tmp_path / "plain.xlsx"))
    data.baseline = baseline_rows(BASELINE)
    changes, _ = replan_tables(data, build_model(data), C_FILLS_S1, None)
    assert changes.set_index("contributor").loc[["A", "B"], "why"].tolist() == ["", ""]


def test_a_site_that_takes_fewer_contributors_than_the_baseline_held(tmp_path: Path) -> None:
    """S1 takes at most 1 contributor; the baseline held A and B there (and D, unavailable, not
    counted): 2 > 1, so each decrease at S1 says so. With a limit of 2 the baseline's A and B
    fit, and the withdrawals are the plan's choice (blank)."""
    data = api.read(three_nations(tmp_path / "mc.xlsx", limit=1))
    data.baseline = baseline_rows(BASELINE)
    changes, _ = replan_tables(data, build_model(data), C_FILLS_S1, None)
    said = "S1 takes at most 1 contributor: the baseline has 2 there (A and B)"
    why = changes.set_index("contributor")["why"]
    assert why[["A", "B", "D"]].tolist() == [said, said, "D is unavailable"]
    data = api.read(three_nations(tmp_path / "mc2.xlsx", limit=2))
    data.baseline = baseline_rows(BASELINE)
    changes, _ = replan_tables(data, build_model(data), C_FILLS_S1, None)
    assert changes.set_index("contributor").loc[["A", "B"], "why"].tolist() == ["", ""]


def test_in_time_the_rule_is_read_in_each_period(tmp_path: Path) -> None:
    """Periods P1..P3; S1/INF needs 2 and is single-source. The baseline held A at S1 in
    P1..P3 and B at S1 in P2 only: only in P2 do two contributors share the line. A plan of B
    at S1 in P1..P3 withdraws A in every period: forced in P2 (`single-source`), the plan's
    choice in P1 and P3 (blank); B's increase has none."""
    path = timed_case(
        tmp_path / "timed.xlsx",
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1, "single_source": True}
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
    )
    data = api.read(path)
    data.baseline = baseline_rows([("A", "INF", "S1", 0, 2, 1), ("B", "INF", "S1", 1, 1, 1)])
    plan = allocation([("B", "INF", "S1", f"P{t}", 1) for t in (1, 2, 3)])
    changes, _ = replan_tables(data, build_model(data), plan, data.periods)
    said = "S1/INF is single-source: the baseline has A and B there"
    assert records(changes[["contributor", "period", "change", "why"]]) == [
        ("A", "P1", -1, ""),
        ("A", "P2", -1, said),
        ("A", "P3", -1, ""),
        ("B", "P1", 1, ""),
        ("B", "P3", 1, ""),
    ]


def test_a_contributor_a_caveat_keeps_out_does_not_count_and_the_lines_own_rule_first(
    tmp_path: Path,
) -> None:
    """Review findings. (b) S1 takes at most 1 contributor; the baseline held A and B there,
    but caveat C1 now keeps A out of S1: B alone fits, so its withdrawal (C's 2 replace it) is
    the plan's choice, blank; A's is C1's. (a) S1/INF, single-source, requires 2; the baseline
    held A 3 and B 1: A keeps 2, so what cuts A is the line's size (`requires only 2`), said
    before the single-source rule, which would claim A could not stay."""
    path = write_workbook(
        tmp_path / "b.xlsx",
        contributors=[{"contributor": c} for c in "ABC"],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "max_contributors": 1}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        pledges=[{"contributor": c, "capability": "INF", "units": 2} for c in "ABC"],
        caveats=[{"id": "C1", "contributor": "A", "caveat": "exclude", "site": "S1"}],
    )
    data = api.read(path)
    data.baseline = baseline_rows([("A", "INF", "S1", 0, 0, 1), ("B", "INF", "S1", 0, 0, 1)])
    plan = allocation([("C", "INF", "S1", 2)])
    changes, _ = replan_tables(data, build_model(data), plan, None)
    why = changes.set_index("contributor")["why"]
    assert why["A"] == "kept out by caveat C1 (A exclude site=S1)"
    assert why["B"] == ""
    path = write_workbook(
        tmp_path / "a.xlsx",
        contributors=[{"contributor": "A"}, {"contributor": "B"}],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "single_source": True}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 3},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
    )
    data = api.read(path)
    data.baseline = baseline_rows([("A", "INF", "S1", 0, 0, 3), ("B", "INF", "S1", 0, 0, 1)])
    changes, _ = replan_tables(data, build_model(data), allocation([("A", "INF", "S1", 2)]), None)
    assert changes.set_index("contributor").loc["A", "why"] == "S1 requires only 2 INF"
