"""`forcegen check`: pin reference cases, detect moved answers, report as text, JSON and JUnit."""

from __future__ import annotations

import json
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver.check.collate import command_line
from solver.check.compare import FAIL, NOTE, compare
from solver.cli import main

from .check_case import REFERENCE, check, set_pledge, unhurried


def test_update_then_check_passes(pinned: Path) -> None:
    result = check(pinned)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("PASS") and "chain/base" in lines[0] and lines[0].endswith(" s")
    assert lines[1].startswith("PASS") and "tight/base" in lines[1]
    assert "2 passed, 0 failed" in lines[-1]


def test_update_again_leaves_pins_unchanged(pinned: Path) -> None:
    before = {p.name: p.read_bytes() for p in pinned.glob("*.json")}
    result = check("--update", pinned / "tight.xlsx")
    assert result.exit_code == 0, result.output
    assert "SAME" in result.output and "unchanged: " in result.output
    assert {p.name: p.read_bytes() for p in pinned.glob("*.json")} == before


def test_moved_pledge_fails_with_a_diff_naming_what_moved(pinned: Path) -> None:
    # Without Canada's company, Odesa's single-source MECH_COY line (priority 2) falls 1 short.
    set_pledge(pinned / "tight.xlsx", "CAN", "MECH_COY", 0)
    result = check(pinned)
    assert result.exit_code == 5, result.output
    out = result.output
    assert "PASS    chain/base" in out and "FAIL    tight/base" in out
    assert "objective.shortfall.p2 pinned 0, now 1" in out
    assert "coverage Odesa/MECH_COY allocated pinned 2, now 1; shortfall pinned 0, now 1" in out
    assert "contributors CAN deployed_personnel pinned 150, now 0" in out
    assert "note: allocation CAN/MECH_COY/Lviv units pinned 1, now 0" in out
    assert "workbook changed since it was pinned" in out
    assert "-> regressed" in out.splitlines()[-1]
    # --update re-pins that case only and prints what changed; then the check passes
    result = check("--update", pinned / "tight.xlsx")
    assert result.exit_code == 0, result.output
    assert (
        "UPDATED tight/base" in result.output
        and "objective.shortfall.p2 pinned 0, now 1" in result.output
    )
    assert "chain" not in result.output
    assert check(pinned).exit_code == 0


def test_junit_counts_tests_and_failures(pinned: Path, tmp_path: Path) -> None:
    set_pledge(pinned / "tight.xlsx", "CAN", "MECH_COY", 0)
    report = tmp_path / "report.xml"
    result = check(pinned, "--junit", report)
    assert result.exit_code == 5, result.output
    root = ET.parse(report).getroot()
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["chain/base", "tight/base"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None
    assert "tight/base: objective.shortfall.p2 pinned 0, now 1" in (failure.text or "")


def test_json_report_names_the_junit_file_it_wrote(pinned: Path, tmp_path: Path) -> None:
    """A CI trial: `--json --junit F` wrote F, but the report's `written` listed the pins
    alone; its `junit` names the file (null without --junit)."""
    report = tmp_path / "report.xml"
    as_json = json.loads(check(pinned, "--json", "--junit", report).output)
    assert as_json["junit"] == str(report) and report.exists()
    assert json.loads(check(pinned, "--json").output)["junit"] is None


def test_json_report_parses(pinned: Path) -> None:
    set_pledge(pinned / "tight.xlsx", "CAN", "MECH_COY", 0)
    result = check(pinned, "--json")
    assert result.exit_code == 5
    report = json.loads(result.output)
    assert report["exit_code"] == 5 and report["mode"] == "check"
    assert report["report_format"] == 1  # a CI script's reader knows the shape it reads
    assert report["counts"] == {"pass": 1, "fail": 1, "error": 0}
    by_case = {r["case"]: r for r in report["results"]}
    assert by_case["chain"]["outcome"] == "pass"
    assert "objective.shortfall.p2 pinned 0, now 1" in by_case["tight"]["failures"]
    # what a pipeline renders a summary from, without parsing prose (a CI trial)
    assert report["verdict"] == "regressed"
    assert by_case["tight"]["status"] == by_case["tight"]["pinned_status"] == "optimal"


def test_invalid_workbook_exits_2(pinned: Path) -> None:
    wb = load_workbook(pinned / "tight.xlsx")
    wb["Pledges"]["C2"] = "two"
    wb.save(pinned / "tight.xlsx")
    result = check(pinned)
    assert result.exit_code == 2, result.output
    assert "ERROR   tight/-" in result.output
    assert "Pledges!C2: units must be a whole number" in result.output
    assert "PASS    chain/base" in result.output  # the other cases are still checked


def test_missing_path_and_empty_folder_exit_2(tmp_path: Path) -> None:
    assert check(tmp_path / "nowhere").exit_code == 2
    result = check(tmp_path)
    assert result.exit_code == 2 and "no workbooks" in result.output


def test_missing_pin_fails_and_says_to_update(tmp_path: Path) -> None:
    shutil.copy(REFERENCE / "tight.xlsx", tmp_path)
    result = check(tmp_path / "tight.xlsx")
    assert result.exit_code == 5, result.output
    assert "no pin at" in result.output and "forcegen check --update" in result.output


def test_missing_pin_in_pins_folder_says_the_command_that_pins_it_there(tmp_path: Path) -> None:
    """With --pins, the command to re-pin names that folder too (without it the pin would be
    written next to the workbook and this check would still find none), and paths with a space
    are quoted: the command runs as printed. (A --pins folder that does not exist is a usage
    error: a typo in a CI script.)"""
    cases, pins = tmp_path / "my refs", tmp_path / "pin dir"
    cases.mkdir()
    shutil.copy(REFERENCE / "tight.xlsx", cases)
    assert check(cases / "tight.xlsx", "--pins", pins).exit_code == 2
    pins.mkdir()
    result = check(cases / "tight.xlsx", "--pins", pins)
    assert result.exit_code == 5, result.output
    command = f"forcegen check --update --pins '{pins}' '{cases / 'tight.xlsx'}'"
    assert f"no pin at {pins / 'tight.json'}: run `{command}` to pin it" in result.output
    argv = shlex.split(command)[2:]  # the arguments after `forcegen check`
    assert check(*argv).exit_code == 0
    assert (pins / "tight.json").is_file() and not (cases / "tight.json").exists()
    assert check(cases / "tight.xlsx", "--pins", pins).exit_code == 0


def test_the_command_to_re_pin_is_quoted_for_the_shell_of_the_platform() -> None:
    """On Windows a path is quoted only for a space, in double quotes: cmd.exe would keep the
    single quotes of POSIX quoting, which every path with a backslash gets."""
    words = ["forcegen", "check", "--update", "inputs\\ref\\x.xlsx", "my refs\\y.xlsx"]
    assert command_line(words, windows=True) == (
        'forcegen check --update inputs\\ref\\x.xlsx "my refs\\y.xlsx"'
    )
    assert command_line([*words[:3], "my refs/y.xlsx"], windows=False) == (
        "forcegen check --update 'my refs/y.xlsx'"
    )


def test_parallel_output_equals_serial(pinned: Path) -> None:
    serial = check(pinned)
    parallel = check(pinned, "--workers", "2")
    assert parallel.exit_code == serial.exit_code == 0, parallel.output

    def verdicts(text: str) -> list[str]:
        return [line.split()[1] for line in text.splitlines() if line.startswith("PASS")]

    assert verdicts(parallel.output) == verdicts(serial.output) == ["chain/base", "tight/base"]


def test_cost_tolerance_follows_the_mip_gap() -> None:
    base = {"status": "optimal", "objective": {"shortfall.p1": 1.5, "cost": 1000.0}}
    near = {"status": "optimal", "objective": {"shortfall.p1": 1.5, "cost": 1000.5}}
    assert compare(base, near, mip_gap=1e-3) == []
    moved = compare(base, near, mip_gap=1e-4)
    assert [(f.level, f.text) for f in moved] == [
        (FAIL, "objective.cost pinned 1000, now 1000.5 (+0.05%)")
    ]
    short = {"status": "optimal", "objective": {"shortfall.p1": 1.5 + 1e-5, "cost": 1000.0}}
    assert [f.text for f in compare(base, short, mip_gap=0.5)] == [
        "objective.shortfall.p1 pinned 1.5, now 1.50001"
    ]
    gap = dict(base, mip_gap=0)
    assert [f.level for f in compare(gap, dict(base, mip_gap=1e-5), mip_gap=1e-4)] == [NOTE]


def test_the_workbook_changed_note_comes_first_and_is_never_cut() -> None:
    """30 failures and 10 moved rows: the note that explains them all leads, uncut."""
    from solver.check.outcome import FAILED, Outcome
    from solver.check.report import MAX_DETAIL_LINES, outcome_lines

    changed = "the workbook changed since it was pinned; if intended, run `forcegen check ...`"
    outcome = Outcome(
        "case",
        "base",
        "case.xlsx",
        "case.json",
        FAILED,
        failures=[f"coverage S{i}/INF allocated pinned 2, now 1" for i in range(30)],
        notes=[*(f"allocation A/INF/S{i} units pinned 1, now 0" for i in range(10)), changed],
    )
    lines = outcome_lines(outcome)
    assert lines[1] == f"        note: {changed}"
    assert len(lines) == 1 + MAX_DETAIL_LINES + 1
    assert lines[-1] == f"        ... and {30 + 10 + 1 - MAX_DETAIL_LINES} more (see --json)"
    one = Outcome(
        "case", "base", "case.xlsx", "case.json", "pass", notes=["mip_gap pinned 0, now 0.1"]
    )
    assert outcome_lines(one)[0].endswith("(1 note)")


def test_an_interrupted_solve_stops_the_check_and_is_never_pinned(
    pinned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or SIGTERM) that reaches a solve in this process gives an `interrupted` result:
    it is neither compared nor pinned; the check stops with exit 130, the rest not run."""
    from solver import api
    from solver.check.runner import run_check

    solve = api.solve

    def interrupted_at_tight(workbook: str, **options: Any) -> Any:
        result = solve(workbook, **options)
        if Path(workbook).stem == "tight":
            return SimpleNamespace(status="interrupted")
        return result

    monkeypatch.setattr(api, "solve", interrupted_at_tight)
    before = (pinned / "tight.json").read_bytes()
    report = run_check([pinned], update=True, workers=1)
    assert report.exit_code == 130
    assert [(o.label, o.outcome) for o in report.outcomes] == [
        ("chain/base", "unchanged"),
        ("tight/base", "error"),
    ]
    assert report.outcomes[1].errors == ["not run (interrupted)"]
    assert (pinned / "tight.json").read_bytes() == before


def test_cases_of_one_name_in_two_folders_are_told_apart(tmp_path: Path) -> None:
    """a/case.xlsx and b/case.xlsx: each case is named by its path below the folder holding
    both (`a/case`, `b/case`) on the console, in --json and in JUnit (classname and name), so
    neither hides the other; before, both were `case`. Alone, a case is its stem."""
    for folder, source in (("a", "chain"), ("b", "tight")):
        (tmp_path / "ref" / folder).mkdir(parents=True)
        unhurried(
            shutil.copy(REFERENCE / f"{source}.xlsx", tmp_path / "ref" / folder / "case.xlsx")
        )
    a, b = tmp_path / "ref" / "a", tmp_path / "ref" / "b"
    result = check("--update", a, b)
    assert result.exit_code == 0, result.output
    assert (a / "case.json").is_file() and (b / "case.json").is_file()
    report = tmp_path / "report.xml"
    result = check(a, b / "case.xlsx", "--junit", report)
    assert result.exit_code == 0, result.output
    assert [line.split()[:2] for line in result.output.splitlines()[:2]] == [
        ["PASS", "a/case/base"],
        ["PASS", "b/case/base"],
    ]
    cases = ET.parse(report).getroot().findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("forcegen.check.a/case", "a/case/base"),
        ("forcegen.check.b/case", "b/case/base"),
    ]
    as_json = json.loads(check(a, b, "--json").output)
    assert [r["case"] for r in as_json["results"]] == ["a/case", "b/case"]
    alone = check(a / "case.xlsx")
    assert alone.exit_code == 0 and alone.output.startswith("PASS    case/base"), alone.output
    # a pin holds the same answers whatever the case was called in the run that wrote it
    assert "unchanged: " in check("--update", a).output


def test_a_moved_value_says_which_is_pinned_and_which_is_now() -> None:
    """Every moved value reads `pinned X, now Y`, never `X -> Y` (which is which?)."""
    pinned = {
        "status": "optimal",
        "objective": {"shortfall.p1": 0, "cost": 100},
        "mip_gap": 0,
        "model": {"rows": 10},
        "coverage": {"S/INF": {"allocated": 2, "shortfall": 0}},
        "allocation": {"A/INF/S": {"units": 2}},
    }
    now = {
        "status": "feasible",
        "objective": {"shortfall.p1": 1, "cost": 104},
        "mip_gap": 0.01,
        "model": {"rows": 12},
        "coverage": {"S/INF": {"allocated": 1, "shortfall": 1}},
        "allocation": {"A/INF/S": {"units": 1}},
    }
    found = [(f.level, f.text) for f in compare(pinned, now, mip_gap=1e-4)]
    assert found == [
        (FAIL, "status pinned optimal, now feasible"),
        (FAIL, "objective.shortfall.p1 pinned 0, now 1"),
        (FAIL, "objective.cost pinned 100, now 104 (+4.00%)"),
        (FAIL, "model.rows pinned 10, now 12"),
        (FAIL, "coverage S/INF allocated pinned 2, now 1; shortfall pinned 0, now 1"),
        (NOTE, "mip_gap pinned 0, now 0.01"),
        (NOTE, "allocation A/INF/S units pinned 2, now 1"),
    ]


def test_help_documents_every_exit_code_check_gives() -> None:
    """`check --help` names each exit code its report can give (report.VERDICTS, one per code
    of `CheckReport.exit_code`), 1 (internal error) included, and no other."""
    import re

    text = CliRunner().invoke(main, ["check", "--help"]).output
    block = text.split("Exit codes")[1].split("Options:")[0]
    documented = {int(code) for code in re.findall(r"^\s{4}(\d+)\s", block, re.MULTILINE)}
    documented |= {int(code) for code in re.findall(r"\b(143) SIGTERM", block)}
    assert documented == {0, 1, 2, 5, 130, 143}, block
    assert re.search(r"^\s+1\s+internal error", block, re.MULTILINE), block
    assert re.search(r"^\s+5\s+an answer moved", block, re.MULTILINE), block
    from solver.check.report import VERDICTS

    assert set(VERDICTS) == documented


def test_cost_tolerance_is_the_gaps_both_runs_achieved_never_more_than_the_setting() -> None:
    """A workbook edited to `mip_gap` 0.05 with a cost 3.6% higher (1,390 -> 1,440), both runs
    proven at gap 0: each cost is its model's optimum, so the answer moved (it passed, 'the
    answer did not' change). Where the runs proved gaps of 1e-3 and 0, a move within 1e-3 is
    either plan's slack; beyond the setting never; without a known gap, the setting."""
    proven = {"status": "optimal", "objective": {"cost": 1390.0}, "mip_gap": 0}
    edited = {"status": "optimal", "objective": {"cost": 1440.0}, "mip_gap": 0}
    assert [f.text for f in compare(proven, edited, mip_gap=0.05)] == [
        "objective.cost pinned 1390, now 1440 (+3.60%)"
    ]
    loose = dict(edited, objective={"cost": 1391.0}, mip_gap=1e-3)
    assert [f.level for f in compare(proven, loose, mip_gap=0.05)] == [NOTE]  # the gap moved
    wide = dict(loose, mip_gap=0.2)  # a limit stopped it far from proven: the setting caps it
    assert [f.level for f in compare(proven, wide, mip_gap=1e-4)] == [FAIL, NOTE]
    unknown = {"status": "optimal", "objective": {"cost": 1391.0}}
    assert compare({**proven, "mip_gap": None}, unknown, mip_gap=1e-3) == []


def test_a_pin_next_to_the_workbook_is_named_where_none_is_looked_for(tmp_path: Path) -> None:
    """A case pinned next to its workbook, then checked where its pins are looked for
    elsewhere (here a --pins folder; in a CI trial, below `outputs/` once the folder became a
    project's `inputs`): the failure names the pin it found beside the workbook."""
    cases, pins = tmp_path / "refs", tmp_path / "pins"
    cases.mkdir()
    pins.mkdir()
    shutil.copy(REFERENCE / "tight.xlsx", cases)
    assert check("--update", cases / "tight.xlsx").exit_code == 0
    result = check(cases / "tight.xlsx", "--pins", pins)
    assert result.exit_code == 5, result.output
    assert f"a pin lies next to the workbook, at {cases / 'tight.json'}" in result.output
