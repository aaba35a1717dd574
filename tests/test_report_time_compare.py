"""`forcegen report` on timed outputs solved and compared: a solve through the report, the
comparison's per-period reading (a nation leaving early, a peak changed, an edited cell), its
coverage bars and map in unit-months, and legends. "The docstring's case" is
tests/report_time_case.py's hand-worked case."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.outputs.load import load_output
from solver.report.command import write_report
from solver.report.timed import Bar, timed_view

from .report_time_case import (
    case,
    gantt_ids,
    ita_changed,
    month_and_quarter,
    report,
    rotation_case,
)
from .time_outputs import tour


def test_a_timed_solve_through_the_report(tmp_path: Path) -> None:
    """`rotation_case` solved in time. S1 (p1) can be held throughout only so: in P1 A's two
        units (all there is); in P2 and P3 one A unit and B (two A units in P2 would both dwell in
        P3, leaving B alone); in P4 both A units and B. So S2 (p2) gets a unit only in P4: short in
        P1, P2, P3 (3 unit-months), and its Gantt has red bands on its INF line at P1, P2, P3, S1's
    none."""
    src = rotation_case(tmp_path / "rot.xlsx")
    out = api.write(api.solve(src), tmp_path / "rot-out.xlsx", [src])
    timed = timed_view(load_output(out))
    assert timed.periods == ["P1", "P2", "P3", "P4"]
    assert timed.short == {"S1": {"INF": []}, "S2": {"INF": [0, 1, 2]}}
    assert timed.coverage == {1: [1.0, 1.0, 1.0, 1.0], 2: [0.0, 0.0, 0.0, 1.0]}
    html = report(tmp_path, out)
    rows = list(load_workbook(out)["Tours"].iter_rows(min_row=2, values_only=True))
    bands = {"S1": set(), "S2": {"short:S2:INF:P1", "short:S2:INF:P2", "short:S2:INF:P3"}}
    assert timed.sites == ["S1", "S2"]
    assert gantt_ids(html) == [  # the site with a line short first (report/timed_section.py)
        {f"tour:{s}:{c}:{k}:{a}:{b}" for c, k, s, a, b, *_ in rows if s == site} | bands[site]
        for site in ("S2", "S1")
    ]
    assert "In time: 4 periods (P1..P4) over 4 months" in html


def test_a_nation_leaving_early_is_listed_though_its_peak_is_the_same(tmp_path: Path) -> None:
    """The docstring's case against one where ITA's two AD_BTY leave after P2 (P2 only: 2
    unit-months against 4, the same peak of 200 personnel). By the peak alone ITA was not
    listed among the contributors that change (a trial: ITA leaving the bundled timed example
    after month 12 kept its 1,150 personnel); by unit-months it is."""
    from solver.report.compare import comparison_section

    base = case(tmp_path / "base.xlsx")
    early = ita_changed(tmp_path / "early.xlsx", tour("ITA", "AD_BTY", "Lviv", "P2", "P2", 2))
    section = comparison_section([load_output(base), load_output(early)])
    assert section.contributors is not None
    assert [[c.text for c in r.cells] for r in section.contributors.rows] == [
        ["ITA", "200", "4", "2"]
    ]


def test_a_change_of_the_peak_alone_is_listed_too(tmp_path: Path) -> None:
    """ITA's two AD_BTY over P2..P3 (4 unit-months, peak 200 personnel) against one AD_BTY over
    P1..P3 and one LOG in P3 (4 unit-months, peak 100 + 50 = 150): the unit-months are the same,
    the peak is not (a mandate caps it), so ITA is listed. A comparison with an output written
    before `unit_months` was a column is by the peak alone, and its heading says so."""
    from solver.report.compare import comparison_section

    base = case(tmp_path / "base.xlsx")
    spread = ita_changed(
        tmp_path / "spread.xlsx",
        tour("ITA", "AD_BTY", "Lviv", "P1", "P3", 1),
        tour("ITA", "LOG", "Lviv", "P3", "P3", 1),
    )
    section = comparison_section([load_output(base), load_output(spread)])
    assert section.contributors_by == "unit-months deployed or peak personnel"
    assert section.contributors is not None
    assert [[c.text for c in r.cells] for r in section.contributors.rows] == [
        ["ITA", "200", "150", "4", "4"]
    ]
    book = load_workbook(spread)
    book["Contributors"].delete_cols(
        next(c.column for c in book["Contributors"][1] if c.value == "unit_months")
    )
    book.save(spread)
    section = comparison_section([load_output(base), load_output(spread)])
    assert section.contributors_by == "deployed personnel"
    assert section.contributors is not None
    assert [[c.text for c in r.cells] for r in section.contributors.rows] == [["ITA", "200", "150"]]


def test_an_edited_allocation_cell_makes_no_period_of_its_own() -> None:
    """A timed output's Allocation is derived from its Tours: a period cell edited there to `7`
    made a 25th period on every chart (HTML trial). The periods come from Burden and Coverage,
    with or without the input's Periods sheet."""
    import pandas as pd

    from solver.outputs.load import Output
    from solver.report.timed import period_order

    burden = pd.DataFrame({"contributor": ["A"] * 3, "period": ["P1", "P2", "P3"]})
    coverage = pd.DataFrame(
        {"site": ["S"] * 3, "capability": ["K"] * 3, "period": ["P1", "P2", "P3"]}
    )
    allocation = pd.DataFrame(
        {"contributor": ["A"] * 3, "capability": ["K"] * 3, "site": ["S"] * 3}
    ).assign(period=["P1", "7", "P3"])
    out = Output(
        Path("t.xlsx"), {}, {"Burden": burden, "Coverage": coverage, "Allocation": allocation}
    )
    assert period_order(out) == ["P1", "P2", "P3"]
    assert period_order(out, ["P1", "P2", "P3"]) == ["P1", "P2", "P3"]


def test_a_nation_coded_with_a_leading_underscore_is_in_the_legend() -> None:
    """matplotlib leaves a label starting with `_` out of a legend: a nation coded `_GBR` was
    drawn but not named under 'Who carries the force' (HTML trial)."""
    from solver.nation_colours import colours
    from solver.report.figures_time import personnel_over_time

    drawn = personnel_over_time(
        {"_GBR": [100, 200], "FRA": [50, 50]}, ["P1", "P2"], colours(["_GBR", "FRA"])
    )
    assert ">_GBR</text>" in drawn and ">FRA</text>" in drawn


def test_the_gantt_legend_names_a_nation_coded_with_a_leading_underscore() -> None:
    """As in the personnel chart (where `_GBR` was left out): the Gantt chart's legend names
    every nation, one coded with a leading underscore too."""
    from solver.nation_colours import colours
    from solver.report.figures_time import gantt

    bars = [Bar("_GBR", "INF", "S1", 0, 1, 2), Bar("FRA", "INF", "S1", 1, 1, 1)]
    drawn = gantt("S1", bars, {"INF": []}, ["P1", "P2"], colours(["_GBR", "FRA"]))
    assert ">_GBR</text>" in drawn and ">FRA</text>" in drawn


def test_a_name_too_long_for_a_chart_is_cut_there_and_no_warning_is_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A 300-character site name squeezed the bar chart's axes to nothing: matplotlib warned
    on the console ('constrained_layout not applied') and drew a blank chart. Charts cut it
    to 40 characters with an ellipsis."""
    from solver.report.figures import LABEL_CHARACTERS, coverage_bars, label

    long_site = "Kyiv " + "very long site name " * 15
    coverage = pd.DataFrame(
        {
            "site": [long_site, "S2"],
            "capability": ["INF", "INF"],
            "allocated": [1, 0],
            "required": [2, 1],
            "shortfall": [1, 1],
        }
    )
    drawn = coverage_bars(coverage)
    assert label(long_site) in drawn and long_site not in drawn
    assert len(label(long_site)) == LABEL_CHARACTERS
    assert "Warning" not in capfd.readouterr().err


def test_names_a_cut_would_show_alike_stay_apart_on_a_chart() -> None:
    """Two hubs whose names agree in their first 39 characters: cut alike, a heat map had two
    rows `Joint Multinational Logistics Support H…` (a briefing trial); they keep their ends.
    Names that agree at both ends are numbered; short names and a name given twice are as
    they are."""
    from solver.report.figures import LABEL_CHARACTERS, labels

    north, south = (f"Joint Multinational Logistics Support Hub Kyiv {s}" for s in ("N", "S"))
    shown = labels([north, south, "Kyiv", north])
    assert shown == [
        "Joint Multinational\u2026s Support Hub Kyiv N",
        "Joint Multinational\u2026s Support Hub Kyiv S",
        "Kyiv",
        "Joint Multinational\u2026s Support Hub Kyiv N",
    ]
    assert all(len(s) == LABEL_CHARACTERS for s in (shown[0], shown[1]))
    same_ends = ["A" * 40 + "x" + "B" * 40, "A" * 40 + "y" + "B" * 40]
    assert labels(same_ends)[0].endswith(" (1)") and labels(same_ends)[1].endswith(" (2)")


def test_the_comparisons_coverage_bars_are_in_unit_months(tmp_path: Path, monkeypatch) -> None:
    """Periods P1 (1 month) and P2 (3 months); S1 needs 1 INF throughout, S2 1 INF in P1
    only; A's one INF holds S1 throughout (S2 short in P1). Required 1 + 3 + 1 = 5 unit-months,
    covered 4: coverage 80%, the Summary's coverage_pct. Counted in unit-periods (P2 as one
    period) the bars said 2/3 = 67%."""
    from solver.report import compare as compare_section
    from solver.report import figures

    src = month_and_quarter(tmp_path / "q.xlsx")
    outputs = []
    for name in ("a.xlsx", "b.xlsx"):
        result = api.solve(src)
        outputs.append(api.write(result, tmp_path / name, [src]))
    assert dict(result.tables.summary)["coverage_pct"] == 80.0
    drawn: list[list[dict[str, float]]] = []
    monkeypatch.setattr(
        figures, "compare_coverage", lambda labels, by: drawn.append(by) or "<svg/>"
    )
    assert compare_section.figures is figures
    write_report(outputs, tmp_path / "r.html")
    assert drawn and [bars["all"] for bars in drawn[0]] == pytest.approx([0.8, 0.8])
    assert [bars["p1"] for bars in drawn[0]] == pytest.approx([0.8, 0.8])


def test_the_map_and_heat_map_add_up_the_periods_by_their_months(tmp_path: Path) -> None:
    """As above (P1 1 month, P2 3 months; S1 held throughout, S2 short in P1): with the input's
    Periods the heat map's S1/INF is 4/4 unit-months and S2/INF 0/1, as the Matrix sheet says;
    without, 2/2 unit-periods, and the page's note says which."""
    from solver.report.timed_section import COLLAPSED, COLLAPSED_MONTHS, collapsed
    from solver.report.view import period_months

    src = month_and_quarter(tmp_path / "q.xlsx")
    result = api.solve(src)
    out = load_output(api.write(result, tmp_path / "q-out.xlsx", [src]))
    periods = api.read(src).periods

    def lines(flat) -> dict[str, tuple[float, float]]:
        cov = flat.coverage
        return {
            f"{s}/{k}": (a, r)
            for s, k, a, r in zip(
                cov["site"], cov["capability"], cov["allocated"], cov["required"], strict=True
            )
        }

    assert lines(collapsed(out, period_months(periods))) == {"S1/INF": (4, 4), "S2/INF": (0, 1)}
    matrix = result.tables.matrix.set_index("site")
    assert (matrix.at["S1", "INF"], matrix.at["S2", "INF"]) == ("4/4", "0/1")
    assert lines(collapsed(out)) == {"S1/INF": (2, 2), "S2/INF": (0, 1)}
    html = report(tmp_path, tmp_path / "q-out.xlsx")
    assert "counts unit-months, as the Matrix sheet does" in COLLAPSED_MONTHS
    assert "counts unit-months, as the Matrix sheet does" in html
    assert "counts unit-periods" in COLLAPSED and "counts unit-periods" not in html
    # the map's own words count what it adds up (a slide shows the figure without the page's)
    assert "Sites: circle area ~ allocated personnel-months (largest" in html
    assert "coverage (allocated up to need / required unit-months)" in html


def test_a_stage_change_a_plan_did_not_prove_is_marked_in_the_briefing(tmp_path: Path) -> None:
    """Base and ita_out of tests/test_compare_time.py (p1 2 -> 3, p2 4 -> 6); ita_out's search
    proved priority 1 and stopped at priority 2: its p1 change is its own, unmarked, its p2
    change (and the stages after) marked `~`, as `forcegen compare` marks them, and the
    caution says what the mark means (an analyst trial could not tell a proven +45 from an
    unproven +30 in the briefing)."""
    from solver.outputs.load import load_output
    from solver.report.compare_figures import caution, side_by_side

    from .test_compare_time import outputs as compared

    stopped = {"status": "feasible", "stage.shortfall.p1.status": "optimal"}
    stopped |= {"stage.shortfall.p2.status": "feasible", "stage.shortfall.p2.gap": 0.1}
    base, ita_out = compared(tmp_path, ita_summary=stopped)
    outputs = [load_output(p) for p in (base, ita_out)]
    table = side_by_side(outputs)
    changes = {r.cells[0].text: r.cells[2].change for r in table.rows}
    assert changes["objective.shortfall.p1"] == "+1"
    assert changes["objective.shortfall.p2"] == "+2~"
    assert caution(outputs).endswith(
        "~ marks a stage's change at or after a stage that one of the two plans did not prove."
    )
    # the figures those stages decide follow their marks, as the console's do: the totals
    # allocated and short, the coverage (an analyst trial read an unmarked `coverage_pct
    # (+2.16)`, coloured better); the input's figures do not
    for key in ("allocated_unit_months", "shortfall_unit_months", "coverage_pct"):
        assert changes[key].endswith("~"), (key, changes[key])
    assert not changes["required_unit_months"]


def test_a_change_after_a_re_plan_s_unproven_changes_stage_is_marked(tmp_path: Path) -> None:
    """ita_out as a re-plan whose `changes` stage stopped at a 30% gap, every shortfall stage
    and its cost proven: `changes` has no row beside base, yet its cost, solved holding the
    changes, may be the search's: marked `~`; the shortfall changes, solved before, are not
    (as `forcegen compare` marks them)."""
    from solver.outputs.load import load_output
    from solver.report.compare_figures import side_by_side

    from .test_compare_time import outputs as compared

    proven = {"status": "feasible", "stage.shortfall.p1.status": "optimal"}
    proven |= {"stage.shortfall.p2.status": "optimal", "stage.cost.status": "optimal"}
    stopped = proven | {"stage.changes.status": "feasible", "stage.changes.gap": 0.3}
    stopped["objective.cost"] = 5  # base's 0
    base, ita_out = compared(tmp_path, ita_summary=stopped)
    table = side_by_side([load_output(p) for p in (base, ita_out)])
    changes = {r.cells[0].text: r.cells[2].change for r in table.rows}
    assert changes["objective.shortfall.p2"] == "+2"
    assert changes["objective.cost"] and changes["objective.cost"].endswith("~")
