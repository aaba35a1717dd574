"""An output named as its input (`out/plan.xlsx` solved from `plan.xlsx`) is named by its path
where the two would read alike: a planner trial could not tell `verify plan.xlsx against
plan.xlsx` apart, nor which file `warning: plan.xlsx Allocation!A10` meant (the baseline)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from solver import api
from solver.cli import main

from .workbooks import simple_case


def test_a_baseline_named_as_the_input_is_named_by_its_path(tmp_path: Path) -> None:
    """plan.xlsx solved into out/plan.xlsx; B made unavailable, its units in the baseline
    change: the warning names out/plan.xlsx by its path. Another name stays a bare name."""
    path = simple_case(tmp_path / "plan.xlsx")
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "plan.xlsx"
    api.write(api.solve(path), out)
    path.unlink()
    contributors = [
        {"contributor": "A", "lat": 0, "lon": 0},
        {"contributor": "B", "lat": 0, "lon": 1, "status": "unavailable"},
    ]
    simple_case(tmp_path / "plan.xlsx", contributors=contributors)
    said = CliRunner().invoke(main, ["validate", str(path), "--baseline", str(out)]).output
    assert f"warning: {out} Allocation!A3: B is unavailable" in said, said
    other = tmp_path / "first.xlsx"
    out.rename(other)
    said = CliRunner().invoke(main, ["validate", str(path), "--baseline", str(other)]).output
    assert "warning: first.xlsx Allocation!A3: B is unavailable" in said, said


def test_verify_names_a_plan_and_input_of_one_name_by_their_paths(tmp_path: Path) -> None:
    path = simple_case(tmp_path / "plan.xlsx")
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "plan.xlsx"
    api.write(api.solve(path), out)
    result = CliRunner().invoke(main, ["verify", str(path), str(out)])
    assert result.exit_code == 0, result.output
    assert f"verify {out} against {path} (" in result.output
