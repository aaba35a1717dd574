"""`forcegen verify` on a timed plan: the Tours sheet checked against every rule of `time.md`.

The input, unless a test says otherwise, is simple_case in time: contributors A (at S1's place)
and B (at S2's), capability INF (category ground, 100 people a unit), sites S1 (country X, zone
front) and S2 (country Y, zone rear), each requiring 2 INF at priority 1; A and B pledge 2 INF at
cost 1 a unit. Periods P1 (1 month), P2 (1), P3 (2 months), P4 (1): m = 0, 1, 2, 4; M = 5.
Each rule gets one plan that holds and one that breaks it, the message derived by hand.
"""

from __future__ import annotations

import ast
import datetime as dt
import itertools
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook

from solver import api
from solver.caveats import KINDS
from solver.cli import main
from solver.verify import verify_file
from solver.verify.time_caveats import TIMED_CAVEAT_RULES

from .conftest import EXAMPLE
from .verify_outputs import write_plan
from .workbooks import simple_case, write_workbook

PERIODS = [{"period": "P1"}, {"period": "P2"}, {"period": "P3", "months": 2}, {"period": "P4"}]
Tour = tuple[Any, ...]
_plans = itertools.count(1)


def timed(tmp_path: Path, **sheets: Any) -> Path:
    sheets.setdefault("periods", PERIODS)
    return simple_case(tmp_path / "timed.xlsx", **sheets)


def pledges(a: int = 2, b: int = 2, **a_fields: Any) -> list[dict[str, Any]]:
    return [
        {"contributor": "A", "capability": "INF", "units": a, "cost_per_unit": 1, **a_fields},
        {"contributor": "B", "capability": "INF", "units": b, "cost_per_unit": 1},
    ]


def caveat(kind: str, **fields: Any) -> list[dict[str, Any]]:
    return [{"id": "K1", "contributor": "A", "caveat": kind, **fields}]


def plan(tmp_path: Path, tours: list[Tour] | None, **kw: Any) -> Path:
    return write_plan(tmp_path / f"plan{next(_plans)}.xlsx", tours, **kw)


def found(tmp_path: Path, tours: list[Tour], **sheets: Any) -> list[str]:
    """The violation messages of `tours` against the timed input with `sheets`."""
    report = verify_file(timed(tmp_path, **sheets), plan(tmp_path, tours))
    return [v.message for v in report.violations]


def both(tmp_path: Path, good: list[Tour], bad: list[Tour], **sheets: Any) -> list[str]:
    """`good` holds; the messages of `bad`."""
    assert found(tmp_path, good, **sheets) == []
    return found(tmp_path, bad, **sheets)


def run(*args: object) -> Result:
    return CliRunner().invoke(main, ["verify", *map(str, args)])


# ---- a plan that holds, and the stages in time ----------------------------------------------------
def test_a_valid_plan_holds_and_its_stages_are_recomputed(tmp_path: Path) -> None:
    """A covers S1 in every period (2 units P1..P4, 5 months <= no limit), B covers S2 with two
    tours (P1..P2 and P3..P4, 2 units each): no shortfall (p1 = 0), cost = sum over tours of
    units x 1 = 2 + 2 + 2 = 6 (a second tour is a second deployment), presence = pairs (A, S1),
    (B, S2) = 2. The Allocation sheet lists x per period as the tours imply: no warning."""
    tours = [
        ("A", "INF", "S1", "P1", "P4", 2),
        ("B", "INF", "S2", "P1", "P2", 2),
        ("B", "INF", "S2", "P3", "P4", 2),
    ]
    allocation = [
        *(("A", "INF", "S1", p, 2) for p in ("P1", "P2", "P3", "P4")),
        *(("B", "INF", "S2", p, 2) for p in ("P1", "P2", "P3", "P4")),
    ]
    summary = {
        "scenario": "base",
        "objective.shortfall.p1": 0,
        "objective.cost": 6,
        "objective.presence": 2,
    }
    src = timed(tmp_path)
    out = plan(tmp_path, tours, allocation=allocation, summary=summary)
    report = verify_file(src, out)
    assert report.ok and report.warnings == []
    assert [(s.stage, s.recomputed, s.same) for s in report.stages] == [
        ("objective.shortfall.p1", 0.0, True),
        ("objective.cost", 6.0, True),
        ("objective.presence", 2.0, True),
    ]
    res = run(src, out)
    assert res.exit_code == 0, res.output
    assert "(scenario base): 3 tours, 6 unit-tours (a unit deployed twice" in res.output
    assert "no violations: the plan respects every rule and caveat in every period" in res.output
    assert "result: the plan holds" in res.output


def test_shortfall_is_weighted_unit_months_per_priority(tmp_path: Path) -> None:
    """S1 (priority 1, weight 3) gets A's 2 units in P1..P2 only: short 2 in P3 (2 months) and
    P4 (1 month): 3 x (2 x 2 + 2 x 1) = 18. S2 (priority 2) gets nothing: short 2 in every
    period, 2 x 5 months = 10. Cost 2 units x 1 = 2, presence 1."""
    report = verify_file(
        timed(
            tmp_path,
            requirements=[
                {"site": "S1", "capability": "INF", "units": 2, "weight": 3},
                {"site": "S2", "capability": "INF", "units": 2, "priority": 2},
            ],
        ),
        plan(tmp_path, [("A", "INF", "S1", "P1", "P2", 2)]),
    )
    assert report.ok
    assert report.stage_values() == {
        "objective.shortfall.p1": 18.0,
        "objective.shortfall.p2": 10.0,
        "objective.cost": 2.0,
        "objective.presence": 1.0,
    }


# ---- tour validity --------------------------------------------------------------------------------
def test_unknown_names_and_periods_name_the_tours_cell(tmp_path: Path) -> None:
    """Row 2 names contributor Z, row 3 site S9, row 4 capability AD, row 5 period P9, row 6 a
    `from` after its `to`; row 7 writes `a` for A (taken, with a warning). Rows 2-6 cannot be
    placed in time and take no part in the other checks: A's 2 units at S1 hold."""
    tours = [
        ("Z", "INF", "S1", "P1", "P1", 1),
        ("B", "INF", "S9", "P1", "P1", 1),
        ("B", "AD", "S2", "P1", "P1", 1),
        ("B", "INF", "S2", "P1", "P9", 1),
        ("B", "INF", "S2", "P3", "P2", 1),
        ("a", "INF", "S1", "P1", "P4", 2),
    ]
    report = verify_file(timed(tmp_path), plan(tmp_path, tours))
    assert [v.message for v in report.violations] == [
        "Tours!A2: contributor 'Z' is not on the Contributors sheet of the input",
        "Tours!C3: site 'S9' is not on the Sites sheet of the input",
        "Tours!B4: capability 'AD' is not on the Capabilities sheet of the input",
        "Tours!E5: to 'P9' is not a period of the input (P1..P4)",
        "Tours!D6: tour B/INF/S2: from P3 is after to P2",
    ]
    assert [v.rows for v in report.violations] == [(2,), (3,), (4,), (5,), (6,)]
    assert [str(w) for w in report.warnings] == [
        "warning: Tours!A7: contributor 'a' taken as 'A' (case differs)"
    ]


def test_unavailable_and_not_pledged(tmp_path: Path) -> None:
    """B is unavailable; A pledged no AD (and no site requires AD)."""
    messages = found(
        tmp_path,
        [("B", "INF", "S2", "P1", "P2", 1), ("A", "AD", "S1", "P4", "P4", 1)],
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1, "status": "unavailable"},
        ],
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "AD", "category": "air", "personnel_per_unit": 50},
        ],
    )
    assert messages == [
        "tour B/INF/S2 P1..P2: contributor B is unavailable",
        "tour A/AD/S1 P4: A pledged no AD",
        "tour A/AD/S1 P4: S1 does not require AD",
    ]


def test_tour_inside_the_pledge_window(tmp_path: Path) -> None:
    """A's pledge runs P2..P3 (readiness, then a mandate's end): P2..P3 holds; P1..P4 has P1
    and P4 outside it."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P2", "P3", 2)],
        [("A", "INF", "S1", "P1", "P4", 2)],
        pledges=pledges(**{"from": "P2", "to": "P3"}),
    )
    assert messages == ["tour A/INF/S1 P1..P4: A/INF is pledged only in P2..P3 (not in P1, P4)"]


def test_site_requires_the_capability_in_a_tour_period_and_per_period(tmp_path: Path) -> None:
    """S1's line runs P3..P4 and its Profile asks 0 units in P3: required(S1) = 0, 0, 0, 2.
    A tour P1..P3 meets no period with required > 0 (invalid); a tour P3..P4 is valid but
    exceeds the requirement in P3 (2 allocated, 0 required). P4 alone holds."""
    sheets: dict[str, Any] = {
        "requirements": [
            {"site": "S1", "capability": "INF", "units": 2, "from": "P3"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        "profile": [{"site": "S1", "capability": "INF", "from": "P3", "to": "P3", "units": 0}],
    }
    assert found(tmp_path, [("A", "INF", "S1", "P4", "P4", 2)], **sheets) == []
    messages = found(
        tmp_path, [("A", "INF", "S1", "P1", "P3", 2), ("B", "INF", "S1", "P3", "P4", 2)], **sheets
    )
    assert messages == [
        "tour A/INF/S1 P1..P3: S1 requires no INF in P1..P3",
        "requirement S1/INF in P1..P2: 2 units allocated (A 2), 0 required",
        "requirement S1/INF in P3: 4 units allocated (A 2, B 2), 0 required",
    ]


def test_tour_length(tmp_path: Path) -> None:
    """tour_months 3. P1..P2: m(P2) + 1 - m(P1) = 2; P3..P4: 4 + 1 - 2 = 3: both hold.
    P1..P3: 2 + 2 - 0 = 4 > 3."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S1", "P3", "P4", 1)],
        [("A", "INF", "S1", "P1", "P3", 1)],
        pledges=pledges(tour_months=3),
    )
    assert messages == ["tour A/INF/S1 P1..P3: 4 months > tour_months 3"]


def issue_example(tmp_path: Path) -> Path:
    """The issue's wording: monthly periods 2027-01..2027-12; FRA pledges 1 INF_BN with
    six-month tours; EST pledges 2 AD_BTY with a month of dwell; Kyiv requires 1 INF_BN and 2
    AD_BTY."""
    return write_workbook(
        tmp_path / "kyiv.xlsx",
        contributors=[{"contributor": "FRA"}, {"contributor": "EST"}],
        capabilities=[{"capability": "INF_BN"}, {"capability": "AD_BTY"}],
        sites=[{"site": "Kyiv", "country": "UKR"}],
        requirements=[
            {"site": "Kyiv", "capability": "INF_BN", "units": 1},
            {"site": "Kyiv", "capability": "AD_BTY", "units": 2},
        ],
        pledges=[
            {"contributor": "FRA", "capability": "INF_BN", "units": 1, "tour_months": 6},
            {"contributor": "EST", "capability": "AD_BTY", "units": 2, "dwell_months": 1},
        ],
        periods=[{"period": f"2027-{m:02d}"} for m in range(1, 13)],
    )


def test_the_issue_messages(tmp_path: Path) -> None:
    """FRA's tour 2027-01..2027-09 lasts 9 months > 6. EST: 1 unit 2027-01..2027-03 ends at
    e = 3, so it is in dwell in the period with 3 <= m < 4, 2027-04; 2 units 2027-04..2027-06:
    in 2027-04, 2 deployed + 1 in dwell = 3 > 2 pledged; from 2027-05 on 2 <= 2. The rotation
    message names the tour deployed then (row 4) and the one whose dwell it is (row 3)."""
    out = plan(
        tmp_path,
        [
            ("FRA", "INF_BN", "Kyiv", "2027-01", "2027-09", 1),
            ("EST", "AD_BTY", "Kyiv", "2027-01", "2027-03", 1),
            ("EST", "AD_BTY", "Kyiv", "2027-04", "2027-06", 2),
        ],
    )
    report = verify_file(issue_example(tmp_path), out)
    assert [v.message for v in report.violations] == [
        "tour FRA/INF_BN/Kyiv 2027-01..2027-09: 9 months > tour_months 6",
        "EST/AD_BTY in 2027-04: 2 units deployed + 1 in dwell > 2 pledged; deployed: 2 at Kyiv "
        "2027-04..2027-06 (Tours!A4); in dwell: 1 back from Kyiv 2027-01..2027-03 (Tours!A3)",
    ]
    assert [v.rows for v in report.violations] == [(2,), (3, 4)]


def test_rotation_and_dwell(tmp_path: Path) -> None:
    """A pledges 2 with 2 months of dwell. Good: 2 units P1..P2 end at e = 2 and rest while
    2 <= m < 4 (P3 only, m = 2); 2 units again in P4 (m = 4): at most 2 out or resting.
    Bad: 1 unit in P3 beside the 2 resting: 3 > 2 in P3; and 1 unit at S2 P1..P2 beside the 2 at
    S1: 3 deployed > 2 in P1..P2 (it rests in P3 too: 1 + 3 = 4)."""
    good = [("A", "INF", "S1", "P1", "P2", 2), ("A", "INF", "S1", "P4", "P4", 2)]
    bad = [
        ("A", "INF", "S1", "P1", "P2", 2),
        ("A", "INF", "S2", "P1", "P2", 1),
        ("A", "INF", "S1", "P3", "P3", 1),
    ]
    messages = both(tmp_path, good, bad, pledges=pledges(dwell_months=2))
    assert messages == [
        "A/INF in P1..P2: 3 units deployed > 2 pledged; deployed: 2 at S1 P1..P2 (Tours!A2), "
        "1 at S2 P1..P2 (Tours!A3)",
        "A/INF in P3: 1 unit deployed + 3 in dwell > 2 pledged; deployed: 1 at S1 P3 "
        "(Tours!A4); in dwell: 2 back from S1 P1..P2 (Tours!A2), 1 back from S2 P1..P2 "
        "(Tours!A3)",
    ]


# ---- the rules per period -------------------------------------------------------------------------
def test_hard_in_every_period_the_line_is_active(tmp_path: Path) -> None:
    """S1 is hard from P2 (required 0 in P1): covering P2..P4 holds; covering P1..P2 leaves
    P3..P4 short 2 (and P1 over: 2 allocated, 0 required)."""
    sheets: dict[str, Any] = {
        "requirements": [
            {"site": "S1", "capability": "INF", "units": 2, "hard": "yes", "from": "P2"},
            {"site": "S2", "capability": "INF", "units": 2},
        ]
    }
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P2", "P4", 2)],
        [("A", "INF", "S1", "P1", "P2", 2)],
        **sheets,
    )
    assert messages == [
        "requirement S1/INF in P1: 2 units allocated (A 2), 0 required",
        "hard requirement S1/INF in P3..P4: 0 units allocated, 2 required (short 2)",
    ]


def test_single_source_per_period_allows_a_hand_over(tmp_path: Path) -> None:
    """S1 single-source: A then B (hand-over between P2 and P3) holds; A P1..P3 and B P2..P4
    overlap in P2..P3."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("B", "INF", "S1", "P3", "P4", 2)],
        [("A", "INF", "S1", "P1", "P3", 1), ("B", "INF", "S1", "P2", "P4", 1)],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "single_source": "yes"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
    )
    assert messages == [
        "single-source line S1/INF in P2..P3: 2 contributors (A 1, B 1), at most 1 allowed"
    ]


def test_max_contributors_per_period(tmp_path: Path) -> None:
    """S1 takes at most 1 contributor at a time: as for single_source."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("B", "INF", "S1", "P3", "P4", 2)],
        [("A", "INF", "S1", "P1", "P3", 1), ("B", "INF", "S1", "P2", "P4", 1)],
        sites=[
            {
                "site": "S1",
                "country": "X",
                "zone": "front",
                "lat": 0,
                "lon": 0,
                "max_contributors": 1,
            },
            {"site": "S2", "country": "Y", "zone": "rear", "lat": 0, "lon": 1},
        ],
    )
    assert messages == ["site S1 in P2..P3: 2 contributors present (A, B), at most 1 allowed"]


# ---- every caveat kind in its window --------------------------------------------------------------
def test_exclude(tmp_path: Path) -> None:
    """A excludes S1 from P3: A at S1 in P1..P2 then B holds; A at S1 P1..P4 is there in P3..P4."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("B", "INF", "S1", "P3", "P4", 2)],
        [("A", "INF", "S1", "P1", "P4", 2)],
        caveats=caveat("exclude", site="S1", **{"from": "P3"}),
    )
    assert messages == [
        "caveat K1 (A exclude site=S1 from=P3): tour A/INF/S1 P1..P4 sends 2 INF to S1 in P3..P4"
    ]


def test_only(tmp_path: Path) -> None:
    """A goes only to S2 in P2..P3; outside that window the row does not count: S1 in P1 and
    P4, S2 in P2..P3 holds; S1 in P1..P2 is at S1 in P2."""
    messages = both(
        tmp_path,
        [
            ("A", "INF", "S1", "P1", "P1", 2),
            ("A", "INF", "S2", "P2", "P3", 2),
            ("A", "INF", "S1", "P4", "P4", 2),
        ],
        [("A", "INF", "S1", "P1", "P2", 2)],
        caveats=caveat("only", site="S2", **{"from": "P2", "to": "P3"}),
    )
    assert messages == [
        "caveat K1 (A only site=S2 from=P2 to=P3): tour A/INF/S1 P1..P2 sends 2 INF to S1 in "
        "P2, which no `only` row allows"
    ]


def test_only_rows_count_in_their_own_windows(tmp_path: Path) -> None:
    """A only at S1 in P1..P2 (K1) and only at S2 in P3..P4 (K2): S1 then S2 holds; S2 all
    along is at S2 in P1..P2, where only K1 applies (K2's S2 does not count there)."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("A", "INF", "S2", "P3", "P4", 2)],
        [("A", "INF", "S2", "P1", "P4", 2)],
        caveats=[
            {"id": "K1", "contributor": "A", "caveat": "only", "site": "S1", "to": "P2"},
            {"id": "K2", "contributor": "A", "caveat": "only", "site": "S2", "from": "P3"},
        ],
    )
    assert messages == [
        "caveat K1 (A only site=S1 to=P2): tour A/INF/S2 P1..P4 sends 2 INF to S2 in P1..P2, "
        "which no `only` row allows"
    ]


def test_requires(tmp_path: Path) -> None:
    """A requires B from P2: A alone in P1 is outside the window; B arriving in P2 holds, B
    arriving in P3 leaves A alone in P2."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P4", 2), ("B", "INF", "S2", "P2", "P4", 2)],
        [("A", "INF", "S1", "P1", "P4", 2), ("B", "INF", "S2", "P3", "P4", 2)],
        caveats=caveat("requires", other="B", **{"from": "P2"}),
    )
    assert messages == [
        "caveat K1 (A requires other=B from=P2) in P2: A has 2 INF at S1, but B has nothing present"
    ]


MAX_PLAN = [("A", "INF", "S1", "P1", "P4", 2), ("A", "INF", "S2", "P2", "P3", 1)]


def test_max_units(tmp_path: Path) -> None:
    """A pledges 4; MAX_PLAN has A's 2 at S1 throughout and 1 at S2 in P2..P3: 3 at the same
    time in P2..P3. A cap of 2 in P1 only holds; over the whole horizon it does not."""
    assert (
        found(
            tmp_path, MAX_PLAN, pledges=pledges(a=4), caveats=caveat("max_units", value=2, to="P1")
        )
        == []
    )
    messages = found(tmp_path, MAX_PLAN, pledges=pledges(a=4), caveats=caveat("max_units", value=2))
    assert messages == [
        "caveat K1 (A max_units value=2) in P2..P3: A has 3 units matching (2 INF at S1, "
        "1 INF at S2), at most 2 allowed"
    ]


def test_max_personnel(tmp_path: Path) -> None:
    """As max_units with 100 people a unit: 300 > 200 in P2..P3; a cap at S1 only holds."""
    assert (
        found(
            tmp_path,
            MAX_PLAN,
            pledges=pledges(a=4),
            caveats=caveat("max_personnel", value=200, site="S1"),
        )
        == []
    )
    messages = found(
        tmp_path, MAX_PLAN, pledges=pledges(a=4), caveats=caveat("max_personnel", value=200)
    )
    assert messages == [
        "caveat K1 (A max_personnel value=200) in P2..P3: A has 300 personnel matching "
        "(2 INF at S1, 1 INF at S2), at most 200 allowed"
    ]


def test_min_units(tmp_path: Path) -> None:
    """A keeps at least 1 unit present from P3: P3..P4 holds; P1..P3 leaves P4 empty."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P3", "P4", 1)],
        [("A", "INF", "S1", "P1", "P3", 1)],
        caveats=caveat("min_units", value=1, **{"from": "P3"}),
    )
    assert messages == [
        "caveat K1 (A min_units value=1 from=P3) in P4: A has 0 units matching, at least 1 required"
    ]


def test_min_contingent(tmp_path: Path) -> None:
    """A sends 0 or at least 2 to a site in each period: 2 in P1..P2 then 2 again holds; 2 in
    P1..P2 then 1 in P3..P4 is 1 < 2 in P3..P4."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("A", "INF", "S1", "P3", "P4", 2)],
        [("A", "INF", "S1", "P1", "P2", 2), ("A", "INF", "S1", "P3", "P4", 1)],
        caveats=caveat("min_contingent", value=2),
    )
    assert messages == [
        "caveat K1 (A min_contingent value=2) in P3..P4: A has 1 INF at S1, fewer than 2"
    ]


def test_max_sites(tmp_path: Path) -> None:
    """A at one site at a time: S1 in P1..P2 then S2 in P3..P4 holds; S2 from P2 overlaps."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S2", "P3", "P4", 1)],
        [("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S2", "P2", "P4", 1)],
        caveats=caveat("max_sites", value=1),
    )
    assert messages == [
        "caveat K1 (A max_sites value=1) in P2: A is at 2 sites (S1, S2), at most 1 allowed"
    ]


def test_not_with(tmp_path: Path) -> None:
    """A not with B: B at S1 after A left holds; B from P2 meets A there in P2."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 1), ("B", "INF", "S1", "P3", "P4", 1)],
        [("A", "INF", "S1", "P1", "P2", 1), ("B", "INF", "S1", "P2", "P4", 1)],
        caveats=caveat("not_with", other="B"),
    )
    assert messages == [
        "caveat K1 (A not_with other=B) in P2: A and B are both at S1 (A 1 INF, B 1 INF)"
    ]


def test_no_weakening(tmp_path: Path) -> None:
    """S1 hard from P3 by A's caveat: short in P1..P2 is allowed, S1 full in P3..P4 holds;
    covering P1..P3 only leaves P4 short 2."""
    messages = both(
        tmp_path,
        [("B", "INF", "S1", "P3", "P4", 2)],
        [("B", "INF", "S1", "P1", "P3", 2)],
        caveats=caveat("no_weakening", site="S1", **{"from": "P3"}),
    )
    assert messages == [
        "caveat K1 (A no_weakening site=S1 from=P3) in P4: requirement S1/INF is hard but has "
        "0 units of 2 (short 2)"
    ]


def test_every_caveat_kind_has_a_timed_verify_rule() -> None:
    """verify's timed table has one function per registered kind, by name (an independent
    implementation: looked up in verify's own table), and nothing else; and this module has a
    hand-worked test of each."""
    assert sorted(rule.__name__ for rule in TIMED_CAVEAT_RULES) == sorted(KINDS)
    assert len(KINDS) >= 10
    untested = [kind for kind in KINDS if not callable(globals().get(f"test_{kind}"))]
    assert untested == [], "each kind needs a hand-worked test_<kind> here"


def test_timed_verify_shares_no_code_with_the_model() -> None:
    """Nothing from the model, the caveat modules or the solve's TimedPlan (solver/time_plan)."""
    folder = Path(__file__).resolve().parent.parent / "solver" / "verify"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                name = ("." * node.level) + (node.module or "")
                assert "time_plan" not in name, (path, name)
                assert not name.lstrip(".").startswith(("model", "caveats")), (path, name)


# ---- one period of one month is the snapshot -----------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_period_agrees_with_snapshot_verify(tmp_path: Path, seed: int) -> None:
    """time.md: with one period of one month the timed rules are the snapshot's. The coalition
    example gets a Periods sheet with one month; a random allocation (one row per contributor,
    capability and site, 0..3 units, over every pledge and site) is checked by snapshot verify
    as an Allocation sheet and by timed verify as one tour M1..M1 per row. Two independent
    implementations: the same rules break as often (the snapshot's `pledge` is the timed
    `rotation`), and the stages are equal."""
    snapshot = tmp_path / "snap.xlsx"
    snapshot.write_bytes(EXAMPLE.read_bytes())
    wb = load_workbook(snapshot)
    periods = wb.create_sheet("Periods")
    periods.append(["period", "months"])
    periods.append(["M1", 1])
    wb.save(tmp_path / "timed.xlsx")
    data = api.read(snapshot)
    rng = random.Random(seed)
    rows = [
        (c, k, s, rng.choice([0, 0, 0, 1, 2, 3]))
        for c, k in zip(data.pledges["contributor"], data.pledges["capability"], strict=True)
        for s in data.sites["site"]
        if rng.random() < 0.2
    ]
    as_allocation = tmp_path / "alloc.xlsx"
    wb = Workbook()
    wb.active.title = "Allocation"
    wb.active.append(["contributor", "capability", "site", "units"])
    for row in rows:
        wb.active.append(list(row))
    wb.save(as_allocation)
    as_tours = plan(tmp_path, [(c, k, s, "M1", "M1", n) for c, k, s, n in rows])

    snap = verify_file(snapshot, as_allocation)
    timed_report = verify_file(tmp_path / "timed.xlsx", as_tours)
    rename = {"pledge": "rotation"}
    assert Counter(rename.get(v.rule, v.rule) for v in snap.violations) == Counter(
        v.rule for v in timed_report.violations
    )
    assert len(snap.violations) > 3  # the comparison is not vacuous
    assert timed_report.stage_values() == pytest.approx(snap.stage_values())


# ---- the Allocation sheet and derived cells beside the Tours ---------------------------------------
def test_allocation_disagreeing_with_the_tours_is_reported(tmp_path: Path) -> None:
    """The Tours give A 2 at S1 in P1..P2. The Allocation sheet says 1 in P1 (row 2), nothing in
    P2, and B 2 at S2 in P3 (row 3), which no tour gives: three warnings, the plan still holds."""
    out = plan(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2)],
        allocation=[("A", "INF", "S1", "P1", 1), ("B", "INF", "S2", "P3", 2)],
    )
    report = verify_file(timed(tmp_path), out)
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        "warning: Allocation: 3 rows disagree with the Tours sheet: in a timed output the Tours "
        "are the plan, and verify checks them, not the Allocation sheet (derived from them). To "
        "change the plan, edit the Tours sheet; the Allocation rows below are not checked",
        "warning: Allocation!E2: A/INF/S1 in P1: 1 unit here, the Tours give 2",
        "warning: Allocation!E3: B/INF/S2 in P3: 2 units here, the Tours give 0",
        "warning: Allocation: A/INF/S1 in P2: the Tours give 2 units, no row here",
    ]


def test_stale_months_and_personnel_are_warned(tmp_path: Path) -> None:
    """A planner lengthened the tour to P3 (2 + 2 - 0 = 4 months, 2 x 100 = 200 people) but left
    months 2 and personnel 100: warnings at those cells; from, to and units count."""
    out = write_plan(
        tmp_path / "plan.xlsx",
        [("A", "INF", "S1", "P1", "P3", 4 // 2, 2, 100)],
        tour_header=[
            "contributor",
            "capability",
            "site",
            "from",
            "to",
            "units",
            "months",
            "personnel",
        ],
    )
    report = verify_file(timed(tmp_path), out)
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        "warning: Tours!G2: months 2 is not the tour's 4; verify counts from, to and units "
        "(months is derived)",
        "warning: Tours!H2: personnel 100 is not the tour's 200; verify counts from, to and "
        "units (personnel is derived)",
    ]


NAMES = ["contributor", "capability", "site", "from", "to"]


def test_stale_dates_are_warned(tmp_path: Path) -> None:
    """Periods from 2027-01-01 (P3 is 2 months: March and April). A tour P1..P3 runs from
    2027-01-01 to 2027-04-30; its end_date left at 2027-02-28 (from before it was lengthened)
    is warned at its cell, its right start_date is not."""
    dated = [{**PERIODS[0], "start": dt.date(2027, 1, 1)}, *PERIODS[1:]]
    out = write_plan(
        tmp_path / "plan.xlsx",
        [("A", "INF", "S1", "P1", "P3", 2, dt.date(2027, 1, 1), dt.date(2027, 2, 28))],
        tour_header=[*NAMES, "units", "start_date", "end_date"],
    )
    report = verify_file(timed(tmp_path, periods=dated), out)
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        "warning: Tours!H2: end_date 2027-02-28 is not the tour's 2027-04-30; verify counts "
        "from, to and units (end_date is derived)"
    ]


def test_an_end_date_is_the_day_before_the_next_period_starts(tmp_path: Path) -> None:
    """Periods from 2027-01-31: P2 starts Feb 28 (the day kept within the month), P3 Mar 31.
    A tour of P2 ends Mar 30, the day before P3: that end_date is not warned; the Mar 27 of
    Feb 28 + 1 month - 1 day (which left 28-30 March in no period) is, at its cell."""
    dated = [{**PERIODS[0], "start": dt.date(2027, 1, 31)}, *PERIODS[1:]]
    out = write_plan(
        tmp_path / "plan.xlsx",
        [
            ("A", "INF", "S1", "P2", "P2", 1, dt.date(2027, 2, 28), dt.date(2027, 3, 30)),
            ("A", "INF", "S2", "P2", "P2", 1, dt.date(2027, 2, 28), dt.date(2027, 3, 27)),
        ],
        tour_header=[*NAMES, "units", "start_date", "end_date"],
    )
    report = verify_file(timed(tmp_path, periods=dated), out)
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        "warning: Tours!H3: end_date 2027-03-27 is not the tour's 2027-03-30; verify counts "
        "from, to and units (end_date is derived)"
    ]


def test_a_period_that_excel_made_a_date_is_read_as_its_month(tmp_path: Path) -> None:
    """A planner types 2027-02 into a Tours `to` cell and Excel stores 2027-02-01: verify reads
    the period '2027-02' (before: 'must be text, got a date/time')."""
    months = [{"period": "2027-01"}, {"period": "2027-02"}]
    out = plan(tmp_path, [("A", "INF", "S1", "2027-01", dt.date(2027, 2, 1), 2)])
    report = verify_file(timed(tmp_path, periods=months), out)
    assert report.ok, [v.message for v in report.violations]
    assert report.rows == 1


def test_dates_in_the_tours_windows_are_warned_once_per_column(tmp_path: Path) -> None:
    """Excel made dates of the typed periods in Tours!D2 (2027-01 in `from`, a datetime at
    midnight as openpyxl reads it back) and Tours!E3 (2027-03 in `to`): each is read as its
    month's period, as in the input, and said in one warning per column naming its cell, on
    the console too (verify read them silently)."""
    months = [{"period": f"2027-0{m}"} for m in (1, 2, 3)]
    out = plan(
        tmp_path,
        [
            ("A", "INF", "S1", dt.datetime(2027, 1, 1), "2027-01", 1),
            ("A", "INF", "S2", "2027-02", dt.datetime(2027, 3, 1), 1),
        ],
    )
    src = timed(tmp_path, periods=months)
    report = verify_file(src, out)
    assert report.ok, [v.message for v in report.violations]
    said = [
        "warning: Tours!D2: 1 date in from (Tours!D2) read as the periods of their months "
        "(2027-01-01 as '2027-01'): Excel turns a typed 2027-01 into a date; format the column "
        "as text to keep what is typed",
        "warning: Tours!E3: 1 date in to (Tours!E3) read as the periods of their months "
        "(2027-03-01 as '2027-03'): Excel turns a typed 2027-03 into a date; format the column "
        "as text to keep what is typed",
    ]
    assert [str(w) for w in report.warnings] == said
    res = run(src, out)
    assert res.exit_code == 0, res.output
    assert all(w in res.output for w in said)


# ---- the command ---------------------------------------------------------------------------------
def test_cli_exit_3_and_report_sheets(tmp_path: Path) -> None:
    """A 3 units at S1 in P1 (pledge 2, requirement 2): exit 3, both rules named; `-o` writes
    the Violations with the Tours rows."""
    src = timed(tmp_path)
    out = plan(tmp_path, [("A", "INF", "S1", "P1", "P1", 3)])
    report = tmp_path / "findings.xlsx"
    res = run(src, out, "-o", report)
    assert res.exit_code == 3, res.output
    assert "  A/INF in P1: 3 units deployed > 2 pledged; deployed: 3 at S1 P1 (Tours!A2)\n" in (
        res.output
    )
    assert "  requirement S1/INF in P1: 3 units allocated (A 3), 2 required (Tours!A2)\n" in (
        res.output
    )
    assert "result: the plan violates 2 rules" in res.output
    rows = list(load_workbook(report)["Violations"].iter_rows(values_only=True))
    assert rows[0] == ("rule", "ids", "message", "tours_rows")
    assert rows[1] == (
        "rotation",
        "A/INF",
        "A/INF in P1: 3 units deployed > 2 pledged; deployed: 3 at S1 P1 (Tours!A2)",
        "2",
    )
    assert rows[2][2] == "requirement S1/INF in P1: 3 units allocated (A 3), 2 required"


@pytest.mark.parametrize(
    ("tours", "header", "expected"),
    [
        (
            [("A", "INF", "S1", "P1", "P2", "two"), ("A", "INF", None, "P1", "P2", 1)],
            None,
            [
                "Tours!F2: units must be a whole number >= 0, got 'two'",
                "Tours!C3: site is required",
            ],
        ),
        (  # an unreadable cell: the names the input lacks and from after to come with it
            [
                ("A", "INF", "S1", "P1", "P9", 1),
                ("A", "INF", "S1", "P1", "P2", -1),
                ("A", "INF", "S1", "P3", "P2", 1),
                ("A", "INF", "Sx", "P1", "P2", 1),
            ],
            None,
            [
                "Tours!E2: to 'P9' is not a period of the input (P1..P4)",
                "Tours!F3: units must be a whole number >= 0, got -1",
                "Tours!D4: tour A/INF/S1: from P3 is after to P2",
                "Tours!C5: site 'Sx' is not on the Sites sheet of the input",
            ],
        ),
        (
            [("A", "INF", "S1", "P1", 2)],
            ["contributor", "capability", "site", "from", "units"],
            [
                "Tours!1:1: required column 'to' is missing (columns found: contributor, "
                "capability, site, from, units)"
            ],
        ),
        (
            None,
            None,
            [
                "plan.xlsx: sheet 'Tours' is missing (sheets found: Summary); the input is a timed "
                "workbook, whose plan is the Tours sheet of a timed solve's output"
            ],
        ),
    ],
)
def test_cli_exit_2_for_an_unreadable_tours_sheet(
    tmp_path: Path, tours: list[Tour] | None, header: list[str] | None, expected: list[str]
) -> None:
    src = timed(tmp_path)
    out = write_plan(tmp_path / "plan.xlsx", tours, tour_header=header)
    res = run(src, out)
    assert res.exit_code == 2, res.output
    assert [line.removeprefix("error: ") for line in res.output.splitlines()][:-1] == expected
    assert "Traceback" not in res.output
    # verify writes only with -o: without it, its problems are not followed by "nothing written"
    assert res.output.splitlines()[-1].endswith(" found.")
    written = run(src, out, "-o", tmp_path / "findings.xlsx")
    assert written.output.splitlines()[-1].endswith(" found; nothing was written.")


def test_a_snapshot_plan_against_a_timed_input_exits_2(tmp_path: Path) -> None:
    """A plan solved from the snapshot workbook has no Tours sheet: there is no plan in time."""
    snapshot = simple_case(tmp_path / "snap.xlsx")
    out = api.write(api.solve(snapshot), tmp_path / "plan.xlsx", [snapshot])
    res = run(timed(tmp_path), out)
    assert res.exit_code == 2
    assert "error: plan.xlsx: sheet 'Tours' is missing (sheets found: " in res.output
    assert "the input is a timed workbook, whose plan is the Tours sheet" in res.output


def test_a_timed_plan_against_a_snapshot_input_exits_2(tmp_path: Path) -> None:
    src = simple_case(tmp_path / "snap.xlsx")
    out = plan(tmp_path, [("A", "INF", "S1", "P1", "P1", 1)])
    res = run(src, out)
    assert res.exit_code == 2
    assert "a Tours sheet with 1 row) but snap.xlsx is a snapshot workbook" in res.output
