"""`forcegen verify`: a solved output holds; bad allocation files exit 2 with their cells; `-o`
writes the findings; the scenario; verify shares no code with the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from solver import api
from solver.errors import InputError
from solver.verify import verify_file

from .conftest import EXAMPLE
from .verify_case import run, set_allocation, solved
from .workbooks import simple_case


@pytest.fixture(scope="module")
def coalition(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("coalition")
    src = folder / "coalition.xlsx"
    src.write_bytes(EXAMPLE.read_bytes())  # a snapshot: the example may be regenerated meanwhile
    result = api.solve(src)
    return src, api.write(result, folder / "coalition-out.xlsx", [src])


def test_solved_coalition_verifies_clean(coalition: tuple[Path, Path]) -> None:
    src, out = coalition
    res = run(src, out)
    assert res.exit_code == 0, res.output
    assert "the allocation holds" in res.output
    report = verify_file(src, out)
    assert report.ok and report.violations == []
    stored = {k: v for k, v in api.solve(src).stage_values.items()}
    assert [s.stage for s in report.stages] == list(stored)
    for stage in report.stages:
        assert stage.same, stage
        assert stage.recomputed == pytest.approx(stored[stage.stage], rel=1e-9, abs=1e-9)


def test_coalition_exclude_message_as_a_planner_reads_it(
    coalition: tuple[Path, Path], tmp_path: Path
) -> None:
    src, out = coalition
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(out.read_bytes())
    wb = load_workbook(edited)
    wb["Allocation"].append(["POL", "INF_BN", "Kyiv", 1, None])
    wb.save(edited)
    res = run(src, edited)
    assert res.exit_code == 3
    assert (
        "caveat C3 (POL exclude category=ground country=UKR): POL sends 1 INF_BN to Kyiv"
        in res.output
    )


def test_an_output_given_as_the_workbook_is_refused_with_the_order_meant(tmp_path: Path) -> None:
    """verify OUTPUT INPUT (swapped): one usage error naming the order meant, exit 2, instead
    of the input checks failing on an output's sheets; OUTPUT OUTPUT: the same, no order."""
    src, out = solved(tmp_path)
    res = run(out, src)
    assert res.exit_code == 2, res.output
    assert f"{out} is an output of forcegen solve" in res.output
    assert f"did you mean `forcegen verify {src} {out}`?" in res.output
    assert "Requirements!" not in res.output and "Traceback" not in res.output
    again = run(out, out)
    assert again.exit_code == 2 and "did you mean" not in again.output
    assert run(src, out).exit_code == 0


def test_invalid_rows_reported_with_cells(tmp_path: Path) -> None:
    src, out = solved(tmp_path)
    set_allocation(
        out,
        [
            ("A", "INF", "S1", "two"),
            ("A", "INF", "S2", -1),
            ("B", "INF", "S1", 1.5),
            ("ZZZ", "INF", "S1", 1),
            ("B", "INFF", "S1", 1),
            ("B", "INF", "Nowhere", 1),
        ],
    )
    res = run(src, out)
    assert res.exit_code == 2
    for line in [
        "Allocation!D2: units must be a whole number >= 0, got 'two'",
        "Allocation!D3: units must be a whole number >= 0, got -1",
        "Allocation!D4: units must be a whole number >= 0, got 1.5",
        "Allocation!A5: contributor 'ZZZ' is not on the Contributors sheet of the input",
        "Allocation!B6: capability 'INFF' is not on the Capabilities sheet of the input "
        "(did you mean 'INF'?)",
        "Allocation!C7: site 'Nowhere' is not on the Sites sheet of the input",
    ]:
        assert line in res.output
    assert "6 problems found" in res.output
    with pytest.raises(InputError):
        verify_file(src, out)


def test_missing_sheet_column_and_unreadable_file(tmp_path: Path) -> None:
    src, out = solved(tmp_path)
    wb = load_workbook(out)
    wb["Allocation"]["D1"] = "count"
    wb.save(out)
    res = run(src, out)
    assert res.exit_code == 2
    assert "Allocation!1:1: required column 'units' is missing" in res.output
    wb = Workbook()
    wb.active.title = "Summary"
    wb.save(out)
    res = run(src, out)
    assert res.exit_code == 2
    assert "sheet 'Allocation' is missing (sheets found: Summary)" in res.output
    text = tmp_path / "plan.xlsx"
    text.write_text("contributor,capability,site,units\n")
    res = run(src, text)
    assert res.exit_code == 2
    assert "not an Excel workbook" in res.output


def test_a_plan_checked_against_a_scenario_dropping_its_contributor_says_so(
    tmp_path: Path,
) -> None:
    """Base's plan has B's units; scenario `no_b` drops B (Scenarios!C2). Checked with `-s
    no_b` it said "contributor 'B' is not on the Contributors sheet of the input", though B
    is on it: the drop is named, with its cell and the solve that plans without B."""
    src, out = solved(
        tmp_path,
        scenarios=[
            {"scenario": "no_b", "sheet": "Contributors", "key": "B", "column": "drop"},
        ],
    )
    res = run(src, out, "-s", "no_b")
    assert res.exit_code == 2
    assert (
        "contributor 'B' is dropped by scenario 'no_b' (Scenarios!C2), and this plan has it: "
        "the plan cannot hold under the scenario (`forcegen solve -s no_b` plans without it)"
    ) in res.output
    assert "not on the Contributors sheet" not in res.output


def test_duplicate_rows_are_added_up_with_a_warning(tmp_path: Path) -> None:
    src, out = solved(tmp_path)
    set_allocation(out, [("A", "INF", "S1", 1), ("B", "INF", "S2", 2), ("A", "INF", "S1", 2)])
    res = run(src, out)
    assert res.exit_code == 3
    assert "Allocation!A4: A/INF/S1 appears again (first at row 2)" in res.output
    assert "pledge A/INF: 3 units allocated, 2 pledged" in res.output
    assert "5 units in 3 allocation rows" in res.output  # the rows as on the sheet
    # the breach is cited by both rows that add up to it (row 4, the one pasted, was not)
    breach = next(line for line in res.output.splitlines() if "3 units allocated" in line)
    assert breach.endswith("(Allocation rows 2, 4)")


def test_report_sheets(tmp_path: Path) -> None:
    src, out = solved(tmp_path)
    set_allocation(out, [("A", "INF", "S1", 3), ("B", "INF", "S2", 2)])
    report = tmp_path / "report.xlsx"
    res = run(src, out, "-o", report)
    assert res.exit_code == 3
    assert f"written: {report}" in res.output
    wb = load_workbook(report, read_only=True)
    assert {"Violations", "Stages"} <= set(wb.sheetnames)
    violations = list(wb["Violations"].values)
    assert violations[0][:3] == ("rule", "ids", "message")
    assert {r[0] for r in violations[1:]} == {"pledge", "requirement"}
    stages = list(wb["Stages"].values)
    assert stages[0][:3] == ("stage", "recomputed", "stored")
    by_stage = {r[0]: r[1:3] for r in stages[1:]}
    assert by_stage["objective.shortfall.p1"] == (0, 0)
    assert by_stage["objective.presence"] == (2, 2)
    wb.close()
    res = run(src, out, "-o", src)
    assert res.exit_code == 2
    assert "is the workbook this command reads" in res.output


def test_scenario_taken_from_the_summary(tmp_path: Path) -> None:
    scen = [
        {
            "scenario": "b_out",
            "sheet": "Contributors",
            "key": "B",
            "column": "status",
            "value": "unavailable",
        }
    ]
    src = simple_case(tmp_path / "case.xlsx", scenarios=scen)
    result = api.solve(src, scenario="b_out")
    out = api.write(result, tmp_path / "out.xlsx", [src])
    res = run(src, out)
    assert res.exit_code == 0, res.output
    assert "(scenario b_out)" in res.output
    res = run(src, out, "--scenario", "base")
    assert res.exit_code == 0
    assert "solved for scenario 'b_out'; checking against 'base'" in res.output
    set_allocation(out, [("A", "INF", "S1", 2), ("B", "INF", "S2", 1)])
    res = run(src, out)
    assert res.exit_code == 3
    assert "contributor B is unavailable: B sends 1 INF to S2" in res.output


def test_infeasible_output_lists_what_no_plan_can_meet(tmp_path: Path) -> None:
    rq = [{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}]
    src = simple_case(tmp_path / "case.xlsx", requirements=rq)
    result = api.solve(src)
    assert result.status == "infeasible"
    out = api.write(result, tmp_path / "out.xlsx", [src])
    res = run(src, out)
    assert res.exit_code == 3
    assert "hard requirement S1/INF: 0 units allocated, 5 required (short 5)" in res.output
    report = verify_file(src, out)
    assert [s.stored for s in report.stages] == [None, None, None]


def test_verify_shares_no_code_with_the_model() -> None:
    """A second implementation: nothing from the model builder, the caveat modules or Pyomo."""
    import ast

    folder = Path(__file__).resolve().parent.parent / "solver" / "verify"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                assert not name.lstrip(".").startswith(("pyomo", "caveats", "model")), (path, name)
                assert "solver.model" not in name and "solver.caveats" not in name, (path, name)


def test_a_plan_solved_from_another_workbook_names_it(tmp_path: Path) -> None:
    """plan.xlsx is solved from case.xlsx. Verified against v2.xlsx (the same sheets with a
    second pledge for B, so another SHA-256): the warning names the workbook it was solved
    from (it said `another version of v2.xlsx`); against a changed case.xlsx elsewhere it is
    another version of it."""
    src = simple_case(tmp_path / "case.xlsx")
    out = api.write(api.solve(src), tmp_path / "plan.xlsx", [src])
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2},
        {"contributor": "B", "capability": "INF", "units": 3},
    ]
    other = simple_case(tmp_path / "v2.xlsx", pledges=pledges)
    said = [w.message for w in verify_file(other, out).warnings]
    assert any("solved from case.xlsx, not v2.xlsx (input_sha256 differs)" in m for m in said)
    (tmp_path / "new").mkdir()
    again = simple_case(tmp_path / "new" / "case.xlsx", pledges=pledges)
    said = [w.message for w in verify_file(again, out).warnings]
    assert any("solved from another version of case.xlsx (input_sha256" in m for m in said)


def test_verify_imports_nothing_of_the_model_caveats_or_the_summarys_figures() -> None:
    """verify is the second, independent implementation of every rule and stage: no module of
    solver/verify imports the model (solver.model), the caveat kinds (solver.caveats), the
    solve or the stage values the Summary was written with (solver.results.stages); only the
    reading (solver.io, solver.data) and writing helpers are shared."""
    import ast

    root = Path(__file__).resolve().parents[1] / "solver" / "verify"
    forbidden = ("model", "caveats", "solve", "results.stages", "explain", "time_plan")
    found = []
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 2:
                # `from ..model.x import y`, and `from .. import model` (no module name)
                names = [node.module] if node.module else [a.name for a in node.names]
                found += [f"{path.name}: from ..{n}" for n in names if n.startswith(forbidden)]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                names.append(node.module or "" if isinstance(node, ast.ImportFrom) else "")
                found += [
                    f"{path.name}: {n}"
                    for n in names
                    if n.startswith(tuple(f"solver.{f}" for f in forbidden))
                ]
    assert found == []
