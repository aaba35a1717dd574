"""The briefing's map and heat map at scale: past MAP_LABELS sites the map labels the short ones
only (and past HOME_LABELS homes, those sending the most personnel), and the heat map draws
HEAT_SITES sites, the short ones first. A scale trial's map of 300 sites was a black smear of
names, and its heat map 130 inches tall."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from solver import api
from solver.report.command import write_report
from solver.report.figures_map import (
    HOME_LABELS,
    MAP_LABELS,
    home_labels,
    homes_note,
    site_labels,
    site_map,
    sites_note,
)
from solver.report.html import HEAT_SITES, heat_map

from .workbooks import write_workbook


def _sites(shortfall: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"site": [f"S{i:02d}" for i in range(len(shortfall))], "shortfall": shortfall}
    )


def test_past_thirty_one_sites_the_map_tries_the_most_short_ones() -> None:
    """31 sites: every one, in order. 40 sites, S05 short 1 and S09 short 3: S09, then S05.
    40 sites, 35 of them short (S00..S04 by 2, S05..S34 by 1): the five short by 2, then the
    first 25 of those short by 1 (ties in the sites' order). 40 held: none."""
    assert MAP_LABELS == 30
    assert site_labels(_sites([0] * 31)) == ([f"S{i:02d}" for i in range(31)], False)
    two = [0] * 40
    two[5], two[9] = 1, 3
    assert site_labels(_sites(two)) == (["S09", "S05"], True)
    many = [2] * 5 + [1] * 30 + [0] * 5
    assert site_labels(_sites(many)) == ([f"S{i:02d}" for i in range(30)], True)
    assert site_labels(_sites([0] * 40)) == ([], True)


def test_the_map_says_which_sites_it_labels() -> None:
    """Every site labelled: nothing said. Past the limit: the short ones only, or some of them,
    or none; at most 31 sites but some labels hidden by others: how many."""
    assert sites_note(31, 4, [f"S{i}" for i in range(31)], False) == ""
    assert sites_note(40, 2, ["S09", "S05"], True) == (
        "40 sites: only 2 short sites are labelled; the Coverage sheet shows every site's lines."
    )
    assert "only 1 short site is labelled" in sites_note(40, 1, ["S09"], True)
    assert "40 sites: 12 of the 35 short sites are labelled, the most short first, where " in (
        sites_note(40, 35, [f"S{i}" for i in range(12)], True)
    )
    assert "none is short, so none is labelled" in sites_note(40, 0, [], True)
    assert "20 sites: 18 are labelled, where labels do not overlap" in (
        sites_note(20, 0, [f"S{i}" for i in range(18)], False)
    )


def test_past_forty_one_homes_the_map_names_those_sending_the_most() -> None:
    """45 homes, C00 sending 0 personnel ... C44 sending 44: the 40 sending the most, C44 down
    to C05, in that order; 41 homes: all, in their order."""
    assert HOME_LABELS == 40
    codes = [f"C{i:02d}" for i in range(45)]
    homes = pd.DataFrame({"lat": 0.0, "lon": 0.0}, index=pd.Index(codes, name="contributor"))
    flows = pd.DataFrame({"contributor": codes, "site": "S", "personnel": range(45)})
    assert home_labels(homes, flows) == (codes[5:][::-1], True)
    assert home_labels(homes.iloc[:41], flows) == (codes[:41], False)
    assert homes_note(45, codes[5:]) == (
        "45 contributors' homes on the map: 40 are named, those sending the most personnel "
        "first, where names do not overlap."
    )
    assert homes_note(41, codes[:41]) == ""
    # at most 41 homes, but some names hidden by the sites' labels: tried in their order
    assert homes_note(41, codes[:30], many=False) == (
        "41 contributors' homes on the map: 30 are named where names do not overlap."
    )


def test_labels_that_would_overlap_are_hidden_most_short_first() -> None:
    """40 sites on one spot, each short by its number + 1 (S39 the most): the labels of the 30
    most short are tried, and only S39's, the first, is drawn; the note says 1 of 40."""
    n = 40
    coverage = pd.DataFrame(
        {
            "site": [f"S{i:02d}" for i in range(n)],
            "capability": "INF",
            "required": [i + 1 for i in range(n)],
            "allocated": 0,
            "shortfall": [i + 1 for i in range(n)],
        }
    )
    places = pd.DataFrame({"site": coverage["site"], "lat": 50.0, "lon": 30.0, "country": "X"})
    homes = pd.DataFrame({"contributor": ["A"], "lat": [50.0], "lon": [20.0]})
    alloc = pd.DataFrame({"contributor": ["A"], "site": ["S00"], "personnel": [0]})
    drawn = site_map(coverage, alloc, places, homes)
    assert re.findall(r">(S\d\d) 0/\d+<", drawn.svg) == ["S39"]
    assert drawn.unlabelled == [
        "40 sites: 1 of the 40 short sites is labelled, the most short first, where labels do "
        "not overlap; the Coverage sheet shows every site's lines."
    ]


def test_the_heat_map_draws_forty_sites_short_ones_first() -> None:
    """45 sites, S43 and S44 short: the heat map draws S43, S44, then S00..S37; S38..S42 are
    left out, said held."""
    assert HEAT_SITES == 40
    names = [f"S{i:02d}" for i in range(45)]
    coverage = pd.DataFrame(
        {
            "site": names,
            "capability": "INF",
            "required": 1,
            "allocated": [1] * 43 + [0, 0],
            "shortfall": [0] * 43 + [1, 1],
            "hard": "no",
        }
    )
    figure, note = heat_map(coverage)
    ticks = re.findall(r">(S\d\d)<", str(figure))
    assert ticks == ["S43", "S44", *names[:38]]
    assert note == (
        "The sites with a line short come first, the most short first; 5 more sites, each "
        "held: the Coverage sheet shows every site's lines."
    )


def test_a_page_of_forty_five_sites_labels_and_draws_what_it_says(tmp_path: Path) -> None:
    """45 sites each needing 1 INF, A pledging 40: 5 lines short. The page's map labels those
    of the five short sites whose labels fit (`S.. 0/1`), the first at least, and no held one,
    and says how many; its heat map leaves out five held sites, and says so."""
    sites = [f"S{i:03d}" for i in range(45)]
    path = write_workbook(
        tmp_path / "wide.xlsx",
        contributors=[{"contributor": "A", "lat": 48.0, "lon": 10.0}],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[
            {"site": s, "country": "X", "lat": 50.0 + i / 10, "lon": 30.0 + i / 10}
            for i, s in enumerate(sites)
        ],
        requirements=[{"site": s, "capability": "INF", "units": 1} for s in sites],
        pledges=[{"contributor": "A", "capability": "INF", "units": 40, "cost_per_unit": 1}],
    )
    out = tmp_path / "wide_out.xlsx"
    api.write(api.solve(path), out)
    coverage = pd.read_excel(out, sheet_name="Coverage")
    short = sorted(coverage.loc[coverage["shortfall"] > 0, "site"])
    assert len(short) == 5
    html = write_report([out]).read_text(encoding="utf-8")
    labels = re.findall(r">(S\d{3}) (\d)/1<", html)
    named = [site for site, _ in labels]
    # the first short site always has its place; the others, where their labels fit
    assert named and named[0] == short[0] and set(named) <= set(short)
    assert {n for _, n in labels} == {"0"}  # no held site is labelled
    said = (
        "45 sites: only 5 short sites are labelled"
        if len(named) == 5
        else f"45 sites: {len(named)} of the 5 short sites are labelled"
    )
    assert said in html
    assert "5 more sites, each held: the Coverage sheet shows every site&#39;s lines." in html
