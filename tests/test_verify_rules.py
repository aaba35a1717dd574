"""`forcegen verify`: every core rule and every caveat kind catches a hand-broken allocation,
one test each, and every violation is listed at once."""

from __future__ import annotations

from pathlib import Path

from solver.verify import verify_file

from .verify_case import Alloc, broken, caveat, run, solved


def test_pledge(tmp_path: Path) -> None:
    _, found = broken(
        tmp_path, [("A", "INF", "S1", 2), ("A", "INF", "S2", 1), ("B", "INF", "S2", 1)]
    )
    assert found == ["pledge A/INF: 3 units allocated, 2 pledged (2 INF to S1, 1 INF to S2)"]


def test_requirement_upper_limit(tmp_path: Path) -> None:
    _, found = broken(
        tmp_path, [("A", "INF", "S1", 2), ("B", "INF", "S1", 1), ("B", "INF", "S2", 1)]
    )
    assert found == ["requirement S1/INF: 3 units allocated (A 2, B 1), 2 required"]


def test_hard_requirement(tmp_path: Path) -> None:
    rq = [
        {"site": "S1", "capability": "INF", "units": 2, "hard": "yes"},
        {"site": "S2", "capability": "INF", "units": 2},
    ]
    res, found = broken(tmp_path, [("A", "INF", "S1", 1), ("B", "INF", "S2", 2)], requirements=rq)
    assert found == ["hard requirement S1/INF: 1 unit allocated, 2 required (short 1)"]
    # the rows that fill the line partly (a session's note: they were not named)
    assert f"{found[0]} (Allocation row 2)" in res.output


def test_single_source(tmp_path: Path) -> None:
    rq = [
        {"site": "S1", "capability": "INF", "units": 2, "single_source": "yes"},
        {"site": "S2", "capability": "INF", "units": 2},
    ]
    rows: Alloc = [
        ("A", "INF", "S1", 1),
        ("A", "INF", "S2", 1),
        ("B", "INF", "S1", 1),
        ("B", "INF", "S2", 1),
    ]
    _, found = broken(tmp_path, rows, requirements=rq)
    assert found == ["single-source line S1/INF: 2 contributors (A 1, B 1), at most 1 allowed"]


def test_max_contributors(tmp_path: Path) -> None:
    sites = [
        {"site": "S1", "country": "X", "zone": "front", "max_contributors": 1},
        {"site": "S2", "country": "Y", "zone": "rear"},
    ]
    rows: Alloc = [
        ("A", "INF", "S1", 1),
        ("A", "INF", "S2", 1),
        ("B", "INF", "S1", 1),
        ("B", "INF", "S2", 1),
    ]
    _, found = broken(tmp_path, rows, sites=sites)
    assert found == ["site S1: 2 contributors present (A, B), at most 1 allowed"]


def test_unavailable_contributor(tmp_path: Path) -> None:
    con = [{"contributor": "A"}, {"contributor": "B", "status": "unavailable"}]
    _, found = broken(tmp_path, [("A", "INF", "S1", 2), ("B", "INF", "S2", 1)], contributors=con)
    assert found == ["contributor B is unavailable: B sends 1 INF to S2"]


TWO_CAPS = {
    "capabilities": [
        {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
        {"capability": "AD", "category": "air", "personnel_per_unit": 50},
    ],
    "requirements": [
        {"site": "S1", "capability": "INF", "units": 2},
        {"site": "S1", "capability": "AD", "units": 1},
    ],
    "pledges": [
        {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
        {"contributor": "B", "capability": "AD", "units": 1, "cost_per_unit": 1},
    ],
}


def test_capability_not_pledged(tmp_path: Path) -> None:
    _, found = broken(tmp_path, [("A", "INF", "S1", 2), ("A", "AD", "S1", 1)], **TWO_CAPS)
    assert found == ["A pledged no AD: A sends 1 AD to S1"]


def test_site_does_not_require_capability(tmp_path: Path) -> None:
    _, found = broken(tmp_path, [("A", "INF", "S1", 2), ("B", "AD", "S2", 1)], **TWO_CAPS)
    assert found == ["S2 does not require AD: B sends 1 AD to S2"]


def test_exclude(tmp_path: Path) -> None:
    cav = [caveat("exclude", "NOGROUND", category="ground", country="Y")]
    res, found = broken(
        tmp_path, [("A", "INF", "S1", 1), ("A", "INF", "S2", 1), ("B", "INF", "S2", 1)], caveats=cav
    )
    assert found == ["caveat NOGROUND (A exclude category=ground country=Y): A sends 1 INF to S2"]
    assert found[0] in res.output


def test_only(tmp_path: Path) -> None:
    cav = [caveat("only", "O1", zone="front"), caveat("only", "O2", site="S1")]
    _, found = broken(tmp_path, [("A", "INF", "S1", 1), ("A", "INF", "S2", 1)], caveats=cav)
    assert found == [
        "caveats O1 (A only zone=front), O2 (A only site=S1): A sends 1 INF to S2, "
        "which no `only` row allows"
    ]


def test_requires(tmp_path: Path) -> None:
    cav = [caveat("requires", "R1", other="B")]
    _, found = broken(tmp_path, [("A", "INF", "S1", 2)], caveats=cav)
    assert found == ["caveat R1 (A requires other=B): A deploys 2 INF to S1, but B deploys nothing"]


def test_max_units(tmp_path: Path) -> None:
    cav = [caveat("max_units", "MU", value=1, category="ground")]
    _, found = broken(tmp_path, [("A", "INF", "S1", 2), ("B", "INF", "S2", 2)], caveats=cav)
    assert found == [
        "caveat MU (A max_units category=ground value=1): A has 2 units matching "
        "(2 INF to S1), at most 1 allowed"
    ]


def test_max_personnel(tmp_path: Path) -> None:
    pl = [
        {
            "contributor": "A",
            "capability": "INF",
            "units": 2,
            "personnel_per_unit": 120,
            "cost_per_unit": 1,
        },
        {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
    ]
    cav = [caveat("max_personnel", "MP", value=150)]
    rows: Alloc = [
        ("A", "INF", "S1", 1),
        ("A", "INF", "S2", 1),
        ("B", "INF", "S1", 1),
        ("B", "INF", "S2", 1),
    ]
    _, found = broken(tmp_path, rows, caveats=cav, pledges=pl)
    assert found == [
        "caveat MP (A max_personnel value=150): A has 240 personnel matching "
        "(1 INF to S1, 1 INF to S2), at most 150 allowed"
    ]


def test_min_units(tmp_path: Path) -> None:
    cav = [caveat("min_units", "FIRM", value=2, site="S2")]
    _, found = broken(tmp_path, [("A", "INF", "S2", 1), ("B", "INF", "S1", 2)], caveats=cav)
    assert found == [
        "caveat FIRM (A min_units site=S2 value=2): A has 1 unit matching "
        "(1 INF to S2), at least 2 required"
    ]


def test_min_contingent(tmp_path: Path) -> None:
    cav = [caveat("min_contingent", "MC", value=2)]
    rows: Alloc = [
        ("A", "INF", "S1", 1),
        ("A", "INF", "S2", 1),
        ("B", "INF", "S1", 1),
        ("B", "INF", "S2", 1),
    ]
    _, found = broken(tmp_path, rows, caveats=cav)
    assert found == [
        "caveat MC (A min_contingent value=2): A sends 1 INF to S1, fewer than 2",
        "caveat MC (A min_contingent value=2): A sends 1 INF to S2, fewer than 2",
    ]


def test_max_sites(tmp_path: Path) -> None:
    cav = [caveat("max_sites", "MS", value=1)]
    rows: Alloc = [
        ("A", "INF", "S1", 1),
        ("A", "INF", "S2", 1),
        ("B", "INF", "S1", 1),
        ("B", "INF", "S2", 1),
    ]
    _, found = broken(tmp_path, rows, caveats=cav)
    assert found == ["caveat MS (A max_sites value=1): A is at 2 sites (S1, S2), at most 1 allowed"]
    # one site in the singular (a trial read `A is at 1 sites`)
    cav = [caveat("max_sites", "MS", value=0)]
    (tmp_path / "zero").mkdir()
    _, found = broken(tmp_path / "zero", [("A", "INF", "S1", 1), *rows[2:]], caveats=cav)
    assert found == ["caveat MS (A max_sites value=0): A is at 1 site (S1), at most 0 allowed"]


def test_not_with(tmp_path: Path) -> None:
    cav = [caveat("not_with", "NW", other="B")]
    _, found = broken(
        tmp_path, [("A", "INF", "S1", 1), ("B", "INF", "S1", 1), ("B", "INF", "S2", 1)], caveats=cav
    )
    assert found == ["caveat NW (A not_with other=B): A and B are both at S1 (A 1 INF, B 1 INF)"]


def test_no_weakening_home_sites(tmp_path: Path) -> None:
    """No site filter: the sites whose country is the contributor's code (S1 in country A)."""
    sites = [
        {"site": "S1", "country": "A", "zone": "home"},
        {"site": "S2", "country": "Y", "zone": "rear"},
    ]
    cav = [caveat("no_weakening", "HOME")]
    res, found = broken(
        tmp_path, [("A", "INF", "S1", 1), ("B", "INF", "S2", 2)], caveats=cav, sites=sites
    )
    assert found == [
        "caveat HOME (A no_weakening): requirement S1/INF is hard but has 1 unit of 2 (short 1)"
    ]
    assert f"{found[0]} (Allocation row 2)" in res.output


def test_no_weakening_with_site_filter(tmp_path: Path) -> None:
    cav = [caveat("no_weakening", "REAR", zone="rear")]
    res, found = broken(tmp_path, [("A", "INF", "S1", 2)], caveats=cav)
    assert found == [
        "caveat REAR (A no_weakening zone=rear): requirement S2/INF is hard but has "
        "0 units of 2 (short 2)"
    ]
    assert f"{found[0]}\n" in res.output  # no row fills it: none named


def test_caveats_of_an_unavailable_contributor_have_no_effect(tmp_path: Path) -> None:
    con = [{"contributor": "A"}, {"contributor": "B", "status": "unavailable"}]
    sites = [{"site": "S1", "country": "B"}, {"site": "S2", "country": "Y"}]
    cav = [caveat("min_units", "M", "B", value=2), caveat("no_weakening", "N", "B")]
    src, out = solved(tmp_path, contributors=con, sites=sites, caveats=cav)
    assert run(src, out).exit_code == 0
    assert verify_file(src, out).ok


def test_every_violation_listed_at_once(tmp_path: Path) -> None:
    cav = [caveat("max_units", "MU", value=1), caveat("not_with", "NW", other="B")]
    res, found = broken(tmp_path, [("A", "INF", "S1", 3), ("B", "INF", "S1", 1)], caveats=cav)
    report = verify_file(tmp_path / "case.xlsx", tmp_path / "case-out.xlsx")
    assert {v.rule for v in report.violations} == {"pledge", "requirement", "max_units", "not_with"}
    assert len(found) == 4
    assert "violations (4):" in res.output
