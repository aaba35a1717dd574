"""Explanations of gaps: the Gaps sheet gives each short line's reason in a planner's words, and
only what an optimal plan can claim (test_explain.py: infeasibility)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main

from .conftest import EXAMPLE
from .workbooks import simple_case, write_workbook

INF = [{"capability": "INF", "category": "ground", "personnel_per_unit": 100}]


def gaps_of(path: Path) -> pd.DataFrame:
    result = api.solve(path)
    return result.tables.extra["Gaps"]


def reason(gaps: pd.DataFrame, site: str, contributor: str) -> str:
    row = gaps[(gaps["site"] == site) & (gaps["contributor"] == contributor)]
    assert len(row) == 1, gaps
    return str(row["reason"].iloc[0])


def test_units_at_a_hard_line_of_lower_priority_say_why_it_is_hard(tmp_path: Path) -> None:
    """S1 (priority 1) needs 2 INF; H1 (priority 2) is in A's home country X, which A's
    no_weakening N1 makes hard; A pledges 2 units, so one fills H1 and S1 is 1 short. The
    reason says the unit at the lower-priority line is held there by N1 (it said only `(p2)`,
    as if the plan had chosen the lower priority)."""
    path = write_workbook(
        tmp_path / "h.xlsx",
        contributors=[{"contributor": "A"}],
        capabilities=INF,
        sites=[{"site": "S1", "country": "Y"}, {"site": "H1", "country": "X"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "H1", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[{"id": "N1", "contributor": "A", "caveat": "no_weakening", "country": "X"}],
    )
    assert reason(gaps_of(path), "S1", "A") == (
        "pledge exhausted: 1 on this line already, 1 at H1 (p2, hard: caveat N1)"
    )


def test_units_held_by_a_commitment_at_its_floor_name_it(tmp_path: Path) -> None:
    """A differential trial: S1 (priority 1) and S2 (priority 2) need 2 INF each; A pledges
    2 and commits at least 2 to S2 (min_units MI), so both are at S2 and S1 is 2 short. The
    reason said `2 at S2 (p2)`, as if the plan had put the lower priority first; lifting MI
    fills S1. At least 1 of A's 2 at S2: the one at S2 is held there by MI too. A commitment
    that a move to S1 keeps (MI over every site; S2 made hard, so 1 unit is there) holds no
    unit there: not said; nor where S2 is the more important line (its priority holds them)."""

    def case(
        name: str, committed: int, site: str | None = "S2", hard: bool = False, first: int = 1
    ) -> Path:
        return write_workbook(
            tmp_path / name,
            contributors=[{"contributor": "A"}],
            capabilities=INF,
            sites=[{"site": "S1"}, {"site": "S2"}],
            requirements=[
                {"site": "S1", "capability": "INF", "units": 2, "priority": first},
                {"site": "S2", "capability": "INF", "units": 2 - hard, "priority": 3 - first}
                | ({"hard": "yes"} if hard else {}),
            ],
            pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
            caveats=[
                {"id": "MI", "contributor": "A", "caveat": "min_units", "value": committed}
                | ({"site": site} if site else {})
            ],
        )

    assert reason(gaps_of(case("c.xlsx", 2)), "S1", "A") == (
        "pledge exhausted: 2 at S2 (p2, committed: caveat MI)"
    )
    assert reason(gaps_of(case("r.xlsx", 1)), "S1", "A") == (
        "pledge exhausted: 1 on this line already, 1 at S2 (p2, committed: caveat MI)"
    )
    assert reason(gaps_of(case("a.xlsx", 2, site=None, hard=True)), "S1", "A") == (
        "pledge exhausted: 1 on this line already, 1 at S2 (p2, hard: workbook)"
    )
    # S2 the more important line: its priority holds the units, not MI (a review)
    assert (
        reason(gaps_of(case("p.xlsx", 2, first=2)), "S1", "A") == "pledge exhausted: 2 at S2 (p1)"
    )
    # two commitments at their floor: one label (a review saw one per caveat)
    path = case("two.xlsx", 2)
    book = load_workbook(path)
    sheet = book["Caveats"]
    sheet.append(["MJ", "A", "min_units", *[None] * (sheet.max_column - 3)])
    header = [c.value for c in sheet[1]]
    sheet.cell(sheet.max_row, header.index("value") + 1, 2)
    sheet.cell(sheet.max_row, header.index("capability") + 1, "INF")
    sheet.cell(sheet.max_row, header.index("site") + 1, "S2")
    book.save(path)
    assert reason(gaps_of(path), "S1", "A") == (
        "pledge exhausted: 2 at S2 (p2, committed: caveats MI, MJ)"
    )


def test_gap_reasons(tmp_path: Path) -> None:
    """S1 and S2 need 2 INF each (4); A 2 units, B 1 unit capped, C unavailable, D excluded."""
    path = simple_case(
        tmp_path / "g.xlsx",
        contributors=[
            {"contributor": "A"},
            {"contributor": "B"},
            {"contributor": "C", "status": "unavailable"},
            {"contributor": "D"},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "C", "capability": "INF", "units": 2},
            {"contributor": "D", "capability": "INF", "units": 2},
        ],
        caveats=[
            {"id": "BCAP", "contributor": "B", "caveat": "max_units", "value": 1},
            {"id": "DX", "contributor": "D", "caveat": "exclude", "category": "ground"},
        ],
    )
    gaps = gaps_of(path)
    site = gaps["site"].iloc[0]
    assert gaps.drop_duplicates(["site", "capability"])["shortfall"].sum() == 1
    assert reason(gaps, site, "A").startswith("pledge exhausted: ")
    assert reason(gaps, site, "B").startswith("caveat BCAP (B max_units 1) reached")
    assert reason(gaps, site, "C") == "unavailable"
    assert reason(gaps, site, "D") == "kept out by caveat DX (D exclude category=ground)"


def test_a_caveat_on_a_pledge_busy_elsewhere_says_where_its_units_are(tmp_path: Path) -> None:
    """S1 needs 3 INF, S2 2; A pledges 2, D 2 but is kept out of S1 (DX). D's units fill S2, A's
    S1: S1 is short 1. D's reason is the caveat, and that its units are at S2 anyway: lifting
    DX frees none (a trial read `kept out by caveat C13` for FIN, whose one unit held a hard
    line, as the thing to lift). Had D a unit spare, the caveat alone (test above)."""
    path = simple_case(
        tmp_path / "busy.xlsx",
        contributors=[{"contributor": "A"}, {"contributor": "D"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "D", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
        caveats=[{"id": "DX", "contributor": "D", "caveat": "exclude", "site": "S1"}],
    )
    gaps = gaps_of(path)
    assert reason(gaps, "S1", "D") == (
        "kept out by caveat DX (D exclude site=S1); besides, pledge exhausted: 2 at S2 (p1)"
    )


def test_gap_reasons_site_rules(tmp_path: Path) -> None:
    """A single-source line taken by A; a site limit of one contributor reached."""
    path = simple_case(
        tmp_path / "g.xlsx",
        sites=[{"site": "S1", "max_contributors": 1}, {"site": "S2"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3},
            {"site": "S2", "capability": "INF", "units": 3, "single_source": "yes"},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 3, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 3, "cost_per_unit": 2},
        ],
    )
    gaps = gaps_of(path)
    assert set(gaps["site"]) == set()  # A fills S2, B fills S1: nothing short
    path = simple_case(
        tmp_path / "h.xlsx",
        sites=[{"site": "S1", "max_contributors": 1}, {"site": "S2"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 4},
            {"site": "S2", "capability": "INF", "units": 1, "single_source": "yes"},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 3, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 2},
        ],
    )
    gaps = gaps_of(path)
    assert "site contributor limit reached at S1" in reason(gaps, "S1", "B") or (
        "site contributor limit reached at S1" in reason(gaps, "S1", "A")
    )


def test_example_gaps_sheet_in_output(tmp_path: Path) -> None:
    out = tmp_path / "c.xlsx"
    assert CliRunner().invoke(main, ["solve", str(EXAMPLE), "-o", str(out)]).exit_code == 0
    gaps = pd.read_excel(out, sheet_name="Gaps", keep_default_na=False)
    dnipro = gaps[(gaps["site"] == "Dnipro") & (gaps["capability"] == "AD_BTY")]
    by = dict(zip(dnipro["contributor"], dnipro["reason"], strict=True))
    assert by["USA"] == "unavailable"
    assert by["DEU"].startswith("kept out by caveat C8 (DEU requires")
    assert by["ITA"].startswith("kept out by caveat C6 (ITA exclude country=UKR)")
    assert all(r.startswith("pledge exhausted") for c, r in by.items() if c in {"FRA", "GBR"})


def test_a_spare_unit_is_not_explained_by_a_search_that_stopped() -> None:
    """`not used although spare: no single rule blocks it` claims that filling the line would
    cost a higher priority or a combination of rules: true of an optimal plan only. Priority 1
    proven, priority 2 stopped by a limit: the p1 line keeps the claim; the p2 line and its
    main reason say that a longer run may use the unit; other reasons are left as they are."""
    import pandas as pd

    from solver.explain.sustain import SPARE, qualify_unproven

    claim = f"{SPARE} — filling this line would cost a higher-priority line"
    gaps = pd.DataFrame(
        {
            "site": ["S1", "S2", "S2"],
            "capability": ["INF", "INF", "INF"],
            "priority": [1, 2, 2],
            "reason": [claim, claim, "unavailable"],
        }
    )
    reasons = {("S1", "INF"): claim, ("S2", "INF"): claim}
    said, main = qualify_unproven(gaps, reasons, {1: True, 2: False})
    stopped = (
        f"{SPARE}, but the search stopped before priority 2 was proven optimal: a longer run may "
        "use it (raise the time or work limit)"
    )
    assert said["reason"].tolist() == [claim, stopped, "unavailable"]
    assert main == {("S1", "INF"): claim, ("S2", "INF"): stopped}
    # priority 1 not proven: every line's claim is qualified, naming priority 1 (priority 2
    # was solved after an unproven priority 1)
    said, _ = qualify_unproven(gaps, reasons, {1: False, 2: True})
    for i in (0, 1):
        assert (
            said["reason"].iloc[i].startswith(f"{SPARE}, but the search stopped before priority 1")
        )
    assert qualify_unproven(gaps, reasons, {1: True, 2: True})[0] is gaps


def test_a_pledge_at_many_places_names_six_and_counts_the_rest(tmp_path: Path) -> None:
    """A pledges 8 INF; S1..S8 (priority 1) need 1 each, S9 (priority 2) 1. All 8 units serve
    S1..S8, so S9 is short and A's pledge exhausted: six places named, `and 2 more`, and where
    they all are (a scale trial's reason named every place, 23,834 characters on 777 lines,
    and Excel cut it at 32,767)."""
    sites = [f"S{i}" for i in range(1, 10)]
    path = write_workbook(
        tmp_path / "many.xlsx",
        contributors=[{"contributor": "A", "lat": 0, "lon": 0}],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": s, "country": "X", "lat": 0, "lon": 0} for s in sites],
        requirements=[
            {"site": s, "capability": "INF", "units": 1, "priority": 2 if s == "S9" else 1}
            for s in sites
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 8, "cost_per_unit": 1}],
    )
    assert reason(gaps_of(path), "S9", "A") == (
        "pledge exhausted: 1 at S1 (p1), 1 at S2 (p1), 1 at S3 (p1), 1 at S4 (p1), 1 at S5 (p1), "
        "1 at S6 (p1) and 2 more (where: the Allocation sheet)"
    )
