"""The CLI end to end on the bundled example, and every exit code."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.data import Data
from solver.verify.stages import snapshot_stage_values

from .conftest import EXAMPLE, ROOT
from .workbooks import simple_case

CONTRACT_SHEETS = {
    "Summary": ["key", "value"],
    "Allocation": ["contributor", "capability", "site", "units", "personnel"],
    "Coverage": ["site", "capability", "required", "allocated", "shortfall", "priority", "hard"],
    "Contributors": [
        "contributor",
        "pledged_units",
        "deployed_units",
        "deployed_personnel",
        "sites",
    ],
    "Caveats": [
        "id",
        "contributor",
        "caveat",
        "capability",
        "category",
        "site",
        "zone",
        "country",
        "other",
        "value",
        "note",
        "binding",
    ],
}
SUMMARY_KEYS = [
    "scenario",
    "status",
    "objective.cost",
    "objective.presence",
    "mip_gap",
    "solve_seconds",
    "input_sha256",
    "forcegen_version",
    "highs_version",
]


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=sheet, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def solved_example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo") / "coalition.xlsx"
    result = CliRunner().invoke(main, ["solve", str(EXAMPLE), "-o", str(out)])
    return out, result.output + f"\nexit={result.exit_code}"


def test_example_solves_with_every_contract_sheet(solved_example: tuple[Path, str]) -> None:
    out, console = solved_example
    assert console.endswith("exit=0"), console
    assert "status: optimal" in console and f"written: {out}" in console
    wb = load_workbook(out, read_only=True)
    for sheet, columns in CONTRACT_SHEETS.items():
        header = [c.value for c in next(wb[sheet].iter_rows(max_row=1))]
        assert header[: len(columns)] == columns, sheet
    assert "Matrix" in wb.sheetnames
    wb.close()
    keys = set(read_sheet(out, "Summary")["key"])
    assert set(SUMMARY_KEYS) <= keys
    assert {"objective.shortfall.p1", "objective.shortfall.p2", "objective.shortfall.p3"} <= keys


def test_summary_stages_equal_those_recomputed_from_allocation_sheet(
    solved_example: tuple[Path, str],
) -> None:
    """The Summary's stage values (results.stages, from the written Allocation) against verify's
    own recomputation (verify.stages, plain Python, its own distance): two implementations."""
    out, _ = solved_example
    summary = dict(read_sheet(out, "Summary")[["key", "value"]].itertuples(index=False))
    alloc = read_sheet(out, "Allocation")
    data: Data = api.read(EXAMPLE)
    recomputed = snapshot_stage_values(data, alloc)
    assert recomputed.keys() == {k for k in summary if str(k).startswith("objective.")}
    for key, value in recomputed.items():
        assert float(summary[key]) == pytest.approx(value, rel=1e-9), key
    assert summary["input_sha256"] == data.source_sha256
    assert "/" not in str(summary["input_file"])  # no absolute paths in outputs


def test_the_solvers_objective_is_the_summarys(tmp_path: Path) -> None:
    """The stage values HiGHS's objective gave (outcome.stages, from the model's columns) equal
    the Summary's (recomputed from the Allocation) and verify's: person-km from the contributors'
    and sites' coordinates (no cost_per_unit), one line short."""
    from solver.verify.stages import snapshot_stage_values

    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2},
        {"contributor": "B", "capability": "INF", "units": 1},
    ]
    sites = [
        {"site": "S1", "country": "X", "zone": "front", "lat": 50.45, "lon": 30.52},
        {"site": "S2", "country": "Y", "zone": "rear", "lat": 49.84, "lon": 24.03},
    ]
    result = api.solve(simple_case(tmp_path / "c.xlsx", pledges=pledges, sites=sites))
    solver = {f"objective.{s.name}": s.value for s in result.outcome.stages}
    assert solver == pytest.approx(result.stage_values, rel=1e-9)
    assert solver == pytest.approx(
        snapshot_stage_values(result.data, result.tables.allocation), rel=1e-9
    )
    assert solver["objective.shortfall.p1"] == 1.0 and solver["objective.cost"] > 0


def test_example_stage_values_pinned(solved_example: tuple[Path, str]) -> None:
    """Reviewed answer of the bundled example (see README: which caveats bind and why)."""
    out, _ = solved_example
    summary = dict(read_sheet(out, "Summary")[["key", "value"]].itertuples(index=False))
    assert float(summary["objective.shortfall.p1"]) == 4
    assert float(summary["objective.shortfall.p2"]) == 3
    assert float(summary["objective.shortfall.p3"]) == 4


def test_default_output_path_and_scenario_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = simple_case(
        tmp_path / "src.xlsx",
        scenarios=[
            {
                "scenario": "more",
                "sheet": "Requirements",
                "key": "S1/INF",
                "column": "units",
                "value": 3,
            }
        ],
    )
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(src, work / "case.xlsx")
    monkeypatch.chdir(work)
    runner = CliRunner()
    assert runner.invoke(main, ["solve", "case.xlsx"]).exit_code == 0
    assert (work / "outputs" / "case.xlsx").exists()
    assert runner.invoke(main, ["solve", "case.xlsx", "--scenario", "more"]).exit_code == 0
    summary = read_sheet(work / "outputs" / "case-more.xlsx", "Summary")
    assert dict(summary.itertuples(index=False))["scenario"] == "more"


def test_a_scenario_named_like_a_path_gets_a_safe_default_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`a/b`, `../../up` and `a_b` as scenario names: their outputs are outputs/case-a_b-<6
    hex digits of the name's SHA-1>.xlsx, outputs/case-up-<...>.xlsx and outputs/case-a_b.xlsx
    (before: a folder outputs/case-a, and a file two folders above outputs/)."""
    rows = [
        {"scenario": name, "sheet": "Requirements", "key": "S1/INF", "column": "units", "value": 3}
        for name in ("a/b", "../../up", "a_b")
    ]
    work = tmp_path / "work"
    work.mkdir()
    simple_case(work / "case.xlsx", scenarios=rows)
    monkeypatch.chdir(work)
    for name in ("a/b", "../../up", "a_b"):
        result = CliRunner().invoke(main, ["solve", "case.xlsx", "-s", name])
        assert result.exit_code == 0, result.output

    def tag(name: str) -> str:
        return hashlib.sha1(name.encode()).hexdigest()[:6]

    assert sorted(p.name for p in (work / "outputs").iterdir()) == sorted(
        [f"case-a_b-{tag('a/b')}.xlsx", f"case-up-{tag('../../up')}.xlsx", "case-a_b.xlsx"]
    )
    assert sorted(p.name for p in work.iterdir()) == ["case.xlsx", "outputs"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_refuses_to_overwrite_input(tmp_path: Path) -> None:
    src = simple_case(tmp_path / "case.xlsx")
    before = src.read_bytes()
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(src)])
    assert result.exit_code == 2
    assert "is the workbook this command reads" in result.output
    assert src.read_bytes() == before


def test_infeasible_exit_3_writes_status(tmp_path: Path) -> None:
    src = simple_case(
        tmp_path / "case.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
    )
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 3, result.output
    assert "status: infeasible" in result.output
    summary = dict(read_sheet(out, "Summary")[["key", "value"]].itertuples(index=False))
    assert summary["status"] == "infeasible"


def test_no_solution_exit_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A time limit that stops the search before any allocation is found, and no plan from the
    construction heuristic either: exit 4."""
    import highspy

    import solver.api
    from solver.solve import highs as driver
    from solver.solve.greedy import GreedyResult

    def no_time(self, limit):  # the stage stops at its limit with no incumbent
        return highspy.HighsModelStatus.kTimeLimit

    monkeypatch.setattr(driver.LexicographicSolver, "run_highs", no_time)
    monkeypatch.setattr(
        solver.solve.start, "greedy_start", lambda *a, **k: GreedyResult(None, 0.0, "no start")
    )
    src = simple_case(tmp_path / "case.xlsx")
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--time-limit", "1"])
    assert result.exit_code == 4, result.output
    summary = dict(read_sheet(out, "Summary")[["key", "value"]].itertuples(index=False))
    assert summary["status"] == "no_solution"
    assert "raise --time-limit" in summary["message"]


def test_internal_error_exit_1_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import solver.solve_steps

    def boom(data, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(solver.solve_steps, "build_model", boom)
    src = simple_case(tmp_path / "case.xlsx")
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 1
    assert "internal error: RuntimeError: simulated failure" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o.xlsx").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    src = simple_case(tmp_path / "case.xlsx")
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(src), "--mip-gap", "3"]).exit_code == 2
    assert runner.invoke(main, ["solve", str(tmp_path / "missing.xlsx")]).exit_code == 2
    assert runner.invoke(main, ["solve"]).exit_code == 2


def test_template_is_a_valid_empty_workbook(tmp_path: Path) -> None:
    out = tmp_path / "new.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["template", str(out)]).exit_code == 0
    wb = load_workbook(out)
    for sheet, columns in {
        "Contributors": ["contributor", "name", "lat", "lon", "gdp", "status"],
        "Caveats": ["id", "contributor", "caveat"],
    }.items():
        assert [c.value for c in wb[sheet][1]][: len(columns)] == columns
    assert "README" in wb.sheetnames
    assert runner.invoke(main, ["validate", str(out)]).exit_code == 0
    assert runner.invoke(main, ["template", str(out)]).exit_code == 2  # exists, no --force


COMMANDS = {  # every command a planner is told about, and words of its own one-line summary
    "check": "Re-solve reference workbooks",
    "compare": "Compare output workbooks",
    "generate": "Write a synthetic workbook",
    "report": "Write a one-page HTML briefing",
    "solve": "Solve WORKBOOK",
    "sweep": "Solve base and every scenario",
    "template": "Write an empty workbook",
    "validate": "Check WORKBOOK",
    "verify": "Check an edited ALLOCATION",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_help_texts() -> None:
    """Each command's --help (not the group's) gives its own one-line summary, names each of its
    arguments and options, and shows each option's help text; the top --help lists them all."""
    runner = CliRunner()
    top = runner.invoke(main, ["--help"]).output
    group_intro = _flat(main.help or "").split(".")[0]
    assert set(COMMANDS) <= set(main.commands)
    summaries = {}
    for name, command in main.commands.items():
        words = COMMANDS.get(name, "")
        assert re.search(rf"^  {name} +{re.escape(words)}", top, re.MULTILINE), name
        result = runner.invoke(main, [name, "--help"], prog_name="forcegen")
        assert result.exit_code == 0, result.output
        text = _flat(result.output)
        assert text.startswith(f"Usage: forcegen {name} [OPTIONS]"), name
        summary = _flat(result.output.split("\n\n")[1])
        assert summary and summary.startswith(words), (name, summary)
        assert group_intro not in text, name  # its own text, not the group's
        summaries[name] = summary
        for param in command.params:
            if isinstance(param, click.Argument):
                assert param.human_readable_name in text.split("Options:")[0], (name, param.name)
                continue
            if param.hidden:
                continue
            longest = max(param.opts, key=len)
            assert longest in text, (name, longest)
            helped = _flat(getattr(param, "help", "") or "")
            assert helped, f"{name} {longest} has no help text"
            assert helped[:40] in text, (name, longest)
    assert len(set(summaries.values())) == len(summaries)  # no two commands described alike


@pytest.mark.parametrize("module", ["solver", "solver.entry"])
def test_python_m_runs_the_command(module: str) -> None:
    """`python -m solver --help` prints the command's usage, as `forcegen --help` does (the
    console script, `solver.entry:main`, is the same function): there was no `solver/__main__`,
    and `python -m solver.entry` did nothing at all, exit 0. A process each, as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"Usage: python -m {module} [OPTIONS] COMMAND [ARGS]...\n")
    assert re.search(r"^  solve +", done.stdout, re.MULTILINE)


def test_docs_column_reference_up_to_date() -> None:
    """docs/workbook.md's generated section comes from the schema: regenerate on change."""
    from solver.docs import main as docs

    assert docs(["--check"]) == 0, "run: python -m solver.docs"


def test_default_backend_is_the_direct_one(tmp_path: Path) -> None:
    """`solve` without --backend hands the matrices to HiGHS directly; --backend pyomo renders
    the same model in Pyomo and gives the same plan."""
    src = simple_case(tmp_path / "case.xlsx")
    plans = {}
    for flags, expected in (([], "highs"), (["--backend", "pyomo"], "pyomo")):
        out = tmp_path / f"{expected}.xlsx"
        result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), *flags])
        assert result.exit_code == 0, result.output
        summary = dict(read_sheet(out, "Summary")[["key", "value"]].itertuples(index=False))
        assert summary["backend"] == expected
        plans[expected] = read_sheet(out, "Allocation")
    pd.testing.assert_frame_equal(plans["highs"], plans["pyomo"])
    assert api.solve(src).backend == "highs"
