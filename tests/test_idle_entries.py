"""A contributor who pledges nothing and a site that requires nothing are legal but can never take
part in a plan: warnings at their cells (io/idle_entries.py). Two planner trials listed such a
nation and such a site, and no word said so.

The world: contributors A, B, C (C unavailable), D; capabilities INF; sites S1, S2, S3. A pledges
2 INF, D 1 INF; S1 requires 2 INF, S3 1 INF. B pledges nothing (Contributors!A3), C pledges
nothing but is unavailable (no warning: the planner took it out), S2 requires nothing
(Sites!A3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from solver import api
from solver.cli import main

from .workbooks import write_workbook

B_IDLE = (
    "warning: Contributors!A3: B pledges nothing (no Pledges row names it), so it can never "
    "deploy: add its pledges on the Pledges sheet, or drop it"
)
S2_IDLE = (
    "warning: Sites!A3: site S2 has no requirement line (no Requirements row names it), so "
    "nothing can be sent there: add its lines on the Requirements sheet, or drop it"
)


def case(path: Path, **sheets: Any) -> Path:
    base: dict[str, Any] = {
        "contributors": [
            {"contributor": "A"},
            {"contributor": "B"},
            {"contributor": "C", "status": "unavailable"},
            {"contributor": "D"},
        ],
        "capabilities": [{"capability": "INF", "personnel_per_unit": 100}],
        "sites": [{"site": "S1"}, {"site": "S2"}, {"site": "S3"}],
        "requirements": [
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S3", "capability": "INF", "units": 1},
        ],
        "pledges": [
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "D", "capability": "INF", "units": 1, "cost_per_unit": 1},
        ],
    }
    return write_workbook(path, **{**base, **sheets})


def warnings_of(path: Path) -> list[str]:
    return [str(w) for w in api.read(path).warnings]


def test_a_nation_pledging_nothing_and_a_site_requiring_nothing_are_warned_at_their_cells(
    tmp_path: Path,
) -> None:
    path = case(tmp_path / "c.xlsx")
    assert warnings_of(path) == [B_IDLE, S2_IDLE]
    said = CliRunner().invoke(main, ["validate", str(path)])
    assert said.exit_code == 0
    assert B_IDLE in said.output and S2_IDLE in said.output


def test_a_workbook_where_everyone_pledges_and_every_site_requires_is_quiet(
    tmp_path: Path,
) -> None:
    """B pledges 1 INF, S2 requires 1 INF: nothing idle, no warning (C, unavailable, is not)."""
    path = case(
        tmp_path / "c.xlsx",
        sites=[{"site": "S1"}, {"site": "S3"}],
        contributors=[{"contributor": "A"}, {"contributor": "C", "status": "unavailable"}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 3, "cost_per_unit": 1}],
    )
    assert warnings_of(path) == []


def test_a_requires_of_a_nation_pledging_nothing_is_warned_at_its_other_cell(
    tmp_path: Path,
) -> None:
    """A requires B (Caveats!H2), B pledges nothing: A can never deploy. One warning at the
    caveat's `other` cell (Caveats!I2), none at B's own (it is named, so listed on purpose). The solve agrees:
    A sends nothing, and D's 1 unit is the whole plan (3 required, 2 short)."""
    path = case(
        tmp_path / "c.xlsx",
        caveats=[{"id": "R1", "contributor": "A", "caveat": "requires", "other": "B"}],
    )
    assert warnings_of(path) == [
        S2_IDLE,
        "warning: Caveats!I2: caveat R1 (A requires B): B pledges nothing (no Pledges row names "
        "it), so it never deploys and A can never deploy what the caveat matches: add B's "
        "pledges, or remove the caveat",
    ]
    result = api.solve(path)
    assert result.status == "optimal"
    sent = result.tables.allocation.groupby("contributor")["units"].sum().to_dict()
    assert sent == {"D": 1}


def test_a_nation_named_only_to_keep_others_away_is_not_warned_about(tmp_path: Path) -> None:
    """A not_with B, B pledges nothing: the caveat never binds, and a workbook may list B for
    it alone. No warning of B."""
    path = case(
        tmp_path / "c.xlsx",
        caveats=[{"id": "N1", "contributor": "A", "caveat": "not_with", "other": "B"}],
    )
    assert warnings_of(path) == [S2_IDLE]


def test_a_scenario_that_drops_a_nation_s_last_pledge_is_warned_in_that_scenario(
    tmp_path: Path,
) -> None:
    """Scenario `dno` drops D's one pledge: D pledges nothing there, said at Contributors!A5 with
    the scenario's name; base says nothing of D."""
    path = case(
        tmp_path / "c.xlsx",
        scenarios=[
            {"scenario": "dno", "sheet": "Pledges", "key": "D/INF", "column": "drop", "value": None}
        ],
    )
    d_idle = (
        "warning: Contributors!A5: scenario 'dno': D pledges nothing (no Pledges row names it), "
        "so it can never deploy: add its pledges on the Pledges sheet, or drop it"
    )
    assert not any(" D pledges nothing" in w for w in warnings_of(path))
    said = CliRunner().invoke(
        main, ["solve", str(path), "-s", "dno", "-o", str(tmp_path / "o.xlsx")]
    )
    assert said.exit_code == 0, said.output
    assert d_idle in said.output


def test_a_requires_of_a_nation_that_deploys_nothing_anyway_says_nothing_more(
    tmp_path: Path,
) -> None:
    """A review: C (unavailable) requires B (pledges nothing), and B requires itself idle
    too: neither C nor B can deploy whatever the caveat, so neither caveat is warned about; B,
    named as an `other`, is listed on purpose. Only S2 is warned."""
    path = case(
        tmp_path / "c.xlsx",
        caveats=[
            {"id": "R1", "contributor": "C", "caveat": "requires", "other": "B"},
            {"id": "R2", "contributor": "B", "caveat": "requires", "other": "B"},
        ],
    )
    assert warnings_of(path) == [S2_IDLE]
