"""`forcegen check`'s pins: their text, a pin unreadable, of another shape or whose workbook or
scenario is gone, a shared pins folder, and `--update` repairing them (where they live:
test_check_pin_paths.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from solver.check.cases import pin_path
from solver.check.pins import format_pin, stable

from .check_case import PINS, REFERENCE, _edit_pin, check


def test_other_allocation_with_equal_stages_is_a_note_unless_strict(pinned: Path) -> None:
    def swap(
        pin: dict[str, Any],
    ) -> None:  # the pinned plan: POL's Lviv companies came from elsewhere
        alloc = pin["scenarios"]["base"]["allocation"]
        alloc["XYZ/MECH_COY/Lviv"] = alloc.pop("POL/MECH_COY/Lviv")

    _edit_pin(pinned / "tight.json", swap)
    result = check(pinned)
    assert result.exit_code == 0, result.output
    assert "PASS    tight/base" in result.output and "(3 notes)" in result.output
    assert "note: allocation differs with equal stages" in result.output
    assert "note: allocation XYZ/MECH_COY/Lviv units pinned 2, now 0" in result.output
    assert "1 with notes" in result.output
    strict = check(pinned, "--strict")
    assert strict.exit_code == 5, strict.output
    assert "FAIL    tight/base" in strict.output
    assert "allocation POL/MECH_COY/Lviv units pinned 0, now 2" in strict.output


def test_pinned_scenario_gone_from_workbook_fails(pinned: Path) -> None:
    _edit_pin(
        pinned / "chain.json",
        lambda pin: pin["scenarios"].update(ghost=pin["scenarios"]["base"]),
    )
    result = check(pinned / "chain.xlsx")
    assert result.exit_code == 5
    assert "FAIL    chain/ghost" in result.output and "no longer in the workbook" in result.output


def test_unreadable_pin_is_invalid_input_and_update_repairs_it(pinned: Path) -> None:
    (pinned / "chain.json").write_text("<<<<<<< HEAD\n")
    assert check(pinned / "chain.xlsx").exit_code == 2
    assert check("--update", pinned / "chain.xlsx").exit_code == 0
    assert check(pinned / "chain.xlsx").exit_code == 0


@pytest.mark.parametrize(
    "shape",
    [
        {"base": "x"},
        {"base": {"objective": "x"}},
        {"base": {}},
    ],
)
def test_a_pin_of_another_shape_is_invalid_input_and_update_repairs_it(
    pinned: Path, shape: dict, tmp_path: Path
) -> None:
    """A pin that parses but is not an answer (a hand edit, a bad merge) crashed the whole
    check (`'str' object has no attribute 'get'`, exit 1, no JUnit file, --update crashing
    too), or, empty, read as every field moved (exit 5): it is unreadable, exit 2, the other
    case still checked and the JUnit file written, and --update re-pins it."""
    (pinned / "chain.json").write_text(json.dumps({"case": "chain", "scenarios": shape}))
    junit = tmp_path / "j.xml"
    result = check("--junit", junit, pinned)
    assert result.exit_code == 2, result.output
    assert "chain/-" in result.output and "not a pin (scenario 'base'" in result.output
    assert "PASS" in result.output and junit.is_file()
    assert check("--update", pinned / "chain.xlsx").exit_code == 0
    assert check(pinned).exit_code == 0


def test_a_pinned_case_whose_workbook_is_gone_fails(pinned: Path) -> None:
    """chain.xlsx deleted, chain.json kept: the check of the folder fails (exit 5) naming the
    pin and the workbook it expects (it passed green with a case fewer); --update does not
    delete the pin."""
    (pinned / "chain.xlsx").unlink()
    result = check(pinned)
    assert result.exit_code == 5, result.output
    assert "FAIL    chain/-" in result.output
    assert "pinned, but its workbook" in result.output and "chain.xlsx is gone" in result.output
    assert check("--update", pinned).exit_code == 5
    assert (pinned / "chain.json").is_file()


def test_lost_cases_of_two_folders_are_named_apart_and_counted_with_update(
    pinned: Path, tmp_path: Path
) -> None:
    """Folders a/ and b/, each with chain.xlsx and the pin of a workbook zz.xlsx that is gone:
    two failures named a/zz and b/zz (both were `zz`, one JUnit name twice), and --update's
    summary counts them (it said `1 unchanged` and exited 5). A copy of chain's pin saved as
    other.json names chain.xlsx, which is there: no lost case."""
    for folder in (tmp_path / "a", tmp_path / "b"):
        folder.mkdir()
        shutil.copy(pinned / "chain.xlsx", folder)
        pin = json.loads((pinned / "chain.json").read_text())
        (folder / "zz.json").write_text(json.dumps({**pin, "workbook": "zz.xlsx"}))
        (folder / "other.json").write_text((pinned / "chain.json").read_text())
    assert check("--update", tmp_path / "a", tmp_path / "b").exit_code == 5
    result = check(tmp_path / "a", tmp_path / "b")
    assert result.exit_code == 5, result.output
    failed = [line.split()[1] for line in result.output.splitlines() if line.startswith("FAIL")]
    assert failed == ["a/zz/-", "b/zz/-"]
    updated = check("--update", tmp_path / "a")
    assert "1 failed" in updated.output.splitlines()[-1], updated.output


@pytest.mark.parametrize(
    "text",
    [
        '{"pinned_with": "x", "scenarios": {}}',
        '{"scenarios": {"base": {"status": "optimal", "objective": {"cost": NaN}}}}',
        "[" * 100_000,
    ],
)
def test_a_pin_that_crashed_or_passed_whatever_is_invalid_input(pinned: Path, text: str) -> None:
    """`pinned_with` not an object crashed the check (exit 1, no JUnit); a NaN stage passed
    whatever the answer; a pin nested past Python's recursion limit crashed: exit 2 each."""
    (pinned / "chain.json").write_text(text)
    result = check(pinned / "chain.xlsx")
    assert result.exit_code == 2, result.output
    assert "not a" in result.output


def test_update_into_pins_it_cannot_write_is_refused_before_any_solve(pinned: Path) -> None:
    """--update --pins below a file: refused at once (exit 2), not after solving every case."""
    blocker = pinned / "afile"
    blocker.write_text("x")
    result = check("--update", "--pins", blocker / "sub", pinned / "chain.xlsx")
    assert result.exit_code == 2, result.output
    assert "NEW" not in result.output and "afile is a file, not a folder" in result.output


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (("objective", "cost", "600"), "has objective.cost '600', not a number"),
        (("objective", "shortfall.p1", True), "has objective.shortfall.p1 True, not a number"),
        (("status", None, 42), "has status 42, not a status"),
    ],
)
def test_a_pinned_figure_typed_as_text_is_invalid_input(
    pinned: Path, edit: tuple, said: str
) -> None:
    """A pin's cost edited to the text "600" read as a regression, `pinned 600, now 600` (a CI
    trial): it is no pin, exit 2, saying which value."""
    path = pinned / "chain.json"
    pin = json.loads(path.read_text())
    scenario = next(iter(pin["scenarios"].values()))
    key, field, value = edit
    if field is None:
        scenario[key] = value
    else:
        assert field in scenario[key]
        scenario[key][field] = value
    path.write_text(json.dumps(pin))
    result = check(pinned / "chain.xlsx")
    assert result.exit_code == 2, result.output
    assert said in " ".join(result.output.split())


def test_pin_text_is_stable() -> None:
    assert stable(2.0) == 2 and stable(0.1 + 0.2) == 0.3 and stable(float("nan")) is None
    text = format_pin({"b": 1, "a": {"d": 0.5, "c": None}})
    assert text == '{\n  "a": {\n    "c": null,\n    "d": 0.5\n  },\n  "b": 1\n}\n'


@pytest.mark.parametrize("case", sorted(p.stem for p in REFERENCE.glob("*.xlsx")))
def test_every_reference_case_is_pinned_with_a_readme(case: str) -> None:
    pin = pin_path(REFERENCE / f"{case}.xlsx")
    assert pin.parent == PINS and pin.is_file(), f"run forcegen check --update for {case}"
    wb = load_workbook(REFERENCE / f"{case}.xlsx", read_only=True)
    names = wb.sheetnames
    wb.close()
    assert names[0] == "README"


def test_a_shared_pins_folder_holds_no_lost_case_of_another_folder(
    pinned: Path, tmp_path: Path
) -> None:
    """Two folders pinned into one --pins folder (chain in a/, tight in b/): checking both,
    or one, passes: a --pins folder may hold other folders' pins, so none is taken for a lost
    case (only a folder's own pins are: next to it, or below outputs/)."""
    pins, a, b = tmp_path / "pins", tmp_path / "a", tmp_path / "b"
    for folder, name in ((a, "chain"), (b, "tight")):
        folder.mkdir()
        shutil.copy(pinned / f"{name}.xlsx", folder)
    assert check("--update", "--pins", pins, a, b).exit_code == 0
    result = check("--pins", pins, a, b)
    assert result.exit_code == 0, result.output
    assert check("--pins", pins, a).exit_code == 0


def test_a_pin_that_cannot_be_written_fails_its_case_and_the_others_go_on(
    pinned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--update under a file size limit stopped at the first pin it could not write: the
    cases after it were never reported and no summary line came. Now that case is an error
    (`pin not written: ...`, exit 2) and the others are checked and pinned."""
    from solver.check import pin_fate
    from solver.errors import UsageError

    real = pin_fate.write_pin

    def full_for_chain(path: Path, pin: dict[str, Any]) -> None:
        if path.name == "chain.json":
            raise UsageError("cannot write chain.json: File too large")
        real(path, pin)

    for name in ("chain.json", "tight.json"):  # both pins move: both must be written
        _edit_pin(pinned / name, lambda pin: pin["scenarios"]["base"].update(status="x"))
    monkeypatch.setattr(pin_fate, "write_pin", full_for_chain)
    result = check("--update", pinned)
    assert result.exit_code == 2, result.output
    assert "pin not written: cannot write chain.json: File too large" in result.output
    assert json.loads((pinned / "tight.json").read_text())["scenarios"]["base"]["status"] == (
        "optimal"
    )
    # the pin's error is no scenario: counted among the pins (a full-disk trial read `3
    # scenarios of 1 case: 2 new, 1 error` for two)
    summary = next(line for line in result.output.splitlines() if line.startswith("update: "))
    scenarios = re.findall(r"^[A-Z]+ +(\S+/\S+) ", result.output, re.MULTILINE)
    ran = [s for s in scenarios if not s.endswith("/pin")]
    assert summary.startswith(f"update: {len(ran)} scenarios of ") and len(ran) < len(scenarios)
    assert "error" not in summary.split(";")[0] and "1 pin written, 1 could not" in summary
    # said as the pin's, counted as not written (a fault trial read `cannot check` of the
    # case checked, and the JSON's `not_written: []`)
    assert "ERROR   chain/pin" in result.output and "cannot check" not in result.output
    # no time of its own: `-`, not `0.00 s` (a trial read that of a scenario stopped after 12 s)
    (pin_line,) = [line for line in result.output.splitlines() if "chain/pin" in line]
    assert pin_line.rstrip().endswith("-") and "0.00 s" not in pin_line
    assert "1 could not be written (" in result.output
    # its scenario's answer is not in the pin: said so, not UPDATED
    assert "FAIL    chain/base" in result.output and "UPDATED chain/base" not in result.output
    assert "not re-pinned: its pin could not be written (see its error)" in result.output
    report = json.loads(check("--update", "--json", pinned).stdout)
    assert [Path(p).name for p in report["not_written"]] == ["chain.json"]


def test_two_cases_of_one_name_under_pins_are_told_how_to_part(tmp_path: Path) -> None:
    """a/case.xlsx and b/case.xlsx with one --pins folder: the pins are by file name, so both
    would be pins/case.json; the refusal said `rename one or use --pins` to a command that had
    --pins (a CI trial). Without --pins they are pinned apart, next to each."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(REFERENCE / "chain.xlsx", tmp_path / folder / "case.xlsx")
    pins = tmp_path / "pins"
    result = check("--update", tmp_path / "a", tmp_path / "b", "--pins", pins)
    assert result.exit_code == 2, result.output
    assert "would share the pin" in result.output
    assert "a --pins folder holds pins by file name: rename one, or check each folder" in (
        result.output
    )
    assert "use --pins" not in result.output and not pins.exists()


def test_a_folder_of_folders_says_its_subfolders_are_not_searched(tmp_path: Path) -> None:
    (tmp_path / "suite" / "inner").mkdir(parents=True)
    result = check(tmp_path / "suite")
    assert result.exit_code == 2, result.output
    assert "no workbooks (*.xlsx) in" in result.output
    assert "(its subfolders are not searched: name them)" in result.output
    (tmp_path / "flat").mkdir()
    assert "subfolders" not in check(tmp_path / "flat").output


def test_an_update_with_a_scenario_in_error_says_which_pin_it_did_not_write(
    tmp_path: Path,
) -> None:
    """--update of a case whose scenario `bad` cannot be read (units `two`): base is new, bad
    an error, and no pin is written (a pin holds every scenario of its case). The closing line
    said only `0 pins written` (a CI trial); it now names the pin and why, and so does --json."""
    folder = tmp_path / "ref"
    folder.mkdir()
    case = folder / "chain.xlsx"
    shutil.copy(REFERENCE / "chain.xlsx", case)
    book = load_workbook(case)
    sheet = book.create_sheet("Scenarios")
    sheet.append(["scenario", "sheet", "key", "column", "value"])
    sheet.append(["bad", "Pledges", "ITA/INF_BN", "units", "two"])
    book.save(case)
    result = check("--update", folder)
    assert result.exit_code == 2, result.output
    pin = folder / "chain.json"
    assert not pin.exists()
    assert (
        f"0 pins written, 1 not written ({pin}: a scenario of its case ended in error, and a "
        "pin holds every scenario)"
    ) in result.output
    as_json = json.loads(check("--update", folder, "--json").output)
    assert as_json["not_written"] == [str(pin)] and as_json["written"] == []


def test_a_pin_copied_from_another_case_says_so(pinned: Path) -> None:
    """tight's pin copied over chain's: the diff says the workbook changed, and now also that
    the pin was made for tight.xlsx (a CI trial read thirty diffs without the reason). chain
    and its pin copied as chain_copy: the answer holds, and the pass says so too (it passed
    without a word: a CI trial)."""
    import shutil

    shutil.copy(pinned / "chain.xlsx", pinned / "chain_copy.xlsx")
    shutil.copy(pinned / "chain.json", pinned / "chain_copy.json")
    result = check(pinned / "chain_copy.xlsx")
    assert result.exit_code == 0, result.output
    assert "the pin was made for chain.xlsx, not chain_copy.xlsx" in result.output
    shutil.copy(pinned / "tight.json", pinned / "chain.json")
    result = check(pinned / "chain.xlsx")
    assert result.exit_code == 5, result.output
    assert "the pin was made for tight.xlsx, not chain.xlsx" in result.output


def test_a_tiny_change_of_cost_is_not_said_as_zero() -> None:
    """600.01 -> 600 is -0.00167%, not -0.00% (a CI trial); +3.60% as before."""
    from solver.check.compare import _relative

    assert _relative(-0.01, 600.01) == "-0.00167%"
    assert _relative(21.6, 600.0) == "+3.60%"


def test_an_infeasible_case_pins_its_conflict_and_fails_when_it_moves(tmp_path: Path) -> None:
    """The reference case `infeasible`: Kyiv's hard single-source line of 3 INF_BN, FRA and
    GBR pledging 2 each, POL 2 requiring the unavailable USA. Its pin holds the conflict's
    rule ids. With FRA's and GBR's pledges cut to 0 it is still infeasible (POL's 2 < 3, the
    USA unavailable), for another reason: the check fails naming both conflicts (it failed on
    the model's size alone, or passed: a trial)."""
    import shutil

    from .check_case import REFERENCE, check, set_pledge, unhurried

    folder = tmp_path / "reference"
    folder.mkdir()
    case = Path(shutil.copy(REFERENCE / "infeasible.xlsx", folder))
    unhurried(case)
    assert check("--update", folder).exit_code == 0
    pin = json.loads((folder / "infeasible.json").read_text(encoding="utf-8"))
    assert pin["scenarios"]["base"]["conflict"] == [
        "caveat:C1",
        "hard:Kyiv/INF_BN",
        "pledge:FRA/INF_BN",
        "pledge:GBR/INF_BN",
        "single_source:Kyiv/INF_BN",
    ]
    assert check(folder).exit_code == 0
    set_pledge(case, "FRA", "INF_BN", 0)
    set_pledge(case, "GBR", "INF_BN", 0)
    result = check(folder)
    assert result.exit_code == 5, result.output
    assert (
        "conflict: pinned caveat:C1, hard:Kyiv/INF_BN, pledge:FRA/INF_BN, pledge:GBR/INF_BN, "
        "single_source:Kyiv/INF_BN; now " in result.output
    )
