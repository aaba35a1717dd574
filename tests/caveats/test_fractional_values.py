"""A caveat `value` is a number (workbook.md, Caveats); every kind counts whole things, so a
fraction is read as the whole number it allows, with a warning at its cell: down for a most
(`max_units`, `max_personnel`, `max_sites`), up for a least (`min_units`, `min_contingent`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from solver import api
from solver.errors import InputError

from ..idle_warnings import without_idle
from .helpers import binding, check, need, pledge, stages, world


def caveat(kind: str, value: Any, **filters: Any) -> dict:
    return {"id": "K1", "contributor": "A", "caveat": kind, "value": value, **filters}


def warnings_of(path: Path) -> list[str]:
    return without_idle(str(w) for w in api.read(path).warnings)


def test_a_most_is_read_down(tmp_path: Path) -> None:
    """A (5 INF @1) under `max_units` 3.5; S1 needs 5. At most 3 whole units: A->S1 3,
    shortfall 2, cost 3, presence 1, binding yes (the limit is reached)."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 5)],
        pledges=[pledge("A", "INF", 5, 1)],
        caveats=[caveat("max_units", 3.5)],
    )
    assert warnings_of(path) == [
        "warning: Caveats!J2: value 3.5 for max_units counts whole units: read as at most 3"
    ]
    check(api.solve(path), {("A", "INF", "S1"): 3}, stages(3, 1, p1=2), {"K1": "yes"})


def test_a_personnel_cap_is_read_down_in_people(tmp_path: Path) -> None:
    """`max_personnel` 250.5 over 100-person INF units: 250 people, 2 units."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 5)],
        pledges=[pledge("A", "INF", 5, 1)],
        caveats=[caveat("max_personnel", 250.5)],
    )
    assert warnings_of(path) == [
        "warning: Caveats!J2: value 250.5 for max_personnel counts whole people: read as at "
        "most 250"
    ]
    check(api.solve(path), {("A", "INF", "S1"): 2}, stages(2, 1, p1=3))


def test_a_least_is_read_up(tmp_path: Path) -> None:
    """`min_contingent` 1.5: contingents of 0 or at least 2, so S2's need of 1 gets none of A's
    (down to 1 it would get one). A (4 INF @1): A->S1 3, S2 short 1, cost 3, presence 1."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 3), need("S2", "INF", 1)],
        pledges=[pledge("A", "INF", 4, 1)],
        caveats=[caveat("min_contingent", 1.5)],
    )
    assert warnings_of(path) == [
        "warning: Caveats!J2: value 1.5 for min_contingent counts whole units: read as at least 2"
    ]
    check(api.solve(path), {("A", "INF", "S1"): 3}, stages(3, 1, p1=1), {"K1": "yes"})


def test_a_commitment_is_read_up(tmp_path: Path) -> None:
    """`min_units` 2.5 at S2 (priority 2): A (4 INF @1) sends at least 3 there, so S1
    (priority 1, 4 units) gets 1: shortfall p1 3, p2 1; cost 4, presence 2. Read down (2) S1
    would get 2."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 4, priority=1), need("S2", "INF", 4, priority=2)],
        pledges=[pledge("A", "INF", 4, 1)],
        caveats=[caveat("min_units", 2.5, site="S2")],
    )
    assert warnings_of(path) == [
        "warning: Caveats!J2: value 2.5 for min_units counts whole units: read as at least 3"
    ]
    check(
        api.solve(path),
        {("A", "INF", "S1"): 1, ("A", "INF", "S2"): 3},
        stages(4, 2, p1=3, p2=1),
    )


def test_a_site_limit_is_read_down(tmp_path: Path) -> None:
    """`max_sites` 1.9: one site. A (2 INF @1); S1 and S2 need 1 each: one is short, and the
    caveat binds (its contributor uses exactly the one site it allows)."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 1), need("S2", "INF", 1)],
        pledges=[pledge("A", "INF", 2, 1)],
        caveats=[caveat("max_sites", 1.9)],
    )
    assert warnings_of(path) == [
        "warning: Caveats!J2: value 1.9 for max_sites counts whole sites: read as at most 1"
    ]
    result = api.solve(path)
    assert result.stage_values["objective.shortfall.p1"] == pytest.approx(1.0)
    assert sum(result.tables.allocation["units"]) == 1
    assert binding(result, "K1") == "yes"  # its one site is used
    # the output's Caveats sheet holds the input's row, and says how its value was read
    assert result.tables.caveats["value"].tolist() == [1.9]
    assert result.tables.caveats["remark"].tolist() == ["value 1.9 read as at most 1 (whole sites)"]


@pytest.mark.parametrize(
    ("kind", "noisy", "whole"),
    [
        ("min_units", 0.1 * 30, 3),  # 3.0000000000000004: was read up to 4, infeasible
        ("max_units", 2.9999999999999996, 3),  # was read down to 2
        ("min_units", 0.1 + 0.2 - 0.3, 0),  # 5.55e-17: was a commitment of 1
    ],
)
def test_a_whole_number_with_floating_point_noise_is_that_number(
    tmp_path: Path, kind: str, noisy: float, whole: int
) -> None:
    """A cell Excel shows as 3 may hold 3.0000000000000004 (a formula's result): it is 3, read
    without a warning, not the next whole number up or down."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 5)],
        pledges=[pledge("A", "INF", 3, 1)],
        caveats=[caveat(kind, noisy)],
    )
    data = api.read(path)
    assert data.caveats["value"].tolist() == [whole]
    assert not [w for w in data.warnings if "counts whole" in w.message]


def test_a_large_value_is_said_in_full(tmp_path: Path) -> None:
    """6 significant digits said `value 1.23457e+06 ... read as at most 1.23457e+06`."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 5)],
        pledges=[pledge("A", "INF", 5, 1)],
        caveats=[caveat("max_personnel", 1234567.5)],
    )
    assert warnings_of(path) == [
        "warning: Caveats!J2: value 1234567.5 for max_personnel counts whole people: read as at "
        "most 1,234,567"
    ]


def test_a_negative_value_is_still_an_error(tmp_path: Path) -> None:
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 1)],
        pledges=[pledge("A", "INF", 2, 1)],
        caveats=[caveat("max_units", -0.5)],
    )
    with pytest.raises(InputError) as raised:
        api.read(path)
    assert [str(e) for e in raised.value.errors] == [
        "Caveats!J2: value for max_units must be a number >= 0, got -0.5"
    ]
