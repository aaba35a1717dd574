"""A briefing's long table shows its first ROWS_SHOWN (100) rows, then says how many more there
are and where they all are (a scale trial's page printed to 258 pages, 235 of them one Gaps
table of 459 lines; the console always cut its lists)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from solver import api
from solver.report.command import write_report
from solver.report.view import ROWS_SHOWN, Row, Table

from .workbooks import write_workbook


def test_a_table_past_its_rows_shown_is_cut_with_a_note() -> None:
    """102 rows: 100 shown and `and 2 more rows`; 101: all of them (eliding one saves
    nothing)."""
    assert ROWS_SHOWN == 100
    cut = Table(["a"], [Row([]) for _ in range(102)], "the Gaps sheet")
    assert len(cut.shown) == 100 and cut.more == "and 2 more rows: the Gaps sheet lists them all"
    whole = Table(["a"], [Row([]) for _ in range(101)])
    assert len(whole.shown) == 101 and whole.more == ""


def test_the_gaps_of_a_long_plan_are_cut_on_the_page(tmp_path: Path) -> None:
    """130 sites each needing 1 INF, and A pledging 10: 120 lines short. The page's Gaps table
    has 100 of them and says 20 more are in the Gaps sheet."""
    sites = [f"S{i:03d}" for i in range(130)]
    path = write_workbook(
        tmp_path / "long.xlsx",
        contributors=[{"contributor": "A", "lat": 0, "lon": 0}],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": s, "country": "X", "lat": 0, "lon": 0} for s in sites],
        requirements=[{"site": s, "capability": "INF", "units": 1} for s in sites],
        pledges=[{"contributor": "A", "capability": "INF", "units": 10, "cost_per_unit": 1}],
    )
    out = tmp_path / "long_out.xlsx"
    api.write(api.solve(path), out)
    html = write_report([out]).read_text(encoding="utf-8")
    gaps = html.split("<h2", 2)[1]  # the output's section
    rows = re.findall(r"<tr><td>S\d{3}</td>", gaps)
    assert len(rows) == 100
    assert "and 20 more rows: the Gaps sheet lists them all" in gaps


def test_the_gantt_charts_put_short_sites_first_and_stop_at_thirty() -> None:
    """40 sites, every fifth with a line short (8 of them): the 8 short ones first, then 22 held,
    30 charts in all, and the 10 left out said to be held; 31 sites: all drawn; 40 sites with
    35 short: 5 short left out, said so."""
    from types import SimpleNamespace

    from solver.report.timed_section import GANTTS_SHOWN, gantt_sites

    assert GANTTS_SHOWN == 30
    sites = [f"S{i:02d}" for i in range(40)]

    def timed(names: list[str]) -> SimpleNamespace:
        return SimpleNamespace(sites=names)

    def coverage(short: set[str], names: list[str]) -> pd.DataFrame:
        return pd.DataFrame(
            {"site": names, "priority": 1, "shortfall": [int(s in short) for s in names]}
        )

    fifth = {s for i, s in enumerate(sites) if i % 5 == 0}
    shown, note = gantt_sites(timed(sites), coverage(fifth, sites))  # type: ignore[arg-type]
    assert shown[:8] == sorted(fifth) and len(shown) == 30 and shown[8] == "S01"
    assert note == (
        "The sites with a line short come first, the most short first; 10 more sites, each "
        "held: the Tours and Timeline sheets show every site's tours."
    )
    assert (
        gantt_sites(timed(sites[:31]), coverage(fifth, sites[:31]))[0]
        == sorted(  # type: ignore[arg-type]
            sites[:31], key=lambda s: s not in fifth
        )
    )
    many = set(sites[:35])
    _, note = gantt_sites(timed(sites), coverage(many, sites))  # type: ignore[arg-type]
    assert "10 more sites, 5 of them short in some period" in note


def test_the_sites_drawn_are_the_most_short_not_the_first_in_name_order() -> None:
    """35 sites, all short at priority 2 by 1 unit in one period, but S34 by 9 and S33 at
    priority 1 by 1: S33 first (its priority), then S34 (the most short at priority 2), then
    the others in the sites' order (a scale trial: the 30 charts of 100 sites left out the
    ten most short, priority-1 lines among them); the rows of a line's periods add up."""
    from solver.report.view import short_first, site_severity

    names = [f"S{i:02d}" for i in range(35)]
    coverage = pd.DataFrame(
        {
            "site": [*names, "S34", "S34", "S33"],
            "priority": [2] * 35 + [2, 2, 1],
            "shortfall": [1] * 35 + [4, 4, 1],
        }
    )
    severity = site_severity(coverage)
    assert severity["S33"] == (1.0, -1.0) and severity["S34"] == (2.0, -9.0)
    shown, left = short_first(names, severity, 30)
    assert shown[:3] == ["S33", "S34", "S00"] and left == names[28:33]
    assert site_severity(coverage.assign(shortfall=0)) == {}
    # weighed as the objective weighs it: S05's 1 unit at weight 10 outranks S34's 9
    heavy = coverage.assign(weight=[10 if s == "S05" else 1 for s in coverage["site"]])
    assert short_first(names, site_severity(heavy), 30)[0][:3] == ["S33", "S05", "S34"]


def test_nations_beyond_the_palette_are_said_to_share_colours() -> None:
    """54 colours: 54 nations say nothing; 56 say N00 and N54, N01 and N55 share one each (the
    nations in name order take the colours in turn)."""
    from solver.nation_colours import PALETTE
    from solver.report.timed_section import shared_colours

    assert len(PALETTE) == 54
    names = [f"N{i:02d}" for i in range(56)]
    assert shared_colours(names[:54]) == ""
    assert shared_colours(names) == (
        "56 nations, 54 colours: N00 and N54, N01 and N55 share one each (read the bars' labels; "
        "a tour too short for its label: the Tours sheet)."
    )


def test_past_two_cycles_of_colours_each_group_is_said_once() -> None:
    """120 nations, 54 colours: N000, N054 and N108 share one; 54 groups in all (a review:
    the groups overlapped and were counted 66)."""
    from solver.report.timed_section import shared_colours

    said = shared_colours([f"N{i:03d}" for i in range(120)])
    assert said.startswith("120 nations, 54 colours: N000 and N054 and N108, N001 and N055")
    assert "and 48 more share one each" in said


def test_a_gantt_label_wider_than_its_tour_is_left_out() -> None:
    """36 monthly periods: a one-month tour's `NAT 1` ran into the next tours' labels
    (`N006N013N025`, a scale trial). A label wider than its bar is hidden (the legend's colour
    names the nation); one that fits, on a long tour, is drawn."""
    from solver.report.figures_time import gantt
    from solver.report.timed import Bar

    periods = [f"M{i:02d}" for i in range(36)]
    bars = [
        Bar("LONGNAME", "INF", "S1", 0, 0, 1),
        Bar("WIDE", "INF", "S1", 1, 20, 2),
    ]
    svg = gantt("S1", bars, {}, periods, {"LONGNAME": "#1F77B4", "WIDE": "#FF7F0E"})
    assert "WIDE 2" in svg
    assert "LONGNAME 1" not in svg
    assert 'id="tour:S1:LONGNAME:INF:M00:M00"' in svg  # its bar is drawn all the same


def test_the_gaps_table_puts_the_most_short_line_first_within_a_priority(tmp_path: Path) -> None:
    """S1 needs 2 INF, S2 5 (both priority 1), S3 2 (priority 2); A pledges 1 unit, sent to one
    of the priority-1 lines (equal weight). The page lists the priority-1 lines by shortfall,
    S2 (4 or 5 short) before S1 (1 or 2), then S3: in the sheet's site order S2 came second,
    and at scale the most short lines were past the first 100 rows (a trial)."""
    sites = ["S1", "S2", "S3"]
    path = write_workbook(
        tmp_path / "three.xlsx",
        contributors=[{"contributor": "A", "lat": 0, "lon": 0}],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": s, "country": "X", "lat": 0, "lon": 0} for s in sites],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 5, "priority": 1},
            {"site": "S3", "capability": "INF", "units": 2, "priority": 2},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1}],
    )
    out = tmp_path / "plan.xlsx"
    api.write(api.solve(path), out)
    html = write_report([out]).read_text(encoding="utf-8")
    gaps = html.split(">Gaps and why<", 1)[1]
    assert re.findall(r"<tr><td>(S\d)</td>", gaps) == ["S2", "S1", "S3"]


def test_the_timed_gaps_table_puts_the_most_unit_months_short_first_within_a_priority() -> None:
    """Sustainability in site order: S1 (p1, 2 unit-months short), S2 (p2, 9), S3 (p1, 7), S4
    held: listed S3, S1, S2 (by priority, then unit-months short), S4 not at all; with S1's
    weight 5 (10 weighted), S1 first, as the objective and the console rank it (a review)."""
    from types import SimpleNamespace

    from solver.report.timed_section import timed_gaps_table

    sustainability = pd.DataFrame(
        {
            "site": ["S1", "S2", "S3", "S4"],
            "capability": "INF",
            "priority": [1, 2, 1, 1],
            "periods_short": [1, 3, 2, 0],
            "unit_months_short": [2, 9, 7, 0],
            "first_short": ["P1", "P1", "P2", None],
            "reason": "no pledge",
        }
    )
    lines = sustainability[["site", "capability", "priority"]]

    def listed(weights: list[float]) -> list[str]:
        out = SimpleNamespace(
            sheets={"Sustainability": sustainability},
            table=lambda name: None,
            timed=True,
            coverage=lines.assign(weight=weights, shortfall=0),
        )
        table = timed_gaps_table(out, lambda gaps: ())  # type: ignore[arg-type]
        assert table is not None
        return [row.cells[0].text for row in table.rows]

    assert listed([1, 1, 1, 1]) == ["S3", "S1", "S2"]
    assert listed([5, 1, 1, 1]) == ["S1", "S3", "S2"]


def test_line_weights_read_a_site_typed_as_a_number_and_as_text_as_one_line() -> None:
    """An edited Coverage whose site is 101 in one row and "101" in another: one line (a
    review: two, and ranking the timed Gaps table failed on a non-unique index)."""
    from solver.report.view import line_weights

    coverage = pd.DataFrame(
        {"site": [101, "101", "S2"], "capability": "INF", "weight": [2, 2, None]}
    )
    weights = line_weights(coverage)
    assert list(weights.items()) == [(("101", "INF"), 2.0), (("S2", "INF"), 1.0)]
