"""`forcegen compare`: outputs side by side (base first), including hand-edited ones."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.compare import compare_files, write_comparison
from solver.compare.console import overview_lines

from .test_sweep import scen, small_case, table


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The small case solved for base and b_out (B unavailable), plus the input."""
    folder = tmp_path_factory.mktemp("compare")
    src = small_case(
        folder / "case.xlsx", scen("b_out", "Contributors", "B", "status", "unavailable")
    )
    paths = {"input": src}
    for name in ("base", "b_out"):
        paths[name] = api.write(api.solve(src, scenario=name), folder / f"{name}.xlsx", [src])
    return paths


def compare(*args: str | Path):
    return CliRunner().invoke(main, ["compare", *(str(a) for a in args)])


def test_base_against_a_scenario(outputs: dict[str, Path]) -> None:
    cmp = compare_files([outputs["base"], outputs["b_out"]])
    ov = cmp.overview.set_index("scenario")
    # hand-checked: without B, A's 2 units stay at S1 (priority 1) and S2 (priority 2) is short 2
    assert ov.loc["base", ["objective.shortfall.p1", "objective.shortfall.p2"]].tolist() == [0, 0]
    assert ov.loc["b_out", ["objective.shortfall.p1", "objective.shortfall.p2"]].tolist() == [0, 2]
    assert ov.at["b_out", "Δ shortfall_units.p2"] == 2
    assert ov.at["b_out", "Δ deployed_personnel"] == -200
    assert ov.at["b_out", "Δ coverage_pct"] == -50
    assert (ov["stages_from"] == "Summary").all()
    sites = cmp.sites.set_index(["site", "capability"])
    assert sites.loc[("S2", "INF"), ["base", "b_out", "Δ b_out"]].tolist() == [2, 0, -2]
    assert sites.loc[("S1", "INF"), "Δ b_out"] == 0
    people = cmp.contributors.set_index("contributor")
    assert people.loc["B"].tolist() == [2, 200, 0, 0, -2, -200]
    assert cmp.changes[["scenario", "contributor", "site", "change", "units"]].values.tolist() == [
        ["b_out", "B", "S2", "removed", 0]
    ]
    assert cmp.robustness is None  # no generated withdrawals here


def test_console_highlights_changes(outputs: dict[str, Path]) -> None:
    cmp = compare_files([outputs["base"], outputs["b_out"]])
    lines = overview_lines(cmp)
    b_out = next(line for line in lines if line.startswith("b_out"))
    assert click.style(" (+2)", fg="red") in b_out  # more shortfall: worse
    assert click.style(" (-50)", fg="red") in b_out  # less coverage: worse
    assert click.style(" (-1)", fg="green") in b_out  # fewer contingents: better
    assert click.unstyle(lines[0]).split() == [
        "scenario",
        "status",
        "p1",
        "p2",
        "cost",
        "presence",
        "coverage",
        "%",
        "personnel",
    ]


def test_compare_command_writes_the_workbook_with_charts(
    outputs: dict[str, Path], tmp_path: Path
) -> None:
    diff = tmp_path / "diff.xlsx"
    result = compare(outputs["base"], outputs["b_out"], "-o", diff)
    assert result.exit_code == 0, result.output
    assert "S2/INF (p2, required 2): base 2; b_out 0 (-2)" in result.stdout
    assert "B: base 2/200; b_out 0/0 (-2)/(-200)" in result.stdout
    assert "stage values: as in each Summary" in result.stdout
    wb = load_workbook(diff)
    assert wb.sheetnames == ["Scenarios", "Charts", "Sites", "Contributors", "Changes"]
    assert len(wb["Charts"]._charts) == 2
    again = tmp_path / "again.xlsx"
    write_comparison(compare_files([outputs["base"], outputs["b_out"]]), again)
    assert again.read_bytes() == diff.read_bytes()  # deterministic


def test_hand_edited_output(outputs: dict[str, Path], tmp_path: Path) -> None:
    """A planner takes one of A's units away from S1 (and leaves personnel and Summary as they
    were): the allocation counts as it stands; the stages are recomputed only with --input."""
    edited = tmp_path / "edited.xlsx"
    wb = load_workbook(outputs["base"])
    ws = wb["Allocation"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "A" and row[2].value == "S1":
            row[header.index("units")].value = 1
    wb.save(edited)

    result = compare(outputs["base"], edited)
    assert result.exit_code == 0, result.output
    cmp = compare_files([outputs["base"], edited])
    ov = cmp.overview.set_index("scenario")
    assert list(ov.index) == ["base", "edited"]  # both are scenario base: labelled by file
    assert ov.at["edited", "shortfall_units.p1"] == 1  # from the Allocation as it stands
    assert ov.at["edited", "objective.shortfall.p1"] == 0  # the Summary's (stale) value
    assert "differs from its Summary (edited by hand?)" in ov.at["edited", "remark"]
    assert "pass --input WORKBOOK" in result.stderr

    recomputed = compare(outputs["base"], edited, "--input", outputs["input"])
    assert recomputed.exit_code == 0, recomputed.output
    assert "stage values: recomputed from each Allocation sheet with case.xlsx" in recomputed.stdout
    cmp = compare_files([outputs["base"], edited], outputs["input"])
    ov = cmp.overview.set_index("scenario")
    assert ov.at["edited", "objective.shortfall.p1"] == 1
    assert ov.at["edited", "deployed_personnel"] == 300  # units x unit size, not the stale cell
    assert ov.at["edited", "Δ objective.shortfall.p1"] == 1
    assert (ov["stages_from"] == "recomputed").all()
    assert "recomputed objective.shortfall.p1" in ov.at["edited", "remark"]


def test_a_generated_scenario_is_recomputed_with_its_withdrawal(tmp_path: Path) -> None:
    src = small_case(tmp_path / "case.xlsx")
    result = CliRunner().invoke(
        main, ["sweep", str(src), "-o", str(tmp_path / "out"), "-s", "withdraw_B"]
    )
    assert result.exit_code == 0, result.output
    files = [tmp_path / "out" / "base.xlsx", tmp_path / "out" / "withdraw_B.xlsx"]
    plain = compare_files(files).overview
    again = compare_files(files, src).overview
    cols = ["objective.shortfall.p1", "objective.shortfall.p2", "objective.cost"]
    assert again[cols].values.tolist() == plain[cols].values.tolist()
    assert not again["remark"].fillna("").str.contains("recomputed").any()


def test_compare_refuses_what_is_not_an_output(outputs: dict[str, Path]) -> None:
    result = compare(outputs["base"], outputs["input"])
    assert result.exit_code == 2
    assert "case.xlsx: sheet 'Summary' is missing: not an output of forcegen" in result.output


def test_comparison_table_reads_back(outputs: dict[str, Path], tmp_path: Path) -> None:
    diff = tmp_path / "diff.xlsx"
    write_comparison(compare_files([outputs["base"], outputs["b_out"]]), diff)
    sites = table(diff, "Sites")
    assert list(sites.columns) == [
        "site",
        "capability",
        "priority",
        "required",
        "base",
        "b_out",
        "Δ b_out",
    ]


def test_over_allocation_does_not_hide_a_gap(tmp_path: Path) -> None:
    """Coverage counts only what fills a line: 2 extra units on S1 do not cover S2's gap."""
    import openpyxl

    from solver.compare.tables import metrics
    from solver.compare.views import load_output

    from .workbooks import simple_case

    src = simple_case(tmp_path / "c.xlsx")
    out = api.write(api.solve(src), tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Allocation"]
    for row in ws.iter_rows(min_row=2):
        row[2].value = "S1"  # everything to S1: 4 units on a 2-unit line, S2 empty
    wb.save(out)
    view = load_output(out)
    assert metrics(view, [1], [])["coverage_pct"] == 50.0
