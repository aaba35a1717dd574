"""The briefing of a rolling re-plan says what came from before its horizon (its History sheet,
io/baseline_history.py): a rolling trial read a briefing silent on the units carried in and on
those at home from tours that ended, and asked where a battalion had gone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from solver import api
from solver.cli import main
from solver.report.replan import history_note

from .test_baseline_history import _carried_cases, _cases


def test_history_note_by_nation_capability_and_site() -> None:
    history = pd.DataFrame(
        [
            ("FRA", "INF_BN", "Kyiv", "2027-03", "2027-06", 2, "yes"),
            ("FRA", "INF_BN", "Kyiv", "2027-05", "2027-06", 1, "yes"),
            ("GBR", "AD_BTY", "Lviv", "2027-04", "2027-06", 1, "withdrawn"),
            ("POL", "INF_BN", "Kyiv", "2027-01", "2027-05", 3, "no"),
        ],
        columns=["contributor", "capability", "site", "from", "to", "units", "carried"],
    )
    assert history_note(history, "2027-07") == (
        "Before 2027-07 (the History sheet) — carried in and staying on: 3 units (FRA 3 INF_BN "
        "at Kyiv); carried in and withdrawn as the plan begins: 1 unit (GBR 1 AD_BTY at Lviv); "
        "home from tours that ended, in dwell as pledged: 3 units (POL 3 INF_BN at Kyiv)."
    )
    assert history_note(history.iloc[0:0], "2027-07") == ""
    assert history_note(None, "2027-07") == ""


def _briefing(tmp_path: Path, later: Path, plan: Path) -> str:
    out = tmp_path / "replan.xlsx"
    api.write(api.solve(api.read(later), baseline=plan), out)
    page = tmp_path / "replan.html"
    result = CliRunner().invoke(main, ["report", str(out), "-o", str(page)])
    assert result.exit_code == 0, result.output
    return page.read_text(encoding="utf-8")


def test_the_briefing_names_units_home_from_before_the_horizon(tmp_path: Path) -> None:
    """test_baseline_history's first case: A's 2 units ended their tour at S1 in 2027-06."""
    later, plan = _cases(tmp_path)
    assert (
        "Before 2027-07 (the History sheet) — home from tours that ended, in dwell as pledged: "
        "2 units (A 2 INF at S1)." in _briefing(tmp_path, later, plan)
    )


def test_the_briefing_names_units_carried_in(tmp_path: Path) -> None:
    """test_baseline_history's carried case: A's unit at S1 since 2027-03 stays on."""
    later, plan = _carried_cases(tmp_path)
    assert (
        "Before 2027-07 (the History sheet) — carried in and staying on: 1 unit (A 1 INF at S1)."
        in _briefing(tmp_path, later, plan)
    )


def test_a_long_history_names_its_first_options_and_counts_the_rest() -> None:
    """Eight options carried in: six named, `and 2 more: the History sheet` (a review's
    briefing listed 108 units in one paragraph)."""
    history = pd.DataFrame(
        [(f"N{i}", "INF", "S1", "2027-03", "2027-06", 1, "yes") for i in range(8)],
        columns=["contributor", "capability", "site", "from", "to", "units", "carried"],
    )
    said = history_note(history, "2027-07")
    assert said.endswith("N5 1 INF at S1 and 2 more: the History sheet).")
    assert "N6" not in said
