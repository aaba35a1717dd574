"""A locked baseline row naming a contributor, capability or site the workbook lacks
(`replanning.md`, docs/workbook.md Re-planning): a lock that can never hold is an input error at
its cell, with its did-you-mean, exit 2 and nothing written, in `solve`, `validate` and `sweep`
alike (a trial's `FRX` typed for FRA in a locked row was said as an infeasible plan, its
Infeasibility sheet written, exit 3). An unlocked row naming a nation gone stays a warning: the
re-plan withdraws it.

rotation.xlsx's timed output's Tours: A contributor, B capability, C site; row 4 FRA INF_BN Kyiv.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError

from .conftest import ROOT
from .workbooks import simple_case

ROTATION = ROOT / "inputs" / "reference" / "rotation.xlsx"
FRX = (
    "error: plan.xlsx Tours!A4: contributor 'FRX' is not on the Contributors sheet of the "
    "workbook (did you mean 'FRA'?), and the row is locked: a lock can only keep units of a "
    "contributor the workbook has; correct the contributor, or unlock the row (its units are "
    "then withdrawn)"
)


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rotation.xlsx solved (its Tours the baseline the tests edit)."""
    out = tmp_path_factory.mktemp("rot") / "rot.xlsx"
    api.write(api.solve(ROTATION, work_limit=5), out)
    return out


def _edited(solved: Path, folder: Path, cells: dict[str, str], locks: tuple[int, ...]) -> Path:
    """plan.xlsx: the solved output with its Tours `cells` set and a `lock` column, yes on
    `locks` (rows)."""
    book = load_workbook(solved)
    tours = book["Tours"]
    for cell, value in cells.items():
        tours[cell] = value
    column = tours.max_column + 1
    tours.cell(1, column).value = "lock"
    for row in locks:
        tours.cell(row, column).value = "yes"
    plan = folder / "plan.xlsx"
    book.save(plan)
    return plan


def _errors(output: str) -> list[str]:
    """The output's error lines."""
    return [line for line in output.splitlines() if line.startswith("error:")]


def test_a_typo_in_a_locked_row_stops_solve_validate_and_sweep(
    solved: Path, tmp_path: Path
) -> None:
    """Tours A4 'FRX' (FRA) and B5 'INF_BX' (INF_BN), both rows locked: two errors, each at its
    cell with its did-you-mean, exit 2; solve writes no output, sweep no folder, and nothing
    says infeasible."""
    plan = _edited(solved, tmp_path, {"A4": "FRX", "B5": "INF_BX"}, (4, 5))
    out, folder = tmp_path / "out.xlsx", tmp_path / "sweep"
    for args in (
        ["solve", str(ROTATION), "--baseline", str(plan), "-o", str(out), "--work-limit", "5"],
        ["validate", str(ROTATION), "--baseline", str(plan)],
        ["sweep", str(ROTATION), "--baseline", str(plan), "-o", str(folder), "--work-limit", "5"],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        errors = _errors(result.output)
        assert errors[0] == FRX, result.output
        assert errors[1].startswith(
            "error: plan.xlsx Tours!B5: capability 'INF_BX' is not on the Capabilities sheet of "
            "the workbook (did you mean 'INF_BN'?), and the row is locked"
        ), result.output
        assert len(errors) == 2 and "infeasible" not in result.output, result.output
    assert not out.exists() and not folder.exists()


def test_an_unlocked_row_of_a_nation_gone_stays_a_warning(solved: Path, tmp_path: Path) -> None:
    """The same FRX row unlocked (another row locked): a warning, and the re-plan solves,
    withdrawing FRX's unit (exit 0)."""
    plan = _edited(solved, tmp_path, {"A4": "FRX"}, (2,))
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(
        main,
        ["solve", str(ROTATION), "--baseline", str(plan), "-o", str(out), "--work-limit", "5"],
    )
    assert result.exit_code == 0, result.output
    assert "warning: plan.xlsx Tours!A4: contributor 'FRX' is not on the Contributors sheet" in (
        result.output
    )
    assert out.exists()


def test_a_baseline_given_to_the_api_with_a_locked_unknown_key_is_refused(
    tmp_path: Path,
) -> None:
    """A `Baseline` edited with pandas, its row 1 (B INF S2 2) locked and its contributor set
    to ZZ: an error naming the row and column, as for a file (it solved infeasible)."""
    case = simple_case(tmp_path / "case.xlsx")
    plan = api.write(api.solve(case), tmp_path / "plan.xlsx")
    data = api.read(case)
    baseline = api.read_baseline(plan, data)
    rows = baseline.rows.copy()
    assert rows.loc[1, ["contributor", "site"]].tolist() == ["B", "S2"]
    rows.loc[1, "contributor"], rows.loc[1, "lock"] = "ZZ", True
    edited = type(baseline)(rows)
    with pytest.raises(InputError) as info:
        api.solve(case, baseline=edited)
    assert [e.where for e in info.value.errors] == ["baseline.rows row 1 (contributor)"]
    assert "'ZZ'" in info.value.errors[0].message
    assert "the row is locked" in info.value.errors[0].message
