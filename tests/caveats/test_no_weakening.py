"""`no_weakening`: requirements at the matching sites (default: c's home country) become hard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.workbooks import write_workbook

from .golden import assert_golden
from .helpers import CAPABILITIES, assert_infeasible, check, need, pledge, stages

CONTRIBUTORS = [{"contributor": c} for c in ("POL", "DEU", "FRA")]
SITES = [
    {"site": "POL-East", "country": "POL", "zone": "home"},
    {"site": "Kyiv", "country": "UKR", "zone": "central"},
    {"site": "Lviv", "country": "UKR", "zone": "west"},
]
PLEDGES = [pledge("POL", "INF", 2, 1), pledge("DEU", "INF", 1, 3)]


def requirements(pol_east: int = 1, **pol_east_extra: Any) -> list[dict]:
    """Kyiv 3 INF (priority 1); Lviv 1 and POL-East `pol_east` INF (priority 2)."""
    return [
        need("Kyiv", "INF", 3, priority=1),
        need("Lviv", "INF", 1, priority=2),
        need("POL-East", "INF", pol_east, priority=2, **pol_east_extra),
    ]


def case(path: Path, caveats: list[dict], reqs: list[dict] | None = None) -> Path:
    return write_workbook(
        path,
        contributors=CONTRIBUTORS,
        capabilities=CAPABILITIES,
        sites=SITES,
        requirements=reqs if reqs is not None else requirements(),
        pledges=PLEDGES,
        caveats=caveats,
    )


def no_weakening(cid: str = "H1", contributor: str = "POL", **filters: Any) -> dict:
    return {"id": cid, "contributor": contributor, "caveat": "no_weakening", **filters}


def test_no_weakening_default_is_the_home_country(tmp_path: Path, solve_both) -> None:
    """POL no_weakening without site filter: POL-East (country POL) becomes hard.

    3 units (POL 2 @1, DEU 1 @3) for Kyiv 3 (p1), Lviv 1 and POL-East 1 (p2). Unconstrained,
    Kyiv would take all three. Hard POL-East takes 1 first, Kyiv gets 2 (p1 short 1), Lviv 0
    (p2 short 1). Cost 2 + 3 = 5 either way; presence: POL 2 at Kyiv + DEU backfilling
    POL-East = 2 pairs, any split of POL = 3. Binding yes (a soft line made hard).
    """
    path = case(tmp_path / "c.xlsx", [no_weakening()])
    result = solve_both(path)
    check(
        result,
        {("POL", "INF", "Kyiv"): 2, ("DEU", "INF", "POL-East"): 1},
        stages(5, 2, p1=1, p2=1),
        {"H1": "yes"},
    )
    cov = result.tables.coverage.set_index("site")
    assert cov.at["POL-East", "hard"] == "yes"
    assert cov.at["Lviv", "hard"] == "no"


@pytest.mark.parametrize("filters", [{"site": "Lviv"}, {"zone": "west"}])
def test_no_weakening_explicit_site_filter(
    tmp_path: Path, solve_both, filters: dict[str, Any]
) -> None:
    """POL no_weakening at Lviv (site or zone filter): Lviv becomes hard, POL-East does not.

    Lviv takes 1, Kyiv 2 (p1 short 1), POL-East 0 (p2 short 1). POL 2 at Kyiv, DEU at Lviv
    (presence 2 beats 3). Cost 5. Binding yes.
    """
    path = case(tmp_path / "c.xlsx", [no_weakening(**filters)])
    result = solve_both(path)
    check(
        result,
        {("POL", "INF", "Kyiv"): 2, ("DEU", "INF", "Lviv"): 1},
        stages(5, 2, p1=1, p2=1),
        {"H1": "yes"},
    )
    cov = result.tables.coverage.set_index("site")
    assert cov.at["POL-East", "hard"] == "no"
    assert cov.at["Lviv", "hard"] == "yes"


def test_no_weakening_already_hard_or_no_home_site(tmp_path: Path, solve_both) -> None:
    """POL-East is hard in the workbook already; FRA has no site in country FRA.

    The allocation is the one of the default case (POL 2 at Kyiv, DEU backfills POL-East;
    p1 1, p2 1, cost 5, presence 2), but neither caveat makes a soft line hard: binding no.
    """
    path = case(
        tmp_path / "c.xlsx",
        [no_weakening(), no_weakening("H2", "FRA")],
        reqs=requirements(hard="yes"),
    )
    check(
        solve_both(path),
        {("POL", "INF", "Kyiv"): 2, ("DEU", "INF", "POL-East"): 1},
        stages(5, 2, p1=1, p2=1),
        {"H1": "no", "H2": "no"},
    )


def test_no_weakening_without_a_home_site_is_warned(tmp_path: Path) -> None:
    """FRA's caveat has no site filter and no site's country is FRA: it protects nothing, which
    validate says at its contributor cell (row 3 of Caveats: H2); POL's (POL-East) and FRA's
    with a site filter protect something: no warning."""
    from solver import api

    path = case(
        tmp_path / "c.xlsx",
        [no_weakening(), no_weakening("H2", "FRA"), no_weakening("H3", "FRA", site="Kyiv")],
    )
    warnings = [str(w) for w in api.read(path).warnings]
    assert [w for w in warnings if "no_weakening" in w] == [
        "warning: Caveats!B3: caveat H2 (FRA no_weakening) has no site filter, so it protects "
        "the sites whose country is FRA, and no site has that country: it has no effect (give "
        "it a site, zone or country, or check the Sites' country codes)"
    ]


def test_no_weakening_of_an_unavailable_contributor_is_warned_and_lifted(
    tmp_path: Path, solve_both
) -> None:
    """POL unavailable: its caveat is lifted, as every caveat of an unavailable contributor
    (POL-East soft again), which validate says at its contributor cell, since this kind's lines
    concern the others too. DEU's 1 unit goes to Kyiv (p1 first): Kyiv short 2 (p1 2), Lviv
    and POL-East short 1 each (p2 2); cost 3, presence 1."""
    from solver import api

    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "POL", "status": "unavailable"}, *CONTRIBUTORS[1:]],
        capabilities=CAPABILITIES,
        sites=SITES,
        requirements=requirements(),
        pledges=PLEDGES,
        caveats=[no_weakening()],
    )
    warnings = [str(w) for w in api.read(path).warnings]
    assert [w for w in warnings if "no_weakening" in w] == [
        "warning: Caveats!B2: caveat H1 (POL no_weakening) has no effect: POL is unavailable, "
        "and a caveat of an unavailable contributor is lifted, so its lines are not made hard "
        "(mark them hard on the Requirements sheet to keep them so)"
    ]
    check(solve_both(path), {("DEU", "INF", "Kyiv"): 1}, stages(3, 1, p1=2, p2=2))


@pytest.mark.parametrize(("pol_east", "filters"), [(4, {}), (1, {"country": "UKR"})])
def test_no_weakening_without_backfill_is_infeasible(
    tmp_path: Path, solve_both, pol_east: int, filters: dict[str, Any]
) -> None:
    """Only 3 units exist. Hard POL-East needing 4, or hard Kyiv 3 + Lviv 1 (country UKR),
    cannot be met by POL and the others together: infeasible, exit code 3."""
    path = case(tmp_path / "c.xlsx", [no_weakening(**filters)], reqs=requirements(pol_east))
    assert_infeasible(solve_both(path))


def test_no_weakening_rows_golden(tmp_path: Path) -> None:
    """The rows no_weakening adds, pinned as text in golden/no_weakening.lp, on the home-country world above: POL-East becomes hard."""
    assert_golden(
        tmp_path,
        "no_weakening",
        contributors=CONTRIBUTORS,
        sites=SITES,
        requirements=requirements(),
        pledges=PLEDGES,
        caveats=[no_weakening()],
    )
