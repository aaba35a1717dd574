"""A generated withdrawal's scenario (`withdraw_A_after_P2`) says the nation leaves, not that its
mandate ends (solver/explain/gaps_time.py `ended_words`): an analyst trial read `ITA's mandate
ends 2027-12` as Italy's mandate simply running out."""

from __future__ import annotations

from pathlib import Path

from solver import api

from .time_cases import months, timed_case


def test_a_withdrawn_nation_leaves_in_the_gaps_words(tmp_path: Path) -> None:
    """A pledges the only INF unit; S1 needs it over P1..P4. Withdrawn after P2, S1 is short in
    P3..P4 because A leaves after P2 (withdrawn in this scenario); in base nothing is short,
    and a workbook's own `to` P2 is still said as its mandate ending."""
    path = timed_case(tmp_path / "c.xlsx", periods=months(4))
    result = api.solve(path, scenario="withdraw_A_after_P2")
    reasons = " ".join(str(r) for r in result.tables.extra["Gaps"]["reason"])
    assert "A leaves after P2 (withdrawn in this scenario)" in reasons
    assert "mandate" not in reasons
    own = timed_case(
        tmp_path / "own.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "to": "P2"}],
    )
    said = " ".join(str(r) for r in api.solve(own).tables.extra["Gaps"]["reason"])
    assert "A's mandate ends P2" in said


def test_a_pledge_not_begun_that_a_withdrawal_drops_is_said_as_the_withdrawal(
    tmp_path: Path,
) -> None:
    """A's only INF unit is ready from P3 and holds S1 in P3..P4 in base. Withdrawn after P2,
    A's pledge has not begun and is dropped whole: re-planned against base, the Changes and
    Asks said `forced: A no longer pledges INF` (an analyst trial read it as an edit of the
    workbook), where a pledge the withdrawal ends reads `A leaves after P2 (withdrawn in this
    scenario)`. Both read so now."""
    path = timed_case(
        tmp_path / "c.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "from": "P3"}],
    )
    base = api.write(api.solve(path), tmp_path / "base.xlsx", [path])
    result = api.solve(path, scenario="withdraw_A_after_P2", baseline=base)
    ask = result.tables.extra["Asks"].set_index("contributor").loc["A", "ask"]
    assert ask.endswith("forced: A leaves after P2 (withdrawn in this scenario))"), ask
    why = set(result.tables.extra["Changes"]["why"])
    assert why == {"A leaves after P2 (withdrawn in this scenario)"}
