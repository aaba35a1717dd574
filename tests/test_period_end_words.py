"""Where a mandate, a tour or a dwell ends with a period named as one month but longer
(`2027-07` of three months), the words say its last month too, `2027-07 (2027-07..2027-09)`: an
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
        ("2027-07", 3, "2027-07 (2027-07..2027-09)"),
        ("2027-12", 2, "2027-12 (2027-12..2028-01)"),
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
    assert said == {"A's mandate ends 2027-01 (2027-01..2027-03)"}, said
    sustain = result.tables.timed["Sustainability"]
    assert "A's mandate ends 2027-01 (2027-01..2027-03)" in str(sustain.iloc[0].to_dict())


def test_compare_says_periods_of_one_name_standing_for_other_months() -> None:
    """base: 2027-01 (3 months), 2027-04 (3); v1: 2027-04, 2027-05, 2027-06 monthly. Both
    name 2027-04, of three months in base and one in v1: the note says it (an uneven-periods
    trial read `+2 units in 2027-05..2027-06` of a base that held them in its 2027-04)."""
    import pandas as pd

    from solver.compare.timed_tables import horizon_notes
    from solver.compare.timed_views import TimedView

    def view(name: str, horizon: list[str], months: int) -> TimedView:
        empty = pd.DataFrame()
        summary = {"horizon_months": months}
        return TimedView(
            name, "optimal", name, summary, empty, empty, empty, horizon, horizon=horizon
        )

    (note,) = horizon_notes(
        [view("base", ["2027-01", "2027-04"], 6), view("v1", ["2027-04", "2027-05", "2027-06"], 3)]
    )
    assert note.endswith(
        "; and 1 of the periods both name stands for other months (2027-04 is 2027-04..2027-06 "
        "in base, 2027-04 in v1): their units are compared by name, not by month"
    ), note
