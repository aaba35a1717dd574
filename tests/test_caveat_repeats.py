"""A caveat row repeating another in every column of its rule (all but id and note) is read
with a warning at its id cell naming the row it repeats (a trial's C24, a copy of C1, passed in
silence and was listed as binding beside it). A row differing in any rule column is no repeat:
another value, another window, a filter given."""

from __future__ import annotations

from pathlib import Path

from solver import api

from .workbooks import simple_case

MAX_1 = {"contributor": "A", "caveat": "max_units", "value": 1}


def _repeats(tmp_path: Path, caveats: list[dict]) -> list[str]:
    data = api.read(simple_case(tmp_path / "case.xlsx", caveats=caveats))
    return [str(w) for w in data.warnings if "repeats caveat" in str(w)]


def test_a_caveat_pasted_twice_is_said(tmp_path: Path) -> None:
    caveats = [
        {"id": "K1", **MAX_1, "note": "parliament"},
        {"id": "K2", "contributor": "B", "caveat": "exclude", "site": "S1"},
        {"id": "K3", **MAX_1, "value": 1.0, "note": "copied"},
    ]
    assert _repeats(tmp_path, caveats) == [
        "warning: Caveats!A4: caveat K3 repeats caveat K1 (Caveats!A2) in every column but its "
        "id and note: it adds nothing; delete it, or change it to the rule meant"
    ]


def test_rows_differing_in_a_rule_column_are_no_repeat(tmp_path: Path) -> None:
    caveats = [
        {"id": "K1", **MAX_1},
        {"id": "K2", **MAX_1, "value": 2},
        {"id": "K3", **MAX_1, "site": "S1"},
        {"id": "K4", **MAX_1, "contributor": "B"},
    ]
    assert _repeats(tmp_path, caveats) == []
