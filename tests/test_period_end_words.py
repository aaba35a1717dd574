"""Where a mandate, a tour or a dwell ends with a period named as one month but longer
(`2027-07` of three months), the words say its last month too, `2027-07 (to 2027-09)`: an
uneven-periods trial read `POL's mandate ends 2027-07` as July, of a mandate to September."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.io.period_names import as_end

from .time_cases import timed_case


@pytest.mark.parametrize(
    ("name", "months", "said"),
    [
        ("2027-07", 3, "2027-07 (to 2027-09)"),
        ("2027-12", 2, "2027-12 (to 2028-01)"),
        ("2027-07", 1, "2027-07"),
        ("2027-Q3", 3, "2027-Q3"),  # a quarter says its months itself
        ("P4", 3, "P4"),  # a name that is no month: nothing to mislead
    ],
)
def test_a_period_as_an_end(name: str, months: int, said: str) -> None:
    assert as_end(name, months) == said


def test_the_gaps_say_when_a_mandate_of_a_longer_period_ends(tmp_path: Path) -> None:
    """Periods 2027-01 and 2027-04, three months each; S1 needs 1 INF in both; A's only pledge
    ends with 2027-01 (its `to`). S1 is short in 2027-04: A's mandate ends 2027-01 (to
    2027-03), in the Gaps and as the Sustainability's main reason."""
    periods = [{"period": "2027-01", "months": 3}, {"period": "2027-04", "months": 3}]
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    a = {"contributor": "A", "capability": "INF", "units": 1, "to": "2027-01"}
    result = api.solve(
        timed_case(tmp_path / "case.xlsx", periods=periods, requirements=line, pledges=[a])
    )
    gaps = result.tables.extra["Gaps"]
    said = set(gaps[gaps["period"] == "2027-04"]["reason"])
    assert said == {"A's mandate ends 2027-01 (to 2027-03)"}, said
    sustain = result.tables.timed["Sustainability"]
    assert "A's mandate ends 2027-01 (to 2027-03)" in str(sustain.iloc[0].to_dict())
