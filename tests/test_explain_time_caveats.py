"""Why lines are short, in time, where caveats are involved: a cap reached only in its window, a
`requires` read per period, a caveat that keeps a pledge out in some periods, and the main
reason when a caveat stands beside a spare unit (and how the Sustainability sheet gets it).
The world is tests/test_explain_time.py's (split from tests/test_explain_time.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from solver.explain.sustain import fill_reasons
from solver.results.tables import Tables

from .explain_time_case import gaps, reasons, solved
from .time_cases import months


def test_a_cap_reached_only_in_its_window(tmp_path: Path) -> None:
    """S1 needs 2 units in P1..P4; A has 2 (no tour limit), but at most 1 present in P2..P3
    (max_units 1 there): short 1 unit in P2..P3 only, the cap reached in each, one row; the
    caveat's text gives its window."""
    result = solved(
        tmp_path,
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[
            {
                "id": "M1",
                "contributor": "A",
                "caveat": "max_units",
                "value": 1,
                "from": "P2",
                "to": "P3",
            }
        ],
    )
    assert gaps(result) == [
        (
            "S1",
            "INF",
            "P2..P3",
            2,
            1,
            1,
            "A",
            2,
            1,
            "caveat M1 (A max_units 1, P2..P3) reached (1 unit)",
        ),
    ]


def test_requires_is_read_per_period(tmp_path: Path) -> None:
    """S1 needs 2 units in P1..P4; A and B have 1 unit each; A requires B, and B may have no
    unit present in P1..P2 (max_units 0 there). So in P1..P2 nobody deploys (short 2: B's cap,
    and A's condition not met then), from P3 both do (short 0). Over the horizon B does
    deploy: only the reading per period explains P1..P2."""
    result = solved(
        tmp_path,
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1},
        ],
        caveats=[
            {"id": "R1", "contributor": "A", "caveat": "requires", "other": "B"},
            {
                "id": "M2",
                "contributor": "B",
                "caveat": "max_units",
                "value": 0,
                "from": "P1",
                "to": "P2",
            },
        ],
    )
    assert gaps(result) == [
        (
            "S1",
            "INF",
            "P1..P2",
            2,
            0,
            2,
            "A",
            1,
            1,
            "caveat R1 (A requires B): B deploys nothing then",
        ),
        (
            "S1",
            "INF",
            "P1..P2",
            2,
            0,
            2,
            "B",
            1,
            1,
            "caveat M2 (B max_units 0, P1..P2) reached (0 units)",
        ),
    ]


def test_a_caveat_forbidding_in_some_periods_keeps_out_then(tmp_path: Path) -> None:
    """As above without B's cap but with B ready only from P3: in P1..P2 B has no option at
    all, so A's options of those periods are removed by R1 (`kept out by`); B's row says when
    it is ready."""
    result = solved(
        tmp_path,
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "from": "P3"},
        ],
        caveats=[{"id": "R1", "contributor": "A", "caveat": "requires", "other": "B"}],
    )
    assert [(r[2], r[6], r[9]) for r in gaps(result)] == [
        (
            "P1..P2",
            "A",
            "kept out by caveat R1 (A requires B) (B's pledges available only from P3)",
        ),
        ("P1..P2", "B", "B's INF pledge available only from P3 (notice to move)"),
    ]


def test_fill_reasons_sets_sustainability_reason_by_line() -> None:
    """A Sustainability sheet in the tables gets the reasons of the lines given; others keep
    theirs."""
    empty = pd.DataFrame()
    tables = Tables([], empty, empty, empty, empty, empty)
    tables.extra["Sustainability"] = pd.DataFrame(
        {"site": ["S1", "S2"], "capability": ["INF", "INF"], "reason": ["old", ""]}
    )
    fill_reasons(tables, {("S1", "INF"): "A's mandate ends P4"})
    assert tables.extra["Sustainability"]["reason"].tolist() == ["A's mandate ends P4", ""]


def test_the_main_reason_is_what_holds_back_a_spare_unit(tmp_path: Path) -> None:
    """S2 needs 3 INF (hard, priority 1), S1 2 INF (priority 2), in P1..P2. A pledges 3 and is
    kept out of S1 (caveat X1), so its 3 units hold S2; B pledges 2 of 100 people each under a
    cap of 100 people (X2), so 1 of B's units fills S1 and the other stays home: S1 is short 1
    in each period. Gaps rows: A (the largest pledge) `kept out by caveat X1`, spare 0, which
    says where A's units are (lifting X1 frees nothing: they are all at S2); B, its cap
    reached, spare 1. Lifting X2 fills S1: the main reason is B's, the largest pledge with a
    unit spare."""
    result = solved(
        tmp_path,
        periods=months(2),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 2},
            {"site": "S2", "capability": "INF", "units": 3, "priority": 1, "hard": "yes"},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 3},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        caveats=[
            {"id": "X1", "contributor": "A", "caveat": "exclude", "site": "S1"},
            {"id": "X2", "contributor": "B", "caveat": "max_personnel", "value": 100},
        ],
    )
    capped = "caveat X2 (B max_personnel 100) reached (100 of 100 personnel deployed)"
    assert [(r[2], r[6], r[8], r[9]) for r in gaps(result)] == [
        (
            "P1..P2",
            "A",
            0,
            "kept out by caveat X1 (A exclude site=S1); besides, A's 3 units: 3 at S2 (p1, hard: "
            "workbook)",
        ),
        ("P1..P2", "B", 1, capped),
    ]
    assert reasons(result) == {("S1", "INF"): capped}


def test_the_main_reason_s_tiers_in_one_period() -> None:
    """One period of a short line. Pledges with a unit spare: AUT's (1 unit, kept out by its
    `only` C11), DEU's and FRA's (1 unit each, no rule holding them back). Where the line's
    priority is proven, the rule's: lifting it frees a unit (a differential trial: DEU's C8
    lifted, the line filled where FRA's spare battery had been said); where the search stopped
    before it, the spare unit's (a trial: lifting C11 filled nothing, the search's). Without a
    unit spare, a pledge not ready then (notice to move) before a larger one busy elsewhere
    (a differential trial: CAN's HQ_ELEM ready earlier filled Odesa, FRA's unit at Kyiv was
    said). Among pledges of one tier, the larger first, then the Pledges sheet's row order,
    not the contributors' code order (DEU's row 9 before AUT's row 12)."""
    from types import SimpleNamespace

    from solver.explain.sustain import period_reason
    from solver.wording import SPARE

    pledges = pd.DataFrame({"contributor": ["AUT", "DEU", "FRA"], "_row": [12, 9, 15]})
    window = {"units": 2, "from_t": 0, "to_t": 3, "tour_months": float("nan"), "dwell_months": 0}
    g = SimpleNamespace(
        data=SimpleNamespace(pledges=pledges, scenario="base"),
        status={"AUT": "available", "DEU": "available", "FRA": "available"},
        pledge_rows=[
            {**window, "contributor": c, "capability": "INF", "from_t": 2 if c == "FRA" else 0}
            for c in pledges["contributor"]
        ],
        names=["P1", "P2", "P3", "P4"],
        months=np.ones(4, dtype=np.int64),
    )

    def row(p: int, reason: str, pledged: int = 1, spare: int = 1) -> dict:
        c = pledges["contributor"][p]
        return {
            "order": p,
            "t": 0,
            "contributor": c,
            "pledged": pledged,
            "spare": spare,
            "reason": reason,
        }

    kept = "kept out by caveat C11 (AUT only site=Kyiv)"
    spare = [row(0, kept), row(1, SPARE), row(2, SPARE)]
    assert period_reason(g, spare) == kept
    assert period_reason(g, spare, proven=False) == SPARE
    capped = "caveat C14 (DEU max_personnel 1300) reached"
    assert period_reason(g, [row(0, kept), row(1, capped), row(2, "in dwell")]) == capped
    assert period_reason(g, [row(0, kept, pledged=2), row(1, capped)]) == kept
    # AUT's pledge rotates (12 months of dwell) and all its units are taken in P2: its unit
    # held back now is held for later, so lifting C11 frees none; after the spare ones
    g.pledge_rows[0] |= {"dwell_months": 12}
    g.data.periods = pd.DataFrame({"offset": range(4)})
    g.sol = SimpleNamespace(spare_t=np.array([[1, 0, 0, 0], [1] * 4, [1] * 4], dtype=float))
    g.used_by_pledge, g.dwell = {}, {}
    assert period_reason(g, spare) == SPARE
    assert period_reason(g, [row(0, kept), row(1, capped, spare=0)]) == kept
    g.pledge_rows[0] |= {"dwell_months": 0}
    busy = "DEU's 2 units: 2 at S2 (p1)"
    late = "FRA's INF pledge available only from P3 (notice to move)"
    none_spare = [row(1, busy, pledged=2, spare=0), row(2, late, spare=0)]
    assert period_reason(g, none_spare) == f"{late}; the other pledge has no unit spare either"


def test_a_caveat_on_a_free_unit_is_the_main_reason_before_a_rotating_spare(
    tmp_path: Path,
) -> None:
    """A differential trial's case: S1 and S2 need 1 INF each over P1..P6 (priority 1). A's 2
    units rotate (tours of 3 months, 3 of dwell): they hold one line throughout, one unit
    present and the other at home or spare, held for the next tour. B's 2 units never deploy:
    B requires U, unavailable. The other line is short in every period; A's spare unit is
    `not used although spare` (held for a later period), but what keeps the line short is RQ:
    lifted, B fills it (the trial re-solved without it: 6 unit-months short -> 0). The main
    reason is RQ's, where it was the spare unit's."""
    result = solved(
        tmp_path,
        periods=months(6),
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1},
            {"contributor": "U", "lat": 0, "lon": 1, "status": "unavailable"},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 2,
                "tour_months": 3,
                "dwell_months": 3,
            },
            {"contributor": "B", "capability": "INF", "units": 2},
            {"contributor": "U", "capability": "INF", "units": 1},
        ],
        caveats=[{"id": "RQ", "contributor": "B", "caveat": "requires", "other": "U"}],
    )
    spare_a = [row[9] for row in gaps(result) if row[6] == "A" and row[8] > 0]
    assert spare_a and str(spare_a[0]).startswith("not used although spare"), spare_a
    (reason,) = reasons(result).values()
    assert reason.startswith("kept out by caveat RQ") or reason.startswith("caveat RQ"), reason
    # where priority 1 is not proven, a longer run may use A's spare unit: its reason first
    from solver.explain.sustain import gaps_and_reasons

    ctx, x = result.ctx, result.outcome.x
    assert ctx.x is not None and x is not None
    columns = (x[ctx.x["col"].to_numpy()], x[ctx.x["arrive"].to_numpy()])
    (unproven,) = gaps_and_reasons(ctx, *columns, proven={1: False})[1].values()
    assert unproven.startswith("not used although spare"), unproven
    (proven,) = gaps_and_reasons(ctx, *columns, proven={1: True})[1].values()
    assert proven == reason


def test_units_held_by_a_commitment_in_its_window_name_it(tmp_path: Path) -> None:
    """S1 (priority 1) and S2 (priority 2) need 2 INF each over P1..P3; A's 2 units (no tour
    limit) are committed to S2 in P2..P3 (min_units MI 2 there): S1 is full in P1 and 2 short
    in P2..P3, where A's units are at S2 under MI (a differential trial: it said `2 at S2 (p2)`
    as if the plan had chosen the lower priority)."""
    result = solved(
        tmp_path,
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 2, "priority": 2},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[
            {"id": "MI", "contributor": "A", "caveat": "min_units", "site": "S2", "value": 2}
            | {"from": "P2", "to": "P3"}
        ],
    )
    short_s1 = [row for row in gaps(result) if row[0] == "S1"]
    assert [(row[2], row[6], row[9]) for row in short_s1] == [
        ("P2..P3", "A", "A's 2 units: 2 at S2 (p2, committed: caveat MI)")
    ]


def test_requires_says_the_other_s_mandate_ended(tmp_path: Path) -> None:
    """A differential trial: S1 needs 1 INF in P1..P4; A (1 unit) requires B, whose mandate
    ends P2 (B pledges 1 AD at S2 until P2). From P3, A's unit stays home: the reason said
    `kept out by caveat R1 (A requires B)` without why; it says B's mandate ended."""
    result = solved(
        tmp_path,
        periods=months(4),
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "AD", "category": "air", "personnel_per_unit": 100},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "AD", "units": 1, "priority": 1, "to": "P2"},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "AD", "units": 1, "to": "P2"},
        ],
        caveats=[{"id": "R1", "contributor": "A", "caveat": "requires", "other": "B"}],
    )
    assert [(row[2], row[9]) for row in gaps(result) if row[0] == "S1"] == [
        ("P3..P4", "kept out by caveat R1 (A requires B) (B's mandate ends P2)")
    ]


def test_requires_says_the_other_s_tours_cannot_cover_the_period(tmp_path: Path) -> None:
    """P1 of 1 month, P2 of 12; S1 needs 1 ENG (B's) and 1 INF (A's, tours of at most 6
    months); B requires A. No tour of A covers P2 (a tour covers whole periods), so B stays
    home in P2: its reason says why A deploys nothing then, as validate warns."""
    result = solved(
        tmp_path,
        periods=months(2, [1, 12]),
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "ENG", "category": "ground", "personnel_per_unit": 100},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S1", "capability": "ENG", "units": 1, "priority": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 6},
            {"contributor": "B", "capability": "ENG", "units": 1},
        ],
        caveats=[{"id": "K1", "contributor": "B", "caveat": "requires", "other": "A"}],
    )
    assert [(row[1], row[2], row[9]) for row in gaps(result) if row[0] == "S1"] == [
        (
            "ENG",
            "P2",
            "kept out by caveat K1 (B requires A) (A's tours of at most 6 months cannot cover "
            "P2 (12 months))",
        ),
        ("INF", "P2", "A's tours of at most 6 months cannot cover P2 (12 months)"),
    ]
