"""`check --update` says of a scenario that its pin holds its answer only where the pin was
written (solver/check/pin_fate.py): an interrupted --update printed `UPDATED coalition/base
... objective.presence pinned 999, now 65` for a case whose pin it never wrote, then
`0 pins written` (a CI trial). The interruption is injected by the scripted runner of
test_check_faults.py, never timed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .check_case import REFERENCE, _edit_pin, check, unhurried
from .test_check_faults import ctrl_c, scripted

NOT_RUN_TOO = "interrupted before every scenario of its case ran, and a pin holds every scenario"


@pytest.fixture
def moved(tmp_path: Path) -> Path:
    """tight with a second scenario (`fra_more`), pinned, then its presence pinned as 999 in
    both: a re-pin changes both."""
    folder = tmp_path / "reference"
    folder.mkdir()
    case = Path(shutil.copy(REFERENCE / "tight.xlsx", folder))
    unhurried(case)
    book = load_workbook(case)
    sheet = book.create_sheet("Scenarios")
    sheet.append(["scenario", "sheet", "key", "column", "value"])
    sheet.append(["fra_more", "Pledges", "FRA/INF_BN", "units", 4])
    book.save(case)
    assert check("--update", folder).exit_code == 0

    def corrupt(pin: dict) -> None:
        for scenario in pin["scenarios"].values():
            scenario["objective"]["presence"] = 999

    _edit_pin(folder / "tight.json", corrupt)
    return folder


def test_an_interrupted_update_says_the_pin_it_did_not_write(
    moved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """base finished (its presence moved), then Ctrl-C before fra_more ran: no line says
    UPDATED; base fails as not re-pinned, a line says the pin was not written and why, the
    closing line and --json name it, and the pin is left as it was."""
    pin = moved / "tight.json"
    before = pin.read_bytes()
    scripted(monkeypatch, ["tight/base"], ctrl_c)
    result = check("--update", moved, "--workers", "2")
    assert result.exit_code == 130, result.output
    assert pin.read_bytes() == before
    lines = result.stdout.splitlines()
    assert "UPDATED" not in result.stdout, result.stdout
    assert lines[0].startswith("FAIL    tight/base")
    assert lines[1].strip() == f"not re-pinned: {NOT_RUN_TOO}"
    assert lines[2].strip().startswith("objective.presence pinned 999, now ")
    assert lines[3].startswith("ERROR   tight/fra_more") and "not run (interrupted)" in lines[4]
    assert lines[5] == f"not written: {pin} ({NOT_RUN_TOO})"
    assert lines[6].startswith("update: 2 scenarios of 1 case: 1 failed, 1 error; ")
    assert (
        f"; 0 pins written, 1 not written ({pin}: the check stopped before every scenario of "
        "its case ran);"
    ) in lines[6]
    scripted(monkeypatch, ["tight/base"], ctrl_c)
    as_json = json.loads(check("--update", moved, "--workers", "2", "--json").stdout)
    assert as_json["written"] == [] and as_json["not_written"] == [str(pin)]
    assert [r["outcome"] for r in as_json["results"]] == ["fail", "error"]
    assert pin.read_bytes() == before


def test_an_update_not_interrupted_says_updated_once_written(moved: Path) -> None:
    """The same case re-pinned in full: both UPDATED, then `written:`, as before."""
    result = check("--update", moved)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("UPDATED tight/base")
    assert lines[2].startswith("UPDATED tight/fra_more")
    assert lines[4] == f"written: {moved / 'tight.json'}"
    assert "; 1 pin written; " in lines[5]


def test_an_update_with_a_scenario_in_error_does_not_say_the_others_pinned(
    moved: Path,
) -> None:
    """fra_more cannot be read (units `two`): the pin holds every scenario, so it is not
    written, and base, whose answer moved, is not re-pinned either: said so, not UPDATED."""
    book = load_workbook(moved / "tight.xlsx")
    book["Scenarios"]["E2"] = "two"
    book.save(moved / "tight.xlsx")
    result = check("--update", moved)
    assert result.exit_code == 2, result.output
    assert "UPDATED" not in result.stdout, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("FAIL    tight/base")
    why = "a scenario of its case ended in error, and a pin holds every scenario"
    assert lines[1].strip() == f"not re-pinned: {why}"
    assert f"not written: {moved / 'tight.json'} ({why})" in lines
